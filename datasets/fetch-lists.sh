#!/usr/bin/env bash
# Fetches the public screening lists and the Retraction Watch data that `byline lists` and the detectors
# read. Needs internet; never run by tests or CI. Lists change; record the date you fetched them.
#
#   datasets/fetch-lists.sh OUT_DIR
#
# Sources:
# - US Consolidated Screening List (CSL), International Trade Administration:
#   https://www.trade.gov/consolidated-screening-list (CSV)
# - Japan METI End User List (Excel; updated yearly):
#   https://www.meti.go.jp/policy/anpo/law05.html  → set METI_URL to the current file (the name changes)
# - Canada, Named Research Organizations (NRO), Sensitive Technology Research and Affiliations of Concern:
#   https://science.gc.ca/site/science/en/safeguarding-your-research/guidelines-and-tools-implement-research-security/sensitive-technology-research-and-affiliations-concern/named-research-organizations
#   (an HTML page; saved as is for `byline lists`)
# - Retraction Watch database, opened by Crossref Labs (CSV, CC0 since 2023):
#   https://api.labs.crossref.org/data/retractionwatch?you@example.org (the query is a bare contact e-mail;
#   see https://www.crossref.org/blog/news-crossref-and-retraction-watch/); also mirrored at
#   https://gitlab.com/crossref/retraction-watch-data
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
mailto="${MAILTO:-}"
csl_url="${CSL_URL:-https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv}"
meti_url="${METI_URL:-}"
nro_url="${NRO_URL:-https://science.gc.ca/site/science/en/safeguarding-your-research/guidelines-and-tools-implement-research-security/sensitive-technology-research-and-affiliations-concern/named-research-organizations}"
rw_url="${RW_URL:-https://api.labs.crossref.org/data/retractionwatch}"

fetch() { # url dest
    curl --fail --silent --show-error --location --retry 3 -o "$2.part" "$1"
    mv "$2.part" "$2"
    echo "ok $2 ($(wc -c <"$2") bytes) from $1"
}

mkdir -p "$out"
fetch "$csl_url" "$out/us-csl.csv"
if [[ -n "$meti_url" ]]; then
    # Keep METI's own file name (`20250929_4.xlsx`): it carries the revision date `byline lists` reads.
    fetch "$meti_url" "$out/${meti_url##*/}"
else
    echo "skipped Japan METI End User List: set METI_URL to the current file linked from https://www.meti.go.jp/policy/anpo/law05.html"
fi
fetch "$nro_url" "$out/canada-nro.html"
if [[ -n "$mailto" ]]; then
    fetch "$rw_url?$mailto" "$out/retraction-watch.csv"
else
    echo "skipped Retraction Watch: set MAILTO=you@example.org (Crossref Labs asks for a contact)"
fi
date -u +%Y-%m-%dT%H:%M:%SZ > "$out/FETCHED_AT"
