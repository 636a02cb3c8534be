"""Ctrl-C stops a long study cleanly: KeyboardInterrupt within a second or
two, no half-written file, and an interrupted sweep resumes."""

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import json

import rampart

ROOT = pathlib.Path(__file__).resolve().parents[2]


def interrupt(script: str, after: float = 1.5, wait_for=None):
    """Runs `script` in a new interpreter, sends it SIGINT `after` seconds
    once it prints `started` (and, if `wait_for` is given, once that path
    exists), and returns its stdout and stderr. A study that does not stop
    fails the test by its timeout (a hang), not by a measured time."""
    p = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert p.stdout.readline().strip() == "started"
    while wait_for is not None and not wait_for():
        assert p.poll() is None, "it ended before the signal"
        time.sleep(0.05)
    time.sleep(after)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    return out, err


def test_a_long_monte_carlo_stops_on_ctrl_c():
    out, err = interrupt("""
        import rampart
        s = rampart.Scenario.from_file("examples/night-raid.toml")
        print("started", flush=True)
        try:
            rampart.mc(s, reps=1_000_000, threads=2)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
    """)
    assert out.split() == ["interrupted"], err


def test_an_interrupted_sweep_leaves_whole_files_and_resumes(tmp_path):
    out_dir = tmp_path / "sweep"
    grid = list(range(1, 41))
    script = f"""
        import rampart
        s = rampart.Scenario.from_file("examples/minimal.toml")
        print("started", flush=True)
        try:
            rampart.sweep(s, {{"raid.drones.count": {grid!r}}}, reps=400,
                          out={str(out_dir)!r}, threads=1)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
    """
    out, err = interrupt(
        script, after=0.2, wait_for=lambda: any((out_dir / "points").glob("*.json"))
    )
    assert out.split() == ["interrupted"], err
    names = sorted(os.listdir(out_dir / "points"))
    # Whole point files only: no temporary file left, each one readable.
    assert all(n.endswith(".json") and not n.startswith(".") for n in names), names
    assert len(names) < len(grid)
    assert not (out_dir / "results.parquet").exists()
    for n in names:
        json.loads((out_dir / "points" / n).read_text())
    # The same call resumes: only the missing points run.
    s = rampart.Scenario.from_file(ROOT / "examples" / "minimal.toml")
    r = rampart.sweep(s, {"raid.drones.count": grid}, reps=400, out=out_dir)
    assert r.ran == len(grid) - len(names)
    assert r.table.num_rows == len(grid)


def test_a_long_assignment_search_stops_on_ctrl_c():
    out, err = interrupt("""
        import numpy as np, rampart.wta
        rng = np.random.default_rng(1)
        values = rng.uniform(1, 100, 600)
        pk = rng.uniform(0.05, 0.95, (300, 600))
        print("started", flush=True)
        try:
            rampart.wta.solve(values, pk, [3] * 300, time_limit=600, work_limit=10**15)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
    """, after=2.0)
    assert out.split() == ["interrupted"], err
