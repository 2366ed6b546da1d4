#!/usr/bin/env bash
# Installs the Debian packages tessera needs (idempotent) and configures the build tree.
# Used by both README commands. Runs apt-get only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsystemc-dev          # SystemC 2.3.4 + TLM (built as C++17)
  libtomlplusplus-dev     # TOML++ 3.3: configs and network files
  libfmt-dev              # fmt 9: console tables
  nlohmann-json3-dev      # reports, traces, manifests
  libboost-program-options-dev libboost-mpi-dev libboost-serialization-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev              # gzip'd IDX datasets
  libtorch-dev            # hardware-aware training (CPU)
  dataset-fashion-mnist   # /usr/share/datasets/fashion-mnist
  python3-matplotlib      # tools/plot.py (tessera plot)
  libsqlite3-dev libsqlitecpp-dev   # results store of sweeps and searches
  libssl-dev              # SHA-256 keys of sweep points
  openmpi-bin libopenmpi-dev        # tessera sweep --mpi
  libpagmo-dev            # NAS: NSGA-II operators, non-dominated sorting, hypervolume
  libxgboost-dev xgboost  # NAS: gradient-boosted surrogate (xgboost's CMake config needs the binary)
  clang libclang-rt-dev   # fuzz targets (TESSERA_FUZZ, tests/fuzz/README.md)
  libonnx-dev libprotobuf-dev protobuf-compiler   # ONNX import (--net FILE.onnx); CMake's Protobuf module looks for protoc
  python3-onnx python3-torch python3-torchvision   # tests/onnx/make_models.py exports the test models (/usr/bin/python3)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi

build_dir=${TESSERA_BUILD_DIR:-build}
cmake -S "$(dirname "$0")/.." -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
echo "setup: configured $build_dir (Release)"
