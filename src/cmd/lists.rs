//! `byline lists`: the screening lists byline matches affiliations against, and how they are loaded.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use byline_entities::lists::{
    ScreeningList, load_aspi_misp_json, load_aspi_tsv, load_csl_csv, load_csl_json, load_meti_end_user_csv,
    load_named_research_organizations, load_opensanctions_csv, load_user_csv,
};
use serde::Serialize;

use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Screening-list options shared by `lists`, `audit` and `scan`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ListArgs {
    /// A screening list file (repeatable): US Consolidated Screening List (CSV/JSON), Japan METI End User List
    /// (CSV), Canada Named Research Organizations (text), ASPI China Defence Universities Tracker (MISP JSON or
    /// TSV), an OpenSanctions CSV export, or your own CSV (`name,aliases,country,risk_note,source_url`). The
    /// format is recognized from the file's header. Where each list is published: datasets/README.md.
    #[arg(long = "list", value_name = "FILE")]
    pub lists: Vec<PathBuf>,
    /// The date of the lists given with --list, when the files do not carry one (ISO-8601).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub list_date: Option<String>,
}

/// Loads every list named in `args`, recognizing each file's format from its header.
pub fn load_lists(args: &ListArgs) -> anyhow::Result<Vec<ScreeningList>> {
    args.lists.iter().map(|p| load_list(p, args.list_date.as_deref())).collect()
}

/// Loads one list file.
pub fn load_list(path: &Path, date: Option<&str>) -> anyhow::Result<ScreeningList> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let display = path.display().to_string();
    let head: String = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let list = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if text.contains("\"galaxy\"") || text.contains("\"values\"") && text.contains("\"uuid\"") {
            load_aspi_misp_json(text.as_bytes(), &display, date)?
        } else {
            load_csl_json(text.as_bytes(), &display, date)?
        }
    } else if head.contains("uuid\tname_en") {
        load_aspi_tsv(&text, &display, date)?
    } else if head.contains("entity_number") || head.contains("alt_names") {
        load_csl_csv(text.as_bytes(), &display, date)?
    } else if head.contains("\"schema\"") || head.starts_with("id,schema") {
        load_opensanctions_csv(text.as_bytes(), &display, date)?
    } else if head.contains("also known as") || head.contains("country or region") || head.contains("別名") {
        load_meti_end_user_csv(text.as_bytes(), &display, date)?
    } else if head.starts_with("name,") || head.starts_with("\"name\"") {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "user".to_owned());
        load_user_csv(text.as_bytes(), &display, &stem, date)?
    } else {
        load_named_research_organizations(&text, &display, date)
    };
    Ok(list)
}

/// Show the screening lists that are loaded: name, source, date, entries.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline lists --list consolidated.csv --list aspi.json\n  \
    byline lists --list my-list.csv --list-date 2026-11-01 --format json")]
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
    date: Option<&'a str>,
    licence: Option<&'a str>,
    entries: usize,
    aliases: usize,
    skipped: usize,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!args.lists.lists.is_empty(), "no list given: pass --list FILE (see --help)");
    let lists = load_lists(&args.lists)?;
    let shown: Vec<Shown> = lists
        .iter()
        .map(|l| Shown {
            id: &l.id,
            name: &l.name,
            source: &l.source,
            date: l.date.as_deref(),
            licence: l.licence.as_deref(),
            entries: l.entries.len(),
            aliases: l.entries.iter().map(|e| e.aliases.len()).sum(),
            skipped: l.skipped,
        })
        .collect();
    match args.format {
        OutputFormat::Json => print_json(&shown)?,
        OutputFormat::Text => {
            outln!("{:<16} {:>8} {:>8} {:>8} {:<12} name / source", "list", "entries", "aliases", "skipped", "date");
            for s in &shown {
                outln!(
                    "{:<16} {:>8} {:>8} {:>8} {:<12} {} / {}",
                    s.id,
                    s.entries,
                    s.aliases,
                    s.skipped,
                    s.date.unwrap_or("undated"),
                    s.name,
                    s.source
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
