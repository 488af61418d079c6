//! `byline audit`: one researcher's record, the works that may not belong, and what needs a conversation.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_app::audit::{AuditOutput, AuditRequest, AuditRun, DisclosureSource, run_audit};
use byline_app::report::{audit_report_input, write_report_lang};
use byline_fetch::registry::RegistryTarget;
use byline_model::Severity;

use crate::cmd::lists::ListArgs;
use crate::cmd::report::ReportArgs;
use crate::exit;
use crate::output::{OutputFormat, errln, outln, print_json};
use crate::progress::Context;

/// Audit one researcher's record: which works carry their name but may not be theirs (no shared co-author,
/// new countries and institutions, foreign topics, odd bylines, bursts), which affiliations and funders are
/// undisclosed, and which affiliations match a screening list. Every flag comes with its reasons.
///
/// The researcher is found by ORCID, or by name ("Family, Given", optionally narrowed by an affiliation).
/// Only the researcher's neighbourhood is read from the corpus, so a corpus of millions of works is fine.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    byline audit --orcid 0000-0002-1825-0097 --fetch --report audit.html      from the APIs, nothing to ingest\n  \
    byline audit --orcid 0000-0002-1825-0097 --fetch --offline --disclosure orcid --report audit.html\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097\n  \
    byline audit --corpus corpus/ --name \"Tanaka, Hiroshi\" --affiliation \"University of Tokyo\" --report audit.html\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097 --disclosure disclosure.yaml --list consolidated.csv --format json\n  \
    byline audit --corpus corpus/ --name \"Takami, Kyosuke\" --disclosure researchmap:papers.json,projects.json\n  \
    byline audit --corpus corpus/ --name \"Nomura, Taishin\" --erad 50283734 --kaken-appid APPID --researchmap PERMALINK\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097 --disclosure disclosure.yaml --ror ror-v2.json.gz\n\n\
Exit codes: 0 no flag at or above --fail-on; 3 at least one; 1 error.")]
pub struct Args {
    /// A corpus written by `byline ingest` (a whole database export or just this researcher's works).
    #[arg(long, required_unless_present = "fetch")]
    pub corpus: Option<PathBuf>,
    /// Fetch the researcher's record (OpenAlex, Crossref, PubMed, their ORCID record, their recurring
    /// co-authors' works) through the cache into `CACHE/corpora/`, then audit it: no corpus needed. The ORCID
    /// record's works list becomes the researcher's claim (ORC001/ORC002).
    #[arg(long, conflicts_with = "corpus")]
    pub fetch: bool,
    #[command(flatten)]
    pub fetch_args: crate::cmd::fetch::FetchArgs,
    /// The researcher's ORCID iD.
    #[arg(long, required_unless_present = "name")]
    pub orcid: Option<String>,
    /// The researcher's name as "Family, Given" (or "Given Family").
    #[arg(long)]
    pub name: Option<String>,
    /// Text of the researcher's home affiliation, to pick the right person among namesakes.
    #[arg(long)]
    pub affiliation: Option<String>,
    /// The researcher's disclosure (YAML or JSON: appointments, affiliations, funders with dates), or `orcid`:
    /// the employments, educations and fundings of their ORCID record (with `--fetch`), or `kaken:FILE`: a
    /// KAKEN researcher record (NII researcher API JSON: affiliation history, KAKENHI grants, project members;
    /// with several researchers in the file, the one --name names), or `researchmap:FILE[,FILE…]`: a
    /// researchmap record (its API's JSON: the researcher's whole record, or list answers such as
    /// published_papers and research_projects; research experience, education, projects as funding).
    #[arg(long, conflicts_with_all = ["kaken_id", "researchmap"])]
    pub disclosure: Option<PathBuf>,
    /// The researcher's KAKEN researcher number, which is their e-Rad number (8 digits): their KAKEN record
    /// is fetched (NII researcher API, needs --kaken-appid or $KAKEN_APPID; cached, --offline reads the
    /// cache) and is the declared side: affiliation history, KAKENHI grants, project members.
    #[arg(long, visible_alias = "erad", value_name = "N")]
    pub kaken_id: Option<String>,
    /// The researcher's researchmap permalink (https://researchmap.jp/PERMALINK): their researchmap record
    /// is fetched (cached) and joins the declared side (experience, education, research projects).
    #[arg(long, value_name = "PERMALINK")]
    pub researchmap: Option<String>,
    /// The ROR registry (a ROR data dump in schema v2: the JSON array, plain or .gz; unzip the published
    /// dump first, see datasets/fetch-ror.sh). With it, the disclosure is compared by organisation: every
    /// institution an affiliation string names is matched to a ROR record, aliases and other-language names
    /// included, a declared organisation covers its parent's and children's records, and e-mail domains are
    /// checked against the institutions listed (AFF004). Without it, by the institution's name as written.
    #[arg(long, value_name = "FILE", requires = "disclosure")]
    pub ror: Option<PathBuf>,
    /// The KAKEN institution master (NII's CSV, `#nii_code,mext_code,jsps_code,name_ja,name_en,name_yomi`; see
    /// datasets/README.md). With it, a Japanese institution written in Japanese, in English or abbreviated
    /// (`大阪大学 大学院医学系研究科`, `Osaka Univ., Grad. Sch. Med.`, `阪大`) is one institution in the audit and
    /// in the disclosure comparison; with --ror too, it is compared by its ROR id where ROR names it.
    #[arg(long, value_name = "CSV")]
    pub kaken_institutions: Option<PathBuf>,
    /// Programmes of concern to look for in acknowledgements (YAML/JSON list); default: a built-in example list.
    #[arg(long)]
    pub programmes: Option<PathBuf>,
    #[command(flatten)]
    pub lists: ListArgs,
    /// Tortured-phrase lexicons for the paper-mill signals on the researcher's works (TOR001; see `byline scan`).
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
    /// Retraction Watch data for RET001–RET004, recognised by header: Crossref's CSV, a `doi,retractionwatch`
    /// list or the retractiondatabase.org scrape (datasets/README.md).
    #[arg(long, value_name = "CSV")]
    pub retractions: Option<PathBuf>,
    /// A year with at least this many works is hyper-prolific (Ioannidis et al. 2018: 72 a year = one every
    /// five days).
    #[arg(long, default_value_t = byline_app::audit::DEFAULT_HYPER_PROLIFIC)]
    pub hyper_prolific: usize,
    /// Show works at or above this severity in the table.
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    pub show: SeverityArg,
    /// Exit 3 when any flag reaches this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::High)]
    pub fail_on: SeverityArg,
    /// Rows in the table.
    #[arg(long, default_value_t = 25)]
    pub top: usize,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
        }
    }
}

