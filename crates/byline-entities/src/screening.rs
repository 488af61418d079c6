//! Screening: explainable matching of affiliation strings against loaded lists.
//!
//! Every list name and alias is normalized ([`crate::text`]) and put in one Aho–Corasick automaton; an
//! affiliation is normalized the same way, segment by segment, and searched once — linear in the string,
//! whatever the number of aliases. A hit is then judged on its context, because a false accusation harms a
//! person and precision matters more than recall:
//!
//! - the alias is a whole segment ("…, Harbin Institute of Technology, Harbin, China"): [`WHOLE_SEGMENT_SCORE`];
//! - the alias is inside a segment next to unit words ("Beihang University School of Medicine"):
//!   [`IN_SEGMENT_SCORE`];
//! - the alias is the start of a longer name ("Beijing University" in "Beijing University *of Technology*",
//!   "Nanjing University" in "Nanjing University *of Science and Technology*", or followed by another
//!   organisation word): no match — that is another organisation;
//! - the list entry's country differs from the country the string names: no match;
//! - a bare acronym ("BIT", "CSU") is never a match on its own (too many institutions share them);
//! - a Chinese or Japanese name is judged on the run of CJK characters it stands in ([`cjk_context`]): the same
//!   rules, written for scripts without spaces — preceded in its run by other characters it is the tail of
//!   another name (`电子科技大学` in `杭州电子科技大学`), followed by a unit (`学院`, `系`, `研究所`, `医院`…) it keeps
//!   its meaning, followed by another organisation word (`大学`, `集团`) it is the start of another name.
//!   Traditional, simplified and Japanese forms of a name are one name ([`crate::text::fold_cjk_variant`]).
//!
//! Each match says which list, which entry, which alias and which part of the string, in a sentence.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use byline_model::{Evidence, Finding, Severity, Subject};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::affiliation::parse_affiliation;
use crate::lists::{ListConcern, ListEntry, ScreeningList};
use crate::text;

/// Default threshold for reporting a screening match.
pub const DEFAULT_SCREENING_THRESHOLD: f64 = 0.85;
/// The alias is a whole segment of the affiliation string.
pub const WHOLE_SEGMENT_SCORE: f64 = 1.0;
/// The alias sits inside a segment, next to unit words or a place.
pub const IN_SEGMENT_SCORE: f64 = 0.9;
/// The alias is preceded in its segment by words that could make it part of another name.
pub const PRECEDED_SCORE: f64 = 0.8;
/// The segment is the alias's tokens in another order ("Harbin Inst. Technol."), three tokens or more.
pub const TOKEN_SET_SCORE: f64 = 0.86;

/// Words that continue a name: an alias followed by one of them and more words is the start of a longer name.
const CONTINUATION_WORDS: &[&str] = &["of", "for", "at", "de", "del", "di", "da", "do"];

/// Words naming an organisation: an alias directly followed by one is part of another organisation's name.
const ORGANISATION_WORDS: &[&str] = &[
    "university",
    "institute",
    "college",
    "academy",
    "hospital",
    "corporation",
    "company",
    "group",
    "limited",
    "polytechnic",
    "universidad",
    "universidade",
];

/// Words naming a unit inside an organisation: an alias next to them keeps its meaning.
const UNIT_WORDS: &[&str] = &[
    "school",
    "department",
    "faculty",
    "division",
    "laboratory",
    "center",
    "graduate",
    "key",
    "state",
    "national",
    "college",
];

/// One screening match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningMatch {
    pub list_id: String,
    pub list_name: String,
    pub list_date: Option<String>,
    /// What the list governs.
    pub list_concern: ListConcern,
    pub entry_id: String,
    pub entry_name: String,
    pub entry_country: Option<String>,
    pub entry_note: Option<String>,
    pub entry_url: Option<String>,
    /// The list name or alias that matched.
    pub matched_alias: String,
    /// The segment of the affiliation string it matched in.
    pub matched_text: String,
    pub score: f64,
    /// A sentence saying why.
    pub why: String,
}

#[derive(Debug, Clone)]
struct Pattern {
    list: u32,
    entry: u32,
    alias: u32,
    tokens: usize,
    /// The alias is also the name of a registry organisation in another country ("Northeastern University"
    /// is in Shenyang and in Boston): without a country in the string it does not match.
    ambiguous: bool,
    /// One word besides legal forms ("Almaz JSC", "Technology Co., Ltd."): held to the one-word rule.
    one_word: bool,
}

/// The screening matcher over any number of lists.
#[derive(Debug)]
pub struct ScreeningMatcher {
    lists: Vec<ScreeningList>,
    patterns: Vec<Pattern>,
    automaton: Option<AhoCorasick>,
    /// Aliases of three or more informative tokens, by their rarest-first token set, for the order-free pass.
    token_sets: HashMap<String, Vec<(u32, Vec<String>)>>,
    /// Parent forms written in front of a CJK name of the same organisation ([`cjk_parent_prefixes`]).
    cjk_prefixes: HashSet<String>,
}

