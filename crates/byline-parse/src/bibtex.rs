//! BibTeX, including the Scopus and Web of Science BibTeX exports with their extra fields.
//!
//! An entry runs from an `@type{` line to its balanced closing brace; `\{` and `\}` are escaped braces and
//! do not count. An entry still open when the next line starting with `@` arrives has unbalanced braces: it
//! is rejected and reading resumes there. Field names are read up to `=`, so Scopus's illegal
//! `funding_text 1` names are accepted. Values are LaTeX-decoded to Unicode ([`decode_latex`]) and their
//! braces stripped.
//!
//! Bylines: `author = {Family, Given and Given Family and {Collective}}`: split into given/family only at a
//! comma; `{…}` is a collective author. WoS `Affiliation` lines ("Name; Name, Address", "Name (Corresponding
//! Author), Address") attach addresses to the named authors; Scopus `affiliation(s)` lists are not tied to
//! authors and are attached only to a sole author. `correspondence_address` (Scopus), `Author-Email` and
//! `ORCID-Numbers` (WoS) fill the corresponding flag, e-mail and ORCID when they name one author.

use std::collections::HashMap;

use byline_model::{Affiliation, Author, Diagnostic, Format, PubDate, Reference, Work, normalize_doi, normalize_orcid};
use unicode_normalization::UnicodeNormalization;

use crate::Event;
use crate::exports::{self, LineReader, emit, latin1_warning, reject};
use crate::input::Input;
use crate::names::{find_author, initials_of_given};
use crate::text::{non_empty, parse_month, squash_whitespace};
use crate::wos::{add_affiliation, reprint_entries};

/// Streams entries from a BibTeX file.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let mut lines = LineReader::new(input);
    let mut index = 0u64;
    let mut macros: HashMap<String, String> = HashMap::new();
    let mut current: Option<Pending> = None;
    while let Some(line) = lines.next_line(path)? {
        let text = line.text.as_str();
        if is_entry_start(text) {
            if let Some(open) = current.take()
                && counts_as_record(&open.text)
            {
                reject(
                    sink,
                    path,
                    index,
                    open.start_line,
                    format!("unbalanced braces: entry still open at line {}", line.number),
                );
                index += 1;
            }
            current =
                Some(Pending { start_line: line.number, text: String::new(), scan: Scan::default(), latin1: false });
        }
        let Some(pending) = current.as_mut() else { continue };
        pending.latin1 |= line.latin1;
        pending.text.push_str(text);
        pending.text.push('\n');
        if pending.scan.feed(text) {
            let Some(done) = current.take() else { continue };
            finish(done, path, &mut index, &mut macros, sink);
        }
    }
    if let Some(open) = current.take()
        && counts_as_record(&open.text)
    {
        reject(sink, path, index, open.start_line, "file ended inside an entry (unbalanced braces)");
    }
    Ok(())
}

/// A line that opens an entry: `@`, a type name, then `{` or `(`.
fn is_entry_start(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('@') else { return false };
    let name_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
    name_len > 0 && rest[name_len..].trim_start().starts_with(['{', '('])
}

fn entry_type(text: &str) -> String {
    text.trim_start()
        .trim_start_matches('@')
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `@comment`, `@preamble` and `@string` are not records.
fn counts_as_record(text: &str) -> bool {
    !matches!(entry_type(text).as_str(), "comment" | "preamble" | "string")
}

/// An entry being collected.
struct Pending {
    start_line: u64,
    text: String,
    scan: Scan,
    latin1: bool,
}

/// Brace balance across the lines of one entry.
#[derive(Default)]
struct Scan {
    opened: Option<char>,
    depth: i32,
}

impl Scan {
    /// Feeds a line; true when the entry's closing delimiter has been seen.
    fn feed(&mut self, line: &str) -> bool {
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match (c, self.opened) {
                ('\\', _) => escaped = true,
                ('{' | '(', None) => {
                    self.opened = Some(c);
                    self.depth = 1;
                }
                ('{', Some(_)) => self.depth += 1,
                ('}', Some(_)) => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return true;
                    }
                }
                (')', Some('(')) if self.depth == 1 => return true,
                _ => {}
            }
        }
        false
    }
}

