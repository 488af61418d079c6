//! Screening lists: loaders from the formats governments and trackers publish, into one shape.
//!
//! | list | loader | format |
//! |---|---|---|
//! | US Consolidated Screening List (trade.gov) | [`load_csl_csv`], [`load_csl_json`] | CSV columns `source, entity_number, type, programs, name, …, alt_names, …`; JSON `{"results": [...]}` |
//! | Japan METI End User List | [`load_meti_end_user_csv`] | the published table saved as CSV: `No., Country or Region, Company or Organization, Also Known As, Type of WMD` |
//! | Canada Named Research Organizations | [`load_named_research_organizations`] | text: a country heading line, then one organisation a line, aliases in parentheses after "also known as" |
//! | ASPI China Defence Universities Tracker | [`load_aspi_misp_json`], [`load_aspi_tsv`] | MISP galaxy cluster JSON; its TSV normalisation |
//! | Japan METI Russia list (OpenSanctions) | [`load_opensanctions_csv`] | OpenSanctions `targets.simple.csv` |
//! | user list | [`load_user_csv`] | CSV `name, aliases, country, risk_note, source_url`, aliases `;`-separated |
//!
//! Only organisations are kept: CSL rows of type `Individual` or `Vessel` are skipped (and counted), because
//! byline screens affiliations, never people.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::EntitiesError;
use crate::country;

/// One organisation on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The list's own id for the entry (entity number, UUID, row number).
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2, when the list says.
    pub country: Option<String>,
    /// Programme, category or risk note as the list states it.
    pub note: Option<String>,
    pub source_url: Option<String>,
}

impl ListEntry {
    /// The name and every alias, name first, without duplicates.
    pub fn all_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![self.name.as_str()];
        for a in &self.aliases {
            if !out.iter().any(|n| n.eq_ignore_ascii_case(a)) {
                out.push(a);
            }
        }
        out
    }
}

/// A loaded list: what it is, where it came from, as of when, and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningList {
    /// Short id used in findings: `us_csl`, `jp_meti_eul`, `ca_nro`, `aspi_cdut`, `jp_meti_russia`, `user`.
    pub id: String,
    pub name: String,
    /// Publisher and file it was read from.
    pub source: String,
    /// Date of the list (from the file, or given by the user), ISO-8601.
    pub date: Option<String>,
    pub licence: Option<String>,
    pub entries: Vec<ListEntry>,
    /// Rows not loaded because they are not organisations (people, vessels) or have no name.
    pub skipped: usize,
}

/// US Consolidated Screening List, CSV as downloaded from trade.gov (`consolidated.csv`). `alt_names` and
/// `programs` are `;`-separated; the country is the last comma-part of the first address.
pub fn load_csl_csv(reader: impl Read, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let (Some(name_col), Some(type_col)) = (col("name"), col("type")) else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "no `name` and `type` columns".into() });
    };
    let (source_col, number_col, programs_col, alt_col, addr_col, url_col) = (
        col("source"),
        col("entity_number"),
        col("programs"),
        col("alt_names"),
        col("addresses"),
        col("source_list_url"),
    );
    let mut list = empty_list("us_csl", "US Consolidated Screening List", path, date, Some("US government work"));
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let name = get(Some(name_col));
        let kind = get(Some(type_col)).unwrap_or("");
        let Some(name) = name.filter(|_| is_organisation_type(kind)) else {
            list.skipped += 1;
            continue;
        };
        let country = get(addr_col).and_then(country_of_address);
        let note = [get(source_col), get(programs_col)].into_iter().flatten().collect::<Vec<_>>().join(": ");
        list.entries.push(ListEntry {
            id: get(number_col).map_or_else(|| format!("row{}", i + 1), str::to_owned),
            name: name.to_owned(),
            aliases: split_list(get(alt_col).unwrap_or(""), &[';']),
            country,
            note: (!note.is_empty()).then_some(note),
            source_url: get(url_col).map(str::to_owned),
        });
    }
    Ok(list)
}

