#!/usr/bin/env bash
# Model B's conic steps on the GPU's batched ADMM against the CPU ADMM (run on a machine with a GPU):
# generates COUNT default model-B instances at Nt antennas with N_RF RF chains, solves them as one
# lockstep batch with `isacbf solve-b FILES --scheme SCHEME --solver gpu` and with `--solver admm` (each
# design on its own CPU thread), and compares them instance by instance (compare_model_b_runs.py).
# Usage: bench/gpu_model_b_conic_check.sh OUTDIR [Nt] [N_RF] [COUNT] [SCHEME]   (defaults 32 0 64 digital)
# BIN=path/to/isacbf (default build/isacbf). GPU_SOLVER=admm runs the script's mechanics without a GPU.
set -uo pipefail
out=${1:?usage: gpu_model_b_conic_check.sh OUTDIR [Nt] [N_RF] [COUNT] [SCHEME]}
nt=${2:-32} nrf=${3:-0} count=${4:-64} scheme=${5:-digital}
bin=${BIN:-build/isacbf}
inst=$(mktemp -d)
trap 'rm -rf "$inst"' EXIT
mkdir -p "$out"
for s in $(seq 1 "$count"); do
  "$bin" generate --model aerial_eavesdroppers --Nt "$nt" --Nr "$nt" --N_RF "$nrf" --seed "$s" -o "$inst/i$(printf %04d "$s").json" || exit 1
done
tag="${scheme}_nt${nt}_rf${nrf}"
for run in gpu cpu; do
  solver=$([ "$run" = gpu ] && echo "${GPU_SOLVER:-gpu}" || echo admm)
  t0=$(date +%s.%N)
  "$bin" solve-b "$inst"/*.json --scheme "$scheme" --solver "$solver" >"$out/${tag}_$run.json" 2>"$out/${tag}_$run.err"
  rc=$? t1=$(date +%s.%N)
  echo "$scheme Nt=$nt N_RF=$nrf instances=$count solver=$solver rc=$rc wall_s=$(awk "BEGIN{print $t1 - $t0}")" | tee -a "$out/conic_timings.txt"
done
python3 "$(dirname "$0")/compare_model_b_runs.py" "$out/${tag}_gpu.json" "$out/${tag}_cpu.json" | tee -a "$out/conic_compare.txt"