fn finish(
    done: Pending,
    path: &str,
    index: &mut u64,
    macros: &mut HashMap<String, String>,
    sink: &mut dyn FnMut(Event),
) {
    let kind = entry_type(&done.text);
    match kind.as_str() {
        "comment" | "preamble" => {}
        "string" => {
            if let Ok(entry) = parse_entry(&done.text, macros) {
                for (name, value) in entry.fields {
                    macros.insert(name, value);
                }
            }
        }
        _ => {
            match parse_entry(&done.text, macros) {
                Ok(entry) => {
                    let (work, mut warnings) = build_work(&entry, path, *index, done.start_line);
                    if done.latin1 {
                        warnings.insert(0, latin1_warning(done.start_line));
                    }
                    emit(sink, path, *index, work, warnings);
                }
                Err(reason) => reject(sink, path, *index, done.start_line, reason),
            }
            *index += 1;
        }
    }
}

/// A parsed entry: type, key, and fields (lower-case names, raw values with braces and LaTeX).
#[derive(Debug)]
struct Entry {
    kind: String,
    fields: Vec<(String, String)>,
}

impl Entry {
    fn raw(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    /// A decoded, whitespace-squashed value.
    fn get(&self, name: &str) -> Option<String> {
        self.raw(name).and_then(|v| non_empty(&decode_latex(v)))
    }
    fn first(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| self.get(n))
    }
    fn all<'a>(&'a self, pred: impl Fn(&str) -> bool + 'a) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |(n, _)| pred(n)).map(|(_, v)| v.as_str())
    }
    /// Decoded lines of a multi-line WoS value (`Affiliation`, `Cited-References`, `ORCID-Numbers`).
    fn lines(&self, name: &str) -> Vec<String> {
        self.raw(name).map(|v| v.lines().filter_map(|l| non_empty(&decode_latex(l))).collect()).unwrap_or_default()
    }
}

fn parse_entry(text: &str, macros: &HashMap<String, String>) -> Result<Entry, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Parser { chars: &chars, pos: 0 };
    p.skip_ws();
    if !p.eat('@') {
        return Err("entry does not start with @".to_owned());
    }
    let kind: String = p.take_while(|c| c.is_ascii_alphabetic()).to_ascii_lowercase();
    p.skip_ws();
    let close = match p.next() {
        Some('{') => '}',
        Some('(') => ')',
        _ => return Err(format!("@{kind} is not followed by {{")),
    };
    let mut fields = Vec::new();
    if kind != "string" && kind != "preamble" {
        // The key, up to the first comma (or the end of an entry with no fields).
        p.take_while(|c| c != ',' && c != close);
        if !p.eat(',') {
            return Ok(Entry { kind, fields });
        }
    }
    loop {
        p.skip_ws_and(',');
        match p.peek() {
            None => return Err("entry ended without its closing brace".to_owned()),
            Some(c) if c == close => break,
            _ => {}
        }
        let name_start = p.pos;
        let name = squash_whitespace(&p.take_while(|c| c != '=' && c != close && c != ',')).to_ascii_lowercase();
        if !p.eat('=') {
            return Err(format!("field {:?} has no '=' (at character {name_start} of the entry)", name));
        }
        let value = p.value(close, macros)?;
        fields.push((name, value));
    }
    Ok(Entry { kind, fields })
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    fn skip_ws_and(&mut self, extra: char) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == extra) {
            self.pos += 1;
        }
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A value: parts joined by `#`, each `{…}`, `"…"`, a number or a macro name.
    fn value(&mut self, close: char, macros: &HashMap<String, String>) -> Result<String, String> {
        let mut out = String::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some('{') => {
                    self.pos += 1;
                    out.push_str(&self.balanced('}')?);
                }
                Some('"') => {
                    self.pos += 1;
                    out.push_str(&self.balanced('"')?);
                }
                Some(c) if c.is_alphanumeric() => {
                    let word = self.take_while(|c| !c.is_whitespace() && c != ',' && c != '#' && c != close);
                    let lower = word.to_ascii_lowercase();
                    match macros.get(&lower) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&word),
                    }
                }
                Some(c) => return Err(format!("unexpected {c:?} where a field value should start")),
                None => return Err("entry ended inside a field value".to_owned()),
            }
            self.skip_ws();
            if !self.eat('#') {
                return Ok(out);
            }
        }
    }

    /// Text up to the `end` that closes the group (for `"`: outside nested braces). Keeps inner braces.
    fn balanced(&mut self, end: char) -> Result<String, String> {
        let mut depth = 0i32;
        let mut out = String::new();
        let mut escaped = false;
        while let Some(c) = self.next() {
            if escaped {
                escaped = false;
                out.push(c);
                continue;
            }
            match c {
                '\\' => {
                    escaped = true;
                    out.push(c);
                }
                '{' => {
                    depth += 1;
                    out.push(c);
                }
                '}' if depth > 0 => {
                    depth -= 1;
                    out.push(c);
                }
                c if c == end && depth == 0 => return Ok(out),
                '}' => return Err("unbalanced braces in a field value".to_owned()),
                _ => out.push(c),
            }
        }
        Err("entry ended inside a field value (unbalanced braces)".to_owned())
    }
}

