"""One night and Monte Carlo: the same numbers as the CLI, bit for bit."""

import math

import pyarrow.parquet as pq
import pytest

import rampart


def test_run_matches_the_cli(cli, night):
    r = rampart.run(night, seed=7, policy="greedy")
    want = cli("run", "examples/night-raid.toml", "--seed", 7, "--policy", "greedy", "--json")
    assert r.summary == want
    s = r.summary
    assert r.fates.num_rows == s["threats_launched"]
    fates = r.fates.column("fate").to_pylist()
    for key, n in s["by_fate"].items():
        assert fates.count(key) == n, key
    assert set(r.fates.column_names) >= {"threat", "class", "raid", "target", "launch_ms", "fate"}
    assert r.events.num_rows > s["threats_launched"]
    assert "time" in r.events.column_names


def test_run_refuses_an_unknown_policy(night):
    with pytest.raises(ValueError, match="no policy `best`"):
        rampart.run(night, policy="best")


def test_mc_matches_the_cli_bit_for_bit(cli, night, tmp_path):
    r = rampart.mc(night, reps=40, seed=3, threads=2)
    want = cli("mc", "examples/night-raid.toml", "--reps", 40, "--seed", 3, "--json",
               "--out", tmp_path, "-q")
    assert r.statistics == want
    # The table of replications is the one `mc --out` writes.
    assert r.replications.equals(pq.read_table(tmp_path / "replications.parquet"))


def test_replications_agree_with_the_statistics(minimal):
    r = rampart.mc(minimal, reps=300, seed=11)
    t = r.replications
    assert t.num_rows == 300
    assert t.column_names[:2] == ["replication", "seed"]
    assert str(t.schema.field("seed").type) == "uint64"
    assert t.column("replication").to_pylist() == list(range(300))
    for name, e in r.statistics["metrics"].items():
        col = t.column(name).to_pylist()
        assert math.isclose(sum(col) / len(col), e["mean"], rel_tol=1e-12, abs_tol=1e-12), name


def test_threads_do_not_change_the_numbers(minimal):
    one = rampart.mc(minimal, reps=64, seed=5, threads=1)
    two = rampart.mc(minimal, reps=64, seed=5, threads=2)
    assert one.statistics == two.statistics
    assert one.replications.equals(two.replications)


def test_bad_arguments_are_value_errors(minimal):
    with pytest.raises(ValueError):
        rampart.mc(minimal, reps=0)
    with pytest.raises(ValueError):
        rampart.mc(minimal, reps=5, threads=0)
    with pytest.raises(TypeError):
        rampart.mc("examples/minimal.toml", reps=5)
    # Everything after the scenario is given by name.
    with pytest.raises(TypeError):
        rampart.mc(minimal, 5)


def test_metric_names(minimal):
    names = rampart.metric_names(minimal)
    assert "leakers" in names and "seed" not in names


def test_the_event_log_is_events_jsonl(cli, night, tmp_path):
    import json

    r = rampart.run(night, seed=3)
    cli("run", "examples/night-raid.toml", "--seed", 3, "--out", tmp_path, parse_json=False)
    lines = [json.loads(l) for l in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert r.events.num_rows == len(lines)
    rows = r.events.to_pylist()
    for got, want in zip(rows[:200], lines[:200]):
        flat = {}
        for k, v in want.items():
            if isinstance(v, dict):
                flat.update({f"{k}.{kk}": vv for kk, vv in v.items()})
            else:
                flat[k] = v
        assert {k: v for k, v in got.items() if v is not None} == flat


def test_mc_with_a_policy_matches_the_cli(cli, minimal):
    got = rampart.mc(minimal, reps=25, seed=8, policy="optimal").statistics
    want = cli("mc", "examples/minimal.toml", "--reps", 25, "--seed", 8,
               "--policy", "optimal", "--json", "-q")
    assert got == want
