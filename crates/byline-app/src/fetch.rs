//! A researcher's record from the APIs into a corpus, through the on-disk cache (`byline fetch`, and
//! `byline audit --fetch`), and the researcher's own record as a disclosure: the ORCID record
//! ([`orcid_disclosure`]), a KAKEN researcher record ([`kaken_disclosure`]) or a researchmap record
//! ([`researchmap_disclosure`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use byline_corpus::{IngestOptions, Manifest, ingest};
use byline_entities::disclosure::{DeclaredFunding, DeclaredOrganisation, Disclosure};
use byline_fetch::cache::Cache;
use byline_fetch::kaken::{KakenFile, KakenResearcher, NameScript};
use byline_fetch::orcid::OrcidRecord;
use byline_fetch::researchmap::{ResearchmapRecord, RmAffiliation, parse_researchmap, text_in};
use byline_fetch::{Endpoints, FetchOptions, FetchProgress, FetchReport, FetchTarget, fetch_researcher};

use crate::ui::{Bar, Ui, Unit};

/// How to reach the APIs. Unset values come from the environment (`BYLINE_MAILTO`, `OPENALEX_API_KEY`,
/// `NCBI_API_KEY`, `BYLINE_OPENALEX_URL`…), then the public services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSettings {
    pub cache: PathBuf,
    pub offline: bool,
    pub refresh: bool,
    pub mailto: Option<String>,
    pub openalex_api_key: Option<String>,
    pub ncbi_api_key: Option<String>,
    pub openalex_author: Option<String>,
    pub hop_limit: usize,
    pub openalex_url: Option<String>,
    pub crossref_url: Option<String>,
    pub eutils_url: Option<String>,
    pub orcid_url: Option<String>,
    /// NII's application id for the KAKEN API (default: $KAKEN_APPID); never written to disk.
    pub kaken_appid: Option<String>,
    /// Registry base URLs (tests; default: the public services, or $BYLINE_KAKEN_URL / $BYLINE_RESEARCHMAP_URL).
    pub kaken_url: Option<String>,
    pub researchmap_url: Option<String>,
}

impl FetchSettings {
    pub fn options(&self) -> FetchOptions {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let defaults = Endpoints::default();
        let endpoints = Endpoints {
            openalex: self.openalex_url.clone().or_else(|| env("BYLINE_OPENALEX_URL")).unwrap_or(defaults.openalex),
            crossref: self.crossref_url.clone().or_else(|| env("BYLINE_CROSSREF_URL")).unwrap_or(defaults.crossref),
            eutils: self.eutils_url.clone().or_else(|| env("BYLINE_EUTILS_URL")).unwrap_or(defaults.eutils),
            orcid: self.orcid_url.clone().or_else(|| env("BYLINE_ORCID_URL")).unwrap_or(defaults.orcid),
        };
        let mailto = self.mailto.clone().or_else(|| env("BYLINE_MAILTO"));
        FetchOptions {
            endpoints,
            http: byline_fetch::http::HttpOptions {
                user_agent: byline_fetch::http::user_agent(mailto.as_deref()),
                ..Default::default()
            },
            mailto,
            openalex_api_key: self.openalex_api_key.clone().or_else(|| env("OPENALEX_API_KEY")),
            ncbi_api_key: self.ncbi_api_key.clone().or_else(|| env("NCBI_API_KEY")),
            offline: self.offline,
            refresh: self.refresh,
            hop_limit: self.hop_limit,
            ..FetchOptions::default()
        }
    }
}

impl FetchSettings {
    /// How to reach KAKEN and researchmap.
    pub fn registry_options(&self) -> byline_fetch::registry::RegistryOptions {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let defaults = byline_fetch::registry::RegistryOptions::default();
        let mailto = self.mailto.clone().or_else(|| env("BYLINE_MAILTO"));
        byline_fetch::registry::RegistryOptions {
            kaken_url: self.kaken_url.clone().or_else(|| env("BYLINE_KAKEN_URL")).unwrap_or(defaults.kaken_url),
            researchmap_url: self
                .researchmap_url
                .clone()
                .or_else(|| env("BYLINE_RESEARCHMAP_URL"))
                .unwrap_or(defaults.researchmap_url),
            kaken_appid: self.kaken_appid.clone().or_else(|| env("KAKEN_APPID")),
            offline: self.offline,
            refresh: self.refresh,
            http: byline_fetch::http::HttpOptions {
                user_agent: byline_fetch::http::user_agent(mailto.as_deref()),
                ..Default::default()
            },
        }
    }
}

