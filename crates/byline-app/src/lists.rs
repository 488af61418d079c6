//! Screening lists named on a command line: `FORMAT:FILE` specs, loading, and how old each list is.

use std::path::Path;

use anyhow::Context as _;
use byline_entities::lists::{
    EntryKind, ListConcern, ListFormat, STALE_AFTER_DAYS, ScreeningList, SkippedRow, load_list_file, today_iso,
};
use serde::Serialize;

/// The screening lists a command was given: files (each `FILE` or `FORMAT:FILE`), a format forced for all,
/// and the lists' date when the caller knows it better than the files do.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub specs: Vec<String>,
    pub format: Option<ListFormat>,
    pub date: Option<String>,
}

impl ListOptions {
    /// Loads every list: each file's format recognised from its content (or forced), every list with at least
    /// one entry, else an error naming the file.
    pub fn load(&self) -> anyhow::Result<Vec<ScreeningList>> {
        self.specs
            .iter()
            .map(|spec| {
                let (format, path) = split_spec(spec);
                load_list(Path::new(path), format.or(self.format), self.date.as_deref())
            })
            .collect()
    }

    /// The paths of the list files given (without a `FORMAT:` prefix).
    pub fn paths(&self) -> Vec<&Path> {
        self.specs.iter().map(|spec| Path::new(split_spec(spec).1)).collect()
    }
}

/// `us-csl-csv:consolidated.csv` → (the format, the path); a path whose prefix is no format id is all path.
fn split_spec(spec: &str) -> (Option<ListFormat>, &str) {
    match spec.split_once(':') {
        Some((f, path)) if !path.is_empty() => match ListFormat::from_id(f) {
            Some(format) => (Some(format), path),
            None => (None, spec),
        },
        _ => (None, spec),
    }
}

/// Loads one list file.
pub fn load_list(path: &Path, format: Option<ListFormat>, date: Option<&str>) -> anyhow::Result<ScreeningList> {
    load_list_file(path, format, date).with_context(|| format!("loading the screening list {}", path.display()))
}

/// Why a list may be out of date, when it may: more than [`STALE_AFTER_DAYS`] old, or without a readable date.
/// A stale copy misses additions and removals, so its silence clears no one.
pub fn stale(l: &ScreeningList, today: &str) -> Option<String> {
    let date = l.date.as_deref().unwrap_or("undated");
    match l.age_days(today) {
        Some(d) if d > STALE_AFTER_DAYS => {
            Some(format!("the list is dated {date} ({d} days ago): get the current one from its publisher"))
        }
        Some(_) => None,
        None => Some(format!(
            "the list carries no date byline can read ({date}); give the date of your copy with --list-date"
        )),
    }
}

/// One warning line per list that may be out of date (a warning, not an error: an officer may have to work
/// with the copy their office keeps).
pub fn stale_warnings(lists: &[ScreeningList]) -> Vec<String> {
    let today = today_iso();
    lists
        .iter()
        .filter_map(|l| stale(l, &today).map(|why| format!("warning: {} ({}): {why}", l.id, l.source)))
        .collect()
}

/// What `byline lists` shows of a list: how it was read (rows read = entries kept + rows skipped, each skip
/// with its reason), its date and age, and what kinds of entries it holds.
#[derive(Debug, Serialize)]
pub struct ListSummary<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub format: &'a str,
    pub date: Option<&'a str>,
    pub date_source: Option<&'a str>,
    /// Days from the list's date to today, when it has an ISO date.
    pub age_days: Option<i64>,
    /// Why the list may be out of date, when it may.
    pub stale: Option<String>,
    pub licence: Option<&'a str>,
    pub concern: ListConcern,
    pub rows_read: usize,
    pub entries: usize,
    /// Entries matched against affiliations (organisations); the rest are people, vessels or programmes.
    pub organisations: usize,
    pub individuals: usize,
    pub other_kinds: usize,
    pub aliases: usize,
    pub skipped: usize,
    pub skipped_rows: &'a [SkippedRow],
}

impl<'a> ListSummary<'a> {
    /// The summary of `l` as of `today` (ISO date).
    pub fn of(l: &'a ScreeningList, today: &str) -> ListSummary<'a> {
        let count = |k: EntryKind| l.entries.iter().filter(|e| e.kind == k).count();
        let age_days = l.age_days(today);
        let stale = stale(l, today);
        let organisations = count(EntryKind::Organisation);
        let individuals = count(EntryKind::Individual);
        ListSummary {
            id: &l.id,
            name: &l.name,
            source: &l.source,
            format: &l.format,
            date: l.date.as_deref(),
            date_source: l.date_source.as_deref(),
            age_days,
            stale,
            licence: l.licence.as_deref(),
            concern: l.concern,
            rows_read: l.rows_read(),
            entries: l.entries.len(),
            organisations,
            individuals,
            other_kinds: l.entries.len() - organisations - individuals,
            aliases: l.entries.iter().map(|e| e.aliases.len()).sum(),
            skipped: l.skipped.len(),
            skipped_rows: &l.skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_prefix_forces_the_format_only_when_it_is_one() {
        assert_eq!(split_spec("ca-nro-text:nro.txt"), (Some(ListFormat::NroText), "nro.txt"));
        assert_eq!(split_spec("C:\\lists\\nro.txt"), (None, "C:\\lists\\nro.txt"));
        assert_eq!(split_spec("lists/a:b.csv"), (None, "lists/a:b.csv"));
    }
}
