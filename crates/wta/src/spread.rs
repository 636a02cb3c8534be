//! A start for the local search that spreads the copies over the targets.
//!
//! Greedy (maximum marginal return) piles copies onto the best targets one
//! at a time and cannot undo it; when there are about as many copies as
//! targets, the optimum is close to one copy per target, which is a linear
//! assignment. Here every copy gets a slot on a target by one assignment
//! (`auction`): slot 1 of target `j` is worth `V_j p_ij` to a copy of `i`
//! (what it takes off the target's value alone); when there are more copies
//! than targets, slot `k` is worth that times `q_j^(k-1)`, with `q_j` the
//! best survival any type leaves on `j` (as if the copies before it were of
//! the best type there). The local search then mends what the linear
//! model gets wrong. Only where every copy must fire: the assignment has no
//! way to hold one back.

use crate::auction::{Auction, Costs, mark_promising};
use crate::problem::Problem;
use crate::solve::Control;
use crate::state::State;

/// Slots per target at most: beyond three copies per target on average the
/// linear model is too far from the objective to be a good start.
const MOST_SLOTS: usize = 3;

/// The assignment stops within this share of the average slot value per
/// copy of its optimum (`Auction`'s `eps`).
const EPS_SHARE: f64 = 1e-4;

/// Slots each type may take by its own choice (its most valuable), and
/// types each slot may take by its choice: the pairs worth bidding on.
const CANDIDATES: usize = 32;

/// The share of what is left of the budget the assignment may spend: a
/// start is not worth a search.
const BUDGET_SHARE: f64 = 0.25;

