#!/usr/bin/env bash
# results_report.sh KSIM RESULTS_DIR
# Renders the design review from a copy of results/ and requires
# report.md and report.html to equal the committed ones; the parts it is
# rendered from are checked by results_part.sh.
set -u
ksim=$1 results=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$results" "$tmp/results"
rm -f "$tmp/results/report.md" "$tmp/results/report.html"
if ! "$ksim" report --results "$tmp/results" > "$tmp/stdout" 2>&1; then
  cat "$tmp/stdout" >&2
  echo "FAIL: ksim report could not render results/" >&2
  exit 1
fi
status=0
for f in report.md report.html; do
  if ! cmp -s "$results/$f" "$tmp/results/$f"; then
    diff "$results/$f" "$tmp/results/$f" | head -20
    echo "FAIL: results/$f is not current; regenerate it: ksim report" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "results/report.md and results/report.html are current"
exit "$status"
