//! `byline lists`: the screening lists byline matches affiliations against, how each file was read, and
//! how old each list is.

use std::process::ExitCode;

use byline_app::lists::{ListOptions, ListSummary, stale_warnings};
use byline_entities::lists::{ListFormat, today_iso};

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

impl ListArgs {
    /// The lists as the application layer takes them.
    pub fn options(&self) -> ListOptions {
        ListOptions { specs: self.lists.clone(), format: self.list_format, date: self.list_date.clone() }
    }
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

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!args.lists.lists.is_empty(), "no list given: pass --list FILE (see --help)");
    let lists = args.lists.options().load()?;
    let today = today_iso();
    let shown: Vec<ListSummary> = lists.iter().map(|l| ListSummary::of(l, &today)).collect();
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
    for w in stale_warnings(&lists) {
        errln!("{w}");
    }
    Ok(ExitCode::SUCCESS)
}
