//! Writing a generated corpus to disk in the real formats, in files the size of real ones.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use byline_model::{Format, Work};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::corpus::{World, base_work};
use crate::writers::{write_crossref_jsonl, write_openalex_jsonl, write_pubmed};

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
}

impl Default for CorpusSpec {
    fn default() -> Self {
        CorpusSpec { seed: 7, works: 1000, records_per_file: 30_000, formats: vec![Format::Pubmed], gzip: true }
    }
}

/// Files written and their record counts.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Written {
    pub files: Vec<(PathBuf, Format, usize)>,
    pub works: usize,
    pub bytes: u64,
}

/// Writes the base corpus described by `spec` under `dir` (created if missing).
pub fn write_base_corpus(spec: &CorpusSpec, dir: &Path) -> io::Result<Written> {
    fs::create_dir_all(dir)?;
    let world = World::new(spec.seed, spec.works);
    let mut written = Written::default();
    let per_file = spec.records_per_file.max(1);
    let mut start = 0usize;
    let mut file_index = 0usize;
    while start < spec.works {
        let end = (start + per_file).min(spec.works);
        let format = spec.formats.get(file_index % spec.formats.len().max(1)).copied().unwrap_or(Format::Pubmed);
        let path = dir.join(file_name(format, file_index, spec.gzip));
        let display = path.display().to_string();
        let works: Vec<Work> = (start..end).map(|i| base_work(&world, spec.seed, i as u64, format, &display)).collect();
        written.bytes += write_works(&works, format, &path, spec.gzip)?;
        written.files.push((path, format, works.len()));
        written.works += works.len();
        start = end;
        file_index += 1;
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
    let file = BufWriter::new(File::create(path)?);
    let mut counting = CountingWriter { inner: Vec::new(), count: 0 };
    match format {
        Format::Pubmed => write_pubmed(works, &mut counting)?,
        Format::Openalex => write_openalex_jsonl(works, &mut counting)?,
        Format::Crossref => write_crossref_jsonl(works, &mut counting)?,
        other => return Err(io::Error::other(format!("the generator does not write {other}"))),
    }
    let bytes = counting.count;
    if gzip {
        let mut gz = GzEncoder::new(file, Compression::fast());
        gz.write_all(&counting.inner)?;
        gz.finish()?.flush()?;
    } else {
        let mut file = file;
        file.write_all(&counting.inner)?;
        file.flush()?;
    }
    Ok(bytes)
}

struct CountingWriter {
    inner: Vec<u8>,
    count: u64,
}

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.count += buf.len() as u64;
        self.inner.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
