"""The detectors and the audit from Python: answers compared with the CLI's or computed independently."""

from __future__ import annotations

import csv
import json
import subprocess
import threading
import time
from pathlib import Path

import polars as pl
import pytest

import byline

from conftest import run


def test_audit_equals_the_cli_json(generated_corpus: Path, byline_bin: Path) -> None:
    a = pl.read_parquet(generated_corpus / "authorships" / "*.parquet").filter(pl.col("orcid").is_not_null())
    orcid = a.group_by("orcid").len().sort(["len", "orcid"], descending=[True, False])["orcid"][0]
    cli = json.loads(run([byline_bin, "audit", "-q", "--corpus", generated_corpus, "--orcid", orcid,
                          "--format", "json"]).stdout)
    py = byline.audit(generated_corpus, orcid=orcid)
    assert py == cli
    assert py["audit"]["summary"]["works"] >= 1


def test_audit_error_has_the_cli_message(tmp_path: Path, byline_bin: Path) -> None:
    p = subprocess.run([str(byline_bin), "audit", "-q", "--corpus", str(tmp_path / "nope"), "--orcid",
                        "0000-0002-1825-0097"], capture_output=True, text=True)
    assert p.returncode == 1
    cli_message = p.stderr.strip().removeprefix("byline: error: ")
    with pytest.raises(byline.BylineError) as e:
        byline.audit(tmp_path / "nope", orcid="0000-0002-1825-0097")
    assert str(e.value) == cli_message


def test_minhash_estimates_jaccard() -> None:
    a = "the quick brown fox jumps over the lazy dog near the river bank today"
    sigs = byline.minhash([a, a.upper(), a + " and again tomorrow", "completely different words here for sure", ""])
    assert sigs[0] == sigs[1]  # case-folded tokens
    assert len(sigs[0]) == 128 and all(0 <= v < 65536 for v in sigs[0])
    same = lambda x, y: sum(p == q for p, q in zip(x, y)) / len(x)  # noqa: E731
    assert same(sigs[0], sigs[2]) > 0.5 > same(sigs[0], sigs[3])
    assert sigs[4] is None


TEMPLATE = (
    "{mir} promotes proliferation and invasion of {cell} cells by targeting {gene} in {disease}. "
    "We measured expression by qRT-PCR in 45 tissue samples and found that {mir} was upregulated. "
    "Knockdown of {mir} inhibited proliferation, migration and invasion, and induced apoptosis, "
    "while overexpression of {gene} reversed these effects. Luciferase reporter assays confirmed the binding. "
    "These results suggest that the {mir}/{gene} axis may serve as a therapeutic target for patients."
)


def test_template_families_find_swapped_slots() -> None:
    texts = [
        TEMPLATE.format(mir="miR-21", cell="HeLa", gene="PTEN", disease="cervical cancer"),
        TEMPLATE.format(mir="miR-155", cell="A549", gene="SOCS1", disease="lung cancer"),
        TEMPLATE.format(mir="miR-375", cell="MCF-7", gene="KLF4", disease="breast cancer"),
        "An unrelated abstract about the migration patterns of birds over the northern sea during the winter " * 3,
    ]
    fams = byline.template_families(texts, ids=["a", "b", "c", "d"])
    assert len(fams) == 1
    assert sorted(m["work_id"] for m in fams[0]["members"]) == ["a", "b", "c"]
    # Masked signatures of the three are identical: the skeleton is the same once slots are masked.
    sigs = byline.minhash(texts[:3], masked=True)
    assert sigs[0] == sigs[1] == sigs[2]


def test_tortured_phrases_against_a_real_lexicon(shared: Path) -> None:
    lexicon = shared / "lexicons/pps_tortured_phrases_2025-07_karchus.tsv"
    rows = [r for r in csv.reader(lexicon.read_text(encoding="utf-8").splitlines(), delimiter="\t") if r]
    phrases = [r[0] for r in rows[1:40] if len(r[0].split()) >= 2]
    text = "In this study we apply " + phrases[0] + " to the data, and then " + phrases[1] + " again."
    (hit, clean) = byline.tortured_phrases([text, "A plain sentence with nothing odd in it."], [lexicon])
    found = {p[0].lower() for p in hit["phrases"]}
    assert hit["total_hits"] >= 1 and found & {phrases[0].lower(), phrases[1].lower()}
    assert clean["total_hits"] == 0
    with pytest.raises(byline.BylineError, match="lexicon"):
        byline.tortured_phrases(["x"], [])


def test_match_lists_on_a_real_list(shared: Path) -> None:
    path = shared / "entities/us_csl_consolidated_sample.csv"
    with path.open(encoding="utf-8") as f:
        names = [r["name"] for r in csv.DictReader(f) if r.get("name") and len(r["name"]) > 12]
    affs = [f"Department of Physics, {names[0]}", "Department of Biology, University of Oslo, Norway"]
    listed, clean = byline.match_lists(affs, [path], list_date="2026-07-09")
    assert listed and clean == []
    assert all(m["list_id"] for m in listed)
    with pytest.raises(byline.BylineError, match="notalist"):
        byline.match_lists(affs, [shared / "lexicons/SOURCE.md", ], list_format="notalist")


def test_gil_is_released() -> None:
    """A long native call in one thread leaves the interpreter to the others."""
    texts = [TEMPLATE.format(mir=f"miR-{i}", cell="HeLa", gene="PTEN", disease="cancer") * 4 for i in range(6000)]
    ticks = 0
    done = threading.Event()

    def work() -> None:
        byline.minhash(texts, masked=True)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    assert elapsed > 0.2, f"the call was too short to tell ({elapsed:.3f}s)"
    # Held GIL: the loop could not run while the call lasted (a few ticks at most, at the switch interval).
    assert ticks >= 0.2 * elapsed / 0.001 * 0.25, (ticks, elapsed)
