//! JATS / NLM article XML (PMC open access, publisher XML): one top-level `<article>` is one [`Work`].
//!
//! A file is either a single `<article>` or a wrapper (`<pmc-articleset>`, `<articles>`) holding several.
//! The reader streams quick-xml events and keeps one article's drafts in memory at a time. Only the main
//! article's `front` and `back` are read: `<sub-article>` and `<response>` (eLife decision letters, author
//! responses, F1000 reports) are skipped whole, so their editors and reviewers never reach the byline.
//!
//! Choices a reader of the output should know:
//!
//! - **Byline.** Every `contrib` of `article-meta` whose `contrib-type` is `author`, plus untyped contribs
//!   that sit in a contrib-group holding typed authors (or holding no typed contribs at all), or that are
//!   nested inside an author's `<collab>` (PLOS lists consortium members that way). They are kept in
//!   document order: the group entry first, then its members. `author non-byline` (eLife's consortium
//!   members), editors and reviewers are not authors. This is the rule behind `au` in the shared data's
//!   `jats/SOURCE.md`.
//! - **Names.** `raw_name` is "given family" (plus suffix) as written. With `name-style="eastern"` the
//!   source order is kept: family then given, with no space between them when both are written in a CJK
//!   script (王小明), else with one space. From `name-alternatives` the first `name` is used.
//! - **Affiliations.** `xref[@ref-type="aff"]` targets and `<aff>` nested in the contrib. When no author
//!   has either, and the article has exactly one `<aff>` outside contribs that no editor points at, every
//!   author gets it (single-affiliation papers often omit the xref). `raw` drops the `<label>` (and a
//!   leading `<sup>` marker, Hindawi's label), `<email>` and `<institution-id>`; where the source puts no
//!   separator between structured parts, ", " is inserted. Only the first non-department `institution`
//!   is kept as `institution`.
//! - **Corresponding author.** `corresp="yes"` or an `xref[@ref-type="corresp"]`: when any author is so
//!   marked the others are `Some(false)`; when none is, everybody is `None` (the source does not say).
//! - **Entities.** The DTD is never loaded (no external fetch, no custom entity, no expansion bomb). The
//!   five XML entities, character references and the HTML/ISO named entities met in real JATS are mapped;
//!   an unknown one keeps its literal `&name;` text and yields one warning per record when it lands in a
//!   field we keep.

use std::collections::HashMap;

use byline_model::{
    Affiliation, Author, Diagnostic, DiagnosticKind, Format, Funding, Position, PubDate, Reference, Work,
    normalize_doi, normalize_issn, normalize_orcid, normalize_pmcid, normalize_ror,
};
use quick_xml::events::{BytesStart, Event as XmlEvent};
use quick_xml::reader::Reader;

use crate::Event;
use crate::input::Input;
use crate::text::{initials_of, non_empty, parse_month, squash_whitespace};

/// Streams records from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut reader = Reader::from_reader(input);
    let mut parser = Parser { path, stack: Vec::new(), record_index: 0, article: None, saw_element: false };
    let mut buf = Vec::new();
    loop {
        let offset = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Eof) => return parser.finish(reader.buffer_position(), sink),
            Ok(XmlEvent::Start(e)) => parser.start(&e, offset, sink),
            Ok(XmlEvent::Empty(e)) => {
                parser.start(&e, offset, sink);
                parser.end(sink);
            }
            Ok(XmlEvent::End(_)) => parser.end(sink),
            Ok(XmlEvent::Text(t)) => parser.text(&t.xml10_content()),
            Ok(XmlEvent::CData(t)) => parser.text(&t.xml10_content()),
            Ok(XmlEvent::GeneralRef(r)) => parser.reference(&r, offset),
            // Declarations, comments, processing instructions and the DOCTYPE carry no record data. The
            // DOCTYPE is deliberately not interpreted: no entity it declares is ever expanded.
            Ok(_) => {}
            Err(e) => return Err(parser.fail(reader.error_position(), &format!("XML syntax error: {e}"), sink)),
        }
        buf.clear();
    }
}

/// Names of the wrappers that may hold several articles.
const WRAPPERS: [&str; 2] = ["pmc-articleset", "articles"];

/// Abstract types that are summaries for other audiences, never the main abstract.
const SECONDARY_ABSTRACT_TYPES: [&str; 14] = [
    "teaser",
    "editor-summary",
    "editors-summary",
    "executive-summary",
    "summary",
    "author-summary",
    "lay-summary",
    "plain-language-summary",
    "graphical",
    "toc",
    "web-summary",
    "precis",
    "short",
    "key-points",
];

/// Elements that separate words: text on either side of them must not run together.
const BLOCK_ELEMENTS: [&str; 10] = ["p", "sec", "title", "list-item", "break", "td", "th", "tr", "def", "term"];

/// Parts of a personal name, written without separators inside `<name>`.
const NAME_PARTS: [&str; 4] = ["surname", "given-names", "suffix", "prefix"];

/// Parts of a structured `<aff>` that publishers sometimes write back to back without punctuation.
const AFF_PARTS: [&str; 8] =
    ["institution", "institution-wrap", "addr-line", "country", "city", "state", "postal-code", "named-content"];

/// Children of an `element-citation` that carry no punctuation of their own.
const CITATION_PARTS: [&str; 22] = [
    "person-group",
    "name",
    "string-name",
    "surname",
    "given-names",
    "collab",
    "etal",
    "article-title",
    "chapter-title",
    "source",
    "year",
    "month",
    "day",
    "volume",
    "issue",
    "fpage",
    "lpage",
    "elocation-id",
    "pub-id",
    "publisher-name",
    "publisher-loc",
    "comment",
];

// Context bits inherited by every open element from its ancestors (within one article).
const IN_JOURNAL_META: u32 = 1;
const IN_ARTICLE_META: u32 = 1 << 1;
const IN_BACK: u32 = 1 << 2;
const IN_ABSTRACT: u32 = 1 << 3;
const IN_CONTRIB: u32 = 1 << 4;
const IN_AFF: u32 = 1 << 5;
const IN_AUTHOR_NOTES: u32 = 1 << 6;
const IN_FUNDING_GROUP: u32 = 1 << 7;
const IN_REF: u32 = 1 << 8;
const IN_SKIPPED: u32 = 1 << 9;
const IN_TITLE_GROUP: u32 = 1 << 10;
const IN_KWD_GROUP: u32 = 1 << 11;
const IN_NAME: u32 = 1 << 12;
const IN_CORRESP: u32 = 1 << 13;
const IN_FUNDING_SOURCE: u32 = 1 << 14;
const IN_COLLAB: u32 = 1 << 15;
const IN_ARTICLE: u32 = 1 << 16;

/// One open element.
struct Frame {
    name: String,
    ctx: u32,
}

/// The streaming state: open elements and the article being read.
struct Parser<'p> {
    path: &'p str,
    stack: Vec<Frame>,
    record_index: u64,
    article: Option<ArticleDraft>,
    /// Whether any element was seen: a stream without one is not JATS at all.
    saw_element: bool,
}

