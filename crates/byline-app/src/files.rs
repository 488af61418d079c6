//! Files the pipelines write: always through a temporary file beside the target and a rename, so an
//! interrupted run never leaves half a file where a whole one is expected.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

/// `path` with `.tmp` added to its whole name (`findings.json` → `findings.json.tmp`).
pub(crate) fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes what `fill` writes to `path`, atomically: a temporary file, synced, then renamed over the target.
/// The parent directory is created if needed.
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let tmp = temporary(path);
    let file = std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    let mut w = std::io::BufWriter::new(file);
    fill(&mut w).with_context(|| format!("writing {}", tmp.display()))?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

/// Writes `bytes` to `path` atomically ([`write_atomic_with`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes pretty JSON (and a final newline) to `path` atomically.
pub fn write_json_atomic<T: Serialize + ?Sized>(path: &Path, value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Reads a JSON file written by [`write_json_atomic`].
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("sub").join("a.json");
        write_json_atomic(&path, &vec![1, 2]).expect("first write");
        write_json_atomic(&path, &vec![3]).expect("second write");
        let back: Vec<i32> = read_json(&path).expect("read back");
        assert_eq!(back, vec![3]);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("the directory")
            .map(|e| e.expect("an entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }

    #[test]
    fn a_failed_fill_leaves_the_old_file_in_place() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"old").expect("first write");
        let err = write_atomic_with(&path, |_| Err(std::io::Error::other("disk full"))).expect_err("the fill fails");
        assert!(format!("{err:#}").contains("disk full"));
        assert_eq!(std::fs::read(&path).expect("the old file"), b"old");
    }
}
