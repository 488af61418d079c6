//! `byline stats`: counts and field coverage per source.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_corpus::{CorpusReader, Coverage, corpus_stats};

use crate::output::{OutputFormat, out, outln, percent, print_json};
use crate::progress::Context;

/// Print counts and field coverage per source format of a corpus (how many works have abstracts, ORCIDs,
/// countries…), and the ingest accounting (records read = written + rejected).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline stats corpus/\n  byline stats corpus/ --format json | jq .coverage.all")]
pub struct Args {
    /// A corpus directory written by `byline ingest`.
    pub corpus: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// How one row of the coverage table is computed from a format's counts.
type CoverageCell = fn(&Coverage) -> String;

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let reader = CorpusReader::open(&args.corpus)?;
    let stats = corpus_stats(&reader)?;
    if args.format == OutputFormat::Json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let t = &stats.totals;
    outln!(
        "{} files ({} failed, {} skipped); records read {} = works {} + rejected {}; {} warnings; {} deletions",
        t.files,
        t.files_failed,
        t.files_skipped,
        t.records_seen,
        t.works,
        t.rejected,
        t.warnings,
        t.deleted
    );
    outln!();
    let rows: Vec<(&str, CoverageCell)> = vec![
        ("works", |c| c.works.to_string()),
        ("years", |c| match (c.min_year, c.max_year) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "–".to_owned(),
        }),
        ("with DOI", |c| percent(c.with_doi, c.works)),
        ("with PMID", |c| percent(c.with_pmid, c.works)),
        ("with title", |c| percent(c.with_title, c.works)),
        ("with abstract", |c| percent(c.with_abstract, c.works)),
        ("with MeSH", |c| percent(c.with_mesh, c.works)),
        ("with keywords", |c| percent(c.with_keywords, c.works)),
        ("with funding", |c| percent(c.with_funding, c.works)),
        ("with references", |c| percent(c.with_references, c.works)),
        ("retracted", |c| c.retracted.to_string()),
        ("retraction notices", |c| c.retraction_notices.to_string()),
        ("authorships", |c| c.authorships.to_string()),
        ("  group authors", |c| c.collective_authorships.to_string()),
        ("  with ORCID", |c| percent(c.authorships_with_orcid, c.authorships)),
        ("  with e-mail", |c| percent(c.authorships_with_email, c.authorships)),
        ("  with affiliation", |c| percent(c.authorships_with_affiliation, c.authorships)),
        ("affiliations", |c| c.affiliations.to_string()),
        ("  with country", |c| percent(c.affiliations_with_country, c.affiliations)),
        ("  with ROR id", |c| percent(c.affiliations_with_ror, c.affiliations)),
    ];
    let columns: Vec<(&String, &Coverage)> = stats.coverage.iter().filter(|(k, _)| k.as_str() != "all").collect();
    let all = stats.coverage.get("all").cloned().unwrap_or_default();
    out!("{:<20}", "");
    for (name, _) in &columns {
        out!("{name:>12}");
    }
    outln!("{:>12}", "all");
    for (label, f) in rows {
        out!("{label:<20}");
        for (_, c) in &columns {
            out!("{:>12}", f(c));
        }
        outln!("{:>12}", f(&all));
    }
    if !stats.diagnostics.is_empty() {
        outln!();
        for (kind, n) in &stats.diagnostics {
            outln!("diagnostics: {n} {kind}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
