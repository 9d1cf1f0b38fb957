#!/usr/bin/env bash
# setup.sh check|test: installs the Debian packages ksim needs (only those
# missing), then configures and builds in build/.  `check` (the main job)
# installs and builds only what the ksim command needs; `test` adds the
# test libraries, Chromium, the validators and the tests' npm packages, and
# builds the tests.  Used by check.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
case "$mode" in check | test) ;; *) echo "usage: setup.sh check|test" >&2; exit 2 ;; esac

# python3: configuration applies the designs' patches and finds the guards
# to ablate (kernel/variants/apply_patches.py, kernel/ablations/).
# librapidcheck-dev: `ksim programs` generates its programs with it.
packages=(cmake g++ make python3 pkg-config librapidcheck-dev libboost-graph-dev libcli11-dev
  nlohmann-json3-dev libfmt-dev libxxhash-dev)
if [ "$mode" = test ]; then
  # chromium: the HTML report's browser test (properties/tests/browser/).
  packages+=(libgtest-dev libgmock-dev chromium)
  # time: GNU time, which the benchmark script's test runs (properties/bench/).
  packages+=(time)
  # xmllint and jsonschema: --junit and --sarif are validated against their
  # schemas (properties/tests/ci-formats/).
  packages+=(libxml2-utils python3-jsonschema)
  # mandoc: `ksim patch` lints the seed's man page hunk with mandoc -T lint
  # (cli.patch-checks-every-hunk, results/patch/).  The main job does not
  # run `ksim patch`, so check mode does without it.
  packages+=(mandoc)
  # Open MPI: `mpirun -n K ksim check` (sim/README.md, "Distributed
  # search"); the tests compare 1, 2 and 3 ranks with one process.  The
  # main job builds ksim without it.
  packages+=(libopenmpi-dev openmpi-bin)
  # Node.js and npm, from Debian only where the machine has no node of its own.
  command -v node > /dev/null || packages+=(nodejs npm)
fi
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

if [ "$mode" = test ]; then
  # The tests' npm packages, exactly as each package-lock.json pins them,
  # only when the lock changed: playwright-core (it drives Debian's
  # Chromium; it downloads no browser) and the SARIF 2.1.0 schema.
  for folder in properties/tests/browser properties/tests/ci-formats; do
    if ! cmp -s "$folder/package-lock.json" "$folder/node_modules/.ksim-installed-lock"; then
      echo "setup: npm ci in $folder"
      (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
      cp "$folder/package-lock.json" "$folder/node_modules/.ksim-installed-lock"
    fi
  done
fi

mkdir -p build
log=build/setup.log
if [ "$mode" = test ]; then
  tests=ON target=all
else
  # A tree already configured with its tests keeps them; a new one has none.
  tests=$(sed -n 's/^KSIM_BUILD_TESTS:BOOL=//p' build/CMakeCache.txt 2>/dev/null || true)
  tests=${tests:-OFF} target=ksim
fi
echo "setup: building ksim (log: $log)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKSIM_BUILD_TESTS="$tests" > "$log" 2>&1 \
  || { cat "$log"; exit 1; }
cmake --build build -j"$(nproc)" --target "$target" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
