//! Trackers and other published exports: the ASPI China Defence Universities Tracker (MISP JSON, TSV), an
//! OpenSanctions `targets.simple.csv` export, and a user's own CSV.

use std::io::Read;

use serde::Deserialize;

use super::{EntryKind, ListConcern, ListEntry, ListFormat, ScreeningList, country_of_address, split_list};
use crate::EntitiesError;
use crate::country;

/// The columns a user's own CSV list may have (`name` required); any other column means the file is not one.
pub const USER_COLUMNS: &[&str] = &["name", "aliases", "country", "risk_note", "source_url"];

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
    let mut list = aspi_list(path, ListFormat::AspiMispJson);
    list.set_date(date, version, "the MISP cluster's version (the tracker gives no date)");
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
            kind: EntryKind::Organisation,
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
    let mut list = aspi_list(path, ListFormat::AspiTsv);
    list.set_date(date, None, "");
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |c: Option<usize>| c.and_then(|c| f.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty());
        let Some(name) = get(Some(en)) else {
            list.skip(format!("row {}", i + 1), "no English name");
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
            kind: EntryKind::Organisation,
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
    let mut list = ScreeningList::new("opensanctions", "OpenSanctions export", path, ListFormat::OpenSanctionsCsv);
    list.licence = Some("CC BY-NC 4.0 (OpenSanctions)".to_owned());
    list.concern = ListConcern::ExportControl;
    let mut dataset_name: Option<String> = None;
    let mut latest_change: Option<String> = None;
    for (i, row) in rdr.records().enumerate() {
        let position = format!("row {}", i + 1);
        let Some(row) = list.csv_row(&position, row) else { continue };
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let kind = match get(schema_col).unwrap_or("LegalEntity") {
            "Person" => EntryKind::Individual,
            "Vessel" | "Airplane" => EntryKind::Vessel,
            _ => EntryKind::Organisation,
        };
        let Some(name) = get(Some(name_col)) else {
            list.skip(position, "no name");
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
            kind,
            note: get(sanctions_col).map(str::to_owned),
            source_url: None,
        });
    }
    if let Some(d) = dataset_name {
        list.id = if d == "Japan METI Russian List" { "jp_meti_russia".into() } else { "opensanctions".into() };
        list.name = d;
    }
    list.set_date(date, latest_change, "the latest last_change of its rows");
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
    let unknown: Vec<&str> = headers
        .iter()
        .filter(|h| !USER_COLUMNS.contains(&h.trim().trim_start_matches('\u{feff}').to_lowercase().as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(EntitiesError::Format {
            path: path.to_owned(),
            reason: format!(
                "columns {} are not those of a user list ({}): is this a list at all?",
                unknown.join(", "),
                USER_COLUMNS.join(", ")
            ),
        });
    }
    let (al, co, note, url) = (col("aliases"), col("country"), col("risk_note"), col("source_url"));
    let mut list = ScreeningList::new(list_name, list_name, path, ListFormat::UserCsv);
    list.set_date(date, None, "");
    for (i, row) in rdr.records().enumerate() {
        let position = format!("row {}", i + 1);
        let Some(row) = list.csv_row(&position, row) else { continue };
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let Some(name) = get(Some(name_col)) else {
            list.skip(position, "no name");
            continue;
        };
        list.entries.push(ListEntry {
            id: format!("row{}", i + 1),
            name: name.to_owned(),
            aliases: split_list(get(al).unwrap_or(""), &[';']),
            country: get(co).and_then(country::country_code).map(str::to_owned),
            kind: EntryKind::Organisation,
            note: get(note).map(str::to_owned),
            source_url: get(url).map(str::to_owned),
        });
    }
    Ok(list)
}

fn aspi_list(path: &str, format: ListFormat) -> ScreeningList {
    let mut list = ScreeningList::new("aspi_cdut", "ASPI China Defence Universities Tracker", path, format);
    list.licence = Some("CC0 1.0 / BSD-2-Clause (MISP galaxy)".to_owned());
    list.concern = ListConcern::Tracker;
    list
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
