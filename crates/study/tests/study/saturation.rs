//! The saturation search on a fire unit whose overload point is known in
//! closed form (Erlang's loss formula).

use rampart_study::{Saturation, SearchOutcome, Silent};

#[test]
fn the_search_brackets_the_erlang_b_overload_point() {
    // Two channels, 90 s engagements: B(2, a) = 0.2 exactly at a = 1, that
    // is lambda = mu = 40 per hour.
    let (channels, mean_s, limit) = (2, 90.0, 0.2);
    assert!((crate::erlang_b(channels, 1.0) - limit).abs() < 1e-12);
    let truth = 3600.0 / mean_s;
    let search = Saturation {
        text: crate::loss_system(channels, mean_s, 20.0),
        path: "raid.stream.rate".into(),
        metric: "leak_fraction".into(),
        limit,
        from: 10.0,
        to: 120.0,
        integer: false,
        tolerance: 1.0,
        base_seed: 4,
        policy: None,
        initial_reps: 40,
        max_reps: 320,
    };
    let result = search.run(&Silent, &mut |_| {}).expect("search");
    assert_eq!(result.outcome, SearchOutcome::Found);
    let (lo, hi) = result.interval.expect("interval");
    eprintln!(
        "bracket [{lo}, {hi}], estimate {:?}, truth {truth}, {} probes, {} nights",
        result.overload,
        result.curve.len(),
        result.replications
    );
    assert!(lo <= truth && truth <= hi, "[{lo}, {hi}] misses {truth}");
    let x = result.overload.expect("crossing");
    assert!(lo <= x && x <= hi);
    // The curve it saw rises through the limit.
    assert!(result.curve.first().is_some_and(|p| p.mean < limit));
    assert!(result.curve.last().is_some_and(|p| p.mean > limit));
}
