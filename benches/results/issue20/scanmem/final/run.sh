#!/usr/bin/env bash
# Peak RSS and wall time of `byline scan` (release) with the corpus-wide stage in passes (default) and held in
# memory (`--in-memory-corpus-stage`, the engine before), on corpora from `byline-bench generate` (PubMed XML,
# seed 7), and a byte comparison of the files both write. Usage: run.sh N [N…]; DATA (scratch), BIN (the
# release dir) and ENGINES (default "passes in-memory"; "none" only generates and ingests) may be set.
set -euo pipefail
BIN=${BIN:-/root/.cache/byline-wt-scanmem-target/release}
DATA=${DATA:-/tmp/scanmem/data}
OUT=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DATA"
for N in "$@"; do
  if [ ! -f "$DATA/corpus-$N/manifest.json" ]; then
    "$BIN/byline-bench" generate --out "$DATA/gen-$N" --works "$N" --seed 7 > "$OUT/generate-$N.txt"
    "$BIN/byline" ingest "$DATA/gen-$N" --out "$DATA/corpus-$N" --quiet --format json > "$OUT/ingest-$N.json"
    rm -rf "$DATA/gen-$N"
  fi
  [ "${ENGINES:-}" = none ] && continue
  for engine in ${ENGINES:-passes in-memory}; do
    flag=()
    [ "$engine" = in-memory ] && flag=(--in-memory-corpus-stage)
    uptime > "$OUT/scan-$N-$engine.uptime.txt"
    /usr/bin/time -v "$BIN/byline" scan --corpus "$DATA/corpus-$N" --out "$DATA/scan-$N-$engine" --restart \
      "${flag[@]}" --format json > "$OUT/scan-$N-$engine.json" 2> "$OUT/scan-$N-$engine.time.txt"
    uptime >> "$OUT/scan-$N-$engine.uptime.txt"
  done
  [ -d "$DATA/scan-$N-in-memory" ] || continue
  for f in findings.json families.json findings.parquet mill_scores.csv tortured_per_venue.json; do
    if cmp -s "$DATA/scan-$N-passes/$f" "$DATA/scan-$N-in-memory/$f"; then echo "$f same"; else echo "$f DIFFERS"; fi
  done > "$OUT/compare-$N.txt"
  rm -rf "$DATA/scan-$N-in-memory"
  grep -E "Elapsed|Maximum resident" "$OUT"/scan-"$N"-*.time.txt
  cat "$OUT/compare-$N.txt"
done
