#!/usr/bin/env bash
# interrupt.sh KSIM SIGNAL: starts a check that would run for minutes, sends
# SIGNAL (INT or TERM) once it has printed its first progress line, and
# requires it to end BOUNDED (interrupted) with what it found printed (the
# early kernel-assertion counterexample), its files written, and exit 1.
set -u
. "$(dirname "$0")/await_line.sh"
ksim=$1 signal=$2
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$ksim" check --process A:alice --process B:alice --maxproc 3 --max-states 0 --progress-every 20000 \
  --out "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr" &
pid=$!
await_line '^progress:' "$tmp/stderr" "$pid" || exit 1
kill -"$signal" "$pid"
wait "$pid"
code=$?
cat "$tmp/stdout" "$tmp/stderr"
status=0
[ "$code" -eq 1 ] || { echo "FAIL: exit $code, expected 1 (a violation was found before the signal)" >&2; status=1; }
grep -q '^search: BOUNDED (interrupted): ' "$tmp/stdout" || { echo "FAIL: no BOUNDED (interrupted)" >&2; status=1; }
grep -q 'the search was interrupted: a property with no counterexample is UNKNOWN' "$tmp/stdout" ||
  { echo "FAIL: the verdicts do not say the search was interrupted" >&2; status=1; }
grep -q '^counterexample for kernel-assertion' "$tmp/stdout" || { echo "FAIL: counterexample not printed" >&2; status=1; }
grep -q '^ksim: found a violation of kernel-assertion at depth' "$tmp/stderr" ||
  { echo "FAIL: the violation was not announced when found" >&2; status=1; }
grep -q '"completion": "BOUNDED (interrupted)"' "$tmp/out/summary.json" 2>/dev/null ||
  { echo "FAIL: summary.json not written" >&2; status=1; }
[ -f "$tmp/out/counterexamples/kernel-assertion.scenario" ] ||
  { echo "FAIL: the counterexample file was not written" >&2; status=1; }
exit $status
