#!/usr/bin/env bash
# The whole test suite: set up, then every test (engine, model, checker,
# command line, results/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh test
cd build
exec ctest --output-on-failure -j"$(nproc)"
