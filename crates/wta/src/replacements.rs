//! The replacement neighbourhood of the local search (`local.rs`): every
//! copy may take the place of a copy of another type on another target, or
//! join another target (with room) as one copy more; a place may be left
//! empty. The copies of each type stay as many.
//!
//! A set of replacements is a permutation of places, so it falls apart
//! into cycles (a copy of `a` leaves `t` for `u`, where it takes the place
//! of a copy of `b`, which goes on ... and the last takes the place of the
//! first: every load unchanged) and paths (a first copy leaves its place
//! empty, a last joins a target: one copy moves from the first target to
//! the last). With one change per target the change of the objective is
//! the sum over the targets of `S_t / q_b,t * q_a,t - S_t` (`a` replaces
//! `b`), `S_t (q_a,t - 1)` (`a` joins) or `S_t / q_b,t - S_t` (`b`'s place
//! left empty), so the best set is a linear assignment: rows the copies
//! (and one "vacancy" row per target, which may leave a place empty),
//! columns their places (and one more place per target). It is solved over
//! the promising pairs (`CANDIDATES`, a heuristic restriction) by the
//! auction (`auction.rs`). Where two changes meet on one target the sum is
//! only an estimate, so the cycles and paths of the answer are applied one
//! at a time, each kept only if the objective, tracked exactly, gets
//! better: the move never makes things worse.
//!
//! It finds what the exchange (`exchange.rs`), which fixes in advance the
//! copy each target gives up, finds only by luck, and the chains (a few
//! copies, one after another) not at all: a re-pairing of the copies of
//! many two-copy targets at once, each giving up the right one of its two.
//! A very large neighbourhood in the sense of Ahuja, Kumar, Jha and Orlin
//! (2007), whose cyclic exchanges it searches as an assignment rather than
//! as shortest paths in an improvement graph.

use crate::auction::{Auction, Costs, least};
use crate::solve::Control;
use crate::state::State;

/// Places each copy may take by its own choice (its best by the estimated
/// change), and copies each place may take by its choice; twice as many
/// places may be left empty (those whose copy loses least).
const CANDIDATES: usize = 32;

/// The assignment stops within this share of the average cost per row.
const EPS_SHARE: f64 = 1e-9;

/// A place a copy may take: a copy's (`base` its target's survival
/// without that copy) or one more on a target (`base` its survival).
#[derive(Debug, Clone, Copy)]
struct Place {
    target: usize,
    /// The copy's type, for a copy's place.
    held: Option<usize>,
    base: f64,
    surv: f64,
    open: bool,
}

/// The neighbourhood's buffers, kept from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct Replacements {
    auction: Auction,
    /// Every copy placed, (type, target), by target.
    copies: Vec<(usize, usize)>,
    /// The copies' places, then one more place per target.
    places: Vec<Place>,
    /// The promising (row, column) pairs.
    pairs: Vec<(u32, u32)>,
    best: Vec<(f64, usize)>,
    costs: Costs,
    placed: Vec<usize>,
    owner: Vec<usize>,
    seen: Vec<bool>,
    /// The copies of one cycle or path, in order.
    chain: Vec<usize>,
    /// The copies whose place a vacancy row may leave empty.
    empty: Vec<usize>,
    /// One cycle or path as moves: (type, from, to) per copy.
    moves: Vec<(usize, usize, usize)>,
}

impl Replacements {
    /// Finds the best set of replacements (as estimated) and applies each
    /// of its cycles and paths that makes the objective better by more
    /// than `-threshold`, marking the targets it changes; true if any did.
    pub(crate) fn improve(
        &mut self,
        s: &mut State<'_>,
        threshold: f64,
        dirty: &mut [bool],
        control: &mut Control<'_>,
    ) -> bool {
        self.collect(s);
        let (k, n) = (self.copies.len(), s.n);
        if k < 2 {
            return false;
        }
        let cols = k + n;
        if !self.promising(s, control) {
            return false;
        }
        self.costs.reset(cols);
        let mut next = 0;
        for r in 0..k {
            // Its own place first: staying costs nothing.
            self.costs.push(r, 0.0);
            while next < self.pairs.len() && self.pairs[next].0 as usize == r {
                let c = self.pairs[next].1 as usize;
                if c != r {
                    self.costs.push(c, self.cost(s, r, c));
                }
                next += 1;
            }
            self.costs.end_row();
        }
        // Vacancy rows: one per target, which takes its target's extra
        // place at no cost (no path), or leaves empty the place of one of
        // the copies that lose least.
        let places = &self.places[..k];
        let losses = places.iter().enumerate().map(|(c, p)| (p.base - p.surv, c));
        self.empty.clear();
        self.empty
            .extend(least(losses, 2 * CANDIDATES, &mut self.best));
        self.empty.sort_unstable();
        for w in 0..n {
            self.costs.push(k + w, 0.0);
            for &c in &self.empty {
                let p = self.places[c];
                self.costs.push(c, p.base - p.surv);
            }
            self.costs.end_row();
        }
        let eps = self.costs.eps(EPS_SHARE);
        if !self
            .auction
            .solve(&self.costs, eps, &mut self.placed, control)
        {
            return false;
        }
        self.apply_answer(s, threshold, dirty)
    }

