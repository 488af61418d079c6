//! Text bound for the terminal: control characters escaped, in one place.
//!
//! Metadata is untrusted. A title carrying `ESC ] 0 ; … BEL` would retitle the reader's terminal, `ESC [ 31 m`
//! recolour it, a bare carriage return overwrite the start of a line, and a right-to-left override (U+202E)
//! reverse what is shown. Everything the binary prints (command output, errors, progress messages) goes
//! through [`sanitize_terminal`], which replaces those characters with a visible `\u001b`-style escape:
//! backslash, `u`, four lowercase hex digits.
//!
//! The escape is chosen to be valid inside a JSON string, so the same filter runs over `--format json`
//! output too: serde_json already escapes C0 (and never writes a control character outside a string), and
//! a raw U+202E, C1 character or DEL replaced by `\u202e`, `\u0085`, `\u007f` inside a JSON string is the
//! same JSON value. Machine consumers get the true data; the terminal never gets the raw bytes.
//!
//! Escaped: C0 except tab and newline (carriage return included: no command prints one on purpose), DEL,
//! C1 (U+0080–U+009F, where U+009B is a one-character CSI), and the bidirectional controls (U+202A–U+202E
//! embeddings and overrides, U+2066–U+2069 isolates, U+200E/U+200F/U+061C marks).
//!
//! Kept as written: everything else, including the zero-width joiner (emoji sequences), no-break spaces and
//! U+2028/U+2029 (line and paragraph separators). Terminals do not act on the separators (they show them as
//! a blank or nothing), they cannot reorder or restyle text, and JSON allows them raw; escaping them would
//! only mangle the rare record that carries one.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io;

/// `s` with every control character a terminal would act on replaced by a visible `\u001b`-style escape
/// (see the module doc for the list). Borrowed, without allocating, when nothing needs escaping.
pub fn sanitize_terminal(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let Some((mut at, mut len)) = next_escape(bytes, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    let mut start = 0;
    loop {
        out.push_str(&s[start..at]);
        let c = s[at..].chars().next().expect("a hostile character starts at a char boundary");
        // Every escaped character is in the Basic Multilingual Plane: four hex digits suffice.
        let _ = write!(out, "\\u{:04x}", u32::from(c));
        start = at + len;
        match next_escape(bytes, start) {
            Some((a, l)) => (at, len) = (a, l),
            None => break,
        }
    }
    out.push_str(&s[start..]);
    Cow::Owned(out)
}

/// The position and UTF-8 length of the first character at or after `from` to escape.
///
/// Scans bytes: every target is ASCII below 0x20, 0x7F, or a sequence led by 0xC2 (C1), 0xD8 (U+061C) or
/// 0xE2 (U+200E/F, U+202A–E, U+2066–9). Those lead bytes never occur inside another character's encoding
/// (continuation bytes are 0x80–0xBF), so a hit is always a character boundary.
fn next_escape(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < bytes.len() {
        let found = bytes[i..].iter().position(|&b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xd8 || b == 0xe2)?;
        i += found;
        let len = match (bytes[i], bytes.get(i + 1).copied(), bytes.get(i + 2).copied()) {
            (b'\t' | b'\n', _, _) => 0,
            (0x00..=0x1f | 0x7f, _, _) => 1,
            (0xc2, Some(0x80..=0x9f), _) => 2,
            (0xd8, Some(0x9c), _) => 2,
            (0xe2, Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae)) | (0xe2, Some(0x81), Some(0xa6..=0xa9)) => 3,
            _ => 0,
        };
        if len > 0 {
            return Some((i, len));
        }
        i += 1;
    }
    None
}

