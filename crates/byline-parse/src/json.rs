//! JSON plumbing shared by the Crossref and OpenAlex readers: streaming JSON Lines or one JSON document,
//! unwrapping API envelopes, and field wrappers that tolerate the type drift seen in real metadata.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Cursor, Read};
use std::marker::PhantomData;
use std::rc::Rc;

use byline_model::{Diagnostic, DiagnosticKind, Position};
use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde_json::error::Category;

use crate::input::Input;

/// The longest JSON Lines line read into memory. Real works are far smaller (the largest Crossref and
/// OpenAlex records, with thousands of authors, are a few MB); a longer first line is streamed as one
/// document, a longer later line is rejected and skipped without being held.
pub(crate) const MAX_LINE_BYTES: usize = 128 * 1024 * 1024;

/// Keys that mark an API envelope rather than a record: Crossref REST (`status`, `message-type`,
/// `message`…), Crossref public data files (`items`), OpenAlex API lists (`meta`, `results`).
const ENVELOPE_KEYS: [&str; 13] = [
    "status",
    "message-type",
    "message-version",
    "message",
    "items",
    "facets",
    "total-results",
    "items-per-page",
    "query",
    "next-cursor",
    "meta",
    "results",
    "group_by",
];

/// What the stream reports: one record (or why it could not be read) with where it starts, or a
/// problem that belongs to no record (JSON broken between two records of a line's envelope).
pub(crate) enum Found<R> {
    Record(Result<R, String>, Position),
    Warning(String, Position),
}

/// Streams every record of `input` to `found`. JSON Lines are read line by line, so a bad line is one
/// rejected record; a pretty-printed document (its first line is not a whole value) is streamed with
/// serde_json, one record at a time, and a syntax error in it ends the file.
pub(crate) fn read_records<R: DeserializeOwned>(
    input: &mut Input,
    path: &str,
    found: &mut dyn FnMut(Found<R>),
) -> Result<(), Diagnostic> {
    let mut next_index: u64 = 0;
    let mut line_buf: Vec<u8> = Vec::new();
    let mut prefix: Vec<u8> = Vec::new();
    let mut line_no: u64 = 0;
    let mut offset: u64 = 0;
    let file_error = |line: Option<u64>, byte: Option<u64>, reason: String| {
        Diagnostic::new(
            DiagnosticKind::FileError,
            path,
            Position { record_index: None, line, byte_offset: byte },
            reason,
        )
    };

    // The first non-empty line decides between JSON Lines and one document. A document on one line
    // (a raw API response, a JSON array) is read from memory like any line: faster than streaming.
    let mut document_mode = false;
    {
        loop {
            let start = offset;
            line_buf.clear();
            let outcome = read_line_capped(input, &mut line_buf, MAX_LINE_BYTES)
                .map_err(|e| file_error(Some(line_no + 1), Some(start), format!("read error: {e}")))?;
            prefix.extend_from_slice(&line_buf);
            match outcome {
                LineOutcome::Eof if line_buf.is_empty() => return Ok(()),
                LineOutcome::TooLong => {
                    document_mode = true;
                    break;
                }
                LineOutcome::Eof | LineOutcome::Line => {}
            }
            line_no += 1;
            offset += line_buf.len() as u64;
            let content = trim_line(&line_buf, line_no == 1);
            if content.iter().all(u8::is_ascii_whitespace) {
                if matches!(outcome, LineOutcome::Eof) {
                    return Ok(());
                }
                continue;
            }
            let last = content.iter().rev().find(|b| !b.is_ascii_whitespace()).copied();
            let mut emitted = 0u64;
            let result = parse_line(content, &mut |emit| {
                let Emit::Record(record) = emit else { return };
                emitted += 1;
                let position =
                    Position { record_index: Some(next_index), line: Some(line_no), byte_offset: Some(start) };
                next_index += 1;
                found(Found::Record(record, position));
            });
            let incomplete = matches!(&result, Err(LineError::Json(e)) if e.classify() == Category::Eof);
            if incomplete && emitted == 0 && matches!(last, Some(b'{' | b'[' | b',' | b':')) {
                // A pretty-printed document: its first line is only the opening of a value.
                document_mode = true;
                break;
            }
            finish_line(result, emitted, line_no, start, &mut next_index, found);
            if matches!(outcome, LineOutcome::Eof) {
                return Ok(());
            }
            prefix.clear();
            break;
        }
    }

    if document_mode {
        return read_document(Cursor::new(prefix).chain(input), path, &mut next_index, found);
    }

    // JSON Lines, after the first line.
    loop {
        let start = offset;
        line_buf.clear();
        let outcome = read_line_capped(input, &mut line_buf, MAX_LINE_BYTES)
            .map_err(|e| file_error(Some(line_no + 1), Some(start), format!("read error: {e}")))?;
        if matches!(outcome, LineOutcome::Eof) && line_buf.is_empty() {
            return Ok(());
        }
        line_no += 1;
        if matches!(outcome, LineOutcome::TooLong) {
            let skipped =
                skip_line(input).map_err(|e| file_error(Some(line_no), Some(start), format!("read error: {e}")))?;
            let length = line_buf.len() as u64 + skipped;
            offset += length;
            let position = Position { record_index: Some(next_index), line: Some(line_no), byte_offset: Some(start) };
            next_index += 1;
            let reason = format!("line is {length} bytes, longer than the {MAX_LINE_BYTES}-byte limit; skipped");
            found(Found::Record(Err(reason), position));
            continue;
        }
        offset += line_buf.len() as u64;
        let content = trim_line(&line_buf, false);
        if !content.iter().all(u8::is_ascii_whitespace) {
            let mut emitted = 0u64;
            let result = parse_line(content, &mut |emit| {
                let Emit::Record(record) = emit else { return };
                emitted += 1;
                let position =
                    Position { record_index: Some(next_index), line: Some(line_no), byte_offset: Some(start) };
                next_index += 1;
                found(Found::Record(record, position));
            });
            finish_line(result, emitted, line_no, start, &mut next_index, found);
        }
        if matches!(outcome, LineOutcome::Eof) {
            return Ok(());
        }
    }
}

