//! The exchange neighbourhood of the local search (`local.rs`).

use crate::auction::{Auction, Costs, mark_promising};
use crate::solve::Control;
use crate::state::State;

/// The assignment stops within this share of the average cost (per row) of
/// its optimum: far below the improvements the move is there to find.
const EPS_SHARE: f64 = 1e-9;

/// Targets each copy taken off may go to by its own choice (its best by
/// the change of the objective), and copies each target may take by its
/// choice: the pairs that mattered in the improving exchanges measured
/// (BENCHMARKS.md); the rest make the bids dearer.
const CANDIDATES: usize = 32;

/// The exchange neighbourhood: every target that holds weapons gives up
/// one copy (which one turns from call to call), and all of them are
/// placed again at once, at most one per target (or held back, where
/// weapons may hold fire). With at most one newcomer per target, the
/// change of the objective is a sum over targets of `S_j (q_ij - 1)`, so
/// the best placement is a linear assignment; it is solved over the
/// promising pairs only (`CANDIDATES`: a heuristic restriction), to within
/// a hair of that problem's optimum, by an auction (`auction`;
/// `EPS_SHARE` of the average cost per row). The move is kept only if the
/// objective, recomputed, gets better, so it never makes things worse; it is a very large
/// neighbourhood (Ahuja, Kumar, Jha and Orlin 2007) that the chains, one
/// copy after another, do not search.
#[derive(Debug, Default)]
pub(crate) struct Exchange {
    auction: Auction,
    /// Calls so far: which copy each target gives up turns with it.
    round: u64,
    /// The copies taken off: (type, target).
    moved: Vec<(usize, usize)>,
    costs: Costs,
    /// Per copy taken off and target, the change of the objective if it
    /// goes there (infinite: no room), and whether it may.
    delta: Vec<f64>,
    keep: Vec<bool>,
    /// One row's or column's entries by the change of the objective.
    best: Vec<(f64, usize)>,
    placed: Vec<usize>,
}

impl Exchange {
    /// Tries the move once; true if it made the objective better by more
    /// than `-threshold` (kept), false otherwise (nothing changed).
    pub(crate) fn improve(
        &mut self,
        s: &mut State<'_>,
        threshold: f64,
        dirty: &mut [bool],
        control: &mut Control<'_>,
    ) -> bool {
        self.round += 1;
        self.moved.clear();
        for j in 0..s.n {
            let holders = &s.holders[j];
            if !holders.is_empty() {
                let pick = mix(self.round, j as u64) % holders.len() as u64;
                self.moved.push((holders[pick as usize], j));
            }
        }
        let rows = self.moved.len();
        if rows < 2 {
            return false;
        }
        let before = s.tracked_objective();
        for &(i, j) in &self.moved {
            s.remove(i, j);
        }
        // Columns: the targets, then (with hold-fire) one "held" column per
        // copy. A copy may go back where it came from (so that putting
        // everything back is always possible), to its own held column, to
        // its best `CANDIDATES` targets, and to the targets for which it is
        // among the best `CANDIDATES` copies: most targets must take some
        // copy, also those where no copy does much good.
        let hold = !s.must_fire_all();
        let n = s.n;
        let cols = n + if hold { rows } else { 0 };
        self.delta.clear();
        self.keep.clear();
        for &(i, from) in &self.moved {
            self.delta.extend((0..n).map(|j| {
                if s.has_room(j) {
                    s.add_delta(i, j)
                } else {
                    f64::INFINITY
                }
            }));
            self.keep.extend((0..n).map(|j| j == from));
        }
        mark_promising(
            &self.delta,
            (rows, n),
            CANDIDATES,
            &mut self.keep,
            &mut self.best,
        );
        self.costs.reset(cols);
        for r in 0..rows {
            for j in 0..n {
                if self.keep[r * n + j] {
                    self.costs.push(j, self.delta[r * n + j]);
                }
            }
            if hold {
                self.costs.push(n + r, 0.0);
            }
            self.costs.end_row();
        }
        control.spend((rows * s.n) as u64);
        let eps = self.costs.eps(EPS_SHARE);
        let solved = self
            .auction
            .solve(&self.costs, eps, &mut self.placed, control);
        if solved {
            for (k, &(i, _)) in self.moved.iter().enumerate() {
                if self.placed[k] < s.n {
                    s.add(i, self.placed[k]);
                }
            }
            if s.tracked_objective() - before < threshold {
                for (k, &(_, j)) in self.moved.iter().enumerate() {
                    if self.placed[k] != j {
                        dirty[j] = true;
                        if self.placed[k] < s.n {
                            dirty[self.placed[k]] = true;
                        }
                    }
                }
                return true;
            }
            // No better (float noise): take the new placement off.
            for (k, &(i, _)) in self.moved.iter().enumerate() {
                if self.placed[k] < s.n {
                    s.remove(i, self.placed[k]);
                }
            }
        }
        for &(i, j) in &self.moved {
            s.add(i, j);
        }
        false
    }
}

