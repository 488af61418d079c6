//! `byline audit`, `byline report`, `byline network` and `byline demo` on the bundled sample, whose planted
//! truth (`datasets/sample/.truth.json`) says which works were put on the researcher's name.

use crate::support::{byline, byline_json, ingest_pubmed_records, root, s};

fn sample_corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    let r = byline(&["ingest", s(&root().join("datasets/sample")), "--out", s(&corpus), "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    corpus
}

fn truth() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("datasets/sample/.truth.json")).expect("truth");
    serde_json::from_str(&text).expect("truth json")
}

#[test]
fn audit_ranks_every_planted_work_above_every_genuine_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = sample_corpus(dir.path());
    let t = truth();
    let orcid = t["orcid"].as_str().expect("the scenario researcher has an ORCID");
    let (code, out) = byline_json(&[
        "audit",
        "--corpus",
        s(&corpus),
        "--orcid",
        orcid,
        "--name",
        t["name"].as_str().unwrap_or(""),
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 3, "{out}");
    let planted: Vec<&str> = t["planted_dois"].as_array().expect("dois").iter().filter_map(|d| d.as_str()).collect();
    let works = out["audit"]["works"].as_array().expect("works");
    assert!(works.len() > planted.len(), "the record holds genuine works too");
    let top: Vec<&str> = works.iter().take(planted.len()).filter_map(|w| w["doi"].as_str()).collect();
    for d in &planted {
        assert!(top.contains(d), "planted {d} not in the top {}: {top:?}", planted.len());
    }
    // The paper-mill detectors ran over the record (the synthetic researcher has no mill signal to report).
    assert!(out["papermill_findings"].is_array(), "{out}");
    // Every flag explains itself.
    for w in works.iter().filter(|w| w["severity"] != "info") {
        let findings = w["findings"].as_array().expect("findings");
        assert!(
            !findings.is_empty() && findings.iter().all(|f| !f["reasons"].as_array().is_none_or(Vec::is_empty)),
            "{w}"
        );
    }
}

#[test]
fn audit_report_renders_escaped_html_markdown_and_round_trips_through_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = sample_corpus(dir.path());
    let t = truth();
    let orcid = t["orcid"].as_str().expect("orcid");
    let json = dir.path().join("audit.json");
    let r = byline(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--report", s(&json), "--quiet"]);
    assert!(matches!(r.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&r.stderr));
    let html = dir.path().join("audit.html");
    let md = dir.path().join("audit.md");
    for out in [&html, &md] {
        let r = byline(&["report", s(&json), "--out", s(out)]);
        assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("Byline audit") && page.contains("<svg"), "report has its title and charts");
    assert!(!page.contains("<script"), "a byline report carries no script");
    assert!(page.contains("default-src 'none'"));
    for d in t["planted_dois"].as_array().expect("dois").iter().filter_map(|d| d.as_str()) {
        assert!(page.contains(d), "planted work {d} is in the report");
    }
    let markdown = std::fs::read_to_string(&md).expect("md");
    assert!(markdown.contains("AUD001"));
    let bad = byline(&["report", s(&json), "--out", s(&dir.path().join("x.pdf"))]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn network_exports_parse_back_with_the_reported_sizes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = sample_corpus(dir.path());
    for (kind, ext) in [("coauthor", "gexf"), ("country", "graphml")] {
        let out = dir.path().join(format!("net.{ext}"));
        let (code, summary) =
            byline_json(&["network", "--corpus", s(&corpus), "--kind", kind, "--out", s(&out), "--format", "json"]);
        assert_eq!(code, 0, "{summary}");
        let text = std::fs::read_to_string(&out).expect("export");
        let nodes = text.matches("<node ").count();
        let edges = text.matches("<edge ").count();
        assert_eq!(nodes as u64, summary["nodes"].as_u64().unwrap_or(0), "{kind}");
        assert_eq!(edges as u64, summary["edges"].as_u64().unwrap_or(0), "{kind}");
        assert!(nodes > 1 && edges > 0, "{kind}: {nodes} nodes, {edges} edges");
    }
    let vos = dir.path().join("inst.vosviewer");
    let r = byline(&["network", "--corpus", s(&corpus), "--kind", "institution", "--out", s(&vos)]);
    assert_eq!(r.status.code(), Some(0));
    let map = std::fs::read_to_string(dir.path().join("inst.map.txt")).expect("map");
    assert!(map.starts_with("id\tlabel\tx\ty\tcluster"), "{map}");
}

#[test]
fn demo_runs_end_to_end_and_reports_against_the_planted_truth() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo");
    let r = byline(&["demo", "--sample", s(&root().join("datasets/sample")), "--out", s(&out)]);
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&r.stderr));
    assert!(stdout.contains("records read 404 = works 404 + rejected 0"), "{stdout}");
    assert!(stdout.contains("planted truth:"), "{stdout}");
    assert!(out.join("report.html").is_file() && out.join("report.md").is_file());
}

