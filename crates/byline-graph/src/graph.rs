//! Co-authorship graph (persons, one weighted edge per pair with the years they published together) and the
//! institution and country graphs derived from the same works; connected components and Leiden communities.
//!
//! Nodes and edges are inserted in sorted order, so the same works give the same graph, node indices and all.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    #[error("not a graph: {0}")]
    Invalid(String),
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
        // The CSR graph leiden-rs runs on, built straight from the edges (as `leiden_communities` does through
        // a petgraph copy): the same edges in the same order, so the same partition.
        let (membership, modularity) = if self.graph.edge_count() == 0 {
            (((0..self.graph.node_count()).collect()), 0.0)
        } else {
            let mut builder = leiden_rs::GraphDataBuilder::new(self.graph.node_count());
            for e in self.graph.edge_references() {
                builder
                    .add_edge(e.source().index(), e.target().index(), f64::from(e.weight().works))
                    .map_err(|e| GraphError::Community(e.to_string()))?;
            }
            let data = builder.build().map_err(|e| GraphError::Community(e.to_string()))?;
            leiden_on(&data, seed)?
        };
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

    /// A graph from its nodes and its aggregated edges `(id a, id b, shared works)`, computed elsewhere (the
    /// Spark job aggregates the co-author edges in a shuffle): nodes are inserted in id order and edges in
    /// (a, b) order, as [`coauthor_graph`] inserts them, so the same nodes and edges give the same graph and
    /// the same communities. An edge must name two different nodes, each pair once; else an error.
    pub fn from_nodes_and_edges(
        nodes: Vec<GraphNode>,
        edges: Vec<(String, String, SharedWorks)>,
    ) -> Result<CollaborationGraph, GraphError> {
        let mut nodes = nodes;
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(GraphError::Invalid(format!("node '{}' given twice", w[0].id)));
        }
        let mut out = CollaborationGraph::default();
        out.graph.reserve_nodes(nodes.len());
        for n in nodes {
            let id = n.id.clone();
            let i = out.graph.add_node(n);
            out.index.insert(id, i);
        }
        let mut ranked = Vec::with_capacity(edges.len());
        for (a, b, shared) in edges {
            let (Some(x), Some(y)) = (out.node(&a), out.node(&b)) else {
                return Err(GraphError::Invalid(format!("edge '{a}' – '{b}' names a node that is not given")));
            };
            if x == y {
                return Err(GraphError::Invalid(format!("edge '{a}' – '{b}' is a loop")));
            }
            ranked.push((x.min(y), x.max(y), shared));
        }
        ranked.sort_by_key(|(x, y, _)| (*x, *y));
        if let Some(w) = ranked.windows(2).find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            let g = &out.graph;
            return Err(GraphError::Invalid(format!("edge '{}' – '{}' given twice", g[w[0].0].id, g[w[0].1].id)));
        }
        out.graph.reserve_edges(ranked.len());
        for (x, y, shared) in ranked {
            out.graph.add_edge(x, y, shared);
        }
        Ok(out)
    }

    /// Builds a graph from per-work node lists: `(work year, [(node id, label)])`. Node ids are interned to
    /// their rank in sorted order and the edges are one sorted integer list `(a, b, year)`, aggregated in one
    /// pass: the same graph (node order, edge order, weights, years) as keyed maps of strings, without them.
    fn from_work_nodes(per_work: Vec<WorkNodes>, max_nodes_per_work: usize) -> Self {
        let mut per_work = per_work;
        // Each work's nodes sorted and de-duplicated (the first label of an id, in sorted order).
        for (_, list) in &mut per_work {
            list.sort();
            list.dedup_by(|a, b| a.0 == b.0);
        }
        // Nodes: ids in sorted order, the label of the first work naming each, the number of works.
        let mut first_seen: Vec<(&str, usize, &str)> = Vec::new();
        for (w, (_, list)) in per_work.iter().enumerate() {
            first_seen.extend(list.iter().map(|(id, label)| (id.as_str(), w, label.as_str())));
        }
        first_seen.sort_unstable();
        let mut ids: Vec<&str> = Vec::new();
        let mut labels: Vec<&str> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        for group in first_seen.chunk_by(|a, b| a.0 == b.0) {
            ids.push(group[0].0);
            labels.push(group[0].2);
            counts.push(u32::try_from(group.len()).unwrap_or(u32::MAX));
        }
        let rank = |id: &str| ids.binary_search(&id).ok();
        let ranked: Vec<(Option<i32>, Vec<u32>)> = per_work
            .iter()
            .map(|(year, list)| (*year, list.iter().filter_map(|(id, _)| rank(id)).map(|r| r as u32).collect()))
            .collect();
        CollaborationGraph::from_ranked(&ids, &labels, &counts, &ranked, max_nodes_per_work)
    }

    /// Builds a graph from nodes in id order (`ids`, `labels`, `counts` by rank) and per-work lists of ranks,
    /// ascending and distinct: every pair of a work with at most `max_nodes_per_work` nodes is an edge, and
    /// the edges are one sorted integer list `(a, b, year)` aggregated in one pass.
    fn from_ranked(
        ids: &[&str],
        labels: &[&str],
        counts: &[u32],
        per_work: &[(Option<i32>, Vec<u32>)],
        max_nodes_per_work: usize,
    ) -> Self {
        // Pairs bucketed by their first node (a counting sort), then each bucket sorted: the edge list in
        // (a, b) order without sorting all pairs at once.
        let kept = || per_work.iter().filter(|(_, ranks)| ranks.len() <= max_nodes_per_work);
        let mut start = vec![0usize; ids.len() + 1];
        for (_, ranks) in kept() {
            for (i, a) in ranks.iter().enumerate() {
                start[*a as usize + 1] += ranks.len() - i - 1;
            }
        }
        for i in 0..ids.len() {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut pairs: Vec<(u32, Option<i32>)> = vec![(0, None); start[ids.len()]];
        for (year, ranks) in kept() {
            for (i, a) in ranks.iter().enumerate() {
                for b in &ranks[i + 1..] {
                    pairs[fill[*a as usize]] = (*b, *year);
                    fill[*a as usize] += 1;
                }
            }
        }
        let mut out = CollaborationGraph::default();
        out.graph.reserve_nodes(ids.len());
        for ((id, label), works) in ids.iter().zip(labels).zip(counts) {
            let n = out.graph.add_node(GraphNode { id: (*id).to_owned(), label: (*label).to_owned(), works: *works });
            out.index.insert((*id).to_owned(), n);
        }
        for a in 0..ids.len() {
            let bucket = &mut pairs[start[a]..start[a + 1]];
            bucket.sort_unstable();
            for group in bucket.chunk_by(|x, y| x.0 == y.0) {
                let shared = SharedWorks {
                    works: u32::try_from(group.len()).unwrap_or(u32::MAX),
                    years: group.iter().filter_map(|p| p.1).collect(),
                };
                out.graph.add_edge(NodeIndex::new(a), NodeIndex::new(group[0].0 as usize), shared);
            }
        }
        out
    }
}

