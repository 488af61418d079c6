//! The researchmap record (researchmap.V2 WebAPI, JSON-LD): a Japanese researcher's own record in the national
//! researcher database — profile (names in kanji, kana and romaji, current affiliations, e-Rad number),
//! research experience and education with their periods, research projects (funder, programme, grant
//! number, period, role) and published papers (the works the researcher claims).
//!
//! It lives here, beside the ORCID and KAKEN records, because it is the same kind of thing: a researcher's
//! own record that `byline-app` turns into a disclosure, not a works format.
//!
//! Three shapes of the API's answers are read (every field optional; a missing one is `None` or empty,
//! never invented; strings kept as written, language by language):
//!
//! ```text
//! GET /{permalink}                  {"@context", "@id", "@type": "researchers", "permalink", "family_name":
//!                                    {"ja", "ja-Kana", "en"}, "given_name", "affiliations": [...],
//!                                    "identifiers": {"erad_id": [...]}, "@graph": [{"@type": "published_papers",
//!                                    "items": [...]}, {"@type": "research_projects", "items": [...]}, ...]}
//! GET /{permalink}/{type}           {"@type": "published_papers", "items": [ item, ... ]}
//! the `items` of such an answer     [ {"@id": "https://…/{permalink}/published_papers/123", "@type":
//!                                    "published_papers", "rm:id": "123", ...}, ... ]
//! ```
//!
//! Items read (others are counted by type, never lost): `published_papers` (`paper_title`, `authors`
//! `{lang: [{name}]}`, `publication_date`, `publication_name`, `volume`, `number`, `starting_page`,
//! `ending_page`, `identifiers.doi`), `research_projects` (`research_project_title`, `offer_organization`,
//! `system_name`, `institution_name`, `from_date`, `to_date` — `9999` means ongoing —,
//! `research_project_owner_role`, `identifiers.grant_number`, `identifiers.national_grant_number`,
//! `investigators`), `research_experience` (`affiliation`, `section`, `job`, `from_date`, `to_date`) and
//! `education` (`affiliation`, `department`, `course`, dates).
//!
//! The format is recognised on positive evidence only: a `@graph` of sections whose `@type` is one of the
//! API's achievement types, an object whose `@type` is one with an `items` array, or an array whose elements
//! carry such a `@type` and an `rm:id`. Anything else is an error naming what was expected; broken JSON is an
//! error with its line and column. Every item is counted: records seen = items kept + items rejected (an
//! element without the API's keys, with its index and reason).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

/// The API's achievement types (researchmap.V2 WebAPI specification, "業績種別"): a section or item whose
/// `@type` is one of them is researchmap's.
pub const ACHIEVEMENT_TYPES: &[&str] = &[
    "published_papers",
    "misc",
    "books_etc",
    "presentations",
    "works",
    "research_projects",
    "industrial_property_rights",
    "awards",
    "media_coverage",
    "teaching_experience",
    "association_memberships",
    "committee_memberships",
    "academic_contribution",
    "social_contribution",
    "others",
    "research_interests",
    "research_areas",
    "research_experience",
    "education",
    "qualifications",
];

/// A text in each language the record gives it (`{"ja": …, "en": …, "ja-Kana": …}`), as written.
pub type LangText = BTreeMap<String, String>;

/// The text in `lang`, else English, else any.
pub fn text_in<'a>(t: &'a LangText, lang: &str) -> Option<&'a str> {
    t.get(lang).or_else(|| t.get("en")).or_else(|| t.values().next()).map(String::as_str)
}

/// A researchmap record read from one or more answers of the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResearchmapRecord {
    /// The researcher's permalink (from the answer, or from the items' `@id`).
    pub permalink: Option<String>,
    pub family_name: LangText,
    pub given_name: LangText,
    /// e-Rad researcher number(s) (`identifiers.erad_id`).
    pub erad: Vec<String>,
    /// Other identifiers of the profile as given (`orcid_id`, `researcher_id`, `j_global_id`…).
    pub identifiers: BTreeMap<String, Vec<String>>,
    /// The profile's current affiliations (no dates) and the research experience (with dates).
    pub affiliations: Vec<RmAffiliation>,
    pub education: Vec<RmAffiliation>,
    pub projects: Vec<RmProject>,
    pub papers: Vec<RmPaper>,
    /// Items of the other achievement types, counted by type.
    pub other_items: BTreeMap<String, usize>,
    /// Elements that are not researchmap items, with their index and why.
    pub rejected: Vec<String>,
    /// Fields left out because they had the wrong type, each with where it was.
    pub problems: Vec<String>,
}

