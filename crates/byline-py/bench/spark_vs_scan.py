"""Measures the Spark job (local[2]) against `byline scan` on one generated corpus with planted families, in
one run, and the rows and bytes of each Spark step (for docs/spark.md).

    python crates/byline-py/bench/spark_vs_scan.py --size 30000 --work /tmp/spark-bench \
        --byline target/debug/byline --bench target/debug/byline-bench --lexicon LEXICON
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=30000)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--byline", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--lexicon", required=True)
    a = p.parse_args()
    ignore = "BYL001,BYL004,RET,MIL001"
    subprocess.run([a.bench, "scan", "-q", "--size", str(a.size), "--cache", str(a.work / "bench")], check=True,
                   capture_output=True)
    (corpus,) = (a.work / "bench").glob(f"papermill-*-n{a.size}/corpus")
    t = time.perf_counter()
    subprocess.run([a.byline, "scan", "-q", "--corpus", str(corpus), "--out", str(a.work / "scan"), "--restart",
                    "--lexicon", a.lexicon, "--ignore", ignore, "--format", "json"], check=True, capture_output=True)
    scan_s = time.perf_counter() - t
    scan_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import byline.spark

    t = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    start_s = time.perf_counter() - t
    t = time.perf_counter()
    r = byline.spark.scan(spark, corpus, out=a.work / "spark", lexicons=[a.lexicon], ignore=ignore.split(","))
    job_s = time.perf_counter() - t
    t = time.perf_counter()
    m = byline.spark.scan(spark, corpus, lexicons=[a.lexicon], ignore=ignore.split(","), measure=True)
    equal = all((a.work / "spark" / f).read_bytes() == (a.work / "scan" / f).read_bytes()
                for f in ("families.json", "findings.json"))
    parquet = sum(f.stat().st_size for f in corpus.rglob("*.parquet"))
    print(json.dumps({"size": a.size, "works": r.works, "parts": r.parts, "families": len(r.families),
                      "findings": len(r.findings), "equal_files": equal, "byline_scan_s": round(scan_s, 2),
                      "byline_scan_peak_rss": scan_rss, "spark_session_start_s": round(start_s, 2),
                      "spark_job_s": round(job_s, 2), "corpus_parquet_bytes": parquet, "steps": m.steps}, indent=1))
    return 0 if equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
