#!/usr/bin/env bash
# expect.sh EXIT REGEX COMMAND ARGS...
# Runs the command; passes if it exits with EXIT and its combined output,
# lines joined by spaces, matches REGEX (grep -E), or, for "!REGEX", does
# not match it.  Prints the output.
set -u
want_exit=$1 regex=$2
shift 2
out=$("$@" 2>&1)
got_exit=$?
printf '%s\n' "$out"
if [ "$got_exit" -ne "$want_exit" ]; then
  echo "FAIL: exit $got_exit, expected $want_exit" >&2
  exit 1
fi
if [ "${regex#!}" != "$regex" ]; then
  if printf '%s\n' "$out" | tr '\n' ' ' | grep -Eq -- "${regex#!}"; then
    echo "FAIL: output matches what it must not: ${regex#!}" >&2
    exit 1
  fi
elif ! printf '%s\n' "$out" | tr '\n' ' ' | grep -Eq -- "$regex"; then
  echo "FAIL: output does not match: $regex" >&2
  exit 1
fi
# Errors are one line.
if [ "$want_exit" -eq 2 ] && [ "$(printf '%s\n' "$out" | grep -c '^ksim: ')" -ne 1 ]; then
  echo "FAIL: a usage error must be exactly one 'ksim:' line" >&2
  exit 1
fi
exit 0
