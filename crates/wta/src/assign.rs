//! Single-shot problems: when every target takes at most one weapon and
//! weapons may hold fire, the objective is linear in the assignment (a
//! target's survival is `v (1 - p)` or `v`), so the problem is a maximum-
//! weight b-matching: weapon type `i` (at most `count` copies) to target
//! `j` (at most one) gains `v_j p_ij - lambda c_i`. It is solved exactly by
//! successive shortest paths on the min-cost-flow network source -> types
//! -> targets -> sink (Bellman-Ford, since gains are negative costs),
//! stopping when no path improves the objective. The engine's fire
//! decisions are such problems.

use crate::problem::{Firing, Problem};

/// Whether `problem` is a single-shot problem (see the module).
pub(crate) fn is_single_shot(problem: &Problem) -> bool {
    problem.firing() == Firing::MayHold
        && (0..problem.targets()).all(|j| problem.target(j).max_weapons.is_some_and(|c| c <= 1))
}

#[derive(Debug, Clone, Copy)]
struct Arc {
    to: usize,
    cap: u32,
    cost: f64,
}

/// The optimal assignment of a single-shot problem, as counts, and the
/// work spent (arc relaxations).
pub(crate) fn solve_single_shot(problem: &Problem) -> (Vec<u32>, u64) {
    let (m, n) = (problem.weapon_types(), problem.targets());
    if m == 1 || n == 1 {
        return one_side(problem);
    }
    let lambda = problem.cost_weight();
    // Nodes: source 0, types 1..=m, targets m+1..=m+n, sink m+n+1.
    let (source, sink) = (0, m + n + 1);
    let mut arcs: Vec<Arc> = Vec::new();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); m + n + 2];
    let mut add = |arcs: &mut Vec<Arc>, from: usize, to: usize, cap: u32, cost: f64| {
        out[from].push(arcs.len());
        arcs.push(Arc { to, cap, cost });
        out[to].push(arcs.len());
        arcs.push(Arc {
            to: from,
            cap: 0,
            cost: -cost,
        });
    };
    let mut pair_arc = vec![usize::MAX; m * n];
    let mut largest_gain = 0.0f64;
    for i in 0..m {
        let count = problem.weapon(i).count;
        if count == 0 {
            continue;
        }
        add(&mut arcs, source, 1 + i, count, 0.0);
        for j in 0..n {
            let gain = problem.target(j).value * problem.pk(i, j) - lambda * problem.weapon(i).cost;
            // A pair that gains nothing is never needed in an optimum.
            if gain > 0.0 && problem.target(j).max_weapons != Some(0) {
                largest_gain = largest_gain.max(gain);
                pair_arc[i * n + j] = arcs.len();
                add(&mut arcs, 1 + i, 1 + m + j, 1, -gain);
            }
        }
    }
    for j in 0..n {
        if problem.target(j).max_weapons != Some(0) {
            add(&mut arcs, 1 + m + j, sink, 1, 0.0);
        }
    }
    let mut work = 0u64;
    let nodes = m + n + 2;
    let mut dist = vec![f64::INFINITY; nodes];
    let mut via = vec![usize::MAX; nodes];
    // Improvements below rounding of the gains' size are not improvements:
    // a zero-cost cycle must not look negative.
    let eps = 1e-12 * (1.0 + largest_gain);
    let mut path: Vec<usize> = Vec::with_capacity(nodes);
    // Each augmentation places one copy on one target.
    for _ in 0..n {
        // Bellman-Ford from the source over arcs with capacity left.
        dist.iter_mut().for_each(|d| *d = f64::INFINITY);
        via.iter_mut().for_each(|v| *v = usize::MAX);
        dist[source] = 0.0;
        for _ in 0..nodes {
            let mut changed = false;
            for u in 0..nodes {
                if dist[u] == f64::INFINITY {
                    continue;
                }
                for &a in &out[u] {
                    work += 1;
                    let arc = arcs[a];
                    if arc.cap > 0 && dist[u] + arc.cost < dist[arc.to] - eps {
                        dist[arc.to] = dist[u] + arc.cost;
                        via[arc.to] = a;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Stop when no path to the sink lowers the objective.
        if dist[sink] >= -eps || via[sink] == usize::MAX {
            break;
        }
        // The path back to the source; a walk that does not get there (a
        // cycle of rounding) ends the search with the flow found so far.
        path.clear();
        let mut v = sink;
        while v != source && path.len() <= nodes {
            let a = via[v];
            if a == usize::MAX || arcs[a].cap == 0 {
                break;
            }
            path.push(a);
            v = arcs[a ^ 1].to;
        }
        if v != source {
            break;
        }
        for &a in &path {
            arcs[a].cap -= 1;
            arcs[a ^ 1].cap += 1;
        }
    }
    let mut counts = vec![0u32; m * n];
    for (k, &a) in pair_arc.iter().enumerate() {
        if a != usize::MAX {
            counts[k] = arcs[a ^ 1].cap;
        }
    }
    (counts, work)
}

/// The gain of one copy of type `i` on target `j`, when it may take one.
fn gain(problem: &Problem, i: usize, j: usize) -> f64 {
    if problem.target(j).max_weapons == Some(0) {
        return 0.0;
    }
    single_shot_gain(
        problem.target(j).value,
        problem.pk(i, j),
        problem.cost_weight(),
        problem.weapon(i).cost,
    )
}

/// What one copy (kill probability `pk`, cost `cost`) gains at a target of
/// `value` that takes one weapon at most, under the cost weight `lambda`:
/// `value pk - lambda cost`. With one weapon type and one such target,
/// [`crate::Exact`] fires exactly when it is positive (and weapons may
/// hold), so a caller with such a problem can skip building it.
pub fn single_shot_gain(value: f64, pk: f64, lambda: f64, cost: f64) -> f64 {
    value * pk - lambda * cost
}

/// One weapon type (its copies go to the targets of the largest gains) or
/// one target (it takes the type of the largest gain): exact without a
/// network. Ties go to the lower index, as the network's paths would not
/// promise; either answer is optimal.
fn one_side(problem: &Problem) -> (Vec<u32>, u64) {
    let (m, n) = (problem.weapon_types(), problem.targets());
    let mut counts = vec![0u32; m * n];
    if n == 1 {
        let best = (0..m)
            .filter(|&i| problem.weapon(i).count > 0)
            .map(|i| (i, gain(problem, i, 0)))
            .filter(|&(_, g)| g > 0.0)
            .fold(None, |b: Option<(usize, f64)>, (i, g)| match b {
                Some((_, bg)) if bg >= g => b,
                _ => Some((i, g)),
            });
        if let Some((i, _)) = best {
            counts[i] = 1;
        }
        return (counts, m as u64);
    }
    let mut order: Vec<(usize, f64)> = (0..n)
        .map(|j| (j, gain(problem, 0, j)))
        .filter(|&(_, g)| g > 0.0)
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for &(j, _) in order.iter().take(problem.weapon(0).count as usize) {
        counts[j] = 1;
    }
    (counts, n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Large values and twin weapon types (ties everywhere): the search
    /// ends, and the answer is a full assignment of equal gain.
    #[test]
    fn ties_at_large_values_end() {
        let mut p = Problem::new();
        for _ in 0..3 {
            p.add_weapon_type(2, 1.0);
        }
        for _ in 0..5 {
            p.add_target_capped(7_654_321.123, Some(1));
        }
        p.set_firing(Firing::MayHold);
        p.set_cost_weight(0.5);
        for i in 0..3 {
            for j in 0..5 {
                p.set_pk(i, j, 0.37).expect("in range");
            }
        }
        let (x, _) = solve_single_shot(&p);
        assert_eq!(x.iter().sum::<u32>(), 5, "every target takes one copy");
        assert!(p.is_feasible(&x));
    }

    /// Two types, three targets, every target capped at one: the optimum by
    /// hand is type 0 on target 1 and type 1 (two copies) on targets 0 and 2.
    #[test]
    fn a_small_assignment_by_hand() {
        let mut p = Problem::new();
        p.add_weapon_type(1, 0.0);
        p.add_weapon_type(2, 0.0);
        for v in [10.0, 20.0, 5.0] {
            p.add_target_capped(v, Some(1));
        }
        p.set_firing(Firing::MayHold);
        for (i, row) in [[0.9, 0.8, 0.5], [0.5, 0.5, 0.5]].iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                p.set_pk(i, j, x).expect("in range");
            }
        }
        assert!(is_single_shot(&p));
        // Gains: type 0: 9, 16, 2.5; type 1: 5, 10, 2.5. Best: 16 + 5 + 2.5.
        let (x, _) = solve_single_shot(&p);
        assert_eq!(x, vec![0, 1, 0, 1, 0, 1]);
    }
}
