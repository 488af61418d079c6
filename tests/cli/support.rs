//! Running the binary and finding the data it is tested on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

/// Runs `byline` with arguments; never panics on a non-zero exit (tests assert the code).
pub fn byline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_byline")).args(args).output().expect("the byline binary runs")
}

/// Runs `byline` and parses its standard output as JSON.
pub fn byline_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = byline(args);
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "byline {args:?} exit {code}: not JSON ({e}):\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, value)
}

/// A path as a `&str` for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// Writes `records` (PubMed `<PubmedArticle>` elements) as one PubMed XML file in `dir` and ingests it with
/// `byline ingest`; returns the corpus directory.
pub fn ingest_pubmed_records(dir: &Path, records: &[String]) -> PathBuf {
    let input = dir.join("works.xml");
    std::fs::write(
        &input,
        format!("<?xml version=\"1.0\"?>\n<PubmedArticleSet>{}</PubmedArticleSet>\n", records.join("\n")),
    )
    .expect("write");
    let corpus = dir.join("corpus");
    let r = byline(&["ingest", s(&input), "--out", s(&corpus), "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    corpus
}
