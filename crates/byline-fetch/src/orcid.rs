//! The ORCID record (public API v3.0 JSON): the researcher's own claim.
//!
//! Read from `GET /v3.0/{iD}/record` (also from a bare `/works` answer, whose object is the record's
//! `activities-summary.works`). Kept: the works list, with every source that added each work ("self" when the
//! researcher did, else the member organisation or service ORCID names, e.g. "Crossref" or "Scopus -
//! Elsevier"); employments, educations, fundings; public e-mails and the `history` trust markers (verified
//! e-mail). Every field is optional in the API; a missing one is `None`, never invented.

use byline_model::{normalize_doi, normalize_orcid};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A parsed ORCID record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OrcidRecord {
    pub orcid: Option<String>,
    /// "Given Family" as the record shows it (credit name first when public).
    pub name: Option<String>,
    pub works: Vec<ClaimedWork>,
    /// When the works list last changed (ms since the Unix epoch), as ORCID reports it.
    pub works_last_modified_ms: Option<i64>,
    pub employments: Vec<OrcidAffiliation>,
    pub educations: Vec<OrcidAffiliation>,
    pub fundings: Vec<OrcidFunding>,
    /// Public e-mail addresses with ORCID's `verified` flag.
    pub emails: Vec<(String, bool)>,
    /// `history.verified-email`: the researcher verified an e-mail address.
    pub verified_email: Option<bool>,
}

/// One work group of the list (ORCID groups copies of a work that share an identifier).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimedWork {
    pub title: Option<String>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    /// Who added the copies of this work to the record.
    pub sources: Vec<WorkSource>,
}

impl ClaimedWork {
    /// True when the researcher added a copy themselves.
    pub fn added_by_researcher(&self) -> bool {
        self.sources.iter().any(|s| s.by_researcher)
    }

    /// "the researcher" or the organisations' names, as ORCID shows them.
    pub fn added_by(&self) -> String {
        let mut names: Vec<String> = self
            .sources
            .iter()
            .map(|s| if s.by_researcher { "the researcher".to_owned() } else { s.name.clone() })
            .collect();
        names.sort();
        names.dedup();
        names.join(", ")
    }
}

/// The source of one copy of a work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkSource {
    /// `source-name` (the researcher's own name when self-added).
    pub name: String,
    /// Added by the record holder (the source is their own iD, not a member client).
    pub by_researcher: bool,
}

/// An employment or education.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrcidAffiliation {
    pub organization: String,
    pub department: Option<String>,
    pub role: Option<String>,
    /// ISO date, as precise as given (`1930`, `1930-02`, `1930-02-29`).
    pub start: Option<String>,
    pub end: Option<String>,
    pub country: Option<String>,
    /// `RINGGOLD 5468`, `ROR https://ror.org/…`, `GRID …`.
    pub organization_id: Option<String>,
}

