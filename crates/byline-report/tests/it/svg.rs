//! Charts: every SVG parses as XML and has the titles, axis labels, legend entries and series it should.

use crate::parse_xml;
use byline_report::render_charts;

/// Parses an SVG; returns its texts and the fill colours of its rectangles and circles.
fn parse_svg(svg: &str) -> (Vec<String>, Vec<String>) {
    let elements = parse_xml(svg);
    assert_eq!(elements.iter().filter(|e| e.name == "svg").count(), 1, "one svg root");
    let texts = elements.iter().filter(|e| e.name == "text").map(|e| e.text.trim().to_owned()).collect();
    let fills = elements
        .iter()
        .filter(|e| e.name == "rect" || e.name == "circle")
        .filter_map(|e| e.attrs.get("fill").cloned())
        .collect();
    (texts, fills)
}

fn chart<'a>(charts: &'a [byline_report::Chart], id: &str) -> &'a byline_report::Chart {
    charts.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("chart {id} missing"))
}

#[test]
fn audit_charts_parse_and_carry_axes_legends_and_series() {
    let input = byline_report::sample_input();
    let charts = render_charts(&input).expect("charts render");
    let ids: Vec<&str> = charts.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["works-per-year", "institutions-over-time", "coauthor-network", "flag-scores"]);

    let (texts, fills) = parse_svg(&chart(&charts, "works-per-year").svg);
    for expected in ["Works per year by collaborator country", "Year", "Works", "Legend", "CN", "CZ", "2014", "2023"] {
        assert!(texts.iter().any(|t| t == expected), "works-per-year lacks {expected:?}: {texts:?}");
    }
    // CN is the largest series and takes the palette's first colour (Okabe–Ito blue).
    assert!(fills.iter().any(|f| f.eq_ignore_ascii_case("#0072B2")));

    let (texts, _) = parse_svg(&chart(&charts, "institutions-over-time").svg);
    assert!(texts.iter().any(|t| t == "Eastern Coast Medical University"));

    let (texts, fills) = parse_svg(&chart(&charts, "coauthor-network").svg);
    assert!(texts.iter().any(|t| t == "Wei Zhang (张伟)"), "CJK label missing: {texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("محمد العلي")), "Arabic label missing");
    assert!(texts.iter().any(|t| t.starts_with("R. Doe<img")), "injected label must survive as text");
    assert!(texts.iter().any(|t| t == "Flagged (named in a finding)"));
    let flagged = fills.iter().filter(|f| f.eq_ignore_ascii_case("#D55E00")).count();
    assert!(flagged >= 6, "the six flagged co-authors are vermillion ({flagged})");

    let (texts, _) = parse_svg(&chart(&charts, "flag-scores").svg);
    assert!(texts.iter().any(|t| t.starts_with("1. COA001")));
    assert!(texts.iter().any(|t| t == "0.91"));
    assert!(texts.iter().any(|t| t == "Severity"));
}

#[test]
fn scan_charts_parse_and_carry_their_series() {
    let charts = render_charts(&byline_report::sample_scan_input()).expect("charts render");
    let ids: Vec<&str> = charts.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "flag-scores",
            "template-families",
            "family-timeline",
            "tortured-phrases",
            "score-distribution-1",
            "score-distribution-2"
        ]
    );
    let (texts, _) = parse_svg(&chart(&charts, "template-families").svg);
    assert!(texts.iter().any(|t| t == "F-0007") && texts.iter().any(|t| t == "28"));
    let (texts, _) = parse_svg(&chart(&charts, "family-timeline").svg);
    assert!(texts.iter().any(|t| t == "Computational Oncology Reports"));
    let (texts, _) = parse_svg(&chart(&charts, "tortured-phrases").svg);
    assert!(texts.iter().any(|t| t == "41"));
    let (texts, fills) = parse_svg(&chart(&charts, "score-distribution-1").svg);
    assert!(texts.iter().any(|t| t == "threshold 0.80"));
    assert!(fills.iter().any(|f| f.eq_ignore_ascii_case("#D55E00")), "bins above threshold highlighted");
}

#[test]
fn charts_are_deterministic() {
    let input = byline_report::sample_input();
    assert_eq!(render_charts(&input).expect("render"), render_charts(&input).expect("render"));
}
