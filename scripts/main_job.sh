#!/usr/bin/env bash
# The small default job run at the end of setup: generate a model-A instance and evaluate a simple design.
set -euo pipefail
bin=${1:-build/isacbf}
out=${2:-build/demo}
mkdir -p "$out"
"$bin" generate --model target_eavesdropper --Nt 8 --seed 1 -o "$out/a.json"
"$bin" validate "$out/a.json"
