//! `byline report` and the `--report FILE` option: findings as something a person would rather read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use byline_app::report::write_report_lang;
use byline_report::{Lang, ReportInput};

use crate::output::outln;
use crate::progress::Context;

/// The `--report FILE` option of audit, scan and screen.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Also write a report: `.html` (one self-contained file), `.md` (Markdown for e-mail), `.json` (the
    /// report's data, which `byline report` renders again) or `.csv` (the findings).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The HTML report's language: `en` (default) or `ja` (Japanese headings, reasons and summary; codes, names
    /// and evidence as written; a Japanese font stack, Noto Sans CJK JP first, and Japanese line breaking).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: Lang,
}

/// `--lang`: `en` or `ja`.
pub fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| format!("unknown report language '{s}': use en or ja"))
}

/// Render a report from its JSON data (written by `--report FILE.json`) as HTML, Markdown or CSV.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline audit --corpus c/ --orcid 0000-0002-1825-0097 --report audit.json\n  \
    byline report audit.json --out audit.html\n  byline report audit.json --out audit.md\n  \
    byline report audit.json --out audit.html --charts charts/ --png")]
pub struct Args {
    /// A report data file (`--report FILE.json` of audit, scan or screen).
    pub input: PathBuf,
    /// The file to write; its extension picks the format (.html, .md, .json, .csv).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Also write every chart as its own SVG file in this directory (`<chart id>.svg`).
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// With --charts: also write each chart as `<chart id>.png` next to its SVG (rendered with the system's
    /// fonts; install a CJK font such as Debian's fonts-noto-cjk for CJK names).
    #[arg(long, requires = "charts")]
    pub png: bool,
    /// The PNG's scale: 1 is one pixel per SVG unit (charts are 900 px wide), 2 for high-DPI screens and print.
    #[arg(long, value_name = "FACTOR", default_value_t = 2.0, requires = "png")]
    pub png_scale: f32,
    /// The HTML report's language: `en` (default) or `ja`.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: Lang,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    let input: ReportInput =
        serde_json::from_str(&text).with_context(|| format!("{}: not report data", args.input.display()))?;
    write_report_lang(&input, &args.out, args.lang)?;
    if !ctx.quiet {
        outln!("{}", args.out.display());
    }
    if let Some(dir) = &args.charts {
        std::fs::create_dir_all(dir)?;
        for chart in byline_report::render_charts(&input)? {
            let path = dir.join(format!("{}.svg", chart.id));
            std::fs::write(&path, &chart.svg).with_context(|| format!("writing {}", path.display()))?;
            if !ctx.quiet {
                outln!("{}", path.display());
            }
            if args.png {
                let path = dir.join(format!("{}.png", chart.id));
                let png = byline_report::svg_to_png(&chart.svg, args.png_scale)
                    .with_context(|| format!("rendering {}", path.display()))?;
                std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
                if !ctx.quiet {
                    outln!("{}", path.display());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