impl Args {
    /// The audit these arguments ask for.
    pub fn request(&self) -> AuditRequest {
        AuditRequest {
            corpus: self.corpus.clone(),
            fetch: self.fetch.then(|| self.fetch_args.settings()),
            orcid: self.orcid.clone(),
            name: self.name.clone(),
            affiliation: self.affiliation.clone(),
            disclosure: (self.kaken_id.is_some() || self.researchmap.is_some())
                .then(|| {
                    DisclosureSource::Registry(
                        RegistryTarget { erad: self.kaken_id.clone(), researchmap: self.researchmap.clone() },
                        Box::new(self.fetch_args.settings()),
                    )
                })
                .or_else(|| self.disclosure.as_deref().map(DisclosureSource::from_arg)),
            ror: self.ror.clone(),
            kaken_institutions: self.kaken_institutions.clone(),
            programmes: self.programmes.clone(),
            lists: self.lists.options(),
            lexicons: self.lexicons.clone(),
            retractions: self.retractions.clone(),
            hyper_prolific: self.hyper_prolific,
        }
    }
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let AuditRun { output, works, fetch_report } = run_audit(&args.request(), ctx)?;
    if let Some(report) = &fetch_report {
        if !ctx.quiet && args.format == OutputFormat::Text {
            crate::cmd::fetch::print_summary(report);
        } else {
            for f in &report.failures {
                errln!("{} failed: {}: {}", f.source, f.url, f.reason);
            }
        }
    }
    if let Some(path) = &args.report.report {
        let input = audit_report_input(&output, &works, &std::env::args().collect::<Vec<_>>().join(" "));
        write_report_lang(&input, path, args.report.lang)?;
        if !ctx.quiet && args.format == OutputFormat::Text {
            errln!("report written: {}", path.display());
        }
    }
    match args.format {
        OutputFormat::Json => print_json(&output)?,
        OutputFormat::Text => print_text(&output, args.show.into(), args.top),
    }
    Ok(if output.reaches(args.fail_on.into()) { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}

fn print_text(o: &AuditOutput, show: Severity, top: usize) {
    let a = &o.audit;
    let s = &a.summary;
    outln!(
        "{}: {} works in the record ({} read of {} in the corpus), {} distinct co-authors ({} recurring)",
        if a.display_name.is_empty() { "researcher" } else { &a.display_name },
        s.works,
        o.works_read,
        o.corpus_works,
        s.distinct_coauthors,
        s.recurring_coauthors
    );
    if let (Some(first), Some(last)) = (s.works_by_year.keys().next(), s.works_by_year.keys().last()) {
        outln!(
            "years {first}–{last}; institutions: {}",
            s.institutions.iter().map(|i| i.institution.as_str()).take(5).collect::<Vec<_>>().join("; ")
        );
    }
    let counts = |sev: Severity| a.works.iter().filter(|w| w.severity == sev).count();
    outln!(
        "works flagged: {} high, {} medium, {} low",
        counts(Severity::High),
        counts(Severity::Medium),
        counts(Severity::Low)
    );
    outln!();
    outln!("{:>4} {:<7} {:>5} {:>5}  {:<60} why", "rank", "sev", "score", "year", "work");
    for w in a.works.iter().filter(|w| w.severity >= show).take(top) {
        let title: String = w.title.as_deref().unwrap_or("(no title)").chars().take(58).collect();
        let id = w.doi.as_deref().map(|d| format!("doi:{d}")).or_else(|| w.pmid.as_ref().map(|p| format!("pmid:{p}")));
        outln!(
            "{:>4} {:<7} {:>5.2} {:>5}  {:<60} {}",
            w.rank,
            w.severity.as_str(),
            w.score,
            w.year.map(|y| y.to_string()).unwrap_or_default(),
            title,
            id.unwrap_or_default()
        );
        for f in &w.findings {
            for r in &f.reasons {
                outln!("{:>24} {}: {r}", "", f.code);
            }
        }
    }
    for f in a.record_findings.iter().chain(&o.disclosure_findings).chain(&o.list_findings).chain(&o.papermill_findings)
    {
        outln!();
        outln!("{} [{}] {}", f.code, f.severity.as_str(), f.reasons.first().map(String::as_str).unwrap_or(""));
        for r in f.reasons.iter().skip(1) {
            outln!("    {r}");
        }
    }
}
