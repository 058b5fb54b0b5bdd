#!/usr/bin/env bash
# Packs a CUDA build made on this (GPU-less) machine for a lent GPU machine that lacks the Debian
# packages: isacbf, the five GPU test programs, the three CLI test programs with GPU cases, the OpenBLAS runtime they link and a copy of the SDPLIB
# subset, in one compressed file (the lent machine's transfer limit is 64 MiB; this is ~7 MiB).
# Usage: bench/pack_gpu_binaries.sh BUILD_DIR OUT.tar.xz
# On the GPU machine (same CUDA 13.0 runtime):
#   mkdir -p /tmp/g && tar xJf OUT.tar.xz -C /tmp/g
#   export LD_LIBRARY_PATH=/tmp/g/lib:/usr/local/cuda/lib64:$LD_LIBRARY_PATH ISACBF_SDPLIB=/tmp/g/sdplib
#   /tmp/g/bin/tests/test_gpu_vs_cpu;  BIN_DIR=/tmp/g/bin SKIP_TESTS=1 bench/gpu_model_a_check.sh OUTDIR
set -euo pipefail
build=${1:?usage: pack_gpu_binaries.sh BUILD_DIR OUT.tar.xz}
out=${2:?usage: pack_gpu_binaries.sh BUILD_DIR OUT.tar.xz}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin/tests" "$stage/lib"
cp "$build/isacbf" "$stage/bin/"
cp "$build"/tests/test_gpu_{prep,psd,admm,vs_cpu,manifold} "$stage/bin/tests/"
# the CLI tests whose GPU cases run the packed isacbf through ISACBF_TEST_BINARY (gpu_pending_checks.sh)
cp "$build"/tests/test_{sdpa_reader,cbf_reader,cli_model_b,progress_log} "$stage/bin/tests/"
strip "$stage/bin/isacbf" "$stage"/bin/tests/*
for lib in $(ldd "$build/isacbf" | awk '/openblas|gfortran|quadmath/ {print $3}'); do cp -L "$lib" "$stage/lib/"; done
cp -r "$(dirname "$0")/../../shared/sdplib" "$stage/sdplib" 2>/dev/null || echo "note: ../shared/sdplib absent, not packed"
tar cJf "$out" -C "$stage" .
ls -la "$out"
