//! Development harness for the audit bench: figures, identity resolution against the generator's truth, and
//! the missed planted works / false flags. Calibrate on a development seed, report on another.
//! `cargo run --release -p byline-bench --example audit_dev -- <researchers> <seed> [--misses] [--resolved]
//! [--ablate bridge|AFF006|ROL001|COA006-topic]`.

use byline_bench::graph::{bench_audit, bench_audit_resolved, bench_identities};
use byline_graph::{AuditIndex, AuditOptions, AuditTarget, IdentityOptions, audit_researcher};
use byline_model::Severity;
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let researchers: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(120);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers, seed, ..AuditCorpusConfig::default() });
    // `--ablate SIGNAL` switches one of issue 16's signals off through its option (a diagnostic).
    let mut options = AuditOptions::default();
    for (i, a) in args.iter().enumerate() {
        if a == "--ablate" {
            match args.get(i + 1).map(String::as_str) {
                Some("bridge") => options.max_bridges = 0,
                Some("AFF006") => options.stale_affiliation_years = i32::MAX,
                Some("ROL001") => options.role_topic_fraction = 0.0,
                Some("COA006-topic") => options.topic_continues_fraction = f64::INFINITY,
                other => eprintln!("unknown --ablate {other:?}"),
            }
        }
    }
    let figures = if args.iter().any(|a| a == "--resolved") {
        bench_audit_resolved(&corpus, &options, 10)
    } else {
        bench_audit(&corpus, &options, 10)
    };
    println!("{}", serde_json::to_string_pretty(&figures).unwrap_or_default());
    if args.iter().any(|a| a == "--identities") {
        let e = bench_identities(&corpus, &IdentityOptions::default());
        println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default());
    }
    if args.iter().any(|a| a == "--misses") {
        let index = AuditIndex::build(&corpus.works);
        for r in &corpus.researchers {
            let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
            let report = audit_researcher(&index, &target, &options);
            for w in &report.works {
                let planted = r.planted.contains(&w.work_id);
                let own = r.works.contains(&w.work_id);
                let flagged = w.severity >= Severity::Medium;
                let broker = r.planted_broker.contains(&w.work_id);
                let new_team = r.hard_new_team.contains(&w.work_id);
                let tag = match (planted, own, flagged) {
                    (true, _, false) if broker => "MISS-BROKER",
                    (true, _, true) if broker && w.rank > 5 => "LOW-BROKER",
                    (true, _, false) => "MISS",
                    (false, true, true) => "FALSE",
                    (false, true, false) if new_team && w.rank <= 5 => "TOP-NEWTEAM",
                    _ => continue,
                };
                let hard = if new_team {
                    " new-team"
                } else if r.hard_negatives.contains(&w.work_id) {
                    " hard"
                } else {
                    ""
                };
                let sig: Vec<String> = w.findings.iter().map(|f| format!("{}={:.2}", f.code, f.score)).collect();
                println!("{tag}{hard} {} rank {} {:?} {:?} [{}]", r.name, w.rank, w.severity, w.work_id, sig.join(" "));
                if args.iter().any(|a| a == "-v") {
                    for f in &w.findings {
                        println!("    {}: {}", f.code, f.reasons.join("; "));
                    }
                }
            }
        }
    }
}
