//! Japan METI End User List (外国ユーザーリスト): the `.xlsx` METI publishes, and the same sheet saved as CSV.
//!
//! The sheet's shape, as published (revision of 2025-09-29 checked): one header row whose cells each hold
//! Japanese, a line break, then English (`国名、地域名` / `Country or Region`); `No.` is a formula
//! (`=ROW()-1`) whose cached value is read; a country cell is Japanese then the English long form; a name may
//! carry a second line with the kanji name in parentheses; aliases are one cell, one a line, most prefixed
//! `・`; the WMD cell is Japanese then codes (`B,C,M,N`, sometimes with `、`, full-width letters or no line
//! break); the conventional-weapons cell is `通常兵器` / `CW` or blank.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use unicode_normalization::UnicodeNormalization;

use super::{ListConcern, ListEntry, ListFormat, ScreeningList, date_in_file_name};
use crate::EntitiesError;
use crate::country;

const NAME: &str = "Japan METI End User List";
const LICENCE: &str = "Government of Japan Standard Terms of Use 2.0 (attribute METI)";

/// The columns of the sheet, found by their English or Japanese header text.
#[derive(Debug, Default)]
struct Columns {
    number: Option<usize>,
    country: Option<usize>,
    name: usize,
    aliases: Option<usize>,
    wmd: Option<usize>,
    conventional: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Option<Columns> {
        let find = |english: &str, japanese: &str| {
            header.iter().position(|h| {
                let h = h.nfkc().collect::<String>().to_lowercase();
                h.contains(english) || h.contains(japanese)
            })
        };
        Some(Columns {
            number: header.iter().position(|h| h.trim().eq_ignore_ascii_case("no.") || h.trim() == "番号"),
            country: Some(find("country or region", "国名")?),
            name: find("company or organization", "企業名")?,
            aliases: find("also known as", "別名"),
            wmd: find("type of wmd", "懸念区分"),
            conventional: find("conventional weapons", "通常兵器"),
        })
    }
}

/// The header of the METI sheet: a `Company or Organization` (企業名) column and a `Country or Region` (国名)
/// column.
pub(crate) fn is_meti_header(header: &[String]) -> bool {
    Columns::find(header).is_some()
}

/// Recognises the METI workbook, or says what the spreadsheet is.
pub(crate) fn detect_xlsx(bytes: &[u8]) -> Result<ListFormat, String> {
    let (sheet, rows) = first_sheet(bytes)?;
    let header = rows.first().cloned().unwrap_or_default();
    if is_meti_header(&header) {
        return Ok(ListFormat::MetiXlsx);
    }
    let shown: Vec<String> = header.iter().take(6).map(|h| h.replace('\n', " / ")).collect();
    Err(format!(
        "a spreadsheet whose first sheet \"{sheet}\" starts with the columns {}; the spreadsheet byline reads is \
         the METI End User List (columns Country or Region, Company or Organization, Also Known As)",
        if shown.is_empty() { "(none)".to_owned() } else { shown.join(", ") }
    ))
}

/// The METI End User List as METI publishes it (`.xlsx`). The date is the revision METI writes in the file's
/// name (`20250929_4.xlsx`), unless given.
pub fn load_meti_end_user_xlsx(bytes: &[u8], path: &Path, date: Option<&str>) -> Result<ScreeningList, EntitiesError> {
    let display = path.display().to_string();
    let (_, rows) = first_sheet(bytes).map_err(|reason| EntitiesError::Format { path: display.clone(), reason })?;
    let mut list = meti_list(&display, ListFormat::MetiXlsx, date, path);
    read_rows(&mut list, rows.into_iter(), &display)?;
    Ok(list)
}

/// The METI End User List sheet saved as CSV (header cells may keep their two lines; Japanese-only or
/// English-only headers are recognised too).
pub fn load_meti_end_user_csv(
    reader: impl std::io::Read,
    path: &str,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut list = meti_list(path, ListFormat::MetiCsv, date, Path::new(path));
    for (i, record) in rdr.records().enumerate() {
        match record {
            Ok(r) => rows.push(r.iter().map(str::to_owned).collect()),
            // Row 0 is the header; data rows count from 1.
            Err(e) => list.skip(format!("row {i}"), format!("not valid CSV: {e}")),
        }
    }
    read_rows(&mut list, rows.into_iter(), path)?;
    Ok(list)
}

fn meti_list(display: &str, format: ListFormat, date: Option<&str>, path: &Path) -> ScreeningList {
    let mut list = ScreeningList::new("jp_meti_eul", NAME, display, format);
    list.licence = Some(LICENCE.to_owned());
    list.concern = ListConcern::ExportControl;
    list.set_date(date, date_in_file_name(path), "the revision date in the file's name");
    list
}

fn first_sheet(bytes: &[u8]) -> Result<(String, Vec<Vec<String>>), String> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("a zip archive that is not a readable .xlsx workbook ({e})"))?;
    let sheet = book.sheet_names().first().cloned().unwrap_or_default();
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(format!("a workbook whose first sheet cannot be read ({e})")),
        None => return Err("a workbook with no sheet".into()),
    };
    Ok((sheet, range.rows().map(|row| row.iter().map(cell_text).collect()).collect()))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Error(e) => format!("#{e:?}"),
        other => other.to_string(),
    }
}

