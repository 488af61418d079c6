//! Hostile inputs through the CLI: never a panic, always a diagnostic, counts still reconcile.

use std::io::Write;

use crate::support::{byline, byline_json, root, s};

#[test]
fn hostile_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("in");
    std::fs::create_dir_all(&d).expect("mkdir");
    // A real generated PubMed file cut in half: truncated gzip.
    let gz = std::fs::read(root().join("datasets/sample/pubmed-0000.xml.gz")).expect("sample");
    std::fs::write(d.join("truncated.xml.gz"), &gz[..gz.len() / 2]).expect("write");
    std::fs::write(d.join("empty.xml"), b"").expect("write");
    std::fs::write(
        d.join("unbalanced.xml"),
        b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article></MedlineCitation>",
    )
    .expect("write");
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>&lol3;</ArticleTitle>
</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"#;
    std::fs::write(d.join("laughs.xml"), laughs).expect("write");
    let mut bad = std::fs::File::create(d.join("bad-utf8.jsonl")).expect("create");
    bad.write_all(b"{\"DOI\":\"10.1/ok\",\"title\":[\"fine\"],\"type\":\"journal-article\"}\n").expect("w");
    bad.write_all(b"{\"DOI\":\"10.1/bad\",\"title\":[\"\xff\xfe broken\"],\"type\":\"journal-article\"}\n").expect("w");
    bad.write_all(b"{\"DOI\":\"10.1/ok2\",\"title\":[\"fine too\"],\"type\":\"journal-article\"}\n").expect("w");
    drop(bad);
    std::fs::write(d.join("not-json.jsonl"), b"{\"DOI\": \"10.1/x\", \"title\": [\"unterminated\"\n").expect("write");

    let corpus = dir.path().join("corpus");
    let (code, summary) = byline_json(&["ingest", s(&d), "--out", s(&corpus), "--format", "json"]);
    assert_eq!(code, 3, "problems must show in the exit code: {summary}");
    let files = summary["files"].as_array().expect("files");
    let entry = |name: &str| files.iter().find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name))).expect(name);
    for f in files {
        let seen = f["records_seen"].as_u64().unwrap_or(0);
        assert_eq!(seen, f["works"].as_u64().unwrap_or(0) + f["rejected"].as_u64().unwrap_or(0), "{f}");
    }
    // Truncated gzip: the records before the cut are kept, the file error names the problem.
    let t = entry("truncated.xml.gz");
    assert!(t["works"].as_u64().unwrap_or(0) > 0, "{t}");
    assert!(t["file_error"].is_string(), "{t}");
    assert!(entry("empty.xml")["file_error"].as_str().is_some_and(|e| e.contains("empty")));
    assert!(entry("unbalanced.xml")["file_error"].is_string());
    assert_eq!(entry("unbalanced.xml")["rejected"], 1);
    // Entities are never expanded; the record is kept or rejected, but nothing blows up.
    assert_eq!(entry("laughs.xml")["records_seen"], 1);
    let b = entry("bad-utf8.jsonl");
    assert_eq!((b["works"].as_u64(), b["rejected"].as_u64()), (Some(2), Some(1)), "{b}");
    assert!(
        entry("not-json.jsonl")["rejected"].as_u64().unwrap_or(0)
            + u64::from(entry("not-json.jsonl")["file_error"].is_string())
            > 0
    );

    // --strict writes nothing and says so.
    let strict = dir.path().join("strict");
    let r = byline(&["ingest", s(&d), "--out", s(&strict), "--strict"]);
    assert_eq!(r.status.code(), Some(3));
    assert!(!strict.exists());
}

#[test]
fn missing_input_paths_are_reported_not_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let (code, summary) =
        byline_json(&["ingest", s(&dir.path().join("does-not-exist")), "--out", s(&corpus), "--format", "json"]);
    assert_eq!(code, 3);
    assert_eq!(summary["totals"]["files_failed"], 1);
}
