//! Charts as SVG strings, drawn with plotters.
//!
//! Text in an SVG is laid out by whoever views it, so labels carry a font-family list that names CJK- and
//! Arabic-capable fonts ([`FONT_FAMILY`]): a browser with any of them installed renders 张伟 or محمد; one with
//! none shows its own fallback glyphs. Nothing is bundled. plotters escapes text and attribute values.
//!
//! Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable with the
//! common forms of colour-vision deficiency. Every chart is deterministic: categories are ranked by count then
//! name, and the network layout is seeded ([`crate::layout`]).

use std::collections::{BTreeMap, BTreeSet};

use byline_model::Severity;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ReportError;
use crate::input::{CoauthorGraph, InstitutionYearCount, LabeledCount, LabeledScore, ReportInput, ScoreDistribution};
use crate::input::{FamilyTimeline, YearCategoryCount};
use crate::layout::{LAYOUT_ITERATIONS, LAYOUT_SEED, force_layout};

/// Fonts tried in order by the viewer: Latin first, then CJK and Arabic coverage, then the generic family.
pub const FONT_FAMILY: &str = "Noto Sans, Noto Sans CJK SC, Noto Sans CJK JP, Noto Sans Arabic, Source Han Sans SC, \
PingFang SC, Microsoft YaHei, DejaVu Sans, Arial, sans-serif";

/// The Okabe–Ito palette without black (kept for text); order chosen so neighbours contrast.
pub const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];
/// Everything beyond the palette's seven categories ("Other").
const OTHER_GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Flagged items are vermillion everywhere (nodes, edges, high-severity bars), the subject blue.
const FLAGGED: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const SUBJECT: RGBColor = RGBColor(0x00, 0x72, 0xB2);

const WIDTH: u32 = 900;
/// Label text longer than this is cut with an ellipsis on axes; full strings are in the report's tables.
const MAX_LABEL_CHARS: usize = 40;
/// At most this many bars in ranked charts; the rest are summarized in the caption.
const MAX_BARS: usize = 20;
/// At most this many labelled nodes in the network; flagged nodes and the subject are always labelled.
const MAX_NODE_LABELS: usize = 18;

/// One rendered chart: a stable id (for anchors and file names), a title, a caption and the SVG markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub caption: String,
    pub svg: String,
}

/// Every chart the input has data for, in reading order (audit charts, then scan charts).
pub fn render_charts(input: &ReportInput) -> Result<Vec<Chart>, ReportError> {
    let data = &input.charts;
    let mut charts = Vec::new();
    if !data.works_per_year.is_empty() {
        charts.push(works_per_year_chart(&data.works_per_year)?);
    }
    if !data.institutions_over_time.is_empty() {
        charts.push(institution_swimlane_chart(&data.institutions_over_time)?);
    }
    if let Some(graph) = data.coauthor_network.as_ref().filter(|g| !g.nodes.is_empty()) {
        charts.push(coauthor_network_chart(graph)?);
    }
    let scores = if data.flag_scores.is_empty() { scores_from_findings(input) } else { data.flag_scores.clone() };
    if !scores.is_empty() {
        charts.push(flag_scores_chart(&scores)?);
    }
    if !data.template_families.is_empty() {
        charts.push(template_family_chart(&data.template_families)?);
    }
    if let Some(timeline) = data.family_timeline.as_ref().filter(|t| !t.members.is_empty()) {
        charts.push(family_timeline_chart(timeline)?);
    }
    if !data.tortured_phrases_per_venue.is_empty() {
        charts.push(tortured_phrases_chart(&data.tortured_phrases_per_venue)?);
    }
    for (index, distribution) in data.score_distributions.iter().enumerate().filter(|(_, d)| !d.scores.is_empty()) {
        let mut chart = score_distribution_chart(distribution)?;
        chart.id = SCORE_DISTRIBUTION_IDS.get(index).copied().unwrap_or("score-distribution");
        charts.push(chart);
    }
    Ok(charts)
}

const SCORE_DISTRIBUTION_IDS: [&str; 6] = [
    "score-distribution-1",
    "score-distribution-2",
    "score-distribution-3",
    "score-distribution-4",
    "score-distribution-5",
    "score-distribution-6",
];

