#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# replay_all.sh KSIM DIR: the checks of replay_fact.sh for every fact in DIR
# and of gaps/replay_gap.sh for every known gap in DIR/gaps, in one process.
# The fast loop runs this instead of one test per scenario: a test of its
# own costs ctest more than the replay, and there are hundreds.  The whole
# suite still runs each scenario as its own test (facts.NAME), which names
# the one that fails.  Prints each failure and exits 1 if there was one.
set -u
ksim=$1
dir=$2
failures=0
count=0

fail() {
	failures=$((failures + 1))
	printf 'FAIL: %s: %s\n' "$1" "$2" >&2
	printf '%s\n' "$3" | tail -n 5 >&2
}

for scenario in "$dir"/*.scenario; do
	count=$((count + 1))
	out=$("$ksim" replay --max-continuations 0 "$scenario" 2>&1)
	rc=$?
	case $rc in
	0 | 1) ;;
	*) fail "$scenario" "exit $rc (4: a step did not meet FreeBSD's result)" "$out"; continue ;;
	esac
	case $'\n'$out in
	*$'\n''result: every expectation met'* | *$'\n''result: property violated'*) ;;
	*) fail "$scenario" "replay did not reach its end" "$out" ;;
	esac
done

for scenario in "$dir"/gaps/*.scenario; do
	count=$((count + 1))
	IFS= read -r first < "$scenario"
	gap=${first#'# gap: '}
	if [ "$gap" = "$first" ] || [ -z "$gap" ]; then
		fail "$scenario" "does not start with '# gap: '" ""
		continue
	fi
	out=$("$ksim" replay --max-continuations 0 "$scenario" 2>&1)
	rc=$?
	if [ "$rc" -ne 4 ]; then
		fail "$scenario" "exit $rc, not 4: the known disagreement is gone or another came first" "$out"
		continue
	fi
	case $out in
	*": $gap"*) ;;
	*) fail "$scenario" "the replay does not end with '$gap'" "$out" ;;
	esac
done

[ "$count" -gt 0 ] || { echo "FAIL: no scenario in $dir" >&2; exit 1; }
echo "$count scenarios replayed, $failures failed"
[ "$failures" -eq 0 ]
