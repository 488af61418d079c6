//! Screening lists: the files governments and trackers publish, read exactly as published, into one shape.
//!
//! | list | format id | as published |
//! |---|---|---|
//! | US Consolidated Screening List (trade.gov) | `us-csl-csv`, `us-csl-json` | `consolidated.csv` (29 columns `_id, source, entity_number, type, programs, name, …, alt_names, …`); the API's JSON `{"results": [...]}` |
//! | US lists re-published as JSON (BIS Entity List, DoD Section 1286) and your own JSON | `entities-json` | `{"list_id"?, "extracted"?, "entities": [{name, aliases, country, …}]}` |
//! | Japan METI End User List (外国ユーザーリスト) | `jp-meti-xlsx`, `jp-meti-csv` | METI's `.xlsx`; the same sheet saved as CSV (UTF-8 or Shift_JIS) |
//! | Canada Named Research Organizations | `ca-nro-html`, `ca-nro-text` | the science.gc.ca page saved as HTML; a one-name-a-line text file only when asked for |
//! | ASPI China Defence Universities Tracker | `aspi-misp-json`, `aspi-tsv` | MISP galaxy cluster JSON; its TSV normalisation |
//! | OpenSanctions exports (e.g. the Japan METI Russia list) | `opensanctions-csv` | `targets.simple.csv` |
//! | your own list | `user-csv` | CSV with only the columns `name, aliases, country, risk_note, source_url` |
//!
//! A file is read in a format only on **positive evidence** ([`detect_format`]): the sheet's header, the
//! page's markers, the JSON's keys, the CSV's columns. Anything else is an error that says what the file looked
//! like, which formats byline reads, and how to force one (`--list-format`); there is no fallback parse,
//! because a bibliography read as a list accuses strangers and a list read as empty clears everyone. For the
//! same reason a list that yields no entry is an error ([`load_list_file`]).
//!
//! Every data row is accounted for: rows read = entries kept + rows skipped, each skipped row with its
//! position and reason ([`SkippedRow`]). People, vessels and programmes are kept with their [`EntryKind`] but
//! only organisations are matched against affiliations ([`ListEntry::matches_affiliations`]): byline screens
//! institutions, never people.

mod csl;
mod meti;
mod nro;
mod trackers;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::EntitiesError;
use crate::country;

pub use csl::{load_csl_csv, load_csl_json, load_entities_json};
pub use meti::{load_meti_end_user_csv, load_meti_end_user_xlsx};
pub use nro::{load_named_research_organizations, load_named_research_organizations_html};
pub use trackers::{load_aspi_misp_json, load_aspi_tsv, load_opensanctions_csv, load_user_csv};

/// A list that says nothing newer than this many days is reported as possibly out of date.
/// Lists are updated several times a year (the Entity List monthly, METI's yearly at least), so a year-old copy
/// has almost surely missed additions and removals.
pub const STALE_AFTER_DAYS: i64 = 365;

/// What a list entry is, as the list states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// An organisation, or the list does not say (most lists name only organisations).
    #[default]
    Organisation,
    /// A person: kept so the count is exact, never matched against affiliations.
    Individual,
    /// A vessel or aircraft (sanctions lists).
    Vessel,
    /// A programme (the talent programmes of DoD's Section 1286 list, Table 2): named in acknowledgements and
    /// funding, not in affiliations.
    Programme,
}

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The list's own id for the entry (entity number, UUID, row number).
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2, when the list says.
    pub country: Option<String>,
    #[serde(default)]
    pub kind: EntryKind,
    /// Programme, category or risk note as the list states it.
    pub note: Option<String>,
    pub source_url: Option<String>,
}

impl ListEntry {
    /// An organisation with no alias, country, note or URL yet.
    pub fn organisation(id: impl Into<String>, name: impl Into<String>) -> ListEntry {
        ListEntry {
            id: id.into(),
            name: name.into(),
            aliases: Vec::new(),
            country: None,
            kind: EntryKind::Organisation,
            note: None,
            source_url: None,
        }
    }

