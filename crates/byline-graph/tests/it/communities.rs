use byline_graph::graph::leiden_communities;
use petgraph::graph::UnGraph;

/// Zachary's karate club (34 members, 78 edges; NetworkX `karate_club_graph()`, as shipped in leiden-rs).
const KARATE: &str = include_str!("data/karate.edgelist");

#[test]
fn karate_club_modularity_matches_published_optimum() {
    let mut g = UnGraph::<(), f64>::new_undirected();
    let nodes: Vec<_> = (0..34).map(|_| g.add_node(())).collect();
    for line in KARATE.lines() {
        let mut parts = line.split_whitespace().filter_map(|p| p.parse::<usize>().ok());
        if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
            g.add_edge(nodes[a], nodes[b], 1.0);
        }
    }
    assert_eq!(g.edge_count(), 78);
    let (membership, modularity) = leiden_communities(&g, 42).expect("leiden");
    // The maximum modularity of the karate club is 0.4198 (Brandes et al. 2008); networkx's Louvain finds
    // 0.41-0.42 depending on the seed.
    assert!((0.41..=0.4199).contains(&modularity), "modularity {modularity}");
    let communities: std::collections::BTreeSet<usize> = membership.iter().copied().collect();
    assert!((3..=5).contains(&communities.len()), "{} communities", communities.len());
    // The instructor (0) and the administrator (33) end up in different communities.
    assert_ne!(membership[0], membership[33]);
}