/// What the walker reports: a record is starting (serde_json has just consumed its first byte), or
/// a record (or why it could not be read).
enum Emit<R> {
    Start,
    Record(Result<R, String>),
}

enum LineError {
    Utf8(std::str::Utf8Error),
    Json(serde_json::Error),
}

/// Parses one line: a record, an envelope holding records, or an array of records.
fn parse_line<R: DeserializeOwned>(line: &[u8], emit: &mut dyn FnMut(Emit<R>)) -> Result<(), LineError> {
    let text = std::str::from_utf8(line).map_err(LineError::Utf8)?;
    let mut de = serde_json::Deserializer::from_str(text);
    walk_values(&mut de, emit).map_err(LineError::Json)
}

/// Reports a line that failed: as a rejected record when nothing on it was read, else as a warning
/// (the record being read when it failed was already rejected by the walker).
fn finish_line<R>(
    result: Result<(), LineError>,
    emitted: u64,
    line_no: u64,
    start: u64,
    next_index: &mut u64,
    found: &mut dyn FnMut(Found<R>),
) {
    let reason = match result {
        Ok(()) => return,
        Err(LineError::Utf8(e)) => format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
        Err(LineError::Json(e)) => e.to_string(),
    };
    if emitted == 0 {
        let position = Position { record_index: Some(*next_index), line: Some(line_no), byte_offset: Some(start) };
        *next_index += 1;
        found(Found::Record(Err(reason), position));
    } else {
        // The record being read when the line broke was already rejected by the walker; counting the
        // line again would count a record twice.
        let position = Position { record_index: None, line: Some(line_no), byte_offset: Some(start) };
        found(Found::Warning(format!("rest of the line not read: {reason}"), position));
    }
}

/// Streams a whole document (or several concatenated ones) from `reader`.
fn read_document<R: DeserializeOwned>(
    reader: impl Read,
    path: &str,
    next_index: &mut u64,
    found: &mut dyn FnMut(Found<R>),
) -> Result<(), Diagnostic> {
    let line = Rc::new(Cell::new(1u64));
    let bytes = Rc::new(Cell::new(0u64));
    let tracking = Tracking { inner: reader, line: line.clone(), bytes: bytes.clone() };
    let mut de = serde_json::Deserializer::from_reader(tracking);
    let here = || (line.get(), bytes.get().saturating_sub(1));
    let mut start: Option<(u64, u64)> = None;
    let result = walk_values(&mut de, &mut |emit| match emit {
        // serde_json has just consumed the record's first byte (`{`): that is where it starts.
        Emit::Start => start = Some(here()),
        Emit::Record(record) => {
            let (line, byte) = start.take().unwrap_or_else(here);
            let position = Position { record_index: Some(*next_index), line: Some(line), byte_offset: Some(byte) };
            *next_index += 1;
            found(Found::Record(record, position));
        }
    });
    result.map_err(|e| {
        let what = match e.classify() {
            Category::Io => "read error",
            Category::Eof => "document ends early",
            Category::Syntax | Category::Data => "malformed JSON",
        };
        Diagnostic::new(
            DiagnosticKind::FileError,
            path,
            Position { record_index: None, line: Some(e.line() as u64), byte_offset: None },
            format!("{what}: {e}; the rest of the file is not read"),
        )
    })
}

