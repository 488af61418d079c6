//! Screening submissions against a corpus index (`byline screen`, and the service's `/v1/screen`).

use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use byline_detect::{CorpusIndex, ScreenVerdict, Submission, Verdict, screen_with};
use byline_model::Work;
use byline_parse::{Event, read_path};
use serde::Serialize;

/// One submission's verdict, with the file it came from and how long it took.
#[derive(Debug, Serialize)]
pub struct Screened {
    pub path: String,
    /// Reading the submission and screening it, in milliseconds.
    pub elapsed_ms: f64,
    pub crosses_threshold: bool,
    #[serde(flatten)]
    pub result: ScreenVerdict,
}

/// Every submission screened, in the order given.
pub struct ScreenRun {
    pub index: CorpusIndex,
    /// Opening the index, in milliseconds.
    pub open_ms: f64,
    pub screened: Vec<Screened>,
}

impl ScreenRun {
    /// Whether any submission reached the `--fail-on` verdict.
    pub fn crossed(&self) -> bool {
        self.screened.iter().any(|s| s.crosses_threshold)
    }
}

/// Opens the index and screens each submission; `fail_on` is the verdict that counts as crossing.
pub fn run_screen(
    index: &Path,
    submissions: &[impl AsRef<Path>],
    fail_on: Verdict,
    mill_threshold: Option<f64>,
) -> anyhow::Result<ScreenRun> {
    let started = Instant::now();
    let index = CorpusIndex::open(index).context("opening the index (build it with `byline index`)")?;
    let open_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut screened = Vec::new();
    for path in submissions {
        let path = path.as_ref();
        let t = Instant::now();
        let work = read_submission(path)?;
        let result = screen_with(&work, &index, mill_threshold);
        screened.push(Screened {
            path: path.display().to_string(),
            elapsed_ms: t.elapsed().as_secs_f64() * 1e3,
            crosses_threshold: result.crosses(fail_on),
            result,
        });
    }
    Ok(ScreenRun { index, open_ms, screened })
}

/// The verdict's name as the CLI and the JSON output spell it.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Clear => "clear",
        Verdict::Review => "review",
        Verdict::Flag => "flag",
    }
}

/// A JSON or TOML submission by extension; anything else through the readers (JATS, PubMed…), first record.
pub fn read_submission(path: &Path) -> anyhow::Result<Work> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "json" || ext == "toml" {
        let submission = Submission::from_path(path)?;
        let mut work = submission.to_work();
        // Verdicts name the file, as for XML submissions.
        work.source.path = path.display().to_string();
        return Ok(work);
    }
    let mut first: Option<Work> = None;
    let mut problems = Vec::new();
    let summary = read_path(path, None, &mut |e| match e {
        Event::Work(w) if first.is_none() => first = Some(*w),
        Event::Rejected(d) => problems.push(d.to_string()),
        _ => {}
    });
    first.ok_or_else(|| {
        let why = summary
            .file_error
            .map(|d| d.to_string())
            .or(summary.skipped)
            .or_else(|| problems.first().cloned())
            .unwrap_or_else(|| "no record found".to_owned());
        anyhow::anyhow!("{}: not a readable submission: {why}", path.display())
    })
}
