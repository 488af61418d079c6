//! Screening one submission against a prebuilt corpus index.
//!
//! ## The index on disk
//! One file, built once per corpus, read with positioned reads so that opening it costs a header and a screen
//! costs a few hundred small reads whatever the corpus size (no full load):
//!
//! ```text
//! "BYLIDX01" | u64 header length | header JSON (parameters, section offsets, lexicon, model)
//! signatures : work_count × num_perm × u16 LE      (fixed stride: work i at sig_offset + i·num_perm·2)
//! meta index : (work_count + 1) × u64 LE            (offsets of each work's JSON in the meta section)
//! meta       : JSON per work (ids, title, year, venue, author and institution keys)
//! bands      : per band, entries (u64 key, u32 work) LE sorted by key (12 bytes; binary-searched on disk)
//! ```
//! For 1M works with k = 128 and 32 bands: 256 MB of signatures, 384 MB of band tables, ~0.2 GB of meta.
//! A screen does 32 binary searches (≈ 20 reads each) plus one signature read per candidate.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use byline_model::{Affiliation, Author, Evidence, Finding, Format, Severity, Subject, Work};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::byline::{ManyCountries, WebmailOnInstitutionalByline};
use crate::classifier::{Model, PaperMillScore, effective_threshold, reason_against, reasons_for};
use crate::detector::Detector;
use crate::minhash::{self, band_key, jaccard_estimate};
use crate::spill::{self, SortLimits};
use crate::template::{FamilyParams, SlotMasker, TemplateFamilies, author_key, institution_key};
use crate::text::title_abstract;
use crate::tortured::{Lexicon, TorturedGrade, TorturedPhrases, TorturedThresholds, tortured_finding, venue_name};
use crate::{Error, Result};

/// Every code a screen can emit, sorted: near-duplicate skeletons against the index (`TPL001`), tortured
/// phrases, the two byline detectors that read one work, and the classifier.
pub const CODES: [&str; 5] = [
    WebmailOnInstitutionalByline::CODE,
    ManyCountries::CODE,
    PaperMillScore::CODE,
    TorturedPhrases::CODE,
    TemplateFamilies::CODE,
];

const MAGIC: &[u8; 8] = b"BYLIDX01";
/// Version of the index layout and of what it holds: 2 since signatures are made by fast similarity
/// sketching ([`crate::minhash`]); 3 since the header carries the text model of `MIL001` (classifier model
/// format 2). An index of another version holds signatures or a model a screen cannot use.
const FORMAT_VERSION: u32 = 3;
/// At most this many LSH candidates are verified for one submission (bounds a screen's time).
pub const MAX_CANDIDATES: usize = 5000;
/// At most this many near-duplicates are reported.
pub const MAX_MATCHES: usize = 20;

/// Index parameters (the template-family parameters, so that a screen sees what a scan sees).
pub type IndexParams = FamilyParams;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexHeader {
    format_version: u32,
    params: FamilyParams,
    work_count: u64,
    sig_offset: u64,
    meta_index_offset: u64,
    meta_offset: u64,
    band_offsets: Vec<u64>,
    band_lens: Vec<u64>,
    lexicon: Vec<(String, String)>,
    tortured_thresholds: TorturedThresholds,
    model: Option<Model>,
}

/// What the index keeps of each work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedWork {
    pub work_id: String,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub venue: String,
    pub authors: Vec<String>,
    pub institutions: Vec<String>,
}

enum Backing {
    Memory(Vec<u8>),
    /// Read with positioned reads (`pread`): concurrent screens (`byline serve`) share one handle, no lock.
    File(std::fs::File, PathBuf),
}

/// MinHash signatures, LSH tables, lexicon and model of a corpus, for screening.
pub struct CorpusIndex {
    header: IndexHeader,
    lexicon: Option<Lexicon>,
    masker: SlotMasker,
    backing: Backing,
}

