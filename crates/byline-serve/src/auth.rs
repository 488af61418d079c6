//! Who may call the service: bearer tokens from a TOML file, stored as SHA-256 hashes and compared in
//! constant time, each with its own rate limit (GCRA, `governor`).
//!
//! ```toml
//! [[token]]
//! name = "scholarone"          # appears in logs and metrics, never the token itself
//! sha256 = "9f86d0…"           # printf %s "$TOKEN" | sha256sum
//! per_minute = 600             # sustained requests per minute (default 600)
//! burst = 60                   # requests allowed at once above the sustained rate (default per_minute / 10)
//! admin = false                # may call POST /v1/admin/reload (default false)
//! ```

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Error, Result};

/// Sustained requests per minute when a token entry gives none: ten a second, far above one editorial
/// system's manuscript arrivals, low enough that one runaway client cannot take the service's two cores.
pub const DEFAULT_PER_MINUTE: u32 = 600;

/// The token file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFile {
    #[serde(rename = "token", default)]
    tokens: Vec<TokenEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenEntry {
    name: String,
    sha256: String,
    #[serde(default)]
    per_minute: Option<u32>,
    #[serde(default)]
    burst: Option<u32>,
    #[serde(default)]
    admin: bool,
}

/// A caller the token file knows.
pub struct Caller {
    pub name: String,
    pub admin: bool,
    hash: [u8; 32],
    limiter: DefaultDirectRateLimiter,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller").field("name", &self.name).field("admin", &self.admin).finish_non_exhaustive()
    }
}

impl Caller {
    /// Takes one request from the caller's budget; `Err(wait)` when it is spent (answer 429, `Retry-After`).
    pub fn check_rate(&self) -> std::result::Result<(), Duration> {
        self.limiter.check().map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The callers of a token file.
#[derive(Debug)]
pub struct TokenTable {
    callers: Vec<Caller>,
}

impl TokenTable {
    pub fn from_path(path: &Path) -> Result<TokenTable> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        TokenTable::from_toml_str(&text).map_err(|e| Error::Tokens(format!("{}: {e}", path.display())))
    }

    /// Parses a token file; an entry without a valid SHA-256 hex digest, a duplicate name or hash, or a file
    /// with no entry is an error (a service that silently accepts nobody, or anybody, is worse than none).
    pub fn from_toml_str(text: &str) -> Result<TokenTable> {
        let file: TokenFile = toml::from_str(text).map_err(|e| Error::Tokens(e.to_string()))?;
        if file.tokens.is_empty() {
            return Err(Error::Tokens("no [[token]] entry".to_owned()));
        }
        let mut callers: Vec<Caller> = Vec::new();
        for entry in file.tokens {
            let hash = parse_sha256(&entry.sha256).ok_or_else(|| {
                Error::Tokens(format!(
                    "token '{}': sha256 must be 64 hex digits (printf %s \"$TOKEN\" | sha256sum)",
                    entry.name
                ))
            })?;
            if callers.iter().any(|c| c.name == entry.name || c.hash == hash) {
                return Err(Error::Tokens(format!("token '{}': name or hash given twice", entry.name)));
            }
            let per_minute = entry.per_minute.unwrap_or(DEFAULT_PER_MINUTE);
            let per_minute = NonZeroU32::new(per_minute)
                .ok_or_else(|| Error::Tokens(format!("token '{}': per_minute must be at least 1", entry.name)))?;
            let burst = entry.burst.unwrap_or((per_minute.get() / 10).max(1));
            let burst = NonZeroU32::new(burst)
                .ok_or_else(|| Error::Tokens(format!("token '{}': burst must be at least 1", entry.name)))?;
            callers.push(Caller {
                name: entry.name,
                admin: entry.admin,
                hash,
                limiter: RateLimiter::direct(Quota::per_minute(per_minute).allow_burst(burst)),
            });
        }
        Ok(TokenTable { callers })
    }

    /// The caller whose token this is. The presented token is hashed and compared with every entry in
    /// constant time, so neither the comparison nor the position of the match leaks the token's bytes.
    pub fn authenticate(&self, presented: &str) -> Option<&Caller> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for caller in &self.callers {
            if bool::from(caller.hash.ct_eq(&digest)) {
                found = Some(caller);
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.callers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.callers.is_empty()
    }
}

/// The hex SHA-256 digest of a token (what the token file stores).
pub fn token_sha256_hex(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_sha256(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_found_by_its_hash_and_a_wrong_one_is_not() {
        let file = format!(
            "[[token]]\nname = \"ojs\"\nsha256 = \"{}\"\n[[token]]\nname = \"ops\"\nsha256 = \"{}\"\nadmin = true\n",
            token_sha256_hex("s3cret-ojs"),
            token_sha256_hex("s3cret-ops")
        );
        let table = TokenTable::from_toml_str(&file).expect("valid token file");
        assert_eq!(table.authenticate("s3cret-ojs").map(|c| c.name.as_str()), Some("ojs"));
        assert!(table.authenticate("s3cret-ops").is_some_and(|c| c.admin));
        assert!(table.authenticate("s3cret-oj").is_none());
        assert!(table.authenticate("").is_none());
    }

    #[test]
    fn a_bad_digest_or_an_empty_file_is_refused() {
        assert!(TokenTable::from_toml_str("").is_err());
        assert!(TokenTable::from_toml_str("[[token]]\nname = \"x\"\nsha256 = \"abc\"\n").is_err());
        let twice = format!(
            "[[token]]\nname = \"a\"\nsha256 = \"{0}\"\n[[token]]\nname = \"b\"\nsha256 = \"{0}\"\n",
            token_sha256_hex("t")
        );
        assert!(TokenTable::from_toml_str(&twice).is_err());
    }

    #[test]
    fn the_burst_is_spent_then_the_caller_waits() {
        let file =
            format!("[[token]]\nname = \"a\"\nsha256 = \"{}\"\nper_minute = 60\nburst = 2\n", token_sha256_hex("t"));
        let table = TokenTable::from_toml_str(&file).expect("valid token file");
        let caller = table.authenticate("t").expect("known token");
        assert!(caller.check_rate().is_ok());
        assert!(caller.check_rate().is_ok());
        let wait = caller.check_rate().expect_err("third request within the burst window");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
    }
}