/// Works per year, stacked by collaborator country.
pub fn works_per_year_chart(rows: &[YearCategoryCount]) -> Result<Chart, ReportError> {
    let svg = stacked_year_bars("Works per year by collaborator country", "Works", rows)?;
    Ok(Chart {
        id: "works-per-year",
        title: "Works per year by collaborator country".into(),
        caption: "Each bar is one year; segments count the works with at least one affiliation in that country \
                  (a work with co-authors in two countries counts in both)."
            .into(),
        svg,
    })
}

/// A family's members per year, stacked by venue.
pub fn family_timeline_chart(timeline: &FamilyTimeline) -> Result<Chart, ReportError> {
    let title = format!("Template family {}: members per year by venue", timeline.family_id);
    let svg = stacked_year_bars(&title, "Works", &timeline.members)?;
    Ok(Chart {
        id: "family-timeline",
        title,
        caption: "Members of one template family by publication year, segments by venue.".into(),
        svg,
    })
}

/// The ranked scores of the flags, coloured by severity.
pub fn flag_scores_chart(scores: &[LabeledScore]) -> Result<Chart, ReportError> {
    let mut ranked: Vec<&LabeledScore> = scores.iter().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.label.cmp(&b.label)));
    let shown = ranked.len().min(MAX_BARS);
    let bars: Vec<Bar> = ranked[..shown]
        .iter()
        .map(|s| Bar { label: s.label.clone(), value: s.score.clamp(0.0, 1.0), color: severity_color(s.severity) })
        .collect();
    let legend: Vec<(String, RGBColor)> = [Severity::High, Severity::Medium, Severity::Low, Severity::Info]
        .into_iter()
        .filter(|sev| ranked[..shown].iter().any(|s| s.severity == *sev))
        .map(|sev| (sev.as_str().to_owned(), severity_color(sev)))
        .collect();
    let svg = horizontal_bars("Flags ranked by score", "Score (0–1)", &bars, Some(1.0), &legend)?;
    Ok(Chart {
        id: "flag-scores",
        title: "Flags ranked by score".into(),
        caption: format!("Highest-scoring flags first, coloured by severity{}.", omitted_note(ranked.len(), shown)),
        svg,
    })
}

/// Template families by size.
pub fn template_family_chart(families: &[LabeledCount]) -> Result<Chart, ReportError> {
    ranked_count_chart(
        "template-families",
        "Template families by size",
        "Works in family",
        families,
        "Families of works sharing one template, largest first",
    )
}

/// Tortured-phrase hits per venue.
pub fn tortured_phrases_chart(venues: &[LabeledCount]) -> Result<Chart, ReportError> {
    ranked_count_chart(
        "tortured-phrases",
        "Tortured-phrase hits per venue",
        "Hits",
        venues,
        "Venues with the most tortured-phrase hits first",
    )
}

fn ranked_count_chart(
    id: &'static str,
    title: &str,
    value_desc: &str,
    counts: &[LabeledCount],
    caption: &str,
) -> Result<Chart, ReportError> {
    let mut ranked: Vec<&LabeledCount> = counts.iter().collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let shown = ranked.len().min(MAX_BARS);
    let bars: Vec<Bar> = ranked[..shown]
        .iter()
        .map(|c| Bar { label: c.label.clone(), value: f64::from(c.count), color: OKABE_ITO[0] })
        .collect();
    let svg = horizontal_bars(title, value_desc, &bars, None, &[])?;
    Ok(Chart { id, title: title.into(), caption: format!("{caption}{}.", omitted_note(ranked.len(), shown)), svg })
}

