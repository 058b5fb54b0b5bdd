#!/usr/bin/env bash
# Model B's HAD design (Algorithm 2) end to end, GPU analog steps vs the CPU reference (run on a machine
# with a GPU): generates COUNT instances of the default model-B scenario at Nt antennas with N_RF RF
# chains, solves the directory with `isacbf solve DIR --backend gpu` and `--backend cpu` (one lockstep
# batch each; the convex digital steps run on the CPU in both), and compares them instance by instance.
# Usage: bench/gpu_model_b_had_check.sh OUTDIR [Nt] [N_RF] [COUNT]   (defaults 64 12 64)
# BIN=path/to/isacbf (default build/isacbf).
set -uo pipefail
out=${1:?usage: gpu_model_b_had_check.sh OUTDIR [Nt] [N_RF] [COUNT]}
nt=${2:-64} nrf=${3:-12} count=${4:-64}
bin=${BIN:-build/isacbf}
inst=$(mktemp -d)
mkdir -p "$out"
for s in $(seq 1 "$count"); do
  "$bin" generate --model aerial_eavesdroppers --Nt "$nt" --Nr "$nt" --N_RF "$nrf" --seed "$s" -o "$inst/i$(printf %04d "$s").json" || exit 1
done
for be in gpu cpu; do
  t0=$(date +%s.%N)
  "$bin" solve "$inst" --backend "$be" --jsonl >"$out/had_nt${nt}_$be.jsonl" 2>"$out/had_nt${nt}_$be.err"
  rc=$? t1=$(date +%s.%N)
  echo "HAD Nt=$nt N_RF=$nrf instances=$count backend=$be rc=$rc wall_s=$(awk "BEGIN{print $t1 - $t0}")" | tee -a "$out/had_timings.txt"
done
python3 "$(dirname "$0")/compare_model_b_runs.py" "$out/had_nt${nt}_gpu.jsonl" "$out/had_nt${nt}_cpu.jsonl" | tee -a "$out/had_compare.txt"
rm -rf "$inst"