impl Parser<'_> {
    fn start(&mut self, e: &BytesStart<'_>, offset: u64, sink: &mut dyn FnMut(Event)) {
        self.saw_element = true;
        let name = local_name(e);
        let parent_ctx = self.stack.last().map_or(0, |f| f.ctx);
        let depth = self.stack.len() + 1;
        if parent_ctx & IN_ARTICLE == 0 {
            let at_top = self.stack.iter().all(|f| WRAPPERS.contains(&f.name.as_str()));
            if name == "article" && at_top {
                let mut draft = ArticleDraft::new(self.path, self.record_index, offset, depth);
                draft.start_article(e);
                self.article = Some(draft);
                self.stack.push(Frame { name, ctx: IN_ARTICLE });
                return;
            }
            self.stack.push(Frame { name, ctx: parent_ctx });
            return;
        }
        let _ = sink;
        let parent = self.stack.last().map_or("", |f| f.name.as_str()).to_owned();
        let mut ctx = parent_ctx;
        if ctx & IN_SKIPPED == 0
            && let Some(article) = self.article.as_mut()
        {
            ctx = article.start_element(&name, &parent, ctx, depth, e);
        }
        self.stack.push(Frame { name, ctx });
    }

    fn end(&mut self, sink: &mut dyn FnMut(Event)) {
        let depth = self.stack.len();
        let Some(frame) = self.stack.pop() else { return };
        let Some(article) = self.article.as_mut() else { return };
        if depth == article.depth {
            if let Some(article) = self.article.take() {
                self.record_index += 1;
                article.emit(sink);
            }
            return;
        }
        if frame.ctx & IN_SKIPPED == 0 || frame.name == "sub-article" || frame.name == "response" {
            let parent = self.stack.last().map_or("", |f| f.name.as_str());
            article.end_element(&frame.name, parent, frame.ctx, depth);
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(article) = self.article.as_mut()
            && self.stack.last().is_some_and(|f| f.ctx & IN_SKIPPED == 0)
        {
            article.push_text(text);
        }
    }

    fn reference(&mut self, r: &quick_xml::events::BytesRef<'_>, offset: u64) {
        let Some(article) = self.article.as_mut() else { return };
        if self.stack.last().is_some_and(|f| f.ctx & IN_SKIPPED != 0) {
            return;
        }
        if r.is_char_ref() {
            match r.resolve_char_ref() {
                Ok(Some(c)) => article.push_text(c.encode_utf8(&mut [0u8; 4])),
                _ => article.unknown_entity(&format!("&{};", &**r), offset),
            }
        } else if let Some(s) = named_entity(r) {
            article.push_text(s);
        } else {
            article.unknown_entity(&format!("&{};", &**r), offset);
        }
    }

    /// End of input: an article still open means the file was cut short.
    fn finish(&mut self, offset: u64, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
        if !self.saw_element {
            return Err(self.fail(offset, "no XML element found (empty or not XML)", sink));
        }
        if self.stack.is_empty() {
            return Ok(());
        }
        let open = self.stack.last().map_or(String::new(), |f| f.name.clone());
        Err(self.fail(offset, &format!("unexpected end of file: <{open}> is not closed (truncated file?)"), sink))
    }

    /// A fatal error: the open article (if any) is rejected, then the file error is returned.
    fn fail(&mut self, offset: u64, reason: &str, sink: &mut dyn FnMut(Event)) -> Diagnostic {
        if let Some(article) = self.article.take() {
            let position = Position { record_index: Some(self.record_index), line: None, byte_offset: Some(offset) };
            for w in article.warnings {
                sink(Event::Warning(w));
            }
            sink(Event::Rejected(Diagnostic::new(
                DiagnosticKind::RecordRejected,
                self.path,
                position,
                format!("article cut short: {reason}"),
            )));
            self.record_index += 1;
        }
        Diagnostic::new(
            DiagnosticKind::FileError,
            self.path,
            Position { record_index: None, line: None, byte_offset: Some(offset) },
            reason,
        )
    }
}

/// What a text capture is collecting.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    ArticleId(String),
    Title,
    AbstractParagraph,
    AbstractSectionTitle,
    Keyword,
    HeadingSubject,
    JournalTitle,
    JournalAbbreviation,
    JournalIdAbbreviation,
    Issn,
    Publisher,
    Volume,
    Issue,
    FirstPage,
    LastPage,
    ElocationId,
    DateYear,
    DateMonth,
    DateDay,
    Surname,
    GivenNames,
    Suffix,
    StringName,
    Collab,
    ContribOrcid,
    OrcidLink { href: Option<String>, typed: bool },
    Email,
    AffRaw,
    AffInstitution,
    AffDepartment,
    AffCity,
    AffCountry,
    AffRor,
    CorrespEmail,
    FundingSource,
    FunderId,
    AwardId,
    FundingStatement,
    Acknowledgements,
    ReferenceRaw,
    ReferencePubId(String),
}

/// How a capture separates the text of adjacent child elements.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Separator {
    /// Inline markup is flattened as is; only block elements add a space.
    Inline,
    /// Structured `<aff>` parts get ", " when the source has no punctuation between them.
    Affiliation,
    /// `element-citation` parts get a space.
    Citation,
}

/// Text being collected from one element and its descendants.
struct Capture {
    target: Target,
    depth: usize,
    text: String,
    separator: Separator,
    /// Depth of a descendant whose text is excluded (a label, a nested contrib-group); `None` when collecting.
    skip_from: Option<usize>,
}

impl Capture {
    fn new(target: Target, depth: usize) -> Capture {
        Capture { target, depth, text: String::new(), separator: Separator::Inline, skip_from: None }
    }

    /// Whether the child element `name` is left out of this capture's text.
    fn excludes(&self, name: &str) -> bool {
        match self.target {
            Target::AffRaw => {
                matches!(name, "label" | "email" | "institution-id" | "xref" | "fn")
                    || (name == "sup" && self.text.trim().is_empty())
            }
            Target::Collab => {
                matches!(name, "contrib-group" | "xref" | "fn" | "aff" | "email" | "address" | "contrib-id")
            }
            Target::Title | Target::AbstractSectionTitle => matches!(name, "xref" | "fn"),
            Target::FundingSource => name == "institution-id",
            Target::Acknowledgements => matches!(name, "title" | "label"),
            Target::AbstractParagraph => name == "object-id",
            _ => false,
        }
    }

    fn separate(&mut self, name: &str) {
        if self.skip_from.is_some() {
            return;
        }
        let wanted = match self.separator {
            Separator::Affiliation if AFF_PARTS.contains(&name) => {
                let last = self.text.trim_end().chars().last();
                if last.is_some_and(|c| !matches!(c, ',' | ';' | ':' | '(' | '-' | '/' | '–')) {
                    self.text.push_str(", ");
                }
                return;
            }
            Separator::Citation => CITATION_PARTS.contains(&name) || BLOCK_ELEMENTS.contains(&name),
            // PLOS writes `<surname>Caminero</surname><given-names>JA</given-names>` with nothing between.
            _ => BLOCK_ELEMENTS.contains(&name) || NAME_PARTS.contains(&name),
        };
        if wanted && self.text.chars().last().is_some_and(|c| !c.is_whitespace()) {
            self.text.push(' ');
        }
    }
}

#[derive(Default)]
struct AbstractDraft {
    abstract_type: Option<String>,
    paragraphs: Vec<String>,
    pending_label: Option<String>,
}

#[derive(Default)]
struct DateDraft {
    date_type: Option<String>,
    format: Option<String>,
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
}

