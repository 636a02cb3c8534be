"""Sweeps on a Dask cluster: the grid's points as tasks, the same directory
as ``rampart sweep --out DIR``, byte for byte, whatever the number of workers
or the order in which the tasks finish.

    >>> from dask.distributed import Client
    >>> client = Client("tcp://scheduler:8786")        # or LocalCluster(), or dask-jobqueue
    >>> rampart.dask.sweep(night, vary={"raid.drones-north.count": range(100, 3001, 100)},
    ...                    reps=1000, client=client, out="sweep-north")

Each point runs on one worker (``threads_per_task`` threads); the client
saves each point as it comes back (write, then rename), so a sweep stopped
at any moment resumes from its finished points, as the command line's does.
"""

from __future__ import annotations

import io as _io
import os as _os
import uuid as _uuid
from typing import Any, Mapping, Optional, Sequence

import pyarrow.parquet as _pq

from . import PathLike, Scenario, SweepResult, _grid, _rampart, _scenario

__all__ = ["sweep"]


def _run_point(text: str, grid, reps: int, seed: Optional[int], policy: Optional[str],
               point: int, threads: int) -> str:
    """One grid point, on a worker: its result as the JSON of a point file."""
    scenario = _rampart.Scenario.from_str(text, "<sweep>")
    plan = _rampart.SweepPlan(scenario, grid, reps, seed, policy)
    return plan.run_point(point, threads)


def _run_block(text: str, grid, reps: int, seed: Optional[int], policy: Optional[str],
               point: int, start: int, end: int, threads: int) -> tuple[int, int, str]:
    """Replications ``start..end`` of one grid point, on a worker: their metrics."""
    scenario = _rampart.Scenario.from_str(text, "<sweep>")
    plan = _rampart.SweepPlan(scenario, grid, reps, seed, policy)
    return point, start, plan.run_block(point, start, end, threads)


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any]],
    *,
    reps: int = 100,
    seed: Optional[int] = None,
    client: Any = None,
    out: PathLike = "sweep",
    policy: Optional[str] = None,
    metric: str = "leakers",
    threads_per_task: int = 1,
    block: Optional[int] = None,
) -> SweepResult:
    """:func:`rampart.sweep` with its points mapped as Dask tasks on ``client``
    (a ``dask.distributed.Client``; default: the current one, needed only
    if a point is left to run). Writes the
    same ``out`` directory as ``rampart sweep --out DIR`` (manifest, one file
    per point, ``results.parquet``/``.csv``/``.json`` and the figures) and
    resumes like it.

    ``block``: run a point's replications in blocks of this many, each a
    task of its own, so that a few big points still spread over the
    cluster; the client puts each point together, in replication order,
    once all its blocks are back: the same numbers, bit for bit."""
    from dask.distributed import as_completed, get_client

    out = _os.fspath(out)
    native = _scenario(scenario)
    grid = _grid(vary)
    _rampart.check_metric(native, metric)
    plan = _rampart.SweepPlan(native, grid, reps, seed, policy)
    base_seed = native.seed if seed is None else seed
    plan.prepare(out)
    todo = plan.missing(out)
    run = _uuid.uuid4().hex
    if todo and client is None:
        client = get_client()
    if block is not None and block < 1:
        raise ValueError("block must be at least 1")
    if block is None or block >= reps:
        futures = [
            client.submit(_run_point, native.text, grid, reps, base_seed, policy, p,
                          threads_per_task, key=f"rampart-sweep-point-{p}-{run}", pure=False)
            for p in todo
        ]
    else:
        futures = [
            client.submit(_run_block, native.text, grid, reps, base_seed, policy, p, start,
                          min(start + block, reps), threads_per_task,
                          key=f"rampart-sweep-block-{p}-{start}-{run}", pure=False)
            for p in todo
            for start in range(0, reps, block)
        ]
    blocks_of = {p: {} for p in todo}
    per_point = 1 if block is None or block >= reps else -(-reps // block)
    try:
        for _, result in as_completed(futures, with_results=True):
            if per_point == 1:
                plan.save_point(out, result)
                continue
            p, start, rows = result
            blocks_of[p][start] = rows
            if len(blocks_of[p]) == per_point:
                plan.save_point_from_blocks(
                    out, p, [blocks_of[p][k] for k in sorted(blocks_of[p])]
                )
                del blocks_of[p]
    except BaseException:
        client.cancel(futures)
        raise
    table = plan.finish(out, metric, len(todo))
    return SweepResult(_pq.read_table(_io.BytesIO(table)), out, len(todo))
