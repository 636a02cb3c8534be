//! Checks against closed formulas over many seeds, each within a 99% interval.

use rampart_engine::{GreedyWta, Night, run};

/// n independent shots of kill probability p kill with probability 1-(1-p)^n.
#[test]
fn independent_shots_kill_with_one_minus_q_to_the_n() {
    for &(pk, shots) in &[(0.3, 1u32), (0.3, 3), (0.6, 2)] {
        let scenario = crate::lone_drone(pk, shots);
        let reps = 2_000u64;
        let mut kills = 0u64;
        for seed in 0..reps {
            let night = Night::assemble(&scenario, seed);
            let outcome = run(&night, &GreedyWta);
            kills += outcome.summary.by_fate.killed;
            // One engagement, every round fired at once, never more.
            assert_eq!(
                outcome.summary.shots_by_effector_class["medium-sam"].shots,
                u64::from(shots)
            );
        }
        let truth = 1.0 - (1.0f64 - pk).powi(shots as i32);
        let observed = kills as f64 / reps as f64;
        let half_width = 2.576 * (truth * (1.0 - truth) / reps as f64).sqrt();
        eprintln!(
            "p = {pk}, n = {shots}: killed {observed:.4}, 1-(1-p)^n = {truth:.4} +/- {half_width:.4}"
        );
        assert!(
            (observed - truth).abs() <= half_width,
            "p = {pk}, n = {shots}: observed {observed}, expected {truth} +/- {half_width}"
        );
    }
}

/// Erlang-B recursion: B(0) = 1; B(k) = a B(k-1) / (k + a B(k-1)).
fn erlang_b(channels: u32, a: f64) -> f64 {
    (1..=channels).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// A fire unit with c channels, Poisson arrivals at rate lambda, exponential
/// engagement times of mean 1/mu, Pk = 1 and no waiting lets through the
/// Erlang-B fraction B(c, lambda/mu) of the threats.
#[test]
fn saturated_fire_unit_leaks_the_erlang_b_fraction() {
    let (channels, per_hour, mean_s) = (2u32, 60.0, 90.0);
    let scenario = crate::loss_system(channels, mean_s, per_hour);
    let reps = 200u64;
    let fractions: Vec<f64> = (0..reps)
        .map(|seed| {
            let o = run(&Night::assemble(&scenario, seed), &GreedyWta);
            o.summary.leakers as f64 / o.summary.threats_launched as f64
        })
        .collect();
    let mean = fractions.iter().sum::<f64>() / reps as f64;
    let var = fractions.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / (reps - 1) as f64;
    let half_width = 2.60 * (var / reps as f64).sqrt();
    let truth = erlang_b(channels, per_hour / 3600.0 * mean_s);
    assert!((truth - 0.310_345).abs() < 1e-5);
    eprintln!("leak fraction {mean:.4} +/- {half_width:.4} (99%), Erlang-B {truth:.4}");
    assert!(
        (mean - truth).abs() <= half_width,
        "leak fraction {mean} +/- {half_width}, Erlang-B {truth}"
    );
}