/// A position: a current affiliation of the profile, a research experience entry or an education entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RmAffiliation {
    pub organization: LangText,
    /// `section` (experience, profile) or `department` + `course` (education).
    pub section: LangText,
    pub job: LangText,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as given.
    pub from: Option<String>,
    /// `None` when ongoing (researchmap writes `9999`).
    pub to: Option<String>,
    /// From the profile's `affiliations` (the current ones, without dates).
    pub current: bool,
}

/// A research project (競争的資金等の研究課題).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RmProject {
    pub rm_id: Option<String>,
    pub title: LangText,
    /// `offer_organization`: the funder (日本学術振興会 for KAKENHI).
    pub funder: LangText,
    /// `system_name`: the programme.
    pub programme: LangText,
    pub institution: LangText,
    pub grant_numbers: Vec<String>,
    /// `national_grant_number` (`JP23K17012`): the form funders ask papers to print.
    pub national_grant_numbers: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `research_project_owner_role` (`principal_investigator`, `coinvestigator`…).
    pub role: Option<String>,
    /// `investigators`: names as written, every language.
    pub investigators: Vec<String>,
}

/// A published paper the researcher lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RmPaper {
    pub rm_id: Option<String>,
    pub title: LangText,
    /// Author names by language, as written.
    pub authors: BTreeMap<String, Vec<String>>,
    pub publication_date: Option<String>,
    pub publication_name: LangText,
    pub volume: Option<String>,
    pub number: Option<String>,
    pub starting_page: Option<String>,
    pub ending_page: Option<String>,
    /// Lower-case DOIs (`identifiers.doi`).
    pub dois: Vec<String>,
    pub paper_type: Option<String>,
}

impl RmPaper {
    /// The year of publication.
    pub fn year(&self) -> Option<i32> {
        self.publication_date.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
    }
}

impl ResearchmapRecord {
    /// Items seen: kept + rejected.
    pub fn records_seen(&self) -> usize {
        self.affiliations.iter().filter(|a| !a.current).count()
            + self.education.len()
            + self.projects.len()
            + self.papers.len()
            + self.other_items.values().sum::<usize>()
            + self.rejected.len()
    }

    /// The full name in `lang` (`ja`: family + given; `en`: given + family as written), when both parts are.
    pub fn name_in(&self, lang: &str) -> Option<String> {
        let (f, g) = (self.family_name.get(lang)?, self.given_name.get(lang)?);
        Some(if lang == "en" { format!("{g} {f}") } else { format!("{f} {g}") })
    }

    /// Every full name the profile gives (kanji, kana, romaji), for `byline_norm::japanese::is_name_of`.
    pub fn full_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for lang in ["ja", "ja-Kana", "en"] {
            if let Some(n) = self.name_in(lang) {
                out.push(n);
            }
        }
        if let (Some(f), Some(g)) = (self.family_name.get("en"), self.given_name.get("en")) {
            out.push(format!("{f} {g}"));
        }
        out.dedup();
        out
    }

    /// The claimed works as keys (`doi:…`), the way the audit keys works.
    pub fn claimed_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> =
            self.papers.iter().flat_map(|p| p.dois.iter().map(|d| format!("doi:{d}"))).collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Adds what another answer of the same researcher holds (several list answers make one record).
    pub fn merge(&mut self, other: ResearchmapRecord) -> Result<(), ResearchmapError> {
        if let (Some(a), Some(b)) = (&self.permalink, &other.permalink)
            && a != b
        {
            return Err(ResearchmapError::NotResearchmap(format!(
                "the answers are of two researchers ({a} and {b}); give one researcher's"
            )));
        }
        if self.permalink.is_none() {
            self.permalink = other.permalink;
        }
        for (mine, theirs) in [(&mut self.family_name, other.family_name), (&mut self.given_name, other.given_name)] {
            for (k, v) in theirs {
                mine.entry(k).or_insert(v);
            }
        }
        for e in other.erad {
            if !self.erad.contains(&e) {
                self.erad.push(e);
            }
        }
        for (k, v) in other.identifiers {
            self.identifiers.entry(k).or_insert(v);
        }
        self.affiliations.extend(other.affiliations);
        self.education.extend(other.education);
        self.projects.extend(other.projects);
        self.papers.extend(other.papers);
        for (k, n) in other.other_items {
            *self.other_items.entry(k).or_default() += n;
        }
        self.rejected.extend(other.rejected);
        self.problems.extend(other.problems);
        Ok(())
    }
}