/// Every top-level value of the stream, one after another (pretty-printed concatenations included).
fn walk_values<'de, Rd: serde_json::de::Read<'de>, R: DeserializeOwned>(
    de: &mut serde_json::Deserializer<Rd>,
    emit: &mut dyn FnMut(Emit<R>),
) -> serde_json::Result<()> {
    loop {
        DocumentSeed { emit: &mut *emit }.deserialize(&mut *de)?;
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

/// A top-level value or an envelope's `message`: a record, an envelope, or an array of records.
struct DocumentSeed<'a, R> {
    emit: &'a mut dyn FnMut(Emit<R>),
}

impl<'de, R: DeserializeOwned> DeserializeSeed<'de> for DocumentSeed<'_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R: DeserializeOwned> Visitor<'de> for DocumentSeed<'_, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        (self.emit)(Emit::Start);
        let Some(first) = map.next_key::<String>()? else {
            return Ok(());
        };
        if !ENVELOPE_KEYS.contains(&first.as_str()) {
            let replay = ReplayFirstKey { first: Some(first), map };
            return emit_record(R::deserialize(MapAccessDeserializer::new(replay)), self.emit);
        }
        let mut key = Some(first);
        while let Some(k) = key {
            match k.as_str() {
                "message" => map.next_value_seed(DocumentSeed { emit: &mut *self.emit })?,
                "items" | "results" => map.next_value_seed(RecordArraySeed { emit: &mut *self.emit })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            key = map.next_key::<String>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        RecordArraySeed { emit: self.emit }.visit_seq(seq)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_record("a boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_record("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_record("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_record("a number")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_record("a string")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_a_record("null")
    }
}

impl<R> DocumentSeed<'_, R> {
    fn not_a_record<E>(self, what: &str) -> Result<(), E> {
        (self.emit)(Emit::Record(Err(format!("expected a JSON object (a record), found {what}"))));
        Ok(())
    }
}

/// Reports a deserialized record, or the error that stopped it (then passes the error on: the stream
/// cannot be resumed inside a broken value).
fn emit_record<R, E: de::Error>(result: Result<R, E>, emit: &mut dyn FnMut(Emit<R>)) -> Result<(), E> {
    match result {
        Ok(record) => {
            emit(Emit::Record(Ok(record)));
            Ok(())
        }
        Err(e) => {
            emit(Emit::Record(Err(e.to_string())));
            Err(e)
        }
    }
}

/// `items` / `results` / a top-level array: every element is one record.
struct RecordArraySeed<'a, R> {
    emit: &'a mut dyn FnMut(Emit<R>),
}

impl<'de, R: DeserializeOwned> DeserializeSeed<'de> for RecordArraySeed<'_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R: DeserializeOwned> Visitor<'de> for RecordArraySeed<'_, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(RecordSeed { emit: &mut *self.emit })?.is_some() {}
        Ok(())
    }

    // `"items": null` or any other non-array holds no records.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One element of a record array.
struct RecordSeed<'a, R> {
    emit: &'a mut dyn FnMut(Emit<R>),
}

impl<'de, R: DeserializeOwned> DeserializeSeed<'de> for RecordSeed<'_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        (self.emit)(Emit::Start);
        match d.deserialize_any(ObjectVisitor(PhantomData::<R>)) {
            Ok(Some(record)) => (self.emit)(Emit::Record(Ok(record))),
            Ok(None) => {
                let reason = "expected a JSON object (a record), found another JSON value".to_owned();
                (self.emit)(Emit::Record(Err(reason)));
            }
            Err(e) => {
                (self.emit)(Emit::Record(Err(e.to_string())));
                return Err(e);
            }
        }
        Ok(())
    }
}

