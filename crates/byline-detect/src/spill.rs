//! Sorting a scratch file of fixed-size records that may not fit in memory: read whole and sorted when it holds
//! at most [`SortLimits::run`] records, else sorted in runs of that many (each written beside the file), which
//! are then merged, [`SortLimits::fan_in`] at a time, in levels. Memory is one run and the merge's read buffers
//! ([`MERGE_BUFFERS`] shared by the runs merged at once), whatever the file's size. The template-family passes of
//! `byline scan` sort their candidate pairs with it, the index build its band tables.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A fixed-size record of a scratch file, little-endian.
pub trait Record: Copy + Ord + Send {
    const SIZE: usize;
    /// The record in `bytes` (exactly [`Record::SIZE`] long).
    fn decode(bytes: &[u8]) -> Self;
    fn write(&self, w: &mut impl Write) -> std::io::Result<()>;
}

/// Two u32: a candidate pair of texts.
impl Record for (u32, u32) {
    const SIZE: usize = 8;
    fn decode(b: &[u8]) -> Self {
        (u32::from_le_bytes([b[0], b[1], b[2], b[3]]), u32::from_le_bytes([b[4], b[5], b[6], b[7]]))
    }
    fn write(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(&self.0.to_le_bytes())?;
        w.write_all(&self.1.to_le_bytes())
    }
}

/// A u64 and a u32: a band key and a work.
impl Record for (u64, u32) {
    const SIZE: usize = 12;
    fn decode(b: &[u8]) -> Self {
        (
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            u32::from_le_bytes([b[8], b[9], b[10], b[11]]),
        )
    }
    fn write(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(&self.0.to_le_bytes())?;
        w.write_all(&self.1.to_le_bytes())
    }
}

/// How much of a file is sorted in memory at a time, and how many sorted runs are merged at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortLimits {
    /// Records sorted in memory at a time (and handed to the caller at a time).
    pub run: usize,
    /// Sorted runs merged at once (more are merged in levels).
    pub fan_in: usize,
}

/// Read buffers of a merge, shared among the runs merged at once.
pub const MERGE_BUFFERS: usize = 16 << 20;

fn with_path(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Calls `f` with each record of `path`, read through a buffer (never the whole file). A cut last record is an
/// error.
pub fn for_each_record<T: Record>(path: &Path, mut f: impl FnMut(T)) -> std::io::Result<()> {
    for_each_bytes(path, T::SIZE, |rec| f(T::decode(rec)))
}

/// Calls `f` with each `size`-byte record of `path` as bytes, for records that are not a [`Record`] (with a
/// float, say). A cut last record is an error naming the file, never dropped.
pub fn for_each_bytes(path: &Path, size: usize, mut f: impl FnMut(&[u8])) -> std::io::Result<()> {
    let file = File::open(path).map_err(|e| with_path(path, e))?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut rec = vec![0u8; size];
    while let Some(()) = read_record(&mut r, &mut rec).map_err(|e| with_path(path, e))? {
        f(&rec);
    }
    Ok(())
}

/// One record into `rec`; `None` at the end of the file, an error if the file ends within a record.
fn read_record(r: &mut impl Read, rec: &mut [u8]) -> std::io::Result<Option<()>> {
    let mut done = 0;
    while done < rec.len() {
        match r.read(&mut rec[done..]) {
            Ok(0) if done == 0 => return Ok(None),
            Ok(0) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("a record cut after {done} of {} bytes", rec.len()),
                ));
            }
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(()))
}

/// Writes `records` to `path` (created or truncated).
pub fn write_records<T: Record>(path: &Path, records: &[T]) -> std::io::Result<()> {
    let file = File::create(path).map_err(|e| with_path(path, e))?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    records.iter().try_for_each(|r| r.write(&mut w)).map_err(|e| with_path(path, e))?;
    w.into_inner().map_err(|e| with_path(path, e.into_error()))?;
    Ok(())
}

fn sort(buf: &mut Vec<impl Record>, dedup: bool) {
    buf.par_sort_unstable();
    if dedup {
        buf.dedup();
    }
}

