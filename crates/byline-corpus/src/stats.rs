//! Counts and field coverage per source format: the first thing an analyst asks of a corpus.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::Serialize;

use crate::read::CorpusReader;
use crate::schema::Table;
use crate::{CorpusError, pq_err};

/// Coverage counts for one source format (or for all, under the key `all`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub works: u64,
    pub with_doi: u64,
    pub with_pmid: u64,
    pub with_title: u64,
    pub with_abstract: u64,
    pub with_year: u64,
    pub with_mesh: u64,
    pub with_keywords: u64,
    pub with_funding: u64,
    pub with_references: u64,
    pub retracted: u64,
    pub retraction_notices: u64,
    pub min_year: Option<i32>,
    pub max_year: Option<i32>,
    pub authorships: u64,
    pub collective_authorships: u64,
    pub authorships_with_orcid: u64,
    pub authorships_with_email: u64,
    pub authorships_with_affiliation: u64,
    pub affiliations: u64,
    pub affiliations_with_country: u64,
    pub affiliations_with_ror: u64,
    pub funding_rows: u64,
    pub reference_rows: u64,
}

/// Corpus statistics: per-format coverage plus the ingest accounting from the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusStats {
    pub totals: crate::Totals,
    /// Per format, plus `all`.
    pub coverage: BTreeMap<String, Coverage>,
    /// Diagnostics by kind.
    pub diagnostics: BTreeMap<String, u64>,
}

/// Computes statistics part by part (memory bounded by one part's columns).
pub fn corpus_stats(reader: &CorpusReader) -> Result<CorpusStats, CorpusError> {
    let mut coverage: BTreeMap<String, Coverage> = BTreeMap::new();
    let mut diagnostics: BTreeMap<String, u64> = BTreeMap::new();
    for part in &reader.manifest().parts {
        let perr = |t: Table| {
            let path = reader.part_path(t, part);
            move |e: PolarsError| pq_err(&path, e)
        };
        let works = reader.read_part(
            Table::Works,
            part,
            Some(&[
                "work_id",
                "format",
                "doi",
                "pmid",
                "title",
                "abstract",
                "year",
                "mesh",
                "keywords",
                "is_retracted",
                "is_retraction_notice",
            ]),
        )?;
        let format_of = work_formats(&works).map_err(perr(Table::Works))?;
        add_works(&works, &mut coverage).map_err(perr(Table::Works))?;
        let t = reader.read_part(
            Table::Authorships,
            part,
            Some(&["work_id", "collective", "orcid", "email", "n_affiliations"]),
        )?;
        add_authorships(&t, &format_of, &mut coverage).map_err(perr(Table::Authorships))?;
        let t = reader.read_part(Table::Affiliations, part, Some(&["work_id", "country", "country_code", "ror"]))?;
        add_affiliations(&t, &format_of, &mut coverage).map_err(perr(Table::Affiliations))?;
        for (table, field) in [(Table::Funding, 0), (Table::References, 1)] {
            let t = reader.read_part(table, part, Some(&["work_id"]))?;
            let ids = t.column("work_id").and_then(Column::str).map_err(perr(table))?;
            let mut seen: HashMap<&str, ()> = HashMap::new();
            for id in ids.iter().flatten() {
                let first = seen.insert(id, ()).is_none();
                for key in keys(&format_of, id) {
                    let c = coverage.entry(key).or_default();
                    if field == 0 {
                        c.funding_rows += 1;
                        c.with_funding += u64::from(first);
                    } else {
                        c.reference_rows += 1;
                        c.with_references += u64::from(first);
                    }
                }
            }
        }
        let t = reader.read_part(Table::Diagnostics, part, Some(&["kind"]))?;
        let kinds = t.column("kind").and_then(Column::str).map_err(perr(Table::Diagnostics))?;
        for k in kinds.iter().flatten() {
            *diagnostics.entry(k.to_owned()).or_default() += 1;
        }
    }
    Ok(CorpusStats { totals: reader.manifest().totals.clone(), coverage, diagnostics })
}

