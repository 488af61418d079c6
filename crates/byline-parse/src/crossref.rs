//! Crossref reader: REST API responses (`message-type` `work` and `work-list`), public-data-file chunks
//! (`{"items": [...]}`) and JSON Lines with one work per line (the 2025 public data file, harvests).
//!
//! The JSON plumbing shared with the OpenAlex reader (line-or-document streaming, envelope unwrapping,
//! type-tolerant field wrappers) lives in [`json`] below.

use std::collections::BTreeMap;

use byline_model::{
    Affiliation, Author, Diagnostic, DiagnosticKind, Format, Funding, Position, PubDate, Reference, Relation, Work,
    normalize_doi, normalize_issn, normalize_orcid, normalize_ror,
};
use serde::Deserialize;

use crate::Event;
use crate::input::Input;
use crate::json::{self, Num, Obj, Objects, Strings, Text};
use crate::text;

/// Streams Crossref works from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    json::read_records::<CrossrefWork>(input, path, &mut |found| match found {
        json::Found::Record(Ok(raw), position) => convert(raw, path, position, sink),
        json::Found::Record(Err(reason), position) => {
            sink(Event::Rejected(Diagnostic::new(DiagnosticKind::RecordRejected, path, position, reason)))
        }
        json::Found::Warning(reason, position) => {
            sink(Event::Warning(Diagnostic::new(DiagnosticKind::Warning, path, position, reason)))
        }
    })
}

/// Turns one deserialized Crossref work into a [`Work`], reporting warnings for what was dropped.
fn convert(raw: CrossrefWork, path: &str, position: Position, sink: &mut dyn FnMut(Event)) {
    let warn = |sink: &mut dyn FnMut(Event), reason: String| {
        sink(Event::Warning(Diagnostic::new(DiagnosticKind::Warning, path, position.clone(), reason)));
    };
    // Every Crossref work has a DOI; an object without one is another Crossref entity (member, funder,
    // journal) or an error message, not a work.
    let Some(raw_doi) = raw.doi.get() else {
        sink(Event::Rejected(Diagnostic::new(
            DiagnosticKind::RecordRejected,
            path,
            position,
            "not a Crossref work: no DOI",
        )));
        return;
    };
    let mut work = Work::new(Format::Crossref, path, position.record_index.unwrap_or(0));
    work.source.line = position.line;
    work.source.byte_offset = position.byte_offset;
    work.ids.doi = normalize_doi(raw_doi);
    if work.ids.doi.is_none() {
        warn(sink, format!("DOI {raw_doi:?} is not a valid DOI; dropped"));
    }
    for isbn in &raw.isbn.0 {
        let isbn = isbn.trim();
        if !isbn.is_empty() && !work.ids.other.iter().any(|(_, v)| v == isbn) {
            work.ids.other.push(("isbn".to_owned(), isbn.to_owned()));
        }
    }

    work.title = raw.title.0.first().and_then(|t| markup_to_text(t));
    work.abstract_text = raw.abstract_text.get().and_then(|a| text::non_empty(&text::strip_tags(a)));
    work.date = [&raw.issued, &raw.published_print, &raw.published_online, &raw.published, &raw.created]
        .into_iter()
        .find_map(|d| d.0.as_ref().and_then(DateParts::to_date));

    work.venue.title = raw.container_title.0.first().and_then(|t| markup_to_text(t));
    work.venue.abbreviation = raw.short_container_title.0.first().and_then(|t| text::non_empty(t));
    for issn in &raw.issn.0 {
        match normalize_issn(issn) {
            Some(n) if !work.venue.issns.contains(&n) => work.venue.issns.push(n),
            Some(_) => {}
            None => warn(sink, format!("ISSN {issn:?} is malformed; dropped")),
        }
    }
    work.venue.publisher = raw.publisher.non_empty();
    work.venue.volume = raw.volume.non_empty();
    work.venue.issue = raw.issue.non_empty();
    work.venue.pages = raw.page.non_empty();
    work.language = raw.language.non_empty();
    work.publication_types.extend(raw.work_type.non_empty());
    for subject in &raw.subject.0 {
        if let Some(s) = text::non_empty(subject).filter(|s| !work.keywords.contains(s)) {
            work.keywords.push(s);
        }
    }

    work.relations = relations(&raw);
    work.references = raw
        .reference
        .0
        .iter()
        .map(|r| Reference {
            doi: r.doi.get().and_then(normalize_doi),
            pmid: None,
            openalex: None,
            raw: r.unstructured.non_empty(),
        })
        .collect();
    work.funding = raw.funder.0.iter().flat_map(CrossrefFunder::to_funding).collect();

    for (index, a) in raw.author.0.iter().enumerate() {
        let author = a.to_author();
        if let Some(orcid) = a.orcid.get().filter(|_| author.orcid.is_none()) {
            warn(sink, format!("author {}: ORCID {orcid:?} fails its checksum or is malformed; dropped", index + 1));
        }
        if author.raw_name.is_empty() && author.collective.is_none() {
            warn(sink, format!("author {}: no name given", index + 1));
        }
        work.authors.push(author);
    }
    sink(Event::Work(Box::new(work)));
}

