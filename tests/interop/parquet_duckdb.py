"""Reads a sweep's results.parquet with DuckDB, a reader we did not write,
and checks that it holds exactly what results.csv holds: the same columns
in the same order, the same rows, the same numbers, nulls where the CSV
cell is empty, and integer columns typed as integers.

Usage: python3 tests/interop/parquet_duckdb.py path/to/rampart
"""

import csv
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    rampart = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sweep"
        subprocess.run(
            [
                rampart, "sweep", str(ROOT / "examples/minimal.toml"),
                "--vary", "raid.drones.count=5,10,20",
                "--vary", "doctrine.policy=nearest,greedy",
                "--vary", "effector.gepard-1.magazine=1,30",
                "--reps", "1", "--out", str(out),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with open(out / "results.csv", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        con = duckdb.connect()
        rel = con.sql(f"SELECT * FROM read_parquet('{out / 'results.parquet'}')")
        assert rel.columns == header, (rel.columns, header)
        types = dict(zip(rel.columns, map(str, rel.types)))
        assert types["point"] == "BIGINT", types["point"]
        assert types["raid.drones.count"] == "BIGINT", types
        assert types["doctrine.policy"] == "VARCHAR", types
        assert types["leakers.mean"] == "DOUBLE", types
        table = rel.fetchall()
        assert len(table) == len(body) == 12, (len(table), len(body))
        nulls = 0
        for got, want in zip(table, body):
            for name, g, w in zip(header, got, want):
                if w == "":
                    assert g is None, (name, g)
                    nulls += 1
                elif isinstance(g, str):
                    assert g == w, (name, g, w)
                else:
                    assert math.isclose(float(g), float(w), rel_tol=0, abs_tol=0), (name, g, w)
        # One replication a point: the spread and the intervals are null.
        assert nulls > 0
    print(f"parquet read by DuckDB {duckdb.__version__}: {len(table)} rows x {len(header)} columns, {nulls} nulls, equal to the CSV")
    replications(rampart)


def replications(rampart: str) -> None:
    """`rampart mc --out DIR` writes replications.parquet: one row per night,
    in order, the seed unsigned, and each metric's mean (by DuckDB) equal to
    the mean of summary.json."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "mc"
        subprocess.run(
            [rampart, "mc", str(ROOT / "examples/minimal.toml"), "--reps", "300",
             "--seed", "4", "--out", str(out), "--quiet"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        summary = json.loads((out / "summary.json").read_text())
        con = duckdb.connect()
        rel = con.sql(f"SELECT * FROM read_parquet('{out / 'replications.parquet'}')")
        types = dict(zip(rel.columns, map(str, rel.types)))
        assert rel.columns[:2] == ["replication", "seed"], rel.columns
        assert types["replication"] == "BIGINT" and types["seed"] == "UBIGINT", types
        assert set(rel.columns[2:]) == set(summary["metrics"]), rel.columns
        numbers = con.sql(
            f"SELECT min(replication), max(replication), count(*), count(DISTINCT seed) "
            f"FROM read_parquet('{out / 'replications.parquet'}')"
        ).fetchall()[0]
        assert numbers == (0, 299, 300, 300), numbers
        for name, e in summary["metrics"].items():
            (mean,) = con.sql(
                f"SELECT avg(\"{name}\") FROM read_parquet('{out / 'replications.parquet'}')"
            ).fetchall()[0]
            assert math.isclose(mean, e["mean"], rel_tol=1e-12, abs_tol=1e-12), (name, mean, e)
    print(f"replications.parquet read by DuckDB: 300 rows x {len(rel.columns)} columns, means equal to summary.json")


if __name__ == "__main__":
    main()
