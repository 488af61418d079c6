//! `byline-bench serve`: `byline serve` under load on loopback, against `byline screen` run once per
//! submission in the same run (the baseline: what an editorial system does without the service).
//!
//! The suite starts `byline serve` as a child process on `127.0.0.1:0` (the first line it prints is the
//! address) with a token file of three tokens: `load` (a limit far above the run), `admin` (reload) and
//! `abuser` (60 a minute, burst 10). Then, each phase with fresh keep-alive connections and the server's peak
//! memory (`VmHWM`) reset before it:
//!
//! 1. **clients**: for each `--clients` count, that many threads post real submissions (the shared JATS
//!    articles, `BYLINE_SHARED_DATA`, default `../shared/data`, and generated JSON ones, half of them
//!    resubmissions of indexed works) until `--requests` were answered or `--phase-seconds` passed:
//!    throughput, p50/p99/p99.9 latency, errors (anything but 200, must be 0), the server's peak memory.
//! 2. **reload**: the same at 16 clients (for 3 s at least) while `POST /v1/admin/reload` reopens the index
//!    every second.
//! 3. **abuse**: the same at 16 clients while other threads send oversized bodies (declared and chunked),
//!    slowloris headers and slow bodies (a byte a second), bursts past the `abuser` token's limit, random
//!    bytes as a request and as a body. Their answers are counted by kind: any 5xx is a failure; 429s are
//!    expected. The well-behaved clients' p99 is compared with the clean phase at 16 clients.
//!
//! The server runs with `--header-timeout-s 5 --request-timeout-s 8` so that the slow clients are cut off
//! within the abuse phase. Every socket has a 60 s timeout and every phase a deadline: the suite stops by
//! itself. Without `--index`, an index is built (once, cached) from a generated corpus of `--size` works.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use byline_model::Format;
use byline_synth::corpus::{World, base_work};
use byline_synth::generate::{CorpusSpec, write_base_corpus};
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::{Args, Quality, cache_dir};
use byline_term::exit;
use byline_term::output::{OutputFormat, outln, print_json};

/// Concurrent clients of the reload and abuse phases.
pub const PHASE_CLIENTS: usize = 16;
/// Generated submissions posted besides the shared JATS articles.
pub const GENERATED_SUBMISSIONS: usize = 64;
/// Submissions screened one process each for the baseline (each costs a process start and an index open).
pub const BASELINE_SUBMISSIONS: usize = 24;
/// Header read timeout the bench gives the server (seconds): short, so slowloris clients are cut off in the run.
pub const HEADER_TIMEOUT_S: u64 = 5;
/// Request timeout the bench gives the server (seconds): slow bodies get their 408 within the run.
pub const REQUEST_TIMEOUT_S: u64 = 8;
/// The abuse phase lasts at least this long (bounded by `--phase-seconds`), so the timeouts above fire.
pub const ABUSE_SECONDS: u64 = 12;
/// The reload phase lasts at least this long, so that a small run sees reloads too.
pub const RELOAD_MIN_TIME: Duration = Duration::from_secs(3);
/// Socket read/write timeout of every client: nothing in the suite waits longer.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(60);

/// One measured load phase.
#[derive(Debug, Serialize)]
pub struct ServeRow {
    pub name: String,
    pub clients: usize,
    pub requests: u64,
    /// Answers other than 200, and failed connections: must be 0.
    pub errors: u64,
    pub wall_s: f64,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    /// The server's peak resident memory during the phase (`VmHWM`, reset before it).
    pub peak_rss_bytes: Option<u64>,
    /// Throughput over the baseline's (`byline screen`, one process per submission).
    pub ratio_to_baseline: f64,
}

/// What the abusive clients got, by kind.
#[derive(Debug, Default, Serialize)]
pub struct Abuse {
    /// Status codes (or `closed` / `timeout` / `io`) of each kind of abusive request.
    pub answers: BTreeMap<String, BTreeMap<String, u64>>,
    /// Answers with a 5xx status, any kind: must be 0.
    pub server_errors: u64,
}

