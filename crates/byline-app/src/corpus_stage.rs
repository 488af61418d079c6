//! The corpus-wide stage of `byline scan` in passes, so that memory does not grow with the corpus.
//!
//! The corpus-wide detectors need little of each work: while stage 1 reads a part, [`spill_part`] writes what
//! they need of its works beside the part's result (`<out>/parts/<part>.*`), and [`run`] then aggregates those
//! files, never holding the works:
//!
//! - `MIL001` scores one work at a time: each part's probabilities (`<part>.mill.csv`, rows of
//!   `mill_scores.csv`) and findings are written by stage 1 and concatenated in corpus order.
//! - `RET001`–`RET004` need, besides the work, only which works of the corpus are retracted: a pre-pass
//!   ([`corpus_retracted`]) collects their DOIs and PMIDs (the works table and relations only, a few keys a
//!   retracted work), and each part's findings are made with them.
//! - `BYL001` and `BYL004` need per-venue counts (authors per work, works per month: [`VenueCounts`], merged
//!   across parts), the works that can be flagged (long bylines) and the first works of each venue-month; the
//!   latter two are read back part by part once the fences and bursts are known.
//! - `TPL001`: each part's MinHash signatures and ids (`<part>.tpl`, fixed-size records). The passes: the parts'
//!   files made into one (`consolidate`: one open file, rows at corpus positions) → every signature's band
//!   keys, partitioned by key into scratch files of at most [`PassLimits::band_entries_per_file`] entries → each
//!   file sorted, its buckets linked as [`bucket_pairs`] links them → candidate pairs, partitioned by their first
//!   text into files of [`PassLimits::texts_per_pair_file`] texts → each file sorted and de-duplicated (in memory,
//!   or in sorted runs of [`PassLimits::run_pairs`] merged when it holds more), verified in order on the two
//!   signatures (read back by position, `estimate`) and [`same_ids`] → union-find over the positions in
//!   verified pairs → only the families' members are rebuilt from their parts and become families
//!   ([`family_with`]), exactly as `find_families` builds them from all works.
//!
//! What still grows with the corpus: the retracted works' keys, the per-venue counts (a few numbers per venue
//! and month), one write buffer per band-key and pair scratch file (64 KB each: ~1 MB per million works), the
//! works in verified pairs (the union-find) and the families' members (their works are rebuilt together), and
//! the findings, which are written by [`crate::findings_out`] from sorted runs; the scratch files on disk
//! (~260 bytes a work for signatures twice, 16 bytes a work and band for band keys) are removed when the stage
//! ends.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFields, WorkFilter};
use byline_detect::byline::{
    AuthorCountAnomaly, LongByline, MonthWorks, VenueBurst, VenueCounts, WorkRef, author_count_flag, burst_finding,
};
use byline_detect::minhash::{UnionFind, band_key, bucket_pairs, jaccard_estimate};
use byline_detect::registry::{is_enabled, sort_findings};
use byline_detect::retraction::{RetractionLinks, add_corpus_retracted, retraction_findings_with};
use byline_detect::spill::{self, SortLimits};
use byline_detect::template::{
    Family, SlotMasker, TemplateFamilies, family_findings, family_signature, family_with, same_ids, sort_families,
};
use byline_detect::{DetectContext, ScanOutput};
use byline_model::{Finding, Work};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::files::{read_json, write_atomic, write_atomic_with, write_json_atomic};

/// Sizes of the template-family passes' scratch work. Each bounds memory whatever the corpus; tests run with
/// [`PassLimits::SMALL`] so that every path (several runs per pair file, runs merged in levels) is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassLimits {
    /// Band-key entries (16 bytes each) per scratch file, read and sorted at a time.
    pub band_entries_per_file: u64,
    /// Texts whose candidate pairs share a scratch file (pairs are filed by their first, smaller, text).
    pub texts_per_pair_file: u64,
    /// Candidate pairs (8 bytes each) sorted in memory at a time: a pair file with more is sorted in runs of
    /// this many, which are then merged.
    pub run_pairs: usize,
    /// Sorted runs merged at once (more are merged in levels).
    pub fan_in: usize,
    /// Candidate pairs verified in parallel at a time (their estimates are held until they are applied).
    pub verify_chunk: usize,
}

impl PassLimits {
    /// The limits of a real scan: ~32 MB of band keys, 16 MB of pairs and 16 MB of merge buffers at a time.
    pub const DEFAULT: PassLimits = PassLimits {
        band_entries_per_file: 1 << 21,
        texts_per_pair_file: 1 << 16,
        run_pairs: 1 << 21,
        fan_in: 64,
        verify_chunk: 1 << 18,
    };
    /// Tiny limits, for tests: many scratch files, many runs, merges in levels.
    pub const SMALL: PassLimits =
        PassLimits { band_entries_per_file: 64, texts_per_pair_file: 16, run_pairs: 32, fan_in: 2, verify_chunk: 8 };
    fn sort(&self) -> SortLimits {
        SortLimits { run: self.run_pairs, fan_in: self.fan_in }
    }
}

