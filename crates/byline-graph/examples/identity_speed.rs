//! Release-mode timing of identity resolution on PubMed files (no test harness), with a digest of the
//! assignments so that a pure speed change can be checked to give the same persons:
//! `cargo run --release -p byline-graph --example identity_speed -- FILE.xml.gz...`. Environment: `NO_EVAL`
//! (no scoring against ORCID), `GRAPH` (time the co-author graph), `SAMPLE=F` (keep a hashed fraction F of
//! the works), `MAX_POSTING`, `MAX_CANDIDATES`.

use std::time::Instant;

use byline_graph::graph::DEFAULT_MAX_AUTHORS_PER_WORK;
use byline_graph::{IdentityOptions, coauthor_graph, evaluate_against_orcid, resolve_identities};
use byline_model::{Work, stable_hash64};
use byline_parse::Event;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut works: Vec<Work> = Vec::new();
    for f in &files {
        byline_parse::read_path(std::path::Path::new(f), None, &mut |e| {
            if let Event::Work(mut w) = e {
                w.abstract_text = None;
                w.references = Vec::new();
                works.push(*w);
            }
        });
    }
    // SAMPLE=F keeps a fraction F of the works, chosen by a hash of their position (the same works at every
    // run; a smaller sample is a subset of a larger one), so that sizes can be compared on one mixed input.
    if let Some(f) = std::env::var("SAMPLE").ok().and_then(|v| v.parse::<f64>().ok()) {
        let mut i = 0u64;
        works.retain(|_| {
            i += 1;
            (stable_hash64(format!("order{}", i - 1).as_bytes()) % 1_000_000) as f64 / 1e6 < f
        });
    }
    let authorships: usize = works.iter().map(|w| w.authors.len()).sum();
    let mut options = IdentityOptions::default();
    if let Some(m) = std::env::var("MAX_POSTING").ok().and_then(|v| v.parse().ok()) {
        options.max_posting = m;
    }
    if let Some(m) = std::env::var("MAX_CANDIDATES").ok().and_then(|v| v.parse().ok()) {
        options.max_candidates = m;
    }
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let resolution = resolve_identities(&works, &options);
    let resolve_s = started.elapsed().as_secs_f64();
    let cpu_s = cpu_seconds() - cpu_before;
    let mut digest = String::new();
    for a in &resolution.assignments {
        digest.push_str(&a.work_id);
        digest.push_str(&a.person_id);
        digest.push_str(a.evidence.via);
        digest.push_str(&a.evidence.reasons.join(","));
    }
    println!(
        "{} works, {authorships} authorships, {} blocks, {} persons in {resolve_s:.3} s (CPU {cpu_s:.2} s); digest {:016x}",
        works.len(),
        resolution.blocks,
        resolution.persons,
        stable_hash64(digest.as_bytes())
    );
    if std::env::var_os("GRAPH").is_some() {
        // The graph step of `byline-bench graph`, in parts, best of 3.
        let mut best = [f64::MAX; 3];
        let mut summary = String::new();
        for _ in 0..3 {
            let t = Instant::now();
            let graph = coauthor_graph(&works, &resolution, DEFAULT_MAX_AUTHORS_PER_WORK);
            let build = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let components = graph.connected_components();
            let comp = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let communities = graph.communities(7).expect("communities");
            let leiden = t.elapsed().as_secs_f64();
            for (b, v) in best.iter_mut().zip([build, comp, leiden]) {
                *b = b.min(v);
            }
            summary = format!(
                "{} nodes, {} edges, {} components, {} communities, modularity {:.4}",
                graph.node_count(),
                graph.edge_count(),
                components.len(),
                communities.count,
                communities.modularity
            );
        }
        println!(
            "graph: build {:.3} s, components {:.3} s, communities {:.3} s (best of 3); {summary}",
            best[0], best[1], best[2]
        );
    }
    if std::env::var_os("NO_EVAL").is_none() {
        let e = evaluate_against_orcid(&works, &options);
        println!(
            "vs ORCID: precision {:.4} recall {:.4} f1 {:.4} ({} true pairs)",
            e.precision, e.recall, e.f1, e.true_pairs
        );
    }
}

/// User + system CPU seconds of this process so far (all threads), from `/proc/self/stat` (0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 14th field, stime the 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
