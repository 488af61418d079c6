//! `byline network`: co-authorship, institution and country graphs for Gephi and VOSviewer.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use byline_corpus::{CorpusReader, WorkFilter};
use byline_graph::graph::{
    CollaborationGraph, DEFAULT_MAX_AUTHORS_PER_WORK, coauthor_graph, country_graph, institution_graph,
};
use byline_graph::identity::{IdentityOptions, resolve_identities};
use byline_report::{AttrValue, Edge, Network, Node};
use petgraph::visit::EdgeRef;

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

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let works = CorpusReader::open(&args.corpus)?.works(&WorkFilter::All)?;
    let graph = match args.kind {
        Kind::Coauthor => {
            let resolution = resolve_identities(&works, &IdentityOptions::default());
            coauthor_graph(&works, &resolution, DEFAULT_MAX_AUTHORS_PER_WORK)
        }
        Kind::Institution => institution_graph(&works),
        Kind::Country => country_graph(&works),
    };
    let communities = graph.communities(args.seed).ok();
    let network = to_network(&graph, communities.as_ref().map(|c| &c.membership));
    let ext = args.out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let mut written = Vec::new();
    match ext.as_str() {
        "graphml" => {
            std::fs::write(&args.out, network.to_graphml())?;
            written.push(args.out.clone());
        }
        "gexf" => {
            std::fs::write(&args.out, network.to_gexf())?;
            written.push(args.out.clone());
        }
        "vosviewer" | "txt" => {
            let map = args.out.with_extension("map.txt");
            let net = args.out.with_extension("network.txt");
            std::fs::write(&map, network.to_vosviewer_map())?;
            std::fs::write(&net, network.to_vosviewer_network())?;
            written.extend([map, net]);
        }
        other => anyhow::bail!("unknown network format '.{other}': use .graphml, .gexf or .vosviewer"),
    }
    let summary = serde_json::json!({
        "nodes": network.nodes.len(),
        "edges": network.edges.len(),
        "components": graph.connected_components().len(),
        "communities": communities.as_ref().map(|c| c.count),
        "modularity": communities.as_ref().map(|c| c.modularity),
        "files": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    match args.format {
        OutputFormat::Json => print_json(&summary)?,
        OutputFormat::Text => outln!(
            "{} nodes, {} edges, {} components, {} communities (modularity {:.3}) → {}",
            network.nodes.len(),
            network.edges.len(),
            summary["components"],
            summary["communities"],
            summary["modularity"].as_f64().unwrap_or(f64::NAN),
            written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Converts a collaboration graph into the exporters' network, nodes and edges in a stable order.
fn to_network(graph: &CollaborationGraph, membership: Option<&BTreeMap<String, usize>>) -> Network {
    let g = &graph.graph;
    let mut nodes: Vec<Node> = g
        .node_indices()
        .map(|i| {
            let n = &g[i];
            let mut attrs = BTreeMap::new();
            attrs.insert("works".to_owned(), AttrValue::Int(i64::from(n.works)));
            if let Some(c) = membership.and_then(|m| m.get(&n.id)) {
                attrs.insert("cluster".to_owned(), AttrValue::Int(*c as i64 + 1));
            }
            Node { id: n.id.clone(), label: n.label.clone(), attrs }
        })
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<Edge> = g
        .edge_references()
        .map(|e| {
            let (a, b) = (&g[e.source()].id, &g[e.target()].id);
            let (source, target) = if a <= b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
            Edge { source, target, weight: f64::from(e.weight().works) }
        })
        .collect();
    edges.sort_by(|a, b| a.source.cmp(&b.source).then(a.target.cmp(&b.target)));
    Network { nodes, edges }
}
