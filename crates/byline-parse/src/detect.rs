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
    None
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
        _ => None,
    }
}

fn sniff_json(json: &str) -> Option<Format> {
    // Look at the keys of the first object only: enough to tell Crossref from OpenAlex.
    let window: &str = &json[..json.len().min(16 * 1024)];
    let openalex = window.contains("\"https://openalex.org/W") || window.contains("\"authorships\"");
    let openalex_other_entity = window.contains("\"https://openalex.org/I")
        || window.contains("\"https://openalex.org/A")
        || window.contains("\"https://openalex.org/S");
    let crossref = window.contains("\"message-type\"")
        || window.contains("\"container-title\"")
        || window.contains("\"DOI\"")
        || window.contains("\"reference-count\"");
    if openalex {
        Some(Format::Openalex)
    } else if crossref {
        Some(Format::Crossref)
    } else if openalex_other_entity {
        None
    } else {
        None
    }
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
    fn sniffs_json_sources() {
        assert_eq!(sniff_format(br#"{"status":"ok","message-type":"work"}"#, "a"), Some(Format::Crossref));
        assert_eq!(sniff_format(br#"{"id":"https://openalex.org/W1","authorships":[]}"#, "a"), Some(Format::Openalex));
        assert_eq!(sniff_format(br#"{"id":"https://openalex.org/I1"}"#, "a"), None);
    }
}
