//! `byline serve` through the binary: started on the bundled sample's index, a real JATS article posted over
//! loopback gets the verdict `byline screen --format json` gives the same file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::support::{byline_json, root, s, shared_data};

/// One HTTP/1.1 request over loopback; (status, body).
fn http(addr: &str, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect to byline serve");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read answer");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).expect("a status code");
    (status, body.to_owned())
}

#[test]
fn serve_answers_a_jats_article_with_the_verdict_screen_gives() {
    let Some(data) = shared_data() else {
        eprintln!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return;
    };
    let article = data.join("jats/allofplos__journal.pbio.0020188.xml");
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("sample.bylidx");
    let sample = root().join("datasets/sample");
    let (code, _) = byline_json(&["ingest", s(&sample), "--out", s(&corpus), "--format", "json", "--quiet"]);
    assert!(code == 0 || code == 3, "ingest exit {code}");
    let (code, built) = byline_json(&["index", "--corpus", s(&corpus), "--out", s(&index), "--format", "json"]);
    assert_eq!(code, 0, "{built}");
    let (_, screened) = byline_json(&["screen", s(&article), "--index", s(&index), "--format", "json"]);
    let expected = &screened["submissions"][0];

    let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["serve", "--index", s(&index), "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("byline serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("the address line");
    let addr = first.trim().rsplit("http://").next().unwrap_or_default().to_owned();
    let body = std::fs::read(&article).expect("read the article");
    let answer = http(&addr, "POST", "/v1/screen", "application/jats+xml", &body);
    let ready = http(&addr, "GET", "/readyz", "application/json", b"");
    let _ = child.kill();
    let _ = child.wait();

    assert_eq!(answer.0, 200, "{}", answer.1);
    let got: serde_json::Value = serde_json::from_str(&answer.1).expect("JSON verdict");
    for field in ["verdict", "score", "probability", "mill_threshold", "reasons", "findings", "matches"] {
        assert_eq!(got[field], expected[field], "{field}: serve {got} vs screen {expected}");
    }
    assert!(got["probability"].is_number(), "the probability is always given");
    assert_eq!(ready.0, 200);
    assert!(ready.1.contains(&format!("\"indexed_works\":{}", built["works"])), "{}", ready.1);
}

/// `byline-bench serve` at toy size, run here through its library against this package's `byline` binary (a
/// test of byline-bench could not name it): builds its own small index, runs every phase against a child
/// `byline serve` and reports its rows with no error and no 5xx under abuse. Timings are never asserted.
#[test]
fn bench_serve_reports_its_rows_with_no_error() {
    use byline_bench::suites::{self, Suite};
    use clap::{Args as _, FromArgMatches as _};
    use std::path::Path;
    let dir = tempfile::tempdir().expect("tempdir");
    let argv = [
        "serve",
        "--size",
        "300",
        "--cache",
        s(dir.path()),
        "--clients",
        "1,4",
        "--requests",
        "30",
        "--phase-seconds",
        "3",
        "--format",
        "json",
    ];
    let matches = suites::Args::augment_args(clap::Command::new("serve")).get_matches_from(argv);
    let mut args = suites::Args::from_arg_matches(&matches).expect("the suite's options");
    args.suite = Suite::Serve;
    let measured = suites::serve::measure(&args, Path::new(env!("CARGO_BIN_EXE_byline"))).expect("the suite runs");
    let report = serde_json::to_value(&measured).expect("the report serializes");
    // `byline-bench serve` exits 0 when every quality figure meets its bar.
    let code = if measured.quality.iter().all(|q| q.meets_bar) { 0 } else { 3 };
    assert_eq!(code, 0, "{report}");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 4, "1 and 4 clients, reload, abuse: {report}");
    for row in rows {
        assert_eq!(row["errors"], 0, "{row}");
        assert!(row["requests"].as_u64().is_some_and(|n| n > 0), "{row}");
        assert!(row["ratio_to_baseline"].is_number(), "{row}");
    }
    assert_eq!(report["indexed_works"].as_u64().map(|n| n > 0), Some(true), "{report}");
    assert_eq!(report["abuse"]["server_errors"], 0, "{report}");
    let answers = report["abuse"]["answers"].as_object().expect("abuse answers");
    assert!(answers.contains_key("oversized body (5 MiB declared)"), "{report}");
    assert!(report["reloads"].as_u64().is_some_and(|n| n >= 1), "{report}");
}
