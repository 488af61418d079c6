//! `byline report … --charts DIR --png`: every chart is written as an SVG and a PNG beside it, and the PNGs
//! decode at twice the SVG's size (the default `--png-scale 2`) with more than one colour in them.

use crate::support::{byline, root, s};

#[test]
fn report_charts_png_writes_a_decodable_png_beside_every_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    let r = byline(&["demo", "--sample", s(&root().join("datasets/sample")), "--out", s(&demo)]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    let data = demo.join("report.json");
    assert!(data.is_file(), "byline demo wrote no report.json");

    let charts = dir.path().join("charts");
    let html = dir.path().join("x.html");
    let r = byline(&["report", s(&data), "--out", s(&html), "--charts", s(&charts), "--png"]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(html.is_file());

    let mut svgs: Vec<_> = std::fs::read_dir(&charts)
        .expect("charts dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    svgs.sort();
    assert!(svgs.len() >= 3, "expected the audit's charts, found {svgs:?}");
    for svg_path in svgs {
        let png_path = svg_path.with_extension("png");
        assert!(png_path.is_file(), "no PNG beside {}", svg_path.display());
        let svg = std::fs::read_to_string(&svg_path).expect("svg");
        let (width, height) = svg_size(&svg);

        let file = std::fs::File::open(&png_path).expect("png");
        let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
        assert_eq!((info.width, info.height), (2 * width, 2 * height), "{}", png_path.display());
        let channels = info.color_type.samples();
        let pixels = &pixels[..info.buffer_size()];
        let first = &pixels[..channels];
        let differing = pixels.chunks(channels).filter(|p| *p != first).count();
        assert!(differing * 50 > pixels.len() / channels, "{} is nearly one colour", png_path.display());
    }

    // --png without --charts is a usage error, not a silent no-op.
    let r = byline(&["report", s(&data), "--out", s(&html), "--png"]);
    assert_eq!(r.status.code(), Some(2), "{}", String::from_utf8_lossy(&r.stderr));
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
