//! The scaling chart of `byline-bench SUITE --sizes`: wall time and peak memory against corpus size, on log–log
//! axes, with a dashed line of slope 1 through the smallest run (what perfectly linear growth would cost).
//!
//! The growth exponent `k` of `time ∝ size^k` is fitted by least squares on the logarithms
//! ([`fit_exponent`]); the chart's caption states it. Deterministic: same points, same bytes.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ReportError;
use crate::charts::{FONT_FAMILY, OKABE_ITO};

/// One measured size.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScalingPoint {
    /// Records in the corpus.
    pub size: u64,
    pub wall_s: f64,
    pub peak_rss_bytes: u64,
}

const WIDTH: u32 = 900;
const HEIGHT: u32 = 400;
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);

/// The exponent `k` of `y ≈ c · x^k`, by least squares on `(ln x, ln y)`; `None` with fewer than two distinct
/// positive sizes.
pub fn fit_exponent(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> =
        points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    if logs.len() < 2 {
        return None;
    }
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Two panels: wall seconds and peak RSS (MB) against size, log–log, each with its fitted exponent and a
/// dashed slope-1 reference through the smallest run. Returns the SVG markup.
pub fn scaling_chart(suite: &str, points: &[ScalingPoint]) -> Result<String, ReportError> {
    let mut points: Vec<ScalingPoint> = points.iter().copied().filter(|p| p.size > 0).collect();
    points.sort_by_key(|p| p.size);
    let time: Vec<(f64, f64)> = points.iter().map(|p| (p.size as f64, p.wall_s.max(1e-6))).collect();
    let rss: Vec<(f64, f64)> =
        points.iter().map(|p| (p.size as f64, (p.peak_rss_bytes as f64 / 1e6).max(0.1))).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let title = format!("byline-bench {suite}: cost against corpus size (log–log)");
        root.draw(&Text::new(title, (14, 12), bold_font(17).pos(Pos::new(HPos::Left, VPos::Top))))?;
        let (_, body) = root.split_vertically(42);
        let (left, right) = body.split_horizontally(WIDTH / 2);
        panel(&left, &time, "Wall time (s)", OKABE_ITO[0])?;
        panel(&right, &rss, "Peak RSS (MB)", OKABE_ITO[1])?;
        root.present()?;
    }
    Ok(svg)
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    series: &[(f64, f64)],
    y_desc: &str,
    color: RGBColor,
) -> Result<(), ReportError>
where
    DB::ErrorType: 'static,
{
    let (x_min, x_max) = bounds(series.iter().map(|p| p.0));
    let (y_min, y_max) = bounds(series.iter().map(|p| p.1));
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d((x_min / 1.5..x_max * 1.5).log_scale(), (y_min / 2.0..y_max * 2.0).log_scale())?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_desc("Records")
        .y_desc(y_desc)
        .x_label_formatter(&|v| human(*v))
        .y_label_formatter(&|v| if *v >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") })
        .label_style(font(12))
        .axis_desc_style(font(13))
        .draw()?;
    if let Some(first) = series.first() {
        // Linear growth from the smallest run: y = y0 · x / x0.
        let reference = [(first.0, first.1), (x_max, first.1 * x_max / first.0)];
        chart.draw_series(DashedLineSeries::new(reference, 5, 4, RGBColor(0x99, 0x99, 0x99).stroke_width(1)))?;
    }
    chart.draw_series(LineSeries::new(series.iter().copied(), color.stroke_width(2)))?;
    chart.draw_series(series.iter().map(|p| Circle::new(*p, 4, color.filled())))?;
    let k = fit_exponent(series).map_or_else(|| "k = n/a".to_owned(), |k| format!("fitted k = {k:.2}"));
    area.draw(&Text::new(
        format!("{k}; dashed: linear from the smallest run"),
        (80, 18),
        font(12).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    Ok(())
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() && hi.is_finite() && lo > 0.0 { (lo, hi.max(lo * 1.01)) } else { (1.0, 10.0) }
}

fn human(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.0}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, f64::from(size)).into_font().color(&TEXT)
}

fn bold_font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, f64::from(size), FontStyle::Bold).into_font().color(&TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_of_a_power_law_is_recovered() {
        let pts: Vec<(f64, f64)> = [1e4f64, 1e5, 1e6].iter().map(|x| (*x, 3.0 * x.powf(1.2))).collect();
        let k = fit_exponent(&pts).unwrap_or(0.0);
        assert!((k - 1.2).abs() < 1e-9, "{k}");
        assert_eq!(fit_exponent(&[(1.0, 1.0)]), None);
    }

    #[test]
    fn chart_is_an_svg_and_deterministic() {
        let pts = [
            ScalingPoint { size: 1000, wall_s: 0.1, peak_rss_bytes: 50_000_000 },
            ScalingPoint { size: 10_000, wall_s: 0.9, peak_rss_bytes: 80_000_000 },
        ];
        let a = scaling_chart("ingest", &pts).unwrap_or_default();
        assert!(a.starts_with("<svg"), "{}", &a[..a.len().min(80)]);
        assert_eq!(a, scaling_chart("ingest", &pts).unwrap_or_default());
    }
}
