#!/usr/bin/env bash
# results_current.sh KSIM RESULTS_DIR
# Regenerates the default check twice, checks the two runs are byte-identical
# and equal to what results/ holds (timing.txt aside: it is measured), and
# replays every counterexample to its violation.
set -u
ksim=$1 results=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for run in a b; do
  "$ksim" check --quiet --out "$tmp/$run" > "$tmp/$run.stdout" 2>/dev/null
  echo "$?" > "$tmp/$run.exit"
done
if ! diff -r -x timing.txt "$tmp/a" "$tmp/b" || ! cmp -s "$tmp/a.stdout" "$tmp/b.stdout"; then
  echo "FAIL: two runs of the default check differ" >&2
  status=1
fi
if [ "$(cat "$tmp/a.exit")" != 1 ]; then
  echo "FAIL: the default check on rfc-2014 should exit 1 (violations), got $(cat "$tmp/a.exit")" >&2
  status=1
fi
if ! diff -r -x timing.txt "$results/rfc-2014" "$tmp/a"; then
  echo "FAIL: results/rfc-2014 is not current; regenerate it: ksim check --out results/rfc-2014" >&2
  status=1
fi
for f in "$results"/rfc-2014/counterexamples/*.scenario; do
  prop=$(basename "$f" .scenario)
  out=$("$ksim" replay "$f" 2>&1)
  code=$?
  if [ "$code" -ne 1 ] || ! printf '%s\n' "$out" | grep -q "VIOLATION $prop:"; then
    printf '%s\n' "$out"
    echo "FAIL: replay of $f did not reproduce $prop (exit $code)" >&2
    status=1
  fi
done
for f in "$results"/rfc-2014/unspecified/*.scenario; do
  point=$(basename "$f" .scenario)
  out=$("$ksim" replay "$f" 2>&1)
  code=$?
  # Exit 1 is fine: the same path may also violate a property.
  if [ "$code" -gt 1 ] || ! printf '%s\n' "$out" | grep -q "UNSPECIFIED $point:"; then
    printf '%s\n' "$out"
    echo "FAIL: replay of $f did not reach $point (exit $code)" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "results/rfc-2014 is current and every counterexample replays"
exit "$status"
