//! One test per bug found in review.

use rampart_wta::{DEFAULT_WORK_LIMIT, Deadline, Exact, Firing, Greedy, Problem, Status};

/// A type that cannot hurt a target was left out of that target's
/// Lagrangian subproblem; with a negative multiplier it lowers the
/// subproblem, so the bound came out too high and a non-optimal answer was
/// called optimal.
#[test]
fn types_with_zero_kill_probability_still_count_in_the_bound() {
    let mut p = Problem::new();
    let a = p.add_weapon_type(1, 0.0);
    let b = p.add_weapon_type(1, 0.0);
    let t = p.add_target_capped(1.0, Some(1));
    let u = p.add_target(1.0);
    p.set_pk(a, t, 0.5).unwrap_or(());
    p.set_pk(a, u, 0.0).unwrap_or(());
    p.set_pk(b, t, 0.9).unwrap_or(());
    p.set_pk(b, u, 0.1).unwrap_or(());
    p.set_firing(Firing::AllWeapons);
    let s = p.using(Exact::default()).solve().expect("valid");
    // B on T, A on U: 0.1 + 1.0.
    assert!((s.objective - 1.1).abs() < 1e-12, "{}", s.objective);
    assert_eq!(s.status, Status::Optimal);
    assert!(s.lower_bound.is_some_and(|lb| lb <= 1.1 + 1e-12));
}

/// A kill probability of 1 was held as a survival of 1e-12: on a target of
/// value 1e12 that is a survival of 1, not 0, and the solver called a worse
/// answer optimal.
#[test]
fn certain_kills_on_huge_values_are_exact() {
    let mut p = Problem::new();
    let a = p.add_weapon_type(1, 0.0);
    let b = p.add_weapon_type(1, 0.0);
    let big = p.add_target(1e12);
    let small = p.add_target(10.0);
    p.set_pk(a, big, 1.0).unwrap_or(());
    p.set_pk(a, small, 0.9).unwrap_or(());
    p.set_pk(b, big, 0.999_999_999_999).unwrap_or(());
    p.set_pk(b, small, 0.85).unwrap_or(());
    let s = p.using(Exact::default()).solve().expect("valid");
    // A on the big target (certain kill), B on the small one: 10 x 0.15.
    assert!((s.objective - 1.5).abs() < 1e-9, "{}", s.objective);
    assert_eq!(s.status, Status::Optimal);
    let local = p
        .using(rampart_wta::LocalSearch::default())
        .solve()
        .expect("valid");
    assert!((local.objective - 1.5).abs() < 1e-9, "{}", local.objective);
}

/// A deadline that never expires.
struct Never;

impl Deadline for Never {
    fn expired(&self) -> bool {
        false
    }
    fn portion(&self, _fraction: f64) -> Box<dyn Deadline> {
        Box::new(Never)
    }
}

/// `rampart wta solve --time-limit 60s` stopped after the default two
/// billion units of work (8 s on a fast machine): with a deadline and no
/// work limit, the deadline alone governs; with neither, the default work
/// limit; a work limit given is kept.
#[test]
fn a_deadline_alone_is_not_cut_short_by_the_default_work_limit() {
    let mut p = Problem::new();
    let a = p.add_weapon_type(1, 0.0);
    let t = p.add_target(1.0);
    p.set_pk(a, t, 0.5).unwrap_or(());
    assert_eq!(p.using(Greedy).budget(), DEFAULT_WORK_LIMIT);
    assert_eq!(p.using(Greedy).deadline(&Never).budget(), u64::MAX);
    assert_eq!(p.using(Greedy).deadline(&Never).work_limit(7).budget(), 7);
    assert_eq!(p.using(Greedy).work_limit(7).budget(), 7);
}