/// A CJK prefix counts as a parent form when the lists write it in front of a shorter name of the same entry
/// for at least this many entries: one entry's longer alias can hold a place (`成都` + `电子科技大学`, UESTC's
/// alias), which must not let the same place in front of every name; a form the lists use for several
/// organisations (`中国人民解放军` + `空军工程大学`, + `海军研究院`, …) is the parent's name.
pub const CJK_PREFIX_MIN_ENTRIES: usize = 2;

/// Words that end the name of a unit inside an organisation, as Chinese and Japanese affiliations write them
/// after the organisation's name (`北京大学物理学院`, `清华大学化学系`, `東京大学大学院工学系研究科`). A CJK name
/// followed in its run by one of these is that organisation.
///
/// `学院` is read as a unit (a school of the university). Independent colleges (独立学院) founded by a
/// university carry its name the same way (`电子科技大学成都学院`, `北京理工大学珠海学院`) and cannot be told
/// from a school by form alone (`华中科技大学同济医学院` is a school of HUST with the same shape): they are
/// matched to the founding university, whose name they use under its licence; the match says it was read in
/// a longer run. A branch campus written in parentheses (`哈尔滨工业大学（威海）`) is the same organisation:
/// the parenthesis is a separator, so the name is a whole run.
const CJK_UNIT_WORDS: &[&str] = &[
    "大学院",
    "研究生院",
    "学院",
    "学部",
    "学系",
    "系",
    "研究所",
    "研究院",
    "研究中心",
    "中心",
    "实验室",
    "研究室",
    "研究科",
    "教研室",
    "课题组",
    "医院",
    "附属",
    "分校",
    "校区",
];

/// Words that end the name of an organisation: a CJK name followed in its run by one of them (before any
/// unit word) is the start of another organisation's name (`中国电子` + `科技集团公司` is CETC, not CEC;
/// `中国科学院` + `大学` is UCAS, not CAS).
const CJK_ORGANISATION_WORDS: &[&str] =
    &["大学", "集团", "公司", "学校", "会社", "银行", "协会", "学会", "委员会", "基金会"];

/// Legal forms written right after a company's own name (`中国航天科技集团` + `公司`): skipped before the
/// words above are looked for.
const CJK_LEGAL_FORMS: &[&str] =
    &["股份有限公司", "有限责任公司", "有限公司", "集团有限公司", "集团公司", "集团", "公司", "株式会社"];

impl ScreeningMatcher {
    /// Builds the automaton over every name and alias of every list.
    pub fn new(lists: Vec<ScreeningList>) -> ScreeningMatcher {
        let mut keys: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut token_sets: HashMap<String, Vec<(u32, Vec<String>)>> = HashMap::new();
        for (li, list) in lists.iter().enumerate() {
            for (ei, entry) in list.entries.iter().enumerate().filter(|(_, e)| e.matches_affiliations()) {
                for (ai, alias) in entry.all_names().into_iter().enumerate() {
                    if is_bare_acronym(alias) {
                        continue;
                    }
                    let toks = text::tokens(alias);
                    let cjk = alias.chars().filter(|c| text::is_cjk(*c)).count();
                    // One-token Latin aliases shorter than 5 letters and CJK aliases under 4 characters are too
                    // short to name one organisation.
                    let one_word_too_weak = toks.len() == 1
                        && (toks[0].len() < 5
                            || alias.split_whitespace().count() > 1
                            || ORGANISATION_WORDS.contains(&toks[0].as_str())
                            || UNIT_WORDS.contains(&toks[0].as_str()));
                    if toks.is_empty() || (cjk == 0 && one_word_too_weak) || (cjk > 0 && cjk < 4) {
                        continue;
                    }
                    let pi = patterns.len() as u32;
                    keys.push(format!(" {} ", toks.join(" ")));
                    patterns.push(Pattern {
                        list: li as u32,
                        entry: ei as u32,
                        alias: ai as u32,
                        tokens: toks.len(),
                        ambiguous: false,
                        one_word: cjk == 0 && toks.iter().filter(|t| !COMPANY_FORMS.contains(&t.as_str())).count() <= 1,
                    });
                    if toks.len() >= 3 && cjk == 0 {
                        let mut sorted = toks.clone();
                        sorted.sort();
                        token_sets.entry(sorted[0].clone()).or_default().push((pi, sorted));
                    }
                }
            }
        }
        let automaton =
            AhoCorasick::builder().match_kind(MatchKind::Standard).build(&keys).ok().filter(|_| !keys.is_empty());
        let cjk_prefixes = cjk_parent_prefixes(&lists);
        ScreeningMatcher { lists, patterns, automaton, token_sets, cjk_prefixes }
    }

