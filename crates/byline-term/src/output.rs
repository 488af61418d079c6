//! Output formats shared by the commands.

use clap::ValueEnum;

pub use crate::terminal::sanitize_terminal;
use crate::terminal::write_sanitized;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// A human-readable table.
    #[default]
    Text,
    /// One JSON document on standard output.
    Json,
}

/// Prints a value as pretty JSON on standard output.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Formats a share as a percentage with one decimal ("–" when the denominator is zero).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 { "–".to_owned() } else { format!("{:.1}%", 100.0 * part as f64 / whole as f64) }
}

/// Writes to standard output, with control characters escaped ([`sanitize_terminal`]: metadata never
/// retitles, recolours or reorders the terminal; inside JSON strings the escape is the same value). A closed
/// pipe (`byline stats corpus | head`) ends the process quietly with success, as command-line tools do,
/// instead of the panic `println!` gives; any other write error exits 1.
pub fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let result = write_sanitized(&mut out, args).and_then(|()| if newline { out.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        errln!("byline: error: writing output: {e}");
        std::process::exit(i32::from(crate::exit::ERROR));
    }
}

/// Writes one line to standard error, with control characters escaped ([`sanitize_terminal`]): errors and
/// notes quote file names, list entries and metadata. The line is formatted first and written at once, so
/// it is not interleaved with another thread's; a failed write to stderr is ignored (there is nowhere left
/// to report it).
pub fn write_err(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut line = Vec::new();
    if write_sanitized(&mut line, args).is_ok() {
        line.push(b'\n');
        let _ = std::io::stderr().lock().write_all(&line);
    }
}

/// `println!` for command output (see [`write_out`]).
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write_out(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::output::write_out(format_args!($($arg)*), true) };
}

/// `print!` for command output (see [`write_out`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write_out(format_args!($($arg)*), false) };
}

/// `eprintln!` for errors and notes (see [`write_err`]): use it for every line to standard error.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::output::write_err(format_args!($($arg)*)) };
}

pub use crate::{errln, out, outln};
