use super::matcher::{EXACT_SCORE, LetterProfile, TYPO_SIMILARITY, without_place_qualifier};
use super::*;

fn org(id: &str, display: &str, aliases: &[&str], country: &str) -> Organization {
    let mut o = Organization::named(id, display, country);
    o.names.extend(aliases.iter().map(|a| OrgName { value: (*a).into(), kind: NameKind::Alias, lang: None }));
    o
}

/// The bundled ranker reads the features the matcher computes, in the same order: a feature added,
/// removed or moved without retraining (`--example train_ror_ranker`) fails here.
#[test]
fn the_bundled_ranker_reads_the_features_the_matcher_computes() {
    let r = Ranker::bundled();
    assert_eq!(r.model.features, RANK_FEATURES.map(String::from).to_vec());
    assert!(!r.model.trees.is_empty(), "the bundled ranker is trained");
    assert!(r.threshold > 0.0 && r.threshold < 1.0, "{}", r.threshold);
    let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![Organization::named(
        "05dxps055",
        "California Institute of Technology",
        "US",
    )]));
    let cands = m.candidates("Division of Biology, California Institute of Technology, Pasadena, USA", None);
    assert_eq!(m.ranking_features(&cands[..1])[0].len(), RANK_FEATURES.len());
    assert!(cands[0].confidence > 0.0 && cands[0].confidence <= 1.0, "{cands:?}");
    assert!(cands[0].why.contains("confidence") && cands[0].why.contains("1 of 1 candidates"), "{}", cands[0].why);
}

/// Every feature has words when it holds; a yes/no feature has none when it does not; the reasons of a
/// row name what moved its odds most.
#[test]
fn the_ranker_says_what_weighed_for_and_against_in_words() {
    for f in RANK_FEATURES {
        assert_ne!(feature_phrase(f, 1.0), Some("other facts"), "{f}");
        assert!(feature_phrase(f, 1.0).is_some(), "{f}");
    }
    assert_eq!(feature_phrase("derived", 0.0), None);
    assert_eq!(feature_phrase("score", 0.0), Some("how well the name reads"));
    // A model that only knows the score: a high score is a reason for, a low one against.
    let names: Vec<String> = RANK_FEATURES.map(String::from).to_vec();
    let (x, y): (Vec<Vec<f64>>, Vec<bool>) = (0..200)
        .map(|i| {
            let mut row = vec![0.0; names.len()];
            row[0] = f64::from(i) / 200.0;
            (row, i >= 100)
        })
        .unzip();
    let model = crate::gbdt::train(&x, &y, names, &crate::gbdt::Params { trees: 30, ..Default::default() });
    let ranker = Ranker { trained_on: "test".into(), threshold: 0.5, model };
    let (high, low) = (ranker.assess(&x[190]), ranker.assess(&x[10]));
    assert_eq!(high.1, " (for it: how well the name reads)");
    assert_eq!(low.1, " (against it: how well the name reads)");
    // The confidence is the model's own prediction.
    assert!((high.0 - ranker.model.predict(&x[190])).abs() < 1e-12 && high.0 > 0.5 && low.0 < 0.5);
}

#[test]
fn the_typo_bound_never_falls_below_the_similarity() {
    let words = [
        "university",
        "univeristy",
        "universidad",
        "universite",
        "institute",
        "instituto",
        "hospital",
        "hopital",
        "technology",
        "technologie",
        "tsinghua",
        "zhejiang",
        "chinese",
        "sciences",
        "sciencies",
        "medicine",
        "medecine",
        "münchen",
        "munchen",
        "karolinska",
        "karolinksa",
        "aaaaaaaa",
        "zzzzzz",
    ];
    let mut skipped = 0;
    for a in words {
        for b in words {
            let bound = LetterProfile::new(a).jaro_winkler_bound(&LetterProfile::new(b));
            let sim = strsim::jaro_winkler(a, b);
            assert!(bound + 1e-12 >= sim, "{a} / {b}: bound {bound} < similarity {sim}");
            if bound < TYPO_SIMILARITY {
                skipped += 1;
            }
        }
    }
    assert!(skipped > words.len() * words.len() / 3, "the bound skips too little: {skipped}");
}

