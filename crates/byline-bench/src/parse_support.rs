//! Baselines for throughput measurements: what the machine can do on the same bytes without building any
//! records, so that a reader's speed can be stated as a fraction of that limit.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

use byline_parse::input::Input;

/// The "raw limit" for an XML reader: decompresses (when gzip) and tokenizes the whole input with quick-xml,
/// with the same reader configuration as the readers and a reused buffer, building nothing. Returns the
/// number of XML events.
pub fn raw_xml_tokenize(input: &mut Input) -> Result<u64, String> {
    tokenize(input)
}

fn tokenize<R: BufRead>(input: R) -> Result<u64, String> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut events: u64 = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Eof) => return Ok(events),
            Ok(_) => events += 1,
            Err(e) => return Err(format!("byte {}: {e}", reader.error_position())),
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_event_including_whitespace_text() {
        // <a>, "\n", <b/>, "x", </a>
        assert_eq!(tokenize(&b"<a>\n<b/>x</a>"[..]), Ok(5));
        assert!(tokenize(&b"<a><b></a>"[..]).is_err());
    }
}
