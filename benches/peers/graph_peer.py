#!/usr/bin/env python3
"""networkx and python-igraph on the co-author graph byline's graph suite writes: seconds and modularity.

    graph_peer.py --nodes coauthor-nodes.tsv --edges coauthor-edges.tsv [--seed 7] [--only igraph,networkx]

`coauthor-nodes.tsv`: one line per node, `index<TAB>person id`; `coauthor-edges.tsv`: `a<TAB>b<TAB>works`
with node indices (weights = shared works). Each peer builds the weighted undirected graph from the lists
in memory, counts connected components, and runs Louvain (igraph `community_multilevel`, networkx
`louvain_communities`); igraph also runs Leiden (modularity objective), the algorithm byline uses. The
modularity of each partition is computed with edge weights, resolution 1. File reading is not timed.
"""

import argparse

from _common import Clock, emit, peak_rss_bytes, version


def read(nodes_path, edges_path):
    with open(nodes_path, encoding="utf-8") as f:
        n = sum(1 for line in f if line.strip())
    edges, weights = [], []
    with open(edges_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            edges.append((int(parts[0]), int(parts[1])))
            weights.append(float(parts[2]))
    return n, edges, weights


def run_igraph(n, edges, weights, seed):
    import random

    import igraph as ig

    random.seed(seed)
    ig.set_random_number_generator(random)
    # First-call set-up is not timed.
    warm = ig.Graph(n=3, edges=[(0, 1), (1, 2)])
    warm.community_multilevel()
    warm.community_leiden(objective_function="modularity")
    out = []
    clock = Clock()
    g = ig.Graph(n=n, edges=edges, directed=False)
    g.es["weight"] = weights
    t_build = clock.lap()
    components = len(g.connected_components())
    t_cc = clock.lap()
    ml = g.community_multilevel(weights="weight")
    t_comm = clock.lap()
    q = g.modularity(ml.membership, weights="weight")
    out.append(
        {
            "name": "igraph multilevel (Louvain)",
            "package": "python-igraph",
            "version": version("python-igraph"),
            "threads": 1,
            "seconds": t_build + t_cc + t_comm,
            "phases": {"build_s": t_build, "components_s": t_cc, "communities_s": t_comm},
            "nodes": g.vcount(),
            "edges": g.ecount(),
            "components": components,
            "communities": len(set(ml.membership)),
            "modularity": q,
        }
    )
    clock.lap()
    ld = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    t_leiden = clock.lap()
    out.append(
        {
            "name": "igraph Leiden (modularity)",
            "package": "python-igraph",
            "version": version("python-igraph"),
            "threads": 1,
            "seconds": t_build + t_cc + t_leiden,
            "phases": {"build_s": t_build, "components_s": t_cc, "communities_s": t_leiden},
            "nodes": g.vcount(),
            "edges": g.ecount(),
            "components": components,
            "communities": len(set(ld.membership)),
            "modularity": g.modularity(ld.membership, weights="weight"),
        }
    )
    return out


def run_networkx(n, edges, weights, seed):
    import networkx as nx

    clock = Clock()
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((a, b, w) for (a, b), w in zip(edges, weights))
    t_build = clock.lap()
    components = nx.number_connected_components(g)
    t_cc = clock.lap()
    parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
    t_comm = clock.lap()
    q = nx.community.modularity(g, parts, weight="weight")
    return [
        {
            "name": "networkx louvain_communities",
            "package": "networkx",
            "version": version("networkx"),
            "threads": 1,
            "seconds": t_build + t_cc + t_comm,
            "phases": {"build_s": t_build, "components_s": t_cc, "communities_s": t_comm},
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "components": components,
            "communities": len(parts),
            "modularity": q,
        }
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", required=True)
    ap.add_argument("--edges", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", default="igraph,networkx")
    args = ap.parse_args()
    n, edges, weights = read(args.nodes, args.edges)
    peers = []
    for key in [k.strip() for k in args.only.split(",") if k.strip()]:
        if key == "igraph":
            peers += run_igraph(n, edges, weights, args.seed)
        elif key == "networkx":
            peers += run_networkx(n, edges, weights, args.seed)
        else:
            raise SystemExit(f"unknown peer {key}")
    emit({"nodes": n, "edges": len(edges), "peers": peers, "peak_rss_bytes": peak_rss_bytes()})


if __name__ == "__main__":
    main()
