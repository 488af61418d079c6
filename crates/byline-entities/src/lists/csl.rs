//! US lists: the Consolidated Screening List (CSV and the trade.gov API JSON) and lists re-published as
//! `{"entities": [...]}` JSON (the BIS Entity List, DoD's Section 1286 list, or a user's own).

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::{EntryKind, ListConcern, ListEntry, ListFormat, ScreeningList, country_of_address, split_list};
use crate::EntitiesError;
use crate::country;

const CSL_NAME: &str = "US Consolidated Screening List";
const US_GOVERNMENT_WORK: &str = "US government work (public domain, 17 USC 105)";

/// US Consolidated Screening List, `consolidated.csv` as trade.gov publishes it (29 columns). `alt_names` are
/// `;`-separated (BIS rows also write `; and `); the country is that of the first address; `type` says
/// `Individual`, `Entity`, `Vessel` or `Aircraft` on Treasury rows and is blank elsewhere.
pub fn load_csl_csv(reader: impl Read, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|source| EntitiesError::Csv { path: path.to_owned(), source })?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let (Some(name_col), Some(type_col)) = (col("name"), col("type")) else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "no `name` and `type` columns".into() });
    };
    let (id_col, source_col, number_col, programs_col, alt_col, addr_col, url_col) = (
        col("_id"),
        col("source"),
        col("entity_number"),
        col("programs"),
        col("alt_names"),
        col("addresses"),
        col("source_list_url"),
    );
    let mut list = csl_list(path, ListFormat::CslCsv, date, None);
    for (i, row) in rdr.records().enumerate() {
        let position = format!("row {}", i + 1);
        let Some(row) = list.csv_row(&position, row) else { continue };
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let Some(name) = get(Some(name_col)).map(clean_name).filter(|n| !n.is_empty()) else {
            list.skip(position, "no name");
            continue;
        };
        let note = [get(source_col), get(programs_col)].into_iter().flatten().collect::<Vec<_>>().join(": ");
        list.entries.push(ListEntry {
            id: get(number_col).or(get(id_col)).map_or_else(|| format!("row{}", i + 1), str::to_owned),
            name,
            aliases: csl_aliases(get(alt_col).unwrap_or("")),
            country: get(addr_col).and_then(|a| a.split("; ").next()).and_then(country_of_address),
            kind: kind_of(get(Some(type_col)).unwrap_or("")),
            note: (!note.is_empty()).then_some(note),
            source_url: get(url_col).map(str::to_owned),
        });
    }
    Ok(list)
}

/// US Consolidated Screening List, JSON as the trade.gov API gives it: `{"total", "sources_used": [{source,
/// source_last_updated, …}], "results": [{source, entity_number, type, programs: [...], name, addresses:
/// [{address, city, country, …}], alt_names: [...], source_list_url, …}]}`. The list's date is the latest
/// `source_last_updated`.
pub fn load_csl_json(reader: impl Read, path: &str, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let value: Value =
        serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })?;
    let Some(rows) = value.get("results").and_then(Value::as_array) else {
        return Err(EntitiesError::Format { path: path.to_owned(), reason: "no \"results\" array".into() });
    };
    let updated = value
        .get("sources_used")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("source_last_updated").and_then(Value::as_str))
        .map(|s| s.get(..10).unwrap_or(s).to_owned())
        .max();
    let mut list = csl_list(path, ListFormat::CslJson, date, updated);
    for (i, row) in rows.iter().enumerate() {
        let position = format!("result {}", i + 1);
        let Some(name) = str_of(row, "name").map(|n| clean_name(&n)).filter(|n| !n.is_empty()) else {
            list.skip(position, "no name");
            continue;
        };
        let country = row.get("addresses").and_then(Value::as_array).and_then(|a| a.first()).and_then(|a| {
            a.get("country")
                .and_then(Value::as_str)
                .and_then(country::country_code)
                .map(str::to_owned)
                .or_else(|| a.get("address").and_then(Value::as_str).and_then(country_of_address))
        });
        let note = [str_of(row, "source"), Some(strings(row, "programs").join("; "))]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        list.entries.push(ListEntry {
            id: str_of(row, "entity_number")
                .or_else(|| str_of(row, "id"))
                .unwrap_or_else(|| format!("result{}", i + 1)),
            name,
            aliases: strings(row, "alt_names").iter().flat_map(|a| csl_aliases(a)).collect(),
            country,
            kind: kind_of(&str_of(row, "type").unwrap_or_default()),
            note: (!note.is_empty()).then_some(note),
            source_url: str_of(row, "source_list_url"),
        });
    }
    Ok(list)
}

