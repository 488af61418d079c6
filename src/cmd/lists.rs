//! `byline lists`: the screening lists byline matches affiliations against, how each file was read, and
//! how old each list is.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use byline_entities::lists::{
    EntryKind, ListConcern, ListFormat, STALE_AFTER_DAYS, ScreeningList, SkippedRow, load_list_file, today_iso,
};
use serde::Serialize;

use crate::output::{OutputFormat, errln, outln, print_json};
use crate::progress::Context;

/// Screening-list options shared by `lists`, `audit` and `scan`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ListArgs {
    /// A screening list file (repeatable), read exactly as its publisher publishes it: the US Consolidated
    /// Screening List (consolidated.csv or the trade.gov API JSON), the BIS Entity List or DoD Section 1286 list
    /// as {"entities": [...]} JSON, the Japan METI End User List (.xlsx, or the sheet saved as CSV), Canada's
    /// Named Research Organizations (the science.gc.ca page saved as HTML), the ASPI tracker (MISP JSON or
    /// TSV), an OpenSanctions CSV export, or your own CSV (`name,aliases,country,risk_note,source_url`). The
    /// format is recognised from the content; a file that is none of these is an error. `FORMAT:FILE` forces a
    /// format for one file. Where each list is published: datasets/README.md.
    #[arg(long = "list", value_name = "FILE")]
    pub lists: Vec<String>,
    /// Read every --list file in this format instead of recognising it (`byline lists --help` lists them);
    /// a plain one-name-a-line text file of Canada's Named Research Organizations needs `ca-nro-text`.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub list_format: Option<ListFormat>,
    /// The date of the lists given with --list, when you know it better than the files do (ISO-8601).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub list_date: Option<String>,
}

fn parse_format(s: &str) -> Result<ListFormat, String> {
    ListFormat::from_id(s)
        .ok_or_else(|| format!("unknown list format `{s}`; one of: {}", ListFormat::ALL.map(ListFormat::id).join(", ")))
}

/// Loads every list named in `args`: each file's format recognised from its content (or forced), every list
/// with at least one entry, else an error naming the file.
pub fn load_lists(args: &ListArgs) -> anyhow::Result<Vec<ScreeningList>> {
    args.lists
        .iter()
        .map(|spec| {
            let (format, path) = split_spec(spec);
            load_list(Path::new(path), format.or(args.list_format), args.list_date.as_deref())
        })
        .collect()
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

/// The paths of the list files given (without a `FORMAT:` prefix).
pub fn list_paths(args: &ListArgs) -> Vec<&Path> {
    args.lists.iter().map(|spec| Path::new(split_spec(spec).1)).collect()
}

/// Loads one list file.
pub fn load_list(path: &Path, format: Option<ListFormat>, date: Option<&str>) -> anyhow::Result<ScreeningList> {
    load_list_file(path, format, date).with_context(|| format!("loading the screening list {}", path.display()))
}

/// Show the screening lists: what each file was read as, rows read = entries kept + rows skipped, the list's
/// own date, and a warning when it is more than a year old.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline lists --list consolidated.csv --list 20250929_4.xlsx --list nro.html\n  \
    byline lists --list bis_entity_list.json --format json      # skipped rows with their reasons\n  \
    byline lists --list ca-nro-text:nro.txt --list-date 2024-04-18\n\n\
    Formats (--list-format or FORMAT:FILE):\n  \
    us-csl-csv         US Consolidated Screening List, consolidated.csv\n  \
    us-csl-json        US Consolidated Screening List, the trade.gov API JSON {\"results\": [...]}\n  \
    entities-json      {\"entities\": [{name, aliases, country, ...}]}: BIS Entity List, DoD 1286, your own\n  \
    jp-meti-xlsx       Japan METI End User List as published (.xlsx)\n  \
    jp-meti-csv        the METI sheet saved as CSV (UTF-8 or Shift_JIS)\n  \
    ca-nro-html        Canada Named Research Organizations, the science.gc.ca page saved as HTML\n  \
    ca-nro-text        the same as plain text, one organisation a line (never recognised by itself)\n  \
    aspi-misp-json     ASPI China Defence Universities Tracker, MISP JSON\n  \
    aspi-tsv           ASPI tracker, TSV\n  \
    opensanctions-csv  OpenSanctions targets.simple.csv\n  \
    user-csv           your own CSV: name,aliases,country,risk_note,source_url\n\n\
    Exit codes: 0 all lists read (a list more than a year old, or undated, is warned about on stderr); 1 a \
    file is not a list byline reads, or holds no entry.")]
