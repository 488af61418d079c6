//! Disclosures compared with publications, and the byline checks that go with them.
//!
//! A disclosure file (YAML or JSON) lists a researcher's appointments, affiliations and funders with dates.
//! [`audit_disclosure`] compares it with the researcher's works and emits findings; every one is an item to
//! review or disclose, with the works (DOI, date) that show it, never a verdict:
//!
//! | code | what |
//! |---|---|
//! | `AFF002` | an organisation in the researcher's bylines that the disclosure does not name |
//! | `AFF003` | one author listing institutions in two countries on one work |
//! | `AFF004` | a corresponding e-mail whose domain belongs to none of the listed institutions, or is webmail |
//! | `AFF005` | a declared affiliation never seen in the works (information) |
//! | `LST001` | an affiliation matching a screening-list entry ([`crate::screening`]) |
//! | `FUN001` | a funder in the works' funding data or statements that the disclosure does not name |
//! | `FUN002` | a programme of concern mentioned in a funding statement or acknowledgement, with the sentence |
//! | `FUN003` | a declared funder never seen in the works (information) |
//!
//! The researcher is located in each work by ORCID or by positions the caller gives — never by a name
//! heuristic, and nothing here reads an author's name to decide anything.

use std::collections::BTreeMap;

use byline_model::{Evidence, Finding, Severity, Subject, Work};
use serde::{Deserialize, Serialize};

use crate::EntitiesError;
use crate::affiliation::affiliation_country;
use crate::funders::{FunderDictionary, sentences};
use crate::kaken_institutions::RegistryKeys;
use crate::ror::InstitutionMatcher;
use crate::screening::{ListRelation, ScreeningMatcher, list_match_finding};
use crate::text;

/// A researcher's disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Disclosure {
    pub name: Option<String>,
    pub orcid: Option<String>,
    /// Appointments (paid or unpaid positions).
    pub appointments: Vec<DeclaredOrganisation>,
    /// Other affiliations.
    pub affiliations: Vec<DeclaredOrganisation>,
    /// Funders and grants.
    pub funders: Vec<DeclaredFunding>,
}

/// A declared organisation with its period (ISO dates or years).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclaredOrganisation {
    pub organization: String,
    pub ror: Option<String>,
    pub role: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A declared funder or grant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclaredFunding {
    pub funder: String,
    pub funder_id: Option<String>,
    pub grant: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// The researcher's role on the grant (`principal_investigator`, `co_investigator_buntan`…), when known.
    pub role: Option<String>,
}

/// Reads a disclosure: JSON when the content starts with `{`, YAML otherwise.
pub fn parse_disclosure(content: &str, path: &str) -> Result<Disclosure, EntitiesError> {
    if content.trim_start().starts_with('{') {
        serde_json::from_str(content).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })
    } else {
        serde_norway::from_str(content).map_err(|source| EntitiesError::Yaml { path: path.to_owned(), source })
    }
}

/// A programme of concern: a named programme the user's institution asks to be disclosed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Why it is on the list (which rule names it).
    #[serde(default)]
    pub note: Option<String>,
}

/// The default, user-editable list of programmes of concern: foreign talent-recruitment programmes of the
/// kind US (NSPM-33 guidance, CHIPS and Science Act §10632) and Japanese (Cabinet Office research-integrity
/// guidance, 2021) disclosure rules name. Replace or extend it with [`parse_programmes`].
pub fn default_programmes() -> Vec<Programme> {
    vec![Programme {
        name: "Thousand Talents Plan".into(),
        aliases: vec![
            "Thousand Talents Program".into(),
            "1000 Talents Plan".into(),
            "1000 Talents Program".into(),
            "Recruitment Program of Global Experts".into(),
            "千人计划".into(),
        ],
        note: Some("foreign talent-recruitment programme (example named in US disclosure guidance)".into()),
    }]
}

/// Reads a programme list (YAML or JSON array of `{name, aliases, note}`).
pub fn parse_programmes(content: &str, path: &str) -> Result<Vec<Programme>, EntitiesError> {
    if content.trim_start().starts_with('[') {
        serde_json::from_str(content).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })
    } else {
        serde_norway::from_str(content).map_err(|source| EntitiesError::Yaml { path: path.to_owned(), source })
    }
}

/// The matchers an audit uses; all optional but the funder dictionary.
pub struct AuditContext<'a> {
    pub institutions: Option<&'a InstitutionMatcher>,
    /// Institutions named by a registry (the KAKEN institution master, linked to ROR): a string it names is
    /// compared by the registry's key, before the ROR matcher and the name as written
    /// ([`crate::kaken_institutions::RegistryKeys`]).
    pub registry: Option<&'a RegistryKeys>,
    pub screening: Option<&'a ScreeningMatcher>,
    pub funders: &'a FunderDictionary,
    pub programmes: &'a [Programme],
}

