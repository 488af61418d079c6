//! PNG charts (the `png` feature): every chart rasterizes to a PNG of its own size × the scale, with text on it;
//! the same SVG gives the same bytes; and CJK text renders when a CJK font is installed.
//!
//! The CJK check is skipped with a message when `fc-list` shows no CJK font, unless `BYLINE_REQUIRE_CHROMIUM=1`
//! (CI, which installs Debian's fonts-noto-cjk) makes that a failure. Set `BYLINE_PNG_DIR` to keep the PNGs.

use byline_report::charts::FONT_FAMILY;
use byline_report::{render_charts, svg_to_png};

/// A decoded PNG: size and RGBA pixels.
struct Image {
    width: u32,
    height: u32,
    rgba: Vec<[u8; 4]>,
}

fn decode(bytes: &[u8]) -> Image {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("the PNG decodes");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    let rgba = buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|p| match *p {
            [r, g, b, a] => [r, g, b, a],
            [r, g, b] => [r, g, b, 255],
            [l, a] => [l, l, l, a],
            [l] => [l, l, l, 255],
            _ => unreachable!("1 to 4 channels"),
        })
        .collect();
    Image { width: info.width, height: info.height, rgba }
}

/// Opaque pixels darker than mid-grey: text, axes and dark series.
fn dark_pixels(image: &Image) -> usize {
    image.rgba.iter().filter(|[r, g, b, a]| *a > 200 && *r < 110 && *g < 110 && *b < 110).count()
}

/// The SVG with every `<text>…</text>` element removed.
fn without_text(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</text>").expect("closed <text>") + start + "</text>".len();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The `width`/`height` attributes of the root `<svg>`.
fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let start = svg.find(&format!(" {name}=\"")).expect("size attribute") + name.len() + 3;
        let end = svg[start..].find('"').expect("closing quote") + start;
        svg[start..end].parse().expect("integer size")
    };
    (attr("width"), attr("height"))
}

#[test]
fn every_chart_rasterizes_at_its_size_with_text_and_colour() {
    let keep = std::env::var_os("BYLINE_PNG_DIR").map(std::path::PathBuf::from);
    for input in [byline_report::sample_input(), byline_report::sample_scan_input()] {
        for chart in render_charts(&input).expect("charts render") {
            let bytes = svg_to_png(&chart.svg, 1.0).expect("the chart rasterizes");
            let image = decode(&bytes);
            assert_eq!((image.width, image.height), svg_size(&chart.svg), "{}: one pixel per SVG unit", chart.id);
            assert!(image.rgba.iter().all(|p| p[3] == 255), "{}: the background is opaque white", chart.id);

            let first = image.rgba[0];
            let differing = image.rgba.iter().filter(|p| **p != first).count();
            assert!(differing * 50 > image.rgba.len(), "{}: nearly one colour ({differing} differ)", chart.id);
            let palette_blue_or_vermillion = image.rgba.iter().any(|p| p[..3] == [0x00, 0x72, 0xB2])
                || image.rgba.iter().any(|p| p[..3] == [0xD5, 0x5E, 0x00]);
            assert!(palette_blue_or_vermillion, "{}: no series drawn in the palette", chart.id);
            // Title, axis labels and legend are text: the chart without its <text> elements is much lighter.
            let textless = decode(&svg_to_png(&without_text(&chart.svg), 1.0).expect("rasterizes"));
            let text_pixels = dark_pixels(&image).saturating_sub(dark_pixels(&textless));
            assert!(text_pixels > 1000, "{}: almost no text drawn ({text_pixels} dark text pixels)", chart.id);

            if let Some(dir) = &keep {
                std::fs::create_dir_all(dir).expect("PNG dir");
                let bytes = svg_to_png(&chart.svg, 2.0).expect("the chart rasterizes at 2×");
                std::fs::write(dir.join(format!("{}.png", chart.id)), bytes).expect("keep PNG");
            }
        }
    }
}

#[test]
fn the_scale_multiplies_the_size() {
    let charts = render_charts(&byline_report::sample_input()).expect("charts render");
    let chart = charts.iter().find(|c| c.id == "flag-scores").expect("the flag scores chart");
    let (width, height) = svg_size(&chart.svg);
    for (scale, expected) in [(2.0, (2 * width, 2 * height)), (0.5, (width / 2, height / 2))] {
        let image = decode(&svg_to_png(&chart.svg, scale).expect("renders"));
        assert_eq!((image.width, image.height), expected, "at {scale}×");
    }
}

#[test]
fn the_same_svg_gives_the_same_png_bytes() {
    let charts = render_charts(&byline_report::sample_input()).expect("charts render");
    let network = charts.iter().find(|c| c.id == "coauthor-network").expect("the network chart");
    assert_eq!(svg_to_png(&network.svg, 1.0).expect("renders"), svg_to_png(&network.svg, 1.0).expect("renders"));
}

#[test]
fn bad_scales_are_errors_not_panics() {
    let svg = r#"<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg"/>"#;
    for scale in [0.0, -1.0, f32::NAN, f32::INFINITY, 100.0] {
        assert!(svg_to_png(svg, scale).is_err(), "scale {scale} accepted");
    }
    assert!(svg_to_png("not an svg", 1.0).is_err());
}

#[test]
fn characters_no_font_has_are_question_marks_not_boxes() {
    // U+0378 is unassigned: no font maps it, so it would be drawn as the font's "missing glyph" box.
    let svg = |text: &str| {
        format!(
            r##"<svg width="200" height="60" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="200" height="60" fill="#FFFFFF"/>
<text x="10" y="45" font-family="{FONT_FAMILY}" font-size="36" fill="#222222">{text}</text></svg>"##
        )
    };
    let missing = svg_to_png(&svg("A\u{378}\u{378}B"), 1.0).expect("renders");
    assert_eq!(missing, svg_to_png(&svg("A??B"), 1.0).expect("renders"));
}

#[test]
fn cjk_names_render_when_a_cjk_font_is_installed() {
    if !cjk_font_installed() {
        assert!(
            std::env::var("BYLINE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "BYLINE_REQUIRE_CHROMIUM=1 but fc-list shows no CJK font (apt-get install fonts-noto-cjk)"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            concat!("skipping: fc-list shows no CJK font (install fonts-noto-cjk)", "\n").as_bytes(),
        );
        return;
    }
    // Only CJK text, so every dark pixel is a CJK glyph: once with the charts' family list, once from a Latin
    // family (the glyphs must come from fallback).
    for family in [FONT_FAMILY, "DejaVu Sans, Liberation Sans, sans-serif"] {
        let svg = format!(
            r##"<svg width="240" height="80" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="240" height="80" fill="#FFFFFF"/>
<text x="10" y="56" font-family="{family}" font-size="40" fill="#222222">张伟 李娜</text></svg>"##
        );
        let image = decode(&svg_to_png(&svg, 1.0).expect("renders"));
        let dark = dark_pixels(&image);
        assert!(dark > 400, "CJK text with font-family {family:?} left the image blank ({dark} dark pixels)");
    }
}

/// Whether fontconfig lists a font for Chinese (Noto Sans CJK, Source Han, WenQuanYi…).
fn cjk_font_installed() -> bool {
    std::process::Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|out| out.status.success() && !String::from_utf8_lossy(&out.stdout).trim().is_empty())
}
