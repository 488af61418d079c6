//! Web of Science exports: the field-tagged plain text (`.txt`, `.isi`, `.ciw`: `PT` … `ER`, two-letter
//! tags, continuation lines indented three spaces) and the tab-delimited export (a header row of the same
//! tags). Both become a list of (tag, values) and share one mapping into [`Work`].
//!
//! Bylines: `AF` full names "Family, Given" (fallback `AU`); `C1` "[Author A; Author B] Address" attaches
//! each address to the named authors, and its country is the address's last comma-separated segment, the
//! position WoS reserves for it (see [`exports::wos_country`]); `RP` marks corresponding authors; `EM` is
//! assigned only when there is one e-mail and one corresponding author; `OI` "Name/ORCID" is matched by
//! name. `RI` (ResearcherID) has no place in the model and is not read.

use byline_model::{
    Affiliation, Author, Diagnostic, DiagnosticKind, Format, Position, Reference, Work, normalize_doi, normalize_orcid,
};

use crate::Event;
use crate::exports::{self, LineReader, emit, latin1_warning, reject, split_outside_brackets};
use crate::input::Input;
use crate::names::{find_author, person_from_name, same_name};
use crate::text::{non_empty, squash_whitespace};

/// Streams records from a WoS field-tagged plain-text export.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut lines = LineReader::new(input);
    let mut index = 0u64;
    let mut current: Option<PlainRecord> = None;
    while let Some(line) = lines.next_line(path)? {
        let text = line.text.as_str();
        if let Some(rec) = current.as_mut()
            && line.latin1
            && !rec.latin1
        {
            rec.latin1 = true;
            rec.warnings.push(latin1_warning(line.number));
        }
        if text.trim().is_empty() {
            continue;
        }
        match split_tag(text) {
            Some(("PT", value)) => {
                if let Some(open) = current.take() {
                    reject(sink, path, index, open.start_line, "record has no ER line before the next PT");
                    index += 1;
                }
                let mut rec = PlainRecord::new(line.number, line.latin1);
                rec.push("PT", value);
                current = Some(rec);
            }
            Some(("ER", _)) => match current.take() {
                Some(rec) => {
                    let (work, warnings) = build_work(&rec.fields, Layout::Plain, path, index, rec.start_line);
                    let mut all = rec.warnings;
                    all.extend(warnings);
                    emit(sink, path, index, work, all);
                    index += 1;
                }
                None => sink(Event::Warning(exports::diagnostic(
                    DiagnosticKind::Warning,
                    path,
                    index,
                    line.number,
                    "ER line outside a record ignored",
                ))),
            },
            Some(("EF", _)) => {
                if let Some(open) = current.take() {
                    reject(sink, path, index, open.start_line, "record has no ER line before EF");
                    index += 1;
                }
            }
            Some((tag, value)) => {
                // Outside a record: the file header (FN, VR), ignored.
                if let Some(rec) = current.as_mut() {
                    rec.push(tag, value);
                }
            }
            None if text.starts_with(' ') => {
                if let Some(rec) = current.as_mut() {
                    rec.continue_field(text.trim());
                }
            }
            None => {
                if let Some(rec) = current.as_mut() {
                    rec.warnings.push((line.number, format!("malformed field line dropped: {:?}", truncate(text, 40))));
                    rec.skipping = true;
                }
            }
        }
    }
    if let Some(open) = current.take() {
        reject(sink, path, index, open.start_line, "file ended inside a record (no ER line)");
    }
    Ok(())
}

