//! Several searches at once, one per thread, the best answer kept.

use crate::exact::Exact;
use crate::local::LocalSearch;
use crate::problem::Problem;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::solve::{Control, Solution, Solver, Status};

/// A portfolio on `threads` threads: the first runs [`Exact`] (its bound,
/// its incumbent, the bound's second pass and branch and bound: the
/// proofs), each other an `Exact` whose local search has a seed of its own,
/// twenty times the patience and the whole budget after the first bound
/// pass, and a first pass twenty times as long (its starts too, the
/// Lagrangian relaxation's repaired choices among them, which lead to
/// better optima than greedy: it searches them for longer, from
/// multipliers settled for longer). Each gets the whole work limit and the
/// caller's deadline.
/// The answer is the least objective (the first thread's on a tie) with the
/// best lower bound any thread proved; if the first thread proves its answer
/// optimal, the others stop and its answer is the portfolio's (a proof on
/// another thread ends only that thread). Every search is
/// deterministic under a work limit (and a search cut short by a proof is
/// not used), so the portfolio is too, bit for bit, whatever the order in
/// which the threads finish. With one thread it is `Exact` alone.
#[derive(Debug, Clone, Copy)]
pub struct Portfolio {
    pub exact: Exact,
    pub threads: usize,
}

impl Portfolio {
    /// The default exact solver on `threads` threads.
    pub fn new(threads: usize) -> Self {
        Portfolio {
            exact: Exact::default(),
            threads,
        }
    }

    /// The exact solver run by thread `k` (1, 2, ...).
    fn search(&self, k: usize) -> Exact {
        Exact {
            local: self.local(k),
            // The first thread proves: the others search to the end.
            search_share: 1.0,
            // Its start from multipliers settled for longer (the first
            // thread's is the one that serves within a second).
            first_bound_work: self.exact.first_bound_work.saturating_mul(20),
            ..self.exact
        }
    }

    /// Its local search: a seed of its own, twenty times the patience.
    fn local(&self, k: usize) -> LocalSearch {
        LocalSearch {
            seed: self
                .exact
                .local
                .seed
                .wrapping_add(0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(k as u64)),
            // With the whole budget, and the first thread there for the
            // quick proofs: it may perturb for far longer before it gives
            // up (its start from the repaired Lagrangian choices, searched
            // long, gives the best answers on the mu=3 instances).
            patience: 20 * self.exact.local.patience,
            ..self.exact.local
        }
    }
}

impl Solver for Portfolio {
    fn name(&self) -> &'static str {
        "portfolio"
    }

    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution {
        if self.threads <= 1 {
            return self.exact.solve(problem, control);
        }
        let proved = Arc::new(AtomicBool::new(false));
        let mut answers: Vec<Solution> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..self.threads)
                .map(|k| {
                    let mut own = control.fork(&proved);
                    let search = self.search(k);
                    scope.spawn(move || search.solve(problem, &mut own))
                })
                .collect();
            let mut own = control.fork(&proved);
            let exact = self.exact.solve(problem, &mut own);
            if exact.status == Status::Optimal {
                proved.store(true, Ordering::Relaxed);
            }
            let mut answers = vec![exact];
            // A thread that panicked is a bug: let it surface.
            answers.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            );
            answers
        });
        if answers[0].status == Status::Optimal {
            // The others' work depends on when they saw the proof: only the
            // exact solver's is counted, so that the answer stays the same.
            let work = answers[0].work;
            control.spend(work);
            let exact = answers.swap_remove(0);
            return Solution::new(problem, self.name(), exact.counts, exact.lower_bound, work);
        }
        let work = answers.iter().map(|a| a.work).sum::<u64>();
        control.spend(work);
        let bound = answers
            .iter()
            .filter_map(|a| a.lower_bound)
            .fold(None, |b: Option<f64>, lb| Some(b.map_or(lb, |b| b.max(lb))));
        let best = answers
            .into_iter()
            .reduce(|a, b| if b.objective < a.objective { b } else { a })
            .expect("at least the exact answer");
        Solution::new(problem, self.name(), best.counts, bound, work)
    }
}
