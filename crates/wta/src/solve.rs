//! The solver interface: a request, a budget, and an answer with its status.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::problem::{Problem, ProblemError, TargetId, WeaponId};

/// How much an answer is worth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Proven optimal: the lower bound meets the objective (gap <= 1e-9 relative).
    Optimal,
    /// A valid lower bound is known; `gap` = (objective - bound) / objective.
    Feasible { gap: f64 },
    /// No bound: a heuristic answer.
    Heuristic,
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible { .. } => "feasible",
            Status::Heuristic => "heuristic",
        }
    }

    /// The status that an objective and an optional lower bound deserve.
    pub fn from_bound(objective: f64, lower_bound: Option<f64>) -> Status {
        match lower_bound {
            None => Status::Heuristic,
            Some(lb) => {
                let gap = relative_gap(objective, lb);
                if gap <= OPTIMALITY_TOLERANCE {
                    Status::Optimal
                } else {
                    Status::Feasible { gap }
                }
            }
        }
    }
}

/// Relative gap below which an answer counts as proven optimal.
pub const OPTIMALITY_TOLERANCE: f64 = 1e-9;

/// `(objective - bound) / max(|objective|, tiny)`, never negative.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    let denom = objective.abs().max(1e-12);
    ((objective - bound) / denom).max(0.0)
}

/// An answer: the counts, the objective, a lower bound when known, the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    pub solver: &'static str,
    pub status: Status,
    pub objective: f64,
    pub lower_bound: Option<f64>,
    /// Weapon copies per (type, target): `counts[i * n + j]`.
    pub counts: Vec<u32>,
    /// Units of work spent (deterministic: moves evaluated, nodes explored).
    pub work: u64,
    targets: usize,
}

impl Solution {
    pub(crate) fn new(
        problem: &Problem,
        solver: &'static str,
        counts: Vec<u32>,
        lower_bound: Option<f64>,
        work: u64,
    ) -> Self {
        let objective = problem.objective_of_counts(&counts);
        // A bound can never exceed the objective of a feasible answer; floating
        // error can make it do so by a hair.
        let lower_bound = lower_bound.filter(|lb| lb.is_finite());
        // A bound above a feasible objective is a bug, not rounding.
        debug_assert!(
            lower_bound.is_none_or(|lb| lb <= objective + 1e-9 * objective.abs().max(1e-9)),
            "{solver}: lower bound {lower_bound:?} above objective {objective}"
        );
        let lower_bound = lower_bound.map(|lb| lb.min(objective));
        Solution {
            solver,
            status: Status::from_bound(objective, lower_bound),
            objective,
            lower_bound,
            counts,
            work,
            targets: problem.targets(),
        }
    }

    /// Copies of weapon type `i` on target `j`.
    pub fn count(&self, i: WeaponId, j: TargetId) -> u32 {
        self.counts[i * self.targets + j]
    }

    /// One `(weapon_type, target)` pair per assigned weapon copy, in order.
    pub fn pairs(&self) -> Vec<(WeaponId, TargetId)> {
        let n = self.targets.max(1);
        let mut out = Vec::new();
        for (k, &c) in self.counts.iter().enumerate() {
            for _ in 0..c {
                out.push((k / n, k % n));
            }
        }
        out
    }
}

/// A source of "stop now" that is not ours to read: the caller's clock.
/// `rampart-wta` never reads the clock; a caller that wants a wall-clock
/// limit implements this (the `rampart` CLI does, with `Instant`).
pub trait Deadline: Send + Sync {
    fn expired(&self) -> bool;
    /// A deadline that expires once `fraction` (0 to 1) of the time left now
    /// is used: how a solver shares its time between phases.
    fn portion(&self, fraction: f64) -> Box<dyn Deadline>;
}

/// The caller's deadline, if any, or a flag set by another thread.
struct Until {
    outer: Option<Box<dyn Deadline>>,
    stop: Arc<AtomicBool>,
}

impl Deadline for Until {
    fn expired(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.outer.as_ref().is_some_and(|d| d.expired())
    }

    fn portion(&self, fraction: f64) -> Box<dyn Deadline> {
        Box::new(Until {
            outer: self.outer.as_ref().map(|d| d.portion(fraction)),
            stop: Arc::clone(&self.stop),
        })
    }
}

/// The budget of one solve: a deterministic work limit, and optionally the
/// caller's deadline. With a work limit only, results are reproducible
/// bit for bit.
pub struct Control<'d> {
    work: u64,
    work_limit: u64,
    deadline: Option<DeadlineRef<'d>>,
    stopped: bool,
}

enum DeadlineRef<'d> {
    Borrowed(&'d dyn Deadline),
    Owned(Box<dyn Deadline>),
}

impl DeadlineRef<'_> {
    fn get(&self) -> &dyn Deadline {
        match self {
            DeadlineRef::Borrowed(d) => *d,
            DeadlineRef::Owned(d) => d.as_ref(),
        }
    }
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("work", &self.work)
            .field("work_limit", &self.work_limit)
            .field("has_deadline", &self.deadline.is_some())
            .finish()
    }
}

impl<'d> Control<'d> {
    pub fn new(work_limit: u64, deadline: Option<&'d dyn Deadline>) -> Self {
        Control {
            work: 0,
            work_limit,
            deadline: deadline.map(DeadlineRef::Borrowed),
            stopped: false,
        }
    }