fn work_formats(works: &DataFrame) -> PolarsResult<HashMap<String, String>> {
    let ids = works.column("work_id")?.str()?;
    let formats = works.column("format")?.str()?;
    Ok(ids
        .iter()
        .zip(formats.iter())
        .filter_map(|(id, f)| Some((id?.to_owned(), f.unwrap_or("unknown").to_owned())))
        .collect())
}

fn keys(format_of: &HashMap<String, String>, work_id: &str) -> [String; 2] {
    ["all".to_owned(), format_of.get(work_id).cloned().unwrap_or_else(|| "unknown".to_owned())]
}

fn add_works(df: &DataFrame, coverage: &mut BTreeMap<String, Coverage>) -> PolarsResult<()> {
    let formats = df.column("format")?.str()?;
    let doi = df.column("doi")?.str()?;
    let pmid = df.column("pmid")?.str()?;
    let title = df.column("title")?.str()?;
    let abs = df.column("abstract")?.str()?;
    let year = df.column("year")?.i32()?;
    let mesh = df.column("mesh")?.list()?;
    let kw = df.column("keywords")?.list()?;
    let retracted = df.column("is_retracted")?.bool()?;
    let notice = df.column("is_retraction_notice")?.bool()?;
    for i in 0..df.height() {
        let format = formats.get(i).unwrap_or("unknown");
        for key in ["all", format] {
            let c = coverage.entry(key.to_owned()).or_default();
            c.works += 1;
            c.with_doi += u64::from(doi.get(i).is_some());
            c.with_pmid += u64::from(pmid.get(i).is_some());
            c.with_title += u64::from(title.get(i).is_some());
            c.with_abstract += u64::from(abs.get(i).is_some());
            if let Some(y) = year.get(i) {
                c.with_year += 1;
                c.min_year = Some(c.min_year.map_or(y, |m| m.min(y)));
                c.max_year = Some(c.max_year.map_or(y, |m| m.max(y)));
            }
            c.with_mesh += u64::from(mesh.get_as_series(i).is_some_and(|s| !s.is_empty()));
            c.with_keywords += u64::from(kw.get_as_series(i).is_some_and(|s| !s.is_empty()));
            c.retracted += u64::from(retracted.get(i) == Some(true));
            c.retraction_notices += u64::from(notice.get(i) == Some(true));
        }
    }
    Ok(())
}

fn add_authorships(
    df: &DataFrame,
    format_of: &HashMap<String, String>,
    coverage: &mut BTreeMap<String, Coverage>,
) -> PolarsResult<()> {
    let ids = df.column("work_id")?.str()?;
    let collective = df.column("collective")?.str()?;
    let orcid = df.column("orcid")?.str()?;
    let email = df.column("email")?.str()?;
    let n_aff = df.column("n_affiliations")?.u32()?;
    for i in 0..df.height() {
        let Some(id) = ids.get(i) else { continue };
        for key in keys(format_of, id) {
            let c = coverage.entry(key).or_default();
            c.authorships += 1;
            c.collective_authorships += u64::from(collective.get(i).is_some());
            c.authorships_with_orcid += u64::from(orcid.get(i).is_some());
            c.authorships_with_email += u64::from(email.get(i).is_some());
            c.authorships_with_affiliation += u64::from(n_aff.get(i).unwrap_or(0) > 0);
        }
    }
    Ok(())
}

fn add_affiliations(
    df: &DataFrame,
    format_of: &HashMap<String, String>,
    coverage: &mut BTreeMap<String, Coverage>,
) -> PolarsResult<()> {
    let ids = df.column("work_id")?.str()?;
    let country = df.column("country")?.str()?;
    let code = df.column("country_code")?.str()?;
    let ror = df.column("ror")?.str()?;
    for i in 0..df.height() {
        let Some(id) = ids.get(i) else { continue };
        for key in keys(format_of, id) {
            let c = coverage.entry(key).or_default();
            c.affiliations += 1;
            c.affiliations_with_country += u64::from(country.get(i).is_some() || code.get(i).is_some());
            c.affiliations_with_ror += u64::from(ror.get(i).is_some());
        }
    }
    Ok(())
}
