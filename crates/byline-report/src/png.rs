//! Charts as PNG ("PNG on request"): a chart's SVG rasterized with resvg, its text laid out with the system's
//! fonts.
//!
//! Fonts: the system fonts are loaded once per process (fontdb, which reads fontconfig's directories) and put
//! in a stable order (by file path and face index), so the same SVG and the same installed fonts give the same
//! bytes. A label uses the first installed family of the chart's [`FONT_FAMILY`] list; a character that font
//! lacks (张伟 in a Latin font) falls back to the families of that list in order — Noto Sans CJK when Debian's
//! `fonts-noto-cjk` is installed — and then to any installed face that has the glyph. A character no installed
//! font has (张伟 on a machine without a CJK font) is drawn as `?` rather than as a font's "missing glyph" box;
//! with no fonts at all the PNG has the chart without its text. Nothing is bundled.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use skrifa::MetadataProvider as _;

use crate::ReportError;
use crate::charts::FONT_FAMILY;

/// The largest scale [`svg_to_png`] accepts (a 900 px wide chart at 8× is 7200 px wide).
pub const MAX_SCALE: f32 = 8.0;

/// Families used for the generic `sans-serif` (and as the default font) when the chart's own list has none
/// installed: the first one present wins.
const GENERIC_SANS: [&str; 5] = ["Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Noto Sans CJK SC"];

/// Rasterizes an SVG (a [`crate::Chart`]'s `svg`) to PNG bytes at `scale` × its own size (1.0 = one pixel per
/// SVG unit; 2.0 for high-DPI screens and print). Deterministic for the same SVG and installed fonts.
///
/// ```no_run
/// for chart in byline_report::render_charts(&byline_report::sample_input()).expect("charts render") {
///     let png = byline_report::svg_to_png(&chart.svg, 2.0).expect("rasterizes");
///     std::fs::write(format!("{}.png", chart.id), png).expect("writable");
/// }
/// ```
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ReportError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
        return Err(ReportError::Png(format!("scale {scale} is outside (0, {MAX_SCALE}]")));
    }
    let options = usvg::Options {
        font_family: sans_family(system_fonts()).to_owned(),
        fontdb: Arc::clone(system_fonts()),
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(select_fallback),
        },
        ..usvg::Options::default()
    };
    let svg = replace_uncovered(svg, system_fonts());
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| ReportError::Png(format!("parsing the SVG: {e}")))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| ReportError::Png("empty SVG".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| ReportError::Png(format!("cannot allocate {}×{} pixels", size.width(), size.height())))?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| ReportError::Png(format!("encoding the PNG: {e}")))
}

/// The installed font families, sorted, for diagnostics (e.g. to tell whether a CJK font is present).
pub fn font_families() -> Vec<String> {
    let mut families: Vec<String> =
        system_fonts().faces().flat_map(|f| f.families.iter().map(|(name, _)| name.clone())).collect();
    families.sort();
    families.dedup();
    families
}

/// The system fonts, loaded once, in a stable order, with the generic families pointed at installed fonts.
fn system_fonts() -> &'static Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut loaded = fontdb::Database::new();
        loaded.load_system_fonts();
        // fontdb keeps directory-listing order, which the file system decides; fallback scans that order.
        let mut faces: Vec<fontdb::FaceInfo> = loaded.faces().cloned().collect();
        faces.sort_by_cached_key(source_key);
        faces.dedup_by(|a, b| source_key(a) == source_key(b));
        let mut db = fontdb::Database::new();
        for face in faces {
            db.push_face_info(face);
        }
        let sans = sans_family(&db).to_owned();
        db.set_sans_serif_family(sans.clone());
        // usvg appends `serif` when none of a label's families is installed; keep that sans-serif too.
        db.set_serif_family(sans);
        Arc::new(db)
    })
}

/// A face's file and index within it (or its PostScript name for in-memory fonts), the order faces are kept in.
fn source_key(face: &fontdb::FaceInfo) -> (String, u32, String) {
    let path = match &face.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.to_string_lossy().into_owned(),
        fontdb::Source::Binary(_) => String::new(),
    };
    (path, face.index, face.post_script_name.clone())
}