    /// Marks aliases that a registry organisation in another country also carries; those need the string to
    /// name a country before they match. Call once after [`ScreeningMatcher::new`] when ROR is loaded.
    pub fn with_registry(mut self, registry: &crate::ror::RorRegistry) -> ScreeningMatcher {
        let mut names: HashMap<String, Vec<&str>> = HashMap::new();
        for org in registry.organizations() {
            let country = org.country_code.as_deref().unwrap_or("");
            for n in &org.names {
                names.entry(text::tokens(&n.value).join(" ")).or_default().push(country);
            }
        }
        for p in &mut self.patterns {
            let entry = &self.lists[p.list as usize].entries[p.entry as usize];
            let alias = entry.all_names()[p.alias as usize];
            let key = text::tokens(alias).join(" ");
            let entry_country = entry.country.as_deref().unwrap_or("");
            // An entry with no country (DoD's 1286 list gives none) is ambiguous only when the registry has the
            // name in two countries or more: one registry organisation of that name is the same one.
            p.ambiguous = names.get(&key).is_some_and(|cs| {
                let mut others: Vec<&str> =
                    cs.iter().copied().filter(|c| !c.is_empty() && *c != entry_country).collect();
                others.sort_unstable();
                others.dedup();
                if entry_country.is_empty() { others.len() >= 2 } else { !others.is_empty() }
            });
        }
        self
    }

    pub fn lists(&self) -> &[ScreeningList] {
        &self.lists
    }

    /// Matches at or above [`DEFAULT_SCREENING_THRESHOLD`], best per entry, best first.
    pub fn match_affiliation(&self, raw: &str) -> Vec<ScreeningMatch> {
        self.match_affiliation_at(raw, DEFAULT_SCREENING_THRESHOLD)
    }

    /// Matches many strings in parallel (rayon), keeping order.
    pub fn match_many(&self, raws: &[&str]) -> Vec<Vec<ScreeningMatch>> {
        raws.par_iter().map(|r| self.match_affiliation(r)).collect()
    }

