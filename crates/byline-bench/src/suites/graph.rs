//! `byline-bench graph`: byline-graph's identity resolution, co-author graph, connected components and Leiden
//! communities on a generated PubMed corpus, against Python `networkx` and `python-igraph` (`--peers`) on the
//! same co-author graph.
//!
//! The corpus is the cached PubMed corpus of `byline-bench ingest` (or `--input` files), read through the
//! real reader; each work keeps what identity resolution reads (authors, title, venue, keywords, MeSH, date)
//! and drops the rest, so memory is the graph's, not the abstracts'. byline writes the graph it built as
//! `coauthor-nodes.tsv` (`index<TAB>person id`) and `coauthor-edges.tsv` (`a<TAB>b<TAB>shared works`) in the
//! cache dir; the peers build their graph from those lists in memory, then count components and run Louvain
//! (igraph multilevel and Leiden, networkx louvain_communities). Quality: identity resolution's pairwise
//! precision/recall against ORCID (hidden from the resolver), and the modularity of each partition.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use byline_graph::graph::DEFAULT_MAX_AUTHORS_PER_WORK;
use byline_graph::{CollaborationGraph, IdentityOptions, coauthor_graph, evaluate_against_orcid, resolve_identities};
use byline_model::{Format, Work};
use byline_parse::{Event, read_path};

use super::ingest::pubmed_inputs;
use super::peers::{peer_row, run_script, speed_note};
use super::{Args, Quality, Report, Row, cache_dir, peak_rss_bytes};

/// The row used for the scaling curve.
pub const SCALING_ROW: &str = "byline total (identities → Leiden)";
/// Identity resolution against ORCID on the generated corpus. Names come from fixed pools (~30 family
/// names per origin), so homonyms grow with the corpus (precision 0.98 at 2k works, 0.85 at 20k, where the naive
/// same-name baseline has 0.53): the bars are regression guards measured on this generator, not targets for
/// real data (see BENCHMARKS.md).
pub const PRECISION_BAR: f64 = 0.8;
pub const RECALL_BAR: f64 = 0.9;
/// byline's Leiden partition must reach this share of igraph multilevel's modularity on the same graph.
pub const MODULARITY_SHARE_BAR: f64 = 0.95;
/// Seed of the community detection.
const COMMUNITY_SEED: u64 = 7;

