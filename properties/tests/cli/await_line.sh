# Sourced by the signal tests (interrupt.sh, interrupt-judgement.sh).
# await_line PATTERN FILE PID: waits until FILE has a line matching the
# basic regular expression PATTERN, PID has ended, or a minute has passed;
# if no line matches, prints FILE and a FAIL line naming PATTERN on stderr
# and returns 1.
await_line() {
  local pattern=$1 file=$2 pid=$3
  for _ in $(seq 600); do
    grep -q "$pattern" "$file" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "$pattern" "$file" && return 0
  cat "$file" >&2
  echo "FAIL: no line matching $pattern" >&2
  return 1
}
