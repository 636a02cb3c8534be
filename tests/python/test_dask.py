"""A sweep on a Dask cluster of two worker processes writes the directory of
`rampart sweep --out DIR`, results.parquet byte for byte."""

import pytest

import rampart

import dask.distributed as distributed

import rampart.dask

FILES = ["results.parquet", "results.csv", "results.json", "manifest.json", "curve.svg",
         "cost-protection.svg"]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_a_six_point_sweep_on_two_workers_is_the_cli_sweep(cli, minimal, client, tmp_path):
    counts = [2, 4, 6, 8, 10, 12]
    r = rampart.dask.sweep(minimal, {"raid.drones.count": counts}, reps=20, seed=9,
                           client=client, out=tmp_path / "dask")
    assert r.ran == 6 and r.table.num_rows == 6
    cli("sweep", "examples/minimal.toml", "--vary", "raid.drones.count=2,4,6,8,10,12",
        "--reps", 20, "--seed", 9, "--threads", 2, "--out", tmp_path / "cli", "-q",
        parse_json=False)
    for f in FILES:
        assert (tmp_path / "dask" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
    for p in range(6):
        name = f"points/{p:06}.json"
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def test_it_resumes_and_finishes_the_missing_points(minimal, client, tmp_path):
    out = tmp_path / "resume"
    vary = {"raid.drones.count": [3, 5, 7]}
    first = rampart.dask.sweep(minimal, vary, reps=10, client=client, out=out)
    before = (out / "results.parquet").read_bytes()
    (out / "points" / "000001.json").unlink()
    again = rampart.dask.sweep(minimal, vary, reps=10, client=client, out=out)
    assert (first.ran, again.ran) == (3, 1)
    assert (out / "results.parquet").read_bytes() == before


def test_another_sweep_in_the_same_directory_is_refused(minimal, client, tmp_path):
    out = tmp_path / "other"
    rampart.dask.sweep(minimal, {"raid.drones.count": [3]}, reps=5, client=client, out=out)
    with pytest.raises(ValueError, match="--reps"):
        rampart.dask.sweep(minimal, {"raid.drones.count": [3]}, reps=6, client=client, out=out)


def test_points_saved_in_any_order_give_the_same_files(minimal, tmp_path):
    """The client saves points as they finish: in reverse order here, as a
    cluster may; the directory is the same, byte for byte."""
    import rampart._rampart as native

    grid = [("raid.drones.count", ["2", "4", "6"])]
    plan = native.SweepPlan(minimal._native, grid, 8, 9, None)
    outs = {}
    for name, order in [("forward", [0, 1, 2]), ("reverse", [2, 1, 0])]:
        out = str(tmp_path / name)
        plan.prepare(out)
        results = {p: plan.run_point(p) for p in order}
        for p in order:
            plan.save_point(out, results[p])
        plan.finish(out)
        outs[name] = tmp_path / name
    for f in FILES[:-2] + ["cost-protection.svg", "curve.svg"]:
        assert (outs["forward"] / f).read_bytes() == (outs["reverse"] / f).read_bytes(), f


def test_a_point_of_another_sweep_is_refused(minimal, tmp_path):
    import rampart._rampart as native

    a = native.SweepPlan(minimal._native, [("raid.drones.count", ["2", "4"])], 5, 1, None)
    b = native.SweepPlan(minimal._native, [("raid.drones.count", ["3", "4"])], 5, 1, None)
    a.prepare(str(tmp_path))
    with pytest.raises(ValueError, match="not a point of this sweep"):
        a.save_point(str(tmp_path), b.run_point(0))


def test_big_points_in_blocks_give_the_cli_sweep(cli, minimal, client, tmp_path):
    """Two points of 20 nights in blocks of 7 (3 tasks a point): the same
    bytes as the CLI sweep."""
    r = rampart.dask.sweep(minimal, {"raid.drones.count": [3, 9]}, reps=20, seed=2,
                           client=client, out=tmp_path / "blocks", block=7)
    assert r.ran == 2
    cli("sweep", "examples/minimal.toml", "--vary", "raid.drones.count=3,9", "--reps", 20,
        "--seed", 2, "--out", tmp_path / "cli", "-q", parse_json=False)
    for f in FILES:
        assert (tmp_path / "blocks" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