#[derive(Debug, Serialize)]
pub struct ServeReport {
    pub suite: String,
    pub index: String,
    pub indexed_works: Option<u64>,
    pub submissions_jats: usize,
    pub submissions_generated: usize,
    pub baseline: String,
    pub baseline_s_per_submission: f64,
    pub rows: Vec<ServeRow>,
    pub reloads: u64,
    pub abuse: Abuse,
    pub quality: Vec<Quality>,
    pub notes: Vec<String>,
}

/// One submission body.
struct Body {
    /// A file `byline screen` reads (the baseline).
    path: PathBuf,
    content_type: &'static str,
    bytes: Vec<u8>,
}

/// The child `byline serve`, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }
    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5");
    }
    fn peak(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }
}

/// The `byline` binary the suite measures: `BYLINE_BIN` if set, else `byline` beside this executable (both
/// are built into the same target directory: `cargo build --release --bin byline --bin byline-bench`).
pub fn byline_exe() -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("BYLINE_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let me = std::env::current_exe().context("locating this executable")?;
    let exe = me.with_file_name(format!("byline{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(
        exe.is_file(),
        "the serve suite runs the `byline` binary, not found at {} (build it beside this one with `cargo build \
         --release --bin byline`, or set BYLINE_BIN)",
        exe.display()
    );
    Ok(exe)
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let report = measure(args, &byline_exe()?)?;
    match args.format {
        OutputFormat::Json => print_json(&report)?,
        OutputFormat::Text => print_report(&report, 1.0 / report.baseline_s_per_submission.max(1e-9)),
    }
    let missed = report.quality.iter().any(|q| !q.meets_bar);
    Ok(if missed { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}

/// Runs the suite against the `byline` binary `exe` (see [`byline_exe`]) and returns its report.
pub fn measure(args: &Args, exe: &Path) -> anyhow::Result<ServeReport> {
    anyhow::ensure!(!args.clients.is_empty() && args.clients.iter().all(|&c| c > 0), "--clients: counts above 0");
    anyhow::ensure!(args.requests > 0, "--requests must be above 0");
    let work = tempfile::tempdir()?;
    let index = match &args.index {
        Some(p) => p.clone(),
        None => generated_index(exe, &cache_dir(args), args.seed, args.size)?,
    };
    let (bodies, jats, skipped) = submissions(args.seed, work.path())?;
    anyhow::ensure!(!bodies.is_empty(), "no submission to post");
    let phase = Duration::from_secs(args.phase_seconds.max(1));
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!("{skipped} shared JATS files skipped: byline's readers take no record from them"));
    }

    // Baseline: one `byline screen` process per submission, as a submission system would call the CLI.
    let n_base = bodies.len().min(BASELINE_SUBMISSIONS);
    let step = (bodies.len() / n_base).max(1);
    let started = Instant::now();
    for b in bodies.iter().step_by(step).take(n_base) {
        let status = Command::new(exe)
            .arg("screen")
            .arg(&b.path)
            .arg("--index")
            .arg(&index)
            .args(["--format", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("running byline screen")?;
        anyhow::ensure!(
            matches!(status.code(), Some(0) | Some(3)),
            "byline screen {} exited {status}",
            b.path.display()
        );
    }
    let base_s = started.elapsed().as_secs_f64() / n_base as f64;
    let base_rps = 1.0 / base_s.max(1e-9);

    let tokens = Tokens::new(args.seed);
    let tokens_file = work.path().join("tokens.toml");
    std::fs::write(&tokens_file, tokens.toml())?;
    let server = start_server(exe, &index, &tokens_file, work.path())?;
    let indexed_works = ready_works(server.addr);

    let bodies = Arc::new(bodies);
    // Warm-up: every submission once, untimed (page cache, connection setup); must all be 200.
    let warm = load_phase(server.addr, &tokens.load, &bodies, 1, bodies.len() as u64, (Duration::ZERO, phase));
    anyhow::ensure!(warm.errors == 0, "warm-up: {} errors ({})", warm.errors, warm.error_kinds());

    let mut rows = Vec::new();
    let mut clean_p99_at_phase_clients = None;
    for &c in &args.clients {
        server.reset_peak();
        let r = load_phase(server.addr, &tokens.load, &bodies, c, args.requests, (Duration::ZERO, phase));
        if !r.error_kinds.is_empty() {
            notes.push(format!("{c} clients: errors {}", r.error_kinds()));
        }
        let row = r.row(&format!("byline serve, {c} clients"), c, server.peak(), base_rps);
        if c == PHASE_CLIENTS {
            clean_p99_at_phase_clients = Some(row.p99_ms);
        }
        rows.push(row);
    }

    // Reload: the same load while the index is reopened every second.
    server.reset_peak();
    let stop = Arc::new(AtomicBool::new(false));
    let reloads = Arc::new(AtomicU64::new(0));
    let reloader = {
        let (stop, reloads, addr, admin) = (stop.clone(), reloads.clone(), server.addr, tokens.admin.clone());
        std::thread::spawn(move || {
            let mut first = true;
            while first || !stop.load(Ordering::Relaxed) {
                first = false;
                std::thread::sleep(Duration::from_millis(300));
                let answer = Conn::new(addr).and_then(|mut c| c.request("POST", "/v1/admin/reload", &admin, None, b""));
                if matches!(answer, Ok((200, _))) {
                    reloads.fetch_add(1, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(700));
            }
        })
    };
    let r = load_phase(server.addr, &tokens.load, &bodies, PHASE_CLIENTS, args.requests, (RELOAD_MIN_TIME, phase));
    stop.store(true, Ordering::Relaxed);
    let _ = reloader.join();
    let reloads = reloads.load(Ordering::Relaxed);
    if !r.error_kinds.is_empty() {
        notes.push(format!("reload phase: errors {}", r.error_kinds()));
    }
    rows.push(r.row(
        &format!("byline serve, {PHASE_CLIENTS} clients, reload every 1 s ({reloads} reloads)"),
        PHASE_CLIENTS,
        server.peak(),
        base_rps,
    ));

    // Abuse: the same load, time-bound, while abusive clients hammer the same server.
    server.reset_peak();
    let abuse_time = Duration::from_secs(ABUSE_SECONDS.min(args.phase_seconds.max(1)));
    let abuse = Arc::new(Mutex::new(Abuse::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let abusers = spawn_abusers(server.addr, &tokens, &stop, &abuse, args.seed);
    let r = load_phase(server.addr, &tokens.load, &bodies, PHASE_CLIENTS, u64::MAX, (abuse_time, abuse_time));
    stop.store(true, Ordering::Relaxed);
    for a in abusers {
        let _ = a.join();
    }
    if !r.error_kinds.is_empty() {
        notes.push(format!("abuse phase: errors {}", r.error_kinds()));
    }
    let abuse_row = r.row(
        &format!("byline serve, {PHASE_CLIENTS} clients, under abuse (below)"),
        PHASE_CLIENTS,
        server.peak(),
        base_rps,
    );
    let abuse_p99 = abuse_row.p99_ms;
    rows.push(abuse_row);
    let still_ready = ready_works(server.addr).is_some();
    drop(server);
    let abuse = match Arc::try_unwrap(abuse) {
        Ok(m) => m.into_inner().unwrap_or_else(|p| p.into_inner()),
        Err(shared) => std::mem::take(&mut *shared.lock().unwrap_or_else(|p| p.into_inner())),
    };

    let errors: u64 = rows.iter().map(|r| r.errors).sum();
    let mut quality = vec![
        Quality::at_most("errors", errors as f64, 0.0),
        Quality::at_most("abuse_server_errors_5xx", abuse.server_errors as f64, 0.0),
        Quality::at_least("reloads_ok", reloads as f64, 1.0),
        Quality::at_least("ready_after_abuse", if still_ready { 1.0 } else { 0.0 }, 1.0),
    ];
    if let Some(clean) = clean_p99_at_phase_clients {
        quality.push(Quality::info("abuse_p99_over_clean_p99", abuse_p99 / clean.max(1e-9)));
    }
    notes.push(format!(
        "submissions: {jats} shared JATS articles and {} generated JSON ones (half resubmissions of generated \
         corpus works), posted round-robin; every request a new screen (no cache)",
        bodies.len() - jats
    ));
    notes.push(format!(
        "baseline: `byline screen FILE --index … --format json`, one process per submission, {n_base} \
         submissions in sequence: {:.1} ms each (process start + index open + screen)",
        base_s * 1e3
    ));
    notes.push(format!(
        "server: `byline serve --tokens … --header-timeout-s {HEADER_TIMEOUT_S} --request-timeout-s \
         {REQUEST_TIMEOUT_S}`, logs to a file; clients: blocking HTTP/1.1 keep-alive, one connection per thread, \
         same host"
    ));
    let report = ServeReport {
        suite: "serve".to_owned(),
        index: index.display().to_string(),
        indexed_works,
        submissions_jats: jats,
        submissions_generated: bodies.len() - jats,
        baseline: "byline screen, one process per submission".to_owned(),
        baseline_s_per_submission: base_s,
        rows,
        reloads,
        abuse,
        quality,
        notes,
    };
    Ok(report)
}

fn print_report(r: &ServeReport, base_rps: f64) {
    outln!("suite: serve   index: {} ({} works)", r.index, r.indexed_works.map_or("?".into(), |w| w.to_string()));
    outln!("baseline: {}", r.baseline);
    outln!(
        "{:<58} {:>7} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10}",
        "",
        "clients",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "peak MB",
        "× baseline"
    );
    outln!(
        "{:<58} {:>7} {:>8} {:>6} {:>9.1} {:>8.1} {:>8} {:>8} {:>8} {:>10.2}",
        r.baseline,
        1,
        "",
        0,
        base_rps,
        r.baseline_s_per_submission * 1e3,
        "",
        "",
        "",
        1.0
    );
    for row in &r.rows {
        outln!(
            "{:<58} {:>7} {:>8} {:>6} {:>9.1} {:>8.1} {:>8.1} {:>8.1} {:>8} {:>10.2}",
            row.name,
            row.clients,
            row.requests,
            row.errors,
            row.requests_per_s,
            row.p50_ms,
            row.p99_ms,
            row.p999_ms,
            row.peak_rss_bytes.map_or("?".into(), |b| format!("{:.0}", b as f64 / 1e6)),
            row.ratio_to_baseline
        );
    }
    for (kind, answers) in &r.abuse.answers {
        let shown: Vec<String> = answers.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        outln!("abuse {kind:<28} {}", shown.join(", "));
    }
    for q in &r.quality {
        let bar = match q.bar {
            Some(b) => format!("(bar {} {b})", if q.higher_is_better { "≥" } else { "≤" }),
            None => String::new(),
        };
        let mark = if q.meets_bar { "" } else { "  MISSED" };
        outln!("{:<36} {:>10.4} {bar}{mark}", q.name, q.value);
    }
    for n in &r.notes {
        outln!("note: {n}");
    }
}

/// `serve-seed{seed}-n{size}.bylidx` in the cache dir, built once: a corpus generated here, then `byline ingest`
/// and `byline index`.
fn generated_index(exe: &Path, cache: &Path, seed: u64, size: usize) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(cache)?;
    let index = cache.join(format!("serve-seed{seed}-n{size}.bylidx"));
    if index.is_file() {
        return Ok(index);
    }
    let scratch = tempfile::tempdir_in(cache)?;
    let (gen_dir, corpus) = (scratch.path().join("gen"), scratch.path().join("corpus"));
    let tmp = scratch.path().join("index.bylidx");
    // What `byline-bench generate --out GEN --works SIZE --seed SEED` writes.
    let spec = CorpusSpec {
        seed,
        works: size,
        records_per_file: 30_000,
        formats: vec![Format::Pubmed],
        gzip: true,
        plant_audit: 0,
        ..Default::default()
    };
    write_base_corpus(&spec, &gen_dir)?;
    let steps: [Vec<std::ffi::OsString>; 2] = [
        vec!["ingest".into(), gen_dir.into(), "--out".into(), corpus.clone().into(), "--quiet".into()],
        vec!["index".into(), "--corpus".into(), corpus.into(), "--out".into(), tmp.clone().into()],
    ];
    for step in &steps {
        let status = Command::new(exe).args(step).stdout(Stdio::null()).status()?;
        // ingest exits 3 when it finished with diagnostics: the corpus is complete.
        anyhow::ensure!(matches!(status.code(), Some(0) | Some(3)), "byline {:?} exited {status}", step[0]);
    }
    std::fs::rename(&tmp, &index)?;
    Ok(index)
}

/// The shared JATS articles (those byline's readers take a record from) and generated JSON submissions,
/// written to `dir` for the baseline. Returns (bodies, JATS count, JATS files skipped).
fn submissions(seed: u64, dir: &Path) -> anyhow::Result<(Vec<Body>, usize, usize)> {
    let shared = std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let mut bodies = Vec::new();
    let mut skipped = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("jats"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "xml")).collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path)?;
        let accepted = byline_serve::body_kind(Some("application/jats+xml"), &bytes)
            .and_then(|kind| byline_serve::work_from_body(kind, &bytes))
            .is_ok();
        if accepted {
            bodies.push(Body { path, content_type: "application/jats+xml", bytes });
        } else {
            skipped += 1;
        }
    }
    let jats = bodies.len();
    let world = World::new(seed, 10_000);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x0073_6572_7665);
    for i in 0..GENERATED_SUBMISSIONS {
        // Even: a work of the generated corpus resubmitted (a near-duplicate of an indexed work when the index
        // was built from the same seed); odd: a new generated work.
        let index = if i % 2 == 0 { rng.random_range(0..10_000) } else { 1_000_000_000 + i as u64 };
        let w = base_work(&world, seed, index, Format::Pubmed, "");
        let authors: Vec<serde_json::Value> = w
            .authors
            .iter()
            .map(|a| {
                serde_json::json!({
                    "name": a.display_name(),
                    "affiliations": a.affiliations.iter().map(|f| f.raw.clone()).collect::<Vec<_>>(),
                    "email": a.email,
                })
            })
            .collect();
        let json = serde_json::json!({
            "name": format!("generated-{i}"), "title": w.title, "abstract": w.abstract_text, "authors": authors
        });
        let bytes = serde_json::to_vec(&json)?;
        let path = dir.join(format!("generated-{i}.json"));
        std::fs::write(&path, &bytes)?;
        bodies.push(Body { path, content_type: "application/json", bytes });
    }
    Ok((bodies, jats, skipped))
}

/// Bearer tokens of the run (seeded: they guard a loopback server that lives as long as the run).
struct Tokens {
    load: String,
    admin: String,
    abuser: String,
}

impl Tokens {
    fn new(seed: u64) -> Tokens {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x746f_6b65_6e73);
        let mut token = || (0..32).map(|_| format!("{:02x}", rng.random::<u8>())).collect::<String>();
        Tokens { load: token(), admin: token(), abuser: token() }
    }
    fn toml(&self) -> String {
        let entry = |name: &str, token: &str, per_minute: u32, burst: u32, admin: bool| {
            format!(
                "[[token]]\nname = \"{name}\"\nsha256 = \"{}\"\nper_minute = {per_minute}\nburst = {burst}\nadmin = {admin}\n\n",
                byline_serve::token_sha256_hex(token)
            )
        };
        entry("load", &self.load, 100_000_000, 1_000_000, false)
            + &entry("admin", &self.admin, 600, 60, true)
            + &entry("abuser", &self.abuser, 60, 10, false)
    }
}

