#!/usr/bin/env bash
# Copies a few small real files from the shared data folder into corpus/<target>/ as fuzzing seeds.
# corpus/ is git-ignored: shared data is never committed. Plain files are cut to their first SEED_BYTES so
# that libFuzzer's input length (the largest seed) stays small and executions fast.
# Usage: fuzz/seed-corpus.sh [shared-data-dir]   (default: $BYLINE_SHARED_DATA, else ../shared/data)
set -euo pipefail
cd "$(dirname "$0")"
# jstage: the project's own real fixture (its origin in crates/byline-parse/tests/fixtures/jstage/SOURCE.md),
# whole, and a copy cut inside its second entry; the same file for sniff.
mkdir -p corpus/jstage corpus/sniff
jstage_fixture=../crates/byline-parse/tests/fixtures/jstage/fastpaper-cli-jstage_search.xml
cp "$jstage_fixture" corpus/jstage/seed-jstage-answer.xml
head -c 2600 "$jstage_fixture" > corpus/jstage/seed-jstage-answer-cut.xml
cp "$jstage_fixture" corpus/sniff/seed-jstage-answer.xml
data="${1:-${BYLINE_SHARED_DATA:-../../shared/data}}"
if [ ! -d "$data" ]; then
  echo "no shared data at $data: targets will start from an empty corpus" >&2
  exit 0
fi
SEED_BYTES=16384

# seed <target> <prefix-byte-or-empty> <file>...: plain files cut to SEED_BYTES, gzip files whole.
seed() {
  local target=$1 prefix=$2
  shift 2
  mkdir -p "corpus/$target"
  for rel in "$@"; do
    local src="$data/$rel"
    [ -f "$src" ] || { echo "missing $src, skipped" >&2; continue; }
    local dst="corpus/$target/seed-$(basename "$rel")"
    {
      [ -n "$prefix" ] && printf "\\x$prefix"
      case "$rel" in
        *.gz) cat "$src" ;;
        *) head -c "$SEED_BYTES" "$src" ;;
      esac
    } > "$dst"
  done
}

pubmed=(pubmed/biopython__pubmed1.xml pubmed/fatcat__pubmed_31393839.xml pubmed/fatcat__pubmed_19129924.xml
  pubmed/eutils_json__efetch_pubmedbook.xml pubmed/alexandria3k__pubmed2.xml.gz
  pubmed/fatcat__pubmedsample_no_pmid_2019.xml.gz)
jats=(jats/allofplos__journal.pone.0097541.xml jats/allofplos__plos.correction.3155a3e9-5fbe-435c-a07a-e9a4846ec0b6.xml
  jats/elife_tools__elife07586.xml jats/elife_tools__elife_poa_e06828.xml jats/biopython__efetch_pmc.xml)
crossref=(crossref/raw/rcrossref-work-single-affiliation-10.4018-978-1-4666-9588-7.les2.json
  crossref/raw/habanero-worklist-query-ecology.json crossref/snapshot-sample/alexandria3k-1item.json.gz
  crossref/snapshot-sample/alexandria3k-crossref-2025.jsonl.gz crossref/snapshot-sample/alexandria3k-orcid-work.json.gz)
openalex=(openalex/raw/openalexPro-api_call_200-response.json openalex/raw/openalex-python-W2741809807.json
  openalex/snapshot-sample/go-openalex-works-updated_date-2023-05-16-part_000.gz)

seed pubmed "" "${pubmed[@]}"
seed jats "" "${jats[@]}"
seed crossref "" "${crossref[@]}"
seed openalex "" "${openalex[@]}"
# exports: the first byte selects the reader, in the order of byline_fuzz::EXPORT_FORMATS.
seed exports 00 bib/synthesisr-WoS_txt_example.txt bib/metaknowledge-savedrecs.txt
seed exports 01 bib/synthesisr-WoS_ciw_example.ciw bib/scientopy-wos_2026_04_02_4071.txt
seed exports 02 bib/bibliometrix-scopus_sample.csv
seed exports 03 bib/synthesisr-Scopus_ris_example.ris bib/synthesisr-Ovid_ris_example.ris
seed exports 04 bib/synthesisr-Scopus_bib_example.bib bib/pybibx-wos_m.bib
seed exports 05 pubmed/biopython__pubmed_result1.txt pubmed/biopython__pubmed_result3.txt
# sniff: one or two of every family, plain and gzip.
seed sniff "" pubmed/biopython__pubmed1.xml pubmed/alexandria3k__pubmed2.xml.gz jats/elife_tools__elife07586.xml \
  crossref/raw/habanero-worklist-query-ecology.json crossref/snapshot-sample/alexandria3k-1item.json.gz \
  openalex/raw/openalexPro-api_call_200-response.json bib/synthesisr-WoS_txt_example.txt \
  bib/synthesisr-WoS_ciw_example.ciw bib/bibliometrix-scopus_sample.csv bib/synthesisr-Ovid_ris_example.ris \
  bib/synthesisr-Scopus_bib_example.bib pubmed/biopython__pubmed_result1.txt
for d in corpus/*/; do echo "$d: $(ls "$d" | wc -l) seeds"; done
