#!/usr/bin/env bash
# Fetches parts of the OpenAlex works snapshot (gzipped JSON Lines, ~250M works, ~400 GB in all) over HTTPS
# from the public S3 bucket, following its manifest. Needs internet; never run by byline's tests or CI.
#
#   datasets/fetch-openalex-works.sh OUT_DIR [MAX_PARTS]
#   datasets/fetch-openalex-works.sh /data/openalex 3       # the first three parts listed in the manifest
#
# Source: https://docs.openalex.org/download-all-data/openalex-snapshot (CC0). The manifest lists every
# part as s3://openalex/data/works/updated_date=…/part_NNN.gz with its record count; the same objects are
# served at https://openalex.s3.amazonaws.com/…, so no AWS tooling is needed. Needs jq.
set -euo pipefail

out="${1:?usage: $0 OUT_DIR [MAX_PARTS]}"
max="${2:-3}"
bucket="${OPENALEX_BUCKET_URL:-https://openalex.s3.amazonaws.com}"

mkdir -p "$out"
curl --fail --silent --show-error --location --retry 3 -o "$out/manifest.json" "$bucket/data/works/manifest"
jq -r '.entries[].url' "$out/manifest.json" | head -n "$max" | while read -r url; do
    key="${url#s3://openalex/}"
    dest="$out/$(echo "$key" | tr '/=' '__')"
    if [[ -s "$dest" ]] && gzip -t "$dest" 2>/dev/null; then
        echo "ok (cached) $dest"
        continue
    fi
    curl --fail --silent --show-error --location --retry 3 -o "$dest.part" "$bucket/$key"
    gzip -t "$dest.part"
    mv "$dest.part" "$dest"
    echo "ok $dest"
done
echo "done: records per part are in $out/manifest.json (entries[].meta.record_count)"