#[test]
fn a_school_of_the_university_weighs_less_than_another_name() {
    let reg = RorRegistry::from_organizations(vec![
        org("00b30xv10", "University of Pennsylvania", &[], "US"),
        org("04p491231", "Pennsylvania State University", &[], "US"),
        org("0220mzb33", "King's College London", &[], "GB"),
        org("00j161312", "University of London", &[], "GB"),
        org("01hcx6992", "Humboldt University of Berlin", &[], "DE"),
    ]);
    let m = InstitutionMatcher::new(reg);
    let school = m.best_match("Department of Medicine, University of Pennsylvania Perelman School of Medicine", None);
    let other = m.best_match("Department of Medicine, University of Pennsylvania Perelman Cancer Foundation", None);
    let (school, other) = (school.expect("a match"), other.expect("a match"));
    assert_eq!(school.ror_id, "00b30xv10");
    assert!(school.why.contains("school, college or faculty"), "{}", school.why);
    assert!(school.score > other.score + 0.03, "{} vs {}", school.score, other.score);
    // "College" inside a name is not a unit: King's College London is not "University of London" + a college.
    let kings = m.best_match("King's College London", None).expect("a match");
    assert_eq!(kings.ror_id, "0220mzb33");
    assert!(!kings.why.contains("school, college or faculty"));
}

#[test]
fn a_name_made_of_its_own_address_or_three_letters_needs_more() {
    let mut astate = org("006pyvd89", "Arkansas State University", &["A-State"], "US");
    astate.country_name = Some("United States".into());
    let neo = org("04vj14y69", "NeoGenomics", &["Neo"], "US");
    let reg = RorRegistry::from_organizations(vec![
        astate,
        neo,
        org("00hj8s172", "Columbia University", &[], "US"),
        org("056d84691", "Karolinska Institutet", &[], "SE"),
    ]);
    let m = InstitutionMatcher::new(reg);
    let ids = |s: &str| m.candidates(s, None).into_iter().map(|c| c.ror_id).collect::<Vec<_>>();
    assert!(!ids("Columbia University, New York, NY, United States").contains(&"006pyvd89".to_owned()));
    assert!(!ids("Department of Medicine Huddinge, Karolinska Institutet, Neo").contains(&"04vj14y69".to_owned()));
    // As an acronym (upper case, a whole part of the string, one organisation) it still matches.
    assert!(ids("Clinical Genomics, NEO, Fort Myers").contains(&"04vj14y69".to_owned()));
}

#[test]
fn a_name_written_twice_is_scored_where_it_stands_alone() {
    let reg = RorRegistry::from_organizations(vec![
        org("00jzwgz36", "Koç University", &[], "TR"),
        org("03a5qrr21", "Bilkent University", &[], "TR"),
    ]);
    let m = InstitutionMatcher::new(reg);
    let hit = m.best_match("Koç University Surface Science and Technology Center, Koç University", None);
    let hit = hit.expect("a match");
    assert_eq!((hit.ror_id.as_str(), hit.score), ("00jzwgz36", EXACT_SCORE));
    assert_eq!(hit.matched_text, "koc university");
}

#[test]
fn every_organisation_of_an_unresolved_tie_is_ambiguous() {
    let reg = RorRegistry::from_organizations(vec![
        org("01rrz9s51", "Victoria University", &[], "AU"),
        org("04j757h98", "Victoria University", &[], "NZ"),
    ]);
    let m = InstitutionMatcher::new(reg);
    let cands = m.candidates("Victoria University", None);
    assert_eq!(cands.len(), 2);
    for c in &cands {
        assert!(c.score < DEFAULT_MATCH_THRESHOLD, "{c:?}");
        assert!(c.why.contains("ambiguous"), "{}", c.why);
    }
    assert_eq!(m.match_affiliation("Victoria University").map(|c| c.ror_id), None);
}

