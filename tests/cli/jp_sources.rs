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

/// A Takami article with a DOI (PubMed's `ELocationID`), at the institution his real researchmap papers give.
fn takami_article_with_doi(pmid: u32, doi: &str) -> String {
    format!(
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
         <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2024</Year></PubDate></JournalIssue>\
         <Title>J</Title></Journal><ArticleTitle>Learning analytics study {pmid}</ArticleTitle>\
         <ELocationID EIdType=\"doi\" ValidYN=\"Y\">{doi}</ELocationID><AuthorList>\
         <Author ValidYN=\"Y\"><LastName>Takami</LastName><ForeName>Kyosuke</ForeName>\
         <AffiliationInfo><Affiliation>Kyoto University, Kyoto, Japan.</Affiliation></AffiliationInfo></Author>\
         </AuthorList></Article></MedlineCitation></PubmedArticle>"
    )
}

/// The researchmap record's published papers are the researcher's claim, as an ORCID works list is: works
/// whose DOI is among the real papers' DOIs get ORC002, a work the list does not hold gets ORC001 (the list
/// holds most of the record's works), each reason naming researchmap, not ORCID.
#[test]
fn researchmap_published_papers_are_the_researchers_claim() {
    let dir = tempfile::tempdir().expect("tempdir");
    let papers = researchmap_fixture("takami-lab-site-published_papers-items.json");
    // The DOIs the real items give, read here with serde_json, not by the reader under test.
    let items: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&papers).expect("fixture")).expect("json");
    let listed: Vec<String> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["identifiers"]["doi"][0].as_str().map(str::to_lowercase))
        .take(4)
        .collect();
    assert_eq!(listed.len(), 4);
    let unlisted = "10.9999/not-in-researchmap.1";
    let mut records: Vec<String> =
        listed.iter().enumerate().map(|(i, d)| takami_article_with_doi(9300001 + i as u32, d)).collect();
    records.push(takami_article_with_doi(9300100, unlisted));
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let (code, out) = byline_json(&[
        "audit",
        "--corpus",
        s(&corpus),
        "--name",
        "Takami, Kyosuke",
        "--disclosure",
        &format!("researchmap:{}", s(&papers)),
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 3, "{out}");
    let works = out["audit"]["works"].as_array().expect("works");
    assert_eq!(works.len(), 5, "{out}");
    let reasons_of = |doi: &str, code: &str| -> Option<String> {
        works.iter().find(|w| w["doi"].as_str().map(str::to_lowercase).as_deref() == Some(doi)).and_then(|w| {
            w["findings"].as_array().into_iter().flatten().find(|f| f["code"] == code).map(|f| f["reasons"].to_string())
        })
    };
    let orc001 = reasons_of(unlisted, "ORC001").expect("ORC001 on the work researchmap does not list");
    assert!(orc001.contains("researchmap list of published papers") && !orc001.contains("ORCID"), "{orc001}");
    for d in &listed {
        let orc002 = reasons_of(d, "ORC002").unwrap_or_else(|| panic!("ORC002 on {d}: {out}"));
        assert!(orc002.contains("in their researchmap record"), "{orc002}");
        assert!(reasons_of(d, "ORC001").is_none());
    }
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

/// One PubMed record of Nomura Taishin (the shared KAKEN sample's researcher, e-Rad 50283734).
fn nomura_article(pmid: u32, aff: &str, grant: &str) -> String {
    format!(
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
         <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2016</Year></PubDate></JournalIssue>\
         <Title>J</Title></Journal><ArticleTitle>Postural control study {pmid}</ArticleTitle><AuthorList>\
         <Author ValidYN=\"Y\"><LastName>Nomura</LastName><ForeName>Taishin</ForeName>\
         <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
         </AuthorList>{grant}</Article></MedlineCitation></PubmedArticle>"
    )
}

/// Every byte under `dir` as text.
fn tree_text(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.push_str(&tree_text(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).expect("read")));
        }
    }
    out
}

