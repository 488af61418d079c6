#!/usr/bin/env bash
# Executes the analyst notebooks headless against a freshly generated corpus, and the Python round-trip check.
#
#   notebooks/run.sh                 uses $BYLINE_BIN and $BYLINE_BENCH_BIN, else builds the debug binaries with cargo
#   BYLINE_BIN=path/to/byline BYLINE_BENCH_BIN=path/to/byline-bench notebooks/run.sh
#   KEEP=1 notebooks/run.sh          keep the temp dir (corpus + executed notebooks with outputs)
#
# Environment: BYLINE_BIN, BYLINE_BENCH_BIN (the generator), BYLINE_WHEEL (the Python package's wheel, for
# python_api.ipynb; default: built here with maturin), PYTHON (default python3.11), WORKS (default 3000), KEEP.
# Exits non-zero if the venv cannot be set up, ingest fails, a notebook cell raises, a committed notebook
# holds outputs, or a round-trip check fails.
set -euo pipefail

start=$SECONDS
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
venv="$here/.venv"
works=${WORKS:-3000}

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - start))"; }

step "python venv"
if [[ ! -x "$venv/bin/python" ]]; then
    "${PYTHON:-python3.11}" -m venv "$venv"
fi
# Reinstall only when requirements.txt changed since the last successful install.
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
    echo "$want" >"$stamp"
fi
py="$venv/bin/python"

step "the byline Python package (python_api.ipynb)"
if [[ -z "${BYLINE_WHEEL:-}" ]]; then
    "$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2"
    wheels=$(mktemp -d -t byline-wheel.XXXXXX)
    (cd "$root/crates/byline-py" && "$venv/bin/maturin" build -q --profile dev --locked -o "$wheels")
    BYLINE_WHEEL=$(ls "$wheels"/byline-*.whl)
fi
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$BYLINE_WHEEL"
"$py" -c 'import byline; print("byline", byline.__version__)'

step "committed notebooks carry no outputs"
"$py" - "$here"/*.ipynb <<'EOF'
import sys, nbformat
dirty = [p for p in sys.argv[1:]
         if any(c.cell_type == "code" and (c.outputs or c.execution_count) for c in nbformat.read(p, 4).cells)]
if dirty:
    sys.exit(f"notebooks with outputs (clear them before committing): {dirty}")
print("ok")
EOF

step "byline and byline-bench binaries"
if [[ -z "${BYLINE_BIN:-}" ]]; then
    (cd "$root" && cargo build -q --bin byline)
    BYLINE_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/byline"
fi
# The generator is byline-bench's (crates/byline-bench): the byline binary links none.
if [[ -z "${BYLINE_BENCH_BIN:-}" ]]; then
    (cd "$root" && cargo build -q -p byline-bench --bin byline-bench)
    BYLINE_BENCH_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/byline-bench"
fi
echo "$BYLINE_BIN"
"$BYLINE_BIN" --version
echo "$BYLINE_BENCH_BIN"
"$BYLINE_BENCH_BIN" --version

tmp=$(mktemp -d -t byline-notebooks.XXXXXX)
if [[ -n "${KEEP:-}" ]]; then
    trap 'echo "kept $tmp"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi

step "generate $works works and ingest"
"$BYLINE_BENCH_BIN" generate -q --out "$tmp/generated" --works "$works" --formats pubmed,openalex,crossref \
    --records-per-file 500 --seed 7
rc=0
"$BYLINE_BIN" ingest -q "$tmp/generated" --out "$tmp/corpus" || rc=$?
# 3 = finished, but records were rejected: the notebooks and the check still verify the accounting.
if [[ $rc -ne 0 && $rc -ne 3 ]]; then
    echo "byline ingest failed (exit $rc)" >&2
    exit 1
fi

step "round-trip check (polars, duckdb, pandas vs. generated files)"
"$py" "$here/check_roundtrip.py" "$tmp/generated" "$tmp/corpus"

export BYLINE_CORPUS="$tmp/corpus"
export BYLINE_GENERATED="$tmp/generated"
run_notebooks() {
    "$venv/bin/jupyter" nbconvert --log-level=WARN --to notebook --execute \
        --ExecutePreprocessor.timeout=600 --output-dir "$1" "$here"/*.ipynb
}

step "notebooks, without optional inputs"
(unset BYLINE_FINDINGS BYLINE_AUDIT_JSON BYLINE_ORCID; run_notebooks "$tmp/executed")

step "notebooks, with real scan findings and a real audit (byline scan, byline audit)"
rc=0
"$BYLINE_BIN" scan -q --corpus "$tmp/corpus" --out "$tmp/scan" --format json >/dev/null || rc=$?
if [[ $rc -ne 0 && $rc -ne 3 ]]; then echo "byline scan failed (exit $rc)" >&2; exit 1; fi
orcid="$("$py" -c 'import sys, polars as pl
a = pl.read_parquet(sys.argv[1] + "/authorships/*.parquet").filter(pl.col("orcid").is_not_null())
print(a.group_by("orcid").len().sort(["len", "orcid"], descending=[True, False])["orcid"][0])' "$tmp/corpus")"
rc=0
"$BYLINE_BIN" audit -q --corpus "$tmp/corpus" --orcid "$orcid" --format json > "$tmp/audit.json" || rc=$?
if [[ $rc -ne 0 && $rc -ne 3 ]]; then echo "byline audit failed (exit $rc)" >&2; exit 1; fi
BYLINE_FINDINGS="$tmp/scan/findings.json" BYLINE_AUDIT_JSON="$tmp/audit.json" run_notebooks "$tmp/executed-optional"

step "done: all notebooks executed, round-trip check passed in $((SECONDS - start))s"
