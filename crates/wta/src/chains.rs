//! Ejection chains and cyclic exchanges over distinct targets: the local
//! search's move of a few copies at once (`local`).
//!
//! A copy of `w0` leaves `t0` for `t1`, displacing a copy of `w1` that goes
//! to `t2`... The chain either ends at a target that only gains (a path), or
//! its last weapon goes back to `t0` (a cycle). Within a chain each target
//! changes by one weapon out and one in, so the change of the objective is
//! the sum of the changes at each target. Chains grow only while their
//! running gain stays promising (the partial-sum rule), keeping `breadth`
//! candidates a step, the best by (change, target).
//!
//! Between two applied moves the state does not change, so the search reads
//! an index of it ([`Chains::index`]): the targets by decreasing survival,
//! each with its holders and its survival without one copy of each. A step
//! to target `t` changes the objective by at least `-S_t` (the target's
//! whole survival), so a scan in that order stops at the first target that
//! can no longer beat what it holds: the same steps and ends as a scan of
//! every candidate target, found from a fraction of them.

use crate::problem::Problem;
use crate::solve::Control;
use crate::state::State;

/// A target that is not among a type's candidates.
const NOT_CANDIDATE: u32 = u32::MAX;

/// One step of a chain: the moving copy arrives at `target`, whose copy of
/// `leaves` moves on.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    target: usize,
    leaves: usize,
}

/// A found move: the steps, and how it ends.
#[derive(Debug, Clone, PartialEq)]
struct Move {
    steps: Vec<Step>,
    end: End,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum End {
    /// The last copy goes back to `t0` (a cycle).
    Closes,
    /// The last copy goes to this target, which only gains (a path).
    At(usize),
}

/// One weapon type on one target, as the index holds it.
#[derive(Debug, Clone, Copy)]
struct Held {
    target: usize,
    weapon: usize,
    /// The target's value-weighted survival.
    surv: f64,
    /// ... and without one copy of `weapon` (`State::surv_without`).
    without: f64,
}

/// The chains' settings, candidate lists and buffers, kept from one call
/// to the next.
#[derive(Debug)]
pub(crate) struct Chains {
    /// Longest chain of copies moved in one move (2 = swaps and relocations).
    depth: usize,
    /// Candidates kept at each step.
    breadth: usize,
    n: usize,
    /// `rank[i * n + j]`: where target `j` stands among type `i`'s
    /// candidates (by `V_j p_ij`, best first), or `NOT_CANDIDATE`. Ties
    /// between equally good ends go to the better ranked target.
    rank: Vec<u32>,
    /// How many candidates each type has: how many targets a scan of the
    /// whole list would read, the unit of work whatever the index saves.
    candidates: Vec<u64>,
    /// The index of the state: targets by decreasing survival (ties by
    /// index) ...
    by_surv: Vec<usize>,
    /// ... and every (target, holder) in that order of targets, each
    /// target's holders in the state's order.
    held: Vec<Held>,
    /// Per depth, the steps being tried.
    steps: Vec<Vec<(f64, Step)>>,
    roots: Vec<usize>,
    path: Vec<Step>,
}

impl Chains {
    /// For `p`, each type's candidates being its `candidates` best targets
    /// by `V_j p_ij` (those it can hurt at all).
    pub(crate) fn new(p: &Problem, depth: usize, breadth: usize, candidates: usize) -> Chains {
        let (m, n) = (p.weapon_types(), p.targets());
        let mut rank = vec![NOT_CANDIDATE; m * n];
        let mut counts = Vec::with_capacity(m);
        let mut t: Vec<usize> = Vec::with_capacity(n);
        for i in 0..m {
            t.clear();
            t.extend((0..n).filter(|&j| p.pk(i, j) > 0.0));
            t.sort_by(|&a, &b| {
                let va = p.target(a).value * p.pk(i, a);
                let vb = p.target(b).value * p.pk(i, b);
                vb.total_cmp(&va).then(a.cmp(&b))
            });
            t.truncate(candidates.max(1));
            counts.push(t.len() as u64);
            for (r, &j) in t.iter().enumerate() {
                rank[i * n + j] = r as u32;
            }
        }
        Chains {
            depth,
            breadth,
            n,
            rank,
            candidates: counts,
            by_surv: Vec::with_capacity(n),
            held: Vec::new(),
            steps: vec![Vec::new(); depth],
            roots: Vec::new(),
            path: Vec::with_capacity(depth),
        }
    }