#[derive(Default)]
struct ContribDraft {
    contrib_type: Option<String>,
    group: Option<usize>,
    parent: Option<usize>,
    corresp_attr: bool,
    corresp_xref: bool,
    corresp_rids: Vec<String>,
    name_started: bool,
    name_open: bool,
    eastern: bool,
    surname: Option<String>,
    given: Option<String>,
    suffix: Option<String>,
    string_name: Option<String>,
    collab: Option<String>,
    orcids: Vec<String>,
    emails: Vec<String>,
    aff_rids: Vec<String>,
    nested_affs: Vec<Affiliation>,
}

#[derive(Default)]
struct GroupDraft {
    has_author: bool,
    has_typed: bool,
}

#[derive(Default)]
struct AffDraft {
    id: Option<String>,
    contrib: Option<usize>,
    /// Directly in article-meta or in a contrib-group: a candidate for the single-affiliation rule.
    free: bool,
    aff: Affiliation,
}

#[derive(Default)]
struct AwardDraft {
    sources: Vec<String>,
    funder_ids: Vec<String>,
    award_ids: Vec<String>,
}

#[derive(Default)]
struct ReferenceDraft {
    reference: Reference,
    has_citation: bool,
    /// A DOI given only as a link; used when no `pub-id` DOI is present.
    link_doi: Option<String>,
}

/// Everything read so far from one `<article>`.
struct ArticleDraft {
    work: Work,
    /// Stack depth of the `<article>` element.
    depth: usize,
    captures: Vec<Capture>,
    abstracts: Vec<AbstractDraft>,
    current_abstract: Option<usize>,
    dates: Vec<DateDraft>,
    current_date: Option<usize>,
    first_page: Option<String>,
    last_page: Option<String>,
    elocation_id: Option<String>,
    journal_id_abbreviation: Option<String>,
    headings: Vec<String>,
    subj_group_flags: Vec<bool>,
    contribs: Vec<ContribDraft>,
    contrib_stack: Vec<usize>,
    groups: Vec<GroupDraft>,
    group_stack: Vec<usize>,
    affs: Vec<AffDraft>,
    current_aff: Option<AffDraft>,
    corresps: HashMap<String, Vec<String>>,
    current_corresp: Option<(Option<String>, Vec<String>)>,
    awards: Vec<AwardDraft>,
    current_award: Option<AwardDraft>,
    funding_statements: Vec<String>,
    acknowledgements: Vec<String>,
    current_reference: Option<ReferenceDraft>,
    warned_entity: bool,
    warnings: Vec<Diagnostic>,
}

impl ArticleDraft {
    fn new(path: &str, record_index: u64, offset: u64, depth: usize) -> ArticleDraft {
        let mut work = Work::new(Format::Jats, path, record_index);
        work.source.byte_offset = Some(offset);
        ArticleDraft {
            work,
            depth,
            captures: Vec::new(),
            abstracts: Vec::new(),
            current_abstract: None,
            dates: Vec::new(),
            current_date: None,
            first_page: None,
            last_page: None,
            elocation_id: None,
            journal_id_abbreviation: None,
            headings: Vec::new(),
            subj_group_flags: Vec::new(),
            contribs: Vec::new(),
            contrib_stack: Vec::new(),
            groups: Vec::new(),
            group_stack: Vec::new(),
            affs: Vec::new(),
            current_aff: None,
            corresps: HashMap::new(),
            current_corresp: None,
            awards: Vec::new(),
            current_award: None,
            funding_statements: Vec::new(),
            acknowledgements: Vec::new(),
            current_reference: None,
            warned_entity: false,
            warnings: Vec::new(),
        }
    }

    fn start_article(&mut self, e: &BytesStart<'_>) {
        self.work.language = attr(e, "xml:lang").and_then(|l| non_empty(&l));
        if let Some(t) = attr(e, "article-type").and_then(|t| non_empty(&t)) {
            self.work.publication_types.push(t);
        }
    }

    fn position(&self, offset: Option<u64>) -> Position {
        Position { record_index: Some(self.work.source.record_index), line: None, byte_offset: offset }
    }

    fn warn(&mut self, offset: Option<u64>, reason: String) {
        let d = Diagnostic::new(DiagnosticKind::Warning, &self.work.source.path, self.position(offset), reason);
        self.warnings.push(d);
    }

    fn unknown_entity(&mut self, literal: &str, offset: u64) {
        if self.captures.iter().all(|c| c.skip_from.is_some()) {
            return;
        }
        self.push_text(literal);
        if !self.warned_entity {
            self.warned_entity = true;
            self.warn(Some(offset), format!("unknown entity {literal} kept as literal text"));
        }
    }

    fn push_text(&mut self, text: &str) {
        for c in &mut self.captures {
            if c.skip_from.is_none() {
                c.text.push_str(text);
            }
        }
    }

    fn capture(&mut self, target: Target, depth: usize) {
        self.captures.push(Capture::new(target, depth));
    }

    fn capture_with(&mut self, target: Target, depth: usize, separator: Separator) {
        let mut c = Capture::new(target, depth);
        c.separator = separator;
        self.captures.push(c);
    }

    fn is_capturing(&self, target: &Target) -> bool {
        self.captures.iter().any(|c| &c.target == target)
    }

    fn contrib(&mut self) -> Option<&mut ContribDraft> {
        let i = *self.contrib_stack.last()?;
        self.contribs.get_mut(i)
    }

    /// Opens an element inside the article; returns the context bits for it.
    fn start_element(&mut self, name: &str, parent: &str, parent_ctx: u32, depth: usize, e: &BytesStart<'_>) -> u32 {
        for c in &mut self.captures {
            c.separate(name);
            if c.skip_from.is_none() && c.excludes(name) {
                c.skip_from = Some(depth);
            }
        }
        let mut ctx = parent_ctx;
        match name {
            "sub-article" | "response" => return ctx | IN_SKIPPED,
            "journal-meta" if parent == "front" => ctx |= IN_JOURNAL_META,
            "article-meta" if parent == "front" => ctx |= IN_ARTICLE_META,
            "back" if parent == "article" => ctx |= IN_BACK,
            _ => {}
        }
        if ctx & IN_JOURNAL_META != 0 {
            self.start_journal_meta(name, parent, depth, e);
        } else if ctx & IN_ARTICLE_META != 0 {
            ctx = self.start_article_meta(name, parent, ctx, depth, e);
        } else if ctx & IN_BACK != 0 {
            ctx = self.start_back(name, parent, ctx, depth, e);
        }
        ctx
    }

    fn start_journal_meta(&mut self, name: &str, parent: &str, depth: usize, e: &BytesStart<'_>) {
        match name {
            "journal-title" if self.work.venue.title.is_none() => self.capture(Target::JournalTitle, depth),
            "abbrev-journal-title" if self.work.venue.abbreviation.is_none() => {
                self.capture(Target::JournalAbbreviation, depth);
            }
            "journal-id"
                if self.journal_id_abbreviation.is_none()
                    && matches!(attr(e, "journal-id-type").as_deref(), Some("iso-abbrev" | "nlm-ta")) =>
            {
                self.capture(Target::JournalIdAbbreviation, depth);
            }
            "issn" => self.capture(Target::Issn, depth),
            "publisher-name" if parent == "publisher" && self.work.venue.publisher.is_none() => {
                self.capture(Target::Publisher, depth);
            }
            _ => {}
        }
    }