/// The researcher's position in each work: by ORCID (works where the ORCID does not appear are left out).
pub fn positions_by_orcid<'w>(works: &'w [Work], orcid: &str) -> Vec<(&'w Work, usize)> {
    let Some(orcid) = byline_model::normalize_orcid(orcid) else { return Vec::new() };
    works
        .iter()
        .filter_map(|w| w.authors.iter().position(|a| a.orcid.as_deref() == Some(orcid.as_str())).map(|p| (w, p)))
        .collect()
}

/// Compares a disclosure with the works (each with the researcher's byline position) and returns findings
/// sorted by code, then subject text.
pub fn audit_disclosure(authored: &[(&Work, usize)], disclosure: &Disclosure, ctx: &AuditContext<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Organisations seen: key → (display, works).
    let mut seen_orgs: BTreeMap<String, (String, Vec<&Work>)> = BTreeMap::new();
    for (work, pos) in authored {
        let Some(author) = work.authors.get(*pos) else { continue };
        for aff in &author.affiliations {
            for (key, display) in organisation_keys(&aff.raw, aff.ror.as_deref(), ctx) {
                let entry = seen_orgs.entry(key).or_insert_with(|| (display, Vec::new()));
                if !entry.1.iter().any(|w| w.work_id == work.work_id) {
                    entry.1.push(work);
                }
            }
            if let Some(s) = ctx.screening {
                for m in s.match_affiliation(&aff.raw) {
                    findings.push(list_match_finding(
                        &work.work_id,
                        work.ids.doi.as_deref(),
                        *pos as u32,
                        &aff.raw,
                        &m,
                        ListRelation::Affiliated,
                    ));
                }
            }
        }
        findings.extend(multi_country_finding(work, *pos));
        findings.extend(email_mismatch_finding(work, *pos, ctx.institutions));
    }
    let declared: Vec<&DeclaredOrganisation> = disclosure.appointments.iter().chain(&disclosure.affiliations).collect();
    let declared_keys: Vec<(String, &DeclaredOrganisation)> =
        declared.iter().map(|d| (organisation_key(&d.organization, d.ror.as_deref(), ctx).0, *d)).collect();
    let same_or_related = |a: &str, b: &str| {
        a == b
            || ctx.institutions.is_some_and(|m| match (a.strip_prefix("ror:"), b.strip_prefix("ror:")) {
                (Some(a), Some(b)) => m.related(a, b),
                _ => false,
            })
    };
    let declared_or_related = |key: &str| declared_keys.iter().any(|(k, _)| same_or_related(k, key));
    for (key, (display, works)) in &seen_orgs {
        if declared_or_related(key) {
            continue;
        }
        findings.push(Finding {
            code: "AFF002".into(),
            subject: Subject::Affiliation { raw: display.clone() },
            severity: Severity::Medium,
            score: 1.0,
            reasons: vec![
                format!(
                    "\"{display}\" appears as the researcher's affiliation on {} work(s) ({}) but not in the disclosure.",
                    works.len(),
                    span_of(works)
                ),
                "An affiliation to disclose or explain, not a finding of wrongdoing.".into(),
            ],
            evidence: works.iter().map(|w| work_evidence(w, Some(display))).collect(),
        });
    }
    // One AFF005 per organisation: a record that declares one institution over several periods (a KAKEN
    // affiliation history lists each post and each renamed department) names it once, over the whole span.
    let mut by_key: Vec<(&str, Vec<&DeclaredOrganisation>)> = Vec::new();
    for (key, d) in &declared_keys {
        match by_key.iter_mut().find(|(k, _)| k == key) {
            Some((_, entries)) => entries.push(d),
            None => by_key.push((key, vec![d])),
        }
    }
    for (key, entries) in &by_key {
        if !seen_orgs.keys().any(|seen| same_or_related(key, seen)) {
            let first = entries[0];
            let start = entries.iter().filter_map(|d| d.start.as_deref()).min();
            // Still held (no end) if any declared period is open.
            let end = if entries.iter().any(|d| d.end.is_none()) {
                None
            } else {
                entries.iter().filter_map(|d| d.end.as_deref()).max()
            };
            let periods =
                if entries.len() > 1 { format!(", {} declared periods", entries.len()) } else { String::new() };
            findings.push(Finding {
                code: "AFF005".into(),
                subject: Subject::Affiliation { raw: first.organization.clone() },
                severity: Severity::Info,
                score: 0.0,
                reasons: vec![format!(
                    "The declared affiliation \"{}\"{}{periods} appears on none of the {} works examined.",
                    first.organization,
                    period(start, end),
                    authored.len()
                )],
                evidence: Vec::new(),
            });
        }
    }
    findings.extend(funding_findings(authored, disclosure, ctx));
    byline_model::sort_findings(&mut findings);
    findings
}

