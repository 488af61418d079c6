//! Pieces shared by the readers of database exports (WoS, Scopus, RIS, BibTeX, MEDLINE text): a line
//! reader that survives CRLF, stray CRs, BOMs and Latin-1 bytes; diagnostics; and the field parsers the
//! exports have in common (funding lists, DOIs inside citation strings, loose dates, ISSN lists).

use std::io::BufRead;

use byline_model::{Diagnostic, DiagnosticKind, Funding, Position, PubDate, normalize_doi, normalize_issn};

use crate::Event;
use crate::input::Input;
use crate::text::{non_empty, parse_month, squash_whitespace};

/// One line of a text export, with its end-of-line characters and any leading BOM removed.
pub struct Line {
    pub text: String,
    /// 1-based line number.
    pub number: u64,
    /// The line was not valid UTF-8 and was decoded as Latin-1.
    pub latin1: bool,
}

/// Reads lines from an input, one at a time.
pub struct LineReader<'a> {
    input: &'a mut Input,
    buf: Vec<u8>,
    number: u64,
    offset: u64,
}

impl<'a> LineReader<'a> {
    pub fn new(input: &'a mut Input) -> LineReader<'a> {
        LineReader { input, buf: Vec::new(), number: 0, offset: 0 }
    }

    /// The next line, `None` at the end. A read error (truncated gzip) becomes a file error.
    pub fn next_line(&mut self, path: &str) -> Result<Option<Line>, Diagnostic> {
        self.buf.clear();
        let n = self.input.read_until(b'\n', &mut self.buf).map_err(|e| {
            Diagnostic::new(
                DiagnosticKind::FileError,
                path,
                Position { line: Some(self.number + 1), byte_offset: Some(self.offset), ..Position::default() },
                format!("read failed: {e}"),
            )
        })?;
        if n == 0 {
            return Ok(None);
        }
        self.offset += n as u64;
        self.number += 1;
        // CRLF line ends.
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let (text, latin1) = match std::str::from_utf8(&self.buf) {
            Ok(s) => (s.to_owned(), false),
            // Latin-1 WoS and RIS files exist in the wild: every byte is a Latin-1 character, so nothing is
            // lost, and the caller reports a warning.
            Err(_) => (self.buf.iter().map(|&b| char::from(b)).collect(), true),
        };
        // A stray CR left at the start of the next line by CR CR LF endings (IEEE RIS), and BOMs of files
        // concatenated into one.
        let trimmed = text.trim_start_matches(['\r', '\u{feff}']);
        let text = if trimmed.len() == text.len() { text } else { trimmed.to_owned() };
        Ok(Some(Line { text, number: self.number, latin1 }))
    }
}

/// A diagnostic about one record.
pub fn diagnostic(
    kind: DiagnosticKind,
    path: &str,
    record_index: u64,
    line: u64,
    reason: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(
        kind,
        path,
        Position { record_index: Some(record_index), line: Some(line), byte_offset: None },
        reason,
    )
}

/// Reports a record's warnings, then the record.
pub fn emit(
    sink: &mut dyn FnMut(Event),
    path: &str,
    index: u64,
    work: byline_model::Work,
    warnings: Vec<(u64, String)>,
) {
    for (line, reason) in warnings {
        sink(Event::Warning(diagnostic(DiagnosticKind::Warning, path, index, line, reason)));
    }
    sink(Event::Work(Box::new(work)));
}

/// Reports a rejected record.
pub fn reject(sink: &mut dyn FnMut(Event), path: &str, index: u64, line: u64, reason: impl Into<String>) {
    sink(Event::Rejected(diagnostic(DiagnosticKind::RecordRejected, path, index, line, reason)));
}

/// The warning for a record that had lines decoded as Latin-1.
pub fn latin1_warning(line: u64) -> (u64, String) {
    (line, "invalid UTF-8; lines decoded as Latin-1".to_owned())
}

/// Splits on `sep` outside `[…]` and `(…)`, trimming pieces and dropping empty ones. WoS writes
/// `[Author A; Author B] Address; [Author C] Address` and `Agency [grant; grant]; Agency`.
pub fn split_outside_brackets(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut current = String::new();
    for c in s.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
        if c == sep && depth == 0 {
            push_trimmed(&mut out, &current);
            current.clear();
        } else {
            current.push(c);
        }
    }
    push_trimmed(&mut out, &current);
    out
}

