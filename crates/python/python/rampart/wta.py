"""Weapon-target assignment: Rampart's WTA solvers over numpy arrays.

    >>> import numpy as np, rampart.wta
    >>> s = rampart.wta.solve(values=[100, 30], pk=[[0.9, 0.9], [0.3, 0.5]], counts=[1, 2])
    >>> s.status, s.assignment   # 'optimal', copies per (weapon type, target): [[1, 0], [0, 2]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as _np

from . import _rampart

__all__ = ["Solution", "solve"]


@dataclass(frozen=True)
class Solution:
    """What a solver gives, and what it is worth.

    ``assignment[i, j]``: copies of weapon type ``i`` on target ``j``.
    ``objective``: expected surviving value (plus ``cost_weight`` x cost).
    ``bound``: a proven lower bound on the optimum, if the solver has one.
    ``status``: ``optimal`` (proven), ``feasible`` (with a bound and its
    ``gap``) or ``heuristic`` (no bound). ``work``: deterministic units spent.
    """

    assignment: _np.ndarray
    objective: float
    bound: Optional[float]
    status: str
    gap: Optional[float]
    work: int


def solve(
    values: Sequence[float],
    pk: Sequence[Sequence[float]],
    counts: Sequence[int],
    *,
    solver: str = "exact",
    costs: Optional[Sequence[float]] = None,
    cost_weight: float = 0.0,
    may_hold: bool = False,
    caps: Optional[Sequence[Optional[int]]] = None,
    time_limit: Optional[float] = None,
    work_limit: Optional[int] = None,
    threads: int = 1,
) -> Solution:
    """Solves the static WTA problem: minimise ``sum_j values[j] * prod_i (1 - pk[i, j])^x[i, j]``
    over assignments of ``counts[i]`` copies of each weapon type ``i``.

    ``values``: n target values; ``pk``: m x n kill probabilities (numpy or
    lists); ``counts``: m copy counts. ``solver``: ``exact`` (anytime branch
    and bound: proven optimal, or its incumbent and bound at the limit),
    ``local`` or ``greedy``. ``costs`` per copy, weighted by ``cost_weight``;
    ``may_hold`` lets copies hold fire; ``caps[j]`` limits the copies on
    target ``j``. ``time_limit`` in seconds; ``work_limit`` in deterministic
    units (the same answer every time). With a ``time_limit`` alone the solve
    runs until it expires; with neither, until two billion units of work.
    ``threads`` (``exact`` only): a portfolio of exact solvers, the others'
    local searches with seeds of their own and more patience, the best
    answer kept; still the same answer every time under a ``work_limit``.
    """
    v = _np.asarray(values, dtype=float).ravel()
    p = _np.asarray(pk, dtype=float)
    c = _np.asarray(counts).ravel()
    if p.ndim != 2:
        raise ValueError("pk must be a 2-d array (weapon types x targets)")
    if c.size and not _np.all(_np.equal(_np.mod(c, 1), 0)):
        raise ValueError("counts must be whole numbers")
    if int(threads) < 1:
        raise ValueError("threads must be at least 1")
    counts_list = [int(x) for x in c]
    if any(x < 0 for x in counts_list):
        raise ValueError("counts must be non-negative")
    assignment, objective, bound, status, gap, work = _rampart.wta_solve(
        v.tolist(),
        p.tolist(),
        counts_list,
        solver,
        None if costs is None else _np.asarray(costs, dtype=float).ravel().tolist(),
        float(cost_weight),
        bool(may_hold),
        None if caps is None else [None if x is None else int(x) for x in caps],
        time_limit,
        work_limit,
        int(threads),
    )
    m, n = len(counts_list), len(v)
    a = _np.array(assignment, dtype=_np.int64).reshape(m, n)
    return Solution(a, objective, bound, status, gap, work)
