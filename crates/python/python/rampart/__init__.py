"""Rampart from Python: what does it take to stop a massed raid of drones and
missiles, and when does the defence break?

A thin layer over Rampart's Rust crates: every function runs the same code
as the command line, on the same seeds, and gives the same numbers, bit for
bit. Tables come as ``pyarrow.Table`` (``.to_pandas()``, ``polars.from_arrow``).

    >>> import rampart
    >>> night = rampart.Scenario.from_file("examples/night-raid.toml")
    >>> r = rampart.mc(night, reps=500, seed=1)
    >>> r.statistics["metrics"]["leakers"]["mean"]      # as `rampart mc --json`
    >>> r.replications.to_pandas()["leakers"].hist()   # one row per night

Long studies release the GIL and run on every core (``threads=``); Ctrl-C
stops them cleanly (``KeyboardInterrupt``, no half-written file).
"""

from __future__ import annotations

import io as _io
import json as _json
import os as _os
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

import pyarrow as _pa
import pyarrow.parquet as _pq

from . import _rampart
from ._rampart import Diagnostic, ScenarioError

__version__ = _rampart.__version__

__all__ = [
    "Diagnostic",
    "McResult",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepResult",
    "campaign",
    "compare",
    "mc",
    "metric_names",
    "run",
    "saturate",
    "sweep",
]

PathLike = Union[str, "_os.PathLike[str]"]


def _text(value: Any) -> str:
    """A value as scenario text takes it: ``true``, ``300``, ``0.5``, ``"5 km"``
    (a numpy scalar as the Python number it holds)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _grid(vary: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """A sweep's grid: each path with its values, a sequence or, as
    ``--vary`` takes it, a string (``"0,10,20"``, ``"100..2000:100"``)."""
    grid = []
    for path, values in vary.items():
        if isinstance(values, str):
            grid.append((str(path), _rampart.vary_values(str(path), values)))
        else:
            grid.append((str(path), [_text(v) for v in values]))
    return grid


def _pairs(overrides: Optional[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(str(k), _text(v)) for k, v in (overrides or {}).items()]


class Scenario:
    """A scenario, read and validated as ``rampart validate`` reads it.

    Build it with :meth:`from_file` or :meth:`from_str`; change fields with
    :meth:`with_overrides`. Invalid input raises :class:`ScenarioError`, whose
    ``diagnostics`` say what is wrong and where (line, column, field path).
    """

    __slots__ = ("_native",)

    def __init__(self, native: "_rampart.Scenario") -> None:
        self._native = native

    @classmethod
    def from_file(cls, path: PathLike) -> "Scenario":
        """Reads and validates the scenario file (TOML) at ``path``."""
        return cls(_rampart.Scenario.from_file(_os.fspath(path)))

    @classmethod
    def from_str(cls, text: str, name: str = "<string>") -> "Scenario":
        """Reads and validates scenario ``text``; ``name`` stands for the file in messages."""
        return cls(_rampart.Scenario.from_str(text, name))

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Scenario":
        """This scenario with fields changed, by the paths of ``--set`` and ``--vary``::

            s.with_overrides({"raid.drones-north.count": 300, "effector.gepard.magazine": 40})
        """
        return Scenario(self._native.with_overrides(_pairs(overrides)))

    @property
    def text(self) -> str:
        """The scenario's TOML text, overrides applied."""
        return self._native.text

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def seed(self) -> int:
        """The scenario's own base seed (the default of every study)."""
        return self._native.seed

    @property
    def file(self) -> Optional[str]:
        """The file it was read from, if any."""
        return self._native.file

    @property
    def warnings(self) -> list[Diagnostic]:
        """What ``rampart validate`` warns of in this (valid) scenario."""
        return self._native.warnings

    def __repr__(self) -> str:
        return repr(self._native)


@dataclass(frozen=True)
class RunResult:
    """One night: the summary (as ``rampart run --json``), the event log (one
    row per event, as ``events.jsonl``) and every threat's fate."""

    summary: dict
    events: _pa.Table
    fates: _pa.Table


@dataclass(frozen=True)
class McResult:
    """A Monte Carlo study: ``statistics`` is ``rampart mc --json``; each row of
    ``replications`` is one night (``replication``, ``seed``, then every metric),
    as ``rampart mc --out DIR`` writes ``replications.parquet``."""

    statistics: dict
    replications: _pa.Table


@dataclass(frozen=True)
class SweepResult:
    """A sweep: its table (``results.parquet`` of ``out``), the directory, and
    how many points ran in this call (the others were there already)."""

    table: _pa.Table
    out: str
    ran: int


def _scenario(s: Scenario) -> "_rampart.Scenario":
    if not isinstance(s, Scenario):
        raise TypeError(f"expected a rampart.Scenario, got {type(s).__name__}")
    return s._native