impl Default for PassLimits {
    fn default() -> PassLimits {
        PassLimits::DEFAULT
    }
}

/// Which corpus-wide detectors run.
#[derive(Debug, Clone, Copy)]
pub struct CorpusPlan {
    pub families: bool,
    pub author_counts: bool,
    pub bursts: bool,
    pub retractions: bool,
    pub mill: bool,
    /// The sizes of the template-family passes' scratch work.
    pub limits: PassLimits,
}

impl CorpusPlan {
    /// The corpus-wide detectors `--select/--ignore` leave on (the list code already taken out).
    pub fn new(select: &[String], ignore: &[String], mill: bool) -> CorpusPlan {
        let on = |code: &str| is_enabled(code, select, ignore);
        CorpusPlan {
            families: on(TemplateFamilies::CODE),
            author_counts: on(AuthorCountAnomaly::CODE),
            bursts: on(VenueBurst::CODE),
            retractions: on(RetractionLinks::CODE),
            mill,
            limits: PassLimits::DEFAULT,
        }
    }
    fn venues(&self) -> bool {
        self.author_counts || self.bursts
    }
}

/// What a part keeps for the corpus stage besides its files of signatures, long bylines, months and scores.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PartCorpus {
    works: u64,
    venues: VenueCounts,
    retractions: Vec<Finding>,
    mill: Vec<Finding>,
}

fn spill_file(out: &Path, part: &str, ext: &str) -> PathBuf {
    out.join("parts").join(format!("{part}.{ext}"))
}

/// What the `RET*` pre-pass reads: the works table (ids, types, the retracted flag) and relations.
const RETRACTION_FIELDS: WorkFields = WorkFields { relations: true, ..WorkFields::RECORD };

/// What a family is built from: ids, title, abstract, venue, date and the byline with affiliations.
const FAMILY_FIELDS: WorkFields =
    WorkFields { authors: true, affiliations: true, abstract_text: true, ..WorkFields::RECORD };

/// The keys (`doi:…`, `pmid:…`) of the corpus's retracted works, part by part from the few columns they need.
pub fn corpus_retracted(reader: &CorpusReader, parts: &[String]) -> anyhow::Result<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for part in parts {
        let works = reader
            .works_in_part_with(part, &WorkFilter::All, &RETRACTION_FIELDS)
            .with_context(|| format!("reading part {part}"))?;
        add_corpus_retracted(&works, &mut keys);
    }
    Ok(keys)
}

/// One row of `mill_scores.csv`: `work_id,doi,pmid,probability` and a newline.
pub fn mill_row(work: &Work, p: f64) -> String {
    let field = |s: Option<&str>| {
        let s = s.unwrap_or("");
        if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
    };
    format!(
        "{},{},{},{p:.4}\n",
        field(Some(&work.work_id)),
        field(work.ids.doi.as_deref()),
        field(work.ids.pmid.as_deref())
    )
}

/// The header of `mill_scores.csv`.
pub const MILL_HEADER: &str = "work_id,doi,pmid,probability\n";

/// Writes what the corpus stage needs of one part's works (as stage 2 reads them: without statements), before
/// the part is marked done.
#[allow(clippy::too_many_arguments)]
pub fn spill_part(
    out: &Path,
    part: &str,
    works: &[Work],
    plan: &CorpusPlan,
    detect: &DetectContext,
    select: &[String],
    ignore: &[String],
    corpus_retracted: &BTreeSet<String>,
    masker: &SlotMasker,
) -> anyhow::Result<()> {
    let mut spill = PartCorpus { works: works.len() as u64, ..PartCorpus::default() };
    if plan.venues() {
        let (long, months) = spill.venues.add(works);
        write_json_atomic(&spill_file(out, part, "long.json"), &long)?;
        write_json_atomic(&spill_file(out, part, "months.json"), &months)?;
    }
    if plan.retractions {
        spill.retractions = retraction_findings_with(works, detect.retractions.as_ref(), corpus_retracted)
            .into_iter()
            .filter(|f| is_enabled(&f.code, select, ignore))
            .collect();
    }
    if plan.mill {
        let (probabilities, findings) = detect.classifier().score_all(works);
        spill.mill = findings;
        write_atomic_with(&spill_file(out, part, "mill.csv"), |w| {
            for (work, p) in works.iter().zip(&probabilities) {
                w.write_all(mill_row(work, *p).as_bytes())?;
            }
            Ok(())
        })?;
    }
    if plan.families {
        let params = &detect.family_params;
        let sigs: Vec<Option<Vec<u16>>> = works.par_iter().map(|w| family_signature(w, masker, params)).collect();
        let ids: Vec<(&str, Option<&str>, Option<&str>)> =
            works.iter().map(|w| (w.work_id.as_str(), w.ids.doi.as_deref(), w.ids.pmid.as_deref())).collect();
        write_atomic(&spill_file(out, part, "tpl"), &encode_tpl(params.minhash.num_perm, &sigs, &ids)?)?;
    }
    write_json_atomic(&spill_file(out, part, "corpus.json"), &spill)
}