/// Institutions over time: one lane per institution, a cell per year shaded by the number of works.
pub fn institution_swimlane_chart(rows: &[InstitutionYearCount]) -> Result<Chart, ReportError> {
    // Lanes in order of first appearance (then name), so the chart reads as a career from top to bottom.
    let mut first_year: BTreeMap<&str, i32> = BTreeMap::new();
    for row in rows {
        let entry = first_year.entry(&row.institution).or_insert(row.year);
        *entry = (*entry).min(row.year);
    }
    let mut lanes: Vec<(&str, i32)> = first_year.into_iter().collect();
    lanes.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    // Row 0 is at the bottom of the plot, so the first lane gets the top row.
    let lane_count = lanes.len();
    let lane_index: BTreeMap<&str, usize> =
        lanes.iter().enumerate().map(|(i, (name, _))| (*name, lane_count - 1 - i)).collect();
    let (min_year, max_year) = year_span(rows.iter().map(|r| r.year));
    let max_count = rows.iter().map(|r| r.count).max().unwrap_or(1).max(1);
    let height = (120 + 34 * lane_count as u32).max(260);
    let lane_names: Vec<String> = lanes.iter().map(|(name, _)| truncate(name)).collect();

    let svg = draw_svg(height, |root| {
        let title_area = draw_title(root, "Institutions over time")?;
        let mut chart = ChartBuilder::on(&title_area)
            .margin_right(20)
            .margin_left(10)
            .x_label_area_size(44)
            .y_label_area_size(label_area_width(&lane_names))
            .build_cartesian_2d(
                Ticked::new(min_year as f64 - 0.5, max_year as f64 + 0.5, year_ticks(min_year, max_year)),
                Ticked::new(-0.5, lane_count as f64 - 0.5, (0..lane_count).map(|i| i as f64).collect()),
            )?;
        let y_formatter = |v: &f64| {
            let lane = lane_count as i64 - 1 - v.round() as i64;
            usize::try_from(lane).ok().and_then(|l| lane_names.get(l).cloned()).unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Year")
            .x_label_formatter(&|v| format!("{}", v.round() as i64))
            .y_label_formatter(&y_formatter)
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()?;
        // Lane background stripes make long lanes easy to follow.
        chart.draw_series((0..lane_count).filter(|i| i % 2 == 0).map(|i| {
            Rectangle::new(
                [(min_year as f64 - 0.5, i as f64 - 0.5), (max_year as f64 + 0.5, i as f64 + 0.5)],
                RGBColor(0xF5, 0xF5, 0xF5).filled(),
            )
        }))?;
        chart.draw_series(rows.iter().filter_map(|row| {
            let lane = *lane_index.get(row.institution.as_str())?;
            let shade = 0.35 + 0.65 * f64::from(row.count) / f64::from(max_count);
            Some(Rectangle::new(
                [(row.year as f64 - 0.42, lane as f64 - 0.34), (row.year as f64 + 0.42, lane as f64 + 0.34)],
                OKABE_ITO[0].mix(shade).filled(),
            ))
        }))?;
        chart.draw_series(rows.iter().filter_map(|row| {
            let lane = *lane_index.get(row.institution.as_str())?;
            let style = font(12).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Center));
            Some(Text::new(row.count.to_string(), (row.year as f64, lane as f64), style))
        }))?;
        Ok(())
    })?;
    Ok(Chart {
        id: "institutions-over-time",
        title: "Institutions over time".into(),
        caption: "One lane per institution named in the researcher's affiliations, in order of first appearance; \
                  each cell is a year, labelled with the number of works and shaded by it."
            .into(),
        svg,
    })
}

