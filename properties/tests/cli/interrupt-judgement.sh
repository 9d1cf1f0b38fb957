#!/usr/bin/env bash
# interrupt-judgement.sh KSIM: a search that ends on its own (the review
# world to depth 4), then a signal once it says it is judging the progress
# properties (seconds: root-can-undo confirms its candidates with searches
# of their own).  The signal stops the judgement, not ksim: the search's
# verdicts and counterexamples are printed and written, the progress
# properties are UNKNOWN (summary.json, the JUnit report and the SARIF log
# say the judgement was interrupted), and the run exits 1 (it found
# violations), never 0 and never killed by the signal.
set -u
. "$(dirname "$0")/await_line.sh"
ksim=$1
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$ksim" check --process R:root --process A:alice --process M:bob --maxproc 4 --max-depth 4 \
  --progress-every 20000 --out "$tmp/out" --junit "$tmp/junit.xml" --sarif "$tmp/sarif.json" \
  > "$tmp/stdout" 2> "$tmp/stderr" &
pid=$!
await_line '^progress: judging the progress properties on 58087 states' "$tmp/stderr" "$pid" || exit 1
kill -INT "$pid"
wait "$pid"
code=$?
cat "$tmp/stdout" "$tmp/stderr"
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
[ "$code" -eq 1 ] || fail "exit $code, expected 1 (violations were found by the search)"
grep -q '^ksim: interrupted: stopping the progress judgement' "$tmp/stderr" || fail "the signal was not taken as a stop of the judgement"
grep -q '^search: BOUNDED (depth): 58087 states' "$tmp/stdout" || fail "the search's own completion is not kept"
grep -q '^  the progress judgement was interrupted: a progress property it had not judged is UNKNOWN' "$tmp/stdout" ||
  fail "the verdicts do not say the judgement was interrupted"
for p in stopped-debuggee-can-resume vfork-parent-wakes owner-can-leave-trace-state root-can-undo; do
  grep -Eq "^  UNKNOWN +$p\$" "$tmp/stdout" || fail "$p is not UNKNOWN"
done
grep -Eq '^  VIOLATED +kernel-assertion +shortest counterexample: 3 steps' "$tmp/stdout" ||
  fail "the search's kernel-assertion verdict is missing"
grep -q '"progress_judgement": "interrupted"' "$tmp/out/summary.json" 2>/dev/null || fail "summary.json does not say so"
grep -q '<property name="progress_judgement" value="interrupted"/>' "$tmp/junit.xml" 2>/dev/null ||
  fail "the JUnit report does not say so"
grep -q '"progress_judgement": "interrupted"' "$tmp/sarif.json" 2>/dev/null || fail "the SARIF log does not say so"
[ -f "$tmp/out/counterexamples/kernel-assertion.scenario" ] || fail "the counterexample file was not written"
exit $status
