//! The hot parts of byline-graph: identity resolution over N authorships, the audit index build, and the
//! audit of one researcher on a prepared index (the per-request cost of `byline audit`).
//!
//! Inputs come from the planted-truth audit generator (`byline_synth::audit`, seeded, so every run measures
//! the same corpus): a few dozen researchers for identity resolution (a few thousand works, ~10⁴
//! authorships), a few hundred for the audit (a corpus where the researcher is a small part of the index).
//!
//! Run: `cargo bench --bench graph -- --quick` (about a minute once built).

use std::hint::black_box;
use std::time::Duration;

use byline_graph::{AuditIndex, AuditOptions, AuditTarget, IdentityOptions, audit_researcher, resolve_identities};
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Seed of the generated corpora: fixed so that every run measures the same works.
const SEED: u64 = 7;
/// Researchers of the identity-resolution corpus (≈ 60 works and 350 authorships each).
const IDENTITY_RESEARCHERS: usize = 20;
/// Researchers of the audit corpus: the audited record is ~1/300 of the index.
const AUDIT_RESEARCHERS: usize = 300;
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(3);

fn identities(c: &mut Criterion) {
    let corpus = generate_audit_corpus(&AuditCorpusConfig {
        seed: SEED,
        researchers: IDENTITY_RESEARCHERS,
        ..Default::default()
    });
    let authorships: u64 = corpus.works.iter().map(|w| w.authors.len() as u64).sum();
    let mut group = c.benchmark_group("identity");
    group.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP).measurement_time(MEASUREMENT);
    group.throughput(Throughput::Elements(authorships));
    group.bench_function(format!("resolve_identities/{authorships}_authorships"), |b| {
        b.iter(|| black_box(resolve_identities(black_box(&corpus.works), &IdentityOptions::default())))
    });
    group.finish();
}

fn audit(c: &mut Criterion) {
    let corpus =
        generate_audit_corpus(&AuditCorpusConfig { seed: SEED, researchers: AUDIT_RESEARCHERS, ..Default::default() });
    let works = corpus.works.len() as u64;
    let mut group = c.benchmark_group("audit");
    group.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP).measurement_time(MEASUREMENT);
    group.throughput(Throughput::Elements(works));
    group.bench_function(format!("index_build/{works}_works"), |b| {
        b.iter(|| black_box(AuditIndex::build(black_box(&corpus.works))))
    });
    let index = AuditIndex::build(&corpus.works);
    // A researcher with planted works and a record of typical size.
    let researcher = corpus
        .researchers
        .iter()
        .filter(|r| !r.planted.is_empty())
        .min_by_key(|r| r.works.len().abs_diff(60))
        .unwrap_or(&corpus.researchers[0]);
    let target = AuditTarget { name: Some(researcher.name.clone()), ..AuditTarget::default() };
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("audit_researcher/{}_works_record", researcher.works.len()), |b| {
        b.iter(|| black_box(audit_researcher(&index, black_box(&target), &AuditOptions::default())))
    });
    group.finish();
}

criterion_group!(benches, identities, audit);
criterion_main!(benches);