/// The co-author network around the subject: node size = works in common, flagged people and links in
/// vermillion, the subject in blue at the centre.
pub fn coauthor_network_chart(graph: &CoauthorGraph) -> Result<Chart, ReportError> {
    let mut nodes: Vec<&crate::input::CoauthorNode> = graph.nodes.iter().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let edges: Vec<(usize, usize, f64, bool)> = graph
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.source.as_str())?, *index.get(e.target.as_str())?, e.weight, e.flagged)))
        .collect();
    let layout_edges: Vec<(usize, usize, f64)> = edges.iter().map(|&(a, b, w, _)| (a, b, w)).collect();
    let pinned = nodes.iter().position(|n| n.is_subject);
    let positions = force_layout(nodes.len(), &layout_edges, pinned, LAYOUT_SEED, LAYOUT_ITERATIONS);
    let max_weight = nodes.iter().map(|n| n.weight).fold(1.0f64, f64::max);
    let max_edge = edges.iter().map(|e| e.2).fold(1.0f64, f64::max);
    // Label the subject, every flagged node, then the heaviest others.
    let mut by_weight: Vec<usize> = (0..nodes.len()).collect();
    by_weight.sort_by(|&a, &b| {
        let key = |i: usize| (nodes[i].is_subject || nodes[i].flagged, nodes[i].weight);
        key(b).0.cmp(&key(a).0).then(key(b).1.total_cmp(&key(a).1)).then(nodes[a].id.cmp(&nodes[b].id))
    });
    let labelled: BTreeSet<usize> = by_weight
        .iter()
        .copied()
        .enumerate()
        .filter(|&(rank, i)| rank < MAX_NODE_LABELS || nodes[i].is_subject || nodes[i].flagged)
        .map(|(_, i)| i)
        .collect();
    let unlabelled = nodes.len() - labelled.len();

    let svg = draw_svg(640, |root| {
        let title_area = draw_title(root, "Co-author network")?;
        let (plot_area, legend_area) = title_area.split_horizontally(WIDTH - 190);
        let mut chart = ChartBuilder::on(&plot_area).margin(30).build_cartesian_2d(-1.15..1.15, -1.1..1.1)?;
        for &(a, b, weight, flagged) in &edges {
            let width = (1.0 + 3.0 * weight / max_edge).round() as u32;
            let color = if flagged { FLAGGED.mix(0.85) } else { RGBColor(0x88, 0x88, 0x88).mix(0.5) };
            chart.draw_series(std::iter::once(PathElement::new(
                vec![positions[a], positions[b]],
                color.stroke_width(width),
            )))?;
        }
        for (i, node) in nodes.iter().enumerate() {
            let radius = (5.0 + 11.0 * (node.weight / max_weight).sqrt()).round() as i32;
            let color = node_color(node);
            chart.draw_series(std::iter::once(Circle::new(positions[i], radius, color.filled())))?;
            chart.draw_series(std::iter::once(Circle::new(positions[i], radius, WHITE.stroke_width(1))))?;
        }
        for &i in &labelled {
            let node = nodes[i];
            let radius = 5.0 + 11.0 * (node.weight / max_weight).sqrt();
            let style = if node.is_subject || node.flagged { bold_font(13) } else { font(12) };
            chart.draw_series(std::iter::once(
                EmptyElement::at(positions[i])
                    + Text::new(
                        truncate(&node.label),
                        (radius as i32 + 3, 0),
                        style.pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))?;
        }
        let mut legend =
            vec![("Researcher audited".to_owned(), SUBJECT), ("Co-author".to_owned(), RGBColor(0x88, 0x88, 0x88))];
        if nodes.iter().any(|n| n.flagged) || edges.iter().any(|e| e.3) {
            legend.push(("Flagged (named in a finding)".to_owned(), FLAGGED));
        }
        draw_legend(&legend_area, "Legend", &legend)?;
        legend_area.draw(&Text::new("Node size: works in common", (4, 40 + 24 * legend.len() as i32 + 8), font(12)))?;
        legend_area.draw(&Text::new("Line width: shared works", (4, 40 + 24 * legend.len() as i32 + 28), font(12)))?;
        Ok(())
    })?;
    let flagged = nodes.iter().filter(|n| n.flagged).count();
    Ok(Chart {
        id: "coauthor-network",
        title: "Co-author network".into(),
        caption: format!(
            "{} people, {} co-author links; {flagged} flagged. Force-directed layout (Fruchterman–Reingold, fixed \
             seed): position has no meaning beyond who wrote with whom{}.",
            nodes.len(),
            edges.len(),
            if unlabelled > 0 { format!("; {unlabelled} smaller nodes unlabelled") } else { String::new() }
        ),
        svg,
    })
}

