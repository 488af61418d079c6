#!/usr/bin/env bash
# Fetches NLM's annual PubMed baseline files (~1,300 files of ~30,000 records, ~40 GB gzipped in total) with
# their published MD5 checksums, and checks every file. Needs internet; never run by byline's tests or CI.
#
#   datasets/fetch-pubmed-baseline.sh OUT_DIR [FIRST] [COUNT]
#   datasets/fetch-pubmed-baseline.sh /data/pubmed 1 10     # the first ten files
#
# Source: https://ftp.ncbi.nlm.nih.gov/pubmed/baseline/ (README there; terms:
# https://www.nlm.nih.gov/databases/download/terms_and_conditions.html). The year prefix changes every
# December (pubmed25n…); set PUBMED_PREFIX if NLM has moved on.
set -euo pipefail

out="${1:?usage: $0 OUT_DIR [FIRST] [COUNT]}"
first="${2:-1}"
count="${3:-10}"
base="${PUBMED_BASE_URL:-https://ftp.ncbi.nlm.nih.gov/pubmed/baseline}"
prefix="${PUBMED_PREFIX:-pubmed25n}"

mkdir -p "$out"
cd "$out"
for ((i = first; i < first + count; i++)); do
    name="$(printf '%s%04d.xml.gz' "$prefix" "$i")"
    if [[ -f "$name" && -f "$name.md5" ]] && md5sum --status -c <(sed -E 's/^MD5\((.*)\)= ([0-9a-f]+)$/\2  \1/' "$name.md5"); then
        echo "ok (cached) $name"
        continue
    fi
    curl --fail --silent --show-error --location --retry 3 -o "$name.md5" "$base/$name.md5"
    curl --fail --silent --show-error --location --retry 3 -o "$name" "$base/$name"
    # NLM's .md5 files read "MD5(pubmed25n0001.xml.gz)= <hex>"; md5sum -c wants "<hex>  <name>".
    md5sum -c <(sed -E 's/^MD5\((.*)\)= ([0-9a-f]+)$/\2  \1/' "$name.md5")
done
echo "done: $count files from $first in $out"