/// The co-authorship graph: one node per person id of `resolution`, one edge per pair sharing works.
pub fn coauthor_graph(works: &[Work], resolution: &Resolution, max_authors_per_work: usize) -> CollaborationGraph {
    let year_of: BTreeMap<&str, Option<i32>> =
        works.iter().map(|w| (w.work_id.as_str(), w.date.map(|d| d.year))).collect();
    // (person id, work id, display name) of every assignment, sorted: a person's first work (and its
    // smallest name there) comes first, as when each work's (person, name) list is sorted and read in work order.
    let mut seen: Vec<(&str, &str, &str)> = resolution
        .assignments
        .iter()
        .map(|a| (a.person_id.as_str(), a.work_id.as_str(), a.display_name.as_str()))
        .collect();
    seen.sort_unstable();
    let mut ids: Vec<&str> = Vec::new();
    let mut labels: Vec<&str> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    for person in seen.chunk_by(|a, b| a.0 == b.0) {
        ids.push(person[0].0);
        labels.push(person[0].2);
        let mut works_of: Vec<&str> = person.iter().map(|p| p.1).collect();
        works_of.dedup();
        counts.push(u32::try_from(works_of.len()).unwrap_or(u32::MAX));
    }
    let rank: HashMap<&str, u32> = ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
    // Each work's persons as ranks, ascending and distinct, in work id order.
    let mut by_work: Vec<(&str, u32)> = resolution
        .assignments
        .iter()
        .filter_map(|a| Some((a.work_id.as_str(), *rank.get(a.person_id.as_str())?)))
        .collect();
    by_work.sort_unstable();
    by_work.dedup();
    let per_work: Vec<(Option<i32>, Vec<u32>)> = by_work
        .chunk_by(|a, b| a.0 == b.0)
        .map(|w| (year_of.get(w[0].0).copied().flatten(), w.iter().map(|p| p.1).collect()))
        .collect();
    CollaborationGraph::from_ranked(&ids, &labels, &counts, &per_work, max_authors_per_work)
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
    leiden_on(&data, seed)
}

