//! PubMed/MEDLINE XML reader: `PubmedArticleSet` files (baseline and update files, efetch output) and bare
//! `PubmedArticle` / `PubmedBookArticle` / `MedlineCitation` roots, streamed one record at a time.
//!
//! The reader walks quick-xml events once, keeping a stack of element tags (a small enum, no strings) and
//! collecting the text of the one element it is currently interested in into a reused buffer. Each
//! `PubmedArticle`, `PubmedBookArticle` (or a `MedlineCitation` outside a `PubmedArticle`) becomes one
//! [`Work`]; `DeleteCitation` PMIDs become [`Event::Deleted`] and are not records.
//!
//! Choices worth knowing:
//! - Entities are never expanded from a DTD. The five XML entities and character references are decoded;
//!   any other `&name;` (for instance from a billion-laughs internal subset) is kept as the literal text
//!   `&name;`. Nothing grows with the number of entity definitions.
//! - Authors marked `ValidYN="N"` (NLM keeps a misspelled name next to its corrected one) and editors
//!   (`AuthorList Type="editors"`, the editors of a book) are not put on the byline: neither wrote the work.
//! - An XML syntax error, invalid UTF-8 or a read error (truncated gzip) ends the file: the record being
//!   read is rejected, the records before it are kept, and a `FileError` names the byte offset.

use byline_model::{
    Affiliation, Author, Diagnostic, DiagnosticKind, Format, Funding, Position, PubDate, Reference, Relation, Work,
    normalize_doi, normalize_issn, normalize_orcid, normalize_pmcid,
};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as XmlEvent};

use crate::Event;
use crate::input::Input;
use crate::text::parse_month;
use crate::xml::{attribute, read_error, resolve_reference};

/// Initial capacity of the event buffer; it grows to the largest single event (a long abstract) and is reused.
const EVENT_BUFFER_BYTES: usize = 64 * 1024;

/// Streams records from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut reader = Reader::from_reader(input);
    let mut parser = Parser::new(path);
    let mut buf = Vec::with_capacity(EVENT_BUFFER_BYTES);
    loop {
        let event_start = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => {
                let (offset, reason) = read_error(&reader, &err);
                return Err(parser.fail(offset, reason, sink));
            }
        };
        match event {
            XmlEvent::Start(start) => parser.start(&start, event_start)?,
            XmlEvent::Empty(start) => {
                parser.start(&start, event_start)?;
                parser.end(sink);
            }
            XmlEvent::End(_) => parser.end(sink),
            XmlEvent::Text(text) => parser.text(&text),
            XmlEvent::CData(text) => parser.text(&text),
            XmlEvent::GeneralRef(reference) => parser.reference(&reference),
            XmlEvent::Eof => return parser.finish(reader.buffer_position(), sink),
            XmlEvent::Comment(_) | XmlEvent::Decl(_) | XmlEvent::PI(_) | XmlEvent::DocType(_) => {}
        }
        buf.clear();
    }
}

