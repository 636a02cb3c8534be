//! Single-shot problems: when every target takes at most one weapon and
//! weapons may hold fire, the objective is linear in the assignment (a
//! target's survival is `v (1 - p)` or `v`), so the problem is a maximum-
//! weight b-matching: weapon type `i` (at most `count` copies) to target
//! `j` (at most one) gains `v_j p_ij - lambda c_i`. It is solved exactly as
//! a transportation problem from the types (their copies) to the targets,
//! each copy free to hold (see [`solve_single_shot`]). The engine's fire
//! decisions are such problems. Among equally good answers, which one comes
//! out follows from the search's order (the lowest node first among equal
//! distances): the same problem always gives the same answer.

use crate::problem::{Firing, Problem};

/// Whether `problem` is a single-shot problem (see the module).
pub(crate) fn is_single_shot(problem: &Problem) -> bool {
    problem.firing() == Firing::MayHold
        && (0..problem.targets()).all(|j| problem.target(j).max_weapons.is_some_and(|c| c <= 1))
}

const NONE: usize = usize::MAX;

/// The optimal assignment of a single-shot problem, as counts, and the
/// work spent (entries of the cost rows scanned).
///
/// It is a transportation problem: weapon type `i` supplies its copies
/// (at most as many as the targets it gains on), each target takes one
/// copy at most at a cost of `-gain`, and a copy may hold at no cost. It
/// is solved exactly by successive shortest paths with node potentials
/// (Edmonds and Karp 1972; Ahuja, Magnanti and Orlin, "Network Flows",
/// 1993, section 9.7), one copy at a time: Dijkstra from the copy's type
/// over reduced costs, through the types, the targets and one sink (a
/// free target or holding reaches it at no cost), the next node found
/// block by block (`Search::settle_nearest`). The copies
/// of a type are interchangeable, so a search scans the cost row of each
/// type it reaches once, however many of its copies it could move (a
/// search by copy scans the row again for every copy of the type it
/// reaches). The search stops when the sink is the nearest node left, and
/// the potentials of the nodes it settled move by their distance, which
/// keeps every reduced cost of the residual network non-negative.
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
    let mut search = Search::new(m, n);
    let mut work = 0u64;
    // Potentials: a type's starts at its largest gain, so that its reduced
    // costs start non-negative; the targets and the sink start at zero.
    // A start: one copy of each type takes its cheapest target if still
    // free (a tight arc at these potentials).
    for i in 0..m {
        let row = &cost[i * n..(i + 1) * n];
        let (mut best, mut at, mut useful) = (0.0f64, NONE, 0);
        for (j, &c) in row.iter().enumerate() {
            if c < best {
                (best, at) = (c, j);
            }
            useful += usize::from(c.is_finite());
        }
        work += n as u64;
        search.excess[i] = (problem.weapon(i).count as usize).min(useful);
        let t = search.type_node(i);
        search.potential[t] = -best;
        if at != NONE && search.owner[at] == NONE && search.excess[i] > 0 {
            search.owner[at] = i;
            search.excess[i] -= 1;
        }
    }
    for i in 0..m {
        while search.excess[i] > 0 {
            work += search.augment(i, &cost);
            search.excess[i] -= 1;
        }
    }
    let mut counts = vec![0u32; m * n];
    for (j, &owner) in search.owner.iter().enumerate() {
        if owner != NONE {
            counts[owner * n + j] = 1;
        }
    }
    (counts, work)
}

/// The state of the successive shortest paths of [`solve_single_shot`].
/// Nodes: the targets `0..n`, the sink `n`, the types `n + 1..`.
struct Search {
    n: usize,
    /// Copies of each type not placed yet.
    excess: Vec<usize>,
    /// Per target, the type whose copy it holds.
    owner: Vec<usize>,
    potential: Vec<f64>,
    /// Per node, its distance in the current search: infinite if not
    /// reached, minus infinity once settled (so that no arc lowers it).
    dist: Vec<f64>,
    /// The same, but infinite once settled: what the next node is chosen
    /// from.
    key: Vec<f64>,
    /// Per node, the node it is reached from.
    pred: Vec<usize>,
    /// Per block of `BLOCK` nodes, the least distance of its nodes not
    /// settled: the next node to settle is found block by block.
    least: Vec<f64>,
    /// The nodes settled in the current search, with their distances.
    order: Vec<(usize, f64)>,
}

/// Nodes per block of [`Search::least`].
const BLOCK: usize = 16;