/// A histogram of scores in `[0, 1]` with the flagging threshold marked.
pub fn score_distribution_chart(distribution: &ScoreDistribution) -> Result<Chart, ReportError> {
    /// Twenty bins of 0.05: fine enough to see a threshold's neighbourhood, coarse enough for a few hundred scores.
    const BINS: usize = 20;
    let lo = distribution.scores.iter().copied().filter(|s| s.is_finite()).fold(0.0f64, f64::min);
    let hi = distribution.scores.iter().copied().filter(|s| s.is_finite()).fold(1.0f64, f64::max);
    let width = (hi - lo) / BINS as f64;
    let mut counts = [0u32; BINS];
    for score in distribution.scores.iter().filter(|s| s.is_finite()) {
        let bin = (((score - lo) / width) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    let max_count = counts.iter().copied().max().unwrap_or(1).max(1);
    let title = format!("Score distribution: {}", distribution.name);
    let svg = draw_svg(380, |root| {
        let title_area = draw_title(root, &title)?;
        let mut chart = ChartBuilder::on(&title_area)
            .margin_right(24)
            .margin_left(10)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(lo..hi, 0.0..(f64::from(max_count) * 1.12))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_desc("Score")
            .y_desc("Items")
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()?;
        chart.draw_series(counts.iter().enumerate().map(|(i, &count)| {
            let x0 = lo + width * i as f64;
            let at_or_above = distribution.threshold.is_some_and(|t| x0 + width * 0.5 >= t);
            let color = if at_or_above { FLAGGED } else { OKABE_ITO[4] };
            Rectangle::new([(x0 + width * 0.04, 0.0), (x0 + width * 0.96, f64::from(count))], color.filled())
        }))?;
        if let Some(threshold) = distribution.threshold.filter(|t| t.is_finite()) {
            chart.draw_series(DashedLineSeries::new(
                [(threshold, 0.0), (threshold, f64::from(max_count) * 1.12)],
                6,
                4,
                FLAGGED.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((threshold, f64::from(max_count) * 1.06))
                    + Text::new(
                        format!("threshold {threshold:.2}"),
                        (6, 0),
                        bold_font(12).color(&FLAGGED).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))?;
        }
        Ok(())
    })?;
    let flagged = distribution
        .threshold
        .map(|t| distribution.scores.iter().filter(|s| **s >= t).count())
        .map(|n| format!(" {n} of {} at or above the threshold.", distribution.scores.len()))
        .unwrap_or_default();
    Ok(Chart {
        id: "score-distribution",
        title,
        caption: format!(
            "Histogram of {} scores in bins of {width:.2}; bins at or above the threshold in vermillion.{flagged}",
            distribution.scores.len()
        ),
        svg,
    })
}

// ---- building blocks -------------------------------------------------------------------------------------

struct Bar {
    label: String,
    value: f64,
    color: RGBColor,
}

/// Stacked bars per year; categories ranked by total (then name), the palette's seven largest named and the
/// rest summed as "Other".
fn stacked_year_bars(title: &str, value_desc: &str, rows: &[YearCategoryCount]) -> Result<String, ReportError> {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for row in rows {
        *totals.entry(&row.category).or_default() += u64::from(row.count);
    }
    let mut ranked: Vec<(&str, u64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let named = if ranked.len() > OKABE_ITO.len() { OKABE_ITO.len() - 1 } else { ranked.len() };
    let mut series: Vec<(String, RGBColor)> =
        ranked[..named].iter().enumerate().map(|(i, (name, _))| (display_category(name), OKABE_ITO[i])).collect();
    let series_of = |category: &str| ranked[..named].iter().position(|(name, _)| *name == category).unwrap_or(named);
    if ranked.len() > named {
        series.push((format!("Other ({})", ranked.len() - named), OTHER_GREY));
    }
    let (min_year, max_year) = year_span(rows.iter().map(|r| r.year));
    // counts[year][series]
    let mut counts: BTreeMap<i32, Vec<u32>> = (min_year..=max_year).map(|y| (y, vec![0; series.len()])).collect();
    for row in rows {
        if let Some(per_series) = counts.get_mut(&row.year) {
            per_series[series_of(&row.category)] += row.count;
        }
    }
    let max_total = counts.values().map(|c| c.iter().sum::<u32>()).max().unwrap_or(1).max(1);

    draw_svg(420, |root| {
        let title_area = draw_title(root, title)?;
        let (plot_area, legend_area) = title_area.split_horizontally(WIDTH - legend_width(&series));
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(10)
            .margin_right(10)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(
                Ticked::new(min_year as f64 - 0.6, max_year as f64 + 0.6, year_ticks(min_year, max_year)),
                0.0..(f64::from(max_total) * 1.08),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_desc("Year")
            .y_desc(value_desc)
            .x_label_formatter(&|v| format!("{}", v.round() as i64))
            .y_label_formatter(&|v| if v.fract() == 0.0 { format!("{v:.0}") } else { String::new() })
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()?;
        for (year, per_series) in &counts {
            let mut bottom = 0u32;
            for (series_index, &count) in per_series.iter().enumerate().filter(|(_, c)| **c > 0) {
                let x = f64::from(*year);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.38, f64::from(bottom)), (x + 0.38, f64::from(bottom + count))],
                    series[series_index].1.filled(),
                )))?;
                bottom += count;
            }
        }
        draw_legend(&legend_area, "Legend", &series)?;
        Ok(())
    })
}

