#!/usr/bin/env bash
# results_part.sh KSIM RESULTS_DIR PART [twice|replay-only]
# Runs one part of the design review (ksim report --list-parts) into a
# scratch folder and requires it to equal what results/ holds (timing.txt
# aside: it is measured); with "twice", runs it again and requires the two
# runs to be byte-identical; with "replay-only" (a part whose search takes
# minutes: the suite regenerates only a sample) does not run it.  Then
# replays every scenario of the part:
#   design:V      each counterexample to its VIOLATION, each unspecified
#                 point to its UNSPECIFIED line;
#   production:V  the same, on the production kernel its scenarios name;
#   diff:A--B     each difference meets every expectation on A, and its
#                 replay on B differs (a result or a change: it is real);
#   ablation:V    each counterexample to a VIOLATION on the ablated variant.
set -u
ksim=$1 results=$2 part=$3 twice=${4:-}
case "$part" in
  design:*) dir=${part#design:} ;;
  production:*) dir=production/${part#production:} ;;
  diff:*) dir=diff/${part#diff:} ;;
  ablation:*) dir=ablation/${part#ablation:} ;;
  patch) dir=patch ;;  # no scenario: nothing to replay
  *) echo "FAIL: unknown part $part" >&2; exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
runs=a
[ "$twice" = twice ] && runs="a b"
[ "$twice" = replay-only ] && runs=""
for run in $runs; do
  if ! "$ksim" report --only "$part" --results "$tmp/$run" > "$tmp/$run.stdout" 2> "$tmp/$run.stderr"; then
    cat "$tmp/$run.stderr" >&2
    echo "FAIL: ksim report --only $part failed" >&2
    exit 1
  fi
done
if [ "$twice" = twice ] && ! diff -r -x timing.txt "$tmp/a" "$tmp/b"; then
  echo "FAIL: two runs of $part differ" >&2
  status=1
fi
if [ -n "$runs" ] && ! diff -r -x timing.txt "$results/$dir" "$tmp/a/$dir"; then
  echo "FAIL: results/$dir is not current; regenerate it: ksim report --only $part (or ksim report --run)" >&2
  status=1
fi
replay() {  # replay FILE [--variant V]
  "$ksim" replay "$@" 2>&1
}
# Only a progress property needs the graph of the last state's
# continuations judged (up to 200 000 states, seconds each in the review
# world); any other property is violated by the steps themselves.
progress=" $("$ksim" list | awk '$2 == "progress" { printf "%s ", $1 }')"
continuations() {  # continuations PROPERTY: the replay option it needs
  case "$progress" in
    *" $1 "*) ;;
    *) echo "--max-continuations 0" ;;
  esac
}
shopt -s nullglob
case "$part" in
  design:* | production:*)
    # A production part's scenarios say `kernel production`: replay runs
    # them on that kernel without being told.
    for f in "$results/$dir"/counterexamples/*.scenario; do
      prop=$(basename "$f" .scenario)
      prop=${prop%.cause-*}  # a further cause's counterexample (README: Causes)
      # shellcheck disable=SC2046 # the option is two words or none
      out=$(replay "$f" $(continuations "$prop")); code=$?
      if [ "$code" -ne 1 ] || ! printf '%s\n' "$out" | grep -q "VIOLATION $prop:"; then
        printf '%s\n' "$out"; echo "FAIL: replay of $f did not reproduce $prop (exit $code)" >&2; status=1
      fi
    done
    # An unspecified point is reached by its steps: the graph properties on
    # its last state are not judged.
    for f in "$results/$dir"/unspecified/*.scenario; do
      point=$(basename "$f" .scenario)
      point=${point%.cause-*}
      out=$(replay "$f" --max-continuations 0); code=$?
      if [ "$code" -gt 1 ] || ! printf '%s\n' "$out" | grep -q "UNSPECIFIED $point:"; then
        printf '%s\n' "$out"; echo "FAIL: replay of $f did not reach $point (exit $code)" >&2; status=1
      fi
    done
    ;;
  diff:*)
    pair=${part#diff:} b=${pair#*--}
    # A difference is in its steps: the graph properties on its last state
    # (seconds each in the review world) are not judged.
    for f in "$results/$dir"/differences/*.scenario; do
      out_a=$(replay "$f" --max-continuations 0); code=$?
      if [ "$code" -gt 1 ]; then
        printf '%s\n' "$out_a"; echo "FAIL: $f does not replay on its own variant (exit $code)" >&2; status=1
      fi
      # On B the last step's result differs (an unmet expectation) or,
      # with the same result, what it changed: the transcripts differ.
      out_b=$(replay "$f" --max-continuations 0 --variant "$b")
      if [ "$(printf '%s\n' "$out_a" | tail -n +2)" = "$(printf '%s\n' "$out_b" | tail -n +2)" ]; then
        printf '%s\n' "$out_b"; echo "FAIL: $f replays on $b exactly as on its own variant: no difference" >&2
        status=1
      fi
    done
    ;;
  ablation:*)
    for f in "$results/$dir"/counterexamples/*.scenario; do
      # The first line names the property: "... (GUARD)), PROPERTY fails".
      prop=$(sed -n '1s/.* \([a-z-]*\) fails$/\1/p' "$f")
      # shellcheck disable=SC2046 # the option is two words or none
      out=$(replay "$f" $(continuations "$prop")); code=$?
      if [ "$code" -ne 1 ] || ! printf '%s\n' "$out" | grep -q "VIOLATION "; then
        printf '%s\n' "$out"; echo "FAIL: $f does not reproduce its violation (exit $code)" >&2; status=1
      fi
    done
    ;;
esac
if [ "$status" -eq 0 ]; then
  if [ -n "$runs" ]; then
    echo "results/$dir is current and every scenario in it replays"
  else
    echo "every scenario in results/$dir replays (the part was not regenerated)"
  fi
fi
exit "$status"
