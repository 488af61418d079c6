//! Scopus CSV export. One row per record; columns found by header name, so exports from different years
//! (with or without `Author full names`, `Funding Texts` vs `Funding Text 1`) read alike.
//!
//! Bylines: `Author full names` "Family, Given (Scopus id)" when present, else the comma form in `Authors
//! with affiliations` ("Phillips, J.C., Affiliation"), else `Authors`. Each `Authors with affiliations`
//! item gives that author's affiliation (raw text; Scopus has no fixed country position, so no country is
//! set). `Correspondence Address` "Name; Address; email: x" marks the corresponding author and their e-mail.
//!
//! Known quirk: Scopus writes extra `Funding Text 2…` cells without header columns. Such rows are realigned
//! (the extra cells read as further funding texts) when the row still ends in an EID; any other row whose
//! field count differs from the header is rejected.

use byline_model::{Affiliation, Author, Diagnostic, DiagnosticKind, Format, Position, Reference, Work, normalize_doi};

use crate::Event;
use crate::exports::{self, emit, latin1_warning, reject};
use crate::input::Input;
use crate::names::{find_author, fold_words, person_from_name};
use crate::text::non_empty;
use crate::wos::decode_fields;

/// Streams rows from a Scopus CSV export.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut index = 0u64;
    let mut realigned = 0u64;
    loop {
        let more = match reader.read_byte_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::FileError,
                    path,
                    Position { record_index: Some(index), ..Position::default() },
                    format!("CSV read failed: {e}"),
                ));
            }
        };
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let (mut fields, latin1) = decode_fields(&record);
        let Some(names) = header.as_ref() else {
            header = Some(fields.iter().map(|f| f.trim_start_matches('\u{feff}').trim().to_owned()).collect());
            continue;
        };
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        let mut extra_funding_texts = Vec::new();
        if fields.len() != names.len() {
            match realign(names, &mut fields) {
                Some(extra) => {
                    extra_funding_texts = extra;
                    realigned += 1;
                }
                None => {
                    reject(
                        sink,
                        path,
                        index,
                        line,
                        format!("row has {} fields, header has {}", fields.len(), names.len()),
                    );
                    index += 1;
                    continue;
                }
            }
        }
        let row = Row { names, fields: &fields };
        let (work, mut warnings) = build_work(&row, &extra_funding_texts, path, index, line);
        if latin1 {
            warnings.insert(0, latin1_warning(line));
        }
        emit(sink, path, index, work, warnings);
        index += 1;
    }
    if realigned > 0 {
        sink(Event::Warning(Diagnostic::new(
            DiagnosticKind::Warning,
            path,
            Position::default(),
            format!(
                "{realigned} row(s) had more cells than the header; the extra cells after 'Funding Text 1' were \
                 read as further funding texts (Scopus omits their header columns)"
            ),
        )));
    }
    Ok(())
}

/// Removes the header-less `Funding Text 2…` cells that follow `Funding Text 1`, returning them, when the
/// row then has the header's length and still ends in an EID.
fn realign(names: &[String], fields: &mut Vec<String>) -> Option<Vec<String>> {
    let extra = fields.len().checked_sub(names.len()).filter(|&n| n > 0)?;
    let at = names.iter().position(|n| n == "Funding Text 1")?;
    let ends_in_eid =
        names.last().is_some_and(|n| n == "EID") && fields.last().is_some_and(|f| f.starts_with("2-s2.0-"));
    if !ends_in_eid {
        return None;
    }
    Some(fields.drain(at + 1..at + 1 + extra).collect())
}

/// One row with its header.
struct Row<'a> {
    names: &'a [String],
    fields: &'a [String],
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<String> {
        let i = self.names.iter().position(|n| n == name)?;
        self.fields.get(i).and_then(|v| non_empty(v)).filter(|v| !is_placeholder(v))
    }

    fn list(&self, name: &str) -> Vec<String> {
        self.get(name).map(|v| v.split(';').filter_map(non_empty).collect()).unwrap_or_default()
    }
}

/// Scopus's words for "nothing here".
fn is_placeholder(v: &str) -> bool {
    matches!(v, "NA" | "[No abstract available]" | "[No author name available]" | "[No title available]")
}

fn build_work(
    row: &Row<'_>,
    extra_funding_texts: &[String],
    path: &str,
    index: u64,
    line: u64,
) -> (Work, Vec<(u64, String)>) {
    let mut warnings = Vec::new();
    let mut work = Work::new(Format::ScopusCsv, path, index);
    work.source.line = Some(line);
    work.title = row.get("Title");
    work.abstract_text = row.get("Abstract");
    work.date =
        row.get("Year").as_deref().and_then(exports::year_of).map(|y| byline_model::PubDate::new(y, None, None));
    work.venue.title = row.get("Source title");
    work.venue.abbreviation = row.get("Abbreviated Source Title");
    work.venue.publisher = row.get("Publisher");
    work.venue.volume = row.get("Volume");
    work.venue.issue = row.get("Issue");
    work.venue.pages = exports::pages(row.get("Page start"), row.get("Page end")).or_else(|| row.get("Art. No."));
    if let Some(issn) = row.get("ISSN") {
        exports::push_issns(&mut work.venue.issns, &issn);
    }
    work.language = row.get("Language of Original Document");
    work.publication_types = row.get("Document Type").into_iter().collect();
    work.keywords = row.list("Author Keywords");
    work.keywords.extend(row.list("Index Keywords"));
    if let Some(d) = row.get("DOI") {
        work.ids.doi = normalize_doi(&d);
        if work.ids.doi.is_none() {
            warnings.push((line, format!("DOI column is not a DOI: {d:?}")));
        }
    }
    work.ids.pmid = row.get("PubMed ID").filter(|p| p.chars().all(|c| c.is_ascii_digit()));
    if let Some(eid) = row.get("EID") {
        work.ids.other.push(("scopus_eid".to_owned(), eid));
    }
    if let Some(refs) = row.get("References") {
        work.references = exports::scopus_references(&refs)
            .into_iter()
            .map(|r| Reference { doi: exports::doi_in_citation(&r), raw: Some(r), ..Reference::default() })
            .collect();
    }
    if let Some(details) = row.get("Funding Details") {
        work.funding = exports::scopus_funding(&details);
    }
    let texts: Vec<String> = ["Funding Texts", "Funding Text 1"]
        .iter()
        .filter_map(|n| row.get(n))
        .chain(extra_funding_texts.iter().filter_map(|t| non_empty(t)))
        .collect();
    work.funding_statement = non_empty(&texts.join(" "));
    work.authors = authors(row, line, &mut warnings);
    (work, warnings)
}