    /// Matches at or above `threshold`, best per entry, best first.
    pub fn match_affiliation_at(&self, raw: &str, threshold: f64) -> Vec<ScreeningMatch> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let country = parse_affiliation(raw).country_code;
        let mut best: HashMap<(u32, u32), (f64, u32, String, String)> = HashMap::new();
        for seg in text::segments(raw) {
            let (full, joins) = text::tokens_with_joins(seg);
            let acronyms = parenthesised_acronyms(seg);
            // Informative tokens with their index in `full`.
            let informative: Vec<(usize, &String)> =
                full.iter().enumerate().filter(|(_, t)| !text::is_stopword(t)).collect();
            let hay = format!(" {} ", informative.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" "));
            // Byte offset of each informative token in `hay`.
            let mut starts = Vec::with_capacity(informative.len());
            let mut pos = 1;
            for (_, t) in &informative {
                starts.push(pos);
                pos += t.len() + 1;
            }
            for m in ac.find_overlapping_iter(&hay) {
                let p = &self.patterns[m.pattern().as_usize()];
                let Some(first) = starts.iter().position(|s| *s == m.start() + 1) else { continue };
                let last = first + p.tokens - 1;
                let Some(score) = context_score(&full, &informative, first, last) else { continue };
                let (full_first, full_last) = (informative[first].0, informative[last].0);
                let Some(score) = cjk_context(&full, &joins, full_first, full_last, &self.cjk_prefixes)
                    .map_or(Some(score), |cap| cap.map(|c| c.min(score)))
                else {
                    continue;
                };
                if ends_company_then_more(&informative, last, &acronyms) {
                    continue;
                }
                if p.one_word
                    && score < WHOLE_SEGMENT_SCORE
                    && !only_company_forms_around(&informative, first, last, &acronyms)
                {
                    continue;
                }
                self.keep(&mut best, p, m.pattern().as_usize() as u32, score, seg, country.as_deref());
            }
            // Order-free pass for long aliases.
            let seg_set: std::collections::HashSet<&str> = informative.iter().map(|(_, t)| t.as_str()).collect();
            for t in &seg_set {
                for (pi, sorted) in self.token_sets.get(*t).into_iter().flatten() {
                    // The segment is exactly the alias's words in another order: nothing more, nothing less.
                    let mut seg_sorted: Vec<&str> = seg_set.iter().copied().collect();
                    seg_sorted.sort_unstable();
                    if seg_sorted == sorted.iter().map(String::as_str).collect::<Vec<_>>() {
                        let p = &self.patterns[*pi as usize];
                        self.keep(&mut best, p, *pi, TOKEN_SET_SCORE, seg, country.as_deref());
                    }
                }
            }
        }
        let mut out: Vec<ScreeningMatch> = best
            .into_iter()
            .filter(|(_, (score, ..))| *score >= threshold)
            .map(|((li, ei), (score, pi, seg, ctry_note))| self.build(li, ei, pi, score, &seg, &ctry_note))
            .collect();
        out.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then(a.list_id.cmp(&b.list_id)).then(a.entry_id.cmp(&b.entry_id))
        });
        out
    }

    fn keep(
        &self,
        best: &mut HashMap<(u32, u32), (f64, u32, String, String)>,
        p: &Pattern,
        pi: u32,
        score: f64,
        seg: &str,
        country: Option<&str>,
    ) {
        let entry = &self.lists[p.list as usize].entries[p.entry as usize];
        let note = match (country, entry.country.as_deref()) {
            (Some(c), Some(e)) if !same_country(c, e) => return,
            (None, _) if p.ambiguous => return,
            (Some(_), Some(_)) => "the country agrees".to_owned(),
            _ => "no country to compare".to_owned(),
        };
        let key = (p.list, p.entry);
        if best.get(&key).is_none_or(|b| score > b.0) {
            best.insert(key, (score, pi, seg.to_owned(), note));
        }
    }

    fn build(&self, li: u32, ei: u32, pi: u32, score: f64, seg: &str, country_note: &str) -> ScreeningMatch {
        let list = &self.lists[li as usize];
        let entry: &ListEntry = &list.entries[ei as usize];
        let p = &self.patterns[pi as usize];
        let alias = entry.all_names()[p.alias as usize].to_owned();
        let how = if score >= WHOLE_SEGMENT_SCORE {
            "is the whole part"
        } else if (score - TOKEN_SET_SCORE).abs() < 1e-9 {
            "has all its words in the part"
        } else {
            "appears in the part"
        };
        let why = format!(
            "the {} \"{alias}\" of \"{}\" on {}{} {how} \"{seg}\"; {country_note}",
            if p.alias == 0 { "listed name" } else { "alias" },
            entry.name,
            list.name,
            list.date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default(),
        );
        ScreeningMatch {
            list_id: list.id.clone(),
            list_name: list.name.clone(),
            list_date: list.date.clone(),
            list_concern: list.concern,
            entry_id: entry.id.clone(),
            entry_name: entry.name.clone(),
            entry_country: entry.country.clone(),
            entry_note: entry.note.clone(),
            entry_url: entry.source_url.clone(),
            matched_alias: alias,
            matched_text: seg.to_owned(),
            score,
            why,
        }
    }
}

/// Scores an alias found at informative tokens `first..=last` of a segment, or `None` when the context
/// shows it is part of another name.
fn context_score(full: &[String], informative: &[(usize, &String)], first: usize, last: usize) -> Option<f64> {
    let full_first = informative[first].0;
    let full_last = informative[last].0;
    // Followed by "of …" / "for …": the start of a longer name.
    if let Some(next) = full.get(full_last + 1)
        && CONTINUATION_WORDS.contains(&next.as_str())
        && full.len() > full_last + 2
    {
        return None;
    }
    // Followed directly by an organisation word: part of another organisation's name.
    if let Some((_, next)) = informative.get(last + 1)
        && ORGANISATION_WORDS.contains(&next.as_str())
    {
        return None;
    }
    // Followed by other words and then a legal form: the start of a longer company name ("Huawei Technologies"
    // in "Huawei Technologies India Private Limited", another entity of the Entity List).
    if starts_longer_company_name(full, full_last + 1) {
        return None;
    }
    if full_first == 0 && full_last + 1 == full.len() {
        return Some(WHOLE_SEGMENT_SCORE);
    }
    // Preceded by a word that is neither a stopword nor a unit word: maybe another name ("Southwest …").
    if full_first > 0 {
        let prev = &full[full_first - 1];
        if !text::is_stopword(prev) && !UNIT_WORDS.contains(&prev.as_str()) && !prev.chars().any(text::is_cjk) {
            return Some(PRECEDED_SCORE);
        }
    }
    Some(IN_SEGMENT_SCORE)
}

