//! Retraction links (`RET001`–`RET004`) from the works' own flags (PubMed "Retracted Publication", Crossref
//! `update-to` retractions, OpenAlex `is_retracted`, all via [`Work::is_retracted`]) and from a Retraction
//! Watch file given with `--retractions`, recognised by its header row as one of three formats (anything else
//! is an error naming the columns each format needs; there is no fallback parse):
//!
//! - [`RetractionFormat::CrossrefCsv`]: the Retraction Watch database as Crossref releases it, one row per
//!   notice (`Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,
//!   RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,OriginalPaperPubMedID,
//!   RetractionNature,Reason,Paywalled,Notes`). The only format with author names, so the only one `RET004`
//!   can use.
//! - [`RetractionFormat::DoiNatureList`]: one row per original-paper DOI, `doi` and its notice natures joined
//!   by `;` in a column `retractionwatch` (metacheck's table), `nature` or `retraction_nature`. The natures
//!   are a set (any order); DOIs compare case-insensitively and rows of one DOI written in two cases are
//!   merged into one record; rows whose DOI is empty, `Unavailable` or not a DOI are skipped with the reason.
//!   No reasons, dates or authors: `RET003` and `RET004` cannot fire from it.
//! - [`RetractionFormat::RwScrape`]: Retraction Watch records scraped from retractiondatabase.org
//!   (`rid,title_subject_journal_publisher_affiliation_blob,reasons,authors_blob,original_date_pmid_doi_blob,
//!   notice_date_pmid_doi_blob,articletype_nature_blob,countries_paywalled_notes_blob,doi,items_found`). Read:
//!   record id = `rid`, DOI = `doi`, reasons = the `+`-prefixed list in `reasons`, nature = the known nature
//!   ending `articletype_nature_blob`, years = the `MM/DD/YYYY` opening each date blob, PubMed ID = the digits
//!   between that date and the DOI (`00000000` = none). Authors (names glued together with no separator),
//!   title and journal (glued to subjects, publisher and affiliations) are left empty rather than guessed.
//!
//! A DOI or PubMed ID counts as retracted when one of its records is a Retraction and none is a Reinstatement:
//! Retraction Watch issues a reinstatement notice when a paper is restored, so a DOI listed with both
//! (`Retraction;Reinstatement`) is kept as a record but raises no `RET001`–`RET003` from the file (its own
//! publication type still can). Expressions of concern and corrections are records, never retractions.
//! Every data row is accounted for in [`RetractionLoad`]: rows read = kept + skipped, each skip with its line
//! and reason (malformed CSV rows included); a file with no data row, or none kept, is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use byline_model::{Evidence, Finding, Severity, Subject, Work, normalize_doi};
use serde::{Deserialize, Serialize};

use crate::detector::{Detector, Scope};
use crate::{Error, Result};

/// The notice natures Retraction Watch uses, spelled as it spells them; others are kept as written.
pub const KNOWN_NATURES: [&str; 4] = [NATURE_RETRACTION, "Correction", "Expression of concern", NATURE_REINSTATEMENT];
pub const NATURE_RETRACTION: &str = "Retraction";
pub const NATURE_REINSTATEMENT: &str = "Reinstatement";
/// The reason Retraction Watch gives for paper-mill products.
pub const REASON_PAPER_MILL: &str = "Paper Mill";

/// One Retraction Watch record (the columns the detectors use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetractionRecord {
    /// `Record ID` / `rid`; empty for the DOI list, which has none.
    pub record_id: String,
    /// Empty for the scrape (glued to its subjects) and the DOI list.
    pub title: String,
    /// Empty for the scrape (glued to publisher and affiliations) and the DOI list.
    pub journal: String,
    /// Author names as listed (`;`-separated in the Crossref CSV); empty for the other formats.
    pub authors: Vec<String>,
    pub original_doi: Option<String>,
    pub original_pmid: Option<String>,
    pub original_year: Option<i32>,
    pub retraction_year: Option<i32>,
    /// The natures of the notices this record stands for, sorted: one for a Crossref or scrape record, a DOI's
    /// set for the DOI list (`Retraction`, `Correction`, `Expression of concern`, `Reinstatement`).
    pub natures: Vec<String>,
    /// Reasons without their `+` prefix and `;` separator (`Paper Mill`, `Fake Peer Review`…).
    pub reasons: Vec<String>,
}

