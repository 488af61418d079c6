use byline_detect::registry::{Registry, is_enabled};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[test]
fn select_and_ignore_work_like_a_linter() {
    assert!(is_enabled("TOR001", &[], &[]));
    assert!(is_enabled("RET003", &s(&["RET"]), &[]));
    assert!(!is_enabled("TOR001", &s(&["RET"]), &[]));
    assert!(!is_enabled("RET004", &s(&["RET"]), &s(&["RET004"])));
    // A more specific select beats a broader ignore.
    assert!(is_enabled("RET001", &s(&["RET001"]), &s(&["RET"])));
    assert!(!is_enabled("BYL002", &s(&["ALL"]), &s(&["BYL"])));
}

#[test]
fn registry_rejects_unknown_codes_and_lists_every_code() {
    let r = Registry::default();
    let codes = r.codes();
    for c in ["TOR001", "TPL001", "RET001", "RET004", "BYL001", "BYL004", "MIL001"] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    assert!(r.select(&s(&["XYZ9"]), &[]).is_err());
    let picked = r.select(&s(&["BYL"]), &s(&["BYL004"])).unwrap_or_default();
    let names: Vec<&str> = picked.iter().map(|d| d.code()).collect();
    assert_eq!(names, ["BYL001", "BYL002", "BYL003"]);
}

#[test]
fn detectors_declare_their_scope() {
    use byline_detect::Scope;
    let r = Registry::default();
    assert_eq!(r.codes_in(Scope::PerWork), ["BYL002", "BYL003", "TOR001"]);
    assert_eq!(r.codes_in(Scope::Corpus), ["BYL001", "BYL004", "MIL001", "RET001", "TPL001"]);
    assert!(r.classifier_enabled(&[], &[]));
    assert!(!r.classifier_enabled(&s(&["TPL"]), &[]));
    assert!(!r.classifier_enabled(&[], &s(&["MIL"])));
    // A screen emits the per-work detectors' codes, near-duplicates against the index and the classifier.
    let screen = byline_detect::screen::CODES;
    assert!(screen.is_sorted(), "{screen:?}");
    for c in r.codes_in(Scope::PerWork).into_iter().chain(["MIL001", "TPL001"]) {
        assert!(screen.contains(&c), "{c} missing from {screen:?}");
    }
}

/// One example of each corpus-wide detector's code that has no snapshot of its own (TPL001, MIL001), from a
/// generated corpus with planted template families (the fixture: `byline_synth::papermill`, seed 3), the shipped
/// model asked to report every probability (threshold 0), snapshotted.
#[test]
fn template_and_classifier_codes_have_an_example_and_its_snapshot() {
    use byline_detect::{DetectContext, Model, scan};
    use byline_synth::papermill::{PapermillConfig, generate};

    let generated =
        generate(&PapermillConfig { seed: 3, genuine_works: 200, families: 4, ..PapermillConfig::default() });
    let ctx = DetectContext {
        model: Some(Model::shipped().expect("the shipped model")),
        mill_threshold: Some(0.0),
        ..DetectContext::default()
    };
    let out = scan(&generated.works, &ctx, &s(&["TPL001", "MIL001"]), &[]).expect("the scan runs");
    let mut examples = std::collections::BTreeMap::new();
    for f in &out.findings {
        examples.entry(f.code.clone()).or_insert(f);
    }
    assert_eq!(examples.keys().map(String::as_str).collect::<Vec<_>>(), ["MIL001", "TPL001"]);
    insta::assert_json_snapshot!("corpus_codes", examples);
}
