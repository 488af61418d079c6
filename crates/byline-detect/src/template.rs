//! Template families (`TPL001`): texts that share one skeleton once the slot words are masked.
//!
//! Pipeline: title + abstract → tokens → slot words masked ([`SlotMasker`]: a shipped dictionary of diseases,
//! cell lines and materials plus shape rules for gene/miRNA/ncRNA symbols, chemical formulas and numbers) →
//! word shingles → MinHash signature ([`crate::minhash`]) → LSH candidates → verified pairs → union-find
//! families. Memory is bounded by the signatures (k × 2 bytes a work); token lists are never kept for the
//! corpus.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use byline_model::{Evidence, Finding, Severity, Subject, Work};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::detector::{Detection, Detector, Scope};
pub use crate::family::{Family, FamilyMember};
use crate::minhash::{self, MinHashParams, UnionFind};
use crate::text::{fmix64, hash_bytes, title_abstract, tokens};
use crate::tortured::venue_name;

/// The shipped masking dictionary (`data/slot_dictionary.tsv`).
pub const SHIPPED_SLOT_DICTIONARY: &str = include_str!("../data/slot_dictionary.tsv");

/// Family-detection options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FamilyParams {
    pub minhash: MinHashParams,
    /// Texts with fewer tokens are not indexed: title-only records ("Editorial", "Erratum") would otherwise
    /// form spurious families. 40 tokens ≈ a title plus two sentences.
    pub min_tokens: usize,
    /// Smallest family reported.
    pub min_family_size: usize,
}

impl Default for FamilyParams {
    fn default() -> Self {
        FamilyParams { minhash: MinHashParams::default(), min_tokens: 40, min_family_size: 2 }
    }
}

/// Masks slot words. Built once, shared across threads.
#[derive(Debug, Clone)]
pub struct SlotMasker {
    /// First token → (phrase tokens, mask), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, &'static str)>>,
    method_phrases: HashMap<String, Vec<Vec<String>>>,
}

impl Default for SlotMasker {
    fn default() -> Self {
        SlotMasker::from_dictionary(SHIPPED_SLOT_DICTIONARY)
    }
}

impl SlotMasker {
    /// A masker from a dictionary in the `data/slot_dictionary.tsv` format.
    pub fn from_dictionary(text: &str) -> SlotMasker {
        let mut phrases: HashMap<String, Vec<(Vec<String>, &'static str)>> = HashMap::new();
        let mut method_phrases: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let Some((class, phrase)) = line.split_once('\t') else { continue };
            let toks: Vec<String> = tokens(phrase).map(str::to_lowercase).collect();
            let Some(first) = toks.first().cloned() else { continue };
            let mask = match class.trim() {
                "disease" => "<disease>",
                "cell" => "<cell>",
                "material" => "<material>",
                "method" => {
                    method_phrases.entry(first).or_default().push(toks);
                    continue;
                }
                _ => "<slot>",
            };
            phrases.entry(first).or_default().push((toks, mask));
        }
        for v in phrases.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        SlotMasker { phrases, method_phrases }
    }

    /// Masked, lower-cased tokens of `text`.
    pub fn mask(&self, text: &str) -> Vec<String> {
        let raw: Vec<&str> = tokens(text).collect();
        let lower: Vec<String> = raw.iter().map(|t| t.to_lowercase()).collect();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if let Some(cands) = self.phrases.get(&lower[i])
                && let Some((p, mask)) =
                    cands.iter().find(|(p, _)| i + p.len() <= lower.len() && lower[i..i + p.len()] == p[..])
            {
                out.push((*mask).to_owned());
                i += p.len();
                continue;
            }
            out.push(shape_mask(raw[i], &lower[i]).map_or_else(|| lower[i].clone(), str::to_owned));
            i += 1;
        }
        out
    }

    /// How many stock-assay phrases (`method` class) the text names (a classifier feature).
    pub fn count_methods(&self, text: &str) -> usize {
        let lower: Vec<String> = tokens(text).map(str::to_lowercase).collect();
        let mut n = 0;
        for i in 0..lower.len() {
            if let Some(cands) = self.method_phrases.get(&lower[i])
                && cands.iter().any(|p| i + p.len() <= lower.len() && lower[i..i + p.len()] == p[..])
            {
                n += 1;
            }
        }
        n
    }
}

