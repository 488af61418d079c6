use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST, TorturedGrade, TorturedThresholds, grade, tortured_finding};
use byline_model::{Format, Work};

fn lexicon() -> Lexicon {
    let pairs = [
        ("counterfeit consciousness", "artificial intelligence"),
        ("profound learning", "deep learning"),
        ("irregular woodland", "random forest"),
        ("bosom malignant growth", "breast cancer"),
        ("malignant growth", "cancer"),
        ("neural network", "neural network (NN)"),
        ("brilliant", "smart"),
    ];
    Lexicon::from_pairs(
        pairs.iter().map(|(a, b)| ((*a).into(), (*b).into(), "fixture".into())).collect(),
        SHIPPED_ALLOWLIST,
    )
    .expect("lexicon")
}

#[test]
fn allowlist_and_self_referential_phrases_are_excluded() {
    let l = lexicon();
    let excluded: Vec<(&str, &str)> = l.excluded().iter().map(|e| (e.tortured.as_str(), e.reason.as_str())).collect();
    assert!(excluded.contains(&("brilliant", "allowlist")));
    assert!(excluded.contains(&("neural network", "allowlist")));
    assert_eq!(l.entries().len(), 5);
}

#[test]
fn matching_is_case_insensitive_longest_and_on_word_boundaries() {
    let l = lexicon();
    let hits = l.find("Bosom Malignant\n Growth is rare; malignant growths are not; xmalignant growth neither.");
    assert_eq!(hits.len(), 1);
    assert_eq!(l.entries()[hits[0].entry].tortured, "bosom malignant growth");
}

#[test]
fn grade_follows_issue_thresholds() {
    let t = TorturedThresholds::default();
    assert_eq!(grade(0, 0, 0.0, &t), TorturedGrade::None);
    assert_eq!(grade(1, 1, 0.2, &t), TorturedGrade::Low);
    assert_eq!(grade(5, 5, 0.29, &t), TorturedGrade::Low, "below 0.3/1k at most low");
    assert_eq!(grade(3, 2, 0.9, &t), TorturedGrade::Low, "needs 3 distinct");
    assert_eq!(grade(3, 3, 0.6, &t), TorturedGrade::Suspicious);
    assert_eq!(grade(6, 5, 1.5, &t), TorturedGrade::Suspicious, "needs 6 distinct for high");
    assert_eq!(grade(6, 6, 1.2, &t), TorturedGrade::High);
}

#[test]
fn tortured_finding_snapshot() {
    let mut w = Work::new(Format::Pubmed, "fixture.xml", 0);
    w.title = Some("A counterfeit consciousness approach to bosom malignant growth".into());
    w.abstract_text = Some(
        "We combine profound learning with an irregular woodland. Counterfeit consciousness helps. The brilliant \
         neural network baseline is ordinary."
            .into(),
    );
    let f = tortured_finding(&w, &lexicon(), &TorturedThresholds::default()).expect("finding");
    insta::assert_json_snapshot!(f);
}
