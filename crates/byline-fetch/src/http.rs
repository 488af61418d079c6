//! One polite HTTP client: a per-source rate limit, retries with backoff on 429 and 5xx that honour
//! `Retry-After`, a cap on body size, and redirects followed only within the same host.

use std::time::{Duration, Instant};

/// How the client behaves. The defaults are for the real APIs; tests shorten the waits.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Sent on every request. Crossref's etiquette asks for a `mailto:` in it (see `user_agent`).
    pub user_agent: String,
    /// A body larger than this is refused. 64 MB is ten times a full 200-work OpenAlex page.
    pub max_body_bytes: u64,
    /// Attempts per request (the first one and the retries after 429/5xx/transport errors).
    pub max_attempts: u32,
    /// The first backoff; doubled at each retry when the server sends no `Retry-After`.
    pub backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the request fails and says so (a rerun resumes).
    pub max_retry_after: Duration,
    /// Connect + whole-request timeout.
    pub timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            user_agent: user_agent(None),
            max_body_bytes: 64 * 1024 * 1024,
            max_attempts: 5,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(120),
            timeout: Duration::from_secs(60),
        }
    }
}

/// `byline/VERSION (+repository; mailto:ADDRESS)`: the form Crossref's REST API etiquette asks for, so the
/// operators can reach whoever runs the tool.
pub fn user_agent(mailto: Option<&str>) -> String {
    let base = format!("byline/{} (+{}", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY"));
    match mailto {
        Some(m) => format!("{base}; mailto:{m})"),
        None => format!("{base})"),
    }
}

/// At most one request per `min_interval` to one API.
#[derive(Debug)]
pub struct RateLimiter {
    min_interval: Duration,
    last: Option<Instant>,
}

impl RateLimiter {
    /// A limiter for `per_second` requests a second.
    pub fn per_second(per_second: u32) -> RateLimiter {
        RateLimiter { min_interval: Duration::from_secs(1) / per_second.max(1), last: None }
    }

    /// Sleeps until the next request may go out, and counts it.
    pub fn wait(&mut self) {
        if let Some(last) = self.last {
            let since = last.elapsed();
            if since < self.min_interval {
                std::thread::sleep(self.min_interval - since);
            }
        }
        self.last = Some(Instant::now());
    }
}

/// A response with status 200, its body read in full.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Retries it took (429/5xx/transport), for the summary.
    pub retries: u32,
}

/// Redirects followed per request (same host only).
const MAX_REDIRECTS: usize = 3;

/// The blocking client.
pub struct Client {
    agent: ureq::Agent,
    options: HttpOptions,
}

impl Client {
    pub fn new(options: HttpOptions) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(options.timeout))
            .user_agent(options.user_agent.as_str())
            .build();
        Client { agent: config.into(), options }
    }

    /// GETs `url` (waiting on `limiter` before each attempt); returns the 200 response or why there is none.
    pub fn get(&self, url: &str, accept: &str, limiter: &mut RateLimiter) -> Result<Response, String> {
        let origin = host_of(url).ok_or_else(|| format!("not an http(s) URL: {url}"))?.to_owned();
        let mut current = url.to_owned();
        let mut redirects = 0;
        let mut retries = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            limiter.wait();
            let result = self.agent.get(&current).header("Accept", accept).call();
            let mut response = match result {
                Ok(r) => r,
                Err(e) => {
                    if attempt >= self.options.max_attempts {
                        return Err(format!("{e} (after {attempt} attempts)"));
                    }
                    retries += 1;
                    std::thread::sleep(self.backoff(attempt));
                    continue;
                }
            };
            let status = response.status().as_u16();
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            match status {
                200 => {
                    let content_type = header("content-type");
                    let body =
                        response.body_mut().with_config().limit(self.options.max_body_bytes).read_to_vec().map_err(
                            |e| match e {
                                ureq::Error::BodyExceedsLimit(n) => {
                                    format!("the response body is larger than the {n}-byte limit; refused")
                                }
                                other => format!("reading the response body: {other}"),
                            },
                        )?;
                    return Ok(Response { status, content_type, body, retries });
                }
                301 | 302 | 303 | 307 | 308 => {
                    let location = header("location").ok_or_else(|| format!("HTTP {status} without a Location"))?;
                    let next = resolve(&current, &location);
                    match host_of(&next) {
                        Some(h) if h.eq_ignore_ascii_case(&origin) => {}
                        other => {
                            return Err(format!(
                                "HTTP {status}: redirected to another host ({}); not followed",
                                other.unwrap_or(&location)
                            ));
                        }
                    }
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(format!("more than {MAX_REDIRECTS} redirects"));
                    }
                    current = next;
                    attempt -= 1;
                }
                429 | 500..=599 => {
                    let wait = match header("retry-after").and_then(|v| v.trim().parse::<u64>().ok()) {
                        Some(s) => Duration::from_secs(s),
                        None => self.backoff(attempt),
                    };
                    if attempt >= self.options.max_attempts {
                        return Err(format!("HTTP {status} (after {attempt} attempts)"));
                    }
                    if wait > self.options.max_retry_after {
                        return Err(format!(
                            "HTTP {status}: the server asks to wait {} s, longer than {} s; rerun later (the cache \
                             keeps what was fetched)",
                            wait.as_secs(),
                            self.options.max_retry_after.as_secs()
                        ));
                    }
                    retries += 1;
                    std::thread::sleep(wait);
                }
                _ => {
                    let body = response.body_mut().with_config().limit(4096).read_to_vec().unwrap_or_default();
                    return Err(format!("HTTP {status}: {}", snippet(&body)));
                }
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.options.backoff * 2u32.saturating_pow(attempt.saturating_sub(1).min(8))
    }
}

/// The `host[:port]` of an `http(s)://` URL.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // No credentials in URLs (`user@host`): the part after '@' would be the real host.
    (!authority.is_empty() && !authority.contains('@')).then_some(authority)
}

/// A `Location` resolved against the URL it answered.
fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    if location.starts_with('/') {
        format!("{}{location}", &base[..path_start])
    } else {
        let dir_end = base.rfind('/').filter(|i| *i >= path_start).map(|i| i + 1).unwrap_or(base.len());
        format!("{}{location}", &base[..dir_end])
    }
}

/// The first line of an error body, short and printable.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() { "(empty body)".to_owned() } else { one_line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_refuses_credentials_and_other_schemes() {
        assert_eq!(host_of("https://api.openalex.org/works?x=1"), Some("api.openalex.org"));
        assert_eq!(host_of("http://127.0.0.1:8080"), Some("127.0.0.1:8080"));
        assert_eq!(host_of("https://evil@api.openalex.org/"), None);
        assert_eq!(host_of("ftp://x/"), None);
    }

    #[test]
    fn relative_locations_stay_on_the_host() {
        assert_eq!(resolve("http://h:1/a/b?c", "/x"), "http://h:1/x");
        assert_eq!(resolve("http://h:1/a/b", "y"), "http://h:1/a/y");
        assert_eq!(resolve("http://h:1/a", "https://o/z"), "https://o/z");
    }
}
