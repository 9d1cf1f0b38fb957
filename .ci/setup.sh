#!/usr/bin/env bash
# Installs the Debian packages ksim needs (only those missing), then
# configures and builds ksim and its tests in build/.  Used by check.sh
# and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libgtest-dev libgmock-dev librapidcheck-dev
  libboost-graph-dev libcli11-dev nlohmann-json3-dev libfmt-dev libxxhash-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

mkdir -p build
log=build/setup.log
echo "setup: building ksim (log: $log)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKSIM_BUILD_TESTS=ON > "$log" 2>&1 \
  || { cat "$log"; exit 1; }
cmake --build build -j"$(nproc)" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
