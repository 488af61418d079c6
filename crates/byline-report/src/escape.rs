//! Escapers for every output format. Every string from metadata is untrusted (a title can contain `<script>`,
//! a DOI can contain `"`), so each renderer passes it through exactly one of these on the way out.

use std::fmt::Write as _;

/// Escapes text for HTML and XML element content and double- or single-quoted attribute values.
///
/// Control characters that XML 1.0 forbids are dropped, so a stray `\u{1}` in a title cannot make an SVG, GraphML
/// or GEXF file unparseable.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// XML escaping is HTML escaping: the same five characters, the same forbidden controls.
pub fn escape_xml(text: &str) -> String {
    escape_html(text)
}

/// Escapes the characters that make Markdown out of metadata, and folds line breaks into spaces, so a title
/// cannot open a link, emphasis, a table cell, raw HTML or an entity in an e-mail. Inline: `\ ` * _ [ ] < > | ~ &`
/// always; block markers (`#`, `-`, `+`, `=`, `1.`) only at the start, where they would begin a heading or list.
/// Punctuation that is harmless in running text (`.`, `:`, `'`, `(`) is left alone so the text stays readable.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let trimmed = text.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let ordered_marker = digits > 0 && trimmed[digits..].starts_with(['.', ')']);
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if ordered_marker && i == digits => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that a spreadsheet would
/// read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading `'`, following OWASP's
/// advice on CSV injection; scores are written by the caller as numbers and never pass through here.
pub fn escape_csv(field: &str) -> String {
    let guarded =
        if field.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{field}") } else { field.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// One TSV cell (VOSviewer files): tabs and line breaks become spaces, since the format has no quoting.
pub fn escape_tsv(field: &str) -> String {
    field.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

/// The `https://doi.org/` link for a DOI, or `None` when the string is not a DOI (so nothing odd becomes a link).
/// Everything outside RFC 3986's unreserved set and `/` is percent-encoded, so the result is safe inside an
/// attribute and cannot change the URL's scheme or host.
pub fn doi_url(doi: &str) -> Option<String> {
    let doi = byline_model::normalize_doi(doi)?;
    Some(format!("https://doi.org/{}", percent_encode_path(&doi)))
}

/// The PubMed link for a PMID, or `None` unless it is all digits.
pub fn pubmed_url(pmid: &str) -> Option<String> {
    let pmid = pmid.trim();
    (!pmid.is_empty() && pmid.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
}

fn percent_encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_neutralizes_script_and_attribute_breakout() {
        assert_eq!(escape_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape_html(r#"" onmouseover='x'"#), "&quot; onmouseover=&#39;x&#39;");
        assert_eq!(escape_html("a & b"), "a &amp; b");
        assert_eq!(escape_html("张伟 محمد"), "张伟 محمد");
        assert_eq!(escape_html("bell\u{7}here"), "bellhere");
    }

    #[test]
    fn markdown_escaping_disarms_links_headings_and_html() {
        assert_eq!(escape_markdown("[x](javascript:1)"), r"\[x\](javascript:1)");
        assert_eq!(escape_markdown("# h\n<b>"), r"\# h \<b\>");
        assert_eq!(escape_markdown("a|b*c_ &amp;"), r"a\|b\*c\_ \&amp;");
        assert_eq!(escape_markdown("2021. A year"), r"2021\. A year");
        assert_eq!(escape_markdown("- item"), r"\- item");
        assert_eq!(escape_markdown("co-author 0.91"), "co-author 0.91");
    }

    #[test]
    fn csv_quotes_separators_and_guards_formulas() {
        assert_eq!(escape_csv("plain"), "plain");
        assert_eq!(escape_csv("a,b"), "\"a,b\"");
        assert_eq!(escape_csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape_csv("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn doi_links_are_percent_encoded_and_reject_non_dois() {
        assert_eq!(doi_url("10.1000/abc\"><script>").as_deref(), Some("https://doi.org/10.1000/abc%22%3E%3Cscript%3E"));
        assert_eq!(
            doi_url("https://doi.org/10.1002/(SICI)1097").as_deref(),
            Some("https://doi.org/10.1002/%28sici%291097")
        );
        assert_eq!(doi_url("javascript:alert(1)"), None);
        assert_eq!(pubmed_url("12345"), Some("https://pubmed.ncbi.nlm.nih.gov/12345/".to_owned()));
        assert_eq!(pubmed_url("1 OR 1"), None);
    }
}
