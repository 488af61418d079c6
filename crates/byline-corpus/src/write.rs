//! Ingest: input files → Parquet corpus, in parallel across files, streaming within a file, atomically.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Mutex, PoisonError};

use byline_model::{DiagnosticKind, Format, SCHEMA_VERSION};
use byline_parse::{Event, FileSummary, collect_inputs, read_path};
use polars::prelude::*;
use polars_parquet::write::ZstdLevel;
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

/// Buffer between the Parquet writer and a part file (the writer issues many small writes).
const WRITE_BUFFER_BYTES: usize = 1024 * 1024;

/// Parts handed from the readers to the encoders but not yet taken by one: none. A reader that fills a part
/// waits until an encoder is free, so at most one part per reader is being filled and one per encoder is
/// being written, whatever the corpus size.
const PARTS_QUEUED: usize = 0;

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
    /// How the Parquet pages are compressed.
    pub compression: PartCompression,
    /// Works per part file; 0 = [`WORKS_PER_PART`]. Small parts let tests exercise the pipelines that work
    /// part by part on small corpora.
    pub works_per_part: usize,
}

/// How the corpus's Parquet pages are compressed. Every choice gives the same bytes on a rerun; readers
/// (polars, pyarrow, DuckDB, Spark) read all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartCompression {
    /// zstd at this level (1–22); the default is [`PartCompression::DEFAULT_ZSTD_LEVEL`].
    Zstd(i32),
    /// LZ4 (raw blocks, Parquet's `LZ4_RAW`): faster to write, bigger files.
    Lz4,
    /// No compression: for scratch corpora, fastest and biggest.
    None,
}

impl PartCompression {
    /// zstd's own default level, and the corpus's (see BENCHMARKS.md, "Issue 20: ingest", for the
    /// trade-off measured against level 1, LZ4 and none).
    pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

    fn to_parquet(self) -> Result<ParquetCompression, String> {
        Ok(match self {
            PartCompression::Zstd(level) => ParquetCompression::Zstd(Some(
                ZstdLevel::try_new(level).map_err(|e| format!("zstd level {level}: {e}"))?,
            )),
            PartCompression::Lz4 => ParquetCompression::Lz4Raw,
            PartCompression::None => ParquetCompression::Uncompressed,
        })
    }
}

impl Default for PartCompression {
    fn default() -> Self {
        PartCompression::Zstd(PartCompression::DEFAULT_ZSTD_LEVEL)
    }
}

