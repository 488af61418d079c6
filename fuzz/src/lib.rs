//! What every fuzz target checks: a reader given arbitrary bytes returns (records, diagnostics or a file
//! error) without panicking, and what it reports is consistent with what it read.

use std::collections::BTreeSet;
use std::io::Cursor;

use byline_model::Format;
use byline_parse::input::Input;
use byline_parse::{Event, read_stream, sniff_format};

/// The path the fuzzed input is reported under; every record and diagnostic must carry it back.
pub const FUZZ_PATH: &str = "fuzz-input";

/// The exports reachable from the `exports` target, chosen by the first input byte.
pub const EXPORT_FORMATS: [Format; 6] =
    [Format::WosPlain, Format::WosTab, Format::ScopusCsv, Format::Ris, Format::Bibtex, Format::Medline];

/// Reads `data` with `format`'s reader, or with the sniffed reader when `format` is `None` (the dispatch
/// `read_path` does, on bytes instead of a file; gzip is detected by magic bytes as for files).
pub fn read_and_check(format: Option<Format>, data: &[u8]) {
    let mut input = Input::from_reader(Box::new(Cursor::new(data.to_vec())));
    let format = match format {
        Some(f) => f,
        None => match input.peek().map(|head| sniff_format(head, FUZZ_PATH)) {
            Ok(Some(f)) => f,
            Ok(None) | Err(_) => return,
        },
    };
    let mut works = 0u64;
    let mut rejected = 0u64;
    let mut record_indexes = BTreeSet::new();
    let result = read_stream(format, &mut input, FUZZ_PATH, &mut |event| match event {
        Event::Work(work) => {
            works += 1;
            assert_eq!(work.source.path, FUZZ_PATH, "a work must name the file it came from");
            assert_eq!(work.format, Some(format), "a work must carry the format of its reader");
            // Work ids hash (path, record index): two works with one index would share an id.
            assert!(
                record_indexes.insert(work.source.record_index),
                "two works with record index {}",
                work.source.record_index
            );
        }
        Event::Rejected(diag) => {
            rejected += 1;
            assert_eq!(diag.path, FUZZ_PATH, "a rejection must name the file");
        }
        Event::Warning(diag) => assert_eq!(diag.path, FUZZ_PATH, "a warning must name the file"),
        Event::Deleted { .. } => {}
    });
    if let Err(diag) = result {
        assert_eq!(diag.path, FUZZ_PATH, "a file error must name the file");
    }
    // Every record, kept or rejected, is made of at least one byte of (decompressed) input.
    let bytes = input.bytes_read();
    assert!(
        works + rejected <= bytes.max(1),
        "{works} works + {rejected} rejected from {bytes} bytes: records were invented or counted twice"
    );
}