/// A well-mixed 64-bit hash of two numbers (SplitMix64's finaliser).
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(b)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::greedy::greedy_fill;
    use crate::problem::{Firing, Problem};

    /// Two copies on each other's best target: no single copy can move
    /// for the better, but taking both off and placing them again at once
    /// swaps them.
    #[test]
    fn the_exchange_swaps_what_single_moves_cannot() {
        let mut p = Problem::new();
        let a = p.add_weapon_type(1, 0.0);
        let b = p.add_weapon_type(1, 0.0);
        let t0 = p.add_target(10.0);
        let t1 = p.add_target(10.0);
        p.set_pk(a, t0, 0.2).expect("a probability");
        p.set_pk(a, t1, 0.9).expect("a probability");
        p.set_pk(b, t0, 0.9).expect("a probability");
        p.set_pk(b, t1, 0.2).expect("a probability");
        let mut s = State::empty(&p);
        s.add(a, t0);
        s.add(b, t1);
        let before = s.tracked_objective();
        let mut control = Control::new(u64::MAX, None);
        let mut ex = Exchange::default();
        assert!(ex.improve(&mut s, -1e-12, &mut [true; 2], &mut control));
        assert_eq!((s.x[a * 2 + t1], s.x[b * 2 + t0]), (1, 1));
        assert!(s.tracked_objective() < before);
    }

    /// More targets than `CANDIDATES`, two of little value whose copies sit
    /// on each other's target: no copy has either among its best targets,
    /// but each is among the best copies for the other's target, so the
    /// swap is still found (and every copy must land somewhere).
    #[test]
    fn targets_no_copy_prefers_still_get_the_right_copy() {
        let n = CANDIDATES + 2;
        let (a, b) = (n - 2, n - 1);
        let mut p = Problem::new();
        for _ in 0..n {
            p.add_weapon_type(1, 0.0);
        }
        for j in 0..n {
            p.add_target(if j < a { 100.0 } else { 0.01 });
        }
        for i in 0..n {
            for j in 0..n {
                let pk = if i == j { 0.9 } else { 0.1 };
                p.set_pk(i, j, pk).expect("a probability");
            }
        }
        let mut s = State::empty(&p);
        for j in 0..a {
            s.add(j, j);
        }
        s.add(a, b);
        s.add(b, a);
        let before = s.tracked_objective();
        let mut control = Control::new(u64::MAX, None);
        let mut ex = Exchange::default();
        assert!(ex.improve(&mut s, -1e-12, &mut vec![true; n], &mut control));
        assert_eq!((s.x[a * n + a], s.x[b * n + b]), (1, 1));
        assert!(s.tracked_objective() < before);
    }

    /// On random small problems (caps, hold-fire, costs): the exchange keeps
    /// the counts consistent and the caps, and never makes things worse.
    #[test]
    fn the_exchange_keeps_feasibility_and_never_worsens() {
        let mut rand = crate::test_uniforms(3);
        for case in 0..200 {
            let (m, n) = (1 + case % 4, 2 + case % 5);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 3.0) as u32, rand());
            }
            for _ in 0..n {
                let cap = (rand() < 0.3).then(|| 1 + (rand() * 2.0) as u32);
                p.add_target_capped(1.0 + 9.0 * rand(), cap);
            }
            for i in 0..m {
                for j in 0..n {
                    p.set_pk(i, j, rand()).expect("a probability");
                }
            }
            if case % 2 == 0 {
                p.set_firing(Firing::MayHold).set_cost_weight(0.1);
            }
            let mut control = Control::new(u64::MAX, None);
            let mut s = State::empty(&p);
            greedy_fill(&mut s, &mut control);
            let mut ex = Exchange::default();
            for _ in 0..5 {
                let before = s.tracked_objective();
                let left_before = s.left.clone();
                ex.improve(&mut s, -1e-12, &mut vec![true; n], &mut control);
                let after = s.tracked_objective();
                assert!(
                    after <= before + 1e-9 * before.abs().max(1.0),
                    "case {case}"
                );
                for i in 0..m {
                    let placed: u32 = (0..n).map(|j| s.x[i * n + j]).sum();
                    assert_eq!(placed + s.left[i], p.weapon(i).count, "case {case}");
                    if s.must_fire_all() {
                        // Every copy placed before is placed again (caps
                        // may leave some unplaced from the start).
                        assert_eq!(s.left[i], left_before[i], "case {case}");
                    }
                }
                for j in 0..n {
                    let load: u32 = (0..m).map(|i| s.x[i * n + j]).sum();
                    assert_eq!(load, s.load[j]);
                    assert!(
                        p.target(j).max_weapons.is_none_or(|c| load <= c),
                        "case {case}"
                    );
                }
                let exact = p.objective_of_counts(&s.x);
                assert!(
                    (exact - after).abs() <= 1e-9 * exact.abs().max(1.0),
                    "case {case}"
                );
            }
        }
    }
}
