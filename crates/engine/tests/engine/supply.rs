//! A night's supply of rounds: a unit never fires more than its supply, and
//! reloads from it until it is gone.

use rampart_engine::{EventKind, GreedyWta, Night, run};
use rampart_model::EffectorRole;

#[test]
fn no_unit_fires_more_than_its_supply() {
    let s = crate::example("night-raid.toml");
    for cap in [0u32, 1, 3, 50] {
        let mut night = Night::assemble(&s, 20250709);
        night.supply = vec![Some(cap); s.effectors.len()];
        let out = run(&night, &GreedyWta);
        for (u, &shots) in out.shots_by_unit.iter().enumerate() {
            assert!(shots <= u64::from(cap), "unit {u}: {shots} > {cap}");
        }
        if cap == 0 {
            assert_eq!(out.shots_by_unit.iter().sum::<u64>(), 0);
        }
    }
}

#[test]
fn a_supply_beyond_the_magazine_is_reloaded_and_then_runs_out() {
    let s = crate::example("night-raid.toml");
    let unlimited = run(&Night::assemble(&s, 20250709), &GreedyWta);
    // A gun that fires more than one magazine in the unlimited night.
    let (u, magazine) = s
        .effectors
        .iter()
        .enumerate()
        .find_map(|(u, e)| match &e.role {
            EffectorRole::Shooter(w) if unlimited.shots_by_unit[u] > u64::from(w.magazine) => {
                Some((u, w.magazine))
            }
            _ => None,
        })
        .expect("a unit that reloads in the example");
    let mut night = Night::assemble(&s, 20250709);
    let cap = magazine + magazine / 2;
    night.supply[u] = Some(cap);
    let out = run(&night, &GreedyWta);
    assert!(out.shots_by_unit[u] > u64::from(magazine), "it reloaded");
    assert!(
        out.shots_by_unit[u] <= u64::from(cap),
        "and stopped at its supply"
    );
    let reloads = out
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Reloaded { effector } if effector == u))
        .count();
    assert_eq!(reloads, 1, "one partial reload, then the depot is empty");
}
