//! Co-authorship graph (persons, one weighted edge per pair with the years they published together) and the
//! institution and country graphs derived from the same works; connected components and Leiden communities.
//!
//! Nodes and edges are inserted in sorted order, so the same works give the same graph, node indices and all.

use std::collections::{BTreeMap, BTreeSet};

use byline_model::Work;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::identity::Resolution;
use byline_norm::{affiliation_country_code, institution_key};

/// Works with more authors than this add no co-author edges: a 3,000-author physics paper says nothing about
/// who works with whom, and would add millions of edges. 100 follows Cronin (2001), "Hyperauthorship".
pub const DEFAULT_MAX_AUTHORS_PER_WORK: usize = 100;

/// A node: a person, an institution or a country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    /// Person id, institution label or ISO country code.
    pub id: String,
    /// A display name (the first one seen, in work-id order).
    pub label: String,
    /// Works this node appears on.
    pub works: u32,
}

/// An edge: how many works two nodes share, and in which years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedWorks {
    pub works: u32,
    /// Publication years of the shared works, sorted, with repeats (one per work with a date).
    pub years: Vec<i32>,
}

/// One work's year and its (node id, label) list.
type WorkNodes = (Option<i32>, Vec<(String, String)>);

/// An undirected weighted graph over persons, institutions or countries.
#[derive(Debug, Clone, Default)]
pub struct CollaborationGraph {
    pub graph: UnGraph<GraphNode, SharedWorks>,
    index: BTreeMap<String, NodeIndex>,
}

/// Community structure found by Leiden (modularity quality, resolution 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Communities {
    /// Node id → community number (communities numbered by decreasing size, ties by smallest member id).
    pub membership: BTreeMap<String, usize>,
    pub count: usize,
    /// Newman-Girvan modularity of the partition (γ = 1).
    pub modularity: f64,
}

/// Errors from community detection.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("community detection failed: {0}")]
    Community(String),
}

impl CollaborationGraph {
    /// The node of an id, if present.
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Connected components as sorted id lists, largest first (ties: smallest first id).
    pub fn connected_components(&self) -> Vec<Vec<String>> {
        let mut sets = UnionFind::<usize>::new(self.graph.node_count());
        for e in self.graph.edge_references() {
            sets.union(e.source().index(), e.target().index());
        }
        let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for n in self.graph.node_indices() {
            groups.entry(sets.find(n.index())).or_default().push(self.graph[n].id.clone());
        }
        let mut out: Vec<Vec<String>> = groups
            .into_values()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.first().cmp(&b.first())));
        out
    }

    /// Leiden communities (seeded, so deterministic), weighted by shared works.
    pub fn communities(&self, seed: u64) -> Result<Communities, GraphError> {
        let weighted = self.graph.map(|_, _| (), |_, e| f64::from(e.works));
        let (membership, modularity) = leiden_communities(&weighted, seed)?;
        let mut by_community: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for n in self.graph.node_indices() {
            let c = membership.get(n.index()).copied().unwrap_or(usize::MAX);
            by_community.entry(c).or_default().push(self.graph[n].id.clone());
        }
        let mut groups: Vec<Vec<String>> = by_community
            .into_values()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.first().cmp(&b.first())));
        let count = groups.len();
        let membership =
            groups.into_iter().enumerate().flat_map(|(c, g)| g.into_iter().map(move |id| (id, c))).collect();
        Ok(Communities { membership, count, modularity })
    }

    /// Builds a graph from per-work node lists: `(work year, [(node id, label)])`.
    fn from_work_nodes(per_work: Vec<WorkNodes>, max_nodes_per_work: usize) -> Self {
        let mut nodes: BTreeMap<String, (String, u32)> = BTreeMap::new();
        let mut edges: BTreeMap<(String, String), SharedWorks> = BTreeMap::new();
        for (year, mut list) in per_work {
            list.sort();
            list.dedup_by(|a, b| a.0 == b.0);
            for (id, label) in &list {
                let entry = nodes.entry(id.clone()).or_insert_with(|| (label.clone(), 0));
                entry.1 += 1;
            }
            if list.len() > max_nodes_per_work {
                continue;
            }
            for (i, (a, _)) in list.iter().enumerate() {
                for (b, _) in &list[i + 1..] {
                    let edge =
                        edges.entry((a.clone(), b.clone())).or_insert(SharedWorks { works: 0, years: Vec::new() });
                    edge.works += 1;
                    if let Some(y) = year {
                        edge.years.push(y);
                    }
                }
            }
        }
        let mut out = CollaborationGraph::default();
        for (id, (label, works)) in nodes {
            let n = out.graph.add_node(GraphNode { id: id.clone(), label, works });
            out.index.insert(id, n);
        }
        for ((a, b), mut shared) in edges {
            shared.years.sort_unstable();
            if let (Some(na), Some(nb)) = (out.index.get(&a), out.index.get(&b)) {
                out.graph.add_edge(*na, *nb, shared);
            }
        }
        out
    }
}