fn authors(row: &Row<'_>, line: u64, warnings: &mut Vec<(u64, String)>) -> Vec<Author> {
    let short: Vec<String> = match row.get("Authors") {
        // Newer exports separate authors with ';', older ones with ','.
        Some(a) if a.contains(';') => a.split(';').filter_map(non_empty).collect(),
        Some(a) => a.split(", ").filter_map(non_empty).collect(),
        None => Vec::new(),
    };
    let with_affiliations = row
        .get("Authors with affiliations")
        .map(|a| a.split("; ").filter_map(non_empty).collect::<Vec<_>>())
        .unwrap_or_default();
    let parsed: Vec<(String, Option<String>)> =
        with_affiliations.iter().enumerate().map(|(i, item)| split_author_affiliation(item, short.get(i))).collect();

    let mut authors: Vec<Author> = match row.get("Author full names") {
        Some(full) => full.split(';').filter_map(non_empty).map(|n| person_from_name(strip_scopus_id(&n))).collect(),
        None if parsed.len() == short.len() && !short.is_empty() => parsed
            .iter()
            .zip(&short)
            .map(|((name, _), s)| if name.contains(',') { person_from_name(name) } else { person_from_name(s) })
            .collect(),
        None => short.iter().map(|s| person_from_name(s)).collect(),
    };

    if parsed.len() == authors.len() {
        for (author, (_, affiliation)) in authors.iter_mut().zip(&parsed) {
            if let Some(raw) = affiliation {
                author.affiliations.push(Affiliation { raw: raw.clone(), ..Affiliation::default() });
            }
        }
    } else if !parsed.is_empty() {
        // Not one item per author: attach by name, never by position.
        for (name, affiliation) in &parsed {
            match (find_author(&authors, name), affiliation) {
                (Some(i), Some(raw)) if !authors[i].affiliations.iter().any(|a| &a.raw == raw) => {
                    authors[i].affiliations.push(Affiliation { raw: raw.clone(), ..Affiliation::default() });
                }
                (None, Some(_)) => warnings.push((line, format!("affiliation of {name:?} not matched to the byline"))),
                _ => {}
            }
        }
    }

    if let Some((name, _address, email)) =
        row.get("Correspondence Address").as_deref().and_then(exports::scopus_correspondence)
    {
        match find_author(&authors, &name) {
            Some(i) => {
                authors[i].corresponding = Some(true);
                if authors[i].email.is_none() {
                    authors[i].email = email;
                }
            }
            None if !authors.is_empty() => {
                warnings.push((line, format!("correspondence author {name:?} not matched to the byline")));
            }
            None => {}
        }
    }
    authors
}

/// "Liu, Fengyuan (60410297700)" → "Liu, Fengyuan".
fn strip_scopus_id(name: &str) -> &str {
    let t = name.trim();
    match (t.rfind(" ("), t.ends_with(')')) {
        (Some(i), true) if t[i + 2..t.len() - 1].chars().all(|c| c.is_ascii_digit()) => t[..i].trim(),
        _ => t,
    }
}

/// One `Authors with affiliations` item → (name, affiliation). Older exports write the name with a comma
/// ("Phillips, J.C., Beckman Institute, …"), newer ones without ("Liu F., Department …"): the name is the
/// first one or two comma-separated parts, whichever spells the author's `Authors` entry.
fn split_author_affiliation(item: &str, short: Option<&String>) -> (String, Option<String>) {
    let parts: Vec<&str> = item.splitn(3, ", ").collect();
    let two = parts.len() >= 2
        && short.is_some_and(|s| {
            fold_words(&format!("{} {}", parts[0], parts[1])).replace(' ', "") == fold_words(s).replace(' ', "")
        });
    if two {
        let name = format!("{}, {}", parts[0], parts[1]);
        let rest = item[name.len()..].trim_start_matches(',').trim();
        (name, non_empty(rest))
    } else {
        match item.split_once(", ") {
            Some((name, rest)) => (name.trim().to_owned(), non_empty(rest)),
            None => (item.trim().to_owned(), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_affiliation_items_split_after_the_name() {
        let short = "Phillips J.C.".to_owned();
        let (n, a) = split_author_affiliation(
            "Phillips, J.C., Beckman Institute, Urbana, IL 61801, United States",
            Some(&short),
        );
        assert_eq!(n, "Phillips, J.C.");
        assert_eq!(a.as_deref(), Some("Beckman Institute, Urbana, IL 61801, United States"));
        let short = "Liu F.".to_owned();
        let (n, a) = split_author_affiliation("Liu F., Department of Clinical Medicine, Changsha, China", Some(&short));
        assert_eq!(n, "Liu F.");
        assert_eq!(a.as_deref(), Some("Department of Clinical Medicine, Changsha, China"));
        assert_eq!(strip_scopus_id("Liu, Fengyuan (60410297700)"), "Liu, Fengyuan");
    }
}
