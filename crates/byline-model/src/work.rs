//! A publication record (`Work`) and its byline.

use serde::{Deserialize, Serialize};

/// The source format a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// PubMed/MEDLINE XML (`PubmedArticleSet`, or a bare `PubmedArticle`).
    Pubmed,
    /// JATS / NLM article XML (PMC open access, publisher XML).
    Jats,
    /// Crossref REST API JSON (`message` / `message.items`) or snapshot JSON/JSONL.
    Crossref,
    /// OpenAlex works JSON or JSON Lines.
    Openalex,
    /// Scopus CSV export.
    ScopusCsv,
    /// MEDLINE/PubMed text (`PMID- ` tagged, the `.nbib` format).
    Medline,
    /// Web of Science field-tagged plain text export.
    WosPlain,
    /// Web of Science tab-delimited export.
    WosTab,
    /// RIS.
    Ris,
    /// BibTeX.
    Bibtex,
    /// The project's screening-submission JSON/TOML.
    Submission,
    /// J-STAGE WebAPI article search answer (`searchapi/do?service=3`: an Atom feed of articles, Japanese and
    /// English titles and names).
    Jstage,
}

impl Format {
    /// Every format, in a stable order (used for `--help` and stats tables).
    pub const ALL: [Format; 12] = [
        Format::Pubmed,
        Format::Jats,
        Format::Crossref,
        Format::Openalex,
        Format::ScopusCsv,
        Format::Medline,
        Format::WosPlain,
        Format::WosTab,
        Format::Ris,
        Format::Bibtex,
        Format::Submission,
        Format::Jstage,
    ];

    /// The name used on the command line, in tables and in `manifest.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pubmed => "pubmed",
            Format::Jats => "jats",
            Format::Crossref => "crossref",
            Format::Openalex => "openalex",
            Format::ScopusCsv => "scopus_csv",
            Format::Medline => "medline",
            Format::WosPlain => "wos_plain",
            Format::WosTab => "wos_tab",
            Format::Ris => "ris",
            Format::Bibtex => "bibtex",
            Format::Submission => "submission",
            Format::Jstage => "jstage",
        }
    }

    /// Parses a name written by [`Format::as_str`].
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a record came from: enough to find it again in the input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SourceRef {
    /// The input path as given on the command line (or found under a given directory).
    pub path: String,
    /// 0-based index of the record within its file.
    pub record_index: u64,
    /// 1-based line where the record starts, when the reader knows it.
    pub line: Option<u64>,
    /// Byte offset (in the decompressed stream) where the record starts.
    pub byte_offset: Option<u64>,
}

/// Identifiers of a work. DOIs are lower-case without resolver prefix; PMCIDs are `PMC` + digits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkIds {
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub pmcid: Option<String>,
    /// OpenAlex work id, short form (`W2741809807`).
    pub openalex: Option<String>,
    /// Other identifiers as (scheme, value): `pii`, `wos`, `scopus_eid`, `isbn`, `arxiv`…
    pub other: Vec<(String, String)>,
}

/// A publication date. `year` is always present when the date is; month and day only when the source gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PubDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PubDate {
    /// A date from parts, rejecting impossible months and days (they become `None`, the year is kept).
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> PubDate {
        let month = month.filter(|m| (1..=12).contains(m));
        let day = if month.is_some() { day.filter(|d| (1..=31).contains(d)) } else { None };
        PubDate { year, month, day }
    }

    /// ISO-8601 text at the precision known: `2019`, `2019-05`, `2019-05-07`.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// Where a work was published.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Venue {
    /// Journal (or book, proceedings, repository) title as written.
    pub title: Option<String>,
    /// Abbreviated title (ISO abbreviation, MEDLINE TA, JATS `abbrev-journal-title`).
    pub abbreviation: Option<String>,
    /// ISSNs, normalized `NNNN-NNNC`, print and electronic, de-duplicated in source order.
    pub issns: Vec<String>,
    pub publisher: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    /// The venue's title in other languages, as written (J-STAGE's Japanese or English journal title beside
    /// `title`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_titles: Vec<String>,
}

/// A link from this work to another (retraction notices, corrections, updates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// What kind of link, in the source's words normalized to snake case: `retraction_of`, `retracted_by`,
    /// `correction_of`, `expression_of_concern_for`, `update_to:retraction`…
    pub kind: String,
    /// The other work's DOI, when given.
    pub doi: Option<String>,
    /// The other work's PMID, when given.
    pub pmid: Option<String>,
}

/// A cited reference.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reference {
    pub doi: Option<String>,
    pub pmid: Option<String>,
    /// OpenAlex work id of the cited work (`W…`), from OpenAlex `referenced_works`.
    pub openalex: Option<String>,
    /// The citation text as given, when the source has one.
    pub raw: Option<String>,
}