    /// Spends `units` of work; returns false once the budget is gone.
    pub fn spend(&mut self, units: u64) -> bool {
        if self.stopped {
            return false;
        }
        let before = self.work;
        self.work = self.work.saturating_add(units);
        if self.work >= self.work_limit {
            self.stopped = true;
        } else if let Some(d) = &self.deadline {
            // Asking the deadline is cheap but not free: ask every 4096 units.
            if before / 4096 != self.work / 4096 && d.get().expired() {
                self.stopped = true;
            }
        }
        !self.stopped
    }

    pub fn stopped(&self) -> bool {
        self.stopped
    }

    pub fn work(&self) -> u64 {
        self.work
    }

    /// A budget for one phase: `fraction` of the work and of the time left.
    /// Give its work back with [`Control::absorb`].
    /// A fraction outside 0 to 1 counts as its nearest end, NaN as 0.
    pub fn portion(&self, fraction: f64) -> Control<'static> {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        let left = self.work_limit.saturating_sub(self.work);
        let work_limit = ((left as f64) * fraction) as u64;
        Control {
            work: 0,
            work_limit,
            deadline: self
                .deadline
                .as_ref()
                .map(|d| DeadlineRef::Owned(d.get().portion(fraction))),
            stopped: self.stopped || work_limit == 0,
        }
    }

    /// This budget with at most `units` of work: a phase that must end at
    /// the same point however fast the machine (while its time lasts).
    pub fn at_most(mut self, units: u64) -> Self {
        self.work_limit = self.work_limit.min(self.work.saturating_add(units));
        if self.work >= self.work_limit {
            self.stopped = true;
        }
        self
    }

    /// A budget for a search run beside this one (on another thread): the
    /// work left, the same deadline, and an end when `stop` is set.
    pub(crate) fn fork(&self, stop: &Arc<AtomicBool>) -> Control<'static> {
        Control {
            work: 0,
            work_limit: self.work_limit.saturating_sub(self.work),
            deadline: Some(DeadlineRef::Owned(Box::new(Until {
                outer: self.deadline.as_ref().map(|d| d.get().portion(1.0)),
                stop: Arc::clone(stop),
            }))),
            stopped: self.stopped,
        }
    }

    /// Counts the work of a finished phase.
    pub fn absorb(&mut self, phase: Control<'_>) {
        self.spend(phase.work);
    }
}

/// A WTA solver. Every solver gives a feasible answer (the conformance suite
/// checks it), deterministic for a given problem and work limit.
pub trait Solver {
    fn name(&self) -> &'static str;
    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution;
}

impl<S: Solver + ?Sized> Solver for &S {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution {
        (**self).solve(problem, control)
    }
}

/// A problem paired with a solver, ready to run.
pub struct SolveRequest<'p, S> {
    problem: &'p Problem,
    solver: S,
    /// The caller's work limit, if given (see [`SolveRequest::budget`]).
    work_limit: Option<u64>,
    deadline: Option<&'p dyn Deadline>,
}

impl<S: std::fmt::Debug> std::fmt::Debug for SolveRequest<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveRequest")
            .field("solver", &self.solver)
            .field("work_limit", &self.work_limit)
            .finish()
    }
}

/// Default work limit of a request with neither a work limit nor a
/// deadline: generous, so that small and medium problems finish.
pub const DEFAULT_WORK_LIMIT: u64 = 2_000_000_000;

impl<'p, S: Solver> SolveRequest<'p, S> {
    pub(crate) fn new(problem: &'p Problem, solver: S) -> Self {
        SolveRequest {
            problem,
            solver,
            work_limit: None,
            deadline: None,
        }
    }

    /// Stops after this many units of work (deterministic).
    pub fn work_limit(mut self, units: u64) -> Self {
        self.work_limit = Some(units);
        self
    }

    /// Stops when the caller's deadline expires (not deterministic). With
    /// a deadline and no work limit, the deadline alone ends the solve: a
    /// caller who asks for ten seconds gets ten seconds on any machine.
    pub fn deadline(mut self, deadline: &'p dyn Deadline) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The work limit that applies: the caller's; with none, unlimited
    /// under a deadline, else [`DEFAULT_WORK_LIMIT`].
    pub fn budget(&self) -> u64 {
        match (self.work_limit, self.deadline) {
            (Some(units), _) => units,
            (None, Some(_)) => u64::MAX,
            (None, None) => DEFAULT_WORK_LIMIT,
        }
    }

    pub fn solve(self) -> Result<Solution, ProblemError> {
        self.problem.validate()?;
        let mut control = Control::new(self.budget(), self.deadline);
        Ok(self.solver.solve(self.problem, &mut control))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_counts_from_the_work_already_spent() {
        let mut control = Control::new(1_000, None);
        control.spend(300);
        let mut capped = Control::new(1_000, None);
        capped.spend(300);
        let mut capped = capped.at_most(100);
        assert!(capped.spend(99));
        assert!(!capped.spend(1), "the cap ends the budget at 400");
        assert_eq!(capped.work(), 400);
        // No cap beyond the budget's own end, and none at all from u64::MAX.
        let mut wide = Control::new(1_000, None);
        wide.spend(300);
        let mut wide = wide.at_most(u64::MAX);
        assert!(wide.spend(699));
        assert!(!wide.spend(1));
        // A cap of nothing is a budget already spent.
        assert!(control.at_most(0).stopped());
    }

    #[test]
    fn portion_of_nothing_is_stopped() {
        let control = Control::new(1_000, None);
        assert!(control.portion(0.0).stopped());
        assert!(control.portion(f64::NAN).stopped());
        assert!(!control.portion(0.5).stopped());
        let mut half = control.portion(0.5);
        assert!(half.spend(499));
        assert!(!half.spend(1));
        let mut all = control.portion(7.0);
        assert!(all.spend(999));
        assert!(!all.spend(1));
    }
}