    pub fn with_aliases<S: Into<String>>(mut self, aliases: impl IntoIterator<Item = S>) -> ListEntry {
        self.aliases = aliases.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_country(mut self, country: Option<&str>) -> ListEntry {
        self.country = country.map(str::to_owned);
        self
    }

    /// The name and every alias, name first, without duplicates.
    pub fn all_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![self.name.as_str()];
        for a in &self.aliases {
            if !out.iter().any(|n| n.eq_ignore_ascii_case(a)) {
                out.push(a);
            }
        }
        out
    }

    /// Only organisations are matched against affiliation strings.
    pub fn matches_affiliations(&self) -> bool {
        self.kind == EntryKind::Organisation
    }
}

/// A data row that was read but not kept, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// Where it is in the file: `row 12` (data rows from 1), `line 40`, `entity 17`.
    pub position: String,
    pub reason: String,
}

/// What holding or meeting a listed organisation means under the list's own rules. Findings say it, because
/// co-authoring with a listed organisation and being affiliated with one are different things, and neither
/// alone is wrongdoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListConcern {
    /// The list governs researchers' **affiliations** (and funding or support) with the organisation: Canada's
    /// Named Research Organizations, DoD's Section 1286 list.
    Affiliation,
    /// An export-control or sanctions list: it restricts exports, transactions and services to the
    /// organisation; collaborating with it may need a licence, co-authorship alone is no export.
    ExportControl,
    /// A research tracker with no legal effect (ASPI).
    Tracker,
    /// The list does not say (a user's own list).
    #[default]
    Unstated,
}

impl ListConcern {
    /// A sentence for findings.
    pub fn sentence(self) -> &'static str {
        match self {
            ListConcern::Affiliation => {
                "this list governs researchers' affiliations with (and funding or support from) the organisation"
            }
            ListConcern::ExportControl => {
                "this is an export-control or sanctions list: it restricts exports, transactions and services to \
                 the organisation; a collaboration may need a licence, co-authorship alone is no export"
            }
            ListConcern::Tracker => "this list is a research tracker with no legal effect",
            ListConcern::Unstated => "the list does not say what a match means",
        }
    }
}

/// A loaded list: what it is, where it came from, as of when, and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningList {
    /// Short id used in findings: `us_csl`, `us_bis_entity_list`, `us_dod_1286`, `jp_meti_eul`, `ca_nro`,
    /// `aspi_cdut`, `jp_meti_russia`, `opensanctions`, or the user's file name.
    pub id: String,
    pub name: String,
    /// The file it was read from.
    pub source: String,
    /// The format it was read as ([`ListFormat::id`]).
    pub format: String,
    /// The list's own date (the sheet's revision, the page's "Date modified", the JSON's extraction date), or
    /// the date the user gave, ISO-8601 where known.
    pub date: Option<String>,
    /// Where the date comes from ("the page's Date modified", "given with --list-date"…).
    pub date_source: Option<String>,
    pub licence: Option<String>,
    #[serde(default)]
    pub concern: ListConcern,
    pub entries: Vec<ListEntry>,
    /// Data rows read but not kept, each with its reason.
    pub skipped: Vec<SkippedRow>,
}

