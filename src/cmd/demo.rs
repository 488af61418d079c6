//! `byline demo`: the main job on the bundled sample, for a new user on a fresh machine.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use byline_corpus::{IngestOptions, ingest};
use byline_model::Severity;

use byline_app::audit::{AuditRequest, run_audit};
use byline_app::report::{audit_report_input, write_report};

use crate::output::{errln, outln};
use crate::progress::Context;

/// The sample's planted truth (`.truth.json`, written by `byline-bench generate --plant-audit N`): the fields the
/// demo reads. Other fields of the file are ignored.
#[derive(Debug, serde::Deserialize)]
struct PlantedTruth {
    /// The researcher's name as "Family, Given".
    name: String,
    /// Their ORCID iD, if they have one.
    orcid: Option<String>,
    /// DOIs of the works planted on them.
    planted_dois: Vec<String>,
}

/// Run byline end to end on the bundled sample (`datasets/sample`): ingest its PubMed XML, OpenAlex and
/// Crossref files into a Parquet corpus, audit the researcher whose name was planted on works they did not
/// write, write the HTML report, and check the flags against the planted truth.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example (from the repository root):\n  cargo run -- demo\n  cargo run -- demo --open")]
pub struct Args {
    /// The sample to run on.
    #[arg(long, default_value = "datasets/sample")]
    pub sample: PathBuf,
    /// Where to write the corpus and the reports.
    #[arg(long, default_value = "out/demo")]
    pub out: PathBuf,
    /// Open the HTML report in the default browser when done.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.sample.is_dir(),
        "sample not found at {} (run from the repository root, or pass --sample)",
        args.sample.display()
    );
    let truth_path = args.sample.join(".truth.json");
    let truth: PlantedTruth = serde_json::from_str(
        &std::fs::read_to_string(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )
    .with_context(|| format!("{}: not a planted-truth file", truth_path.display()))?;

    let corpus = args.out.join("corpus");
    outln!("1. byline ingest {} --out {}", args.sample.display(), corpus.display());
    let manifest = ingest(std::slice::from_ref(&args.sample), &corpus, &IngestOptions::default(), &())?;
    let t = &manifest.totals;
    outln!("   {} files, records read {} = works {} + rejected {}", t.files, t.records_seen, t.works, t.rejected);

    let report = args.out.join("report.html");
    let request = AuditRequest::new(corpus.clone(), truth.orcid.clone(), Some(truth.name.clone()));
    outln!(
        "2. byline audit --corpus {} --orcid {} --name \"{}\" --report {}",
        corpus.display(),
        truth.orcid.as_deref().unwrap_or("-"),
        truth.name,
        report.display()
    );
    let run = run_audit(&request, ctx)?;
    let (output, works) = (run.output, run.works);
    let command =
        format!("byline audit --corpus {} --orcid {}", corpus.display(), truth.orcid.as_deref().unwrap_or("-"));
    let input = audit_report_input(&output, &works, &command);
    write_report(&input, &report)?;
    write_report(&input, &args.out.join("report.md"))?;
    write_report(&input, &args.out.join("report.json"))?;

    let a = &output.audit;
    let flagged: Vec<_> = a.works.iter().filter(|w| w.severity >= Severity::Medium).collect();
    let found =
        truth.planted_dois.iter().filter(|d| flagged.iter().any(|w| w.doi.as_deref() == Some(d.as_str()))).count();
    let false_flags =
        flagged.iter().filter(|w| !w.doi.as_ref().is_some_and(|d| truth.planted_dois.contains(d))).count();
    outln!("   {} works in {}'s record; flagged (medium or high):", a.works.len(), a.display_name);
    for w in &flagged {
        let reason = w.findings.first().and_then(|f| f.reasons.first()).cloned().unwrap_or_default();
        outln!("   #{:<3} {:<6} {:.2}  {}", w.rank, w.severity.as_str(), w.score, w.title.as_deref().unwrap_or(""));
        outln!("              {reason}");
    }
    outln!(
        "3. planted truth: {found} of {} planted works flagged; {false_flags} genuine works flagged",
        truth.planted_dois.len()
    );
    outln!("report: {}", report.display());
    if args.open {
        open_in_browser(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens a file with the desktop's default handler; the path is passed as one argument, never through a shell.
fn open_in_browser(path: &std::path::Path) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(path).status() {
        errln!("could not open the report with {opener}: {e}; open {} yourself", path.display());
    }
}