/// The elements the reader cares about. Everything else is `Other`: it still sits on the stack (so that
/// parents are known) but never selects a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    PubmedArticleSet,
    PubmedArticle,
    PubmedBookArticle,
    MedlineCitationSet,
    MedlineCitation,
    DeleteCitation,
    BookDocument,
    PubmedData,
    PubmedBookData,
    Pmid,
    Article,
    Journal,
    Issn,
    JournalIssue,
    Volume,
    Issue,
    PubDate,
    ArticleDate,
    Year,
    Month,
    Day,
    MedlineDate,
    Title,
    IsoAbbreviation,
    ArticleTitle,
    Pagination,
    MedlinePgn,
    StartPage,
    EndPage,
    ElocationId,
    Abstract,
    AbstractText,
    AuthorList,
    Author,
    LastName,
    ForeName,
    Initials,
    Suffix,
    CollectiveName,
    Identifier,
    AffiliationInfo,
    Affiliation,
    Language,
    GrantList,
    Grant,
    GrantId,
    Agency,
    Country,
    PublicationTypeList,
    PublicationType,
    MedlineJournalInfo,
    MedlineTa,
    IssnLinking,
    CommentsCorrectionsList,
    CommentsCorrections,
    MeshHeading,
    DescriptorName,
    KeywordList,
    Keyword,
    ArticleIdList,
    ArticleId,
    ReferenceList,
    Reference,
    Citation,
    Book,
    BookTitle,
    Publisher,
    PublisherName,
    Other,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        match name {
            "PubmedArticleSet" => Tag::PubmedArticleSet,
            "PubmedArticle" => Tag::PubmedArticle,
            "PubmedBookArticle" => Tag::PubmedBookArticle,
            "MedlineCitationSet" => Tag::MedlineCitationSet,
            "MedlineCitation" => Tag::MedlineCitation,
            "DeleteCitation" => Tag::DeleteCitation,
            "BookDocument" => Tag::BookDocument,
            "PubmedData" => Tag::PubmedData,
            "PubmedBookData" => Tag::PubmedBookData,
            "PMID" => Tag::Pmid,
            "Article" => Tag::Article,
            "Journal" => Tag::Journal,
            "ISSN" => Tag::Issn,
            "JournalIssue" => Tag::JournalIssue,
            "Volume" => Tag::Volume,
            "Issue" => Tag::Issue,
            "PubDate" => Tag::PubDate,
            "ArticleDate" => Tag::ArticleDate,
            "Year" => Tag::Year,
            "Month" => Tag::Month,
            "Day" => Tag::Day,
            "MedlineDate" => Tag::MedlineDate,
            "Title" => Tag::Title,
            "ISOAbbreviation" => Tag::IsoAbbreviation,
            "ArticleTitle" => Tag::ArticleTitle,
            "Pagination" => Tag::Pagination,
            "MedlinePgn" => Tag::MedlinePgn,
            "StartPage" => Tag::StartPage,
            "EndPage" => Tag::EndPage,
            "ELocationID" => Tag::ElocationId,
            "Abstract" => Tag::Abstract,
            "AbstractText" => Tag::AbstractText,
            "AuthorList" => Tag::AuthorList,
            "Author" => Tag::Author,
            "LastName" => Tag::LastName,
            "ForeName" => Tag::ForeName,
            "Initials" => Tag::Initials,
            "Suffix" => Tag::Suffix,
            "CollectiveName" => Tag::CollectiveName,
            "Identifier" => Tag::Identifier,
            "AffiliationInfo" => Tag::AffiliationInfo,
            "Affiliation" => Tag::Affiliation,
            "Language" => Tag::Language,
            "GrantList" => Tag::GrantList,
            "Grant" => Tag::Grant,
            "GrantID" => Tag::GrantId,
            "Agency" => Tag::Agency,
            "Country" => Tag::Country,
            "PublicationTypeList" => Tag::PublicationTypeList,
            "PublicationType" => Tag::PublicationType,
            "MedlineJournalInfo" => Tag::MedlineJournalInfo,
            "MedlineTA" => Tag::MedlineTa,
            "ISSNLinking" => Tag::IssnLinking,
            "CommentsCorrectionsList" => Tag::CommentsCorrectionsList,
            "CommentsCorrections" => Tag::CommentsCorrections,
            "MeshHeading" => Tag::MeshHeading,
            "DescriptorName" => Tag::DescriptorName,
            "KeywordList" => Tag::KeywordList,
            "Keyword" => Tag::Keyword,
            "ArticleIdList" => Tag::ArticleIdList,
            "ArticleId" => Tag::ArticleId,
            "ReferenceList" => Tag::ReferenceList,
            "Reference" => Tag::Reference,
            "Citation" => Tag::Citation,
            "Book" => Tag::Book,
            "BookTitle" => Tag::BookTitle,
            "Publisher" => Tag::Publisher,
            "PublisherName" => Tag::PublisherName,
            _ => Tag::Other,
        }
    }
}

/// Which of a record's two dates a `Year`/`Month`/`Day`/`MedlineDate` belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateSlot {
    /// `JournalIssue/PubDate` (or `Book/PubDate`): the publication date.
    Publication,
    /// `Article/ArticleDate`: the electronic publication date, used only when the publication date is absent.
    Article,
}

/// Whether an `ArticleIdList` identifies the work itself or one of its cited references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdScope {
    Work,
    Reference,
}

/// The element whose text is being collected, and what that text becomes.
#[derive(Debug)]
enum Field {
    Pmid,
    DeletedPmid,
    ArticleTitle,
    BookTitle,
    AbstractText { label: Option<String> },
    JournalTitle,
    IsoAbbreviation,
    MedlineTa,
    Issn,
    IssnLinking,
    Volume,
    Issue,
    Year(DateSlot),
    Month(DateSlot),
    Day(DateSlot),
    MedlineDate(DateSlot),
    MedlinePgn,
    StartPage,
    EndPage,
    ElocationDoi,
    Language,
    PublicationType,
    RelationPmid,
    Keyword,
    Mesh,
    ArticleId { scope: IdScope, id_type: String },
    Citation,
    GrantId,
    GrantAgency,
    GrantCountry,
    LastName,
    ForeName,
    Initials,
    Suffix,
    CollectiveName,
    Orcid,
    Affiliation,
    PublisherName,
}

/// Text collection in progress: ends when the stack returns to `depth`.
#[derive(Debug)]
struct Capture {
    depth: usize,
    field: Field,
}

/// The raw parts of one date, kept as written until the record ends.
#[derive(Debug, Default)]
struct DateParts {
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
    medline: Option<String>,
}

impl DateParts {
    fn is_empty(&self) -> bool {
        self.year.is_none() && self.medline.is_none()
    }

    fn resolve(&self) -> Option<PubDate> {
        if let Some(year) = self.year.as_deref().and_then(parse_year) {
            let month = self.month.as_deref().and_then(parse_month);
            let day = self.day.as_deref().and_then(|d| d.trim().parse::<u8>().ok());
            return Some(PubDate::new(year, month, day));
        }
        self.medline.as_deref().and_then(parse_medline_date)
    }

