//! Paper-mill detectors over in-memory [`Work`](byline_model::Work)s.
//!
//! Each detector is a small type with a stable code (like a lint code) that emits
//! [`Finding`](byline_model::Finding)s. The [`Detector`] trait lives in [`detector`], which imports no detector;
//! each detector is built with its inputs and says whether it reads one work at a time or the whole corpus
//! ([`Scope`]); the [`registry`] builds them from a [`DetectContext`], lists them and applies `--select/--ignore`.
//!
//! | code | module | what |
//! |---|---|---|
//! | `TOR001` | [`tortured`] | tortured phrases, graded by density |
//! | `TPL001` | [`template`] | template families found with masked MinHash + LSH |
//! | `RET001`…`RET004` | [`retraction`] | retracted works, citations of retracted / paper-mill works, authors with earlier paper-mill retractions |
//! | `BYL001`…`BYL004` | [`byline`] | author-count anomaly, webmail on an institutional byline, many countries, venue bursts |
//! | `MIL001` | [`classifier`] | paper-mill probability from a linear model over masked title + abstract n-grams, hand-made measures and a title model; calibrated, with reasons |
//!
//! Screening one submission against a prebuilt corpus index lives in [`screen`]; the planted-truth benchmark
//! in the `byline-bench` crate.

pub mod byline;
pub mod classifier;
pub mod detector;
pub mod family;
pub mod minhash;
pub mod registry;
pub mod retraction;
pub mod screen;
pub mod spill;
pub mod template;
pub mod text;
pub mod tortured;

pub use classifier::{Contribution, FeatureVector, HandModel, Model, ModelScore};
pub use detector::{Detection, Detector, Scope};
pub use registry::{DetectContext, Registry, ScanOutput, scan};
pub use retraction::RetractionDb;
pub use screen::{CorpusIndex, IndexParams, ScreenVerdict, Submission, Verdict, screen, screen_with};
pub use template::{Family, FamilyParams, find_families};
pub use tortured::{Lexicon, TorturedGrade, TorturedThresholds};

/// Errors from loading detector inputs (lexicons, models, indexes, submissions).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Format { path: String, reason: String },
    #[error("unknown detector code or prefix `{0}` (see `Registry::codes`)")]
    UnknownCode(String),
    #[error("classifier training failed: {0}")]
    Training(String),
}

impl Error {
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }
    pub fn format(path: impl std::fmt::Display, reason: impl Into<String>) -> Error {
        Error::Format { path: path.to_string(), reason: reason.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
