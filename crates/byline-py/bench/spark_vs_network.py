"""Measures the Spark co-author network (local[2]) against `byline network --kind coauthor` on one generated
corpus, in one run, and the rows and bytes of each Spark step (for docs/spark.md).

    python crates/byline-py/bench/spark_vs_network.py --size 30000 --work /tmp/spark-net \
        --byline target/debug/byline --bench target/debug/byline-bench
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

FILES = ("coauthors.graphml",)  # GEXF and VOSviewer add an O(n²) layout, the same on both sides


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=30000)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--byline", required=True)
    p.add_argument("--bench", required=True)
    a = p.parse_args()
    if not list((a.work / "bench").glob(f"papermill-*-n{a.size}/corpus")):
        subprocess.run([a.bench, "scan", "-q", "--size", str(a.size), "--cache", str(a.work / "bench")], check=True,
                       capture_output=True)
    (corpus,) = (a.work / "bench").glob(f"papermill-*-n{a.size}/corpus")
    t = time.perf_counter()
    cli = subprocess.run([a.byline, "network", "--corpus", str(corpus), "--kind", "coauthor", "--out",
                          str(a.work / "cli" / FILES[0]), "--format", "json"], check=True, capture_output=True,
                         text=True)
    cli_s = time.perf_counter() - t
    cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    summary = json.loads(cli.stdout)
    del summary["files"]

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import byline.spark

    t = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    start_s = time.perf_counter() - t
    t = time.perf_counter()
    r = byline.spark.network(spark, corpus, out=a.work / "spark" / FILES[0])
    job_s = time.perf_counter() - t
    m = byline.spark.network(spark, corpus, out=a.work / "measure" / FILES[0], measure=True)
    equal = r.summary == summary and all(
        (a.work / "spark" / f).read_bytes() == (a.work / "cli" / f).read_bytes() for f in FILES
    )
    works = json.loads((corpus / "manifest.json").read_text())["totals"]["works"]
    print(json.dumps({"size": a.size, "works": works, "parts": r.parts, "summary": r.summary, "equal": equal,
                      "byline_network_s": round(cli_s, 2), "byline_network_peak_rss": cli_rss,
                      "spark_session_start_s": round(start_s, 2), "spark_job_s": round(job_s, 2),
                      "steps": m.steps}, indent=1))
    return 0 if equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