    fn describe(&self) -> String {
        match (&self.year, &self.medline) {
            (Some(y), _) => format!("Year '{y}'"),
            (None, Some(m)) => format!("MedlineDate '{m}'"),
            (None, None) => String::new(),
        }
    }
}

/// A record being read: the work plus the parts that are only resolved when the record closes.
struct Record {
    work: Work,
    /// Stack depth of the record element: the record ends when the stack returns to this length.
    depth: usize,
    article_title: Option<String>,
    book_title: Option<String>,
    abstract_text: String,
    iso_abbreviation: Option<String>,
    medline_ta: Option<String>,
    publication_date: DateParts,
    publication_date_seen: bool,
    article_date: DateParts,
    elocation_doi: Option<String>,
    medline_pgn: Option<String>,
    start_page: Option<String>,
    end_page: Option<String>,
    /// The author being read, and whether it goes on the byline (`ValidYN` not "N", not an editor).
    author: Option<(Author, bool)>,
    /// Whether the current `AuthorList` lists editors.
    editor_list: bool,
    reference: Option<Reference>,
    grant: Option<Funding>,
    /// The current `CommentsCorrections`: its relation kind (when it is one we keep) and PMID.
    relation: Option<(Option<&'static str>, Option<String>)>,
    warnings: Vec<Diagnostic>,
}

impl Record {
    fn new(path: &str, record_index: u64, byte_offset: u64, depth: usize) -> Record {
        let mut work = Work::new(Format::Pubmed, path, record_index);
        work.source.byte_offset = Some(byte_offset);
        Record {
            work,
            depth,
            article_title: None,
            book_title: None,
            abstract_text: String::new(),
            iso_abbreviation: None,
            medline_ta: None,
            publication_date: DateParts::default(),
            publication_date_seen: false,
            article_date: DateParts::default(),
            elocation_doi: None,
            medline_pgn: None,
            start_page: None,
            end_page: None,
            author: None,
            editor_list: false,
            reference: None,
            grant: None,
            relation: None,
            warnings: Vec::new(),
        }
    }

    fn position(&self) -> Position {
        Position {
            record_index: Some(self.work.source.record_index),
            line: None,
            byte_offset: self.work.source.byte_offset,
        }
    }

    fn warn(&mut self, reason: String) {
        let diagnostic = Diagnostic::new(DiagnosticKind::Warning, &self.work.source.path, self.position(), reason);
        self.warnings.push(diagnostic);
    }

    /// Stores the collected (squashed, non-empty) text of a field.
    fn apply(&mut self, field: Field, value: &str) {
        let work = &mut self.work;
        match field {
            Field::Pmid => set_once(&mut work.ids.pmid, value),
            Field::DeletedPmid => {}
            Field::ArticleTitle => set_once(&mut self.article_title, value),
            Field::BookTitle => set_once(&mut self.book_title, value),
            Field::AbstractText { label } => {
                if !self.abstract_text.is_empty() {
                    self.abstract_text.push('\n');
                }
                if let Some(label) = label {
                    self.abstract_text.push_str(&label);
                    self.abstract_text.push_str(": ");
                }
                self.abstract_text.push_str(value);
            }
            Field::JournalTitle => set_once(&mut work.venue.title, value),
            Field::IsoAbbreviation => set_once(&mut self.iso_abbreviation, value),
            Field::MedlineTa => set_once(&mut self.medline_ta, value),
            Field::Issn | Field::IssnLinking => match normalize_issn(value) {
                Some(issn) if !work.venue.issns.contains(&issn) => work.venue.issns.push(issn),
                Some(_) => {}
                None => self.warn(format!("ISSN '{value}' is not an ISSN; dropped")),
            },
            Field::Volume => set_once(&mut work.venue.volume, value),
            Field::Issue => set_once(&mut work.venue.issue, value),
            Field::Year(slot) => set_once(&mut self.date_parts(slot).year, value),
            Field::Month(slot) => set_once(&mut self.date_parts(slot).month, value),
            Field::Day(slot) => set_once(&mut self.date_parts(slot).day, value),
            Field::MedlineDate(slot) => set_once(&mut self.date_parts(slot).medline, value),
            Field::MedlinePgn => set_once(&mut self.medline_pgn, value),
            Field::StartPage => set_once(&mut self.start_page, value),
            Field::EndPage => set_once(&mut self.end_page, value),
            Field::ElocationDoi => {
                if self.elocation_doi.is_none() {
                    self.elocation_doi = normalize_doi(value);
                }
            }
            Field::Language => set_once(&mut work.language, value),
            Field::PublicationType => work.publication_types.push(value.to_owned()),
            Field::RelationPmid => {
                if let Some((_, pmid)) = &mut self.relation {
                    set_once(pmid, value);
                }
            }
            Field::Keyword => work.keywords.push(value.to_owned()),
            Field::Mesh => work.mesh.push(value.to_owned()),
            Field::ArticleId { scope: IdScope::Reference, id_type } => {
                if let Some(reference) = &mut self.reference {
                    match id_type.as_str() {
                        "doi" if reference.doi.is_none() => reference.doi = normalize_doi(value),
                        "pubmed" => set_once(&mut reference.pmid, value),
                        _ => {}
                    }
                }
            }
            Field::ArticleId { scope: IdScope::Work, id_type } => self.apply_work_id(id_type, value),
            Field::Citation => {
                if let Some(reference) = &mut self.reference {
                    set_once(&mut reference.raw, value);
                }
            }
            Field::GrantId => {
                if let Some(grant) = &mut self.grant {
                    set_once(&mut grant.grant_id, value);
                }
            }
            Field::GrantAgency => {
                if let Some(grant) = &mut self.grant {
                    set_once(&mut grant.agency, value);
                }
            }
            Field::GrantCountry => {
                if let Some(grant) = &mut self.grant {
                    set_once(&mut grant.country, value);
                }
            }
            Field::LastName
            | Field::ForeName
            | Field::Initials
            | Field::Suffix
            | Field::CollectiveName
            | Field::Orcid
            | Field::Affiliation => self.apply_author_field(field, value),
            Field::PublisherName => set_once(&mut work.venue.publisher, value),
        }
    }

