//! Collaboration graphs of a corpus for Gephi and VOSviewer (`byline network`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use byline_corpus::{CorpusReader, WorkFields, WorkFilter};
use byline_graph::graph::{
    CollaborationGraph, DEFAULT_MAX_AUTHORS_PER_WORK, coauthor_graph, country_graph, institution_graph,
};
use byline_graph::identity::{IdentityOptions, resolve_identities};
use byline_report::{AttrValue, Edge, Network, Node};
use petgraph::visit::EdgeRef;

use crate::files::write_atomic;

/// Which graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkKind {
    /// Persons, identities resolved first.
    Coauthor,
    Institution,
    Country,
}

/// A graph ready to export, with its structure's figures.
#[derive(Debug, serde::Serialize)]
pub struct NetworkRun {
    #[serde(skip)]
    pub network: Network,
    pub nodes: usize,
    pub edges: usize,
    pub components: usize,
    /// Leiden communities and their modularity, when the graph has edges to cluster.
    pub communities: Option<usize>,
    pub modularity: Option<f64>,
}

/// What the graphs read of a work: the byline and the record; identity resolution also compares topics (MeSH,
/// keywords). The Spark job's co-author step reads the same.
pub const NETWORK_FIELDS: WorkFields =
    WorkFields { authors: true, affiliations: true, subject_terms: true, ..WorkFields::RECORD };

/// Builds the graph of every work of `corpus`; `seed` fixes the communities.
pub fn build_network(corpus: &Path, kind: NetworkKind, seed: u64) -> anyhow::Result<NetworkRun> {
    let mut works = Vec::new();
    CorpusReader::open(corpus)?.for_each_work_with(&WorkFilter::All, &NETWORK_FIELDS, |w| works.push(w))?;
    let graph = match kind {
        NetworkKind::Coauthor => {
            let resolution = resolve_identities(&works, &IdentityOptions::default());
            coauthor_graph(&works, &resolution, DEFAULT_MAX_AUTHORS_PER_WORK)
        }
        NetworkKind::Institution => institution_graph(&works),
        NetworkKind::Country => country_graph(&works),
    };
    Ok(network_of(&graph, seed))
}

/// The exporters' network of a graph, with its components and its Leiden communities (`seed`): what
/// [`build_network`] does once the graph is built (the Spark job builds the co-author graph from its
/// aggregated edges, [`CollaborationGraph::from_nodes_and_edges`], and finishes here).
pub fn network_of(graph: &CollaborationGraph, seed: u64) -> NetworkRun {
    let communities = graph.communities(seed).ok();
    let network = to_network(graph, communities.as_ref().map(|c| &c.membership));
    NetworkRun {
        nodes: network.nodes.len(),
        edges: network.edges.len(),
        components: graph.connected_components().len(),
        communities: communities.as_ref().map(|c| c.count),
        modularity: communities.as_ref().map(|c| c.modularity),
        network,
    }
}

/// Writes the network in the format `out`'s extension names: `.graphml`, `.gexf`, or `.vosviewer` (two files,
/// `STEM.map.txt` and `STEM.network.txt`). Returns the files written.
pub fn write_network(network: &Network, out: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    Ok(match ext.as_str() {
        "graphml" => {
            write_atomic(out, network.to_graphml().as_bytes())?;
            vec![out.to_path_buf()]
        }
        "gexf" => {
            write_atomic(out, network.to_gexf().as_bytes())?;
            vec![out.to_path_buf()]
        }
        "vosviewer" | "txt" => {
            let map = out.with_extension("map.txt");
            let net = out.with_extension("network.txt");
            write_atomic(&map, network.to_vosviewer_map().as_bytes())?;
            write_atomic(&net, network.to_vosviewer_network().as_bytes())?;
            vec![map, net]
        }
        other => anyhow::bail!("unknown network format '.{other}': use .graphml, .gexf or .vosviewer"),
    })
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