const TPL_MAGIC: &[u8; 8] = b"BYLTPL01";
const TPL_HEADER: u64 = 8 + 4 + 8;

/// A part's signatures file: magic, k (u32), n (u64), n records of a flag byte and k u16 (little-endian), then
/// n + 1 offsets (u64) into the ids, then each work's `[work_id, doi, pmid]` as JSON.
fn encode_tpl(
    k: usize,
    sigs: &[Option<Vec<u16>>],
    ids: &[(&str, Option<&str>, Option<&str>)],
) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(sigs.len() * (1 + 2 * k + 80) + 64);
    out.extend_from_slice(TPL_MAGIC);
    out.extend_from_slice(&u32::try_from(k)?.to_le_bytes());
    out.extend_from_slice(&(sigs.len() as u64).to_le_bytes());
    for s in sigs {
        match s {
            Some(s) => {
                anyhow::ensure!(s.len() == k, "a signature of {} values, not {k}", s.len());
                out.push(1);
                s.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
            }
            None => out.extend(std::iter::repeat_n(0u8, 1 + 2 * k)),
        }
    }
    let texts: Vec<Vec<u8>> = ids.iter().map(serde_json::to_vec).collect::<Result<_, _>>()?;
    let mut offset = 0u64;
    out.extend_from_slice(&offset.to_le_bytes());
    for t in &texts {
        offset += t.len() as u64;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    texts.iter().for_each(|t| out.extend_from_slice(t));
    Ok(out)
}

/// A signatures file (a part's, or the corpus's made of them by [`consolidate`]), read by position.
struct TplPart {
    path: PathBuf,
    file: File,
    k: usize,
    works: u64,
}

type Ids = (String, Option<String>, Option<String>);

impl TplPart {
    fn open(path: PathBuf) -> anyhow::Result<TplPart> {
        let mut file =
            File::open(&path).with_context(|| format!("reading {} (re-run with --restart)", path.display()))?;
        let mut head = [0u8; TPL_HEADER as usize];
        file.read_exact(&mut head).with_context(|| format!("reading {}", path.display()))?;
        anyhow::ensure!(&head[..8] == TPL_MAGIC, "{} is not a signatures file (re-run with --restart)", path.display());
        let k = u32::from_le_bytes(head[8..12].try_into()?) as usize;
        let works = u64::from_le_bytes(head[12..20].try_into()?);
        Ok(TplPart { path, file, k, works })
    }
    fn record(&self) -> u64 {
        1 + 2 * self.k as u64
    }
    fn offsets_at(&self) -> u64 {
        TPL_HEADER + self.works * self.record()
    }
    fn ids_at(&self) -> u64 {
        self.offsets_at() + (self.works + 1) * 8
    }
    /// Reads the signature at `row` into `sig` (through `bytes`, one record long); false for a text not indexed.
    fn read_signature(&self, row: u64, bytes: &mut [u8], sig: &mut [u16]) -> anyhow::Result<bool> {
        read_exact_at(&self.file, bytes, TPL_HEADER + row * self.record())
            .with_context(|| format!("reading {}", self.path.display()))?;
        if bytes[0] != 1 {
            return Ok(false);
        }
        for (s, c) in sig.iter_mut().zip(bytes[1..].chunks_exact(2)) {
            *s = u16::from_le_bytes([c[0], c[1]]);
        }
        Ok(true)
    }
    fn ids(&self, row: u64) -> anyhow::Result<Ids> {
        let mut offs = [0u8; 16];
        read_exact_at(&self.file, &mut offs, self.offsets_at() + row * 8)
            .with_context(|| format!("reading {}", self.path.display()))?;
        let (from, to) = (u64::from_le_bytes(offs[..8].try_into()?), u64::from_le_bytes(offs[8..].try_into()?));
        anyhow::ensure!(to >= from && to - from < 1 << 24, "{}: a corrupt ids offset", self.path.display());
        let mut buf = vec![0u8; (to - from) as usize];
        read_exact_at(&self.file, &mut buf, self.ids_at() + from)
            .with_context(|| format!("reading {}", self.path.display()))?;
        serde_json::from_slice(&buf).with_context(|| format!("parsing ids in {}", self.path.display()))
    }
    /// The length of the ids, checked against the file's: a cut or padded file is an error, not a misread.
    fn ids_len(&self) -> anyhow::Result<u64> {
        let mut last = [0u8; 8];
        read_exact_at(&self.file, &mut last, self.offsets_at() + self.works * 8)
            .with_context(|| format!("reading {} (re-run with --restart)", self.path.display()))?;
        let len = u64::from_le_bytes(last);
        let file_len = self.file.metadata().with_context(|| format!("reading {}", self.path.display()))?.len();
        anyhow::ensure!(
            file_len == self.ids_at() + len,
            "{} is {file_len} bytes, not the {} its header and offsets say (re-run with --restart)",
            self.path.display(),
            self.ids_at() + len
        );
        Ok(len)
    }
    /// Every record in order (sequential read), for the band-key pass.
    fn for_each_signature(&self, mut f: impl FnMut(u64, &[u16]) -> anyhow::Result<()>) -> anyhow::Result<()> {
        let mut file = File::open(&self.path).with_context(|| format!("reading {}", self.path.display()))?;
        let mut head = [0u8; TPL_HEADER as usize];
        file.read_exact(&mut head)?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut buf = vec![0u8; self.record() as usize];
        let mut sig = vec![0u16; self.k];
        for row in 0..self.works {
            r.read_exact(&mut buf).with_context(|| format!("reading {}", self.path.display()))?;
            if buf[0] == 1 {
                for (s, c) in sig.iter_mut().zip(buf[1..].chunks_exact(2)) {
                    *s = u16::from_le_bytes([c[0], c[1]]);
                }
                f(row, &sig)?;
            }
        }
        Ok(())
    }
    /// Calls `f` with the bytes from `offset` to `offset + len`, a block of at most 1 MB at a time (each block
    /// a multiple of 8 bytes but the last).
    fn for_each_block(
        &self,
        offset: u64,
        len: u64,
        mut f: impl FnMut(&[u8]) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut buf = vec![0u8; 1 << 20];
        let mut done = 0u64;
        while done < len {
            let n = (len - done).min(buf.len() as u64) as usize;
            read_exact_at(&self.file, &mut buf[..n], offset + done)
                .with_context(|| format!("reading {} (re-run with --restart)", self.path.display()))?;
            f(&buf[..n])?;
            done += n as u64;
        }
        Ok(())
    }
}

