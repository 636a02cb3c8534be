//! The exact solver equals brute-force enumeration, and no heuristic beats it.

use rampart_wta::{Exact, Greedy, LocalSearch, Problem, Status};

use crate::{brute_force, small_problem};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The exact solver's answer is feasible, proven optimal and as good as
/// enumeration's; returns the optimum.
fn exact_matches_brute_force(p: &Problem, seed: u64) -> f64 {
    let (truth, _) = brute_force(p);
    let exact = p.using(Exact::default()).solve().expect("valid");
    assert!(p.is_feasible(&exact.counts), "seed {seed}: infeasible");
    assert!(
        close(exact.objective, truth),
        "seed {seed}: exact {} vs brute force {truth}",
        exact.objective
    );
    assert_eq!(exact.status, Status::Optimal, "seed {seed}");
    truth
}

#[test]
fn exact_equals_brute_force_on_hundreds_of_small_instances() {
    let mut checked = 0;
    for seed in 0..400u64 {
        let p = small_problem(seed, 8, 5, seed % 2 == 1);
        let truth = exact_matches_brute_force(&p, seed);
        for heuristic in [
            p.using(Greedy).solve().expect("valid"),
            p.using(LocalSearch::default()).solve().expect("valid"),
        ] {
            assert!(
                heuristic.objective >= truth - 1e-9 * truth.abs().max(1.0),
                "seed {seed}: {} beats the optimum",
                heuristic.solver
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 400);
}

/// Every target capped at one weapon, hold-fire allowed, with costs: the
/// exact solver's min-cost-flow path against enumeration.
#[test]
fn exact_equals_brute_force_on_single_shot_instances() {
    for seed in 0..300u64 {
        let base = small_problem(seed, 8, 6, true);
        let mut p = Problem::new();
        for i in 0..base.weapon_types() {
            p.add_weapon_type(base.weapon(i).count, base.weapon(i).cost);
        }
        for j in 0..base.targets() {
            p.add_target_capped(base.target(j).value, Some(1));
        }
        for i in 0..p.weapon_types() {
            for j in 0..p.targets() {
                p.set_pk(i, j, base.pk(i, j)).expect("in range");
            }
        }
        p.set_firing(rampart_wta::Firing::MayHold);
        p.set_cost_weight(base.cost_weight());
        exact_matches_brute_force(&p, seed);
    }
}

#[test]
fn lower_bounds_are_valid() {
    for seed in 1000..1200u64 {
        let p = small_problem(seed, 8, 5, true);
        let (truth, _) = brute_force(&p);
        // Budgets from tiny (stopped in the first bound pass) to ample (the
        // second pass after the local search, then branch and bound), and a
        // first pass cut short, so that the second starts far from settled.
        let short_first = Exact {
            first_bound_work: 50,
            ..Exact::default()
        };
        for exact in [Exact::default(), short_first] {
            for limit in [200, 2_000, 20_000, 200_000] {
                let s = p.using(exact).work_limit(limit).solve().expect("valid");
                if let Some(lb) = s.lower_bound {
                    assert!(
                        lb <= truth + 1e-9 * truth.abs().max(1.0),
                        "seed {seed}, limit {limit}: bound {lb} above optimum {truth}"
                    );
                }
            }
        }
    }
}

#[test]
fn greedy_is_optimal_with_identical_weapons() {
    for seed in 0..200u64 {
        let base = small_problem(seed, 8, 5, false);
        // Same kill probability for every weapon type against each target.
        let mut p = Problem::new();
        for i in 0..base.weapon_types() {
            p.add_weapon_type(base.weapon(i).count, 0.0);
        }
        for j in 0..base.targets() {
            p.add_target(base.target(j).value);
        }
        for i in 0..p.weapon_types() {
            for j in 0..p.targets() {
                p.set_pk(i, j, base.pk(0, j)).expect("in range");
            }
        }
        assert!(p.has_identical_weapons());
        let (truth, _) = brute_force(&p);
        let greedy = p.using(Greedy).solve().expect("valid");
        assert!(
            close(greedy.objective, truth),
            "seed {seed}: greedy {} vs optimum {truth}",
            greedy.objective
        );
    }
}
