#!/usr/bin/env python3
"""Round-trip check: generated files -> `byline ingest` -> Parquet read back by polars, DuckDB and pandas.

Usage: check_roundtrip.py GENERATED_DIR CORPUS_DIR

Checks that
  * manifest.json is internally consistent (per file: records_seen == works + rejected; totals == sum of files),
  * every table has the same row count in polars, DuckDB and pandas, and the counts match the manifest,
  * a few records read straight from the generator's files (3 PubMed XML records with xml.etree, the first
    OpenAlex and Crossref JSONL records with json) have the same title, DOI, author count and first author
    in the `works` / `authorships` tables, in all three readers.

Prints one line per check, then `N passed, M failed`; exits 1 if anything failed.
"""

from __future__ import annotations

import gzip
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ["works", "authorships", "affiliations", "funding", "references", "relations", "diagnostics", "deleted"]
passed = 0
failed = 0


def check(name: str, got, want) -> None:
    global passed, failed
    if got == want:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}: got {got!r}, want {want!r}")


def open_maybe_gz(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def strip_doi(doi: str | None) -> str | None:
    if doi is None:
        return None
    for prefix in ("https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix):]
    return doi.lower()


# ---- expected values, read from the generator's files without byline ----------------------------------------

def pubmed_records(path: Path, n: int) -> list[dict]:
    """The first n PubmedArticle records: pmid, title, doi, author count, first author's family name."""
    out = []
    with open_maybe_gz(path) as f:
        for _, elem in ET.iterparse(f, events=("end",)):
            if elem.tag != "PubmedArticle":
                continue
            cit = elem.find("MedlineCitation")
            art = cit.find("Article")
            authors = art.findall("AuthorList/Author")
            doi = next((e.text for e in elem.iter("ArticleId") if e.get("IdType") == "doi"), None)
            if doi is None:
                doi = next((e.text for e in art.iter("ELocationID") if e.get("EIdType") == "doi"), None)
            out.append({
                "pmid": cit.findtext("PMID"),
                "title": "".join(art.find("ArticleTitle").itertext()).strip(),
                "doi": strip_doi(doi),
                "n_authors": len(authors),
                "first_family": authors[0].findtext("LastName") if authors else None,
            })
            elem.clear()
            if len(out) == n:
                break
    return out


def first_jsonl(path: Path) -> dict:
    with open_maybe_gz(path) as f:
        return json.loads(f.readline())


def openalex_record(path: Path) -> dict:
    r = first_jsonl(path)
    return {"doi": strip_doi(r.get("doi")), "title": r.get("title") or r.get("display_name"),
            "n_authors": len(r.get("authorships", [])),
            "first_raw_name": r["authorships"][0]["raw_author_name"] if r.get("authorships") else None}


def crossref_record(path: Path) -> dict:
    r = first_jsonl(path)
    authors = r.get("author", [])
    title = r.get("title")
    return {"doi": strip_doi(r.get("DOI")), "title": title[0] if isinstance(title, list) else title,
            "n_authors": len(authors), "first_family": authors[0].get("family") if authors else None}


# ---- the three readers: each returns (row count per table, work row by DOI, authorships of a work) ------------

class PolarsReader:
    name = "polars"

    def __init__(self, corpus: Path):
        self.c = corpus

    def count(self, table: str) -> int:
        return pl.scan_parquet(f"{self.c}/{table}/*.parquet").select(pl.len()).collect().item()

    def work(self, doi: str) -> dict | None:
        rows = pl.scan_parquet(f"{self.c}/works/*.parquet").filter(pl.col("doi") == doi).collect().to_dicts()
        return rows[0] if len(rows) == 1 else None

    def authors(self, work_id: str) -> list[dict]:
        return (pl.scan_parquet(f"{self.c}/authorships/*.parquet").filter(pl.col("work_id") == work_id)
                .sort("position").collect().to_dicts())

    def sum_n_authors(self) -> int:
        return pl.scan_parquet(f"{self.c}/works/*.parquet").select(pl.col("n_authors").sum()).collect().item()


class DuckReader:
    name = "duckdb"

    def __init__(self, corpus: Path):
        self.c = corpus
        self.db = duckdb.connect()

    def _rows(self, sql: str, *params) -> list[dict]:
        cur = self.db.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM read_parquet('{self.c}/{table}/*.parquet')").fetchone()[0]

    def work(self, doi: str) -> dict | None:
        rows = self._rows(f"SELECT * FROM read_parquet('{self.c}/works/*.parquet') WHERE doi = ?", doi)
        return rows[0] if len(rows) == 1 else None

    def authors(self, work_id: str) -> list[dict]:
        return self._rows(
            f"SELECT * FROM read_parquet('{self.c}/authorships/*.parquet') WHERE work_id = ? ORDER BY position",
            work_id)

    def sum_n_authors(self) -> int:
        return int(self.db.execute(f"SELECT sum(n_authors) FROM read_parquet('{self.c}/works/*.parquet')").fetchone()[0])


def pandas_schema(table_dir: Path) -> pa.Schema:
    """The table's Arrow schema with string_view replaced by large_string (which pandas converts)."""
    def fix(t: pa.DataType) -> pa.DataType:
        if pa.types.is_string_view(t):
            return pa.large_string()
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return pa.large_list(fix(t.value_type))
        return t
    schema = pq.read_schema(next(table_dir.glob("*.parquet")))
    return pa.schema([f.with_type(fix(f.type)) for f in schema])


class PandasReader:
    name = "pandas"

    def __init__(self, corpus: Path):
        self.c = corpus
        self.cache: dict[str, pd.DataFrame] = {}

    def df(self, table: str) -> pd.DataFrame:
        # pandas reads a directory of part files as one dataset. The files carry an Arrow schema with
        # string_view and list<string_view> columns (polars' default), which pandas cannot convert
        # ("Not implemented type for Arrow list to pandas: string_view"): pass a schema with plain strings.
        if table not in self.cache:
            self.cache[table] = pd.read_parquet(self.c / table, schema=pandas_schema(self.c / table))
        return self.cache[table]

    def count(self, table: str) -> int:
        return len(self.df(table))

    def work(self, doi: str) -> dict | None:
        w = self.df("works")
        rows = w[w["doi"] == doi]
        return rows.iloc[0].to_dict() if len(rows) == 1 else None

    def authors(self, work_id: str) -> list[dict]:
        a = self.df("authorships")
        return a[a["work_id"] == work_id].sort_values("position").to_dict("records")

    def sum_n_authors(self) -> int:
        return int(self.df("works")["n_authors"].sum())


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    gen, corpus = Path(sys.argv[1]), Path(sys.argv[2]).resolve()
    manifest = json.loads((corpus / "manifest.json").read_text())
    files, totals = manifest["files"], manifest["totals"]

    # 1. manifest accounting
    for f in files:
        check(f"manifest {Path(f['path']).name}: records_seen == works + rejected",
              f["records_seen"], f["works"] + f["rejected"])
    for key in ["records_seen", "works", "rejected", "warnings", "deleted", "bytes"]:
        check(f"manifest totals.{key} == sum over files", totals[key], sum(f[key] for f in files))
    check("manifest totals.files == len(files)", totals["files"], len(files))
    generated = sorted(p.name for p in gen.iterdir() if p.is_file())
    check("manifest lists every generated file", sorted(Path(f["path"]).name for f in files), generated)

    readers = [PolarsReader(corpus), DuckReader(corpus), PandasReader(corpus)]

    # Known issue, reported but not counted: pandas' default read_parquet fails on list-of-string columns.
    for table in TABLES:
        try:
            pd.read_parquet(corpus / table)
        except Exception as e:  # noqa: BLE001 - report whatever pyarrow raises
            print(f"KNOWN {table}: pandas.read_parquet with default dtypes fails: {type(e).__name__}: {e}"
                  " (read with a plain-string schema, see pandas_schema)")

    # 2. row counts: the three readers agree, and agree with the manifest
    for table in TABLES:
        counts = {r.name: r.count(table) for r in readers}
        check(f"{table}: same row count in polars, duckdb, pandas", len(set(counts.values())), 1)
    for r in readers:
        check(f"[{r.name}] works rows == manifest totals.works", r.count("works"), totals["works"])
        check(f"[{r.name}] deleted rows == manifest totals.deleted", r.count("deleted"), totals["deleted"])
        check(f"[{r.name}] authorships rows == sum(works.n_authors)", r.count("authorships"), r.sum_n_authors())
    per_format_manifest: dict[str, int] = {}
    for f in files:
        per_format_manifest[f["format"]] = per_format_manifest.get(f["format"], 0) + f["works"]
    per_format_parquet = dict(pl.scan_parquet(f"{corpus}/works/*.parquet").group_by("format").len().collect().iter_rows())
    check("works per format == manifest works per format", per_format_parquet, per_format_manifest)

    # 3. exact field values against the generator's own files
    def first(fmt: str) -> Path | None:
        return next((gen / Path(f["path"]).name for f in files if f["format"] == fmt), None)

    expected: list[tuple[str, dict]] = []
    if (p := first("pubmed")) is not None:
        expected += [(f"pubmed {p.name} #{i} PMID {r['pmid']}", r | {"record_index": i, "file": p.name})
                     for i, r in enumerate(pubmed_records(p, 3))]
    if (p := first("openalex")) is not None:
        expected.append((f"openalex {p.name} #0", openalex_record(p) | {"record_index": 0, "file": p.name}))
    if (p := first("crossref")) is not None:
        expected.append((f"crossref {p.name} #0", crossref_record(p) | {"record_index": 0, "file": p.name}))
    check("found generated PubMed, OpenAlex and Crossref records to compare", len(expected), 5)

    for label, want in expected:
        for r in readers:
            w = r.work(want["doi"])
            if w is None:
                check(f"[{r.name}] {label}: exactly one work with DOI {want['doi']}", False, True)
                continue
            check(f"[{r.name}] {label}: title", w["title"], want["title"])
            check(f"[{r.name}] {label}: source file and record index",
                  (Path(w["source_path"]).name, int(w["record_index"])), (want["file"], want["record_index"]))
            if "pmid" in want:
                check(f"[{r.name}] {label}: pmid", w["pmid"], want["pmid"])
            authors = r.authors(w["work_id"])
            check(f"[{r.name}] {label}: n_authors", int(w["n_authors"]), want["n_authors"])
            check(f"[{r.name}] {label}: authorship rows", len(authors), want["n_authors"])
            if "first_family" in want:
                check(f"[{r.name}] {label}: first author family", authors[0]["family"] if authors else None,
                      want["first_family"])
            if "first_raw_name" in want:
                check(f"[{r.name}] {label}: first author raw_name", authors[0]["raw_name"] if authors else None,
                      want["first_raw_name"])

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
