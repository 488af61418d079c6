//! One example of every finding code the audit emits, from a planted-truth corpus (the fixture: seed 5, 80
//! researchers of `byline_synth::audit`, each audited with their ORCID works list as claims), snapshotted: a
//! change in what a code says or when it fires shows in review. `byline explain CODE` documents each.

use std::collections::BTreeMap;

use byline_graph::audit::{AuditOptions, AuditTarget, ClaimedWorks, audit_works, mill_findings_by_work};
use byline_model::codes::CODES;
use byline_model::{Finding, Severity, Subject, Work};
use byline_synth::audit::{AuditCorpusConfig, OrcidListState, generate_audit_corpus};
use serde_json::{Value, json};

/// The first finding of each code, in researcher and rank order.
fn examples() -> BTreeMap<String, Value> {
    let corpus = generate_audit_corpus(&AuditCorpusConfig { seed: 5, researchers: 80, ..AuditCorpusConfig::default() });
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    let mut keep = |f: &Finding| {
        out.entry(f.code.clone())
            .or_insert_with(|| json!({ "severity": f.severity.as_str(), "subject": f.subject, "reasons": f.reasons }));
    };
    for r in &corpus.researchers {
        // The ORCID list as `audit --fetch` reads it: every listed DOI, added by the researcher.
        let claims = (r.orcid.state != OrcidListState::NoRecord).then(|| ClaimedWorks {
            works: r
                .orcid
                .works
                .iter()
                .filter_map(|w| w.doi.as_deref().and_then(byline_model::normalize_doi))
                .map(|d| (format!("doi:{d}"), (true, "the researcher".to_owned())))
                .collect(),
            last_modified_year: r.orcid.last_modified_year,
            ..ClaimedWorks::default()
        });
        // A low hyper-prolific bar, so that the fixture's records show PRO001 too.
        let options = AuditOptions { claims, hyper_prolific_works_per_year: 6, ..AuditOptions::default() };
        let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
        let report = audit_works(&corpus.works, &target, &options);
        report.works.iter().flat_map(|w| &w.findings).chain(&report.record_findings).for_each(&mut keep);
    }
    // Two cases the generator has no need of, on the first researcher with planted works: two copies of a
    // genuine work whose byline gives the name an ORCID (a name-only audit hints at it: AUD002), and a
    // template-family finding on a planted work (the paper-mill signals feed its score: VEN002).
    let r = corpus.researchers.iter().find(|r| !r.planted.is_empty()).expect("a researcher with planted works");
    let family = r.name.split(',').next().unwrap_or_default().trim();
    let genuine = r.works.iter().find(|id| !r.planted.contains(id)).expect("a genuine work");
    let mut works = corpus.works.clone();
    let original = works.iter().find(|w| &w.work_id == genuine).cloned().expect("the genuine work");
    for i in 0..2 {
        let mut copy = Work { work_id: format!("{genuine}-orcid{i}"), ..original.clone() };
        copy.ids.doi = None;
        for a in copy.authors.iter_mut().filter(|a| a.family.as_deref() == Some(family)) {
            a.orcid = Some("0000-0002-1825-0097".to_owned());
        }
        works.push(copy);
    }
    let planted = &r.planted[0];
    let template = Finding {
        code: "TPL001".to_owned(),
        subject: Subject::Work { work_id: planted.clone() },
        severity: Severity::Medium,
        score: 0.9,
        reasons: vec!["template family".to_owned()],
        evidence: Vec::new(),
    };
    let options = AuditOptions { mill_findings: mill_findings_by_work(&[template]), ..AuditOptions::default() };
    let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
    let report = audit_works(&works, &target, &options);
    report.works.iter().flat_map(|w| &w.findings).chain(&report.record_findings).for_each(&mut keep);
    out
}

#[test]
fn every_audit_code_has_an_example_and_its_snapshot() {
    let examples = examples();
    let audit_codes: Vec<&str> =
        CODES.iter().filter(|c| c.emitted_by.starts_with("byline-graph")).map(|c| c.code).collect();
    let missing: Vec<&&str> = audit_codes.iter().filter(|c| !examples.contains_key(**c)).collect();
    assert!(missing.is_empty(), "audit codes the fixture does not produce: {missing:?}");
    insta::assert_json_snapshot!("audit_codes", examples);
}
