//! The KAKEN researcher reader on the real sample (`jp/kaken_researchers_sample.json` in the shared data,
//! see its SOURCE.md): counts computed here with `serde_json::Value`, independently of the reader, and
//! asserted against both the reader and the exact figures of the sample.

use std::collections::{BTreeMap, BTreeSet};

use byline_fetch::kaken::{KakenError, NamePart, NameScript, parse_kaken};
use serde_json::Value;

fn sample() -> Option<String> {
    let dir = byline_testdata::shared_data()?;
    Some(std::fs::read_to_string(dir.join("jp/kaken_researchers_sample.json")).expect("the KAKEN sample reads"))
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

#[test]
fn real_sample_counts() {
    let Some(body) = sample() else { return };
    let file = parse_kaken(&body).expect("the sample is KAKEN researcher JSON");
    let raw: Value = serde_json::from_str(&body).expect("JSON");
    let researchers = arr(&raw, "researchers");

    // Independent counts from the raw JSON.
    let projects: Vec<&Value> = researchers.iter().flat_map(|r| arr(r, "work:project")).collect();
    let project_ids: BTreeSet<&str> =
        projects.iter().filter_map(|p| p["recordSource"]["id:project:kakenhi"][0].as_str()).collect();
    let members: Vec<&Value> = projects.iter().flat_map(|p| arr(p, "member")).collect();
    let member_erad: Vec<&str> = members.iter().filter_map(|m| m["id:person:erad"].as_str()).collect();
    let distinct_erad: BTreeSet<&str> = member_erad.iter().copied().collect();
    let mut product_types: BTreeMap<&str, usize> = BTreeMap::new();
    for p in researchers.iter().flat_map(|r| arr(r, "work:product")) {
        *product_types.entry(p["resourceType"].as_str().unwrap_or("?")).or_default() += 1;
    }
    let history: usize = researchers.iter().map(|r| arr(r, "affiliations:history").len()).sum();

    // The sample's figures (SOURCE.md), from the raw JSON.
    assert_eq!(researchers.len(), 7);
    assert_eq!(projects.len(), 112);
    assert_eq!(project_ids.len(), 107);
    assert_eq!(members.len(), 505);
    assert_eq!(member_erad.len(), 485);
    // SOURCE.md says 258 distinct people; the distinct e-Rad ids are 257 (Python and this test agree).
    assert_eq!(distinct_erad.len(), 257);
    assert_eq!(
        product_types,
        BTreeMap::from([("Book", 25), ("Journal Article", 306), ("Patent", 1), ("Presentation", 392)])
    );
    assert_eq!(history, 74);

    // The reader keeps every record and every entry.
    assert_eq!(file.records_seen(), 7);
    assert_eq!(file.researchers.len(), 7);
    assert!(file.rejected.is_empty());
    for r in &file.researchers {
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }
    let rs = &file.researchers;
    let kept_projects: Vec<_> = rs.iter().flat_map(|r| &r.projects).collect();
    assert_eq!(kept_projects.len(), projects.len());
    assert_eq!(kept_projects.iter().map(|p| p.id.as_str()).collect::<BTreeSet<_>>(), project_ids);
    let kept_members: Vec<_> = kept_projects.iter().flat_map(|p| &p.members).collect();
    assert_eq!(kept_members.len(), members.len());
    assert_eq!(kept_members.iter().filter(|m| m.erad.is_some()).count(), member_erad.len());
    assert_eq!(kept_members.iter().filter_map(|m| m.erad.as_deref()).collect::<BTreeSet<_>>(), distinct_erad);
    let mut kept_types: BTreeMap<&str, usize> = BTreeMap::new();
    for p in rs.iter().flat_map(|r| &r.products) {
        *kept_types.entry(p.kind.as_deref().unwrap_or("?")).or_default() += 1;
    }
    assert_eq!(kept_types, product_types);
    let dois = researchers.iter().flat_map(|r| arr(r, "work:product")).filter(|p| p.get("id:doi").is_some()).count();
    assert_eq!(dois, 82);
    assert_eq!(rs.iter().flat_map(|r| &r.products).filter(|p| p.doi.is_some()).count(), dois);
    assert_eq!(rs.iter().map(|r| r.history().count()).sum::<usize>(), history);
    assert_eq!(rs.iter().map(|r| r.affiliations.iter().filter(|a| a.current).count()).sum::<usize>(), 7);
}

#[test]
fn real_sample_values() {
    let Some(body) = sample() else { return };
    let file = parse_kaken(&body).expect("KAKEN");
    let nomura = file.researchers.iter().find(|r| r.erad_id() == Some("50283734")).expect("Nomura Taishin");
    assert_eq!(nomura.name_in(NameScript::Kanji), Some("野村 泰伸"));
    assert_eq!(nomura.name_in(NameScript::Kana), Some("ノムラ タイシン"));
    assert_eq!(nomura.name_in(NameScript::Latin), Some("Nomura Taishin"));
    assert_eq!(nomura.kaken_id.as_deref(), Some("id:person:kakenhi**1120958"));
    let full = nomura.full_names();
    assert!(full.contains(&"NOMURA Taishin".to_owned()), "{full:?}");

    let p = nomura.projects.iter().find(|p| p.grant_number == "26242041").expect("KAKENHI 26242041");
    assert_eq!(p.id, "KAKENHI-PROJECT-26242041");
    assert_eq!((p.first_fiscal_year, p.last_fiscal_year), (Some(2014), Some(2016)));
    assert_eq!(p.roles, ["principal_investigator"]);
    assert!(p.category.iter().any(|c| c.text == "Grant-in-Aid for Scientific Research (A)"));
    assert_eq!(p.members.len(), 6);
    let first = nomura.projects.iter().find(|p| p.grant_number == "09268224").expect("KAKENHI 09268224");
    assert_eq!((first.first_fiscal_year, first.last_fiscal_year), (Some(1997), Some(1997)));
    assert_eq!(first.institution_nii_codes, ["0014401"]);
    // A romanised member name tagged `ja`: the script comes from the characters.
    let pakdaman = first.members.iter().find(|m| m.erad.as_deref() == Some("30291438")).expect("member");
    assert_eq!(pakdaman.names[0].text, "PAKDAMAN Kha");
    assert_eq!(pakdaman.names[0].lang.as_deref(), Some("ja"));
    assert_eq!(pakdaman.names[0].script, NameScript::Latin);

    // Affiliations keep their raw strings and dates.
    let current = nomura.affiliations.iter().find(|a| a.current).expect("current affiliation");
    assert_eq!(current.institution[0].text, "大阪大学");
    assert!(current.institution_ids.contains(&("erad".to_owned(), "2114401000".to_owned())));
    assert_eq!(current.since.as_deref(), Some("2022-04-01"));

    // The maiden name stays a name of the person.
    let hashiguchi = file.researchers.iter().find(|r| r.erad_id() == Some("60339140")).expect("Hashiguchi");
    assert_eq!(hashiguchi.name_in(NameScript::Kanji), Some("橋口 陽子 (小野 陽子)"));
    assert!(hashiguchi.names.iter().any(|n| n.text == "ONO" && n.part == NamePart::Family));

    // Collaborators: the members other than the researcher, one per e-Rad id.
    let collaborators = nomura.collaborators();
    assert!(collaborators.iter().all(|c| c.erad.as_deref() != Some("50283734")));
    let pak = collaborators.iter().find(|c| c.erad.as_deref() == Some("30291438")).expect("PAKDAMAN");
    assert!(pak.projects.contains(&"09268224".to_owned()));
}

#[test]
fn other_formats_are_refused_with_what_was_expected() {
    let orcid = r#"{"orcid-identifier": {"path": "0000-0002-1825-0097"}}"#;
    let e = parse_kaken(orcid).expect_err("an ORCID record is not KAKEN");
    assert!(e.to_string().contains("\"researchers\""), "{e}");
    let Some(body) = sample() else { return };
    // Every truncation of the real file is an error or a smaller read, never a panic.
    for cut in [1, 100, 1000, body.len() / 2, body.len() - 2] {
        let Some(head) = body.get(..cut) else { continue };
        match parse_kaken(head) {
            Err(KakenError::Json { line, column, .. }) => assert!(line >= 1 && column >= 1),
            other => panic!("a truncated file at {cut} must be a JSON error, got {other:?}"),
        }
    }
}

/// Real files of other kinds are refused with what was expected: a recorded ORCID record, an OpenAlex results
/// page, a Crossref work, and the KAKEN institution master (CSV).
#[test]
fn real_files_of_other_kinds_are_refused() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = vec![
        fixtures.join("orcid/mex-common-record-0000-0002-1825-0097.json"),
        fixtures.join("openalex/openalexPro-keypaper-results_page_1.json"),
    ];
    if let Some(dir) = byline_testdata::shared_data() {
        files.push(dir.join("crossref/raw/habanero-work-single-10.1371-journal.pone.0033693.json"));
        files.push(dir.join("jp/kaken_institution_master.csv"));
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("the file reads");
        let e = parse_kaken(&text).expect_err("not a KAKEN researcher file");
        // Either the JSON's shape (no `researchers` array) or not JSON at all; both say what was expected.
        let message = e.to_string();
        assert!(
            message.contains("researchers") || message.contains("KAKEN researcher JSON"),
            "{}: {e}",
            path.display()
        );
    }
}
