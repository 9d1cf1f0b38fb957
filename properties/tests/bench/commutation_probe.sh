#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ksim-commutation-probe (properties/bench/commutation_probe.cpp):
#  - its breadth-first levels are ksim check's: the states it counts up to a
#    depth are the states ksim check stores with that --max-depth;
#  - the pairs it calls dependent are: with kern.maxproc reached, A's fork
#    fails until M exits, so the two do not commute, unless only states are
#    kept (--states-only), where a step that changes nothing is left out;
#    M's PROC_TRACE_ENABLE of A answers otherwise once A is traced
#    (PT_TRACE_ME), and M's disabling of A's tracing, which the 2014 patch
#    lets any user that can see A do, is refused once A is traced (EBUSY),
#    so those pairs do not commute, the second in either mode;
#  - its output is the same on a second run.
# Usage: commutation_probe.sh PROBE KSIM
set -euo pipefail
probe=$1
ksim=$2
fail() { echo "FAIL: $*"; exit 1; }

review=(--process R:root --process A:alice --process M:bob --maxproc 4)
out=$("$probe" "${review[@]}" --depth 3 --samples 20)
again=$("$probe" "${review[@]}" --depth 3 --samples 20)
[ "$out" = "$again" ] || fail "two runs differ"
probed=$(awk 'NR > 1 { n += $2 } END { print n }' <<<"$out")
# ksim check exits 1: the review world violates properties within depth 3.
searched=$({ "$ksim" check "${review[@]}" --max-depth 3 --quiet 2>&1 || true; } | sed -n 's/^search: [^:]*: \([0-9]*\) states.*/\1/p')
[ -n "$searched" ] || fail "no search line from ksim check"
[ "$probed" = "$searched" ] || fail "the probe counts $probed states to depth 3, ksim check $searched"

two=(--process A:alice --process M:bob --maxproc 2 --depth 1)
fork_exit='  slot 2 fork op 0 data 0 idtype 0 address 1 / slot 3 exit op 0 data 0 idtype 0 address 1'
trace_me_enable='  slot 2 ptrace op 0 data 0 idtype 0 address 1 / slot 3 procctl target 2 op 7 data 1 idtype 0 address 1'
trace_me_disable='  slot 2 ptrace op 0 data 0 idtype 0 address 1 / slot 3 procctl target 2 op 7 data 2 idtype 0 address 1'
pairs=$("$probe" "${two[@]}" --explain 1000)
grep -qxF -- "$fork_exit" <<<"$pairs" || fail "A's fork at maxproc and M's exit are not reported dependent"
grep -qxF -- "$trace_me_enable" <<<"$pairs" ||
  fail "A's PT_TRACE_ME and M's PROC_TRACE_ENABLE of A (answered otherwise once A is traced) are not reported dependent"
states_only=$("$probe" "${two[@]}" --explain 1000 --states-only)
if grep -qxF -- "$fork_exit" <<<"$states_only"; then
  fail "--states-only: a fork refused at maxproc, which changes nothing, is still compared"
fi
grep -qxF -- "$trace_me_disable" <<<"$states_only" ||
  fail "--states-only: A's PT_TRACE_ME and M's disabling of A's tracing (refused once A is traced) are not reported dependent"
echo "ok: levels as ksim check's ($searched states to depth 3), dependent pairs as expected"