/// Streams records from a WoS tab-delimited export (header row of tags, one record per row).
pub fn read_tab(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b'\t').quoting(false).has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut index = 0u64;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            Diagnostic::new(DiagnosticKind::FileError, path, Position::default(), format!("read failed: {e}"))
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let (fields, latin1) = decode_fields(&record);
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(names) = header.as_ref() else {
            header = Some(fields.iter().map(|f| f.trim_start_matches('\u{feff}').trim().to_owned()).collect());
            continue;
        };
        if fields.len() != names.len() {
            reject(sink, path, index, line, format!("row has {} fields, header has {}", fields.len(), names.len()));
            index += 1;
            continue;
        }
        let tagged: Vec<(String, Vec<String>)> =
            names.iter().zip(fields).filter(|(_, v)| !v.trim().is_empty()).map(|(n, v)| (n.clone(), vec![v])).collect();
        let (work, mut warnings) = build_work(&tagged, Layout::Tab, path, index, line);
        if latin1 {
            warnings.insert(0, latin1_warning(line));
        }
        emit(sink, path, index, work, warnings);
        index += 1;
    }
    Ok(())
}

/// Decodes CSV fields as UTF-8, falling back to Latin-1 (reported by the caller).
pub fn decode_fields(record: &csv::ByteRecord) -> (Vec<String>, bool) {
    let mut latin1 = false;
    let fields = record
        .iter()
        .map(|f| match std::str::from_utf8(f) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                latin1 = true;
                f.iter().map(|&b| char::from(b)).collect()
            }
        })
        .collect();
    (fields, latin1)
}

/// `XX value` (or a bare `ER`): a two-character tag of capitals and digits.
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 2
        || !bytes[0].is_ascii_uppercase()
        || !(bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
    {
        return None;
    }
    match bytes.get(2) {
        None => Some((&line[..2], "")),
        Some(b' ') => Some((&line[..2], line[3..].trim_end())),
        Some(_) => None,
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// A plain-text record being collected.
struct PlainRecord {
    start_line: u64,
    fields: Vec<(String, Vec<String>)>,
    warnings: Vec<(u64, String)>,
    latin1: bool,
    /// After a malformed line, its continuation lines are dropped with it.
    skipping: bool,
}

impl PlainRecord {
    fn new(start_line: u64, latin1: bool) -> PlainRecord {
        let warnings = if latin1 { vec![latin1_warning(start_line)] } else { Vec::new() };
        PlainRecord { start_line, fields: Vec::new(), warnings, latin1, skipping: false }
    }

    fn push(&mut self, tag: &str, value: &str) {
        self.skipping = false;
        self.fields.push((tag.to_owned(), vec![value.trim().to_owned()]));
    }

    fn continue_field(&mut self, value: &str) {
        if self.skipping {
            return;
        }
        if let Some((_, values)) = self.fields.last_mut() {
            values.push(value.to_owned());
        }
    }
}

/// How a field's values are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One value per line; long values wrapped onto continuation lines.
    Plain,
    /// One cell per field; list items separated by `; `.
    Tab,
}

/// Field access over a WoS record.
struct Fields<'a> {
    fields: &'a [(String, Vec<String>)],
    layout: Layout,
}

impl Fields<'_> {
    fn lines(&self, tag: &str) -> Option<&[String]> {
        self.fields.iter().find(|(t, _)| t == tag).map(|(_, v)| v.as_slice())
    }

    /// The value with wrapped lines joined.
    fn text(&self, tag: &str) -> Option<String> {
        self.lines(tag).and_then(|v| non_empty(&v.join(" ")))
    }

    /// Items one per line (plain) or separated by `;` (tab): AU, AF, CR.
    fn items(&self, tag: &str) -> Vec<String> {
        match self.layout {
            Layout::Plain => self.lines(tag).unwrap_or_default().iter().filter_map(|l| non_empty(l)).collect(),
            Layout::Tab => self.list(tag),
        }
    }

    /// `;`-separated items of the joined value: DE, ID, EM, OI, DT.
    fn list(&self, tag: &str) -> Vec<String> {
        self.text(tag).map(|t| split_outside_brackets(&t, ';')).unwrap_or_default()
    }

    /// `C1` addresses. Plain: a line starting `[` starts a new address; in old unbracketed records each
    /// address ends with a period and a line not following one is a wrapped continuation.
    fn addresses(&self) -> Vec<String> {
        let Some(lines) = self.lines("C1") else { return Vec::new() };
        if self.layout == Layout::Tab {
            return self.list("C1");
        }
        let bracketed = lines.first().is_some_and(|l| l.starts_with('['));
        let mut out: Vec<String> = Vec::new();
        for line in lines {
            let starts_new = match out.last() {
                None => true,
                Some(prev) => {
                    if bracketed {
                        line.starts_with('[')
                    } else {
                        prev.ends_with('.')
                    }
                }
            };
            if starts_new {
                out.push(line.clone());
            } else if let Some(prev) = out.last_mut() {
                prev.push(' ');
                prev.push_str(line);
            }
        }
        out.into_iter().filter_map(|a| non_empty(&a)).collect()
    }
}