    fn start_article_meta(&mut self, name: &str, parent: &str, mut ctx: u32, depth: usize, e: &BytesStart<'_>) -> u32 {
        match name {
            "article-id" if parent == "article-meta" => {
                let kind = attr(e, "pub-id-type").unwrap_or_else(|| "unknown".to_owned());
                self.capture(Target::ArticleId(kind), depth);
            }
            "title-group" if parent == "article-meta" => ctx |= IN_TITLE_GROUP,
            "article-title" if ctx & IN_TITLE_GROUP != 0 && parent == "title-group" && self.work.title.is_none() => {
                self.capture(Target::Title, depth);
            }
            "subject" if parent == "subj-group" && self.headings_open() => self.capture(Target::HeadingSubject, depth),
            "subj-group" => self.subj_group_flags.push(attr(e, "subj-group-type").as_deref() == Some("heading")),
            "abstract" if parent == "article-meta" => {
                ctx |= IN_ABSTRACT;
                self.abstracts.push(AbstractDraft { abstract_type: attr(e, "abstract-type"), ..Default::default() });
                self.current_abstract = Some(self.abstracts.len() - 1);
            }
            "p" if ctx & IN_ABSTRACT != 0 && !self.is_capturing(&Target::AbstractParagraph) => {
                self.capture(Target::AbstractParagraph, depth);
            }
            "title" if ctx & IN_ABSTRACT != 0 && parent == "sec" => self.capture(Target::AbstractSectionTitle, depth),
            "kwd-group" => ctx |= IN_KWD_GROUP,
            "kwd" if ctx & IN_KWD_GROUP != 0 => self.capture(Target::Keyword, depth),
            "pub-date" if parent == "article-meta" => {
                self.dates.push(DateDraft {
                    date_type: attr(e, "pub-type").or_else(|| attr(e, "date-type")),
                    format: attr(e, "publication-format"),
                    ..Default::default()
                });
                self.current_date = Some(self.dates.len() - 1);
            }
            "year" if parent == "pub-date" => self.capture(Target::DateYear, depth),
            "month" if parent == "pub-date" => self.capture(Target::DateMonth, depth),
            "day" if parent == "pub-date" => self.capture(Target::DateDay, depth),
            "volume" if parent == "article-meta" => self.capture(Target::Volume, depth),
            "issue" if parent == "article-meta" => self.capture(Target::Issue, depth),
            "fpage" if parent == "article-meta" => self.capture(Target::FirstPage, depth),
            "lpage" if parent == "article-meta" => self.capture(Target::LastPage, depth),
            "elocation-id" if parent == "article-meta" => self.capture(Target::ElocationId, depth),
            "contrib-group" => {
                self.groups.push(GroupDraft::default());
                self.group_stack.push(self.groups.len() - 1);
            }
            "contrib" => {
                ctx |= IN_CONTRIB;
                ctx &= !(IN_NAME | IN_COLLAB);
                self.open_contrib(e);
            }
            "name" | "string-name" if ctx & IN_CONTRIB != 0 && ctx & IN_NAME == 0 => {
                let eastern = attr(e, "name-style").as_deref() == Some("eastern");
                if let Some(c) = self.contrib()
                    && !c.name_started
                {
                    c.name_started = true;
                    c.name_open = true;
                    c.eastern = eastern;
                    ctx |= IN_NAME;
                    if name == "string-name" {
                        self.capture(Target::StringName, depth);
                    }
                }
            }
            "surname" if ctx & IN_NAME != 0 => self.capture(Target::Surname, depth),
            "given-names" if ctx & IN_NAME != 0 => self.capture(Target::GivenNames, depth),
            "suffix" if ctx & IN_NAME != 0 => self.capture(Target::Suffix, depth),
            "collab" if ctx & IN_CONTRIB != 0 && ctx & IN_COLLAB == 0 => {
                ctx |= IN_COLLAB;
                if self.contrib().is_some_and(|c| c.collab.is_none()) {
                    self.capture(Target::Collab, depth);
                }
            }
            "contrib-id"
                if ctx & IN_CONTRIB != 0
                    && attr(e, "contrib-id-type").is_some_and(|t| t.eq_ignore_ascii_case("orcid")) =>
            {
                self.capture(Target::ContribOrcid, depth);
            }
            "uri" | "ext-link" if ctx & IN_CONTRIB != 0 && ctx & IN_AFF == 0 => {
                let href = attr(e, "xlink:href");
                let typed = attr(e, "content-type").is_some_and(|t| t.eq_ignore_ascii_case("orcid"))
                    || attr(e, "ext-link-type").is_some_and(|t| t.eq_ignore_ascii_case("orcid"));
                self.capture(Target::OrcidLink { href, typed }, depth);
            }
            "email" if ctx & IN_CONTRIB != 0 => self.capture(Target::Email, depth),
            "email" if ctx & IN_CORRESP != 0 => self.capture(Target::CorrespEmail, depth),
            "xref" if ctx & IN_CONTRIB != 0 => self.contrib_xref(e),
            "aff" if ctx & IN_AFF == 0 => {
                ctx |= IN_AFF;
                let contrib = if ctx & IN_CONTRIB != 0 { self.contrib_stack.last().copied() } else { None };
                let free = contrib.is_none() && matches!(parent, "article-meta" | "contrib-group");
                self.current_aff = Some(AffDraft { id: attr(e, "id"), contrib, free, aff: Affiliation::default() });
                self.capture_with(Target::AffRaw, depth, Separator::Affiliation);
            }
            "institution" if ctx & IN_AFF != 0 => {
                let dept = attr(e, "content-type").is_some_and(|t| t.eq_ignore_ascii_case("dept"));
                let target = if dept { Target::AffDepartment } else { Target::AffInstitution };
                self.capture(target, depth);
            }
            "named-content" if ctx & IN_AFF != 0 => match attr(e, "content-type").as_deref() {
                Some("department") => self.capture(Target::AffDepartment, depth),
                Some("city") => self.capture(Target::AffCity, depth),
                _ => {}
            },
            "city" if ctx & IN_AFF != 0 => self.capture(Target::AffCity, depth),
            "country" if ctx & IN_AFF != 0 => {
                if let (Some(aff), Some(code)) = (self.current_aff.as_mut(), attr(e, "country")) {
                    let code = code.trim().to_ascii_uppercase();
                    if aff.aff.country_code.is_none() && code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
                    {
                        aff.aff.country_code = Some(code);
                    }
                }
                self.capture(Target::AffCountry, depth);
            }
            "institution-id"
                if ctx & IN_AFF != 0
                    && attr(e, "institution-id-type").is_some_and(|t| t.eq_ignore_ascii_case("ror")) =>
            {
                self.capture(Target::AffRor, depth);
            }
            "author-notes" => ctx |= IN_AUTHOR_NOTES,
            "corresp" if ctx & IN_AUTHOR_NOTES != 0 => {
                ctx |= IN_CORRESP;
                self.current_corresp = Some((attr(e, "id"), Vec::new()));
            }
            "funding-group" => ctx |= IN_FUNDING_GROUP,
            "award-group" if ctx & IN_FUNDING_GROUP != 0 => self.current_award = Some(AwardDraft::default()),
            "funding-source" if ctx & IN_FUNDING_GROUP != 0 => {
                ctx |= IN_FUNDING_SOURCE;
                let award = self.current_award.get_or_insert_with(AwardDraft::default);
                if let Some(id) = attr(e, "xlink:href").and_then(|h| funder_id(&h)) {
                    award.funder_ids.push(id);
                }
                self.capture(Target::FundingSource, depth);
            }
            "institution-id" if ctx & IN_FUNDING_GROUP != 0 => self.capture(Target::FunderId, depth),
            "award-id" if ctx & IN_FUNDING_GROUP != 0 => self.capture(Target::AwardId, depth),
            "funding-statement" if ctx & IN_FUNDING_GROUP != 0 => self.capture(Target::FundingStatement, depth),
            _ => {}
        }
        ctx
    }

