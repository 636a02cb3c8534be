//! Very-large-scale neighbourhood search, in the spirit of Ahuja, Kumar, Jha
//! and Orlin (Operations Research 55(6), 2007): starting from greedy, apply
//! improving moves of several weapons at once (ejection chains and cyclic
//! exchanges over distinct targets), then perturb and search again.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::exchange::Exchange;
use crate::greedy::greedy_fill;
use crate::problem::Problem;
use crate::solve::{Control, Solution, Solver};
use crate::state::State;

/// The improvement heuristic. Deterministic for a given problem, seed and
/// work limit.
#[derive(Debug, Clone, Copy)]
pub struct LocalSearch {
    /// Longest chain of weapons moved in one move (2 = swaps and relocations).
    pub depth: usize,
    /// Candidates kept at each step of a chain.
    pub breadth: usize,
    /// Perturbation rounds without improvement before stopping.
    pub patience: u32,
    /// Targets considered for each weapon type in a chain: its best ones by
    /// `V_j p_ij`. The default, all targets, searches best: a static short
    /// list misses the targets that the current assignment leaves uncovered.
    pub candidates: usize,
    pub seed: u64,
}

impl Default for LocalSearch {
    fn default() -> Self {
        LocalSearch {
            depth: 4,
            breadth: 6,
            patience: 60,
            candidates: usize::MAX,
            seed: 0x5eed,
        }
    }
}

/// Improvements smaller than this (relative to the objective) are noise.
const EPS: f64 = 1e-12;

/// After a kick, the chains repair; the exchange polishes only what comes
/// within this share of the best objective (an exchange is dear, and most
/// kicks lead nowhere).
const POLISH: f64 = 0.005;

impl Solver for LocalSearch {
    fn name(&self) -> &'static str {
        "local"
    }

    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution {
        let x = self.improve_from_greedy(problem, control);
        Solution::new(problem, self.name(), x, None, control.work())
    }
}

impl LocalSearch {
    /// From greedy and the spread start (`spread`), best first
    /// (`improve_starts`); returns the best counts.
    pub(crate) fn improve_from_greedy(
        &self,
        problem: &Problem,
        control: &mut Control<'_>,
    ) -> Vec<u32> {
        let mut s = State::empty(problem);
        greedy_fill(&mut s, control);
        let mut starts = vec![s];
        starts.extend(crate::spread::spread_start(problem, control));
        sort_by_objective(&mut starts);
        self.improve_starts(starts, control)
    }

    /// From each start in turn: descent, then iterated perturbation until
    /// `patience` rounds bring nothing; the next start gets what is left of
    /// the budget. Returns the best counts.
    pub(crate) fn improve_starts(
        &self,
        starts: Vec<State<'_>>,
        control: &mut Control<'_>,
    ) -> Vec<u32> {
        let Some(p) = starts.first().map(|s| s.p) else {
            return Vec::new();
        };
        let cand = candidate_targets(p, self.candidates);
        let mut ex = Exchange::default();
        let mut dirty = vec![true; p.targets()];
        let plan = Plan::of(p);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut best: Option<(f64, Vec<u32>)> = None;
        for mut s in starts {
            if control.stopped() && best.is_some() {
                break;
            }
            dirty.fill(true);
            descend(&mut s, self, &cand, &mut ex, plan, &mut dirty, control);
            let (obj, x) = self.perturb(s, &cand, &mut ex, &mut dirty, &mut rng, control);
            if best.as_ref().is_none_or(|(b, _)| obj < *b) {
                best = Some((obj, x));
            }
        }
        best.map(|(_, x)| x).unwrap_or_default()
    }

