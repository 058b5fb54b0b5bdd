#!/usr/bin/env bash
# The checks that wait for a device (docs/PERFORMANCE.md §18), in stages that each fit one device call
# (10 minutes). Run on the lent GPU machine from the repository root, with the binaries of a CUDA build
# made on the CPU machine (bench/pack_gpu_binaries.sh build payload.tar.xz, carried and unpacked there).
# Usage: bench/gpu_pending_checks.sh OUTDIR STAGE...
#   tests     the five GPU test programs (GPU results against the CPU reference, instance by instance)
#             and the CLI's GPU cases (isacbf conic / solve-b with the GPU against the CPU)
#   sanitize  compute-sanitizer memcheck, synccheck and racecheck on the Anderson and mixed-batch tests
#   bench     isacbf bench --batches 1024,16384, with and without --cpu-plain (Anderson's cost per iteration)
#   modelb    model B's conic steps, GPU against the CPU ADMM (gpu_model_b_conic_check.sh: digital Nt 32, HAD Nt 64)
#   modela    model A end to end, GPU against the CPU reference (isacbf bench --model-a, reduced form, Nt 8/64,
#             K 3/8, 16 instances: same_status, max_sr_rel_diff); its feasibility phase runs the GPU's Anderson
#   sdplib    the 26 SDPLIB problems under 330 s on the GPU backend at tol 1e-4 (sdplib_table.py -- --backend gpu)
# BIN_DIR holds isacbf and tests/test_gpu_* (default build); ISACBF_SDPLIB the SDPLIB folder (default
# ../shared/sdplib). With the packed payload: tar xJf payload.tar.xz -C /tmp/g;
# export LD_LIBRARY_PATH=/tmp/g/lib:/usr/local/cuda/lib64 BIN_DIR=/tmp/g/bin ISACBF_SDPLIB=/tmp/g/sdplib.
# Each stage writes OUTDIR/STAGE/ and a line per
# step to OUTDIR/summary.txt; OUTDIR/checks.tar.gz packs everything at the end (the device tool brings
# back at most 8 files).
set -uo pipefail
out=${1:?usage: gpu_pending_checks.sh OUTDIR STAGE... (tests sanitize bench modelb sdplib)}
shift
[ $# -gt 0 ] || { echo "name at least one stage: tests sanitize bench modela modelb sdplib" >&2; exit 2; }
bin_dir=${BIN_DIR:-build}
here=$(cd "$(dirname "$0")" && pwd)
sanitizer=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
export ISACBF_SDPLIB=${ISACBF_SDPLIB:-$here/../../shared/sdplib}
mkdir -p "$out"
{ nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || echo "no nvidia-smi"; } >"$out/device.txt" 2>&1
note() { echo "$*" | tee -a "$out/summary.txt"; }
# step NAME SECONDS COMMAND...: runs with a time limit, its output in the stage's folder, its exit code in summary.txt
step() {
  local name=$1 limit=$2
  shift 2
  timeout "$limit" "$@" >"$dir/$name.txt" 2>&1
  note "$stage/$name rc=$? $(grep -E 'PASSED|SKIPPED|FAILED|ERROR SUMMARY|RACECHECK SUMMARY|statuses equal|wrote' "$dir/$name.txt" | tail -2 | tr '\n' ' ')"
}
sdplib26=truss1,truss2,truss3,truss4,hinf1,hinf2,hinf3,hinf4,hinf5,hinf6,hinf7,hinf8,hinf9,hinf10,hinf11,hinf12,control1,control2,mcp100,mcp124-1,theta1,theta2,qap5,qap6,infp1,infd1
for stage in "$@"; do
  dir="$out/$stage"
  mkdir -p "$dir"
  case $stage in
    tests)
      for t in test_gpu_prep test_gpu_psd test_gpu_admm test_gpu_vs_cpu test_gpu_manifold; do
        step "$t" 150 "$bin_dir/tests/$t"
      done
      # the CLI's GPU cases (conic on SDPA and CBF batches, its --verbose log, solve-b --solver gpu) with this isacbf
      for t in test_sdpa_reader test_cbf_reader test_cli_model_b test_progress_log; do
        ISACBF_TEST_BINARY="$bin_dir/isacbf" step "$t" 150 "$bin_dir/tests/$t" --gtest_filter='*OrExitsThree*'
      done ;;
    sanitize)
      for tool in memcheck synccheck racecheck; do
        step "$tool" 170 "$sanitizer" --tool "$tool" "$bin_dir/tests/test_gpu_vs_cpu" --gtest_filter='*Anderson*:*Mixed*'
      done ;;
    bench)
      step bench 250 "$bin_dir/isacbf" bench --batches 1024,16384
      step bench_cpu_plain 250 "$bin_dir/isacbf" bench --batches 1024,16384 --cpu-plain ;;
    modela)
      step model_a 500 "$bin_dir/isacbf" bench --model-a --form reduced --nt 8 64 --users 3 8 --batches 16 --cvxopt-instances 0 ;;
    modelb)
      BIN="$bin_dir/isacbf" step digital_nt32 250 bash "$here/gpu_model_b_conic_check.sh" "$dir" 32 0 64 digital
      BIN="$bin_dir/isacbf" step had_nt64 250 bash "$here/gpu_model_b_conic_check.sh" "$dir" 64 8 64 had ;;
    sdplib)
      step sdplib_gpu 560 python3 "$here/sdplib_table.py" --binary "$bin_dir/isacbf" --sdplib "$ISACBF_SDPLIB" --tol 1e-4 --out "$dir/sdplib_gpu.md" \
        --json-out "$dir/sdplib_gpu.json" --only "$sdplib26" -- --backend gpu ;;
    *)
      echo "unknown stage '$stage' (tests sanitize bench modela modelb sdplib)" >&2
      exit 2 ;;
  esac
done
packed=$(mktemp)
tar czf "$packed" --exclude=./checks.tar.gz -C "$out" . && mv "$packed" "$out/checks.tar.gz"
