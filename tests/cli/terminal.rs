//! Hostile metadata never reaches the terminal raw: every command that prints titles, names, affiliations,
//! venues, file names or list entries escapes control characters (`\u001b` style), in text and in JSON,
//! and the JSON still parses to the true value.

use std::path::PathBuf;
use std::process::Output;

use crate::support::{byline, s};

/// Retitles the terminal (OSC … BEL), recolours it (CSI), clears it through the one-character C1 CSI, and
/// reverses the rest of the line (right-to-left override, closed by a pop).
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[31mRED\u{1b}[0m \u{9b}2J \u{202e}desrever\u{202c}";
/// For file names, list entries and errors, which are not whitespace-squashed: a bare CR too, and DEL.
const HOSTILE_PATH: &str = "x\u{1b}]0;owned\u{7}\u{1b}[7m\u{9b}1m\u{202e}cod.exe\rover\u{7f}";
/// What must never appear raw on stdout or stderr.
const RAW: [char; 9] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{85}', '\u{202e}', '\u{202c}', '\u{2066}', '\r', '\u{7f}'];
/// The researcher the audit is about (a valid ORCID checksum).
const ORCID: &str = "0000-0002-1825-0097";

fn title(i: usize) -> String {
    format!("Hostile title {i} {HOSTILE} on signalling")
}

/// One paragraph shared by the template works (a template family for `scan` and a near-duplicate for `screen`).
const TEMPLATE_ABSTRACT: &str = "In a cohort of patients, the long noncoding RNA HOTAIR correlated with tumour growth \
    and invasion. Mechanistically, HOTAIR modulated proliferation by altering Wnt signalling in gastric cancer \
    cells. Knockdown reduced migration and invasion in vitro and tumour growth in vivo. These findings suggest \
    that HOTAIR regulates gastric cancer progression through the Wnt pathway and is a potential therapeutic \
    target. Data were analysed with respect to expression, survival and stage.";

fn crossref_line(record: serde_json::Value) -> String {
    serde_json::to_string(&record).expect("json") + "\n"
}

/// Crossref JSONL whose titles, authors, affiliations, venues and abstracts all carry [`HOSTILE`]: the
/// researcher's own works with a recurring co-author, works put on the researcher's name with strangers
/// from other countries (audit flags), three unrelated teams publishing the same template text (a template
/// family), and a retraction notice for one of them.
fn hostile_crossref() -> String {
    let researcher = |aff: &str| {
        serde_json::json!({
            "given": format!("Josiah{HOSTILE}"), "family": "Carberry", "ORCID": format!("https://orcid.org/{ORCID}"),
            "affiliation": [{"name": aff}]
        })
    };
    let home = format!("Department of Oncology, Brown University{HOSTILE}, Providence, RI, USA");
    let mut out = String::new();
    for i in 0..6 {
        out += &crossref_line(serde_json::json!({
            "DOI": format!("10.5555/hostile.{i}"), "type": "journal-article", "title": [title(i)],
            "container-title": [format!("Journal of {HOSTILE} Oncology")],
            "abstract": format!("<jats:p>We studied gastric tumours {i} {HOSTILE} with the usual cohort.</jats:p>"),
            "issued": {"date-parts": [[2015 + i as i64, 3]]},
            "author": [researcher(&home), {
                "given": "Ann", "family": format!("Smith{HOSTILE}"),
                "affiliation": [{"name": home.clone()}]
            }]
        }));
    }
    for i in 6..9 {
        out += &crossref_line(serde_json::json!({
            "DOI": format!("10.5555/hostile.{i}"), "type": "journal-article", "title": [title(i)],
            "container-title": [format!("Mill {HOSTILE} Letters")],
            "abstract": format!("<jats:p>{TEMPLATE_ABSTRACT} {HOSTILE}</jats:p>"),
            "issued": {"date-parts": [[2021, 1 + i as i64]]},
            "author": [
                researcher(&format!("Faculty of Medicine {HOSTILE}, Tehran University, Tehran, Iran")),
                {"given": format!("Wei{HOSTILE}"), "family": format!("Stranger{i}"),
                 "affiliation": [{"name": format!("Hospital {i} {HOSTILE}, Harbin Medical University, Harbin, China")}]},
                {"given": "Olga", "family": format!("Other{i}{HOSTILE}"),
                 "affiliation": [{"name": format!("Institute {i} {HOSTILE}, Kazan Federal University, Kazan, Russia")}]}
            ]
        }));
    }
    out += &crossref_line(serde_json::json!({
        "DOI": "10.5555/hostile.notice", "type": "retraction",
        "title": [format!("Retraction notice {HOSTILE}")],
        "update-to": [{"DOI": "10.5555/hostile.7", "type": "retraction"}],
        "issued": {"date-parts": [[2023, 5]]}
    }));
    out
}

/// A JATS submission: XML 1.0 allows C1 and the bidi controls (not C0), as characters or references.
fn jats_submission() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<article><front><article-meta>
<title-group><article-title>Submitted &#x9b;2J &#x202e;desrever&#x202c; {abstract_start}</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Evil&#x202e;</surname><given-names>Eve&#x9b;31m</given-names></name>
<aff>Clinic &#x202e;cimehcs&#x202c;, Harbin Medical University, Harbin, China</aff></contrib></contrib-group>
<abstract><p>{TEMPLATE_ABSTRACT} &#x9b;2J &#x202e;</p></abstract>
</article-meta></front></article>
"#,
        abstract_start = "on HOTAIR"
    )
}

