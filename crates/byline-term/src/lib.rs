//! The terminal side of byline's binaries (`byline`, `byline-bench`): everything they print passes
//! [`terminal::sanitize_terminal`] (through [`outln!`], [`out!`], [`errln!`]); progress bars on stderr that
//! implement the application layer's [`byline_app::ui::Ui`]; the output formats and exit codes they share.

pub mod exit;
pub mod output;
pub mod progress;
pub mod terminal;