/// A funder seen in the works: its display name and (work, where it was seen).
type SeenFunder<'w> = (String, Vec<(&'w Work, String)>);

fn funding_findings(authored: &[(&Work, usize)], disclosure: &Disclosure, ctx: &AuditContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, SeenFunder<'_>> = BTreeMap::new();
    for (work, _) in authored {
        for f in &work.funding {
            if let Some((key, name)) = ctx.funders.funder_key(f.agency.as_deref(), f.funder_id.as_deref()) {
                let what = format!(
                    "funding record: {}{}",
                    f.agency.as_deref().unwrap_or(&name),
                    f.grant_id.as_deref().map(|g| format!(" ({g})")).unwrap_or_default()
                );
                seen.entry(key).or_insert_with(|| (name, Vec::new())).1.push((work, what));
            }
        }
        for statement in [work.funding_statement.as_deref(), work.acknowledgements.as_deref()].into_iter().flatten() {
            for m in ctx.funders.mentions(statement) {
                let key = m.funder.id.clone().unwrap_or_else(|| text::name_key(&m.funder.name));
                seen.entry(key).or_insert_with(|| (m.funder.name.clone(), Vec::new())).1.push((work, m.sentence));
            }
            for sentence in sentences(statement) {
                let key = format!(" {} ", text::tokens(sentence).join(" "));
                for p in ctx.programmes {
                    let hit = std::iter::once(&p.name).chain(&p.aliases).find(|a| {
                        !text::tokens(a).is_empty() && key.contains(&format!(" {} ", text::tokens(a).join(" ")))
                    });
                    if let Some(alias) = hit {
                        out.push(Finding {
                            code: "FUN002".into(),
                            subject: Subject::Work { work_id: work.work_id.clone() },
                            severity: Severity::Low,
                            score: 1.0,
                            reasons: vec![
                                format!("The text of this work mentions \"{alias}\" ({}), a programme on the list of programmes to disclose{}.", p.name, p.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()),
                                "An item to disclose, not a verdict.".into(),
                            ],
                            evidence: vec![work_evidence(work, Some(sentence))],
                        });
                    }
                }
            }
        }
    }
    let declared: Vec<(String, &DeclaredFunding)> = disclosure
        .funders
        .iter()
        .filter_map(|d| ctx.funders.funder_key(Some(&d.funder), d.funder_id.as_deref()).map(|(k, _)| (k, d)))
        .collect();
    for (key, (name, works)) in &seen {
        if declared.iter().any(|(k, _)| k == key) {
            continue;
        }
        out.push(Finding {
            code: "FUN001".into(),
            subject: Subject::Affiliation { raw: name.clone() },
            severity: Severity::Medium,
            score: 1.0,
            reasons: vec![
                format!(
                    "The funder \"{name}\" appears in {} place(s) in the researcher's works but not in the disclosure.",
                    works.len()
                ),
                "A funding source to disclose or explain, not a finding of wrongdoing.".into(),
            ],
            evidence: works.iter().map(|(w, what)| work_evidence(w, Some(what))).collect(),
        });
    }
    for (key, d) in &declared {
        if !seen.contains_key(key) {
            out.push(Finding {
                code: "FUN003".into(),
                subject: Subject::Affiliation { raw: d.funder.clone() },
                severity: Severity::Info,
                score: 0.0,
                reasons: vec![format!(
                    "The declared funder \"{}\"{} is named in none of the works examined.",
                    d.funder,
                    period(d.start.as_deref(), d.end.as_deref())
                )],
                evidence: Vec::new(),
            });
        }
    }
    out
}

/// `AFF003`: the author at `position` lists institutions in two or more countries on this work.
pub fn multi_country_finding(work: &Work, position: usize) -> Option<Finding> {
    let author = work.authors.get(position)?;
    let mut countries: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for aff in &author.affiliations {
        if let Some((c, _)) = affiliation_country(aff) {
            countries.entry(c).or_default().push(&aff.raw);
        }
    }
    if countries.len() < 2 {
        return None;
    }
    let list: Vec<String> = countries.keys().cloned().collect();
    Some(Finding {
        code: "AFF003".into(),
        subject: Subject::Authorship { work_id: work.work_id.clone(), position: position as u32 },
        severity: Severity::Info,
        score: 1.0,
        reasons: vec![format!(
            "This byline position lists institutions in {} countries ({}) on one work: check that each appointment is disclosed.",
            list.len(),
            list.join(", ")
        )],
        evidence: countries.values().flatten().map(|raw| work_evidence(work, Some(raw))).collect(),
    })
}

/// Free webmail domains (the one list, byline-norm's, shared with `BYL002`).
pub use byline_norm::WEBMAIL_DOMAINS;

