//! Test support shared by every crate's tests: finding the shared real-data folder.
//!
//! The folder is `BYLINE_SHARED_DATA` (relative paths are taken from the workspace root), default
//! `../shared/data` beside the workspace. When it is absent (a user's fresh clone) tests print why and skip;
//! with `BYLINE_REQUIRE_SHARED_DATA=1` (set by `.ci/run`) absence is a failure instead.

pub mod apis;
pub mod http;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared real-data folder, or `None` (after printing why) when it is truly absent.
///
/// # Panics
/// When `BYLINE_REQUIRE_SHARED_DATA=1` and the folder is missing: CI must not pass by skipping.
pub fn shared_data() -> Option<PathBuf> {
    let dir = match std::env::var_os("BYLINE_SHARED_DATA") {
        Some(d) => {
            let p = PathBuf::from(d);
            if p.is_absolute() { p } else { workspace_root().join(p) }
        }
        None => workspace_root().join("../shared/data"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("BYLINE_REQUIRE_SHARED_DATA").as_deref() != Ok("1"),
        "BYLINE_REQUIRE_SHARED_DATA=1 but shared data not found at {}",
        dir.display()
    );
    // Written to the stream itself, not with `eprintln!`: the test harness captures the macros' output of
    // passing tests, and a skip the user never sees is a silent skip.
    let _ =
        writeln!(std::io::stderr(), "skipping: shared data not found at {} (set BYLINE_SHARED_DATA)", dir.display());
    None
}