/// Why a file could not be read as researchmap API JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResearchmapError {
    #[error("empty file: expected researchmap API JSON (a researcher's record, an achievement list or its items)")]
    Empty,
    #[error("not valid JSON at line {line}, column {column}: {message} (expected researchmap API JSON)")]
    Json { line: usize, column: usize, message: String },
    #[error(
        "not researchmap API JSON: {0} (expected a researcher's record with an \"@graph\" of achievement lists, \
         an achievement list {{\"@type\": \"published_papers\", \"items\": [...]}}, or an array of its items)"
    )]
    NotResearchmap(String),
}

/// Reads one answer of the researchmap API (see the module doc for the shapes recognised).
pub fn parse_researchmap(content: &str) -> Result<ResearchmapRecord, ResearchmapError> {
    let body = content.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(ResearchmapError::Empty);
    }
    let value: Value = serde_json::from_str(body).map_err(|e| ResearchmapError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut rec = ResearchmapRecord::default();
    let mut r = Reader { problems: Vec::new() };
    match &value {
        Value::Object(top) if top.get("@graph").is_some() => {
            let Some(Value::Array(graph)) = top.get("@graph") else {
                return Err(ResearchmapError::NotResearchmap("\"@graph\" is not an array".into()));
            };
            let sections: Vec<&Map<String, Value>> = graph
                .iter()
                .filter_map(Value::as_object)
                .filter(|s| s.get("@type").and_then(Value::as_str).is_some_and(is_type))
                .collect();
            if sections.is_empty() && top.get("@type").and_then(Value::as_str) != Some("researchers") {
                return Err(ResearchmapError::NotResearchmap(
                    "an \"@graph\" with no section of researchmap's achievement types".into(),
                ));
            }
            profile(&mut r, top, &mut rec);
            for (i, s) in graph.iter().enumerate() {
                let Some(s) = s.as_object() else {
                    rec.rejected.push(format!("@graph[{i}]: {}, expected a section object", kind(s)));
                    continue;
                };
                let section_type = s.get("@type").and_then(Value::as_str).filter(|t| is_type(t));
                match (section_type, s.get("items")) {
                    (Some(t), Some(Value::Array(items))) => {
                        items_into(&mut r, items, Some(t), &format!("@graph[{i}].items"), &mut rec)
                    }
                    (Some(_), None | Some(Value::Null)) => {}
                    (Some(_), Some(other)) => r.problem(&format!("@graph[{i}].items"), "an array", other),
                    (None, _) => rec.rejected.push(format!("@graph[{i}]: a section of no researchmap type")),
                }
            }
        }
        Value::Object(top) => {
            let t = top.get("@type").and_then(Value::as_str);
            match (t, top.get("items")) {
                (Some(t), Some(Value::Array(items))) if is_type(t) => {
                    items_into(&mut r, items, Some(t), "items", &mut rec);
                }
                (Some("researchers"), _) | (Some("profile"), _) => profile(&mut r, top, &mut rec),
                _ => {
                    let what = if top.contains_key("researchers") {
                        "a KAKEN researcher file ({\"researchers\": [...]})".to_owned()
                    } else if top.contains_key("orcid-identifier") {
                        "an ORCID record".to_owned()
                    } else if top.contains_key("results") && top.contains_key("meta") {
                        "an OpenAlex list".to_owned()
                    } else if top.contains_key("message-type") {
                        "a Crossref answer".to_owned()
                    } else {
                        match t {
                            Some(t) => format!("an object of \"@type\" {t:?}, not one of researchmap's"),
                            None => "an object with neither \"@graph\" nor a researchmap \"@type\"".to_owned(),
                        }
                    };
                    return Err(ResearchmapError::NotResearchmap(what));
                }
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                return Err(ResearchmapError::NotResearchmap("an empty array".into()));
            }
            if !items.iter().any(is_item) {
                return Err(ResearchmapError::NotResearchmap(format!(
                    "none of the {} elements carries a researchmap \"@type\" and \"rm:id\"",
                    items.len()
                )));
            }
            items_into(&mut r, items, None, "", &mut rec);
        }
        other => return Err(ResearchmapError::NotResearchmap(format!("the top level is {}", kind(other)))),
    }
    rec.problems = r.problems;
    Ok(rec)
}

