#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# replay_fact.sh KSIM SCENARIO: every step of the scenario meets the result
# it states, FreeBSD's.  A property the design violates on the way (exit 1)
# is the design's finding, not this test's: these scenarios check the
# kernel's answers, not the patch's properties.  Graph properties are not
# judged (--max-continuations 0).
set -u
out=$("$1" replay --max-continuations 0 "$2" 2>&1)
rc=$?
printf '%s\n' "$out"
case $rc in
  0 | 1) ;;
  *) echo "FAIL: exit $rc (4: a step did not meet FreeBSD's result)" >&2; exit 1 ;;
esac
printf '%s\n' "$out" | grep -Eq '^result: (every expectation met|property violated)' ||
  { echo "FAIL: replay did not reach its end" >&2; exit 1; }