/// The parent forms of CJK names the lists themselves show: for each organisation entry, a CJK name that is
/// another CJK name of the same entry with characters in front (`中国人民解放军空军工程大学` and `空军工程大学`)
/// gives those characters as a prefix; kept when at least [`CJK_PREFIX_MIN_ENTRIES`] entries show it. In the
/// shared lists this is `中国人民解放军` (the PLA, in front of its own universities and academies): so
/// `中国人民解放军国防科技大学` is NUDT for a list that writes only `国防科技大学`, and a place in front of a
/// name (`杭州` + `电子科技大学`) is another university.
fn cjk_parent_prefixes(lists: &[ScreeningList]) -> HashSet<String> {
    let mut entries_by_prefix: HashMap<String, HashSet<(usize, usize)>> = HashMap::new();
    for (li, list) in lists.iter().enumerate() {
        for (ei, entry) in list.entries.iter().enumerate().filter(|(_, e)| e.matches_affiliations()) {
            let runs: Vec<String> = entry
                .all_names()
                .into_iter()
                .map(|n| text::fold_affiliation(n).trim().to_owned())
                .filter(|n| !n.is_empty() && n.chars().all(text::is_cjk))
                .collect();
            for long in &runs {
                for short in runs.iter().filter(|s| s.chars().count() >= 4) {
                    if long.len() > short.len()
                        && let Some(prefix) = long.strip_suffix(short.as_str())
                    {
                        entries_by_prefix.entry(prefix.to_owned()).or_default().insert((li, ei));
                    }
                }
            }
        }
    }
    entries_by_prefix.into_iter().filter(|(_, e)| e.len() >= CJK_PREFIX_MIN_ENTRIES).map(|(p, _)| p).collect()
}

/// The characters of the CJK run before token `at` (empty when `at` starts its run).
fn run_before(full: &[String], joins: &[bool], at: usize) -> String {
    let mut chars = Vec::new();
    let mut i = at;
    while i > 0 && joins.get(i).copied().unwrap_or(false) {
        i -= 1;
        chars.extend(full[i].chars().next());
    }
    chars.reverse();
    chars.into_iter().collect()
}

/// The characters of the CJK run after token `last` (empty when `last` ends its run).
fn run_after(full: &[String], joins: &[bool], last: usize) -> String {
    let mut out = String::new();
    let mut j = last + 1;
    while j < full.len() && joins.get(j).copied().unwrap_or(false) {
        out.extend(full[j].chars().nth(1));
        j += 1;
    }
    out
}

/// Judges a hit whose first or last token is CJK on the run of CJK characters it stands in: `None` when the
/// alias is no CJK name at either end (the Latin rules alone apply), `Some(None)` when the run shows it is part
/// of another name, `Some(Some(cap))` with the highest score the context allows.
///
/// - Preceded in its run by other characters: part of another name (`杭州` + `电子科技大学` is Hangzhou Dianzi
///   University, not UESTC), unless they are a parent form the lists write in front of their own names
///   ([`cjk_parent_prefixes`]). Chinese names are head-final and written without spaces, so characters in
///   front of a name belong to the same name far more often than they name a parent; precision comes first.
/// - Followed in its run: a legal form of its own is skipped (`集团` + `公司`); then the first unit word
///   ([`CJK_UNIT_WORDS`]) keeps the match, an organisation word ([`CJK_ORGANISATION_WORDS`]) first makes it
///   another organisation; a run that goes on with neither is read as maybe another name ([`PRECEDED_SCORE`],
///   under the default threshold).
fn cjk_context(
    full: &[String],
    joins: &[bool],
    full_first: usize,
    full_last: usize,
    prefixes: &HashSet<String>,
) -> Option<Option<f64>> {
    let is_cjk_token = |i: usize| full.get(i).is_some_and(|t| t.chars().any(text::is_cjk));
    if !is_cjk_token(full_first) && !is_cjk_token(full_last) {
        return None;
    }
    let mut cap = WHOLE_SEGMENT_SCORE;
    if is_cjk_token(full_first) {
        let before = run_before(full, joins, full_first);
        if !before.is_empty() {
            if !prefixes.contains(&before) {
                return Some(None);
            }
            cap = IN_SEGMENT_SCORE;
        }
    }
    if is_cjk_token(full_last) {
        let after = run_after(full, joins, full_last);
        if !after.is_empty() {
            let rest = CJK_LEGAL_FORMS.iter().find_map(|f| after.strip_prefix(f)).unwrap_or(&after);
            match first_cjk_word(rest) {
                Some(true) => cap = cap.min(IN_SEGMENT_SCORE),
                Some(false) => return Some(None),
                None if rest.is_empty() => cap = cap.min(IN_SEGMENT_SCORE),
                None => cap = cap.min(PRECEDED_SCORE),
            }
        }
    }
    Some(Some(cap))
}

/// Scans `rest` left to right for the first unit word (`Some(true)`) or organisation word (`Some(false)`),
/// longest first at each position (`大学院`, a graduate school, before `大学`).
fn first_cjk_word(rest: &str) -> Option<bool> {
    for (i, _) in rest.char_indices() {
        let tail = &rest[i..];
        let unit = CJK_UNIT_WORDS.iter().filter(|w| tail.starts_with(**w)).map(|w| w.len()).max();
        let org = CJK_ORGANISATION_WORDS.iter().filter(|w| tail.starts_with(**w)).map(|w| w.len()).max();
        match (unit, org) {
            (Some(u), Some(o)) => return Some(u >= o),
            (Some(_), None) => return Some(true),
            (None, Some(_)) => return Some(false),
            (None, None) => {}
        }
    }
    None
}