fn build_work(
    raw: &[(String, Vec<String>)],
    layout: Layout,
    path: &str,
    index: u64,
    start_line: u64,
) -> (Work, Vec<(u64, String)>) {
    let f = Fields { fields: raw, layout };
    let mut warnings = Vec::new();
    let mut work = Work::new(if layout == Layout::Plain { Format::WosPlain } else { Format::WosTab }, path, index);
    work.source.line = Some(start_line);
    work.title = f.text("TI");
    work.abstract_text = f.text("AB");
    work.venue.title = f.text("SO").or_else(|| f.text("SE"));
    work.venue.abbreviation = f.text("JI").or_else(|| f.text("J9"));
    work.venue.publisher = f.text("PU");
    work.venue.volume = f.text("VL");
    work.venue.issue = f.text("IS");
    work.venue.pages = exports::pages(f.text("BP"), f.text("EP")).or_else(|| f.text("AR"));
    for tag in ["SN", "EI"] {
        if let Some(t) = f.text(tag) {
            exports::push_issns(&mut work.venue.issns, &t);
        }
    }
    work.language = f.text("LA");
    work.publication_types = f.list("DT");
    work.keywords = f.list("DE");
    work.keywords.extend(f.list("ID"));
    if let Some(d) = f.text("DI") {
        work.ids.doi = normalize_doi(&d);
        if work.ids.doi.is_none() {
            warnings.push((start_line, format!("DI is not a DOI: {d:?}")));
        }
    }
    work.ids.pmid = f.text("PM").filter(|p| p.chars().all(|c| c.is_ascii_digit()));
    if let Some(ut) = f.text("UT") {
        work.ids.other.push(("wos".to_owned(), ut));
    }
    let year = f.text("PY").as_deref().and_then(exports::year_of);
    work.date = match (f.text("PD"), year) {
        (Some(pd), y) => exports::loose_date(&pd, y),
        (None, Some(y)) => exports::loose_date("", Some(y)),
        (None, None) => None,
    };
    work.references = f
        .items("CR")
        .into_iter()
        .map(|line| Reference { doi: exports::doi_after_marker(&line), raw: Some(line), ..Reference::default() })
        .collect();
    if let Some(fu) = f.text("FU") {
        work.funding = exports::wos_funding(&fu);
    }
    work.funding_statement = f.text("FX");
    work.authors = authors(&f, start_line, &mut warnings);
    (work, warnings)
}