    fn start_back(&mut self, name: &str, parent: &str, mut ctx: u32, depth: usize, e: &BytesStart<'_>) -> u32 {
        match name {
            "ack" if parent == "back" => self.capture(Target::Acknowledgements, depth),
            "ref" if ctx & IN_REF == 0 => {
                ctx |= IN_REF;
                self.current_reference = Some(ReferenceDraft::default());
            }
            "mixed-citation" | "element-citation" | "citation" | "nlm-citation"
                if ctx & IN_REF != 0
                    && self.current_reference.as_ref().is_some_and(|r| !r.has_citation)
                    && !self.is_capturing(&Target::ReferenceRaw) =>
            {
                if let Some(r) = self.current_reference.as_mut() {
                    r.has_citation = true;
                }
                let sep = if name == "element-citation" { Separator::Citation } else { Separator::Inline };
                self.capture_with(Target::ReferenceRaw, depth, sep);
            }
            "pub-id" if ctx & IN_REF != 0 => {
                let kind = attr(e, "pub-id-type").unwrap_or_default();
                self.capture(Target::ReferencePubId(kind), depth);
            }
            // Older PLOS citations carry the DOI only as `<comment>DOI: <ext-link ext-link-type="doi">`.
            "ext-link" if ctx & IN_REF != 0 && attr(e, "ext-link-type").as_deref() == Some("doi") => {
                if let (Some(doi), Some(r)) =
                    (attr(e, "xlink:href").and_then(|h| doi_of(&h)), self.current_reference.as_mut())
                {
                    r.link_doi.get_or_insert(doi);
                }
            }
            _ => {}
        }
        ctx
    }

    fn open_contrib(&mut self, e: &BytesStart<'_>) {
        let contrib_type = attr(e, "contrib-type").map(|t| t.trim().to_owned());
        let group = self.group_stack.last().copied();
        if let Some(g) = group.and_then(|g| self.groups.get_mut(g))
            && let Some(t) = &contrib_type
        {
            g.has_typed = true;
            g.has_author |= t.eq_ignore_ascii_case("author");
        }
        let draft = ContribDraft {
            contrib_type,
            group,
            parent: self.contrib_stack.last().copied(),
            corresp_attr: attr(e, "corresp").is_some_and(|v| v.trim().eq_ignore_ascii_case("yes")),
            ..Default::default()
        };
        self.contribs.push(draft);
        self.contrib_stack.push(self.contribs.len() - 1);
    }

