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
//! - a bare acronym ("BIT", "CSU") is never a match on its own (too many institutions share them).
//!
//! Each match says which list, which entry, which alias and which part of the string, in a sentence.

use std::collections::HashMap;

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
}

/// The screening matcher over any number of lists.
#[derive(Debug)]
pub struct ScreeningMatcher {
    lists: Vec<ScreeningList>,
    patterns: Vec<Pattern>,
    automaton: Option<AhoCorasick>,
    /// Aliases of three or more informative tokens, by their rarest-first token set, for the order-free pass.
    token_sets: HashMap<String, Vec<(u32, Vec<String>)>>,
}

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
        ScreeningMatcher { lists, patterns, automaton, token_sets }
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
            p.ambiguous = names.get(&key).is_some_and(|cs| cs.iter().any(|c| !c.is_empty() && *c != entry_country));
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
            let full = text::tokens_with_stopwords(seg);
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
                if p.tokens == 1 && score < WHOLE_SEGMENT_SCORE && !only_company_forms_around(&informative, first) {
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
            (Some(c), Some(e)) if c != e => return,
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

/// Legal-form words written around a company's name ("OOO Milandr", "Almaz JSC").
const COMPANY_FORMS: &[&str] = &[
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

/// A one-word alias ("Almaz", "Milandr") inside a longer segment names that organisation only when every
/// other word of the segment is a legal form: "Almaz Central Marine Design Bureau" and "Milandr EK OOO" are
/// other organisations whose names start with the word.
fn only_company_forms_around(informative: &[(usize, &String)], at: usize) -> bool {
    informative.iter().enumerate().all(|(i, (_, t))| i == at || COMPANY_FORMS.contains(&t.as_str()))
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

    #[test]
    fn longer_name_is_another_organisation() {
        let m = ScreeningMatcher::new(vec![list()]);
        assert!(m.match_affiliation("Beijing University of Technology, Beijing, China").is_empty());
        assert!(m.match_affiliation("HIT, Harbin, China").is_empty(), "bare acronyms never match");
        assert!(m.match_affiliation("Peking University, Beijing, USA").is_empty(), "country is a constraint");
        assert_eq!(m.match_affiliation("Beijing University, Beijing, China").len(), 1);
    }
}