impl RetractionRecord {
    /// A retraction notice is among the record's natures (see [`RetractionDb::lookup`] for reinstatements).
    pub fn is_retraction(&self) -> bool {
        self.natures.iter().any(|n| n.eq_ignore_ascii_case(NATURE_RETRACTION))
    }
    /// A reinstatement notice is among the record's natures.
    pub fn is_reinstatement(&self) -> bool {
        self.natures.iter().any(|n| n.eq_ignore_ascii_case(NATURE_REINSTATEMENT))
    }
    /// Any reason is "Paper Mill" (whatever the nature).
    pub fn has_paper_mill_reason(&self) -> bool {
        self.reasons.iter().any(|r| r.eq_ignore_ascii_case(REASON_PAPER_MILL))
    }
    /// A retraction whose reasons include "Paper Mill".
    pub fn is_paper_mill(&self) -> bool {
        self.is_retraction() && self.has_paper_mill_reason()
    }
    /// How findings name the record: `Retraction Watch 12345`, or the DOI list's natures.
    fn label(&self) -> String {
        if self.record_id.is_empty() {
            format!("Retraction Watch DOI list: {}", self.natures.join(";"))
        } else {
            format!("Retraction Watch {}", self.record_id)
        }
    }
}

/// The file formats `--retractions` reads, recognised by their header row (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetractionFormat {
    CrossrefCsv,
    DoiNatureList,
    RwScrape,
}

/// The Crossref CSV's columns byline reads (the others are ignored).
const CROSSREF_COLUMNS: [&str; 10] = [
    "Record ID",
    "Title",
    "Journal",
    "Author",
    "OriginalPaperDate",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionDate",
    "RetractionNature",
    "Reason",
];
/// The DOI list: `doi` and one of these nature columns.
const DOI_LIST_NATURE_COLUMNS: [&str; 3] = ["retractionwatch", "nature", "retraction_nature"];
/// The scrape's columns, all required (a nine-column export lacks `items_found` and lost title blobs).
const SCRAPE_COLUMNS: [&str; 10] = [
    "rid",
    "title_subject_journal_publisher_affiliation_blob",
    "reasons",
    "authors_blob",
    "original_date_pmid_doi_blob",
    "notice_date_pmid_doi_blob",
    "articletype_nature_blob",
    "countries_paywalled_notes_blob",
    "doi",
    "items_found",
];

impl RetractionFormat {
    pub fn name(self) -> &'static str {
        match self {
            RetractionFormat::CrossrefCsv => "Crossref Retraction Watch CSV",
            RetractionFormat::DoiNatureList => "Retraction Watch DOI list (doi + natures)",
            RetractionFormat::RwScrape => "Retraction Watch scrape (retractiondatabase.org)",
        }
    }
    /// The columns a header must have to be read as this format.
    pub fn required_columns(self) -> String {
        match self {
            RetractionFormat::CrossrefCsv => CROSSREF_COLUMNS.join(", "),
            RetractionFormat::DoiNatureList => format!("doi and one of {}", DOI_LIST_NATURE_COLUMNS.join(" / ")),
            RetractionFormat::RwScrape => SCRAPE_COLUMNS.join(", "),
        }
    }
    /// Whether the format lists authors (`RET004` matches names only from these).
    pub fn has_authors(self) -> bool {
        self == RetractionFormat::CrossrefCsv
    }
    /// Whether the format gives reasons (`RET003` and paper-mill severity need them).
    pub fn has_reasons(self) -> bool {
        self != RetractionFormat::DoiNatureList
    }
    const ALL: [RetractionFormat; 3] =
        [RetractionFormat::CrossrefCsv, RetractionFormat::DoiNatureList, RetractionFormat::RwScrape];
}

/// A data row not kept, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// 1-based line of the file where the row starts (0 when the CSV reader could not tell).
    pub line: u64,
    /// Short kind, for counting (`empty DOI`, `malformed CSV row`…).
    pub kind: &'static str,
    /// The kind with the row's detail.
    pub reason: String,
}

/// What loading a retraction file did: `rows_read = rows_kept + skipped.len()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetractionLoad {
    /// The file, when read from a path.
    pub source: Option<String>,
    pub format: RetractionFormat,
    /// Data rows (the header excluded), malformed ones included.
    pub rows_read: usize,
    pub rows_kept: usize,
    pub skipped: Vec<SkippedRow>,
    /// Kept rows merged into an earlier row's record (the DOI list: the same DOI in another case).
    pub rows_merged: usize,
}

