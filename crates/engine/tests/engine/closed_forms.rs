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
            kills += outcome.summary.by_fate["killed"];
            // One engagement, every round fired at once, never more.
            assert_eq!(
                outcome.summary.shots_by_effector_class["medium-sam"].shots,
                u64::from(shots)
            );
        }
        let truth = 1.0 - (1.0f64 - pk).powi(shots as i32);
        let observed = kills as f64 / reps as f64;
        let half_width = 2.576 * (truth * (1.0 - truth) / reps as f64).sqrt();
        assert!(
            (observed - truth).abs() <= half_width,
            "p = {pk}, n = {shots}: observed {observed}, expected {truth} +/- {half_width}"
        );
    }
}
