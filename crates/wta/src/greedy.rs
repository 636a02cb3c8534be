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

/// The change of the objective when one copy (kill probability `pk`, cost
/// `cost`) is fired at a target of `value` that holds nothing yet, under the
/// cost weight `lambda`: what [`Greedy`] computes for its first shot, to the
/// bit. With one weapon type and one target, it fires exactly when this is
/// negative (and weapons may hold), so a caller with such a problem can skip
/// building it.
pub fn first_shot_delta(value: f64, pk: f64, lambda: f64, cost: f64) -> f64 {
    value * ((1.0 - pk).max(crate::state::Q_MIN) - 1.0) + lambda * cost
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
///
/// Lazy evaluation: a target's survival only falls as copies arrive, so the
/// delta a type last saw for its best target can only rise. A heap keeps each
/// type's last-seen best delta; the top entry is re-checked (its target may
/// have changed since) and re-pushed when it is stale.
pub(crate) fn greedy_fill(s: &mut State<'_>, control: &mut Control<'_>) {
    use std::collections::BinaryHeap;

    /// A heap entry: (delta, type, target, version of the target when computed).
    #[derive(PartialEq)]
    struct Entry(f64, usize, usize, u64);
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            // Smallest delta first; ties: lowest type, then lowest target.
            other
                .0
                .total_cmp(&self.0)
                .then(other.1.cmp(&self.1))
                .then(other.2.cmp(&self.2))
        }
    }
    let mut version = vec![0u64; s.n];
    let mut heap = BinaryHeap::with_capacity(s.m);
    for i in 0..s.m {
        if s.left[i] > 0
            && let Some((j, d)) = best_target(s, i)
        {
            heap.push(Entry(d, i, j, version[j]));
        }
    }
    control.spend((s.m * s.n) as u64);
    while let Some(Entry(d, i, j, v)) = heap.pop() {
        if s.left[i] == 0 {
            continue;
        }
        if v != version[j] || !s.has_room(j) {
            // Stale: target j changed since. Look again.
            if let Some((j2, d2)) = best_target(s, i) {
                heap.push(Entry(d2, i, j2, version[j2]));
            }
            control.spend(s.n as u64);
            continue;
        }
        if !s.must_fire_all() && d >= 0.0 {
            break;
        }
        s.add(i, j);
        version[j] += 1;
        // Every other type's entry pointing at j is now stale; type i looks again.
        if s.left[i] > 0
            && let Some((j2, d2)) = best_target(s, i)
        {
            heap.push(Entry(d2, i, j2, version[j2]));
        }
        control.spend(s.n as u64);
    }
}