/// Legal-form words written around a company's name ("OOO Milandr", "Almaz JSC").
pub const COMPANY_FORMS: &[&str] = &[
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "ao",
    "pao",
    "llc",
    "limited",
    "company",
    "corporation",
    "inc",
    "gmbh",
    "fsue",
    "fgup",
];

/// Lists file Hong Kong and Macau entities under China (the Entity List does since 2020, METI's list does not),
/// so a string naming Hong Kong or Macau agrees with an entry filed under China and the reverse.
fn same_country(a: &str, b: &str) -> bool {
    let china = |c: &str| matches!(c, "CN" | "HK" | "MO");
    a == b || (china(a) && china(b) && (a == "CN" || b == "CN"))
}

/// Legal forms written with dots, read as their letters ("S.A." is `s a`, "N.V." is `n v`).
const DOTTED_COMPANY_FORMS: &[&[&str]] = &[
    &["s", "a"],
    &["n", "v"],
    &["b", "v"],
    &["a", "g"],
    &["s", "p", "a"],
    &["s", "r", "l"],
    &["p", "l", "c"],
    &["k", "k"],
    &["u", "a"],
];

/// Legal forms of other countries' companies, beyond [`COMPANY_FORMS`], that end a company's name.
const MORE_COMPANY_FORMS: &[&str] =
    &["pty", "plc", "nv", "bv", "ag", "sa", "sas", "sasu", "srl", "spa", "sarl", "kk", "pvt", "anonima", "ua"];

/// True when the words of `full` from `from` on hold at least one word that is not a legal form and then a legal
/// form: the alias before `from` is the first part of a longer company name. Legal forms right after the alias
/// ("Almaz JSC", "Huawei Technologies Co., Ltd.") are its own.
fn starts_longer_company_name(full: &[String], from: usize) -> bool {
    let is_form = |i: usize| -> usize {
        let t = full[i].as_str();
        if COMPANY_FORMS.contains(&t) || MORE_COMPANY_FORMS.contains(&t) {
            return 1;
        }
        DOTTED_COMPANY_FORMS
            .iter()
            .find(|f| full.get(i..i + f.len()).is_some_and(|w| w.iter().zip(f.iter()).all(|(a, b)| a == b)))
            .map_or(0, |f| f.len())
    };
    let mut i = from;
    let mut other_words = false;
    while i < full.len() {
        let n = is_form(i);
        if n > 0 {
            if other_words {
                return true;
            }
            i += n;
        } else {
            if !text::is_stopword(&full[i]) {
                other_words = true;
            }
            i += 1;
        }
    }
    false
}

/// A one-word alias ("Almaz", "Milandr", "Almaz JSC") at informative tokens `first..=last` of a longer segment
/// names that organisation only when every other word of the segment is a legal form: "Almaz Central Marine
/// Design Bureau" and "Milandr EK OOO" are other organisations whose names start with the word, and an alias
/// cut to "Technology Co., Ltd." names nobody in "Reiyuan Wende Science and Technology Company Limited".
/// An acronym in parentheses after the name ("Wanyuan Company (CALT)") is the name's own abbreviation and is
/// allowed around it too (`acronyms`: [`parenthesised_acronyms`]).
fn only_company_forms_around(informative: &[(usize, &String)], first: usize, last: usize, acronyms: &[String]) -> bool {
    informative
        .iter()
        .enumerate()
        .all(|(i, (_, t))| (first..=last).contains(&i) || COMPANY_FORMS.contains(&t.as_str()) || acronyms.contains(t))
}

/// A company name that ends in its legal form and is followed in its segment by more than legal forms and
/// its acronym names another entity: "Corad Technology Ltd. (Shenzhen)" is the Shenzhen company, listed apart
/// from "Corad Technology Limited". (A university's campus in parentheses stays the university: this is only
/// for names ending in a legal form.)
fn ends_company_then_more(informative: &[(usize, &String)], last: usize, acronyms: &[String]) -> bool {
    informative.get(last).is_some_and(|(_, t)| COMPANY_FORMS.contains(&t.as_str()))
        && informative[last + 1..].iter().any(|(_, t)| !COMPANY_FORMS.contains(&t.as_str()) && !acronyms.contains(t))
}

