//! Integration tests for byline-report: one binary, one module per output.

mod browser;
mod html;
mod machine;
mod markdown;
mod network;
#[cfg(feature = "png")]
mod raster;
mod svg;

use byline_report::ReportInput;

/// The sample audit with the report title itself carrying a script, as a hostile input would.
fn hostile_input() -> ReportInput {
    let mut input = byline_report::sample_input();
    input.title = format!("{} <script>document.title='PWNED-TITLE'</script>", input.title);
    input
}

/// One XML element as the tests see it: name, attributes (normalized as XML 1.0 requires) and its own text.
struct Element {
    name: String,
    attrs: std::collections::BTreeMap<String, String>,
    text: String,
}

/// Parses XML (SVG, GraphML, GEXF) with quick-xml, asserting it is well-formed and balanced.
fn parse_xml(xml: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    let element = |e: &BytesStart<'_>| Element {
        name: e.name().as_ref().to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute parses");
                let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("attribute unescapes");
                (a.key.as_ref().to_owned(), value.into_owned())
            })
            .collect(),
        text: String::new(),
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                elements.push(element(&e));
                open.push(elements.len() - 1);
            }
            Event::Empty(e) => elements.push(element(&e)),
            Event::End(_) => {
                open.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let entity = format!("&{};", r.into_inner());
                let resolved = quick_xml::escape::unescape(&entity).expect("known entity");
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    elements
}
