//! Screening lists named on a command line: `FORMAT:FILE` specs, loading, and how old each list is.

use std::path::Path;

use anyhow::Context as _;
use byline_entities::lists::{ListFormat, STALE_AFTER_DAYS, ScreeningList, load_list_file, today_iso};

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
