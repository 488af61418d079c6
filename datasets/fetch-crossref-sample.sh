#!/usr/bin/env bash
# Fetches N Crossref works through the REST API with cursor paging into one JSON Lines file (one work per
# line, the shape `byline ingest` reads as Crossref). Needs internet and jq; never run by tests or CI.
#
#   datasets/fetch-crossref-sample.sh OUT.jsonl N you@example.org [FILTER]
#   datasets/fetch-crossref-sample.sh crossref.jsonl 5000 me@lab.org 'from-pub-date:2023-01-01,type:journal-article'
#
# Source: https://api.crossref.org/swagger-ui/index.html. The mailto puts requests in the "polite" pool
# (https://www.crossref.org/documentation/retrieve-metadata/rest-api/tips-for-using-the-crossref-rest-api/);
# rows ≤ 1000 per page; the script sleeps between pages. For all of Crossref use the annual public data file.
set -euo pipefail

out="${1:?usage: $0 OUT.jsonl N MAILTO [FILTER]}"
n="${2:?usage: $0 OUT.jsonl N MAILTO [FILTER]}"
mailto="${3:?a contact e-mail is required by the polite pool}"
filter="${4:-type:journal-article}"
rows=1000
cursor='*'
got=0

: > "$out.part"
while (( got < n )); do
    page=$(( n - got < rows ? n - got : rows ))
    json="$(curl --fail --silent --show-error --get --retry 3 \
        --user-agent "byline-fetch/0.1 (mailto:$mailto)" \
        --data-urlencode "filter=$filter" \
        --data-urlencode "rows=$page" \
        --data-urlencode "cursor=$cursor" \
        --data-urlencode "mailto=$mailto" \
        https://api.crossref.org/works)"
    items="$(jq -c '.message.items[]' <<<"$json")"
    [[ -z "$items" ]] && break
    printf '%s\n' "$items" >> "$out.part"
    got=$(( got + $(printf '%s\n' "$items" | wc -l) ))
    cursor="$(jq -r '.message["next-cursor"]' <<<"$json")"
    sleep 1
done
mv "$out.part" "$out"
echo "done: $got works in $out"