/// What `byline fetch` prints with `--format json`, and `fetch.json` in the corpus.
#[derive(Debug, serde::Serialize)]
pub struct FetchOutput<'a> {
    pub corpus: String,
    pub complete: bool,
    pub works_written: u64,
    #[serde(flatten)]
    pub report: &'a FetchReport,
}

struct Progress(Box<dyn Bar>);

impl FetchProgress for Progress {
    fn request(&self, source: &str, url: &str, from_cache: bool) {
        self.0.set_message(&format!("{source}{} {url}", if from_cache { " (cache)" } else { "" }));
        self.0.tick();
    }
}

/// Fetches (or reads from the cache) and ingests into `out`. An `--offline` run with responses missing is an
/// error naming them: a corpus without them would present part of a record as the whole.
pub fn fetch_to_corpus(
    target: &FetchTarget,
    settings: &FetchSettings,
    out: &Path,
    ui: &dyn Ui,
) -> anyhow::Result<(FetchReport, Manifest)> {
    let cache = Cache::open(&settings.cache).context("opening the cache")?;
    let bar = Progress(ui.bar(0, "fetch", Unit::Bytes));
    let report = fetch_researcher(target, &settings.options(), &cache, &bar)?;
    bar.0.finish();
    if !report.missing.is_empty() {
        let mut list = report.missing.iter().take(20).map(|u| format!("\n  {u}")).collect::<String>();
        if report.missing.len() > 20 {
            list.push_str(&format!("\n  … and {} more", report.missing.len() - 20));
        }
        anyhow::bail!(
            "--offline: {} response(s) not in the cache {}:{list}\n(run once without --offline to fetch them)",
            report.missing.len(),
            settings.cache.display()
        );
    }
    let manifest =
        ingest(&report.work_files(), out, &IngestOptions::default(), &()).context("ingesting the fetched responses")?;
    let output = FetchOutput {
        corpus: out.display().to_string(),
        complete: report.complete(),
        works_written: manifest.totals.works,
        report: &report,
    };
    let provenance = out.join("fetch.json");
    std::fs::write(&provenance, serde_json::to_vec_pretty(&output)?)
        .with_context(|| format!("writing {}", provenance.display()))?;
    Ok((report, manifest))
}

/// The ORCID record's employments, educations and fundings as a disclosure (`audit --disclosure orcid`).
pub fn orcid_disclosure(record: &OrcidRecord) -> Disclosure {
    let organisation = |a: &byline_fetch::orcid::OrcidAffiliation, role: Option<String>| DeclaredOrganisation {
        organization: a.organization.clone(),
        ror: a.organization_id.as_deref().and_then(|id| id.strip_prefix("ROR ")).map(str::to_owned),
        role,
        start: a.start.clone(),
        end: a.end.clone(),
    };
    Disclosure {
        name: record.name.clone(),
        orcid: record.orcid.clone(),
        appointments: record.employments.iter().map(|e| organisation(e, e.role.clone())).collect(),
        affiliations: record.educations.iter().map(|e| organisation(e, Some("education".to_owned()))).collect(),
        funders: record
            .fundings
            .iter()
            .map(|f| DeclaredFunding {
                funder: f.funder.clone(),
                funder_id: f.funder_id.clone(),
                grant: f.grant.clone(),
                start: f.start.clone(),
                end: f.end.clone(),
                role: None,
            })
            .collect(),
    }
}

/// The funder of KAKENHI grants: the Japan Society for the Promotion of Science (Crossref Funder Registry;
/// MEXT funded some Grants-in-Aid before JSPS took them over, and KAKEN lists them as KAKENHI alike).
pub const KAKENHI_FUNDER: (&str, &str) = ("JSPS KAKENHI", "10.13039/501100001691");

