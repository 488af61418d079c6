//! Progress bars and notes: bars shown on a terminal, silent when stderr is not a TTY or with `--quiet`. The
//! application layer reports through [`byline_app::ui::Ui`], which [`Context`] implements.

use std::io::IsTerminal;

use byline_app::ui::{Bar, Ui, Unit};
use indicatif::{ProgressBar, ProgressStyle};

use crate::errln;
use crate::output::sanitize_terminal;

/// What every command knows about how to talk to the user.
pub struct Context {
    pub quiet: bool,
}

impl Context {
    /// A byte-based progress bar, hidden when not interactive.
    pub fn bytes_bar(&self, total: u64, what: &str) -> ProgressBar {
        self.progress_bar(total, what, Unit::Bytes)
    }

    fn progress_bar(&self, total: u64, what: &str, unit: Unit) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total);
        let template = match unit {
            Unit::Bytes => {
                "{msg:>10} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})"
            }
            Unit::Parts => "{msg:>10} [{elapsed_precise}] {wide_bar} {pos}/{len} parts (eta {eta})",
        };
        bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
        set_message(&bar, what);
        bar
    }
}

/// Notes go to stderr (escaped, as everything the binary prints); bars are indicatif's.
impl Ui for Context {
    fn note(&self, line: &str) {
        errln!("{line}");
    }

    fn bar(&self, total: u64, what: &str, unit: Unit) -> Box<dyn Bar> {
        Box::new(Indicatif(self.progress_bar(total, what, unit)))
    }
}

struct Indicatif(ProgressBar);

impl Bar for Indicatif {
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn set_message(&self, message: &str) {
        set_message(&self.0, message);
    }
    fn tick(&self) {
        self.0.tick();
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Sets a bar's message with control characters escaped ([`sanitize_terminal`]), as everything the binary
/// prints is: use it instead of `ProgressBar::set_message` for a message that can carry a name or path.
pub fn set_message(bar: &ProgressBar, message: &str) {
    bar.set_message(sanitize_terminal(message).into_owned());
}