/// US Consolidated Screening List, JSON as the trade.gov API and download give it: `{"results": [ {source,
/// entity_number, type, programs: [...], name, addresses: [{address, city, country, …}], alt_names: [...],
/// source_list_url, …} ]}` (a bare array is accepted too).
pub fn load_csl_json(reader: impl Read, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let value: serde_json::Value =
        serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })?;
    let rows = value.get("results").unwrap_or(&value).as_array().cloned().unwrap_or_default();
    let mut list = empty_list("us_csl", "US Consolidated Screening List", path, date, Some("US government work"));
    let str_of = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::trim).map(str::to_owned);
    let strings = |v: &serde_json::Value, k: &str| -> Vec<String> {
        match v.get(k) {
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str()).map(str::to_owned).collect(),
            Some(serde_json::Value::String(s)) => split_list(s, &[';']),
            _ => Vec::new(),
        }
    };
    for (i, row) in rows.iter().enumerate() {
        let kind = str_of(row, "type").unwrap_or_default();
        let Some(name) = str_of(row, "name").filter(|n| !n.is_empty() && is_organisation_type(&kind)) else {
            list.skipped += 1;
            continue;
        };
        let country = row
            .get("addresses")
            .and_then(|a| a.as_array())
            .and_then(|a| a.first())
            .and_then(|a| a.get("country"))
            .and_then(|c| c.as_str())
            .and_then(country::country_code)
            .map(str::to_owned);
        let note = [str_of(row, "source"), Some(strings(row, "programs").join("; "))]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        list.entries.push(ListEntry {
            id: str_of(row, "entity_number").or_else(|| str_of(row, "id")).unwrap_or_else(|| format!("row{}", i + 1)),
            name,
            aliases: strings(row, "alt_names"),
            country,
            note: (!note.is_empty()).then_some(note),
            source_url: str_of(row, "source_list_url"),
        });
    }
    Ok(list)
}

/// Japan METI End User List (外国ユーザーリスト), its published table saved as CSV with the header
/// `No., Country or Region, Company or Organization, Also Known As, Type of WMD` (Japanese headers
/// `番号, 国名・地域名, 企業名・組織名, 別名, 懸念区分` also accepted). Aliases in a cell are separated by
/// line breaks, `;`, `・` or `•`.
pub fn load_meti_end_user_csv(
    reader: impl Read,
    path: &str,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?.clone();
    let find = |keys: &[&str]| {
        headers.iter().position(|h| {
            let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
            keys.iter().any(|k| h.starts_with(k))
        })
    };
    let no = find(&["no", "番号"]);
    let country_col = find(&["country", "国名"]);
    let name_col = find(&["company", "企業名"]);
    let aka = find(&["also known", "別名"]);
    let wmd = find(&["type of wmd", "懸念区分"]);
    let Some(name_col) = name_col else {
        return Err(EntitiesError::Format {
            path: path.to_owned(),
            reason: "no `Company or Organization` column".into(),
        });
    };
    let mut list = empty_list("jp_meti_eul", "Japan METI End User List", path, date, None);
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let Some(name) = get(Some(name_col)) else {
            list.skipped += 1;
            continue;
        };
        list.entries.push(ListEntry {
            id: get(no).map_or_else(|| format!("row{}", i + 1), str::to_owned),
            name: name.to_owned(),
            aliases: split_list(get(aka).unwrap_or(""), &['\n', ';', '・', '•']),
            country: get(country_col).and_then(country::country_code).map(str::to_owned),
            note: get(wmd).map(|w| format!("Type of WMD: {w}")),
            source_url: None,
        });
    }
    Ok(list)
}

/// Canada's Named Research Organizations, as text copied from the published page: a line that is only a
/// country name starts that country's section; every other non-empty line is an organisation, optionally
/// followed by aliases in parentheses: `Name (also known as: Alias 1; Alias 2)` or `Name (Alias)`.
pub fn load_named_research_organizations(text: &str, path: &str, date: Option<&str>) -> ScreeningList {
    let mut list = empty_list("ca_nro", "Canada Named Research Organizations", path, date, None);
    let mut current_country: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches(['-', '*', '•']).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(code) = country::country_code(line.trim_end_matches(':')) {
            current_country = Some(code.to_owned());
            continue;
        }
        let (name, aliases) = match line.find('(') {
            Some(open) if line.ends_with(')') => {
                let inner = &line[open + 1..line.len() - 1];
                let inner = inner
                    .trim_start_matches("also known as:")
                    .trim_start_matches("also known as")
                    .trim_start_matches("aka")
                    .trim();
                (line[..open].trim(), split_list(inner, &[';']))
            }
            _ => (line, Vec::new()),
        };
        list.entries.push(ListEntry {
            id: format!("line{}", i + 1),
            name: name.to_owned(),
            aliases,
            country: current_country.clone(),
            note: None,
            source_url: None,
        });
    }
    list
}

