"""Times the Python package against the command line on this machine, in one
run (not part of CI; the figures go to BENCHMARKS.md by hand):

1. 1,000 nights of examples/night-raid.toml, 2 threads: `rampart.mc` (in a
   running interpreter, the replications table included) against the whole
   `rampart mc --reps 1000 --threads 2 --json --out DIR` process (which
   writes the same table), alternated RUNS times; medians and their ratio.
2. A sweep of 6 points x REPS nights: `rampart.dask.sweep` on a
   LocalCluster of 2 worker processes (1 thread each) against
   `rampart sweep --threads 2`, alternated; medians and their ratio, and
   whether the two results.parquet are the same bytes.

Usage (a release wheel installed in the venv, a release CLI):
  target/python-venv/bin/maturin build --release -m crates/python/Cargo.toml -o target/wheels-release
  target/python-venv/bin/pip install --force-reinstall --no-deps target/wheels-release/rampart-*.whl
  cargo build --release -p rampart-cli
  target/python-venv/bin/python scripts/bench-python.py [RUNS] [REPS]
"""

import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import rampart
import rampart.dask
from dask.distributed import Client, LocalCluster

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = str(ROOT / "target" / "release" / "rampart")


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    night = rampart.Scenario.from_file(ROOT / "examples" / "night-raid.toml")
    py, cli = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(runs):
            py.append(timed(lambda: rampart.mc(night, reps=1000, threads=2)))
            cli.append(timed(lambda: subprocess.run(
                [CLI, "mc", "examples/night-raid.toml", "--reps", "1000", "--threads", "2",
                 "--json", "--out", f"{tmp}/mc{k}", "--quiet"],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
            print(f"mc run {k + 1}: rampart.mc {py[-1]:.3f} s, CLI {cli[-1]:.3f} s", flush=True)
    mp, mc_ = statistics.median(py), statistics.median(cli)
    print(f"1,000 nights, 2 threads: rampart.mc median {mp:.3f} s, CLI median {mc_:.3f} s, "
          f"ratio {mp / mc_:.3f} (python / CLI)")

    counts = "100,200,300,400,500,600"
    vary = {"raid.drones-north.count": counts}
    dk, sw = [], []
    same = True
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    with Client(cluster) as client, tempfile.TemporaryDirectory() as tmp:
        for k in range(runs):
            d, c = f"{tmp}/dask{k}", f"{tmp}/cli{k}"
            dk.append(timed(lambda: rampart.dask.sweep(night, vary, reps=reps, client=client,
                                                      out=d)))
            sw.append(timed(lambda: subprocess.run(
                [CLI, "sweep", "examples/night-raid.toml", "--vary",
                 f"raid.drones-north.count={counts}", "--reps", str(reps), "--threads", "2",
                 "--out", c, "--quiet"],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
            a = (pathlib.Path(d) / "results.parquet").read_bytes()
            b = (pathlib.Path(c) / "results.parquet").read_bytes()
            same = same and a == b
            print(f"sweep run {k + 1}: dask {dk[-1]:.3f} s, CLI {sw[-1]:.3f} s", flush=True)
    cluster.close()
    md, ms = statistics.median(dk), statistics.median(sw)
    print(f"sweep 6 points x {reps} nights: dask (2 workers) median {md:.3f} s, CLI (2 threads) "
          f"median {ms:.3f} s, ratio {md / ms:.3f} (dask / CLI); results.parquet identical: {same}")


if __name__ == "__main__":
    main()
