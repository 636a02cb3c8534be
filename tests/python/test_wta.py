"""rampart.wta.solve over numpy arrays, against brute force."""

import itertools

import numpy as np
import pytest

import rampart.wta


def brute_force(values, pk, counts):
    m, n = pk.shape
    best = float("inf")
    # Every way of giving each copy a target.
    copies = [i for i in range(m) for _ in range(counts[i])]
    for targets in itertools.product(range(n), repeat=len(copies)):
        survive = np.ones(n)
        for i, j in zip(copies, targets):
            survive[j] *= 1 - pk[i, j]
        best = min(best, float(np.dot(values, survive)))
    return best


def test_exact_is_optimal_against_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(5):
        m, n = 3, 4
        values = rng.uniform(1, 100, n)
        pk = rng.uniform(0.05, 0.95, (m, n))
        counts = rng.integers(1, 3, m)
        s = rampart.wta.solve(values, pk, counts)
        assert s.status == "optimal"
        assert s.assignment.shape == (m, n)
        assert list(s.assignment.sum(axis=1)) == list(counts)
        assert s.objective == pytest.approx(brute_force(values, pk, counts), rel=1e-9)
        assert s.bound is not None and s.bound <= s.objective + 1e-9
        assert s.gap == 0.0


def test_the_docstring_example():
    s = rampart.wta.solve(values=[100, 30], pk=[[0.9, 0.9], [0.3, 0.5]], counts=[1, 2])
    assert s.status == "optimal"
    assert s.assignment.tolist() == [[1, 0], [0, 2]]
    assert s.objective == pytest.approx(100 * 0.1 + 30 * 0.25)


def test_greedy_has_no_bound_and_is_no_better():
    values, pk, counts = [50, 40, 10], [[0.6, 0.5, 0.9], [0.3, 0.8, 0.2]], [2, 1]
    g = rampart.wta.solve(values, pk, counts, solver="greedy")
    e = rampart.wta.solve(values, pk, counts)
    assert g.status == "heuristic" and g.bound is None
    assert e.objective <= g.objective + 1e-12


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError, match="2 x 2"):
        rampart.wta.solve([1, 2], [[0.5, 0.5]], [1, 1])
    with pytest.raises(ValueError):
        rampart.wta.solve([1], [[1.5]], [1])
    with pytest.raises(ValueError, match="no solver"):
        rampart.wta.solve([1], [[0.5]], [1], solver="magic")


def test_threads_run_a_portfolio_that_is_deterministic_and_no_worse():
    rng = np.random.default_rng(11)
    m, n = 20, 40
    values = rng.integers(1, 100, n).astype(float)
    pk = rng.uniform(0.0, 1.0, (m, n))
    counts = [2] * m
    one = rampart.wta.solve(values, pk, counts, work_limit=2_000_000, time_limit=60)
    two = rampart.wta.solve(values, pk, counts, work_limit=2_000_000, time_limit=60, threads=2)
    again = rampart.wta.solve(values, pk, counts, work_limit=2_000_000, time_limit=60, threads=2)
    assert two.objective <= one.objective
    assert (two.assignment == again.assignment).all() and two.objective == again.objective
    assert list(two.assignment.sum(axis=1)) == counts
    with pytest.raises(ValueError, match="threads"):
        rampart.wta.solve([1], [[0.5]], [1], threads=0)
