//! The engine against the reference loop (`reference.rs`), which makes the
//! same decisions by brute force: every epoch scans every tracked threat.
//! The engine's epochs look only at what changed; the two must write the
//! same event log and the same fates, byte for byte.

use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, run};

fn compare(name: &str, seeds: &[u64]) {
    let scenario = crate::example(name);
    let policies: [&dyn Policy; 3] = [&Nearest, &GreedyWta, &OptimalWta::default()];
    for &seed in seeds {
        let night = Night::assemble(&scenario, seed);
        for policy in policies {
            let (fates, events) = crate::reference::run(&night, policy);
            let outcome = run(&night, policy);
            let want: Vec<String> = events
                .iter()
                .map(|e| serde_json::to_string(e).expect("json"))
                .collect();
            let got: Vec<String> = outcome
                .events
                .iter()
                .map(|e| serde_json::to_string(e).expect("json"))
                .collect();
            let first_difference = want.iter().zip(&got).position(|(a, b)| a != b);
            assert!(
                want == got,
                "{name}, seed {seed}, {}: {} events against {} of the reference; first difference at {:?}: {:?} against {:?}",
                policy.name(),
                got.len(),
                want.len(),
                first_difference,
                first_difference.map(|k| &got[k]),
                first_difference.map(|k| &want[k]),
            );
            assert_eq!(
                outcome.fates,
                fates,
                "{name}, seed {seed}, {}",
                policy.name()
            );
        }
    }
}

#[test]
fn the_engine_decides_as_the_brute_force_reference_on_the_minimal_example() {
    compare("minimal.toml", &[1, 2, 3]);
}

#[test]
fn the_engine_decides_as_the_brute_force_reference_on_the_night_raid() {
    compare("night-raid.toml", &[1, 20250709, 7]);
}