    fn contrib_xref(&mut self, e: &BytesStart<'_>) {
        let ref_type = attr(e, "ref-type").unwrap_or_default();
        let rids: Vec<String> =
            attr(e, "rid").map(|r| r.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
        let Some(c) = self.contrib() else { return };
        match ref_type.as_str() {
            "aff" => c.aff_rids.extend(rids),
            "corresp" => {
                c.corresp_xref = true;
                c.corresp_rids.extend(rids);
            }
            _ => {}
        }
    }

    /// Whether the innermost open subj-group is a `heading` group.
    fn headings_open(&self) -> bool {
        self.subj_group_flags.last().copied().unwrap_or(false)
    }

    /// Closes an element inside the article.
    fn end_element(&mut self, name: &str, parent: &str, ctx: u32, depth: usize) {
        while self.captures.last().is_some_and(|c| c.depth >= depth) {
            if let Some(c) = self.captures.pop() {
                self.finish_capture(c);
            }
        }
        for c in &mut self.captures {
            if c.skip_from == Some(depth) {
                c.skip_from = None;
            }
            if c.separator != Separator::Affiliation {
                c.separate(name);
            }
        }
        if ctx & IN_ARTICLE_META == 0 {
            if ctx & IN_REF != 0
                && name == "ref"
                && let Some(draft) = self.current_reference.take()
            {
                let mut r = draft.reference;
                if r.doi.is_none() {
                    r.doi = draft.link_doi;
                }
                if r.doi.is_some() || r.pmid.is_some() || r.raw.is_some() {
                    self.work.references.push(r);
                }
            }
            return;
        }
        match name {
            "subj-group" => {
                self.subj_group_flags.pop();
            }
            "sec" if ctx & IN_ABSTRACT != 0 => self.flush_abstract_label(),
            "abstract" if parent == "article-meta" => {
                self.flush_abstract_label();
                self.current_abstract = None;
            }
            "pub-date" if parent == "article-meta" => self.current_date = None,
            "contrib-group" => {
                self.group_stack.pop();
            }
            "contrib" => {
                self.contrib_stack.pop();
            }
            "name" | "string-name" if ctx & IN_NAME != 0 => {
                if let Some(c) = self.contrib() {
                    c.name_open = false;
                }
            }
            "aff" if ctx & IN_AFF != 0 && self.current_aff.is_some() => {
                if let Some(draft) = self.current_aff.take()
                    && !draft.aff.raw.is_empty()
                {
                    if let Some(c) = draft.contrib.and_then(|i| self.contribs.get_mut(i)) {
                        c.nested_affs.push(draft.aff.clone());
                    }
                    self.affs.push(draft);
                }
            }
            "corresp" if ctx & IN_CORRESP != 0 => {
                if let Some((Some(id), emails)) = self.current_corresp.take() {
                    self.corresps.entry(id).or_insert(emails);
                }
            }
            "award-group" if ctx & IN_FUNDING_GROUP != 0 => {
                if let Some(a) = self.current_award.take() {
                    self.awards.push(a);
                }
            }
            "funding-source" if parent == "funding-group" => {
                if let Some(a) = self.current_award.take() {
                    self.awards.push(a);
                }
            }
            _ => {}
        }
    }

    fn flush_abstract_label(&mut self) {
        if let Some(a) = self.current_abstract.and_then(|i| self.abstracts.get_mut(i))
            && let Some(label) = a.pending_label.take()
        {
            a.paragraphs.push(label);
        }
    }

    /// Files the text of a finished capture where it belongs.
    fn finish_capture(&mut self, capture: Capture) {
        let Capture { target, text, .. } = capture;
        let value = non_empty(&text);
        match target {
            Target::AffRaw => {
                if let Some(aff) = self.current_aff.as_mut() {
                    let raw = squash_whitespace(&text);
                    aff.aff.raw = raw.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace()).to_owned();
                }
                return;
            }
            Target::AbstractSectionTitle => {
                self.flush_abstract_label();
                if let Some(a) = self.current_abstract.and_then(|i| self.abstracts.get_mut(i)) {
                    a.pending_label = value.map(|v| v.trim_end_matches(':').trim_end().to_owned());
                }
                return;
            }
            _ => {}
        }
        let Some(value) = value else { return };
        match target {
            Target::ArticleId(kind) => self.article_id(&kind, value),
            Target::Title => self.work.title = Some(value),
            Target::AbstractParagraph => {
                if let Some(a) = self.current_abstract.and_then(|i| self.abstracts.get_mut(i))
                    && !is_elife_doi_line(&value)
                {
                    match a.pending_label.take() {
                        Some(label) => a.paragraphs.push(format!("{label}: {value}")),
                        None => a.paragraphs.push(value),
                    }
                }
            }
            Target::Keyword => push_unique(&mut self.work.keywords, value),
            Target::HeadingSubject => push_unique(&mut self.headings, value),
            Target::JournalTitle => self.work.venue.title = Some(value),
            Target::JournalAbbreviation => self.work.venue.abbreviation = Some(value),
            Target::JournalIdAbbreviation => self.journal_id_abbreviation = Some(value),
            Target::Issn => {
                if let Some(issn) = normalize_issn(&value) {
                    push_unique(&mut self.work.venue.issns, issn);
                }
            }
            Target::Publisher => self.work.venue.publisher = Some(value),
            Target::Volume => set_once(&mut self.work.venue.volume, value),
            Target::Issue => set_once(&mut self.work.venue.issue, value),
            Target::FirstPage => set_once(&mut self.first_page, value),
            Target::LastPage => set_once(&mut self.last_page, value),
            Target::ElocationId => set_once(&mut self.elocation_id, value),
            Target::DateYear | Target::DateMonth | Target::DateDay => {
                if let Some(d) = self.current_date.and_then(|i| self.dates.get_mut(i)) {
                    let slot = match target {
                        Target::DateYear => &mut d.year,
                        Target::DateMonth => &mut d.month,
                        _ => &mut d.day,
                    };
                    set_once(slot, value);
                }
            }
            Target::Surname | Target::GivenNames | Target::Suffix | Target::StringName => {
                if let Some(c) = self.contrib() {
                    let slot = match target {
                        Target::Surname => &mut c.surname,
                        Target::GivenNames => &mut c.given,
                        Target::Suffix => &mut c.suffix,
                        _ => &mut c.string_name,
                    };
                    set_once(slot, value);
                }
            }
            Target::Collab => {
                if let Some(c) = self.contrib() {
                    set_once(&mut c.collab, value);
                }
            }
            Target::ContribOrcid => {
                if let Some(c) = self.contrib() {
                    c.orcids.push(value);
                }
            }
            Target::OrcidLink { href, typed } => {
                let candidate = match href {
                    Some(h) if h.contains("orcid.org") => Some(h),
                    _ if typed || value.contains("orcid.org") => Some(value),
                    _ => None,
                };
                if let (Some(candidate), Some(c)) = (candidate, self.contrib()) {
                    c.orcids.push(candidate);
                }
            }
            Target::Email => {
                if let (Some(email), Some(c)) = (clean_email(&value), self.contrib()) {
                    c.emails.push(email);
                }
            }
            Target::CorrespEmail => {
                if let (Some(email), Some((_, emails))) = (clean_email(&value), self.current_corresp.as_mut()) {
                    emails.push(email);
                }
            }
            Target::AffInstitution | Target::AffDepartment | Target::AffCity | Target::AffCountry | Target::AffRor => {
                let Some(aff) = self.current_aff.as_mut().map(|d| &mut d.aff) else { return };
                match target {
                    Target::AffInstitution => set_once(&mut aff.institution, value),
                    Target::AffDepartment => set_once(&mut aff.department, value),
                    Target::AffCity => set_once(&mut aff.city, value),
                    Target::AffCountry => set_once(&mut aff.country, value),
                    _ => {
                        if let Some(ror) = normalize_ror(&value) {
                            set_once(&mut aff.ror, ror);
                        }
                    }
                }
            }
            Target::FundingSource => {
                if let Some(a) = self.current_award.as_mut() {
                    a.sources.push(value);
                }
            }
            Target::FunderId => {
                if let (Some(id), Some(a)) = (funder_id(&value), self.current_award.as_mut()) {
                    a.funder_ids.push(id);
                }
            }
            Target::AwardId => {
                if let Some(a) = self.current_award.as_mut() {
                    a.award_ids.push(value);
                }
            }
            Target::FundingStatement => self.funding_statements.push(value),
            Target::Acknowledgements => self.acknowledgements.push(value),
            Target::ReferenceRaw => {
                if let Some(r) = self.current_reference.as_mut() {
                    r.reference.raw = Some(value);
                }
            }
            Target::ReferencePubId(kind) => {
                if let Some(r) = self.current_reference.as_mut() {
                    match kind.to_ascii_lowercase().as_str() {
                        "doi" if r.reference.doi.is_none() => r.reference.doi = doi_of(&value),
                        "pmid" if value.chars().all(|c| c.is_ascii_digit()) => set_once(&mut r.reference.pmid, value),
                        _ => {}
                    }
                }
            }
            Target::AffRaw | Target::AbstractSectionTitle => {}
        }
    }

    fn article_id(&mut self, kind: &str, value: String) {
        let ids = &mut self.work.ids;
        match kind.to_ascii_lowercase().as_str() {
            "doi" => match doi_of(&value) {
                Some(doi) if ids.doi.is_none() => ids.doi = Some(doi),
                Some(_) => {}
                None => ids.other.push(("doi".to_owned(), value)),
            },
            "pmid" if ids.pmid.is_none() && value.chars().all(|c| c.is_ascii_digit()) => ids.pmid = Some(value),
            "pmc" | "pmcid" => match pmcid_of(&value) {
                Some(pmcid) if ids.pmcid.is_none() => ids.pmcid = Some(pmcid),
                Some(_) => {}
                None => ids.other.push((kind.to_owned(), value)),
            },
            _ => ids.other.push((kind.to_owned(), value)),
        }
    }

    /// Builds the record and reports it (or rejects it), with its warnings.
    fn emit(mut self, sink: &mut dyn FnMut(Event)) {
        self.work.date = self.best_date();
        self.work.venue.pages = match (self.first_page.take(), self.last_page.take()) {
            (Some(f), Some(l)) if f != l => Some(format!("{f}-{l}")),
            (Some(f), _) => Some(f),
            (None, _) => self.elocation_id.take(),
        };
        if self.work.venue.abbreviation.is_none() {
            self.work.venue.abbreviation = self.journal_id_abbreviation.take();
        }
        for h in std::mem::take(&mut self.headings) {
            push_unique(&mut self.work.publication_types, h);
        }
        self.work.abstract_text = self.main_abstract();
        self.work.authors = self.authors();
        self.work.funding = self.funding();
        if !self.funding_statements.is_empty() {
            self.work.funding_statement = Some(self.funding_statements.join(" "));
        }
        if !self.acknowledgements.is_empty() {
            self.work.acknowledgements = Some(self.acknowledgements.join("\n"));
        }
        let ids = &self.work.ids;
        let identified = ids.doi.is_some() || ids.pmid.is_some() || ids.pmcid.is_some() || !ids.other.is_empty();
        for w in self.warnings.drain(..) {
            sink(Event::Warning(w));
        }
        if !identified && self.work.title.is_none() {
            let position = self.position(self.work.source.byte_offset);
            sink(Event::Rejected(Diagnostic::new(
                DiagnosticKind::RecordRejected,
                &self.work.source.path,
                position,
                "article has neither an identifier (article-id) nor a title",
            )));
            return;
        }
        sink(Event::Work(Box::new(self.work)));
    }

