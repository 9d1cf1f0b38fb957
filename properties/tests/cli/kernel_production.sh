#!/usr/bin/env bash
# kernel_production.sh KSIM
# A counterexample found on a production kernel says so (`kernel
# production`) and replays on that kernel without being told: the
# assertion is passed over again, not turned into a panic.
set -u
ksim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ksim" check --quiet --kernel production --max-depth 3 --property kernel-assertion --out "$tmp/out" \
  > "$tmp/check.txt" 2>&1
code=$?
[ "$code" -eq 1 ] || { cat "$tmp/check.txt"; echo "FAIL: check exited $code, expected 1" >&2; exit 1; }
grep -q '^  kernel      production ' "$tmp/out/summary.txt" || { echo "FAIL: summary.txt names no production kernel" >&2; exit 1; }
grep -q '"kernel": "production"' "$tmp/out/summary.json" || { echo "FAIL: summary.json names no production kernel" >&2; exit 1; }
f=$tmp/out/counterexamples/kernel-assertion.scenario
grep -qx 'kernel production' "$f" || { cat "$f"; echo "FAIL: $f has no 'kernel production' line" >&2; exit 1; }
out=$("$ksim" replay --max-continuations 0 "$f" 2>&1)
code=$?
printf '%s\n' "$out"
[ "$code" -eq 1 ] || { echo "FAIL: replay exited $code, expected 1" >&2; exit 1; }
printf '%s\n' "$out" | grep -q 'VIOLATION kernel-assertion: production kernel: KASSERT would fail' ||
  { echo "FAIL: replay did not pass over the assertion" >&2; exit 1; }
printf '%s\n' "$out" | grep -q '= panic' && { echo "FAIL: replay panicked" >&2; exit 1; }
exit 0
