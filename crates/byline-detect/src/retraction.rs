//! Retraction links (`RET001`–`RET004`) from the works' own flags (PubMed "Retracted Publication", Crossref
//! `update-to` retractions, OpenAlex `is_retracted`, all via [`Work::is_retracted`]) and from the Retraction
//! Watch database CSV as Crossref distributes it (`Record ID,Title,Subject,Institution,Journal,Publisher,
//! Country,Author,URLS,ArticleType,RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,
//! OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use byline_model::{Evidence, Finding, Severity, Subject, Work, normalize_doi};
use serde::{Deserialize, Serialize};

use crate::registry::{DetectContext, Detector};
use crate::{Error, Result};

/// One Retraction Watch record (the columns the detectors use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetractionRecord {
    pub record_id: String,
    pub title: String,
    pub journal: String,
    /// Author names as listed (`;`-separated in the CSV).
    pub authors: Vec<String>,
    pub original_doi: Option<String>,
    pub original_pmid: Option<String>,
    pub original_year: Option<i32>,
    pub retraction_year: Option<i32>,
    /// `Retraction`, `Correction`, `Expression of concern`, `Reinstatement`.
    pub nature: String,
    /// Reasons without their `+` prefix and `;` separator (`Paper Mill`, `Fake Peer Review`…).
    pub reasons: Vec<String>,
}

impl RetractionRecord {
    pub fn is_retraction(&self) -> bool {
        self.nature.eq_ignore_ascii_case("Retraction")
    }
    /// A retraction whose reasons include "Paper Mill".
    pub fn is_paper_mill(&self) -> bool {
        self.is_retraction() && self.reasons.iter().any(|r| r.eq_ignore_ascii_case("Paper Mill"))
    }
}

/// The Retraction Watch database indexed by original DOI, PMID and author name.
#[derive(Debug, Clone, Default)]
pub struct RetractionDb {
    records: Vec<RetractionRecord>,
    by_doi: HashMap<String, usize>,
    by_pmid: HashMap<String, usize>,
    /// Normalized author name → paper-mill retraction records.
    papermill_by_author: HashMap<String, Vec<usize>>,
}

impl RetractionDb {
    /// Reads the CSV (header row required; extra columns ignored).
    pub fn from_csv_path(path: &Path) -> Result<RetractionDb> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        RetractionDb::from_csv_reader(file).map_err(|r| Error::format(path.display(), r))
    }

    pub fn from_csv_reader<R: std::io::Read>(reader: R) -> Result<RetractionDb, String> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
        let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
        let need = |name: &str| col(name).ok_or_else(|| format!("missing column `{name}`"));
        let (c_id, c_title, c_journal, c_author) =
            (need("Record ID")?, need("Title")?, need("Journal")?, need("Author")?);
        let (c_odoi, c_opmid, c_odate, c_rdate) = (
            need("OriginalPaperDOI")?,
            need("OriginalPaperPubMedID")?,
            need("OriginalPaperDate")?,
            need("RetractionDate")?,
        );
        let (c_nature, c_reason) = (need("RetractionNature")?, need("Reason")?);
        let mut records = Vec::new();
        for rec in rdr.records() {
            let Ok(rec) = rec else { continue };
            let get = |i: usize| rec.get(i).unwrap_or("").trim().to_owned();
            let pmid = get(c_opmid);
            records.push(RetractionRecord {
                record_id: get(c_id),
                title: get(c_title),
                journal: get(c_journal),
                authors: get(c_author).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                original_doi: normalize_doi(&get(c_odoi)),
                original_pmid: (!pmid.is_empty() && pmid != "0" && pmid.chars().all(|c| c.is_ascii_digit()))
                    .then_some(pmid),
                original_year: year_of(&get(c_odate)),
                retraction_year: year_of(&get(c_rdate)),
                nature: get(c_nature),
                reasons: get(c_reason)
                    .split(';')
                    .map(|r| r.trim().trim_start_matches('+').trim())
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
            });
        }
        Ok(RetractionDb::from_records(records))
    }

    pub fn from_records(records: Vec<RetractionRecord>) -> RetractionDb {
        let mut db = RetractionDb { records, ..RetractionDb::default() };
        for (i, r) in db.records.iter().enumerate() {
            if !r.is_retraction() {
                continue;
            }
            if let Some(d) = &r.original_doi {
                db.by_doi.entry(d.clone()).or_insert(i);
            }
            if let Some(p) = &r.original_pmid {
                db.by_pmid.entry(p.clone()).or_insert(i);
            }
            if r.is_paper_mill() {
                for a in &r.authors {
                    db.papermill_by_author.entry(normalize_name(a)).or_default().push(i);
                }
            }
        }
        db
    }

    pub fn records(&self) -> &[RetractionRecord] {
        &self.records
    }

    /// The retraction record of a work by DOI or PMID.
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
pub struct RetractionLinks;

impl Detector for RetractionLinks {
    fn code(&self) -> &'static str {
        "RET001"
    }
    fn extra_codes(&self) -> &'static [&'static str] {
        &["RET002", "RET003", "RET004"]
    }
    fn name(&self) -> &'static str {
        "retraction-links"
    }
    fn run(&self, works: &[Work], ctx: &DetectContext) -> Vec<Finding> {
        retraction_findings(works, ctx.retractions.as_ref())
    }
}

/// All `RET*` findings for `works`, with an optional Retraction Watch database.
pub fn retraction_findings(works: &[Work], db: Option<&RetractionDb>) -> Vec<Finding> {
    // Retracted works inside the corpus count as retracted targets too.
    let mut corpus_retracted: BTreeSet<String> = BTreeSet::new();
    for w in works.iter().filter(|w| w.is_retracted()) {
        corpus_retracted.extend(w.ids.doi.iter().map(|d| format!("doi:{d}")));
        corpus_retracted.extend(w.ids.pmid.iter().map(|p| format!("pmid:{p}")));
    }
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
                reasons.push(format!(
                    "Retraction Watch record {} lists it as retracted{}; reasons: {}.",
                    r.record_id,
                    r.retraction_year.map(|y| format!(" in {y}")).unwrap_or_default(),
                    r.reasons.join(", ")
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
                let label = format!("{key} (Retraction Watch {}: {})", rec.record_id, rec.reasons.join(", "));
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