fn start_server(exe: &Path, index: &Path, tokens: &Path, dir: &Path) -> anyhow::Result<Server> {
    let log = dir.join("serve.log");
    let mut child = Command::new(exe)
        .arg("serve")
        .arg("--index")
        .arg(index)
        .arg("--tokens")
        .arg(tokens)
        .args(["--bind", "127.0.0.1:0"])
        .args(["--header-timeout-s", &HEADER_TIMEOUT_S.to_string()])
        .args(["--request-timeout-s", &REQUEST_TIMEOUT_S.to_string()])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .context("starting byline serve")?;
    let stdout = child.stdout.take().context("byline serve's stdout")?;
    let mut lines = BufReader::new(stdout);
    let mut first = String::new();
    lines.read_line(&mut first)?;
    // Keep reading its stdout so that it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let addr = first.trim().rsplit("http://").next().and_then(|a| a.parse::<SocketAddr>().ok());
    let Some(addr) = addr.filter(|a| a.ip().is_loopback()) else {
        let _ = child.kill();
        let _ = child.wait();
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        anyhow::bail!("byline serve did not start: {first:?} {}", tail.trim());
    };
    Ok(Server { child, addr })
}

/// `indexed_works` from `GET /readyz`, when the server answers 200.
fn ready_works(addr: SocketAddr) -> Option<u64> {
    let (status, body) = Conn::new(addr).ok()?.request("GET", "/readyz", "", None, b"").ok()?;
    let v: serde_json::Value = serde_json::from_slice(&body).ok().filter(|_| status == 200)?;
    v.get("indexed_works").and_then(|w| w.as_u64())
}

