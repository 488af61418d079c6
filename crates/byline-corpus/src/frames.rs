//! A corpus's tables as in-memory frames, for callers that hand records to another program instead of writing
//! a corpus (the Python bindings, `crates/byline-py`): the same flattening and the same schema as ingest.

use byline_model::{Diagnostic, Work};
use polars::prelude::{DataFrame, PolarsResult};

use crate::schema::{PartBuffers, Table};

/// Rows of every table of the corpus schema, filled one record at a time and taken out as [`DataFrame`]s.
pub struct TableFrames {
    buffers: PartBuffers,
}

impl Default for TableFrames {
    fn default() -> Self {
        TableFrames::new()
    }
}

impl TableFrames {
    /// Empty tables.
    pub fn new() -> TableFrames {
        TableFrames { buffers: PartBuffers::new() }
    }

    /// Flattens one work into rows of every table, as ingest does.
    pub fn push_work(&mut self, work: &Work) {
        self.buffers.push_work(work);
    }

    /// A rejected record, a warning or a file error, as a row of `diagnostics`.
    pub fn push_diagnostic(&mut self, diagnostic: &Diagnostic) {
        self.buffers.push_diagnostic(diagnostic);
    }

    /// A PubMed `DeleteCitation` PMID read from `path`, as a row of `deleted`.
    pub fn push_deleted(&mut self, pmid: &str, path: &str) {
        self.buffers.push_deleted(pmid, path);
    }

    /// Rows buffered in `table`.
    pub fn rows(&mut self, table: Table) -> usize {
        self.buffers.table_mut(table).rows()
    }

    /// Moves `table`'s rows out as a frame with the corpus schema (an empty frame keeps every column and type).
    pub fn take(&mut self, table: Table) -> PolarsResult<DataFrame> {
        self.buffers.table_mut(table).take_frame()
    }
}
