//! The terminal side of byline's binaries (`byline`, `byline-bench`): everything they print passes
//! [`terminal::sanitize_terminal`] (through [`outln!`], [`out!`], [`errln!`]); progress bars on stderr that
//! implement the application layer's [`byline_app::ui::Ui`]; the output formats and exit codes they share.

pub mod exit;
pub mod output;
pub mod progress;
pub mod terminal;

use std::process::ExitCode;

/// Ends a binary's `main`: the command's exit code, or its error printed as `PROGRAM: error: …` on stderr
/// ([`error_chain`]) and exit 1.
pub fn finish(program: &str, result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            errln!("{program}: error: {}", error_chain(&e));
            ExitCode::from(exit::ERROR)
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause its message already quotes (the crates'
/// errors write "path: cause" and also keep the cause as their source).
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// A format name (`pubmed`, `openalex`, `crossref`…) given on the command line (`ingest --reader`,
/// `generate --formats`).
pub fn parse_format(s: &str) -> Result<byline_model::Format, String> {
    byline_model::Format::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = byline_model::Format::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown format '{s}'; one of: {}", names.join(", "))
    })
}
