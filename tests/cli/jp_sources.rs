//! Japanese sources through the binary: a researchmap record as the declared side of `byline audit`, the
//! J-STAGE WebAPI's Atom through `byline ingest`, and `--kaken-id`/`--erad` fetching against a loopback server.

use crate::support::{byline, byline_json, ingest_pubmed_records, root, s};

fn researchmap_fixture(name: &str) -> std::path::PathBuf {
    root().join("crates/byline-fetch/tests/fixtures/researchmap").join(name)
}

/// One PubMed record of Kyosuke Takami with this affiliation and grant list.
fn takami_article(pmid: u32, aff: &str, grant: &str) -> String {
    format!(
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
         <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2024</Year></PubDate></JournalIssue>\
         <Title>J</Title></Journal><ArticleTitle>Learning analytics study {pmid}</ArticleTitle><AuthorList>\
         <Author ValidYN=\"Y\"><LastName>Takami</LastName><ForeName>Kyosuke</ForeName>\
         <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
         </AuthorList>{grant}</Article></MedlineCitation></PubmedArticle>"
    )
}

/// `audit --disclosure researchmap:FILE,FILE`: the real items of Kyosuke Takami's researchmap record
/// (published papers and research projects, `crates/byline-fetch/tests/fixtures/researchmap/SOURCE.md`) and
/// a profile section written here from the API's documented shape (hand-made: no real `research_experience`
/// answer was found) are the declared side. His KAKENHI grant JP23K17012 (JSPS, in the real projects) is
/// declared, an NIH grant is not (FUN001); the institution of the hand-made research experience is declared,
/// an undisclosed one is AFF002.
#[test]
fn audit_against_a_researchmap_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nier = "National Institute for Educational Policy Research, Tokyo, Japan.";
    let records = [
        takami_article(
            9200001,
            nier,
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>JP23K17012</GrantID>\
             <Agency>Japan Society for the Promotion of Science</Agency><Country>Japan</Country></Grant></GrantList>",
        ),
        takami_article(
            9200002,
            "Shenzhen Institute of Neural Engineering, Shenzhen, China.",
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>R01 NS000002</GrantID>\
             <Agency>NIH HHS</Agency><Country>United States</Country></Grant></GrantList>",
        ),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    // Hand-made from the researchmap.V2 documentation's shape (not a real answer): a researcher's record with
    // a research_experience section.
    let profile = dir.path().join("profile.json");
    std::fs::write(
        &profile,
        r#"{"@id": "https://api.researchmap.jp/takamikyo", "@type": "researchers", "permalink": "takamikyo",
            "family_name": {"ja": "高見", "en": "Takami"}, "given_name": {"ja": "享佑", "en": "Kyosuke"},
            "@graph": [{"@type": "research_experience", "items": [
              {"@type": "research_experience", "rm:id": "1", "from_date": "2023-04", "to_date": "9999",
               "affiliation": {"ja": "国立教育政策研究所", "en": "National Institute for Educational Policy Research"},
               "job": {"en": "Researcher"}}]}]}"#,
    )
    .expect("write");
    let disclosure = format!(
        "researchmap:{},{},{}",
        s(&researchmap_fixture("takami-lab-site-published_papers-items.json")),
        s(&researchmap_fixture("takami-lab-site-research_projects-items.json")),
        s(&profile)
    );
    let (code, out) = byline_json(&[
        "audit",
        "--corpus",
        s(&corpus),
        "--name",
        "Takami, Kyosuke",
        "--disclosure",
        &disclosure,
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 3, "{out}");
    let findings = out["disclosure_findings"].as_array().expect("findings");
    let of = |code: &str| -> Vec<String> {
        let mut v: Vec<String> = findings
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["subject"]["raw"].as_str().unwrap_or("").to_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(of("FUN001"), ["NIH HHS"], "{findings:#?}");
    assert_eq!(of("AFF002"), ["Shenzhen Institute of Neural Engineering"], "{findings:#?}");

    // Another format under researchmap: an error naming what was expected; a cut file: its position.
    let kaken = dir.path().join("kaken.json");
    std::fs::write(&kaken, r#"{"researchers": [{"id:person:erad": ["1"]}]}"#).expect("write");
    let cut = dir.path().join("cut.json");
    let whole =
        std::fs::read_to_string(researchmap_fixture("takami-lab-site-research_projects-items.json")).expect("fixture");
    std::fs::write(&cut, whole.chars().take(400).collect::<String>()).expect("write");
    for (file, says) in [(&kaken, "KAKEN"), (&cut, "line")] {
        let r = byline(&[
            "audit",
            "--corpus",
            s(&corpus),
            "--name",
            "Takami, Kyosuke",
            "--disclosure",
            &format!("researchmap:{}", s(file)),
        ]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{err}");
        assert!(err.contains(says) && err.contains(s(file)), "{err}");
    }
}

fn jstage_fixture() -> std::path::PathBuf {
    root().join("crates/byline-parse/tests/fixtures/jstage/fastpaper-cli-jstage_search.xml")
}

/// `byline ingest` on a real J-STAGE WebAPI answer (`crates/byline-parse/tests/fixtures/jstage/SOURCE.md`):
/// the entries are counted here by the closing tags (not the reader's way), records in = works out +
/// rejected, and the Japanese and English titles and names come back from Parquet. A cut copy keeps the
/// entries before the cut and says where it broke; a non-J-STAGE Atom feed is skipped, not misread.
#[test]
fn ingest_a_real_jstage_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(jstage_fixture()).expect("fixture");
    let entries = text.matches("</entry>").count() as u64;
    let corpus = dir.path().join("corpus");
    let (code, summary) = byline_json(&["ingest", s(&jstage_fixture()), "--out", s(&corpus), "--format", "json"]);
    assert_eq!(code, 0, "{summary}");
    let f = &summary["files"][0];
    assert_eq!(f["format"], "jstage", "{summary}");
    assert_eq!(f["records_seen"], entries);
    assert_eq!(f["works"], entries);
    assert_eq!(f["rejected"], 0);
    assert_eq!(summary["totals"]["works"], entries);

    let works = byline_corpus::CorpusReader::open(&corpus)
        .expect("corpus")
        .works(&byline_corpus::WorkFilter::All)
        .expect("works");
    assert_eq!(works.len() as u64, entries);
    let w = works.iter().find(|w| w.ids.doi.as_deref() == Some("10.11509/isciesci.68.2_73")).expect("work");
    assert_eq!(w.other_titles, [("ja".to_owned(), "基礎から一歩進んだ深層学習トピックス".to_owned())]);
    assert_eq!(w.venue.other_titles, ["システム／制御／情報"]);
    assert_eq!(w.authors[0].raw_name, "Kazuaki Kondo");
    assert_eq!(w.authors[0].other_names, ["近藤 一晃"]);

    // Cut inside the third entry: two kept, one rejected, exit 3, the break named.
    let third = text.match_indices("<entry>").nth(2).map(|(i, _)| i).expect("three entries");
    let cut = dir.path().join("cut.xml");
    let at = (third + 200..text.len()).find(|i| text.is_char_boundary(*i)).expect("a boundary");
    std::fs::write(&cut, &text[..at]).expect("write");
    let (code, summary) =
        byline_json(&["ingest", s(&cut), "--out", s(&dir.path().join("cut-corpus")), "--format", "json"]);
    assert_eq!(code, 3, "{summary}");
    let f = &summary["files"][0];
    assert_eq!((f["works"].as_u64(), f["rejected"].as_u64(), f["records_seen"].as_u64()), (Some(2), Some(1), Some(3)));
    assert!(
        f["file_error"].as_str().is_some_and(|r| r.contains("record 2, byte") && r.contains("end of input")),
        "{summary}"
    );

    // Another Atom feed: skipped as not recognized.
    let atom = dir.path().join("arxiv.xml");
    std::fs::write(
        &atom,
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>arXiv</title>\
         <entry><title>T</title><id>http://arxiv.org/abs/1</id></entry></feed>",
    )
    .expect("write");
    let (_, summary) =
        byline_json(&["ingest", s(&atom), "--out", s(&dir.path().join("atom-corpus")), "--format", "json"]);
    assert!(summary["files"][0]["skipped"].is_string(), "{summary}");
    assert_eq!(summary["totals"]["works"], 0);
}
