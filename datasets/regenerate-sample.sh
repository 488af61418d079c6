#!/usr/bin/env bash
# Regenerates the bundled sample (datasets/sample) with the project's own generator (`byline-bench generate`).
# A CLI test of byline-bench checks that the committed files are byte-identical to what this writes, so run it
# after changing the generator.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf datasets/sample
cargo run -q -p byline-bench -- generate --out datasets/sample --works 400 --formats pubmed,openalex,crossref \
    --records-per-file 150 --seed 7 --plant-audit 4