    /// Iterated perturbation from the descended `s`: kick, descend (where
    /// the exchange leads: repair with the chains, and polish with the
    /// exchange only what comes close), keep the better; stops after
    /// `patience` rounds without improvement (or when the budget ends).
    /// Returns the best objective and counts.
    fn perturb(
        &self,
        mut s: State<'_>,
        cand: &[Vec<usize>],
        ex: &mut Exchange,
        dirty: &mut [bool],
        rng: &mut ChaCha8Rng,
        control: &mut Control<'_>,
    ) -> (f64, Vec<u32>) {
        let mut best_x = s.x.clone();
        let mut best_obj = s.p.objective_of_counts(&best_x);
        let mut stale = 0;
        let plan = Plan::of(s.p);
        let total: u32 = s.p.weapons.iter().map(|w| w.count).sum();
        while stale < self.patience && !control.stopped() && total > 1 && s.n > 1 {
            kick(&mut s, dirty, rng);
            match plan {
                Plan::ExchangeFirst => {
                    descend(&mut s, self, cand, ex, Plan::ChainsOnly, dirty, control);
                    if s.tracked_objective() < best_obj * (1.0 + POLISH) {
                        descend(&mut s, self, cand, ex, plan, dirty, control);
                    }
                }
                _ => descend(&mut s, self, cand, ex, plan, dirty, control),
            }
            let obj = s.p.objective_of_counts(&s.x);
            if obj < best_obj * (1.0 - EPS) {
                best_obj = obj;
                best_x.clone_from(&s.x);
                stale = 0;
            } else {
                stale += 1;
                for j in 0..s.n {
                    if (0..s.m).any(|i| s.x[i * s.n + j] != best_x[i * s.n + j]) {
                        dirty[j] = true;
                    }
                }
                s = State::from_counts(s.p, &best_x);
            }
        }
        (best_obj, best_x)
    }
}

