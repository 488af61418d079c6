//! The HTML report: self-contained, escaped, and carrying every part a committee needs.

use byline_report::{ReportInput, render_html};

use crate::hostile_input;

#[test]
fn script_in_report_title_and_author_renders_as_text() {
    let html = render_html(&hostile_input()).expect("renders");
    assert!(!html.contains("<script"), "an unescaped <script> reached the HTML");
    assert!(!html.contains("<img"), "an unescaped <img> reached the HTML");
    assert!(html.contains("&lt;script&gt;document.title=&#39;PWNED-TITLE&#39;&lt;/script&gt;"));
    assert!(html.contains("R. Doe&lt;img src=x onerror=&quot;document.title=&#39;PWNED-IMG&#39;&quot;&gt;"));
    // Also inside the SVG charts (the network labels the injected author).
    let svg_start = html.find("<svg").expect("charts inline");
    assert!(html[svg_start..].contains("R. Doe&lt;img"));
}

#[test]
fn report_is_self_contained_without_scripts_or_external_loads() {
    let html = render_html(&byline_report::sample_input()).expect("renders");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for forbidden in ["<script", "<link", "<iframe", "src=\"http", "@import", "url("] {
        assert!(!html.contains(forbidden), "report contains {forbidden}");
    }
    // The only http(s) URLs are evidence links.
    let urls = html.match_indices("https://").chain(html.match_indices("http://"));
    for (index, _) in urls {
        let before = &html[index.saturating_sub(6)..index];
        let allowed = before.ends_with("href=\"") || html[index..].starts_with("http://www.w3.org/2000/svg");
        assert!(allowed, "unexpected URL at {index}: {}", &html[index..(index + 60).min(html.len())]);
    }
}

#[test]
fn report_has_summary_flags_evidence_links_charts_and_method() {
    let input = byline_report::sample_input();
    let html = render_html(&input).expect("renders");
    let order = [
        "<h2>Summary</h2>",
        "<h2>Findings</h2>",
        "<h2>Charts</h2>",
        "<h2>Evidence works</h2>",
        "<h2>Method and thresholds</h2>",
    ];
    let positions: Vec<usize> = order.iter().map(|h| html.find(h).unwrap_or_else(|| panic!("missing {h}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order");
    for finding in &input.findings {
        assert!(html.contains(&format!("<code>{}</code>", finding.code)));
        for reason in &finding.reasons {
            assert!(html.contains(&byline_report::escape::escape_html(reason)), "reason missing: {reason}");
        }
    }
    assert!(html.contains("<a class=\"doi\" href=\"https://doi.org/10.5555/byline.w08\">doi:10.5555/byline.w08</a>"));
    assert!(html.contains("href=\"https://pubmed.ncbi.nlm.nih.gov/"));
    for id in ["works-per-year", "institutions-over-time", "coauthor-network", "flag-scores"] {
        assert!(html.contains(&format!("<figure id=\"chart-{id}\">")), "chart {id} missing");
    }
    assert!(html.contains("<dt>COA001 threshold</dt>"));
    assert!(html.contains(&input.generated_by.command));
}

#[test]
fn hostile_doi_is_percent_encoded_in_the_link_or_not_linked() {
    let mut input = byline_report::sample_input();
    input.works[0].doi = Some("10.5555/x\"onclick=\"alert(1)".into());
    input.works[1].doi = Some("10.5555/y\" onclick=\"alert(2)".into());
    let html = render_html(&input).expect("renders");
    assert!(html.contains("href=\"https://doi.org/10.5555/x%22onclick%3D%22alert%281%29\""));
    // A DOI with a space is not a DOI: shown as text, never linked.
    assert!(html.contains("<span class=\"doi\">doi:10.5555/y&quot; onclick=&quot;alert(2)</span>"));
    assert!(!html.contains("onclick=\""));
}

#[test]
fn rendering_is_deterministic_and_survives_a_json_round_trip() {
    let input = byline_report::sample_input();
    let json = byline_report::report_json(&input).expect("serializes");
    let back: ReportInput = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, input);
    assert_eq!(render_html(&input).expect("renders"), render_html(&back).expect("renders"));
}

#[test]
fn empty_report_renders_without_charts() {
    let input: ReportInput =
        serde_json::from_str(r#"{"kind":"screen","title":"Empty","generated_by":{"version":"byline 0.1.0"}}"#)
            .expect("minimal input parses");
    let html = render_html(&input).expect("renders");
    assert!(html.contains("No flags were raised."));
    assert!(!html.contains("<svg"));
    assert!(html.contains("<title>Screening report: Empty</title>"));
}