impl ScreeningList {
    /// An empty list of the given id and name, read from `source` in `format`.
    pub fn new(id: &str, name: &str, source: &str, format: ListFormat) -> ScreeningList {
        ScreeningList {
            id: id.to_owned(),
            name: name.to_owned(),
            source: source.to_owned(),
            format: format.id().to_owned(),
            date: None,
            date_source: None,
            licence: None,
            concern: ListConcern::Unstated,
            entries: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Data rows read: entries kept plus rows skipped.
    pub fn rows_read(&self) -> usize {
        self.entries.len() + self.skipped.len()
    }

    /// Sets the date from the user when given (it wins: the user knows which copy they downloaded), else keeps
    /// the file's own.
    pub(crate) fn set_date(&mut self, given: Option<&str>, own: Option<String>, own_source: &str) {
        if let Some(d) = given {
            self.date = Some(d.to_owned());
            self.date_source = Some("given with --list-date".to_owned());
        } else if let Some(d) = own {
            self.date = Some(d);
            self.date_source = Some(own_source.to_owned());
        }
    }

    pub(crate) fn skip(&mut self, position: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(SkippedRow { position: position.into(), reason: reason.into() });
    }

    /// A CSV data row, or `None` after recording it as skipped (with the reader's error) when it cannot be read.
    pub(crate) fn csv_row(
        &mut self,
        position: &str,
        row: Result<csv::StringRecord, csv::Error>,
    ) -> Option<csv::StringRecord> {
        match row {
            Ok(r) => Some(r),
            Err(e) => {
                self.skip(position, format!("not valid CSV: {e}"));
                None
            }
        }
    }

    /// Days from the list's date to `today` (both ISO-8601 `YYYY-MM-DD`), when the date is one.
    pub fn age_days(&self, today: &str) -> Option<i64> {
        Some(days_from_iso(today)? - days_from_iso(self.date.as_deref()?)?)
    }
}

/// The formats byline reads lists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListFormat {
    CslCsv,
    CslJson,
    EntitiesJson,
    MetiXlsx,
    MetiCsv,
    NroHtml,
    NroText,
    AspiMispJson,
    AspiTsv,
    OpenSanctionsCsv,
    UserCsv,
}

impl ListFormat {
    pub const ALL: [ListFormat; 11] = [
        ListFormat::CslCsv,
        ListFormat::CslJson,
        ListFormat::EntitiesJson,
        ListFormat::MetiXlsx,
        ListFormat::MetiCsv,
        ListFormat::NroHtml,
        ListFormat::NroText,
        ListFormat::AspiMispJson,
        ListFormat::AspiTsv,
        ListFormat::OpenSanctionsCsv,
        ListFormat::UserCsv,
    ];

    /// The id `--list-format` takes.
    pub fn id(self) -> &'static str {
        match self {
            ListFormat::CslCsv => "us-csl-csv",
            ListFormat::CslJson => "us-csl-json",
            ListFormat::EntitiesJson => "entities-json",
            ListFormat::MetiXlsx => "jp-meti-xlsx",
            ListFormat::MetiCsv => "jp-meti-csv",
            ListFormat::NroHtml => "ca-nro-html",
            ListFormat::NroText => "ca-nro-text",
            ListFormat::AspiMispJson => "aspi-misp-json",
            ListFormat::AspiTsv => "aspi-tsv",
            ListFormat::OpenSanctionsCsv => "opensanctions-csv",
            ListFormat::UserCsv => "user-csv",
        }
    }

