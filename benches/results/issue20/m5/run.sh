#!/usr/bin/env bash
# The 5M-work run of issue 20: generate → ingest → scan → index → one audit, each step alone in its process
# under `/usr/bin/time -v` (peak RSS, wall, CPU), `uptime` before and after. Usage: run.sh STEP [STEP…] with
# STEP in generate ingest scan index audit; N (works, default 5000000), DATA (scratch), BIN (release dir)
# may be set; TAG is added to the step's name in the file names (e.g. TAG=-before for an older binary).
# Outputs go beside this script, in n<N>/, as <step><TAG>.{out,time,uptime}.txt.
set -euo pipefail
N=${N:-5000000}
BIN=${BIN:-/tmp/rel/release}
DATA=${DATA:-/tmp/m5}
SHARED=${BYLINE_SHARED_DATA:-/work/shared/data}
OUT=$(cd "$(dirname "$0")" && pwd)/n$N
mkdir -p "$DATA" "$OUT"
step() {
  local name=$1${TAG:-}; shift
  uptime > "$OUT/$name.uptime.txt"
  /usr/bin/time -v "$@" > "$OUT/$name.out.txt" 2> "$OUT/$name.time.txt"
  uptime >> "$OUT/$name.uptime.txt"
  grep -E "Elapsed|Maximum resident|User time|System time" "$OUT/$name.time.txt" | sed "s/^/$name: /"
}
for s in "$@"; do
  case $s in
    generate) step generate "$BIN/byline-bench" generate --out "$DATA/gen" --works "$N" --seed 7 --plant-audit 5 --quiet ;;
    ingest) step ingest "$BIN/byline" ingest "$DATA/gen" --out "$DATA/corpus" --quiet --format json ;;
    scan) step scan "$BIN/byline" scan --corpus "$DATA/corpus" --out "$DATA/scan" --restart --format json ;;
    index) step index "$BIN/byline" index --corpus "$DATA/corpus" --out "$DATA/corpus.bylidx" \
      --lexicon "$SHARED/lexicons/torturedcheck_tortured_phrases.json" --quiet --format json ;;
    audit)
      orcid=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(t['orcid'])" "$DATA/gen/.truth.json")
      name=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(t['name'])" "$DATA/gen/.truth.json")
      step audit "$BIN/byline" audit --corpus "$DATA/corpus" --orcid "$orcid" --name "$name" --format json ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
