//! One suite for every solver: feasible answers whose objective recomputes,
//! honest statuses, deterministic results.

use proptest::prelude::*;
use rampart_wta::generate::{Scheme, generate};
use rampart_wta::{Exact, Greedy, LocalSearch, Portfolio, Problem, Solution, Solver, Status};

fn solvers() -> Vec<Box<dyn Solver>> {
    vec![
        Box::new(Greedy),
        Box::new(LocalSearch::default()),
        Box::new(Exact::default()),
        Box::new(Portfolio::new(2)),
    ]
}

fn conforms(p: &Problem, s: &Solution) {
    assert!(p.is_feasible(&s.counts), "{}: infeasible", s.solver);
    // The objective recomputes from the pairs, one per copy.
    let n = p.targets();
    let mut counts = vec![0u32; p.weapon_types() * n];
    for (i, j) in s.pairs() {
        counts[i * n + j] += 1;
    }
    assert_eq!(counts, s.counts);
    let recomputed = p.objective_of_counts(&counts);
    assert!((recomputed - s.objective).abs() <= 1e-12 * recomputed.abs().max(1.0));
    match s.status {
        Status::Heuristic => assert!(s.lower_bound.is_none()),
        Status::Optimal => assert!(s.lower_bound.is_some_and(|lb| lb <= s.objective)),
        Status::Feasible { gap } => {
            let lb = s.lower_bound.expect("a bound");
            assert!(lb <= s.objective && gap > 0.0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_solver_answers_feasibly(seed in 0u64..1_000_000, variants in any::<bool>()) {
        let p = crate::small_problem(seed, 12, 7, variants);
        for solver in solvers() {
            let s = p.using(&*solver).work_limit(200_000).solve().expect("valid");
            conforms(&p, &s);
        }
    }

    #[test]
    fn heuristics_are_deterministic(seed in 0u64..1_000_000) {
        let p = generate(Scheme::AndersenPavlikovToffolo, 6, 10, 2, seed);
        for solver in solvers() {
            let a = p.using(&*solver).work_limit(100_000).solve().expect("valid");
            let b = p.using(&*solver).work_limit(100_000).solve().expect("valid");
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn medium_instances_conform_and_local_search_beats_greedy() {
    for (scheme, seed) in [(Scheme::Ahuja, 1), (Scheme::AndersenPavlikovToffolo, 2)] {
        let p = generate(scheme, 20, 30, 2, seed);
        let g = p.using(Greedy).solve().expect("valid");
        let l = p.using(LocalSearch::default()).solve().expect("valid");
        let e = p
            .using(Exact::default())
            .work_limit(5_000_000)
            .solve()
            .expect("valid");
        for s in [&g, &l, &e] {
            conforms(&p, s);
        }
        assert!(l.objective <= g.objective);
        assert!(e.objective <= l.objective + 1e-9);
        assert!(e.lower_bound.is_some());
    }
}

/// Its first thread runs the exact solver on the same budget: the portfolio
/// answers at least as well, with at least as good a bound, and the same
/// whatever the threads' timing.
#[test]
fn a_portfolio_is_no_worse_than_the_exact_solver_alone() {
    for (scheme, seed) in [(Scheme::Ahuja, 3), (Scheme::AndersenPavlikovToffolo, 4)] {
        let p = generate(scheme, 30, 60, 2, seed);
        let e = p
            .using(Exact::default())
            .work_limit(3_000_000)
            .solve()
            .expect("valid");
        let f = p
            .using(Portfolio::new(3))
            .work_limit(3_000_000)
            .solve()
            .expect("valid");
        conforms(&p, &f);
        assert!(
            f.objective <= e.objective,
            "{} > {}",
            f.objective,
            e.objective
        );
        assert!(f.lower_bound >= e.lower_bound);
        let again = p
            .using(Portfolio::new(3))
            .work_limit(3_000_000)
            .solve()
            .expect("valid");
        assert_eq!(f, again);
    }
}

#[test]
fn generator_is_seeded_and_follows_its_scheme() {
    let a = generate(Scheme::Ahuja, 5, 7, 1, 42);
    assert_eq!(a, generate(Scheme::Ahuja, 5, 7, 1, 42));
    assert_ne!(a, generate(Scheme::Ahuja, 5, 7, 1, 43));
    for j in 0..7 {
        assert!((25.0..=100.0).contains(&a.target(j).value));
        for i in 0..5 {
            assert!((0.6..=0.9).contains(&a.pk(i, j)));
        }
    }
    let b = generate(Scheme::AndersenPavlikovToffolo, 5, 7, 3, 42);
    for j in 0..7 {
        let v = b.target(j).value;
        assert!(v.fract() == 0.0 && (1.0..=99.0).contains(&v));
    }
    assert_eq!(b.weapon(0).count, 3);
}
