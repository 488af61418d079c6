//! A scan's findings merged and written without holding them all: each part keeps its findings sorted in a
//! JSON-lines file (one finding a line), the corpus stage hands over its own (sorted), and the merge reads one
//! finding of each at a time, in the order [`sort_findings`] gives the whole (stable: ties go to the earlier
//! run, so the bytes are those of one sort over the runs concatenated). `findings.json` and
//! `findings.parquet` are written as the findings come; the run keeps their counts by code and the most severe
//! few for its summary, and every finding only when a report asks for them. At most [`FAN_IN`] files are open
//! at once: more runs (a corpus of thousands of parts) are first merged in groups into intermediate runs.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use byline_corpus::FindingsParquetWriter;
use byline_model::{Finding, FindingSortKey, Severity, finding_sort_key, sort_findings};
use byline_report::rank_order;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::files::{temporary, write_atomic_with};

/// Counts of one code by severity.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub code: String,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub total: usize,
}

/// What the merge keeps of the findings it wrote.
#[derive(Debug, Default)]
pub struct Merged {
    pub total: usize,
    /// By code, in code order.
    pub by_code: Vec<CodeCount>,
    /// The most severe, in report order ([`rank_order`]), at most as many as asked for.
    pub top: Vec<Finding>,
    /// Every finding in file order, when asked for (a report shows them all).
    pub all: Option<Vec<Finding>>,
}

/// The most runs merged at once (open files); a corpus of more parts is merged in levels.
pub const FAN_IN: usize = 128;

