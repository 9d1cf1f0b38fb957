#!/usr/bin/env bash
# bench.sh: ksim's explorer on fixed worlds beside a yardstick command (SPIN's
# exhaustive verifier on a coarser model of the same patch, for instance),
# run alternately on one machine, so that the ratios compare like with like.
#
#   properties/bench/bench.sh --yardstick 'DIR/pan.sh 3' [--rounds 3] [--out results/bench.md]
#
# Each round runs every ksim world once and the yardstick once, in turn; the
# table shows each command's median over the rounds.  Wall time and peak
# memory (maximum resident set) come from GNU time; states and transitions
# from the command's own output (ksim's `search:` line; pan's "states,
# stored" and "transitions (= stored+matched)").  The reduction factor is a
# world's states with ksim's reductions over its states with
# --no-reduction (one extra run, not timed).  The last world also runs on
# one thread each round, beside every core (--threads' default), and a line
# under the table gives the ratio.  Nothing here is a pass or a
# fail: these are measurements, and only ratios taken in one run mean
# anything on a shared machine.
#
# Options:
#   --ksim PATH        the ksim binary (default build/properties/ksim)
#   --yardstick CMD    a shell command to time beside ksim; omitted: no yardstick column
#   --yardstick-name N its name in the table (default "SPIN pan.sh 3")
#   --rounds N         alternations (default 3)
#   --review-depth D   depth bound of the review world (default 7)
#   --mpirun CMD       also run the last world under CMD (e.g. mpirun) with 1 and 2 ranks,
#                      and show what the ranks sent one another per state
#   --quick            tiny worlds only (for the test of this script)
#   --out FILE         also write the table to FILE (atomically)
set -euo pipefail

ksim=build/properties/ksim
yardstick=""
yardstick_name="SPIN pan.sh 3"
rounds=3
review_depth=7
quick=0
mpirun=""
out=""
usage() { echo "usage: bench.sh [--ksim PATH] [--yardstick CMD] [--yardstick-name NAME] [--rounds N] [--review-depth D] [--mpirun CMD] [--quick] [--out FILE]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --ksim) ksim=${2:?}; shift 2 ;;
    --yardstick) yardstick=${2:?}; shift 2 ;;
    --yardstick-name) yardstick_name=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --review-depth) review_depth=${2:?}; shift 2 ;;
    --mpirun) mpirun=${2:?}; shift 2 ;;
    --quick) quick=1; shift ;;
    --out) out=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --rounds: not a positive number: $rounds" >&2; exit 2; }