/// What one phase measured.
struct PhaseResult {
    latencies_ms: Vec<f64>,
    errors: u64,
    error_kinds: BTreeMap<String, u64>,
    wall_s: f64,
}

impl PhaseResult {
    fn row(&self, name: &str, clients: usize, peak: Option<u64>, base_rps: f64) -> ServeRow {
        let mut l = self.latencies_ms.clone();
        l.sort_by(f64::total_cmp);
        let q = |p: f64| {
            if l.is_empty() {
                return 0.0;
            }
            let rank = ((p * l.len() as f64).ceil() as usize).clamp(1, l.len());
            l[rank - 1]
        };
        let requests = l.len() as u64 + self.errors;
        let rps = l.len() as f64 / self.wall_s.max(1e-9);
        ServeRow {
            name: name.to_owned(),
            clients,
            requests,
            errors: self.errors,
            wall_s: self.wall_s,
            requests_per_s: rps,
            p50_ms: q(0.5),
            p99_ms: q(0.99),
            p999_ms: q(0.999),
            peak_rss_bytes: peak,
            ratio_to_baseline: rps / base_rps.max(1e-12),
        }
    }
    fn error_kinds(&self) -> String {
        let shown: Vec<String> = self.error_kinds.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        shown.join(", ")
    }
}

