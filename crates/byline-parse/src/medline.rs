//! MEDLINE/PubMed text (the `.nbib` / "MEDLINE" display format): records separated by blank lines, each
//! line a tag padded to four characters, `- `, and a value; continuation lines are indented six spaces.
//!
//! Bylines: `FAU` "Family, Given" opens an author and the `AU` that follows is its short form (an `AU`
//! alone opens one); `CN` is a collective author. `AD` and `AUID- ORCID: …` apply to the preceding author.
//! Before 2014 MEDLINE gave a single `AD` ahead of the author list; NLM documents it as the first author's
//! affiliation, so that is where it goes.

use byline_model::{
    Affiliation, Author, Diagnostic, Format, Funding, Relation, Work, normalize_doi, normalize_orcid, normalize_pmcid,
};

use crate::Event;
use crate::exports::{self, LineReader, emit, latin1_warning, reject};
use crate::input::Input;
use crate::names::person_from_name;
use crate::text::non_empty;

/// Streams records from a MEDLINE text file.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut lines = LineReader::new(input);
    let mut index = 0u64;
    let mut current: Option<Record> = None;
    while let Some(line) = lines.next_line(path)? {
        let text = line.text.as_str();
        if text.trim().is_empty() {
            if let Some(rec) = current.take() {
                finish(rec, path, &mut index, sink);
            }
            continue;
        }
        if let Some(rec) = current.as_mut()
            && line.latin1
            && !rec.latin1
        {
            rec.latin1 = true;
            rec.warnings.push(latin1_warning(line.number));
        }
        match split_tag(text) {
            Some(("PMID", value)) => {
                if let Some(rec) = current.take() {
                    finish(rec, path, &mut index, sink);
                }
                let mut rec = Record { start_line: line.number, latin1: line.latin1, ..Record::default() };
                if line.latin1 {
                    rec.warnings.push(latin1_warning(line.number));
                }
                rec.fields.push(("PMID".to_owned(), value.to_owned()));
                current = Some(rec);
            }
            Some((tag, value)) => match current.as_mut() {
                Some(rec) => rec.fields.push((tag.to_owned(), value.to_owned())),
                None => {
                    // A record that does not start with PMID: rejected, skipped to the next blank line.
                    current = Some(Record { start_line: line.number, broken: true, ..Record::default() });
                }
            },
            None if text.starts_with("      ") => {
                if let Some((_, v)) = current.as_mut().and_then(|r| r.fields.last_mut()) {
                    v.push(' ');
                    v.push_str(text.trim());
                }
            }
            None => match current.as_mut() {
                Some(rec) => rec.warnings.push((
                    line.number,
                    format!("malformed line dropped: {:?}", text.chars().take(40).collect::<String>()),
                )),
                None => current = Some(Record { start_line: line.number, broken: true, ..Record::default() }),
            },
        }
    }
    if let Some(rec) = current.take() {
        finish(rec, path, &mut index, sink);
    }
    Ok(())
}

fn finish(rec: Record, path: &str, index: &mut u64, sink: &mut dyn FnMut(Event)) {
    if rec.broken {
        reject(sink, path, *index, rec.start_line, "record does not start with a PMID- line");
    } else {
        let (work, warnings) = build_work(&rec, path, *index);
        let mut all = rec.warnings;
        all.extend(warnings);
        emit(sink, path, *index, work, all);
    }
    *index += 1;
}

/// `TAG - value` with the tag padded to four characters (`PMID- `, `AU  - `, `FAU - `).
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let head = line.get(..4)?;
    if line.get(4..5)? != "-" {
        return None;
    }
    let value = line.get(5..).unwrap_or("");
    let tag = head.trim_end();
    let tag_ok = !tag.is_empty()
        && tag.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && head[tag.len()..].bytes().all(|c| c == b' ');
    if !tag_ok || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((tag, value.trim()))
}

#[derive(Default)]
struct Record {
    start_line: u64,
    fields: Vec<(String, String)>,
    warnings: Vec<(u64, String)>,
    latin1: bool,
    broken: bool,
}

impl Record {
    fn first(&self, tag: &str) -> Option<String> {
        self.fields.iter().find(|(t, _)| t == tag).and_then(|(_, v)| non_empty(v))
    }
    fn all<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |(t, _)| t == tag).map(|(_, v)| v.as_str())
    }
}

