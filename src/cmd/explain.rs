//! `byline explain`: what a finding code means, from the one table of codes (`byline_model::codes`).

use std::process::ExitCode;

use byline_model::codes::{CODES, CodeInfo, lookup};

use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Explain a finding code: what it means, what it is about, which part of byline emits it, and its known false
/// positives.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline explain COA004\n  byline explain --list\n  \
    byline explain --list --format json")]
pub struct Args {
    /// The code to explain (case does not matter).
    #[arg(value_name = "CODE", required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code byline emits, one a line.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.list {
        match args.format {
            OutputFormat::Json => print_json(&CODES)?,
            OutputFormat::Text => {
                for c in CODES {
                    outln!("{}  {:<46} {}", c.code, c.name, c.emitted_by);
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let code = args.code.as_deref().unwrap_or_default();
    let Some(info) = lookup(code) else {
        let family: Vec<&str> = CODES
            .iter()
            .filter(|c| code.len() >= 3 && c.code.starts_with(&code[..3].to_ascii_uppercase()))
            .map(|c| c.code)
            .collect();
        anyhow::bail!(
            "no finding code `{code}`{}; `byline explain --list` lists them all",
            if family.is_empty() { String::new() } else { format!(" (its family has {})", family.join(", ")) }
        );
    };
    match args.format {
        OutputFormat::Json => print_json(info)?,
        OutputFormat::Text => print_text(info),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(c: &CodeInfo) {
    outln!("{}: {}", c.code, c.name);
    outln!();
    outln!("About:            {}", c.subject);
    outln!("Emitted by:       {}", c.emitted_by);
    outln!("What it means:    {}", c.meaning);
    outln!("False positives:  {}", c.false_positives);
}
