//! Release-mode timing of identity resolution and the audit on synthetic corpora (no test harness):
//! `cargo run --release -p byline-bench --example graph_speed -- [researchers]`.

use std::time::Instant;

use byline_bench::graph::bench_audit;
use byline_graph::audit::AuditIndex;
use byline_graph::{AuditOptions, AuditTarget, IdentityOptions, audit_researcher, resolve_identities};
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};

fn main() {
    let researchers: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(400);
    let started = Instant::now();
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers, ..AuditCorpusConfig::default() });
    let authorships: usize = corpus.works.iter().map(|w| w.authors.len()).sum();
    println!(
        "generated {} researchers, {} works, {authorships} authorships in {} ms",
        corpus.researchers.len(),
        corpus.works.len(),
        started.elapsed().as_millis()
    );

    let figures = bench_audit(&corpus, &AuditOptions::default(), 10);
    println!("bench: {}", serde_json::to_string(&figures).unwrap_or_default());

    let started = Instant::now();
    let resolution = resolve_identities(&corpus.works, &IdentityOptions::default());
    println!(
        "identity resolution: {authorships} authorships, {} blocks, {} persons in {} ms",
        resolution.blocks,
        resolution.persons,
        started.elapsed().as_millis()
    );

    let started = Instant::now();
    let index = AuditIndex::build(&corpus.works);
    let index_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let mut audited = 0;
    for r in corpus.researchers.iter().take(50) {
        let report = audit_researcher(
            &index,
            &AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() },
            &AuditOptions::default(),
        );
        audited += report.works.len();
    }
    println!(
        "audit: index of {} works in {index_ms} ms; 50 audits ({audited} works) in {} ms",
        corpus.works.len(),
        started.elapsed().as_millis()
    );
}
