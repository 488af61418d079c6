//! `byline demo`: the main job on the bundled sample, for a new user on a fresh machine.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_app::demo::{PlantedTruth, audit_sample, ingest_sample};
use byline_model::Severity;

use crate::output::{errln, outln};
use crate::progress::Context;

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
    let truth = PlantedTruth::read(&args.sample)?;
    outln!("1. byline ingest {} --out {}", args.sample.display(), args.out.join("corpus").display());
    let (corpus, manifest) = ingest_sample(&args.sample, &args.out)?;
    let t = &manifest.totals;
    outln!("   {} files, records read {} = works {} + rejected {}", t.files, t.records_seen, t.works, t.rejected);
    outln!(
        "2. byline audit --corpus {} --orcid {} --name \"{}\" --report {}",
        corpus.display(),
        truth.orcid.as_deref().unwrap_or("-"),
        truth.name,
        args.out.join("report.html").display()
    );
    let run = audit_sample(truth, corpus, manifest, &args.out, ctx)?;
    let a = &run.output.audit;
    outln!("   {} works in {}'s record; flagged (medium or high):", a.works.len(), a.display_name);
    for w in a.works.iter().filter(|w| w.severity >= Severity::Medium) {
        let reason = w.findings.first().and_then(|f| f.reasons.first()).cloned().unwrap_or_default();
        outln!("   #{:<3} {:<6} {:.2}  {}", w.rank, w.severity.as_str(), w.score, w.title.as_deref().unwrap_or(""));
        outln!("              {reason}");
    }
    outln!(
        "3. planted truth: {} of {} planted works flagged; {} genuine works flagged",
        run.planted_flagged,
        run.truth.planted_dois.len(),
        run.genuine_flagged
    );
    outln!("report: {}", run.report.display());
    if args.open {
        open_in_browser(&run.report);
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
