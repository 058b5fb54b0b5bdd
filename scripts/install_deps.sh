#!/usr/bin/env bash
# Installs the Debian packages isacbf needs that are missing (and says which); does nothing otherwise.
set -euo pipefail
packages=(cmake ninja-build g++ libeigen3-dev libcli11-dev nlohmann-json3-dev libgtest-dev libopenblas-pthread-dev
          libopenblas0-serial  # the sequential OpenBLAS, only for the ctest psd_lapack_sequential_openblas
          python3-numpy python3-matplotlib python3-cvxopt
          coinor-csdp)  # coinor-csdp: optional, reference optima for bench/sdp_families.py (test skips without)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing missing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