fn authors(f: &Fields<'_>, line: u64, warnings: &mut Vec<(u64, String)>) -> Vec<Author> {
    let full = f.items("AF");
    let short = f.items("AU");
    let names = if full.is_empty() { &short } else { &full };
    let mut authors: Vec<Author> = names
        .iter()
        .map(|n| {
            // Zoological Record writes the e-mail after the name: "Stillman, Andrew N. (a@b.edu)".
            let (name, email) = split_trailing_email(n);
            let mut a = person_from_name(&name);
            a.email = email;
            a
        })
        .collect();
    for group in f.items("CA").into_iter().chain(f.items("GP")) {
        authors.push(Author { raw_name: group.clone(), collective: Some(group), ..Author::default() });
    }
    // Short forms (AU) sit at the same positions as the full names: match RP against both.
    let lookup = |authors: &[Author], name: &str| -> Option<usize> {
        let mut hits = short.iter().enumerate().filter(|(_, s)| same_name(s, name)).map(|(i, _)| i);
        let by_short = match (hits.next(), hits.next()) {
            (Some(i), None) if short.len() == names.len() => Some(i),
            _ => None,
        };
        by_short.or_else(|| find_author(authors, name)).or_else(|| {
            // The name as the AU short form spells it ("Römer, Kay" for AF "Roemer, Kay", AU "Römer, K").
            let short_forms: Vec<Author> = short.iter().map(|s| person_from_name(s)).collect();
            find_author(&short_forms, name).filter(|_| short.len() == names.len())
        })
    };

    let mut unattributed = 0usize;
    for address in f.addresses() {
        match bracket_names(&address) {
            Some((names_in_bracket, rest)) => {
                for name in names_in_bracket {
                    match lookup(&authors, &name) {
                        Some(i) => add_affiliation(&mut authors[i], &rest),
                        None => warnings.push((line, format!("C1 names {name:?}, who is not on the byline"))),
                    }
                }
            }
            None => {
                // "Name; Address" (Zoological Record), else an old unattributed address.
                let named =
                    address.split_once("; ").and_then(|(n, rest)| lookup(&authors, n).map(|i| (i, rest.to_owned())));
                match named {
                    Some((i, rest)) => add_affiliation(&mut authors[i], &rest),
                    None if authors.len() == 1 => add_affiliation(&mut authors[0], &address),
                    None => unattributed += 1,
                }
            }
        }
    }
    if unattributed > 0 {
        warnings.push((
            line,
            format!("{unattributed} C1 address(es) name no authors and were not attached (the model has no work-level affiliation)"),
        ));
    }

    let mut corresponding = Vec::new();
    if let Some(rp) = f.text("RP") {
        for (name, address) in reprint_entries(&rp) {
            match lookup(&authors, &name) {
                Some(i) => {
                    authors[i].corresponding = Some(true);
                    if authors[i].affiliations.is_empty()
                        && let Some(addr) = address
                    {
                        add_affiliation(&mut authors[i], &addr);
                    }
                    if !corresponding.contains(&i) {
                        corresponding.push(i);
                    }
                }
                None => warnings.push((line, format!("RP author {name:?} not matched to the byline"))),
            }
        }
    }
    let emails = f.list("EM");
    if emails.len() == 1 {
        let target = match corresponding.as_slice() {
            [one] => Some(*one),
            [] if authors.len() == 1 => Some(0),
            _ => None,
        };
        if let Some(i) = target
            && authors[i].email.is_none()
        {
            authors[i].email = emails.first().cloned();
        }
    }
    for item in f.list("OI") {
        let Some((name, id)) = item.rsplit_once('/') else { continue };
        let Some(orcid) = normalize_orcid(id) else {
            warnings.push((line, format!("OI entry {item:?} has an invalid ORCID; dropped")));
            continue;
        };
        match lookup(&authors, name) {
            Some(i) if authors[i].orcid.is_none() => authors[i].orcid = Some(orcid),
            Some(_) => {}
            None => warnings.push((line, format!("OI entry {item:?} not matched to the byline"))),
        }
    }
    authors
}

fn split_trailing_email(name: &str) -> (String, Option<String>) {
    let t = name.trim();
    if let (Some(open), true) = (t.rfind('('), t.ends_with(')')) {
        let inner = &t[open + 1..t.len() - 1];
        if inner.contains('@') && !inner.contains(' ') {
            return (t[..open].trim().to_owned(), Some(inner.to_owned()));
        }
    }
    (t.to_owned(), None)
}

