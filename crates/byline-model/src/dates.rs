//! Civil-date arithmetic on day counts since 1970-01-01 (proleptic Gregorian, UTC), for the few places that
//! date things without a date library: a list's age, an ORCID record's last change, a cache entry's fetch day.
//! Howard Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible Low-Level Date Algorithms").

/// Days since 1970-01-01 of the civil date `year-month-day` (`month` 1–12, `day` 1–31; not checked further).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_across_leap_years_and_eras() {
        for (y, m, d) in [(1970, 1, 1), (1969, 12, 31), (2000, 2, 29), (2024, 12, 31), (1600, 3, 1)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(days_from_civil(2025, 1, 1) - days_from_civil(2024, 1, 1), 366);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