/// ASPI China Defence Universities Tracker as a MISP galaxy cluster (`values[]` with `value`
/// "English (中文)", `meta.aliases`, `meta.categories`, `meta.refs`). The date is the file's `version` when
/// no date is given.
pub fn load_aspi_misp_json(reader: impl Read, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    #[derive(Deserialize)]
    struct Cluster {
        #[serde(default)]
        values: Vec<Value>,
        version: Option<serde_json::Value>,
    }
    #[derive(Deserialize)]
    struct Value {
        value: String,
        uuid: Option<String>,
        #[serde(default)]
        meta: Meta,
    }
    #[derive(Deserialize, Default)]
    struct Meta {
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        categories: Vec<String>,
        #[serde(default)]
        refs: Vec<String>,
    }
    let cluster: Cluster =
        serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })?;
    let version = cluster.version.map(|v| format!("MISP cluster version {v}"));
    let mut list = empty_list(
        "aspi_cdut",
        "ASPI China Defence Universities Tracker",
        path,
        date,
        Some("CC0 1.0 / BSD-2-Clause (MISP galaxy)"),
    );
    if list.date.is_none() {
        list.date = version;
    }
    for (i, v) in cluster.values.into_iter().enumerate() {
        let (english, chinese) = split_bilingual(&v.value);
        let mut aliases = v.meta.aliases;
        if let Some(zh) = chinese
            && !aliases.contains(&zh)
        {
            aliases.insert(0, zh);
        }
        list.entries.push(ListEntry {
            id: v.uuid.unwrap_or_else(|| format!("value{}", i + 1)),
            name: english,
            aliases,
            country: Some("CN".into()),
            note: (!v.meta.categories.is_empty()).then(|| v.meta.categories.join("; ")),
            source_url: v.meta.refs.into_iter().next(),
        });
    }
    Ok(list)
}

/// The TSV normalisation of the ASPI MISP cluster (`uuid, name_en, name_zh, aliases, categories, …, refs`,
/// list fields joined with `|`).
pub fn load_aspi_tsv(text: &str, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (Some(uuid), Some(en), Some(zh), Some(al)) = (col("uuid"), col("name_en"), col("name_zh"), col("aliases"))
    else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "not the ASPI TSV header".into() });
    };
    let (cat, refs) = (col("categories"), col("refs"));
    let mut list = empty_list(
        "aspi_cdut",
        "ASPI China Defence Universities Tracker",
        path,
        date,
        Some("CC0 1.0 / BSD-2-Clause (MISP galaxy)"),
    );
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |c: Option<usize>| c.and_then(|c| f.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty());
        let Some(name) = get(Some(en)) else {
            list.skipped += 1;
            continue;
        };
        let mut aliases = split_list(get(Some(al)).unwrap_or(""), &['|']);
        if let Some(z) = get(Some(zh))
            && !aliases.iter().any(|a| a == z)
        {
            aliases.insert(0, z.to_owned());
        }
        list.entries.push(ListEntry {
            id: get(Some(uuid)).unwrap_or("").to_owned(),
            name: name.to_owned(),
            aliases,
            country: Some("CN".into()),
            note: get(cat).map(|c| c.replace('|', "; ")),
            source_url: get(refs).and_then(|r| r.split('|').next()).map(str::to_owned),
        });
    }
    Ok(list)
}