impl RetractionLoad {
    /// Skipped rows counted by kind, with the first line of each.
    pub fn skipped_by_kind(&self) -> BTreeMap<&'static str, (usize, u64)> {
        let mut out: BTreeMap<&'static str, (usize, u64)> = BTreeMap::new();
        for s in &self.skipped {
            out.entry(s.kind).and_modify(|e| e.0 += 1).or_insert((1, s.line));
        }
        out
    }
}

/// The Retraction Watch records indexed by original DOI, PMID and author name.
#[derive(Debug, Clone, Default)]
pub struct RetractionDb {
    records: Vec<RetractionRecord>,
    by_doi: HashMap<String, usize>,
    by_pmid: HashMap<String, usize>,
    /// Normalized author name → paper-mill retraction records.
    papermill_by_author: HashMap<String, Vec<usize>>,
    /// DOIs and PMIDs with a retraction that a reinstatement lifts.
    reinstated: usize,
    load: Option<RetractionLoad>,
}

/// The header's columns and where they are, once recognised.
enum Layout {
    Crossref([usize; 10]),
    DoiList { doi: usize, nature: usize },
    Scrape([usize; 10]),
}

impl Layout {
    fn format(&self) -> RetractionFormat {
        match self {
            Layout::Crossref(_) => RetractionFormat::CrossrefCsv,
            Layout::DoiList { .. } => RetractionFormat::DoiNatureList,
            Layout::Scrape(_) => RetractionFormat::RwScrape,
        }
    }

    /// Every format whose required columns the header has.
    fn recognise(headers: &[String]) -> Vec<Layout> {
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let all = |names: &[&str; 10]| -> Option<[usize; 10]> {
            let mut out = [0; 10];
            for (o, n) in out.iter_mut().zip(names) {
                *o = col(n)?;
            }
            Some(out)
        };
        let mut found = Vec::new();
        if let Some(c) = all(&CROSSREF_COLUMNS) {
            found.push(Layout::Crossref(c));
        }
        if let (Some(doi), Some(nature)) = (col("doi"), DOI_LIST_NATURE_COLUMNS.iter().find_map(|n| col(n))) {
            found.push(Layout::DoiList { doi, nature });
        }
        if let Some(c) = all(&SCRAPE_COLUMNS) {
            found.push(Layout::Scrape(c));
        }
        found
    }
}

/// The error for a header that is no accepted format (or more than one).
fn unrecognised(headers: &[String], matched: &[Layout]) -> String {
    let mut shown = headers.join(",");
    if shown.chars().count() > 300 {
        shown = format!("{}…", shown.chars().take(300).collect::<String>());
    }
    let what = if matched.is_empty() {
        "is not a retraction file byline reads".to_owned()
    } else {
        format!(
            "matches more than one retraction format ({})",
            matched.iter().map(|l| l.format().name()).collect::<Vec<_>>().join(", ")
        )
    };
    let formats: Vec<String> =
        RetractionFormat::ALL.iter().map(|f| format!("{} needs columns: {}", f.name(), f.required_columns())).collect();
    format!("{what}: its header is `{shown}`. Accepted formats (by header): {}.", formats.join("; "))
}

