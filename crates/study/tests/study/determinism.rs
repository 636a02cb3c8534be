//! The same study gives the same bits whatever the number of threads.

use rampart_study::{Comparison, MonteCarlo, Silent};

fn pool(n: usize) -> rayon::ThreadPool {
    match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
        Ok(p) => p,
        Err(e) => panic!("thread pool: {e}"),
    }
}

#[test]
fn monte_carlo_is_bit_identical_for_1_2_and_3_threads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/minimal.toml");
    let text = std::fs::read_to_string(path).expect("example");
    let scenario = crate::scenario(&text);
    let mc = MonteCarlo {
        scenario: &scenario,
        policy: scenario.doctrine.policy,
        base_seed: 5,
    };
    // More than one block, so that the order of the fold matters.
    let reps = rampart_study::BLOCK + 44;
    let runs: Vec<String> = [1, 2, 3]
        .iter()
        .map(|&t| {
            let r = pool(t).install(|| mc.run(reps, &Silent));
            serde_json::to_string(&r).expect("json")
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn comparison_is_bit_identical_for_1_and_2_threads_and_pairs_the_seeds() {
    let a = crate::scenario(&crate::lone_drone(0.3, 1));
    let b = crate::scenario(&crate::lone_drone(0.6, 1));
    let study = Comparison {
        variants: vec![
            ("low".into(), &a, a.doctrine.policy),
            ("high".into(), &b, b.doctrine.policy),
        ],
        base_seed: 9,
    };
    let one = pool(1).install(|| study.run(400, &Silent));
    let two = pool(2).install(|| study.run(400, &Silent));
    assert_eq!(
        serde_json::to_string(&one).expect("json"),
        serde_json::to_string(&two).expect("json")
    );
    // Common random numbers: the first shot draws the same number in both
    // variants, so pk 0.6 kills whenever pk 0.3 does: no night is worse.
    let d = &one.differences["high"]["by_fate.killed"];
    assert!(d.min >= 0.0, "{d:?}");
    assert!((d.mean - 0.3).abs() < 0.1, "{d:?}");
    let verdict = &one.verdicts("by_fate.killed")[0];
    assert!(verdict.starts_with("high gives"), "{verdict}");
    assert!(
        verdict.contains("more `by_fate.killed` than low"),
        "{verdict}"
    );
}
