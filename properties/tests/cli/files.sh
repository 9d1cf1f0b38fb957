#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# files.sh KSIM SCENARIO CASE: what ksim does with the files it reads and
# writes when they are not what they should be.  SCENARIO is any valid
# scenario.  Each CASE sets up a folder, runs ksim and requires its exit
# code, its one-line error and what is left on disk.
set -u
ksim=$1 scenario=$2 case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE REGEX CMD...: runs CMD, requires its exit code and stderr.
expect() {
  local code=$1 regex=$2; shift 2
  "$@" > out.txt 2> err.txt
  local got=$?
  [ "$got" -eq "$code" ] || { cat out.txt err.txt >&2; fail "$* exited $got, expected $code"; }
  grep -Eq -- "$regex" err.txt || { cat err.txt >&2; fail "$*: stderr does not match '$regex'"; }
}
small=(--max-states 2000 --quiet)
case "$case" in
  planted-symlink-is-not-followed)
    # An unprivileged user plants links under every name a writer might
    # try; the victim must survive and the files must be written.
    echo "victim" > victim
    mkdir o o/counterexamples
    for name in summary.txt.tmp summary.json.tmp timing.txt.tmp .summary.txt.tmp; do ln -s ../victim "o/$name"; done
    expect 1 "^time: " "$ksim" check "${small[@]}" --out o
    [ "$(cat victim)" = victim ] || fail "the victim was overwritten"
    [ -f o/summary.txt ] && [ ! -L o/summary.txt ] || fail "summary.txt was not written as a regular file"
    ;;
  symlink-as-target-is-refused)
    echo "victim" > victim
    mkdir o && ln -s ../victim o/summary.txt
    expect 2 "^ksim: o/summary.txt: exists and is a symbolic link" "$ksim" check "${small[@]}" --out o
    [ "$(cat victim)" = victim ] || fail "the victim was overwritten"
    ;;
  device-as-json-is-refused-before-the-search)
    expect 2 "^ksim: /dev/null: exists and is a device, not a regular file" "$ksim" check "${small[@]}" --json /dev/null
    grep -q "search:" out.txt && fail "the search ran before the output was checked"
    [ -c /dev/null ] || fail "/dev/null is no longer a device"
    ;;
  out-that-is-a-file-is-refused-before-the-search)
    echo x > o
    expect 2 "^ksim: o: exists and is not a folder" "$ksim" check "${small[@]}" --out o
    grep -q "search:" out.txt && fail "the search ran before the output was checked"
    ;;
  folder-in-place-of-a-file-is-refused-before-the-search)
    mkdir -p o/summary.txt
    expect 2 "^ksim: o/summary.txt: exists and is a directory" "$ksim" check "${small[@]}" --out o
    [ -z "$(find o -name '*.tmp*')" ] || fail "a temporary file was left behind"
    [ "$(find o -type f | wc -l)" -eq 0 ] || fail "files were written before the error"
    ;;
  second-run-into-a-held-folder-is-refused)
    # This shell holds the folder (flock(1)) as a running ksim would.
    command -v flock > /dev/null || { echo "flock(1) missing: skipped"; exit 0; }
    mkdir o
    exec 9< o
    flock -n 9 || fail "cannot lock o for the test"
    expect 2 "^ksim: o: another ksim is writing into this folder" "$ksim" check "${small[@]}" --out o
    exec 9<&-
    ;;
  concurrent-runs-each-leave-a-whole-set)
    mkdir o
    "$ksim" check "${small[@]}" --out o > a.out 2> a.err & a=$!
    "$ksim" check "${small[@]}" --out o > b.out 2> b.err & b=$!
    wait "$a"; ca=$?; wait "$b"; cb=$?
    for c in "$ca" "$cb"; do
      [ "$c" -eq 1 ] || [ "$c" -eq 2 ] || { cat a.err b.err >&2; fail "exit codes $ca and $cb"; }
    done
    [ "$ca" -eq 1 ] || [ "$cb" -eq 1 ] || fail "neither run wrote its files"
    for err in a.err b.err; do
      if grep -q "^ksim: " "$err"; then grep -q "another ksim is writing into this folder" "$err" || fail "$(cat "$err")"; fi
    done
    [ -z "$(find o -name '*.tmp*')" ] || fail "a temporary file was left behind"
    "$ksim" check "${small[@]}" --out ref > /dev/null 2>&1
    diff -r -x timing.txt ref o || fail "the folder is not one run's complete set"
    ;;
  memory-cap-writes-everything-it-found)
    expect 1 "^time: " "$ksim" check --quiet --max-memory 2M --out o --json s.json --junit j.xml --sarif r.sarif
    grep -q '"completion": "BOUNDED (memory)"' o/summary.json || fail "summary.json does not say BOUNDED (memory)"
    [ -f o/counterexamples/notrace-never-traced.scenario ] || fail "the counterexample found before the cap was not written"
    for f in s.json j.xml r.sarif o/timing.txt; do [ -s "$f" ] || fail "$f was not written"; done
    grep -q 'name="notrace-never-traced"' j.xml || fail "the JUnit file lacks the violated property"
    ;;
  directory-is-not-a-scenario)
    mkdir d
    expect 2 "^ksim: d: is a directory, not a scenario file$" "$ksim" replay d
    ;;
  device-is-not-a-scenario)
    expect 2 "^ksim: /dev/zero: is not a regular file" timeout 10 "$ksim" replay /dev/zero
    ;;
  fifo-is-not-a-scenario)
    mkfifo f
    expect 2 "^ksim: f: is not a regular file" timeout 10 "$ksim" replay f
    ;;
  overlong-line-names-its-line)
    { grep -v '^#' "$scenario" | head -3; printf 'A fork%05000d\n' 0; } > long.scenario
    expect 2 "^ksim: long.scenario:4: line of 5006 bytes; at most 4096$" "$ksim" replay long.scenario
    ;;
  oversized-file-is-refused)
    truncate -s 17M big.scenario
    expect 2 "^ksim: big.scenario: is 17825792 bytes; a scenario has at most 16777216$" "$ksim" replay big.scenario
    ;;
  unknown-variant-names-its-line)
    { echo "# a comment"; echo "variant nope"; grep -v '^variant' "$scenario"; } > v.scenario
    expect 2 "^ksim: v.scenario:2: unknown variant 'nope'" "$ksim" replay v.scenario
    expect 2 "^ksim: v.scenario:2: unknown variant 'nope'" "$ksim" repro v.scenario
    ;;
  *) fail "unknown case $case" ;;
esac
echo "ok: $case"