/// Best first.
pub(crate) fn sort_by_objective(starts: &mut [State<'_>]) {
    starts.sort_by(|a, b| a.tracked_objective().total_cmp(&b.tracked_objective()));
}

/// Scatters every copy of one to three random types over random targets
/// (those with room), marking the targets it changes.
fn kick(s: &mut State<'_>, dirty: &mut [bool], rng: &mut ChaCha8Rng) {
    let kicks = 1 + rng.random_range(0..3usize);
    for _ in 0..kicks {
        let i = rng.random_range(0..s.m);
        for j in 0..s.n {
            while s.x[i * s.n + j] > 0 {
                s.remove(i, j);
                dirty[j] = true;
            }
        }
        let fire = if s.must_fire_all() {
            s.left[i]
        } else {
            rng.random_range(0..=s.left[i])
        };
        for _ in 0..fire {
            let mut k = rng.random_range(0..s.n);
            let mut tries = 0;
            while !s.has_room(k) && tries < s.n {
                k = (k + 1) % s.n;
                tries += 1;
            }
            if s.has_room(k) {
                s.add(i, k);
                dirty[k] = true;
            }
        }
    }
}

/// For each weapon type, its `k` most promising targets by `V_j p_ij`.
fn candidate_targets(p: &Problem, k: usize) -> Vec<Vec<usize>> {
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

/// Which neighbourhoods a descent uses, in what order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// The chains only (with the block and hold moves, as every plan).
    ChainsOnly,
    /// The chains, and the exchange when they find nothing.
    ChainsFirst,
    /// The exchange, and the chains when it finds nothing.
    ExchangeFirst,
}

impl Plan {
    /// With more copies than targets (where every copy must fire, nearly
    /// every target holds one) the exchange moves far more at once than a
    /// pass of chains costs, and leads; with fewer, the chains lead (the
    /// exchange first spent the engine's whole budget on one assignment,
    /// measured before its padding rows bid from a heap).
    fn of(p: &Problem) -> Plan {
        let copies: u64 = p.weapons.iter().map(|w| u64::from(w.count)).sum();
        if copies > p.targets() as u64 {
            Plan::ExchangeFirst
        } else {
            Plan::ChainsFirst
        }
    }
}

/// Applies improving moves until none is found (or the budget ends): the
/// block and hold moves, then the neighbourhoods of `plan` (the exchange,
/// now that its assignment is sparse, costs about as much as a pass of
/// chains from a few targets, and moves far more at once). `dirty` marks
/// the targets changed since the chains last found nothing from them
/// (don't-look bits: the chains start only from those); every
/// neighbourhood marks what it changes.
fn descend(
    s: &mut State<'_>,
    ls: &LocalSearch,
    cand: &[Vec<usize>],
    ex: &mut Exchange,
    plan: Plan,
    dirty: &mut [bool],
    control: &mut Control<'_>,
) {
    loop {
        if control.stopped() {
            return;
        }
        let threshold = -EPS * s.tracked_objective().abs().max(1e-300);
        let mut improved = hold_moves(s, threshold, dirty, control);
        improved |= reoptimize_types(s, threshold, dirty, control);
        match plan {
            Plan::ChainsOnly => improved |= chains(s, ls, cand, threshold, dirty, control),
            Plan::ChainsFirst => {
                improved |= chains(s, ls, cand, threshold, dirty, control);
                if !improved {
                    improved = ex.improve(s, threshold, dirty, control);
                }
            }
            Plan::ExchangeFirst => {
                improved |= ex.improve(s, threshold, dirty, control);
                if !improved {
                    improved = chains(s, ls, cand, threshold, dirty, control);
                }
            }
        }
        if !improved {
            return;
        }
    }
}

/// Block moves: take every copy of one type off, and place them again by
/// greedy marginal return, which is optimal for one type given the others
/// (its gains on a target shrink geometrically with each copy).
fn reoptimize_types(
    s: &mut State<'_>,
    threshold: f64,
    dirty: &mut [bool],
    control: &mut Control<'_>,
) -> bool {
    let mut improved = false;
    for i in 0..s.m {
        if control.stopped() {
            break;
        }
        let before = s.tracked_objective();
        let old: Vec<u32> = s.x[i * s.n..(i + 1) * s.n].to_vec();
        for j in 0..s.n {
            if s.x[i * s.n + j] > 0 {
                s.set_count(i, j, 0);
            }
        }
        let mut placed = 0u64;
        while s.left[i] > 0 {
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
            match best {
                Some((j, d)) if s.must_fire_all() || d < 0.0 => s.add(i, j),
                _ => break,
            }
            placed += 1;
        }
        control.spend((placed + 1) * s.n as u64);
        if s.tracked_objective() - before < threshold {
            improved = true;
            for j in 0..s.n {
                if s.x[i * s.n + j] != old[j] {
                    dirty[j] = true;
                }
            }
        } else if s.x[i * s.n..(i + 1) * s.n] != old[..] {
            // No better (float noise): put the old placement back.
            restore_type(s, i, &old);
        }
    }
    improved
}

fn restore_type(s: &mut State<'_>, i: usize, old: &[u32]) {
    // Take the new placement off first, so the copies are there to put back.
    for j in 0..s.n {
        if s.x[i * s.n + j] > old[j] {
            s.set_count(i, j, old[j]);
        }
    }
    for j in 0..s.n {
        if s.x[i * s.n + j] < old[j] {
            s.set_count(i, j, old[j]);
        }
    }
}

/// With `MayHold`: fire an unused copy, or hold back a fired one, if it pays.
fn hold_moves(
    s: &mut State<'_>,
    threshold: f64,
    dirty: &mut [bool],
    control: &mut Control<'_>,
) -> bool {
    if s.must_fire_all() {
        return false;
    }
    let mut improved = false;
    for i in 0..s.m {
        for j in 0..s.n {
            if s.x[i * s.n + j] > 0 && s.remove_delta(i, j) < threshold {
                s.remove(i, j);
                (improved, dirty[j]) = (true, true);
            }
            if s.left[i] > 0 && s.has_room(j) && s.add_delta(i, j) < threshold {
                s.add(i, j);
                (improved, dirty[j]) = (true, true);
            }
        }
        control.spend(s.n as u64);
    }
    improved
}

/// One step of a chain: weapon `weapon` arrives at `target`, whose copy of
/// `leaves` goes on (None: the chain ends here, nothing leaves).
#[derive(Debug, Clone, Copy)]
struct Step {
    target: usize,
    leaves: usize,
}

/// Ejection chains and cyclic exchanges over distinct targets: a copy of
/// `w0` leaves `t0` for `t1`, displacing a copy of `w1` that goes to `t2`...
/// The chain either ends at a target that only gains (a path), or its last
/// weapon goes back to `t0` (a cycle). Within a chain, each target changes by
/// one weapon out and one in, so the change of the objective is the sum of the
/// changes at each target. Chains grow only while their running gain stays
/// promising (the partial-sum rule), keeping `breadth` candidates per step.
/// Chains start from the copies on `dirty` targets only; a target none of
/// whose copies starts an improving chain is marked clean.
fn chains(
    s: &mut State<'_>,
    ls: &LocalSearch,
    cand: &[Vec<usize>],
    threshold: f64,
    dirty: &mut [bool],
    control: &mut Control<'_>,
) -> bool {
    let mut improved = false;
    let mut roots: Vec<usize> = Vec::new();
    let mut path: Vec<Step> = Vec::with_capacity(ls.depth);
    for t0 in 0..s.n {
        if !dirty[t0] {
            continue;
        }
        let mut found = false;
        roots.clone_from(&s.holders[t0]);
        roots.sort_unstable();
        for &w0 in &roots {
            if control.stopped() {
                return improved;
            }
            if s.x[w0 * s.n + t0] == 0 {
                continue;
            }
            path.clear();
            if let Some(mv) = extend(s, ls, cand, w0, t0, w0, 0.0, &mut path, threshold, control) {
                apply(s, w0, t0, &mv);
                for st in &mv.steps {
                    dirty[st.target] = true;
                }
                if let Some(k) = mv.end_target {
                    dirty[k] = true;
                }
                found = true;
            }
        }
        improved |= found;
        dirty[t0] = found;
    }
    improved
}

/// A found move: the steps, and whether the last weapon returns to `t0`.
#[derive(Debug, Clone)]
struct Move {
    steps: Vec<Step>,
    closes: bool,
    end_target: Option<usize>,
}

#[allow(clippy::too_many_arguments)]
fn extend(
    s: &State<'_>,
    ls: &LocalSearch,
    cand: &[Vec<usize>],
    w0: usize,
    t0: usize,
    moving: usize,
    gain: f64,
    path: &mut Vec<Step>,
    threshold: f64,
    control: &mut Control<'_>,
) -> Option<Move> {
    let used = |t: usize, path: &[Step]| t == t0 || path.iter().any(|st| st.target == t);
    // Close as a cycle: `moving` goes to t0, which lost w0.
    if !path.is_empty() {
        let d = gain + s.replace_delta(w0, moving, t0);
        if d < threshold {
            return Some(Move {
                steps: path.clone(),
                closes: true,
                end_target: None,
            });
        }
    }
    // Close as a path: `moving` goes to the best target with room; t0 only loses w0.
    if !path.is_empty() {
        let lose0 = s.surv_without(w0, t0) - s.surv[t0];
        let mut best: Option<(usize, f64)> = None;
        for &k in &cand[moving] {
            if used(k, path) || !s.has_room(k) {
                continue;
            }
            let d = gain + lose0 + s.surv[k] * (s.q(moving, k) - 1.0);
            if d < threshold && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((k, d));
            }
        }
        control.spend(cand[moving].len() as u64);
        if let Some((k, _)) = best {
            return Some(Move {
                steps: path.clone(),
                closes: false,
                end_target: Some(k),
            });
        }
    }
    if path.len() + 1 >= ls.depth {
        return None;
    }
    // Grow: `moving` displaces a copy of another type at a new target.
    let mut cands: Vec<(f64, Step)> = Vec::new();
    for &t in &cand[moving] {
        if used(t, path) {
            continue;
        }
        for &w in &s.holders[t] {
            if w == moving {
                continue;
            }
            let d = s.replace_delta(w, moving, t);
            if gain + d < 0.0 {
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
    control.spend(cand[moving].len() as u64 * 2);
    cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.target.cmp(&b.1.target)));
    cands.truncate(ls.breadth);
    for (d, step) in cands {
        path.push(step);
        let found = extend(
            s,
            ls,
            cand,
            w0,
            t0,
            step.leaves,
            gain + d,
            path,
            threshold,
            control,
        );
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    None
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
    if mv.closes {
        s.add(moving, t0);
    } else if let Some(k) = mv.end_target {
        s.add(moving, k);
    }
}
