//! The on-disk cache of every response, keyed by request, so a second run and CI need no network.
//!
//! Layout: `<cache>/<source>/<key>.<ext>` holds a body exactly as received (after validation), and
//! `<key>.meta.json` beside it says what it is: source, URL, fetch time, content type, size. The key is a
//! stable hash of the URL with secrets and contact parameters taken out ([`cache_url`]), so a run with or
//! without an API key or `mailto` finds the same entries and no key is ever written to disk. The body is
//! written first and the meta file last (both by rename), so an entry exists only when complete.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{FetchError, io_err};

/// Query parameters left out of cache keys and of every URL written to disk.
pub const PRIVATE_PARAMS: &[&str] = &["api_key", "mailto", "email", "tool", "appid"];

/// What a cache entry holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `openalex`, `crossref`, `pubmed`, `orcid`, `kaken`, `researchmap`.
    pub source: String,
    /// The request, without [`PRIVATE_PARAMS`].
    pub url: String,
    /// Seconds since the Unix epoch when the response arrived.
    pub fetched_at_unix: u64,
    pub content_type: Option<String>,
    pub bytes: u64,
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// Opens (creating) a cache directory.
    pub fn open(dir: &Path) -> Result<Cache, FetchError> {
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        Ok(Cache { dir: dir.to_path_buf() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `url` of `source` and the path of its body, when cached.
    pub fn get(&self, source: &str, url: &str) -> Option<(Entry, PathBuf)> {
        let url = cache_url(url);
        let meta = self.meta_path(source, &url);
        let entry: Entry = serde_json::from_slice(&fs::read(&meta).ok()?).ok()?;
        // A hash collision or an edited file is a miss, never another request's body.
        if entry.url != url || entry.source != source {
            return None;
        }
        let ext = extension(entry.content_type.as_deref());
        let body = self.body_path(source, &url, ext);
        body.is_file().then_some((entry, body))
    }

    /// Stores a validated body; returns its entry and path.
    pub fn put(
        &self,
        source: &str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
        fetched_at_unix: u64,
    ) -> Result<(Entry, PathBuf), FetchError> {
        let url = cache_url(url);
        let dir = self.dir.join(source);
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let entry = Entry {
            source: source.to_owned(),
            url: url.clone(),
            fetched_at_unix,
            content_type: content_type.map(str::to_owned),
            bytes: body.len() as u64,
        };
        let body_path = self.body_path(source, &url, extension(content_type));
        write_atomic(&body_path, body)?;
        let meta = serde_json::to_vec_pretty(&entry).map_err(|e| FetchError::Invalid(e.to_string()))?;
        write_atomic(&self.meta_path(source, &url), &meta)?;
        Ok((entry, body_path))
    }

    fn stem(&self, source: &str, url: &str) -> PathBuf {
        self.dir.join(source).join(format!("{:016x}", byline_model::stable_hash64(url.as_bytes())))
    }

    fn meta_path(&self, source: &str, url: &str) -> PathBuf {
        self.stem(source, url).with_extension("meta.json")
    }

    fn body_path(&self, source: &str, url: &str, ext: &str) -> PathBuf {
        self.stem(source, url).with_extension(ext)
    }
}

/// `url` without [`PRIVATE_PARAMS`].
pub fn cache_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else { return url.to_owned() };
    let kept: Vec<&str> =
        query.split('&').filter(|p| !PRIVATE_PARAMS.contains(&p.split('=').next().unwrap_or_default())).collect();
    if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
}

/// `xml` for XML bodies (E-utilities), `json` otherwise.
fn extension(content_type: Option<&str>) -> &'static str {
    if content_type.is_some_and(|c| c.contains("xml")) { "xml" } else { "json" }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FetchError> {
    let tmp = path.with_extension("part");
    fs::write(&tmp, bytes).map_err(|e| io_err(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io_err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_leave_out_secrets_and_contact() {
        assert_eq!(cache_url("http://h/w?filter=x&mailto=a@b&api_key=K&cursor=*"), "http://h/w?filter=x&cursor=*");
        assert_eq!(cache_url("http://h/w?api_key=K"), "http://h/w");
        assert_eq!(cache_url("http://h/opensearch/?appid=K&qm=1&format=json"), "http://h/opensearch/?qm=1&format=json");
    }
}
