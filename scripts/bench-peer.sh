#!/usr/bin/env bash
# Rampart against its peer, SimPy 4, on the same Erlang loss system (one fire
# unit: 8 channels, Poisson arrivals at 300 an hour, exponential engagements
# of mean 120 s, Pk = 1, no waiting), both on one thread, on this machine, in
# one run: the two whole-process commands alternate RUNS times and the script
# prints each time, the medians and their ratio, and both leak fractions
# beside Erlang-B. Not part of CI; results go to BENCHMARKS.md by hand.
#
# Rampart plays NIGHTS nights of 6 h of the loss-system template
# (tests/fixtures/loss-system.toml.in, 1,800 threats launched at most per
# night: about 720,000 threats for 400 nights); SimPy plays as many threats.
#
# Usage: bash scripts/bench-peer.sh [RUNS] [NIGHTS]     (defaults: 5 and 400)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
nights=${2:-400}
peer=../shared/bench/simpy_loss.py
if [ ! -f "$peer" ]; then
  echo "the peer is missing: $peer (the shared folder beside the project)" >&2
  exit 1
fi

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check 'simpy==4.*'

cargo build --release --locked -p rampart-cli
rampart=target/release/rampart

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/{channels}/8/' -e 's/{mean_s}/120/g' -e 's/{per_hour}/300/' -e 's/{count}/1800/' \
  tests/fixtures/loss-system.toml.in >"$work/loss.toml"

# The number of threats Rampart launches (Poisson arrivals stop at the end
# of the 6 h window), so that SimPy plays as many.
"$rampart" mc "$work/loss.toml" --reps "$nights" --threads 1 --json >"$work/mc.json"
threats=$("$venv/bin/python" - "$work/mc.json" "$nights" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(round(d["metrics"]["threats_launched"]["mean"] * int(sys.argv[2])))
EOF
)

now() { date +%s.%N; }
rampart_times=()
simpy_times=()
for k in $(seq 1 "$runs"); do
  t0=$(now)
  "$rampart" mc "$work/loss.toml" --reps "$nights" --threads 1 --json >"$work/mc.json"
  t1=$(now)
  "$venv/bin/python" "$peer" 8 300 30 "$threats" "$k" >"$work/simpy.txt"
  t2=$(now)
  r=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')
  rampart_times+=("$r")
  simpy_times+=("$s")
  echo "run $k: rampart $r s, simpy $s s"
done

"$venv/bin/python" - "$work/mc.json" "$work/simpy.txt" "$threats" "$nights" \
  "${rampart_times[*]}" "${simpy_times[*]}" <<'EOF'
import json, statistics, sys
mc = json.load(open(sys.argv[1]))
simpy = dict(kv.split("=") for kv in open(sys.argv[2]).read().split())
threats, nights = int(sys.argv[3]), int(sys.argv[4])
r = [float(x) for x in sys.argv[5].split()]
s = [float(x) for x in sys.argv[6].split()]
rm, sm = statistics.median(r), statistics.median(s)
leak = mc["metrics"]["leak_fraction"]
print(f"threats: {threats} ({nights} nights of Rampart; SimPy the same number in one stream)")
print(f"median whole-process time: rampart {rm:.3f} s, simpy {sm:.3f} s")
print(f"ratio simpy / rampart: {sm / rm:.1f}")
print(f"rampart: {threats / rm:,.0f} threats/s; simpy: {threats / sm:,.0f} threats/s")
print(f"leak fraction: rampart {leak['mean']:.4f} (95% interval {leak['ci95_low']:.4f} to "
      f"{leak['ci95_high']:.4f}), simpy {simpy['leak_fraction']}, Erlang-B {simpy['erlang_b']}")
EOF
