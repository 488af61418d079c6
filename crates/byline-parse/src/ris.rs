//! RIS (`TY  - ` … `ER  - `), as exported by Scopus, IEEE Xplore, EBSCO, Ovid and Dimensions.
//!
//! A record runs from `TY` to `ER`; a record cut short by the next `TY` or by the end of the file is
//! rejected and reading resumes at that `TY`. Lines that are not tags continue the previous field (Dimensions
//! wraps `UR`) or, outside a record, are ignored (Ovid numbers its records and adds links between them).
//!
//! RIS `AD` addresses are not tied to authors: they are attached only when there is a single author, and
//! otherwise reported as a warning (the model has no work-level affiliation).

use byline_model::{Affiliation, Author, Diagnostic, Format, Work, normalize_doi};

use crate::Event;
use crate::exports::{self, LineReader, emit, latin1_warning, reject};
use crate::input::Input;
use crate::names::{find_author, person_from_name};
use crate::text::non_empty;

/// Streams records from a RIS file.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut lines = LineReader::new(input);
    let mut index = 0u64;
    let mut current: Option<Record> = None;
    while let Some(line) = lines.next_line(path)? {
        if let Some(rec) = current.as_mut()
            && line.latin1
            && !rec.latin1
        {
            rec.latin1 = true;
            rec.warnings.push(latin1_warning(line.number));
        }
        match split_tag(&line.text) {
            Some(("TY", value)) => {
                if let Some(open) = current.take() {
                    reject(sink, path, index, open.start_line, "record has no ER line before the next TY");
                    index += 1;
                }
                let mut rec = Record { start_line: line.number, latin1: line.latin1, ..Record::default() };
                if line.latin1 {
                    rec.warnings.push(latin1_warning(line.number));
                }
                rec.fields.push(("TY".to_owned(), value.to_owned()));
                current = Some(rec);
            }
            Some(("ER", _)) => {
                if let Some(rec) = current.take() {
                    let (work, warnings) = build_work(&rec, path, index);
                    let mut all = rec.warnings;
                    all.extend(warnings);
                    emit(sink, path, index, work, all);
                    index += 1;
                }
            }
            Some((tag, value)) => {
                if let Some(rec) = current.as_mut() {
                    rec.fields.push((tag.to_owned(), value.to_owned()));
                }
            }
            None => {
                let t = line.text.trim();
                if let (Some(rec), false) = (current.as_mut(), t.is_empty())
                    && let Some((_, v)) = rec.fields.last_mut()
                {
                    v.push(' ');
                    v.push_str(t);
                }
            }
        }
    }
    if let Some(open) = current.take() {
        reject(sink, path, index, open.start_line, "file ended inside a record (no ER line)");
    }
    Ok(())
}

/// `XX  - value`: two capitals/digits, two spaces, a dash. The value may be empty (`ER  -`).
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let ok = b.len() >= 5
        && b[0].is_ascii_uppercase()
        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        && &b[2..5] == b"  -";
    if !ok {
        return None;
    }
    Some((&line[..2], line[5..].trim()))
}

#[derive(Default)]
struct Record {
    start_line: u64,
    fields: Vec<(String, String)>,
    warnings: Vec<(u64, String)>,
    latin1: bool,
}

impl Record {
    fn all(&self, tag: &str) -> impl Iterator<Item = &str> {
        self.fields.iter().filter(move |(t, _)| t == tag).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    fn first(&self, tags: &[&str]) -> Option<String> {
        tags.iter().find_map(|t| self.all(t).next()).and_then(non_empty)
    }
}

fn build_work(rec: &Record, path: &str, index: u64) -> (Work, Vec<(u64, String)>) {
    let line = rec.start_line;
    let mut warnings = Vec::new();
    let mut work = Work::new(Format::Ris, path, index);
    work.source.line = Some(line);
    work.title = rec.first(&["TI", "T1", "CT", "BT"]);
    let abstracts: Vec<&str> = rec.all("AB").chain(rec.all("N2")).collect();
    work.abstract_text = non_empty(&abstracts.join(" "));
    work.venue.title = rec.first(&["T2", "JF", "JO", "JA", "T3"]);
    work.venue.abbreviation = rec.first(&["J2", "JA"]).filter(|a| Some(a) != work.venue.title.as_ref());
    work.venue.publisher = rec.first(&["PB"]);
    work.venue.volume = rec.first(&["VL", "VO"]);
    work.venue.issue = rec.first(&["IS"]);
    work.venue.pages = exports::pages(rec.first(&["SP"]), rec.first(&["EP"])).or_else(|| rec.first(&["C7"]));
    for issn in rec.all("SN") {
        exports::push_issns(&mut work.venue.issns, issn);
    }
    work.language = rec.first(&["LA"]);
    work.publication_types = rec.first(&["M3"]).or_else(|| rec.first(&["TY"])).into_iter().collect();
    work.keywords = rec.all("KW").filter_map(non_empty).collect();
    let doi_raw = rec.first(&["DO"]);
    work.ids.doi = doi_raw.as_deref().and_then(normalize_doi).or_else(|| rec.all("L3").find_map(normalize_doi));
    if let (Some(raw), None) = (&doi_raw, &work.ids.doi) {
        warnings.push((line, format!("DO is not a DOI: {raw:?}")));
    }
    let year = rec.first(&["PY", "Y1", "DA"]).as_deref().and_then(exports::year_of);
    work.date = ["DA", "Y1", "PY"]
        .iter()
        .filter_map(|t| rec.first(&[t]))
        .find_map(|d| exports::loose_date(&d, year).filter(|p| p.month.is_some()))
        .or_else(|| year.map(|y| byline_model::PubDate::new(y, None, None)));

    let mut authors: Vec<Author> = ["AU", "A1"].iter().flat_map(|t| rec.all(t)).map(person_from_name).collect();
    let addresses: Vec<&str> = rec.all("AD").collect();
    match (authors.len(), addresses.len()) {
        (_, 0) => {}
        (1, _) => {
            for a in &addresses {
                authors[0].affiliations.push(Affiliation { raw: (*a).to_owned(), ..Affiliation::default() });
            }
        }
        (_, n) => warnings.push((
            line,
            format!(
                "{n} AD address(es) name no authors and were not attached (the model has no work-level affiliation)"
            ),
        )),
    }
    // Scopus RIS: "N1  - Correspondence Address: Name; Address; email: x" and "Funding text N: …".
    let mut funding_texts = Vec::new();
    for note in rec.all("N1") {
        if let Some(c) = note.strip_prefix("Correspondence Address: ") {
            if let Some((name, _, email)) = exports::scopus_correspondence(c)
                && let Some(i) = find_author(&authors, &name)
            {
                authors[i].corresponding = Some(true);
                if authors[i].email.is_none() {
                    authors[i].email = email;
                }
            }
        } else if let Some(details) = note.strip_prefix("Funding details: ") {
            work.funding.extend(exports::scopus_funding(details));
        } else if note.starts_with("Funding text")
            && let Some((_, text)) = note.split_once(": ")
        {
            funding_texts.push(text.trim());
        }
    }
    work.funding_statement = non_empty(&funding_texts.join(" "));
    work.authors = authors;
    (work, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ris_tags_need_two_spaces_and_a_dash() {
        assert_eq!(split_tag("TY  - JOUR"), Some(("TY", "JOUR")));
        assert_eq!(split_tag("ER  -"), Some(("ER", "")));
        assert_eq!(split_tag("ER  - "), Some(("ER", "")));
        assert_eq!(split_tag("1."), None);
        assert_eq!(split_tag("https://x"), None);
    }
}
