//! Exit codes, documented in `--help`.

/// An error stopped the command.
pub const ERROR: u8 = 1;
/// The command finished but found problems the caller must see: rejected records or failed files (ingest),
/// a crossed threshold (screen, audit).
pub const FLAGGED: u8 = 3;
