//! Maximum marginal return (den Broeder, Ellison and Emerling, 1959).

use crate::problem::Problem;
use crate::solve::{Control, Solution, Solver};
use crate::state::State;

/// Greedy maximum marginal return: repeatedly fire the copy, of any type with
/// copies left, that lowers the objective most. Optimal when all weapons are
/// identical (`p_ij = p_j`); a fast baseline otherwise. With
/// [`crate::Firing::MayHold`], stops when no shot lowers the objective.
#[derive(Debug, Clone, Copy, Default)]
pub struct Greedy;

impl Solver for Greedy {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution {
        let mut s = State::empty(problem);
        greedy_fill(&mut s, control);
        Solution::new(problem, self.name(), s.x, None, control.work())
    }
}

/// The best target for one more copy of `i`, with its delta.
fn best_target(s: &State<'_>, i: usize) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for j in 0..s.n {
        if !s.has_room(j) {
            continue;
        }
        let d = s.add_delta(i, j);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((j, d));
        }
    }
    best
}

/// Assigns the remaining copies of `s` greedily. Work: one unit per delta evaluated.
pub(crate) fn greedy_fill(s: &mut State<'_>, control: &mut Control<'_>) {
    let mut best: Vec<Option<(usize, f64)>> = (0..s.m).map(|i| best_target(s, i)).collect();
    control.spend((s.m * s.n) as u64);
    loop {
        // The type whose best shot helps most (ties: lowest index).
        let mut pick: Option<(usize, usize, f64)> = None;
        for i in 0..s.m {
            if s.left[i] == 0 {
                continue;
            }
            if let Some((j, d)) = best[i]
                && pick.is_none_or(|(_, _, bd)| d < bd)
            {
                pick = Some((i, j, d));
            }
        }
        let Some((i, j, d)) = pick else { break };
        if !s.must_fire_all() && d >= 0.0 {
            break;
        }
        s.add(i, j);
        // Only target j changed: its deltas rose for every type, so only the
        // types whose best was j (or all, if j is now full) need a new look.
        for k in 0..s.m {
            if best[k].is_some_and(|(bj, _)| bj == j) {
                best[k] = best_target(s, k);
                control.spend(s.n as u64);
            }
        }
    }
}
