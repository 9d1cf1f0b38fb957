#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# patch.sh KSIM SOURCE_DIR: `ksim patch` finds what the seed has, can find
# the other way, and says the same thing every time.
#   - the seed: exit 1 with exactly the expected findings (the freebsd32
#     hunk does not compile; mandoc's error about the missing .El; the
#     terms documented and not checked, or checked and not documented);
#   - two runs print the same, and write the same files with --out;
#   - seeded failures: a page that adds a generic error, or drops one the
#     contract checks, is reported; a seed with the missing .El added is
#     clean under mandoc and documents PROC_TRACE_STATUS as a request; a
#     page the hunk no longer applies to is bad input (exit 2, one line);
#   - without mandoc, the lint is NOT JUDGED, never a crash or a pass.
set -u
ksim=$1 src=$2
seed=$src/kernel/patch/0ca0ac4dd8a2e50e.txt
page=$src/kernel/patch/procctl.2.base
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

# expect NAME EXIT [--contains TEXT]... [--lacks TEXT]... -- ARGS...
expect() {
  local name=$1 want=$2
  shift 2
  local contains=() lacks=()
  while [ "$1" != -- ]; do
    case "$1" in
      --contains) contains+=("$2") ;;
      --lacks) lacks+=("$2") ;;
    esac
    shift 2
  done
  shift
  "$ksim" patch "$@" > "$tmp/$name.out" 2>&1
  local code=$? before=$status
  [ "$code" -eq "$want" ] || fail "$name: exit $code, expected $want"
  for text in "${contains[@]}"; do
    grep -qF -- "$text" "$tmp/$name.out" || fail "$name: output lacks: $text"
  done
  for text in "${lacks[@]}"; do
    ! grep -qF -- "$text" "$tmp/$name.out" || fail "$name: output has: $text"
  done
  [ "$status" -eq "$before" ] || { echo "--- output of $name:"; cat "$tmp/$name.out"; echo; }
}

command -v mandoc > /dev/null || { echo "mandoc is not installed (Debian package mandoc): .ci/setup.sh test installs it"; exit 1; }

# The seed as posted.
expect seed 1 \
  --contains "sys/compat/freebsd32/freebsd32_misc.c  freebsd32" \
  --contains "DOES NOT COMPILE" \
  --contains "error: 'PROT_TRACE_STATUS' undeclared" \
  --contains "kernel/patch/0ca0ac4dd8a2e50e.txt:191: +	case PROT_TRACE_STATUS:" \
  --contains "mandoc: procctl.2:324:2: ERROR: inserting missing end of block: Sh breaks Bl" \
  --contains "the base page alone: no message" \
  --contains "findings: 6" \
  --contains "1. c-hunk: sys/compat/freebsd32/freebsd32_misc.c does not compile (freebsd32 ABI)" \
  --contains "2. mandoc: procctl.2:324:2: ERROR: inserting missing end of block: Sh breaks Bl" \
  --contains "3. documented-unchecked: interface hwpmc 4" \
  --contains "4. documented-unchecked: value PROC_TRACE_STATUS of PROC_TRACE_ENABLE" \
  --contains "5. documented-unchecked: error EINVAL (a generic entry of procctl(2))" \
  --contains "6. checked-undocumented: command PROC_TRACE_STATUS" \
  --contains 'status value "-1" of PROC_TRACE_STATUS' \
  -- --out "$tmp/a"

# The same twice, printed and written.
"$ksim" patch --out "$tmp/b" > "$tmp/seed-again.out" 2>&1
cmp -s "$tmp/seed.out" "$tmp/seed-again.out" || fail "two runs print different reports"
diff -r "$tmp/a" "$tmp/b" > /dev/null || fail "two runs write different files"
[ -s "$tmp/a/procctl.2" ] && [ -s "$tmp/a/patch.json" ] && [ -s "$tmp/a/mandoc-lint.txt" ] \
  || fail "--out lacks a file"
cmp -s "$tmp/a/patch.txt" "$tmp/seed.out" || fail "patch.txt is not what was printed"

