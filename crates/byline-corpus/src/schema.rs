//! The tables of a corpus, their columns, and how a [`Work`] is flattened into rows.
//!
//! Column order and types are the stable schema (bump `byline_model::SCHEMA_VERSION` when they change).
//! Types are chosen for every Parquet reader: strings are UTF-8, counts `UInt32`, offsets `UInt64`,
//! years `Int32`, scores `Float64`, lists are `List(String)`.

use byline_model::{Diagnostic, DiagnosticKind, Work};
use polars::prelude::*;

/// The tables of a corpus, in write order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Works,
    Authorships,
    Affiliations,
    Funding,
    References,
    Relations,
    Diagnostics,
    Deleted,
}

/// Every table, in a stable order.
pub const TABLES: [Table; 8] = [
    Table::Works,
    Table::Authorships,
    Table::Affiliations,
    Table::Funding,
    Table::References,
    Table::Relations,
    Table::Diagnostics,
    Table::Deleted,
];

impl Table {
    /// The directory name of this table inside a corpus.
    pub fn dir_name(self) -> &'static str {
        match self {
            Table::Works => "works",
            Table::Authorships => "authorships",
            Table::Affiliations => "affiliations",
            Table::Funding => "funding",
            Table::References => "references",
            Table::Relations => "relations",
            Table::Diagnostics => "diagnostics",
            Table::Deleted => "deleted",
        }
    }
}

/// A column being filled, row by row. Strings and lists of strings go straight into Arrow builders (one copy
/// of the bytes, no allocation per value); numbers are plain vectors.
pub(crate) enum ColumnBuf {
    Str(StringChunkedBuilder),
    U64(Vec<Option<u64>>),
    U32(Vec<Option<u32>>),
    I32(Vec<Option<i32>>),
    F64(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    ListStr(ListStringChunkedBuilder),
}

impl ColumnBuf {
    /// An empty column of `kind`, with room for about `rows` rows.
    fn empty(name: &str, kind: Kind, rows: usize) -> ColumnBuf {
        let name = PlSmallStr::from(name);
        match kind {
            Kind::Str => ColumnBuf::Str(StringChunkedBuilder::new(name, rows)),
            Kind::U64 => ColumnBuf::U64(Vec::with_capacity(rows)),
            Kind::U32 => ColumnBuf::U32(Vec::with_capacity(rows)),
            Kind::I32 => ColumnBuf::I32(Vec::with_capacity(rows)),
            Kind::F64 => ColumnBuf::F64(Vec::with_capacity(rows)),
            Kind::Bool => ColumnBuf::Bool(Vec::with_capacity(rows)),
            Kind::ListStr => ColumnBuf::ListStr(ListStringChunkedBuilder::new(name, rows, rows)),
        }
    }

    fn into_column(self, name: &str) -> Column {
        let name = PlSmallStr::from(name);
        match self {
            ColumnBuf::Str(b) => b.finish().into_column(),
            ColumnBuf::U64(v) => Column::new(name, v),
            ColumnBuf::U32(v) => Column::new(name, v),
            ColumnBuf::I32(v) => Column::new(name, v),
            ColumnBuf::F64(v) => Column::new(name, v),
            ColumnBuf::Bool(v) => Column::new(name, v),
            ColumnBuf::ListStr(mut b) => b.finish().into_column(),
        }
    }
}

/// Rows of one table, column-major.
pub(crate) struct TableBuf {
    columns: &'static [(&'static str, Kind)],
    cols: Vec<ColumnBuf>,
    rows: usize,
}

/// The column kinds, used to declare schemas compactly.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Str,
    U64,
    U32,
    I32,
    F64,
    Bool,
    ListStr,
}

impl TableBuf {
    pub(crate) fn new(columns: &'static [(&'static str, Kind)]) -> TableBuf {
        let cols = columns.iter().map(|&(name, kind)| ColumnBuf::empty(name, kind, 0)).collect();
        TableBuf { columns, cols, rows: 0 }
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Moves the rows out as a DataFrame, leaving the buffer empty with the same schema (and room for as
    /// many rows as it just held).
    pub(crate) fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let height = std::mem::take(&mut self.rows);
        let mut columns = Vec::with_capacity(self.cols.len());
        for (&(name, kind), col) in self.columns.iter().zip(self.cols.iter_mut()) {
            let full = std::mem::replace(col, ColumnBuf::empty(name, kind, height));
            columns.push(full.into_column(name));
        }
        DataFrame::new(height, columns)
    }
}