impl CorpusIndex {
    /// Builds an index in memory.
    pub fn build(
        works: &[Work],
        params: &IndexParams,
        lexicon: Option<&Lexicon>,
        model: Option<&Model>,
    ) -> Result<CorpusIndex> {
        let mut buf = std::io::Cursor::new(Vec::new());
        write_index(works, params, lexicon, model, &mut buf).map_err(|e| Error::io(Path::new("<memory>"), e))?;
        CorpusIndex::from_backing(Backing::Memory(buf.into_inner()))
    }

    /// Builds an index straight into a file (for large corpora) and opens it.
    pub fn build_to_file(
        works: &[Work],
        params: &IndexParams,
        lexicon: Option<&Lexicon>,
        model: Option<&Model>,
        path: &Path,
    ) -> Result<CorpusIndex> {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(file);
        write_index(works, params, lexicon, model, &mut w).map_err(|e| Error::io(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))?;
        drop(w);
        CorpusIndex::open(path)
    }

    /// Opens an index file: reads the header only.
    pub fn open(path: &Path) -> Result<CorpusIndex> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        CorpusIndex::from_backing(Backing::File(file, path.to_owned()))
    }

    /// Writes the index to `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        match &self.backing {
            Backing::Memory(b) => std::fs::write(path, b).map_err(|e| Error::io(path, e)),
            Backing::File(_, from) => std::fs::copy(from, path).map(|_| ()).map_err(|e| Error::io(path, e)),
        }
    }

    fn from_backing(backing: Backing) -> Result<CorpusIndex> {
        let mut idx = CorpusIndex {
            header: IndexHeader {
                format_version: FORMAT_VERSION,
                params: FamilyParams::default(),
                work_count: 0,
                sig_offset: 0,
                meta_index_offset: 0,
                meta_offset: 0,
                band_offsets: vec![],
                band_lens: vec![],
                lexicon: vec![],
                tortured_thresholds: TorturedThresholds::default(),
                model: None,
            },
            lexicon: None,
            masker: SlotMasker::default(),
            backing,
        };
        let head = idx.read_at(0, 16)?;
        if &head[..8] != MAGIC {
            return Err(Error::format("index", "not a byline corpus index (bad magic)"));
        }
        let len = u64::from_le_bytes(head[8..16].try_into().unwrap_or([0; 8]));
        if len > 1 << 32 {
            return Err(Error::format("index", "header too large"));
        }
        let json = idx.read_at(16, len as usize)?;
        // The version first: an older header may not parse as this version's (its model has another shape).
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let version: Version =
            serde_json::from_slice(&json).map_err(|e| Error::format("index header", e.to_string()))?;
        if version.format_version != FORMAT_VERSION {
            return Err(Error::format(
                "index",
                format!(
                    "index format {} (this byline reads format {FORMAT_VERSION}): rebuild it with `byline index`",
                    version.format_version
                ),
            ));
        }
        idx.header = serde_json::from_slice(&json).map_err(|e| Error::format("index header", e.to_string()))?;
        if !idx.header.lexicon.is_empty() {
            let pairs = idx.header.lexicon.iter().map(|(t, e)| (t.clone(), e.clone(), "index".to_owned())).collect();
            idx.lexicon = Some(Lexicon::from_pairs(pairs, "")?);
        }
        Ok(idx)
    }

    pub fn work_count(&self) -> u64 {
        self.header.work_count
    }

    pub fn lexicon(&self) -> Option<&Lexicon> {
        self.lexicon.as_ref()
    }

    pub fn model(&self) -> Option<&Model> {
        self.header.model.as_ref()
    }

    fn read_at(&self, offset: u64, len: usize) -> Result<Vec<u8>> {
        let short = || Error::format("index", "truncated index file");
        match &self.backing {
            Backing::Memory(b) => {
                let end = (offset as usize).checked_add(len).ok_or_else(short)?;
                b.get(offset as usize..end).map(<[u8]>::to_vec).ok_or_else(short)
            }
            Backing::File(f, _) => {
                let mut buf = vec![0; len];
                read_exact_at(f, &mut buf, offset).map_err(|_| short())?;
                Ok(buf)
            }
        }
    }

    fn signature(&self, i: u32) -> Result<Vec<u16>> {
        let k = self.header.params.minhash.num_perm;
        let b = self.read_at(self.header.sig_offset + i as u64 * k as u64 * 2, k * 2)?;
        Ok(b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    /// The stored record of work `i`.
    pub fn work(&self, i: u32) -> Result<IndexedWork> {
        let o = self.read_at(self.header.meta_index_offset + i as u64 * 8, 16)?;
        let start = u64::from_le_bytes(o[..8].try_into().unwrap_or([0; 8]));
        let end = u64::from_le_bytes(o[8..].try_into().unwrap_or([0; 8]));
        let json = self.read_at(self.header.meta_offset + start, end.saturating_sub(start) as usize)?;
        serde_json::from_slice(&json).map_err(|e| Error::format("index meta", e.to_string()))
    }

    /// Works sharing the key of `band` (binary search over the on-disk sorted table).
    fn band_members(&self, band: usize, key: u64, out: &mut BTreeSet<u32>) -> Result<()> {
        let (base, n) = (self.header.band_offsets[band], self.header.band_lens[band]);
        let entry = |i: u64| -> Result<(u64, u32)> {
            let b = self.read_at(base + i * 12, 12)?;
            Ok((
                u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8])),
                u32::from_le_bytes(b[8..].try_into().unwrap_or([0; 4])),
            ))
        };
        let (mut lo, mut hi) = (0u64, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if entry(mid)?.0 < key { lo = mid + 1 } else { hi = mid }
        }
        let mut i = lo;
        while i < n && out.len() < MAX_CANDIDATES {
            let (k, w) = entry(i)?;
            if k != key {
                break;
            }
            out.insert(w);
            i += 1;
        }
        Ok(())
    }

    /// Near-duplicates of a text's masked skeleton: (work index, similarity), best first.
    pub fn near_duplicates(&self, text: &str) -> Result<Vec<(u32, f64)>> {
        let p = self.header.params;
        let masked = self.masker.mask(text);
        if masked.len() < p.min_tokens {
            return Ok(Vec::new());
        }
        let hashes = minhash::token_hashes(masked.iter().map(String::as_str), p.minhash.seed);
        let Some(sig) = minhash::signature(&hashes, &p.minhash) else { return Ok(Vec::new()) };
        let mut cands = BTreeSet::new();
        for band in 0..self.header.band_offsets.len() {
            self.band_members(band, band_key(&sig, band, p.minhash.rows), &mut cands)?;
        }
        let mut out = Vec::new();
        for c in cands {
            let j = jaccard_estimate(&sig, &self.signature(c)?);
            if j >= p.minhash.threshold {
                out.push((c, j));
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }
}

/// Fills `buf` from `offset` without moving a shared cursor (so `&File` suffices across threads).
#[cfg(unix)]
fn read_exact_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

/// Fills `buf` from `offset` without moving a shared cursor (so `&File` suffices across threads).
#[cfg(windows)]
fn read_exact_at(f: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(f, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

fn write_index<W: Write>(
    works: &[Work],
    params: &IndexParams,
    lexicon: Option<&Lexicon>,
    model: Option<&Model>,
    w: &mut W,
) -> std::io::Result<()> {
    let masker = SlotMasker::default();
    let p = params.minhash;
    let k = p.num_perm;
    let rows: Vec<(Option<Vec<u16>>, Vec<u8>)> = works.par_iter().map(|w| index_row(w, params, &masker)).collect();
    let bands = p.bands.min(k / p.rows.max(1));
    let tables: Vec<Vec<(u64, u32)>> = (0..bands)
        .into_par_iter()
        .map(|b| {
            let mut t: Vec<(u64, u32)> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, (s, _))| s.as_ref().map(|s| (band_key(s, b, p.rows), i as u32)))
                .collect();
            t.sort_unstable();
            t
        })
        .collect();
    let n = works.len() as u64;
    let meta_bytes = rows.iter().map(|(_, m)| m.len() as u64).sum::<u64>();
    let band_lens: Vec<u64> = tables.iter().map(|t| t.len() as u64).collect();
    write_header(w, params, lexicon, model, n, meta_bytes, band_lens)?;
    for (s, _) in &rows {
        write_signature(w, s.as_deref(), k)?;
    }
    let mut off = 0u64;
    w.write_all(&off.to_le_bytes())?;
    for (_, m) in &rows {
        off += m.len() as u64;
        w.write_all(&off.to_le_bytes())?;
    }
    for (_, m) in &rows {
        w.write_all(m)?;
    }
    for t in &tables {
        write_band_entries(w, t)?;
    }
    Ok(())
}

/// One work's signature (`None` below the minimum token count) and its metadata JSON.
fn index_row(w: &Work, params: &IndexParams, masker: &SlotMasker) -> (Option<Vec<u16>>, Vec<u8>) {
    let p = params.minhash;
    let masked = masker.mask(&title_abstract(w));
    let sig = if masked.len() < params.min_tokens {
        None
    } else {
        minhash::signature(&minhash::token_hashes(masked.iter().map(String::as_str), p.seed), &p)
    };
    (sig, serde_json::to_vec(&indexed(w)).unwrap_or_default())
}

fn write_signature<W: Write>(w: &mut W, sig: Option<&[u16]>, k: usize) -> std::io::Result<()> {
    match sig {
        Some(s) => s.iter().try_for_each(|v| w.write_all(&v.to_le_bytes())),
        None => w.write_all(&vec![0u8; k * 2]),
    }
}

/// A band table is sorted 1M entries (16 MB) at a time: a corpus of more works merges sorted runs.
const BAND_SORT: SortLimits = SortLimits { run: 1 << 20, fan_in: 64 };

fn write_band_entries<W: Write>(w: &mut W, t: &[(u64, u32)]) -> std::io::Result<()> {
    for (key, i) in t {
        w.write_all(&key.to_le_bytes())?;
        w.write_all(&i.to_le_bytes())?;
    }
    Ok(())
}

/// Writes magic, header length and header, with the section offsets that follow from the counts.
fn write_header<W: Write>(
    w: &mut W,
    params: &IndexParams,
    lexicon: Option<&Lexicon>,
    model: Option<&Model>,
    n: u64,
    meta_bytes: u64,
    band_lens: Vec<u64>,
) -> std::io::Result<()> {
    let k = params.minhash.num_perm;
    let mut header = IndexHeader {
        format_version: FORMAT_VERSION,
        params: *params,
        work_count: n,
        sig_offset: 0,
        meta_index_offset: 0,
        meta_offset: 0,
        band_offsets: vec![],
        band_lens,
        lexicon: lexicon
            .map(|l| l.entries().iter().map(|e| (e.tortured.clone(), e.expected.clone())).collect())
            .unwrap_or_default(),
        tortured_thresholds: TorturedThresholds::default(),
        model: model.cloned(),
    };
    // Offsets depend on the header's length, which depends on the offsets' digits: fix them by iterating.
    let mut header_len = 0usize;
    loop {
        let start = 16 + header_len as u64;
        header.sig_offset = start;
        header.meta_index_offset = start + n * k as u64 * 2;
        header.meta_offset = header.meta_index_offset + (n + 1) * 8;
        let mut off = header.meta_offset + meta_bytes;
        header.band_offsets = header
            .band_lens
            .iter()
            .map(|len| {
                let o = off;
                off += len * 12;
                o
            })
            .collect();
        let json = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
        if json.len() == header_len {
            w.write_all(MAGIC)?;
            w.write_all(&(json.len() as u64).to_le_bytes())?;
            w.write_all(&json)?;
            return Ok(());
        }
        header_len = json.len();
    }
}

/// Builds an index file from works given a chunk at a time (one corpus part after another), holding only
/// the chunk in memory: signatures, metadata and each band's entries go to scratch files in a directory
/// next to the target, and each band's table is sorted on its own at the end. Peak memory is one chunk of
/// works plus one band table (12 bytes per work), whatever the corpus size. The file is byte-identical to
/// the one [`CorpusIndex::build_to_file`] writes for the same works in the same order.
pub struct IndexBuilder {
    params: IndexParams,
    lexicon: Option<Lexicon>,
    model: Option<Model>,
    masker: SlotMasker,
    scratch: PathBuf,
    sigs: std::io::BufWriter<std::fs::File>,
    metas: std::io::BufWriter<std::fs::File>,
    /// Each work's end in `meta` (u64), kept on disk: 8 bytes a work would grow with the corpus.
    meta_ends: std::io::BufWriter<std::fs::File>,
    meta_end: u64,
    band_sort: SortLimits,
    bands: Vec<std::io::BufWriter<std::fs::File>>,
    band_lens: Vec<u64>,
    works: u64,
}

impl IndexBuilder {
    /// Starts a build whose scratch files live in `scratch` (created; removed by [`IndexBuilder::finish`]).
    pub fn new(
        params: &IndexParams,
        lexicon: Option<&Lexicon>,
        model: Option<&Model>,
        scratch: &Path,
    ) -> Result<IndexBuilder> {
        std::fs::create_dir_all(scratch).map_err(|e| Error::io(scratch, e))?;
        let create = |name: &str| -> Result<std::io::BufWriter<std::fs::File>> {
            let path = scratch.join(name);
            std::fs::File::create(&path).map(std::io::BufWriter::new).map_err(|e| Error::io(&path, e))
        };
        let p = params.minhash;
        let nbands = p.bands.min(p.num_perm / p.rows.max(1));
        let bands = (0..nbands).map(|b| create(&format!("band-{b:03}"))).collect::<Result<Vec<_>>>()?;
        Ok(IndexBuilder {
            params: *params,
            lexicon: lexicon.cloned(),
            model: model.cloned(),
            masker: SlotMasker::default(),
            sigs: create("signatures")?,
            metas: create("meta")?,
            scratch: scratch.to_owned(),
            meta_ends: create("meta_ends")?,
            meta_end: 0,
            band_sort: BAND_SORT,
            band_lens: vec![0; nbands],
            bands,
            works: 0,
        })
    }

    /// Adds a chunk of works (in corpus order).
    pub fn add(&mut self, works: &[Work]) -> Result<()> {
        let p = self.params.minhash;
        let rows: Vec<(Option<Vec<u16>>, Vec<u8>)> =
            works.par_iter().map(|w| index_row(w, &self.params, &self.masker)).collect();
        let io = |e| Error::io(&self.scratch, e);
        let mut end = self.meta_end;
        for (i, (sig, meta)) in rows.iter().enumerate() {
            let id = u32::try_from(self.works + i as u64)
                .map_err(|_| Error::format("index", "more than 4,294,967,295 works"))?;
            write_signature(&mut self.sigs, sig.as_deref(), p.num_perm).map_err(io)?;
            self.metas.write_all(meta).map_err(io)?;
            end += meta.len() as u64;
            self.meta_ends.write_all(&end.to_le_bytes()).map_err(io)?;
            if let Some(s) = sig {
                for (b, out) in self.bands.iter_mut().enumerate() {
                    write_band_entries(out, &[(band_key(s, b, p.rows), id)]).map_err(io)?;
                    self.band_lens[b] += 1;
                }
            }
        }
        self.meta_end = end;
        self.works += works.len() as u64;
        Ok(())
    }

    /// Sorts each band table `limits.run` entries at a time (the default bounds memory at 16 MB; tests use tiny
    /// limits to merge runs in levels). The index is the same.
    pub fn band_sort(mut self, limits: SortLimits) -> IndexBuilder {
        self.band_sort = limits;
        self
    }

    /// Works added so far.
    pub fn works(&self) -> u64 {
        self.works
    }

    /// Writes the index to `path` and removes the scratch directory.
    pub fn finish(self, path: &Path) -> Result<()> {
        let IndexBuilder {
            params,
            lexicon,
            model,
            scratch,
            sigs,
            metas,
            meta_ends,
            meta_end,
            band_sort,
            bands,
            band_lens,
            works,
            ..
        } = self;
        let io_s = |e| Error::io(&scratch, e);
        for f in [sigs, metas, meta_ends].into_iter().chain(bands) {
            f.into_inner().map_err(|e| io_s(e.into_error()))?;
        }
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(file);
        let io = |e| Error::io(path, e);
        write_header(&mut w, &params, lexicon.as_ref(), model.as_ref(), works, meta_end, band_lens.clone())
            .map_err(io)?;
        let copy = |name: &str, w: &mut std::io::BufWriter<std::fs::File>| -> Result<()> {
            let from = scratch.join(name);
            let mut f = std::fs::File::open(&from).map_err(|e| Error::io(&from, e))?;
            std::io::copy(&mut f, w).map_err(|e| Error::io(&from, e))?;
            Ok(())
        };
        copy("signatures", &mut w)?;
        w.write_all(&0u64.to_le_bytes()).map_err(io)?;
        copy("meta_ends", &mut w)?;
        copy("meta", &mut w)?;
        // Each band's table sorted by (key, work): in memory up to BAND_SORT.run entries, else in merged runs.
        let mut buf: Vec<(u64, u32)> = Vec::new();
        for (b, &len) in band_lens.iter().enumerate() {
            let from = scratch.join(format!("band-{b:03}"));
            let mut written = 0u64;
            spill::sorted(&from, len, &band_sort, false, &mut buf, |t| {
                written += t.len() as u64;
                write_band_entries(&mut w, t)
            })
            .map_err(|e| Error::io(&from, e))?;
            if written != len {
                return Err(Error::format(from.display(), format!("{written} band entries, not {len}")));
            }
        }
        w.flush().map_err(io)?;
        drop(w);
        std::fs::remove_dir_all(&scratch).map_err(|e| Error::io(&scratch, e))?;
        Ok(())
    }
}

fn indexed(w: &Work) -> IndexedWork {
    IndexedWork {
        work_id: w.work_id.clone(),
        doi: w.ids.doi.clone(),
        pmid: w.ids.pmid.clone(),
        title: w.title.clone(),
        year: w.date.map(|d| d.year),
        venue: venue_name(w),
        authors: w.authors.iter().map(author_key).collect::<BTreeSet<_>>().into_iter().collect(),
        institutions: w
            .authors
            .iter()
            .flat_map(|a| a.affiliations.iter().map(institution_key))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    }
}

/// A submission to screen: JSON or TOML with title, abstract, authors (name, affiliations, email, country),
/// and optionally byline-level affiliations and e-mails.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, alias = "abstract")]
    pub abstract_text: Option<String>,
    #[serde(default)]
    pub authors: Vec<SubmissionAuthor>,
    /// Affiliations given for the byline as a whole (applied to authors that list none).
    #[serde(default)]
    pub affiliations: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubmissionAuthor {
    pub name: String,
    #[serde(default)]
    pub affiliations: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub corresponding: Option<bool>,
}

impl Submission {
    pub fn from_json_str(s: &str) -> Result<Submission> {
        serde_json::from_str(s).map_err(|e| Error::format("submission JSON", e.to_string()))
    }
    pub fn from_toml_str(s: &str) -> Result<Submission> {
        toml::from_str(s).map_err(|e| Error::format("submission TOML", e.to_string()))
    }
    /// Reads `.toml` as TOML, anything else as JSON; the name defaults to the file name.
    pub fn from_path(path: &Path) -> Result<Submission> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut s = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
            Submission::from_toml_str(&text)
        } else {
            Submission::from_json_str(&text)
        }
        .map_err(|e| Error::format(path.display(), e.to_string()))?;
        if s.name.is_none() {
            s.name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        }
        Ok(s)
    }

    /// The submission as a [`Work`] (format `submission`).
    pub fn to_work(&self) -> Work {
        let name = self.name.clone().unwrap_or_else(|| "submission".to_owned());
        let mut w = Work::new(Format::Submission, &name, 0);
        w.title = self.title.clone();
        w.abstract_text = self.abstract_text.clone();
        let n = self.authors.len();
        w.authors = self
            .authors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let affs = if a.affiliations.is_empty() { self.affiliations.clone() } else { a.affiliations.clone() };
                let (given, family) = match a.name.rsplit_once(' ') {
                    Some((g, f)) => (Some(g.trim().to_owned()), Some(f.trim().to_owned())),
                    None => (None, Some(a.name.trim().to_owned())),
                };
                Author {
                    raw_name: a.name.clone(),
                    given,
                    family,
                    email: a.email.clone().or_else(|| (n == self.emails.len()).then(|| self.emails[i].clone())),
                    corresponding: a.corresponding,
                    affiliations: affs
                        .into_iter()
                        .map(|raw| Affiliation { raw, country: a.country.clone(), ..Affiliation::default() })
                        .collect(),
                    ..Author::default()
                }
            })
            .collect();
        w
    }
}