#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    // `byline ingest … --format json | head`: the reader goes away before the summary is written. 1,500
    // one-record files make a summary far larger than a pipe buffer, so the write must hit the closed pipe.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("many");
    // What `byline-bench generate --out many --works 1500 --records-per-file 1 --no-gzip` writes.
    let spec = byline_synth::generate::CorpusSpec {
        seed: 7,
        works: 1500,
        records_per_file: 1,
        formats: vec![byline_model::Format::Pubmed],
        gzip: false,
        plant_audit: 0,
        ..Default::default()
    };
    byline_synth::generate::write_base_corpus(&spec, &input).expect("generate");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["ingest", s(&input), "--out", s(&dir.path().join("corpus")), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `audit --disclosure --ror`: with a ROR registry, each institution an affiliation string names is compared
/// with the disclosure by organisation (aliases included), a declared parent covers its unit's record, and an
/// e-mail domain of none of the listed institutions is reported; without it, names are compared as written.
#[test]
fn audit_with_a_ror_registry_compares_the_disclosure_by_organisation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let orcid = "0000-0002-1825-0097";
    // PubMed XML: its reader takes the e-mail written in the affiliation text.
    let article = |pmid: u32, aff: &str, email: &str| {
        format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2023</Year></PubDate></JournalIssue>\
             <Title>J</Title></Journal><ArticleTitle>A study {pmid}</ArticleTitle><AuthorList>\
             <Author ValidYN=\"Y\"><LastName>Smith</LastName><ForeName>Anna</ForeName>\
             <Identifier Source=\"ORCID\">{orcid}</Identifier>\
             <AffiliationInfo><Affiliation>{aff}. Electronic address: {email}.</Affiliation></AffiliationInfo></Author>\
             <Author ValidYN=\"Y\"><LastName>Wei</LastName><ForeName>Li</ForeName>\
             <AffiliationInfo><Affiliation>Example College, Lyon, France.</Affiliation></AffiliationInfo></Author>\
             </AuthorList></Article></MedlineCitation></PubmedArticle>"
        )
    };
    let records = [
        article(9000001, "Viral Genomics Unit, Institut Pasteur, Université Paris Cité, Paris, France", "a@pasteur.fr"),
        article(9000002, "Department of Surgery, Michigan Medicine, Ann Arbor, MI, USA", "a@umich.edu"),
        article(9000003, "Université Paris Cité, Paris, France", "a@samara.ru"),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let org = |id: &str, name: &str, alias: &str, country: &str, domain: &str, parent: Option<&str>| {
        serde_json::json!({"id": format!("https://ror.org/{id}"), "status": "active", "types": ["education"],
            "names": [{"value": name, "types": ["ror_display", "label"], "lang": null},
                      {"value": alias, "types": ["alias"], "lang": null}],
            "locations": [{"geonames_details": {"country_code": country, "country_name": "x", "name": "x"}}],
            "domains": [domain],
            "relationships": parent.map(|p| vec![serde_json::json!({"type": "parent", "id": format!("https://ror.org/{p}"), "label": "p"})]).unwrap_or_default()})
    };
    let ror = serde_json::json!([
        org("0495fxg12", "Institut Pasteur", "Pasteur Institute", "FR", "pasteur.fr", None),
        org("05f82e368", "Université Paris Cité", "University of Paris", "FR", "u-paris.fr", None),
        org("00jmfr291", "University of Michigan", "UMich", "US", "umich.edu", None),
        org(
            "01zcpa714",
            "Michigan Medicine",
            "University of Michigan Health System",
            "US",
            "med.umich.edu",
            Some("00jmfr291")
        ),
        org("05ggagb37", "Samara National Research University", "Samara University", "RU", "samara.ru", None),
    ]);
    let ror_path = dir.path().join("ror.json");
    std::fs::write(&ror_path, ror.to_string()).expect("write");
    let disclosure = dir.path().join("disclosure.yaml");
    std::fs::write(
        &disclosure,
        format!("orcid: {orcid}\nappointments:\n  - organization: University of Paris\n  - organization: University of Michigan\n"),
    )
    .expect("write");
    let run = |extra: &[&str]| {
        let mut args = vec!["audit", "--corpus", s(&corpus), "--orcid", orcid, "--disclosure", s(&disclosure)];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--format", "json"]);
        let (code, out) = byline_json(&args);
        assert!(code == 0 || code == 3, "{out}");
        out["disclosure_findings"].as_array().expect("findings").clone()
    };
    let subjects = |fs: &[serde_json::Value], code: &str| -> Vec<String> {
        let mut v: Vec<String> = fs
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["subject"]["raw"].as_str().unwrap_or("").to_owned())
            .collect();
        v.sort();
        v
    };
    let with = run(&["--ror", s(&ror_path)]);
    // "University of Paris" (an alias) is Université Paris Cité; Michigan Medicine is a unit of the declared
    // university; Institut Pasteur, named beside the declared university, is not declared.
    assert_eq!(subjects(&with, "AFF002"), ["Institut Pasteur"], "{with:#?}");
    assert!(subjects(&with, "AFF005").is_empty(), "{with:#?}");
    // The samara.ru address on a Paris byline belongs to neither listed institution.
    let aff004: Vec<&serde_json::Value> = with.iter().filter(|f| f["code"] == "AFF004").collect();
    assert_eq!(aff004.len(), 1, "{with:#?}");
    assert!(
        aff004[0]["reasons"][0].as_str().unwrap_or("").contains("Samara National Research University"),
        "{with:#?}"
    );
    // Without the registry the declared names, as written, match nothing seen.
    let without = run(&[]);
    assert_eq!(subjects(&without, "AFF005").len(), 2, "{without:#?}");
    // --ror needs --disclosure; a broken registry is an error naming the file.
    let r = byline(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--ror", s(&ror_path)]);
    assert_eq!(r.status.code(), Some(2), "{}", String::from_utf8_lossy(&r.stderr));
    // A registry that cannot be read: exit 1 and the error on stderr.
    let failing = |registry: &std::path::Path| {
        let r = byline(&[
            "audit",
            "--corpus",
            s(&corpus),
            "--orcid",
            orcid,
            "--disclosure",
            s(&disclosure),
            "--ror",
            s(registry),
        ]);
        let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
        assert_eq!(r.status.code(), Some(1), "{stderr}");
        stderr
    };
    // A missing registry: one clear error naming the file, its cause said once.
    let stderr = failing(&dir.path().join("missing.json.gz"));
    assert!(stderr.contains("missing.json.gz") && stderr.matches("os error 2").count() == 1, "{stderr}");
    std::fs::write(&ror_path, "[{\"id\": ").expect("write");
    let stderr = failing(&ror_path);
    assert!(stderr.contains("ror.json"), "{stderr}");
}

