#!/usr/bin/env python3
"""Writes small findings and audit JSON files for a corpus, so run.sh can execute the notebooks' optional parts.

Usage: fixtures.py CORPUS_DIR OUT_DIR   (writes OUT_DIR/findings.json and OUT_DIR/audit.json)

These are SHAPE fixtures, not detector output: they follow `byline_detect::ScanOutput` / `byline_model::Finding`
and `byline_graph::audit::AuditReport` (serde JSON), pointing at real work ids of the corpus. Replace them with
the CLI's own output once scan/audit commands write JSON.
"""

import json
import sys
from pathlib import Path

import polars as pl


def finding(code, work_id, severity, score, reason):
    return {"code": code, "subject": {"kind": "work", "work_id": work_id}, "severity": severity, "score": score,
            "reasons": [reason], "evidence": [{"kind": "work", "work_id": work_id, "doi": None, "pmid": None,
                                               "text": None}]}


def main() -> int:
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    works = pl.read_parquet(f"{corpus}/works/*.parquet", columns=["work_id", "doi", "pmid", "title", "year",
                                                                  "venue_title", "n_authors"])
    ids = works.sort("work_id")["work_id"].to_list()
    findings = [
        finding("TPL001", ids[0], "medium", 0.8, "Fixture: shares a title template with 4 other works."),
        finding("TOR001", ids[1], "low", 0.4, "Fixture: contains 2 tortured phrases."),
        finding("RET001", ids[2], "high", 1.0, "Fixture: cites a work retracted for paper-mill reasons."),
        {**finding("COA001", ids[3], "info", 0.1, "Fixture: a person-level finding."),
         "subject": {"kind": "person", "person_id": "p0"}},
    ]
    (out / "findings.json").write_text(json.dumps({"findings": findings, "families": []}, indent=1))

    a = pl.read_parquet(f"{corpus}/authorships/*.parquet", columns=["work_id", "position", "orcid"])
    top = (a.filter(pl.col("orcid").is_not_null()).group_by("orcid").agg(pl.col("work_id").n_unique().alias("n"))
           .sort("n", "orcid", descending=[True, False]))
    orcid = top["orcid"][0]
    mine = (a.filter(pl.col("orcid") == orcid).join(works, on="work_id").sort("year", "work_id").to_dicts())
    assessed = []
    for rank, (w, sev) in enumerate(zip(mine, ["high", "medium", "low"] + ["info"] * len(mine)), start=1):
        codes = {"high": ["COA001", "COA002", "TOP001"], "medium": ["COA001", "AFF001"], "low": ["VEN001"]}
        fs = [finding(c, w["work_id"], "low", 0.6, f"Fixture: {c}.") for c in codes.get(sev, [])]
        assessed.append({"rank": rank, "work_id": w["work_id"], "doi": w["doi"], "pmid": w["pmid"],
                         "title": w["title"], "year": w["year"], "venue": w["venue_title"],
                         "position": w["position"], "authors": w["n_authors"],
                         "score": round(1.0 - rank / (len(mine) + 1), 3), "severity": sev, "findings": fs})
    report = {"target": {"orcid": orcid, "name": None, "affiliation": None}, "display_name": "Fixture researcher",
              "summary": {"works": len(mine)}, "works": assessed, "record_findings": [], "options": {}}
    (out / "audit.json").write_text(json.dumps(report, indent=1))
    print(f"fixtures: {out / 'findings.json'} ({len(findings)} findings), {out / 'audit.json'} (ORCID {orcid})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
