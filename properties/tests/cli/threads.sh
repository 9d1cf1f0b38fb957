#!/usr/bin/env bash
# threads.sh KSIM: every search command writes the same bytes with
# --threads 1, 2 and 3: stdout, stderr, exit code and every --out file, but
# for wall-clock figures (timing.txt, and the rates and seconds on stderr).  The runs cover complete and bounded
# searches (depth, states, memory), violations with their counterexample
# files, the progress properties judged on a bounded graph, `ksim diff` and
# `ksim ablate` (whose searches stop at a violation), with and without the
# sysctl variations.
set -u
ksim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
run() {
  local name=$1
  shift
  for threads in 1 2 3; do
    local out="$tmp/$name.$threads"
    mkdir -p "$out"
    "$ksim" "$@" --threads "$threads" --out "$out/files" > "$out/stdout" 2> "$out/stderr.raw"
    echo $? > "$out/exit"
    sed -E 's/[0-9.]+ s, [0-9]+ states\/s, [0-9]+ transitions\/s/(time)/; s/[0-9]+ states\/s/(rate)/;
      s/^(time judging the progress properties:) [0-9.]+ s$/\1 (time)/' \
      "$out/stderr.raw" > "$out/stderr"
    rm "$out/stderr.raw"
    rm -f "$out/files/timing.txt"
  done
  for threads in 2 3; do
    if ! diff -r "$tmp/$name.1" "$tmp/$name.$threads" > "$tmp/$name.diff"; then
      echo "FAIL: ksim $* differs between --threads 1 and --threads $threads:" >&2
      head -40 "$tmp/$name.diff" >&2
      status=1
    fi
  done
  # The comparison must have had something to compare.
  [ -s "$tmp/$name.1/stdout" ] || { echo "FAIL: ksim $* printed nothing" >&2; status=1; }
}
run check-depth check --quiet --max-depth 6 --max-memory 0
run check-states check --quiet --max-states 30000 --max-memory 0
run check-memory check --quiet --max-memory 40M
run check-two-users check --process A:alice --process M:bob --max-depth 5 --max-memory 0 --progress-every 5000
run check-complete check --omit exec --omit exec-setuid --omit ptrace --omit ktrace --omit kill --omit vfork \
  --omit ptrace-system --omit ktrace-system --omit kill-system --omit more-signals --omit signal-actions \
  --omit signal-masks --omit ptrace-lwp-events --omit signal-queue --omit pdfork --omit pdclose --omit ptrace-step --omit reaper --max-memory 0
# A bounded graph of three users: root-can-undo confirms its candidates in
# searches of their own, as many at once as there are threads.
run check-review check --process R:root --process A:alice --process M:bob --maxproc 4 --max-depth 4 \
  --max-memory 0 --all-causes
run diff diff rfc-2014 committed-2015 --max-depth 6 --max-memory 0
run ablate ablate rfc-2014 --max-depth 5 --max-memory 0
run ablate-varied ablate rfc-2014 --max-depth 5 --max-memory 0 --vary-sysctls
grep -q 'BOUNDED (memory)' "$tmp/check-memory.1/stdout" || { echo "FAIL: the memory cap did not stop the search" >&2; status=1; }
grep -q 'BOUNDED (states)' "$tmp/check-states.1/stdout" || { echo "FAIL: the state bound did not stop the search" >&2; status=1; }
ls "$tmp/check-depth.1/files/counterexamples/"*.scenario > /dev/null 2>&1 ||
  { echo "FAIL: no counterexample file to compare" >&2; status=1; }
[ $status -eq 0 ] && echo "same output for 1, 2 and 3 threads"
exit $status
