#!/usr/bin/env bash
# Fetches the ROR registry data dump (CC0) for `byline audit --disclosure … --ror FILE`. Needs internet; never
# run by tests or CI. ROR publishes a dump about monthly in the Zenodo community "ror-data"; each release is a
# zip holding the registry as JSON in schema v1 and v2. byline reads the v2 file (a JSON array), plain or gzip.
#
#   datasets/fetch-ror.sh OUT_DIR
#
# Set ROR_URL to a dump's zip to skip the lookup of the newest release.
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
mkdir -p "$out"
url="${ROR_URL:-}"
if [[ -z "$url" ]]; then
    # The newest record of the community; its first file is the dump's zip.
    url="$(curl --fail --silent --show-error --retry 3 \
        'https://zenodo.org/api/records?communities=ror-data&sort=newest&size=1' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["hits"]["hits"][0]["files"][0]["links"]["self"])')"
fi
zip="$out/ror-data.zip"
curl --fail --silent --show-error --location --retry 3 -o "$zip.part" "$url"
mv "$zip.part" "$zip"
python3 - "$zip" "$out" <<'PY'
import gzip, shutil, sys, zipfile
zip_path, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(zip_path) as z:
    names = [n for n in z.namelist() if n.endswith(".json") and "v2" in n]
    if not names:
        sys.exit(f"{zip_path}: no schema v2 JSON in it ({z.namelist()})")
    with z.open(names[0]) as src, gzip.open(f"{out}/ror-v2.json.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    print(f"ok {out}/ror-v2.json.gz from {names[0]} in {zip_path}")
PY
echo "$url" > "$out/ROR_SOURCE"
date -u +%Y-%m-%dT%H:%M:%SZ > "$out/FETCHED_AT"
