#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# properties/bench/bench.sh on tiny worlds beside a stand-in yardstick that
# prints pan's two statistics lines: the table must carry the counts that
# ksim and the yardstick printed themselves, the reduction factor must be
# the quotient of the two ksim runs, the last world on one thread must count
# what it counts on every core, and --out must hold the same table.
# With MPIEXEC, the last world also runs under it with 1 and 2 ranks: the same
# counts, and what the two ranks sent one another.
# Usage: bench_script.sh SOURCE_DIR KSIM [MPIEXEC]
set -euo pipefail
source_dir=$1
ksim=$2
mpiexec=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

fake_pan='printf "State-vector 44 byte\n     1234 states, stored\n     5678 transitions (= stored+matched)\n"'
bash "$source_dir/properties/bench/bench.sh" --ksim "$ksim" --quick --rounds 2 \
  --yardstick "$fake_pan" --yardstick-name "stand-in" ${mpiexec:+--mpirun "$mpiexec --oversubscribe"} \
  --out "$scratch/bench.md" > "$scratch/stdout"
cmp -s "$scratch/stdout" "$scratch/bench.md" || fail "--out differs from what was printed"

# The counts as ksim prints them in a run of its own.
search_line() { "$ksim" check "$@" --quiet --max-states 0 2>&1 | grep '^search:' || true; }
expect_row() {
  local label=$1
  shift
  local line states transitions unreduced row
  line=$(search_line "$@")
  states=$(sed -E 's/^search: [^:]*: ([0-9]+) states.*/\1/' <<< "$line")
  transitions=$(sed -E 's/^search: [^:]*: [0-9]+ states, ([0-9]+) transitions.*/\1/' <<< "$line")
  unreduced=$(search_line "$@" --no-reduction | sed -E 's/^search: [^:]*: ([0-9]+) states.*/\1/')
  row=$(grep -F "| ksim check $label |" "$scratch/bench.md") || fail "no row for '$label'"
  [ "$(cut -d'|' -f4 <<< "$row" | tr -d ' ')" = "$states" ] || fail "states of '$label': $row, ksim says $states"
  [ "$(cut -d'|' -f5 <<< "$row" | tr -d ' ')" = "$transitions" ] || fail "transitions of '$label': $row"
  grep -qF "($states / $unreduced)" <<< "$row" || fail "reduction factor of '$label' is not $states / $unreduced: $row"
}
expect_row "--max-depth 3" --max-depth 3
expect_row "--process A:alice --process M:bob --max-depth 2" --process A:alice --process M:bob --max-depth 2
if [ -n "$mpiexec" ]; then
  alone=$(grep -F "| ksim check --process A:alice --process M:bob --max-depth 2 |" "$scratch/bench.md")
  for ranks in 1 2; do
    row=$(grep -F "| mpirun -n $ranks ksim check --process A:alice --process M:bob --max-depth 2 |" "$scratch/bench.md") ||
      fail "no row for $ranks ranks"
    [ "$(cut -d'|' -f3-5 <<< "$row")" = "$(cut -d'|' -f3-5 <<< "$alone")" ] || fail "$ranks ranks: $row, alone: $alone"
  done
  [[ "$(cut -d'|' -f13 <<< "$row" | tr -d ' ')" =~ ^[1-9][0-9]*$ ]] || fail "no bytes sent between two ranks: $row"
fi
# The last world on one thread: the same search, and a line with the ratio of the two times.
alone=$(grep -F "| ksim check --process A:alice --process M:bob --max-depth 2 |" "$scratch/bench.md")
row=$(grep -F "| ksim check --process A:alice --process M:bob --max-depth 2 --threads 1 |" "$scratch/bench.md") ||
  fail "no row for one thread"
[ "$(cut -d'|' -f3-5 <<< "$row")" = "$(cut -d'|' -f3-5 <<< "$alone")" ] || fail "one thread: $row, every core: $alone"
# (a world this small may take less than the hundredth of a second GNU time counts: then no ratio)
grep -qE "^Every core \([0-9]+\) against one thread, two users, depth 2: [0-9.]+ s against [0-9.]+ s, ([0-9.]+ times faster|too short to compare)" \
  "$scratch/bench.md" || fail "no line comparing every core with one thread"
row=$(grep -F "| stand-in |" "$scratch/bench.md") || fail "no yardstick row"
[ "$(cut -d'|' -f4 <<< "$row" | tr -d ' ')" = 1234 ] || fail "yardstick states: $row"
[ "$(cut -d'|' -f5 <<< "$row" | tr -d ' ')" = 5678 ] || fail "yardstick transitions: $row"
grep -q "median of 2 alternating rounds" "$scratch/bench.md" || fail "the rounds are not stated"

# Bad input is a usage error.
rc=0
bash "$source_dir/properties/bench/bench.sh" --ksim "$ksim" --rounds zero > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--rounds zero exited $rc, not 2"
echo "bench.sh tabulates what ksim and the yardstick printed"
