//! Running the binary and finding the data it is tested on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root. The binary runs from there, as in the root package's tests, so that the relative
/// defaults (`../shared/data`, `benches/peers`) resolve as they do for a user at the repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

/// `byline-bench` with arguments, run from the workspace root.
pub fn bench_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_byline-bench"));
    command.args(args).current_dir(root());
    command
}

/// Runs `byline-bench` with arguments; never panics on a non-zero exit (tests assert the code).
pub fn bench(args: &[&str]) -> Output {
    bench_command(args).output().expect("the byline-bench binary runs")
}

/// Runs `byline-bench` and parses its standard output as JSON.
pub fn bench_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = bench(args);
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "byline-bench {args:?} exit {code}: not JSON ({e}):\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, value)
}

/// A path as a `&str` for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// The quality figure `name` of a suite's JSON report (fails the test when the suite does not report it).
pub fn quality<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["quality"]
        .as_array()
        .and_then(|q| q.iter().find(|x| x["name"] == name))
        .unwrap_or_else(|| panic!("no quality figure {name}: {report}"))
}