/// `audit --erad N` end to end against a loopback KAKEN API serving the shared data's real KAKEN record
/// (byline_testdata::apis::kaken_answer): the fetched record is the declared side (his KAKENHI grant declared,
/// an NIH grant not; an undisclosed Shenzhen affiliation AFF002; his project members declared); the appid is
/// sent but never reaches the cache, stdout or stderr; `--offline` then needs neither the server nor the
/// appid; `--researchmap` fetches the researchmap record the same way.
#[test]
fn audit_with_records_fetched_from_kaken_and_researchmap() {
    if crate::support::shared_data().is_none() {
        return;
    }
    let appid = "cli-appid-7HqP2w";
    let server = byline_testdata::http::TestServer::start(byline_testdata::apis::recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let records = [
        nomura_article(
            9300001,
            "Graduate School of Engineering Science, Osaka University, Toyonaka, Osaka, Japan.",
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>JP26242041</GrantID>\
             <Agency>Japan Society for the Promotion of Science</Agency><Country>Japan</Country></Grant></GrantList>",
        ),
        nomura_article(
            9300002,
            "Shenzhen Institute of Neural Engineering, Shenzhen, China.",
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>R01 NS000003</GrantID>\
             <Agency>NIH HHS</Agency><Country>United States</Country></Grant></GrantList>",
        ),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let kaken_url = format!("{}/kaken", server.url());
    let base = [
        "audit",
        "--corpus",
        s(&corpus),
        "--name",
        "Nomura, Taishin",
        "--erad",
        "50283734",
        "--cache",
        s(&cache),
        "--kaken-url",
        &kaken_url,
        "--format",
        "json",
    ];
    let check = |out: &serde_json::Value| {
        let findings = out["disclosure_findings"].as_array().expect("findings");
        let of = |code: &str| -> Vec<String> {
            findings
                .iter()
                .filter(|f| f["code"] == code)
                .map(|f| f["subject"]["raw"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(of("FUN001"), ["NIH HHS"], "{findings:#?}");
        assert_eq!(of("AFF002"), ["Shenzhen Institute of Neural Engineering"], "{findings:#?}");
        let collaborators = out["declared_collaborators"].as_array().expect("declared collaborators");
        assert!(collaborators.iter().any(|c| c["erad"] == "30291438"), "{collaborators:#?}");
    };
    let mut online: Vec<&str> = base.to_vec();
    online.extend(["--kaken-appid", appid]);
    let r = byline(&online);
    let (stdout, stderr) = (String::from_utf8_lossy(&r.stdout), String::from_utf8_lossy(&r.stderr));
    assert!(matches!(r.status.code(), Some(0 | 3)), "{stderr}");
    check(&serde_json::from_str(&stdout).expect("json"));
    assert!(server.requests().iter().any(|q| q.contains(appid)), "the appid is sent");
    assert!(!stdout.contains(appid) && !stderr.contains(appid));
    assert!(!tree_text(&cache).contains(appid), "the appid reached the cache");

    // Offline: no appid, no server.
    let served = server.requests().len();
    let mut offline: Vec<&str> = base.to_vec();
    offline.push("--offline");
    let (code, out) = byline_json(&offline);
    assert!(code == 0 || code == 3, "{out}");
    check(&out);
    assert_eq!(server.requests().len(), served);

    // Without an appid and nothing cached: an error saying what is needed. Another person's name: refused.
    let mut no_appid: Vec<&str> = base.to_vec();
    let empty_cache = dir.path().join("empty-cache");
    no_appid[s_index(&base, "--cache") + 1] = s(&empty_cache);
    let r = byline(&no_appid);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("KAKEN_APPID"), "{}", String::from_utf8_lossy(&r.stderr));
    let mut wrong: Vec<&str> = offline.clone();
    wrong[s_index(&base, "--name") + 1] = "Takami, Kyosuke";
    let r = byline(&wrong);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("野村 泰伸"), "{}", String::from_utf8_lossy(&r.stderr));

    // researchmap by permalink: Kyosuke Takami's record (recorded items) declares his JSPS grant.
    let takami = [takami_article(
        9300003,
        "National Institute for Educational Policy Research, Tokyo, Japan.",
        "<GrantList CompleteYN=\"Y\"><Grant><GrantID>JP23K17012</GrantID>\
         <Agency>Japan Society for the Promotion of Science</Agency><Country>Japan</Country></Grant>\
         <Grant><GrantID>R01 NS000004</GrantID><Agency>NIH HHS</Agency><Country>United States</Country></Grant>\
         </GrantList>",
    )];
    let tdir = tempfile::tempdir().expect("tempdir");
    let tcorpus = ingest_pubmed_records(tdir.path(), &takami);
    let rm_url = format!("{}/researchmap", server.url());
    let (code, out) = byline_json(&[
        "audit",
        "--corpus",
        s(&tcorpus),
        "--name",
        "Takami, Kyosuke",
        "--researchmap",
        "takamikyo",
        "--cache",
        s(&cache),
        "--researchmap-url",
        &rm_url,
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 3, "{out}");
    let fun: Vec<&str> = out["disclosure_findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "FUN001")
        .filter_map(|f| f["subject"]["raw"].as_str())
        .collect();
    assert_eq!(fun, ["NIH HHS"], "{out}");
}

fn s_index(args: &[&str], flag: &str) -> usize {
    args.iter().position(|a| *a == flag).expect("flag present")
}