    fn date_parts(&mut self, slot: DateSlot) -> &mut DateParts {
        match slot {
            DateSlot::Publication => &mut self.publication_date,
            DateSlot::Article => &mut self.article_date,
        }
    }

    fn apply_work_id(&mut self, id_type: String, value: &str) {
        let ids = &mut self.work.ids;
        match id_type.as_str() {
            "doi" => {
                if ids.doi.is_none() {
                    ids.doi = normalize_doi(value);
                    if ids.doi.is_none() {
                        self.warn(format!("ArticleId doi '{value}' is not a DOI; dropped"));
                    }
                }
            }
            "pmc" | "pmcid" => {
                if ids.pmcid.is_none() {
                    // PubMed sometimes gives a versioned PMCID ("PMC6134338.4"); the version is not the id.
                    let unversioned = match value.split_once('.') {
                        Some((id, version)) if version.bytes().all(|b| b.is_ascii_digit()) => id,
                        _ => value,
                    };
                    ids.pmcid = normalize_pmcid(unversioned);
                    if ids.pmcid.is_none() {
                        self.warn(format!("ArticleId pmc '{value}' is not a PMCID; dropped"));
                    }
                }
            }
            // The same number as the record's PMID.
            "pubmed" => {}
            _ => {
                if !ids.other.iter().any(|(scheme, v)| *scheme == id_type && v == value) {
                    ids.other.push((id_type, value.to_owned()));
                }
            }
        }
    }

    fn apply_author_field(&mut self, field: Field, value: &str) {
        let Some((author, _)) = &mut self.author else { return };
        match field {
            Field::LastName => set_once(&mut author.family, value),
            Field::ForeName => set_once(&mut author.given, value),
            Field::Initials => set_once(&mut author.initials, value),
            Field::Suffix => set_once(&mut author.suffix, value),
            Field::CollectiveName => set_once(&mut author.collective, value),
            Field::Orcid => match normalize_orcid(value) {
                Some(orcid) => {
                    if author.orcid.is_none() {
                        author.orcid = Some(orcid);
                    }
                }
                None => {
                    let position = self.work.authors.len() + 1;
                    self.warn(format!(
                        "author {position}: ORCID '{value}' is malformed or fails its checksum; dropped"
                    ));
                }
            },
            Field::Affiliation => {
                if author.email.is_none() {
                    author.email = email_in(value).map(str::to_owned);
                }
                author.affiliations.push(Affiliation { raw: value.to_owned(), ..Affiliation::default() });
            }
            _ => {}
        }
    }

    /// Resolves what could only be decided once the whole record was seen.
    fn finish(mut self) -> Result<(Work, Vec<Diagnostic>), Diagnostic> {
        if self.work.ids.pmid.is_none() {
            let reason = "record has no PMID (MedlineCitation/PMID or BookDocument/PMID)";
            return Err(Diagnostic::new(
                DiagnosticKind::RecordRejected,
                &self.work.source.path,
                self.position(),
                reason,
            ));
        }
        let work = &mut self.work;
        work.title = self.article_title.take().or_else(|| self.book_title.clone());
        if work.venue.title.is_none() {
            work.venue.title = self.book_title.take();
        }
        if !self.abstract_text.is_empty() {
            work.abstract_text = Some(std::mem::take(&mut self.abstract_text));
        }
        work.venue.abbreviation = self.iso_abbreviation.take().or_else(|| self.medline_ta.take());
        if work.ids.doi.is_none() {
            work.ids.doi = self.elocation_doi.take();
        }
        work.venue.pages = self.medline_pgn.take().or_else(|| match (self.start_page.take(), self.end_page.take()) {
            (Some(start), Some(end)) => Some(format!("{start}-{end}")),
            (start, _) => start,
        });
        let publication_date = self.publication_date.resolve();
        if publication_date.is_none() && self.publication_date_seen && !self.publication_date.is_empty() {
            let described = self.publication_date.describe();
            self.warn(format!("publication date {described} could not be read"));
        }
        self.work.date = publication_date.or_else(|| self.article_date.resolve());
        Ok((self.work, self.warnings))
    }
}

/// The reader's state between events.
struct Parser<'p> {
    path: &'p str,
    stack: Vec<Tag>,
    /// The collected text of the current capture, whitespace already squashed.
    text: String,
    /// A whitespace run was seen after the last collected character.
    pending_space: bool,
    capture: Option<Capture>,
    record: Option<Record>,
    records_started: u64,
    root_seen: bool,
}

