//! Over many repeated studies of a metric whose distribution is known in
//! closed form, the 95% interval must cover the truth about 95% of the time.

use rampart_study::{MonteCarlo, Silent};

#[test]
fn the_95_percent_interval_covers_the_truth_in_92_to_98_percent_of_studies() {
    let (pk, shots) = (0.35, 2u32);
    let truth = 1.0 - (1.0f64 - pk).powi(shots as i32);
    let scenario = crate::scenario(&crate::lone_drone(pk, shots));
    let studies = 200u64;
    let mut covered = 0;
    for k in 0..studies {
        let mc = MonteCarlo {
            scenario: &scenario,
            policy: scenario.doctrine.policy,
            base_seed: 1_000 + k,
        };
        let e = &mc.run(100, &Silent).metrics["by_fate.killed"];
        if e.ci95_low <= truth && truth <= e.ci95_high {
            covered += 1;
        }
    }
    let rate = f64::from(covered) / studies as f64;
    eprintln!("coverage {rate:.3} over {studies} studies (truth {truth:.4})");
    assert!((0.92..=0.98).contains(&rate), "coverage {rate}");
}
