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


def interrupt(script: str, after: float = 1.5):
    """Runs `script` in a new interpreter, sends it SIGINT once it prints
    `started`, and returns (stdout, seconds from the signal to its end)."""
    p = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert p.stdout.readline().strip() == "started"
    time.sleep(after)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    return out, err, time.monotonic() - sent


def test_a_long_monte_carlo_stops_on_ctrl_c():
    out, err, took = interrupt("""
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
    assert took < 20, took


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
    out, err, took = interrupt(script, after=1.0)
    assert out.split() == ["interrupted"], err
    assert took < 20, took
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
    out, err, took = interrupt("""
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
    assert took < 20, took