fn push_trimmed(out: &mut Vec<String>, s: &str) {
    let t = squash_whitespace(s);
    if !t.is_empty() {
        out.push(t);
    }
}

/// The DOI in a WoS-style citation string: the first token after a `DOI ` marker that normalizes
/// (`DOI 10.1/x`, `DOI [DOI 10.1/X, 10.1/x]`, `DOI DOI 10.1/x`).
pub fn doi_after_marker(citation: &str) -> Option<String> {
    let mut rest = citation;
    while let Some(i) = find_ascii_ci(rest, "doi") {
        rest = &rest[i + 3..];
        let candidate = rest.trim_start_matches([' ', ':', '[', '=']);
        let candidate = candidate.strip_prefix("DOI ").unwrap_or(candidate).trim_start();
        let token: String =
            candidate.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | ';')).collect();
        if let Some(doi) = normalize_doi(token.trim_start_matches("https://doi.org/")) {
            return Some(doi);
        }
    }
    None
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// WoS `FU` / BibTeX `Funding-Acknowledgement`: `Agency [grant, grant]; Agency`. One [`Funding`] per grant
/// (the model holds one grant id per entry), one without a grant for an agency with none.
pub fn wos_funding(text: &str) -> Vec<Funding> {
    let mut out = Vec::new();
    for item in split_outside_brackets(text, ';') {
        match (item.find('['), item.ends_with(']')) {
            (Some(open), true) => {
                let agency = non_empty(&item[..open]);
                let grants = split_grants(&item[open + 1..item.len() - 1]);
                if grants.is_empty() {
                    out.push(Funding { agency: agency.clone(), ..Funding::default() });
                }
                for grant in grants {
                    out.push(Funding { agency: agency.clone(), grant_id: Some(grant), ..Funding::default() });
                }
            }
            _ => out.push(Funding { agency: Some(item), ..Funding::default() }),
        }
    }
    out
}

fn split_grants(s: &str) -> Vec<String> {
    s.split([',', ';']).filter_map(non_empty).collect()
}

/// Scopus `Funding Details`: items separated by `; `, each `Agency, ACRONYM: grant`, `Agency, (grant)` or a
/// bare agency or grant number.
pub fn scopus_funding(text: &str) -> Vec<Funding> {
    let mut out = Vec::new();
    for item in split_outside_brackets(text, ';') {
        if let (Some(open), true) = (item.rfind('('), item.ends_with(')')) {
            let agency = non_empty(item[..open].trim_end().trim_end_matches(','));
            for grant in split_grants(&item[open + 1..item.len() - 1]) {
                out.push(Funding { agency: agency.clone(), grant_id: Some(grant), ..Funding::default() });
            }
            continue;
        }
        if let Some((agency, grant)) = item.rsplit_once(": ") {
            out.push(Funding { agency: non_empty(agency), grant_id: non_empty(grant), ..Funding::default() });
            continue;
        }
        if !item.contains(' ') && item.chars().any(|c| c.is_ascii_digit()) {
            out.push(Funding { grant_id: Some(item), ..Funding::default() });
        } else {
            out.push(Funding { agency: Some(item), ..Funding::default() });
        }
    }
    out
}

