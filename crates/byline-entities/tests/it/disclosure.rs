//! Disclosure audit and the non-discrimination property on hand-written works.

use byline_entities::disclosure::*;
use byline_entities::funders::FunderDictionary;
use byline_entities::lists::{ListEntry, ListFormat, ScreeningList};
use byline_entities::screening::ScreeningMatcher;
use byline_model::{Affiliation, Author, Format, Funding, PubDate, Work};

fn aff(raw: &str) -> Affiliation {
    Affiliation { raw: raw.into(), ..Affiliation::default() }
}

fn works(names: &[&str]) -> Vec<Work> {
    let mut w1 = Work::new(Format::Crossref, "t.json", 0);
    w1.ids.doi = Some("10.1000/one".into());
    w1.date = Some(PubDate::new(2020, Some(3), None));
    w1.authors = vec![
        Author {
            raw_name: names[0].into(),
            orcid: Some("0000-0002-1825-0097".into()),
            email: Some("a@gmail.com".into()),
            affiliations: vec![
                aff("Dept. of Physics, Example University, Springfield, USA"),
                aff("School of Astronautics, Harbin Institute of Technology, Harbin 150001, China"),
            ],
            ..Author::default()
        },
        Author {
            raw_name: names[1].into(),
            affiliations: vec![aff("Other College, Paris, France")],
            ..Author::default()
        },
    ];
    w1.funding =
        vec![Funding { agency: Some("National Natural Science Foundation of China".into()), ..Funding::default() }];
    w1.acknowledgements =
        Some("We thank the reviewers. A. was supported by the Thousand Talents Plan. Data are open.".into());
    let mut w2 = Work::new(Format::Crossref, "t.json", 1);
    w2.ids.doi = Some("10.1000/two".into());
    w2.date = Some(PubDate::new(2022, None, None));
    w2.authors = vec![Author {
        raw_name: names[2].into(),
        orcid: Some("0000-0002-1825-0097".into()),
        affiliations: vec![aff("Example University, Springfield, USA")],
        ..Author::default()
    }];
    w2.funding_statement = Some("This work was funded by the European Research Council (grant 1).".into());
    vec![w1, w2]
}

fn screening() -> ScreeningMatcher {
    let mut list = ScreeningList::new("t", "Test list", "test", ListFormat::UserCsv);
    list.entries = vec![ListEntry::organisation("1", "Harbin Institute of Technology").with_country(Some("CN"))];
    ScreeningMatcher::new(vec![list])
}

fn audit(names: &[&str]) -> Vec<byline_model::Finding> {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/disclosure.yaml"))
        .expect("fixture");
    let disclosure = parse_disclosure(&yaml, "disclosure.yaml").expect("YAML parses");
    let ws = works(names);
    let authored = positions_by_orcid(&ws, disclosure.orcid.as_deref().unwrap_or(""));
    let funders = FunderDictionary::builtin();
    let screen = screening();
    let programmes = default_programmes();
    let ctx = AuditContext {
        registry: None,
        institutions: None,
        screening: Some(&screen),
        funders: &funders,
        programmes: &programmes,
    };
    audit_disclosure(&authored, &disclosure, &ctx)
}

#[test]
fn disclosure_audit_reports_each_item_with_evidence() {
    let f = audit(&["Anna Smith", "Li Wei", "Anna Smith"]);
    let codes: Vec<&str> = f.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, vec!["AFF002", "AFF003", "AFF004", "AFF005", "FUN001", "FUN002", "LST001"]);
    let aff002 = &f[0];
    assert!(aff002.reasons[0].contains("Harbin Institute of Technology"), "{:?}", aff002.reasons);
    assert_eq!(aff002.evidence[0].doi.as_deref(), Some("10.1000/one"));
    let fun001 = f.iter().find(|x| x.code == "FUN001").expect("FUN001");
    assert!(fun001.reasons[0].contains("European Research Council"), "NSFC was declared, ERC was not");
    let fun002 = f.iter().find(|x| x.code == "FUN002").expect("FUN002");
    assert_eq!(fun002.evidence[0].text.as_deref(), Some("[2020-03] A. was supported by the Thousand Talents Plan."));
}