/// What a run printed, after checking that neither stream carries a raw control character.
struct Shown {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(args: &[&str]) -> Shown {
    let out: Output = byline(args);
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        for c in RAW {
            assert!(!text.contains(c), "byline {args:?}: raw {c:?} on {stream}:\n{}", text.escape_debug());
        }
    }
    Shown { stdout, stderr, code }
}

impl Shown {
    /// Both streams, for "the escape is shown" checks.
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

/// Whether any string in `value` contains `needle`: the JSON carries the true, unescaped data.
fn holds(value: &serde_json::Value, needle: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains(needle),
        serde_json::Value::Array(a) => a.iter().any(|v| holds(v, needle)),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains(needle) || holds(v, needle)),
        _ => false,
    }
}

/// The visible form of [`HOSTILE`]'s first characters, as the terminal shows them.
const SHOWN_ESC: &str = "\\u001b]0;pwned\\u0007";

struct Fixture {
    _dir: tempfile::TempDir,
    /// A folder whose name is [`HOSTILE_PATH`]: every path printed below it is hostile too.
    base: PathBuf,
    input: PathBuf,
    corpus: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join(HOSTILE_PATH);
    let input = base.join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("crossref.jsonl"), hostile_crossref()).expect("write");
    let corpus = base.join("corpus");
    let r = byline(&["ingest", s(&input), "--out", s(&corpus), "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    Fixture { _dir: dir, base, input, corpus }
}

#[test]
fn terminal_ingest_and_stats_escape_paths_and_errors() {
    let f = fixture();
    let out = f.base.join("again");
    let text = run(&["ingest", s(&f.input), "--out", s(&out)]);
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(text.stdout.contains(SHOWN_PATH), "the corpus path is shown escaped:\n{}", text.stdout);
    let json = run(&["ingest", s(&f.input), "--out", s(&out), "--format", "json"]);
    assert_eq!(json.code, 0);
    assert!(holds(&json.json(), HOSTILE_PATH), "the JSON keeps the true path:\n{}", json.stdout);

    let stats = run(&["stats", s(&f.corpus)]);
    assert_eq!(stats.code, 0, "{}", stats.all());
    let stats = run(&["stats", s(&f.corpus), "--format", "json"]);
    assert_eq!(stats.code, 0, "{}", stats.all());
    stats.json();

    // A file that is not there, named to retitle the terminal: reported, escaped, on stderr.
    let missing = f.base.join(format!("bad{HOSTILE}.xml"));
    let failed = run(&["ingest", s(&missing), "--out", s(&f.base.join("none"))]);
    assert_eq!(failed.code, 3, "{}", failed.all());
    assert!(failed.stderr.contains("bad\\u001b]0;pwned\\u0007"), "{}", failed.stderr);
    let failed = run(&["ingest", s(&missing), "--out", s(&f.base.join("none")), "--format", "json"]);
    assert!(holds(&failed.json(), &format!("bad{HOSTILE}.xml")), "{}", failed.stdout);
    // A command that fails outright: the error line quotes the path, escaped.
    let error = run(&["stats", s(&missing)]);
    assert_eq!(error.code, 1, "{}", error.all());
    assert!(error.stderr.contains("byline: error:") && error.stderr.contains("\\u202e"), "{}", error.stderr);
}

/// The escaped form of [`HOSTILE_PATH`]'s start.
const SHOWN_PATH: &str = "x\\u001b]0;owned\\u0007\\u001b[7m\\u009b1m\\u202ecod.exe\\u000dover\\u007f";

#[test]
fn terminal_audit_shows_hostile_titles_names_and_affiliations_escaped() {
    let f = fixture();
    let base = ["audit", "--corpus", s(&f.corpus), "--orcid", ORCID, "--show", "info", "--top", "50"];
    let text = run(&base);
    assert!(text.code == 0 || text.code == 3, "{}", text.all());
    // The name line, the institutions line and the work table all quote metadata.
    assert!(text.stdout.contains(&format!("Josiah{SHOWN_ESC}")), "{}", text.stdout);
    assert!(text.stdout.contains(&format!("Hostile title 0 {SHOWN_ESC}")), "{}", text.stdout);
    assert!(text.stdout.contains("\\u009b2J \\u202edesrever\\u202c"), "{}", text.stdout);

    let json = run(&[&base[..], &["--format", "json"]].concat());
    assert!(json.code == 0 || json.code == 3, "{}", json.all());
    let value = json.json();
    let works = value["audit"]["works"].as_array().expect("works");
    assert!(works.len() >= 9, "the hostile works are in the audit: {value}");
    for i in 0..9 {
        let t = title(i);
        assert!(works.iter().any(|w| w["title"].as_str() == Some(t.as_str())), "title {i} round-trips: {value}");
    }
    // The raw override went through as the same JSON value, written as an escape.
    assert!(json.stdout.contains("\\u202e") && json.stdout.contains("\\u009b"), "{}", json.stdout);
}

#[test]
fn terminal_scan_index_screen_report_network_escape_metadata() {
    let f = fixture();
    let scan_out = f.base.join("scan");
    let text = run(&["scan", "--corpus", s(&f.corpus), "--out", s(&scan_out), "--top", "50"]);
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(text.stdout.contains(SHOWN_PATH), "the output files are named, escaped:\n{}", text.stdout);
    let json =
        run(&["scan", "--corpus", s(&f.corpus), "--out", s(&scan_out), "--restart", "--format", "json", "--top", "50"]);
    assert_eq!(json.code, 0, "{}", json.all());
    assert!(holds(&json.json(), HOSTILE_PATH), "{}", json.stdout);
    // The template family's flag quotes a member's title and the venue: escaped in text, true in JSON.
    assert!(text.stdout.contains(&format!("Mill {SHOWN_ESC}")), "{}", text.stdout);
    assert!(text.stdout.contains("\\u009b2J \\u202edesrever\\u202c on signalling"), "{}", text.stdout);
    assert!(holds(&json.json(), &format!("Mill {HOSTILE} Letters")), "{}", json.stdout);

    // Index and screen: a hostile JSON submission and a JATS one, both with hostile file names.
    let index = f.base.join("corpus.bylidx");
    let built = run(&["index", "--corpus", s(&f.corpus), "--out", s(&index)]);
    assert_eq!(built.code, 0, "{}", built.all());
    assert!(built.stdout.contains(SHOWN_PATH), "{}", built.stdout);
    let built = run(&["index", "--corpus", s(&f.corpus), "--out", s(&index), "--format", "json"]);
    assert!(holds(&built.json(), HOSTILE_PATH), "{}", built.stdout);

    let sub_json = f.base.join(format!("sub{HOSTILE}.json"));
    let submission = serde_json::json!({
        "title": format!("Submitted {HOSTILE} on HOTAIR"),
        "abstract": format!("{TEMPLATE_ABSTRACT} {HOSTILE}"),
        "authors": [{"name": format!("Eve {HOSTILE}"), "affiliations": [format!("Lab {HOSTILE}, Harbin Medical University, China")],
                     "email": "eve@gmail.com", "country": "CN"}]
    });
    std::fs::write(&sub_json, serde_json::to_string(&submission).expect("json")).expect("write");
    let sub_xml = f.base.join("sub\u{202e}lmx.xml");
    std::fs::write(&sub_xml, jats_submission()).expect("write");
    let screened = run(&["screen", s(&sub_json), s(&sub_xml), "--index", s(&index)]);
    assert!(screened.code == 0 || screened.code == 3, "{}", screened.all());
    assert!(screened.stdout.contains(&format!("sub{SHOWN_ESC}")), "{}", screened.stdout);
    assert!(screened.stdout.contains("sub\\u202elmx.xml"), "{}", screened.stdout);
    let screened = run(&["screen", s(&sub_json), s(&sub_xml), "--index", s(&index), "--format", "json"]);
    let value = screened.json();
    assert!(holds(&value, &format!("sub{HOSTILE}.json")), "{value}");
    assert!(holds(&value, "sub\u{202e}lmx.xml"), "{value}");

    // Report and network print the files they write.
    let audit_json = f.base.join("audit.json");
    let a = byline(&["audit", "--corpus", s(&f.corpus), "--orcid", ORCID, "--report", s(&audit_json), "-q"]);
    assert!(matches!(a.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&a.stderr));
    let html = f.base.join("audit.html");
    let rendered = run(&["report", s(&audit_json), "--out", s(&html)]);
    assert_eq!(rendered.code, 0, "{}", rendered.all());
    assert!(rendered.stdout.contains(SHOWN_PATH), "{}", rendered.stdout);

    let graph = f.base.join("coauthors.graphml");
    let net = run(&["network", "--corpus", s(&f.corpus), "--out", s(&graph)]);
    assert_eq!(net.code, 0, "{}", net.all());
    assert!(net.stdout.contains(SHOWN_PATH), "{}", net.stdout);
    let net = run(&["network", "--corpus", s(&f.corpus), "--out", s(&graph), "--format", "json"]);
    assert!(holds(&net.json(), HOSTILE_PATH), "{}", net.stdout);
}

#[test]
fn terminal_lists_escape_entry_and_file_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join(format!("mine{HOSTILE}.csv"));
    std::fs::write(
        &list,
        format!(
            "name,aliases,country,risk_note,source_url\n\
             \"Evil {HOSTILE} Institute\",\"Alias\u{7f}\",CN,\"note {HOSTILE}\",https://example.org/\n"
        ),
    )
    .expect("write");
    // Exit 3 once the given date is more than a year old: the list still loads and is shown.
    let text = run(&["lists", "--list", s(&list), "--list-date", "2026-01-31"]);
    assert!(text.code == 0 || text.code == 3, "{}", text.all());
    assert!(text.stdout.contains(&format!("mine{SHOWN_ESC}")), "{}", text.stdout);
    let json = run(&["lists", "--list", s(&list), "--list-date", "2026-01-31", "--format", "json"]);
    assert!(json.code == 0 || json.code == 3, "{}", json.all());
    assert!(holds(&json.json(), &format!("mine{HOSTILE}")), "{}", json.stdout);
}