/// The works of the corpus, keeping only what identity resolution and the graph read.
fn read_works(files: &[PathBuf]) -> Vec<Work> {
    let mut works = Vec::new();
    for f in files {
        read_path(f, Some(Format::Pubmed), &mut |e| {
            if let Event::Work(mut w) = e {
                w.abstract_text = None;
                w.references = Vec::new();
                w.funding = Vec::new();
                w.acknowledgements = None;
                works.push(*w);
            }
        });
    }
    works
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let files = pubmed_inputs(args)?;
    let works = read_works(&files);
    anyhow::ensure!(!works.is_empty(), "bench graph needs PubMed inputs with works");
    let records = works.len() as u64;
    let threads = rayon::current_num_threads();
    let options = IdentityOptions::default();

    let started = Instant::now();
    let resolution = resolve_identities(&works, &options);
    let identity_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let graph = coauthor_graph(&works, &resolution, DEFAULT_MAX_AUTHORS_PER_WORK);
    let components = graph.connected_components();
    let communities = graph.communities(COMMUNITY_SEED).map_err(|e| anyhow::anyhow!("{e}"))?;
    let graph_s = started.elapsed().as_secs_f64();

    let baseline = Row::new("byline graph + components + Leiden", threads, graph_s, 0, records, None);
    let identity = Row::new("byline identity resolution", threads, identity_s, 0, records, Some(&baseline));
    let total = Row::new(SCALING_ROW, threads, identity_s + graph_s, 0, records, Some(&baseline));
    let mut report = Report {
        suite: "graph".to_owned(),
        inputs: files.iter().map(|p| p.display().to_string()).collect(),
        baseline: "byline co-author graph from resolved identities + connected components + Leiden (modularity)"
            .to_owned(),
        rows: vec![baseline, identity, total],
        quality: Vec::new(),
        peak_rss_bytes: None,
        notes: vec![format!(
            "{records} works, {} authorships → {} persons; graph {} nodes, {} edges, {} components, {} communities",
            resolution.assignments.len(),
            resolution.persons,
            graph.node_count(),
            graph.edge_count(),
            components.len(),
            communities.count
        )],
    };

    // Quality (not timed): identity resolution with ORCIDs hidden, against the ORCID truth.
    let eval = evaluate_against_orcid(&works, &options);
    report.quality.push(Quality::at_least("precision", eval.precision, PRECISION_BAR));
    report.quality.push(Quality::at_least("recall", eval.recall, RECALL_BAR));
    report.quality.push(Quality::info("f1", eval.f1));
    report.quality.push(Quality::info("modularity", communities.modularity));
    report.notes.push(format!(
        "identity vs ORCID: {} labeled authorships, {} true pairs; naive same-block baseline precision {:.3}, \
         recall {:.3}",
        eval.labeled_authorships, eval.true_pairs, eval.baseline_block_precision, eval.baseline_block_recall
    ));
    drop(works);

    if args.peers {
        let dir = cache_dir(args).join(format!("graph-seed{}-n{}", args.seed, args.size));
        let (nodes, edges) = write_edge_list(&graph, &dir)?;
        let argv: Vec<std::ffi::OsString> = vec![
            "--nodes".into(),
            nodes.into_os_string(),
            "--edges".into(),
            edges.into_os_string(),
            "--seed".into(),
            COMMUNITY_SEED.to_string().into(),
        ];
        let argv: Vec<&std::ffi::OsStr> = argv.iter().map(|a| a.as_os_str()).collect();
        if let Some(out) = run_script("graph_peer.py", &argv, &mut report)? {
            for peer in &out.peers {
                let row = peer_row(peer, 0, records, &report.rows[0]);
                report.notes.push(speed_note(&report.rows[0], &row));
                let key = if peer.name.starts_with("igraph multilevel") {
                    "igraph_multilevel"
                } else if peer.name.starts_with("igraph Leiden") {
                    "igraph_leiden"
                } else {
                    "networkx_louvain"
                };
                if let Some(q) = peer.number("modularity") {
                    report.quality.push(Quality::info(&format!("{key}_modularity"), q));
                    if key == "igraph_multilevel" && q > 0.0 {
                        let share = communities.modularity / q;
                        report.quality.push(Quality::at_least(
                            "modularity_share_of_igraph",
                            share,
                            MODULARITY_SHARE_BAR,
                        ));
                    }
                }
                if let Some(c) = peer.number("components")
                    && c as usize != components.len()
                {
                    report.notes.push(format!(
                        "{}: {c} components, byline {}: the graphs differ",
                        peer.name,
                        components.len()
                    ));
                }
                report.rows.push(row);
            }
        }
    }
    report.peak_rss_bytes = peak_rss_bytes();
    Ok(report)
}

/// Writes the graph as node and edge lists for the peers; returns their paths.
fn write_edge_list(graph: &CollaborationGraph, dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let (nodes, edges) = edge_list(graph);
    let nodes_path = dir.join("coauthor-nodes.tsv");
    let edges_path = dir.join("coauthor-edges.tsv");
    let mut out = BufWriter::new(std::fs::File::create(&nodes_path)?);
    for (i, id) in nodes.iter().enumerate() {
        writeln!(out, "{i}\t{id}")?;
    }
    out.flush()?;
    let mut out = BufWriter::new(std::fs::File::create(&edges_path)?);
    for (a, b, w) in edges {
        writeln!(out, "{a}\t{b}\t{w}")?;
    }
    out.flush()?;
    Ok((nodes_path, edges_path))
}

/// The graph's node ids (by node index) and edges `(a, b, shared works)`.
fn edge_list(graph: &CollaborationGraph) -> (Vec<String>, Vec<(usize, usize, u32)>) {
    let g = &graph.graph;
    let nodes = g.node_weights().map(|n| n.id.clone()).collect();
    let edges = g
        .edge_indices()
        .filter_map(|e| g.edge_endpoints(e).zip(g.edge_weight(e)))
        .map(|((a, b), w)| (a.index(), b.index(), w.works))
        .collect();
    (nodes, edges)
}
