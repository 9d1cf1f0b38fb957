#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ablate_vary_sysctls.sh KSIM: `ksim ablate --vary-sysctls` shows what a
# guard is for where only a tunable set against FreeBSD's default needs it.
# World: R (root) and A (alice), one step deep.
#  - kern_procctl's p_cansee() test in the P_PGID loop: with
#    security.bsd.see_other_uids=0 alice cannot see root's process, so
#    without the test she disables tracing of it (rfc-2014 asks no
#    p_candebug() for PROC_TRACE_SET_DISABLED).  In the world as given
#    p_cansee() lets her see it and the property already fails with the
#    guard, so the guard shows nothing there.
#  - coredump()'s kern.coredump test: with kern.coredump=0 a SIGQUIT still
#    writes a core without it.
#  - The counterexample files carry the setting and replay to the same
#    violation; ablation.json names it.  Without --vary-sysctls both
#    guards are redundant at these bounds.
set -u
ksim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
world=(--process R:root --process A:alice --maxproc 2 --max-depth 1)

"$ksim" ablate rfc-2014 "${world[@]}" --vary-sysctls --out "$tmp/varied" > "$tmp/varied.out" 2> "$tmp/varied.err"
rc=$?
[ "$rc" = 3 ] || fail "a bounded ablation should exit 3, got $rc"
grep -A1 -E '^  rfc-2014-guard-[0-9]+ +kern_procctl.c:[0-9]+ in kern_procctl: if \(\.\.\. p_cansee\(td, p\) != 0 \.\.\.\)' \
  "$tmp/varied.out" | grep -qx '    prevents unprivileged-cannot-change-others (1 step) with security.bsd.see_other_uids=0' ||
  fail "the p_cansee() guard is not shown needed with security.bsd.see_other_uids=0"
grep -A2 -E 'in kern_procctl: if \(\.\.\. p_cansee' "$tmp/varied.out" | grep -qx \
  '      A procctl P_PGID R PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0' ||
  fail "the p_cansee() guard's counterexample is not alice disabling tracing of R's group"
grep -A1 -E 'in coredump: if \(\.\.\. !do_coredump \.\.\.\)' "$tmp/varied.out" |
  grep -qx '    prevents core-only-where-allowed (1 step) with kern.coredump=0' ||
  fail "the kern.coredump guard is not shown needed with kern.coredump=0"

cansee=$(grep -l 'p_cansee' "$tmp"/varied/counterexamples/*.scenario | head -1)
if [ -z "$cansee" ]; then
  fail "no counterexample file for the p_cansee() guard"
else
  grep -qx 'sysctl security.bsd.see_other_uids=0' "$cansee" || fail "$cansee does not carry the setting"
  "$ksim" replay "$cansee" > "$tmp/replay.out" 2>&1
  [ $? = 1 ] || fail "replaying $cansee does not end in a violation"
  grep -q 'VIOLATION unprivileged-cannot-change-others' "$tmp/replay.out" || fail "the replay shows another violation"
  grep -q "\"sysctl\": \"security.bsd.see_other_uids=0\"" "$tmp/varied/ablation.json" ||
    fail "ablation.json does not name the setting"
fi

"$ksim" ablate rfc-2014 "${world[@]}" > "$tmp/plain.out" 2> "$tmp/plain.err"
for code in 'p_cansee(td, p) != 0' '!do_coredump'; do
  grep -A1 -F "$code" "$tmp/plain.out" | grep -qx '    redundant at these bounds' ||
    fail "without --vary-sysctls, the guard '$code' should be redundant at these bounds"
done
grep -q 'with ' "$tmp/plain.out" && grep -q 'prevents .* with ' "$tmp/plain.out" &&
  fail "without --vary-sysctls no outcome names a setting"
exit $status
