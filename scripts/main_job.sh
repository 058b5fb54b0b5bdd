#!/usr/bin/env bash
# The small default job run at the end of setup: generate a model-A instance, check it, build the
# reference design (MRT data beams + isotropic sensing, whole budget), print its metrics, then solve.
set -euo pipefail
bin=${1:-build/isacbf}
out=${2:-build/demo}
mkdir -p "$out"
"$bin" generate --model target_eavesdropper --Nt 8 --seed 1 -o "$out/a.json"
"$bin" validate "$out/a.json"
"$bin" design-mrt "$out/a.json" -o "$out/a_design_mrt.json"
"$bin" eval "$out/a.json" "$out/a_design_mrt.json" | tee "$out/a_metrics_mrt.json"
# Then the proposed secure design (SCA over P4 on the CPU ADMM), summarised beside the MRT baseline
# (the raw result JSON is printed instead when no python3 is at hand).
"$bin" solve "$out/a.json" -o "$out/a_result.json"
/usr/bin/env python3 - "$out/a_metrics_mrt.json" "$out/a_result.json" <<'PY' 2>/dev/null ||
import json, sys
mrt, res = (json.load(open(p)) for p in sys.argv[1:3])
print(f"MRT baseline secrecy rate {mrt['secrecy_rate']:.3f} bps/Hz; proposed design: status {res['status']}, "
      f"secrecy rate {res['secrecy_rate']:.3f} bps/Hz after {res['sca_iterations']} SCA iterations")
PY
cat "$out/a_result.json"