/// The acronyms written alone in parentheses in a segment ("(CALT)", "（NUST）"), lower-cased as tokens are.
fn parenthesised_acronyms(seg: &str) -> Vec<String> {
    seg.split(['(', '（'])
        .skip(1)
        .filter_map(|rest| rest.split([')', '）']).next())
        .map(str::trim)
        .filter(|a| is_bare_acronym(a) && a.chars().count() >= 2)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// "BIT", "CSU", "NUDT": upper-case letters and digits only, at most 6 characters.
fn is_bare_acronym(alias: &str) -> bool {
    let a = alias.trim();
    let n = a.chars().count();
    n <= 6 && a.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&' || c == '-')
}

/// Whose affiliation matched, seen from the researcher an audit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListRelation {
    /// The author's own affiliation (`LST001`): the author is affiliated with the listed organisation.
    Affiliated,
    /// A co-author's affiliation on the researcher's work (`LST002`): a collaboration with someone affiliated
    /// with the listed organisation, not an affiliation of the researcher.
    Collaborated,
}

/// `LST001` (the author's own affiliation names a listed organisation) or `LST002` (a co-author's does, on
/// the audited researcher's work). About the organisation, never the person; the finding says what the list
/// governs ([`crate::lists::ListConcern`]), because affiliation and collaboration are different things under
/// the lists' own rules and neither alone is wrongdoing. `position` is the 0-based byline position of the
/// author whose affiliation matched.
pub fn list_match_finding(
    work_id: &str,
    doi: Option<&str>,
    position: u32,
    raw: &str,
    m: &ScreeningMatch,
    relation: ListRelation,
) -> Finding {
    let (code, whose, meaning) = match relation {
        ListRelation::Affiliated => (
            "LST001",
            format!("The affiliation \"{raw}\" of author {}", position + 1),
            "An affiliation with a listed organisation",
        ),
        ListRelation::Collaborated => (
            "LST002",
            format!("The affiliation \"{raw}\" of co-author {}", position + 1),
            "A collaboration with an author affiliated with a listed organisation, not an affiliation of the \
             researcher",
        ),
    };
    let severity = match (relation, m.score >= WHOLE_SEGMENT_SCORE) {
        (ListRelation::Affiliated, true) => Severity::Medium,
        _ => Severity::Low,
    };
    Finding {
        code: code.into(),
        subject: Subject::Authorship { work_id: work_id.to_owned(), position },
        severity,
        score: m.score,
        reasons: vec![
            format!("{whose} names an organisation on {}: {}.", m.list_name, m.why),
            format!("{meaning}: {}.", m.list_concern.sentence()),
            "A list match is an item to review and disclose, not a finding of wrongdoing.".to_owned(),
        ],
        evidence: vec![
            Evidence {
                kind: "work".into(),
                work_id: Some(work_id.to_owned()),
                doi: doi.map(str::to_owned),
                pmid: None,
                text: Some(raw.to_owned()),
            },
            Evidence {
                kind: "list_entry".into(),
                work_id: None,
                doi: None,
                pmid: None,
                text: Some(format!(
                    "{} / {} ({}){}",
                    m.list_name,
                    m.entry_name,
                    m.entry_id,
                    m.entry_url.as_deref().map(|u| format!(" {u}")).unwrap_or_default()
                )),
            },
        ],
    }
}

