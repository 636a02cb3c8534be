//! Exact branch and bound with a Lagrangian lower bound; anytime.

use crate::bound::{Item, target_min};
use crate::local::LocalSearch;
use crate::problem::Problem;
use crate::solve::{Control, OPTIMALITY_TOLERANCE, Solution, Solver, relative_gap};
use crate::state::State;

/// Branch and bound. Single-shot problems (every target capped at one
/// weapon, hold-fire allowed) are linear and go to a min-cost-flow
/// assignment instead, proven optimal. Otherwise: a first pass of the
/// root bound (the convex relaxation, then the Lagrangian relaxation, at
/// most `first_bound_work` units and a quarter of the budget); the local
/// search from three starts, one of them the first pass's relaxed choices
/// repaired (`search_share` of what is left); a second Lagrangian pass from
/// the first pass's multipliers, its steps aimed at the incumbent (three
/// quarters of the rest); then branch and bound copy by copy (copies of
/// one type go to non-decreasing targets, to skip symmetric twins), pruning
/// with the Lagrangian bound of the remaining problem under the root
/// multipliers. It is anytime: stopped by the budget, it answers
/// its incumbent with the best proven bound (status `Feasible`); finished,
/// it answers `Optimal`.
#[derive(Debug, Clone, Copy)]
pub struct Exact {
    pub local: LocalSearch,
    /// Subgradient iterations of each pass for the root multipliers.
    pub subgradient_iterations: u32,
    /// Node limit of each per-target subproblem (beyond: continuous bound).
    pub target_node_limit: u64,
    /// Frank-Wolfe iterations on the convex relaxation (bound and prices).
    pub frank_wolfe_iterations: u32,
    /// Work units of the root bound's first pass (whose multipliers build
    /// the repaired start): fixed, so that a timed solve reaches the same
    /// starts on every run where the time allows.
    pub first_bound_work: u64,
    /// The share (0 to 1) of the budget left after the first pass that the
    /// local search may use; the bound's second pass and branch and bound
    /// have the rest, and whatever the search leaves when it stalls.
    pub search_share: f64,
}

impl Default for Exact {
    fn default() -> Self {
        Exact {
            // Half the local search's own patience: within a second a start
            // that leads nowhere is left sooner for the next. The
            // portfolio's other threads have twenty times this.
            local: LocalSearch {
                patience: 30,
                ..LocalSearch::default()
            },
            subgradient_iterations: 5_000,
            target_node_limit: 1_000,
            frank_wolfe_iterations: 2_000,
            // About 90 ms on the machine of BENCHMARKS.md: a tenth of a
            // one-second solve, the rest for the search (a longer first
            // pass gave no better starts on the public instances).
            first_bound_work: 6_000_000,
            search_share: 0.8,
        }
    }
}

