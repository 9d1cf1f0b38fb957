#!/usr/bin/env bash
# Installs the Debian packages ksim needs (only those missing) and the
# browser test's npm package, then configures and builds ksim and its tests
# in build/.  Used by check.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the HTML report's browser test (properties/tests/browser/).
# python3: configuration applies the designs' patches and finds the guards
# to ablate (kernel/variants/apply_patches.py, kernel/ablations/).
packages=(cmake g++ make python3 pkg-config libgtest-dev libgmock-dev librapidcheck-dev
  libboost-graph-dev libcli11-dev nlohmann-json3-dev libfmt-dev libxxhash-dev chromium)
# Node.js and npm, from Debian only where the machine has no node of its own.
command -v node > /dev/null || packages+=(nodejs npm)
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

# playwright-core, exactly as package-lock.json pins it (it drives Debian's
# Chromium; it downloads no browser).  Again only when the lock changed.
browser=properties/tests/browser
if ! cmp -s "$browser/package-lock.json" "$browser/node_modules/.ksim-installed-lock"; then
  echo "setup: npm ci in $browser"
  (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
  cp "$browser/package-lock.json" "$browser/node_modules/.ksim-installed-lock"
fi

mkdir -p build
log=build/setup.log
echo "setup: building ksim (log: $log)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKSIM_BUILD_TESTS=ON > "$log" 2>&1 \
  || { cat "$log"; exit 1; }
cmake --build build -j"$(nproc)" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