impl RetractionDb {
    /// Reads a Retraction Watch file in any accepted format (see the module doc); errors name the file.
    pub fn from_csv_path(path: &Path) -> Result<RetractionDb> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut db = RetractionDb::from_csv_reader(file).map_err(|r| Error::format(path.display(), r))?;
        if let Some(load) = &mut db.load {
            load.source = Some(path.display().to_string());
        }
        Ok(db)
    }

    /// Reads a Retraction Watch file from a reader: the header row picks the format; every data row is kept or
    /// skipped with its reason ([`RetractionDb::load`]).
    pub fn from_csv_reader<R: std::io::Read>(reader: R) -> Result<RetractionDb, String> {
        let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| format!("cannot read the header row: {e}"))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(format!(
                "empty file: no header row. Accepted formats (by header): {}.",
                RetractionFormat::ALL
                    .iter()
                    .map(|f| format!("{} needs columns: {}", f.name(), f.required_columns()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let mut matched = Layout::recognise(&headers);
        if matched.len() != 1 {
            return Err(unrecognised(&headers, &matched));
        }
        let Some(layout) = matched.pop() else { return Err(unrecognised(&headers, &matched)) };
        let format = layout.format();
        let mut load =
            RetractionLoad { source: None, format, rows_read: 0, rows_kept: 0, skipped: Vec::new(), rows_merged: 0 };
        let mut records: Vec<RetractionRecord> = Vec::new();
        // The DOI list: normalized DOI → its record (rows of one DOI in two cases merge).
        let mut doi_index: HashMap<String, usize> = HashMap::new();
        for rec in rdr.records() {
            let rec = match rec {
                Ok(rec) => rec,
                Err(e) => {
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(format!("reading failed after {} data rows: {e}", load.rows_read));
                    }
                    load.rows_read += 1;
                    let line = e.position().map_or(0, csv::Position::line);
                    load.skipped.push(SkippedRow {
                        line,
                        kind: "malformed CSV row",
                        reason: format!("malformed CSV row: {e}"),
                    });
                    continue;
                }
            };
            load.rows_read += 1;
            let line = rec.position().map_or(0, csv::Position::line);
            let parsed = match &layout {
                Layout::Crossref(c) => Ok(crossref_record(&rec, c)),
                Layout::DoiList { doi, nature } => doi_list_record(field(&rec, *doi), field(&rec, *nature)),
                Layout::Scrape(c) => scrape_record(&rec, c),
            };
            match parsed {
                Ok(r) => {
                    load.rows_kept += 1;
                    if format == RetractionFormat::DoiNatureList
                        && let Some(d) = r.original_doi.clone()
                    {
                        if let Some(&i) = doi_index.get(&d) {
                            let merged: BTreeSet<String> =
                                records[i].natures.iter().chain(&r.natures).cloned().collect();
                            records[i].natures = merged.into_iter().collect();
                            load.rows_merged += 1;
                            continue;
                        }
                        doi_index.insert(d, records.len());
                    }
                    records.push(r);
                }
                Err((kind, reason)) => load.skipped.push(SkippedRow { line, kind, reason }),
            }
        }
        if load.rows_read == 0 {
            return Err(format!("read as the {}, but it has a header and no data rows", format.name()));
        }
        if records.is_empty() {
            let kinds: Vec<String> = load
                .skipped_by_kind()
                .iter()
                .map(|(k, (n, line))| format!("{k}: {n} (first at line {line})"))
                .collect();
            return Err(format!(
                "read as the {}, but none of its {} data rows was kept ({})",
                format.name(),
                load.rows_read,
                kinds.join("; ")
            ));
        }
        let mut db = RetractionDb::from_records(records);
        db.load = Some(load);
        Ok(db)
    }

    /// Indexes records; a DOI or PMID with a reinstatement among its records is not retracted.
    pub fn from_records(records: Vec<RetractionRecord>) -> RetractionDb {
        let mut db = RetractionDb { records, ..RetractionDb::default() };
        let reinstated_doi: HashSet<String> =
            db.records.iter().filter(|r| r.is_reinstatement()).filter_map(|r| r.original_doi.clone()).collect();
        let reinstated_pmid: HashSet<String> =
            db.records.iter().filter(|r| r.is_reinstatement()).filter_map(|r| r.original_pmid.clone()).collect();
        let mut lifted: BTreeSet<String> = BTreeSet::new();
        for (i, r) in db.records.iter().enumerate() {
            if !r.is_retraction() {
                continue;
            }
            let doi_lifted = r.original_doi.as_ref().is_some_and(|d| reinstated_doi.contains(d));
            let pmid_lifted = r.original_pmid.as_ref().is_some_and(|p| reinstated_pmid.contains(p));
            if doi_lifted || pmid_lifted {
                lifted.extend(r.original_doi.iter().map(|d| format!("doi:{d}")));
                lifted.extend(r.original_pmid.iter().map(|p| format!("pmid:{p}")));
                continue;
            }
            // One paper may have several retraction records: a paper-mill one wins.
            let records = &db.records;
            let index = |map: &mut HashMap<String, usize>, key: &String| {
                map.entry(key.clone())
                    .and_modify(|j| {
                        if !records[*j].is_paper_mill() && r.is_paper_mill() {
                            *j = i;
                        }
                    })
                    .or_insert(i);
            };
            if let Some(d) = &r.original_doi {
                index(&mut db.by_doi, d);
            }
            if let Some(p) = &r.original_pmid {
                index(&mut db.by_pmid, p);
            }
            if r.is_paper_mill() {
                for a in &r.authors {
                    db.papermill_by_author.entry(normalize_name(a)).or_default().push(i);
                }
            }
        }
        db.reinstated = lifted.len();
        db
    }

    pub fn records(&self) -> &[RetractionRecord] {
        &self.records
    }

    /// How the file was read (format, rows read = kept + skipped); `None` for [`RetractionDb::from_records`].
    pub fn load(&self) -> Option<&RetractionLoad> {
        self.load.as_ref()
    }

    /// Distinct DOIs counted as retracted (a retraction, no reinstatement).
    pub fn retracted_dois(&self) -> usize {
        self.by_doi.len()
    }

    /// Distinct PubMed IDs counted as retracted.
    pub fn retracted_pmids(&self) -> usize {
        self.by_pmid.len()
    }

    /// One paragraph for the user: the format recognised, rows read = kept + skipped (by reason), what the
    /// detectors can use.
    pub fn load_summary(&self) -> String {
        let mut out = String::from("--retractions");
        let Some(load) = &self.load else {
            return format!("{out}: {} records given directly.", self.records.len());
        };
        if let Some(s) = &load.source {
            out.push_str(&format!(" {s}"));
        }
        out.push_str(&format!(
            ": read as the {}; {} rows read = {} kept + {} skipped",
            load.format.name(),
            load.rows_read,
            load.rows_kept,
            load.skipped.len()
        ));
        let kinds: Vec<String> =
            load.skipped_by_kind().iter().map(|(k, (n, line))| format!("{k}: {n}, first at line {line}")).collect();
        if !kinds.is_empty() {
            out.push_str(&format!(" ({})", kinds.join("; ")));
        }
        out.push_str(&format!("; {} records", self.records.len()));
        if load.rows_merged > 0 {
            out.push_str(&format!(" ({} row(s) merged into a DOI written in another case)", load.rows_merged));
        }
        out.push_str(&format!("; {} DOIs and {} PubMed IDs retracted", self.by_doi.len(), self.by_pmid.len()));
        if self.reinstated > 0 {
            out.push_str(&format!(" ({} retracted IDs not counted: reinstated)", self.reinstated));
        }
        let mills = self.records.iter().filter(|r| r.is_paper_mill()).count();
        if load.format.has_reasons() {
            out.push_str(&format!("; {mills} paper-mill retraction records"));
        } else {
            out.push_str("; no reasons in this format, so RET003 (paper-mill citations) cannot fire from it");
        }
        if !load.format.has_authors() {
            out.push_str("; no author names in this format, so RET004 has no names to match");
        }
        out.push('.');
        out
    }

    /// The retraction record of a work by DOI or PMID (none when a reinstatement lifted it).
    pub fn lookup(&self, doi: Option<&str>, pmid: Option<&str>) -> Option<&RetractionRecord> {
        doi.and_then(|d| self.by_doi.get(d))
            .or_else(|| pmid.and_then(|p| self.by_pmid.get(p)))
            .map(|i| &self.records[*i])
    }

    /// Paper-mill retractions listing an author of this name.
    pub fn papermill_retractions_of(&self, name: &str) -> Vec<&RetractionRecord> {
        self.papermill_by_author
            .get(&normalize_name(name))
            .map(|v| v.iter().map(|i| &self.records[*i]).collect())
            .unwrap_or_default()
    }
}

/// Field `i` of a row, trimmed (`""` when the row is short).
fn field(rec: &csv::StringRecord, i: usize) -> &str {
    rec.get(i).unwrap_or("").trim()
}

/// Why a row was skipped: a short kind for counting and the detail.
type Skip = (&'static str, String);

/// A nature as Retraction Watch spells it when known (case-insensitively), else as written.
fn canonical_nature(s: &str) -> String {
    KNOWN_NATURES.iter().find(|k| k.eq_ignore_ascii_case(s)).map_or_else(|| s.to_owned(), |k| (*k).to_owned())
}

/// A PubMed ID as Retraction Watch writes it: digits, not all zeros (`0`, `00000000` = none).
fn pmid_of(s: &str) -> Option<String> {
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && s.chars().any(|c| c != '0')).then(|| s.to_owned())
}

fn crossref_record(rec: &csv::StringRecord, c: &[usize; 10]) -> RetractionRecord {
    let get = |i: usize| field(rec, i);
    let [id, title, journal, author, odate, odoi, opmid, rdate, nature, reason] = *c;
    let nature = get(nature);
    RetractionRecord {
        record_id: get(id).to_owned(),
        title: get(title).to_owned(),
        journal: get(journal).to_owned(),
        authors: get(author).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        original_doi: normalize_doi(get(odoi)),
        original_pmid: pmid_of(get(opmid)),
        original_year: year_of(get(odate)),
        retraction_year: year_of(get(rdate)),
        natures: if nature.is_empty() { Vec::new() } else { vec![canonical_nature(nature)] },
        reasons: get(reason)
            .split(';')
            .map(|r| r.trim().trim_start_matches('+').trim())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

fn doi_list_record(doi: &str, natures: &str) -> Result<RetractionRecord, Skip> {
    if doi.is_empty() {
        return Err(("empty DOI", "empty DOI".to_owned()));
    }
    if doi.eq_ignore_ascii_case("unavailable") {
        return Err(("DOI `Unavailable`", format!("DOI `{doi}`")));
    }
    let Some(original_doi) = normalize_doi(doi) else {
        return Err(("not a DOI", format!("not a DOI: `{doi}`")));
    };
    let natures: BTreeSet<String> =
        natures.split(';').map(str::trim).filter(|n| !n.is_empty()).map(canonical_nature).collect();
    if natures.is_empty() {
        return Err(("no nature", format!("no nature for DOI `{doi}`")));
    }
    Ok(RetractionRecord {
        record_id: String::new(),
        title: String::new(),
        journal: String::new(),
        authors: Vec::new(),
        original_doi: Some(original_doi),
        original_pmid: None,
        original_year: None,
        retraction_year: None,
        natures: natures.into_iter().collect(),
        reasons: Vec::new(),
    })
}

/// The `MM/DD/YYYY` opening a scrape date blob: its year and the rest of the blob.
fn scrape_date(blob: &str) -> (Option<i32>, &str) {
    let b = blob.as_bytes();
    let is_date = b.len() >= 10
        && b[2] == b'/'
        && b[5] == b'/'
        && [0, 1, 3, 4, 6, 7, 8, 9].iter().all(|&i| b[i].is_ascii_digit());
    if !is_date {
        return (None, blob);
    }
    (blob.get(6..10).and_then(|y| y.parse().ok()), blob.get(10..).unwrap_or(""))
}

fn scrape_record(rec: &csv::StringRecord, c: &[usize; 10]) -> Result<RetractionRecord, Skip> {
    let get = |i: usize| field(rec, i);
    let [rid, _title, reasons, _authors, odate, ndate, nature, _countries, doi_col, _items] = *c;
    let record_id = get(rid);
    if record_id.is_empty() {
        return Err(("no rid", "no record id (`rid`)".to_owned()));
    }
    let doi_written = get(doi_col);
    let original_doi = normalize_doi(doi_written);
    let (original_year, rest) = scrape_date(get(odate));
    // The PubMed ID sits between the date and the DOI; only read when the blob ends with the `doi` column.
    let original_pmid = (!doi_written.is_empty())
        .then(|| rest.len().checked_sub(doi_written.len()))
        .flatten()
        .filter(|&cut| rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case(doi_written))
        .and_then(|cut| pmid_of(&rest[..cut]).filter(|p| p.len() <= 8));
    if original_doi.is_none() && original_pmid.is_none() {
        return Err(("no DOI or PubMed ID", format!("record {record_id}: no DOI or PubMed ID (doi `{doi_written}`)")));
    }
    let blob = get(nature);
    let nature = KNOWN_NATURES.iter().find(|k| {
        blob.len() >= k.len()
            && blob.is_char_boundary(blob.len() - k.len())
            && blob[blob.len() - k.len()..].eq_ignore_ascii_case(k)
    });
    Ok(RetractionRecord {
        record_id: record_id.to_owned(),
        title: String::new(),
        journal: String::new(),
        authors: Vec::new(),
        original_doi,
        original_pmid,
        original_year,
        retraction_year: scrape_date(get(ndate)).0,
        natures: nature.map(|n| vec![(*n).to_owned()]).unwrap_or_default(),
        reasons: get(reasons).split('+').map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned).collect(),
    })
}

/// The year of a Retraction Watch date (`1/15/2020 0:00`, `2020-01-15`), if any.
fn year_of(s: &str) -> Option<i32> {
    let date = s.split_whitespace().next()?;
    date.split(['/', '-']).filter_map(|p| p.parse::<i32>().ok()).find(|y| (1600..=2200).contains(y))
}

/// Lower case, dots and commas removed, whitespace collapsed: `Zhang, Wei.` and `zhang wei` do not meet, but
/// `Wei  Zhang` and `wei zhang.` do (Retraction Watch writes "Given Family").
pub fn normalize_name(s: &str) -> String {
    let cleaned: String = s.chars().map(|c| if c == '.' || c == ',' { ' ' } else { c }).collect();
    crate::text::collapse_whitespace(&cleaned.to_lowercase())
}

/// A record's reasons for a finding's text.
fn reasons_text(r: &RetractionRecord) -> String {
    if r.reasons.is_empty() { "none given in this file".to_owned() } else { r.reasons.join(", ") }
}

fn author_full_name(a: &byline_model::Author) -> String {
    match (&a.given, &a.family) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        _ => a.display_name().to_owned(),
    }
}

/// ## What it does
/// `RET001`: the work is retracted (its own record says so, or Retraction Watch lists it).
/// `RET002`: the work cites a retracted work. `RET003`: it cites a work retracted for "Paper Mill".
/// `RET004`: an author's name appears on an earlier paper-mill retraction in Retraction Watch.
///
/// ## Why it matters
/// Retractions for paper-mill reasons mark a mill's products; citing them propagates fabricated results, and
/// mills reuse the same buyers.
///
/// ## Known false positives
/// `RET002` is normal for papers that discuss a retraction, and citations before the retraction date are
/// innocent. `RET004` matches names only: common names collide, so it stays low until identities are
/// resolved (byline-graph).
///
/// ## Example
/// A work citing DOI `10.26355/eurrev_201903_17380`, retracted with reason `+Paper Mill;`, gets `RET003`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetractionLinks<'a> {
    /// Retraction Watch; without it only the works' own retraction marks are used.
    pub retractions: Option<&'a RetractionDb>,
}

