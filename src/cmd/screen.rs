//! `byline screen`: submissions → a verdict each, with reasons, against a prebuilt corpus index.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use byline_app::screen::{run_screen, verdict_name};
use byline_detect::Verdict;

use crate::exit;
use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Screen submissions for paper-mill signals against a corpus index (from `byline index`): near-duplicates
/// of the masked title + abstract in the corpus (and whether they share any author or institution with the
/// submission), tortured phrases (the index's lexicon), byline signals (webmail on an institutional byline,
/// many countries) and the classifier. Prints a verdict per submission (clear, review, flag) with reasons.
///
/// A submission is a JATS XML file (or any format `byline ingest` reads; its first record is screened) or a
/// JSON/TOML file with title, abstract, authors (name, affiliations, email, country), affiliations, emails.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline screen manuscript.xml --index corpus.bylidx\n  \
    byline screen submissions/*.json --index corpus.bylidx --format json\n  \
    byline screen manuscript.toml --index corpus.bylidx --fail-on review\n\n\
    A JSON submission:\n  {\"title\": \"…\", \"abstract\": \"…\",\n   \"authors\": [{\"name\": \"Wei Zhang\", \
    \"affiliations\": [\"Dept of Oncology, X University, China\"], \"email\": \"wz@x.edu.cn\", \"country\": \"CN\"}]}\n\n\
    Exit codes: 0 no submission reached --fail-on; 1 error; 3 at least one did (for editorial systems).")]
pub struct Args {
    /// Submission files: JATS XML (or another format byline reads), JSON or TOML.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// The corpus index (from `byline index`).
    #[arg(long)]
    pub index: PathBuf,
    /// The verdict at or above which byline exits 3.
    #[arg(long, value_enum, default_value_t = FailOn::Flag)]
    pub fail_on: FailOn,
    /// Paper-mill probability at or above which MIL001 is reported (0–1; the probability is stated at 2%
    /// prevalence). Default: none — the probability is always shown, but MIL001 flags nothing unless you set
    /// this, because no model passed byline's fairness gate: the ordinary PubMed papers the model flags at
    /// its own operating point (0.122, a 1% false-positive budget on PubMed controls; held out: TPR 0.81,
    /// precision 0.80 at 2% prevalence) have all had corresponding authors in China (held out 3 of 959,
    /// none of 3,259 elsewhere; out of fold 14 of 549, none of 822). See BENCHMARKS.md, MIL001.
    #[arg(long, value_parser = parse_probability)]
    pub mill_threshold: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub(crate) fn parse_probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("'{s}' is not a probability between 0 and 1")),
    }
}

/// The threshold verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Exit 3 when any submission needs review or is flagged.
    Review,
    /// Exit 3 when any submission is flagged.
    Flag,
}

impl FailOn {
    fn verdict(self) -> Verdict {
        match self {
            FailOn::Review => Verdict::Review,
            FailOn::Flag => Verdict::Flag,
        }
    }
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let level = args.fail_on.verdict();
    let run = run_screen(&args.index, &args.submissions, level, args.mill_threshold)?;
    let (index, open_ms, screened) = (&run.index, run.open_ms, &run.screened);
    let crossed = run.crossed();
    let total_ms = started.elapsed().as_secs_f64() * 1e3;
    match args.format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "index": args.index.display().to_string(),
            "indexed_works": index.work_count(),
            "fail_on": verdict_name(level),
            "crossed": crossed,
            "open_ms": open_ms,
            "elapsed_ms": total_ms,
            "submissions": screened,
        }))?,
        OutputFormat::Text => {
            for s in screened {
                outln!(
                    "{}: {} (score {:.2}; {:.1} ms)",
                    s.path,
                    verdict_name(s.result.verdict).to_uppercase(),
                    s.result.score,
                    s.elapsed_ms
                );
                if let Some(p) = s.result.probability {
                    outln!(
                        "    paper-mill probability {p:.3} at 2% prevalence ({}){}",
                        match s.result.mill_threshold {
                            Some(t) => format!("MIL001 at ≥ {t:.3}"),
                            None => "not a flag: no --mill-threshold".to_owned(),
                        },
                        if s.result.probability_reasons.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", s.result.probability_reasons.join("; "))
                        }
                    );
                }
                if s.result.reasons.is_empty() {
                    outln!("    no signal: no near-duplicate in the index, no tortured phrase, no byline signal");
                }
                for r in &s.result.reasons {
                    outln!("    {r}");
                }
            }
            outln!(
                "{} submission(s) screened against {} indexed works in {:.1} ms; {}",
                screened.len(),
                index.work_count(),
                total_ms,
                if crossed {
                    format!("at least one reached --fail-on {} (exit 3)", verdict_name(level))
                } else {
                    format!("none reached --fail-on {}", verdict_name(level))
                }
            );
            if index.lexicon().is_none() {
                outln!("note: the index has no tortured-phrase lexicon (rebuild it with `byline index --lexicon`)");
            }
        }
    }
    Ok(if crossed { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}