/// A KAKEN researcher record as a disclosure (`audit --disclosure kaken:FILE`): appointments from the
/// affiliations (current and history) with their periods, the institution named in English when the record
/// itself gives it (a project institution with the same Japanese name, or the entry's English text), else as
/// written; and one JSPS KAKENHI funding per project, with its grant number, fiscal years and role. The
/// declared collaborators (project members) are [`KakenResearcher::collaborators`].
pub fn kaken_disclosure(record: &KakenResearcher) -> Disclosure {
    // The record's own translations: a project institution's Japanese name → its English name.
    let mut english: BTreeMap<&str, &str> = BTreeMap::new();
    for p in &record.projects {
        let ja = p.institution.iter().find(|t| t.lang.as_deref() == Some("ja"));
        let en = p.institution.iter().find(|t| t.lang.as_deref() == Some("en"));
        if let (Some(ja), Some(en)) = (ja, en) {
            english.entry(ja.text.as_str()).or_insert(en.text.as_str());
        }
    }
    let mut appointments: Vec<DeclaredOrganisation> = Vec::new();
    for a in &record.affiliations {
        let ja = a.institution.iter().find(|t| NameScript::of(&t.text) != NameScript::Latin);
        let latin = a.institution.iter().find(|t| NameScript::of(&t.text) == NameScript::Latin);
        let organization = match (ja.and_then(|t| english.get(t.text.as_str())), latin, ja) {
            (Some(en), _, _) => (*en).to_owned(),
            (None, Some(l), _) => l.text.clone(),
            (None, None, Some(j)) => j.text.clone(),
            (None, None, None) => continue,
        };
        let parts: Vec<&str> = a.job_title.iter().chain(&a.department).take(2).map(|t| t.text.as_str()).collect();
        let d = DeclaredOrganisation {
            organization,
            ror: None,
            role: (!parts.is_empty()).then(|| parts.join(", ")),
            start: a.since.clone(),
            end: a.until.clone(),
        };
        if !appointments.contains(&d) {
            appointments.push(d);
        }
    }
    let funders = record
        .projects
        .iter()
        .map(|p| DeclaredFunding {
            funder: KAKENHI_FUNDER.0.to_owned(),
            funder_id: Some(KAKENHI_FUNDER.1.to_owned()),
            grant: Some(p.grant_number.clone()),
            start: p.first_fiscal_year.map(|y| y.to_string()),
            end: p.last_fiscal_year.map(|y| y.to_string()),
            role: (!p.roles.is_empty()).then(|| p.roles.join(", ")),
        })
        .collect();
    Disclosure {
        name: record.name_in(NameScript::Latin).or_else(|| record.name_in(NameScript::Kanji)).map(str::to_owned),
        orcid: None,
        appointments,
        affiliations: Vec::new(),
        funders,
    }
}