/// The verdict levels, ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Clear,
    Review,
    Flag,
}

/// A near-duplicate found in the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMatch {
    pub work: IndexedWork,
    pub similarity: f64,
    pub shares_author: bool,
    pub shares_institution: bool,
}

/// The screen of one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenVerdict {
    pub name: String,
    pub verdict: Verdict,
    /// The highest finding score.
    pub score: f64,
    /// The classifier's paper-mill probability at its stated prevalence, whether or not it reaches the
    /// threshold (`None` only when the index carries no model).
    pub probability: Option<f64>,
    /// The probability at or above which `MIL001` is reported: the `--mill-threshold`, else the model's own
    /// when [`crate::classifier::FLAGS_BY_DEFAULT`]; `None` = the probability is reported and flags nothing.
    pub mill_threshold: Option<f64>,
    /// The classifier's largest contributions in words, towards a mill and (the last, when any) against.
    pub probability_reasons: Vec<String>,
    /// One sentence per finding, most severe first.
    pub reasons: Vec<String>,
    pub findings: Vec<Finding>,
    pub matches: Vec<IndexMatch>,
}

impl ScreenVerdict {
    /// Whether the verdict reaches `level` (the CLI exits non-zero when it does).
    pub fn crosses(&self, level: Verdict) -> bool {
        self.verdict >= level
    }
}