/// The spread start, or `None` where it does not apply (weapons may hold
/// fire; fewer copies than half the targets, where greedy spreads them
/// anyway; more than three copies a target; caps that leave too little
/// room for them) or its share of the budget ends first.
pub(crate) fn spread_start<'p>(p: &'p Problem, control: &mut Control<'_>) -> Option<State<'p>> {
    let mut s = State::empty(p);
    if !s.must_fire_all() || s.n == 0 {
        return None;
    }
    let rows: Vec<usize> = (0..s.m)
        .flat_map(|i| std::iter::repeat_n(i, p.weapon(i).count as usize))
        .collect();
    let slots = rows.len().div_ceil(s.n);
    if 2 * rows.len() < s.n || slots > MOST_SLOTS {
        return None;
    }
    let best_q: Vec<f64> = (0..s.n)
        .map(|j| (0..s.m).map(|i| s.q(i, j)).fold(1.0f64, f64::min))
        .collect();
    let cols = s.n * slots;
    // Column `k * n + j`: slot `k` of target `j`, where its cap allows.
    let open: Vec<usize> = (0..cols)
        .filter(|&c| {
            p.target(c % s.n)
                .max_weapons
                .is_none_or(|cap| cap as usize > c / s.n)
        })
        .collect();
    // Enough room for every copy within `slots` a target (caps below the
    // slots leave less; a problem feasible only with more copies on some
    // target gets no start).
    if open.len() < rows.len() {
        return None;
    }
    // Per type and open column, the slot's worth; copies of a type are
    // alike, so the promising pairs are chosen per type: its best
    // `CANDIDATES` slots, and the best `CANDIDATES` types of each slot.
    let mut cost = vec![f64::INFINITY; s.m * cols];
    for i in 0..s.m {
        for &c in &open {
            let (k, j) = (c / s.n, c % s.n);
            cost[i * cols + c] = s.add_delta(i, j) * best_q[j].powi(k as i32);
        }
    }
    control.spend((s.m * open.len()) as u64);
    let mut keep = vec![false; s.m * cols];
    mark_promising(&cost, (s.m, cols), CANDIDATES, &mut keep, &mut Vec::new());
    // Copy `r` may also take the `r`-th open slot: a complete assignment
    // always exists.
    let mut costs = Costs::default();
    costs.reset(cols);
    for (r, &i) in rows.iter().enumerate() {
        for c in 0..cols {
            if keep[i * cols + c] || c == open[r] {
                costs.push(c, cost[i * cols + c]);
            }
        }
        costs.end_row();
    }
    let eps = costs.eps(EPS_SHARE);
    let mut out = Vec::new();
    let mut phase = control.portion(BUDGET_SHARE);
    let solved = Auction::default().solve(&costs, eps, &mut out, &mut phase);
    control.absorb(phase);
    if !solved {
        return None;
    }
    for (r, &c) in out.iter().enumerate() {
        s.add(rows[r], c % s.n);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Firing;

    /// As many copies as targets, each type far better on "its" target:
    /// one copy per target, each on its own.
    #[test]
    fn one_copy_per_target_when_that_is_best() {
        let mut p = Problem::new();
        let (a, b) = (p.add_weapon_type(2, 0.0), p.add_weapon_type(2, 0.0));
        let t: Vec<usize> = (0..4).map(|_| p.add_target(10.0)).collect();
        for (j, &tj) in t.iter().enumerate() {
            p.set_pk(a, tj, if j < 2 { 0.9 } else { 0.1 })
                .expect("a probability");
            p.set_pk(b, tj, if j < 2 { 0.1 } else { 0.9 })
                .expect("a probability");
        }
        let mut control = Control::new(u64::MAX, None);
        let s = spread_start(&p, &mut control).expect("a start");
        assert_eq!(s.x, vec![1, 1, 0, 0, 0, 0, 1, 1]);
    }

    /// Caps that leave less room than there are copies (one target closed,
    /// the other taking one): no start, found before any bidding.
    #[test]
    fn no_start_when_the_caps_leave_too_little_room() {
        let mut p = Problem::new();
        let a = p.add_weapon_type(2, 0.0);
        let t0 = p.add_target_capped(10.0, Some(0));
        let t1 = p.add_target_capped(10.0, Some(1));
        p.set_pk(a, t0, 0.5).expect("a probability");
        p.set_pk(a, t1, 0.5).expect("a probability");
        let mut control = Control::new(u64::MAX, None);
        assert!(spread_start(&p, &mut control).is_none());
        assert_eq!(control.work(), 0);
    }

    /// Random problems with caps and more copies than targets: a start
    /// exactly when it applies, every copy placed, caps kept, the objective
    /// tracked exactly; none with hold-fire.
    #[test]
    fn every_copy_placed_and_caps_kept() {
        let mut rand = crate::test_uniforms(5);
        for case in 0..100 {
            let (m, n) = (1 + case % 4, 2 + case % 5);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 3.0) as u32, 0.0);
            }
            for _ in 0..n {
                p.add_target_capped(1.0 + 9.0 * rand(), (rand() < 0.3).then_some(3));
            }
            for i in 0..m {
                for j in 0..n {
                    p.set_pk(i, j, rand()).expect("a probability");
                }
            }
            let mut control = Control::new(u64::MAX, None);
            let Some(s) = spread_start(&p, &mut control) else {
                let copies = (0..m).map(|i| p.weapon(i).count as usize).sum::<usize>();
                assert!(
                    2 * copies < n || copies > MOST_SLOTS * n,
                    "case {case}: no start"
                );
                continue;
            };
            for i in 0..m {
                let placed: u32 = (0..n).map(|j| s.x[i * n + j]).sum();
                assert_eq!(placed, p.weapon(i).count, "case {case}");
            }
            for j in 0..n {
                let load: u32 = (0..m).map(|i| s.x[i * n + j]).sum();
                assert!(
                    p.target(j).max_weapons.is_none_or(|c| load <= c),
                    "case {case}"
                );
            }
            let exact = p.objective_of_counts(&s.x);
            let tracked = s.tracked_objective();
            assert!(
                (exact - tracked).abs() <= 1e-9 * exact.max(1.0),
                "case {case}"
            );
            p.set_firing(Firing::MayHold);
            assert!(
                spread_start(&p, &mut control).is_none(),
                "case {case}: hold-fire"
            );
        }
    }
}
