#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# report_interrupt.sh KSIM RESULTS_DIR: `ksim report` replaces a part's
# folder whole or not at all.
#  - A part run to its end takes the place of the old folder: a file the
#    old one had and the new run does not write is gone, and no staging
#    folder is left beside it (the whole-patch part, seconds).
#  - A part interrupted (SIGINT while design:pre-patch searches, which
#    takes most of a minute) leaves the old folder exactly as it was,
#    says so, runs no later part and exits 3.
set -u
. "$(dirname "$0")/await_line.sh"
ksim=$1 results=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

mkdir -p "$tmp/results"
cp -r "$results/patch" "$tmp/results/patch"
echo stale > "$tmp/results/patch/stale.txt"
"$ksim" report --only patch --results "$tmp/results" > "$tmp/patch.out" 2>&1
[ -e "$tmp/results/patch/stale.txt" ] && fail "a file of the old folder stayed"
[ -f "$tmp/results/patch/patch.txt" ] || fail "the new folder has no patch.txt"
[ -e "$tmp/results/.patch.partial" ] && fail "the staging folder was left behind"

cp -r "$results/pre-patch" "$tmp/results/pre-patch"
"$ksim" report --only design:pre-patch --results "$tmp/results" > "$tmp/stdout" 2> "$tmp/stderr" &
pid=$!
await_line '^memory cap:' "$tmp/stderr" "$pid" || exit 1
sleep 1
kill -INT "$pid"
wait "$pid"
code=$?
pid=
[ "$code" -eq 3 ] || { cat "$tmp/stderr"; fail "exit $code, expected 3"; }
grep -q "^ksim report: interrupted: .*pre-patch is left as it was" "$tmp/stderr" ||
  { cat "$tmp/stderr"; fail "the interruption is not reported"; }
diff -r "$results/pre-patch" "$tmp/results/pre-patch" > /dev/null || fail "the interrupted part's folder changed"
[ -e "$tmp/results/.pre-patch.partial" ] && fail "the staging folder was left behind"
[ "$status" -eq 0 ] && echo "ok: a finished part replaced its folder, an interrupted one left it as it was"
exit $status