/// `clients` threads, each on its own keep-alive connection, post submissions round-robin until `requests`
/// were sent (and at least `min_time` passed) or `time` passed.
fn load_phase(
    addr: SocketAddr,
    token: &str,
    bodies: &Arc<Vec<Body>>,
    clients: usize,
    requests: u64,
    (min_time, time): (Duration, Duration),
) -> PhaseResult {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + time;
    let not_before = started + min_time.min(time);
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (next, bodies, token) = (next.clone(), bodies.clone(), token.to_owned());
            std::thread::Builder::new().stack_size(256 << 10).spawn(move || {
                let mut latencies = Vec::new();
                let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
                let mut conn: Option<Conn> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let now = Instant::now();
                    if (i >= requests && now >= not_before) || now >= deadline {
                        break;
                    }
                    let body = &bodies[(i % bodies.len() as u64) as usize];
                    let t = Instant::now();
                    let answer = match conn.as_mut() {
                        Some(c) => Ok(c),
                        None => Conn::new(addr).map(|c| conn.insert(c)),
                    }
                    .and_then(|c| c.request("POST", "/v1/screen", &token, Some(body.content_type), &body.bytes));
                    match answer {
                        Ok((200, _)) => latencies.push(t.elapsed().as_secs_f64() * 1e3),
                        Ok((status, _)) => *kinds.entry(format!("HTTP {status}")).or_default() += 1,
                        Err(e) => {
                            *kinds.entry(format!("{:?}", e.kind())).or_default() += 1;
                            conn = None;
                        }
                    }
                }
                (latencies, kinds)
            })
        })
        .collect();
    let mut result = PhaseResult { latencies_ms: Vec::new(), errors: 0, error_kinds: BTreeMap::new(), wall_s: 0.0 };
    for t in threads {
        match t.map_err(|e| e.to_string()).and_then(|h| h.join().map_err(|_| "client thread panicked".to_owned())) {
            Ok((latencies, kinds)) => {
                result.latencies_ms.extend(latencies);
                for (k, v) in kinds {
                    result.errors += v;
                    *result.error_kinds.entry(k).or_default() += v;
                }
            }
            Err(e) => {
                result.errors += 1;
                *result.error_kinds.entry(e).or_default() += 1;
            }
        }
    }
    result.wall_s = started.elapsed().as_secs_f64();
    result
}