#[test]
fn match_all_finds_each_institution_once() {
    let mut medicine = org("01zcpa714", "Michigan Medicine", &[], "US");
    medicine.parents = vec!["00jmfr291".into()];
    // Other organisations so that the words of these names are rare, as in the registry.
    let mut orgs: Vec<Organization> = (0..120)
        .map(|i| org(&format!("0filler{i:03}"), &format!("Institute of Research Filler{i}"), &[], "DE"))
        .collect();
    orgs.extend([
        org("0495fxg12", "Institut Pasteur", &[], "FR"),
        org("05f82e368", "Université Paris Cité", &[], "FR"),
        org("02en5vm52", "Université Paris", &[], "FR"),
        org("00jmfr291", "University of Michigan", &[], "US"),
        medicine,
        org("01rrz9s51", "Victoria University", &[], "AU"),
        org("04j757h98", "Victoria University", &[], "NZ"),
    ]);
    let m = InstitutionMatcher::new(RorRegistry::from_organizations(orgs));
    let ids = |s: &str| m.match_all(s).into_iter().map(|c| c.ror_id).collect::<Vec<_>>();
    let mut two = ids("Viral Genomics Unit, Institut Pasteur, Université Paris Cité, Paris, France");
    two.sort();
    assert_eq!(two, ["0495fxg12", "05f82e368"]);
    // One reading of the same words, not two organisations: "Université Paris Cité" also holds the whole
    // name of "Université Paris".
    let same_words = "Université Paris Cité";
    let cands = m.candidates(same_words, None);
    assert!(cands.iter().filter(|c| c.score >= DEFAULT_MATCH_THRESHOLD).count() >= 2, "{cands:#?}");
    assert_eq!(ids(same_words), ["05f82e368"]);
    // Two parts, two records, even when one is the other's parent (the disclosure audit relates them).
    assert_eq!(ids("Michigan Medicine, University of Michigan").len(), 2);
    // An ambiguous name is no match, and its words are not read again as another.
    assert!(ids("Victoria University").is_empty());
}

#[test]
fn tokyo_univ_matches_the_university_of_tokyo() {
    let reg = RorRegistry::from_organizations(vec![
        org("057zh3y96", "The University of Tokyo", &[], "JP"),
        org("01hjzeq58", "Tokyo University of Science", &[], "JP"),
        org("0112mx960", "Tokyo Institute of Technology", &[], "JP"),
    ]);
    let m = InstitutionMatcher::new(reg);
    let hit = m.match_affiliation("Dept. of Chemistry, Tokyo Univ., Tokyo, Japan");
    assert_eq!(hit.map(|h| h.ror_id).as_deref(), Some("057zh3y96"));
    let hit = m.match_affiliation("Faculty of Science, Tokyo Univ. of Science, Japan");
    assert_eq!(hit.map(|h| h.ror_id).as_deref(), Some("01hjzeq58"));
}

#[test]
fn country_is_a_constraint() {
    let reg = RorRegistry::from_organizations(vec![org("00aaaaaa1", "Northwestern University", &[], "US")]);
    let m = InstitutionMatcher::new(reg);
    assert!(m.match_affiliation("Northwestern University, Evanston, IL 60208, USA").is_some());
    assert!(m.match_affiliation("Northwestern University, Xi'an, China").is_none());
}

#[test]
fn a_shared_name_goes_to_the_organisation_with_units_else_abstains() {
    let mut big = org("000000001", "Northwestern University", &[], "US");
    big.children = 12;
    let small = org("000000002", "Northwestern University", &[], "PH");
    let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![big, small.clone()]));
    let hit = m.match_affiliation("Department of Neuroscience, Northwestern University").expect("a match");
    assert_eq!(hit.ror_id, "000000001");
    assert!(hit.why.contains("12 units"), "{}", hit.why);
    let mut also_big = small;
    also_big.children = 10;
    let mut big = org("000000001", "Northwestern University", &[], "US");
    big.children = 12;
    let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![big, also_big]));
    assert!(m.match_affiliation("Department of Neuroscience, Northwestern University").is_none());
}

#[test]
fn place_qualifiers_come_off_registry_names() {
    let mut purdue = org("000000003", "Purdue University West Lafayette", &[], "US");
    purdue.city = Some("West Lafayette".into());
    assert_eq!(
        without_place_qualifier("Purdue University West Lafayette", &purdue).as_deref(),
        Some("Purdue University")
    );
    let mut novo = org("000000004", "Novo Nordisk (Denmark)", &[], "DK");
    novo.country_name = Some("Denmark".into());
    assert_eq!(without_place_qualifier("Novo Nordisk (Denmark)", &novo).as_deref(), Some("Novo Nordisk"));
    let mut utmb = org("000000005", "The University of Texas Medical Branch at Galveston", &[], "US");
    utmb.city = Some("Galveston".into());
    assert_eq!(
        without_place_qualifier(&utmb.display_name.clone(), &utmb).as_deref(),
        Some("The University of Texas Medical Branch")
    );
    let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![purdue]));
    assert_eq!(
        m.match_affiliation("Department of Chemistry, Purdue University").map(|h| h.ror_id).as_deref(),
        Some("000000003")
    );
}
