//! `byline network`: co-authorship, institution and country graphs for Gephi and VOSviewer.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_app::network::{NetworkKind, build_network, write_network};

use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Export a collaboration graph of a corpus for the tools analysts already use: GraphML and GEXF (Gephi),
/// VOSviewer map + network files. Nodes carry their number of works and a Leiden community (`cluster`).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline network --corpus corpus/ --kind coauthor --out coauthors.gexf\n  \
    byline network --corpus corpus/ --kind country --out countries.graphml\n  \
    byline network --corpus corpus/ --kind institution --out inst.vosviewer   (writes inst.map.txt + inst.network.txt)")]
pub struct Args {
    /// A corpus written by `byline ingest`.
    #[arg(long)]
    pub corpus: PathBuf,
    /// Which graph: persons (identities resolved first), institutions or countries.
    #[arg(long, value_enum, default_value_t = Kind::Coauthor)]
    pub kind: Kind,
    /// Output file; the extension picks the format: .graphml, .gexf, or .vosviewer (two files: STEM.map.txt
    /// and STEM.network.txt).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Seed of the community detection (same seed, same clusters).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Coauthor,
    Institution,
    Country,
}

impl From<Kind> for NetworkKind {
    fn from(k: Kind) -> NetworkKind {
        match k {
            Kind::Coauthor => NetworkKind::Coauthor,
            Kind::Institution => NetworkKind::Institution,
            Kind::Country => NetworkKind::Country,
        }
    }
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let run = build_network(&args.corpus, args.kind.into(), args.seed)?;
    let written = write_network(&run.network, &args.out)?;
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    match args.format {
        OutputFormat::Json => {
            let mut summary = serde_json::to_value(&run)?;
            summary["files"] = serde_json::json!(files);
            print_json(&summary)?
        }
        OutputFormat::Text => outln!(
            "{} nodes, {} edges, {} components, {} communities (modularity {:.3}) → {}",
            run.nodes,
            run.edges,
            run.components,
            run.communities.map_or_else(|| "null".to_owned(), |c| c.to_string()),
            run.modularity.unwrap_or(f64::NAN),
            files.join(", ")
        ),
    }
    Ok(ExitCode::SUCCESS)
}
