#!/usr/bin/env bash
# Side-by-side comparison of two binaries on this project's drifting machine.
#   bench/ab.sh ROUNDS BINARY_A BINARY_B ARGS…
#
# Each round runs A and B at the same time, one pinned to each of the two
# cores (taskset), swapping cores from one round to the next, so that the
# machine's slow and fast phases fall on both alike. Prints each binary's
# median and minimum wall time, and the median of the per-round ratios B/A,
# the figure to quote. Needs two cores, taskset and python3.
set -euo pipefail
(($# >= 3)) || { echo "usage: bench/ab.sh ROUNDS BINARY_A BINARY_B ARGS…" >&2; exit 2; }
rounds=$1 a=$2 b=$3
shift 3
for ((r = 0; r < rounds; r++)); do
  ca=$((r % 2)) cb=$(((r + 1) % 2))
  # run LABEL CORE BINARY ARGS…: prints "LABEL ROUND SECONDS".
  run() {
    local label=$1 core=$2 binary=$3 start end
    shift 3
    start=$(date +%s.%N)
    taskset -c "$core" "$binary" "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$label $r $(echo "$end - $start" | bc -l)"
  }
  run A "$ca" "$a" "$@" &
  run B "$cb" "$b" "$@" &
  wait
done | python3 -c '
import statistics, sys
times = {"A": {}, "B": {}}
for line in sys.stdin:
    label, round_, seconds = line.split()
    times[label][int(round_)] = float(seconds)
for label in "AB":
    t = list(times[label].values())
    print(f"{label}: median {statistics.median(t):.3f} s, min {min(t):.3f} s over {len(t)} rounds")
ratios = [times["B"][r] / times["A"][r] for r in times["A"] if r in times["B"]]
print(f"B/A, median of the per-round ratios: {statistics.median(ratios):.3f}")
'