    /// What the format is and what byline recognises it by.
    pub fn description(self) -> &'static str {
        match self {
            ListFormat::CslCsv => {
                "US Consolidated Screening List, consolidated.csv (columns source, name, type, alt_names, addresses…)"
            }
            ListFormat::CslJson => {
                "US Consolidated Screening List, the trade.gov API JSON {\"results\": [{name, source…}]}"
            }
            ListFormat::EntitiesJson => {
                "a JSON list {\"entities\": [{name, aliases, country, …}]} (the BIS Entity List or DoD Section 1286 \
                 list as re-published, or your own)"
            }
            ListFormat::MetiXlsx => {
                "Japan METI End User List, the .xlsx as METI publishes it (header Country or Region / Company or \
                 Organization / Also Known As)"
            }
            ListFormat::MetiCsv => "Japan METI End User List, the same sheet saved as CSV (UTF-8 or Shift_JIS)",
            ListFormat::NroHtml => {
                "Canada Named Research Organizations, the science.gc.ca page saved as HTML (one <li><strong>NAME</strong> \
                 (COUNTRY) per organisation)"
            }
            ListFormat::NroText => {
                "Canada Named Research Organizations as plain text: a country line, then one organisation a line \
                 (only with --list-format ca-nro-text)"
            }
            ListFormat::AspiMispJson => "ASPI China Defence Universities Tracker, MISP galaxy cluster JSON",
            ListFormat::AspiTsv => "ASPI China Defence Universities Tracker, TSV (uuid, name_en, name_zh, aliases…)",
            ListFormat::OpenSanctionsCsv => {
                "an OpenSanctions targets.simple.csv export (id, schema, name, aliases, …, dataset)"
            }
            ListFormat::UserCsv => {
                "your own CSV with a header of only these columns: name (required), aliases (;-separated), country, \
                 risk_note, source_url"
            }
        }
    }

    pub fn from_id(id: &str) -> Option<ListFormat> {
        ListFormat::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// Reads a list file: recognises its format (or takes `format`), loads it, and refuses a list with no entry.
/// `date` overrides the file's own date.
pub fn load_list_file(
    path: &Path,
    format: Option<ListFormat>,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let display = path.display().to_string();
    let bytes = read_bytes(path)?;
    let format = match format {
        Some(f) => f,
        None => detect_format(&bytes, &display)?,
    };
    let list = load_bytes(&bytes, format, path, date)?;
    if list.entries.is_empty() {
        let why: Vec<String> = list.skipped.iter().take(3).map(|s| format!("{}: {}", s.position, s.reason)).collect();
        return Err(EntitiesError::Format {
            path: display,
            reason: format!(
                "read as {} ({}) but it holds no entry ({} data rows, {} skipped{}); a list read as empty would \
                 clear everyone, so byline stops",
                format.id(),
                format.description(),
                list.rows_read(),
                list.skipped.len(),
                if why.is_empty() { String::new() } else { format!(": {}", why.join("; ")) }
            ),
        });
    }
    Ok(list)
}

/// Loads `bytes` in a known format.
fn load_bytes(
    bytes: &[u8],
    format: ListFormat,
    path: &Path,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let display = path.display().to_string();
    if format == ListFormat::MetiXlsx {
        return load_meti_end_user_xlsx(bytes, path, date);
    }
    let text = decode_text(bytes, &display)?;
    match format {
        ListFormat::CslCsv => load_csl_csv(text.as_bytes(), &display, date),
        ListFormat::CslJson => load_csl_json(text.as_bytes(), &display, date),
        ListFormat::EntitiesJson => load_entities_json(text.as_bytes(), path, date),
        ListFormat::MetiCsv => load_meti_end_user_csv(text.as_bytes(), &display, date),
        ListFormat::NroHtml => load_named_research_organizations_html(&text, &display, date),
        ListFormat::NroText => Ok(load_named_research_organizations(&text, &display, date)),
        ListFormat::AspiMispJson => load_aspi_misp_json(text.as_bytes(), &display, date),
        ListFormat::AspiTsv => load_aspi_tsv(&text, &display, date),
        ListFormat::OpenSanctionsCsv => load_opensanctions_csv(text.as_bytes(), &display, date),
        ListFormat::UserCsv => {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "user".into());
            load_user_csv(text.as_bytes(), &display, &stem, date)
        }
        ListFormat::MetiXlsx => unreachable_format(&display),
    }
}

fn unreachable_format(path: &str) -> Result<ScreeningList, EntitiesError> {
    Err(EntitiesError::Format { path: path.to_owned(), reason: "internal: spreadsheet handled above".into() })
}

/// The largest list file byline reads (the full Consolidated Screening List CSV is about 30 MB).
pub const MAX_LIST_BYTES: u64 = 512 << 20;

fn read_bytes(path: &Path) -> Result<Vec<u8>, EntitiesError> {
    let display = path.display().to_string();
    let io = |source| EntitiesError::Io { path: display.clone(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut raw = Vec::new();
    file.take(MAX_LIST_BYTES + 1).read_to_end(&mut raw).map_err(io)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).take(MAX_LIST_BYTES + 1).read_to_end(&mut out).map_err(|e| {
            EntitiesError::Format { path: display.clone(), reason: format!("gzip stream cannot be read: {e}") }
        })?;
        raw = out;
    }
    if raw.len() as u64 > MAX_LIST_BYTES {
        return Err(EntitiesError::Format {
            path: display,
            reason: format!("larger than {} MB: not a screening list", MAX_LIST_BYTES >> 20),
        });
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(EntitiesError::Format { path: display, reason: "the file is empty".into() });
    }
    Ok(raw)
}

