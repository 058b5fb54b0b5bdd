#!/usr/bin/env bash
# GPU validation and timing of model A end to end (run on a machine with a GPU):
# builds, runs the GPU test programs, then solves the same generated model-A instances with
# `isacbf solve --backend cpu` and `--backend gpu` and compares them instance by instance
# (bench/compare_backends.py). Usage: bench/gpu_model_a_check.sh OUTDIR [CMAKE_PREFIX_PATH]
# BIN_DIR=DIR uses a build made elsewhere (DIR/isacbf, DIR/tests/test_gpu_*) instead of building;
# SKIP_TESTS=1 skips the GPU test programs; CASES="nt8_k3 nt64_k3" runs only the named cases (default: all four).
set -uo pipefail
out=${1:?usage: gpu_model_a_check.sh OUTDIR [CMAKE_PREFIX_PATH]}
prefix=${2:-}
raw=${RAW_DIR:-$out}   # per-instance JSON lines (RAW_DIR keeps them apart from the summaries)
mkdir -p "$out" "$raw"
build=${BIN_DIR:-${BUILD_DIR:-/tmp/isacbf-gpu-build}}
if [ -z "${BIN_DIR:-}" ]; then
  { cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DISACBF_WITH_CUDA=ON ${prefix:+-DCMAKE_PREFIX_PATH=$prefix} &&
    cmake --build "$build" -j "$(nproc)" --target isacbf test_gpu_admm test_gpu_vs_cpu test_gpu_psd test_gpu_prep; } \
    >"$out/build.txt" 2>&1 || { tail -40 "$out/build.txt"; exit 1; }
fi
bin="$build/isacbf"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/device.txt"

if [ -z "${SKIP_TESTS:-}" ]; then  # SKIP_TESTS=1: the model-A comparison only
  for t in test_gpu_prep test_gpu_psd test_gpu_admm test_gpu_vs_cpu; do
    ISACBF_SDPLIB=${ISACBF_SDPLIB:-../shared/sdplib} timeout 300 "$build/tests/$t" --gtest_brief=1 2>&1 | tail -5
  done | tee "$out/gpu_tests.txt"
fi

inst=/tmp/isacbf-model-a
# name Nt K count [extra solve flags]
run_case() {
  local name=$1 nt=$2 k=$3 n=$4; shift 4
  case " ${CASES:-$name} " in *" $name "*) ;; *) return ;; esac
  mkdir -p "$inst/$name"
  for s in $(seq 1 "$n"); do "$bin" generate --model target_eavesdropper --Nt "$nt" --K "$k" --seed "$s" -o "$inst/$name/i$s.json"; done
  for be in gpu cpu; do
    local t0=$(date +%s.%N)
    timeout 150 "$bin" solve "$inst/$name" --backend "$be" --jsonl "$@" >"$raw/${name}_$be.jsonl" 2>"$raw/${name}_$be.err"
    local rc=$? t1=$(date +%s.%N)
    echo "$name backend=$be instances=$n rc=$rc wall_s=$(awk "BEGIN{print $t1 - $t0}")" | tee -a "$out/timings.txt"
  done
}
run_case nt8_k3 8 3 1024
run_case nt64_k3 64 3 256
run_case nt16_k8 16 8 256
run_case full_nt16_k3 16 3 64 --full-form
python3 bench/compare_backends.py "$raw" | tee "$out/compare.txt"
