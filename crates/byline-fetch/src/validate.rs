//! Checks a body before it is kept: what each API answers when it is working, and clear reasons when it is
//! not (an HTML page sent with status 200, truncated JSON, an E-utilities `ERROR`, an ORCID record of
//! another iD). Nothing here panics on any body.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

/// Refuses an HTML page (a proxy's or a captive portal's, or an error page served with status 200).
pub fn not_html(content_type: Option<&str>, body: &[u8]) -> Result<(), String> {
    let head: Vec<u8> =
        body.iter().skip_while(|b| b.is_ascii_whitespace()).take(64).map(u8::to_ascii_lowercase).collect();
    if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("text/html"))
        || head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
    {
        return Err(format!("an HTML page, not the API's answer: {}", crate::http::snippet(body)));
    }
    Ok(())
}

/// Parses a whole JSON body (a truncated one fails here, with where it ended).
pub fn json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("not valid JSON ({e}); truncated or not the API's answer"))
}

/// An OpenAlex list page: its works and the next cursor.
pub fn openalex_page(value: &Value) -> Result<(usize, Option<String>), String> {
    let results = value
        .get("results")
        .and_then(Value::as_array)
        .ok_or("an OpenAlex answer without a `results` list (not a works page)")?;
    let next = value.pointer("/meta/next_cursor").and_then(Value::as_str).map(str::to_owned);
    Ok((results.len(), next))
}

/// A Crossref `work-list` message: its items and the next cursor.
pub fn crossref_page(value: &Value) -> Result<(usize, Option<String>), String> {
    if let Some(status) = value.get("status").and_then(Value::as_str)
        && status != "ok"
    {
        return Err(format!("Crossref status {status:?}"));
    }
    let kind = value.get("message-type").and_then(Value::as_str).unwrap_or("");
    if kind != "work-list" {
        return Err(format!("a Crossref answer of type {kind:?}, not a work-list"));
    }
    let items = value
        .pointer("/message/items")
        .and_then(Value::as_array)
        .ok_or("a Crossref work-list without `message.items`")?;
    let next = value.pointer("/message/next-cursor").and_then(Value::as_str).map(str::to_owned);
    Ok((items.len(), next))
}

/// What an esearch answer says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Esearch {
    pub count: u64,
    pub ids: Vec<String>,
}

/// Reads an E-utilities esearch XML answer; an `<ERROR>` or a missing `<Count>` is an error.
pub fn esearch(body: &[u8]) -> Result<Esearch, String> {
    let mut reader = Reader::from_reader(body);
    let mut out = Esearch::default();
    let mut path: Vec<String> = Vec::new();
    let mut saw_root = false;
    let mut saw_count = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name().into_inner().to_owned();
                saw_root |= name == "eSearchResult";
                path.push(name);
            }
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Text(t)) => {
                let raw: &str = &t;
                let text = raw.trim().to_owned();
                match path.last().map(String::as_str) {
                    // Only the top-level Count: translation stacks carry their own.
                    Some("Count") if path.len() == 2 => {
                        out.count = text.parse().map_err(|_| format!("esearch Count {text:?} is not a number"))?;
                        saw_count = true;
                    }
                    Some("Id")
                        if path.iter().any(|p| p == "IdList")
                            && !text.is_empty()
                            && text.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        out.ids.push(text);
                    }
                    Some("ERROR") => return Err(format!("E-utilities error: {text}")),
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("esearch XML broken at byte {}: {e}", reader.buffer_position())),
        }
        buf.clear();
    }
    if !saw_root || !saw_count {
        return Err("not an esearch answer (no eSearchResult/Count)".to_owned());
    }
    Ok(out)
}

/// An efetch PubMed answer must be one whole `PubmedArticleSet` (a cut body misses its end tag).
pub fn efetch(body: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    if !text.contains("<PubmedArticleSet") {
        return Err("not a PubMed efetch answer (no PubmedArticleSet)".to_owned());
    }
    let tail_start = body.len().saturating_sub(256);
    let tail = String::from_utf8_lossy(&body[tail_start..]);
    if !tail.trim_end().ends_with("</PubmedArticleSet>") {
        return Err("the efetch answer ends before </PubmedArticleSet> (truncated)".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_with_status_200_is_refused() {
        assert!(not_html(Some("text/html; charset=utf-8"), b"{}").is_err());
        assert!(not_html(None, b"  <!DOCTYPE html><html>Service unavailable</html>").is_err());
        assert!(not_html(Some("application/json"), b"{\"results\":[]}").is_ok());
    }

    #[test]
    fn truncated_json_is_an_error() {
        assert!(json(br#"{"meta":{"count":2},"results":[{"id":"W1""#).is_err());
    }

    #[test]
    fn esearch_error_and_count() {
        let e = esearch(b"<eSearchResult><ERROR>Invalid query</ERROR></eSearchResult>").err().unwrap_or_default();
        assert!(e.contains("Invalid query"), "{e}");
        assert!(esearch(b"<html/>").is_err());
    }
}