pub struct Args {
    #[command(flatten)]
    pub lists: ListArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Serialize)]
struct Shown<'a> {
    id: &'a str,
    name: &'a str,
    source: &'a str,
    format: &'a str,
    date: Option<&'a str>,
    date_source: Option<&'a str>,
    /// Days from the list's date to today, when it has an ISO date.
    age_days: Option<i64>,
    /// Why the list may be out of date, when it may.
    stale: Option<String>,
    licence: Option<&'a str>,
    concern: ListConcern,
    rows_read: usize,
    entries: usize,
    /// Entries matched against affiliations (organisations); the rest are people, vessels or programmes.
    organisations: usize,
    individuals: usize,
    other_kinds: usize,
    aliases: usize,
    skipped: usize,
    skipped_rows: &'a [SkippedRow],
}

fn shown<'a>(l: &'a ScreeningList, today: &str) -> Shown<'a> {
    let count = |k: EntryKind| l.entries.iter().filter(|e| e.kind == k).count();
    let age_days = l.age_days(today);
    let stale = stale(l, today);
    let organisations = count(EntryKind::Organisation);
    let individuals = count(EntryKind::Individual);
    Shown {
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

fn date_of(l: &ScreeningList) -> &str {
    l.date.as_deref().unwrap_or("undated")
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!args.lists.lists.is_empty(), "no list given: pass --list FILE (see --help)");
    let lists = load_lists(&args.lists)?;
    let today = today_iso();
    let shown: Vec<Shown> = lists.iter().map(|l| shown(l, &today)).collect();
    match args.format {
        OutputFormat::Json => print_json(&shown)?,
        OutputFormat::Text => {
            outln!(
                "{:<20} {:>6} = {:>6} + {:>7}  {:>7}  {:<12} name / source",
                "list",
                "read",
                "kept",
                "skipped",
                "aliases",
                "date"
            );
            for s in &shown {
                outln!(
                    "{:<20} {:>6} = {:>6} + {:>7}  {:>7}  {:<12} {} / {} (read as {})",
                    s.id,
                    s.rows_read,
                    s.entries,
                    s.skipped,
                    s.aliases,
                    s.date.unwrap_or("undated"),
                    s.name,
                    s.source,
                    s.format
                );
                if s.individuals + s.other_kinds > 0 {
                    outln!(
                        "{:<20} {} organisations matched against affiliations; {} people and {} vessels or \
                         programmes kept but never matched",
                        "",
                        s.organisations,
                        s.individuals,
                        s.other_kinds
                    );
                }
                for skipped in s.skipped_rows.iter().take(3) {
                    outln!("{:<20} skipped {}: {}", "", skipped.position, skipped.reason);
                }
                if s.skipped > 3 {
                    outln!("{:<20} … {} more skipped rows (--format json lists them all)", "", s.skipped - 3);
                }
            }
        }
    }
    warn_stale(&lists);
    Ok(ExitCode::SUCCESS)
}

/// Warns (stderr) about each list more than [`STALE_AFTER_DAYS`] old or without a readable date: a stale copy
/// misses additions and removals, so its silence clears no one. A warning, not an error: an officer may have to
/// work with the copy their office keeps.
pub fn warn_stale(lists: &[ScreeningList]) {
    let today = today_iso();
    for l in lists {
        if let Some(why) = stale(l, &today) {
            errln!("warning: {} ({}): {why}", l.id, l.source);
        }
    }
}

fn stale(l: &ScreeningList, today: &str) -> Option<String> {
    match l.age_days(today) {
        Some(d) if d > STALE_AFTER_DAYS => {
            Some(format!("the list is dated {} ({d} days ago): get the current one from its publisher", date_of(l)))
        }
        Some(_) => None,
        None => Some(format!(
            "the list carries no date byline can read ({}); give the date of your copy with --list-date",
            date_of(l)
        )),
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