impl std::str::FromStr for PartCompression {
    type Err = String;
    /// `zstd`, `zstd:LEVEL` (1–22), `lz4` or `none`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("unknown compression {s:?}: expected zstd, zstd:LEVEL (1-22), lz4 or none");
        match s {
            "zstd" => Ok(PartCompression::default()),
            "lz4" => Ok(PartCompression::Lz4),
            "none" => Ok(PartCompression::None),
            _ => {
                let level = s.strip_prefix("zstd:").and_then(|l| l.parse::<i32>().ok()).ok_or_else(bad)?;
                if (1..=22).contains(&level) { Ok(PartCompression::Zstd(level)) } else { Err(bad()) }
            }
        }
    }
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
    let threads = if options.threads > 0 {
        options.threads
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    let compression = options
        .compression
        .to_parquet()
        .map_err(|e| CorpusError::Parquet { path: out.display().to_string(), message: e })?;

    // Readers (one per shard, `threads` at a time) fill parts; encoders (`threads` of them) turn each full
    // part into Parquet files while the readers go on. A part's name is given by its reader (shard, count),
    // so which encoder writes it changes nothing in the output.
    let (sender, receiver) = sync_channel::<(String, PartBuffers)>(PARTS_QUEUED);
    let receiver = Mutex::new(receiver);
    let encode_error: Mutex<Option<CorpusError>> = Mutex::new(None);
    let writer_ref = &writer;
    let results = std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((name, mut buffers)) = next else { break };
                    let mut first = encode_error.lock().unwrap_or_else(PoisonError::into_inner);
                    if first.is_some() {
                        continue; // keep taking parts so that no reader waits forever
                    }
                    drop(first);
                    if let Err(e) = writer_ref.write_part(&name, &mut buffers, compression) {
                        first = encode_error.lock().unwrap_or_else(PoisonError::into_inner);
                        first.get_or_insert(e);
                    }
                }
            });
        }
        let run = || -> Result<Vec<ShardResult>, CorpusError> {
            shards
                .par_iter()
                .enumerate()
                .map_with(sender, |sender, (shard_index, range)| {
                    read_shard(shard_index, range.clone(), &files, &sizes, options, progress, sender)
                })
                .collect()
        };
        // `run` owns the sender (moved into `map_with`): when every reader is done it is dropped, the
        // channel closes and the encoders finish the parts left, then return.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| CorpusError::Io { path: out.display().to_string(), source: std::io::Error::other(e) })?;
        pool.install(run)
    });
    if let Some(e) = encode_error.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(e);
    }
    let results = results?;

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
    pub(crate) fn write_part(
        &self,
        name: &str,
        buffers: &mut PartBuffers,
        compression: ParquetCompression,
    ) -> Result<(), CorpusError> {
        buffers.text_bytes = 0;
        for t in TABLES {
            let path = self.dir.join(t.dir_name()).join(format!("{name}.parquet"));
            let mut df = buffers.table_mut(t).take_frame().map_err(|e| pq_err(&path, e))?;
            let file = File::create(&path).map_err(|e| io_err(&path, e))?;
            let mut file = std::io::BufWriter::with_capacity(WRITE_BUFFER_BYTES, file);
            // One thread per part: the parts themselves are written in parallel (see `ingest`).
            let n = ParquetWriter::new(&mut file)
                .with_compression(compression)
                .set_parallel(false)
                .finish(&mut df)
                .map_err(|e| pq_err(&path, e))?;
            file.flush().map_err(|e| io_err(&path, e))?;
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

/// Reads the files of one shard, handing each full part to the encoders; returns the files' accounting and
/// the names of the parts.
fn read_shard(
    shard_index: usize,
    range: std::ops::Range<usize>,
    files: &[PathBuf],
    sizes: &[u64],
    options: &IngestOptions,
    progress: &dyn IngestProgress,
    encoders: &SyncSender<(String, PartBuffers)>,
) -> Result<ShardResult, CorpusError> {
    let mut parts = Vec::new();
    let mut records = Vec::new();
    let mut buffers = PartBuffers::new();
    let mut hand_over = |buffers: &mut PartBuffers| -> Result<(), CorpusError> {
        let name = format!("part-{shard_index:05}-{:04}", parts.len());
        let full = std::mem::replace(buffers, PartBuffers::new());
        encoders.send((name.clone(), full)).map_err(|_| CorpusError::Io {
            path: name.clone(),
            source: std::io::Error::other("the Parquet encoders stopped"),
        })?;
        parts.push(name);
        Ok(())
    };
    let works_per_part = if options.works_per_part == 0 { WORKS_PER_PART } else { options.works_per_part };
    for i in range {
        let summary = read_one(&files[i], options.format, works_per_part, &mut buffers, &mut hand_over)?;
        let record = file_record(summary);
        progress.file_done(&record, sizes[i]);
        records.push(record);
    }
    if buffers.works.rows() > 0 || buffers.diagnostics.rows() > 0 || buffers.deleted.rows() > 0 {
        hand_over(&mut buffers)?;
    }
    Ok((shard_index, records, parts))
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
    fn compression_names_parse_and_bad_ones_are_refused() {
        assert_eq!("zstd".parse(), Ok(PartCompression::Zstd(3)));
        assert_eq!("zstd:1".parse(), Ok(PartCompression::Zstd(1)));
        assert_eq!("zstd:22".parse(), Ok(PartCompression::Zstd(22)));
        assert_eq!("lz4".parse(), Ok(PartCompression::Lz4));
        assert_eq!("none".parse(), Ok(PartCompression::None));
        for bad in ["zstd:0", "zstd:23", "zstd:", "zstd:x", "gzip", "ZSTD", ""] {
            assert!(bad.parse::<PartCompression>().is_err(), "{bad:?} was accepted");
        }
        for c in [PartCompression::Zstd(1), PartCompression::Zstd(22), PartCompression::Lz4, PartCompression::None] {
            assert!(c.to_parquet().is_ok(), "{c:?}");
        }
    }

    #[test]
    fn shards_group_small_files_and_isolate_big_ones() {
        let mb = 1024 * 1024;
        assert_eq!(shard(&[mb, mb, 100 * mb, mb]), vec![0..2, 2..3, 3..4]);
        assert_eq!(shard(&[]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(shard(&[200 * mb]), vec![0..1]);
    }
}
