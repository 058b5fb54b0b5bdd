#!/usr/bin/env bash
# Builds everything and runs the whole GoogleTest suite with ctest (GPU tests skip without a device).
# With CI=true warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
werror=OFF; [ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DISACBF_WERROR=$werror ${ISACBF_CMAKE_ARGS:-}
cmake --build build -j "$(nproc)"
ctest --test-dir build --output-on-failure -j "$(nproc)" ${CTEST_ARGS:-}
