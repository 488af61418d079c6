//! Format detection and dispatch on arbitrary bytes, as `read_path` does for a file: gzip by magic bytes,
//! the format sniffed from the decompressed head, then that format's reader.
#![no_main]

use byline_fuzz::read_and_check;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_and_check(None, data));
