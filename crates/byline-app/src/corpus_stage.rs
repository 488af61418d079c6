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
//! - `TPL001`: each part's MinHash signatures and ids (`<part>.tpl`, fixed-size records). The passes: every
//!   signature's band keys, partitioned by key into scratch files of at most [`BAND_ENTRIES_PER_FILE`]
//!   entries → each file sorted, its buckets linked as [`bucket_pairs`] links them → candidate pairs,
//!   partitioned by their first text into files of [`TEXTS_PER_PAIR_FILE`] texts → each file sorted and
//!   de-duplicated, verified on the two signatures (read back by position) and [`same_ids`] → union-find over
//!   integer positions → only the families' members are rebuilt from their parts and become families
//!   ([`family_with`]), exactly as `find_families` builds them from all works.
//!
//! What still grows with the corpus: the union-find (8 bytes a work), the retracted works' keys, the per-venue
//! counts (a few numbers per venue and month), the families' members (their works are rebuilt together) and
//! the findings themselves; the scratch files on disk (~260 bytes a work for signatures, 16 bytes a work and
//! band for band keys) are removed when the stage ends.

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
use byline_detect::template::{
    Family, SlotMasker, TemplateFamilies, family_findings, family_signature, family_with, same_ids, sort_families,
};
use byline_detect::{DetectContext, ScanOutput};
use byline_model::{Finding, Work};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::files::{read_json, write_atomic, write_atomic_with, write_json_atomic};

/// Band-key entries (16 bytes each) per scratch file: 32 MB read and sorted at a time.
pub const BAND_ENTRIES_PER_FILE: u64 = 1 << 21;
/// Texts whose candidate pairs share a scratch file (pairs are filed by their first, smaller, text).
pub const TEXTS_PER_PAIR_FILE: u64 = 1 << 16;
/// Candidate pairs (8 bytes each) sorted and de-duplicated at a time: a pair file with more is read in slices
/// of its first texts.
pub const PAIRS_IN_MEMORY: u64 = 1 << 23;
/// Candidate pairs verified in parallel at a time (their estimates are held until they are joined).
const VERIFY_CHUNK: usize = 1 << 20;