/// An OpenSanctions `targets.simple.csv` export (columns `id, schema, name, aliases, …, countries,
/// addresses, …, sanctions, …, dataset, first_seen, last_seen, last_change`). Used for the Japan METI
/// Russia list copy in shared data. The country is `countries`, else the last comma-part of the address.
/// Only `Organization`, `Company`, `LegalEntity` and `PublicBody` rows are kept.
pub fn load_opensanctions_csv(
    reader: impl Read,
    path: &str,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == n);
    let Some(name_col) = col("name") else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "no `name` column".into() });
    };
    let (id_col, schema_col, aliases_col, countries_col, addr_col, sanctions_col, dataset_col, last_change_col) = (
        col("id"),
        col("schema"),
        col("aliases"),
        col("countries"),
        col("addresses"),
        col("sanctions"),
        col("dataset"),
        col("last_change"),
    );
    let mut list =
        empty_list("opensanctions", "OpenSanctions export", path, date, Some("CC BY-NC 4.0 (OpenSanctions)"));
    let mut dataset_name: Option<String> = None;
    let mut latest_change: Option<String> = None;
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let schema = get(schema_col).unwrap_or("LegalEntity");
        let Some(name) =
            get(Some(name_col)).filter(|_| matches!(schema, "Organization" | "Company" | "LegalEntity" | "PublicBody"))
        else {
            list.skipped += 1;
            continue;
        };
        if dataset_name.is_none() {
            dataset_name = get(dataset_col).map(str::to_owned);
        }
        if let Some(c) = get(last_change_col).map(|c| c.get(..10).unwrap_or(c).to_owned())
            && latest_change.as_ref().is_none_or(|l| c > *l)
        {
            latest_change = Some(c);
        }
        let country = get(countries_col)
            .and_then(|c| c.split(';').next())
            .and_then(country::country_code)
            .map(str::to_owned)
            .or_else(|| get(addr_col).and_then(|a| a.split(';').next()).and_then(country_of_address));
        list.entries.push(ListEntry {
            id: get(id_col).map_or_else(|| format!("row{}", i + 1), str::to_owned),
            name: name.to_owned(),
            aliases: split_list(get(aliases_col).unwrap_or(""), &[';']),
            country,
            note: get(sanctions_col).map(str::to_owned),
            source_url: None,
        });
    }
    if let Some(d) = dataset_name {
        list.id = if d == "Japan METI Russian List" { "jp_meti_russia".into() } else { "opensanctions".into() };
        list.name = d;
    }
    if list.date.is_none() {
        list.date = latest_change;
    }
    Ok(list)
}

/// A user list: CSV with header `name, aliases, country, risk_note, source_url`; aliases `;`-separated;
/// country a name or ISO code.
pub fn load_user_csv(
    reader: impl Read,
    path: &str,
    list_name: &str,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(reader);
    let headers = rdr.headers().map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(n));
    let Some(name_col) = col("name") else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "no `name` column".into() });
    };
    let (al, co, note, url) = (col("aliases"), col("country"), col("risk_note"), col("source_url"));
    let mut list = empty_list("user", list_name, path, date, None);
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let Some(name) = get(Some(name_col)) else {
            list.skipped += 1;
            continue;
        };
        list.entries.push(ListEntry {
            id: format!("row{}", i + 1),
            name: name.to_owned(),
            aliases: split_list(get(al).unwrap_or(""), &[';']),
            country: get(co).and_then(country::country_code).map(str::to_owned),
            note: get(note).map(str::to_owned),
            source_url: get(url).map(str::to_owned),
        });
    }
    Ok(list)
}

fn empty_list(id: &str, name: &str, path: &str, date: Option<&str>, licence: Option<&str>) -> ScreeningList {
    ScreeningList {
        id: id.to_owned(),
        name: name.to_owned(),
        source: path.to_owned(),
        date: date.map(str::to_owned),
        licence: licence.map(str::to_owned),
        entries: Vec::new(),
        skipped: 0,
    }
}

fn is_organisation_type(kind: &str) -> bool {
    !matches!(kind.trim().to_ascii_lowercase().as_str(), "individual" | "vessel" | "aircraft")
}

fn split_list(s: &str, seps: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split(seps).map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_owned());
        }
    }
    out
}

/// "Academy of Military Science (中国人民解放军军事科学院)" → ("Academy of Military Science", Some(Chinese)).
fn split_bilingual(value: &str) -> (String, Option<String>) {
    if let Some(open) = value.rfind('(')
        && value.ends_with(')')
    {
        let inner = &value[open + 1..value.len() - 1];
        if inner.chars().any(crate::text::is_cjk) {
            return (value[..open].trim().to_owned(), Some(inner.trim().to_owned()));
        }
    }
    (value.trim().to_owned(), None)
}

/// The country of a free-text address: its last part ("…, Moscow Oblast, 141074, Russia." → `RU`), postal
/// codes and full-width commas allowed.
fn country_of_address(address: &str) -> Option<String> {
    let cleaned = address.replace("All addresses located in ", "").replace("All address located in ", "");
    let cleaned = cleaned.trim().trim_end_matches('.');
    country::country_in_text(cleaned)
        .map(|(c, _)| c)
        .or_else(|| cleaned.rsplit([',', '，']).next().and_then(|p| country::country_code(p.trim())))
        .map(str::to_owned)
}