fn build_work(entry: &Entry, path: &str, index: u64, line: u64) -> (Work, Vec<(u64, String)>) {
    let mut warnings = Vec::new();
    let mut work = Work::new(Format::Bibtex, path, index);
    work.source.line = Some(line);
    work.title = entry.get("title");
    work.abstract_text = entry.get("abstract");
    work.venue.title = entry.first(&["journal", "booktitle", "series"]);
    work.venue.abbreviation = entry.first(&["journal-iso", "abbrev_source_title"]);
    work.venue.publisher = entry.get("publisher");
    work.venue.volume = entry.get("volume");
    work.venue.issue = entry.get("number");
    work.venue.pages =
        entry.first(&["pages", "article-number", "art_number"]).map(|p| p.replace(" – ", "-").replace("--", "-"));
    for name in ["issn", "eissn"] {
        if let Some(v) = entry.get(name) {
            exports::push_issns(&mut work.venue.issns, &v);
        }
    }
    work.language = entry.get("language");
    work.publication_types = match entry.first(&["type", "document_type"]) {
        Some(t) => t.split(';').filter_map(non_empty).collect(),
        None => vec![entry.kind.clone()],
    };
    for name in ["keywords", "author_keywords", "keywords-plus"] {
        if let Some(k) = entry.get(name) {
            let sep = if k.contains(';') { ';' } else { ',' };
            work.keywords.extend(k.split(sep).filter_map(non_empty));
        }
    }
    if let Some(d) = entry.get("doi") {
        work.ids.doi = normalize_doi(&d);
        if work.ids.doi.is_none() {
            warnings.push((line, format!("doi field is not a DOI: {d:?}")));
        }
    }
    work.ids.pmid = entry.first(&["pmid", "pubmed_id"]).filter(|p| p.chars().all(|c| c.is_ascii_digit()));
    if let Some(ut) = entry.get("unique-id") {
        work.ids.other.push(("wos".to_owned(), ut));
    }
    let year = entry.get("year").as_deref().and_then(exports::year_of);
    work.date = year.map(|y| match entry.get("month") {
        Some(m) => exports::loose_date(&m, Some(y)).unwrap_or(PubDate::new(y, None, None)),
        None => PubDate::new(y, None, None),
    });
    if let Some(m) = entry.get("month")
        && let (Some(date), true) = (work.date.as_mut(), m.trim().len() <= 3)
    {
        // A bare month macro or number ("jul", "7").
        date.month = date.month.or_else(|| parse_month(&m));
    }
    work.references = entry
        .lines("cited-references")
        .into_iter()
        .map(|r| Reference { doi: exports::doi_after_marker(&r), raw: Some(r), ..Reference::default() })
        .collect();
    if let Some(refs) = entry.get("references") {
        work.references.extend(exports::scopus_references(&refs).into_iter().map(|r| Reference {
            doi: exports::doi_in_citation(&r),
            raw: Some(r),
            ..Reference::default()
        }));
    }
    if let Some(fu) = entry.get("funding-acknowledgement") {
        work.funding = exports::wos_funding(&fu);
    }
    for details in entry.all(|n| n == "funding_details") {
        work.funding.extend(exports::scopus_funding(&squash_whitespace(&decode_latex(details))));
    }
    let mut texts: Vec<String> = Vec::new();
    for t in entry.all(|n| n == "funding-text" || n.starts_with("funding_text")) {
        let t = squash_whitespace(&decode_latex(t));
        // Scopus repeats the text with non-ASCII letters replaced by '?': keep one copy.
        let key = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
        if !t.is_empty() && !texts.iter().any(|seen| key(seen) == key(&t)) {
            texts.push(t);
        }
    }
    work.funding_statement = non_empty(&texts.join(" "));
    work.authors = authors(entry, line, &mut warnings);
    (work, warnings)
}