    /// `pub-date` preferring the electronic publication date, then print, then the collection date, then any.
    fn best_date(&self) -> Option<PubDate> {
        self.dates
            .iter()
            .filter_map(|d| {
                let year: i32 = d.year.as_deref()?.trim().parse().ok()?;
                let kind = d.date_type.as_deref().unwrap_or("").to_ascii_lowercase();
                let format = d.format.as_deref().unwrap_or("").to_ascii_lowercase();
                let rank = match (kind.as_str(), format.as_str()) {
                    ("epub", _) | ("pub", "electronic") => 0,
                    ("ppub", _) | ("pub", _) => 1,
                    ("collection", _) => 2,
                    ("pmc-release", _) => 4,
                    _ => 3,
                };
                let month = d.month.as_deref().and_then(parse_month);
                let day = d.day.as_deref().and_then(|s| s.trim().parse::<u8>().ok());
                Some((rank, PubDate::new(year, month, day)))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, date)| date)
    }

    /// The abstract without `abstract-type`, else the first that is not a summary for another audience.
    fn main_abstract(&self) -> Option<String> {
        let usable = |a: &&AbstractDraft| !a.paragraphs.is_empty();
        let chosen = self.abstracts.iter().filter(usable).find(|a| a.abstract_type.is_none()).or_else(|| {
            self.abstracts.iter().filter(usable).find(|a| {
                let t = a.abstract_type.as_deref().unwrap_or("").to_ascii_lowercase();
                !SECONDARY_ABSTRACT_TYPES.contains(&t.as_str())
            })
        })?;
        Some(chosen.paragraphs.join("\n"))
    }

    fn funding(&self) -> Vec<Funding> {
        let mut out = Vec::new();
        for a in &self.awards {
            let agency = if a.sources.is_empty() { None } else { Some(a.sources.join("; ")) };
            let funder_id = a.funder_ids.first().cloned();
            if a.award_ids.is_empty() {
                if agency.is_some() || funder_id.is_some() {
                    out.push(Funding { agency, grant_id: None, country: None, funder_id });
                }
                continue;
            }
            for grant in &a.award_ids {
                out.push(Funding {
                    agency: agency.clone(),
                    grant_id: Some(grant.clone()),
                    country: None,
                    funder_id: funder_id.clone(),
                });
            }
        }
        out
    }

    /// Which contribs are on the byline (see the module documentation for the rule).
    fn byline(&self) -> Vec<bool> {
        let mut included: Vec<bool> = Vec::with_capacity(self.contribs.len());
        for c in &self.contribs {
            let yes = match &c.contrib_type {
                Some(t) => t.eq_ignore_ascii_case("author"),
                None => {
                    let parent_author = c.parent.and_then(|p| included.get(p).copied()).unwrap_or(false);
                    let group = c.group.and_then(|g| self.groups.get(g));
                    parent_author || group.is_some_and(|g| g.has_author || !g.has_typed)
                }
            };
            included.push(yes);
        }
        included
    }

    fn authors(&mut self) -> Vec<Author> {
        let included = self.byline();
        let on_byline = |i: usize| included.get(i).copied().unwrap_or(false);
        let aff_by_id: HashMap<&str, &Affiliation> = {
            let mut m = HashMap::new();
            for a in &self.affs {
                if let Some(id) = &a.id {
                    m.entry(id.as_str()).or_insert(&a.aff);
                }
            }
            m
        };
        let linked = self
            .contribs
            .iter()
            .enumerate()
            .any(|(i, c)| on_byline(i) && (!c.aff_rids.is_empty() || !c.nested_affs.is_empty()));
        let fallback_aff: Option<Affiliation> = if linked {
            None
        } else {
            let pointed_by_others: Vec<&str> = self
                .contribs
                .iter()
                .enumerate()
                .filter(|(i, _)| !on_byline(*i))
                .flat_map(|(_, c)| c.aff_rids.iter().map(String::as_str))
                .collect();
            let candidates: Vec<&AffDraft> = self
                .affs
                .iter()
                .filter(|a| a.free && !a.id.as_deref().is_some_and(|id| pointed_by_others.contains(&id)))
                .collect();
            match candidates.as_slice() {
                [only] => Some(only.aff.clone()),
                _ => None,
            }
        };
        let any_corresp =
            self.contribs.iter().enumerate().any(|(i, c)| on_byline(i) && (c.corresp_attr || c.corresp_xref));
        let mut corresp_pointers: HashMap<&str, usize> = HashMap::new();
        for (i, c) in self.contribs.iter().enumerate() {
            if on_byline(i) {
                for rid in &c.corresp_rids {
                    *corresp_pointers.entry(rid.as_str()).or_default() += 1;
                }
            }
        }
        let mut authors = Vec::new();
        let mut bad_orcids = Vec::new();
        for (i, c) in self.contribs.iter().enumerate() {
            if !on_byline(i) {
                continue;
            }
            let mut author = person_or_group(c);
            for raw in &c.orcids {
                match normalize_orcid(raw) {
                    Some(o) => {
                        if author.orcid.is_none() {
                            author.orcid = Some(o);
                        }
                    }
                    None => bad_orcids.push(raw.clone()),
                }
            }
            author.corresponding = any_corresp.then_some(c.corresp_attr || c.corresp_xref);
            author.email = c.emails.first().cloned().or_else(|| {
                c.corresp_rids.iter().find_map(|rid| match self.corresps.get(rid) {
                    Some(emails) if emails.len() == 1 && corresp_pointers.get(rid.as_str()) == Some(&1) => {
                        emails.first().cloned()
                    }
                    _ => None,
                })
            });
            let mut seen: Vec<&str> = Vec::new();
            for rid in &c.aff_rids {
                if seen.contains(&rid.as_str()) {
                    continue;
                }
                seen.push(rid);
                if let Some(aff) = aff_by_id.get(rid.as_str()) {
                    author.affiliations.push((*aff).clone());
                }
            }
            for aff in &c.nested_affs {
                if !author.affiliations.contains(aff) {
                    author.affiliations.push(aff.clone());
                }
            }
            if let Some(aff) = &fallback_aff {
                author.affiliations.push(aff.clone());
            }
            authors.push(author);
        }
        for raw in bad_orcids {
            self.warn(None, format!("invalid ORCID {raw:?} dropped (format or checksum)"));
        }
        authors
    }
}

