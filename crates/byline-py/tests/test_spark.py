"""The Spark jobs in local[2] against the CLI on the same generated corpus: `byline.spark.scan` against
`byline scan` (equal families and findings), `byline.spark.network` against `byline network --kind coauthor`
(equal files)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import run

IGNORE = "BYL001,BYL004,RET,MIL001"  # the corpus-wide detectors the job does not compute


def _spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        if os.environ.get("BYLINE_REQUIRE_SPARK") == "1":
            pytest.fail("pyspark is not installed (BYLINE_REQUIRE_SPARK=1)")
        pytest.skip("pyspark is not installed")
    if shutil.which("java") is None:
        if os.environ.get("BYLINE_REQUIRE_SPARK") == "1":
            pytest.fail("java is not installed (BYLINE_REQUIRE_SPARK=1)")
        pytest.skip("java is not installed")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master("local[2]")
        .appName("byline-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )


@pytest.fixture(scope="module")
def papermill_corpus(tmp_path_factory: pytest.TempPathFactory, bench_bin: Path) -> Path:
    """A corpus with planted template families (the scan suite's generator), in two parts or more."""
    d = tmp_path_factory.mktemp("papermill")
    size = int(os.environ.get("BYLINE_SPARK_WORKS", "6000"))
    run([bench_bin, "scan", "-q", "--size", str(size), "--cache", d / "bench"])
    (corpus,) = (d / "bench").glob("papermill-*/corpus")
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert len(manifest["parts"]) >= 2, "the test needs a corpus of several parts"
    return corpus


def test_spark_scan_equals_byline_scan(tmp_path: Path, shared: Path, byline_bin: Path, papermill_corpus: Path) -> None:
    spark = _spark()
    corpus = papermill_corpus
    manifest = json.loads((corpus / "manifest.json").read_text())
    lexicon = shared / "lexicons/pps_tortured_phrases_2025-07_karchus.csv"
    lst = shared / "entities/us_csl_consolidated_sample.csv"

    t = time.perf_counter()
    run([byline_bin, "scan", "-q", "--corpus", corpus, "--out", tmp_path / "scan", "--lexicon", lexicon,
         "--list", lst, "--list-date", "2026-07-09", "--ignore", IGNORE, "--format", "json"])
    cli_s = time.perf_counter() - t

    import byline.spark

    t = time.perf_counter()
    result = byline.spark.scan(spark, corpus, out=tmp_path / "spark", lexicons=[lexicon], lists=[lst],
                               list_date="2026-07-09", ignore=IGNORE.split(","))
    spark_s = time.perf_counter() - t

    cli_families = json.loads((tmp_path / "scan/families.json").read_text())
    cli_findings = json.loads((tmp_path / "scan/findings.json").read_text())
    codes = Counter(f["code"] for f in cli_findings)
    assert len(cli_families) >= 10 and codes["TPL001"] == len(cli_families) and codes["TOR001"] > 0, codes
    assert result.works == manifest["totals"]["works"]
    assert result.families == cli_families
    assert result.findings == cli_findings
    # Byte for byte, as the two write them.
    assert (tmp_path / "spark/families.json").read_bytes() == (tmp_path / "scan/families.json").read_bytes()
    assert (tmp_path / "spark/findings.json").read_bytes() == (tmp_path / "scan/findings.json").read_bytes()
    print(f"\nspark-vs-scan: {result.works} works, {len(manifest['parts'])} parts, {len(cli_families)} families, "
          f"{len(cli_findings)} findings; byline scan {cli_s:.1f}s, Spark local[2] job {spark_s:.1f}s")


def test_spark_refuses_corpus_wide_detectors_it_does_not_compute(generated_corpus: Path) -> None:
    _spark()
    import byline
    import byline.spark

    with pytest.raises(byline.BylineError, match="ignore .*MIL001"):
        byline.spark.scan(None, generated_corpus)


def test_spark_network_equals_byline_network(tmp_path: Path, byline_bin: Path, papermill_corpus: Path) -> None:
    """GraphML holds the whole exported network (nodes with labels, works and clusters; edges with weights);
    GEXF and VOSviewer are functions of that same network plus a force layout that is O(n²) per iteration
    (minutes on this graph in a debug build), so the test compares GraphML and the summary."""
    spark = _spark()
    corpus = papermill_corpus
    t = time.perf_counter()
    p = run([byline_bin, "network", "--corpus", corpus, "--kind", "coauthor", "--out",
             tmp_path / "cli/coauthors.graphml", "--seed", "7", "--format", "json"], ok=(0,))
    cli_s = time.perf_counter() - t
    summary = json.loads(p.stdout)

    import byline.spark

    t = time.perf_counter()
    result = byline.spark.network(spark, corpus, out=tmp_path / "spark/coauthors.graphml", seed=7)
    spark_s = time.perf_counter() - t

    # A graph worth comparing: persons on several works (identities linked across works), edges, communities.
    assert summary["edges"] >= 1000 and summary["communities"] >= 10, summary
    graphml = (tmp_path / "cli/coauthors.graphml").read_text()
    weights = [float(w) for w in re.findall(r'<edge [^>]*><data key="d\d+">([0-9.]+)</data>', graphml)]
    assert len(weights) == summary["edges"] and max(weights) >= 2, "no pair of persons shares two works"
    del summary["files"]
    assert result.summary == summary
    assert result.files == [str(tmp_path / "spark/coauthors.graphml")]
    assert (tmp_path / "spark/coauthors.graphml").read_bytes() == (tmp_path / "cli/coauthors.graphml").read_bytes()
    print(f"\nspark-vs-network: {summary['nodes']} persons, {summary['edges']} edges, {summary['communities']} "
          f"communities; byline network {cli_s:.1f}s, Spark local[2] job {spark_s:.1f}s")


def test_spark_identity_kernel_refuses_two_blocks_in_one(generated_corpus: Path) -> None:
    import byline
    from byline import _native

    manifest = json.loads((generated_corpus / "manifest.json").read_text())
    rows = _native._spark_authorships(str(generated_corpus), sorted(manifest["parts"])[0], 0)
    by_block: dict[str, list[str]] = {}
    for block, member in rows:
        by_block.setdefault(block, []).append(member)
    assert len(rows) > 1000 and len(by_block) > 100
    (a, first), (b, second) = list(by_block.items())[:2]
    resolved = _native._spark_resolve_blocks([first, second])
    assert sorted((r[0], r[1]) for r in resolved) == sorted(
        (json.loads(m)["work_id"], json.loads(m)["features"]["position"]) for m in first + second
    )
    with pytest.raises(byline.BylineError, match="two blocks"):
        _native._spark_resolve_blocks([first + second])
    with pytest.raises(byline.BylineError, match="not a block member"):
        _native._spark_resolve_blocks([["{}"]])


def test_spark_read_equals_byline_read_on_real_files(shared: Path, tmp_path: Path) -> None:
    """Raw files → one corpus table as a Spark DataFrame: the rows byline.read gives, file by file, every column."""
    import gzip

    import pyarrow as pa

    import byline
    from byline import spark as bspark

    files = [
        shared / "pubmed/fatcat__pubmedsample_2019.xml.gz",
        shared / "crossref/crossref-works-habanero.jsonl.gz",
        shared / "openalex/openalex-works-openalexPro.jsonl.gz",
    ]
    # Records in, counted without byline's readers: PubMed articles, and one JSON record a line.
    with gzip.open(files[0], "rt", encoding="utf-8") as f:
        articles = sum(line.count("<PubmedArticle>") for line in f)
    lines = [sum(1 for line in gzip.open(p, "rt", encoding="utf-8") if line.strip()) for p in files[1:]]
    counts = [byline.count(p) for p in files]
    assert [c["records_seen"] for c in counts] == [articles, *lines]
    spark = _spark()
    for table, keys in (("works", ["work_id"]), ("authorships", ["work_id", "position"])):
        df = bspark.read(spark, files, table=table, records_per_batch=100)
        got = df.toArrow()
        want = pa.concat_tables([pa.Table.from_batches(byline.read(p, table=table)).cast(got.schema) for p in files])
        if table == "works":
            assert got.num_rows == sum(c["works"] for c in counts) == articles + sum(lines) - sum(c["rejected"] for c in counts)
        assert got.num_rows == want.num_rows > 500
        order = [(k, "ascending") for k in keys]
        assert got.sort_by(order).to_pylist() == want.sort_by(order).to_pylist()

    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(files[0].read_bytes()[:100_000])
    with pytest.raises(Exception) as e:
        bspark.read(spark, [files[1], cut]).count()
    assert str(cut) in str(e.value)
    with pytest.raises(ValueError, match="corpus tables"):
        bspark.read(spark, files, table="nope")
