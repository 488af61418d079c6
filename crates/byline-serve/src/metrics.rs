//! Prometheus text exposition (format 0.0.4) of what the service did: requests by route and status,
//! latency histograms by route, verdicts, findings by code, rate-limited requests and index reloads.
//! Labels come from fixed sets (routes, statuses, codes the detectors emit), never from request data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Latency bucket upper bounds, seconds: a screen takes milliseconds against a warm index; the top buckets
/// catch queueing under load and the request timeout.
const LATENCY_BUCKETS_S: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; LATENCY_BUCKETS_S.len()],
    count: u64,
    sum_s: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(&'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    verdicts: BTreeMap<&'static str, u64>,
    findings: BTreeMap<String, u64>,
    rate_limited: BTreeMap<String, u64>,
    reloads: BTreeMap<&'static str, u64>,
}

/// The service's counters (one lock; a request takes it twice, for nanoseconds).
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn record_request(&self, route: &'static str, status: u16, elapsed: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests.entry((route, status)).or_default() += 1;
        let h = m.latency.entry(route).or_default();
        let s = elapsed.as_secs_f64();
        h.count += 1;
        h.sum_s += s;
        for (i, le) in LATENCY_BUCKETS_S.iter().enumerate() {
            if s <= *le {
                h.counts[i] += 1;
            }
        }
    }

    pub fn record_verdict(&self, verdict: &'static str, codes: impl Iterator<Item = String>) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.verdicts.entry(verdict).or_default() += 1;
        for code in codes {
            *m.findings.entry(code).or_default() += 1;
        }
    }

    pub fn record_rate_limited(&self, caller: &str) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.rate_limited.entry(caller.to_owned()).or_default() += 1;
    }

    pub fn record_reload(&self, ok: bool) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.reloads.entry(if ok { "ok" } else { "failed" }).or_default() += 1;
    }

    /// The exposition text, sorted (same counts, same bytes).
    pub fn render(&self, indexed_works: u64) -> String {
        let Ok(m) = self.inner.lock() else { return String::new() };
        let mut out = String::new();
        let _ = writeln!(out, "# HELP byline_requests_total Requests answered, by route and HTTP status.");
        let _ = writeln!(out, "# TYPE byline_requests_total counter");
        for ((route, status), n) in &m.requests {
            let _ = writeln!(out, "byline_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP byline_request_duration_seconds Time from request to response, by route.");
        let _ = writeln!(out, "# TYPE byline_request_duration_seconds histogram");
        for (route, h) in &m.latency {
            for (le, n) in LATENCY_BUCKETS_S.iter().zip(h.counts) {
                let _ = writeln!(out, "byline_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {n}");
            }
            let _ =
                writeln!(out, "byline_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "byline_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum_s);
            let _ = writeln!(out, "byline_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
        let _ = writeln!(out, "# HELP byline_verdicts_total Submissions screened, by verdict.");
        let _ = writeln!(out, "# TYPE byline_verdicts_total counter");
        for (verdict, n) in &m.verdicts {
            let _ = writeln!(out, "byline_verdicts_total{{verdict=\"{verdict}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP byline_findings_total Findings in screened submissions, by code.");
        let _ = writeln!(out, "# TYPE byline_findings_total counter");
        for (code, n) in &m.findings {
            let _ = writeln!(out, "byline_findings_total{{code=\"{}\"}} {n}", label_value(code));
        }
        let _ = writeln!(out, "# HELP byline_rate_limited_total Requests refused with 429, by token name.");
        let _ = writeln!(out, "# TYPE byline_rate_limited_total counter");
        for (caller, n) in &m.rate_limited {
            let _ = writeln!(out, "byline_rate_limited_total{{token=\"{}\"}} {n}", label_value(caller));
        }
        let _ =
            writeln!(out, "# HELP byline_index_reloads_total Index reloads (SIGHUP or /v1/admin/reload), by result.");
        let _ = writeln!(out, "# TYPE byline_index_reloads_total counter");
        for (result, n) in &m.reloads {
            let _ = writeln!(out, "byline_index_reloads_total{{result=\"{result}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP byline_index_works Works in the index being served.");
        let _ = writeln!(out, "# TYPE byline_index_works gauge");
        let _ = writeln!(out, "byline_index_works {indexed_works}");
        out
    }
}

/// A label value escaped as the exposition format requires (token names come from the operator's file).
fn label_value(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
