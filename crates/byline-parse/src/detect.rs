//! Format detection from content (the first bytes of the decompressed stream), not from file extensions.

use byline_model::Format;

/// Guesses the format from the first bytes of a file. `path` is only a tie-breaker for formats whose
/// content is ambiguous. Returns `None` for anything byline does not read (DTDs, Markdown, images…).
pub fn sniff_format(head: &[u8], path: &str) -> Option<Format> {
    let _ = path;
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        return sniff_xml(trimmed);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return sniff_json(trimmed);
    }
    sniff_text_export(&text)
}

/// How many leading non-blank lines are examined for a tagged text export. Ovid numbers its RIS records
/// ("1.") and Scopus BibTeX starts with an "EXPORT DATE" banner, so the tag is not always on line one.
const TEXT_SNIFF_LINES: usize = 12;

/// The field-tagged and delimited exports: WoS plain and tab-delimited, RIS, MEDLINE text, Scopus CSV,
/// BibTeX. Other CSV exports (Lens, IEEE Xplore, SpringerLink) are not recognized: no reader maps their
/// columns, and an unrecognized file is reported as skipped rather than misread.
fn sniff_text_export(text: &str) -> Option<Format> {
    let mut lines =
        text.lines().map(|l| l.trim_start_matches('\u{feff}').trim_end_matches('\r')).filter(|l| !l.trim().is_empty());
    let first = lines.next()?;
    if first.starts_with("PT\t") && (first.contains("\tAU\t") || first.contains("\tTI\t")) {
        return Some(Format::WosTab);
    }
    if first.starts_with("FN ")
        || (first.starts_with("PT ") && text.lines().any(|l| l.starts_with("AU ") || l.starts_with("TI ")))
    {
        return Some(Format::WosPlain);
    }
    if first.starts_with("PMID-") {
        return Some(Format::Medline);
    }
    if is_scopus_csv_header(first) {
        return Some(Format::ScopusCsv);
    }
    for line in std::iter::once(first).chain(lines).take(TEXT_SNIFF_LINES) {
        if line.starts_with("TY  -") {
            return Some(Format::Ris);
        }
        if line.starts_with("PMID-") {
            return Some(Format::Medline);
        }
        if is_bibtex_entry_start(line) {
            return Some(Format::Bibtex);
        }
    }
    // Long BibTeX comment blocks: any entry start in the head.
    text.lines().any(is_bibtex_entry_start).then_some(Format::Bibtex)
}

fn is_bibtex_entry_start(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix('@') else { return false };
    let name: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    !name.is_empty()
        && !name.eq_ignore_ascii_case("comment")
        && !name.eq_ignore_ascii_case("string")
        && !name.eq_ignore_ascii_case("preamble")
        && rest[name.len()..].trim_start().starts_with(['{', '('])
}

/// A Scopus CSV header: `Authors` or `Author full names`, `Title`, and a Scopus-only column (`Source
/// title` with a lower-case t, `EID`, `Authors with affiliations`).
fn is_scopus_csv_header(line: &str) -> bool {
    let columns: Vec<&str> =
        line.split(',').map(|c| c.trim().trim_matches('"').trim_start_matches('\u{feff}')).collect();
    let has = |name: &str| columns.contains(&name);
    (has("Authors") || has("Author full names"))
        && has("Title")
        && (has("Source title") || has("EID") || has("Authors with affiliations"))
}

/// The name of the first element in an XML head (skipping the prolog, comments, DOCTYPE).
fn first_element(xml: &str) -> Option<&str> {
    let mut rest = xml;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            // Skip to the end of this declaration. A DOCTYPE with an internal subset has nested '<': skip
            // to "]>" when there is a '[' before the first '>'.
            let close = rest.find('>')?;
            if rest.starts_with("!DOCTYPE") && rest[..close].contains('[') {
                let end = rest.find("]>")?;
                rest = &rest[end + 2..];
            } else {
                rest = &rest[close + 1..];
            }
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
}

fn sniff_xml(xml: &str) -> Option<Format> {
    let root = first_element(xml)?;
    let local = root.rsplit(':').next().unwrap_or(root);
    match local {
        "PubmedArticleSet" | "PubmedArticle" | "PubmedBookArticle" | "MedlineCitationSet" | "MedlineCitation" => {
            Some(Format::Pubmed)
        }
        "article" | "pmc-articleset" | "articles" => Some(Format::Jats),
        // An Atom feed is J-STAGE's only with one of J-STAGE's own elements in the head (arXiv's, a blog's or
        // a journal's table-of-contents feed are not publication records byline reads).
        "feed" if crate::jstage::JSTAGE_ELEMENTS.iter().any(|e| xml.contains(e)) => Some(Format::Jstage),
        _ => None,
    }
}

