//! What the XML readers share: how a quick-xml error becomes a position and a reason, and the references
//! byline decodes (the five predefined entities and character references; an entity a DTD declares is never
//! expanded, so no document can make a reader fetch or grow anything).

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::BytesStart;

/// The byte offset and the reason of a read error: syntax errors where quick-xml saw them, anything else
/// (bad UTF-8, a cut gzip stream) where reading stopped.
pub(crate) fn read_error<R>(reader: &Reader<R>, err: &quick_xml::Error) -> (u64, String) {
    let offset = match err {
        quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => reader.error_position(),
        _ => reader.buffer_position(),
    };
    let reason = match err {
        quick_xml::Error::Encoding(e) => format!("invalid UTF-8 in the XML: {e}"),
        quick_xml::Error::Io(e) => format!("cannot read input (truncated or corrupt gzip?): {e}"),
        other => format!("XML error: {other}"),
    };
    (offset, reason)
}

/// An attribute's value with entity and character references decoded (unknown entities kept literally).
/// Malformed attributes count as absent.
pub(crate) fn attribute<'a>(start: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    let attribute = start.try_get_attribute(name).ok()??;
    match attribute.value {
        Cow::Borrowed(value) => Some(decode_references(value)),
        Cow::Owned(value) => Some(Cow::Owned(decode_references(&value).into_owned())),
    }
}

/// Decodes `&amp;`-style references in raw attribute text; anything that is not a known reference stays as is.
fn decode_references(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let resolved = after.find(';').and_then(|semi| Some((resolve_reference(&after[..semi])?, semi)));
        match resolved {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference stands for: the five predefined XML entities and character references.
/// Returns `None` for anything else (entities declared in a DTD are never expanded).
pub(crate) fn resolve_reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix('x').or_else(|| number.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_entities_stay_literal_and_known_ones_decode() {
        assert_eq!(decode_references("A &amp; B &lol9; &#x3b1;"), "A & B &lol9; α");
        assert_eq!(decode_references("dangling & end"), "dangling & end");
        assert_eq!(resolve_reference("#0"), None);
        assert_eq!(resolve_reference("#x110000"), None);
    }
}
