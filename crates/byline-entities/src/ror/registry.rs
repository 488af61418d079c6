//! The ROR registry (schema v2) in memory: organisations, their names, and lookups by id, domain and FundRef id.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::EntitiesError;

/// What kind of name a registry name is (ROR v2 `names[].types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Display,
    Label,
    Alias,
    Acronym,
}

/// One name of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgName {
    pub value: String,
    pub kind: NameKind,
    pub lang: Option<String>,
}

/// One ROR organisation, the fields matching and reporting need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Short ROR id (`05dxps055`).
    pub id: String,
    pub display_name: String,
    pub names: Vec<OrgName>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    pub city: Option<String>,
    /// `active`, `inactive` or `withdrawn`.
    pub status: String,
    pub types: Vec<String>,
    pub domains: Vec<String>,
    /// Short ROR ids of parent organisations.
    pub parents: Vec<String>,
    /// Child organisations the record lists (units, hospitals, campuses): a proxy for size.
    #[serde(default)]
    pub children: u32,
    /// Crossref Funder ids (`501100001809`) the record links.
    pub fundref: Vec<String>,
}

/// The ROR registry in memory.
#[derive(Debug, Clone, Default)]
pub struct RorRegistry {
    pub(super) orgs: Vec<Organization>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
    by_fundref: HashMap<String, usize>,
}

impl Organization {
    /// An active organisation with one display name and nothing else (tests, user-built registries).
    pub fn named(id: &str, display_name: &str, country_code: &str) -> Organization {
        Organization {
            id: id.into(),
            display_name: display_name.into(),
            names: vec![OrgName { value: display_name.into(), kind: NameKind::Display, lang: None }],
            country_code: Some(country_code.into()),
            country_name: None,
            city: None,
            status: "active".into(),
            types: vec![],
            domains: vec![],
            parents: vec![],
            children: 0,
            fundref: vec![],
        }
    }
}

impl RorRegistry {
    /// Loads a ROR v2 data dump: a JSON array of records, gzip-compressed when the path ends in `.gz`.
    pub fn load(path: &Path) -> Result<RorRegistry, EntitiesError> {
        let display = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| EntitiesError::Io { path: display.clone(), source })?;
        let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
        } else {
            Box::new(std::io::BufReader::new(file))
        };
        RorRegistry::from_reader(reader, &display)
    }

    /// Reads a ROR v2 JSON array from any reader; `path` names it in errors.
    pub fn from_reader(reader: impl Read, path: &str) -> Result<RorRegistry, EntitiesError> {
        let records: Vec<RorRecord> =
            serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })?;
        Ok(RorRegistry::from_organizations(records.into_iter().filter_map(RorRecord::into_organization).collect()))
    }

    /// A registry from organisations already built (tests, other sources).
    pub fn from_organizations(mut orgs: Vec<Organization>) -> RorRegistry {
        orgs.sort_by(|a, b| a.id.cmp(&b.id));
        let mut reg = RorRegistry { orgs, ..RorRegistry::default() };
        for (i, org) in reg.orgs.iter().enumerate() {
            reg.by_id.insert(org.id.clone(), i);
            for d in &org.domains {
                reg.by_domain.entry(d.to_ascii_lowercase()).or_insert(i);
            }
            for f in &org.fundref {
                reg.by_fundref.entry(f.clone()).or_insert(i);
            }
        }
        reg
    }

    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }

    pub fn organizations(&self) -> &[Organization] {
        &self.orgs
    }

    /// The organisation with this ROR id (short or URL form).
    pub fn get(&self, ror_id: &str) -> Option<&Organization> {
        let id = byline_model::normalize_ror(ror_id)?;
        self.by_id.get(&id).map(|i| &self.orgs[*i])
    }

    /// The organisation that runs an e-mail or web domain (`med.harvard.edu` → the record listing
    /// `harvard.edu`), trying the domain and then each parent domain.
    pub fn org_for_domain(&self, domain: &str) -> Option<&Organization> {
        let domain = domain.trim().to_ascii_lowercase();
        let mut rest = domain.as_str();
        loop {
            if let Some(i) = self.by_domain.get(rest) {
                return Some(&self.orgs[*i]);
            }
            let (_, tail) = rest.split_once('.')?;
            if !tail.contains('.') {
                return None;
            }
            rest = tail;
        }
    }

    /// The organisation a Crossref Funder id (`10.13039/501100001809` or `501100001809`) is linked to.
    pub fn org_for_fundref(&self, funder_id: &str) -> Option<&Organization> {
        let id = funder_id.trim().rsplit('/').next().unwrap_or(funder_id);
        self.by_fundref.get(id).map(|i| &self.orgs[*i])
    }
}

// ---- ROR v2 record shape (the fields we read) ----

#[derive(Deserialize)]
struct RorRecord {
    id: String,
    #[serde(default)]
    names: Vec<RorName>,
    #[serde(default)]
    locations: Vec<RorLocation>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    links: Vec<RorLink>,
    #[serde(default)]
    relationships: Vec<RorRelationship>,
    #[serde(default)]
    external_ids: Vec<RorExternalId>,
}

#[derive(Deserialize)]
struct RorName {
    value: String,
    #[serde(default)]
    types: Vec<String>,
    lang: Option<String>,
}

#[derive(Deserialize)]
struct RorLocation {
    geonames_details: Option<RorGeonames>,
}

#[derive(Deserialize)]
struct RorGeonames {
    country_code: Option<String>,
    country_name: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct RorLink {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Deserialize)]
struct RorRelationship {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Deserialize)]
struct RorExternalId {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    all: Vec<String>,
}

impl RorRecord {
    fn into_organization(self) -> Option<Organization> {
        let id = byline_model::normalize_ror(&self.id)?;
        let mut names: Vec<OrgName> = self
            .names
            .into_iter()
            .map(|n| {
                let kind = if n.types.iter().any(|t| t == "ror_display") {
                    NameKind::Display
                } else if n.types.iter().any(|t| t == "label") {
                    NameKind::Label
                } else if n.types.iter().any(|t| t == "acronym") {
                    NameKind::Acronym
                } else {
                    NameKind::Alias
                };
                OrgName { value: n.value, kind, lang: n.lang }
            })
            .collect();
        names.sort_by_key(|n| n.kind);
        let display_name = names.first().map(|n| n.value.clone()).unwrap_or_default();
        let geo = self.locations.into_iter().find_map(|l| l.geonames_details);
        let mut domains = self.domains;
        for link in &self.links {
            if link.kind == "website"
                && let Some(host) = website_host(&link.value)
                && !domains.contains(&host)
            {
                domains.push(host);
            }
        }
        Some(Organization {
            id,
            display_name,
            names,
            country_code: geo.as_ref().and_then(|g| g.country_code.clone()),
            country_name: geo.as_ref().and_then(|g| g.country_name.clone()),
            city: geo.and_then(|g| g.name),
            status: self.status,
            types: self.types,
            domains,
            parents: self
                .relationships
                .iter()
                .filter(|r| r.kind == "parent")
                .filter_map(|r| byline_model::normalize_ror(&r.id))
                .collect(),
            children: self.relationships.iter().filter(|r| r.kind == "child").count() as u32,
            fundref: self.external_ids.into_iter().filter(|e| e.kind == "fundref").flat_map(|e| e.all).collect(),
        })
    }
}

fn website_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.contains('.') { Some(host) } else { None }
}