fn is_type(t: &str) -> bool {
    ACHIEVEMENT_TYPES.contains(&t)
}

/// An element of an items array with the API's own keys.
fn is_item(v: &Value) -> bool {
    v.get("@type").and_then(Value::as_str).is_some_and(is_type) && v.get("rm:id").is_some()
}

/// The permalink in an item's `@id` (`https://api.researchmap.jp/{permalink}/{type}/{id}`).
fn permalink_of(id: &str, t: &str) -> Option<String> {
    let rest = id.strip_prefix("https://").or_else(|| id.strip_prefix("http://"))?;
    let mut parts = rest.split('/').skip(1);
    let permalink = parts.next()?;
    (parts.next() == Some(t) && !permalink.is_empty()).then(|| permalink.to_owned())
}

fn items_into(r: &mut Reader, items: &[Value], section: Option<&str>, at: &str, rec: &mut ResearchmapRecord) {
    for (i, item) in items.iter().enumerate() {
        let at = if at.is_empty() { format!("[{i}]") } else { format!("{at}[{i}]") };
        let Some(m) = item.as_object() else {
            rec.rejected.push(format!("{at}: {}, expected an item object", kind(item)));
            continue;
        };
        let own = m.get("@type").and_then(Value::as_str).filter(|t| is_type(t));
        // In a bare array the item's own type and id are the evidence; in a typed section the section's type.
        let t = match (section, own) {
            (_, Some(t)) if section.is_none() || section == Some(t) => {
                if section.is_none() && m.get("rm:id").is_none() {
                    rec.rejected.push(format!("{at}: no \"rm:id\""));
                    continue;
                }
                t
            }
            (Some(s), None) if !m.contains_key("@type") => s,
            (Some(s), _) => {
                rec.rejected.push(format!("{at}: an item of another \"@type\" in a {s} list"));
                continue;
            }
            (None, _) => {
                rec.rejected.push(format!("{at}: no researchmap \"@type\" (one of the achievement types)"));
                continue;
            }
        };
        if let Some(p) = m.get("@id").and_then(Value::as_str).and_then(|id| permalink_of(id, t)) {
            match &rec.permalink {
                None => rec.permalink = Some(p),
                Some(q) if *q != p => {
                    rec.rejected.push(format!("{at}: an item of another researcher ({p}, not {q})"));
                    continue;
                }
                Some(_) => {}
            }
        }
        let rm_id = r.string(m.get("rm:id"), &format!("{at}.rm:id"));
        match t {
            "published_papers" => rec.papers.push(paper(r, m, &at, rm_id)),
            "research_projects" => rec.projects.push(project(r, m, &at, rm_id)),
            "research_experience" => {
                let a = position(r, m, &at, false);
                rec.affiliations.push(a);
            }
            "education" => {
                let mut a = position(r, m, &at, false);
                let course = r.lang(m.get("course"), &format!("{at}.course"));
                let dept = r.lang(m.get("department"), &format!("{at}.department"));
                for (k, v) in dept {
                    let joined = match course.get(&k) {
                        Some(c) => format!("{v} {c}"),
                        None => v,
                    };
                    a.section.insert(k, joined);
                }
                rec.education.push(a);
            }
            other => *rec.other_items.entry(other.to_owned()).or_default() += 1,
        }
    }
}