/// Sorts `path` into runs of at most `limits.run` records written beside it (`<path>.run-N`), using `buf`.
fn sorted_runs<T: Record>(
    path: &Path,
    limits: &SortLimits,
    dedup: bool,
    buf: &mut Vec<T>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut runs = Vec::new();
    let mut error = None;
    buf.clear();
    let flush = |buf: &mut Vec<T>, runs: &mut Vec<PathBuf>| -> std::io::Result<()> {
        sort(buf, dedup);
        let run = path.with_extension(format!("run-{}", runs.len()));
        write_records(&run, buf)?;
        runs.push(run);
        buf.clear();
        Ok(())
    };
    for_each_record(path, |r| {
        buf.push(r);
        if buf.len() >= limits.run.max(1)
            && let Err(e) = flush(buf, &mut runs)
        {
            error.get_or_insert(e);
        }
    })?;
    if let Some(e) = error {
        return Err(e);
    }
    if !buf.is_empty() {
        flush(buf, &mut runs)?;
    }
    Ok(runs)
}

/// Merges sorted runs into one sorted stream (without repeats if `dedup`), calling `f` with each record.
fn merge_runs<T: Record, E: From<std::io::Error>>(
    runs: &[PathBuf],
    dedup: bool,
    mut f: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let capacity = (MERGE_BUFFERS / runs.len().max(1)).clamp(1 << 12, 1 << 20);
    let mut readers = runs
        .iter()
        .map(|p| File::open(p).map(|f| BufReader::with_capacity(capacity, f)).map_err(|e| with_path(p, e)))
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut rec = vec![0u8; T::SIZE];
    let mut next = |i: usize| -> std::io::Result<Option<T>> {
        Ok(read_record(&mut readers[i], &mut rec).map_err(|e| with_path(&runs[i], e))?.map(|()| T::decode(&rec)))
    };
    let mut heap = std::collections::BinaryHeap::new();
    for i in 0..runs.len() {
        if let Some(r) = next(i)? {
            heap.push(std::cmp::Reverse((r, i)));
        }
    }
    let mut last = None;
    while let Some(std::cmp::Reverse((r, i))) = heap.pop() {
        if !dedup || last != Some(r) {
            f(r)?;
            last = Some(r);
        }
        if let Some(q) = next(i)? {
            heap.push(std::cmp::Reverse((q, i)));
        }
    }
    Ok(())
}