impl<'p> Parser<'p> {
    fn new(path: &'p str) -> Parser<'p> {
        Parser {
            path,
            stack: Vec::with_capacity(32),
            text: String::with_capacity(4096),
            pending_space: false,
            capture: None,
            record: None,
            records_started: 0,
            root_seen: false,
        }
    }

    fn start(&mut self, start: &BytesStart<'_>, event_start: u64) -> Result<(), Diagnostic> {
        let name = start.local_name().into_inner();
        let tag = Tag::from_name(name);
        let parent = self.stack.last().copied();
        if !self.root_seen {
            self.root_seen = true;
            if !matches!(
                tag,
                Tag::PubmedArticleSet
                    | Tag::PubmedArticle
                    | Tag::PubmedBookArticle
                    | Tag::MedlineCitationSet
                    | Tag::MedlineCitation
            ) {
                let position = Position { byte_offset: Some(event_start), ..Position::default() };
                let reason = format!("root element <{name}> is not a PubMed root (PubmedArticleSet, PubmedArticle)");
                return Err(Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason));
            }
        }
        // Inline markup inside a captured element (<i>, <sup>, MathML) only contributes its text.
        if self.capture.is_some() {
            self.stack.push(tag);
            return Ok(());
        }
        match &mut self.record {
            None => {
                let starts_record = match tag {
                    Tag::PubmedArticle | Tag::PubmedBookArticle => {
                        matches!(parent, None | Some(Tag::PubmedArticleSet))
                    }
                    Tag::MedlineCitation => matches!(parent, None | Some(Tag::MedlineCitationSet)),
                    _ => false,
                };
                if starts_record {
                    self.record = Some(Record::new(self.path, self.records_started, event_start, self.stack.len()));
                    self.records_started += 1;
                } else if tag == Tag::Pmid && parent == Some(Tag::DeleteCitation) {
                    self.begin_capture(Field::DeletedPmid);
                }
            }
            Some(record) => {
                let grandparent = self.stack.len().checked_sub(2).and_then(|i| self.stack.get(i)).copied();
                if let Some(field) = record_field(record, tag, parent, grandparent, start) {
                    self.begin_capture(field);
                }
            }
        }
        self.stack.push(tag);
        Ok(())
    }

    fn begin_capture(&mut self, field: Field) {
        self.text.clear();
        self.pending_space = false;
        // The stack does not hold the captured element yet: it is pushed right after.
        self.capture = Some(Capture { depth: self.stack.len(), field });
    }

    fn end(&mut self, sink: &mut dyn FnMut(Event)) {
        let Some(tag) = self.stack.pop() else { return };
        let depth = self.stack.len();
        if let Some(capture) = self.capture.take_if(|c| c.depth == depth) {
            self.finish_capture(capture.field, sink);
            return;
        }
        if self.capture.is_some() {
            return;
        }
        let Some(record) = &mut self.record else { return };
        if depth == record.depth {
            if let Some(record) = self.record.take() {
                emit_record(record, sink);
            }
            return;
        }
        match tag {
            Tag::Author => {
                if let Some((author, on_byline)) = record.author.take() {
                    finish_author(record, author, on_byline);
                }
            }
            Tag::AuthorList => record.editor_list = false,
            Tag::Reference => {
                let reference = record.reference.take();
                if let Some(reference) = reference.filter(|r| r.raw.is_some() || r.doi.is_some() || r.pmid.is_some()) {
                    record.work.references.push(reference);
                }
            }
            Tag::Grant => {
                let grant = record.grant.take();
                if let Some(grant) = grant.filter(|g| g.grant_id.is_some() || g.agency.is_some() || g.country.is_some())
                {
                    record.work.funding.push(grant);
                }
            }
            Tag::CommentsCorrections => {
                if let Some((Some(kind), pmid)) = record.relation.take() {
                    record.work.relations.push(Relation { kind: kind.to_owned(), doi: None, pmid });
                }
            }
            _ => {}
        }
    }