def run(
    scenario: Scenario, *, seed: Optional[int] = None, policy: Optional[str] = None
) -> RunResult:
    """Plays one night of ``scenario`` (its own seed unless ``seed``), as ``rampart run``.

    ``policy``: ``nearest``, ``greedy`` or ``optimal`` (default: the scenario's doctrine).
    """
    summary, events, fates = _rampart.run(_scenario(scenario), seed, policy)
    return RunResult(_json.loads(summary), _pa.table(events), _pa.table(fates))


def mc(
    scenario: Scenario,
    *,
    reps: int = 1000,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> McResult:
    """Monte Carlo: ``reps`` nights on the seeds of ``rampart mc`` (base seed
    ``seed``, default the scenario's), on ``threads`` workers (default: every
    core; the numbers do not depend on it)."""
    text, table = _rampart.mc(_scenario(scenario), reps, seed, threads, policy)
    return McResult(_json.loads(text), _pq.read_table(_io.BytesIO(table)))


def compare(
    scenario: Scenario,
    variants: Optional[Mapping[str, Mapping[str, Any]]] = None,
    *,
    reps: int = 1000,
    metric: str = "leakers",
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> dict:
    """Variants of ``scenario`` on the same seeds (common random numbers), as
    ``rampart compare --json``: each variant's statistics, the paired
    differences from the first, and the verdicts on ``metric``.

    ``variants`` maps a name to overrides. With one variant, the scenario as
    it is (``base``) comes first, as on the command line; without any, the
    scenario as it is, then each of its own ``[[variant]]`` tables::

        rampart.compare(s, {"nearest": {"doctrine.policy": "nearest"}})
    """
    if variants is None:
        named = None
    else:
        named = [(str(n), _pairs(o)) for n, o in variants.items()]
        if len(named) == 1:
            named.insert(0, ("base", []))
    return _json.loads(
        _rampart.compare(_scenario(scenario), named, reps, metric, seed, threads, policy)
    )


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any]],
    *,
    reps: int = 100,
    out: PathLike = "sweep",
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
    metric: str = "leakers",
) -> SweepResult:
    """A full-factorial sweep, as ``rampart sweep --out DIR``: every point of the
    grid (``vary`` maps a path to its values, a sequence or a string as
    ``--vary`` takes it, ``"100..2000:100"``; the first path changes slowest)
    ``reps`` nights on common seeds. Writes the same directory as the command
    line (and resumes like it). For a cluster, see :func:`rampart.dask.sweep`."""
    out = _os.fspath(out)
    ran, table = _rampart.sweep(
        _scenario(scenario), _grid(vary), reps, out, seed, threads, policy, metric
    )
    return SweepResult(_pq.read_table(_io.BytesIO(table)), out, ran)


def saturate(
    scenario: Scenario,
    vary: str,
    *,
    limit: float,
    metric: str = "leakers",
    range: Optional[tuple[float, float]] = None,
    reps: int = 50,
    max_reps: int = 800,
    tolerance: Optional[float] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> dict:
    """The least value of field ``vary`` at which ``metric`` breaks ``limit``
    (the defence holds while its mean is at most ``limit``), as
    ``rampart saturate --json``. ``range``: the values to search (default: 0
    or 1 to four times the scenario's value)."""
    lo, hi = range if range is not None else (None, None)
    return _json.loads(
        _rampart.saturate(
            _scenario(scenario), vary, metric, limit, lo, hi, reps, max_reps,
            tolerance, seed, threads, policy,
        )
    )


def campaign(
    path: PathLike,
    *,
    reps: int = 20,
    nights: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    budgets: Optional[Mapping[str, Mapping[str, Any]]] = None,
    metric: str = "civilian_damage",
) -> dict:
    """A campaign (many nights, stocks and damage carried over), as
    ``rampart campaign FILE --json``; ``overrides`` change the campaign file.

    With ``budgets`` (a name and its overrides of procurement, as
    ``--budget-variant``; with one, the file as it is comes first as
    ``base``), the budgets play the same nights and the result is that of
    ``rampart campaign FILE --budget-variant ... --json``: each budget's
    campaign totals, the paired differences from the first, and the verdicts
    on the total ``metric``::

        rampart.campaign("examples/campaign.toml", budgets={
            "drones": {"defender.interceptor-drones.per_month": 1200}})
    """
    named = None
    if budgets is not None:
        named = [(str(n), _pairs(o)) for n, o in budgets.items()]
    return _json.loads(
        _rampart.campaign(
            _os.fspath(path), reps, nights, seed, threads, _pairs(overrides), named, metric
        )
    )


def metric_names(scenario: Scenario) -> list[str]:
    """Every metric a study of ``scenario`` reports."""
    return _rampart.metric_names(_scenario(scenario))
