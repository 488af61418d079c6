#!/usr/bin/env bash
# Regenerates the README's images with the project's own commands: the demo's HTML report as rendered by
# headless Chromium, and one of its charts as SVG. Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q -- demo --out out/demo >/dev/null
cargo run -q -- report out/demo/report.json --out out/demo/report.html --charts out/demo/charts >/dev/null
cp out/demo/charts/works-per-year.svg out/demo/charts/coauthor-network.svg docs/img/
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size=1100,1500 --screenshot="$PWD/docs/img/report.png" "file://$PWD/out/demo/report.html" 2>/dev/null
echo "docs/img/report.png docs/img/works-per-year.svg"