[[ "$review_depth" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --review-depth: not a positive number: $review_depth" >&2; exit 2; }
[ -x "$ksim" ] || { echo "bench.sh: no ksim binary at $ksim (build first, or give --ksim)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time (Debian package time) at /usr/bin/time" >&2; exit 2; }

# The worlds: a label and ksim check's arguments.  The review world is the
# design review's (three users, one fork); the default world is `ksim check`'s.
review="--process R:root --process A:alice --process M:bob --maxproc 4"
if [ "$quick" -eq 1 ]; then
  # Worlds of a few hundred states: the review world, even at depth 1,
  # spends seconds confirming root-can-undo's candidates on their own
  # continuations.
  labels=("default world, depth 3" "two users, depth 2")
  worlds=("--max-depth 3" "--process A:alice --process M:bob --max-depth 2")
else
  labels=("default world" "review world, depth $review_depth")
  worlds=("" "$review --max-depth $review_depth")
fi
# Searches here are bounded by depth only.
common="--quiet --max-states 0"
# With --mpirun: the last world again, under mpirun with each of these numbers of ranks.
rank_counts=()
if [ -n "$mpirun" ]; then rank_counts=(1 2); fi
last=$((${#worlds[@]} - 1))

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run NAME CMD...: runs CMD under GNU time; its output in $scratch/NAME.out,
# "seconds kilobytes" appended to $scratch/NAME.time.
run() {
  local name=$1
  shift
  # Standard output and error apart, then one after the other: under mpirun the two streams are
  # forwarded separately, and a line of one could land inside a line of the other.
  /usr/bin/time -f "%e %M" -o "$scratch/time.tmp" "$@" > "$scratch/$name.out" 2> "$scratch/$name.err" || {
    local rc=$?
    # ksim exits 1 when a property is violated: that is a result, not a failure.
    if [ "$rc" -ne 1 ]; then
      echo "bench.sh: '$*' exited $rc; its output:" >&2
      tail -5 "$scratch/$name.out" "$scratch/$name.err" >&2
      exit 1
    fi
  }
  cat "$scratch/$name.err" >> "$scratch/$name.out"
  tail -1 "$scratch/time.tmp" >> "$scratch/$name.time"
}

for ((round = 1; round <= rounds; round++)); do
  for i in "${!worlds[@]}"; do
    # shellcheck disable=SC2086 # the world's arguments are words
    run "ksim$i" "$ksim" check ${worlds[$i]} $common
  done
  # The last world again on one thread: what every core buys.
  # shellcheck disable=SC2086
  run one "$ksim" check ${worlds[$last]} $common --threads 1
  for ranks in "${rank_counts[@]}"; do
    # shellcheck disable=SC2086 # the launcher's and the world's arguments are words
    run "ranks$ranks" $mpirun -n "$ranks" "$ksim" check ${worlds[$last]} $common
  done
  if [ -n "$yardstick" ]; then run yardstick bash -c "$yardstick"; fi
done
for i in "${!worlds[@]}"; do
  # shellcheck disable=SC2086
  run "unreduced$i" "$ksim" check ${worlds[$i]} $common --no-reduction
done

# median COLUMN FILE: the median of a column of numbers (the lower middle one).
median() { sort -g -k"$1,$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
# ksim's counts from its `search:` line.
ksim_states() { sed -n 's/^search: [^:]*: \([0-9]*\) states, .*/\1/p' "$1"; }
ksim_transitions() { sed -n 's/^search: [^:]*: [0-9]* states, \([0-9]*\) transitions.*/\1/p' "$1"; }
ksim_completion() { sed -n 's/^search: \([^:]*\): .*/\1/p' "$1"; }
ksim_bytes_per_state() { sed -n 's/^time: .* \([0-9][0-9]*\) bytes per state$/\1/p' "$1"; }
# What the ranks sent one another (distributed runs only), per state.
ksim_sent_per_state() { sed -n 's/^sent between ranks: .*, \([0-9][0-9]*\) bytes per state$/\1/p' "$1"; }
pan_states() { awk '/states, stored/ { print $1; exit }' "$1"; }
pan_transitions() { awk '/transitions \(= stored\+matched\)/ { print $1; exit }' "$1"; }

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# row LABEL RUN UNREDUCED SENT: a table row for the runs named RUN (medians of their times), the
# reduction factor against the run UNREDUCED, and SENT, what ranks sent one another per state
# (empty: not a distributed run; "-": one rank).  Reads yt, the yardstick's median time.
row() {
  local label=$1 name=$2 unreduced=$3 sent=$4 t k s tr u distributed=""
  t=$(median 1 "$scratch/$name.time")
  k=$(median 2 "$scratch/$name.time")
  s=$(ksim_states "$scratch/$name.out")
  tr=$(ksim_transitions "$scratch/$name.out")
  u=$(ksim_states "$scratch/$unreduced.out")
  [[ "$name" == ranks* ]] && distributed=" ${sent:--}"
  echo "| $label | $(ksim_completion "$scratch/$name.out") | $s | $tr | $t | $(rate "$s" "$t") | $(rate "$tr" "$t") | $(mib "$k") | $(ksim_bytes_per_state "$scratch/$name.out") | $(ratio "$s" "$u") ($s / $u) | ${yt:+$(ratio "$t" "$yt")} |$distributed |"
}

table() {
  local yt yk ys ytr
  echo "| command | search | states | transitions | time (s) | states/s | transitions/s | peak memory (MiB) | bytes/state (ksim's accounting) | reduction factor | time vs. yardstick | sent between ranks (bytes/state) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  if [ -n "$yardstick" ]; then
    yt=$(median 1 "$scratch/yardstick.time")
    yk=$(median 2 "$scratch/yardstick.time")
  fi
  for i in "${!worlds[@]}"; do
    row "ksim check ${worlds[$i]:-(no arguments)}" "ksim$i" "unreduced$i" ""
  done
  row "ksim check ${worlds[$last]} --threads 1" one "unreduced$last" ""
  for ranks in "${rank_counts[@]}"; do
    # One rank searches alone (every core); two share the states, each on one thread. GNU time's
    # peak memory of mpirun is its largest process's.
    row "mpirun -n $ranks ksim check ${worlds[$last]}" "ranks$ranks" "unreduced$last" \
      "$(ksim_sent_per_state "$scratch/ranks$ranks.out")"
  done
  if [ -n "$yardstick" ]; then
    ys=$(pan_states "$scratch/yardstick.out")
    ytr=$(pan_transitions "$scratch/yardstick.out")
    echo "| $yardstick_name | complete | ${ys:-?} | ${ytr:-?} | $yt | $(rate "${ys:-0}" "$yt") | $(rate "${ytr:-0}" "$yt") | $(mib "$yk") | | | 1.00 | |"
  fi
}

machine() {
  local cpu
  cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory;" \
    "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
}

{
  echo "# ksim beside its yardstick"
  echo
  machine
  echo "Each figure is the median of $rounds alternating rounds (properties/bench/bench.sh);"
  echo "ksim ran with its default --threads (every core)${mpirun:+; under \`$mpirun\` each of two ranks expands on one thread}."
  echo
  table
  echo
  # Every core against one, on the last world: the same search, so the same states.
  local_all=$(median 1 "$scratch/ksim$last.time")
  local_one=$(median 1 "$scratch/one.time")
  if [ "$(ratio "$local_one" "$local_all")" = - ]; then
    # GNU time counts hundredths of a second: a run under one is no time to divide by.
    echo "Every core ($(nproc)) against one thread, ${labels[$last]}: $local_all s against $local_one s," \
      "too short to compare (medians; the whole command, the progress judgement included)."
  else
    echo "Every core ($(nproc)) against one thread, ${labels[$last]}: $local_all s against $local_one s," \
      "$(ratio "$local_one" "$local_all") times faster (medians; the whole command, the progress judgement included)."
  fi
} > "$scratch/bench.md"
cat "$scratch/bench.md"
if [ -n "$out" ]; then
  tmp=$(mktemp "$(dirname "$out")/.bench.XXXXXX")
  cp "$scratch/bench.md" "$tmp"
  mv -f "$tmp" "$out"
fi
