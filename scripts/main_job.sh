#!/usr/bin/env bash
# The small default job run at the end of setup: generate a model-A instance, check it, build the
# reference design (MRT data beams + isotropic sensing, whole budget) and print its metrics.
set -euo pipefail
bin=${1:-build/isacbf}
out=${2:-build/demo}
mkdir -p "$out"
"$bin" generate --model target_eavesdropper --Nt 8 --seed 1 -o "$out/a.json"
"$bin" validate "$out/a.json"
"$bin" design-mrt "$out/a.json" -o "$out/a_design_mrt.json"
"$bin" eval "$out/a.json" "$out/a_design_mrt.json" | tee "$out/a_metrics_mrt.json"