/// Leiden (modularity, seeded) on leiden-rs's CSR graph: (membership by node index, modularity).
fn leiden_on(data: &leiden_rs::GraphData, seed: u64) -> Result<(Vec<usize>, f64), GraphError> {
    let config = leiden_rs::LeidenConfig::builder().seed(seed).build();
    let output = leiden_rs::Leiden::new(config).run(data).map_err(|e| GraphError::Community(e.to_string()))?;
    let modularity = leiden_rs::compute_modularity(data, &output.partition);
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

    /// Nodes (id, label, works) and edges (a id, b id, works, years) of a graph, in index order.
    type Listing = (Vec<(String, String, u32)>, Vec<(String, String, u32, Vec<i32>)>);

    fn listing(g: &CollaborationGraph) -> Listing {
        let nodes = g.graph.node_weights().map(|n| (n.id.clone(), n.label.clone(), n.works)).collect();
        let edges = g
            .graph
            .edge_references()
            .map(|e| {
                let w = e.weight();
                (g.graph[e.source()].id.clone(), g.graph[e.target()].id.clone(), w.works, w.years.clone())
            })
            .collect();
        (nodes, edges)
    }

    /// The integer-edge construction gives the graph that keyed maps of strings give: same node order, labels
    /// and counts, same edges in the same order with the same works and years (a reference written the
    /// straightforward way, on works with repeated persons, missing years and an over-long byline).
    #[test]
    fn coauthor_graph_matches_string_map_reference() {
        use crate::identity::{IdentityOptions, resolve_identities};
        use byline_model::{Author, PubDate, Work};
        let names = ["Kim J", "Park M", "Lee S", "Choi Y", "Wang W", "Li N", "Sato A", "Ito K"];
        let mut works = Vec::new();
        for i in 0..60usize {
            let mut authors: Vec<Author> = (0..(2 + i % 5))
                .map(|k| {
                    let (family, given) = names[(i * 3 + k * 5) % names.len()].split_once(' ').unwrap_or(("X", "Y"));
                    Author {
                        raw_name: format!("{given} {family}"),
                        family: Some(family.to_owned()),
                        given: Some(given.to_owned()),
                        ..Author::default()
                    }
                })
                .collect();
            if i % 7 == 0 {
                authors.push(authors[0].clone());
            }
            let date = (i % 4 != 0).then(|| PubDate { year: 2000 + (i % 9) as i32, ..PubDate::default() });
            works.push(Work { work_id: format!("w{:03}", (i * 37) % 60), authors, date, ..Work::default() });
        }
        let resolution = resolve_identities(&works, &IdentityOptions::default());
        for max in [100, 4] {
            // The reference: BTreeMaps keyed by strings, as before issue 20.
            let mut by_work: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
            for a in &resolution.assignments {
                by_work.entry(a.work_id.as_str()).or_default().push((a.person_id.clone(), a.display_name.clone()));
            }
            let year_of: BTreeMap<&str, Option<i32>> =
                works.iter().map(|w| (w.work_id.as_str(), w.date.map(|d| d.year))).collect();
            let mut nodes: BTreeMap<String, (String, u32)> = BTreeMap::new();
            let mut edges: BTreeMap<(String, String), (u32, Vec<i32>)> = BTreeMap::new();
            for (work_id, mut list) in by_work {
                list.sort();
                list.dedup_by(|a, b| a.0 == b.0);
                for (id, label) in &list {
                    nodes.entry(id.clone()).or_insert_with(|| (label.clone(), 0)).1 += 1;
                }
                if list.len() > max {
                    continue;
                }
                for (i, (a, _)) in list.iter().enumerate() {
                    for (b, _) in &list[i + 1..] {
                        let e = edges.entry((a.clone(), b.clone())).or_default();
                        e.0 += 1;
                        e.1.extend(year_of.get(work_id).copied().flatten());
                    }
                }
            }
            let expected_nodes: Vec<_> = nodes.into_iter().map(|(id, (label, n))| (id, label, n)).collect();
            let expected_edges: Vec<_> = edges
                .into_iter()
                .map(|((a, b), (n, mut years))| {
                    years.sort_unstable();
                    (a, b, n, years)
                })
                .collect();
            let (got_nodes, got_edges) = listing(&coauthor_graph(&works, &resolution, max));
            assert!(expected_edges.len() > 10, "the fixture has edges");
            assert_eq!(got_nodes, expected_nodes);
            assert_eq!(got_edges, expected_edges);
        }
    }
}
