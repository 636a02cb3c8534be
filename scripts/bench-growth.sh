#!/usr/bin/env bash
# The growth of the time per threat with the density of the raid: the
# night-raid with every raid scaled to 1,000 threats, 400 nights, against
# 10,000 threats, 40 nights (the same threats in all), each night in one
# workspace with the event log skipped, as the studies run them
# (crates/engine/examples/growth_loop.rs). The two sizes alternate RUNS
# times for each policy; the script prints the least and the median user
# CPU time of each and their ratios (the issue's goal: at most 1.5). Not
# part of CI; results go to BENCHMARKS.md by hand.
#
# Usage: bash scripts/bench-growth.sh [RUNS] [POLICY...]   (defaults: 7, greedy optimal)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-7}
shift || true
policies=("$@")
if [ ${#policies[@]} -eq 0 ]; then
  policies=(greedy optimal)
fi

cargo build --release --locked -p rampart-engine --example growth_loop
loop=target/release/examples/growth_loop

# User CPU seconds of one command (bash's own timer: no GNU time needed).
user_time() {
  local TIMEFORMAT=%U
  { time "$@" >/dev/null; } 2>&1
}

for policy in "${policies[@]}"; do
  small=()
  large=()
  for _ in $(seq 1 "$runs"); do
    small+=("$(user_time "$loop" 1000 400 "$policy")")
    large+=("$(user_time "$loop" 10000 40 "$policy")")
  done
  python3 - "$policy" "${small[*]}" "${large[*]}" <<'EOF'
import statistics, sys
policy, small, large = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
s = [float(x) for x in small]
l = [float(x) for x in large]
print(f"{policy}: 1,000 x 400 least {min(s):.2f} s, median {statistics.median(s):.2f} s; "
      f"10,000 x 40 least {min(l):.2f} s, median {statistics.median(l):.2f} s; "
      f"ratio of least {min(l) / min(s):.2f}, of medians {statistics.median(l) / statistics.median(s):.2f}")
EOF
done
