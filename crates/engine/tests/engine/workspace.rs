//! A workspace keeps tables, path windows and buffers from night to night;
//! it must change no outcome. Each night run in a workspace, after whatever
//! ran there before, gives the same outcome as the same night run alone.

use rampart_engine::{EventLog, GreedyWta, Nearest, Night, OptimalWta, Policy, Workspace, run};
use rampart_model::Scenario;

/// The outcome's every field, NaN included, as text.
fn bytes(o: &rampart_engine::Outcome) -> String {
    format!("{o:?}")
}

/// Nights of `scenario` on `seeds` in one workspace, policies taking turns,
/// each against a fresh run.
pub fn check_nights(name: &str, scenario: &Scenario, seeds: &[u64]) {
    let policies: [&dyn Policy; 3] = [&Nearest, &GreedyWta, &OptimalWta::default()];
    let mut ws = Workspace::new(scenario);
    for (k, &seed) in seeds.iter().enumerate() {
        let policy = policies[k % policies.len()];
        let night = Night::assemble(scenario, seed);
        let alone = run(&night, policy);
        let kept = ws.run(&night, policy, EventLog::Keep);
        assert_eq!(
            bytes(&kept),
            bytes(&alone),
            "{name}, night {k} (seed {seed}, {})",
            policy.name()
        );
    }
}

#[test]
fn nights_in_a_workspace_match_nights_alone_on_the_examples() {
    for name in ["minimal.toml", "night-raid.toml"] {
        check_nights(
            name,
            &crate::example(name),
            &[1, 20250709, 1, 7, 3, 20250709],
        );
    }
}

/// Poisson raids: the number of threats changes from night to night, so the
/// kept buffers shrink and grow.
#[test]
fn nights_of_different_sizes_match_nights_alone() {
    let scenario = crate::loss_system(3, 90.0, 40.0);
    let sizes: Vec<usize> = (1..8)
        .map(|s| Night::assemble(&scenario, s).threats.len())
        .collect();
    assert!(
        sizes.iter().min() < sizes.iter().max(),
        "the nights differ in size: {sizes:?}"
    );
    check_nights("loss system", &scenario, &[1, 2, 3, 4, 5, 6, 7]);
}

/// A night of another scenario runs with fresh tables and leaves the
/// workspace as it was.
#[test]
fn a_night_of_another_scenario_runs_alone() {
    let mine = crate::example("night-raid.toml");
    let other = crate::example("minimal.toml");
    let mut ws = Workspace::new(&mine);
    let night = Night::assemble(&mine, 4);
    let first = ws.run(&night, &GreedyWta, EventLog::Keep);
    let foreign = Night::assemble(&other, 4);
    assert_eq!(
        bytes(&ws.run(&foreign, &GreedyWta, EventLog::Keep)),
        bytes(&run(&foreign, &GreedyWta))
    );
    // An equal copy is another scenario too: fresh tables, same outcome.
    let copy = mine.clone();
    let night_of_copy = Night::assemble(&copy, 4);
    assert_eq!(
        bytes(&ws.run(&night_of_copy, &GreedyWta, EventLog::Keep)),
        bytes(&first)
    );
    assert_eq!(
        bytes(&ws.run(&night, &GreedyWta, EventLog::Keep)),
        bytes(&first)
    );
}
