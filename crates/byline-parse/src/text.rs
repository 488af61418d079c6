//! Small text helpers shared by the readers.

/// Collapses runs of whitespace (including newlines from pretty-printed XML) to single spaces and trims.
pub fn squash_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// `Some(squashed)` unless the text is empty after squashing.
pub fn non_empty(s: &str) -> Option<String> {
    let t = squash_whitespace(s);
    if t.is_empty() { None } else { Some(t) }
}

/// Removes inline markup tags (`<i>`, `<jats:p>`, `<sup>`) from a string that carries them as text (Crossref
/// abstracts are JATS inside a JSON string), decoding the five XML entities. Not an XML parser: it never
/// fails, which is what a string from untrusted metadata needs.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
            }
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    squash_whitespace(&decoded)
}

/// Initials from a given name: "Jean-Paul Marie" → "JPM". Empty input gives `None`.
pub fn initials_of(given: &str) -> Option<String> {
    let mut out = String::new();
    for part in given.split(|c: char| c.is_whitespace() || c == '-' || c == '.') {
        if let Some(c) = part.chars().next()
            && c.is_alphabetic()
        {
            out.extend(c.to_uppercase());
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// Parses a month given as a number or an English name/abbreviation ("Jul", "July", "07").
pub fn parse_month(s: &str) -> Option<u8> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = s.to_ascii_lowercase();
    NAMES.iter().position(|m| lower.starts_with(m)).map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_and_strip() {
        assert_eq!(squash_whitespace("  a \n\t b  "), "a b");
        assert_eq!(strip_tags("<jats:p>Cells &amp; <i>genes</i></jats:p>"), "Cells & genes");
        assert_eq!(initials_of("Jean-Paul Marie").as_deref(), Some("JPM"));
        assert_eq!(parse_month("Jul"), Some(7));
        assert_eq!(parse_month("13"), None);
    }
}