    /// Applies improving chains from the copies on `dirty` targets until
    /// none is left (or the budget ends); a target none of whose copies
    /// starts an improving chain is marked clean, every target a move
    /// changes dirty. True if the objective got better.
    pub(crate) fn improve(
        &mut self,
        s: &mut State<'_>,
        threshold: f64,
        dirty: &mut [bool],
        control: &mut Control<'_>,
    ) -> bool {
        let mut improved = false;
        self.index(s);
        let mut roots = std::mem::take(&mut self.roots);
        for t0 in 0..s.n {
            if !dirty[t0] {
                continue;
            }
            let mut found = false;
            roots.clone_from(&s.holders[t0]);
            roots.sort_unstable();
            for &w0 in &roots {
                if control.stopped() {
                    self.roots = roots;
                    return improved;
                }
                if s.x[w0 * s.n + t0] == 0 {
                    continue;
                }
                if let Some(mv) = self.search(s, w0, t0, threshold, control) {
                    apply(s, w0, t0, &mv);
                    for st in &mv.steps {
                        dirty[st.target] = true;
                    }
                    if let End::At(k) = mv.end {
                        dirty[k] = true;
                    }
                    found = true;
                    self.index(s);
                }
            }
            improved |= found;
            dirty[t0] = found;
        }
        self.roots = roots;
        improved
    }

    /// Rebuilds the index of `s`.
    fn index(&mut self, s: &State<'_>) {
        self.by_surv.clear();
        self.by_surv.extend(0..s.n);
        self.by_surv
            .sort_by(|&a, &b| s.surv[b].total_cmp(&s.surv[a]).then(a.cmp(&b)));
        self.held.clear();
        for &t in &self.by_surv {
            for &w in &s.holders[t] {
                self.held.push(Held {
                    target: t,
                    weapon: w,
                    surv: s.surv[t],
                    without: s.surv_without(w, t),
                });
            }
        }
    }

    /// The first improving chain from the copy of `w0` on `t0`, if any.
    fn search(
        &mut self,
        s: &State<'_>,
        w0: usize,
        t0: usize,
        threshold: f64,
        control: &mut Control<'_>,
    ) -> Option<Move> {
        self.path.clear();
        let root = Root {
            t0,
            without: s.surv_without(w0, t0),
            threshold,
        };
        self.extend(s, &root, w0, 0.0, control)
    }

    fn used(&self, root: &Root, t: usize) -> bool {
        t == root.t0 || self.path.iter().any(|st| st.target == t)
    }

    fn extend(
        &mut self,
        s: &State<'_>,
        root: &Root,
        moving: usize,
        gain: f64,
        control: &mut Control<'_>,
    ) -> Option<Move> {
        if !self.path.is_empty() {
            // Close as a cycle: `moving` goes to t0, which lost w0.
            let d = gain + (root.without * s.q(moving, root.t0) - s.surv[root.t0]);
            if d < root.threshold {
                return Some(Move {
                    steps: self.path.clone(),
                    end: End::Closes,
                });
            }
            // Close as a path: `moving` goes to the best target with room;
            // t0 only loses w0.
            let lose0 = root.without - s.surv[root.t0];
            control.spend(self.candidates[moving]);
            if let Some(k) = self.best_end(s, root, moving, gain + lose0) {
                return Some(Move {
                    steps: self.path.clone(),
                    end: End::At(k),
                });
            }
        }
        if self.path.len() + 1 >= self.depth {
            return None;
        }
        // Grow: `moving` displaces a copy of another type at a new target.
        control.spend(self.candidates[moving] * 2);
        let level = self.path.len();
        let mut cands = std::mem::take(&mut self.steps[level]);
        self.best_steps(root, moving, gain, s, &mut cands);
        let mut found = None;
        for &(d, step) in &cands {
            self.path.push(step);
            found = self.extend(s, root, step.leaves, gain + d, control);
            self.path.pop();
            if found.is_some() {
                break;
            }
        }
        self.steps[level] = cands;
        found
    }