/// The parts' signatures files made into one, in the same layout, its rows the corpus positions: the passes then
/// read by position from one open file, however many parts there are (a 5M-work corpus has ~1,800).
fn consolidate(paths: &[PathBuf], works_per_part: &[u64], k: usize, dest: &Path) -> anyhow::Result<TplPart> {
    let total: u64 = works_per_part.iter().sum();
    let mut w = BufWriter::with_capacity(1 << 20, File::create(dest).context("creating a scratch file")?);
    w.write_all(TPL_MAGIC)?;
    w.write_all(&u32::try_from(k)?.to_le_bytes())?;
    w.write_all(&total.to_le_bytes())?;
    let open = |path: &PathBuf, n: u64| -> anyhow::Result<(TplPart, u64)> {
        let t = TplPart::open(path.clone())?;
        anyhow::ensure!(t.works == n && t.k == k, "{} does not match its part (re-run with --restart)", path.display());
        let ids_len = t.ids_len()?;
        Ok((t, ids_len))
    };
    // Signatures, then the ids' offsets shifted by the ids before them, then the ids.
    for (path, &n) in paths.iter().zip(works_per_part) {
        let (t, _) = open(path, n)?;
        t.for_each_block(TPL_HEADER, n * t.record(), |b| Ok(w.write_all(b)?))?;
    }
    let mut base = 0u64;
    w.write_all(&base.to_le_bytes())?;
    for (path, &n) in paths.iter().zip(works_per_part) {
        let (t, _) = open(path, n)?;
        let mut previous = 0u64;
        t.for_each_block(t.offsets_at() + 8, n * 8, |b| {
            for c in b.chunks_exact(8) {
                let offset = u64::from_le_bytes(c.try_into()?);
                anyhow::ensure!(
                    offset >= previous,
                    "{}: a corrupt ids offset (re-run with --restart)",
                    t.path.display()
                );
                previous = offset;
                w.write_all(&(base + offset).to_le_bytes())?;
            }
            Ok(())
        })?;
        base += previous;
    }
    for (path, &n) in paths.iter().zip(works_per_part) {
        let (t, ids_len) = open(path, n)?;
        t.for_each_block(t.ids_at(), ids_len, |b| Ok(w.write_all(b)?))?;
    }
    w.into_inner().map_err(|e| e.into_error())?;
    TplPart::open(dest.to_owned())
}