/// The co-authorship graph: one node per person id of `resolution`, one edge per pair sharing works.
pub fn coauthor_graph(works: &[Work], resolution: &Resolution, max_authors_per_work: usize) -> CollaborationGraph {
    let mut by_work: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for a in &resolution.assignments {
        by_work.entry(a.work_id.as_str()).or_default().push((a.person_id.clone(), a.display_name.clone()));
    }
    let year_of: BTreeMap<&str, Option<i32>> =
        works.iter().map(|w| (w.work_id.as_str(), w.date.map(|d| d.year))).collect();
    let per_work = by_work.into_iter().map(|(work_id, list)| (year_of.get(work_id).copied().flatten(), list)).collect();
    CollaborationGraph::from_work_nodes(per_work, max_authors_per_work)
}

/// Institutions linked when they appear on one work ([`institution_key`] of every affiliation).
pub fn institution_graph(works: &[Work]) -> CollaborationGraph {
    derived_graph(works, |a| institution_key(a).map(|l| (l.clone(), l)))
}

/// Countries linked when they appear on one work (ISO alpha-2 codes).
pub fn country_graph(works: &[Work]) -> CollaborationGraph {
    derived_graph(works, |a| affiliation_country_code(a).map(|c| (c.clone(), c)))
}

fn derived_graph(
    works: &[Work],
    node_of: impl Fn(&byline_model::Affiliation) -> Option<(String, String)>,
) -> CollaborationGraph {
    let mut sorted: Vec<&Work> = works.iter().collect();
    sorted.sort_by(|a, b| a.work_id.cmp(&b.work_id));
    let per_work = sorted
        .into_iter()
        .map(|w| {
            let set: BTreeSet<(String, String)> =
                w.authors.iter().flat_map(|a| a.affiliations.iter()).filter_map(&node_of).collect();
            (w.date.map(|d| d.year), set.into_iter().collect())
        })
        .collect();
    CollaborationGraph::from_work_nodes(per_work, usize::MAX)
}

/// Leiden (modularity, γ = 1, seeded) on a weighted undirected graph: (community of each node index, modularity).
pub fn leiden_communities(graph: &UnGraph<(), f64>, seed: u64) -> Result<(Vec<usize>, f64), GraphError> {
    if graph.node_count() == 0 {
        return Ok((Vec::new(), 0.0));
    }
    if graph.edge_count() == 0 {
        return Ok(((0..graph.node_count()).collect(), 0.0));
    }
    let data = leiden_rs::from_petgraph(graph).map_err(|e| GraphError::Community(e.to_string()))?;
    let config = leiden_rs::LeidenConfig::builder().seed(seed).build();
    let output = leiden_rs::Leiden::new(config).run(&data).map_err(|e| GraphError::Community(e.to_string()))?;
    let modularity = leiden_rs::compute_modularity(&data, &output.partition);
    Ok((output.partition.as_slice().to_vec(), modularity))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_of(n: usize, edges: &[(usize, usize)]) -> UnGraph<(), f64> {
        let mut g = UnGraph::<(), f64>::new_undirected();
        let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
        for (a, b) in edges {
            g.add_edge(nodes[*a], nodes[*b], 1.0);
        }
        g
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = Vec::new();
        for base in [0, 5] {
            for i in 0..5 {
                for j in i + 1..5 {
                    edges.push((base + i, base + j));
                }
            }
        }
        edges.push((4, 5));
        let (membership, modularity) = leiden_communities(&graph_of(10, &edges), 7).expect("leiden");
        assert_eq!(membership[0], membership[4]);
        assert_eq!(membership[5], membership[9]);
        assert_ne!(membership[0], membership[5]);
        // Two K5 (10 edges each) plus a bridge: Q = 2 * (10/21 - (21/42)^2) = 0.452.
        assert!((modularity - 0.452).abs() < 0.001, "modularity {modularity}");
    }

    #[test]
    fn empty_and_edgeless_graphs_have_zero_modularity() {
        assert_eq!(leiden_communities(&graph_of(0, &[]), 1).expect("leiden").1, 0.0);
        assert_eq!(leiden_communities(&graph_of(3, &[]), 1).expect("leiden").0, vec![0, 1, 2]);
    }
}
