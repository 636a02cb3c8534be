"""Type stubs of the native module `rampart._rampart` (PyO3). Use the
`rampart` package; these are its building blocks."""

from typing import Optional

__version__: str

class ScenarioError(ValueError):
    """A scenario that does not read or validate."""

    diagnostics: list[Diagnostic]

class Diagnostic:
    """One problem found in a scenario, as `rampart validate` prints it."""

    line: int
    column: int
    path: str
    message: str
    hint: Optional[str]
    severity: str
    rendered: str

class Scenario:
    @staticmethod
    def from_file(path: str) -> Scenario: ...
    @staticmethod
    def from_str(text: str, name: str = "<string>") -> Scenario: ...
    def with_overrides(self, overrides: list[tuple[str, str]]) -> Scenario: ...
    @property
    def text(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def file(self) -> Optional[str]: ...
    @property
    def warnings(self) -> list[Diagnostic]: ...

class SweepPlan:
    def __init__(
        self,
        scenario: Scenario,
        vary: list[tuple[str, list[str]]],
        reps: int,
        seed: Optional[int] = None,
        policy: Optional[str] = None,
    ) -> None: ...
    @property
    def points(self) -> int: ...
    def prepare(self, out: str) -> None: ...
    def missing(self, out: str) -> list[int]: ...
    def run_point(self, point: int, threads: Optional[int] = 1) -> str: ...
    def save_point(self, out: str, result: str) -> int: ...
    def run_block(self, point: int, start: int, end: int, threads: Optional[int] = 1) -> str: ...
    def save_point_from_blocks(self, out: str, point: int, blocks: list[str]) -> None: ...
    def finish(self, out: str, metric: str = "leakers", ran: int = 0) -> bytes: ...

def run(
    scenario: Scenario, seed: Optional[int] = None, policy: Optional[str] = None
) -> tuple[str, dict[str, list], dict[str, list]]: ...
def mc(
    scenario: Scenario,
    reps: int,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> tuple[str, bytes]: ...
def compare(
    scenario: Scenario,
    variants: Optional[list[tuple[str, list[tuple[str, str]]]]],
    reps: int,
    metric: str,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> str: ...
def saturate(
    scenario: Scenario,
    vary: str,
    metric: str,
    limit: float,
    lo: Optional[float],
    hi: Optional[float],
    reps: int,
    max_reps: int,
    tolerance: Optional[float] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
) -> str: ...
def campaign(
    path: str,
    reps: int,
    nights: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: list[tuple[str, str]] = ...,
    budgets: Optional[list[tuple[str, list[tuple[str, str]]]]] = None,
    metric: str = "civilian_damage",
) -> str: ...
def metric_names(scenario: Scenario) -> list[str]: ...
def check_metric(scenario: Scenario, metric: str) -> None: ...
def sweep(
    scenario: Scenario,
    vary: list[tuple[str, list[str]]],
    reps: int,
    out: str,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    policy: Optional[str] = None,
    metric: str = "leakers",
    shard: Optional[tuple[int, int]] = None,
) -> tuple[int, bytes]: ...
def vary_values(path: str, spec: str) -> list[str]: ...
def wta_solve(
    values: list[float],
    pk: list[list[float]],
    counts: list[int],
    solver: str = "exact",
    costs: Optional[list[float]] = None,
    cost_weight: float = 0.0,
    may_hold: bool = False,
    caps: Optional[list[Optional[int]]] = None,
    time_limit: Optional[float] = None,
    work_limit: Optional[int] = None,
    threads: int = 1,
) -> tuple[list[list[int]], float, Optional[float], str, Optional[float], int]: ...