impl Solver for Exact {
    fn name(&self) -> &'static str {
        "exact"
    }

    fn solve(&self, problem: &Problem, control: &mut Control<'_>) -> Solution {
        // Every target capped at one weapon, hold-fire allowed: a linear
        // assignment, solved exactly (`assign`; its cost is bounded by the
        // copies and targets, not by the work limit).
        if crate::assign::is_single_shot(problem) {
            let (x, work) = crate::assign::solve_single_shot(problem);
            control.spend(work);
            let objective = problem.objective_of_counts(&x);
            return Solution::new(problem, self.name(), x, Some(objective), control.work());
        }
        // Phase 1: the root bound's first pass (at most a quarter of the
        // budget, and at most `first_bound_work` units), priced against the
        // greedy answer. Phase 2: the incumbent, by the local search, with
        // `search_share` of what is left. Phase 3: the bound's second pass,
        // then branch and bound.
        let empty = State::empty(problem);
        let rem: Vec<u32> = problem.weapons.iter().map(|w| w.count).collect();
        let greedy = {
            let mut s = State::empty(problem);
            crate::greedy::greedy_fill(&mut s, control);
            s.x
        };
        let (mut root_lb, mut lambda) = self.root_bound(&empty, &rem, &greedy, control);
        // Three starts for the local search: greedy, the copies spread over
        // the targets (`spread`) and the Lagrangian relaxation's own
        // choices repaired to feasibility, by their objective, best first
        // (within a second only the first start is searched; on the large
        // mu=3 instances the repaired start is the best of the three and
        // leads to better optima than greedy).
        // It stops early once every start has stalled.
        let mut starts = vec![State::from_counts(problem, &greedy)];
        starts.extend(crate::spread::spread_start(problem, control));
        if !control.stopped() {
            let repaired = self.repair(&empty, &rem, &lambda, control);
            starts.push(State::from_counts(problem, &repaired));
        }
        crate::local::sort_by_objective(&mut starts);
        let mut search = control.portion(self.search_share);
        let incumbent = self.local.improve_starts(starts, &mut search);
        control.absorb(search);
        let mut best_obj = problem.objective_of_counts(&incumbent);
        let mut best_x = incumbent;
        if relative_gap(best_obj, root_lb) <= OPTIMALITY_TOLERANCE || control.stopped() {
            return Solution::new(problem, self.name(), best_x, Some(root_lb), control.work());
        }
        // The bound's second pass, with three quarters of what is left: from
        // the first pass's multipliers, its steps aimed at the incumbent
        // (far closer to the optimum than the greedy answer the first pass
        // aimed at: the bound it reaches is far better).
        let mut phase = control.portion(0.75);
        let (lb, more) = self.lagrangian(&empty, &rem, best_obj, Some(&lambda), &mut phase);
        control.absorb(phase);
        // Its multipliers bound at least as well as those it started from
        // (its first step evaluates them; stopped before, it returns them),
        // even where the convex bound is the better number.
        root_lb = root_lb.max(lb);
        lambda = more;
        if relative_gap(best_obj, root_lb) <= OPTIMALITY_TOLERANCE || control.stopped() {
            return Solution::new(problem, self.name(), best_x, Some(root_lb), control.work());
        }
        // Depth-first branch and bound over weapon copies.
        let order: Vec<usize> = (0..problem.weapon_types())
            .flat_map(|i| std::iter::repeat_n(i, problem.weapon(i).count as usize))
            .collect();
        let mut bb = Bb {
            exact: self,
            lambda: &lambda,
            order: &order,
            best_obj: &mut best_obj,
            best_x: &mut best_x,
            complete: true,
        };
        let mut s = State::empty(problem);
        let mut last_target = vec![0usize; problem.weapon_types()];
        bb.branch(&mut s, 0, &mut last_target, control);
        let complete = bb.complete && !control.stopped();
        let lb = if complete { best_obj } else { root_lb };
        Solution::new(problem, self.name(), best_x, Some(lb), control.work())
    }
}

struct Bb<'e, 'l> {
    exact: &'e Exact,
    lambda: &'l [f64],
    order: &'l [usize],
    best_obj: &'l mut f64,
    best_x: &'l mut Vec<u32>,
    complete: bool,
}

impl Bb<'_, '_> {
    fn branch(
        &mut self,
        s: &mut State<'_>,
        depth: usize,
        last: &mut [usize],
        control: &mut Control<'_>,
    ) {
        if !control.spend((s.n * s.m) as u64 + 1) {
            self.complete = false;
            return;
        }
        if depth == self.order.len() {
            let obj = s.p.objective_of_counts(&s.x);
            if obj < *self.best_obj {
                *self.best_obj = obj;
                self.best_x.clone_from(&s.x);
            }
            return;
        }
        let rem = remaining(s, self.order, depth);
        let lb = self.exact.bound_with(s, &rem, self.lambda, control);
        if lb >= *self.best_obj * (1.0 - OPTIMALITY_TOLERANCE) {
            return;
        }
        let i = self.order[depth];
        let first_copy = depth == 0 || self.order[depth - 1] != i;
        let from = if first_copy { 0 } else { last[i] };
        let mut targets: Vec<(f64, usize)> = (from..s.n)
            .filter(|&j| s.has_room(j))
            .map(|j| (s.add_delta(i, j), j))
            .collect();
        targets.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let saved = last[i];
        for (_, j) in targets {
            s.add(i, j);
            last[i] = j;
            self.branch(s, depth + 1, last, control);
            s.remove(i, j);
            if !self.complete {
                break;
            }
        }
        last[i] = saved;
        // Holding fire: this copy and (by symmetry) every later copy of its type.
        if !s.must_fire_all() && self.complete {
            let mut skip = depth;
            while skip < self.order.len() && self.order[skip] == i {
                skip += 1;
            }
            self.branch(s, skip, last, control);
        }
    }
}