# A page that documents an error the contract does not check: a generic
# ENOMEM entry, added after ESRCH.
awk '{ print } /^not selected\.$/ { print ".It Bq Er ENOMEM"; print "The kernel ran out of memory." }' \
  "$page" > "$tmp/enomem.2"
grep -q ENOMEM "$tmp/enomem.2" || fail "the ENOMEM page was not made"
# Its hunk would land two lines later: move the seed's hunk headers too.
sed -e 's/^> @@ -343,9 +388,28 @@/> @@ -345,9 +390,28 @@/' "$seed" > "$tmp/enomem-seed.txt"
expect enomem 1 --contains "documented-unchecked: error ENOMEM (a generic entry of procctl(2))" \
  -- --page "$tmp/enomem.2" --seed "$tmp/enomem-seed.txt"

# A page that drops an error the contract checks: the generic ESRCH entry
# (seven lines), and the third hunk's header moved up to match.
awk '/^\.It Bq Er ESRCH$/ { skip = 7 } skip > 0 { skip--; next } { print }' "$page" > "$tmp/no-esrch.2"
grep -q "Er ESRCH" "$tmp/no-esrch.2" && fail "the page without ESRCH was not made"
sed -e 's/^> @@ -343,9 +388,28 @@/> @@ -336,9 +381,28 @@/' "$seed" > "$tmp/no-esrch-seed.txt"
expect no-esrch 1 --contains "checked-undocumented: error ESRCH (a generic entry of procctl(2))" \
  --contains "checked by contract-esrch" \
  -- --page "$tmp/no-esrch.2" --seed "$tmp/no-esrch-seed.txt"

# The seed with the .El it lacks before PROC_TRACE_STATUS (one more line in
# the second hunk, the third moved down by one): mandoc has nothing to say
# and PROC_TRACE_STATUS is a request.
awk '/^> \+\.It Dv PROC_TRACE_STATUS$/ { print "> +.El" } { print }' "$seed" \
  | sed -e 's/^> @@ -275,6 +275,51 @@/> @@ -275,6 +275,52 @@/' \
        -e 's/^> @@ -343,9 +388,28 @@/> @@ -343,9 +389,28 @@/' > "$tmp/fixed-seed.txt"
expect fixed-el 1 --contains "mandoc -T lint of the patched page" --contains "  no message" \
  --contains "command PROC_TRACE_STATUS" --lacks "value PROC_TRACE_STATUS" --lacks "Sh breaks Bl" \
  --contains "findings: 3" \
  -- --seed "$tmp/fixed-seed.txt"

# A page the hunk no longer applies to: bad input, one line naming the seed's line.
sed -e 's/^\.Sh SEE ALSO$/.Sh SEE ALSO TOO/' "$page" > "$tmp/changed.2"
expect no-longer-applies 2 \
  --contains "ksim: kernel/patch/0ca0ac4dd8a2e50e.txt:146: hunk does not apply to $tmp/changed.2 at line 343: line 347 is \".Sh SEE ALSO TOO\"" \
  -- --page "$tmp/changed.2"
[ "$(wc -l < "$tmp/no-longer-applies.out")" -eq 1 ] || fail "a hunk that does not apply is not a one-line error"

# A --seed that is not a file, and an --out that is not a folder: bad input.
expect seed-is-a-folder 2 --contains "ksim: $tmp: not a regular file" -- --seed "$tmp"
: > "$tmp/plain-file"
expect out-is-a-file 2 --contains "ksim: " -- --out "$tmp/plain-file"

# Without mandoc: the lint is not judged, the rest still is.
PATH=/nonexistent "$ksim" patch > "$tmp/no-mandoc.out" 2>&1
code=$?
[ "$code" -eq 1 ] || fail "without mandoc: exit $code, expected 1 (the C hunk is still a finding)"
grep -qF "NOT JUDGED: mandoc is not installed" "$tmp/no-mandoc.out" || fail "without mandoc: not said"

[ "$status" -eq 0 ] && echo "ksim patch: every expectation met"
exit "$status"
