#!/usr/bin/env bash
# Identity resolution's CPU time over larger sizes than the Issue 20 table's 10k–200k: `identity_speed` (release
# example of byline-graph) on the first 1, 7 and 34 files (30k, 210k, 1.02M works) of the 5M-work generated
# corpus (`byline-bench generate --works 5000000 --seed 7`, files of 30,000 works). NO_EVAL: no ORCID scoring.
set -euo pipefail
BIN=${BIN:-/tmp/rel/release}
GEN=${GEN:-/tmp/m5/gen}
OUT=$(cd "$(dirname "$0")" && pwd)
for n in 1 7 34; do
  all=("$GEN"/pubmed-*.xml.gz)
  files=("${all[@]:0:$n}")
  uptime > "$OUT/files-$n.uptime.txt"
  NO_EVAL=1 /usr/bin/time -v "$BIN/identity_speed" "${files[@]}" > "$OUT/files-$n.txt" 2> "$OUT/files-$n.time.txt"
  uptime >> "$OUT/files-$n.uptime.txt"
  cat "$OUT/files-$n.txt"
done
