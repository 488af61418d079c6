#!/usr/bin/env bash
# Creates benches/peers/.venv (git-ignored) with the pinned Python peers that `byline-bench <suite> --peers`
# runs on the same inputs as byline: pubmed_parser, datasketch, rensa, networkx, python-igraph.
#
#   benches/peers/setup.sh            # uses python3 from PATH
#   PYTHON=python3.12 benches/peers/setup.sh
#
# Needs PyPI access once; the benchmarks themselves run offline.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
venv="$here/.venv"

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" - <<'PY'
import importlib.metadata as m
for name in ["pubmed_parser", "datasketch", "rensa", "networkx", "python-igraph"]:
    print(f"{name}=={m.version(name)}")
PY
echo "peers ready in $venv"