impl RetractionLinks<'_> {
    pub const CODE: &'static str = "RET001";
}

impl Detector for RetractionLinks<'_> {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    fn extra_codes(&self) -> &'static [&'static str] {
        &["RET002", "RET003", "RET004"]
    }
    fn name(&self) -> &'static str {
        "retraction-links"
    }
    /// Citations to retracted works anywhere in the corpus.
    fn scope(&self) -> Scope {
        Scope::Corpus
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        retraction_findings(works, self.retractions)
    }
}

/// All `RET*` findings for `works`, with an optional Retraction Watch database.
pub fn retraction_findings(works: &[Work], db: Option<&RetractionDb>) -> Vec<Finding> {
    let mut corpus_retracted: BTreeSet<String> = BTreeSet::new();
    add_corpus_retracted(works, &mut corpus_retracted);
    retraction_findings_with(works, db, &corpus_retracted)
}

/// Adds the keys (`doi:…`, `pmid:…`) of the retracted works among `works` to `keys`: the only thing the `RET*`
/// findings of one work need to know about the rest of the corpus (a citation of a work retracted in this
/// corpus is `RET002`). A scan collects them part by part, then runs [`retraction_findings_with`] on each part.
pub fn add_corpus_retracted(works: &[Work], keys: &mut BTreeSet<String>) {
    for w in works.iter().filter(|w| w.is_retracted()) {
        keys.extend(w.ids.doi.iter().map(|d| format!("doi:{d}")));
        keys.extend(w.ids.pmid.iter().map(|p| format!("pmid:{p}")));
    }
}

