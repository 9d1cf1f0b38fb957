#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ablate_interrupt.sh KSIM: Ctrl-C during `ksim ablate --vary-sysctls`
# ends the list at the guard whose searches it cut short, which reads "not
# judged: interrupted", never "redundant"; the files written say the same,
# and the exit is 3 (bounded).  The review's world to depth 4: SIGINT once
# kern_procctl's idtype guard is reported redundant, while the next one, the
# PRS_NEW test (redundant too: its searches, the six variations' included,
# take seconds), still searches.
set -u
. "$(dirname "$0")/await_line.sh"
ksim=$1
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

"$ksim" ablate rfc-2014 --process R:root --process A:alice --process M:bob --maxproc 4 --max-depth 4 \
  --vary-sysctls --out "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr" &
pid=$!
await_line '^kern_procctl.c:[0-9]* if (idtype .*: redundant' "$tmp/stderr" "$pid" || exit 1
kill -INT "$pid"
wait "$pid"
code=$?
pid=
[ "$code" -eq 3 ] || { cat "$tmp/stderr" >&2; fail "exit $code, expected 3"; }
last=$(grep -E '^    (prevents|delays|redundant|not judged)' "$tmp/stdout" | tail -1)
[ "$last" = "    not judged: interrupted" ] || fail "the last guard listed reads '$last', not 'not judged: interrupted'"
listed=$(grep -cE '^  rfc-2014-guard-[0-9]+ ' "$tmp/stdout")
[ "$listed" -lt 34 ] || fail "all 34 guards were listed: the interruption came too late to test anything"
grep -q '"outcome": "not judged: interrupted"' "$tmp/out/ablation.json" || fail "ablation.json does not say so"
[ "$status" -eq 0 ] && echo "ok: $listed guards listed, the last one not judged"
exit $status