/// A list as `{"list_id"?, "name"?, "extracted"? | "date"?, "count"?, "entities": [{name, aliases, country,
/// address?, notes? | risk_note?, source_url?, kind?}]}`: the BIS Entity List and DoD's Section 1286 list as the
/// nsfreg site re-publishes them, and the documented form for a user's own JSON list. A `count` that differs
/// from the entities present means a cut or edited file and is an error.
pub fn load_entities_json(reader: impl Read, path: &Path, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let display = path.display().to_string();
    let value: Value =
        serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: display.clone(), source })?;
    let format_error = |reason: String| EntitiesError::Format { path: display.clone(), reason };
    let Some(rows) = value.get("entities").and_then(Value::as_array) else {
        return Err(format_error("no \"entities\" array".into()));
    };
    if let Some(count) = value.get("count").and_then(Value::as_u64)
        && count != rows.len() as u64
    {
        return Err(format_error(format!(
            "the file says \"count\": {count} but holds {} entities: it was cut or edited",
            rows.len()
        )));
    }
    let list_id = str_of(&value, "list_id");
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "user".into());
    let (id, name, concern) = match list_id.as_deref() {
        Some("bis-entity-list") => (
            "us_bis_entity_list".to_owned(),
            "US BIS Entity List (15 CFR 744 Supp. 4)".to_owned(),
            ListConcern::ExportControl,
        ),
        Some("dow-1286" | "dod-1286") => {
            ("us_dod_1286".to_owned(), "US DoD Section 1286 list".to_owned(), ListConcern::Affiliation)
        }
        Some(other) => {
            (other.replace('-', "_"), str_of(&value, "name").unwrap_or_else(|| other.to_owned()), ListConcern::Unstated)
        }
        None => (stem.clone(), str_of(&value, "name").unwrap_or(stem), ListConcern::Unstated),
    };
    let mut list = ScreeningList::new(&id, &name, &display, ListFormat::EntitiesJson);
    list.concern = concern;
    if list.concern != ListConcern::Unstated {
        list.licence = Some(US_GOVERNMENT_WORK.to_owned());
    }
    let (own, own_source) = match (str_of(&value, "extracted"), str_of(&value, "date")) {
        (Some(d), _) => (Some(d), "the file's extraction date"),
        (None, Some(d)) => (Some(d), "the file's date"),
        (None, None) => (None, ""),
    };
    list.set_date(date, own, own_source);
    let is_1286 = list.id == "us_dod_1286";
    for (i, row) in rows.iter().enumerate() {
        let position = format!("entity {}", i + 1);
        let Some(raw_name) = str_of(row, "name").filter(|n| !n.is_empty()) else {
            list.skip(position, "no name");
            continue;
        };
        let name = clean_name(&raw_name);
        // The country the list files the entry under ("Crimea Region of Ukraine" reads as Ukraine); the
        // address only when the list gives none.
        let country = match str_of(row, "country").filter(|c| !c.is_empty()) {
            Some(c) => country::country_code(&c)
                .or_else(|| country::country_in_text(&c).map(|(code, _)| code))
                .map(str::to_owned),
            None => str_of(row, "address").and_then(|a| country_of_address(&a)),
        };
        let note = str_of(row, "notes").or_else(|| str_of(row, "risk_note"));
        // DoD's list has two tables: institutions (Table 1) and foreign talent programmes (Table 2).
        let kind = match str_of(row, "kind").or_else(|| str_of(row, "type")) {
            Some(k) => kind_of(&k),
            None if is_1286 && note.as_deref().is_some_and(|n| n.contains("Table 2")) => EntryKind::Programme,
            None => EntryKind::Organisation,
        };
        list.entries.push(ListEntry {
            id: str_of(row, "id").unwrap_or_else(|| format!("{}", i + 1)),
            name,
            aliases: strings(row, "aliases").into_iter().filter(|a| !a.is_empty()).collect(),
            country,
            kind,
            note,
            source_url: str_of(row, "source_url"),
        });
    }
    Ok(list)
}

fn csl_list(path: &str, format: ListFormat, date: Option<&str>, own: Option<String>) -> ScreeningList {
    let mut list = ScreeningList::new("us_csl", CSL_NAME, path, format);
    list.licence = Some(US_GOVERNMENT_WORK.to_owned());
    list.concern = ListConcern::ExportControl;
    list.set_date(date, own, "the latest source_last_updated");
    list
}

fn kind_of(kind: &str) -> EntryKind {
    match kind.trim().to_ascii_lowercase().as_str() {
        "individual" | "person" => EntryKind::Individual,
        "vessel" | "aircraft" => EntryKind::Vessel,
        "programme" | "program" => EntryKind::Programme,
        _ => EntryKind::Organisation,
    }
}

/// A listed name without the clauses lists append to it: `; and any successor, sub-unit, or subsidiary
/// thereof` (State's nonproliferation rows), and an alias parenthesis cut at the end (`Sabanican Company
/// (a.k.a.`).
fn clean_name(name: &str) -> String {
    let mut n = name.trim();
    if let Some(at) = n.find("; and any successor") {
        n = n[..at].trim();
    }
    for cut in ["(a.k.a.", "(f.k.a.", "(a.k.a", "(f.k.a"] {
        if let Some(rest) = n.strip_suffix(cut) {
            n = rest.trim_end();
        }
    }
    n.trim_end_matches([',', ';']).trim().to_owned()
}

/// `Hebei Semiconductor Research Institute; HSRI; and CETC Research Institute 13` → three aliases.
fn csl_aliases(s: &str) -> Vec<String> {
    split_list(s, &[';'])
        .into_iter()
        .map(|a| a.strip_prefix("and ").map(str::to_owned).unwrap_or(a))
        .filter(|a| !a.is_empty())
        .collect()
}

fn str_of(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::trim).map(str::to_owned)
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(|s| s.trim().to_owned()).collect(),
        Some(Value::String(s)) => split_list(s, &[';']),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_names_lose_appended_clauses() {
        assert_eq!(
            clean_name("Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof"),
            "Sinobright Import and Export Company"
        );
        assert_eq!(clean_name("Sabanican Company (a.k.a."), "Sabanican Company");
        assert_eq!(
            csl_aliases("Hebei Semiconductor Research Institute; HSRI; and CETC Research Institute 13"),
            vec!["Hebei Semiconductor Research Institute", "HSRI", "CETC Research Institute 13"]
        );
    }
}