/// Formats `args` into `w` with every piece passed through [`sanitize_terminal`].
///
/// Each piece `fmt` hands over is whole characters, and each character is judged on its own, so escaping
/// piece by piece gives the same bytes as escaping the whole text.
pub fn write_sanitized<W: io::Write>(w: &mut W, args: fmt::Arguments<'_>) -> io::Result<()> {
    struct Adapter<'a, W> {
        inner: &'a mut W,
        error: Option<io::Error>,
    }
    impl<W: io::Write> fmt::Write for Adapter<'_, W> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.inner.write_all(sanitize_terminal(s).as_bytes()).map_err(|e| {
                self.error = Some(e);
                fmt::Error
            })
        }
    }
    let mut adapter = Adapter { inner: w, error: None };
    match fmt::write(&mut adapter, args) {
        Ok(()) => Ok(()),
        Err(fmt::Error) => Err(adapter.error.unwrap_or_else(|| io::Error::other("a value failed to format"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        sanitize_terminal(s).into_owned()
    }

    #[test]
    fn c0_controls_are_escaped_except_tab_and_newline() {
        assert_eq!(clean("a\u{1b}]0;owned\u{7}b"), "a\\u001b]0;owned\\u0007b");
        assert_eq!(clean("\u{1b}[31mred\u{1b}[0m"), "\\u001b[31mred\\u001b[0m");
        assert_eq!(clean("over\rwrite"), "over\\u000dwrite");
        assert_eq!(clean("nul\0"), "nul\\u0000");
        assert_eq!(clean("\u{8}\u{b}\u{c}\u{1f}"), "\\u0008\\u000b\\u000c\\u001f");
        assert_eq!(clean("col\tumn\nline"), "col\tumn\nline");
        // Every C0 character but tab and newline, one by one.
        for b in 0u8..0x20 {
            let c = char::from(b);
            let expected = if c == '\t' || c == '\n' { c.to_string() } else { format!("\\u{b:04x}") };
            assert_eq!(clean(&c.to_string()), expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn del_and_c1_are_escaped() {
        assert_eq!(clean("x\u{7f}y"), "x\\u007fy");
        assert_eq!(clean("\u{9b}31m"), "\\u009b31m");
        for cp in 0x80u32..=0x9f {
            let c = char::from_u32(cp).expect("C1 is a char");
            assert_eq!(clean(&format!("a{c}b")), format!("a\\u{cp:04x}b"), "U+{cp:04X}");
        }
    }

    #[test]
    fn bidi_controls_are_escaped() {
        let bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
        for cp in bidi {
            let c = char::from_u32(cp).expect("a char");
            assert_eq!(clean(&format!("abc{c}def")), format!("abc\\u{cp:04x}def"), "U+{cp:04X}");
        }
        assert_eq!(clean("invoice_\u{202e}fdp.exe"), "invoice_\\u202efdp.exe");
    }

    #[test]
    fn neighbours_that_share_lead_bytes_are_kept() {
        // Same lead bytes as the targets (0xC2, 0xD8, 0xE2 0x80/0x81), one step outside their ranges.
        let kept = [
            "\u{a0}",           // no-break space, C2 A0
            "¡©®",              // C2 A1.. C2 AE
            "\u{61b}",          // Arabic semicolon, D8 9B
            "\u{61d}",          // D8 9D
            "مرحبا",            // Arabic letters
            "\u{200b}",         // zero-width space, E2 80 8B
            "\u{200d}",         // zero-width joiner, E2 80 8D (emoji sequences)
            "–—‘’“”…",          // U+2013.., U+2026 is E2 80 A6 (U+2066 is E2 81 A6)
            "\u{2028}\u{2029}", // line and paragraph separators: kept, see the module doc
            "\u{202f}",         // narrow no-break space, E2 80 AF
            "\u{2065}\u{206a}", // E2 81 A5, E2 81 AA
            "€™",               // E2 82 AC, E2 84 A2
            "é ñ ü ß",
            "東京大学 김민준",
            "👩\u{200d}🔬 🇯🇵",
        ];
        for s in kept {
            assert!(matches!(sanitize_terminal(s), Cow::Borrowed(_)), "{s:?} must pass untouched");
        }
        assert_eq!(clean("é\u{1b}東\u{202e}👩\u{200d}🔬\u{9b}"), "é\\u001b東\\u202e👩\u{200d}🔬\\u009b");
    }

    #[test]
    fn clean_text_is_borrowed_not_copied() {
        let s = "Tanaka, Hiroshi — University of Tokyo\tJapan\n".repeat(1000);
        match sanitize_terminal(&s) {
            Cow::Borrowed(b) => assert!(std::ptr::eq(b, s.as_str())),
            Cow::Owned(_) => panic!("clean text was copied"),
        }
        assert!(matches!(sanitize_terminal(""), Cow::Borrowed("")));
    }

    #[test]
    fn hostile_characters_at_the_edges_and_in_runs() {
        assert_eq!(clean("\u{1b}"), "\\u001b");
        assert_eq!(clean("\u{202e}"), "\\u202e");
        assert_eq!(clean("a\u{1b}\u{1b}\u{9b}\u{9b}z"), "a\\u001b\\u001b\\u009b\\u009bz");
        assert_eq!(clean("end\u{e2}"), "end\u{e2}"); // â (C3 A2), not a lead byte 0xE2
        assert_eq!(clean("\u{2069}"), "\\u2069");
    }

    /// The claim the filter rests on: applied to serde_json's output, the JSON still parses to the same value.
    #[test]
    fn json_output_keeps_its_value() {
        let hostile = "T\u{1b}]0;x\u{7}\u{1b}[31m\u{9b}2J\u{85}\u{202e}\u{2066}\u{200f}\u{61c}\r\u{7f}\\\u{202e}\"é東👩\u{200d}🔬\u{2028}";
        let value = serde_json::json!({ "title": hostile, "authors": [hostile, "plain"] });
        for json in [serde_json::to_string(&value).expect("json"), serde_json::to_string_pretty(&value).expect("json")]
        {
            let shown = clean(&json);
            for c in
                ['\u{1b}', '\u{7}', '\u{9b}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200f}', '\u{61c}', '\r', '\u{7f}']
            {
                assert!(!shown.contains(c), "{c:?} reached the terminal: {shown}");
            }
            let back: serde_json::Value = serde_json::from_str(&shown).expect("still JSON");
            assert_eq!(back, value);
        }
    }

    #[test]
    fn writing_escapes_every_piece() {
        let mut out = Vec::new();
        let title = "a\u{1b}[2Jb";
        write_sanitized(&mut out, format_args!("title: {title} ({}) {:>6}", 3, "\u{202e}x")).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "title: a\\u001b[2Jb (3)     \\u202ex");
    }
}
