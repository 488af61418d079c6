//! The J-STAGE WebAPI reader: a real answer (`tests/fixtures/jstage/`, origin in its SOURCE.md) with counts
//! and values taken from the file's own text independently of the reader, and hostile inputs.

use std::io::Write;
use std::path::PathBuf;

use byline_model::Format;

use crate::support::{by_doi, read_all};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jstage/fastpaper-cli-jstage_search.xml")
}

fn write(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("answer.xml");
    std::fs::File::create(&path).and_then(|mut f| f.write_all(bytes)).expect("write");
    (dir, path)
}

/// The text between `open` and `close` for every occurrence (a plain string scan, not XML parsing).
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    text.split(open).skip(1).filter_map(|s| s.split(close).next()).collect()
}

#[test]
fn real_answer_keeps_both_languages() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let entries = text.matches("<entry>").count();
    let dois = between(&text, "<prism:doi>", "</prism:doi>");
    let r = read_all(&fixture());
    assert_eq!(r.summary.format, Some(Format::Jstage), "sniffed from content");
    assert_eq!(r.summary.records_seen, entries as u64);
    assert_eq!((r.summary.works, r.summary.rejected), (entries as u64, 0));
    assert!(r.summary.file_error.is_none(), "{:?}", r.summary.file_error);
    assert_eq!(r.works.iter().filter_map(|w| w.ids.doi.clone()).collect::<Vec<_>>(), dois);

    // Japanese-only title; Japanese and English names paired.
    let w = by_doi(&r.works, "10.1587/bplus.19.184");
    assert_eq!(w.title.as_deref(), Some("GPUを利用したPyTorch入門"));
    assert!(w.other_titles.is_empty());
    let names: Vec<(&str, &[String])> =
        w.authors.iter().map(|a| (a.raw_name.as_str(), a.other_names.as_slice())).collect();
    assert_eq!(
        names,
        [
            ("Chee Siang Leo", &["レオ チー シャン".to_owned()][..]),
            ("Hiromitsu Nishizaki", &["西崎 博光".to_owned()][..])
        ]
    );
    assert_eq!(w.venue.title.as_deref(), Some("IEICE Communications Society Magazine"));
    assert_eq!(w.venue.other_titles, ["電子情報通信学会　通信ソサイエティマガジン"]);
    assert_eq!(w.venue.issns, ["2186-0661"], "the blank prism:issn is no ISSN");
    assert_eq!(
        (w.venue.volume.as_deref(), w.venue.issue.as_deref(), w.venue.pages.as_deref()),
        (Some("19"), Some("2"), Some("184"))
    );
    assert_eq!(w.date.map(|d| d.year), Some(2025));
    assert!(w.ids.other.contains(&("jstage_cdjournal".to_owned(), "bplus".to_owned())));

    // Both titles: English first, the Japanese beside it; CDATA kept as J-STAGE wrote it.
    let w = by_doi(&r.works, "10.11509/isciesci.68.2_73");
    assert_eq!(
        w.title.as_deref(),
        Some("One-step Advanced DNN Topics: I&apos;ve heard that, but I don&apos;t know well")
    );
    assert_eq!(w.other_titles, [("ja".to_owned(), "基礎から一歩進んだ深層学習トピックス".to_owned())]);
    assert_eq!(w.venue.pages.as_deref(), Some("73-74"));
    let w = by_doi(&r.works, "10.14894/faruawpsj.54.9_843");
    assert_eq!(w.authors.len(), 1);
    assert_eq!(
        (w.authors[0].raw_name.as_str(), w.authors[0].other_names.as_slice()),
        ("Nobuyuki OTA", &["大田 信行".to_owned()][..])
    );
}

#[test]
fn hostile_answers() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    // Cut inside the second entry: the first is kept, the second rejected, the file error names the offset.
    let second = text.match_indices("<entry>").nth(1).map(|(i, _)| i).expect("two entries");
    let at = (second + 300..text.len()).find(|i| text.is_char_boundary(*i)).expect("a boundary");
    let cut = &text[..at];
    let (_d, path) = write(cut.as_bytes());
    let r = read_all(&path);
    assert_eq!((r.summary.works, r.summary.rejected), (1, 1));
    let err = r.summary.file_error.expect("a file error");
    assert!(err.position.byte_offset.is_some() && err.reason.contains("truncated"), "{err:?}");

    // An Atom feed that is not J-STAGE's: not sniffed (skipped, not misread).
    let arxiv = b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>arXiv</title>\
                  <entry><id>http://arxiv.org/abs/2101.00001</id><title>A paper</title></entry></feed>";
    let (_d, path) = write(arxiv);
    let r = read_all(&path);
    assert!(r.summary.skipped.is_some() && r.summary.format.is_none(), "{:?}", r.summary);

    // An empty J-STAGE answer (no hits): no record, no error; an error answer: J-STAGE's status in the error.
    let empty = b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><result><status>0</status>\
                  </result><title>Articles</title><servicecd>3</servicecd></feed>";
    let (_d, path) = write(empty);
    let r = read_all(&path);
    assert_eq!((r.summary.format, r.summary.records_seen), (Some(Format::Jstage), 0));
    assert!(r.summary.file_error.is_none());
    let error = b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><result><status>ERR_001</status>\
                  <message>ERR_001</message></result><title>Articles</title><servicecd>3</servicecd></feed>";
    let (_d, path) = write(error);
    let r = read_all(&path);
    assert!(r.summary.file_error.as_ref().is_some_and(|e| e.reason.contains("ERR_001")), "{:?}", r.summary);

    // Entries without a title: kept with a warning when a DOI names it, rejected when nothing does.
    let untitled = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><servicecd>3</servicecd>\
        <entry><article_title><en/><ja/></article_title><cdjournal>x</cdjournal><prism:doi>10.1/abc</prism:doi></entry>\
        <entry><article_title><en/><ja/></article_title><cdjournal>x</cdjournal></entry>\
        <entry><article_title><en>Kept</en></article_title><author><en><name>A B</name><name>C D</name></en>\
        <ja><name>甲 乙</name></ja></author></entry></feed>";
    let (_d, path) = write(untitled.as_bytes());
    let r = read_all(&path);
    assert_eq!((r.summary.records_seen, r.summary.works, r.summary.rejected), (3, 2, 1));
    assert_eq!(r.rejected[0].position.record_index, Some(1));
    assert!(r.rejected[0].reason.contains("no title"), "{:?}", r.rejected);
    assert!(r.warnings.iter().any(|w| w.reason.contains("no title")), "{:?}", r.warnings);
    // Author lists of different lengths: the Japanese names are in a warning, not lost.
    assert!(r.warnings.iter().any(|w| w.reason.contains("甲 乙")), "{:?}", r.warnings);

    // Not even XML, and random bytes: errors, never a panic.
    for bytes in [&b"<feed><entry><article_title><en>x</en"[..], &[0xff, 0xfe, 0x00, 0x3c][..]] {
        let mut input = byline_parse::input::Input::from_reader(Box::new(std::io::Cursor::new(bytes.to_vec())));
        let mut n = 0;
        let result = byline_parse::read_stream(Format::Jstage, &mut input, "mem", &mut |_| n += 1);
        assert!(result.is_err());
    }
}