    fn finish_capture(&mut self, field: Field, sink: &mut dyn FnMut(Event)) {
        if self.text.is_empty() {
            return;
        }
        match field {
            Field::DeletedPmid => sink(Event::Deleted { pmid: self.text.clone() }),
            field => {
                if let Some(record) = &mut self.record {
                    record.apply(field, &self.text);
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.capture.is_some() {
            push_squashed(&mut self.text, &mut self.pending_space, text);
        }
    }

    fn reference(&mut self, reference: &str) {
        if self.capture.is_some() {
            let mut decoded = [0u8; 4];
            match resolve_reference(reference) {
                Some(c) => push_squashed(&mut self.text, &mut self.pending_space, c.encode_utf8(&mut decoded)),
                None => {
                    push_squashed(&mut self.text, &mut self.pending_space, "&");
                    push_squashed(&mut self.text, &mut self.pending_space, reference);
                    push_squashed(&mut self.text, &mut self.pending_space, ";");
                }
            }
        }
    }

    /// The file failed at `offset`: rejects the open record, if any, and builds the file error.
    fn fail(&mut self, offset: u64, reason: String, sink: &mut dyn FnMut(Event)) -> Diagnostic {
        let record_index = self.reject_open_record(&reason, sink);
        let position = Position { record_index, line: None, byte_offset: Some(offset) };
        Diagnostic::new(DiagnosticKind::FileError, self.path, position, reason)
    }

    fn reject_open_record(&mut self, reason: &str, sink: &mut dyn FnMut(Event)) -> Option<u64> {
        let record = self.record.take()?;
        let position = record.position();
        let record_index = position.record_index;
        let reason = format!("record incomplete, the file failed inside it: {reason}");
        sink(Event::Rejected(Diagnostic::new(DiagnosticKind::RecordRejected, self.path, position, reason)));
        record_index
    }

    /// End of input: fine when every element was closed.
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
        Ok(())
    }
}

/// Decides, at the start of an element inside a record, whether its text is wanted and as what. Also opens
/// the structured children (authors, references, grants, relations) and reads the attributes that matter.
fn record_field(
    record: &mut Record,
    tag: Tag,
    parent: Option<Tag>,
    grandparent: Option<Tag>,
    start: &BytesStart<'_>,
) -> Option<Field> {
    let parent = parent?;
    let field = match (tag, parent) {
        (Tag::Pmid, Tag::MedlineCitation | Tag::BookDocument) => Field::Pmid,
        (Tag::Pmid, Tag::CommentsCorrections) => Field::RelationPmid,
        (Tag::ArticleTitle, Tag::Article | Tag::BookDocument) => Field::ArticleTitle,
        (Tag::BookTitle, Tag::Book) => Field::BookTitle,
        (Tag::AbstractText, Tag::Abstract) => {
            let label = attribute(start, "Label").filter(|l| !l.trim().is_empty()).map(|l| l.trim().to_owned());
            Field::AbstractText { label }
        }
        (Tag::Title, Tag::Journal) => Field::JournalTitle,
        (Tag::IsoAbbreviation, Tag::Journal) => Field::IsoAbbreviation,
        (Tag::Issn, Tag::Journal) => Field::Issn,
        (Tag::IssnLinking, Tag::MedlineJournalInfo) => Field::IssnLinking,
        (Tag::MedlineTa, Tag::MedlineJournalInfo) => Field::MedlineTa,
        (Tag::Volume, Tag::JournalIssue) => Field::Volume,
        (Tag::Issue, Tag::JournalIssue) => Field::Issue,
        (Tag::PubDate, Tag::JournalIssue | Tag::Book) => {
            record.publication_date_seen = true;
            return None;
        }
        (Tag::Year | Tag::Month | Tag::Day | Tag::MedlineDate, Tag::PubDate | Tag::ArticleDate) => {
            let slot = if parent == Tag::PubDate { DateSlot::Publication } else { DateSlot::Article };
            if parent == Tag::PubDate && !matches!(grandparent, Some(Tag::JournalIssue | Tag::Book)) {
                return None;
            }
            match tag {
                Tag::Year => Field::Year(slot),
                Tag::Month => Field::Month(slot),
                Tag::Day => Field::Day(slot),
                _ => Field::MedlineDate(slot),
            }
        }
        (Tag::MedlinePgn, Tag::Pagination) => Field::MedlinePgn,
        (Tag::StartPage, Tag::Pagination) => Field::StartPage,
        (Tag::EndPage, Tag::Pagination) => Field::EndPage,
        (Tag::ElocationId, Tag::Article) => {
            if attribute(start, "EIdType").as_deref() != Some("doi") {
                return None;
            }
            Field::ElocationDoi
        }
        (Tag::Language, Tag::Article | Tag::BookDocument) => Field::Language,
        (Tag::PublicationType, Tag::PublicationTypeList) => Field::PublicationType,
        (Tag::Keyword, Tag::KeywordList) => Field::Keyword,
        (Tag::DescriptorName, Tag::MeshHeading) => Field::Mesh,
        (Tag::ArticleId, Tag::ArticleIdList) => {
            let scope = match grandparent {
                Some(Tag::Reference) => IdScope::Reference,
                Some(Tag::PubmedData | Tag::BookDocument | Tag::PubmedBookData) => IdScope::Work,
                _ => return None,
            };
            let id_type = attribute(start, "IdType").map(|t| t.trim().to_owned()).unwrap_or_default();
            Field::ArticleId { scope, id_type }
        }
        (Tag::Reference, Tag::ReferenceList) => {
            record.reference = Some(Reference::default());
            return None;
        }
        (Tag::Citation, Tag::Reference) => Field::Citation,
        (Tag::Grant, Tag::GrantList) => {
            record.grant = Some(Funding::default());
            return None;
        }
        (Tag::GrantId, Tag::Grant) => Field::GrantId,
        (Tag::Agency, Tag::Grant) => Field::GrantAgency,
        (Tag::Country, Tag::Grant) => Field::GrantCountry,
        (Tag::CommentsCorrections, Tag::CommentsCorrectionsList) => {
            let kind = attribute(start, "RefType").and_then(|t| relation_kind(&t));
            record.relation = Some((kind, None));
            return None;
        }
        (Tag::AuthorList, Tag::Article | Tag::BookDocument | Tag::Book) => {
            record.editor_list = attribute(start, "Type").is_some_and(|t| t.trim().eq_ignore_ascii_case("editors"));
            return None;
        }
        (Tag::Author, Tag::AuthorList) => {
            let valid = attribute(start, "ValidYN").is_none_or(|v| !v.trim().eq_ignore_ascii_case("N"));
            record.author = Some((Author::default(), valid && !record.editor_list));
            return None;
        }
        (Tag::LastName, Tag::Author) => Field::LastName,
        (Tag::ForeName, Tag::Author) => Field::ForeName,
        (Tag::Initials, Tag::Author) => Field::Initials,
        (Tag::Suffix, Tag::Author) => Field::Suffix,
        (Tag::CollectiveName, Tag::Author) => Field::CollectiveName,
        (Tag::Identifier, Tag::Author) => {
            if !attribute(start, "Source").is_some_and(|s| s.trim().eq_ignore_ascii_case("ORCID")) {
                return None;
            }
            Field::Orcid
        }
        (Tag::Affiliation, Tag::AffiliationInfo) if grandparent == Some(Tag::Author) => Field::Affiliation,
        (Tag::PublisherName, Tag::Publisher) => Field::PublisherName,
        _ => return None,
    };
    Some(field)
}

/// PubMed `CommentsCorrections/@RefType` → [`Relation::kind`]. Other kinds (comments, updates,
/// republications) are not kept.
fn relation_kind(ref_type: &str) -> Option<&'static str> {
    Some(match ref_type.trim() {
        "RetractionIn" => "retracted_by",
        "RetractionOf" => "retraction_of",
        "ErratumIn" => "corrected_by",
        "ErratumFor" => "correction_of",
        "ExpressionOfConcernIn" => "expression_of_concern_in",
        "ExpressionOfConcernFor" => "expression_of_concern_for",
        _ => return None,
    })
}

fn finish_author(record: &mut Record, mut author: Author, on_byline: bool) {
    if !on_byline {
        return;
    }
    author.raw_name = match (&author.collective, &author.given, &author.family) {
        (Some(collective), _, _) => {
            author.given = None;
            author.family = None;
            collective.clone()
        }
        (None, Some(given), Some(family)) => format!("{given} {family}"),
        (None, None, Some(family)) => family.clone(),
        (None, Some(given), None) => given.clone(),
        (None, None, None) => {
            let position = record.work.authors.len() + 1;
            record.warn(format!("author {position} has no name (no LastName, ForeName or CollectiveName); dropped"));
            return;
        }
    };
    record.work.authors.push(author);
}

fn emit_record(record: Record, sink: &mut dyn FnMut(Event)) {
    match record.finish() {
        Ok((work, warnings)) => {
            for warning in warnings {
                sink(Event::Warning(warning));
            }
            sink(Event::Work(Box::new(work)));
        }
        Err(rejection) => sink(Event::Rejected(rejection)),
    }
}

fn set_once(slot: &mut Option<String>, value: &str) {
    if slot.is_none() {
        *slot = Some(value.to_owned());
    }
}

/// Appends `s` to `out`, collapsing whitespace runs to one space and dropping leading whitespace, so that
/// the collected text is already squashed (see [`crate::text::squash_whitespace`]) without a second pass.
/// A trailing run is remembered in `pending_space` and only written if more text follows.
///
/// Text is copied in segments: a single ASCII space between two other characters stays inside the segment
/// being copied (it is what squashing would write anyway), so an ordinary sentence is one copy, not one per
/// word.
fn push_squashed(out: &mut String, pending_space: &mut bool, s: &str) {
    let bytes = s.as_bytes();
    // Start of the segment being copied; a segment starts at a character that is not whitespace.
    let mut segment: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (white, width) = if b.is_ascii() {
            (is_ascii_whitespace_char(b), 1)
        } else {
            match s.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        if white {
            let single_space_inside = b == b' '
                && segment.is_some()
                && bytes.get(i + 1).is_some_and(|&next| next.is_ascii() && !is_ascii_whitespace_char(next));
            if !single_space_inside {
                if let Some(start) = segment.take() {
                    out.push_str(&s[start..i]);
                }
                *pending_space = true;
            }
        } else if segment.is_none() {
            if *pending_space && !out.is_empty() {
                out.push(' ');
            }
            *pending_space = false;
            segment = Some(i);
        }
        i += width;
    }
    if let Some(start) = segment {
        out.push_str(&s[start..]);
    }
}

/// Whether an ASCII byte is whitespace as [`char::is_whitespace`] says (which, unlike
/// [`u8::is_ascii_whitespace`], includes the vertical tab).
fn is_ascii_whitespace_char(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Reads a free-text `MedlineDate` ("1979 Jul-Aug", "2019 Winter", "1998 Dec-1999 Jan", "2000-2001"): the
/// first four-digit year, and a month only when the word right after that year names one.
fn parse_medline_date(s: &str) -> Option<PubDate> {
    let bytes = s.as_bytes();
    let mut year_at = None;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let window = bytes.get(i..i + 4)?;
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let boundary_after = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if window.iter().all(u8::is_ascii_digit) && boundary_before && boundary_after {
            year_at = Some(i);
            break;
        }
        i += 1;
    }
    let year_at = year_at?;
    let year = parse_year(s.get(year_at..year_at + 4)?)?;
    let rest = s.get(year_at + 4..)?;
    let month = if rest.starts_with(char::is_whitespace) {
        rest.split_whitespace()
            .next()
            .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
            .and_then(parse_month)
    } else {
        None
    };
    Some(PubDate::new(year, month, None))
}

/// The first e-mail address in an affiliation string ("… Electronic address: jane@example.org.").
fn email_in(s: &str) -> Option<&str> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'');
    let is_domain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    for (at, _) in s.match_indices('@') {
        let before = s.get(..at)?;
        let after = s.get(at + 1..)?;
        let local_len: usize = before.chars().rev().take_while(|c| is_local(*c)).map(char::len_utf8).sum();
        let domain_len: usize = after.chars().take_while(|c| is_domain(*c)).map(char::len_utf8).sum();
        let local = before.get(before.len() - local_len..)?.trim_start_matches('.');
        let domain = after.get(..domain_len)?.trim_end_matches(['.', '-']);
        let domain_ok = domain.contains('.') && domain.split('.').all(|part| !part.is_empty());
        if !local.is_empty() && domain_ok {
            let start = at - local.len();
            return s.get(start..at + 1 + domain.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushing a text in two pieces, split at every character boundary, gives what squashing the whole
    /// text gives: ASCII and non-ASCII whitespace (vertical tab, no-break space, ideographic space), runs,
    /// leading and trailing whitespace, single spaces next to non-ASCII letters.
    #[test]
    fn push_squashed_equals_squash_whitespace_however_the_text_is_cut() {
        let samples = [
            "",
            " ",
            "plain words in a sentence.",
            "  leading and trailing  ",
            "tab\there, line\nbreak,\r\n crlf and \x0Bvertical\x0Ctab",
            "caf\u{e9} \u{e9}t\u{e9}  na\u{ef}ve\u{a0}no-break\u{3000}ideographic \u{2003}em",
            "a b  c   d\u{a0} e \u{85}f",
            "\u{3000}\u{3000}x",
            "x \u{e9}",
        ];
        for text in samples {
            let expected = crate::text::squash_whitespace(text);
            for (cut, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let mut out = String::new();
                let mut pending = false;
                push_squashed(&mut out, &mut pending, &text[..cut]);
                push_squashed(&mut out, &mut pending, &text[cut..]);
                assert_eq!(out, expected, "text {text:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn medline_date_takes_year_and_a_named_month_only() {
        assert_eq!(parse_medline_date("1979 Jul-Aug"), Some(PubDate::new(1979, Some(7), None)));
        assert_eq!(parse_medline_date("2019 Winter"), Some(PubDate::new(2019, None, None)));
        assert_eq!(parse_medline_date("1998 Dec-1999 Jan"), Some(PubDate::new(1998, Some(12), None)));
        assert_eq!(parse_medline_date("2000-2001"), Some(PubDate::new(2000, None, None)));
        assert_eq!(parse_medline_date("Spring"), None);
    }

    #[test]
    fn email_is_found_inside_affiliation_text() {
        assert_eq!(
            email_in("Dept of X, Univ Y, Paris, France. Electronic address: jane.doe@univ-y.fr."),
            Some("jane.doe@univ-y.fr")
        );
        assert_eq!(email_in("Univ Y (a.b@c.org; c@d.com)"), Some("a.b@c.org"));
        assert_eq!(email_in("no address @ here"), None);
        assert_eq!(email_in("Ünïversité, x@y"), None);
    }

    #[test]
    fn squashing_spans_event_boundaries() {
        let mut out = String::new();
        let mut pending = false;
        for piece in ["  H", "2", "O \n is ", " water\t"] {
            push_squashed(&mut out, &mut pending, piece);
        }
        assert_eq!(out, "H2O is water");
    }
}
