//! `byline fetch`: a researcher's record from OpenAlex, Crossref, PubMed and ORCID into a corpus, through the
//! on-disk cache (`byline-fetch`); `byline audit --fetch` uses the same path.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_app::fetch::{FetchOutput, FetchSettings, fetch_to_corpus};
use byline_fetch::{FetchReport, FetchTarget};

use crate::exit;
use crate::output::{OutputFormat, errln, outln, print_json};
use crate::progress::Context;

/// Fetch one researcher's works from OpenAlex (by ORCID or author id), Crossref (by ORCID), PubMed
/// E-utilities (by ORCID, or by name and affiliation) and their ORCID record, then the works of their
/// recurring co-authors (one hop, `--hop-limit`), into a corpus. Every response is cached by request, so a
/// rerun resumes and `--offline` needs no network; each work's source path names its cache entry, and
/// `fetch.json` in the corpus lists every entry with its URL and fetch time.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    byline fetch --orcid 0000-0002-1825-0097 --out corpus/ --mailto you@university.edu\n  \
    byline fetch --name \"Tanaka, Hiroshi\" --affiliation \"University of Tokyo\" --out corpus/\n  \
    byline fetch --orcid 0000-0002-1825-0097 --out corpus/ --offline      from the cache only\n\n\
Exit codes: 0 every source answered; 3 some request failed (the summary says which); 1 error, or --offline with\n\
responses missing from the cache.")]
pub struct Args {
    /// The researcher's ORCID iD.
    #[arg(long, required_unless_present_any = ["name", "openalex_author"])]
    pub orcid: Option<String>,
    /// The researcher's name as "Family, Given" (PubMed by author name).
    #[arg(long)]
    pub name: Option<String>,
    /// Text of the researcher's affiliation, to narrow a name search (PubMed `[Affiliation]`).
    #[arg(long)]
    pub affiliation: Option<String>,
    /// The corpus directory to write.
    #[arg(long, short)]
    pub out: PathBuf,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// How to reach the APIs; shared by `byline fetch` and `byline audit --fetch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FetchArgs {
    /// The response cache (created if absent). A rerun answers from it; `--refresh` asks again.
    #[arg(long, value_name = "DIR", default_value = "byline-cache")]
    pub cache: PathBuf,
    /// Answer from the cache only; fail naming every request it does not hold.
    #[arg(long)]
    pub offline: bool,
    /// Request again what the cache already holds.
    #[arg(long, conflicts_with = "offline")]
    pub refresh: bool,
    /// Your e-mail address: OpenAlex's and Crossref's polite pools and NCBI's `email` ask for one
    /// (default: $BYLINE_MAILTO).
    #[arg(long, value_name = "ADDRESS")]
    pub mailto: Option<String>,
    /// An OpenAlex API key (default: $OPENALEX_API_KEY). Never written to the cache.
    #[arg(long, value_name = "KEY")]
    pub openalex_api_key: Option<String>,
    /// An NCBI API key: 10 requests a second instead of 3 (default: $NCBI_API_KEY). Never written to the cache.
    #[arg(long, value_name = "KEY")]
    pub ncbi_api_key: Option<String>,
    /// The researcher's OpenAlex author id (A…), when they have no ORCID.
    #[arg(long, value_name = "ID")]
    pub openalex_author: Option<String>,
    /// Recurring co-authors (two or more shared works, with an ORCID) whose works are fetched.
    #[arg(long, default_value_t = 20)]
    pub hop_limit: usize,
    /// API base URLs (tests; default: the public services, or $BYLINE_OPENALEX_URL etc.).
    #[arg(long, hide = true)]
    pub openalex_url: Option<String>,
    #[arg(long, hide = true)]
    pub crossref_url: Option<String>,
    #[arg(long, hide = true)]
    pub eutils_url: Option<String>,
    #[arg(long, hide = true)]
    pub orcid_url: Option<String>,
    /// NII's application id for the KAKEN API (CiNii API registration), for `audit --kaken-id`
    /// (default: $KAKEN_APPID). Never written to the cache or to any report.
    #[arg(long, value_name = "APPID")]
    pub kaken_appid: Option<String>,
    #[arg(long, hide = true)]
    pub kaken_url: Option<String>,
    #[arg(long, hide = true)]
    pub researchmap_url: Option<String>,
}

impl FetchArgs {
    /// The settings as the application layer takes them.
    pub fn settings(&self) -> FetchSettings {
        FetchSettings {
            cache: self.cache.clone(),
            offline: self.offline,
            refresh: self.refresh,
            mailto: self.mailto.clone(),
            openalex_api_key: self.openalex_api_key.clone(),
            ncbi_api_key: self.ncbi_api_key.clone(),
            openalex_author: self.openalex_author.clone(),
            hop_limit: self.hop_limit,
            openalex_url: self.openalex_url.clone(),
            crossref_url: self.crossref_url.clone(),
            eutils_url: self.eutils_url.clone(),
            orcid_url: self.orcid_url.clone(),
            kaken_appid: self.kaken_appid.clone(),
            kaken_url: self.kaken_url.clone(),
            researchmap_url: self.researchmap_url.clone(),
        }
    }
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let target = FetchTarget {
        orcid: args.orcid.clone(),
        name: args.name.clone(),
        affiliation: args.affiliation.clone(),
        openalex_author: args.fetch.openalex_author.clone(),
    };
    let (report, manifest) = fetch_to_corpus(&target, &args.fetch.settings(), &args.out, ctx)?;
    match args.format {
        OutputFormat::Json => print_json(&FetchOutput {
            corpus: args.out.display().to_string(),
            complete: report.complete(),
            works_written: manifest.totals.works,
            report: &report,
        })?,
        OutputFormat::Text => {
            print_summary(&report);
            outln!("corpus: {} ({} works)", args.out.display(), manifest.totals.works);
        }
    }
    Ok(if report.complete() { ExitCode::SUCCESS } else { ExitCode::from(exit::FLAGGED) })
}

/// Which sources answered, how many works each gave, and every failed request with its reason.
pub fn print_summary(report: &FetchReport) {
    for s in &report.sources {
        outln!(
            "{:<9} {:>3} request(s), {} from the cache, {} failed; {} works{}",
            s.source,
            s.requests,
            s.from_cache,
            s.failed,
            s.works,
            if s.retries > 0 { format!(" ({} retries)", s.retries) } else { String::new() }
        );
    }
    if let Some(r) = &report.orcid_record {
        outln!(
            "ORCID record: {} works listed ({} added by the researcher), {} employments, {} educations, {} fundings",
            r.works.len(),
            r.works.iter().filter(|w| w.added_by_researcher()).count(),
            r.employments.len(),
            r.educations.len(),
            r.fundings.len()
        );
    }
    if !report.coauthors_fetched.is_empty() || report.coauthors_left_out > 0 {
        outln!(
            "co-authors: works of {} recurring co-author(s) fetched{}",
            report.coauthors_fetched.len(),
            if report.coauthors_left_out > 0 {
                format!(", {} more left out by --hop-limit", report.coauthors_left_out)
            } else {
                String::new()
            }
        );
    }
    for f in &report.failures {
        errln!("{} failed: {}: {}", f.source, f.url, f.reason);
    }
    if !report.complete() {
        errln!("incomplete: some sources did not answer (above); the corpus holds only what did");
    }
}
