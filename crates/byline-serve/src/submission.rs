//! A request body → the [`Work`] to screen: JSON as `byline screen` takes it (title, abstract, authors…), or
//! JATS XML (any XML format the readers sniff; the first record). Bad bodies are `400`s naming what is wrong.

use std::io::Cursor;

use byline_detect::Submission;
use byline_model::Work;
use byline_parse::input::Input;
use byline_parse::{Event, read_stream, sniff_format};

use crate::error::ApiError;

/// How the body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Xml,
}

/// The name an XML submission is reported under (the readers name records by their file; a body has none).
pub const XML_SUBMISSION_NAME: &str = "submission.xml";

/// The body's kind from its `Content-Type` (`application/json`, `*+json`; `application/xml`, `text/xml`,
/// `application/jats+xml`, `*+xml`); without one, from its first non-blank byte.
pub fn body_kind(content_type: Option<&str>, body: &[u8]) -> Result<BodyKind, ApiError> {
    if let Some(ct) = content_type {
        let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        return match essence.as_str() {
            "application/json" => Ok(BodyKind::Json),
            "application/xml" | "text/xml" => Ok(BodyKind::Xml),
            e if e.ends_with("+json") => Ok(BodyKind::Json),
            e if e.ends_with("+xml") => Ok(BodyKind::Xml),
            _ => Err(ApiError::UnsupportedMediaType(
                "Content-Type must be application/json or application/xml (JATS: application/jats+xml)".to_owned(),
            )),
        };
    }
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(BodyKind::Json),
        Some(b'<') => Ok(BodyKind::Xml),
        _ => Err(ApiError::UnsupportedMediaType(
            "no Content-Type and the body starts with neither '{' nor '<'".to_owned(),
        )),
    }
}

/// The work a body describes.
pub fn work_from_body(kind: BodyKind, body: &[u8]) -> Result<Work, ApiError> {
    match kind {
        BodyKind::Json => work_from_json(body),
        BodyKind::Xml => work_from_xml(body, XML_SUBMISSION_NAME),
    }
}

/// A JSON submission (`byline screen`'s shape).
pub fn work_from_json(body: &[u8]) -> Result<Work, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::BadRequest(format!("the JSON body is not UTF-8 (byte {})", e.valid_up_to())))?;
    let submission = Submission::from_json_str(text).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(submission_work(&submission))
}

/// A parsed submission as the work to screen, named as `byline screen` names one without a file.
pub fn submission_work(submission: &Submission) -> Work {
    let mut work = submission.to_work();
    work.source.path = submission.name.clone().unwrap_or_else(|| "submission.json".to_owned());
    work
}

/// An XML submission: the readers' own sniffing and parsing (they never load a DTD or expand an external
/// entity), the first record. Gzip is refused: a small compressed body can expand past the body limit.
pub fn work_from_xml(body: &[u8], name: &str) -> Result<Work, ApiError> {
    if body.starts_with(&[0x1f, 0x8b]) {
        return Err(ApiError::UnsupportedMediaType(
            "compressed bodies are not accepted: send the XML itself".to_owned(),
        ));
    }
    let mut input = Input::from_reader(Box::new(Cursor::new(body.to_vec())));
    let format = match input.peek().map(|head| sniff_format(head, name)) {
        Ok(Some(f)) => f,
        Ok(None) => {
            return Err(ApiError::BadRequest(
                "the body is not a recognized article format (JATS or PubMed XML expected)".to_owned(),
            ));
        }
        Err(e) => return Err(ApiError::BadRequest(format!("the body could not be read: {e}"))),
    };
    let mut first: Option<Work> = None;
    let mut rejected: Option<String> = None;
    let result = read_stream(format, &mut input, name, &mut |event| match event {
        Event::Work(w) if first.is_none() => first = Some(*w),
        Event::Rejected(d) if rejected.is_none() => rejected = Some(d.reason.clone()),
        _ => {}
    });
    match (first, result) {
        (Some(work), _) => Ok(work),
        (None, Err(d)) => Err(ApiError::BadRequest(format!("the {format} body could not be read: {}", d.reason))),
        (None, Ok(())) => Err(ApiError::BadRequest(format!(
            "no usable record in the {format} body{}",
            rejected.map(|r| format!(": {r}")).unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_content_type_then_the_first_byte() {
        assert_eq!(body_kind(Some("application/jats+xml; charset=utf-8"), b"{").ok(), Some(BodyKind::Xml));
        assert_eq!(body_kind(Some("Application/JSON"), b"<").ok(), Some(BodyKind::Json));
        assert_eq!(body_kind(None, b"  \n<article/>").ok(), Some(BodyKind::Xml));
        assert!(body_kind(Some("text/plain"), b"{}").is_err());
        assert!(body_kind(None, b"\x00\x01").is_err());
    }

    #[test]
    fn malformed_json_names_the_place() {
        let Err(ApiError::BadRequest(m)) = work_from_json(br#"{"title": "x", "authors": [}"#) else {
            panic!("malformed JSON must be a bad request")
        };
        assert!(m.contains("line 1"), "{m}");
    }

    #[test]
    fn an_xml_doctype_with_an_entity_is_not_expanded() {
        let body = br#"<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]><article><front><article-meta><title-group><article-title>&x;</article-title></title-group></article-meta></front></article>"#;
        match work_from_xml(body, XML_SUBMISSION_NAME) {
            Ok(w) => assert!(!w.title.unwrap_or_default().contains("root:"), "entity expanded"),
            Err(e) => assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST),
        }
    }
}
