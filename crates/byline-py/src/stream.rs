//! `byline.read`: an input file's records as Arrow record batches with the corpus schema.
//!
//! A reader thread runs `byline_parse::read_path` (one record in memory, as ingest) and flattens the works
//! into [`TableFrames`] (the corpus schema, the same code as ingest); every `records_per_batch` works the
//! requested table's rows go, as one frame, through a channel of two slots to the consumer. The consumer is an
//! Arrow C stream (`polars_arrow::ffi::export_iterator`) handed to pyarrow as a PyCapsule (the
//! `__arrow_c_stream__` protocol): pyarrow imports the buffers without copying them (numbers and validity
//! as they are; strings are converted once, to `large_string`, so that every Arrow consumer — pandas,
//! DuckDB, Spark — reads them). A file error is kept and raised by the Python side (`InputError`) with its
//! message (file and position), after the batches read before it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use byline_corpus::{TABLES, Table, TableFrames};
use byline_model::Format;
use byline_parse::{Event, FileSummary, read_path};
use polars::prelude::{CompatLevel, DataFrame};
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::{ArrowDataType, Field};
use polars_arrow::ffi::{ArrowArrayStream, export_iterator};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};

use crate::InputError;

/// What the reader thread learned about the file: its accounting and, for a file that failed, the message.
#[derive(Default)]
struct Outcome {
    summary: Option<FileSummary>,
    error: Option<String>,
}

/// An Arrow C stream of one table of a file's records (`__arrow_c_stream__`), and the file's accounting once
/// it has been read to its end.
#[pyclass(module = "byline._native")]
pub struct ArrowStream {
    stream: Mutex<Option<ArrowArrayStream>>,
    outcome: Arc<Mutex<Outcome>>,
}

#[pymethods]
impl ArrowStream {
    /// The stream as a PyCapsule named `arrow_array_stream` (the Arrow PyCapsule interface); once only.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema; // the corpus schema is what byline reads; no cast is offered
        let stream = self
            .stream
            .lock()
            .map_err(|_| crate::BylineError::new_err("stream lock poisoned"))?
            .take()
            .ok_or_else(|| crate::BylineError::new_err("this stream was already consumed"))?;
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The file's error (file, position and reason, as `byline ingest` reports it), if reading it failed.
    fn error(&self) -> Option<String> {
        self.outcome.lock().ok().and_then(|o| o.error.clone())
    }

    /// The file's accounting after the stream was read to its end (`None` before): records seen, works,
    /// rejected, warnings, deleted, the format and the bytes read.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let o = self.outcome.lock().map_err(|_| crate::BylineError::new_err("lock poisoned"))?;
        o.summary.as_ref().map(|s| summary_dict(py, s)).transpose()
    }
}

fn summary_dict<'py>(py: Python<'py>, s: &FileSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("path", &s.path)?;
    d.set_item("format", s.format.map(|f| f.as_str()))?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("records_seen", s.records_seen)?;
    d.set_item("works", s.works)?;
    d.set_item("rejected", s.rejected)?;
    d.set_item("warnings", s.warnings)?;
    d.set_item("deleted", s.deleted)?;
    d.set_item("file_error", s.file_error.as_ref().map(ToString::to_string))?;
    d.set_item("skipped", s.skipped.clone())?;
    Ok(d)
}

fn table_named(name: &str) -> PyResult<Table> {
    TABLES.into_iter().find(|t| t.dir_name() == name).ok_or_else(|| {
        let names: Vec<&str> = TABLES.iter().map(|t| t.dir_name()).collect();
        pyo3::exceptions::PyValueError::new_err(format!("unknown table '{name}': expected one of {}", names.join(", ")))
    })
}

fn format_named(name: Option<&str>) -> PyResult<Option<Format>> {
    name.map(|n| {
        Format::from_name(n).ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("unknown format '{n}'")))
    })
    .transpose()
}

/// The error a whole file gets: a file error (with its position) or a file of no format byline reads.
fn file_failure(s: &FileSummary) -> Option<String> {
    s.file_error
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| s.skipped.as_ref().map(|why| format!("{}: {why}", s.path)))
}