/// The jaccard estimate of each pair's two signatures where it reaches `threshold`, NaN where it does not (or a
/// text is not indexed), into `out`; in parallel, each thread reading the first text's signature once for the
/// run of pairs sharing it (pairs are sorted), and no allocation per pair.
fn estimate(sig: &TplPart, pairs: &[(u32, u32)], threshold: f64, out: &mut Vec<f64>) -> anyhow::Result<()> {
    out.clear();
    out.resize(pairs.len(), f64::NAN);
    let k = sig.k;
    out.par_iter_mut().zip(pairs.par_iter()).with_min_len(1 << 10).try_for_each_init(
        || (None::<(u32, bool)>, vec![0u8; 1 + 2 * k], vec![0u16; k], vec![0u16; k]),
        |(first, bytes, sa, sb), (e, &(a, b))| -> anyhow::Result<()> {
            let has_a = match *first {
                Some((x, has)) if x == a => has,
                _ => {
                    let has = sig.read_signature(u64::from(a), bytes, sa)?;
                    *first = Some((a, has));
                    has
                }
            };
            if has_a && sig.read_signature(u64::from(b), bytes, sb)? {
                let j = jaccard_estimate(sa, sb);
                if j >= threshold {
                    *e = j;
                }
            }
            Ok(())
        },
    )
}

/// Union-find over the corpus positions that are in a verified pair (indexed by a hash map): its memory follows
/// the near-duplicates found, not the corpus.
#[derive(Default)]
struct SparseUnionFind {
    index: HashMap<u32, u32>,
    positions: Vec<u32>,
    sets: UnionFind,
}

impl SparseUnionFind {
    fn node(&mut self, pos: u32) -> u32 {
        let SparseUnionFind { index, positions, sets } = self;
        *index.entry(pos).or_insert_with(|| {
            positions.push(pos);
            sets.add()
        })
    }
    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.node(a), self.node(b));
        self.sets.union(a, b);
    }
    /// The root of the set holding `pos`, if `pos` is in a pair.
    fn root(&mut self, pos: u32) -> Option<u32> {
        let i = *self.index.get(&pos)?;
        Some(self.sets.find(i))
    }
    /// As [`UnionFind::components`] over positions: sets of at least `min_size` (≥ 2), each sorted, ordered by
    /// their smallest member.
    fn components(&mut self, min_size: usize) -> Vec<Vec<u32>> {
        let positions = &self.positions;
        let mut comps: Vec<Vec<u32>> = self
            .sets
            .components(min_size.max(2))
            .into_iter()
            .map(|set| {
                let mut set: Vec<u32> = set.iter().map(|&i| positions[i as usize]).collect();
                set.sort_unstable();
                set
            })
            .collect();
        comps.sort_unstable_by_key(|set| set[0]);
        comps
    }
}

/// Verifies candidate pairs in order: the estimate on the two signatures, then [`same_ids`]; each verified pair
/// joins its texts and is kept on disk (first, second, estimate) for the families' mean similarity.
struct Verifier<'a> {
    sig: &'a TplPart,
    threshold: f64,
    chunk: usize,
    estimates: Vec<f64>,
    /// The ids of the last first text seen (pairs come sorted: read once for all its pairs).
    first: Option<(u32, Ids)>,
    sets: SparseUnionFind,
    verified: BufWriter<File>,
}

impl Verifier<'_> {
    fn verify(&mut self, pairs: &[(u32, u32)]) -> anyhow::Result<()> {
        for chunk in pairs.chunks(self.chunk.max(1)) {
            estimate(self.sig, chunk, self.threshold, &mut self.estimates)?;
            for (&(a, b), &j) in chunk.iter().zip(&self.estimates) {
                if j.is_nan() {
                    continue;
                }
                if self.first.as_ref().is_none_or(|(x, _)| *x != a) {
                    self.first = Some((a, self.sig.ids(u64::from(a))?));
                }
                let Some((_, ia)) = &self.first else { continue };
                let ib = self.sig.ids(u64::from(b))?;
                if same_ids((ia.1.as_deref(), ia.2.as_deref()), (ib.1.as_deref(), ib.2.as_deref())) {
                    continue;
                }
                self.sets.union(a, b);
                self.verified.write_all(&a.to_le_bytes())?;
                self.verified.write_all(&b.to_le_bytes())?;
                self.verified.write_all(&j.to_le_bytes())?;
            }
        }
        Ok(())
    }
}

/// Calls `f` with each `N`-byte record of a scratch file (through [`spill::for_each_bytes`]: a cut record is an
/// error).
fn for_each_record<const N: usize>(path: &Path, mut f: impl FnMut(&[u8; N])) -> anyhow::Result<()> {
    spill::for_each_bytes(path, N, |rec| {
        if let Ok(rec) = rec.try_into() {
            f(rec);
        }
    })?;
    Ok(())
}

fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// Runs the corpus-wide detectors over what stage 1 spilled for `parts`, writes `mill_scores.csv` to
/// `mill_scores` when the classifier runs, and returns the findings and families as the in-memory stage would.
pub fn run(
    out: &Path,
    reader: &CorpusReader,
    parts: &[String],
    plan: &CorpusPlan,
    detect: &DetectContext,
    mill_scores: &Path,
) -> anyhow::Result<ScanOutput> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut counts = VenueCounts::default();
    let mut mill_findings: Vec<Finding> = Vec::new();
    let mut works_per_part: Vec<u64> = Vec::with_capacity(parts.len());
    for part in parts {
        let spill: PartCorpus = read_json(&spill_file(out, part, "corpus.json"))
            .with_context(|| format!("reading what part {part} kept for the corpus stage (re-run with --restart)"))?;
        works_per_part.push(spill.works);
        if plan.venues() {
            counts.merge(spill.venues);
        }
        findings.extend(spill.retractions);
        mill_findings.extend(spill.mill);
    }
    if plan.author_counts {
        let fences = counts.author_count_fences();
        for part in parts {
            let long: Vec<LongByline> = read_json(&spill_file(out, part, "long.json"))?;
            findings.extend(long.iter().filter_map(|l| author_count_flag(&fences, l)));
        }
    }
    if plan.bursts {
        let bursts = counts.bursts();
        let mut evidence: Vec<Vec<WorkRef>> = vec![Vec::new(); bursts.len()];
        if !bursts.is_empty() {
            for part in parts {
                let mut months: MonthWorks = read_json(&spill_file(out, part, "months.json"))?;
                for (b, ev) in bursts.iter().zip(evidence.iter_mut()) {
                    let room = byline_detect::byline::BURST_EVIDENCE.saturating_sub(ev.len());
                    if room == 0 {
                        continue;
                    }
                    if let Some(list) =
                        months.get_mut(&b.venue).and_then(|y| y.get_mut(&b.year)).and_then(|m| m.remove(&b.month))
                    {
                        ev.extend(list.into_iter().take(room));
                    }
                }
            }
        }
        findings.extend(bursts.iter().zip(&evidence).map(|(b, ev)| burst_finding(b, ev)));
    }
    drop(counts);
    let families =
        if plan.families { families(out, reader, parts, &works_per_part, detect, &plan.limits)? } else { Vec::new() };
    findings.extend(family_findings(&families));
    sort_findings(&mut findings);
    if plan.mill {
        write_atomic_with(mill_scores, |w| {
            w.write_all(MILL_HEADER.as_bytes())?;
            for part in parts {
                let mut f = File::open(spill_file(out, part, "mill.csv"))?;
                std::io::copy(&mut f, w)?;
            }
            Ok(())
        })?;
        findings.extend(mill_findings);
        sort_findings(&mut findings);
    }
    Ok(ScanOutput { findings, families })
}