/// Appends one row; values must be given in the table's column order, each matching its kind.
pub(crate) struct Row<'a> {
    buf: &'a mut TableBuf,
    next: usize,
}

impl<'a> Row<'a> {
    pub(crate) fn start(buf: &'a mut TableBuf) -> Row<'a> {
        Row { buf, next: 0 }
    }
    fn col(&mut self) -> &mut ColumnBuf {
        let i = self.next;
        self.next += 1;
        &mut self.buf.cols[i]
    }
    pub(crate) fn s(mut self, v: Option<&str>) -> Self {
        if let ColumnBuf::Str(c) = self.col() {
            c.append_option(v);
        }
        self
    }
    pub(crate) fn u64(mut self, v: Option<u64>) -> Self {
        if let ColumnBuf::U64(c) = self.col() {
            c.push(v);
        }
        self
    }
    pub(crate) fn u32(mut self, v: Option<u32>) -> Self {
        if let ColumnBuf::U32(c) = self.col() {
            c.push(v);
        }
        self
    }
    pub(crate) fn i32(mut self, v: Option<i32>) -> Self {
        if let ColumnBuf::I32(c) = self.col() {
            c.push(v);
        }
        self
    }
    pub(crate) fn f64(mut self, v: Option<f64>) -> Self {
        if let ColumnBuf::F64(c) = self.col() {
            c.push(v);
        }
        self
    }
    pub(crate) fn b(mut self, v: Option<bool>) -> Self {
        if let ColumnBuf::Bool(c) = self.col() {
            c.push(v);
        }
        self
    }
    pub(crate) fn list<'s>(mut self, v: impl IntoIterator<Item = &'s str>) -> Self {
        if let ColumnBuf::ListStr(c) = self.col() {
            c.append_values_iter(v.into_iter());
        }
        self
    }
    /// Checks every column got a value (a schema/row mismatch is a programming error caught by tests).
    pub(crate) fn end(self) {
        debug_assert_eq!(self.next, self.buf.cols.len(), "row does not fill every column");
        self.buf.rows += 1;
    }
}

pub(crate) const WORKS: &[(&str, Kind)] = &[
    ("work_id", Kind::Str),
    ("format", Kind::Str),
    ("source_path", Kind::Str),
    ("record_index", Kind::U64),
    ("line", Kind::U64),
    ("byte_offset", Kind::U64),
    ("doi", Kind::Str),
    ("pmid", Kind::Str),
    ("pmcid", Kind::Str),
    ("openalex_id", Kind::Str),
    ("other_ids", Kind::ListStr),
    ("title", Kind::Str),
    ("abstract", Kind::Str),
    ("year", Kind::I32),
    ("month", Kind::I32),
    ("day", Kind::I32),
    ("venue_title", Kind::Str),
    ("venue_abbreviation", Kind::Str),
    ("issns", Kind::ListStr),
    ("publisher", Kind::Str),
    ("volume", Kind::Str),
    ("issue", Kind::Str),
    ("pages", Kind::Str),
    ("language", Kind::Str),
    ("publication_types", Kind::ListStr),
    ("retracted_flag", Kind::Bool),
    ("is_retracted", Kind::Bool),
    ("is_retraction_notice", Kind::Bool),
    ("keywords", Kind::ListStr),
    ("mesh", Kind::ListStr),
    ("funding_statement", Kind::Str),
    ("acknowledgements", Kind::Str),
    ("n_authors", Kind::U32),
    ("n_references", Kind::U32),
    ("other_titles", Kind::ListStr),
    ("venue_other_titles", Kind::ListStr),
];

pub(crate) const AUTHORSHIPS: &[(&str, Kind)] = &[
    ("work_id", Kind::Str),
    ("position", Kind::U32),
    ("raw_name", Kind::Str),
    ("given", Kind::Str),
    ("family", Kind::Str),
    ("suffix", Kind::Str),
    ("initials", Kind::Str),
    ("collective", Kind::Str),
    ("orcid", Kind::Str),
    ("corresponding", Kind::Bool),
    ("email", Kind::Str),
    ("n_affiliations", Kind::U32),
    ("other_names", Kind::ListStr),
];

pub(crate) const AFFILIATIONS: &[(&str, Kind)] = &[
    ("work_id", Kind::Str),
    ("position", Kind::U32),
    ("affiliation_index", Kind::U32),
    ("raw", Kind::Str),
    ("institution", Kind::Str),
    ("department", Kind::Str),
    ("city", Kind::Str),
    ("country", Kind::Str),
    ("country_code", Kind::Str),
    ("ror", Kind::Str),
];

