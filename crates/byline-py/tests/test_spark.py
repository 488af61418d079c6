"""The Spark job in local[2] against `byline scan` on the same generated corpus: equal families and findings."""

from __future__ import annotations

import json
import os
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


def test_spark_scan_equals_byline_scan(tmp_path: Path, shared: Path, byline_bin: Path, bench_bin: Path) -> None:
    spark = _spark()
    # A corpus with planted template families (the scan suite's generator), in two parts.
    size = int(os.environ.get("BYLINE_SPARK_WORKS", "6000"))
    run([bench_bin, "scan", "-q", "--size", str(size), "--cache", tmp_path / "bench"])
    (corpus,) = (tmp_path / "bench").glob("papermill-*/corpus")
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert len(manifest["parts"]) >= 2, "the test needs a corpus of several parts"
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
