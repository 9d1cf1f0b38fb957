#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# replay_gap.sh KSIM SCENARIO: a FreeBSD fact the model is known to get
# wrong (README.md here) still meets exactly the disagreement its first line
# names ("# gap: expected X, got Y") and no other: the replay ends at that
# step with exit 4.  When the model learns the fact this test fails, and
# the scenario moves up to the facts it then meets.
set -u
gap=$(sed -n '1s/^# gap: //p' "$2")
[ -n "$gap" ] || { echo "FAIL: $2 does not start with '# gap: '" >&2; exit 1; }
out=$("$1" replay --max-continuations 0 "$2" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 4 ] || { echo "FAIL: exit $rc, not 4: the known disagreement is gone or another came first" >&2; exit 1; }
printf '%s\n' "$out" | grep -Fq ": $gap" ||
  { echo "FAIL: the replay does not end with '$gap'" >&2; exit 1; }