/// Text of a list file: UTF-8 (with or without BOM), UTF-16 with BOM, or Shift_JIS (Excel's "CSV" on Japanese
/// Windows) when it decodes without error. Anything else is an error naming the first bad byte.
fn decode_text(bytes: &[u8], path: &str) -> Result<String, EntitiesError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(EntitiesError::Format { path: path.to_owned(), reason: format!("not valid {}", enc.name()) });
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(utf8) => {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
            if had_errors {
                Err(EntitiesError::Format {
                    path: path.to_owned(),
                    reason: format!(
                        "not text in UTF-8 (invalid byte at offset {}) nor Shift_JIS: save the list as UTF-8",
                        utf8.valid_up_to()
                    ),
                })
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

/// Recognises a list file's format from its content, on positive evidence only. An unrecognised file is an
/// error that says what it looked like and which formats byline reads.
pub fn detect_format(bytes: &[u8], path: &str) -> Result<ListFormat, EntitiesError> {
    let refuse = |looks_like: String| EntitiesError::Format { path: path.to_owned(), reason: refusal(&looks_like) };
    if bytes.starts_with(b"PK\x03\x04") {
        return meti::detect_xlsx(bytes).map_err(refuse);
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Err(refuse("an old binary Excel (.xls) or other OLE document; save it as .xlsx or CSV".into()));
    }
    let text = decode_text(bytes, path)?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') || text.starts_with('[') {
        return detect_json(text).map_err(refuse);
    }
    if text.starts_with('<') {
        let lower = text.get(..text.len().min(4096)).unwrap_or(text).to_ascii_lowercase();
        if lower.contains("<html") || lower.starts_with("<!doctype html") {
            return if nro::is_nro_page(text) {
                Ok(ListFormat::NroHtml)
            } else {
                let title = html_title(text).unwrap_or_else(|| "no title".into());
                Err(refuse(format!("an HTML page (\"{title}\") that is not the Named Research Organizations page")))
            };
        }
        let root = text.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or("<").to_owned();
        return Err(refuse(format!("XML or markup starting {root}>; byline reads no screening list in XML")));
    }
    detect_table(text).map_err(refuse)
}

fn refusal(looks_like: &str) -> String {
    let formats: Vec<String> =
        ListFormat::ALL.iter().map(|f| format!("  {:<18} {}", f.id(), f.description())).collect();
    format!(
        "not a screening list byline recognises: it looks like {looks_like}.\nbyline reads these list formats:\n{}\n\
         If the file is one of them, force it with --list-format FORMAT (a plain one-name-a-line text file needs \
         --list-format ca-nro-text); where each list is published: datasets/README.md",
        formats.join("\n")
    )
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    Some(text[open_end..close].split_whitespace().collect::<Vec<_>>().join(" ").chars().take(80).collect())
}

fn detect_json(text: &str) -> Result<ListFormat, String> {
    // No list byline reads is a bare array (a ROR dump, a JSON export of records): say so without parsing it.
    if text.starts_with('[') {
        let head: String = text.chars().take(60).filter(|c| !c.is_control()).collect();
        return Err(format!("a bare JSON array (`{head}…`); lists are objects with \"results\" or \"entities\""));
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let first_line = text.lines().next().unwrap_or("");
            return Err(if serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
                "JSON lines, one record a line (a corpus file such as an OpenAlex or Crossref export, not a list)"
                    .to_owned()
            } else {
                format!("JSON that does not parse ({e})")
            });
        }
    };
    let keys_of = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().map(|o| o.keys().take(12).cloned().collect()).unwrap_or_default()
    };
    let Some(obj) = value.as_object() else {
        return Err("a JSON value that is not an object".into());
    };
    let objects = |key: &str| obj.get(key).and_then(|v| v.as_array()).filter(|a| a.iter().all(|x| x.is_object()));
    if let Some(results) = objects("results") {
        let csl_keys = ["source", "alt_names", "entity_number", "programs", "type"];
        if results.iter().take(50).any(|r| r.get("name").is_some() && csl_keys.iter().any(|k| r.get(k).is_some())) {
            return Ok(ListFormat::CslJson);
        }
        return Err(format!(
            "a JSON object with \"results\" whose entries are not Consolidated Screening List rows (keys: {})",
            results.first().map(keys_of).unwrap_or_default().join(", ")
        ));
    }
    if let Some(entities) = objects("entities") {
        if entities.iter().take(50).any(|e| e.get("name").is_some_and(|n| n.is_string())) {
            return Ok(ListFormat::EntitiesJson);
        }
        return Err("a JSON object with \"entities\" that carry no \"name\"".into());
    }
    if let Some(values) = objects("values")
        && values.iter().take(5).any(|v| v.get("value").is_some())
    {
        if obj.get("type").and_then(|t| t.as_str()) == Some("china-defence-universities") {
            return Ok(ListFormat::AspiMispJson);
        }
        return Err(format!(
            "a MISP galaxy cluster of type \"{}\"; the cluster byline reads is ASPI's china-defence-universities",
            obj.get("type").and_then(|t| t.as_str()).unwrap_or("unknown")
        ));
    }
    if objects("lists").is_some() {
        return Err("an index of lists (\"lists\": […]) with no entities of its own".into());
    }
    Err(format!("a JSON object with keys {}", keys_of(&value).join(", ")))
}

