//! Markdown for e-mail, snapshotted; metadata cannot open links, headings or HTML.

use crate::hostile_input;

#[test]
fn markdown_of_sample_audit() {
    insta::assert_snapshot!(byline_report::render_markdown(&hostile_input()));
}

#[test]
fn markdown_escapes_injected_html_and_link_syntax() {
    let mut input = hostile_input();
    input.summary.push("[click](javascript:alert(1)) # not a heading".into());
    let markdown = byline_report::render_markdown(&input);
    assert!(markdown.contains(r"\<script\>document"), "script tag is backslash-escaped");
    assert!(markdown.contains(r"\[click\](javascript:alert(1)) # not a heading"));
    // Every `<` is escaped, except our own autolinks.
    for (index, _) in markdown.match_indices('<') {
        let escaped = index > 0 && markdown.as_bytes()[index - 1] == b'\\';
        assert!(escaped || markdown[index..].starts_with("<https://"), "raw `<` at {index}");
    }
}