/// Keys only an OpenAlex *work* has (other OpenAlex entities — institutions, authors, sources — have none of
/// them), so that a works snapshot part whose first record starts with `is_retracted` is still recognized.
const OPENALEX_WORK_SIGNALS: [&str; 6] = [
    "\"https://openalex.org/W",
    "\"authorships\"",
    "\"abstract_inverted_index\"",
    "\"referenced_works\"",
    "\"host_venue\"",
    "\"publication_year\"",
];

/// Keys and values only Crossref writes: the REST envelope, hyphenated work keys, JATS inside strings
/// (a public-data-file chunk may open with a long `abstract`).
const CROSSREF_SIGNALS: [&str; 8] = [
    "\"message-type\"",
    "\"container-title\"",
    "\"DOI\"",
    "\"reference-count\"",
    "\"is-referenced-by-count\"",
    "\"short-container-title\"",
    "\"date-parts\"",
    "<jats:",
];

fn sniff_json(json: &str) -> Option<Format> {
    // Look at the head only: enough to tell Crossref from OpenAlex. OpenAlex is checked first because a
    // Crossref record never carries OpenAlex keys, while OpenAlex records quote DOIs and Crossref names.
    let window: &str = &json[..floor_char_boundary(json, 16 * 1024)];
    if OPENALEX_WORK_SIGNALS.iter().any(|s| window.contains(s)) {
        Some(Format::Openalex)
    } else if CROSSREF_SIGNALS.iter().any(|s| window.contains(s)) {
        Some(Format::Crossref)
    } else {
        // OpenAlex institutions/authors/sources, snapshot manifests, other JSON: not publication records.
        None
    }
}