    /// The candidate target with room (not on the chain) where `moving`
    /// arriving makes `base + S_k (q - 1)` least and below the threshold;
    /// ties to the better ranked. Scans by decreasing survival and stops
    /// where `base - S_k` (a lower bound of what is left) cannot win.
    fn best_end(&self, s: &State<'_>, root: &Root, moving: usize, base: f64) -> Option<usize> {
        let rank = &self.rank[moving * self.n..(moving + 1) * self.n];
        let mut best: Option<(usize, f64)> = None;
        for &k in &self.by_surv {
            let lower = base - s.surv[k];
            if lower >= root.threshold || best.is_some_and(|(_, bd)| lower > bd) {
                break;
            }
            if rank[k] == NOT_CANDIDATE || self.used(root, k) || !s.has_room(k) {
                continue;
            }
            let d = base + s.surv[k] * (s.q(moving, k) - 1.0);
            if d < root.threshold
                && best.is_none_or(|(bk, bd)| d < bd || (d == bd && rank[k] < rank[bk]))
            {
                best = Some((k, d));
            }
        }
        best.map(|(k, _)| k)
    }

    /// The `breadth` best steps for `moving` by (change, target), holders
    /// of one target in the state's order, among those that keep the
    /// running gain below zero, into `out`.
    fn best_steps(
        &self,
        root: &Root,
        moving: usize,
        gain: f64,
        s: &State<'_>,
        out: &mut Vec<(f64, Step)>,
    ) {
        out.clear();
        if self.breadth == 0 {
            return;
        }
        let rank = &self.rank[moving * self.n..(moving + 1) * self.n];
        let q = &s.q[moving * self.n..(moving + 1) * self.n];
        for h in &self.held {
            // Every later step changes the objective by -S_t or more.
            let lower = -h.surv;
            if gain + lower >= 0.0 || (out.len() == self.breadth && lower > out[out.len() - 1].0) {
                break;
            }
            if h.weapon == moving || rank[h.target] == NOT_CANDIDATE || self.used(root, h.target) {
                continue;
            }
            let d = h.without * q[h.target] - h.surv;
            if gain + d >= 0.0 {
                continue;
            }
            let before =
                |e: &(f64, Step)| e.0.total_cmp(&d).then(e.1.target.cmp(&h.target)).is_le();
            let at = out.partition_point(before);
            if at < self.breadth {
                if out.len() == self.breadth {
                    out.pop();
                }
                out.insert(
                    at,
                    (
                        d,
                        Step {
                            target: h.target,
                            leaves: h.weapon,
                        },
                    ),
                );
            }
        }
    }
}

/// The copy a search starts from, and what it needs of it.
struct Root {
    t0: usize,
    /// The survival of `t0` without one copy of `w0`.
    without: f64,
    threshold: f64,
}

fn apply(s: &mut State<'_>, w0: usize, t0: usize, mv: &Move) {
    // Take everything out first, then put everything in.
    s.remove(w0, t0);
    for st in &mv.steps {
        s.remove(st.leaves, st.target);
    }
    let mut moving = w0;
    for st in &mv.steps {
        s.add(moving, st.target);
        moving = st.leaves;
    }
    match mv.end {
        End::Closes => s.add(moving, t0),
        End::At(k) => s.add(moving, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Firing;

    /// The chains as first written: every candidate target scanned in
    /// candidate order for every step, steps sorted whole. The oracle the
    /// indexed search must agree with, move for move.
    struct Reference<'a> {
        depth: usize,
        breadth: usize,
        cand: &'a [Vec<usize>],
    }

    impl Reference<'_> {
        #[allow(clippy::too_many_arguments)]
        fn extend(
            &self,
            s: &State<'_>,
            w0: usize,
            t0: usize,
            moving: usize,
            gain: f64,
            path: &mut Vec<Step>,
            threshold: f64,
        ) -> Option<Move> {
            let used = |t: usize, path: &[Step]| t == t0 || path.iter().any(|st| st.target == t);
            let replace =
                |out: usize, inn: usize, j: usize| s.surv_without(out, j) * s.q(inn, j) - s.surv[j];
            if !path.is_empty() {
                if gain + replace(w0, moving, t0) < threshold {
                    return Some(Move {
                        steps: path.clone(),
                        end: End::Closes,
                    });
                }
                let lose0 = s.surv_without(w0, t0) - s.surv[t0];
                let mut best: Option<(usize, f64)> = None;
                for &k in &self.cand[moving] {
                    if used(k, path) || !s.has_room(k) {
                        continue;
                    }
                    let d = gain + lose0 + s.surv[k] * (s.q(moving, k) - 1.0);
                    if d < threshold && best.is_none_or(|(_, bd)| d < bd) {
                        best = Some((k, d));
                    }
                }
                if let Some((k, _)) = best {
                    return Some(Move {
                        steps: path.clone(),
                        end: End::At(k),
                    });
                }
            }
            if path.len() + 1 >= self.depth {
                return None;
            }
            let mut cands: Vec<(f64, Step)> = Vec::new();
            for &t in &self.cand[moving] {
                if used(t, path) {
                    continue;
                }
                for &w in &s.holders[t] {
                    let d = replace(w, moving, t);
                    if w != moving && gain + d < 0.0 {
                        cands.push((
                            d,
                            Step {
                                target: t,
                                leaves: w,
                            },
                        ));
                    }
                }
            }
            cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.target.cmp(&b.1.target)));
            cands.truncate(self.breadth);
            for (d, step) in cands {
                path.push(step);
                let found = self.extend(s, w0, t0, step.leaves, gain + d, path, threshold);
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
    }

    fn candidate_lists(p: &Problem, k: usize) -> Vec<Vec<usize>> {
        (0..p.weapon_types())
            .map(|i| {
                let mut t: Vec<usize> = (0..p.targets()).filter(|&j| p.pk(i, j) > 0.0).collect();
                t.sort_by(|&a, &b| {
                    let va = p.target(a).value * p.pk(i, a);
                    let vb = p.target(b).value * p.pk(i, b);
                    vb.total_cmp(&va).then(a.cmp(&b))
                });
                t.truncate(k.max(1));
                t
            })
            .collect()
    }

    /// On random problems (caps, zero kill probabilities, equal targets,
    /// short candidate lists) and random assignments, the indexed search
    /// finds exactly the move the full scan finds, from every copy.
    #[test]
    fn the_indexed_search_finds_the_moves_a_full_scan_finds() {
        let mut rand = crate::test_uniforms(11);
        let mut moves = 0;
        for case in 0..3000 {
            let (m, n) = (2 + case % 5, 3 + case % 9);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 3.0) as u32, 0.0);
            }
            for _ in 0..n {
                let cap = (rand() < 0.2).then(|| 1 + (rand() * 2.0) as u32);
                // Some targets alike, so that ties are met.
                // Powers of two with kill probabilities of one half:
                // survivals that meet exactly.
                let value = if rand() < 0.6 {
                    [2.0, 4.0, 8.0][(rand() * 3.0) as usize % 3]
                } else {
                    1.0 + 9.0 * rand()
                };
                p.add_target_capped(value, cap);
            }
            for i in 0..m {
                for j in 0..n {
                    let r = rand();
                    let pk = if r < 0.15 {
                        0.0
                    } else if r < 0.25 {
                        1.0
                    } else if r < 0.6 {
                        0.5
                    } else {
                        rand()
                    };
                    p.set_pk(i, j, pk).expect("a probability");
                }
            }
            p.set_firing(Firing::MayHold);
            let mut s = State::empty(&p);
            for i in 0..m {
                for _ in 0..p.weapon(i).count {
                    let j = (rand() * n as f64) as usize % n;
                    if s.has_room(j) {
                        s.add(i, j);
                    }
                }
            }
            let (depth, breadth) = (2 + case % 4, 1 + case % 7);
            let k = if case % 3 == 0 { 2 } else { usize::MAX };
            let cand = candidate_lists(&p, k);
            let reference = Reference {
                depth,
                breadth,
                cand: &cand,
            };
            let mut chains = Chains::new(&p, depth, breadth, k);
            chains.index(&s);
            let threshold = -1e-12 * s.tracked_objective();
            let mut control = Control::new(u64::MAX, None);
            for t0 in 0..n {
                for &w0 in &s.holders[t0].clone() {
                    let want = reference.extend(&s, w0, t0, w0, 0.0, &mut Vec::new(), threshold);
                    let got = chains.search(&s, w0, t0, threshold, &mut control);
                    assert_eq!(got, want, "case {case}, copy of {w0} on {t0}");
                    moves += usize::from(got.is_some());
                }
            }
        }
        // The comparison means something only if moves are found.
        assert!(moves > 200, "only {moves} moves found");
    }

    /// A random problem where every copy must fire, and a random
    /// assignment of every copy (counts by type and target).
    fn random_assigned(rand: &mut impl FnMut() -> f64, m: usize, n: usize) -> (Problem, Vec<u32>) {
        let mut p = Problem::new();
        for _ in 0..m {
            p.add_weapon_type(1 + (rand() * 3.0) as u32, 0.0);
        }
        for _ in 0..n {
            p.add_target(1.0 + 9.0 * rand());
        }
        for i in 0..m {
            for j in 0..n {
                p.set_pk(i, j, rand()).expect("a probability");
            }
        }
        let mut x = vec![0u32; m * n];
        for i in 0..m {
            for _ in 0..p.weapon(i).count {
                x[i * n + (rand() * n as f64) as usize % n] += 1;
            }
        }
        (p, x)
    }

    /// A whole pass (roots in order, the index rebuilt after each applied
    /// move, don't-look bits) ends where the first-written pass ends, with
    /// the same targets left dirty.
    #[test]
    fn a_whole_pass_ends_where_the_full_scan_pass_ends() {
        let mut rand = crate::test_uniforms(23);
        for case in 0..300 {
            let (m, n) = (2 + case % 4, 3 + case % 8);
            let (p, x) = random_assigned(&mut rand, m, n);
            let mut s = State::from_counts(&p, &x);
            let threshold = -1e-12 * s.tracked_objective();
            let cand = candidate_lists(&p, usize::MAX);
            let reference = Reference {
                depth: 4,
                breadth: 3,
                cand: &cand,
            };
            let mut want = s.clone();
            let mut want_dirty = vec![true; n];
            for t0 in 0..n {
                let mut found = false;
                let mut roots = want.holders[t0].clone();
                roots.sort_unstable();
                for w0 in roots {
                    if want.x[w0 * n + t0] == 0 {
                        continue;
                    }
                    let mv = reference.extend(&want, w0, t0, w0, 0.0, &mut Vec::new(), threshold);
                    if let Some(mv) = mv {
                        apply(&mut want, w0, t0, &mv);
                        for st in &mv.steps {
                            want_dirty[st.target] = true;
                        }
                        if let End::At(k) = mv.end {
                            want_dirty[k] = true;
                        }
                        found = true;
                    }
                }
                want_dirty[t0] = found;
            }
            let mut chains = Chains::new(&p, 4, 3, usize::MAX);
            let mut dirty = vec![true; n];
            chains.improve(
                &mut s,
                threshold,
                &mut dirty,
                &mut Control::new(u64::MAX, None),
            );
            assert_eq!(s.x, want.x, "case {case}");
            assert_eq!(dirty, want_dirty, "case {case}");
        }
    }

    /// Improving until no chain is left never makes the objective worse,
    /// keeps the counts, and leaves every target clean.
    #[test]
    fn improving_keeps_the_counts_and_ends_clean() {
        let mut rand = crate::test_uniforms(5);
        for case in 0..100 {
            let (m, n) = (2 + case % 4, 4 + case % 6);
            let (p, x) = random_assigned(&mut rand, m, n);
            let mut s = State::from_counts(&p, &x);
            let before = s.tracked_objective();
            let mut chains = Chains::new(&p, 4, 6, usize::MAX);
            let mut dirty = vec![true; n];
            let mut control = Control::new(u64::MAX, None);
            let threshold = -1e-12 * before;
            while chains.improve(&mut s, threshold, &mut dirty, &mut control) {}
            assert!(s.tracked_objective() <= before, "case {case}");
            assert!(dirty.iter().all(|d| !d), "case {case}");
            for i in 0..m {
                assert_eq!(s.placed(i), p.weapon(i).count, "case {case}");
            }
            let exact = p.objective_of_counts(&s.x);
            assert!((exact - s.tracked_objective()).abs() <= 1e-9 * exact.max(1.0));
        }
    }
}