/// A funding record: who paid, under which grant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Funding {
    /// Funder name as written.
    pub agency: Option<String>,
    pub grant_id: Option<String>,
    /// Country as the source names it (PubMed `Country`).
    pub country: Option<String>,
    /// Funder identifier when the source gives one: Crossref Funder DOI (`10.13039/…`) or a ROR id.
    pub funder_id: Option<String>,
}

/// One affiliation of one author on one work. `raw` is always the source string; the parsed parts are
/// filled only when the source states them (structured JATS/OpenAlex/Crossref fields), never guessed here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Affiliation {
    pub raw: String,
    pub institution: Option<String>,
    pub department: Option<String>,
    pub city: Option<String>,
    /// Country name as the source writes it.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2, upper case, when the source gives a code.
    pub country_code: Option<String>,
    /// ROR id, short form (`05dxps055`).
    pub ror: Option<String>,
}

/// One position on a byline.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Author {
    /// The name exactly as the source wrote it (for a person: "Given Family" or the source's own string).
    pub raw_name: String,
    pub given: Option<String>,
    pub family: Option<String>,
    pub suffix: Option<String>,
    pub initials: Option<String>,
    /// Set for group authors ("CALGB 9343 Investigators"); then `given`/`family` are `None`.
    pub collective: Option<String>,
    /// ORCID `0000-0000-0000-000X`, present only when its checksum validates.
    pub orcid: Option<String>,
    /// `Some(true)` when the source marks the corresponding author; `None` when the source does not say.
    pub corresponding: Option<bool>,
    pub email: Option<String>,
    pub affiliations: Vec<Affiliation>,
    /// The same person's name as the source also writes it, in another script or language (J-STAGE gives
    /// a Japanese and an English author list: `raw_name` holds one, this the other), each as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
}

impl Author {
    /// A display name: collective name, or "Given Family", or the raw string.
    pub fn display_name(&self) -> &str {
        if let Some(c) = &self.collective {
            return c;
        }
        &self.raw_name
    }
}

/// One publication record, whatever format it came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Work {
    /// Stable id within a corpus: a hash of the source path and record index (see [`Work::assign_id`]).
    pub work_id: String,
    pub format: Option<Format>,
    pub source: SourceRef,
    pub ids: WorkIds,
    pub title: Option<String>,
    /// The title in other languages, as (language as the source tags it, text as written): J-STAGE gives a
    /// Japanese and an English title, `title` holds one and this the other.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_titles: Vec<(String, String)>,
    /// Plain text: inline markup flattened; structured-abstract labels kept as "LABEL: text" paragraphs.
    pub abstract_text: Option<String>,
    pub date: Option<PubDate>,
    pub venue: Venue,
    /// Language as the source states it (ISO 639 code or name).
    pub language: Option<String>,
    /// Publication types as written ("Journal Article", "Retracted Publication", `journal-article`…).
    pub publication_types: Vec<String>,
    /// `Some(true)` when the source states the work is retracted (OpenAlex `is_retracted`); `None` when the
    /// source has no such flag. Retraction evidence from publication types and relations is separate.
    pub retracted: Option<bool>,
    pub relations: Vec<Relation>,
    pub keywords: Vec<String>,
    /// MeSH descriptor names.
    pub mesh: Vec<String>,
    pub references: Vec<Reference>,
    pub funding: Vec<Funding>,
    /// Free-text funding statement (JATS `funding-statement`).
    pub funding_statement: Option<String>,
    /// Acknowledgements text (JATS `<ack>`), where funders and programmes are often named.
    pub acknowledgements: Option<String>,
    pub authors: Vec<Author>,
}

impl Work {
    /// A new empty work read from `path` at `record_index`.
    pub fn new(format: Format, path: &str, record_index: u64) -> Work {
        let mut w = Work {
            format: Some(format),
            source: SourceRef { path: path.to_owned(), record_index, line: None, byte_offset: None },
            ..Work::default()
        };
        w.assign_id();
        w
    }

    /// Sets `work_id` from the source path and record index: deterministic, unique within a corpus,
    /// independent of parsing details so that re-ingesting the same files gives the same ids.
    pub fn assign_id(&mut self) {
        let key = format!("{}#{}", self.source.path, self.source.record_index);
        self.work_id = format!("w{:016x}", crate::stable_hash64(key.as_bytes()));
    }

    /// True when the source marks this work as retracted (PubMed "Retracted Publication", a Crossref
    /// retraction update pointing at it, an OpenAlex `is_retracted`).
    pub fn is_retracted(&self) -> bool {
        self.retracted == Some(true)
            || self.publication_types.iter().any(|t| t.eq_ignore_ascii_case("Retracted Publication"))
            || self.relations.iter().any(|r| r.kind == "retracted_by")
    }

    /// True when this work is itself a retraction notice.
    pub fn is_retraction_notice(&self) -> bool {
        self.publication_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("Retraction of Publication") || t.eq_ignore_ascii_case("retraction"))
            || self.relations.iter().any(|r| r.kind == "retraction_of" || r.kind == "update_to:retraction")
    }
}
