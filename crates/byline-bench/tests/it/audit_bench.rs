use byline_bench::graph::bench_audit;
use byline_graph::AuditOptions;
use byline_synth::audit::{AuditCorpusConfig, generate_audit_corpus};

#[test]
fn planted_truth_bench_meets_the_issue_targets() {
    let corpus =
        generate_audit_corpus(&AuditCorpusConfig { researchers: 120, seed: 7, ..AuditCorpusConfig::default() });
    let figures = bench_audit(&corpus, &AuditOptions::default(), 10);
    eprintln!("{}", serde_json::to_string_pretty(&figures).unwrap_or_default());
    assert_eq!(figures.planted_not_found, 0);
    assert!(figures.planted_works > 50);
    assert!(figures.genuine_flag_rate <= 0.02, "genuine flag rate {}", figures.genuine_flag_rate);
    assert!(figures.clean_researchers_with_high <= 0.01, "clean with high {}", figures.clean_researchers_with_high);
    // Seed 7 is the calibration seed (the figures are reported on another seed, see the audit module doc).
    assert!(figures.recall_at_k >= 0.9, "recall@k {}", figures.recall_at_k);
    // The hard negatives stay hard but rarely flagged: a genuine collaboration abroad keeps a recurring
    // co-author, a topic change keeps the network.
    assert!(figures.hard_abroad_works > 0 && figures.hard_one_off_works > 0 && figures.hard_topic_change_works > 0);
    assert!(figures.hard_negative_flag_rate <= 0.02, "hard negatives flagged {}", figures.hard_negative_flag_rate);
}

#[test]
fn orcid_lists_raise_recall_and_stale_or_empty_lists_do_not_flag_everything() {
    use byline_bench::graph::bench_audit_claims;
    use byline_graph::AuditIndex;
    let corpus =
        generate_audit_corpus(&AuditCorpusConfig { researchers: 120, seed: 7, ..AuditCorpusConfig::default() });
    let index = AuditIndex::build(&corpus.works);
    let claims = bench_audit_claims(&corpus, &index, &AuditOptions::default(), 10);
    let state = |s: &str| claims.by_state.iter().find(|r| r.state == s).unwrap_or_else(|| panic!("no {s} row"));
    for row in &claims.by_state {
        eprintln!(
            "{}: {} researchers; recall {:.3} → {:.3}, broker {:.3} → {:.3}, genuine flagged {:.4} → {:.4}, ORC001 on \
             genuine {:.3}",
            row.state,
            row.with.researchers,
            row.without.recall_at_k,
            row.with.recall_at_k,
            row.without.broker_recall_at_5,
            row.with.broker_recall_at_5,
            row.without.genuine_flag_rate,
            row.with.genuine_flag_rate,
            row.with.genuine_orc001_rate
        );
    }
    let (maintained, stale, empty, none) = (state("maintained"), state("stale"), state("empty"), state("none"));
    assert!([maintained, stale, empty, none].iter().all(|r| r.with.researchers >= 10));
    // A kept list finds planted works the metadata alone leaves below the top 10 or unflagged …
    assert!(
        maintained.with.recall_at_k > maintained.without.recall_at_k,
        "maintained lists: recall {} → {}",
        maintained.without.recall_at_k,
        maintained.with.recall_at_k
    );
    assert!(claims.with.recall_at_k >= claims.without.recall_at_k);
    assert!(claims.with.broker_recall_at_5 >= claims.without.broker_recall_at_5);
    // … without flagging genuine works …
    assert!(claims.with.genuine_flag_rate <= 0.01, "genuine flagged {}", claims.with.genuine_flag_rate);
    assert!(claims.with.clean_researchers_with_high <= 0.01);
    // … and an empty list, or none, changes nothing; a stale one says ORC001 on few genuine works.
    assert_eq!(empty.with, empty.without);
    assert_eq!(none.with, none.without);
    assert_eq!(empty.with.genuine_orc001_rate, 0.0);
    assert!(
        stale.with.genuine_orc001_rate < 0.1,
        "stale: ORC001 on {} of genuine works",
        stale.with.genuine_orc001_rate
    );
    assert!(stale.with.genuine_flag_rate <= 0.01);
    // The sweep at the audit's own thresholds is the audit with claims (the sweep's computation is exact) …
    let current = claims.sweep.iter().find(|s| s.current).expect("the current thresholds are swept");
    let flags = current.flags.as_ref().expect("measured at the current thresholds");
    assert_eq!(flags.recall_at_k, claims.with.recall_at_k);
    assert_eq!(flags.genuine_flag_rate, claims.with.genuine_flag_rate);
    assert_eq!(current.genuine_orc001_rate, claims.with.genuine_orc001_rate);
    assert_eq!(current.planted_orc001_rate, claims.with.planted_orc001_rate);
    // … and with no coverage threshold an empty list would put ORC001 on nearly every genuine work.
    let open = claims.sweep.iter().find(|s| s.min_coverage == 0.0 && s.min_works == 1).expect("swept");
    assert!(open.empty_genuine_orc001_rate > 0.8, "{}", open.empty_genuine_orc001_rate);
}

/// The Japanese planted case (issue 21): with the record's names, declared lab and a KAKEN-style master, the
/// genuine works of both scripts are found and not flagged, the romaji-only forgeries are; by the romaji name
/// alone the kanji works are not found at all (no guessed reading).
#[test]
fn japanese_planted_case_finds_both_scripts_and_flags_the_romaji_forgeries() {
    use byline_bench::graph::bench_japanese;
    use byline_synth::japanese::{JapaneseCaseConfig, generate_japanese_case};
    for seed in [7, 11] {
        let case =
            generate_japanese_case(&JapaneseCaseConfig { seed, researchers: 40, ..JapaneseCaseConfig::default() });
        let f = bench_japanese(&case, 10).expect("bench");
        eprintln!("seed {seed}: {f:?}");
        assert!(f.forged_works > 20 && f.genuine_kanji_works > 100 && f.genuine_romaji_works > 100, "{f:?}");
        assert_eq!((f.found_kanji, f.found_romaji), (1.0, 1.0), "{f:?}");
        assert!(f.forged_recall >= 0.9, "{f:?}");
        assert!(f.false_flag_rate <= 0.01, "{f:?}");
        assert_eq!(f.name_only_found_kanji, 0.0, "{f:?}");
        // Identity resolution: declaring the records' names joins a person's kanji and romaji authorships
        // (recall up) without joining strangers (precision kept).
        assert!(f.identity_recall > f.identity_recall_undeclared + 0.1, "{f:?}");
        assert!(f.identity_precision >= 0.95, "{f:?}");
    }
}