/// The `RET*` findings of `works` given the keys of every work retracted in the corpus they belong to
/// ([`add_corpus_retracted`] over all of it): per work, so a corpus can be done part by part.
pub fn retraction_findings_with(
    works: &[Work],
    db: Option<&RetractionDb>,
    corpus_retracted: &BTreeSet<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for w in works {
        let subject = Subject::Work { work_id: w.work_id.clone() };
        let ev = |kind: &str, doi: Option<String>, pmid: Option<String>, text: Option<String>| Evidence {
            kind: kind.to_owned(),
            work_id: None,
            doi,
            pmid,
            text,
        };
        let rw = db.and_then(|db| db.lookup(w.ids.doi.as_deref(), w.ids.pmid.as_deref()));
        if w.is_retracted() || rw.is_some() {
            let mut reasons = Vec::new();
            if w.is_retracted() {
                reasons.push(
                    "The record itself marks the work as retracted (publication type, update relation or flag)."
                        .to_owned(),
                );
            }
            let mut severity = Severity::Medium;
            if let Some(r) = rw {
                let who = if r.record_id.is_empty() {
                    format!("The Retraction Watch DOI list (natures: {})", r.natures.join(";"))
                } else {
                    format!("Retraction Watch record {}", r.record_id)
                };
                reasons.push(format!(
                    "{who} lists it as retracted{}; reasons: {}.",
                    r.retraction_year.map(|y| format!(" in {y}")).unwrap_or_default(),
                    reasons_text(r)
                ));
                if r.is_paper_mill() {
                    severity = Severity::High;
                }
            }
            out.push(Finding {
                code: "RET001".into(),
                subject: subject.clone(),
                severity,
                score: if severity == Severity::High { 1.0 } else { 0.7 },
                reasons,
                evidence: vec![ev("work", w.ids.doi.clone(), w.ids.pmid.clone(), w.title.clone())],
            });
        }
        // Citations.
        let mut cited_mill: BTreeMap<String, String> = BTreeMap::new();
        let mut cited_retracted: BTreeMap<String, String> = BTreeMap::new();
        for r in &w.references {
            let doi = r.doi.as_deref().and_then(normalize_doi);
            let key = doi.clone().map(|d| format!("doi:{d}")).or_else(|| r.pmid.clone().map(|p| format!("pmid:{p}")));
            let Some(key) = key else { continue };
            if let Some(rec) = db.and_then(|db| db.lookup(doi.as_deref(), r.pmid.as_deref())) {
                let label = format!("{key} ({}: {})", rec.label(), reasons_text(rec));
                if rec.is_paper_mill() {
                    cited_mill.insert(key, label);
                } else {
                    cited_retracted.insert(key, label);
                }
            } else if corpus_retracted.contains(&key)
                || r.pmid.as_ref().is_some_and(|p| corpus_retracted.contains(&format!("pmid:{p}")))
            {
                cited_retracted.insert(key.clone(), format!("{key} (retracted in this corpus)"));
            }
        }
        for (code, cited, severity, what) in [
            ("RET003", &cited_mill, Severity::Medium, "retracted for paper-mill reasons"),
            ("RET002", &cited_retracted, Severity::Low, "retracted"),
        ] {
            if cited.is_empty() {
                continue;
            }
            out.push(Finding {
                code: code.into(),
                subject: subject.clone(),
                severity,
                score: (cited.len() as f64 / 3.0).min(1.0),
                reasons: vec![format!(
                    "Cites {} work(s) {what}: {}. Citations made before the retraction, or that discuss it, are innocent.",
                    cited.len(),
                    cited.values().cloned().collect::<Vec<_>>().join("; ")
                )],
                evidence: cited.keys().map(|k| ev("cited_work", k.strip_prefix("doi:").map(str::to_owned), k.strip_prefix("pmid:").map(str::to_owned), None)).collect(),
            });
        }
        // Authors with earlier paper-mill retractions.
        if let Some(db) = db {
            let year = w.date.map(|d| d.year);
            for (pos, a) in w.authors.iter().enumerate() {
                let name = author_full_name(a);
                let earlier: Vec<&RetractionRecord> = db
                    .papermill_retractions_of(&name)
                    .into_iter()
                    .filter(|r| r.original_doi.is_none() || r.original_doi != w.ids.doi)
                    .filter(|r| match (r.original_year, year) {
                        (Some(o), Some(y)) => o <= y,
                        _ => true,
                    })
                    .collect();
                if earlier.is_empty() {
                    continue;
                }
                let list: Vec<String> = earlier
                    .iter()
                    .map(|r| {
                        format!("{} ({}, {})", r.record_id, r.original_doi.as_deref().unwrap_or("no DOI"), r.journal)
                    })
                    .collect();
                out.push(Finding {
                    code: "RET004".into(),
                    subject: Subject::Authorship { work_id: w.work_id.clone(), position: pos as u32 + 1 },
                    severity: Severity::Low,
                    score: (earlier.len() as f64 / 3.0).min(1.0),
                    reasons: vec![format!(
                        "An author named \"{name}\" is listed on {} earlier paper-mill retraction(s): {}. Name match only: \
                         confirm the identity before acting.",
                        earlier.len(),
                        list.join("; ")
                    )],
                    evidence: earlier.iter().map(|r| ev("list_entry", r.original_doi.clone(), r.original_pmid.clone(), Some(format!("Retraction Watch {}", r.record_id)))).collect(),
                });
            }
        }
    }
    out
}