/// Replays a map's first key (already read to tell an envelope from a record) before the rest.
struct ReplayFirstKey<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ReplayFirstKey<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Counts lines and bytes as serde_json pulls them (it reads one byte at a time from an `io::Read`).
struct Tracking<R> {
    inner: R,
    line: Rc<Cell<u64>>,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for Tracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let newlines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        self.line.set(self.line.get() + newlines);
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

enum LineOutcome {
    /// A line ending in `\n`.
    Line,
    /// The end of the input (the buffer holds the last line, possibly empty).
    Eof,
    /// The line reached the cap; the buffer holds its first `cap` bytes, the rest is unread.
    TooLong,
}

/// Reads one line (with its `\n`) into `buf`, stopping at `cap` bytes.
fn read_line_capped(input: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<LineOutcome> {
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(LineOutcome::Eof);
        }
        let room = cap - buf.len();
        let window = &available[..available.len().min(room)];
        if let Some(i) = memchr::memchr(b'\n', window) {
            buf.extend_from_slice(&window[..=i]);
            input.consume(i + 1);
            return Ok(LineOutcome::Line);
        }
        let taken = window.len();
        buf.extend_from_slice(window);
        input.consume(taken);
        if buf.len() >= cap {
            return Ok(LineOutcome::TooLong);
        }
    }
}

/// Discards input up to and including the next `\n`; returns how many bytes were skipped.
fn skip_line(input: &mut impl BufRead) -> io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(skipped);
        }
        if let Some(i) = memchr::memchr(b'\n', available) {
            input.consume(i + 1);
            return Ok(skipped + i as u64 + 1);
        }
        let n = available.len();
        input.consume(n);
        skipped += n as u64;
    }
}

/// The line without its line ending (and without a UTF-8 byte-order mark on the first line).
fn trim_line(line: &[u8], first: bool) -> &[u8] {
    let mut s = line;
    if first {
        s = s.strip_prefix(b"\xef\xbb\xbf").unwrap_or(s);
    }
    while let [rest @ .., b'\n' | b'\r'] = s {
        s = rest;
    }
    s
}

// ---- Type-tolerant field wrappers -------------------------------------------------------------------
//
// Real records drift: a volume written as a number, `null` where a list is expected, a string where an
// object is expected. These wrappers take what they can and drop the rest, so that one odd field never
// rejects a whole record (serde's derived code would).

/// A scalar read as text: strings as they are, numbers written out; `null`, booleans, arrays and objects
/// give `None`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub Option<String>);

impl Text {
    /// The trimmed text, `None` when empty.
    pub(crate) fn get(&self) -> Option<&str> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    /// The text with whitespace runs squashed, `None` when empty.
    pub(crate) fn non_empty(&self) -> Option<String> {
        self.0.as_deref().and_then(crate::text::non_empty)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
                Text::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// An integer from a number or a numeric string; anything else gives `None`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Num(pub Option<i64>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let text = Text::deserialize(d)?;
        Ok(Num(text.get().and_then(|s| s.parse::<i64>().ok().or_else(|| float_to_int(s)))))
    }
}

fn float_to_int(s: &str) -> Option<i64> {
    let f = s.parse::<f64>().ok().filter(|f| f.is_finite() && f.fract() == 0.0)?;
    (f.abs() < 9.0e15).then_some(f as i64)
}

/// A boolean (also from `"true"`/`"false"`); anything else gives `None`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(pub Option<bool>);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                Ok(Flag(match v.trim() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                }))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Flag, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Flag(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Flag, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Flag(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON object read as `T`; any other JSON value gives `None` instead of an error.
#[derive(Debug)]
pub(crate) struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Obj<T> {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        d.deserialize_any(ObjectVisitor(PhantomData)).map(Obj)
    }
}

/// Reads a JSON object as `Some(T)`; skips any other value as `None`.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

