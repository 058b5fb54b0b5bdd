#!/usr/bin/env bash
# Fresh machine -> installed dependencies, a Release build and one small model-A job.
# Idempotent: installs only the Debian packages that are missing, and says which.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_deps.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ${ISACBF_CMAKE_ARGS:-}
cmake --build build -j "$(nproc)"

bash scripts/main_job.sh build/isacbf