fn authors(entry: &Entry, line: u64, warnings: &mut Vec<(u64, String)>) -> Vec<Author> {
    let mut authors: Vec<Author> = Vec::new();
    if let Some(raw) = entry.raw("author") {
        for name in split_names(raw) {
            if name.eq_ignore_ascii_case("others") {
                warnings.push((line, "author list ends in 'and others': truncated byline".to_owned()));
                continue;
            }
            authors.push(author_from_bibtex(&name));
        }
    }
    let wos = entry.raw("unique-id").is_some_and(|u| u.contains("WOS:"))
        || entry
            .raw("affiliation")
            .is_some_and(|a| a.contains("(Corresponding Author)") || a.contains("(Reprint Author)"));
    let mut corresponding: Vec<usize> = Vec::new();
    if wos {
        let mut unattributed = 0usize;
        for address in entry.lines("affiliation") {
            if address.contains("(Corresponding Author)") || address.contains("(Reprint Author)") {
                for (name, addr) in reprint_entries(&address) {
                    if let Some(i) = find_author(&authors, &name) {
                        authors[i].corresponding = Some(true);
                        if !corresponding.contains(&i) {
                            corresponding.push(i);
                        }
                        if let (true, Some(a)) = (authors[i].affiliations.is_empty(), addr) {
                            add_affiliation(&mut authors[i], &a);
                        }
                    } else {
                        warnings.push((line, format!("corresponding author {name:?} not matched to the byline")));
                    }
                }
                continue;
            }
            let (named, rest) = leading_author_names(&address, &authors);
            if named.is_empty() {
                unattributed += 1;
            }
            for i in named {
                // Reprint addresses were attached first; the full list replaces them when it names the author.
                add_affiliation(&mut authors[i], &rest);
            }
        }
        if unattributed > 0 {
            warnings.push((line, format!("{unattributed} affiliation line(s) name no author and were not attached")));
        }
    } else {
        let list: Vec<String> = entry
            .first(&["affiliations", "affiliation"])
            .map(|a| a.split("; ").filter_map(non_empty).collect())
            .unwrap_or_default();
        match (authors.len(), list.len()) {
            (_, 0) => {}
            (1, _) => {
                for raw in list {
                    authors[0].affiliations.push(Affiliation { raw, ..Affiliation::default() });
                }
            }
            (_, n) => warnings.push((
                line,
                format!(
                    "{n} affiliation(s) not tied to authors were not attached (the model has no work-level affiliation)"
                ),
            )),
        }
    }
    if let Some(c) = entry.first(&["correspondence_address1", "correspondence_address"])
        && let Some((name, _, email)) = exports::scopus_correspondence(&c)
    {
        match find_author(&authors, &name) {
            Some(i) => {
                authors[i].corresponding = Some(true);
                if authors[i].email.is_none() {
                    authors[i].email = email;
                }
            }
            None => warnings.push((line, format!("correspondence author {name:?} not matched to the byline"))),
        }
    }
    let emails: Vec<String> = entry
        .lines("author-email")
        .iter()
        .flat_map(|l| l.split(';').filter_map(non_empty).collect::<Vec<_>>())
        .collect();
    if let ([email], [i]) = (emails.as_slice(), corresponding.as_slice())
        && authors[*i].email.is_none()
    {
        authors[*i].email = Some(email.clone());
    }
    for item in entry.lines("orcid-numbers").iter().flat_map(|l| exports::split_outside_brackets(l, ';')) {
        let Some((name, id)) = item.rsplit_once('/') else { continue };
        let Some(orcid) = normalize_orcid(id) else {
            warnings.push((line, format!("ORCID-Numbers entry {item:?} is not a valid ORCID; dropped")));
            continue;
        };
        match find_author(&authors, name) {
            Some(i) if authors[i].orcid.is_none() => authors[i].orcid = Some(orcid),
            Some(_) => {}
            None => warnings.push((line, format!("ORCID-Numbers entry {item:?} not matched to the byline"))),
        }
    }
    authors
}

