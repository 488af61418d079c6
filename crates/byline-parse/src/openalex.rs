//! Reader stub: replaced by the real reader.

use byline_model::{Diagnostic, DiagnosticKind, Position};

use crate::Event;
use crate::input::Input;

/// Streams records from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    let _ = (input, sink);
    Err(Diagnostic::new(DiagnosticKind::FileError, path, Position::default(), "reader not implemented yet"))
}