/// Copies of each type still to place at `depth`.
fn remaining(s: &State<'_>, order: &[usize], depth: usize) -> Vec<u32> {
    let mut rem = vec![0u32; s.m];
    for &i in &order[depth..] {
        rem[i] += 1;
    }
    rem
}

impl Exact {
    /// The root bound's first pass: the convex relaxation (cheap, steady),
    /// then the Lagrangian with integer per-target problems, started from
    /// the best of three sets of prices. It has a quarter of the budget and
    /// at most `first_bound_work` units, so that where time allows it ends
    /// at the same point on every run: the starts built from its
    /// multipliers, and so the timed search, do not depend on the machine's
    /// speed. Returns the bound and the Lagrangian multipliers.
    fn root_bound(
        &self,
        empty: &State<'_>,
        rem: &[u32],
        greedy: &[u32],
        control: &mut Control<'_>,
    ) -> (f64, Vec<f64>) {
        let problem = empty.p;
        let mut phase = control.portion(0.25).at_most(self.first_bound_work);
        let greedy_obj = problem.objective_of_counts(greedy);
        let mut fw_phase = phase.portion(0.2);
        let (convex_lb, fw_prices) =
            crate::bound::frank_wolfe(empty, greedy, self.frank_wolfe_iterations, &mut fw_phase);
        phase.absorb(fw_phase);
        // Start the subgradient from whichever prices bound better: the
        // relaxation's, those read off the greedy answer, or half of each
        // type's best marginal gain.
        let greedy_prices = prices(&State::from_counts(problem, greedy));
        let mut counts = vec![0u32; problem.weapon_types() * problem.targets()];
        let half_best: Vec<f64> = (0..problem.weapon_types())
            .map(|i| {
                let best = (0..problem.targets())
                    .map(|j| -empty.add_delta(i, j))
                    .fold(0.0f64, f64::max);
                0.5 * best
            })
            .collect();
        let mut start = &half_best;
        let mut start_l = self.relaxed(empty, rem, &half_best, &mut counts, &mut phase);
        for candidate in [&greedy_prices, &fw_prices] {
            let l = self.relaxed(empty, rem, candidate, &mut counts, &mut phase);
            if l > start_l {
                (start, start_l) = (candidate, l);
            }
        }
        let (lagrange_lb, lambda) =
            self.lagrangian(empty, rem, greedy_obj, Some(start), &mut phase);
        control.absorb(phase);
        (convex_lb.max(lagrange_lb).max(0.0), lambda)
    }

    /// `L(lambda)` for the remaining copies `rem` on top of the state `s`.
    /// Returns the bound and, per (type, target), the relaxed counts.
    fn relaxed(
        &self,
        s: &State<'_>,
        rem: &[u32],
        lambda: &[f64],
        counts: &mut [u32],
        control: &mut Control<'_>,
    ) -> f64 {
        let (m, n) = (s.m, s.n);
        counts.iter_mut().for_each(|c| *c = 0);
        let mut total = 0.0;
        let mut items: Vec<Item> = Vec::with_capacity(m);
        let mut x = Vec::with_capacity(m);
        for j in 0..n {
            let cap = s.p.targets[j]
                .max_weapons
                .map_or(u32::MAX, |c| c.saturating_sub(s.load[j]));
            items.clear();
            for i in 0..m {
                let a = (-libm::log(s.q(i, j))).max(0.0);
                // Every type with copies left, even one that cannot hurt this
                // target: with a negative multiplier it is worth taking here.
                if rem[i] == 0 {
                    continue;
                }
                items.push(Item {
                    a,
                    pi: lambda[i] + s.unit_cost[i],
                    max: rem[i].min(cap),
                    type_index: i,
                    key: 0.0,
                });
            }
            let (v, _, nodes) =
                target_min(s.surv[j], &mut items, cap, self.target_node_limit, &mut x);
            total += v;
            for (k, it) in items.iter().enumerate() {
                counts[it.type_index * n + j] = x[k];
            }
            control.spend(items.len() as u64 + nodes);
        }
        // Fixed part: the cost of copies already fired.
        let fixed_cost: f64 = (0..m)
            .map(|i| f64::from(s.p.weapons[i].count - s.left[i]) * s.unit_cost[i])
            .sum();
        let dual: f64 = (0..m).map(|i| lambda[i] * f64::from(rem[i])).sum();
        // With MayHold, lambda >= 0 and `sum_j x_ij <= rem_i`: the term is
        // `- lambda_i rem_i` as well (the slack is priced at lambda_i >= 0).
        total + fixed_cost - dual
    }

