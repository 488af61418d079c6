//! The [`Detector`] trait and the small types it needs. A leaf: it imports no detector, so the detectors and
//! the [`registry`](crate::registry) that assembles them both depend on it and not on each other.

use byline_model::{Finding, Work};

use crate::family::Family;

/// What a detector needs to see at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Reads one work at a time: its findings on a set of works are the union of its findings on each (a scan
    /// can run it part by part, a screen on one submission).
    PerWork,
    /// Needs every work of the corpus at once (it compares works, or counts over venues or citations).
    Corpus,
}

/// What one run of a detector produced: its findings and, for the template detector, the families behind them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    pub findings: Vec<Finding>,
    pub families: Vec<Family>,
}

/// A detector: a small type with a stable code that reads works and emits findings. It is built with what it
/// needs (a lexicon, a model, thresholds); a missing input switches it off (it emits nothing) rather than
/// failing.
pub trait Detector: Sync + Send {
    /// Stable code, like a lint code (`TOR001`).
    fn code(&self) -> &'static str;
    /// Short kebab-case name (`tortured-phrases`).
    fn name(&self) -> &'static str;
    /// Whether it reads one work at a time or needs the whole corpus.
    fn scope(&self) -> Scope;
    /// Runs over a set of works.
    fn run(&self, works: &[Work]) -> Vec<Finding>;
    /// Runs over a set of works and returns whatever else it found besides findings (template families);
    /// by default, only [`Detector::run`]'s findings.
    fn detect(&self, works: &[Work]) -> Detection {
        Detection { findings: self.run(works), families: Vec::new() }
    }
    /// Other codes this detector can emit besides [`Detector::code`] (a family of related codes).
    fn extra_codes(&self) -> &'static [&'static str] {
        &[]
    }
}
