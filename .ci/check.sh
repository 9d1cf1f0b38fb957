#!/usr/bin/env bash
# The main job: set up, then check rfc-2014 at the default bounds.
# Extra arguments go to `ksim check` (e.g. --variant, --max-depth, --json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh check
exec build/properties/ksim check "$@"