/// A list. `null` is empty; a lone value where a list is expected is a list of one.
#[derive(Debug)]
pub(crate) struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    out.push(item);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| List(vec![t]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<List<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| List(vec![t]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<List<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| List(vec![t]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<List<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| List(vec![t]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<List<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| List(vec![t]))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A list of objects read as `T`; elements that are not objects are dropped.
#[derive(Debug)]
pub(crate) struct Objects<T>(pub Vec<T>);

impl<T> Default for Objects<T> {
    fn default() -> Objects<T> {
        Objects(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Objects<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Objects<T>, D::Error> {
        let list = List::<Obj<T>>::deserialize(d)?;
        Ok(Objects(list.0.into_iter().filter_map(|o| o.0).collect()))
    }
}

/// A list of strings (numbers written out); other elements are dropped.
#[derive(Debug, Default)]
pub(crate) struct Strings(pub Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strings, D::Error> {
        let list = List::<Text>::deserialize(d)?;
        Ok(Strings(list.0.into_iter().filter_map(|t| t.0).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Sample {
        volume: Text,
        tags: Strings,
        parts: List<Num>,
        nested: Obj<Inner>,
        many: Objects<Inner>,
        flag: Flag,
    }

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Inner {
        name: Text,
    }

    #[test]
    fn tolerant_fields_take_odd_types_without_rejecting_the_record() {
        let s: Sample = serde_json::from_str(
            r#"{"volume": 12, "tags": "one", "parts": [2019, "5", null, 7.0], "nested": "oops",
                "many": [{"name": "a"}, 3, null, {"name": null}], "flag": "true", "extra": {"x": [1]}}"#,
        )
        .expect("tolerant");
        assert_eq!(s.volume.0.as_deref(), Some("12"));
        assert_eq!(s.tags.0, vec!["one".to_owned()]);
        assert_eq!(s.parts.0, vec![Num(Some(2019)), Num(Some(5)), Num(None), Num(Some(7))]);
        assert!(s.nested.0.is_none());
        assert_eq!(s.many.0.len(), 2);
        assert_eq!(s.flag.0, Some(true));
        let s: Sample = serde_json::from_str(r#"{"volume": null, "tags": null, "many": null}"#).expect("nulls");
        assert!(s.volume.0.is_none() && s.tags.0.is_empty() && s.many.0.is_empty());
    }

    fn records(text: &str) -> (Vec<Result<Inner, String>>, Result<(), ()>) {
        let mut out = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        let r = walk_values::<_, Inner>(&mut de, &mut |e| {
            if let Emit::Record(r) = e {
                out.push(r);
            }
        })
        .map_err(|_| ());
        (out, r)
    }

    #[test]
    fn envelopes_are_unwrapped_and_records_kept_whole() {
        let (v, r) = records(r#"{"status":"ok","message-type":"work","message":{"name":"a"}}"#);
        assert!(r.is_ok());
        assert_eq!(v.len(), 1);
        let (v, _) = records(r#"{"message":{"facets":{},"items":[{"name":"a"},{"name":"b"}]},"status":"ok"}"#);
        assert_eq!(v.len(), 2);
        let (v, _) = records(r#"{"meta":{"count":2},"results":[{"name":"a"},{"name":"b"}]}"#);
        assert_eq!(v.len(), 2);
        let (v, _) = records(r#"[{"name":"a"}, 5, {"name":"c"}]"#);
        assert_eq!(v.len(), 3);
        assert!(v[1].is_err());
        let (v, _) = records(r#"{"name":"a", "items": 3}"#);
        assert_eq!(v.len(), 1, "a record's first key decides: not an envelope");
        let (v, r) = records("{\"name\":\"a\"}\n{\"name\":\"b\"}");
        assert!(r.is_ok());
        assert_eq!(v.len(), 2, "concatenated documents are all read");
    }

    #[test]
    fn a_broken_element_is_rejected_then_the_document_fails() {
        let (v, r) = records(r#"{"items":[{"name":"a"},{"name": }]}"#);
        assert!(r.is_err());
        assert_eq!(v.len(), 2);
        assert!(v[0].is_ok());
        assert!(v[1].as_ref().is_err_and(|e| e.contains("line 1")));
    }

    #[test]
    fn line_reader_stops_at_the_cap() {
        let mut input = Cursor::new(b"abcdef\nxy\n".to_vec());
        let mut buf = Vec::new();
        assert!(matches!(read_line_capped(&mut input, &mut buf, 4), Ok(LineOutcome::TooLong)));
        assert_eq!(buf, b"abcd");
        assert_eq!(skip_line(&mut input).expect("skip"), 3);
        buf.clear();
        assert!(matches!(read_line_capped(&mut input, &mut buf, 4), Ok(LineOutcome::Line)));
        assert_eq!(buf, b"xy\n");
    }
}
