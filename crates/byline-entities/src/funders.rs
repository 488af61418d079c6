//! Funders: one name per funder whatever the spelling ("National Natural Science Foundation of China",
//! "NSFC", "Natural Science Foundation of China"), from a built-in table of the largest funders, the Crossref
//! Funder Registry (any subset in its `funder_doi, name` shape) and ROR funder records; and funders named in
//! free text (funding statements, acknowledgements), with the sentence that names them.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::text;

/// The largest funders, with their Crossref Funder DOI and the spellings and acronyms seen in funding
/// statements. Acronyms match only in upper case as a whole word. DOIs from the Crossref Funder Registry.
pub const BUILTIN_FUNDERS: &[(&str, &str, &[&str])] = &[
    (
        "10.13039/501100001809",
        "National Natural Science Foundation of China",
        &[
            "NSFC",
            "NNSFC",
            "Natural Science Foundation of China",
            "National Science Foundation of China",
            "国家自然科学基金",
        ],
    ),
    (
        "10.13039/501100002855",
        "Ministry of Science and Technology of the People's Republic of China",
        &["MOST", "Ministry of Science and Technology of China", "科学技术部"],
    ),
    ("10.13039/501100002858", "China Postdoctoral Science Foundation", &["中国博士后科学基金"]),
    ("10.13039/100000002", "National Institutes of Health", &["NIH", "US National Institutes of Health"]),
    (
        "10.13039/100000001",
        "National Science Foundation",
        &["NSF", "US National Science Foundation", "U.S. National Science Foundation"],
    ),
    ("10.13039/501100000781", "European Research Council", &["ERC"]),
    ("10.13039/501100000780", "European Commission", &["Horizon 2020", "Horizon Europe"]),
    ("10.13039/501100001659", "Deutsche Forschungsgemeinschaft", &["DFG", "German Research Foundation"]),
    ("10.13039/501100001691", "Japan Society for the Promotion of Science", &["JSPS", "日本学術振興会"]),
    ("10.13039/501100002241", "Japan Science and Technology Agency", &["JST", "科学技術振興機構"]),
    ("10.13039/501100001700", "Ministry of Education, Culture, Sports, Science and Technology", &["MEXT"]),
    ("10.13039/501100000266", "Engineering and Physical Sciences Research Council", &["EPSRC"]),
    ("10.13039/100014013", "UK Research and Innovation", &["UKRI"]),
    ("10.13039/100010269", "Wellcome Trust", &["Wellcome"]),
    ("10.13039/501100001665", "Agence Nationale de la Recherche", &["ANR", "French National Research Agency"]),
    ("10.13039/501100000038", "Natural Sciences and Engineering Research Council of Canada", &["NSERC"]),
    ("10.13039/501100000024", "Canadian Institutes of Health Research", &["CIHR"]),
    ("10.13039/501100000155", "Social Sciences and Humanities Research Council of Canada", &["SSHRC"]),
];

/// One funder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funder {
    /// Crossref Funder DOI (`10.13039/…`) when known.
    pub id: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
}

/// A funder named in a text, with the sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunderMention {
    pub funder: Funder,
    pub matched: String,
    pub sentence: String,
}

/// The funder dictionary.
#[derive(Debug, Clone)]
pub struct FunderDictionary {
    funders: Vec<Funder>,
    by_key: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    by_acronym: HashMap<String, usize>,
    automaton: Option<AhoCorasick>,
    pattern_funder: Vec<usize>,
}

impl Default for FunderDictionary {
    fn default() -> Self {
        FunderDictionary::builtin()
    }
}

impl FunderDictionary {
    /// The built-in table ([`BUILTIN_FUNDERS`]).
    pub fn builtin() -> FunderDictionary {
        FunderDictionary::from_funders(
            BUILTIN_FUNDERS
                .iter()
                .map(|(id, name, aliases)| Funder {
                    id: Some((*id).to_owned()),
                    name: (*name).to_owned(),
                    aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
                })
                .collect(),
        )
    }

    /// Adds the rows of a Crossref Funder Registry extract: CSV `funder_doi_url,"name"` without header, or
    /// TSV `funder_doi<TAB>name` with header. Returns how many were added.
    pub fn add_crossref_registry(&mut self, content: &str) -> usize {
        let mut added = Vec::new();
        for line in content.lines() {
            let (id, name) = match line.split_once('\t') {
                Some((a, b)) => (a, b),
                None => match line.split_once(',') {
                    Some((a, b)) => (a, b),
                    None => continue,
                },
            };
            let id = id.trim().trim_start_matches("http://dx.doi.org/").trim_start_matches("https://doi.org/");
            if !id.starts_with("10.13039/") {
                continue;
            }
            let name = name.trim().trim_matches('"').trim();
            if name.is_empty() || self.by_id.contains_key(id) {
                continue;
            }
            added.push(Funder { id: Some(id.to_owned()), name: name.to_owned(), aliases: Vec::new() });
        }
        let n = added.len();
        let mut all = std::mem::take(&mut self.funders);
        all.extend(added);
        *self = FunderDictionary::from_funders(all);
        n
    }

    /// Adds ROR records of type `funder` (names and their Crossref Funder ids).
    pub fn add_ror_funders(&mut self, registry: &crate::ror::RorRegistry) -> usize {
        let mut all = std::mem::take(&mut self.funders);
        let before = all.len();
        let known: std::collections::HashSet<String> = all.iter().filter_map(|f| f.id.clone()).collect();
        for org in registry.organizations().iter().filter(|o| o.types.iter().any(|t| t == "funder")) {
            let id = org.fundref.first().map(|f| format!("10.13039/{f}"));
            if id.as_ref().is_some_and(|i| known.contains(i)) {
                continue;
            }
            let aliases = org.names.iter().map(|n| n.value.clone()).filter(|n| *n != org.display_name).collect();
            all.push(Funder { id, name: org.display_name.clone(), aliases });
        }
        *self = FunderDictionary::from_funders(all);
        self.funders.len() - before
    }