fn read_rows(
    list: &mut ScreeningList,
    mut rows: impl Iterator<Item = Vec<String>>,
    path: &str,
) -> Result<(), EntitiesError> {
    let header = rows.next().unwrap_or_default();
    let Some(cols) = Columns::find(&header) else {
        return Err(EntitiesError::Format {
            path: path.to_owned(),
            reason: "no `Country or Region` (国名) and `Company or Organization` (企業名) columns in the header".into(),
        });
    };
    for (i, row) in rows.enumerate() {
        let position = format!("row {}", i + 1);
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty());
        if row.iter().all(|c| c.trim().is_empty()) {
            // Rows past the data that a spreadsheet keeps formatted; not entries and not data.
            continue;
        }
        let Some(cell) = get(Some(cols.name)) else {
            list.skip(position, "no company or organisation name");
            continue;
        };
        let (name, mut aliases) = name_and_native(cell);
        for line in get(cols.aliases).unwrap_or("").lines() {
            let alias = unparenthesize(line.trim().trim_start_matches(['・', '･']).trim());
            if !alias.is_empty() && alias != name && !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
        let country_cell = get(cols.country).unwrap_or("");
        let country = country_cell.lines().rev().map(str::trim).find_map(country::country_code).map(str::to_owned);
        let mut notes = Vec::new();
        if let Some(codes) = get(cols.wmd).map(wmd_codes).filter(|c| !c.is_empty()) {
            notes.push(format!("Type of WMD: {codes}"));
        }
        if get(cols.conventional).is_some() {
            notes.push("conventional weapons (CW)".to_owned());
        }
        list.entries.push(ListEntry {
            id: get(cols.number).map_or_else(|| format!("{}", i + 1), str::to_owned),
            name,
            aliases,
            country,
            kind: super::EntryKind::Organisation,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
            source_url: None,
        });
    }
    Ok(())
}

/// `Kim Il Sung University\n(金日成総合大学)` → the name and the native name as an alias; a trailing
/// parenthesis on the first line (`… Technology（NUST）`) becomes an alias too.
fn name_and_native(cell: &str) -> (String, Vec<String>) {
    let mut lines = cell.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = normalize_parens(lines.next().unwrap_or(""));
    let mut aliases = Vec::new();
    let mut name = first.trim().to_owned();
    if let Some(open) = name.rfind('(')
        && name.ends_with(')')
        && open > 0
    {
        let inner = name[open + 1..name.len() - 1].trim().to_owned();
        let outer = name[..open].trim().to_owned();
        if !inner.is_empty() && !outer.is_empty() && !inner.contains('(') {
            aliases.push(inner);
            name = outer;
        }
    }
    for line in lines {
        let alias = unparenthesize(line);
        if !alias.is_empty() && alias != name && !aliases.contains(&alias) {
            aliases.push(alias);
        }
    }
    (name, aliases)
}

fn normalize_parens(s: &str) -> String {
    s.replace('（', " (").replace('）', ")").split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(")
}

/// `(金日成総合大学)` → `金日成総合大学`; other text unchanged (spaces trimmed).
fn unparenthesize(s: &str) -> String {
    let s = normalize_parens(s);
    let t = s.trim();
    if t.starts_with('(') && t.ends_with(')') && t.matches('(').count() == 1 {
        t[1..t.len() - 1].trim().to_owned()
    } else {
        t.to_owned()
    }
}

/// `生物、化学、ミサイル、核\nB,C,M,N` (and `M、N`, `ミサイルM`, full-width `Ｎ`) → `B,C,M,N`.
fn wmd_codes(cell: &str) -> String {
    let folded: String = cell.nfkc().collect();
    let mut codes: Vec<char> = folded.chars().filter(|c| matches!(c, 'B' | 'C' | 'M' | 'N')).collect();
    codes.dedup();
    codes.iter().map(char::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_their_native_line_and_acronym() {
        assert_eq!(
            name_and_native("Kim Il Sung University\n(金日成総合大学)"),
            ("Kim Il Sung University".to_owned(), vec!["金日成総合大学".to_owned()])
        );
        assert_eq!(
            name_and_native(" National University of Sciences and Technology（NUST） "),
            ("National University of Sciences and Technology".to_owned(), vec!["NUST".to_owned()])
        );
        assert_eq!(name_and_native("Al Qa'ida/Islamic Army"), ("Al Qa'ida/Islamic Army".to_owned(), vec![]));
    }

    #[test]
    fn wmd_codes_read_through_irregular_cells() {
        assert_eq!(wmd_codes("生物、化学、ミサイル、核\nB,C,M,N"), "B,C,M,N");
        assert_eq!(wmd_codes("ミサイル、核\nM、N"), "M,N");
        assert_eq!(wmd_codes("ミサイルM"), "M");
        assert_eq!(wmd_codes("核\nＮ "), "N");
    }
}