fn build_work(rec: &Record, path: &str, index: u64) -> (Work, Vec<(u64, String)>) {
    let line = rec.start_line;
    let mut warnings = Vec::new();
    let mut work = Work::new(Format::Medline, path, index);
    work.source.line = Some(line);
    work.ids.pmid = rec.first("PMID");
    work.ids.pmcid = rec.first("PMC").as_deref().and_then(normalize_pmcid);
    work.title = rec.first("TI").or_else(|| rec.first("BTI"));
    work.abstract_text = rec.first("AB");
    work.date = rec.first("DP").and_then(|d| exports::loose_date(&d, None));
    work.venue.title = rec.first("JT");
    work.venue.abbreviation = rec.first("TA");
    work.venue.publisher = rec.first("PB");
    work.venue.volume = rec.first("VI");
    work.venue.issue = rec.first("IP");
    work.venue.pages = rec.first("PG");
    for issn in rec.all("IS") {
        exports::push_issns(&mut work.venue.issns, issn);
    }
    work.language = rec.first("LA");
    work.publication_types = rec.all("PT").filter_map(non_empty).collect();
    work.keywords = rec.all("OT").filter_map(non_empty).collect();
    work.mesh =
        rec.all("MH").filter_map(|m| non_empty(m.split('/').next().unwrap_or(m).trim_start_matches('*'))).collect();
    for id in rec.all("AID").chain(rec.all("LID")) {
        if let Some(doi) = id.strip_suffix("[doi]") {
            if work.ids.doi.is_none() {
                work.ids.doi = normalize_doi(doi);
            }
        } else if let Some(pii) = id.strip_suffix("[pii]") {
            let pii = pii.trim().to_owned();
            if !work.ids.other.iter().any(|(s, v)| s == "pii" && *v == pii) {
                work.ids.other.push(("pii".to_owned(), pii));
            }
        }
    }
    work.funding = rec.all("GR").map(grant).collect();
    for (tag, kind) in [
        ("RIN", "retracted_by"),
        ("ROF", "retraction_of"),
        ("EIN", "corrected_by"),
        ("EFR", "correction_of"),
        ("ECI", "expression_of_concern_in"),
    ] {
        for text in rec.all(tag) {
            let pmid = text
                .rsplit_once("PMID:")
                .map(|(_, p)| p.trim().to_owned())
                .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            work.relations.push(Relation { kind: kind.to_owned(), doi: None, pmid });
        }
    }
    work.authors = authors(rec, &mut warnings);
    (work, warnings)
}

/// `GR  - R01 GM012345/GM/NIGMS NIH HHS/United States` → grant, agency, country.
fn grant(text: &str) -> Funding {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    match parts.as_slice() {
        [id, _acronym, agency, country] => Funding {
            grant_id: non_empty(id),
            agency: non_empty(agency),
            country: non_empty(country),
            ..Funding::default()
        },
        [id, agency, country] => Funding {
            grant_id: non_empty(id),
            agency: non_empty(agency),
            country: non_empty(country),
            ..Funding::default()
        },
        _ => Funding { agency: non_empty(text), ..Funding::default() },
    }
}

fn authors(rec: &Record, warnings: &mut Vec<(u64, String)>) -> Vec<Author> {
    let mut authors: Vec<Author> = Vec::new();
    // Whether the last author came from FAU and still expects its AU short form.
    let mut awaiting_short = false;
    let mut leading_address: Vec<String> = Vec::new();
    for (tag, value) in &rec.fields {
        match tag.as_str() {
            "FAU" => {
                authors.push(person_from_name(value));
                awaiting_short = true;
            }
            "AU" => {
                if awaiting_short {
                    awaiting_short = false;
                } else {
                    authors.push(person_from_name(value));
                }
            }
            "CN" => {
                authors.push(Author { raw_name: value.clone(), collective: Some(value.clone()), ..Author::default() });
                awaiting_short = false;
            }
            "AD" => match authors.last_mut() {
                Some(a) => a.affiliations.push(Affiliation { raw: value.clone(), ..Affiliation::default() }),
                None => leading_address.push(value.clone()),
            },
            "AUID" => {
                let Some(a) = authors.last_mut() else { continue };
                if let Some(id) = value.strip_prefix("ORCID:") {
                    match normalize_orcid(id) {
                        Some(orcid) => a.orcid = Some(orcid),
                        None => {
                            warnings.push((rec.start_line, format!("AUID {value:?} has an invalid ORCID; dropped")))
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(first) = authors.iter_mut().find(|a| a.collective.is_none()) {
        for raw in leading_address {
            first.affiliations.insert(0, Affiliation { raw, ..Affiliation::default() });
        }
    }
    authors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medline_tags_are_padded_to_four() {
        assert_eq!(split_tag("PMID- 12230038"), Some(("PMID", "12230038")));
        assert_eq!(split_tag("AU  - Mangalam H"), Some(("AU", "Mangalam H")));
        assert_eq!(split_tag("FAU - Mangalam, Harry"), Some(("FAU", "Mangalam, Harry")));
        assert_eq!(split_tag("      continuation"), None);
        assert_eq!(split_tag("A B - x"), None);
    }

    #[test]
    fn grants_split_into_id_agency_country() {
        let g = grant("R01 GM012345/GM/NIGMS NIH HHS/United States");
        assert_eq!(g.grant_id.as_deref(), Some("R01 GM012345"));
        assert_eq!(g.agency.as_deref(), Some("NIGMS NIH HHS"));
        assert_eq!(g.country.as_deref(), Some("United States"));
    }
}