/// Relations from `update-to` (this work updates another: `update_to:<type>`), `updated-by` (another work
/// updates this one: `retracted_by` for a retraction, else `updated_by:<type>`) and the `relation` object.
fn relations(raw: &CrossrefWork) -> Vec<Relation> {
    let mut out = Vec::new();
    for u in &raw.update_to.0 {
        let kind = u.update_type.get().map(snake_case).unwrap_or_else(|| "unknown".to_owned());
        out.push(Relation { kind: format!("update_to:{kind}"), doi: u.doi.get().and_then(normalize_doi), pmid: None });
    }
    for u in &raw.updated_by.0 {
        let kind = u.update_type.get().map(snake_case).unwrap_or_else(|| "unknown".to_owned());
        let kind = if kind == "retraction" { "retracted_by".to_owned() } else { format!("updated_by:{kind}") };
        out.push(Relation { kind, doi: u.doi.get().and_then(normalize_doi), pmid: None });
    }
    if let Some(map) = &raw.relation.0 {
        // A BTreeMap: relation kinds come out sorted, whatever order the source wrote them in.
        for (key, targets) in map {
            let kind = snake_case(key.strip_prefix("is-").unwrap_or(key));
            for target in &targets.0 {
                let id = target.id.get().unwrap_or_default();
                let id_type = target.id_type.get().unwrap_or_default().to_ascii_lowercase();
                let doi = if id_type == "doi" { normalize_doi(id) } else { None };
                let pmid = if id_type == "pmid" && !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
                    Some(id.to_owned())
                } else {
                    None
                };
                out.push(Relation { kind: kind.clone(), doi, pmid });
            }
        }
    }
    out
}