/// Shape rules: numbers, miRNAs, non-coding RNAs, and symbols (letters mixed with digits, or upper case runs).
fn shape_mask(raw: &str, lower: &str) -> Option<&'static str> {
    let has_digit = raw.chars().any(|c| c.is_ascii_digit());
    let has_alpha = raw.chars().any(char::is_alphabetic);
    if !has_alpha {
        return has_digit.then_some("<num>");
    }
    if lower.starts_with("mir-")
        || lower.starts_with("mir") && lower[3..].chars().next().is_some_and(|c| c.is_ascii_digit())
        || lower.starts_with("microrna-")
        || lower.starts_with("hsa-")
        || lower.starts_with("let-7")
    {
        return Some("<mirna>");
    }
    if has_digit
        && (lower.starts_with("circ")
            || lower.starts_with("linc")
            || lower.starts_with("lnc")
            || lower.contains("_circ"))
    {
        return Some("<ncrna>");
    }
    let upper = raw.chars().filter(|c| c.is_uppercase()).count();
    if has_digit {
        return Some("<sym>");
    }
    let first_lower = raw.chars().next().is_some_and(char::is_lowercase);
    if upper >= 2 && (upper * 2 >= raw.chars().filter(|c| c.is_alphabetic()).count() || first_lower) {
        return Some("<sym>");
    }
    None
}

/// Finds template families in `works`.
pub fn find_families(works: &[Work], params: &FamilyParams) -> Vec<Family> {
    let masker = SlotMasker::default();
    let sig_params = params.minhash;
    let sigs: Vec<Option<Vec<u16>>> = works.par_iter().map(|w| family_signature(w, &masker, params)).collect();
    let mut signatures = minhash::Signatures::with_capacity(sig_params.num_perm, works.len());
    for s in &sigs {
        signatures.push(s.as_deref());
    }
    drop(sigs);
    let pairs = minhash::verified_pairs(&signatures, &sig_params);
    let mut uf = UnionFind::new(works.len());
    let mut sims: Vec<(u32, u32, f64)> = Vec::new();
    for (a, b, j) in pairs {
        if same_record(&works[a as usize], &works[b as usize]) {
            continue;
        }
        uf.union(a, b);
        sims.push((a, b, j));
    }
    let comps = uf.components(params.min_family_size.max(2));
    let mut sim_by_root: HashMap<u32, (f64, usize)> = HashMap::new();
    for (a, _, j) in &sims {
        let r = uf.find(*a);
        let e = sim_by_root.entry(r).or_insert((0.0, 0));
        e.0 += j;
        e.1 += 1;
    }
    let roots: Vec<u32> = comps.iter().map(|m| uf.find(m[0])).collect();
    let mut families: Vec<Family> = comps
        .par_iter()
        .zip(roots.par_iter())
        .map(|(members, root)| {
            let (sum, n) = sim_by_root.get(root).copied().unwrap_or((0.0, 0));
            build_family(works, members, &masker, &sig_params, if n == 0 { 0.0 } else { sum / n as f64 })
        })
        .collect();
    sort_families(&mut families);
    families
}

/// The signature a work is indexed by in [`find_families`]: its title and abstract with the slots masked,
/// `None` under `params.min_tokens` tokens. Public for callers that run the corpus-wide steps elsewhere (the
/// Spark job of `crates/byline-py`), so that they index exactly what a scan indexes.
pub fn family_signature(work: &Work, masker: &SlotMasker, params: &FamilyParams) -> Option<Vec<u16>> {
    let masked = masker.mask(&title_abstract(work));
    if masked.len() < params.min_tokens {
        return None;
    }
    let hashes = minhash::token_hashes(masked.iter().map(String::as_str), params.minhash.seed);
    minhash::signature(&hashes, &params.minhash)
}

/// The family [`find_families`] reports for one component: `members` in corpus order, `mean_similarity` the
/// mean verified similarity of the pairs that joined them (in corpus order of the pairs). For callers that
/// found the components themselves (the Spark job of `crates/byline-py`).
pub fn family_of(members: &[Work], mean_similarity: f64, params: &FamilyParams) -> Family {
    family_with(members, mean_similarity, params, &SlotMasker::default())
}

/// [`family_of`] with a masker built once by the caller (building one parses the dictionary).
pub fn family_with(members: &[Work], mean_similarity: f64, params: &FamilyParams, masker: &SlotMasker) -> Family {
    let idx: Vec<u32> = (0..members.len() as u32).collect();
    build_family(members, &idx, masker, &params.minhash, mean_similarity)
}

/// Families in the order [`find_families`] reports them: largest first, then by id.
pub fn sort_families(families: &mut [Family]) {
    families.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then_with(|| a.family_id.cmp(&b.family_id)));
}

/// Two records of the same work (same DOI or PMID, e.g. read from two sources) are not a family.
pub fn same_record(a: &Work, b: &Work) -> bool {
    same_ids((a.ids.doi.as_deref(), a.ids.pmid.as_deref()), (b.ids.doi.as_deref(), b.ids.pmid.as_deref()))
}