/// One normalization home (byline-norm): every AFF001 flag that names a first-time country names an ISO code the
/// report's "works per year by country" chart counts for that work's year, and the work's evidence entry in the
/// report lists it. Before, AFF001 read countries with byline-graph's table and the chart with byline-entities'.
#[test]
fn aff001_countries_are_the_ones_the_report_chart_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = sample_corpus(dir.path());
    let t = truth();
    let orcid = t["orcid"].as_str().expect("orcid");
    let report = dir.path().join("audit.json");
    let (code, out) =
        byline_json(&["audit", "--corpus", s(&corpus), "--orcid", orcid, "--format", "json", "--report", s(&report)]);
    assert!(code == 0 || code == 3, "{out}");
    let input: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report json")).expect("report is json");
    let chart: std::collections::BTreeSet<(i64, String)> = input["charts"]["works_per_year"]
        .as_array()
        .expect("the report has a works-per-year chart")
        .iter()
        .filter(|c| c["count"].as_u64().unwrap_or(0) > 0)
        .filter_map(|c| Some((c["year"].as_i64()?, c["category"].as_str()?.to_owned())))
        .collect();
    let evidence: std::collections::BTreeMap<&str, Vec<&str>> = input["works"]
        .as_array()
        .expect("evidence works")
        .iter()
        .filter_map(|w| {
            Some((w["work_id"].as_str()?, w["countries"].as_array()?.iter().filter_map(|c| c.as_str()).collect()))
        })
        .collect();
    let mut checked = 0;
    for w in out["audit"]["works"].as_array().expect("works") {
        let id = w["work_id"].as_str().expect("work id");
        for f in w["findings"].as_array().expect("findings").iter().filter(|f| f["code"] == "AFF001") {
            for reason in f["reasons"].as_array().expect("reasons").iter().filter_map(|r| r.as_str()) {
                let Some(rest) = reason.strip_prefix("first appearance of ") else { continue };
                let list = rest.split(" as ").next().expect("country list");
                for country in list.split(", ") {
                    assert!(
                        country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
                        "AFF001 names an ISO code: {reason}"
                    );
                    let year = w["year"].as_i64().expect("a flagged work has a year");
                    assert!(chart.contains(&(year, country.to_owned())), "chart lacks {country} in {year}: {reason}");
                    assert!(
                        evidence.get(id).is_some_and(|c| c.contains(&country)),
                        "evidence of {id} lacks {country}: {:?}",
                        evidence.get(id)
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 2, "the sample's planted works give AFF001 first-time countries ({checked} checked)");
}

/// The KAKEN record's names find the researcher's works in every script: Nomura Taishin's record (the shared
/// sample, e-Rad 50283734) gives 野村 泰伸, ノムラ タイシン and Nomura Taishin, so works written 野村 泰伸,
/// NOMURA Taishin and "Taishin Nomura" (given-first, split by the source the other way round) are all his; his
/// project member 鈴木 康之 / SUZUKI Yasuyuki is one co-author in both scripts. Without the record, a name audit
/// finds none of the kanji works.
#[test]
fn kaken_names_find_works_in_kanji_and_romaji() {
    let Some(data) = byline_testdata::shared_data() else { return };
    let kaken = data.join("jp/kaken_researchers_sample.json");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = |pmid: u32, year: u32, (family, given): (&str, &str), (cf, cg): (&str, &str), aff: &str| {
        format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>{year}</Year></PubDate></JournalIssue>\
             <Title>J</Title></Journal><ArticleTitle>Postural control study {pmid}</ArticleTitle><AuthorList>\
             <Author ValidYN=\"Y\"><LastName>{family}</LastName><ForeName>{given}</ForeName>\
             <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
             <Author ValidYN=\"Y\"><LastName>{cf}</LastName><ForeName>{cg}</ForeName>\
             <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
             </AuthorList></Article></MedlineCitation></PubmedArticle>"
        )
    };
    let ja = "大阪大学 大学院基礎工学研究科";
    let en = "Graduate School of Engineering Science, Osaka University, Toyonaka, Japan.";
    let records = [
        article(9200001, 2014, ("野村", "泰伸"), ("鈴木", "康之"), ja),
        article(9200002, 2015, ("野村", "泰伸"), ("鈴木", "康之"), ja),
        article(9200003, 2015, ("NOMURA", "Taishin"), ("Suzuki", "Yasuyuki"), en),
        article(9200004, 2016, ("Taishin", "Nomura"), ("Suzuki", "Yasuyuki"), en),
        // Namesakes: another 野村 in kanji, and a Nomura with another given name.
        article(9200005, 2016, ("野村", "泰"), ("鈴木", "康之"), ja),
        article(9200006, 2016, ("Nomura", "Takeshi"), ("Suzuki", "Yasuyuki"), en),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let disclosure = format!("kaken:{}", s(&kaken));
    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", "--corpus", s(&corpus), "--name", "Nomura, Taishin", "--format", "json"];
        args.extend_from_slice(extra);
        let (code, out) = byline_json(&args);
        assert!(code == 0 || code == 3, "{out}");
        out
    };
    let pmids = |out: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = out["audit"]["works"]
            .as_array()
            .expect("works")
            .iter()
            .map(|w| w["pmid"].as_str().unwrap_or("").to_owned())
            .collect();
        v.sort();
        v
    };
    let with_record = audit(&["--disclosure", &disclosure]);
    assert_eq!(pmids(&with_record), ["9200001", "9200002", "9200003", "9200004"], "{with_record:#}");
    // The record's names are the target's; Suzuki is one co-author across scripts (on four works).
    let variants = with_record["audit"]["target"]["name_variants"].as_array().expect("variants");
    assert!(variants.iter().any(|v| v == "野村 泰伸") && variants.iter().any(|v| v == "ノムラ タイシン"));
    assert_eq!(with_record["audit"]["summary"]["distinct_coauthors"], 1, "{:#}", with_record["audit"]["summary"]);
    // A name audit alone: the romanised works, never the kanji ones (no guessed reading).
    let by_name = audit(&[]);
    let found = pmids(&by_name);
    assert!(found.contains(&"9200003".to_owned()), "{found:?}");
    assert!(!found.contains(&"9200001".to_owned()) && !found.contains(&"9200002".to_owned()), "{found:?}");
}

/// `--kaken-institutions`: Nomura Taishin's KAKEN record declares Osaka University; his works write it in
/// Japanese with the unit (`大阪大学 大学院・基礎工学研究科`, institution and department as his KAKEN history
/// gives them), in English with unit and title (`Osaka University, Graduate School of Engineering Science,
/// Professor`, his record's English form), abbreviated (`Osaka Univ., Grad. Sch. Eng. Sci.`) and as `阪大`. With
/// the KAKEN institution master all four are the declared institution (no AFF002) and one institution of the
/// record, while the Shenzhen affiliation is still AFF002; without the master, the Japanese forms are AFF002.
#[test]
fn kaken_institutions_are_one_declared_institution_however_written() {
    let Some(data) = byline_testdata::shared_data() else { return };
    let kaken = data.join("jp/kaken_researchers_sample.json");
    let master = data.join("jp/kaken_institution_master.csv");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = |pmid: u32, year: u32, aff: &str| {
        format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>{year}</Year></PubDate></JournalIssue>\
             <Title>J</Title></Journal><ArticleTitle>Postural control study {pmid}</ArticleTitle><AuthorList>\
             <Author ValidYN=\"Y\"><LastName>Nomura</LastName><ForeName>Taishin</ForeName>\
             <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
             <Author ValidYN=\"Y\"><LastName>Suzuki</LastName><ForeName>Yasuyuki</ForeName>\
             <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
             </AuthorList></Article></MedlineCitation></PubmedArticle>"
        )
    };
    let japanese = ["大阪大学 大学院・基礎工学研究科", "Osaka Univ., Grad. Sch. Eng. Sci.", "阪大"];
    let records = [
        article(9300001, 2014, japanese[0]),
        article(9300002, 2015, "Osaka University, Graduate School of Engineering Science, Professor"),
        article(9300003, 2016, japanese[1]),
        article(9300004, 2017, japanese[2]),
        article(9300005, 2018, "Shenzhen Institute of Neural Engineering, Shenzhen, China."),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let disclosure = format!("kaken:{}", s(&kaken));
    let audit = |extra: &[&str]| {
        let mut args = vec![
            "audit",
            "--corpus",
            s(&corpus),
            "--name",
            "Nomura, Taishin",
            "--disclosure",
            &disclosure,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let (code, out) = byline_json(&args);
        assert!(code == 0 || code == 3, "{out}");
        out
    };
    let aff002 = |out: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = out["disclosure_findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["code"] == "AFF002")
            .map(|f| f["subject"]["raw"].as_str().unwrap_or("").to_owned())
            .collect();
        v.sort();
        v
    };
    let with_master = audit(&["--kaken-institutions", s(&master)]);
    assert_eq!(aff002(&with_master), ["Shenzhen Institute of Neural Engineering"], "{with_master:#}");
    // One institution of the record for the four Japanese forms, and Shenzhen.
    let institutions = with_master["audit"]["summary"]["institutions"].as_array().expect("institutions");
    assert_eq!(institutions.len(), 2, "{institutions:#?}");
    assert!(
        institutions.iter().any(|i| i["works"] == 4 && i["institution"] == "Osaka University (kaken:0014401)"),
        "{institutions:#?}"
    );
    // The same audit as a Japanese HTML report: the reason in Japanese, its evidence and the code as written.
    let report = dir.path().join("r.html");
    let _ = audit(&["--kaken-institutions", s(&master), "--report", s(&report), "--lang", "ja"]);
    let html = std::fs::read_to_string(&report).expect("report written");
    assert!(html.contains("<html lang=\"ja\">") && html.contains("<h2>概要</h2>"));
    assert!(html.contains("<code>AFF002</code>"));
    assert!(
        html.contains(
            "「Shenzhen Institute of Neural Engineering」は 1 件の業績（2018）で研究者の所属として現れますが"
        ),
        "AFF002's reason not in Japanese"
    );
    let without = audit(&[]);
    let flagged = aff002(&without);
    assert!(flagged.len() > 1, "{flagged:?}");
    assert!(flagged.iter().any(|f| f.contains("阪大")), "{flagged:?}");
    // A file that is not the master is an error naming it.
    let r = byline(&["audit", "--corpus", s(&corpus), "--name", "Nomura, Taishin", "--kaken-institutions", s(&kaken)]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("KAKEN institution master"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
}

/// `audit --disclosure kaken:FILE`: a real KAKEN researcher record (the shared sample, seven researchers;
/// `--name` picks Nomura Taishin, e-Rad 50283734) is the declared side. A work funded by one of his KAKENHI
/// grants (JP26242041) is declared funding (no FUN001), while an NIH grant is not; an affiliation to an
/// institution his record never names is AFF002; Osaka University, named in Japanese in his history and in
/// English in his projects, is declared.
#[test]
fn audit_against_a_kaken_record() {
    let Some(data) = byline_testdata::shared_data() else { return };
    let kaken = data.join("jp/kaken_researchers_sample.json");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = |pmid: u32, aff: &str, grant: &str| {
        format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2016</Year></PubDate></JournalIssue>\
             <Title>J</Title></Journal><ArticleTitle>Postural control study {pmid}</ArticleTitle><AuthorList>\
             <Author ValidYN=\"Y\"><LastName>Nomura</LastName><ForeName>Taishin</ForeName>\
             <AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>\
             <Author ValidYN=\"Y\"><LastName>Suzuki</LastName><ForeName>Yasuyuki</ForeName>\
             <AffiliationInfo><Affiliation>Graduate School of Engineering Science, Osaka University, Toyonaka, Japan.</Affiliation></AffiliationInfo></Author>\
             </AuthorList>{grant}</Article></MedlineCitation></PubmedArticle>"
        )
    };
    let records = [
        article(
            9100001,
            "Graduate School of Engineering Science, Osaka University, Toyonaka, Osaka, Japan.",
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>JP26242041</GrantID>\
             <Agency>Japan Society for the Promotion of Science</Agency><Country>Japan</Country></Grant></GrantList>",
        ),
        article(
            9100002,
            "Shenzhen Institute of Neural Engineering, Shenzhen, China.",
            "<GrantList CompleteYN=\"Y\"><Grant><GrantID>R01 NS000001</GrantID>\
             <Agency>NIH HHS</Agency><Country>United States</Country></Grant></GrantList>",
        ),
    ];
    let corpus = ingest_pubmed_records(dir.path(), &records);
    let disclosure = format!("kaken:{}", s(&kaken));
    let (code, out) = byline_json(&[
        "audit",
        "--corpus",
        s(&corpus),
        "--name",
        "Nomura, Taishin",
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
    // The KAKENHI grant is declared; the NIH grant is not.
    assert_eq!(of("FUN001"), ["NIH HHS"], "{findings:#?}");
    assert!(of("FUN003").is_empty(), "{findings:#?}");
    // The undisclosed affiliation, and only it.
    assert_eq!(of("AFF002"), ["Shenzhen Institute of Neural Engineering"], "{findings:#?}");
    assert!(!of("AFF005").iter().any(|o| o == "Osaka University"), "{findings:#?}");
    // The declared collaborators come with the audit: the project members, by e-Rad id.
    let collaborators = out["declared_collaborators"].as_array().expect("declared collaborators");
    assert!(collaborators.iter().any(|c| c["erad"] == "30291438"), "{collaborators:#?}");
    assert!(collaborators.iter().all(|c| c["erad"] != "50283734"));

    // Several researchers and no --name: an error that lists them; a file that is not KAKEN: an error.
    let r = byline(&["audit", "--corpus", s(&corpus), "--orcid", "0000-0002-1825-0097", "--disclosure", &disclosure]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("50283734"), "{}", String::from_utf8_lossy(&r.stderr));
    let not_kaken = dir.path().join("orcid.json");
    std::fs::write(&not_kaken, "{\"orcid-identifier\": {}}").expect("write");
    let r = byline(&[
        "audit",
        "--corpus",
        s(&corpus),
        "--name",
        "Nomura, Taishin",
        "--disclosure",
        &format!("kaken:{}", s(&not_kaken)),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("researchers"), "{}", String::from_utf8_lossy(&r.stderr));
}
