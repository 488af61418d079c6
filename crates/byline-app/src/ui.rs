//! How a pipeline talks to whoever runs it: progress and notes go through [`Ui`], so the layer never prints.
//! The CLI implements it with progress bars on stderr; the service, the benches and tests use [`Silent`].

/// What a progress bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes (a spinner when the total is 0).
    Bytes,
    /// Corpus parts.
    Parts,
}

/// One progress bar. Every method is a no-op by default.
pub trait Bar: Send + Sync {
    fn inc(&self, _n: u64) {}
    /// Replaces the bar's message (a name or path from the input may be in it: implementations escape it).
    fn set_message(&self, _message: &str) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Progress and notes of a running pipeline.
pub trait Ui: Sync {
    /// A line for the person running the command (stderr in the CLI): what an input file held, a warning.
    fn note(&self, _line: &str) {}
    /// A progress bar over `total` units (0: unknown).
    fn bar(&self, _total: u64, _what: &str, _unit: Unit) -> Box<dyn Bar> {
        Box::new(NoBar)
    }
}

/// A bar that shows nothing.
pub struct NoBar;
impl Bar for NoBar {}

/// Shows nothing and notes nothing.
pub struct Silent;
impl Ui for Silent {}