/// Horizontal bars, largest at the top, with the value written at the end of each bar.
fn horizontal_bars(
    title: &str,
    value_desc: &str,
    bars: &[Bar],
    fixed_max: Option<f64>,
    legend: &[(String, RGBColor)],
) -> Result<String, ReportError> {
    let count = bars.len();
    let height = (110 + 30 * count as u32).max(240);
    let labels: Vec<String> = bars.iter().map(|b| truncate(&b.label)).collect();
    let max_value = fixed_max.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(1.0, f64::max) * 1.12);
    let integer_values = fixed_max.is_none();
    draw_svg(height, |root| {
        let title_area = draw_title(root, title)?;
        let (plot_area, legend_area) = if legend.is_empty() {
            (title_area.clone(), None)
        } else {
            let (a, b) = title_area.split_horizontally(WIDTH - legend_width(legend));
            (a, Some(b))
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(10)
            .margin_right(30)
            .x_label_area_size(44)
            .y_label_area_size(label_area_width(&labels))
            .build_cartesian_2d(
                0.0..max_value,
                Ticked::new(-0.5, count as f64 - 0.5, (0..count).map(|i| i as f64).collect()),
            )?;
        // Row 0 (the largest) is drawn at the top.
        let y_formatter = |v: &f64| {
            let row = count as i64 - 1 - v.round() as i64;
            usize::try_from(row).ok().and_then(|r| labels.get(r).cloned()).unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_desc(value_desc)
            .y_label_formatter(&y_formatter)
            .x_label_formatter(&|v| if integer_values { format!("{v:.0}") } else { format!("{v:.1}") })
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()?;
        for (row, bar) in bars.iter().enumerate() {
            let y = (count - 1 - row) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.34), (bar.value, y + 0.34)],
                bar.color.filled(),
            )))?;
            let value_text = if integer_values { format!("{:.0}", bar.value) } else { format!("{:.2}", bar.value) };
            chart.draw_series(std::iter::once(
                EmptyElement::at((bar.value, y))
                    + Text::new(value_text, (4, 0), font(12).pos(Pos::new(HPos::Left, VPos::Center))),
            ))?;
        }
        if let Some(area) = legend_area {
            draw_legend(&area, "Severity", legend)?;
        }
        Ok(())
    })
}

