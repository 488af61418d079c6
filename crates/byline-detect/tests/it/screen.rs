use byline_detect::screen::{CorpusIndex, Submission, Verdict, screen};
use byline_detect::spill::SortLimits;
use byline_detect::template::FamilyParams;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST};
use byline_synth::papermill::{PapermillConfig, generate};

fn lexicon() -> Lexicon {
    let pairs = byline_synth::papermill::TORTURED_PAIRS
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned(), "fixture".to_owned()))
        .collect();
    Lexicon::from_pairs(pairs, SHIPPED_ALLOWLIST).expect("lexicon")
}

#[test]
fn index_round_trips_through_a_file_and_flags_a_templated_submission() {
    let corpus = generate(&PapermillConfig { genuine_works: 200, families: 5, ..PapermillConfig::default() });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("corpus.bylidx");
    let built = CorpusIndex::build(&corpus.works, &FamilyParams::default(), Some(&lexicon()), None).expect("build");
    built.save(&path).expect("save");
    let index = CorpusIndex::open(&path).expect("open");
    assert_eq!(index.work_count(), corpus.works.len() as u64);

    // A new member of a planted family, by strangers, with tortured phrases.
    let member_id = &corpus.truth.families[0].work_ids[0];
    let member = corpus.works.iter().find(|w| &w.work_id == member_id).expect("member");
    let toml = format!(
        "title = {:?}\nabstract = {:?}\n[[authors]]\nname = \"Nova Stranger\"\naffiliations = [\"Department of Oncology, Faraway University\"]\nemail = \"nova1@163.com\"\ncorresponding = true\n",
        member.title.clone().unwrap_or_default(),
        format!(
            "{} A counterfeit consciousness and profound learning and irregular woodland pipeline.",
            member.abstract_text.clone().unwrap_or_default()
        )
    );
    let sub = Submission::from_toml_str(&toml).expect("toml");
    let v = screen(&sub.to_work(), &index);
    assert_eq!(v.verdict, Verdict::Flag, "{v:#?}");
    assert!(v.matches.len() >= 2);
    assert!(v.findings.iter().any(|f| f.code == "TPL001"));
    assert!(v.findings.iter().any(|f| f.code == "BYL002"));

    // An unrelated submission is clear.
    let clean = Submission::from_json_str(r#"{"title": "Soil moisture and wheat yield", "abstract": "We measured soil moisture weekly in forty plots over two seasons and related it to wheat yield with a linear mixed model; irrigation timing explained most of the variance while soil type explained little, and the effect was stable across both seasons and all plot sizes studied here.", "authors": [{"name": "Ada Field", "affiliations": ["Agricultural Institute"]}]}"#).expect("json");
    let v = screen(&clean.to_work(), &index);
    assert_eq!(v.verdict, Verdict::Clear, "{v:#?}");
}

#[test]
fn an_index_of_another_format_version_is_refused_with_a_rebuild_hint() {
    let corpus = generate(&PapermillConfig { genuine_works: 20, families: 1, ..PapermillConfig::default() });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("corpus.bylidx");
    CorpusIndex::build(&corpus.works, &FamilyParams::default(), None, None).expect("build").save(&path).expect("save");
    let mut bytes = std::fs::read(&path).expect("read");
    // Version 2 indexes hold the first classifier model, whose JSON this version cannot read.
    let at = bytes.windows(18).position(|w| w == b"\"format_version\":3").expect("version in the header");
    bytes[at + 17] = b'2';
    std::fs::write(&path, &bytes).expect("write");
    let err = CorpusIndex::open(&path).err().expect("refused").to_string();
    assert!(err.contains("rebuild") && err.contains("format 2"), "{err}");
}

#[test]
fn index_built_a_chunk_at_a_time_is_byte_identical_to_one_built_at_once() {
    let corpus = generate(&PapermillConfig { genuine_works: 600, families: 8, ..PapermillConfig::default() });
    let dir = tempfile::tempdir().expect("tempdir");
    let at_once = dir.path().join("at-once.bylidx");
    let model = byline_detect::classifier::Model::shipped().expect("model");
    CorpusIndex::build_to_file(&corpus.works, &FamilyParams::default(), Some(&lexicon()), Some(&model), &at_once)
        .expect("build at once");
    let a = std::fs::read(&at_once).expect("read");
    assert!(a.len() > 100_000, "a real index: {} bytes", a.len());
    // The default band sort (each table in memory) and tiny runs merged in levels give the same bytes.
    for (name, limits) in [("default", None), ("runs", Some(SortLimits { run: 50, fan_in: 3 }))] {
        let chunked = dir.path().join(format!("{name}.bylidx"));
        let scratch = dir.path().join(format!("{name}.scratch"));
        let mut builder = byline_detect::screen::IndexBuilder::new(
            &FamilyParams::default(),
            Some(&lexicon()),
            Some(&model),
            &scratch,
        )
        .expect("builder");
        if let Some(limits) = limits {
            builder = builder.band_sort(limits);
        }
        for chunk in corpus.works.chunks(97) {
            builder.add(chunk).expect("add");
        }
        assert_eq!(builder.works(), corpus.works.len() as u64);
        builder.finish(&chunked).expect("finish");
        assert!(!scratch.exists(), "scratch files are removed");
        let b = std::fs::read(&chunked).expect("read");
        assert!(a == b, "{name}: chunked build differs ({} vs {} bytes)", a.len(), b.len());
    }
}
