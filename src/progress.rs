//! Progress bars: shown on a terminal, silent when stderr is not a TTY or with `--quiet`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::output::sanitize_terminal;

/// What every command knows about how to talk to the user.
pub struct Context {
    pub quiet: bool,
}

impl Context {
    /// A byte-based progress bar, hidden when not interactive.
    pub fn bytes_bar(&self, total: u64, what: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template(
            "{msg:>10} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        set_message(&bar, what);
        bar
    }
}

/// Sets a bar's message with control characters escaped ([`sanitize_terminal`]), as everything the binary
/// prints is: use it instead of `ProgressBar::set_message` for a message that can carry a name or path.
pub fn set_message(bar: &ProgressBar, message: &str) {
    bar.set_message(sanitize_terminal(message).into_owned());
}