/// Which corpus-wide detectors run.
#[derive(Debug, Clone, Copy)]
pub struct CorpusPlan {
    pub families: bool,
    pub author_counts: bool,
    pub bursts: bool,
    pub retractions: bool,
    pub mill: bool,
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

/// One part's signatures file, read by position.
struct TplPart {
    path: PathBuf,
    file: File,
    k: usize,
    works: u64,
    /// Corpus position of the part's first work.
    start: u32,
}

type Ids = (String, Option<String>, Option<String>);

impl TplPart {
    fn open(path: PathBuf, start: u32) -> anyhow::Result<TplPart> {
        let mut file =
            File::open(&path).with_context(|| format!("reading {} (re-run with --restart)", path.display()))?;
        let mut head = [0u8; TPL_HEADER as usize];
        file.read_exact(&mut head).with_context(|| format!("reading {}", path.display()))?;
        anyhow::ensure!(&head[..8] == TPL_MAGIC, "{} is not a signatures file (re-run with --restart)", path.display());
        let k = u32::from_le_bytes(head[8..12].try_into()?) as usize;
        let works = u64::from_le_bytes(head[12..20].try_into()?);
        Ok(TplPart { path, file, k, works, start })
    }
    fn record(&self) -> u64 {
        1 + 2 * self.k as u64
    }
    /// The signature at `row`, or `None` for a text not indexed.
    fn signature(&self, row: u64) -> anyhow::Result<Option<Vec<u16>>> {
        let mut buf = vec![0u8; self.record() as usize];
        read_exact_at(&self.file, &mut buf, TPL_HEADER + row * self.record())
            .with_context(|| format!("reading {}", self.path.display()))?;
        Ok((buf[0] == 1).then(|| buf[1..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()))
    }
    fn ids(&self, row: u64) -> anyhow::Result<Ids> {
        let offsets_at = TPL_HEADER + self.works * self.record();
        let mut offs = [0u8; 16];
        read_exact_at(&self.file, &mut offs, offsets_at + row * 8)
            .with_context(|| format!("reading {}", self.path.display()))?;
        let (from, to) = (u64::from_le_bytes(offs[..8].try_into()?), u64::from_le_bytes(offs[8..].try_into()?));
        anyhow::ensure!(to >= from && to - from < 1 << 24, "{}: a corrupt ids offset", self.path.display());
        let mut buf = vec![0u8; (to - from) as usize];
        read_exact_at(&self.file, &mut buf, offsets_at + (self.works + 1) * 8 + from)
            .with_context(|| format!("reading {}", self.path.display()))?;
        serde_json::from_slice(&buf).with_context(|| format!("parsing ids in {}", self.path.display()))
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
}

/// Calls `f` with each `N`-byte record of a scratch file, read through a buffer (never the whole file).
fn for_each_record<const N: usize>(path: &Path, mut f: impl FnMut(&[u8; N])) -> anyhow::Result<()> {
    let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut rec = [0u8; N];
    loop {
        match r.read_exact(&mut rec) {
            Ok(()) => f(&rec),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
}

/// The part file holding corpus position `pos` and the row in it.
fn locate(tpl: &[TplPart], pos: u32) -> (&TplPart, u64) {
    let i = tpl.partition_point(|t| t.start <= pos).saturating_sub(1);
    (&tpl[i], u64::from(pos - tpl[i].start))
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
    let families = if plan.families { families(out, reader, parts, &works_per_part, detect)? } else { Vec::new() };
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
) -> anyhow::Result<Vec<Family>> {
    let params = &detect.family_params;
    let p = &params.minhash;
    let total: u64 = works_per_part.iter().sum();
    anyhow::ensure!(total < u64::from(u32::MAX), "{total} works: the template-family passes index at most 2³² − 1");
    if total == 0 {
        return Ok(Vec::new());
    }
    let mut tpl = Vec::with_capacity(parts.len());
    let mut start = 0u64;
    for (part, n) in parts.iter().zip(works_per_part) {
        let t = TplPart::open(spill_file(out, part, "tpl"), start as u32)?;
        anyhow::ensure!(
            t.works == *n && t.k == p.num_perm,
            "{} does not match its part (re-run with --restart)",
            t.path.display()
        );
        tpl.push(t);
        start += n;
    }
    let locate = |pos: u32| locate(&tpl, pos);
    let scratch = out.join("tpl-scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let rows = p.rows.max(1);
    let bands = p.bands.min(p.num_perm / rows);

    // 1. Band keys (band, key, position), partitioned by key.
    let band_files = (total * bands as u64).div_ceil(BAND_ENTRIES_PER_FILE).max(1);
    let band_path = |i: u64| scratch.join(format!("bands-{i:05}.bin"));
    {
        let mut writers = (0..band_files)
            .map(|i| File::create(band_path(i)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<std::io::Result<Vec<_>>>()
            .context("creating the band-key scratch files")?;
        for t in &tpl {
            t.for_each_signature(|row, sig| {
                let pos = t.start + row as u32;
                for b in 0..bands {
                    let key = band_key(sig, b, rows);
                    let w = &mut writers[(key % band_files) as usize];
                    w.write_all(&key.to_le_bytes())?;
                    w.write_all(&(b as u32).to_le_bytes())?;
                    w.write_all(&pos.to_le_bytes())?;
                }
                Ok(())
            })?;
        }
        for w in writers {
            w.into_inner().map_err(|e| e.into_error())?;
        }
    }

    // 2. Buckets → candidate pairs, partitioned by their first text.
    let pair_files = total.div_ceil(TEXTS_PER_PAIR_FILE).max(1);
    let pair_path = |i: u64| scratch.join(format!("pairs-{i:05}.bin"));
    let mut pair_counts = vec![0u64; pair_files as usize];
    {
        let mut writers = (0..pair_files)
            .map(|i| File::create(pair_path(i)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<std::io::Result<Vec<_>>>()
            .context("creating the pair scratch files")?;
        // One vector for every band file (and below, one pair and one estimate vector for the whole pass):
        // growing and freeing a vector of tens of MB per file leaves the allocator holding freed pages.
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
                        let f = (u64::from(a) / TEXTS_PER_PAIR_FILE) as usize;
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

    // 3. Pairs verified in order (a file at a time; a file of more than PAIRS_IN_MEMORY pairs in slices of its
    // first texts, read once each); union-find over positions; verified pairs kept on disk in order.
    let mut uf = UnionFind::new(total as usize);
    let verified_path = scratch.join("verified.bin");
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut estimates: Vec<Option<f64>> = Vec::with_capacity(VERIFY_CHUNK);
    {
        let mut verified = BufWriter::new(File::create(&verified_path).context("creating a scratch file")?);
        for i in 0..pair_files {
            let (from, to) = (i * TEXTS_PER_PAIR_FILE, ((i + 1) * TEXTS_PER_PAIR_FILE).min(total));
            let slices = pair_counts[i as usize].div_ceil(PAIRS_IN_MEMORY).clamp(1, to - from);
            for slice in 0..slices {
                let lo = from + (to - from) * slice / slices;
                let hi = from + (to - from) * (slice + 1) / slices;
                pairs.clear();
                for_each_record::<8>(&pair_path(i), |c| {
                    let a = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                    if (lo..hi).contains(&u64::from(a)) {
                        pairs.push((a, u32::from_le_bytes([c[4], c[5], c[6], c[7]])));
                    }
                })?;
                pairs.par_sort_unstable();
                pairs.dedup();
                let mut last: Option<(u32, Ids)> = None;
                for chunk in pairs.chunks(VERIFY_CHUNK) {
                    // Pairs are sorted: the first text's signature is read once for all its pairs.
                    let groups = chunk
                        .par_chunk_by(|x, y| x.0 == y.0)
                        .map(|group| -> anyhow::Result<Vec<Option<f64>>> {
                            let (ta, ra) = locate(group[0].0);
                            let sa = ta.signature(ra)?;
                            group
                                .iter()
                                .map(|&(_, b)| -> anyhow::Result<Option<f64>> {
                                    let Some(sa) = &sa else { return Ok(None) };
                                    let (tb, rb) = locate(b);
                                    let Some(sb) = tb.signature(rb)? else { return Ok(None) };
                                    let j = jaccard_estimate(sa, &sb);
                                    Ok((j >= p.threshold).then_some(j))
                                })
                                .collect()
                        })
                        .collect::<anyhow::Result<Vec<Vec<Option<f64>>>>>()?;
                    estimates.clear();
                    estimates.extend(groups.into_iter().flatten());
                    for (&(a, b), &j) in chunk.iter().zip(&estimates) {
                        let Some(j) = j else { continue };
                        if last.as_ref().is_none_or(|(x, _)| *x != a) {
                            let (t, r) = locate(a);
                            last = Some((a, t.ids(r)?));
                        }
                        let Some((_, ia)) = &last else { continue };
                        let (t, r) = locate(b);
                        let ib = t.ids(r)?;
                        if same_ids((ia.1.as_deref(), ia.2.as_deref()), (ib.1.as_deref(), ib.2.as_deref())) {
                            continue;
                        }
                        uf.union(a, b);
                        verified.write_all(&a.to_le_bytes())?;
                        verified.write_all(&b.to_le_bytes())?;
                        verified.write_all(&j.to_le_bytes())?;
                    }
                }
            }
            std::fs::remove_file(pair_path(i)).ok();
        }
        verified.into_inner().map_err(|e| e.into_error())?;
    }
    drop((pairs, estimates));
    let comps = uf.components(params.min_family_size.max(2));
    let mut sim_by_root: HashMap<u32, (f64, usize)> = HashMap::new();
    for_each_record::<16>(&verified_path, |rec| {
        let a = u32::from_le_bytes([rec[0], rec[1], rec[2], rec[3]]);
        let j = f64::from_le_bytes([rec[8], rec[9], rec[10], rec[11], rec[12], rec[13], rec[14], rec[15]]);
        let e = sim_by_root.entry(uf.find(a)).or_insert((0.0, 0));
        e.0 += j;
        e.1 += 1;
    })?;
    let means: Vec<f64> = comps
        .iter()
        .map(|m| {
            let (sum, n) = sim_by_root.get(&uf.find(m[0])).copied().unwrap_or((0.0, 0));
            if n == 0 { 0.0 } else { sum / n as f64 }
        })
        .collect();
    drop(uf);
    drop(sim_by_root);
    let _ = std::fs::remove_dir_all(&scratch);

    // 4. Only the members are rebuilt, part by part, then each component becomes a family.
    let mut by_part: BTreeMap<usize, Vec<(u32, String)>> = BTreeMap::new();
    for m in comps.iter().flatten() {
        let i = tpl.partition_point(|t| t.start <= *m).saturating_sub(1);
        let (id, _, _) = tpl[i].ids(u64::from(*m - tpl[i].start))?;
        by_part.entry(i).or_default().push((*m, id));
    }
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