pub(crate) const FUNDING: &[(&str, Kind)] = &[
    ("work_id", Kind::Str),
    ("funding_index", Kind::U32),
    ("agency", Kind::Str),
    ("grant_id", Kind::Str),
    ("country", Kind::Str),
    ("funder_id", Kind::Str),
];

pub(crate) const REFERENCES: &[(&str, Kind)] = &[
    ("work_id", Kind::Str),
    ("reference_index", Kind::U32),
    ("doi", Kind::Str),
    ("pmid", Kind::Str),
    ("openalex_id", Kind::Str),
    ("raw", Kind::Str),
];

pub(crate) const RELATIONS: &[(&str, Kind)] =
    &[("work_id", Kind::Str), ("kind", Kind::Str), ("doi", Kind::Str), ("pmid", Kind::Str)];

pub(crate) const DIAGNOSTICS: &[(&str, Kind)] = &[
    ("kind", Kind::Str),
    ("path", Kind::Str),
    ("record_index", Kind::U64),
    ("line", Kind::U64),
    ("byte_offset", Kind::U64),
    ("reason", Kind::Str),
];

pub(crate) const DELETED: &[(&str, Kind)] = &[("pmid", Kind::Str), ("source_path", Kind::Str)];

/// The buffered rows of every table for one part.
pub(crate) struct PartBuffers {
    /// Approximate bytes of text buffered (the strings of every table): the part is flushed when it grows
    /// past a budget, so memory stays bounded whatever the records look like.
    pub text_bytes: usize,
    pub works: TableBuf,
    pub authorships: TableBuf,
    pub affiliations: TableBuf,
    pub funding: TableBuf,
    pub references: TableBuf,
    pub relations: TableBuf,
    pub diagnostics: TableBuf,
    pub deleted: TableBuf,
}

/// The text a work adds to the buffers, approximately (strings dominate; a fixed 64 bytes per row covers
/// ids, numbers and allocation overhead).
fn approx_text_bytes(w: &Work) -> usize {
    let len = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let mut n = 64 + len(&w.title) + len(&w.abstract_text) + len(&w.funding_statement) + len(&w.acknowledgements);
    n += w.keywords.iter().chain(&w.mesh).chain(&w.publication_types).map(String::len).sum::<usize>();
    for a in &w.authors {
        n += 64 + a.raw_name.len() + len(&a.given) + len(&a.family) + len(&a.email);
        n += a.affiliations.iter().map(|af| 64 + af.raw.len() + len(&af.institution)).sum::<usize>();
    }
    n += w.references.iter().map(|r| 64 + len(&r.raw) + len(&r.doi)).sum::<usize>();
    n + w.funding.iter().map(|f| 64 + len(&f.agency) + len(&f.grant_id)).sum::<usize>()
}

pub(crate) fn strs(v: &[String]) -> impl Iterator<Item = &str> {
    v.iter().map(String::as_str)
}