/// "Name A; Name B, Address" with names written as on the byline → (author positions, address).
fn leading_author_names(line: &str, authors: &[Author]) -> (Vec<usize>, String) {
    let mut rest = line.trim();
    let mut named = Vec::new();
    loop {
        let hit = authors.iter().enumerate().find(|(_, a)| {
            rest.strip_prefix(a.raw_name.as_str()).is_some_and(|r| r.starts_with("; ") || r.starts_with(", "))
        });
        let Some((i, a)) = hit else { break };
        named.push(i);
        let after = &rest[a.raw_name.len()..];
        if let Some(r) = after.strip_prefix("; ") {
            rest = r;
        } else {
            rest = after.trim_start_matches(", ");
            break;
        }
    }
    (named, rest.to_owned())
}

/// Splits an author field on ` and ` outside braces.
pub fn split_names(raw: &str) -> Vec<String> {
    let text = squash_whitespace(raw);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b' ' if depth == 0 && bytes.get(i..i + 5).is_some_and(|w| w.eq_ignore_ascii_case(b" and ")) => {
                out.push(text[start..i].trim().to_owned());
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(text[start..].trim().to_owned());
    out.retain(|n| !n.is_empty());
    out
}

/// One BibTeX name: `{Collective Name}`, `Family, Given`, `von Family, Jr, Given`, or `Given Family` (kept
/// whole: BibTeX's first/last split of a comma-less name is a guess).
pub fn author_from_bibtex(raw: &str) -> Author {
    let t = raw.trim();
    if let Some(inner) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
        && braces_balanced(inner)
    {
        let name = squash_whitespace(&decode_latex(inner));
        return Author { raw_name: name.clone(), collective: Some(name), ..Author::default() };
    }
    let parts: Vec<String> = split_top_level_commas(t).iter().map(|p| squash_whitespace(&decode_latex(p))).collect();
    let raw_name = squash_whitespace(&decode_latex(t));
    let mut author = Author { raw_name, ..Author::default() };
    let (family, suffix, given) = match parts.as_slice() {
        [family, given] => (Some(family), None, Some(given)),
        [family, suffix, given, ..] => (Some(family), Some(suffix), Some(given)),
        _ => (None, None, None),
    };
    author.family = family.and_then(|f| non_empty(f));
    author.suffix = suffix.and_then(|s| non_empty(s));
    author.given = given.and_then(|g| non_empty(g));
    author.initials = author.given.as_deref().and_then(initials_of_given);
    author
}

fn braces_balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn split_top_level_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out
}