/// Template families from the parts' signature files (see the module docs).
fn families(
    out: &Path,
    reader: &CorpusReader,
    parts: &[String],
    works_per_part: &[u64],
    detect: &DetectContext,
    limits: &PassLimits,
) -> anyhow::Result<Vec<Family>> {
    let params = &detect.family_params;
    let p = &params.minhash;
    let total: u64 = works_per_part.iter().sum();
    anyhow::ensure!(total < u64::from(u32::MAX), "{total} works: the template-family passes index at most 2³² − 1");
    if total == 0 {
        return Ok(Vec::new());
    }
    let starts: Vec<u64> = works_per_part
        .iter()
        .scan(0u64, |start, n| {
            let s = *start;
            *start += n;
            Some(s)
        })
        .collect();
    let scratch = out.join("tpl-scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let paths: Vec<PathBuf> = parts.iter().map(|part| spill_file(out, part, "tpl")).collect();
    let sig = consolidate(&paths, works_per_part, p.num_perm, &scratch.join("signatures.tpl"))?;
    let rows = p.rows.max(1);
    let bands = p.bands.min(p.num_perm / rows);

    // 1. Band keys (band, key, position), partitioned by key.
    let band_files = (total * bands as u64).div_ceil(limits.band_entries_per_file.max(1)).max(1);
    let band_path = |i: u64| scratch.join(format!("bands-{i:05}.bin"));
    {
        let mut writers = (0..band_files)
            .map(|i| File::create(band_path(i)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<std::io::Result<Vec<_>>>()
            .context("creating the band-key scratch files")?;
        sig.for_each_signature(|row, s| {
            let pos = row as u32;
            for b in 0..bands {
                let key = band_key(s, b, rows);
                let w = &mut writers[(key % band_files) as usize];
                w.write_all(&key.to_le_bytes())?;
                w.write_all(&(b as u32).to_le_bytes())?;
                w.write_all(&pos.to_le_bytes())?;
            }
            Ok(())
        })?;
        for w in writers {
            w.into_inner().map_err(|e| e.into_error())?;
        }
    }

    // 2. Buckets → candidate pairs, partitioned by their first text.
    let texts_per_file = limits.texts_per_pair_file.max(1);
    let pair_files = total.div_ceil(texts_per_file).max(1);
    let pair_path = |i: u64| scratch.join(format!("pairs-{i:05}.bin"));
    let mut pair_counts = vec![0u64; pair_files as usize];
    {
        let mut writers = (0..pair_files)
            .map(|i| File::create(pair_path(i)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<std::io::Result<Vec<_>>>()
            .context("creating the pair scratch files")?;
        // One vector for every band file: growing and freeing a vector of tens of MB per file leaves the
        // allocator holding freed pages.
        let mut entries: Vec<(u32, u64, u32)> = Vec::new();
        for i in 0..band_files {
            entries.clear();
            for_each_record::<16>(&band_path(i), |c| {
                let key = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                let band = u32::from_le_bytes([c[8], c[9], c[10], c[11]]);
                let pos = u32::from_le_bytes([c[12], c[13], c[14], c[15]]);
                entries.push((band, key, pos));
            })?;
            std::fs::remove_file(band_path(i)).ok();
            entries.par_sort_unstable();
            let mut error: Option<std::io::Error> = None;
            for bucket in entries.chunk_by(|x, y| x.0 == y.0 && x.1 == y.1) {
                bucket_pairs(
                    bucket,
                    |e| e.2,
                    |a, b| {
                        let (a, b) = if a < b { (a, b) } else { (b, a) };
                        let f = (u64::from(a) / texts_per_file) as usize;
                        pair_counts[f] += 1;
                        let w = &mut writers[f];
                        if let Err(e) = w.write_all(&a.to_le_bytes()).and_then(|()| w.write_all(&b.to_le_bytes())) {
                            error.get_or_insert(e);
                        }
                    },
                );
            }
            if let Some(e) = error {
                return Err(e).context("writing a pair scratch file");
            }
        }
        for w in writers {
            w.into_inner().map_err(|e| e.into_error())?;
        }
    }

    // 3. Pairs verified in order, a file at a time (sorted in memory, or in runs then merged when it holds more
    // than `limits.run_pairs`); union-find over the positions in verified pairs; verified pairs kept on disk.
    let verified_path = scratch.join("verified.bin");
    let mut verifier = Verifier {
        sig: &sig,
        threshold: p.threshold,
        chunk: limits.verify_chunk,
        estimates: Vec::new(),
        first: None,
        sets: SparseUnionFind::default(),
        verified: BufWriter::new(File::create(&verified_path).context("creating a scratch file")?),
    };
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (i, &count) in pair_counts.iter().enumerate() {
        let path = pair_path(i as u64);
        spill::sorted(&path, count, &limits.sort(), true, &mut pairs, |batch| verifier.verify(batch))?;
        std::fs::remove_file(&path).ok();
    }
    drop(pairs);
    let Verifier { mut sets, verified, .. } = verifier;
    verified.into_inner().map_err(|e| e.into_error())?;
    let comps = sets.components(params.min_family_size);
    let mut sim_by_root: HashMap<u32, (f64, usize)> = HashMap::new();
    for_each_record::<16>(&verified_path, |rec| {
        let a = u32::from_le_bytes([rec[0], rec[1], rec[2], rec[3]]);
        let j = f64::from_le_bytes([rec[8], rec[9], rec[10], rec[11], rec[12], rec[13], rec[14], rec[15]]);
        if let Some(root) = sets.root(a) {
            let e = sim_by_root.entry(root).or_insert((0.0, 0));
            e.0 += j;
            e.1 += 1;
        }
    })?;
    let means: Vec<f64> = comps
        .iter()
        .map(|m| {
            let (sum, n) = sets.root(m[0]).and_then(|r| sim_by_root.get(&r).copied()).unwrap_or((0.0, 0));
            if n == 0 { 0.0 } else { sum / n as f64 }
        })
        .collect();
    drop(sets);
    drop(sim_by_root);

    // 4. Only the members are rebuilt, part by part, then each component becomes a family.
    let mut by_part: BTreeMap<usize, Vec<(u32, String)>> = BTreeMap::new();
    for m in comps.iter().flatten() {
        let i = starts.partition_point(|&s| s <= u64::from(*m)).saturating_sub(1);
        let (id, _, _) = sig.ids(u64::from(*m))?;
        by_part.entry(i).or_default().push((*m, id));
    }
    drop(sig);
    let _ = std::fs::remove_dir_all(&scratch);
    let mut member_works: HashMap<u32, Work> = HashMap::new();
    for (i, members) in by_part {
        let wanted: HashSet<String> = members.iter().map(|(_, id)| id.clone()).collect();
        let mut found: HashMap<String, Work> = reader
            .works_in_part_with(&parts[i], &WorkFilter::Ids(wanted), &FAMILY_FIELDS)
            .with_context(|| format!("reading part {}", parts[i]))?
            .into_iter()
            .map(|w| (w.work_id.clone(), w))
            .collect();
        for (pos, id) in members {
            let w = found
                .remove(&id)
                .with_context(|| format!("part {} has no work {id} (re-run with --restart)", parts[i]))?;
            member_works.insert(pos, w);
        }
    }
    let groups: Vec<Vec<Work>> =
        comps.iter().map(|m| m.iter().filter_map(|pos| member_works.remove(pos)).collect()).collect();
    anyhow::ensure!(groups.iter().zip(&comps).all(|(g, m)| g.len() == m.len()), "a family member appears twice");
    let masker = SlotMasker::default();
    let mut families: Vec<Family> =
        groups.par_iter().zip(means.par_iter()).map(|(ws, mean)| family_with(ws, *mean, params, &masker)).collect();
    sort_families(&mut families);
    Ok(families)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sparse_union_find_gives_the_components_of_the_dense_one() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut next = |below: u32| rng.random_range(0..below);
        let n = 10_000;
        let mut dense = UnionFind::new(n as usize);
        let mut sparse = SparseUnionFind::default();
        for _ in 0..3_000 {
            let (a, b) = (next(n), next(n));
            dense.union(a, b);
            sparse.union(a, b);
        }
        for min in [2, 3, 5] {
            let want = dense.components(min);
            assert!(!want.is_empty());
            assert_eq!(sparse.components(min), want, "min {min}");
        }
        // Positions in no pair have no set; the root of a pair's texts is shared.
        let untouched = (0..n).find(|&p| sparse.root(p).is_none());
        assert!(untouched.is_some());
        let comps = sparse.components(2);
        assert_eq!(sparse.root(comps[0][0]), sparse.root(comps[0][1]));
        assert!(sparse.positions.len() < n as usize);
    }

    fn tpl_file(dir: &Path, name: &str, k: usize, rows: &[(Option<Vec<u16>>, &str)]) -> anyhow::Result<PathBuf> {
        let sigs: Vec<Option<Vec<u16>>> = rows.iter().map(|(s, _)| s.clone()).collect();
        let ids: Vec<(&str, Option<&str>, Option<&str>)> = rows.iter().map(|(_, id)| (*id, Some(*id), None)).collect();
        let path = dir.join(name);
        std::fs::write(&path, encode_tpl(k, &sigs, &ids)?)?;
        Ok(path)
    }

    #[test]
    fn the_consolidated_signatures_are_the_parts_rows_at_corpus_positions() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let k = 4;
        let a = tpl_file(dir.path(), "a.tpl", k, &[(Some(vec![1, 2, 3, 4]), "w1"), (None, "w\"2")])?;
        let b = tpl_file(dir.path(), "b.tpl", k, &[])?;
        let c = tpl_file(dir.path(), "c.tpl", k, &[(Some(vec![9, 8, 7, 6]), "w3"), (Some(vec![5, 5, 5, 5]), "ü4")])?;
        let all = consolidate(&[a.clone(), b, c], &[2, 0, 2], k, &dir.path().join("all.tpl"))?;
        assert_eq!(all.works, 4);
        let (mut bytes, mut sig) = (vec![0u8; 1 + 2 * k], vec![0u16; k]);
        let want =
            [(Some(vec![1, 2, 3, 4]), "w1"), (None, "w\"2"), (Some(vec![9, 8, 7, 6]), "w3"), (Some(vec![5; 4]), "ü4")];
        for (row, (s, id)) in want.iter().enumerate() {
            let has = all.read_signature(row as u64, &mut bytes, &mut sig)?;
            assert_eq!(has.then(|| sig.clone()), *s, "row {row}");
            assert_eq!(all.ids(row as u64)?, ((*id).to_owned(), Some((*id).to_owned()), None), "row {row}");
        }
        // Estimates: a pair with a text not indexed has none; one under the threshold none; equal signatures 1.
        let mut out = Vec::new();
        estimate(&all, &[(0, 1), (0, 2), (2, 3), (3, 3)], 0.5, &mut out)?;
        assert!(out[..3].iter().all(|j| j.is_nan()), "{out:?}");
        assert_eq!(out[3], 1.0);

        // A cut part file is an error naming it, not a misread.
        let bytes = std::fs::read(&a)?;
        std::fs::write(&a, &bytes[..bytes.len() - 1])?;
        let c = dir.path().join("c.tpl");
        let err =
            consolidate(&[a.clone(), c], &[2, 2], k, &dir.path().join("all2.tpl")).err().map(|e| format!("{e:#}"));
        assert!(err.as_deref().is_some_and(|e| e.contains("a.tpl") && e.contains("--restart")), "{err:?}");
        Ok(())
    }
}