    /// Lists the copies and the places.
    fn collect(&mut self, s: &State<'_>) {
        self.copies.clear();
        self.places.clear();
        for j in 0..s.n {
            for &i in &s.holders[j] {
                for _ in 0..s.x[i * s.n + j] {
                    self.copies.push((i, j));
                    self.places.push(Place {
                        target: j,
                        held: Some(i),
                        base: s.surv_without(i, j),
                        surv: s.surv[j],
                        open: true,
                    });
                }
            }
        }
        for j in 0..s.n {
            self.places.push(Place {
                target: j,
                held: None,
                base: s.surv[j],
                surv: s.surv[j],
                open: s.has_room(j),
            });
        }
    }

    /// The estimated change of the objective if copy `r` takes place `c`
    /// (not finite: it may not).
    #[inline]
    fn cost(&self, s: &State<'_>, r: usize, c: usize) -> f64 {
        let (a, from) = self.copies[r];
        let p = &self.places[c];
        if !p.open || p.target == from || p.held == Some(a) {
            return f64::INFINITY;
        }
        p.base * s.q(a, p.target) - p.surv
    }

    /// The promising pairs, sorted: each copy's `CANDIDATES` best places
    /// and each place's best copies. Two passes over every pair, each
    /// worked out afresh (no dense matrix). False (nothing done) if the
    /// budget ends first.
    fn promising(&mut self, s: &State<'_>, control: &mut Control<'_>) -> bool {
        let (k, cols) = (self.copies.len(), self.places.len());
        if !control.spend(2 * (k * cols) as u64) {
            return false;
        }
        self.pairs.clear();
        let mut best = std::mem::take(&mut self.best);
        for r in 0..k {
            let row = (0..cols).map(|c| (self.cost(s, r, c), c));
            for c in least(row, CANDIDATES, &mut best) {
                self.pairs.push((r as u32, c as u32));
            }
        }
        for c in 0..cols {
            let column = (0..k).map(|r| (self.cost(s, r, c), r));
            for r in least(column, CANDIDATES, &mut best) {
                self.pairs.push((r as u32, c as u32));
            }
        }
        self.best = best;
        self.pairs.sort_unstable();
        self.pairs.dedup();
        true
    }

    /// Applies the paths, then the cycles, of the assignment in `placed`.
    fn apply_answer(&mut self, s: &mut State<'_>, threshold: f64, dirty: &mut [bool]) -> bool {
        let k = self.copies.len();
        self.owner.clear();
        self.owner.resize(self.places.len(), usize::MAX);
        for (r, &c) in self.placed.iter().enumerate() {
            self.owner[c] = r;
        }
        self.seen.clear();
        self.seen.resize(k, false);
        let mut improved = false;
        // A path starts at a copy whose place a vacancy row holds.
        for first in 0..k {
            if self.owner[first] < k {
                continue;
            }
            self.chain.clear();
            let mut r = first;
            let end = loop {
                self.seen[r] = true;
                self.chain.push(r);
                let c = self.placed[r];
                if c >= k {
                    break self.places[c].target;
                }
                r = c;
            };
            improved |= self.apply_chain(s, end, threshold, dirty);
        }
        for first in 0..k {
            if self.seen[first] || self.placed[first] == first {
                continue;
            }
            self.chain.clear();
            let mut r = first;
            while !self.seen[r] {
                self.seen[r] = true;
                self.chain.push(r);
                r = self.placed[r];
            }
            let end = self.copies[first].1;
            improved |= self.apply_chain(s, end, threshold, dirty);
        }
        improved
    }