/// The columns of a CSV or TSV header (the first record, quoted cells may span lines).
fn header_cells(text: &str, delimiter: u8) -> Vec<String> {
    let mut rdr =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match rdr.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn detect_table(text: &str) -> Result<ListFormat, String> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() { b'\t' } else { b',' };
    let header = header_cells(text, delimiter);
    let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let has = |name: &str| lower.iter().any(|h| h == name);
    let has_all = |names: &[&str]| names.iter().all(|n| has(n));
    if delimiter == b'\t' && has_all(&["uuid", "name_en", "name_zh", "aliases"]) {
        return Ok(ListFormat::AspiTsv);
    }
    if has_all(&["source", "name", "type", "alt_names", "addresses"]) {
        return Ok(ListFormat::CslCsv);
    }
    if has_all(&["id", "schema", "name", "aliases", "dataset"]) {
        return Ok(ListFormat::OpenSanctionsCsv);
    }
    if meti::is_meti_header(&header) {
        return Ok(ListFormat::MetiCsv);
    }
    if has("name") && lower.iter().all(|h| trackers::USER_COLUMNS.contains(&h.as_str())) {
        return Ok(ListFormat::UserCsv);
    }
    let shown: Vec<String> = header.iter().take(8).map(|h| h.replace('\n', " ")).collect();
    let what = if delimiter == b'\t' { "a tab-separated table" } else { "text or a comma-separated table" };
    Err(if header.len() <= 1 {
        format!("{what} whose first line is \"{}\"", first_line.chars().take(80).collect::<String>())
    } else {
        format!(
            "{what} with columns {}{}",
            shown.join(", "),
            if header.len() > 8 { format!(", … ({} columns)", header.len()) } else { String::new() }
        )
    })
}

// Shared helpers for the loaders.

pub(crate) fn split_list(s: &str, seps: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split(seps).map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_owned());
        }
    }
    out
}

/// The country of a free-text address: its last part ("…, Moscow Oblast, 141074, Russia." → `RU`), postal
/// codes and full-width commas allowed.
pub(crate) fn country_of_address(address: &str) -> Option<String> {
    let mut cleaned = address.replace("All addresses located in ", "").replace("All address located in ", "");
    // "… Cyprus. (See alternate addresses under Russia)": the pointer names another country's entry.
    if let Some(at) = cleaned.find("(See alternate").or_else(|| cleaned.find("(see alternate")) {
        cleaned.truncate(at);
    }
    let cleaned = cleaned.trim().trim_end_matches('.');
    country::country_in_text(cleaned)
        .map(|(c, _)| c)
        .or_else(|| cleaned.rsplit([',', '，']).next().and_then(|p| country::country_code(p.trim())))
        .map(str::to_owned)
}