/// A date from loose export text: `2019`, `2016/09//`, `2020/05/04`, `2002 Sep`, `JUL 15`, `Aug 1 2019`,
/// `1 Jan.-Feb. 2019`. The year is the first four-digit number; `year` overrides it when given (WoS `PY`
/// with month and day in `PD`). Day only when it directly follows the month.
pub fn loose_date(text: &str, year: Option<i32>) -> Option<PubDate> {
    let t = text.trim();
    // Numeric RIS/ISO form: YYYY/MM/DD or YYYY-MM-DD.
    let parts: Vec<&str> = t.split(['/', '-']).collect();
    if parts.len() >= 2 && parts[0].len() == 4 && parts[0].chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = parts[0].parse().ok()?;
        let month = parts.get(1).and_then(|m| m.trim().parse::<u8>().ok());
        let day = parts.get(2).and_then(|d| d.trim().get(..2.min(d.trim().len()))).and_then(|d| d.parse::<u8>().ok());
        return Some(PubDate::new(year.unwrap_or(y), month, day));
    }
    let tokens: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).filter(|s| !s.is_empty()).collect();
    let found_year =
        tokens.iter().find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())).and_then(|s| s.parse().ok());
    let year = year.or(found_year)?;
    let mut month = None;
    let mut day = None;
    for (i, tok) in tokens.iter().enumerate() {
        if tok.len() >= 3
            && tok.chars().all(char::is_alphabetic)
            && let Some(m) = parse_month(tok)
        {
            month = Some(m);
            day = tokens.get(i + 1).filter(|d| d.len() <= 2).and_then(|d| d.parse::<u8>().ok());
            break;
        }
    }
    Some(PubDate::new(year, month, day))
}

/// A four-digit year at the start of a field (`2020`, `2020//`).
pub fn year_of(text: &str) -> Option<i32> {
    let t = text.trim();
    t.get(..4).filter(|y| y.chars().all(|c| c.is_ascii_digit())).and_then(|y| y.parse().ok())
}

/// Adds every ISSN found in `text` (`01928651`, `1558-366X`, `20964129 (ISSN)`, `a; b`) to `issns`, once.
pub fn push_issns(issns: &mut Vec<String>, text: &str) {
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '(' | ')')) {
        if let Some(issn) = normalize_issn(token)
            && !issns.contains(&issn)
        {
            issns.push(issn);
        }
    }
}

/// Pages as `first-last`, or whichever is known.
pub fn pages(first: Option<String>, last: Option<String>) -> Option<String> {
    match (first, last) {
        (Some(f), Some(l)) if f != l => Some(format!("{f}-{l}")),
        (Some(f), _) => Some(f),
        (None, Some(l)) => Some(l),
        (None, None) => None,
    }
}

/// The country of a WoS address (`C1`, `RP`). Web of Science writes the country as the last
/// comma-separated segment of every address ("Univ X, Dept Y, City, Country."); US addresses end
/// "City, ST ZIP USA" and pre-1990s records often stop at a US state and ZIP. So: the last segment, without
/// its final period; "… USA" → "USA"; a segment with digits (a postcode or state+ZIP, no country given) →
/// `None`. Never guessed from anything else.
pub fn wos_country(address: &str) -> Option<String> {
    let last = address.trim().trim_end_matches('.').rsplit(',').next()?.trim();
    if last.ends_with(" USA") || last == "USA" {
        return Some("USA".to_owned());
    }
    if last.is_empty() || last.chars().any(|c| c.is_ascii_digit()) || !address.contains(',') {
        return None;
    }
    Some(last.to_owned())
}

/// Scopus `Correspondence Address`: `Name; Address; email: x` → (name, address, email).
pub fn scopus_correspondence(text: &str) -> Option<(String, Option<String>, Option<String>)> {
    let mut parts = text.split("; ");
    let name = non_empty(parts.next()?)?;
    let mut address = Vec::new();
    let mut email = None;
    for p in parts {
        match p.trim().strip_prefix("email:") {
            Some(e) => email = non_empty(e),
            None => address.push(p.trim()),
        }
    }
    Some((name, non_empty(&address.join("; ")), email))
}

