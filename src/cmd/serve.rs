//! `byline serve`: `byline screen` as an HTTP service for editorial systems (crates/byline-serve).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use byline_serve::{Limits, ServiceState, TokenTable};

use crate::output::{errln, outln};
use crate::progress::Context;

/// Serve screening over HTTP: `POST /v1/screen` takes one submission (JSON as `byline screen` takes it, or
/// JATS XML) and answers `byline screen --format json`'s verdict. Callers present a bearer token from
/// --tokens (stored as SHA-256 hashes, each with its own rate limit); without --tokens only loopback callers
/// are answered. SIGHUP (or `POST /v1/admin/reload`) reopens a rebuilt index without dropping requests;
/// SIGTERM/Ctrl-C drains requests in flight, then exits. TLS is left to a reverse proxy (README).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline serve --index corpus.bylidx\n  \
    byline serve --index corpus.bylidx --bind 0.0.0.0:8080 --tokens tokens.toml\n  \
    curl -s -H 'Content-Type: application/jats+xml' --data-binary @article.xml http://127.0.0.1:8080/v1/screen\n\n\
    Token file (tokens.toml), one entry per calling system:\n  \
    [[token]]\n  name = \"editorial-manager\"\n  sha256 = \"<printf %s \\\"$TOKEN\\\" | sha256sum>\"\n  \
    per_minute = 600\n  burst = 60\n  admin = false")]
pub struct Args {
    /// The corpus index (from `byline index`); reopened on SIGHUP.
    #[arg(long)]
    pub index: PathBuf,
    /// Address to listen on. Without --tokens it must be a loopback address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Token file (TOML): who may call, each token's rate limit and admin right.
    #[arg(long)]
    pub tokens: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = byline_serve::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Request timeout, in seconds (body upload included).
    #[arg(long, default_value_t = byline_serve::DEFAULT_REQUEST_TIMEOUT.as_secs())]
    pub request_timeout_s: u64,
    /// Time a client has to send its headers, in seconds (slow clients are cut off).
    #[arg(long, default_value_t = byline_serve::DEFAULT_HEADER_READ_TIMEOUT.as_secs())]
    pub header_timeout_s: u64,
    /// Submissions per batch request.
    #[arg(long, default_value_t = byline_serve::DEFAULT_MAX_BATCH)]
    pub max_batch: usize,
    /// Worker threads for connections (default: the cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Log lines as JSON (one object per request) instead of text.
    #[arg(long)]
    pub log_json: bool,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    init_logs(args.log_json);
    let tokens = match &args.tokens {
        Some(path) => Some(TokenTable::from_path(path)?),
        None if !args.bind.ip().is_loopback() => anyhow::bail!(
            "--bind {} is not a loopback address: give --tokens (a public service must know its callers)",
            args.bind
        ),
        None => None,
    };
    let limits = Limits {
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_secs(args.request_timeout_s.max(1)),
        header_read_timeout: Duration::from_secs(args.header_timeout_s.max(1)),
        max_batch: args.max_batch.max(1),
        ..Limits::default()
    };
    let state = ServiceState::open(&args.index, tokens, limits)
        .with_context(|| format!("opening {} (build it with `byline index`)", args.index.display()))?;
    let index = state.index();
    let (index_path, tokens) = (&args.index, &args.tokens);
    byline_serve::run(args.bind, state, args.threads, |local| {
        // Standard output carries one line, the address (tests and scripts bind port 0 and read it); the rest goes
        // to standard error, so a caller that reads the address and closes the pipe never stops the service.
        outln!("byline serve: listening on http://{local}");
        errln!(
            "  index {} ({} works{}{})",
            index_path.display(),
            index.work_count(),
            if index.lexicon().is_some() { ", tortured-phrase lexicon" } else { "" },
            if index.model().is_some() { ", classifier" } else { "" }
        );
        match tokens {
            Some(path) => errln!("  callers: bearer tokens from {} (rate-limited per token)", path.display()),
            None => errln!("  callers: no --tokens: loopback only, no authentication"),
        }
        errln!("  SIGHUP reopens the index; SIGTERM or Ctrl-C drains requests in flight and exits");
    })?;
    errln!("byline serve: stopped");
    Ok(ExitCode::SUCCESS)
}

fn init_logs(json: bool) {
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).with_ansi(false);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
