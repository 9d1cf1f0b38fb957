#!/usr/bin/env bash
# run-check.sh RENDERER OUT_DIR MIN_SVGS
# run-check.sh --page PAGE.html OUT_DIR MIN_SVGS
# Renders the synthetic design review with RENDERER (render_review_fixture)
# into OUT_DIR/review-fixture.html, or takes an existing PAGE.html (the
# committed results/report.html), then checks it in headless Chromium with
# check-html.mjs (screenshot: OUT_DIR/<page>.png).
# Exits 77 (ctest's SKIP_RETURN_CODE) with a one-line reason when node,
# Chromium or playwright-core is missing: .ci/setup.sh installs all three.
set -u
here=$(cd "$(dirname "$0")" && pwd)
renderer=$1 out=$2 min=${3:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node > /dev/null; then
  echo "SKIP: no node (install Node.js, then npm ci in $here)"
  exit 77
fi
if [ ! -x "$chromium" ]; then
  echo "SKIP: no Chromium at $chromium (apt-get install chromium)"
  exit 77
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  echo "SKIP: no playwright-core in $here/node_modules (npm ci in $here)"
  exit 77
fi
if [ "$renderer" = --page ]; then
  page=$2 out=$3 min=$4
  mkdir -p "$out"
  exec node "$here/check-html.mjs" "$page" "$min" "$out/$(basename "$page" .html).png"
fi
mkdir -p "$out"
"$renderer" "$out/review-fixture.html" "$out/review-fixture.md" || exit 1
exec node "$here/check-html.mjs" "$out/review-fixture.html" "$min" "$out/review-fixture.png"
