//! Reading a corpus back: the manifest, whole tables, and works rebuilt part by part.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use byline_model::{
    Affiliation, Author, Format, Funding, PubDate, Reference, Relation, SourceRef, Venue, Work, WorkIds,
};
use polars::prelude::*;

use crate::manifest::Manifest;
use crate::schema::Table;
use crate::{CorpusError, io_err, pq_err};

/// Reads `manifest.json` from a corpus directory.
pub fn read_manifest(dir: &Path) -> Result<Manifest, CorpusError> {
    let path = dir.join("manifest.json");
    if !path.is_file() {
        return Err(CorpusError::NotACorpus {
            path: dir.display().to_string(),
            reason: "no manifest.json (create one with `byline ingest`)".to_owned(),
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
    serde_json::from_str(&text).map_err(|e| CorpusError::Manifest { path: path.display().to_string(), source: e })
}

/// Which works to rebuild.
#[derive(Debug, Clone, Default)]
pub enum WorkFilter {
    #[default]
    All,
    /// Only these work ids.
    Ids(HashSet<String>),
}

impl WorkFilter {
    fn keeps(&self, id: &str) -> bool {
        match self {
            WorkFilter::All => true,
            WorkFilter::Ids(ids) => ids.contains(id),
        }
    }
}

/// Which parts of a work to rebuild: a command asks for what its detectors read, and the tables and columns
/// it does not ask for are never read from disk (a field left out is empty: `None` or no rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkFields {
    /// The `authorships` table (the byline).
    pub authors: bool,
    /// The `affiliations` table (needs `authors`).
    pub affiliations: bool,
    pub funding: bool,
    pub references: bool,
    /// References' raw strings and OpenAlex ids (with `references`): only the DOI and PMID when false, and
    /// references without either are left out.
    pub reference_text: bool,
    pub relations: bool,
    /// The `abstract` column.
    pub abstract_text: bool,
    /// `keywords` and `mesh`.
    pub subject_terms: bool,
    /// `funding_statement` and `acknowledgements`.
    pub statements: bool,
}

impl WorkFields {
    /// Every field: the work as it was ingested.
    pub const ALL: WorkFields = WorkFields {
        authors: true,
        affiliations: true,
        funding: true,
        references: true,
        reference_text: true,
        relations: true,
        abstract_text: true,
        subject_terms: true,
        statements: true,
    };

    /// The work's own columns only: ids, title, date, venue, types (no child table, no long text).
    pub const RECORD: WorkFields = WorkFields {
        authors: false,
        affiliations: false,
        funding: false,
        references: false,
        reference_text: false,
        relations: false,
        abstract_text: false,
        subject_terms: false,
        statements: false,
    };

    /// The columns of the works table these fields need.
    fn work_columns(&self) -> Vec<&'static str> {
        WORK_COLUMNS
            .iter()
            .filter(|c| match **c {
                "abstract" => self.abstract_text,
                "keywords" | "mesh" => self.subject_terms,
                "funding_statement" | "acknowledgements" => self.statements,
                _ => true,
            })
            .copied()
            .collect()
    }
}

impl Default for WorkFields {
    fn default() -> WorkFields {
        WorkFields::ALL
    }
}

/// The columns of the works table that `work_from_row` reads.
const WORK_COLUMNS: [&str; 30] = [
    "work_id",
    "format",
    "source_path",
    "record_index",
    "line",
    "byte_offset",
    "doi",
    "pmid",
    "pmcid",
    "openalex_id",
    "other_ids",
    "title",
    "abstract",
    "year",
    "month",
    "day",
    "venue_title",
    "venue_abbreviation",
    "issns",
    "publisher",
    "volume",
    "issue",
    "pages",
    "language",
    "publication_types",
    "retracted_flag",
    "keywords",
    "mesh",
    "funding_statement",
    "acknowledgements",
];

/// An open corpus.
pub struct CorpusReader {
    dir: PathBuf,
    manifest: Manifest,
}

impl CorpusReader {
    pub fn open(dir: &Path) -> Result<CorpusReader, CorpusError> {
        let manifest = read_manifest(dir)?;
        Ok(CorpusReader { dir: dir.to_path_buf(), manifest })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Parquet file of one table's part.
    pub fn part_path(&self, table: Table, part: &str) -> PathBuf {
        self.dir.join(table.dir_name()).join(format!("{part}.parquet"))
    }

    /// Reads some columns (all when `columns` is `None`) of one table's part.
    pub fn read_part(&self, table: Table, part: &str, columns: Option<&[&str]>) -> Result<DataFrame, CorpusError> {
        let path = self.part_path(table, part);
        let file = File::open(&path).map_err(|e| io_err(&path, e))?;
        let mut reader = ParquetReader::new(file);
        if let Some(cols) = columns {
            reader = reader.with_columns(Some(cols.iter().map(|c| (*c).to_owned()).collect()));
        }
        reader.finish().map_err(|e| pq_err(&path, e))
    }

    /// Reads a whole table (all parts, in order). For tests and small corpora; large ones go part by part.
    pub fn read_table(&self, table: Table, columns: Option<&[&str]>) -> Result<DataFrame, CorpusError> {
        let mut out: Option<DataFrame> = None;
        for part in &self.manifest.parts {
            let df = self.read_part(table, part, columns)?;
            out = Some(match out {
                None => df,
                Some(mut acc) => {
                    acc.vstack_mut(&df).map_err(|e| pq_err(&self.dir, e))?;
                    acc
                }
            });
        }
        Ok(out.unwrap_or_default())
    }

    /// Rebuilds the works of one part that pass `filter`, in record order, with every field.
    pub fn works_in_part(&self, part: &str, filter: &WorkFilter) -> Result<Vec<Work>, CorpusError> {
        self.works_in_part_with(part, filter, &WorkFields::ALL)
    }

    /// Rebuilds the works of one part that pass `filter`, in record order, reading only the tables and
    /// columns `fields` asks for.
    pub fn works_in_part_with(
        &self,
        part: &str,
        filter: &WorkFilter,
        fields: &WorkFields,
    ) -> Result<Vec<Work>, CorpusError> {
        let mut columns = fields.work_columns();
        // Schema 2 added `other_titles` and `venue_other_titles`; a corpus written before has neither.
        if self.manifest.schema_version >= 2 {
            columns.extend(["other_titles", "venue_other_titles"]);
        }
        let works = self.read_part(Table::Works, part, Some(&columns))?;
        let err = |e: PolarsError| pq_err(&self.part_path(Table::Works, part), e);
        let ids = works.column("work_id").and_then(Column::str).map_err(err)?;
        let keep: Vec<usize> = (0..works.height()).filter(|&i| ids.get(i).is_some_and(|id| filter.keeps(id))).collect();
        if keep.is_empty() {
            return Ok(Vec::new());
        }
        let mut out: Vec<Work> =
            keep.iter().map(|&i| work_from_row(&works, i)).collect::<PolarsResult<_>>().map_err(err)?;
        let index: HashMap<String, usize> = out.iter().enumerate().map(|(i, w)| (w.work_id.clone(), i)).collect();

        if fields.authors {
            self.add_authors(part, &index, &mut out)?;
        }
        if fields.authors && fields.affiliations {
            self.add_affiliations(part, &index, &mut out)?;
        }
        if fields.funding {
            self.add_funding(part, &index, &mut out)?;
        }
        if fields.references {
            self.add_references(part, &index, &mut out, fields.reference_text)?;
        }
        if fields.relations {
            self.add_relations(part, &index, &mut out)?;
        }
        Ok(out)
    }

    fn add_authors(&self, part: &str, index: &HashMap<String, usize>, out: &mut [Work]) -> Result<(), CorpusError> {
        let t = self.read_part(Table::Authorships, part, None)?;
        let e = |e: PolarsError| pq_err(&self.part_path(Table::Authorships, part), e);
        let wid = t.column("work_id").and_then(Column::str).map_err(e)?;
        for row in 0..t.height() {
            if let Some(&w) = wid.get(row).and_then(|id| index.get(id)) {
                out[w].authors.push(author_from_row(&t, row).map_err(e)?);
            }
        }
        Ok(())
    }

    fn add_affiliations(
        &self,
        part: &str,
        index: &HashMap<String, usize>,
        out: &mut [Work],
    ) -> Result<(), CorpusError> {
        let t = self.read_part(Table::Affiliations, part, None)?;
        let e = |e: PolarsError| pq_err(&self.part_path(Table::Affiliations, part), e);
        let wid = t.column("work_id").and_then(Column::str).map_err(e)?;
        let pos = t.column("position").and_then(Column::u32).map_err(e)?;
        for row in 0..t.height() {
            if let (Some(&w), Some(p)) = (wid.get(row).and_then(|id| index.get(id)), pos.get(row))
                && let Some(author) = out[w].authors.get_mut(p as usize)
            {
                author.affiliations.push(affiliation_from_row(&t, row).map_err(e)?);
            }
        }
        Ok(())
    }

    fn add_funding(&self, part: &str, index: &HashMap<String, usize>, out: &mut [Work]) -> Result<(), CorpusError> {
        let t = self.read_part(Table::Funding, part, None)?;
        let e = |e: PolarsError| pq_err(&self.part_path(Table::Funding, part), e);
        let wid = t.column("work_id").and_then(Column::str).map_err(e)?;
        for row in 0..t.height() {
            if let Some(&w) = wid.get(row).and_then(|id| index.get(id)) {
                out[w].funding.push(Funding {
                    agency: s(&t, "agency", row).map_err(e)?,
                    grant_id: s(&t, "grant_id", row).map_err(e)?,
                    country: s(&t, "country", row).map_err(e)?,
                    funder_id: s(&t, "funder_id", row).map_err(e)?,
                });
            }
        }
        Ok(())
    }

    fn add_references(
        &self,
        part: &str,
        index: &HashMap<String, usize>,
        out: &mut [Work],
        text: bool,
    ) -> Result<(), CorpusError> {
        const IDS: [&str; 3] = ["work_id", "doi", "pmid"];
        let t = self.read_part(Table::References, part, if text { None } else { Some(&IDS) })?;
        let e = |e: PolarsError| pq_err(&self.part_path(Table::References, part), e);
        let wid = t.column("work_id").and_then(Column::str).map_err(e)?;
        for row in 0..t.height() {
            if let Some(&w) = wid.get(row).and_then(|id| index.get(id)) {
                let doi = s(&t, "doi", row).map_err(e)?;
                let pmid = s(&t, "pmid", row).map_err(e)?;
                if text {
                    let openalex = s(&t, "openalex_id", row).map_err(e)?;
                    let raw = s(&t, "raw", row).map_err(e)?;
                    out[w].references.push(Reference { doi, pmid, openalex, raw });
                } else if doi.is_some() || pmid.is_some() {
                    out[w].references.push(Reference { doi, pmid, openalex: None, raw: None });
                }
            }
        }
        Ok(())
    }

    fn add_relations(&self, part: &str, index: &HashMap<String, usize>, out: &mut [Work]) -> Result<(), CorpusError> {
        let t = self.read_part(Table::Relations, part, None)?;
        let e = |e: PolarsError| pq_err(&self.part_path(Table::Relations, part), e);
        let wid = t.column("work_id").and_then(Column::str).map_err(e)?;
        for row in 0..t.height() {
            if let Some(&w) = wid.get(row).and_then(|id| index.get(id)) {
                out[w].relations.push(Relation {
                    kind: s(&t, "kind", row).map_err(e)?.unwrap_or_default(),
                    doi: s(&t, "doi", row).map_err(e)?,
                    pmid: s(&t, "pmid", row).map_err(e)?,
                });
            }
        }
        Ok(())
    }

    /// Calls `f` with every work passing `filter`, part by part (memory bounded by one part).
    pub fn for_each_work(&self, filter: &WorkFilter, mut f: impl FnMut(Work)) -> Result<(), CorpusError> {
        for part in &self.manifest.parts {
            for w in self.works_in_part(part, filter)? {
                f(w);
            }
        }
        Ok(())
    }

    /// Calls `f` with every work passing `filter`, part by part, rebuilt with only `fields`.
    pub fn for_each_work_with(
        &self,
        filter: &WorkFilter,
        fields: &WorkFields,
        mut f: impl FnMut(Work),
    ) -> Result<(), CorpusError> {
        for part in &self.manifest.parts {
            for w in self.works_in_part_with(part, filter, fields)? {
                f(w);
            }
        }
        Ok(())
    }

    /// All works passing `filter`, in corpus order.
    pub fn works(&self, filter: &WorkFilter) -> Result<Vec<Work>, CorpusError> {
        let mut out = Vec::new();
        self.for_each_work(filter, |w| out.push(w))?;
        Ok(out)
    }
}

fn s(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Option<String>> {
    Ok(df.column(col)?.str()?.get(row).map(str::to_owned))
}

fn u64c(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Option<u64>> {
    Ok(df.column(col)?.u64()?.get(row))
}

fn i32c(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Option<i32>> {
    Ok(df.column(col)?.i32()?.get(row))
}

fn boolc(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Option<bool>> {
    Ok(df.column(col)?.bool()?.get(row))
}

fn list(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Vec<String>> {
    let Some(series) = df.column(col)?.list()?.get_as_series(row) else {
        return Ok(Vec::new());
    };
    Ok(series.str()?.iter().flatten().map(str::to_owned).collect())
}

/// A column a projection may have left out ([`WorkFields`]): `None` when it was not read.
fn opt_s(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Option<String>> {
    if df.schema().contains(col) { s(df, col, row) } else { Ok(None) }
}

fn opt_list(df: &DataFrame, col: &str, row: usize) -> PolarsResult<Vec<String>> {
    if df.schema().contains(col) { list(df, col, row) } else { Ok(Vec::new()) }
}

fn work_from_row(df: &DataFrame, i: usize) -> PolarsResult<Work> {
    let year = i32c(df, "year", i)?;
    let small = |v: Option<i32>| v.and_then(|m| u8::try_from(m).ok());
    let date = year
        .map(|y| PubDate::new(y, small(i32c(df, "month", i).ok().flatten()), small(i32c(df, "day", i).ok().flatten())));
    let other = list(df, "other_ids", i)?
        .into_iter()
        .map(|kv| match kv.split_once(':') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (String::new(), kv),
        })
        .collect();
    Ok(Work {
        work_id: s(df, "work_id", i)?.unwrap_or_default(),
        format: s(df, "format", i)?.as_deref().and_then(Format::from_name),
        source: SourceRef {
            path: s(df, "source_path", i)?.unwrap_or_default(),
            record_index: u64c(df, "record_index", i)?.unwrap_or_default(),
            line: u64c(df, "line", i)?,
            byte_offset: u64c(df, "byte_offset", i)?,
        },
        ids: WorkIds {
            doi: s(df, "doi", i)?,
            pmid: s(df, "pmid", i)?,
            pmcid: s(df, "pmcid", i)?,
            openalex: s(df, "openalex_id", i)?,
            other,
        },
        title: s(df, "title", i)?,
        other_titles: opt_list(df, "other_titles", i)?
            .into_iter()
            .map(|lt| match lt.split_once(':') {
                Some((lang, t)) => (lang.to_owned(), t.to_owned()),
                None => (String::new(), lt),
            })
            .collect(),
        abstract_text: opt_s(df, "abstract", i)?,
        date,
        venue: Venue {
            title: s(df, "venue_title", i)?,
            abbreviation: s(df, "venue_abbreviation", i)?,
            issns: list(df, "issns", i)?,
            publisher: s(df, "publisher", i)?,
            volume: s(df, "volume", i)?,
            issue: s(df, "issue", i)?,
            pages: s(df, "pages", i)?,
            other_titles: opt_list(df, "venue_other_titles", i)?,
        },
        language: s(df, "language", i)?,
        publication_types: list(df, "publication_types", i)?,
        retracted: boolc(df, "retracted_flag", i)?,
        relations: Vec::new(),
        keywords: opt_list(df, "keywords", i)?,
        mesh: opt_list(df, "mesh", i)?,
        references: Vec::new(),
        funding: Vec::new(),
        funding_statement: opt_s(df, "funding_statement", i)?,
        acknowledgements: opt_s(df, "acknowledgements", i)?,
        authors: Vec::new(),
    })
}

fn author_from_row(df: &DataFrame, i: usize) -> PolarsResult<Author> {
    Ok(Author {
        raw_name: s(df, "raw_name", i)?.unwrap_or_default(),
        given: s(df, "given", i)?,
        family: s(df, "family", i)?,
        suffix: s(df, "suffix", i)?,
        initials: s(df, "initials", i)?,
        collective: s(df, "collective", i)?,
        orcid: s(df, "orcid", i)?,
        corresponding: boolc(df, "corresponding", i)?,
        email: s(df, "email", i)?,
        affiliations: Vec::new(),
        other_names: opt_list(df, "other_names", i)?,
    })
}

fn affiliation_from_row(df: &DataFrame, i: usize) -> PolarsResult<Affiliation> {
    Ok(Affiliation {
        raw: s(df, "raw", i)?.unwrap_or_default(),
        institution: s(df, "institution", i)?,
        department: s(df, "department", i)?,
        city: s(df, "city", i)?,
        country: s(df, "country", i)?,
        country_code: s(df, "country_code", i)?,
        ror: s(df, "ror", i)?,
    })
}

/// The name columns of one authorship, for scans that must not rebuild whole works.
#[derive(Debug, Clone, Copy)]
pub struct AuthorshipNames<'a> {
    pub work_id: &'a str,
    pub raw_name: Option<&'a str>,
    pub given: Option<&'a str>,
    pub family: Option<&'a str>,
    pub orcid: Option<&'a str>,
    pub collective: Option<&'a str>,
}

impl CorpusReader {
    /// Calls `f(part, names)` for every authorship, reading only the name and ORCID columns (a corpus of
    /// millions of works is scanned in seconds this way).
    pub fn scan_authorship_names(&self, mut f: impl FnMut(&str, AuthorshipNames<'_>)) -> Result<(), CorpusError> {
        const COLUMNS: [&str; 6] = ["work_id", "raw_name", "given", "family", "orcid", "collective"];
        for part in &self.manifest.parts {
            let df = self.read_part(Table::Authorships, part, Some(&COLUMNS))?;
            let path = self.part_path(Table::Authorships, part);
            let col = |name: &str| df.column(name).and_then(Column::str).map_err(|e| pq_err(&path, e));
            let (ids, raw, given, family, orcid, collective) =
                (col("work_id")?, col("raw_name")?, col("given")?, col("family")?, col("orcid")?, col("collective")?);
            for i in 0..df.height() {
                let Some(work_id) = ids.get(i) else { continue };
                f(
                    part,
                    AuthorshipNames {
                        work_id,
                        raw_name: raw.get(i),
                        given: given.get(i),
                        family: family.get(i),
                        orcid: orcid.get(i),
                        collective: collective.get(i),
                    },
                );
            }
        }
        Ok(())
    }
}
