//! Writes every output of the sample audit and scan into a directory, for looking at them (and for the
//! README's screenshots): `cargo run -p byline-report --example render_sample -- OUT_DIR`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "report-sample".into()));
    std::fs::create_dir_all(&out)?;
    for (name, input) in [("audit", byline_report::sample_input()), ("scan", byline_report::sample_scan_input())] {
        std::fs::write(out.join(format!("{name}.html")), byline_report::render_html(&input)?)?;
        std::fs::write(out.join(format!("{name}.md")), byline_report::render_markdown(&input))?;
        std::fs::write(out.join(format!("{name}.json")), byline_report::report_json(&input)?)?;
        std::fs::write(out.join(format!("{name}-findings.csv")), byline_report::findings_csv(&input.findings))?;
        for chart in byline_report::render_charts(&input)? {
            std::fs::write(out.join(format!("{name}-{}.svg", chart.id)), &chart.svg)?;
        }
        if let Some(graph) = &input.charts.coauthor_network {
            let network = byline_report::Network::from(graph);
            std::fs::write(out.join(format!("{name}-coauthors.graphml")), network.to_graphml())?;
            std::fs::write(out.join(format!("{name}-coauthors.gexf")), network.to_gexf())?;
            std::fs::write(out.join(format!("{name}-coauthors-map.txt")), network.to_vosviewer_map())?;
            std::fs::write(out.join(format!("{name}-coauthors-network.txt")), network.to_vosviewer_network())?;
        }
    }
    println!("wrote {}", out.display());
    Ok(())
}
