"""`byline.read` and `byline.count` on real files, against counts made without the bindings."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import byline

from conftest import run


def _text(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")


def _independent_count(path: Path) -> int:
    """Records in a file counted from its text: `<PubmedArticle>` elements, or non-blank JSONL lines."""
    text = _text(path)
    if "<PubmedArticleSet" in text:
        return len(re.findall(r"<PubmedArticle>", text))
    return sum(1 for line in text.splitlines() if line.strip())


REAL = [
    "crossref/crossref-works-serrano.jsonl.gz",
    "crossref/crossref-works-habanero.jsonl.gz",
    "pubmed/biopython__pubmed4.xml",
    "pubmed/alexandria3k__pubmed1.xml.gz",
]


@pytest.mark.parametrize("name", REAL)
def test_read_matches_the_cli_and_an_independent_count(name: str, shared: Path, byline_bin: Path, tmp_path: Path) -> None:
    path = shared / name
    records = _independent_count(path)
    assert records > 0
    reader = byline.read(path, records_per_batch=7)
    assert isinstance(reader, pa.RecordBatchReader)
    batches = list(reader)
    assert all(b.num_rows <= 7 for b in batches)
    works = pa.Table.from_batches(batches, schema=reader.schema)
    diags = byline.read(path, table="diagnostics").read_all()
    rejected = sum(1 for k in diags.column("kind").to_pylist() if k == "rejected")
    assert works.num_rows + rejected == records

    # The same file through `byline ingest`: the same works, the same schema, the same accounting.
    run([byline_bin, "ingest", "-q", path, "--out", tmp_path / "corpus"])
    manifest = json.loads((tmp_path / "corpus" / "manifest.json").read_text())
    (file,) = manifest["files"]
    cli = pq.read_table(tmp_path / "corpus" / "works")
    assert works.num_rows == file["works"] == cli.num_rows
    assert sorted(works.column("work_id").to_pylist()) == sorted(cli.column("work_id").to_pylist())
    assert works.schema.names == cli.schema.names
    counted = byline.count(path)
    assert counted["records_seen"] == file["records_seen"] == counted["works"] + counted["rejected"]
    assert counted["format"] == file["format"]


def test_batches_follow_records_per_batch(shared: Path) -> None:
    path = shared / "crossref/crossref-works-serrano.jsonl.gz"
    n = _independent_count(path)
    sizes = [b.num_rows for b in byline.read(path, records_per_batch=50)]
    assert sum(sizes) == n
    assert sizes == [50] * (n // 50) + ([n % 50] if n % 50 else [])


def test_other_tables_join_on_work_id(shared: Path) -> None:
    path = shared / "pubmed/biopython__pubmed4.xml"
    works = byline.read(path).read_all()
    authors = byline.read(path, table="authorships").read_all()
    text = _text(path)
    # Every <Author> element of the file is one authorship row (independent count).
    assert authors.num_rows == len(re.findall(r"<Author[ >]", text))
    assert set(authors.column("work_id").to_pylist()) <= set(works.column("work_id").to_pylist())


def test_truncated_file_raises_with_file_and_position(shared: Path, byline_bin: Path, tmp_path: Path) -> None:
    text = _text(shared / "pubmed/biopython__pubmed4.xml")
    cut = tmp_path / "truncated.xml"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(byline.InputError) as e:
        byline.read(cut).read_all()
    msg = str(e.value)
    assert str(cut) in msg and ("line" in msg or "byte" in msg), msg
    assert isinstance(e.value, byline.BylineError)
    # The same message as `byline ingest` records for the file.
    run([byline_bin, "ingest", "-q", cut, "--out", tmp_path / "corpus"])
    (file,) = json.loads((tmp_path / "corpus" / "manifest.json").read_text())["files"]
    assert file["file_error"] == msg
    with pytest.raises(byline.InputError, match=re.escape(msg)):
        byline.count(cut)


def test_unknown_input_and_arguments(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("nothing byline reads\n")
    with pytest.raises(byline.InputError, match="notes.txt"):
        byline.read(odd).read_all()
    with pytest.raises(byline.InputError, match="no such file"):
        byline.read(tmp_path / "missing.xml")
    with pytest.raises(ValueError, match="unknown table 'workz'"):
        byline.read(odd, table="workz")