/// The researcher a KAKEN file is about: its only one, else the one whose names include `name`
/// (`byline_norm::japanese::is_name_of`: kanji meets romaji only through the record's own variants).
pub fn kaken_researcher(file: KakenFile, name: Option<&str>, path: &str) -> anyhow::Result<KakenResearcher> {
    let mut all = file.researchers;
    if all.len() == 1 {
        return Ok(all.remove(0));
    }
    let listed = || {
        all.iter()
            .map(|r| format!("{} (e-Rad {})", r.name_in(NameScript::Latin).unwrap_or("?"), r.erad_id().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(name) = name else {
        anyhow::bail!("{path} holds {} KAKEN researchers ({}): give --name to say which", all.len(), listed());
    };
    let matching: Vec<usize> = (0..all.len())
        .filter(|i| {
            let variants = all[*i].full_names();
            byline_norm::japanese::is_name_of(&variants, name)
                || byline_norm::japanese::is_name_of(&variants, &name.replace(',', " "))
        })
        .collect();
    match matching.as_slice() {
        [i] => Ok(all.swap_remove(*i)),
        [] => anyhow::bail!("{path}: no KAKEN researcher is named \"{name}\" (the file holds {})", listed()),
        _ => anyhow::bail!("{path}: several KAKEN researchers are named \"{name}\" ({})", listed()),
    }
}

/// Reads a researchmap record from one or more answers of its API (a researcher's whole record, or list
/// answers such as `published_papers` and `research_projects`, merged: they must be one researcher's).
pub fn load_researchmap(paths: &[PathBuf]) -> anyhow::Result<ResearchmapRecord> {
    let mut record: Option<ResearchmapRecord> = None;
    for path in paths {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {shown}"))?;
        let one = parse_researchmap(&text).with_context(|| shown.clone())?;
        match &mut record {
            None => record = Some(one),
            Some(r) => r.merge(one).with_context(|| shown.clone())?,
        }
    }
    record.ok_or_else(|| anyhow::anyhow!("researchmap: no file given"))
}

/// researchmap's funder names for JSPS (the KAKENHI funder), Japanese and English as the records write them.
const JSPS_NAMES: &[&str] =
    &["日本学術振興会", "独立行政法人日本学術振興会", "Japan Society for the Promotion of Science", "JSPS"];

/// A researchmap record as a disclosure (`audit --disclosure researchmap:FILE[,FILE…]`): appointments from
/// the research experience (with periods; `9999` is ongoing) and the profile's current affiliations, the
/// organisation named in English when the record gives it, else as written; education as affiliations; one
/// funding per research project with its funder (JSPS by its registry id), grant number (the national form,
/// `JP…`, when given), period and role. The published papers are the record's claimed works
/// ([`ResearchmapRecord::claimed_keys`]).
pub fn researchmap_disclosure(record: &ResearchmapRecord) -> Disclosure {
    let organisation = |a: &RmAffiliation, role: Option<String>| -> Option<DeclaredOrganisation> {
        Some(DeclaredOrganisation {
            organization: text_in(&a.organization, "en")?.to_owned(),
            ror: None,
            role,
            start: a.from.clone(),
            end: a.to.clone(),
        })
    };
    let mut appointments: Vec<DeclaredOrganisation> = Vec::new();
    for a in &record.affiliations {
        let parts: Vec<&str> = [text_in(&a.job, "en"), text_in(&a.section, "en")].into_iter().flatten().collect();
        if let Some(d) = organisation(a, (!parts.is_empty()).then(|| parts.join(", ")))
            && !appointments.contains(&d)
        {
            appointments.push(d);
        }
    }
    let affiliations = record.education.iter().filter_map(|a| organisation(a, Some("education".to_owned()))).collect();
    let funders = record
        .projects
        .iter()
        .filter_map(|p| {
            let jsps = p.funder.values().any(|f| JSPS_NAMES.iter().any(|n| f.trim() == *n));
            let funder = if jsps { KAKENHI_FUNDER.0.to_owned() } else { text_in(&p.funder, "en")?.to_owned() };
            Some(DeclaredFunding {
                funder,
                funder_id: jsps.then(|| KAKENHI_FUNDER.1.to_owned()),
                grant: p.national_grant_numbers.first().or(p.grant_numbers.first()).cloned(),
                start: p.from.clone(),
                end: p.to.clone(),
                role: p.role.clone(),
            })
        })
        .collect();
    Disclosure {
        name: record.name_in("en").or_else(|| record.name_in("ja")),
        orcid: record.identifiers.get("orcid_id").and_then(|v| v.first()).cloned(),
        appointments,
        affiliations,
        funders,
    }
}

/// The declared side fetched from the registries (`audit --kaken-id N` / `--erad N`, `--researchmap
/// PERMALINK`): the KAKEN record ([`kaken_disclosure`]) and the researchmap record
/// ([`researchmap_disclosure`]) merged into one disclosure, and the KAKEN project members as declared
/// collaborators. A record that could not be had (a failed request, or `--offline` without it in the cache)
/// is an error naming it: half a declared side would make undisclosed what was declared. With `name`, the
/// KAKEN record must be that person's (`byline_norm::japanese::is_name_of` over the record's own variants).
pub fn registry_disclosure(
    target: &byline_fetch::registry::RegistryTarget,
    settings: &FetchSettings,
    name: Option<&str>,
    ui: &dyn Ui,
) -> anyhow::Result<(Disclosure, Vec<byline_fetch::kaken::DeclaredCollaborator>)> {
    let records = fetch_registry_records(target, settings, name, ui)?;
    Ok(registry_records_disclosure(records.kaken.as_ref(), records.researchmap.as_ref()))
}

/// The records [`fetch_registry_records`] brings: each `None` when not asked for.
#[derive(Debug, Default)]
pub struct RegistryRecords {
    pub kaken: Option<byline_fetch::kaken::KakenResearcher>,
    pub researchmap: Option<ResearchmapRecord>,
}

/// The KAKEN and researchmap records of [`registry_disclosure`], fetched (or read from the cache) and
/// checked, before they become the declared side: the audit reads the KAKEN record's names and the
/// researchmap record's published papers first.
pub fn fetch_registry_records(
    target: &byline_fetch::registry::RegistryTarget,
    settings: &FetchSettings,
    name: Option<&str>,
    ui: &dyn Ui,
) -> anyhow::Result<RegistryRecords> {
    let cache = Cache::open(&settings.cache).context("opening the cache")?;
    let bar = Progress(ui.bar(0, "registry", Unit::Bytes));
    let report = byline_fetch::registry::fetch_registry(target, &settings.registry_options(), &cache, &bar)?;
    bar.0.finish();
    if !report.missing.is_empty() {
        anyhow::bail!(
            "--offline: not in the cache {}:{}\n(run once without --offline to fetch them)",
            settings.cache.display(),
            report.missing.iter().map(|u| format!("\n  {u}")).collect::<String>()
        );
    }
    if !report.failures.is_empty() {
        anyhow::bail!(
            "the declared side could not be fetched:{}",
            report.failures.iter().map(|f| format!("\n  {} {}: {}", f.source, f.url, f.reason)).collect::<String>()
        );
    }
    for e in &report.entries {
        ui.note(&format!(
            "{} record: {} ({}, {})",
            e.source,
            e.url,
            e.file.display(),
            if e.from_cache { "from the cache" } else { "fetched" }
        ));
    }
    if let (Some(k), Some(n)) = (&report.kaken, name) {
        let variants = k.full_names();
        anyhow::ensure!(
            byline_norm::japanese::is_name_of(&variants, n)
                || byline_norm::japanese::is_name_of(&variants, &n.replace(',', " ")),
            "the KAKEN record of e-Rad {} is {}, not \"{n}\"",
            k.erad_id().unwrap_or("?"),
            variants.join(" / ")
        );
    }
    Ok(RegistryRecords { kaken: report.kaken, researchmap: report.researchmap })
}

/// The declared side of the registry records: the KAKEN record ([`kaken_disclosure`]) and the researchmap
/// record ([`researchmap_disclosure`]) merged into one disclosure, and the KAKEN project members as declared
/// collaborators.
pub fn registry_records_disclosure(
    kaken: Option<&byline_fetch::kaken::KakenResearcher>,
    researchmap: Option<&ResearchmapRecord>,
) -> (Disclosure, Vec<byline_fetch::kaken::DeclaredCollaborator>) {
    let mut disclosure = Disclosure::default();
    let mut collaborators = Vec::new();
    if let Some(k) = kaken {
        disclosure = kaken_disclosure(k);
        collaborators = k.collaborators();
    }
    if let Some(r) = researchmap {
        let more = researchmap_disclosure(r);
        if disclosure.name.is_none() {
            disclosure.name = more.name.clone();
        }
        if disclosure.orcid.is_none() {
            disclosure.orcid = more.orcid.clone();
        }
        for (mine, theirs) in
            [(&mut disclosure.appointments, more.appointments), (&mut disclosure.affiliations, more.affiliations)]
        {
            for d in theirs {
                if !mine.contains(&d) {
                    mine.push(d);
                }
            }
        }
        for f in more.funders {
            if !disclosure.funders.contains(&f) {
                disclosure.funders.push(f);
            }
        }
    }
    (disclosure, collaborators)
}