/// `is-retracted-by`, `New Version` → `is_retracted_by`, `new_version`.
fn snake_case(s: &str) -> String {
    s.trim().chars().map(|c| if c == '-' || c.is_whitespace() { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// Crossref titles carry inline HTML/MathML (`<i>`, `<sub>`, `<mml:math>`) as text. Tags are removed only
/// when the string really holds one, so that a title such as "p < 0.05" is kept as written.
fn markup_to_text(s: &str) -> Option<String> {
    let has_tag = s.as_bytes().windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'));
    if has_tag { text::non_empty(&text::strip_tags(s)) } else { text::non_empty(s) }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrossrefWork {
    #[serde(rename = "DOI")]
    doi: Text,
    #[serde(rename = "ISBN")]
    isbn: Strings,
    title: Strings,
    #[serde(rename = "abstract")]
    abstract_text: Text,
    issued: Obj<DateParts>,
    #[serde(rename = "published-print")]
    published_print: Obj<DateParts>,
    #[serde(rename = "published-online")]
    published_online: Obj<DateParts>,
    published: Obj<DateParts>,
    created: Obj<DateParts>,
    #[serde(rename = "container-title")]
    container_title: Strings,
    #[serde(rename = "short-container-title")]
    short_container_title: Strings,
    #[serde(rename = "ISSN")]
    issn: Strings,
    publisher: Text,
    volume: Text,
    issue: Text,
    page: Text,
    language: Text,
    #[serde(rename = "type")]
    work_type: Text,
    subject: Strings,
    #[serde(rename = "update-to")]
    update_to: Objects<Update>,
    #[serde(rename = "updated-by")]
    updated_by: Objects<Update>,
    relation: Obj<BTreeMap<String, Objects<RelationTarget>>>,
    reference: Objects<CrossrefReference>,
    funder: Objects<CrossrefFunder>,
    author: Objects<CrossrefAuthor>,
}

/// `{"date-parts": [[2019, 5, 7]]}`; Crossref writes `[[null]]` when it has no date.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DateParts {
    #[serde(rename = "date-parts")]
    date_parts: json::List<json::List<Num>>,
}

impl DateParts {
    fn to_date(&self) -> Option<PubDate> {
        let parts = &self.date_parts.0.first()?.0;
        let year = parts.first()?.0?;
        let year = i32::try_from(year).ok().filter(|y| (1..=9999).contains(y))?;
        let small = |i: usize| parts.get(i).and_then(|n| n.0).and_then(|n| u8::try_from(n).ok());
        Some(PubDate::new(year, small(1), small(2)))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Update {
    #[serde(rename = "DOI")]
    doi: Text,
    #[serde(rename = "type")]
    update_type: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RelationTarget {
    id: Text,
    #[serde(rename = "id-type")]
    id_type: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrossrefReference {
    #[serde(rename = "DOI")]
    doi: Text,
    unstructured: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrossrefFunder {
    name: Text,
    #[serde(rename = "DOI")]
    doi: Text,
    id: Objects<TypedId>,
    award: Strings,
    #[serde(rename = "award-info")]
    award_info: Objects<AwardInfo>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AwardInfo {
    #[serde(rename = "award-number")]
    award_number: Strings,
}

/// `{"id": "...", "id-type": "ROR"}` as used by funders and affiliations.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TypedId {
    id: Text,
    #[serde(rename = "id-type")]
    id_type: Text,
}

impl TypedId {
    fn is(&self, id_type: &str) -> bool {
        self.id_type.get().is_some_and(|t| t.eq_ignore_ascii_case(id_type))
    }
}

impl CrossrefFunder {
    /// One funding record per award (from `award`, else the 2025 `award-info`), or one without a grant id.
    fn to_funding(&self) -> Vec<Funding> {
        let funder_id = self
            .doi
            .get()
            .and_then(normalize_doi)
            .or_else(|| self.id.0.iter().find(|i| i.is("DOI")).and_then(|i| i.id.get()).and_then(normalize_doi))
            .or_else(|| self.id.0.iter().find(|i| i.is("ROR")).and_then(|i| i.id.get()).and_then(normalize_ror));
        let mut awards: Vec<String> = Vec::new();
        let from_info = self.award_info.0.iter().flat_map(|i| i.award_number.0.iter());
        let source: Vec<&String> =
            if self.award.0.is_empty() { from_info.collect() } else { self.award.0.iter().collect() };
        for a in source {
            if let Some(a) = text::non_empty(a).filter(|a| !awards.contains(a)) {
                awards.push(a);
            }
        }
        let base = Funding { agency: self.name.non_empty(), grant_id: None, country: None, funder_id };
        if awards.is_empty() {
            return vec![base];
        }
        awards.into_iter().map(|a| Funding { grant_id: Some(a), ..base.clone() }).collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrossrefAuthor {
    given: Text,
    family: Text,
    name: Text,
    suffix: Text,
    #[serde(rename = "ORCID")]
    orcid: Text,
    affiliation: Objects<CrossrefAffiliation>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrossrefAffiliation {
    name: Text,
    id: Objects<TypedId>,
}

impl CrossrefAuthor {
    fn to_author(&self) -> Author {
        let given = self.given.non_empty();
        let family = self.family.non_empty();
        let name = self.name.non_empty();
        let person_name = match (&given, &family) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        };
        // Crossref puts organisations ("CALGB Investigators") in `name`, people in `given`/`family`.
        let collective = if person_name.is_none() { name.clone() } else { None };
        let affiliations = self
            .affiliation
            .0
            .iter()
            .filter_map(|a| {
                let ror_id = a.id.0.iter().find(|i| i.is("ROR")).and_then(|i| i.id.get());
                let raw = a.name.non_empty().or_else(|| ror_id.map(str::to_owned))?;
                Some(Affiliation { raw, ror: ror_id.and_then(normalize_ror), ..Affiliation::default() })
            })
            .collect();
        Author {
            raw_name: person_name.or(name).unwrap_or_default(),
            initials: given.as_deref().and_then(text::initials_of),
            given,
            family,
            suffix: self.suffix.non_empty(),
            collective,
            orcid: self.orcid.get().and_then(normalize_orcid),
            // `sequence: "first"` is byline order, not the corresponding author: Crossref does not say.
            corresponding: None,
            email: None,
            affiliations,
            other_names: Vec::new(),
        }
    }
}
