//! J-STAGE WebAPI article search answers (`searchapi/do?service=3`): an Atom feed whose `<entry>` elements
//! are articles of Japanese journals, each with its title, authors and journal in Japanese and English.
//!
//! Fields read (J-STAGE WebAPI specification, "論文検索結果"): `article_title/{en,ja}`,
//! `author/{en,ja}/name`, `material_title/{en,ja}`, `cdjournal`, `prism:issn`, `prism:eIssn`,
//! `prism:volume`, `prism:number`, `prism:startingPage`, `prism:endingPage`, `pubyear`, `prism:doi`, the
//! Atom `title`, `link@href` and `id`; at feed level `result/status` and `result/message`.
//!
//! Choices a reader of the output should know:
//! - **Both languages kept, strings as written** (only XML whitespace runs are collapsed; an ideographic
//!   space stays). `title` is the English title when the entry gives one,
//!   else the Japanese; the other goes to `other_titles` as `(ja|en, text)`. The journal likewise
//!   (`venue.title`, `venue.other_titles`). CDATA is kept verbatim (J-STAGE writes `I&apos;ve` inside CDATA:
//!   that is the text it sent). The Atom `title` is used only when `article_title` is empty in both.
//! - **Authors.** The English list gives `raw_name` when present, else the Japanese; when both lists have
//!   the same length they are the same people in the same order (J-STAGE writes them so) and the Japanese
//!   name goes to `other_names`. Lists of different lengths cannot be paired: the English one is kept and the
//!   Japanese names are listed in a warning, never dropped silently. `given`/`family` stay `None`: J-STAGE
//!   writes "Nobuyuki OTA" and "大田 信行" with no marker of which part is which.
//! - **Identifiers.** `prism:doi` (normalized), the article URL (`jstage_url`), the journal code
//!   (`jstage_cdjournal`).
//! - **Per record.** An entry with no title in any language but a DOI or an article URL is kept with a
//!   warning; an entry with neither a title nor an identifier is rejected with its index and offset.
//! - **Feed.** A `result/status` starting `ERR` (J-STAGE's error answers: bad parameter, no such journal)
//!   makes the file fail with J-STAGE's status and message. The root must be an Atom `feed`; an entry of a feed
//!   with none of J-STAGE's elements (`cdjournal`, `article_title`, `material_title`, `servicecd`) is rejected.
//! - **Entities.** No DTD is loaded; the five XML entities and character references are decoded, any other
//!   `&name;` is kept literally.
//! - An XML syntax error or a cut file ends the file: the entry being read is rejected, the ones before it
//!   are kept, and a `FileError` names the byte offset.

use byline_model::{
    Author, Diagnostic, DiagnosticKind, Format, Position, PubDate, Work, normalize_doi, normalize_issn,
};
use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

use crate::Event;
use crate::input::Input;
use crate::xml::{attribute, read_error, resolve_reference};

/// Initial capacity of the event buffer (reused).
const EVENT_BUFFER_BYTES: usize = 16 * 1024;

/// Elements only J-STAGE's answers have: one of them in a feed (or entry) is the positive evidence.
pub(crate) const JSTAGE_ELEMENTS: [&str; 4] = ["<servicecd>", "<cdjournal>", "<article_title>", "<material_title>"];

/// Streams the entries of a J-STAGE answer from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut reader = Reader::from_reader(input);
    let mut p = Parser { path, ..Parser::default() };
    let mut buf = Vec::with_capacity(EVENT_BUFFER_BYTES);
    loop {
        let event_start = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => {
                let (offset, reason) = read_error(&reader, &err);
                return Err(p.fail(offset, reason, sink));
            }
        };
        match event {
            XmlEvent::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                let href = attribute(&start, "href").map(|h| h.into_owned());
                p.start(name, href, event_start)?;
            }
            XmlEvent::Empty(start) => {
                let name = start.local_name().as_ref().to_owned();
                let href = attribute(&start, "href").map(|h| h.into_owned());
                p.start(name, href, event_start)?;
                p.end(sink);
            }
            XmlEvent::End(_) => p.end(sink),
            XmlEvent::Text(text) => p.text(&text),
            XmlEvent::CData(text) => p.text(&text.xml10_content()),
            XmlEvent::GeneralRef(reference) => {
                let name: &str = &reference;
                match resolve_reference(name) {
                    Some(c) => p.text(c.encode_utf8(&mut [0u8; 4])),
                    None => p.text(&format!("&{name};")),
                }
            }
            XmlEvent::Eof => return p.finish(reader.buffer_position(), sink),
            XmlEvent::Comment(_) | XmlEvent::Decl(_) | XmlEvent::PI(_) | XmlEvent::DocType(_) => {}
        }
        buf.clear();
    }
}

