//! Test support: finding the shared real-data folder (the pattern of byline-parse's tests).

use std::path::{Path, PathBuf};

use byline_model::Work;
use byline_parse::{Event, read_path};

/// The shared real-data folder (`BYLINE_SHARED_DATA`, default `../shared/data` from the workspace root).
/// Returns `None` (after printing why) only when it is truly absent; with `BYLINE_REQUIRE_SHARED_DATA=1`
/// its absence fails the test instead.
pub fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var_os("BYLINE_SHARED_DATA") {
        Some(d) => {
            let p = PathBuf::from(d);
            if p.is_absolute() { p } else { root.join(p) }
        }
        None => root.join("../shared/data"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("BYLINE_REQUIRE_SHARED_DATA").is_ok_and(|v| v == "1") {
        panic!("BYLINE_REQUIRE_SHARED_DATA=1 but shared data not found at {}", dir.display());
    }
    eprintln!("skipping: shared data not found at {} (set BYLINE_SHARED_DATA)", dir.display());
    None
}

/// All works of one file (tests only).
pub fn read_works(path: &Path) -> Vec<Work> {
    let mut works = Vec::new();
    read_path(path, None, &mut |e| {
        if let Event::Work(w) = e {
            works.push(*w);
        }
    });
    works
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