    /// Moves each copy of `chain` to the target of the next, the last to
    /// `end`; keeps the move if it makes the objective better by more than
    /// `-threshold` (and every target it fills has room), and says whether
    /// it did. Otherwise the state is as before.
    fn apply_chain(
        &mut self,
        s: &mut State<'_>,
        end: usize,
        threshold: f64,
        dirty: &mut [bool],
    ) -> bool {
        self.moves.clear();
        for (x, &r) in self.chain.iter().enumerate() {
            let (a, from) = self.copies[r];
            let to = self.chain.get(x + 1).map_or(end, |&c| self.copies[c].1);
            self.moves.push((a, from, to));
        }
        let before = s.tracked_objective();
        for &(a, from, _) in &self.moves {
            s.remove(a, from);
        }
        let mut added = 0;
        for &(a, _, to) in &self.moves {
            if !s.has_room(to) {
                break;
            }
            s.add(a, to);
            added += 1;
        }
        if added == self.moves.len() && s.tracked_objective() - before < threshold {
            for &(_, from, to) in &self.moves {
                dirty[from] = true;
                dirty[to] = true;
            }
            return true;
        }
        for &(a, _, to) in &self.moves[..added] {
            s.remove(a, to);
        }
        for &(a, from, _) in &self.moves {
            s.add(a, from);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{Firing, Problem};

    /// One call; true if every target whose counts changed is marked.
    fn improve_once(s: &mut State<'_>) -> bool {
        let threshold = -1e-12 * s.tracked_objective().abs().max(1e-300);
        let mut dirty = vec![false; s.n];
        let mut control = Control::new(u64::MAX, None);
        let before = s.x.clone();
        Replacements::default().improve(s, threshold, &mut dirty, &mut control);
        changed_are_marked(s, &before, &dirty)
    }

    fn changed_are_marked(s: &State<'_>, before: &[u32], dirty: &[bool]) -> bool {
        (0..s.n).all(|j| dirty[j] || (0..s.m).all(|i| s.x[i * s.n + j] == before[i * s.n + j]))
    }

    /// All permutations of `0..k`, by Heap's algorithm.
    fn permutations(k: usize) -> Vec<Vec<usize>> {
        fn heap(a: &mut Vec<usize>, size: usize, out: &mut Vec<Vec<usize>>) {
            if size <= 1 {
                out.push(a.clone());
                return;
            }
            for i in 0..size {
                heap(a, size - 1, out);
                let j = if size.is_multiple_of(2) { i } else { 0 };
                a.swap(j, size - 1);
            }
        }
        let mut out = Vec::new();
        heap(&mut (0..k).collect(), k, &mut out);
        out
    }

    /// One copy of each of `k` types on `n >= k` targets, each capped at
    /// one weapon: every move maps the copies one to one onto the targets
    /// (cycles among the held targets, paths into the empty ones), with one
    /// change per target, so the estimate is exact and one call must reach
    /// the best such map, found here by brute force.
    #[test]
    fn one_call_finds_the_best_one_to_one_map_of_single_copies() {
        let mut rand = crate::test_uniforms(5);
        for case in 0..300 {
            let k = 2 + case % 4;
            let n = k + case % 3;
            let mut p = Problem::new();
            for _ in 0..k {
                p.add_weapon_type(1, 0.0);
            }
            for _ in 0..n {
                p.add_target_capped(1.0 + 9.0 * rand(), Some(1));
            }
            for i in 0..k {
                for j in 0..n {
                    p.set_pk(i, j, rand()).expect("a probability");
                }
            }
            // Every one-to-one map: the first k of each permutation of n.
            let maps: Vec<Vec<usize>> = permutations(n)
                .into_iter()
                .map(|perm| perm[..k].to_vec())
                .collect();
            let objective = |map: &[usize]| {
                let mut x = vec![0u32; k * n];
                for (i, &j) in map.iter().enumerate() {
                    x[i * n + j] = 1;
                }
                (p.objective_of_counts(&x), x)
            };
            let start = &maps[(rand() * maps.len() as f64) as usize % maps.len()];
            let best = maps
                .iter()
                .map(|map| objective(map).0)
                .fold(f64::INFINITY, f64::min);
            let mut s = State::from_counts(&p, &objective(start).1);
            assert!(improve_once(&mut s), "case {case}: a change left unmarked");
            let got = p.objective_of_counts(&s.x);
            assert!(
                (got - best).abs() <= 1e-9 * best.max(1.0),
                "case {case}: {got} against the best {best}"
            );
        }
    }

    /// Both copies on one target and the other empty: a path moves the copy
    /// that is better on the empty target there.
    #[test]
    fn a_path_moves_a_copy_where_there_is_room() {
        let mut p = Problem::new();
        let a = p.add_weapon_type(1, 0.0);
        let b = p.add_weapon_type(1, 0.0);
        let t0 = p.add_target(10.0);
        let t1 = p.add_target(10.0);
        p.set_pk(a, t0, 0.9).expect("a probability");
        p.set_pk(a, t1, 0.1).expect("a probability");
        p.set_pk(b, t0, 0.3).expect("a probability");
        p.set_pk(b, t1, 0.9).expect("a probability");
        let mut s = State::empty(&p);
        s.add(a, t0);
        s.add(b, t0);
        let before = s.tracked_objective();
        let mut dirty = vec![false; 2];
        let mut control = Control::new(u64::MAX, None);
        assert!(Replacements::default().improve(&mut s, -1e-12, &mut dirty, &mut control));
        assert_eq!(s.x, vec![1, 0, 0, 1]);
        assert_eq!(dirty, vec![true, true]);
        assert!(s.tracked_objective() < before);
    }

    /// Random problems (some targets capped, some where weapons may hold
    /// fire) and random assignments: a call keeps every type's copies and
    /// every cap, keeps the tracked survival exact, makes the objective
    /// better when it says so and changes nothing when it does not.
    #[test]
    fn moves_keep_the_assignment_feasible_and_never_make_it_worse() {
        let mut rand = crate::test_uniforms(11);
        for case in 0..500 {
            let (m, n) = (1 + case % 5, 2 + case % 7);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 3.0) as u32, 0.0);
            }
            for _ in 0..n {
                let cap = (rand() < 0.3).then(|| 1 + (rand() * 2.0) as u32);
                p.add_target_capped(1.0 + 9.0 * rand(), cap);
            }
            for i in 0..m {
                for j in 0..n {
                    // Some certain kills, some pairs that cannot hurt.
                    let pk = match (rand() * 10.0) as u32 {
                        0 => 1.0,
                        1 => 0.0,
                        _ => rand(),
                    };
                    p.set_pk(i, j, pk).expect("a probability");
                }
            }
            if case % 3 == 0 {
                p.set_firing(Firing::MayHold);
            }
            let mut s = State::empty(&p);
            for i in 0..m {
                for _ in 0..p.weapon(i).count {
                    let j = (rand() * n as f64) as usize % n;
                    if s.has_room(j) && (case % 3 != 0 || rand() < 0.7) {
                        s.add(i, j);
                    }
                }
            }
            let before_x = s.x.clone();
            let placed: Vec<u32> = (0..m).map(|i| s.placed(i)).collect();
            let before = p.objective_of_counts(&s.x);
            let tracked = s.tracked_objective();
            let threshold = -1e-12 * tracked.max(1e-300);
            let mut dirty = vec![false; n];
            let mut control = Control::new(u64::MAX, None);
            let improved =
                Replacements::default().improve(&mut s, threshold, &mut dirty, &mut control);
            assert!(
                changed_are_marked(&s, &before_x, &dirty),
                "case {case}: a change left unmarked"
            );
            let after = p.objective_of_counts(&s.x);
            assert_eq!(
                (0..m).map(|i| s.placed(i)).collect::<Vec<_>>(),
                placed,
                "case {case}: copies per type"
            );
            let fresh = State::from_counts(&p, &s.x);
            assert_eq!(fresh.load, s.load, "case {case}: loads");
            assert!(
                (0..n).all(|j| s.load[j] <= p.target(j).max_weapons.unwrap_or(u32::MAX)),
                "case {case}: a cap broken"
            );
            assert!(
                (s.tracked_objective() - after).abs() <= 1e-9 * after.max(1.0),
                "case {case}: tracked {} against {after}",
                s.tracked_objective()
            );
            if improved {
                // Better as tracked (a certain kill is tracked as a survival
                // of 1e-300), and no worse as computed exactly.
                assert!(
                    s.tracked_objective() - tracked < threshold,
                    "case {case}: {} not below {tracked}",
                    s.tracked_objective()
                );
                assert!(
                    after <= before + 1e-12 * before.max(1.0),
                    "case {case}: {after} above {before}"
                );
                assert!(dirty.iter().any(|&d| d), "case {case}: nothing marked");
            } else {
                assert_eq!(s.x, before_x, "case {case}: changed without a gain");
            }
        }
    }
}