    /// The relaxed per-target choices at `lambda`, made feasible: copies of
    /// over-used types come off where they are worth least, then the rest is
    /// filled greedily.
    fn repair(
        &self,
        s: &State<'_>,
        rem: &[u32],
        lambda: &[f64],
        control: &mut Control<'_>,
    ) -> Vec<u32> {
        let (m, n) = (s.m, s.n);
        let mut counts = vec![0u32; m * n];
        self.relaxed(s, rem, lambda, &mut counts, control);
        let mut st = State::from_counts_clamped(s.p, &counts);
        for i in 0..m {
            while st.p.weapons[i].count < st.placed(i) {
                let mut worst: Option<(usize, f64)> = None;
                for j in 0..n {
                    if st.x[i * n + j] > 0 {
                        let loss = st.remove_delta(i, j);
                        if worst.is_none_or(|(_, w)| loss < w) {
                            worst = Some((j, loss));
                        }
                    }
                }
                match worst {
                    Some((j, _)) => st.remove(i, j),
                    None => break,
                }
            }
        }
        crate::greedy::greedy_fill(&mut st, control);
        st.x
    }

    fn bound_with(
        &self,
        s: &State<'_>,
        rem: &[u32],
        lambda: &[f64],
        control: &mut Control<'_>,
    ) -> f64 {
        let mut counts = vec![0u32; s.m * s.n];
        self.relaxed(s, rem, lambda, &mut counts, control)
    }

    /// Subgradient ascent on the multipliers; returns the best bound and multipliers.
    pub(crate) fn lagrangian(
        &self,
        s: &State<'_>,
        rem: &[u32],
        upper: f64,
        start: Option<&[f64]>,
        control: &mut Control<'_>,
    ) -> (f64, Vec<f64>) {
        let (m, n) = (s.m, s.n);
        let may_hold = !s.must_fire_all();
        let mut lambda = start.map_or_else(
            || {
                // Half of each type's best marginal gain.
                (0..m)
                    .map(|i| {
                        let best = (0..n).map(|j| -s.add_delta(i, j)).fold(0.0f64, f64::max);
                        (best * 0.5).max(0.0)
                    })
                    .collect()
            },
            <[f64]>::to_vec,
        );
        let mut best = f64::NEG_INFINITY;
        let mut best_lambda = lambda.clone();
        let mut counts = vec![0u32; m * n];
        let mut theta = 1.0;
        let mut stale = 0;
        for _ in 0..self.subgradient_iterations {
            if control.stopped() {
                break;
            }
            let l = self.relaxed(s, rem, &lambda, &mut counts, control);
            if l > best {
                best = l;
                best_lambda.clone_from(&lambda);
                stale = 0;
            } else {
                stale += 1;
                if stale >= 10 {
                    theta *= 0.5;
                    stale = 0;
                }
            }
            if relative_gap(upper, best) <= OPTIMALITY_TOLERANCE || theta < 1e-5 {
                break;
            }
            let mut g = vec![0.0f64; m];
            for i in 0..m {
                let used: u32 = counts[i * n..(i + 1) * n].iter().sum();
                g[i] = f64::from(used) - f64::from(rem[i]);
            }
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm == 0.0 {
                break;
            }
            let step = theta * (upper - l).max(1e-12 * upper.abs()) / norm;
            for i in 0..m {
                lambda[i] += step * g[i];
                if may_hold {
                    lambda[i] = lambda[i].max(0.0);
                }
            }
        }
        // `upper` is a feasible objective: a bound above it is a bug, not a
        // reason to report the incumbent optimal.
        debug_assert!(
            best <= upper + 1e-9 * upper.abs().max(1.0),
            "Lagrangian bound {best} above a feasible objective {upper}"
        );
        (best.min(upper), best_lambda)
    }
}