fn profile(r: &mut Reader, m: &Map<String, Value>, rec: &mut ResearchmapRecord) {
    rec.permalink = rec.permalink.take().or_else(|| r.string(m.get("permalink"), "permalink"));
    rec.family_name = r.lang(m.get("family_name"), "family_name");
    rec.given_name = r.lang(m.get("given_name"), "given_name");
    match m.get("identifiers") {
        Some(Value::Object(ids)) => {
            for (k, v) in ids {
                let values = r.strings(Some(v), &format!("identifiers.{k}"));
                if k == "erad_id" {
                    rec.erad.extend(values);
                } else {
                    rec.identifiers.insert(k.clone(), values);
                }
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => r.problem("identifiers", "an object", other),
    }
    match m.get("affiliations") {
        Some(Value::Array(list)) => {
            for (i, a) in list.iter().enumerate() {
                let at = format!("affiliations[{i}]");
                match a.as_object() {
                    Some(a) => rec.affiliations.push(position(r, a, &at, true)),
                    None => r.problem(&at, "an object", a),
                }
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => r.problem("affiliations", "an array", other),
    }
}

fn position(r: &mut Reader, m: &Map<String, Value>, at: &str, current: bool) -> RmAffiliation {
    RmAffiliation {
        organization: r.lang(m.get("affiliation"), &format!("{at}.affiliation")),
        section: r.lang(m.get("section"), &format!("{at}.section")),
        job: r.lang(m.get("job"), &format!("{at}.job")),
        from: r.date(m.get("from_date"), &format!("{at}.from_date")),
        to: r.date(m.get("to_date"), &format!("{at}.to_date")),
        current,
    }
}

fn project(r: &mut Reader, m: &Map<String, Value>, at: &str, rm_id: Option<String>) -> RmProject {
    let ids = m.get("identifiers").and_then(Value::as_object);
    let id_list =
        |r: &mut Reader, key: &str| r.strings(ids.and_then(|i| i.get(key)), &format!("{at}.identifiers.{key}"));
    RmProject {
        rm_id,
        title: r.lang(m.get("research_project_title"), &format!("{at}.research_project_title")),
        funder: r.lang(m.get("offer_organization"), &format!("{at}.offer_organization")),
        programme: r.lang(m.get("system_name"), &format!("{at}.system_name")),
        institution: r.lang(m.get("institution_name"), &format!("{at}.institution_name")),
        grant_numbers: id_list(r, "grant_number"),
        national_grant_numbers: id_list(r, "national_grant_number"),
        from: r.date(m.get("from_date"), &format!("{at}.from_date")),
        to: r.date(m.get("to_date"), &format!("{at}.to_date")),
        role: r.string(m.get("research_project_owner_role"), &format!("{at}.research_project_owner_role")),
        investigators: r
            .names(m.get("investigators"), &format!("{at}.investigators"))
            .into_values()
            .flatten()
            .collect(),
    }
}

fn paper(r: &mut Reader, m: &Map<String, Value>, at: &str, rm_id: Option<String>) -> RmPaper {
    let ids = m.get("identifiers").and_then(Value::as_object);
    let mut dois: Vec<String> = r
        .strings(ids.and_then(|i| i.get("doi")), &format!("{at}.identifiers.doi"))
        .into_iter()
        .filter_map(|d| byline_model::normalize_doi(&d))
        .collect();
    dois.dedup();
    RmPaper {
        rm_id,
        title: r.lang(m.get("paper_title"), &format!("{at}.paper_title")),
        authors: r.names(m.get("authors"), &format!("{at}.authors")),
        publication_date: r.string(m.get("publication_date"), &format!("{at}.publication_date")),
        publication_name: r.lang(m.get("publication_name"), &format!("{at}.publication_name")),
        volume: r.string(m.get("volume"), &format!("{at}.volume")),
        number: r.string(m.get("number"), &format!("{at}.number")),
        starting_page: r.string(m.get("starting_page"), &format!("{at}.starting_page")),
        ending_page: r.string(m.get("ending_page"), &format!("{at}.ending_page")),
        dois,
        paper_type: r.string(m.get("published_paper_type"), &format!("{at}.published_paper_type")),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads fields, noting each one of the wrong type.
struct Reader {
    problems: Vec<String>,
}

impl Reader {
    fn problem(&mut self, at: &str, what: &str, v: &Value) {
        self.problems.push(format!("{at}: {}, expected {what}", kind(v)));
    }

    fn string(&mut self, v: Option<&Value>, at: &str) -> Option<String> {
        match v? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.problem(at, "a string", other);
                None
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&mut self, v: Option<&Value>, at: &str) -> Vec<String> {
        match v {
            Some(Value::Array(a)) => {
                a.iter().enumerate().filter_map(|(i, s)| self.string(Some(s), &format!("{at}[{i}]"))).collect()
            }
            other => self.string(other, at).into_iter().collect(),
        }
    }

    /// `{"ja": "…", "en": "…"}`.
    fn lang(&mut self, v: Option<&Value>, at: &str) -> LangText {
        let mut out = LangText::new();
        match v {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    if let Some(s) = self.string(Some(v), &format!("{at}.{k}")) {
                        out.insert(k.clone(), s);
                    }
                }
            }
            Some(other) => self.problem(at, "an object of texts by language", other),
        }
        out
    }

    /// `{"ja": [{"name": "…"}], "en": [...]}` → names by language.
    fn names(&mut self, v: Option<&Value>, at: &str) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        match v {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                for (lang, list) in m {
                    let Some(list) = list.as_array() else {
                        self.problem(&format!("{at}.{lang}"), "an array of {name}", list);
                        continue;
                    };
                    let names: Vec<String> = list
                        .iter()
                        .enumerate()
                        .filter_map(|(i, n)| self.string(n.get("name"), &format!("{at}.{lang}[{i}].name")))
                        .collect();
                    out.insert(lang.clone(), names);
                }
            }
            Some(other) => self.problem(at, "an object of name lists by language", other),
        }
        out
    }

    /// A date as given; `9999` (researchmap's "to the present") is `None`.
    fn date(&mut self, v: Option<&Value>, at: &str) -> Option<String> {
        let s = self.string(v, at)?;
        (!s.starts_with("9999")).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_is_a_clear_error() {
        assert_eq!(parse_researchmap(""), Err(ResearchmapError::Empty));
        let e = parse_researchmap("[{\"@type\": \"published_papers\", \"rm:id\": \"1\"").expect_err("truncated");
        assert!(matches!(e, ResearchmapError::Json { line: 1, .. }), "{e}");
        for (body, says) in [
            ("{\"researchers\": [{}]}", "KAKEN"),
            ("{\"orcid-identifier\": {}}", "ORCID"),
            ("{\"meta\": {}, \"results\": []}", "OpenAlex"),
            ("[]", "empty array"),
            ("[{\"id\": 1}]", "none of the 1 elements"),
            ("{\"@graph\": [{\"@type\": \"Person\"}]}", "no section"),
            ("{\"@type\": \"Article\", \"items\": []}", "\"Article\""),
            ("3", "a number"),
        ] {
            let e = parse_researchmap(body).expect_err(body);
            assert!(e.to_string().contains(says), "{body}: {e}");
            assert!(e.to_string().contains("expected"), "{body}: {e}");
        }
    }

    #[test]
    fn every_element_is_kept_or_rejected() {
        let body = r#"[
            {"@id": "https://api.researchmap.jp/p1/published_papers/1", "@type": "published_papers", "rm:id": "1",
             "paper_title": {"ja": "題", "en": "Title"}, "identifiers": {"doi": ["10.1/ABC"]}, "volume": 5},
            {"@type": "awards", "rm:id": "2"},
            {"@type": "published_papers"},
            {"@id": "https://api.researchmap.jp/p2/published_papers/3", "@type": "published_papers", "rm:id": "3"},
            "text",
            {"@type": "research_projects", "rm:id": "4", "from_date": "2020-04", "to_date": "9999",
             "identifiers": {"grant_number": ["20K00001"]}, "offer_organization": 7}
        ]"#;
        let rec = parse_researchmap(body).expect("read");
        assert_eq!(rec.papers.len(), 1);
        assert_eq!(rec.papers[0].dois, ["10.1/abc"]);
        assert_eq!(rec.papers[0].volume.as_deref(), Some("5"));
        assert_eq!(rec.other_items.get("awards"), Some(&1));
        assert_eq!(rec.projects.len(), 1);
        assert_eq!(rec.projects[0].to, None, "9999 is ongoing");
        assert_eq!(rec.rejected.len(), 3, "{:?}", rec.rejected);
        assert_eq!(rec.records_seen(), 6);
        assert_eq!(rec.permalink.as_deref(), Some("p1"));
        assert_eq!(rec.problems.len(), 1, "{:?}", rec.problems);
    }
}