/// Decodes LaTeX accents and escapes to Unicode and strips grouping braces: `{\"o}` → ö, `\'e` → é,
/// `{\aa}` → å, `\c{c}` → ç, `\'{\i}` → í, `\&` → &. Unknown commands (`\textit`) are dropped and their
/// argument kept. Never fails.
pub fn decode_latex(s: &str) -> String {
    if !s.contains(['\\', '{', '}', '~', '$']) {
        return s.to_owned();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '}' | '$' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            '\\' => i = decode_command(&chars, i + 1, &mut out),
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out.nfc().collect()
}

/// Decodes the command after a backslash at `i`; returns the index after it.
fn decode_command(chars: &[char], i: usize, out: &mut String) -> usize {
    let Some(&c) = chars.get(i) else { return i };
    if let Some(mark) = accent_mark(c).filter(|_| !c.is_ascii_alphabetic()) {
        return apply_accent(chars, i + 1, mark, out);
    }
    if !c.is_ascii_alphabetic() {
        match c {
            '\\' => out.push(' '),
            '-' | '/' => {}
            other => out.push(other),
        }
        return i + 1;
    }
    let name: String = chars[i..].iter().take_while(|c| c.is_ascii_alphabetic()).collect();
    let mut next = i + name.len();
    if name.len() == 1
        && let Some(mark) = accent_mark(c)
    {
        return apply_accent(chars, next, mark, out);
    }
    // TeX swallows the space after a control word.
    if chars.get(next) == Some(&' ') {
        next += 1;
    }
    if let Some(special) = special_letter(&name) {
        out.push_str(special);
    }
    next
}

/// Applies a combining mark to the argument starting at `i` (`{x}`, `x`, `\i`, `{\i}`).
fn apply_accent(chars: &[char], mut i: usize, mark: char, out: &mut String) -> usize {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let mut base = String::new();
    match chars.get(i) {
        Some('{') => {
            let mut depth = 0;
            let start = i + 1;
            while i < chars.len() {
                match chars[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let inner: String = chars[start..i.min(chars.len())].iter().collect();
            base = decode_latex(&inner);
            i += 1;
        }
        Some('\\') => {
            let mut tmp = String::new();
            i = decode_command(chars, i + 1, &mut tmp);
            base = tmp;
        }
        Some(&c) => {
            base.push(c);
            i += 1;
        }
        None => {}
    }
    let mut it = base.chars();
    match it.next() {
        Some(first) => {
            // Dotless i and j carry accents in LaTeX; the composed letter has its own dot rules.
            let first = match first {
                'ı' => 'i',
                'ȷ' => 'j',
                other => other,
            };
            out.push(first);
            out.push(mark);
            out.extend(it);
        }
        None => out.push(mark),
    }
    i
}

fn accent_mark(c: char) -> Option<char> {
    Some(match c {
        '`' => '\u{0300}',
        '\'' => '\u{0301}',
        '^' => '\u{0302}',
        '~' => '\u{0303}',
        '=' => '\u{0304}',
        'u' => '\u{0306}',
        '.' => '\u{0307}',
        '"' => '\u{0308}',
        'r' => '\u{030A}',
        'H' => '\u{030B}',
        'v' => '\u{030C}',
        'd' => '\u{0323}',
        'c' => '\u{0327}',
        'k' => '\u{0328}',
        'b' => '\u{0331}',
        't' => '\u{0361}',
        _ => return None,
    })
}

fn special_letter(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteright" => "’",
        "textquoteleft" => "‘",
        "textregistered" => "®",
        "copyright" | "textcopyright" => "©",
        "textdegree" => "°",
        "S" => "§",
        "P" => "¶",
        "euro" => "€",
        "pounds" => "£",
        "textbackslash" => "\\",
        "textasciitilde" => "~",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_accents_decode_to_unicode() {
        assert_eq!(decode_latex(r#"M{\"o}ller"#), "Möller");
        assert_eq!(decode_latex(r"Jos\'e"), "José");
        assert_eq!(decode_latex(r#"{\aa}ngstr{\"o}m"#), "ångström");
        assert_eq!(decode_latex(r"Fran\c{c}ois"), "François");
        assert_eq!(decode_latex(r"Cl\'{\i}maco"), "Clímaco");
        assert_eq!(decode_latex(r"{\'{E}}cole"), "École");
        assert_eq!(decode_latex(r"Dvo\v{r}\'ak"), "Dvořák");
        assert_eq!(decode_latex(r"Sch{\ss}ler \& {\L}ukasz"), "Schßler & Łukasz");
        assert_eq!(decode_latex(r"{{A Hybrid GRASP}}"), "A Hybrid GRASP");
        assert_eq!(decode_latex(r"8:4\{."), "8:4{.");
        assert_eq!(decode_latex(r"\textit{in vivo}"), "in vivo");
        assert_eq!(decode_latex("plain"), "plain");
    }

    #[test]
    fn bibtex_names_split_on_and_outside_braces() {
        let names = split_names(r"Li, W. and G{\'o}mez, Ana and Jane Q. Doe and {Barnes and Noble, Inc.}");
        assert_eq!(names.len(), 4);
        let a = author_from_bibtex(&names[1]);
        assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Gómez"), Some("Ana")));
        let doe = author_from_bibtex(&names[2]);
        assert_eq!(doe.raw_name, "Jane Q. Doe");
        assert_eq!((doe.family, doe.given), (None, None));
        let org = author_from_bibtex(&names[3]);
        assert_eq!(org.collective.as_deref(), Some("Barnes and Noble, Inc."));
        let jr = author_from_bibtex("von Neumann, Jr, John");
        assert_eq!(
            (jr.family.as_deref(), jr.suffix.as_deref(), jr.given.as_deref()),
            (Some("von Neumann"), Some("Jr"), Some("John"))
        );
    }

    #[test]
    fn entries_with_illegal_field_names_parse() {
        let e = parse_entry("@ARTICLE{k,\nfunding_text 1={A {B} c},\nyear=2020, month = jul}\n", &HashMap::new());
        let e = e.unwrap_or_else(|r| panic!("{r}"));
        assert_eq!(e.raw("funding_text 1"), Some("A {B} c"));
        assert_eq!(e.raw("year"), Some("2020"));
        assert_eq!(e.raw("month"), Some("jul"));
    }
}