impl Search {
    fn new(m: usize, n: usize) -> Search {
        let nodes = n + 1 + m;
        Search {
            n,
            excess: vec![0; m],
            owner: vec![NONE; n],
            potential: vec![0.0; nodes],
            dist: vec![f64::INFINITY; nodes],
            key: vec![f64::INFINITY; nodes],
            pred: vec![NONE; nodes],
            least: vec![f64::INFINITY; nodes.div_ceil(BLOCK)],
            order: Vec::new(),
        }
    }

    fn type_node(&self, i: usize) -> usize {
        self.n + 1 + i
    }

    /// Lowers node `x`'s distance to `d` (from `from`) if that is shorter
    /// (never once `x` is settled).
    #[inline]
    fn relax(&mut self, x: usize, d: f64, from: usize) {
        if d < self.dist[x] {
            self.dist[x] = d;
            self.key[x] = d;
            self.pred[x] = from;
            let b = &mut self.least[x / BLOCK];
            if d < *b {
                *b = d;
            }
        }
    }

    /// Settles the nearest node not settled yet (the lowest of equals),
    /// if any is reached.
    fn settle_nearest(&mut self) -> Option<(usize, f64)> {
        // Two passes of each kind (the least, then where it is): both
        // without a branch that depends on the data.
        let best = self
            .least
            .iter()
            .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
        if best == f64::INFINITY {
            return None;
        }
        let block = self.least.iter().position(|&l| l == best)?;
        let nodes = block * BLOCK..((block + 1) * BLOCK).min(self.key.len());
        let keys = &mut self.key[nodes.clone()];
        let k = keys.iter().position(|&d| d == best)?;
        keys[k] = f64::INFINITY;
        self.least[block] = keys
            .iter()
            .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
        let x = nodes.start + k;
        self.dist[x] = f64::NEG_INFINITY;
        self.order.push((x, best));
        Some((x, best))
    }

    /// Places one more copy of type `source` along a shortest path, moving
    /// the copies on it; returns the cost-row entries scanned.
    fn augment(&mut self, source: usize, cost: &[f64]) -> u64 {
        let (n, sink) = (self.n, self.n);
        self.dist.fill(f64::INFINITY);
        self.key.fill(f64::INFINITY);
        self.least.fill(f64::INFINITY);
        self.order.clear();
        let mut work = 0u64;
        let start = self.type_node(source);
        self.relax(start, 0.0, NONE);
        let d_sink = loop {
            // The sink is always reachable (a type may hold), and each
            // node is settled once: the search cannot run dry before it.
            let Some((x, d)) = self.settle_nearest() else {
                debug_assert!(false, "the sink out of reach of type {source}");
                return work;
            };
            if x == sink {
                break d;
            }
            if x < n {
                // A target: free, it reaches the sink; taken, its type
                // (whose copy would move on).
                match self.owner[x] {
                    NONE => {
                        let r = d + self.potential[x] - self.potential[sink];
                        self.relax(sink, r, x);
                    }
                    i => {
                        let t = self.type_node(i);
                        let r = d - cost[i * n + x] + self.potential[x] - self.potential[t];
                        self.relax(t, r, x);
                    }
                }
            } else {
                // A type: every target it gains on (an infinite cost never
                // lowers a distance), and holding.
                let i = x - n - 1;
                let base = d + self.potential[x];
                work += n as u64;
                // `relax` over the row's slices, written out: the hot loop,
                // with one bounds check per slice instead of per entry.
                let row = &cost[i * n..(i + 1) * n];
                let (potential, dist) = (&self.potential[..n], &mut self.dist[..n]);
                let (key, pred) = (&mut self.key[..n], &mut self.pred[..n]);
                for j in 0..n {
                    let r = base + row[j] - potential[j];
                    if r < dist[j] {
                        dist[j] = r;
                        key[j] = r;
                        pred[j] = x;
                        let b = &mut self.least[j / BLOCK];
                        if r < *b {
                            *b = r;
                        }
                    }
                }
                self.relax(sink, base - self.potential[sink], x);
            }
        };
        // Potentials: every settled node moves by its distance short of the
        // sink's (the others by nothing: a common shift is no change).
        for &(x, d) in &self.order {
            self.potential[x] += d - d_sink;
        }
        // The path, back from the sink: a target reached from a type takes
        // that type's copy; a type reached from a target gives up its copy
        // there; the sink reached from a type is a copy that holds.
        let x = self.pred[sink];
        let mut at_type = if x < n {
            let t = self.pred[x];
            self.owner[x] = t - n - 1;
            t
        } else {
            x
        };
        while at_type != start {
            let x = self.pred[at_type];
            let t = self.pred[x];
            self.owner[x] = t - n - 1;
            at_type = t;
        }
        work
    }
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
