//! `byline`: audit who is on a paper's byline and why.
//!
//! The binary is a thin layer: argument parsing, progress, output formats and exit codes. Every capability
//! lives in a library crate under `crates/` (see `ARCHITECTURE.md`).

mod cmd;

use byline_term::{exit, output, progress};

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Audit who is on a paper's byline and why: unintended co-authorship, anomalous affiliations, paper-mill
/// products.
#[derive(Debug, Parser)]
#[command(name = "byline", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    /// Print nothing but results and errors (no progress bars).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = "\
Examples:
  byline audit --orcid 0000-0002-1825-0097 --fetch --report audit.html
                                                     an integrity officer's path: from an ORCID iD to a report
                                                     (OpenAlex, Crossref, PubMed and ORCID, cached)
  byline demo                                        the main job on the bundled sample (datasets/sample)
  byline ingest ~/pubmed/baseline/ --out corpus/     read PubMed/JATS/Crossref/OpenAlex/… into Parquet
  byline stats corpus/                               counts and field coverage per source
  byline scan --corpus corpus/                       paper-mill detectors over a corpus (families, flags)
  byline screen paper.xml --index corpus.bylidx      a submission's verdict against `byline index` output
  byline serve --index corpus.bylidx                 the same over HTTP for an editorial system

Benchmarks and the synthetic-corpus generator are a separate binary, byline-bench
(cargo build --release -p byline-bench): byline-bench ingest, byline-bench generate --out sample/.

Exit codes: 0 success; 1 error; 2 usage error; 3 finished, but records were rejected or files failed
(ingest) or a threshold was crossed (screen, audit).";

#[derive(Debug, Subcommand)]
enum Command {
    Demo(cmd::demo::Args),
    // Boxed: the audit's options (corpus, disclosure, lists, fetch) make it far larger than the other verbs.
    Audit(Box<cmd::audit::Args>),
    Fetch(cmd::fetch::Args),
    Ingest(cmd::ingest::Args),
    Stats(cmd::stats::Args),
    Lists(cmd::lists::Args),
    Explain(cmd::explain::Args),
    Scan(cmd::scan::Args),
    Index(cmd::index::Args),
    Screen(cmd::screen::Args),
    Serve(cmd::serve::Args),
    Report(cmd::report::Args),
    Network(cmd::network::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = progress::Context { quiet: cli.quiet };
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args, &ctx),
        Command::Audit(args) => cmd::audit::run(*args, &ctx),
        Command::Fetch(args) => cmd::fetch::run(args, &ctx),
        Command::Ingest(args) => cmd::ingest::run(args, &ctx),
        Command::Stats(args) => cmd::stats::run(args, &ctx),
        Command::Lists(args) => cmd::lists::run(args, &ctx),
        Command::Explain(args) => cmd::explain::run(args, &ctx),
        Command::Scan(args) => cmd::scan::run(args, &ctx),
        Command::Index(args) => cmd::index::run(args, &ctx),
        Command::Screen(args) => cmd::screen::run(args, &ctx),
        Command::Serve(args) => cmd::serve::run(args, &ctx),
        Command::Report(args) => cmd::report::run(args, &ctx),
        Command::Network(args) => cmd::network::run(args, &ctx),
    };
    byline_term::finish("byline", result)
}
