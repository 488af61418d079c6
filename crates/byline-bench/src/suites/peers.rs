//! Running the Python peers of `benches/peers/` on the inputs a suite wrote, in the same run.
//!
//! The peers live in a virtual environment made by `benches/peers/setup.sh`. Scripts are run with
//! [`std::process::Command`], every argument its own argv entry (paths are never put into a shell string),
//! and print one JSON object on standard output: `{"peers": [{"name", "version", "threads", "seconds",
//! "records", …}], "peak_rss_bytes"}`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;
use serde::Deserialize;

use super::{Report, Row};
use byline_term::output::errln;

/// One peer's measurement, as the scripts print it.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerResult {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default = "one")]
    pub threads: usize,
    pub seconds: f64,
    #[serde(default)]
    pub records: u64,
    #[serde(default)]
    pub bytes: u64,
    /// Everything else the script reported (recall, modularity, phases…).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn one() -> usize {
    1
}

/// A script's whole output.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerOutput {
    pub peers: Vec<PeerResult>,
    #[serde(default)]
    pub peak_rss_bytes: Option<u64>,
}

impl PeerResult {
    /// A number the script reported under `key`.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.extra.get(key).and_then(serde_json::Value::as_f64)
    }
    /// The table label: name and version.
    pub fn label(&self) -> String {
        match &self.version {
            Some(v) => format!("{} {v}", self.name),
            None => self.name.clone(),
        }
    }
}

/// `benches/peers/`: `BYLINE_PEERS_DIR` if set, else the first `benches/peers` found from the current
/// directory upwards, else the one in the source tree this binary was built from.
pub fn peers_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BYLINE_PEERS_DIR") {
        return PathBuf::from(dir);
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            let candidate = dir.join("benches").join("peers");
            if candidate.join("setup.sh").is_file() {
                return candidate;
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/peers")
}

/// The venv's Python, if the venv exists.
pub fn venv_python(dir: &Path) -> Option<PathBuf> {
    let python = dir.join(".venv").join("bin").join("python");
    python.is_file().then_some(python)
}

/// Runs `script` of `benches/peers/` with `args` (one argv entry each). `Ok(None)` with a note in the report
/// when the venv is missing; an error note (not a failure of the suite) when the script fails.
pub fn run_script(script: &str, args: &[&std::ffi::OsStr], report: &mut Report) -> anyhow::Result<Option<PeerOutput>> {
    let dir = peers_dir();
    let Some(python) = venv_python(&dir) else {
        report.notes.push(format!(
            "peers skipped: no virtual environment at {}; create it with `{}` (needs PyPI once)",
            dir.join(".venv").display(),
            dir.join("setup.sh").display()
        ));
        return Ok(None);
    };
    let script_path = dir.join(script);
    errln!("running peer {}…", script_path.display());
    let output = Command::new(&python)
        .arg(&script_path)
        .args(args)
        .current_dir(&dir)
        .output()
        .with_context(|| format!("running {}", script_path.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        report.notes.push(format!(
            "peer {script} failed ({}): {}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
        return Ok(None);
    }
    let parsed: PeerOutput = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("{script} printed no valid JSON: {}", String::from_utf8_lossy(&output.stdout)))?;
    if let Some(rss) = parsed.peak_rss_bytes {
        report.notes.push(format!("peer {script} peak RSS: {:.0} MB", rss as f64 / 1e6));
    }
    Ok(Some(parsed))
}

/// A table row for a peer, against `baseline`. `bytes`/`records` default to the suite's when the script did
/// not count them, so that ratios compare the same input.
pub fn peer_row(peer: &PeerResult, bytes: u64, records: u64, baseline: &Row) -> Row {
    let records = if peer.records > 0 { peer.records } else { records };
    let bytes = if peer.bytes > 0 { peer.bytes } else { bytes };
    Row::new(&peer.label(), peer.threads, peer.seconds, bytes, records, Some(baseline))
}

/// "byline is 12.3× faster than datasketch" (or slower), comparing wall times on the same input.
pub fn speed_note(byline: &Row, peer: &Row) -> String {
    let ratio = peer.wall_s / byline.wall_s.max(1e-9);
    if ratio >= 1.0 {
        format!(
            "{} is {ratio:.2}× faster than {} (wall {:.3} s vs {:.3} s)",
            byline.name, peer.name, byline.wall_s, peer.wall_s
        )
    } else {
        format!(
            "{} is {:.2}× SLOWER than {} (wall {:.3} s vs {:.3} s)",
            byline.name,
            1.0 / ratio.max(1e-12),
            peer.name,
            byline.wall_s,
            peer.wall_s
        )
    }
}
