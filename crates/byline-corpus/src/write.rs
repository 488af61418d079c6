//! Ingest: input files → Parquet corpus, in parallel across files, streaming within a file, atomically.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use byline_model::{DiagnosticKind, Format, SCHEMA_VERSION};
use byline_parse::{Event, FileSummary, collect_inputs, read_path};
use polars::prelude::*;
use rayon::prelude::*;

use crate::manifest::{FileRecord, Manifest, Totals};
use crate::schema::{PartBuffers, TABLES};
use crate::{CorpusError, io_err, pq_err};

/// Works per part file: bounds memory (a part's rows are all that a worker holds) while keeping parts big
/// enough for efficient Parquet (row groups of tens of thousands of rows).
pub const WORKS_PER_PART: usize = 20_000;
/// Buffered text per part: a part is written when it holds this much, even before `WORKS_PER_PART` works
/// (records with long abstracts and reference lists would otherwise hold gigabytes per worker).
pub const PART_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// Inputs are grouped into shards of consecutive files up to this many bytes on disk, so that thousands of
/// small files (one JATS article each) make a few parts, not thousands; a larger file is its own shard.
pub const SHARD_BYTES: u64 = 64 * 1024 * 1024;

/// What one shard produced: its index, the accounting of its files, and the part files it wrote.
type ShardResult = (usize, Vec<FileRecord>, Vec<String>);

/// Options for [`ingest`].
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force one reader for every file instead of sniffing each file's content.
    pub format: Option<Format>,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// When any record is rejected or any file fails, write nothing (the manifest is still returned).
    pub strict: bool,
    /// Works per part file; 0 = [`WORKS_PER_PART`]. Small parts let tests exercise the pipelines that work
    /// part by part on small corpora.
    pub works_per_part: usize,
}

/// Progress callbacks (called from worker threads).
pub trait IngestProgress: Sync {
    /// Called once with the number of input files and their total size on disk.
    fn start(&self, files: u64, bytes_on_disk: u64);
    /// Called after each file, with its accounting and its size on disk.
    fn file_done(&self, record: &FileRecord, bytes_on_disk: u64);
}

/// A progress sink that reports nothing.
impl IngestProgress for () {
    fn start(&self, _: u64, _: u64) {}
    fn file_done(&self, _: &FileRecord, _: u64) {}
}

/// Reads every input and writes a corpus at `out`. The corpus appears at `out` only when complete (written
/// to a temporary sibling, then renamed); an existing corpus at `out` is replaced, anything else is refused.
pub fn ingest(
    inputs: &[PathBuf],
    out: &Path,
    options: &IngestOptions,
    progress: &dyn IngestProgress,
) -> Result<Manifest, CorpusError> {
    check_replaceable(out)?;
    let (files, missing) = collect_inputs(inputs);
    let tmp = sibling(out, "tmp");
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| io_err(&tmp, e))?;
    }
    let mut writer = CorpusWriter::create(&tmp)?;
    let sizes: Vec<u64> = files.iter().map(|f| fs::metadata(f).map(|m| m.len()).unwrap_or(0)).collect();
    progress.start(files.len() as u64, sizes.iter().sum());
    let shards = shard(&sizes);
    let works_per_part = if options.works_per_part == 0 { WORKS_PER_PART } else { options.works_per_part };

    let run = || -> Result<Vec<ShardResult>, CorpusError> {
        shards
            .par_iter()
            .enumerate()
            .map(|(shard_index, range)| {
                let mut parts = Vec::new();
                let mut records = Vec::new();
                let mut buffers = PartBuffers::new();
                for i in range.clone() {
                    let path = &files[i];
                    let summary = read_one(path, options.format, works_per_part, &mut buffers, &mut |buffers| {
                        let name = format!("part-{shard_index:05}-{:04}", parts.len());
                        writer.write_part(&name, buffers)?;
                        parts.push(name);
                        Ok(())
                    })?;
                    let record = file_record(summary);
                    progress.file_done(&record, sizes[i]);
                    records.push(record);
                }
                if buffers.works.rows() > 0 || buffers.diagnostics.rows() > 0 || buffers.deleted.rows() > 0 {
                    let name = format!("part-{shard_index:05}-{:04}", parts.len());
                    writer.write_part(&name, &mut buffers)?;
                    parts.push(name);
                }
                Ok((shard_index, records, parts))
            })
            .collect()
    };
    let results = if options.threads > 0 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .build()
            .map_err(|e| CorpusError::Io { path: out.display().to_string(), source: std::io::Error::other(e) })?;
        pool.install(run)?
    } else {
        run()?
    };

    let mut manifest = Manifest {
        byline_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: SCHEMA_VERSION,
        ..Manifest::default()
    };
    for (path, reason) in missing {
        manifest.files.push(FileRecord {
            path: path.display().to_string(),
            file_error: Some(reason),
            ..FileRecord::default()
        });
    }
    for (_, records, parts) in results {
        manifest.files.extend(records);
        manifest.parts.extend(parts);
    }
    manifest.parts.sort();
    manifest.totals = Totals::from_files(&manifest.files);
    if options.strict && (manifest.totals.rejected > 0 || manifest.totals.files_failed > 0) {
        fs::remove_dir_all(&tmp).map_err(|e| io_err(&tmp, e))?;
        return Ok(manifest);
    }
    writer.finish(&manifest)?;
    replace_dir(&tmp, out)?;
    Ok(manifest)
}