    /// A dictionary from funders (first spelling wins when two share one).
    pub fn from_funders(funders: Vec<Funder>) -> FunderDictionary {
        let mut by_key = HashMap::new();
        let mut by_id = HashMap::new();
        let mut by_acronym = HashMap::new();
        let mut keys = Vec::new();
        let mut pattern_funder = Vec::new();
        for (i, f) in funders.iter().enumerate() {
            if let Some(id) = &f.id {
                by_id.entry(id.clone()).or_insert(i);
            }
            for name in std::iter::once(&f.name).chain(&f.aliases) {
                if is_acronym(name) {
                    by_acronym.entry(name.clone()).or_insert(i);
                    continue;
                }
                let key = text::name_key(name);
                if key.is_empty() || by_key.contains_key(&key) {
                    continue;
                }
                by_key.insert(key.clone(), i);
                keys.push(format!(" {key} "));
                pattern_funder.push(i);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .ok()
            .filter(|_| !keys.is_empty());
        FunderDictionary { funders, by_key, by_id, by_acronym, automaton, pattern_funder }
    }

    pub fn len(&self) -> usize {
        self.funders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.funders.is_empty()
    }

    /// The funder a name or id stands for: by Crossref Funder DOI, by normalized name, by acronym.
    pub fn resolve(&self, name: Option<&str>, funder_id: Option<&str>) -> Option<&Funder> {
        if let Some(id) = funder_id {
            let id = id.trim().trim_start_matches("https://doi.org/").trim_start_matches("http://dx.doi.org/");
            let id = if id.starts_with("10.13039/") { id.to_owned() } else { format!("10.13039/{id}") };
            if let Some(i) = self.by_id.get(&id) {
                return Some(&self.funders[*i]);
            }
        }
        let name = name?.trim();
        if let Some(i) = self.by_acronym.get(name) {
            return Some(&self.funders[*i]);
        }
        self.by_key.get(&text::name_key(name)).map(|i| &self.funders[*i])
    }

    /// A stable key for a funder name: its dictionary id or name when known, else the normalized name.
    pub fn funder_key(&self, name: Option<&str>, funder_id: Option<&str>) -> Option<(String, String)> {
        match self.resolve(name, funder_id) {
            Some(f) => Some((f.id.clone().unwrap_or_else(|| text::name_key(&f.name)), f.name.clone())),
            None => name.map(|n| (text::name_key(n), n.trim().to_owned())).filter(|(k, _)| !k.is_empty()),
        }
    }

    /// Funders named in a free text, each with the sentence that names it, in text order.
    pub fn mentions(&self, content: &str) -> Vec<FunderMention> {
        let mut out: Vec<FunderMention> = Vec::new();
        for sentence in sentences(content) {
            let hay = format!(" {} ", text::tokens(sentence).join(" "));
            let mut found: Vec<(usize, String)> = Vec::new();
            if let Some(ac) = &self.automaton {
                for m in ac.find_iter(&hay) {
                    found
                        .push((self.pattern_funder[m.pattern().as_usize()], hay[m.start()..m.end()].trim().to_owned()));
                }
            }
            for word in sentence.split(|c: char| !c.is_alphanumeric()) {
                if let Some(i) = self.by_acronym.get(word) {
                    found.push((*i, word.to_owned()));
                }
            }
            for (i, matched) in found {
                if !out.iter().any(|o| o.funder == self.funders[i] && o.sentence == sentence) {
                    out.push(FunderMention { funder: self.funders[i].clone(), matched, sentence: sentence.to_owned() });
                }
            }
        }
        out
    }
}

/// Splits a text into sentences at `.`, `;`, `!`, `?` and `。` followed by a space or the end.
pub fn sentences(content: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = content.char_indices().collect();
    for (k, (i, c)) in chars.iter().enumerate() {
        // "A." and "e.g." are not sentence ends: a period after a lone capital or a lone letter.
        let initial =
            *c == '.' && k >= 1 && chars[k - 1].1.is_alphabetic() && (k < 2 || !chars[k - 2].1.is_alphanumeric());
        let end_mark = matches!(c, '.' | ';' | '!' | '?' | '。' | '；') && !initial;
        let next_is_break = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace() || *c == '。' || *c == '；');
        if end_mark && next_is_break {
            let s = content[start..i + c.len_utf8()].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + c.len_utf8();
        }
    }
    let rest = content[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn is_acronym(s: &str) -> bool {
    let n = s.chars().count();
    (2..=6).contains(&n) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nsfc_spellings_resolve_to_one_funder() {
        let d = FunderDictionary::builtin();
        let a = d.resolve(Some("National Natural Science Foundation of China"), None).map(|f| f.id.clone());
        let b = d.resolve(Some("NSFC"), None).map(|f| f.id.clone());
        let c = d.resolve(None, Some("https://doi.org/10.13039/501100001809")).map(|f| f.id.clone());
        assert_eq!(a, Some(Some("10.13039/501100001809".to_owned())));
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn mentions_carry_their_sentence() {
        let d = FunderDictionary::builtin();
        let m = d.mentions("We thank the editors. This work was supported by the NSFC (grant 123). Data are open.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].sentence, "This work was supported by the NSFC (grant 123).");
    }
}