/// Screens every affiliation of every work: one `LST001` finding per (authorship, list entry), in work and
/// author order. Names of authors are never read.
pub fn screen_works(matcher: &ScreeningMatcher, works: &[byline_model::Work]) -> Vec<Finding> {
    works
        .par_iter()
        .flat_map_iter(|w| {
            let mut out = Vec::new();
            for (pos, author) in w.authors.iter().enumerate() {
                for aff in &author.affiliations {
                    for m in matcher.match_affiliation(&aff.raw) {
                        out.push(list_match_finding(
                            &w.work_id,
                            w.ids.doi.as_deref(),
                            pos as u32,
                            &aff.raw,
                            &m,
                            ListRelation::Affiliated,
                        ));
                    }
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::ListEntry;

    fn list() -> ScreeningList {
        let e = |id: &str, name: &str, aliases: &[&str]| {
            ListEntry::organisation(id, name).with_aliases(aliases.iter().copied()).with_country(Some("CN"))
        };
        let mut list = ScreeningList::new("t", "Test list", "test", crate::lists::ListFormat::UserCsv);
        list.date = Some("2024-01-01".into());
        list.entries = vec![
            e("1", "Harbin Institute of Technology", &["哈尔滨工业大学", "HIT"]),
            e("2", "Peking University", &["Beijing University", "PKU"]),
        ];
        list
    }

    #[test]
    fn whole_segment_alias_matches_with_reason() {
        let m = ScreeningMatcher::new(vec![list()]);
        let hits = m.match_affiliation("School of Astronautics, Harbin Institute of Technology, Harbin 150001, China");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entry_id, "1");
        assert!(hits[0].why.contains("Harbin Institute of Technology"), "{}", hits[0].why);
    }

    fn cjk_list() -> ScreeningList {
        let e = |id: &str, name: &str, aliases: &[&str]| {
            ListEntry::organisation(id, name).with_aliases(aliases.iter().copied()).with_country(Some("CN"))
        };
        let mut list = ScreeningList::new("c", "CJK list", "test", crate::lists::ListFormat::UserCsv);
        list.entries = vec![
            e("uestc", "University of Electronic Science and Technology of China", &["电子科技大学"]),
            e("afeu", "Air Force Engineering University", &["中国人民解放军空军工程大学", "空军工程大学"]),
            e("nri", "Naval Research Academy", &["中国人民解放军海军研究院", "海军研究院"]),
            e("nudt", "National University of Defense Technology", &["国防科技大学"]),
            e("cec", "China Electronics Corporation", &["中国电子信息产业集团有限公司", "中国电子"]),
            e("heu", "Harbin Engineering University", &["哈爾浜工程大学"]),
            e("tokyo", "University of Tokyo", &["東京大学"]),
            e("huawei", "Huawei Technologies Co., Ltd.", &["Huawei Technology"]),
            e("almaz", "Almaz", &["Almaz JSC"]),
        ];
        list
    }

    fn ids(m: &ScreeningMatcher, raw: &str) -> Vec<String> {
        m.match_affiliation(raw).into_iter().map(|h| h.entry_id).collect()
    }

    #[test]
    fn a_cjk_name_after_other_characters_of_its_run_is_another_name() {
        let m = ScreeningMatcher::new(vec![cjk_list()]);
        assert!(ids(&m, "杭州电子科技大学，中国").is_empty(), "Hangzhou Dianzi University is not UESTC");
        assert!(ids(&m, "西安电子科技大学通信工程学院").is_empty());
        assert_eq!(ids(&m, "电子科技大学，成都"), ["uestc"]);
        assert_eq!(ids(&m, "杭州 电子科技大学"), ["uestc"], "a space separates two names");
        // The PLA prefix, which the list writes in front of two entries' own names, is a parent form.
        assert_eq!(ids(&m, "中国人民解放军国防科技大学，长沙"), ["nudt"]);
        assert!(ids(&m, "长沙国防科技大学").is_empty());
    }

    #[test]
    fn what_follows_a_cjk_name_decides() {
        let m = ScreeningMatcher::new(vec![cjk_list()]);
        assert_eq!(ids(&m, "电子科技大学物理学院"), ["uestc"], "a school of the university");
        assert_eq!(ids(&m, "電子科技大學光電科學與工程學院"), ["uestc"], "traditional characters");
        assert_eq!(ids(&m, "电子科技大学成都学院"), ["uestc"], "an independent college: read as the founder");
        assert_eq!(ids(&m, "東京大学大学院工学系研究科"), ["tokyo"], "大学院 is a graduate school, not a university");
        assert!(ids(&m, "中国电子科技集团公司第二十研究所").is_empty(), "CETC is not CEC");
        assert_eq!(ids(&m, "中国电子集团公司"), ["cec"], "its own legal form");
        assert!(ids(&m, "电子科技大学出版社").is_empty(), "a run that goes on with no unit word");
        assert_eq!(ids(&m, "哈尔滨工程大学，哈尔滨"), ["heu"], "METI's kanji form matches the simplified");
    }

    #[test]
    fn a_company_name_that_goes_on_is_another_company() {
        let m = ScreeningMatcher::new(vec![cjk_list()]);
        assert!(ids(&m, "Huawei Technologies India Private Limited").is_empty());
        assert!(ids(&m, "Huawei Technologies Paraguay S.A.").is_empty());
        assert_eq!(ids(&m, "Huawei Technologies, Shenzhen, China"), ["huawei"]);
        assert_eq!(ids(&m, "Almaz JSC, Moscow"), ["almaz"]);
        assert!(ids(&m, "Almaz Central Marine Design Bureau JSC").is_empty());
        assert!(ids(&m, "Almaz JSC (Kazan)").is_empty(), "a company of the same name elsewhere");
        assert_eq!(ids(&m, "Almaz JSC (AJ)"), ["almaz"], "its own acronym");
    }

    #[test]
    fn longer_name_is_another_organisation() {
        let m = ScreeningMatcher::new(vec![list()]);
        assert!(m.match_affiliation("Beijing University of Technology, Beijing, China").is_empty());
        assert!(m.match_affiliation("HIT, Harbin, China").is_empty(), "bare acronyms never match");
        assert!(m.match_affiliation("Peking University, Beijing, USA").is_empty(), "country is a constraint");
        assert_eq!(m.match_affiliation("Beijing University, Beijing, China").len(), 1);
    }
}