/// The largest index `<= at` that is a char boundary of `s` (slicing a UTF-8 head must not panic).
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_xml_roots_past_doctype() {
        let pubmed = "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"x\" \"y\">\n<PubmedArticleSet>";
        assert_eq!(sniff_format(pubmed.as_bytes(), "a"), Some(Format::Pubmed));
        let jats = "<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS\" \"x.dtd\"><article article-type=\"x\">";
        assert_eq!(sniff_format(jats.as_bytes(), "a"), Some(Format::Jats));
        let subset = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><PubmedArticleSet>";
        assert_eq!(sniff_format(subset.as_bytes(), "a"), Some(Format::Pubmed));
        assert_eq!(sniff_format(b"<!ELEMENT x (y)>", "a.dtd"), None);
        assert_eq!(sniff_format(b"# Title\n", "a.md"), None);
    }

    #[test]
    fn sniffs_jstage_only_on_its_own_elements() {
        let jstage = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<result><status>0</status>\
                      </result><title>Articles</title><servicecd>3</servicecd>";
        assert_eq!(sniff_format(jstage.as_bytes(), "a"), Some(Format::Jstage));
        let arxiv = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>arXiv Query</title>\
                     <entry><id>http://arxiv.org/abs/1</id><title>T</title><author><name>A</name></author></entry>";
        assert_eq!(sniff_format(arxiv.as_bytes(), "a"), None);
    }

    #[test]
    fn sniffs_json_sources() {
        assert_eq!(sniff_format(br#"{"status":"ok","message-type":"work"}"#, "a"), Some(Format::Crossref));
        assert_eq!(sniff_format(br#"{"id":"https://openalex.org/W1","authorships":[]}"#, "a"), Some(Format::Openalex));
        assert_eq!(sniff_format(br#"{"id":"https://openalex.org/I1"}"#, "a"), None);
    }

    #[test]
    fn sniffs_json_envelopes_and_snapshot_layouts() {
        // Crossref public-data-file chunk, pretty-printed, opening with a JATS abstract.
        let chunk = "{\n  \"items\": [\n    {\n      \"abstract\": \"<jats:p>Financial literacy</jats:p>\",";
        assert_eq!(sniff_format(chunk.as_bytes(), "a.json"), Some(Format::Crossref));
        // OpenAlex API list page.
        let page = r#"{"meta":{"count":2},"results":[{"id":"https://openalex.org/W2741809807","doi":null}]}"#;
        assert_eq!(sniff_format(page.as_bytes(), "a"), Some(Format::Openalex));
        // OpenAlex snapshot works part: keys in no particular order.
        let part = r#"{"is_retracted": false, "biblio": {"volume": "64"}, "publication_year": 2023}"#;
        assert_eq!(sniff_format(part.as_bytes(), "part_000"), Some(Format::Openalex));
        // OpenAlex institutions part and snapshot manifest: not works.
        let institution = r#"{"lineage": ["https://openalex.org/I4210124069"], "ror": "https://ror.org/05qghxh33"}"#;
        assert_eq!(sniff_format(institution.as_bytes(), "part_000"), None);
        let manifest = r#"{"entries": [{"url": "s3://openalex/data/works/updated_date=2023-05-16/part_000.gz"}]}"#;
        assert_eq!(sniff_format(manifest.as_bytes(), "manifest"), None);
    }

    #[test]
    fn sniffing_a_head_cut_inside_a_character_does_not_panic() {
        // 7 ASCII bytes then 2-byte characters: byte 16384 falls inside one.
        let mut head = b"{\"t\": \"".to_vec();
        head.extend(std::iter::repeat_n("\u{00e9}".as_bytes(), 9000).flatten());
        assert_eq!(sniff_format(&head, "a"), None);
    }

    #[test]
    fn sniffs_tagged_text_exports() {
        assert_eq!(
            sniff_format("\u{feff}FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Toh, ML\n".as_bytes(), "a"),
            Some(Format::WosPlain)
        );
        assert_eq!(sniff_format(b"PT J\nAU Toh, ML\nTI x\nER\n", "a"), Some(Format::WosPlain));
        assert_eq!(
            sniff_format("\u{feff}PT\tAU\tBA\tTI\tSO\r\nJ\tX\t\tY\tZ\r\n".as_bytes(), "a"),
            Some(Format::WosTab)
        );
        assert_eq!(sniff_format(b"\nPMID- 12230038\nOWN - NLM\n", "a"), Some(Format::Medline));
        assert_eq!(sniff_format(b"TY  - JOUR\r\nTI  - x\r\n", "a"), Some(Format::Ris));
        assert_eq!(sniff_format(b"1.\nTY  - JOUR\nID  - 2020\n", "ovid"), Some(Format::Ris));
        assert_eq!(sniff_format("\u{feff}TY  - JOUR\n".as_bytes(), "a"), Some(Format::Ris));
    }

    #[test]
    fn sniffs_bibtex_after_banners_and_comments() {
        assert_eq!(sniff_format(b"\n@ARTICLE{Li2020,\nauthor={Li, W.},\n}", "a"), Some(Format::Bibtex));
        assert_eq!(
            sniff_format("\u{feff}Scopus\nEXPORT DATE: 08 July 2023\n\n@ARTICLE{H,\n".as_bytes(), "a"),
            Some(Format::Bibtex)
        );
        assert_eq!(sniff_format(b"% comment\n@Comment{x}\n@inproceedings{ WOS:1,\n", "a"), Some(Format::Bibtex));
        assert_eq!(sniff_format(b"@comment{only a comment}\n", "a"), None);
    }

    #[test]
    fn sniffs_scopus_csv_but_not_other_csv_exports() {
        let scopus = "\u{feff}Authors,Author(s) ID,Title,Year,Source title,Volume,DOI,EID\n";
        assert_eq!(sniff_format(scopus.as_bytes(), "a"), Some(Format::ScopusCsv));
        let newer = "\"Authors\",\"Author full names\",\"Author(s) ID\",\"Title\",\"Year\",\"Source title\"\n";
        assert_eq!(sniff_format(newer.as_bytes(), "a"), Some(Format::ScopusCsv));
        let lens = "\"Lens ID\",\"Title\",\"Date Published\",\"Source Title\",\"Author/s\"\n";
        assert_eq!(sniff_format(lens.as_bytes(), "a"), None);
        let springer = "Item Title,Publication Title,Book Series Title,Item DOI,Authors,Publication Year\n";
        assert_eq!(sniff_format(springer.as_bytes(), "a"), None);
        let ieee = "\"Document Title\",Authors,\"Author Affiliations\",\"Publication Title\"\n";
        assert_eq!(sniff_format(ieee.as_bytes(), "a"), None);
    }
}
