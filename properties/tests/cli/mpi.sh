#!/usr/bin/env bash
# mpi.sh KSIM MPIEXEC: `ksim check` under mpirun with 1, 2 and 3 ranks prints and writes what it
# does alone: stdout, exit code and every --out file but timing.txt (stderr holds the wall-clock
# figures and, under mpirun, the largest rank's memory). The runs cover bounded searches of
# several worlds, every design in the review world, progress properties and cover goals, violations with
# their counterexamples and reproducers, and --all-causes. Then: a memory cap that one rank
# reaches ends the run BOUNDED (memory) with what was found, a rank that dies ends the job with an
# error instead of a hang, and the options a distributed search lacks are refused.
set -u
ksim=$1
mpiexec=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
  echo "FAIL: $*" >&2
  status=1
}
# One run into $tmp/NAME.HOW: stdout, exit code, the --out folder without timing.txt.
runInto() {
  local out=$1
  shift
  mkdir -p "$out"
  "$@" --out "$out/files" > "$out/stdout" 2> "$tmp/stderr"
  echo $? > "$out/exit"
  rm -f "$out/files/timing.txt"
}
# same NAME RANKS... -- ARGS: ksim check ARGS alone, then under mpirun with each number of ranks.
same() {
  local name=$1
  shift
  local rankCounts=()
  while [ "$1" != "--" ]; do
    rankCounts+=("$1")
    shift
  done
  shift
  runInto "$tmp/$name.alone" "$ksim" check "$@"
  for ranks in "${rankCounts[@]}"; do
    runInto "$tmp/$name.$ranks" timeout 300 "$mpiexec" --oversubscribe -n "$ranks" "$ksim" check "$@"
    if ! diff -r "$tmp/$name.alone" "$tmp/$name.$ranks" > "$tmp/$name.diff"; then
      fail "ksim check $* differs between alone and mpirun -n $ranks:"
      head -40 "$tmp/$name.diff" >&2
      tail -5 "$tmp/stderr" >&2
    fi
  done
  # The comparison must have had something to compare.
  grep -q '^verdicts:' "$tmp/$name.alone/stdout" || fail "ksim check $* printed no verdicts"
}

same default-world 1 2 3 -- --max-depth 6
same two-users 1 2 3 -- --variant freebsd-current --process A:alice --process M:bob --maxproc 2 --max-depth 5
same seeded-bug 1 2 3 -- --variant bug-fork-drops-notrace --max-depth 6
same all-causes 1 2 3 -- --all-causes --max-depth 5
# Every design of the review (ksim list) in the review world: root and two users, one fork. Only
# to depth 4 here (each run spends seconds confirming root-can-undo's candidates); README "Under
# mpirun" quotes the deeper comparisons. `mpirun -n 1` runs the one-process search, as above.
designs=$("$ksim" list | awk '$2 == "design" { print $1 }')
[ "$(wc -w <<< "$designs")" -ge 5 ] || fail "ksim list names fewer than five designs: $designs"
for design in $designs; do
  same "review-$design" 2 3 -- --variant "$design" --process R:root --process A:alice --process M:bob --maxproc 4 --max-depth 4
done
same complete 1 2 3 -- --omit exec --omit exec-setuid --omit ptrace --omit ktrace --omit kill --omit vfork \
  --omit more-signals --omit signal-actions --omit signal-masks --omit ptrace-lwp-events --omit signal-queue --omit pdfork --omit pdclose --omit ptrace-step --omit reaper
grep -q '^cover goals: ' "$tmp/complete.alone/stdout" || fail "the complete run printed no cover goals"
grep -q 'COMPLETE' "$tmp/complete.alone/stdout" || fail "the complete run did not complete"
grep -q 'VIOLATED' "$tmp/seeded-bug.alone/stdout" || fail "the seeded bug was not found"

# A memory cap: one rank cannot store its next state; the run ends there with the violations found.
out=$(timeout 300 "$mpiexec" --oversubscribe -n 2 "$ksim" check --variant bug-fork-drops-notrace --max-memory 6M 2>&1)
code=$?
[ "$code" = 1 ] || fail "the memory-capped run exited $code, not 1 (a violation):
$out"
grep -q 'BOUNDED (memory)' <<< "$out" || fail "the memory-capped run did not end BOUNDED (memory):
$out"
grep -Eq 'VIOLATED +notrace-never-traced' <<< "$out" || fail "the memory-capped run lost its violation:
$out"

# stderr: rank 0 alone names the memory cap, each rank's share of the machine's by default, and
# says what the ranks sent one another.
err=$(timeout 120 "$mpiexec" --oversubscribe -n 2 "$ksim" check --quiet --max-depth 3 2>&1 > /dev/null)
[ "$(grep -c '^memory cap: ' <<< "$err")" = 1 ] || fail "not one memory cap line under mpirun -n 2:
$err"
grep -q '^memory cap: .* per rank (.*, shared by the 2 ranks on this machine)$' <<< "$err" ||
  fail "the default memory cap is not each rank's share:
$err"
grep -Eq '^sent between ranks: .*, [1-9][0-9]* bytes per state$' <<< "$err" || fail "no line of the bytes sent:
$err"

# A rank that dies (the test hook KSIM_TEST_RANK_DIES kills it as kill -9 would) ends the job.
KSIM_TEST_RANK_DIES=1 timeout 120 "$mpiexec" --oversubscribe -n 2 "$ksim" check --max-depth 4 \
  > "$tmp/dies.stdout" 2> "$tmp/dies.stderr"
code=$?
[ "$code" = 124 ] && fail "a dead rank left the job hanging"
[ "$code" = 0 ] && fail "a dead rank's job exited 0"

# An --out that rank 0 cannot write is bad input for the whole job: one line, exit 2, no hang.
touch "$tmp/a-file"
out=$(timeout 120 "$mpiexec" --oversubscribe -n 3 "$ksim" check --max-depth 2 --out "$tmp/a-file" 2>&1)
code=$?
[ "$code" = 2 ] || fail "mpirun -n 3 ksim check --out FILE exited $code, not 2:
$out"
[ "$(grep -c '^ksim: ' <<< "$out")" = 1 ] || fail "mpirun -n 3 ksim check --out FILE did not print one error line:
$out"

# What a distributed search lacks is refused: one line, exit 2.
for option in --fingerprint "--threads 2"; do
  # shellcheck disable=SC2086
  out=$(timeout 120 "$mpiexec" --oversubscribe -n 2 "$ksim" check --max-depth 2 $option 2>&1)
  code=$?
  [ "$code" = 2 ] || fail "mpirun -n 2 ksim check $option exited $code, not 2:
$out"
  [ "$(grep -c "^ksim: ${option%% *} is not supported under mpirun" <<< "$out")" = 1 ] || fail "no one-line error for $option:
$out"
done
exit $status