/// An author's name fields from a contrib draft: a person, or a group (`collab`) when no person name is given.
fn person_or_group(c: &ContribDraft) -> Author {
    let mut author = Author::default();
    let has_person = c.surname.is_some() || c.given.is_some() || c.string_name.is_some();
    if !has_person && let Some(collab) = &c.collab {
        author.raw_name = collab.clone();
        author.collective = Some(collab.clone());
        return author;
    }
    author.family = c.surname.clone();
    author.given = c.given.clone();
    author.suffix = c.suffix.clone();
    author.initials = c.given.as_deref().and_then(initials_of);
    let ordered = match (&c.given, &c.surname) {
        (Some(g), Some(f)) if c.eastern => {
            let joiner = if is_cjk(f) && is_cjk(g) { "" } else { " " };
            Some(format!("{f}{joiner}{g}"))
        }
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        (Some(only), None) | (None, Some(only)) => Some(only.clone()),
        (None, None) => None,
    };
    author.raw_name = match (ordered, &c.string_name) {
        (None, Some(s)) => s.clone(),
        (Some(name), _) => match &c.suffix {
            Some(suffix) => format!("{name} {suffix}"),
            None => name,
        },
        (None, None) => String::new(),
    };
    author
}

/// True when every letter of `s` is in a CJK script (Han, kana, Hangul).
fn is_cjk(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).all(|c| {
        matches!(c as u32,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x20000..=0x2FA1F)
    })
}

/// eLife ends each abstract with a "DOI: https://doi.org/…" paragraph that is a link, not abstract text.
fn is_elife_doi_line(p: &str) -> bool {
    p.strip_prefix("DOI:").is_some_and(|rest| doi_of(rest.trim()).is_some())
}

/// `normalize_doi`, guarded: the model's version slices the string at fixed byte offsets (the lengths of
/// the resolver prefixes it strips) and panics when such an offset falls inside a multi-byte character
/// (`10.1093/nar/gk×1000`, seen in a real reference list). Such strings are not taken as DOIs here.
fn doi_of(raw: &str) -> Option<String> {
    let s = raw.trim();
    let safe = [4, 8, 11, 15, 16, 18, 19].iter().all(|&n| n >= s.len() || s.is_char_boundary(n));
    if safe { normalize_doi(s) } else { None }
}

/// `normalize_pmcid`, guarded for the same reason (it slices the first three bytes).
fn pmcid_of(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.len() >= 3 && !s.is_char_boundary(3) { None } else { normalize_pmcid(s) }
}

/// A funder identifier: a Crossref Funder Registry DOI (`10.13039/…`) or a ROR id, else `None`.
fn funder_id(raw: &str) -> Option<String> {
    if let Some(doi) = doi_of(raw) {
        return doi.starts_with("10.13039/").then_some(doi);
    }
    if raw.contains("ror.org") {
        return normalize_ror(raw);
    }
    None
}

fn clean_email(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("mailto:").unwrap_or(s).trim();
    (s.contains('@') && !s.chars().any(char::is_whitespace)).then(|| s.to_owned())
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// The element's name without a namespace prefix (`mml:math` → `math`).
fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// An attribute's value with entities resolved, by its full name (`xlink:href`, `xml:lang`).
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == key {
            let raw: &str = &a.value;
            return Some(match quick_xml::escape::unescape_with(raw, named_entity) {
                Ok(v) => v.into_owned(),
                Err(_) => raw.to_owned(),
            });
        }
    }
    None
}

/// The named entities of the JATS DTD (HTML and ISO 8879 sets) that real JATS files use. The DTD is never
/// read, so these are the ones a reader must know; anything else stays literal.
fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "hairsp" => "\u{200a}",
        "zwj" => "\u{200d}",
        "zwnj" => "\u{200c}",
        "shy" => "\u{ad}",
        "ndash" => "–",
        "mdash" => "—",
        "minus" => "−",
        "hyphen" | "dash" => "‐",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "hellip" => "…",
        "prime" => "′",
        "Prime" => "″",
        "dagger" => "†",
        "Dagger" => "‡",
        "bull" => "•",
        "middot" => "·",
        "sect" => "§",
        "para" => "¶",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "micro" => "µ",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "asymp" => "≈",
        "equiv" => "≡",
        "sim" => "∼",
        "infin" => "∞",
        "sum" => "∑",
        "prod" => "∏",
        "isin" => "∈",
        "rarr" => "→",
        "larr" => "←",
        "harr" => "↔",
        "uarr" => "↑",
        "darr" => "↓",
        "lsqb" => "[",
        "rsqb" => "]",
        "lpar" => "(",
        "rpar" => ")",
        "lcub" => "{",
        "rcub" => "}",
        "plus" => "+",
        "equals" => "=",
        "percnt" => "%",
        "num" => "#",
        "dollar" => "$",
        "commat" => "@",
        "ast" => "*",
        "sol" => "/",
        "bsol" => "\\",
        "verbar" => "|",
        "lowbar" => "_",
        "excl" => "!",
        "quest" => "?",
        "colon" => ":",
        "semi" => ";",
        "comma" => ",",
        "period" => ".",
        "iexcl" => "¡",
        "iquest" => "¿",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "sup2" => "²",
        "sup3" => "³",
        "ordm" => "º",
        "ordf" => "ª",
        "szlig" => "ß",
        "aacute" => "á",
        "Aacute" => "Á",
        "agrave" => "à",
        "acirc" => "â",
        "auml" => "ä",
        "Auml" => "Ä",
        "atilde" => "ã",
        "aring" => "å",
        "Aring" => "Å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "eacute" => "é",
        "Eacute" => "É",
        "egrave" => "è",
        "ecirc" => "ê",
        "euml" => "ë",
        "iacute" => "í",
        "igrave" => "ì",
        "icirc" => "î",
        "iuml" => "ï",
        "ntilde" => "ñ",
        "oacute" => "ó",
        "ograve" => "ò",
        "ocirc" => "ô",
        "ouml" => "ö",
        "Ouml" => "Ö",
        "otilde" => "õ",
        "oslash" => "ø",
        "Oslash" => "Ø",
        "uacute" => "ú",
        "ugrave" => "ù",
        "ucirc" => "û",
        "uuml" => "ü",
        "Uuml" => "Ü",
        "yacute" => "ý",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "Gamma" => "Γ",
        "delta" => "δ",
        "Delta" => "Δ",
        "epsilon" | "epsi" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "Theta" => "Θ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "Lambda" => "Λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "Pi" => "Π",
        "rho" => "ρ",
        "sigma" => "σ",
        "Sigma" => "Σ",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" => "φ",
        "Phi" => "Φ",
        "chi" => "χ",
        "psi" => "ψ",
        "Psi" => "Ψ",
        "omega" => "ω",
        "Omega" => "Ω",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eastern_cjk_names_keep_source_order_without_space() {
        let c = ContribDraft {
            surname: Some("王".into()),
            given: Some("小明".into()),
            eastern: true,
            ..Default::default()
        };
        assert_eq!(person_or_group(&c).raw_name, "王小明");
        let c = ContribDraft {
            surname: Some("Wang".into()),
            given: Some("Xiaoming".into()),
            eastern: true,
            ..Default::default()
        };
        assert_eq!(person_or_group(&c).raw_name, "Wang Xiaoming");
    }

    #[test]
    fn funder_ids_are_registry_dois_or_ror() {
        assert_eq!(funder_id("http://dx.doi.org/10.13039/100004412").as_deref(), Some("10.13039/100004412"));
        assert_eq!(funder_id("https://ror.org/05dxps055").as_deref(), Some("05dxps055"));
        assert_eq!(funder_id("10.1000/not-a-funder"), None);
        assert_eq!(funder_id("501100000265"), None);
    }
}