/// A funding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrcidFunding {
    pub title: Option<String>,
    pub funder: String,
    pub funder_id: Option<String>,
    pub grant: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl OrcidRecord {
    /// Reads a record (or a bare works list) from JSON.
    pub fn from_json(body: &[u8]) -> Result<OrcidRecord, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| format!("not an ORCID JSON record: {e}"))?;
        Ok(OrcidRecord::from_value(&value))
    }

    /// Reads a record from parsed JSON (never fails: what is not there stays empty).
    pub fn from_value(v: &Value) -> OrcidRecord {
        let orcid = str_at(v, "/orcid-identifier/path").and_then(normalize_orcid);
        let name = str_at(v, "/person/name/credit-name/value").map(str::to_owned).or_else(|| {
            let given = str_at(v, "/person/name/given-names/value");
            let family = str_at(v, "/person/name/family-name/value");
            match (given, family) {
                (Some(g), Some(f)) => Some(format!("{g} {f}")),
                (g, f) => g.or(f).map(str::to_owned),
            }
        });
        // A record has its works under activities-summary; a `/works` answer is the works object itself.
        let works_obj = v.pointer("/activities-summary/works").unwrap_or(v);
        let works = works_obj
            .get("group")
            .and_then(Value::as_array)
            .map(|groups| groups.iter().map(|g| claimed_work(g, orcid.as_deref())).collect())
            .unwrap_or_default();
        let works_last_modified_ms = works_obj.pointer("/last-modified-date/value").and_then(Value::as_i64);
        let activities = v.get("activities-summary");
        let affiliations = |section: &str, kind: &str| -> Vec<OrcidAffiliation> {
            let Some(groups) = activities.and_then(|a| a.pointer(&format!("/{section}/affiliation-group"))) else {
                return Vec::new();
            };
            groups
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|g| g.get("summaries").and_then(Value::as_array).into_iter().flatten())
                .filter_map(|s| s.get(kind))
                .filter_map(affiliation)
                .collect()
        };
        let fundings = activities
            .and_then(|a| a.pointer("/fundings/group"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|g| g.get("funding-summary").and_then(Value::as_array).into_iter().flatten())
            .filter_map(funding)
            .collect();
        let emails = v
            .pointer("/person/emails/email")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let address = e.get("email").and_then(Value::as_str)?;
                Some((address.to_owned(), e.get("verified").and_then(Value::as_bool).unwrap_or(false)))
            })
            .collect();
        OrcidRecord {
            orcid,
            name,
            works,
            works_last_modified_ms,
            employments: affiliations("employments", "employment-summary"),
            educations: affiliations("educations", "education-summary"),
            fundings,
            emails,
            verified_email: v.pointer("/history/verified-email").and_then(Value::as_bool),
        }
    }

    /// The year the works list last changed (UTC).
    pub fn works_last_modified_year(&self) -> Option<i32> {
        self.works_last_modified_ms.map(|ms| year_of_unix_days(ms.div_euclid(86_400_000)))
    }

    /// Domains of the public, verified e-mail addresses (a trust marker: the institution's mail system).
    pub fn verified_email_domains(&self) -> Vec<String> {
        let mut d: Vec<String> = self
            .emails
            .iter()
            .filter(|(_, verified)| *verified)
            .filter_map(|(e, _)| e.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
            .collect();
        d.sort();
        d.dedup();
        d
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn claimed_work(group: &Value, holder: Option<&str>) -> ClaimedWork {
    let mut work = ClaimedWork::default();
    let summaries: Vec<&Value> = group.get("work-summary").and_then(Value::as_array).into_iter().flatten().collect();
    let id_lists = std::iter::once(group).chain(summaries.iter().copied());
    for ids in id_lists.filter_map(|x| x.pointer("/external-ids/external-id").and_then(Value::as_array)) {
        for id in ids {
            // `part-of` ids (a journal's ISSN, a book's ISBN) name the container, not the work.
            if id
                .get("external-id-relationship")
                .and_then(Value::as_str)
                .is_some_and(|r| r.eq_ignore_ascii_case("part-of"))
            {
                continue;
            }
            let value = id.get("external-id-value").and_then(Value::as_str).unwrap_or("");
            match id.get("external-id-type").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("doi") if work.doi.is_none() => work.doi = normalize_doi(value),
                Some("pmid") if work.pmid.is_none() => {
                    let digits = value.trim();
                    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                        work.pmid = Some(digits.to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    for s in &summaries {
        if work.title.is_none() {
            work.title = str_at(s, "/title/title/value").map(str::to_owned);
        }
        if work.year.is_none() {
            work.year = str_at(s, "/publication-date/year/value").and_then(|y| y.parse().ok());
        }
        if let Some(source) = s.get("source") {
            let own = str_at(source, "/source-orcid/path").and_then(normalize_orcid);
            let by_researcher = own.is_some() && own.as_deref() == holder;
            let name = str_at(source, "/source-name/value").unwrap_or("unknown source").to_owned();
            let entry = WorkSource { name, by_researcher };
            if !work.sources.contains(&entry) {
                work.sources.push(entry);
            }
        }
    }
    work
}

fn fuzzy_date(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let part = |k: &str| str_at(v, &format!("/{k}/value")).map(str::to_owned);
    let year = part("year")?;
    Some(match (part("month"), part("day")) {
        (Some(m), Some(d)) => format!("{year}-{m}-{d}"),
        (Some(m), None) => format!("{year}-{m}"),
        _ => year,
    })
}

fn affiliation(s: &Value) -> Option<OrcidAffiliation> {
    let organization = str_at(s, "/organization/name")?.to_owned();
    let organization_id = s.pointer("/organization/disambiguated-organization").and_then(|d| {
        let id = str_at(d, "/disambiguated-organization-identifier")?;
        Some(match str_at(d, "/disambiguation-source") {
            Some(src) => format!("{src} {id}"),
            None => id.to_owned(),
        })
    });
    Some(OrcidAffiliation {
        organization,
        department: str_at(s, "/department-name").map(str::to_owned),
        role: str_at(s, "/role-title").map(str::to_owned),
        start: fuzzy_date(s.get("start-date")),
        end: fuzzy_date(s.get("end-date")),
        country: str_at(s, "/organization/address/country").map(str::to_owned),
        organization_id,
    })
}

fn funding(s: &Value) -> Option<OrcidFunding> {
    let funder = str_at(s, "/organization/name")?.to_owned();
    let grant = s
        .pointer("/external-ids/external-id")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|id| id.get("external-id-type").and_then(Value::as_str) == Some("grant_number"))
        .and_then(|id| str_at(id, "/external-id-value"))
        .map(str::to_owned);
    Some(OrcidFunding {
        title: str_at(s, "/title/title/value").map(str::to_owned),
        funder,
        funder_id: str_at(s, "/organization/disambiguated-organization/disambiguated-organization-identifier")
            .map(str::to_owned),
        grant,
        start: fuzzy_date(s.get("start-date")),
        end: fuzzy_date(s.get("end-date")),
    })
}

/// The civil year of a day count since 1970-01-01.
fn year_of_unix_days(days: i64) -> i32 {
    i32::try_from(byline_model::dates::civil_from_days(days).0).unwrap_or(i32::MAX)
}

/// How much a record holds, for summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    pub works: usize,
    pub works_added_by_researcher: usize,
    pub employments: usize,
    pub educations: usize,
    pub fundings: usize,
}

impl From<&OrcidRecord> for RecordCounts {
    fn from(r: &OrcidRecord) -> RecordCounts {
        RecordCounts {
            works: r.works.len(),
            works_added_by_researcher: r.works.iter().filter(|w| w.added_by_researcher()).count(),
            employments: r.employments.len(),
            educations: r.educations.len(),
            fundings: r.fundings.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_to_year() {
        assert_eq!(year_of_unix_days(0), 1970);
        assert_eq!(year_of_unix_days(-1), 1969);
        // 2024-08-31 = 1725087603643 ms.
        assert_eq!(year_of_unix_days(1_725_087_603_643 / 86_400_000), 2024);
    }
}
