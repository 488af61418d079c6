//! `byline lists` on the real screening lists in shared data and on the published-format fixtures.

use std::path::PathBuf;

use crate::support::{byline, byline_json, ingest_pubmed_records, root, s, shared_data};

fn fixture(name: &str) -> PathBuf {
    root().join("crates/byline-entities/tests/fixtures").join(name)
}

/// (id, entries, aliases, skipped, date) of each list shown.
fn shown(value: &serde_json::Value) -> Vec<(String, u64, u64, u64, Option<String>)> {
    value
        .as_array()
        .expect("an array of lists")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap_or_default().to_owned(),
                l["entries"].as_u64().unwrap_or(u64::MAX),
                l["aliases"].as_u64().unwrap_or(u64::MAX),
                l["skipped"].as_u64().unwrap_or(u64::MAX),
                l["date"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn real_lists_load_with_exact_counts() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("entities");
    let files = [
        "aspi_china_defence_universities_misp.json",
        "aspi_china_defence_universities_misp.tsv",
        "jp_meti_russia_list_opensanctions.csv",
        "jp_meti_end_user_list_2025-09-29.xlsx",
        "ca_nro_2024-09-09.html",
        "us_bis_entity_list_nsfreg_2026-07-09.json",
        "us_dod_1286_nsfreg_2026-07-09.json",
        "us_csl_consolidated_sample.csv",
    ]
    .map(|f| dir.join(f));
    let mut args = vec!["lists"];
    for f in &files {
        args.extend(["--list", s(f)]);
    }
    args.extend(["--format", "json"]);
    let (code, value) = byline_json(&args);
    // Every one of these copies is more than a year old or undated: warned about, not refused.
    assert_eq!(code, 0, "{value}");
    // Counts from the files (SOURCE.md, and counted again with Python): 159 tracker values with 601 aliases
    // (meta.aliases plus the Chinese name of the `value` when not among them); 620 OpenSanctions `LegalEntity`
    // rows with 2,984 distinct `;`-separated aliases, the latest `last_change` 2025-03-14; the METI sheet's 835
    // rows under its header; the NRO page's 103 `<li><strong>` items, dated 2024-04-18; the BIS JSON's 3,409
    // entities with 5,172 aliases, extracted 2026-07-09; DoD's 134; the CSL sample's 13 rows.
    let lists = shown(&value);
    assert_eq!(lists[0], ("aspi_cdut".into(), 159, 601, 0, Some("MISP cluster version 1".into())));
    assert_eq!((lists[1].0.as_str(), lists[1].1, lists[1].3), ("aspi_cdut", 159, 0));
    assert_eq!(lists[2], ("jp_meti_russia".into(), 620, 2984, 0, Some("2025-03-14".into())));
    assert_eq!((lists[3].0.as_str(), lists[3].1, lists[3].4.as_deref()), ("jp_meti_eul", 835, Some("2025-09-29")));
    assert_eq!((lists[4].0.as_str(), lists[4].1, lists[4].4.as_deref()), ("ca_nro", 103, Some("2024-04-18")));
    assert_eq!(lists[5], ("us_bis_entity_list".into(), 3409, 5172, 0, Some("2026-07-09".into())));
    assert_eq!((lists[6].0.as_str(), lists[6].1), ("us_dod_1286", 134));
    assert_eq!((lists[7].0.as_str(), lists[7].1), ("us_csl", 13));
    assert_eq!(value[2]["name"], "Japan METI Russian List");
    assert_eq!(value[0]["name"], "ASPI China Defence Universities Tracker");
    for (i, format) in
        ["aspi-misp-json", "aspi-tsv", "opensanctions-csv", "jp-meti-xlsx", "ca-nro-html"].iter().enumerate()
    {
        assert_eq!(value[i]["format"], *format, "{}", value[i]);
    }
    for l in value.as_array().expect("lists") {
        assert_eq!(l["rows_read"], l["entries"].as_u64().unwrap_or(0) + l["skipped"].as_u64().unwrap_or(0), "{l}");
    }
    // People and programmes are kept and counted but never matched: 4 on the CSL sample, 6 programmes on DoD's.
    assert_eq!((value[7]["individuals"].as_u64(), value[6]["other_kinds"].as_u64()), (Some(4), Some(6)));
    assert_eq!(value[4]["concern"], "affiliation");
    assert_eq!(value[5]["concern"], "export_control");

    // The text table: read = kept + skipped, the date, and a warning for a list over a year old.
    let out = byline(&["lists", "--list", s(&files[3])]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("835 =    835 +       0") && text.contains("2025-09-29"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: jp_meti_eul") && stderr.contains("days ago"), "{stderr}");
    // A given date wins where the file has none, and a recent one is not warned about.
    let out = byline(&["lists", "--list", s(&files[7]), "--list-date", &today()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&today()));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

/// Today's date as the system has it, via `date` (a second implementation, so the test can fail).
fn today() -> String {
    let out = std::process::Command::new("date").args(["-u", "+%Y-%m-%d"]).output().expect("date runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn published_formats_are_recognized_from_fixtures() {
    let files = ["csl.csv", "csl.json", "meti_end_user_list.csv", "user_list.csv"].map(fixture);
    let mut args = vec!["lists"];
    for f in &files {
        args.extend(["--list", s(f)]);
    }
    let nro = fixture("named_research_organizations.txt");
    let forced = format!("ca-nro-text:{}", s(&nro));
    args.extend(["--list", &forced, "--list-date", "2024-05-01", "--format", "json"]);
    let (code, value) = byline_json(&args);
    assert_eq!(code, 0, "{value}");
    let d = Some("2024-05-01".to_owned());
    assert_eq!(
        shown(&value),
        vec![
            ("us_csl".into(), 3, 2, 0, d.clone()),
            ("us_csl".into(), 2, 2, 0, d.clone()),
            ("jp_meti_eul".into(), 3, 5, 0, d.clone()),
            ("user_list".into(), 2, 2, 0, d.clone()),
            ("ca_nro".into(), 4, 3, 0, d),
        ]
    );
    assert_eq!(value[4]["format"], "ca-nro-text");
    // Without the format, the text file is refused, never read as a list.
    let out = byline(&["lists", "--list", s(&nro)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--list-format ca-nro-text"));
}

#[test]
fn files_that_are_not_lists_are_refused_with_what_they_looked_like() {
    let Some(data) = shared_data() else { return };
    // A Scopus export, a predatory-journal lexicon, a JATS article, an index of lists with no entities.
    let cases = [
        ("bib/litstudy-scopus.csv", "columns"),
        ("lexicons", ""),
        ("jats", "XML"),
        ("entities/us_nsfreg_lists_2026-07-09.json", "index of lists"),
    ];
    for (rel, says) in cases {
        let mut path = data.join(rel);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .expect("dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv" || x == "xml"))
                .collect();
            files.sort();
            path = files.into_iter().next().expect("a file");
        }
        let out = byline(&["lists", "--list", s(&path)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
        assert!(stderr.contains("not a screening list byline recognises") && stderr.contains(says), "{stderr}");
        assert!(stderr.contains("jp-meti-xlsx") && stderr.contains("--list-format"), "{stderr}");
        // The audit refuses it the same way, before reading any corpus.
        let out = byline(&["audit", "--corpus", "/nonexistent", "--name", "X, Y", "--list", s(&path)]);
        assert_eq!(out.status.code(), Some(1));
    }
    // An empty list file and a list with a header only: errors, never a list read as empty.
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let header_only = dir.path().join("header.csv");
    std::fs::write(&header_only, "name,aliases,country\n").expect("write");
    for (path, says) in [(&empty, "empty"), (&header_only, "holds no entry")] {
        let out = byline(&["lists", "--list", s(path)]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn no_list_is_a_usage_error_and_a_missing_file_an_error() {
    let out = byline(&["lists"]);
    assert_ne!(out.status.code(), Some(0));
    let out = byline(&["lists", "--list", "/nonexistent/list.csv"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/list.csv"));
    let out = byline(&["lists", "--list", "/nonexistent/list.csv", "--list-format", "no-such-format"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ca-nro-html"));
}

/// A researcher's own listed affiliation is LST001 (affiliated); a co-author's on their work is LST002
/// (collaborated), and both say what the list governs. `scan --list` screens every author with the same loader.
#[test]
fn audit_and_scan_say_whether_a_listed_organisation_is_an_affiliation_or_a_collaboration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let orcid = "0000-0002-1825-0097";
    let article = |pmid: u32, own: &str, coauthor: &str| {
        format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2023</Year></PubDate></JournalIssue>\
             <Title>J</Title></Journal><ArticleTitle>A study {pmid}</ArticleTitle><AuthorList>\
             <Author ValidYN=\"Y\"><LastName>Smith</LastName><ForeName>Anna</ForeName>\
             <Identifier Source=\"ORCID\">{orcid}</Identifier>\
             <AffiliationInfo><Affiliation>{own}</Affiliation></AffiliationInfo></Author>\
             <Author ValidYN=\"Y\"><LastName>Wei</LastName><ForeName>Li</ForeName>\
             <AffiliationInfo><Affiliation>{coauthor}</Affiliation></AffiliationInfo></Author>\
             </AuthorList></Article></MedlineCitation></PubmedArticle>"
        )
    };
    let records = [
        article(
            9100001,
            "School of Astronautics, Example Institute of Defence Technology, Harbin, China",
            "Example College, Lyon, France",
        ),
        article(
            9100002,
            "Department of Physics, Example University, Boston, MA, USA",
            "College of Optics, Example Engineering University, Harbin, China",
        ),
        article(9100003, "Department of Physics, Example University, Boston, MA, USA", "Example College, Lyon, France"),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let list = dir.path().join("concern.json");
    std::fs::write(
        &list,
        serde_json::json!({"list_id": "bis-entity-list", "extracted": today(), "entities": [
            {"name": "Example Institute of Defence Technology", "aliases": [], "country": "China"},
            {"name": "Example Engineering University", "aliases": ["EEU"], "country": "China"},
            {"name": "Anna Smith", "aliases": [], "country": "China", "kind": "individual"}
        ]})
        .to_string(),
    )
    .expect("write");

    let (code, out) =
        byline_json(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--list", s(&list), "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let findings = out["list_findings"].as_array().expect("list findings");
    let mut got: Vec<(String, String, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["evidence"][0]["text"].as_str().unwrap_or_default().to_owned(),
                f["subject"]["position"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "LST001".into(),
                "School of Astronautics, Example Institute of Defence Technology, Harbin, China".into(),
                0
            ),
            ("LST002".into(), "College of Optics, Example Engineering University, Harbin, China".into(), 1),
        ],
        "{out}"
    );
    let reasons =
        |code: &str| findings.iter().find(|f| f["code"] == code).map(|f| f["reasons"].to_string()).unwrap_or_default();
    assert!(
        reasons("LST001").contains("An affiliation with a listed organisation")
            && reasons("LST001").contains("export-control"),
        "{}",
        reasons("LST001")
    );
    assert!(
        reasons("LST002").contains("of co-author 2")
            && reasons("LST002").contains("not an affiliation of the researcher"),
        "{}",
        reasons("LST002")
    );

    let (code, scan) = byline_json(&[
        "scan",
        "--corpus",
        s(&corpus),
        "--list",
        s(&list),
        "--select",
        "LST",
        "--out",
        s(&dir.path().join("scan")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{scan}");
    let by_code = scan["by_code"].as_array().expect("by_code");
    assert_eq!(by_code.len(), 1, "only the list code runs with --select LST: {scan}");
    assert_eq!((by_code[0]["code"].as_str(), by_code[0]["total"].as_u64()), (Some("LST001"), Some(2)), "{scan}");
    // A listed person's name never matches, even written as an affiliation.
    let text = std::fs::read_to_string(dir.path().join("scan/findings.json")).expect("findings");
    assert!(!text.contains("Anna Smith"), "{text}");
}
