//! Test support: finding the shared real-data folder (the pattern of byline-parse's tests).

use std::path::{Path, PathBuf};

use byline_model::Work;
use byline_parse::{Event, read_path};

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

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
