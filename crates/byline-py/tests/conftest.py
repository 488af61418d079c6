"""Fixtures of the Python tests, run against the installed wheel (not the source tree).

Environment (as `.ci/run` sets it): BYLINE_BIN and BYLINE_BENCH_BIN (the CLI and the generator, for
answers computed independently of the bindings), BYLINE_SHARED_DATA (real files; absent: the tests that need
them skip, or fail under BYLINE_REQUIRE_SHARED_DATA=1), BYLINE_REQUIRE_SPARK=1 (the Spark test fails instead of
skipping when pyspark or Java is missing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def _require(var: str, what: str) -> None:
    if os.environ.get(var) == "1":
        pytest.fail(f"{what} (required by {var}=1)")


@pytest.fixture(scope="session")
def shared() -> Path:
    root = Path(os.environ.get("BYLINE_SHARED_DATA", Path(__file__).resolve().parents[3] / "../shared/data"))
    if not root.is_dir():
        _require("BYLINE_REQUIRE_SHARED_DATA", f"shared data not found at {root}")
        pytest.skip(f"shared data not found at {root} (set BYLINE_SHARED_DATA)")
    return root


def _binary(var: str, name: str) -> Path:
    p = os.environ.get(var) or shutil.which(name)
    if not p or not Path(p).is_file():
        pytest.fail(f"{var} must point at the {name} binary")
    return Path(p)


@pytest.fixture(scope="session")
def byline_bin() -> Path:
    return _binary("BYLINE_BIN", "byline")


@pytest.fixture(scope="session")
def bench_bin() -> Path:
    return _binary("BYLINE_BENCH_BIN", "byline-bench")


def run(cmd: list[str | Path], ok: tuple[int, ...] = (0, 3)) -> subprocess.CompletedProcess[str]:
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if p.returncode not in ok:
        raise AssertionError(f"{cmd} exited {p.returncode}: {p.stderr}")
    return p


@pytest.fixture(scope="session")
def generated_corpus(tmp_path_factory: pytest.TempPathFactory, byline_bin: Path, bench_bin: Path) -> Path:
    """1,500 generated works (PubMed, OpenAlex, Crossref files) ingested by the CLI."""
    d = tmp_path_factory.mktemp("generated")
    run([bench_bin, "generate", "-q", "--out", d / "gen", "--works", "1500", "--formats", "pubmed,openalex,crossref",
         "--records-per-file", "500", "--seed", "11"])
    run([byline_bin, "ingest", "-q", d / "gen", "--out", d / "corpus"])
    assert json.loads((d / "corpus" / "manifest.json").read_text())["totals"]["works"] == 1500
    return d / "corpus"