/// The chart's preferred families (in [`FONT_FAMILY`] order), without the trailing generic family.
fn preferred_families() -> impl Iterator<Item = &'static str> {
    FONT_FAMILY.split(',').map(str::trim).filter(|f| !f.is_empty() && *f != "sans-serif")
}

/// The family for `sans-serif`: the first installed of [`GENERIC_SANS`], else the first installed family by
/// name, else (no fonts at all) a name that matches nothing.
fn sans_family(db: &fontdb::Database) -> &str {
    let installed = |name: &str| db.faces().any(|f| f.families.iter().any(|(n, _)| n == name));
    if let Some(name) = GENERIC_SANS.into_iter().find(|n| installed(n)) {
        return name;
    }
    db.faces().filter_map(|f| f.families.first().map(|(n, _)| n.as_str())).min().unwrap_or("sans-serif")
}

/// The next font to try for a character the fonts in `used` lack: the best face (closest weight and style to
/// the label's font) of each preferred family in order, then usvg's own scan of every face (in our stable
/// order) for one that has the glyph. A preferred family without the glyph costs one extra shaping pass; usvg
/// keeps asking until a font has it or this returns `None`.
fn select_fallback(c: char, used: &[fontdb::ID], db: &mut Arc<fontdb::Database>) -> Option<fontdb::ID> {
    let base = db.face(*used.first()?)?;
    let (weight, style, stretch) = (base.weight, base.style, base.stretch);
    for family in preferred_families() {
        let families = [fontdb::Family::Name(family)];
        let query = fontdb::Query { families: &families, weight, stretch, style };
        if let Some(id) = db.query(&query).filter(|id| !used.contains(id)) {
            return Some(id);
        }
    }
    (usvg::FontResolver::default_fallback_selector())(c, used, db)
}

/// What a character no installed font has is drawn as.
const UNCOVERED: char = '?';

/// The SVG with every character of its text content that no installed font has replaced by [`UNCOVERED`].
/// Text content is what lies outside `<…>` tags; entity references (`&amp;`) are ASCII and left alone.
fn replace_uncovered<'a>(svg: &'a str, db: &fontdb::Database) -> Cow<'a, str> {
    let mut in_tag = false;
    let mut uncovered = Vec::new();
    for (at, c) in svg.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag && needs_glyph(c) && !covered(c, db) => uncovered.push((at, c)),
            _ => {}
        }
    }
    if uncovered.is_empty() {
        return Cow::Borrowed(svg);
    }
    let mut out = String::with_capacity(svg.len());
    let mut from = 0;
    for (at, c) in uncovered {
        out.push_str(&svg[from..at]);
        out.push(UNCOVERED);
        from = at + c.len_utf8();
    }
    out.push_str(&svg[from..]);
    Cow::Owned(out)
}

/// Whether a character is drawn with a glyph of its own: not ASCII (every font has it), whitespace, a control,
/// or a format character that shaping consumes (bidi marks, joiners, variation selectors, BOM).
fn needs_glyph(c: char) -> bool {
    !(c.is_ascii()
        || c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}')
        || matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0000}'..='\u{E01EF}'))
}

/// Whether any installed face maps the character (remembered per process; the fonts are loaded once).
fn covered(c: char, db: &fontdb::Database) -> bool {
    static COVERED: Mutex<BTreeMap<char, bool>> = Mutex::new(BTreeMap::new());
    if let Some(&known) = COVERED.lock().unwrap_or_else(|e| e.into_inner()).get(&c) {
        return known;
    }
    let has = |face: &fontdb::FaceInfo| {
        db.with_face_data(face.id, |data, index| {
            skrifa::FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map(c).is_some())
        })
        .unwrap_or(false)
    };
    let found = db.faces().any(has);
    COVERED.lock().unwrap_or_else(|e| e.into_inner()).insert(c, found);
    found
}
