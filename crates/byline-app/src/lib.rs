//! byline's application layer: the pipelines the commands run, between the argument parsing of the binary
//! (`src/`) and the domain crates. A command parses its arguments into a request, calls one function here, and
//! prints what comes back; the service and the benches call the same functions. Nothing here prints: progress
//! and notes go through [`ui::Ui`].
//!
//! - [`audit`]: one researcher's record (neighbourhood read, de-duplication, assessment, disclosure, lists,
//!   paper-mill signals) → [`audit::AuditOutput`];
//! - [`scan`]: the resumable scan engine (per-part stage, corpus-wide stage, files); [`findings_out`]: its
//!   findings merged from sorted runs and written without holding them;
//! - [`index`] and [`screen`]: the screening index and submissions against it;
//! - [`report`]: report inputs (one [`report::evidence_work`] from a `Work`, `AUD001`) and writing reports;
//! - [`fetch`], [`lists`], [`files`]: the record from the APIs, screening lists as named on a command line,
//!   atomic file writes.

pub mod audit;
pub mod corpus_stage;
pub mod demo;
pub mod fetch;
pub mod files;
pub mod findings_out;
pub mod index;
pub mod lists;
pub mod network;
pub mod report;
pub mod scan;
pub mod screen;
pub mod ui;