/// An `f64` axis whose ticks are exactly the given values (years, category rows). plotters' own
/// `with_key_points` combinator opts out of label formatting, which its mesh then refuses.
struct Ticked {
    range: std::ops::Range<f64>,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(start: f64, end: f64, ticks: Vec<f64>) -> Self {
        Self { range: start..end, ticks }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let fraction = if span == 0.0 { 0.5 } else { (value - self.range.start) / span };
        limit.0 + (f64::from(limit.1 - limit.0) * fraction).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws into a fresh white SVG of the standard width; the closure gets the whole area.
fn draw_svg(height: u32, draw: impl FnOnce(&Area<'_>) -> Result<(), ReportError>) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

/// Writes the chart title at the top left and returns the area below it.
fn draw_title<'a>(root: &Area<'a>, title: &str) -> Result<Area<'a>, ReportError> {
    root.draw(&Text::new(title.to_owned(), (14, 12), bold_font(17).pos(Pos::new(HPos::Left, VPos::Top))))?;
    let (_, rest) = root.split_vertically(42);
    Ok(rest)
}

/// A legend of colour swatches, drawn in its own area so it never covers data.
fn draw_legend(area: &Area<'_>, heading: &str, entries: &[(String, RGBColor)]) -> Result<(), ReportError> {
    area.draw(&Text::new(heading.to_owned(), (4, 14), bold_font(13).pos(Pos::new(HPos::Left, VPos::Center))))?;
    for (i, (label, color)) in entries.iter().enumerate() {
        let y = 40 + 24 * i as i32;
        area.draw(&Rectangle::new([(4, y - 7), (18, y + 7)], color.filled()))?;
        area.draw(&Text::new(truncate(label), (26, y), font(13).pos(Pos::new(HPos::Left, VPos::Center))))?;
    }
    Ok(())
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, f64::from(size)).into_font().color(&TEXT)
}

fn bold_font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, f64::from(size), FontStyle::Bold).into_font().color(&TEXT)
}

fn node_color(node: &crate::input::CoauthorNode) -> RGBColor {
    if node.is_subject {
        SUBJECT
    } else if node.flagged {
        FLAGGED
    } else {
        RGBColor(0x88, 0x88, 0x88)
    }
}

fn severity_color(severity: Severity) -> RGBColor {
    match severity {
        Severity::High => FLAGGED,
        Severity::Medium => OKABE_ITO[1],
        Severity::Low => OKABE_ITO[4],
        Severity::Info => OTHER_GREY,
    }
}

/// The ranked-scores chart's data from the findings: one bar per finding, labelled with its number in the
/// report, its code and subject.
fn scores_from_findings(input: &ReportInput) -> Vec<LabeledScore> {
    crate::ranked_findings(&input.findings)
        .into_iter()
        .enumerate()
        .map(|(rank, f)| LabeledScore {
            label: format!("{}. {} {}", rank + 1, f.code, crate::subject_label(input, &f.subject)),
            score: f.score,
            severity: f.severity,
        })
        .collect()
}

/// Width of the label area for these labels (the viewer lays the text out, so this is an estimate); capped so
/// the plot keeps most of the width.
fn label_area_width(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| label_width_units(l)).max();
    (longest.unwrap_or(4) as u32 * 7 + 16).clamp(60, 300)
}

/// Width of a legend column: swatch, gap and the longest (truncated) label, within sensible bounds.
fn legend_width(entries: &[(String, RGBColor)]) -> u32 {
    let longest = entries.iter().map(|(label, _)| label_width_units(&truncate(label))).max().unwrap_or(8);
    (longest as u32 * 7 + 44).clamp(120, 340)
}

/// Approximate text width in units of an average Latin character: wide (CJK) characters count double.
fn label_width_units(label: &str) -> usize {
    label.chars().map(|c| if c.len_utf8() > 2 { 2 } else { 1 }).sum()
}

fn truncate(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let mut cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

fn display_category(category: &str) -> String {
    if category.trim().is_empty() { "Unknown".to_owned() } else { category.to_owned() }
}

fn year_span(years: impl Iterator<Item = i32>) -> (i32, i32) {
    years
        .fold(None, |span: Option<(i32, i32)>, y| Some(span.map_or((y, y), |(a, b)| (a.min(y), b.max(y)))))
        .unwrap_or((2000, 2000))
}

/// Year ticks: every year for short spans, every 2nd/5th/10th year for long ones (at most ~15 labels).
fn year_ticks(min_year: i32, max_year: i32) -> Vec<f64> {
    let span = (max_year - min_year + 1).max(1);
    let step = [1, 2, 5, 10, 20, 50].into_iter().find(|s| span / s <= 15).unwrap_or(100);
    (min_year..=max_year).filter(|y| (y - min_year) % step == 0).map(f64::from).collect()
}

fn omitted_note(total: usize, shown: usize) -> String {
    if total > shown { format!(" (top {shown} of {total} shown)") } else { String::new() }
}