/// Screens a submission against an index: tortured phrases (index lexicon), near-duplicate skeletons in the
/// corpus, byline signals on the submission itself, and the classifier (index model) at its own threshold.
pub fn screen(submission: &Work, index: &CorpusIndex) -> ScreenVerdict {
    screen_with(submission, index, None)
}

/// [`screen`] with the classifier's threshold chosen by the caller (an editorial office's operating point;
/// `None` = the model's own, from its false-positive budget).
pub fn screen_with(submission: &Work, index: &CorpusIndex, mill_threshold: Option<f64>) -> ScreenVerdict {
    let name =
        if submission.source.path.is_empty() { submission.work_id.clone() } else { submission.source.path.clone() };
    let subject = Subject::Submission { name: name.clone() };
    let mut findings: Vec<Finding> = Vec::new();
    let mut reasons_extra = Vec::new();
    if let Some(lex) = index.lexicon()
        && let Some(mut f) = tortured_finding(submission, lex, &index.header.tortured_thresholds)
    {
        f.subject = subject.clone();
        findings.push(f);
    }
    let mut matches = Vec::new();
    match index.near_duplicates(&title_abstract(submission)) {
        Ok(found) => {
            let own_authors: BTreeSet<String> = submission.authors.iter().map(author_key).collect();
            let own_insts: BTreeSet<String> =
                submission.authors.iter().flat_map(|a| a.affiliations.iter().map(institution_key)).collect();
            for (i, sim) in found.into_iter().take(MAX_MATCHES) {
                let Ok(work) = index.work(i) else { continue };
                let shares_author = work.authors.iter().any(|a| own_authors.contains(a));
                let shares_institution = work.institutions.iter().any(|a| own_insts.contains(a));
                matches.push(IndexMatch { work, similarity: sim, shares_author, shares_institution });
            }
        }
        Err(e) => reasons_extra.push(format!("Index lookup failed: {e}")),
    }
    if !matches.is_empty() {
        let unrelated = matches.iter().filter(|m| !m.shares_author && !m.shares_institution).count();
        let best = matches[0].similarity;
        let severity =
            if unrelated >= 2 || (unrelated >= 1 && best >= 0.8) { Severity::High } else { Severity::Medium };
        let list: Vec<String> = matches
            .iter()
            .take(5)
            .map(|m| {
                format!(
                    "{} ({:.2}; {})",
                    m.work.doi.clone().or(m.work.pmid.clone()).unwrap_or(m.work.work_id.clone()),
                    m.similarity,
                    m.work.title.as_deref().unwrap_or("untitled")
                )
            })
            .collect();
        let mut reasons = vec![format!(
            "The masked skeleton of title + abstract matches {} indexed work(s) at similarity ≥ {:.2}: {}.",
            matches.len(),
            index.header.params.minhash.threshold,
            list.join("; ")
        )];
        if unrelated > 0 {
            reasons.push(format!("{unrelated} of them share no author and no institution with the submission: the strong paper-mill pattern."));
        }
        findings.push(Finding {
            code: TemplateFamilies::CODE.into(),
            subject: subject.clone(),
            severity,
            score: best,
            reasons,
            evidence: matches
                .iter()
                .map(|m| Evidence {
                    kind: "work".into(),
                    work_id: Some(m.work.work_id.clone()),
                    doi: m.work.doi.clone(),
                    pmid: m.work.pmid.clone(),
                    text: m.work.title.clone(),
                })
                .collect(),
        });
    }
    let one = std::slice::from_ref(submission);
    for d in [&WebmailOnInstitutionalByline as &dyn Detector, &ManyCountries] {
        findings.extend(d.run(one));
    }
    let mut probability = None;
    let mut probability_reasons = Vec::new();
    let threshold = index.model().and_then(|m| effective_threshold(m, mill_threshold));
    if let Some(model) = index.model() {
        let s = model.score_work(submission, index.lexicon(), &index.masker);
        probability = Some(s.probability);
        probability_reasons = reasons_for(&s, 3);
        probability_reasons.extend(reason_against(&s).map(|r| format!("against: {r}")));
        if let Some(threshold) = threshold.filter(|t| s.probability >= *t) {
            findings.push(crate::classifier::score_finding(subject.clone(), submission, &s, threshold));
        }
    }
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.code.cmp(&b.code)));
    let tortured_high =
        findings.iter().any(|f| f.code == TorturedPhrases::CODE && f.severity >= TorturedGrade::Suspicious.severity());
    let verdict = if findings.iter().any(|f| f.severity == Severity::High) {
        Verdict::Flag
    } else if tortured_high || findings.iter().any(|f| f.severity >= Severity::Medium) {
        Verdict::Review
    } else {
        Verdict::Clear
    };
    let mut reasons: Vec<String> = findings
        .iter()
        .map(|f| format!("{} [{}]: {}", f.code, f.severity.as_str(), f.reasons.first().cloned().unwrap_or_default()))
        .collect();
    reasons.extend(reasons_extra);
    ScreenVerdict {
        name,
        verdict,
        score: findings.iter().map(|f| f.score).fold(0.0, f64::max),
        probability,
        mill_threshold: threshold,
        probability_reasons,
        reasons,
        findings,
        matches,
    }
}