/// `[A; B] Address` → (["A", "B"], "Address").
pub fn bracket_names(address: &str) -> Option<(Vec<String>, String)> {
    let rest = address.strip_prefix('[')?;
    let close = rest.find(']')?;
    let names = rest[..close].split(';').filter_map(non_empty).collect();
    Some((names, squash_whitespace(&rest[close + 1..])))
}

/// Attaches an address to an author once. The country comes only from WoS's fixed last segment.
pub fn add_affiliation(author: &mut Author, address: &str) {
    let raw = squash_whitespace(address);
    if raw.is_empty() || author.affiliations.iter().any(|a| a.raw == raw) {
        return;
    }
    let country = exports::wos_country(&raw);
    author.affiliations.push(Affiliation { raw, country, ..Affiliation::default() });
}

/// `RP` entries: "Name (corresponding author), Address; Name (corresponding author), Address." and the
/// older "Name (reprint author), Address." → (name, address).
pub fn reprint_entries(rp: &str) -> Vec<(String, Option<String>)> {
    // ASCII lower-casing keeps byte offsets valid for slicing `rp`.
    let lower = rp.to_ascii_lowercase();
    let mut markers: Vec<(usize, usize)> = Vec::new();
    for marker in ["(corresponding author)", "(reprint author)"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            markers.push((from + i, marker.len()));
            from += i + marker.len();
        }
    }
    markers.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0usize;
    for (k, &(at, len)) in markers.iter().enumerate() {
        let name_part = &rp[start..at];
        let name = name_part.rsplit("; ").next().unwrap_or(name_part).trim().trim_start_matches(['.', ';']).trim();
        let end = markers.get(k + 1).map_or(rp.len(), |&(next, _)| next);
        let tail = &rp[at + len..end];
        // The address runs to the last "; " before the next entry's name.
        let address_part = if k + 1 < markers.len() { tail.rsplit_once("; ").map_or(tail, |(a, _)| a) } else { tail };
        let address = non_empty(address_part.trim_start_matches([',', ' ']));
        if !name.is_empty() {
            out.push((name.to_owned(), address));
        }
        start = at + len + address_part.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprint_entries_split_several_corresponding_authors() {
        let rp = "Aria, M (corresponding author), Univ Napoli, Naples, Italy.; Cuccurullo, C (corresponding author), Univ Campania, Capua, Italy.";
        let e = reprint_entries(rp);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, "Aria, M");
        assert_eq!(e[0].1.as_deref(), Some("Univ Napoli, Naples, Italy."));
        assert_eq!(e[1].0, "Cuccurullo, C");
        assert_eq!(e[1].1.as_deref(), Some("Univ Campania, Capua, Italy."));
        let old = reprint_entries("TURNER, RG (reprint author), MONASH UNIV,DEPT PHYS,CLAYTON,VIC 3168,AUSTRALIA.");
        assert_eq!(
            old,
            vec![("TURNER, RG".to_owned(), Some("MONASH UNIV,DEPT PHYS,CLAYTON,VIC 3168,AUSTRALIA.".to_owned()))]
        );
    }

    #[test]
    fn bracketed_addresses_name_their_authors() {
        let (names, rest) =
            bracket_names("[Aria, Massimo; Toh, Ming Liang] Univ X, Naples, Italy.").unwrap_or_default();
        assert_eq!(names, vec!["Aria, Massimo", "Toh, Ming Liang"]);
        assert_eq!(rest, "Univ X, Naples, Italy.");
    }

    #[test]
    fn tags_need_a_space_or_end_of_line() {
        assert_eq!(split_tag("AU Toh, ML"), Some(("AU", "Toh, ML")));
        assert_eq!(split_tag("ER"), Some(("ER", "")));
        assert_eq!(split_tag("AUGilles, H"), None);
        assert_eq!(split_tag("   Girard, S"), None);
    }
}