/// Dual prices read off a complete assignment: for each type, the smallest
/// loss that taking one of its copies away would cause (the value of its
/// marginal copy); 0 for a type with no copy placed.
fn prices(s: &State<'_>) -> Vec<f64> {
    (0..s.m)
        .map(|i| {
            let mut least = f64::INFINITY;
            for j in 0..s.n {
                if s.x[i * s.n + j] > 0 {
                    least = least.min(s.surv_without(i, j) - s.surv[j]);
                }
            }
            if least.is_finite() { least } else { 0.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Firing;
    use crate::solve::Control;

    fn brute(p: &Problem) -> f64 {
        let (m, n) = (p.weapon_types(), p.targets());
        let mut x = vec![0u32; m * n];
        let mut best = f64::INFINITY;
        fn rec(p: &Problem, k: usize, x: &mut Vec<u32>, best: &mut f64) {
            let (m, n) = (p.weapon_types(), p.targets());
            if k == m * n {
                if p.is_feasible(x) {
                    *best = best.min(p.objective_of_counts(x));
                }
                return;
            }
            let i = k / n;
            for c in 0..=p.weapon(i).count {
                x[k] = c;
                rec(p, k + 1, x, best);
            }
            x[k] = 0;
        }
        rec(p, 0, &mut x, &mut best);
        best
    }

    /// A small seeded uniform generator (xorshift64), independent of the crate's.
    fn xorshift(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn random_problem(unit: &mut impl FnMut() -> f64, round: usize) -> Problem {
        let mut p = Problem::new();
        let m = 1 + (unit() * 3.0) as usize;
        let n = 1 + (unit() * 4.0) as usize;
        for _ in 0..m {
            p.add_weapon_type(1 + (unit() * 3.0) as u32, (unit() * 5.0).floor());
        }
        for _ in 0..n {
            let cap = (unit() < 0.3).then(|| 1 + (unit() * 3.0) as u32);
            p.add_target_capped(1.0 + (unit() * 99.0).round(), cap);
        }
        for i in 0..m {
            for j in 0..n {
                let r = unit();
                let pk = if r < 0.1 {
                    1.0
                } else if r < 0.25 {
                    0.0
                } else {
                    unit()
                };
                p.set_pk(i, j, pk).unwrap_or(());
            }
        }
        if round % 2 == 1 {
            p.set_firing(Firing::MayHold);
            p.set_cost_weight(unit());
        }
        if p.validate().is_err() {
            p.set_firing(Firing::MayHold);
        }
        p
    }

    /// Any multipliers give a valid bound (>= 0 ones when weapons may hold).
    #[test]
    fn lagrangian_bound_holds_for_any_multipliers() {
        let mut unit = xorshift(7);
        let exact = Exact::default();
        for round in 0..400 {
            let p = random_problem(&mut unit, round);
            let truth = brute(&p);
            let empty = State::empty(&p);
            let rem: Vec<u32> = p.weapons.iter().map(|w| w.count).collect();
            let mut counts = vec![0u32; p.weapon_types() * p.targets()];
            let mut control = Control::new(u64::MAX, None);
            for _ in 0..5 {
                let lambda: Vec<f64> = (0..p.weapon_types())
                    .map(|_| {
                        let v = unit() * 60.0 - 30.0;
                        if p.firing() == Firing::MayHold {
                            v.abs()
                        } else {
                            v
                        }
                    })
                    .collect();
                let l = exact.relaxed(&empty, &rem, &lambda, &mut counts, &mut control);
                assert!(
                    l <= truth + 1e-9 * truth.abs().max(1.0),
                    "round {round}: L({lambda:?}) = {l} above optimum {truth}: {p:?}"
                );
            }
        }
    }

    /// The root bound's first pass as `solve` runs it (after greedy) under
    /// a budget of `budget` units: its bound, multipliers and work.
    fn first_pass(exact: &Exact, p: &Problem, budget: u64) -> (f64, Vec<f64>, u64) {
        let mut control = Control::new(budget, None);
        let mut s = State::empty(p);
        crate::greedy::greedy_fill(&mut s, &mut control);
        let rem: Vec<u32> = p.weapons.iter().map(|w| w.count).collect();
        let before = control.work();
        let (lb, lambda) = exact.root_bound(&State::empty(p), &rem, &s.x, &mut control);
        (lb, lambda, control.work() - before)
    }

    /// The root bound's first pass ends at its own work cap, not at the
    /// budget's end: every budget with room for it gives the same bound
    /// and multipliers (and so the same repaired start), bit for bit.
    #[test]
    fn first_bound_pass_does_not_depend_on_the_budget() {
        use crate::generate::{Scheme, generate};
        let p = generate(Scheme::AndersenPavlikovToffolo, 30, 60, 3, 5);
        let exact = Exact {
            first_bound_work: 300_000,
            ..Exact::default()
        };
        let pass = |exact: &Exact, budget: u64| {
            let (lb, lambda, work) = first_pass(exact, &p, budget);
            (
                lb.to_bits(),
                lambda.iter().map(|l| l.to_bits()).collect::<Vec<_>>(),
                work,
            )
        };
        let capped = pass(&exact, 2_000_000);
        // It ends at the cap (within the last relaxation's work).
        let cap = exact.first_bound_work;
        assert!(capped.2 >= cap && capped.2 < 2 * cap, "{}", capped.2);
        for budget in [10_000_000, 1_000_000_000, u64::MAX] {
            assert_eq!(pass(&exact, budget), capped, "budget {budget}");
        }
        // The cap binds: a larger one reaches other multipliers.
        let uncapped = Exact {
            first_bound_work: 10 * cap,
            ..exact
        };
        let free = pass(&uncapped, u64::MAX);
        assert!(free.2 > capped.2);
        assert_ne!(free.1, capped.1);
        // A budget too small for the cap ends the pass at its quarter.
        assert!(pass(&exact, 400_000).2 < exact.first_bound_work);
    }

    /// After the local search, the bound's second pass proves more than a
    /// short first pass did (never above the answer; validity under many
    /// budgets is the brute-force suite's).
    #[test]
    fn second_bound_pass_raises_the_first() {
        use crate::generate::{Scheme, generate};
        let p = generate(Scheme::AndersenPavlikovToffolo, 20, 40, 3, 11);
        let exact = Exact {
            first_bound_work: 20_000,
            ..Exact::default()
        };
        let (first, _, _) = first_pass(&exact, &p, u64::MAX);
        let solution = exact.solve(&p, &mut Control::new(30_000_000, None));
        let proved = solution.lower_bound.expect("a bound");
        assert!(proved > first * (1.0 + 1e-3), "{proved} against {first}");
        assert!(proved <= solution.objective * (1.0 + 1e-12));
    }

    #[test]
    fn root_bounds_never_exceed_the_optimum() {
        let mut unit = xorshift(99);
        let exact = Exact::default();
        for round in 0..300 {
            let p = random_problem(&mut unit, round);
            let truth = brute(&p);
            let empty = State::empty(&p);
            let rem: Vec<u32> = p.weapons.iter().map(|w| w.count).collect();
            let mut control = Control::new(u64::MAX, None);
            let (lb, _) = exact.lagrangian(&empty, &rem, truth * 1.5 + 1.0, None, &mut control);
            let greedy: Vec<u32> = {
                let mut s = State::empty(&p);
                crate::greedy::greedy_fill(&mut s, &mut control);
                s.x
            };
            let (convex, _) = crate::bound::frank_wolfe(&empty, &greedy, 500, &mut control);
            let tol = 1e-9 * truth.abs().max(1.0);
            assert!(
                lb <= truth + tol,
                "round {round}: Lagrangian {lb} above optimum {truth}"
            );
            assert!(
                convex <= truth + tol,
                "round {round}: convex {convex} above optimum {truth}"
            );
        }
    }
}
