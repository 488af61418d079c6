//! `byline-bench`: byline's benchmark suites and its synthetic-corpus generator, a binary of their own so that
//! the `byline` release binary links no generator. One subcommand per suite (`byline-bench ingest --size
//! 30000`), with the options every suite shares, plus `byline-bench generate`.

use std::process::ExitCode;

use byline_bench::generate;
use byline_bench::suites::{self, Suite};
use byline_term::progress;
use clap::{Parser, Subcommand};

/// byline's benchmark suites (wall time, records/s, MB/s, peak memory, quality figures against planted truth)
/// and the synthetic-corpus generator they run on.
#[derive(Debug, Parser)]
#[command(name = "byline-bench", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    /// Print nothing but results and errors (no progress bars).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = "\
Examples:
  byline-bench ingest --size 30000 --peers           reader speed against the raw XML limit, with the Python peers
  byline-bench audit --size 1000                     the researcher audit on planted truth
  byline-bench minhash --sizes 10000,100000          a scaling curve (CSV and SVG)
  byline-bench papermill --format json               template families and MIL001 on planted and real labels
  byline-bench generate --out sample/ --seed 7       a synthetic corpus with planted ground truth

Exit codes: 0 success; 1 error; 2 usage error; 3 finished, but a quality figure missed its bar.";

#[derive(Debug, Subcommand)]
enum Command {
    /// Reader throughput against the raw limit (gzip decode + XML tokenize), and full parallel ingest.
    Ingest(suites::Args),
    /// Template families planted by the generator: family recall and precision of `find_families`; MIL001 on
    /// the shared data's labels when present.
    Papermill(suites::Args),
    /// The full `byline scan` pipeline over a generated corpus of --size works: records/s, peak RSS.
    Scan(suites::Args),
    /// byline-detect MinHash/LSH near-duplicates with planted truth (recall); peers: datasketch, rensa.
    Minhash(suites::Args),
    /// Identity resolution + co-author graph + components + Leiden; peers: networkx, python-igraph.
    Graph(suites::Args),
    /// Planted undisclosed affiliations/funders and list-organisation co-authorships: list-match precision and
    /// recall, disclosure findings, matching speed against all lists and against ROR (--strings N).
    Affiliations(suites::Args),
    /// The researcher audit on planted truth. Here `--size` is the number of researchers (≈ 60 works each):
    /// use e.g. `--size 1000`.
    Audit(suites::Args),
    /// `byline serve` under load on loopback against `byline screen` run once per submission (needs the
    /// `byline` binary: beside this one, or BYLINE_BIN).
    Serve(suites::Args),
    /// A synthetic corpus (PubMed XML, OpenAlex and Crossref JSONL, gzipped) from a seed, with planted truth.
    Generate(generate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = progress::Context { quiet: cli.quiet };
    let result = match cli.command {
        Command::Generate(args) => generate::run(args, &ctx),
        Command::Ingest(args) => suites::run(Suite::Ingest, args, &ctx),
        Command::Papermill(args) => suites::run(Suite::Papermill, args, &ctx),
        Command::Scan(args) => suites::run(Suite::Scan, args, &ctx),
        Command::Minhash(args) => suites::run(Suite::Minhash, args, &ctx),
        Command::Graph(args) => suites::run(Suite::Graph, args, &ctx),
        Command::Affiliations(args) => suites::run(Suite::Affiliations, args, &ctx),
        Command::Audit(args) => suites::run(Suite::Audit, args, &ctx),
        Command::Serve(args) => suites::run(Suite::Serve, args, &ctx),
    };
    byline_term::finish("byline-bench", result)
}
