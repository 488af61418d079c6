//! The J-STAGE WebAPI (Atom) reader on arbitrary bytes (plain or gzip).
#![no_main]

use byline_fuzz::read_and_check;
use byline_model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_and_check(Some(Format::Jstage), data));
