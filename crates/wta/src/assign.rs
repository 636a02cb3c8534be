//! Single-shot problems: when every target takes at most one weapon and
//! weapons may hold fire, the objective is linear in the assignment (a
//! target's survival is `v (1 - p)` or `v`), so the problem is a maximum-
//! weight b-matching: weapon type `i` (at most `count` copies) to target
//! `j` (at most one) gains `v_j p_ij - lambda c_i`. It is solved exactly as
//! a rectangular linear assignment of copies to targets, each copy free to
//! hold (see [`solve_single_shot`]). The engine's fire decisions are such
//! problems.

use crate::problem::{Firing, Problem};

/// Whether `problem` is a single-shot problem (see the module).
pub(crate) fn is_single_shot(problem: &Problem) -> bool {
    problem.firing() == Firing::MayHold
        && (0..problem.targets()).all(|j| problem.target(j).max_weapons.is_some_and(|c| c <= 1))
}

const NONE: usize = usize::MAX;

/// The optimal assignment of a single-shot problem, as counts, and the
/// work spent (columns scanned).
///
/// Rows are the copies (of each type, at most as many as the targets it
/// gains on), columns the targets and one "hold" column per copy (cost
/// zero, for that copy alone): a rectangular assignment of least cost,
/// `-gain` on a target. It is solved exactly by shortest augmenting paths
/// with dual prices (Jonker and Volgenant 1987; the rectangular form of
/// Crouse 2016): each copy in turn finds, by Dijkstra over the columns with
/// costs reduced by the prices, the cheapest way to take a column, moving
/// the copies along the path; the search stops at the first free column,
/// which is usually near. Every copy can always hold, so a path exists.
pub(crate) fn solve_single_shot(problem: &Problem) -> (Vec<u32>, u64) {
    let (m, n) = (problem.weapon_types(), problem.targets());
    if m == 1 || n == 1 {
        return one_side(problem);
    }
    // -gain per (type, target); infinite where a copy gains nothing (never
    // needed in an optimum) or the target takes none.
    let cost: Vec<f64> = (0..m * n)
        .map(|k| {
            let g = gain(problem, k / n, k % n);
            if g > 0.0 { -g } else { f64::INFINITY }
        })
        .collect();
    let mut row_type = Vec::new();
    for i in 0..m {
        let useful = cost[i * n..(i + 1) * n]
            .iter()
            .filter(|c| c.is_finite())
            .count();
        row_type.extend(std::iter::repeat_n(
            i,
            (problem.weapon(i).count as usize).min(useful),
        ));
    }
    let rows = row_type.len();
    let cols = n + rows;
    let mut work = 0u64;
    let (mut u, mut v) = (vec![0.0f64; rows], vec![0.0f64; cols]);
    let (mut col4row, mut row4col) = (vec![NONE; rows], vec![NONE; cols]);
    let mut shortest = vec![f64::INFINITY; cols];
    let mut path = vec![NONE; cols];
    let mut reached: Vec<usize> = Vec::new();
    let mut remaining: Vec<usize> = Vec::with_capacity(cols);
    let mut visited_rows: Vec<usize> = Vec::new();
    let mut holds: Vec<usize> = Vec::new();
    // A start: each copy takes its cheapest column if still free (its
    // price then makes every reduced cost of its row non-negative, as the
    // search below needs of every assigned copy).
    for r in 0..rows {
        let row = &cost[row_type[r] * n..(row_type[r] + 1) * n];
        let (mut best, mut at) = (0.0, n + r);
        for (j, &c) in row.iter().enumerate() {
            if c < best {
                (best, at) = (c, j);
            }
        }
        work += n as u64;
        if row4col[at] == NONE {
            row4col[at] = r;
            col4row[r] = at;
            u[r] = best;
        }
    }
    for cur in 0..rows {
        if col4row[cur] != NONE {
            continue;
        }
        shortest.fill(f64::INFINITY);
        path.fill(NONE);
        reached.clear();
        // The targets not reached yet, and apart the hold columns of the
        // copies visited (each reached by its own copy only, so that its
        // distance is set once, when the copy is visited).
        remaining.clear();
        remaining.extend((0..n).rev());
        holds.clear();
        visited_rows.clear();
        let (mut i, mut min_val) = (cur, 0.0f64);
        let sink = loop {
            visited_rows.push(i);
            // Copy `i` is visited once per search, and only it reaches
            // its hold column: its distance is set now, once.
            let hold = n + i;
            debug_assert!(!reached.contains(&hold) && shortest[hold] == f64::INFINITY);
            path[hold] = i;
            shortest[hold] = min_val + 0.0 - u[i] - v[hold];
            holds.push(hold);
            work += (remaining.len() + holds.len()) as u64;
            let row = &cost[row_type[i] * n..(row_type[i] + 1) * n];
            let (mut lowest, mut index) = (f64::INFINITY, NONE);
            for (k, &j) in remaining.iter().enumerate() {
                let r = min_val + row[j] - u[i] - v[j];
                if r < shortest[j] {
                    path[j] = i;
                    shortest[j] = r;
                }
                // Among equal distances, a free column ends the search.
                if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == NONE) {
                    lowest = shortest[j];
                    index = k;
                }
            }
            let mut from_holds = false;
            for (k, &j) in holds.iter().enumerate() {
                if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == NONE) {
                    lowest = shortest[j];
                    index = k;
                    from_holds = true;
                }
            }
            if index == NONE || !lowest.is_finite() {
                // Cannot happen: free columns keep a price of zero, so the
                // copy's own hold column is always in reach. Were it to,
                // the copy would hold (a feasible answer).
                debug_assert!(false, "no column in reach of copy {cur}");
                break NONE;
            }
            min_val = lowest;
            let j = if from_holds {
                holds.swap_remove(index)
            } else {
                remaining.swap_remove(index)
            };
            reached.push(j);
            if row4col[j] == NONE {
                break j;
            }
            i = row4col[j];
        };
        if sink == NONE {
            continue;
        }
        // New prices: the columns reached get cheaper by what the path
        // saved, the rows on it dearer, keeping reduced costs non-negative.
        u[cur] += min_val;
        for &r in &visited_rows {
            if r != cur {
                u[r] += min_val - shortest[col4row[r]];
            }
        }
        for &j in &reached {
            v[j] -= min_val - shortest[j];
        }
        // Move the copies along the path.
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            std::mem::swap(&mut col4row[r], &mut j);
            if r == cur {
                break;
            }
        }
    }
    let mut counts = vec![0u32; m * n];
    for (r, &c) in col4row.iter().enumerate() {
        if c < n {
            counts[row_type[r] * n + c] += 1;
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
/// search. Ties go to the lower index, as the search's paths would not
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

    /// Larger problems than brute force can check (up to 12 types of 1-3
    /// copies, 40 targets, costs): the total gain equals that of the
    /// auction (an independent algorithm, within `cols * eps`) on the same
    /// assignment of copies to targets or holding.
    #[test]
    fn matches_the_auction_on_larger_problems() {
        use crate::auction::{Auction, Costs};
        use crate::solve::Control;
        let mut rand = crate::test_uniforms(23);
        for case in 0..40 {
            let (m, n) = (2 + case % 11, 5 + (case * 7) % 36);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 3.0) as u32, rand());
            }
            for _ in 0..n {
                p.add_target_capped(1.0 + 99.0 * rand(), Some(1));
            }
            for i in 0..m {
                for j in 0..n {
                    p.set_pk(i, j, rand()).expect("in range");
                }
            }
            p.set_firing(Firing::MayHold).set_cost_weight(0.3);
            let (x, _) = solve_single_shot(&p);
            assert!(p.is_feasible(&x), "case {case}");
            let total = |x: &[u32]| -> f64 {
                (0..m * n)
                    .map(|k| f64::from(x[k]) * gain(&p, k / n, k % n))
                    .sum()
            };
            let rows: Vec<usize> = (0..m)
                .flat_map(|i| std::iter::repeat_n(i, p.weapon(i).count as usize))
                .collect();
            let mut costs = Costs::default();
            costs.reset(n + rows.len());
            for (r, &i) in rows.iter().enumerate() {
                for j in 0..n {
                    costs.push(j, -gain(&p, i, j));
                }
                costs.push(n + r, 0.0);
                costs.end_row();
            }
            let eps = 1e-9;
            let mut out = Vec::new();
            let mut control = Control::new(u64::MAX, None);
            assert!(Auction::default().solve(&costs, eps, &mut out, &mut control));
            let auction: f64 = out
                .iter()
                .zip(&rows)
                .filter(|&(&c, _)| c < n)
                .map(|(&c, &i)| gain(&p, i, c))
                .sum();
            let slack = (n + rows.len()) as f64 * eps + 1e-9;
            assert!(
                total(&x) >= auction - slack,
                "case {case}: {} < {auction}",
                total(&x)
            );
        }
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