/// Days since 1970-01-01 of an ISO-8601 date's first ten characters.
fn days_from_iso(s: &str) -> Option<i64> {
    let d = s.get(..10)?;
    let mut parts = d.split('-');
    let (y, m, day) =
        (parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<i64>().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    Some(byline_model::dates::days_from_civil(y, m, day))
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today_iso() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    iso_date_of_unix(secs)
}

/// The UTC date (`YYYY-MM-DD`) of a Unix time in seconds.
pub fn iso_date_of_unix(secs: i64) -> String {
    civil_from_days(secs.div_euclid(86_400))
}

fn civil_from_days(days: i64) -> String {
    let (y, m, d) = byline_model::dates::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date written in a file name: `2025-09-29` or METI's `20250929_4.xlsx`.
pub(crate) fn date_in_file_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let b = name.as_bytes();
    for i in 0..b.len() {
        // YYYY-MM-DD
        if i + 10 <= b.len() {
            let s = &name[i..i + 10];
            if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' && days_from_iso(s).is_some() {
                return Some(s.to_owned());
            }
        }
        // YYYYMMDD not inside a longer number
        if i + 8 <= b.len()
            && b[i..i + 8].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 8).is_none_or(|c| !c.is_ascii_digit())
        {
            let s = format!("{}-{}-{}", &name[i..i + 4], &name[i + 4..i + 6], &name[i + 6..i + 8]);
            if name[i..i + 2].starts_with("20") && days_from_iso(&s).is_some() {
                return Some(s);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for d in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-12-04"] {
            let days = days_from_iso(d).expect("valid");
            assert_eq!(civil_from_days(days), d);
        }
        assert_eq!(days_from_iso("2025-01-01").zip(days_from_iso("2024-01-01")).map(|(a, b)| a - b), Some(366));
        assert_eq!(days_from_iso("MISP cluster version 1"), None);
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(date_in_file_name(Path::new("20250929_4.xlsx")).as_deref(), Some("2025-09-29"));
        assert_eq!(date_in_file_name(Path::new("ca_nro_2024-09-09.html")).as_deref(), Some("2024-09-09"));
        assert_eq!(date_in_file_name(Path::new("list-123456789.csv")), None);
        assert_eq!(date_in_file_name(Path::new("consolidated.csv")), None);
    }

    #[test]
    fn unknown_tables_are_refused_with_their_columns() {
        let err = detect_format(b"Authors,Title,Year,Source title\nA,B,2020,C\n", "x.csv").expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("columns Authors, Title, Year, Source title"), "{msg}");
        assert!(msg.contains("--list-format"), "{msg}");
        let err = detect_format(b"Harbin Institute of Technology\nBeihang University\n", "x.txt").expect_err("text");
        assert!(err.to_string().contains("ca-nro-text"), "{err}");
        // A user CSV with a column byline does not know is not a user list (a bibliography has `name` too).
        assert!(detect_format(b"name,url,issn\nJ,u,1\n", "j.csv").is_err());
        assert_eq!(detect_format(b"name,aliases,country\nX,Y,CN\n", "u.csv").ok(), Some(ListFormat::UserCsv));
        assert!(detect_format(b"[{\"name\": \"x\"}]", "a.json").is_err());
        assert!(detect_format(b"{\"results\": [{\"title\": \"x\"}]}", "r.json").is_err());
        assert_eq!(
            detect_format(b"{\"entities\": [{\"name\": \"x\"}]}", "e.json").ok(),
            Some(ListFormat::EntitiesJson)
        );
    }

    #[test]
    fn shift_jis_text_is_decoded() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("企業名,国名\n");
        assert_eq!(decode_text(&bytes, "x").expect("decodes"), "企業名,国名\n");
        assert!(decode_text(&[0x41, 0xff, 0xff, 0xff], "x").is_err());
    }
}