#[test]
fn swapping_every_author_name_changes_no_flag() {
    let before = audit(&["Anna Smith", "Li Wei", "Anna Smith"]);
    for names in [
        ["Wei Zhang", "John Miller", "Wei Zhang"],
        ["Olusegun Adeyemi", "Yuki Tanaka", "Olusegun Adeyemi"],
        ["Дмитрий Иванов", "محمد علي", "Дмитрий Иванов"],
    ] {
        let after = audit(&names);
        assert_eq!(before, after, "names {names:?} changed the findings");
    }
}

#[test]
fn disclosure_json_and_yaml_read_the_same() {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/disclosure.yaml"))
        .expect("fixture");
    let from_yaml = parse_disclosure(&yaml, "d.yaml").expect("YAML");
    let json = serde_json::to_string(&from_yaml).expect("serializes");
    assert_eq!(parse_disclosure(&json, "d.json").expect("JSON"), from_yaml);
    assert_eq!(from_yaml.appointments[0].organization, "Example University");
    assert_eq!(from_yaml.funders[0].grant.as_deref(), Some("12345678"));
}

/// With the ROR matcher, every institution an affiliation string names is an affiliation to disclose, and a
/// declared organisation covers its parent's or child's record.
#[test]
fn each_institution_in_a_string_is_compared_and_related_records_count_as_declared() {
    use byline_entities::ror::{InstitutionMatcher, Organization, RorRegistry};
    let org = |id: &str, name: &str, country: &str, parents: &[&str]| Organization {
        parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        ..Organization::named(id, name, country)
    };
    let registry = RorRegistry::from_organizations(vec![
        org("0495fxg12", "Institut Pasteur", "FR", &[]),
        org("05f82e368", "Université Paris Cité", "FR", &[]),
        org("00jmfr291", "University of Michigan", "US", &[]),
        org("01zcpa714", "Michigan Medicine", "US", &["00jmfr291"]),
        org("05ggagb37", "Samara National Research University", "RU", &[]),
    ]);
    let matcher = InstitutionMatcher::new(registry);
    let mut w = Work::new(Format::Crossref, "t.json", 0);
    w.ids.doi = Some("10.1000/three".into());
    w.date = Some(PubDate::new(2023, None, None));
    w.authors = vec![Author {
        raw_name: "Anna Smith".into(),
        orcid: Some("0000-0002-1825-0097".into()),
        affiliations: vec![
            aff("Viral Genomics Unit, Institut Pasteur, Université Paris Cité, Paris, France"),
            aff("Department of Surgery, Michigan Medicine, Ann Arbor, MI, USA"),
        ],
        ..Author::default()
    }];
    let disclosure = parse_disclosure(
        "orcid: 0000-0002-1825-0097\nappointments:\n  - organization: Université Paris Cité\n  - organization: University of Michigan\n",
        "d.yaml",
    )
    .expect("YAML parses");
    let works = vec![w];
    let authored = positions_by_orcid(&works, "0000-0002-1825-0097");
    let funders = FunderDictionary::builtin();
    let programmes = default_programmes();
    let ctx = AuditContext {
        registry: None,
        institutions: Some(&matcher),
        screening: None,
        funders: &funders,
        programmes: &programmes,
    };
    let findings = audit_disclosure(&authored, &disclosure, &ctx);
    let undisclosed: Vec<String> = findings
        .iter()
        .filter(|f| f.code == "AFF002")
        .map(|f| match &f.subject {
            byline_model::Subject::Affiliation { raw } => raw.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    // Institut Pasteur shares a string with the declared university and is still reported; Michigan Medicine
    // is a unit of the declared University of Michigan.
    assert_eq!(undisclosed, vec!["Institut Pasteur".to_owned()], "{findings:#?}");
    assert!(!findings.iter().any(|f| f.code == "AFF005"), "both declared organisations are seen: {findings:#?}");
}

/// One example of every code the disclosure audit and the list matcher emit, snapshotted (the fixture: the two
/// works above, `tests/fixtures/disclosure.yaml` with one more declared funder the works never name, and the
/// test list matched against a co-author's affiliation).
#[test]
fn every_disclosure_and_list_code_has_an_example_and_its_snapshot() {
    use byline_entities::screening::{ListRelation, list_match_finding};
    use byline_model::codes::CODES;

    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/disclosure.yaml"))
        .expect("fixture");
    let mut disclosure = parse_disclosure(&yaml, "disclosure.yaml").expect("YAML parses");
    disclosure.funders.push(DeclaredFunding {
        funder: "Japan Society for the Promotion of Science".into(),
        funder_id: None,
        grant: Some("21K00001".into()),
        start: Some("2021".into()),
        end: None,
        role: None,
    });
    let ws = works(&["Anna Smith", "Li Wei", "Anna Smith"]);
    let authored = positions_by_orcid(&ws, disclosure.orcid.as_deref().unwrap_or(""));
    let (funders, screen, programmes) = (FunderDictionary::builtin(), screening(), default_programmes());
    let ctx = AuditContext {
        registry: None,
        institutions: None,
        screening: Some(&screen),
        funders: &funders,
        programmes: &programmes,
    };
    let mut findings = audit_disclosure(&authored, &disclosure, &ctx);
    // A co-author's affiliation on the researcher's work names the listed organisation (the audit's LST002).
    let coauthor = "Harbin Institute of Technology, Harbin, China";
    let m = screen.match_affiliation(coauthor).into_iter().next().expect("the list matches");
    findings.push(list_match_finding(
        &ws[0].work_id,
        ws[0].ids.doi.as_deref(),
        1,
        coauthor,
        &m,
        ListRelation::Collaborated,
    ));

    let mut examples = std::collections::BTreeMap::new();
    for f in &findings {
        examples.entry(f.code.clone()).or_insert(f);
    }
    let emitted_here: Vec<&str> = CODES
        .iter()
        .filter(|c| c.emitted_by.starts_with("byline-entities"))
        .map(|c| c.code)
        .filter(|c| !examples.contains_key(*c))
        .collect();
    assert!(emitted_here.is_empty(), "codes of byline-entities with no example: {emitted_here:?}");
    insta::assert_json_snapshot!("disclosure_codes", examples);
}

/// A declared organisation never seen in the works is one AFF005 however many periods declare it, over their
/// whole span (a KAKEN history lists each post at one institution separately).
#[test]
fn an_organisation_declared_over_several_periods_is_one_aff005() {
    let yaml = "name: Anna Smith\norcid: 0000-0002-1825-0097\nappointments:\n  \
        - {organization: Nowhere Institute of Science, start: '2012', end: '2015'}\n  \
        - {organization: Nowhere Institute of Science, start: '2016', end: '2019'}\n  \
        - {organization: Nowhere Institute of Science, start: '2010', end: '2011'}\n";
    let disclosure = parse_disclosure(yaml, "d.yaml").expect("YAML parses");
    let ws = works(&["Anna Smith", "Li Wei", "Anna Smith"]);
    let authored = positions_by_orcid(&ws, "0000-0002-1825-0097");
    let (funders, programmes) = (FunderDictionary::builtin(), default_programmes());
    let ctx = AuditContext {
        registry: None,
        institutions: None,
        screening: None,
        funders: &funders,
        programmes: &programmes,
    };
    let aff005: Vec<_> =
        audit_disclosure(&authored, &disclosure, &ctx).into_iter().filter(|f| f.code == "AFF005").collect();
    assert_eq!(aff005.len(), 1, "{aff005:#?}");
    assert!(aff005[0].reasons[0].contains("(2010–2019), 3 declared periods"), "{:?}", aff005[0].reasons);
}
