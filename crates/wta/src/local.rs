//! Very-large-scale neighbourhood search, in the spirit of Ahuja, Kumar, Jha
//! and Orlin (Operations Research 55(6), 2007): starting from greedy, apply
//! improving moves of several weapons at once (ejection chains and cyclic
//! exchanges over distinct targets, the exchange of one copy of every
//! target, and replacements of any number of copies by one assignment),
//! then perturb and search again.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::chains::Chains;
use crate::exchange::Exchange;
use crate::greedy::greedy_fill;
use crate::problem::Problem;
use crate::replacements::Replacements;
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

    /// From each start in turn, best first: descent, then iterated
    /// perturbation until `patience` rounds bring nothing; the next start
    /// gets what is left of the budget. Returns the best counts.
    ///
    /// (Descending every start first and searching the best descended first
    /// where descents were cheap helped wta_100x200x3 at one second while
    /// the bound phase had a quarter of the budget; with the first bound
    /// pass at a fixed work it made no difference at one second and led
    /// the portfolio's second thread to a worse basin on wta_200x400x3 at
    /// ten seconds: gone.)
    pub(crate) fn improve_starts(
        &self,
        starts: Vec<State<'_>>,
        control: &mut Control<'_>,
    ) -> Vec<u32> {
        let Some(p) = starts.first().map(|s| s.p) else {
            return Vec::new();
        };
        let mut nb = Neighbourhoods {
            chains: Chains::new(p, self.depth, self.breadth, self.candidates),
            exchange: Exchange::default(),
            replacements: Replacements::default(),
        };
        let plan = Plan::of(p);
        let mut dirty = vec![true; p.targets()];
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut best: Option<(f64, Vec<u32>)> = None;
        for mut s in starts {
            if control.stopped() && best.is_some() {
                break;
            }
            dirty.fill(true);
            descend(&mut s, &mut nb, plan, &mut dirty, control);
            let (obj, x) = self.perturb(s, &mut nb, &mut dirty, &mut rng, control);
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
        nb: &mut Neighbourhoods,
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
                    descend(&mut s, nb, Plan::ChainsOnly, dirty, control);
                    if s.tracked_objective() < best_obj * (1.0 + POLISH) {
                        descend(&mut s, nb, plan, dirty, control);
                    }
                }
                _ => descend(&mut s, nb, plan, dirty, control),
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

/// The neighbourhoods of a descent, with their buffers, kept from one
/// descent to the next. The replacements (`replacements`) come after the
/// exchange: a call costs about as much as several exchanges (every copy
/// against every place), and they move what it cannot (re-pairings of
/// two-copy targets, and paths that change two targets' loads).
pub(crate) struct Neighbourhoods {
    chains: Chains,
    exchange: Exchange,
    replacements: Replacements,
}

/// Which neighbourhoods a descent uses, in what order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// The chains only (with the block and hold moves, as every plan).
    ChainsOnly,
    /// The chains; the exchange when they find nothing; the replacements
    /// when it finds nothing either.
    ChainsFirst,
    /// The exchange; the replacements when it finds nothing; the chains
    /// when they find nothing either.
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
    nb: &mut Neighbourhoods,
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
        let (ch, ex, re) = (&mut nb.chains, &mut nb.exchange, &mut nb.replacements);
        match plan {
            Plan::ChainsOnly => improved |= ch.improve(s, threshold, dirty, control),
            Plan::ChainsFirst => {
                improved |= ch.improve(s, threshold, dirty, control);
                if !improved {
                    improved = ex.improve(s, threshold, dirty, control);
                }
                if !improved {
                    improved = re.improve(s, threshold, dirty, control);
                }
            }
            Plan::ExchangeFirst => {
                improved |= ex.improve(s, threshold, dirty, control);
                if !improved {
                    improved = re.improve(s, threshold, dirty, control);
                }
                if !improved {
                    improved = ch.improve(s, threshold, dirty, control);
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
/// (its gains on a target shrink geometrically with each copy). One scan
/// of the targets per type: a copy placed changes only its own target's
/// gain, so the best targets of the scan and the changed gains hold every
/// next best (ties to the lower target, as a scan per copy would).
fn reoptimize_types(
    s: &mut State<'_>,
    threshold: f64,
    dirty: &mut [bool],
    control: &mut Control<'_>,
) -> bool {
    let mut improved = false;
    let mut best: Vec<(f64, usize)> = Vec::new();
    for i in 0..s.m {
        if control.stopped() {
            break;
        }
        let before = s.tracked_objective();
        let old: Vec<u32> = s.x[i * s.n..(i + 1) * s.n].to_vec();
        let placed = place_type(s, i, &mut best);
        control.spend((placed + 1) * s.n as u64);
        if s.x[i * s.n..(i + 1) * s.n] == old[..] {
            // Placed as before: nothing to gain (only float noise).
            continue;
        }
        if s.tracked_objective() - before < threshold {
            improved = true;
            for j in 0..s.n {
                if s.x[i * s.n + j] != old[j] {
                    dirty[j] = true;
                }
            }
        } else {
            // No better (float noise): put the old placement back.
            restore_type(s, i, &old);
        }
    }
    improved
}

/// Takes every copy of `i` off and places them again by greedy marginal
/// return; returns how many it placed. `best` is a buffer.
fn place_type(s: &mut State<'_>, i: usize, best: &mut Vec<(f64, usize)>) -> u64 {
    for j in 0..s.n {
        if s.x[i * s.n + j] > 0 {
            s.set_count(i, j, 0);
        }
    }
    let copies = s.left[i] as usize;
    best.clear();
    for j in 0..s.n {
        if s.has_room(j) {
            keep_least(best, (s.add_delta(i, j), j), copies);
        }
    }
    let mut placed = 0u64;
    while s.left[i] > 0 && !best.is_empty() {
        let (d, j) = best.remove(0);
        if !(s.must_fire_all() || d < 0.0) {
            break;
        }
        s.add(i, j);
        placed += 1;
        if s.has_room(j) {
            keep_least(best, (s.add_delta(i, j), j), copies);
        }
    }
    placed
}

/// Inserts `e` into `least` (the `k` least (change, target) pairs, in
/// order, ties to the lower target), if it belongs there.
fn keep_least(least: &mut Vec<(f64, usize)>, e: (f64, usize), k: usize) {
    let at = least.partition_point(|x| x.0 < e.0 || (x.0 == e.0 && x.1 < e.1));
    if at < k {
        if least.len() == k {
            least.pop();
        }
        least.insert(at, e);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Firing;

    /// The block move as first written: a scan of every target for every
    /// copy placed. The oracle of the one-scan version.
    fn reference_placement(s: &mut State<'_>, i: usize) {
        for j in 0..s.n {
            s.set_count(i, j, 0);
        }
        while s.left[i] > 0 {
            let mut best: Option<(usize, f64)> = None;
            for j in (0..s.n).filter(|&j| s.has_room(j)) {
                let d = s.add_delta(i, j);
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((j, d));
                }
            }
            match best {
                Some((j, d)) if s.must_fire_all() || d < 0.0 => s.add(i, j),
                _ => break,
            }
        }
    }

    /// On random problems (caps, hold-fire with costs, equal targets), one
    /// pass of block moves places every type where a scan per copy does.
    #[test]
    fn block_moves_place_each_type_as_a_scan_per_copy_does() {
        let mut rand = crate::test_uniforms(17);
        for case in 0..500 {
            let (m, n) = (1 + case % 4, 2 + case % 7);
            let mut p = Problem::new();
            for _ in 0..m {
                p.add_weapon_type(1 + (rand() * 4.0) as u32, (rand() * 3.0).floor());
            }
            for _ in 0..n {
                let cap = (rand() < 0.3).then(|| 1 + (rand() * 2.0) as u32);
                let value = if rand() < 0.5 {
                    4.0
                } else {
                    1.0 + 9.0 * rand()
                };
                p.add_target_capped(value, cap);
            }
            for i in 0..m {
                for j in 0..n {
                    let pk = if rand() < 0.4 { 0.5 } else { rand() };
                    p.set_pk(i, j, pk).expect("a probability");
                }
            }
            if case % 2 == 1 || p.validate().is_err() {
                p.set_firing(Firing::MayHold).set_cost_weight(0.2);
            }
            let mut s = State::empty(&p);
            crate::greedy::greedy_fill(&mut s, &mut Control::new(u64::MAX, None));
            let mut want = s.clone();
            for i in 0..m {
                let mut got = want.clone();
                reference_placement(&mut want, i);
                place_type(&mut got, i, &mut Vec::new());
                assert_eq!(got.x, want.x, "case {case}, type {i}");
            }
            let mut dirty = vec![false; n];
            let mut control = Control::new(u64::MAX, None);
            // And the whole pass never makes things worse.
            let before = s.tracked_objective();
            reoptimize_types(&mut s, -1e-12 * before.abs(), &mut dirty, &mut control);
            assert!(
                s.tracked_objective() <= before + 1e-12 * before.abs(),
                "case {case}"
            );
        }
    }
}
