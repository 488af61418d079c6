//! Identifier normalization: DOI, ORCID (with checksum), PMCID, ISSN, ROR.

/// Normalizes a DOI: strips resolver prefixes (`https://doi.org/`, `doi:`), trims, lower-cases.
/// Returns `None` when what remains does not look like a DOI (`10.` + registrant + `/` + suffix).
pub fn normalize_doi(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "dx.doi.org/",
        "doi:",
        "DOI:",
        "doi ",
        "DOI ",
    ] {
        // `get` and not `[..]`: a multi-byte character may straddle the prefix length.
        if let Some(head) = s.get(..prefix.len()).filter(|h| h.eq_ignore_ascii_case(prefix)) {
            s = s[head.len()..].trim_start();
            break;
        }
    }
    let s = s.trim_end_matches(['.', ',', ';']);
    let (registrant, suffix) = s.split_once('/')?;
    let digits = registrant.strip_prefix("10.")?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') || suffix.trim().is_empty() {
        return None;
    }
    if s.chars().any(char::is_whitespace) {
        return None;
    }
    Some(s.to_lowercase())
}

/// Validates and normalizes an ORCID iD (ISO 7064 11,2 checksum). Accepts the bare form, the URL form and
/// forms without hyphens. Returns `0000-0002-1825-0097` style, or `None` if malformed or the checksum fails.
pub fn normalize_orcid(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.rsplit('/').next().unwrap_or(s);
    let chars: Vec<char> = s.chars().filter(|c| *c != '-' && !c.is_whitespace()).collect();
    if chars.len() != 16 {
        return None;
    }
    let mut total: u32 = 0;
    for c in &chars[..15] {
        let d = c.to_digit(10)?;
        total = (total + d) * 2;
    }
    let remainder = total % 11;
    let result = (12 - remainder) % 11;
    let expected = if result == 10 { 'X' } else { char::from_digit(result, 10)? };
    if chars[15].to_ascii_uppercase() != expected {
        return None;
    }
    let mut out = String::with_capacity(19);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c.to_ascii_uppercase());
    }
    Some(out)
}

/// Normalizes a PMCID to `PMC` + digits.
pub fn normalize_pmcid(raw: &str) -> Option<String> {
    let s = raw.trim();
    let digits = match s.get(..3) {
        Some(head) if head.eq_ignore_ascii_case("pmc") => &s[3..],
        _ => s,
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("PMC{digits}"))
}

/// Normalizes an ISSN to `NNNN-NNNC` (upper-case check character); `None` if it is not 8 ISSN characters.
pub fn normalize_issn(raw: &str) -> Option<String> {
    let chars: Vec<char> = raw.trim().chars().filter(|c| *c != '-' && !c.is_whitespace()).collect();
    if chars.len() != 8 || !chars[..7].iter().all(char::is_ascii_digit) {
        return None;
    }
    let last = chars[7].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == 'X') {
        return None;
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[4..7].iter().collect();
    Some(format!("{head}-{tail}{last}"))
}

/// Normalizes a ROR id to its 9-character short form (`https://ror.org/05dxps055` → `05dxps055`).
pub fn normalize_ror(raw: &str) -> Option<String> {
    let s = raw.trim().trim_end_matches('/');
    let id = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
    if id.len() == 9 && id.starts_with('0') && id.chars().all(|c| c.is_ascii_alphanumeric()) { Some(id) } else { None }
}

/// FNV-1a 64-bit: a stable hash for ids (std's hasher is randomized and may change between releases).
pub fn stable_hash64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_loses_resolver_prefix_and_case() {
        assert_eq!(
            normalize_doi("https://doi.org/10.1371/Journal.PONE.0033693").as_deref(),
            Some("10.1371/journal.pone.0033693")
        );
        assert_eq!(normalize_doi("doi:10.1000/XYZ.").as_deref(), Some("10.1000/xyz"));
        assert_eq!(normalize_doi("not a doi"), None);
        assert_eq!(normalize_doi("10./x"), None);
    }

    #[test]
    fn doi_and_pmcid_survive_multibyte_characters_at_prefix_boundaries() {
        // Real DOIs from Crossref and a JATS reference list; the second once panicked on a byte slice.
        assert_eq!(normalize_doi("10.1049/ip‐gtd:20010431").as_deref(), Some("10.1049/ip‐gtd:20010431"));
        assert_eq!(normalize_doi("10.1093/nar/gk×1000").as_deref(), Some("10.1093/nar/gk×1000"));
        for s in ["×", "d×", "do×i:1", "https://doi.or×", "p×", "pm×1", "é12"] {
            let _ = normalize_doi(s);
            let _ = normalize_pmcid(s);
            let _ = normalize_issn(s);
            let _ = normalize_orcid(s);
            let _ = normalize_ror(s);
        }
    }

    #[test]
    fn orcid_checksum_accepts_known_ids() {
        // The ORCID documentation's own examples.
        assert_eq!(normalize_orcid("0000-0002-1825-0097").as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(normalize_orcid("https://orcid.org/0000-0001-5109-3700").as_deref(), Some("0000-0001-5109-3700"));
        assert_eq!(normalize_orcid("0000000218250097").as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(normalize_orcid("0000-0002-1694-233x").as_deref(), Some("0000-0002-1694-233X"));
    }

    #[test]
    fn orcid_checksum_rejects_transposed_digits() {
        assert_eq!(normalize_orcid("0000-0002-1825-0079"), None);
        assert_eq!(normalize_orcid("0000-0002-8125-0097"), None);
        assert_eq!(normalize_orcid("0000-0002-1825"), None);
    }

    #[test]
    fn issn_pmcid_ror_normalize() {
        assert_eq!(normalize_issn("1932 6203").as_deref(), Some("1932-6203"));
        assert_eq!(normalize_issn("0028-083x").as_deref(), Some("0028-083X"));
        assert_eq!(normalize_issn("12345"), None);
        assert_eq!(normalize_pmcid("pmc12345").as_deref(), Some("PMC12345"));
        assert_eq!(normalize_pmcid("12345").as_deref(), Some("PMC12345"));
        assert_eq!(normalize_ror("https://ror.org/05dxps055").as_deref(), Some("05dxps055"));
        assert_eq!(normalize_ror("ror.org/x"), None);
    }

    #[test]
    fn stable_hash_is_fnv1a() {
        // FNV-1a 64 reference values.
        assert_eq!(stable_hash64(b""), 0xcbf29ce484222325);
        assert_eq!(stable_hash64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