/// One entry being read.
#[derive(Default)]
struct Entry {
    index: u64,
    offset: u64,
    title_en: Option<String>,
    title_ja: Option<String>,
    atom_title: Option<String>,
    names_en: Vec<String>,
    names_ja: Vec<String>,
    material_en: Option<String>,
    material_ja: Option<String>,
    cdjournal: Option<String>,
    issns: Vec<String>,
    volume: Option<String>,
    number: Option<String>,
    first_page: Option<String>,
    last_page: Option<String>,
    pubyear: Option<String>,
    doi: Option<String>,
    article_link: Option<String>,
    link: Option<String>,
    id: Option<String>,
    /// Saw one of J-STAGE's own elements.
    jstage: bool,
}

#[derive(Default)]
struct Parser<'a> {
    path: &'a str,
    stack: Vec<String>,
    text: String,
    root_seen: bool,
    /// The feed has one of J-STAGE's feed-level elements.
    jstage_feed: bool,
    status: Option<String>,
    message: Option<String>,
    entry: Option<Entry>,
    entries: u64,
}

impl Parser<'_> {
    fn start(&mut self, name: String, href: Option<String>, offset: u64) -> Result<(), Diagnostic> {
        if !self.root_seen {
            self.root_seen = true;
            if name != "feed" {
                let reason = format!("not a J-STAGE answer: the root element is <{name}>, expected an Atom <feed>");
                let position = Position { byte_offset: Some(offset), ..Position::default() };
                return Err(Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason));
            }
        }
        if name == "entry" && self.stack.len() == 1 {
            self.entry = Some(Entry { index: self.entries, offset, ..Entry::default() });
            self.entries += 1;
        }
        if name == "servicecd" && self.stack.len() == 1 {
            self.jstage_feed = true;
        }
        if let Some(e) = &mut self.entry {
            if matches!(name.as_str(), "cdjournal" | "article_title" | "material_title") {
                e.jstage = true;
            }
            if name == "link" && self.stack.len() == 2 {
                e.link = href.filter(|h| !h.trim().is_empty());
            }
        }
        self.stack.push(name);
        self.text.clear();
        Ok(())
    }

    fn text(&mut self, t: &str) {
        self.text.push_str(t);
    }

    fn end(&mut self, sink: &mut dyn FnMut(Event)) {
        let value = squash_xml_whitespace(&self.text);
        self.text.clear();
        let depth = self.stack.len();
        let name = self.stack.pop().unwrap_or_default();
        let parent = self.stack.last().map(String::as_str).unwrap_or("");
        let grandparent = if depth >= 3 { self.stack.get(depth - 3).map(String::as_str).unwrap_or("") } else { "" };
        if name == "entry" && depth == 2 {
            if let Some(e) = self.entry.take() {
                self.emit(e, sink);
            }
            return;
        }
        if depth == 3 && parent == "result" {
            match name.as_str() {
                "status" => self.status = non_empty(value),
                "message" => self.message = non_empty(value),
                _ => {}
            }
            return;
        }
        let Some(e) = &mut self.entry else { return };
        let v = non_empty(value);
        match (name.as_str(), parent, grandparent) {
            ("en", "article_title", _) => e.title_en = v,
            ("ja", "article_title", _) => e.title_ja = v,
            ("en", "article_link", _) => e.article_link = e.article_link.take().or(v),
            ("ja", "article_link", _) => {}
            ("name", "en", "author") => e.names_en.extend(v),
            ("name", "ja", "author") => e.names_ja.extend(v),
            ("en", "material_title", _) => e.material_en = v,
            ("ja", "material_title", _) => e.material_ja = v,
            ("cdjournal", "entry", _) => e.cdjournal = v,
            ("issn" | "eIssn", "entry", _) => {
                if let Some(issn) = v.as_deref().and_then(normalize_issn)
                    && !e.issns.contains(&issn)
                {
                    e.issns.push(issn);
                }
            }
            ("volume", "entry", _) => e.volume = v,
            ("number", "entry", _) => e.number = v,
            ("startingPage", "entry", _) => e.first_page = v,
            ("endingPage", "entry", _) => e.last_page = v,
            ("pubyear", "entry", _) => e.pubyear = v,
            ("doi", "entry", _) => e.doi = v,
            ("title", "entry", _) => e.atom_title = v,
            ("id", "entry", _) => e.id = v,
            _ => {}
        }
    }

    fn emit(&self, e: Entry, sink: &mut dyn FnMut(Event)) {
        let position = Position { record_index: Some(e.index), line: None, byte_offset: Some(e.offset) };
        let diag = |kind, reason: String| Diagnostic::new(kind, self.path, position.clone(), reason);
        if !e.jstage && !self.jstage_feed {
            let reason = "not a J-STAGE article entry (none of cdjournal, article_title, material_title)".to_owned();
            sink(Event::Rejected(diag(DiagnosticKind::RecordRejected, reason)));
            return;
        }
        let url = e.article_link.clone().or_else(|| e.link.clone()).or_else(|| e.id.clone());
        let doi = e.doi.as_deref().and_then(normalize_doi);
        let mut warnings = Vec::new();
        if e.doi.is_some() && doi.is_none() {
            warnings.push(format!("prism:doi {:?} is not a DOI; dropped", e.doi.as_deref().unwrap_or("")));
        }
        let (title, other_titles) = match (&e.title_en, &e.title_ja) {
            (Some(en), Some(ja)) => (Some(en.clone()), vec![("ja".to_owned(), ja.clone())]),
            (Some(en), None) => (Some(en.clone()), Vec::new()),
            (None, Some(ja)) => (Some(ja.clone()), Vec::new()),
            (None, None) => (e.atom_title.clone(), Vec::new()),
        };
        if title.is_none() {
            if doi.is_none() && url.is_none() {
                let reason = "entry has no title (article_title en/ja and title empty) and no DOI or article link; \
                              nothing identifies it"
                    .to_owned();
                sink(Event::Rejected(diag(DiagnosticKind::RecordRejected, reason)));
                return;
            }
            warnings.push("entry has no title (article_title en/ja and title empty)".to_owned());
        }
        let mut w = Work::new(Format::Jstage, self.path, e.index);
        w.source.byte_offset = Some(e.offset);
        w.title = title;
        w.other_titles = other_titles;
        w.ids.doi = doi;
        if let Some(u) = url {
            w.ids.other.push(("jstage_url".to_owned(), u));
        }
        if let Some(c) = &e.cdjournal {
            w.ids.other.push(("jstage_cdjournal".to_owned(), c.clone()));
        }
        match (&e.material_en, &e.material_ja) {
            (Some(en), ja) => {
                w.venue.title = Some(en.clone());
                w.venue.other_titles.extend(ja.clone());
            }
            (None, ja) => w.venue.title = ja.clone(),
        }
        w.venue.issns = e.issns.clone();
        w.venue.volume = e.volume.clone();
        w.venue.issue = e.number.clone();
        w.venue.pages = match (&e.first_page, &e.last_page) {
            (Some(a), Some(b)) if a != b => Some(format!("{a}-{b}")),
            (Some(a), _) => Some(a.clone()),
            (None, _) => None,
        };
        match e.pubyear.as_deref().map(|y| (y, y.parse::<i32>())) {
            Some((_, Ok(y))) if (1000..=9999).contains(&y) => w.date = Some(PubDate::new(y, None, None)),
            Some((y, _)) => warnings.push(format!("pubyear {y:?} is not a year; dropped")),
            None => {}
        }
        let author = |name: &String| Author { raw_name: name.clone(), ..Author::default() };
        match (e.names_en.is_empty(), e.names_ja.is_empty()) {
            (false, false) if e.names_en.len() == e.names_ja.len() => {
                for (en, ja) in e.names_en.iter().zip(&e.names_ja) {
                    w.authors.push(Author { other_names: vec![ja.clone()], ..author(en) });
                }
            }
            (false, false) => {
                w.authors = e.names_en.iter().map(author).collect();
                warnings.push(format!(
                    "the English author list ({} names) and the Japanese one ({}) differ in length and cannot be \
                     paired; the English list is the byline, the Japanese names are not attached: {}",
                    e.names_en.len(),
                    e.names_ja.len(),
                    e.names_ja.join("; ")
                ));
            }
            (false, true) => w.authors = e.names_en.iter().map(author).collect(),
            (true, _) => w.authors = e.names_ja.iter().map(author).collect(),
        }
        sink(Event::Work(Box::new(w)));
        for reason in warnings {
            sink(Event::Warning(diag(DiagnosticKind::Warning, reason)));
        }
    }

    /// The file failed at `offset`: rejects the open entry, if any, and builds the file error.
    fn fail(&mut self, offset: u64, reason: String, sink: &mut dyn FnMut(Event)) -> Diagnostic {
        let mut record_index = None;
        if let Some(e) = self.entry.take() {
            record_index = Some(e.index);
            let position = Position { record_index, line: None, byte_offset: Some(e.offset) };
            let why = format!("entry incomplete, the file failed inside it: {reason}");
            sink(Event::Rejected(Diagnostic::new(DiagnosticKind::RecordRejected, self.path, position, why)));
        }
        let position = Position { record_index, line: None, byte_offset: Some(offset) };
        Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason)
    }

    fn finish(&mut self, offset: u64, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
        if !self.root_seen {
            let position = Position { byte_offset: Some(offset), ..Position::default() };
            let reason = "no XML root element: the input is empty or not XML";
            return Err(Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason));
        }
        if !self.stack.is_empty() {
            let reason =
                format!("unexpected end of input: {} element(s) still open (truncated file?)", self.stack.len());
            return Err(self.fail(offset, reason, sink));
        }
        if let Some(status) = self.status.as_deref().filter(|s| s.starts_with("ERR")) {
            let reason = format!(
                "J-STAGE answered with an error: status {status}{}",
                self.message.as_deref().map(|m| format!(", message {m:?}")).unwrap_or_default()
            );
            let position = Position { byte_offset: Some(offset), ..Position::default() };
            return Err(Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason));
        }
        Ok(())
    }
}

/// Collapses runs of XML whitespace (space, tab, CR, LF) to one space and trims them, and nothing else: the
/// ideographic space (U+3000) J-STAGE writes inside Japanese titles is part of the text as written.
fn squash_xml_whitespace(s: &str) -> String {
    s.split([' ', '\t', '\r', '\n']).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}