/// `AFF004`: the e-mail of the author at `position` belongs to none of the listed institutions (by the ROR
/// domain table), or is free webmail. Needs the registry to say who owns a domain.
pub fn email_mismatch_finding(
    work: &Work,
    position: usize,
    institutions: Option<&InstitutionMatcher>,
) -> Option<Finding> {
    let author = work.authors.get(position)?;
    let email = author.email.as_deref()?;
    let domain = text::email_domain(email)?;
    if author.affiliations.is_empty() {
        return None;
    }
    let reason = if byline_norm::is_webmail(&domain) {
        format!("The e-mail domain \"{domain}\" is free webmail while the byline lists institutions.")
    } else {
        let m = institutions?;
        let owner = m.registry().org_for_domain(&domain)?;
        let listed: Vec<String> = author
            .affiliations
            .iter()
            .flat_map(|a| match a.ror.as_deref().and_then(byline_model::normalize_ror) {
                Some(id) => vec![id],
                None => m.match_all(&a.raw).into_iter().map(|x| x.ror_id).collect(),
            })
            .collect();
        if listed.is_empty() || listed.iter().any(|id| *id == owner.id || m.related(id, &owner.id)) {
            return None;
        }
        format!(
            "The e-mail domain \"{domain}\" belongs to {} ({}), which is not among the institutions listed on this byline.",
            owner.display_name, owner.id
        )
    };
    Some(Finding {
        code: "AFF004".into(),
        subject: Subject::Authorship { work_id: work.work_id.clone(), position: position as u32 },
        severity: Severity::Info,
        score: 0.5,
        reasons: vec![reason, "A signal to look at, not a verdict.".into()],
        evidence: vec![work_evidence(work, Some(&domain))],
    })
}

/// The organisations an affiliation string names, each as (key, display): the ROR id when given, else every
/// organisation the matcher finds in it ([`InstitutionMatcher::match_all`]: "Institut Pasteur, Université
/// Paris Cité" is two affiliations to disclose), else its parsed institution name.
fn organisation_keys(raw: &str, ror: Option<&str>, ctx: &AuditContext<'_>) -> Vec<(String, String)> {
    let institutions = ctx.institutions;
    if let Some(id) = ror.and_then(byline_model::normalize_ror) {
        return vec![ror_key(&id, raw, institutions)];
    }
    if let Some((key, display)) = ctx.registry.and_then(|r| r.key_of(raw)) {
        return vec![(key.to_owned(), display.to_owned())];
    }
    let all = institutions.map(|m| m.match_all(raw)).unwrap_or_default();
    if all.is_empty() {
        return vec![name_key(raw)];
    }
    all.into_iter().map(|x| (format!("ror:{}", x.ror_id), x.display_name)).collect()
}

/// The key of an organisation: its ROR id when given or matched, else its parsed institution name.
fn organisation_key(raw: &str, ror: Option<&str>, ctx: &AuditContext<'_>) -> (String, String) {
    let institutions = ctx.institutions;
    if let Some(id) = ror.and_then(byline_model::normalize_ror) {
        return ror_key(&id, raw, institutions);
    }
    if let Some((key, display)) = ctx.registry.and_then(|r| r.key_of(raw)) {
        return (key.to_owned(), display.to_owned());
    }
    if let Some(m) = institutions.and_then(|m| m.match_affiliation(raw)) {
        return (format!("ror:{}", m.ror_id), m.display_name);
    }
    name_key(raw)
}

/// A given ROR id's key, shown with the registry's name when the registry has it.
fn ror_key(id: &str, raw: &str, institutions: Option<&InstitutionMatcher>) -> (String, String) {
    let display =
        institutions.and_then(|m| m.registry().get(id)).map_or_else(|| raw.to_owned(), |o| o.display_name.clone());
    (format!("ror:{id}"), display)
}

/// The key of an organisation no registry names: its parsed institution name.
fn name_key(raw: &str) -> (String, String) {
    let parsed = crate::affiliation::parse_affiliation(raw);
    let name = parsed.institution.unwrap_or_else(|| raw.to_owned());
    (format!("name:{}", text::name_key(&name)), name)
}

fn work_evidence(work: &Work, text: Option<&str>) -> Evidence {
    Evidence {
        kind: "work".into(),
        work_id: Some(work.work_id.clone()),
        doi: work.ids.doi.clone(),
        pmid: work.ids.pmid.clone(),
        text: Some(format!(
            "{}{}",
            work.date.map(|d| format!("[{}] ", d.to_iso())).unwrap_or_default(),
            text.unwrap_or("")
        )),
    }
}

fn span_of(works: &[&Work]) -> String {
    let years: Vec<i32> = works.iter().filter_map(|w| w.date.map(|d| d.year)).collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "undated".into(),
    }
}

fn period(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (None, None) => String::new(),
        (s, e) => format!(" ({}–{})", s.unwrap_or("?"), e.unwrap_or("")),
    }
}
