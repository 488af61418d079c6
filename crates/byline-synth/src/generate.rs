//! Writing a generated corpus to disk in the real formats, in files the size of real ones.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use byline_model::{Format, Work};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::corpus::{NamePool, World, base_work};
use crate::writers::{
    write_crossref_jsonl, write_openalex_jsonl, write_pubmed_article, write_pubmed_footer, write_pubmed_header,
};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusSpec {
    pub seed: u64,
    /// Works in the base corpus.
    pub works: usize,
    /// Records per output file (a PubMed baseline file holds ~30,000).
    pub records_per_file: usize,
    /// Output formats, round-robin by file (PubMed XML gz, OpenAlex JSONL gz, Crossref JSONL gz).
    pub formats: Vec<Format>,
    /// Gzip the files (as the real distributions are).
    pub gzip: bool,
    /// Plant this many unintended co-authorships on one researcher (see [`crate::scenario`]); their truth is
    /// written to `.truth.json` (hidden, so `byline ingest` of the directory does not read it).
    pub plant_audit: usize,
    /// Where family names come from: the fixed pool (the default) or one that grows with the corpus.
    pub name_pool: NamePool,
}

impl Default for CorpusSpec {
    fn default() -> Self {
        CorpusSpec {
            seed: 7,
            works: 1000,
            records_per_file: 30_000,
            formats: vec![Format::Pubmed],
            gzip: true,
            plant_audit: 0,
            name_pool: NamePool::Fixed,
        }
    }
}

/// Files written and their record counts.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Written {
    pub files: Vec<(PathBuf, Format, usize)>,
    pub works: usize,
    pub bytes: u64,
    /// What was planted, when anything was.
    pub planted_audit: Option<crate::scenario::PlantedAudit>,
}

/// Writes the base corpus described by `spec` under `dir` (created if missing).
///
/// Streaming with bounded memory: each work is generated from `(seed, index)`, written and dropped, so a
/// writer holds one work and its gzip buffers, whatever the corpus size. Files are independent, so they are
/// written by up to `available_parallelism` threads; the bytes do not depend on the thread count. What grows
/// with `works` is the [`World`] population (one lab of ~8 people per 25 works): ~1.2M people for 4M works.
pub fn write_base_corpus(spec: &CorpusSpec, dir: &Path) -> io::Result<Written> {
    fs::create_dir_all(dir)?;
    let world = World::with_names(spec.seed, spec.works, spec.name_pool);
    let per_file = spec.records_per_file.max(1);
    let n_files = spec.works.div_ceil(per_file);
    let plan: Vec<(PathBuf, Format, usize, usize)> = (0..n_files)
        .map(|file_index| {
            let start = file_index * per_file;
            let end = (start + per_file).min(spec.works);
            let format = spec.formats.get(file_index % spec.formats.len().max(1)).copied().unwrap_or(Format::Pubmed);
            (dir.join(file_name(format, file_index, spec.gzip)), format, start, end)
        })
        .collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(n_files.max(1));
    let next = AtomicUsize::new(0);
    let results: Vec<io::Result<Vec<(usize, u64)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, format, start, end)) = plan.get(i) else { break };
                        let display = path.display().to_string();
                        let works = (*start..*end).map(|k| base_work(&world, spec.seed, k as u64, *format, &display));
                        done.push((i, write_work_stream(works, *format, path, spec.gzip)?));
                    }
                    Ok(done)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a writer panicked")))).collect()
    });
    let mut bytes = vec![0u64; plan.len()];
    for r in results {
        for (i, b) in r? {
            bytes[i] = b;
        }
    }
    let mut written = Written::default();
    for ((path, format, start, end), b) in plan.into_iter().zip(bytes) {
        written.bytes += b;
        written.works += end - start;
        written.files.push((path, format, end - start));
    }
    if spec.plant_audit > 0 {
        let path = dir.join(format!("planted-audit.xml{}", if spec.gzip { ".gz" } else { "" }));
        let display = path.display().to_string();
        let (works, truth) =
            crate::scenario::plant_audit(&world, spec.seed, spec.plant_audit, spec.works as u64, &display);
        written.bytes += write_works(&works, Format::Pubmed, &path, spec.gzip)?;
        written.files.push((path, Format::Pubmed, works.len()));
        written.works += works.len();
        let text = serde_json::to_string_pretty(&truth).map_err(io::Error::other)?;
        fs::write(dir.join(".truth.json"), text + "\n")?;
        written.planted_audit = Some(truth);
    }
    Ok(written)
}

/// The file name for the `index`-th file of a format.
pub fn file_name(format: Format, index: usize, gzip: bool) -> String {
    let ext = match format {
        Format::Pubmed => "xml",
        _ => "jsonl",
    };
    let gz = if gzip { ".gz" } else { "" };
    format!("{}-{index:04}.{ext}{gz}", format.as_str())
}

/// Writes works in one format to `path`; returns the uncompressed bytes written.
pub fn write_works(works: &[Work], format: Format, path: &Path, gzip: bool) -> io::Result<u64> {
    write_work_stream(works.iter().cloned(), format, path, gzip)
}

/// Writes works from an iterator, one at a time (nothing but the current work is held); returns the
/// uncompressed bytes written.
pub fn write_work_stream(
    works: impl Iterator<Item = Work>,
    format: Format,
    path: &Path,
    gzip: bool,
) -> io::Result<u64> {
    if !matches!(format, Format::Pubmed | Format::Openalex | Format::Crossref) {
        return Err(io::Error::other(format!("the generator does not write {format}")));
    }
    let file = BufWriter::with_capacity(1 << 16, File::create(path)?);
    if gzip {
        let gz = GzEncoder::new(file, Compression::fast());
        let mut out = CountingWriter { inner: BufWriter::with_capacity(1 << 16, gz), count: 0 };
        write_formatted(works, format, &mut out)?;
        // No flush before finish (`into_inner` only writes the buffer out): a sync flush would change the
        // compressed bytes.
        let gz = out.inner.into_inner().map_err(io::IntoInnerError::into_error)?;
        gz.finish()?.flush()?;
        Ok(out.count)
    } else {
        let mut out = CountingWriter { inner: file, count: 0 };
        write_formatted(works, format, &mut out)?;
        out.inner.flush()?;
        Ok(out.count)
    }
}

fn write_formatted(works: impl Iterator<Item = Work>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    if format == Format::Pubmed {
        write_pubmed_header(out)?;
    }
    for w in works {
        match format {
            Format::Pubmed => write_pubmed_article(&w, out)?,
            Format::Openalex => write_openalex_jsonl(std::slice::from_ref(&w), out)?,
            _ => write_crossref_jsonl(std::slice::from_ref(&w), out)?,
        }
    }
    if format == Format::Pubmed {
        write_pubmed_footer(out)?;
    }
    Ok(())
}

/// Counts the uncompressed bytes on their way to the (gzip) file.
struct CountingWriter<W: Write> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