/// The records of `path` (`count` of them, as written), sorted and, if `dedup`, without repeats, handed to
/// `sink` in order, at most `limits.run` at a time; `buf` is the one vector used (left empty). Runs and merged
/// runs are removed as they are used; `path` itself is left.
pub fn sorted<T: Record, E: From<std::io::Error>>(
    path: &Path,
    count: u64,
    limits: &SortLimits,
    dedup: bool,
    buf: &mut Vec<T>,
    mut sink: impl FnMut(&[T]) -> Result<(), E>,
) -> Result<(), E> {
    buf.clear();
    let run = limits.run.max(1);
    if count <= run as u64 {
        for_each_record(path, |r| buf.push(r))?;
        sort(buf, dedup);
        let result = sink(buf);
        buf.clear();
        return result;
    }
    let mut runs = sorted_runs(path, limits, dedup, buf)?;
    let fan_in = limits.fan_in.max(2);
    let mut level = 0;
    while runs.len() > fan_in {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(fan_in));
        for group in runs.chunks(fan_in) {
            let dest = path.with_extension(format!("merge-{level}-{}", merged.len()));
            let file = File::create(&dest).map_err(|e| with_path(&dest, e))?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            merge_runs(group, dedup, |r: T| r.write(&mut w).map_err(|e| with_path(&dest, e)))?;
            w.into_inner().map_err(|e| with_path(&dest, e.into_error()))?;
            group.iter().for_each(|r| drop(std::fs::remove_file(r)));
            merged.push(dest);
        }
        runs = merged;
        level += 1;
    }
    let mut result = merge_runs(&runs, dedup, |r| {
        buf.push(r);
        if buf.len() >= run {
            sink(buf)?;
            buf.clear();
        }
        Ok(())
    });
    if result.is_ok() && !buf.is_empty() {
        result = sink(buf);
    }
    buf.clear();
    runs.iter().for_each(|r| drop(std::fs::remove_file(r)));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers below a bound from a seeded generator.
    fn numbers(seed: u64) -> impl FnMut(u32) -> u32 {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        move |below| rng.random_range(0..below)
    }

    fn files_in(dir: &Path) -> std::io::Result<Vec<std::ffi::OsString>> {
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.file_name())).collect()
    }

    #[test]
    fn a_file_comes_out_sorted_in_memory_in_runs_and_in_levels() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut next = numbers(7);
        // Repeats within and across runs (a small range of values).
        let all: Vec<(u32, u32)> = (0..5_000).map(|_| (next(300), next(300))).collect();
        let path = dir.path().join("pairs.bin");
        write_records(&path, &all)?;
        for dedup in [true, false] {
            let mut expected = all.clone();
            expected.sort_unstable();
            if dedup {
                expected.dedup();
            }
            let limits = [
                SortLimits { run: 1 << 20, fan_in: 64 },
                SortLimits { run: 1_000, fan_in: 64 },
                SortLimits { run: 97, fan_in: 3 },
                SortLimits { run: 32, fan_in: 2 },
            ];
            for limits in limits {
                let (mut got, mut batches, mut buf) = (Vec::new(), 0, Vec::new());
                sorted(&path, all.len() as u64, &limits, dedup, &mut buf, |batch: &[(u32, u32)]| {
                    assert!(batch.len() <= limits.run, "{}", batch.len());
                    got.extend_from_slice(batch);
                    batches += 1;
                    std::io::Result::Ok(())
                })?;
                assert_eq!(got, expected, "{limits:?}");
                assert_eq!(batches, expected.len().div_ceil(limits.run), "{limits:?}");
                // Only the file is left: runs and merged runs are removed.
                assert_eq!(files_in(dir.path())?, vec![std::ffi::OsString::from("pairs.bin")], "{limits:?}");
            }
        }
        Ok(())
    }

    #[test]
    fn band_entries_sort_by_key_then_work() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut next = numbers(3);
        let all: Vec<(u64, u32)> = (0..1_000u32).map(|i| (u64::from(next(50)) << 40 | u64::from(next(7)), i)).collect();
        let path = dir.path().join("band");
        write_records(&path, &all)?;
        let mut expected = all.clone();
        expected.sort_unstable();
        let mut got = Vec::new();
        sorted(&path, 1_000, &SortLimits { run: 64, fan_in: 4 }, false, &mut Vec::new(), |b: &[(u64, u32)]| {
            got.extend_from_slice(b);
            std::io::Result::Ok(())
        })?;
        assert_eq!(got, expected);
        Ok(())
    }

    #[test]
    fn a_cut_record_is_an_error_naming_the_file() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("cut.bin");
        std::fs::write(&path, [1u8; 8 * 3 + 5])?;
        for limits in [SortLimits { run: 100, fan_in: 2 }, SortLimits { run: 1, fan_in: 2 }] {
            let err = sorted(&path, 4, &limits, true, &mut Vec::<(u32, u32)>::new(), |_| std::io::Result::Ok(()))
                .err()
                .map(|e| e.to_string());
            assert!(err.as_deref().is_some_and(|e| e.contains("cut.bin") && e.contains("cut after 5")), "{err:?}");
        }
        // Records that are not a `Record` (a float in them) are read by the same reader: the cut one is refused.
        let mut whole = 0;
        let err = for_each_bytes(&path, 16, |_| whole += 1).err().map(|e| e.to_string());
        assert_eq!(whole, 1);
        assert!(err.as_deref().is_some_and(|e| e.contains("cut.bin") && e.contains("cut after 13 of 16")), "{err:?}");
        // An error from the sink stops the sort and comes back.
        let ok = dir.path().join("ok.bin");
        write_records(&ok, &[(2u32, 1u32), (1, 1)])?;
        let err = sorted(&ok, 2, &SortLimits { run: 1, fan_in: 2 }, true, &mut Vec::new(), |_: &[(u32, u32)]| {
            Err(std::io::Error::other("sink refused"))
        });
        assert!(err.is_err_and(|e| e.to_string() == "sink refused"));
        Ok(())
    }
}