/// A blocking HTTP/1.1 keep-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Conn {
    fn new(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, SOCKET_TIMEOUT)?;
        stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
        stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Conn { reader: BufReader::new(stream), addr })
    }

    fn stream(&mut self) -> &mut TcpStream {
        self.reader.get_mut()
    }

    /// Sends one request, reads the answer: (status, body).
    fn request(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n", self.addr, body.len());
        if !token.is_empty() {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        self.stream().write_all(&out)?;
        self.read_answer()
    }

    /// Reads one answer (Content-Length or chunked body).
    fn read_answer(&mut self) -> std::io::Result<(u16, Vec<u8>)> {
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before an answer"));
        }
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("status line"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(bad("closed in the headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
                if name == "content-length" {
                    length = value.parse::<usize>().ok();
                } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("chunk size"))?;
                let start = body.len();
                body.resize(start + size, 0);
                self.reader.read_exact(&mut body[start..])?;
                line.clear();
                self.reader.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        } else {
            self.reader.read_to_end(&mut body)?;
        }
        Ok((status, body))
    }
}

/// Abusive clients, each a thread looping until `stop`: their answers go into `abuse`.
fn spawn_abusers(
    addr: SocketAddr,
    tokens: &Tokens,
    stop: &Arc<AtomicBool>,
    abuse: &Arc<Mutex<Abuse>>,
    seed: u64,
) -> Vec<std::thread::JoinHandle<()>> {
    let record = {
        let abuse = abuse.clone();
        move |kind: &str, answer: std::io::Result<(u16, Vec<u8>)>| {
            let key = match answer {
                Ok((status, _)) => status.to_string(),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    "client timeout".to_owned()
                }
                Err(_) => "closed by server".to_owned(),
            };
            let mut a = abuse.lock().unwrap_or_else(|p| p.into_inner());
            if key.starts_with('5') {
                a.server_errors += 1;
            }
            *a.answers.entry(kind.to_owned()).or_default().entry(key).or_default() += 1;
        }
    };
    let mut handles = Vec::new();
    let token = tokens.load.clone();
    let abuser = tokens.abuser.clone();
    let pause = Duration::from_millis(200);

    // Oversized bodies: declared (Content-Length past the limit) and chunked (no length, streamed past it).
    {
        let (stop, record, token) = (stop.clone(), record.clone(), token.clone());
        handles.push(std::thread::spawn(move || {
            let big = vec![b'x'; 5 << 20];
            while !stop.load(Ordering::Relaxed) {
                let answer = Conn::new(addr).and_then(|mut c| {
                    // The server may answer 413 and close before the body is sent: a write error is expected.
                    let head = format!(
                        "POST /v1/screen HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        big.len()
                    );
                    c.stream().write_all(head.as_bytes())?;
                    let _ = c.stream().write_all(&big);
                    c.read_answer()
                });
                record("oversized body (5 MiB declared)", answer);
                let answer = Conn::new(addr).and_then(|mut c| {
                    let head = format!(
                        "POST /v1/screen HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    );
                    c.stream().write_all(head.as_bytes())?;
                    let chunk = format!("{:x}\r\n{}\r\n", 1 << 20, "y".repeat(1 << 20));
                    for _ in 0..6 {
                        if c.stream().write_all(chunk.as_bytes()).is_err() {
                            break;
                        }
                    }
                    let _ = c.stream().write_all(b"0\r\n\r\n");
                    c.read_answer()
                });
                record("oversized body (6 MiB chunked)", answer);
                std::thread::sleep(pause);
            }
        }));
    }
    // Slowloris: 32 connections sending their headers a byte a second; slow bodies: 8 a byte a second.
    for i in 0..40 {
        let (stop, record, token) = (stop.clone(), record.clone(), token.clone());
        handles.push(std::thread::spawn(move || {
            let slow_body = i >= 32;
            let kind = if slow_body { "slow body (1 byte/s)" } else { "slow headers (1 byte/s)" };
            while !stop.load(Ordering::Relaxed) {
                let answer = Conn::new(addr).and_then(|mut c| {
                    let head = if slow_body {
                        format!(
                            "POST /v1/screen HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                             Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                        )
                    } else {
                        String::new()
                    };
                    c.stream().write_all(head.as_bytes())?;
                    let drip: &[u8] =
                        if slow_body { b"{\"title\": \"slow\"" } else { b"POST /v1/screen HTTP/1.1\r\nX-Slow: aaaa" };
                    for &b in drip.iter().cycle() {
                        if stop.load(Ordering::Relaxed) {
                            return Err(std::io::Error::other("stopped"));
                        }
                        if c.stream().write_all(&[b]).is_err() {
                            break;
                        }
                        // A short read tells whether the server answered (or closed) meanwhile.
                        c.stream().set_read_timeout(Some(Duration::from_secs(1)))?;
                        let mut peek = [0u8; 1];
                        match c.stream().peek(&mut peek) {
                            Ok(_) => break,
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                                ) => {}
                            Err(_) => break,
                        }
                    }
                    c.stream().set_read_timeout(Some(SOCKET_TIMEOUT))?;
                    c.read_answer()
                });
                match answer {
                    Err(e) if e.to_string() == "stopped" => {
                        record(kind, Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "still open at the end")))
                    }
                    a => record(kind, a),
                }
            }
        }));
    }
    // Bursts past the abuser token's limit (60 a minute, burst 10): 50 at once, one connection, then a pause.
    {
        let (stop, record) = (stop.clone(), record.clone());
        handles.push(std::thread::spawn(move || {
            let body = br#"{"title": "A burst", "abstract": "Posted many times at once."}"#;
            while !stop.load(Ordering::Relaxed) {
                let mut conn = Conn::new(addr);
                for _ in 0..50 {
                    let answer = match conn.as_mut() {
                        Ok(c) => c.request("POST", "/v1/screen", &abuser, Some("application/json"), body),
                        Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
                    };
                    record("burst past the rate limit", answer);
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }));
    }
    // Random bytes: as a whole request, and as the body of a screen request (each content type).
    {
        let (stop, record, token) = (stop.clone(), record.clone(), token.clone());
        handles.push(std::thread::spawn(move || {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x7261_6e64);
            while !stop.load(Ordering::Relaxed) {
                let n = rng.random_range(1..20_000);
                let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
                let answer = Conn::new(addr).and_then(|mut c| {
                    c.stream().write_all(&bytes)?;
                    c.stream().shutdown(std::net::Shutdown::Write)?;
                    c.read_answer()
                });
                record("random bytes as a request", answer);
                for ct in [None, Some("application/json"), Some("application/jats+xml")] {
                    let answer = Conn::new(addr).and_then(|mut c| c.request("POST", "/v1/screen", &token, ct, &bytes));
                    record("random bytes as a body", answer);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }));
    }
    handles
}
