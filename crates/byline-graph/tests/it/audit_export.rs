//! The researcher audit on one researcher's export (generated, with planted works).

use byline_graph::audit::audit_works;
use byline_graph::{AuditOptions, AuditTarget};
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};

#[test]
fn single_researcher_export_is_audited_with_reasons() {
    let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 30, seed: 3, ..AuditCorpusConfig::default() });
    let Some(r) = corpus.researchers.iter().find(|r| r.planted.len() >= 2) else { panic!("no planted researcher") };
    // Only this researcher's works, as in a Scopus export.
    let works: Vec<_> = corpus.works.iter().filter(|w| r.works.contains(&w.work_id)).cloned().collect();
    let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
    let report = audit_works(&works, &target, &AuditOptions::default());
    assert_eq!(report.works.len(), r.works.len());
    // The planted works rank above every genuine work except, at most, one hard case.
    let Some(best) = report.works.iter().find(|w| r.planted.contains(&w.work_id)) else { panic!("planted not found") };
    assert!(best.rank <= 2, "best planted work ranked {}", best.rank);
    assert!(best.findings.iter().any(|f| f.code == "COA001" && f.reasons[0].contains(&r.name)));
    let json = serde_json::to_string(&report).unwrap_or_default();
    assert!(json.contains("\"COA001\""));
}