/// Scopus `References`: citations separated by `; `. Newer exports separate a citation's authors with
/// `; ` too ("Cheng M.; Xue Y.; Cui M., Title, …, (2025)"): a piece without a comma is an author and is
/// joined to the citation it starts.
pub fn scopus_references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for piece in text.split("; ") {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if !pending.is_empty() {
            pending.push_str("; ");
        }
        pending.push_str(piece);
        if piece.contains(',') {
            out.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// A Scopus-style DOI inside a citation (`doi:10.…`, `DOI: 10.…`, `https://doi.org/10.…`).
pub fn doi_in_citation(citation: &str) -> Option<String> {
    if let Some(i) = citation.find("doi.org/") {
        let token: String = citation[i + 8..].chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
        if let Some(d) = normalize_doi(&token) {
            return Some(d);
        }
    }
    doi_after_marker(citation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wos_funding_gives_one_entry_per_grant() {
        let f = wos_funding("German Science Foundation [ECCS-1651438]; DFG [WO 883/16 3, X1]; Open Access Fund");
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].agency.as_deref(), Some("German Science Foundation"));
        assert_eq!(f[0].grant_id.as_deref(), Some("ECCS-1651438"));
        assert_eq!(f[2].grant_id.as_deref(), Some("X1"));
        assert_eq!(f[3].agency.as_deref(), Some("Open Access Fund"));
        assert_eq!(f[3].grant_id, None);
    }

    #[test]
    fn scopus_funding_forms() {
        let f = scopus_funding("National Center for Research Resources, NCRR: P41RR005969");
        assert_eq!(f[0].agency.as_deref(), Some("National Center for Research Resources, NCRR"));
        assert_eq!(f[0].grant_id.as_deref(), Some("P41RR005969"));
        let f = scopus_funding("Natural Science Foundation of Hunan Province, (2022JJ30412)");
        assert_eq!(f[0].agency.as_deref(), Some("Natural Science Foundation of Hunan Province"));
        assert_eq!(f[0].grant_id.as_deref(), Some("2022JJ30412"));
        let f = scopus_funding("2016/23/B/ST6/03455; Politechnika Poznańska, PUT");
        assert_eq!((f[0].agency.as_deref(), f[0].grant_id.as_deref()), (None, Some("2016/23/B/ST6/03455")));
    }

    #[test]
    fn citation_dois() {
        assert_eq!(
            doi_after_marker("ALLEN PJ, 1966, AM J PHYS, V34, P1185, DOI 10.1119/1.1972585").as_deref(),
            Some("10.1119/1.1972585")
        );
        assert_eq!(
            doi_after_marker("Bock R.D., 1997, V16, P21, DOI [DOI 10.1111/J.1745-3992.1997.TB00605.X, 10.1111/x]")
                .as_deref(),
            Some("10.1111/j.1745-3992.1997.tb00605.x")
        );
        assert_eq!(doi_after_marker("Persson O., 2009, DOI DOI 1458990/FILE/1458992.PDF#PAGE=11"), None);
        assert_eq!(doi_after_marker("Debye P, 1909, ANN PHYS-BERLIN, V30, P57"), None);
    }

    #[test]
    fn loose_dates() {
        assert_eq!(loose_date("2016/09//", None), Some(PubDate::new(2016, Some(9), None)));
        assert_eq!(loose_date("2002 Sep", None), Some(PubDate::new(2002, Some(9), None)));
        assert_eq!(loose_date("JUL 15", Some(2010)), Some(PubDate::new(2010, Some(7), Some(15))));
        assert_eq!(loose_date("Aug 1 2019", Some(2019)), Some(PubDate::new(2019, Some(8), Some(1))));
        assert_eq!(loose_date("1 Jan.-Feb. 2019", None), Some(PubDate::new(2019, Some(1), None)));
        assert_eq!(loose_date("no date", None), None);
    }

    #[test]
    fn wos_country_only_from_the_last_segment() {
        assert_eq!(wos_country("Sinop Univ, Fac Educ, Sinop, Turkey.").as_deref(), Some("Turkey"));
        assert_eq!(wos_country("Valdosta State Univ, Dept Biol, Valdosta, GA 31698 USA.").as_deref(), Some("USA"));
        assert_eq!(wos_country("OAK RIDGE NATL LAB,OAK RIDGE,TN 37830."), None);
        assert_eq!(wos_country("UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY.").as_deref(), Some("NORWAY"));
    }

    #[test]
    fn scopus_references_keep_author_lists_together() {
        let refs = scopus_references(
            "The global epidemic, Lancet, 5, (2023); Cheng M.; Xue Y.; Cui M., Global burden, Spine, (2025)",
        );
        assert_eq!(
            refs,
            vec!["The global epidemic, Lancet, 5, (2023)", "Cheng M.; Xue Y.; Cui M., Global burden, Spine, (2025)"]
        );
        let old =
            scopus_references("Kalé, L., Skeel, R., (1999) J Comp Phys, 151, p. 283; Humphrey, W., (1996) J Mol Graph");
        assert_eq!(old.len(), 2);
    }
}