/// Starts reading `path`; the stream yields `table`'s rows, a batch per `records_per_batch` works.
#[pyfunction]
#[pyo3(signature = (path, table = "works", records_per_batch = 20_000, format = None))]
pub fn _read(path: PathBuf, table: &str, records_per_batch: usize, format: Option<&str>) -> PyResult<ArrowStream> {
    let table = table_named(table)?;
    let format = format_named(format)?;
    if records_per_batch == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("records_per_batch must be at least 1"));
    }
    if !path.exists() {
        return Err(InputError::new_err(format!("{}: no such file or directory", path.display())));
    }
    let mut frames = TableFrames::new();
    let empty = frames.take(table).map_err(|e| crate::BylineError::new_err(e.to_string()))?;
    let fields: Vec<Field> = empty.columns().iter().map(|c| c.field().to_arrow(CompatLevel::oldest())).collect();
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let (tx, rx) = sync_channel::<DataFrame>(2);
    let thread_outcome = Arc::clone(&outcome);
    std::thread::Builder::new()
        .name("byline-read".into())
        .spawn(move || {
            let mut frames = TableFrames::new();
            let mut open = true;
            let send = |frames: &mut TableFrames, open: &mut bool| {
                let mut wanted = None;
                for t in TABLES {
                    let df = frames.take(t);
                    if t == table {
                        wanted = df.ok();
                    }
                }
                if let Some(df) = wanted
                    && *open
                    && tx.send(df).is_err()
                {
                    // The consumer is gone: the rest of the file is read (the reader cannot stop) but not kept.
                    *open = false;
                }
            };
            let display = path.display().to_string();
            let summary = read_path(&path, format, &mut |event| {
                if !open {
                    return;
                }
                match event {
                    Event::Work(w) => frames.push_work(&w),
                    Event::Rejected(d) | Event::Warning(d) => frames.push_diagnostic(&d),
                    Event::Deleted { pmid } => frames.push_deleted(&pmid, &display),
                }
                if frames.rows(Table::Works) >= records_per_batch {
                    send(&mut frames, &mut open);
                }
            });
            if let Some(d) = &summary.file_error {
                frames.push_diagnostic(d);
            }
            if frames.rows(table) > 0 {
                send(&mut frames, &mut open);
            }
            if let Ok(mut o) = thread_outcome.lock() {
                o.error = file_failure(&summary);
                o.summary = Some(summary);
            }
            // `tx` is dropped here: the stream ends after the last batch.
        })
        .map_err(|e| crate::BylineError::new_err(format!("starting the reader thread: {e}")))?;
    let stream = export_iterator(Box::new(Batches { rx, fields: fields.clone() }), struct_field(fields));
    Ok(ArrowStream { stream: Mutex::new(Some(stream)), outcome })
}

fn struct_field(fields: Vec<Field>) -> Field {
    Field::new("".into(), ArrowDataType::Struct(fields), false)
}

/// The frames from the reader thread, each as one struct array (a record batch over the C stream).
struct Batches {
    rx: Receiver<DataFrame>,
    fields: Vec<Field>,
}

impl Iterator for Batches {
    type Item = polars::prelude::PolarsResult<Box<dyn Array>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut df = self.rx.recv().ok()?;
        df.rechunk_mut();
        let height = df.height();
        let arrays: Vec<Box<dyn Array>> = match df.iter_chunks(CompatLevel::oldest(), false).next() {
            Some(batch) => batch.into_arrays(),
            None => return Some(Ok(StructArray::new_empty(ArrowDataType::Struct(self.fields.clone())).boxed())),
        };
        Some(StructArray::try_new(ArrowDataType::Struct(self.fields.clone()), height, arrays, None).map(|a| a.boxed()))
    }
}

/// Reads `path` to its end and returns its accounting (what `byline ingest` writes into the manifest for it):
/// `records_seen = works + rejected`, warnings, deleted, the format; the file's error raises `InputError`.
#[pyfunction]
#[pyo3(signature = (path, format = None))]
pub fn _count<'py>(py: Python<'py>, path: PathBuf, format: Option<&str>) -> PyResult<Bound<'py, PyDict>> {
    let format = format_named(format)?;
    if !path.exists() {
        return Err(InputError::new_err(format!("{}: no such file or directory", path.display())));
    }
    let summary = py.detach(|| read_path(&path, format, &mut |_| {}));
    if let Some(msg) = file_failure(&summary) {
        return Err(InputError::new_err(msg));
    }
    summary_dict(py, &summary)
}