/// [`same_record`] on (DOI, PMID) pairs, for callers that keep only the ids.
pub fn same_ids(a: (Option<&str>, Option<&str>), b: (Option<&str>, Option<&str>)) -> bool {
    (a.0.is_some() && a.0 == b.0) || (a.1.is_some() && a.1 == b.1)
}

/// A normalized author key: family name + first initial, lower case, or the raw name.
pub fn author_key(a: &byline_model::Author) -> String {
    match (&a.family, &a.given) {
        (Some(f), g) => {
            let initial = g.as_deref().and_then(|g| g.chars().next()).map(|c| c.to_lowercase().to_string());
            format!("{} {}", f.to_lowercase(), initial.unwrap_or_default()).trim().to_owned()
        }
        _ => a.display_name().to_lowercase(),
    }
}

/// A normalized institution key: ROR id, else institution name, else the raw affiliation, lower case.
pub fn institution_key(af: &byline_model::Affiliation) -> String {
    if let Some(r) = &af.ror {
        return format!("ror:{r}");
    }
    let s = af.institution.as_deref().unwrap_or(&af.raw);
    crate::text::collapse_whitespace(&s.to_lowercase())
}

fn build_family(works: &[Work], idx: &[u32], masker: &SlotMasker, params: &MinHashParams, sim: f64) -> Family {
    let ws: Vec<&Work> = idx.iter().map(|i| &works[*i as usize]).collect();
    let mut ids: Vec<&str> = ws.iter().map(|w| w.work_id.as_str()).collect();
    ids.sort_unstable();
    let family_id = format!("tpl-{:012x}", hash_bytes(ids.join(",").as_bytes(), 7) >> 16);
    let members: Vec<FamilyMember> = ws
        .iter()
        .map(|w| FamilyMember {
            work_id: w.work_id.clone(),
            doi: w.ids.doi.clone(),
            pmid: w.ids.pmid.clone(),
            title: w.title.clone(),
            venue: venue_name(w),
            year: w.date.map(|d| d.year),
        })
        .collect();
    let mut venues: BTreeMap<String, usize> = BTreeMap::new();
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for m in &members {
        *venues.entry(m.venue.clone()).or_default() += 1;
        if let Some(y) = m.year {
            *years.entry(y).or_default() += 1;
        }
    }
    let mut author_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut inst_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut members_with_byline = 0;
    for w in &ws {
        if !w.authors.is_empty() {
            members_with_byline += 1;
        }
        let a: BTreeSet<String> = w.authors.iter().map(author_key).filter(|k| !k.is_empty()).collect();
        let i: BTreeSet<String> = w
            .authors
            .iter()
            .flat_map(|a| a.affiliations.iter().map(institution_key))
            .filter(|k| !k.is_empty())
            .collect();
        for k in a {
            *author_counts.entry(k).or_default() += 1;
        }
        for k in i {
            *inst_counts.entry(k).or_default() += 1;
        }
    }
    let shared_authors: Vec<String> = author_counts.iter().filter(|(_, c)| **c >= 2).map(|(k, _)| k.clone()).collect();
    let shared_institutions: Vec<String> =
        inst_counts.iter().filter(|(_, c)| **c >= 2).map(|(k, _)| k.clone()).collect();
    let strong = members_with_byline >= 2 && shared_authors.is_empty() && shared_institutions.is_empty();
    Family {
        family_id,
        skeleton: skeleton(&ws, masker, params),
        members,
        mean_similarity: sim,
        venues: venues.into_iter().collect(),
        years: years.into_iter().collect(),
        distinct_authors: author_counts.len(),
        distinct_institutions: inst_counts.len(),
        shared_authors,
        shared_institutions,
        members_with_byline,
        strong_papermill_pattern: strong,
    }
}

/// The first member's masked tokens, keeping those covered by a shingle that at least half the members share.
fn skeleton(ws: &[&Work], masker: &SlotMasker, params: &MinHashParams) -> String {
    let w = params.shingle_words.max(1);
    let masked: Vec<Vec<String>> = ws.iter().take(50).map(|x| masker.mask(&title_abstract(x))).collect();
    let shingle = |t: &[String]| -> u64 { t.iter().fold(0u64, |h, s| fmix64(h ^ hash_bytes(s.as_bytes(), 3))) };
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for m in &masked {
        let set: BTreeSet<u64> = m.windows(w.min(m.len().max(1))).map(shingle).collect();
        for s in set {
            *counts.entry(s).or_default() += 1;
        }
    }
    let need = masked.len().div_ceil(2).max(2);
    let Some(first) = masked.first() else { return String::new() };
    let mut keep = vec![false; first.len()];
    if first.len() >= w {
        for (i, win) in first.windows(w).enumerate() {
            if counts.get(&shingle(win)).copied().unwrap_or(0) >= need {
                keep[i..i + w].iter_mut().for_each(|k| *k = true);
            }
        }
    }
    let mut out = Vec::new();
    let mut gap = false;
    for (t, k) in first.iter().zip(&keep) {
        if *k {
            out.push(t.as_str());
            gap = false;
        } else if !gap {
            out.push("…");
            gap = true;
        }
    }
    out.join(" ")
}