/// Sorts `findings` and writes them to `path` as JSON lines (atomically): a run for [`merge_and_write`].
pub fn write_run(path: &Path, findings: &mut [Finding]) -> anyhow::Result<()> {
    sort_findings(findings);
    write_atomic_with(path, |w| {
        for f in findings.iter() {
            serde_json::to_writer(&mut *w, f)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// One sorted run of findings: the corpus stage's, in memory, or a part's file read a line at a time.
enum Run {
    Memory(std::vec::IntoIter<Finding>),
    File { path: PathBuf, lines: std::io::Lines<BufReader<File>>, line: u64 },
}

impl Run {
    fn next(&mut self) -> anyhow::Result<Option<Finding>> {
        match self {
            Run::Memory(it) => Ok(it.next()),
            Run::File { path, lines, line } => loop {
                let Some(text) = lines.next() else { return Ok(None) };
                *line += 1;
                let text = text.with_context(|| format!("reading {} at line {line}", path.display()))?;
                if text.is_empty() {
                    continue;
                }
                return serde_json::from_str(&text)
                    .map(Some)
                    .with_context(|| format!("parsing {} at line {line} (re-run with --restart)", path.display()));
            },
        }
    }
}

impl Run {
    fn open(path: &Path) -> anyhow::Result<Run> {
        let file = File::open(path).with_context(|| format!("opening {} (re-run with --restart)", path.display()))?;
        Ok(Run::File { path: path.to_path_buf(), lines: BufReader::new(file).lines(), line: 0 })
    }
}

/// Calls `emit` with every finding of `sources` (each sorted) in sorted order; of equal keys, the earlier
/// source's first.
fn merge(mut sources: Vec<Run>, mut emit: impl FnMut(Finding) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut current: Vec<Option<Finding>> = Vec::with_capacity(sources.len());
    let mut heap: BinaryHeap<Reverse<(FindingSortKey, usize)>> = BinaryHeap::with_capacity(sources.len());
    for (i, s) in sources.iter_mut().enumerate() {
        let f = s.next()?;
        if let Some(f) = &f {
            heap.push(Reverse((finding_sort_key(f), i)));
        }
        current.push(f);
    }
    while let Some(Reverse((_, i))) = heap.pop() {
        let f = current[i].take().expect("a run in the heap holds its next finding");
        if let Some(next) = sources[i].next()? {
            heap.push(Reverse((finding_sort_key(&next), i)));
            current[i] = Some(next);
        }
        emit(f)?;
    }
    Ok(())
}

/// `runs` merged in groups of `fan_in` into runs in `scratch` until at most `fan_in` − 1 are left (one more
/// is open beside them in the final merge); groups are contiguous, so ties still go to the earlier run.
fn reduce_runs(runs: &[PathBuf], scratch: &Path, fan_in: usize) -> anyhow::Result<Vec<PathBuf>> {
    let fan_in = fan_in.max(2);
    let mut level: Vec<PathBuf> = runs.to_vec();
    let mut depth = 0;
    while level.len() >= fan_in {
        std::fs::create_dir_all(scratch).with_context(|| format!("creating {}", scratch.display()))?;
        let mut next = Vec::with_capacity(level.len().div_ceil(fan_in));
        for (g, group) in level.chunks(fan_in).enumerate() {
            let path = scratch.join(format!("merge-{depth}-{g:05}.jsonl"));
            let sources = group.iter().map(|p| Run::open(p)).collect::<anyhow::Result<Vec<_>>>()?;
            let file = File::create(&path).with_context(|| format!("writing {}", path.display()))?;
            let mut w = BufWriter::new(file);
            merge(sources, |f| {
                serde_json::to_writer(&mut w, &f)?;
                w.write_all(b"\n")?;
                Ok(())
            })
            .with_context(|| format!("writing {}", path.display()))?;
            w.flush().with_context(|| format!("writing {}", path.display()))?;
            next.push(path);
        }
        if depth > 0 {
            for p in &level {
                std::fs::remove_file(p).ok();
            }
        }
        level = next;
        depth += 1;
    }
    Ok(level)
}

/// Merges `first` (sorted) and the sorted runs in `runs` (files from [`write_run`], in order), writes every
/// finding to `json` (pretty JSON array, the bytes of `serde_json::to_string_pretty` of the whole plus a
/// newline) and `parquet`, each through a temporary file renamed at the end, and returns the counts, the
/// `keep_top` most severe and, with `keep_all`, every finding. Intermediate runs (more than [`FAN_IN`] runs)
/// go to `scratch`, removed at the end.
pub fn merge_and_write(
    first: Vec<Finding>,
    runs: &[PathBuf],
    scratch: &Path,
    json: &Path,
    parquet: &Path,
    keep_top: usize,
    keep_all: bool,
) -> anyhow::Result<Merged> {
    merge_and_write_with(first, runs, scratch, FAN_IN, json, parquet, keep_top, keep_all)
}

#[allow(clippy::too_many_arguments)]
fn merge_and_write_with(
    first: Vec<Finding>,
    runs: &[PathBuf],
    scratch: &Path,
    fan_in: usize,
    json: &Path,
    parquet: &Path,
    keep_top: usize,
    keep_all: bool,
) -> anyhow::Result<Merged> {
    let _ = std::fs::remove_dir_all(scratch);
    let runs = reduce_runs(runs, scratch, fan_in)?;
    let mut sources = Vec::with_capacity(runs.len() + 1);
    sources.push(Run::Memory(first.into_iter()));
    for path in &runs {
        sources.push(Run::open(path)?);
    }

    let json_tmp = temporary(json);
    let parquet_tmp = temporary(parquet);
    let file = File::create(&json_tmp).with_context(|| format!("writing {}", json_tmp.display()))?;
    let mut writer = BufWriter::new(file);
    let mut table = FindingsParquetWriter::create(&parquet_tmp)?;
    let mut by_code: BTreeMap<String, CodeCount> = BTreeMap::new();
    let mut top: Vec<Finding> = Vec::new();
    let mut cutoff: Option<Finding> = None;
    let mut all = keep_all.then(Vec::new);
    let mut total = 0usize;
    {
        let mut ser = serde_json::Serializer::pretty(&mut writer);
        let mut seq = ser.serialize_seq(None).with_context(|| format!("writing {}", json_tmp.display()))?;
        merge(sources, |f| {
            seq.serialize_element(&f).with_context(|| format!("writing {}", json_tmp.display()))?;
            table.push(&f)?;
            total += 1;
            count(&mut by_code, &f);
            // A finding not ranked strictly before the last one kept at the latest trim cannot be shown (of
            // equal rank the earlier stays): it is not copied.
            if keep_top > 0 && cutoff.as_ref().is_none_or(|c| rank_order(&f, c).is_lt()) {
                top.push(f.clone());
                if top.len() >= 2 * keep_top {
                    keep_first(&mut top, keep_top);
                    cutoff = top.last().cloned();
                }
            }
            if let Some(all) = &mut all {
                all.push(f);
            }
            Ok(())
        })?;
        seq.end().with_context(|| format!("writing {}", json_tmp.display()))?;
    }
    writer.write_all(b"\n")?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all().with_context(|| format!("writing {}", json_tmp.display()))?;
    table.finish()?;
    std::fs::rename(&json_tmp, json)
        .with_context(|| format!("renaming {} to {}", json_tmp.display(), json.display()))?;
    std::fs::rename(&parquet_tmp, parquet)
        .with_context(|| format!("renaming {} to {}", parquet_tmp.display(), parquet.display()))?;
    let _ = std::fs::remove_dir_all(scratch);
    keep_first(&mut top, keep_top);
    Ok(Merged { total, by_code: by_code.into_values().collect(), top, all })
}

/// Report order, then the first `n` (the sort is stable: of equal rank, the earlier written stays first).
fn keep_first(top: &mut Vec<Finding>, n: usize) {
    top.sort_by(rank_order);
    top.truncate(n);
}

fn count(map: &mut BTreeMap<String, CodeCount>, f: &Finding) {
    let c = map.entry(f.code.clone()).or_insert_with(|| CodeCount { code: f.code.clone(), ..CodeCount::default() });
    match f.severity {
        Severity::High => c.high += 1,
        Severity::Medium => c.medium += 1,
        Severity::Low => c.low += 1,
        Severity::Info => c.info += 1,
    }
    c.total += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_model::{Evidence, Subject};

    /// Counts by code of findings held whole: what the merge's running counts must equal.
    fn count_by_code(findings: &[Finding]) -> Vec<CodeCount> {
        let mut map = BTreeMap::new();
        for f in findings {
            count(&mut map, f);
        }
        map.into_values().collect()
    }

    fn finding(code: &str, work: &str, severity: Severity, score: f64, reason: &str) -> Finding {
        Finding {
            code: code.to_owned(),
            subject: Subject::Work { work_id: work.to_owned() },
            severity,
            score,
            reasons: vec![reason.to_owned()],
            evidence: vec![Evidence {
                kind: "work".to_owned(),
                work_id: Some(work.to_owned()),
                doi: Some(format!("10.1/{work}")),
                pmid: None,
                text: None,
            }],
        }
    }

    /// Findings of several codes, subjects and severities, with equal keys in different runs (a tie must go
    /// to the earlier run, as one stable sort would order them) and "quotes\n" in reasons.
    fn runs() -> Vec<Vec<Finding>> {
        let sev = [Severity::Info, Severity::Low, Severity::Medium, Severity::High];
        (0..5)
            .map(|r| {
                (0..40)
                    .map(|i| {
                        let code = ["BYL003", "TPL001", "BYL002", "RET001"][(i * 7 + r) % 4];
                        let work = format!("w{}", (i * 13 + r * 5) % 17);
                        let reason = if i % 9 == 0 { "same \"reason\"\nhere".to_owned() } else { format!("r{r}-{i}") };
                        finding(code, &work, sev[(i + r) % 4], ((i * 31 + r) % 10) as f64 / 10.0, &reason)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_merge_writes_the_bytes_of_one_sort_over_every_run() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut runs = runs();
        let mut first = runs.remove(0);
        sort_findings(&mut first);
        let mut expected: Vec<Finding> = first.clone();
        let mut paths = Vec::new();
        for (i, run) in runs.iter().enumerate() {
            expected.extend(run.iter().cloned());
            let path = dir.path().join(format!("{i}.jsonl"));
            write_run(&path, &mut run.clone())?;
            paths.push(path);
        }
        sort_findings(&mut expected);
        let json = dir.path().join("findings.json");
        let parquet = dir.path().join("findings.parquet");
        let scratch = dir.path().join("scratch");
        let merged = merge_and_write(first.clone(), &paths, &scratch, &json, &parquet, 7, true)?;

        let mut want = serde_json::to_string_pretty(&expected)?;
        want.push('\n');
        assert_eq!(std::fs::read_to_string(&json)?, want);
        // In levels (fan-in 2: four runs → two → one, then with the first), the same bytes; the parts' runs
        // stay, the intermediate ones are gone.
        let levels = dir.path().join("levels.json");
        let levels_pq = dir.path().join("levels.parquet");
        let again = merge_and_write_with(first, &paths, &scratch, 2, &levels, &levels_pq, 7, false)?;
        assert_eq!(std::fs::read_to_string(&levels)?, want);
        assert_eq!(std::fs::read(&levels_pq)?, std::fs::read(&parquet)?);
        assert_eq!((again.total, again.top.len()), (200, 7));
        assert!(paths.iter().all(|p| p.is_file()) && !scratch.exists());
        let reference = dir.path().join("reference.parquet");
        byline_corpus::write_findings_parquet(&expected, &reference)?;
        assert_eq!(std::fs::read(&parquet)?, std::fs::read(&reference)?);
        assert_eq!(merged.total, expected.len());
        assert_eq!(merged.all.as_deref(), Some(&expected[..]));
        assert_eq!(merged.by_code, count_by_code(&expected));
        assert_eq!(merged.by_code.iter().map(|c| c.total).sum::<usize>(), 200);
        let ranked: Vec<Finding> = byline_report::ranked_findings(&expected).into_iter().take(7).cloned().collect();
        assert_eq!(merged.top, ranked);
        assert!(!temporary(&json).exists() && !temporary(&parquet).exists());
        Ok(())
    }

    #[test]
    fn no_finding_is_an_empty_array_and_an_empty_table() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let empty = dir.path().join("0.jsonl");
        write_run(&empty, &mut [])?;
        let json = dir.path().join("findings.json");
        let merged = merge_and_write(
            Vec::new(),
            &[empty],
            &dir.path().join("s"),
            &json,
            &dir.path().join("findings.parquet"),
            3,
            false,
        )?;
        assert_eq!(std::fs::read_to_string(&json)?, "[]\n");
        assert_eq!((merged.total, merged.top.len(), merged.all.is_none()), (0, 0, true));
        Ok(())
    }

    #[test]
    fn a_broken_run_is_an_error_naming_its_file_and_line() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p1.findings.jsonl");
        let mut good = vec![finding("BYL003", "w1", Severity::Low, 0.5, "a")];
        write_run(&path, &mut good)?;
        let mut text = std::fs::read_to_string(&path)?;
        text.push_str("{\"code\": \"BYL0\n");
        std::fs::write(&path, text)?;
        let err = merge_and_write(
            Vec::new(),
            std::slice::from_ref(&path),
            &dir.path().join("s"),
            &dir.path().join("f.json"),
            &dir.path().join("f.parquet"),
            1,
            false,
        )
        .expect_err("a broken line is an error");
        let msg = format!("{err:#}");
        assert!(msg.contains("p1.findings.jsonl at line 2"), "{msg}");
        Ok(())
    }
}