fn u32_of(n: usize) -> Option<u32> {
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

impl PartBuffers {
    pub(crate) fn new() -> PartBuffers {
        PartBuffers {
            text_bytes: 0,
            works: TableBuf::new(WORKS),
            authorships: TableBuf::new(AUTHORSHIPS),
            affiliations: TableBuf::new(AFFILIATIONS),
            funding: TableBuf::new(FUNDING),
            references: TableBuf::new(REFERENCES),
            relations: TableBuf::new(RELATIONS),
            diagnostics: TableBuf::new(DIAGNOSTICS),
            deleted: TableBuf::new(DELETED),
        }
    }

    pub(crate) fn table_mut(&mut self, t: Table) -> &mut TableBuf {
        match t {
            Table::Works => &mut self.works,
            Table::Authorships => &mut self.authorships,
            Table::Affiliations => &mut self.affiliations,
            Table::Funding => &mut self.funding,
            Table::References => &mut self.references,
            Table::Relations => &mut self.relations,
            Table::Diagnostics => &mut self.diagnostics,
            Table::Deleted => &mut self.deleted,
        }
    }

    /// Flattens one work into rows of every table.
    pub(crate) fn push_work(&mut self, w: &Work) {
        self.text_bytes += approx_text_bytes(w);
        let id = Some(w.work_id.as_str());
        let other: Vec<String> = w.ids.other.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        let other_titles: Vec<String> = w.other_titles.iter().map(|(lang, t)| format!("{lang}:{t}")).collect();
        Row::start(&mut self.works)
            .s(id)
            .s(w.format.map(|f| f.as_str()))
            .s(Some(&w.source.path))
            .u64(Some(w.source.record_index))
            .u64(w.source.line)
            .u64(w.source.byte_offset)
            .s(w.ids.doi.as_deref())
            .s(w.ids.pmid.as_deref())
            .s(w.ids.pmcid.as_deref())
            .s(w.ids.openalex.as_deref())
            .list(strs(&other))
            .s(w.title.as_deref())
            .s(w.abstract_text.as_deref())
            .i32(w.date.map(|d| d.year))
            .i32(w.date.and_then(|d| d.month).map(i32::from))
            .i32(w.date.and_then(|d| d.day).map(i32::from))
            .s(w.venue.title.as_deref())
            .s(w.venue.abbreviation.as_deref())
            .list(strs(&w.venue.issns))
            .s(w.venue.publisher.as_deref())
            .s(w.venue.volume.as_deref())
            .s(w.venue.issue.as_deref())
            .s(w.venue.pages.as_deref())
            .s(w.language.as_deref())
            .list(strs(&w.publication_types))
            .b(w.retracted)
            .b(Some(w.is_retracted()))
            .b(Some(w.is_retraction_notice()))
            .list(strs(&w.keywords))
            .list(strs(&w.mesh))
            .s(w.funding_statement.as_deref())
            .s(w.acknowledgements.as_deref())
            .u32(u32_of(w.authors.len()))
            .u32(u32_of(w.references.len()))
            .list(strs(&other_titles))
            .list(strs(&w.venue.other_titles))
            .end();
        for (pos, a) in w.authors.iter().enumerate() {
            let position = u32_of(pos);
            Row::start(&mut self.authorships)
                .s(id)
                .u32(position)
                .s(Some(&a.raw_name))
                .s(a.given.as_deref())
                .s(a.family.as_deref())
                .s(a.suffix.as_deref())
                .s(a.initials.as_deref())
                .s(a.collective.as_deref())
                .s(a.orcid.as_deref())
                .b(a.corresponding)
                .s(a.email.as_deref())
                .u32(u32_of(a.affiliations.len()))
                .list(strs(&a.other_names))
                .end();
            for (i, af) in a.affiliations.iter().enumerate() {
                Row::start(&mut self.affiliations)
                    .s(id)
                    .u32(position)
                    .u32(u32_of(i))
                    .s(Some(&af.raw))
                    .s(af.institution.as_deref())
                    .s(af.department.as_deref())
                    .s(af.city.as_deref())
                    .s(af.country.as_deref())
                    .s(af.country_code.as_deref())
                    .s(af.ror.as_deref())
                    .end();
            }
        }
        for (i, f) in w.funding.iter().enumerate() {
            Row::start(&mut self.funding)
                .s(id)
                .u32(u32_of(i))
                .s(f.agency.as_deref())
                .s(f.grant_id.as_deref())
                .s(f.country.as_deref())
                .s(f.funder_id.as_deref())
                .end();
        }
        for (i, r) in w.references.iter().enumerate() {
            Row::start(&mut self.references)
                .s(id)
                .u32(u32_of(i))
                .s(r.doi.as_deref())
                .s(r.pmid.as_deref())
                .s(r.openalex.as_deref())
                .s(r.raw.as_deref())
                .end();
        }
        for r in &w.relations {
            Row::start(&mut self.relations).s(id).s(Some(&r.kind)).s(r.doi.as_deref()).s(r.pmid.as_deref()).end();
        }
    }

    pub(crate) fn push_diagnostic(&mut self, d: &Diagnostic) {
        let kind = match d.kind {
            DiagnosticKind::RecordRejected => "record_rejected",
            DiagnosticKind::FileError => "file_error",
            DiagnosticKind::Warning => "warning",
        };
        Row::start(&mut self.diagnostics)
            .s(Some(kind))
            .s(Some(&d.path))
            .u64(d.position.record_index)
            .u64(d.position.line)
            .u64(d.position.byte_offset)
            .s(Some(&d.reason))
            .end();
    }

    pub(crate) fn push_deleted(&mut self, pmid: &str, path: &str) {
        Row::start(&mut self.deleted).s(Some(pmid)).s(Some(path)).end();
    }
}