/// `TPL001` findings for families.
pub fn family_findings(families: &[Family]) -> Vec<Finding> {
    families.iter().map(family_finding).collect()
}

fn family_finding(f: &Family) -> Finding {
    let n = f.members.len();
    let mut reasons = vec![format!(
        "{n} works share one skeleton once gene, miRNA, disease, cell-line, material and number slots are masked \
         (mean MinHash similarity {:.2}).",
        f.mean_similarity
    )];
    let venues: Vec<String> = f.venues.iter().map(|(v, c)| format!("{v} ({c})")).collect();
    let years: Vec<String> = f.years.iter().map(|(y, c)| format!("{y} ({c})")).collect();
    reasons.push(format!(
        "Venues: {}. Years: {}.",
        venues.join(", "),
        if years.is_empty() { "unknown".into() } else { years.join(", ") }
    ));
    let severity = if f.strong_papermill_pattern {
        reasons.push(format!(
            "Strong paper-mill pattern: the {} members with a byline share no author and no institution \
             ({} distinct authors, {} distinct institutions) — the same text under unrelated teams.",
            f.members_with_byline, f.distinct_authors, f.distinct_institutions
        ));
        if n >= 3 { Severity::High } else { Severity::Medium }
    } else if f.members_with_byline < 2 {
        reasons.push("Bylines unknown for most members: author/institution spread cannot be judged.".to_owned());
        Severity::Medium
    } else {
        reasons.push(format!(
            "Members share {} author(s) and {} institution(s): could be one team's duplicate or salami publication \
             rather than a mill.",
            f.shared_authors.len(),
            f.shared_institutions.len()
        ));
        Severity::Low
    };
    let excerpt: String = f.skeleton.chars().take(300).collect();
    reasons.push(format!("Skeleton: {excerpt}"));
    Finding {
        code: TemplateFamilies::CODE.to_owned(),
        subject: Subject::Family { family_id: f.family_id.clone() },
        severity,
        score: f.mean_similarity.clamp(0.0, 1.0),
        reasons,
        evidence: f
            .members
            .iter()
            .map(|m| Evidence {
                kind: "work".to_owned(),
                work_id: Some(m.work_id.clone()),
                doi: m.doi.clone(),
                pmid: m.pmid.clone(),
                text: m.title.clone(),
            })
            .collect(),
    }
}

/// ## What it does
/// Finds families of works whose titles and abstracts share one skeleton once slot words (genes, miRNAs,
/// diseases, cell lines, materials, numbers) are masked, using MinHash + LSH (no quadratic comparison), and
/// reports each family with its skeleton, members, venues, years and author/institution spread.
///
/// ## Why it matters
/// Paper mills sell manuscripts made from one template with the gene, miRNA or disease swapped (Byrne &
/// Labbé 2017; Bik et al. 2020). A family whose members share no author and no institution is the strong
/// paper-mill pattern.
///
/// ## Known false positives
/// Structured abstracts of trial protocols, consortium papers, corrected republications and the same work
/// read from two sources without a shared DOI/PMID; families whose members share authors may be a team's
/// own (duplicate or salami) publication.
///
/// ## Example
/// "miR-21 promotes proliferation of HeLa cells by targeting PTEN in cervical cancer" and "miR-155 promotes
/// proliferation of A549 cells by targeting SOCS1 in lung cancer" mask to the same skeleton.
#[derive(Debug, Clone, Copy, Default)]
pub struct TemplateFamilies {
    pub params: FamilyParams,
}

impl TemplateFamilies {
    pub const CODE: &'static str = "TPL001";
}

impl Detector for TemplateFamilies {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    fn name(&self) -> &'static str {
        "template-families"
    }
    fn scope(&self) -> Scope {
        Scope::Corpus
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        self.detect(works).findings
    }
    /// The families are found once: reported as they are and turned into `TPL001` findings.
    fn detect(&self, works: &[Work]) -> Detection {
        let families = find_families(works, &self.params);
        Detection { findings: family_findings(&families), families }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_hides_swapped_slots() {
        let m = SlotMasker::default();
        let a = m.mask("miR-21 promotes proliferation of HeLa cells by targeting PTEN in cervical cancer (n = 45)");
        let b = m.mask("miR-155 promotes proliferation of A549 cells by targeting SOCS1 in lung cancer (n = 12)");
        assert_eq!(a, b);
        assert!(a.contains(&"<mirna>".to_owned()) && a.contains(&"<disease>".to_owned()));
    }
}