/// Writes part files into a corpus directory being built.
pub struct CorpusWriter {
    dir: PathBuf,
    bytes_written: AtomicU64,
}

impl CorpusWriter {
    /// Creates the directory and one sub-directory per table.
    pub fn create(dir: &Path) -> Result<CorpusWriter, CorpusError> {
        for t in TABLES {
            let d = dir.join(t.dir_name());
            fs::create_dir_all(&d).map_err(|e| io_err(&d, e))?;
        }
        Ok(CorpusWriter { dir: dir.to_path_buf(), bytes_written: AtomicU64::new(0) })
    }

    /// Writes every table's buffered rows as part `name` and empties the buffers.
    pub(crate) fn write_part(&self, name: &str, buffers: &mut PartBuffers) -> Result<(), CorpusError> {
        buffers.text_bytes = 0;
        for t in TABLES {
            let path = self.dir.join(t.dir_name()).join(format!("{name}.parquet"));
            let mut df = buffers.table_mut(t).take_frame().map_err(|e| pq_err(&path, e))?;
            let file = File::create(&path).map_err(|e| io_err(&path, e))?;
            let n = ParquetWriter::new(file)
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .map_err(|e| pq_err(&path, e))?;
            self.bytes_written.fetch_add(n, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Writes `manifest.json` (pretty, deterministic).
    pub fn finish(&mut self, manifest: &Manifest) -> Result<(), CorpusError> {
        let path = self.dir.join("manifest.json");
        let mut text = serde_json::to_string_pretty(manifest)
            .map_err(|e| CorpusError::Manifest { path: path.display().to_string(), source: e })?;
        text.push('\n');
        fs::write(&path, text).map_err(|e| io_err(&path, e))
    }
}

/// Reads one file into the buffers, flushing a part whenever the works buffer is full.
fn read_one(
    path: &Path,
    format: Option<Format>,
    works_per_part: usize,
    buffers: &mut PartBuffers,
    flush: &mut dyn FnMut(&mut PartBuffers) -> Result<(), CorpusError>,
) -> Result<FileSummary, CorpusError> {
    let display = path.display().to_string();
    let mut flush_error: Option<CorpusError> = None;
    let summary = read_path(path, format, &mut |event| {
        match event {
            Event::Work(w) => buffers.push_work(&w),
            Event::Rejected(d) | Event::Warning(d) => buffers.push_diagnostic(&d),
            Event::Deleted { pmid } => buffers.push_deleted(&pmid, &display),
        }
        if (buffers.works.rows() >= works_per_part || buffers.text_bytes >= PART_TEXT_BYTES)
            && flush_error.is_none()
            && let Err(e) = flush(buffers)
        {
            flush_error = Some(e);
        }
    });
    if let Some(e) = flush_error {
        return Err(e);
    }
    if let Some(d) = &summary.file_error {
        debug_assert_eq!(d.kind, DiagnosticKind::FileError);
        buffers.push_diagnostic(d);
    }
    Ok(summary)
}

fn file_record(s: FileSummary) -> FileRecord {
    FileRecord {
        path: s.path,
        format: s.format.map(|f| f.as_str().to_owned()),
        bytes: s.bytes,
        records_seen: s.records_seen,
        works: s.works,
        rejected: s.rejected,
        warnings: s.warnings,
        deleted: s.deleted,
        file_error: s.file_error.map(|d| d.to_string()),
        skipped: s.skipped,
    }
}

/// Groups consecutive files into shards of at most [`SHARD_BYTES`] (a bigger file is a shard alone).
fn shard(sizes: &[u64]) -> Vec<std::ops::Range<usize>> {
    let mut shards = Vec::new();
    let mut start = 0;
    let mut total = 0u64;
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && total + size > SHARD_BYTES {
            shards.push(start..i);
            start = i;
            total = 0;
        }
        total += size;
    }
    if start < sizes.len() {
        shards.push(start..sizes.len());
    }
    shards
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "corpus".to_owned());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Refuses to replace anything that is not an existing byline corpus or an empty directory.
fn check_replaceable(out: &Path) -> Result<(), CorpusError> {
    if !out.exists() {
        return Ok(());
    }
    let not = |reason: &str| CorpusError::NotACorpus { path: out.display().to_string(), reason: reason.to_owned() };
    if !out.is_dir() {
        return Err(not("exists and is not a directory; refusing to overwrite"));
    }
    if out.join("manifest.json").is_file() {
        return Ok(());
    }
    let empty = fs::read_dir(out).map_err(|e| io_err(out, e))?.next().is_none();
    if empty { Ok(()) } else { Err(not("directory is not empty and has no manifest.json; refusing to overwrite")) }
}

/// Moves the finished corpus into place, replacing an old one only after the new one is complete.
fn replace_dir(tmp: &Path, out: &Path) -> Result<(), CorpusError> {
    if out.exists() {
        let old = sibling(out, "old");
        fs::rename(out, &old).map_err(|e| io_err(out, e))?;
        fs::rename(tmp, out).map_err(|e| io_err(out, e))?;
        fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
    } else {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        fs::rename(tmp, out).map_err(|e| io_err(out, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_group_small_files_and_isolate_big_ones() {
        let mb = 1024 * 1024;
        assert_eq!(shard(&[mb, mb, 100 * mb, mb]), vec![0..2, 2..3, 3..4]);
        assert_eq!(shard(&[]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(shard(&[200 * mb]), vec![0..1]);
    }
}
