//! The export readers (WoS plain and tab-delimited, Scopus CSV, RIS, BibTeX, MEDLINE) on arbitrary bytes.
//! The first byte picks the reader (see `EXPORT_FORMATS`); the rest is the file.
#![no_main]

use byline_fuzz::{EXPORT_FORMATS, read_and_check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&selector, file)) = data.split_first() {
        read_and_check(Some(EXPORT_FORMATS[usize::from(selector) % EXPORT_FORMATS.len()]), file);
    }
});
