//! One test per bug found in review of the engine's first cut.

use rampart_engine::{EventKind, GreedyWta, Nearest, Night, run};
use rampart_model::{Scenario, parse_scenario};

fn fixture(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/engine/fixtures")
        .join(name);
    parse_scenario(&std::fs::read_to_string(path).expect("fixture")).expect("valid fixture")
}

/// The doctrine's shot limit applied to all units together, so after a
/// medium SAM's misses no later layer (the gun at the asset) could engage.
#[test]
fn later_layers_engage_after_earlier_misses() {
    let s = fixture("layers.toml");
    let o = run(&Night::assemble(&s, 1), &GreedyWta);
    assert!(o.summary.shots_by_effector_class["gun"].shots > 0);
    assert_eq!(o.summary.leakers, 0, "{:?}", o.summary.by_fate);
}

/// An armed threat that runs out of endurance was counted as a leaker.
#[test]
fn threats_that_fall_short_are_not_leakers() {
    let s = fixture("endurance.toml");
    let o = run(&Night::assemble(&s, 1), &GreedyWta);
    assert_eq!(o.summary.by_fate.fell_short, 3);
    assert_eq!(o.summary.leakers, 0);
}

/// Kill draws were keyed by unit, so two doctrines firing different units
/// at the same threat did not share their luck (common random numbers). Now
/// the first shot draws the same number whoever fires it: the better unit
/// (pk 0.6) kills whenever the worse one (pk 0.5) would have.
#[test]
fn the_same_shot_has_the_same_luck_whoever_fires_it() {
    let s = fixture("two_units.toml");
    // (unit of the first shot, whether it killed)
    let first = |o: &rampart_engine::Outcome| -> Option<(usize, bool)> {
        let unit = o.events.iter().find_map(|e| match e.kind {
            EventKind::Shot { effector, .. } => Some(effector),
            _ => None,
        })?;
        let killed = o.events.iter().find_map(|e| match e.kind {
            EventKind::Killed { .. } => Some(true),
            EventKind::Missed { .. } => Some(false),
            _ => None,
        })?;
        Some((unit, killed))
    };
    let mut compared = 0;
    for seed in 0..200 {
        let night = Night::assemble(&s, seed);
        let (Some((ua, ka)), Some((ub, kb))) = (
            first(&run(&night, &Nearest)),
            first(&run(&night, &GreedyWta)),
        ) else {
            continue;
        };
        if ua == ub {
            continue;
        }
        compared += 1;
        // Unit 0 is "far" (pk 0.6), unit 1 is "near" (pk 0.5).
        let (far_killed, near_killed) = if ua == 0 { (ka, kb) } else { (kb, ka) };
        assert!(
            far_killed || !near_killed,
            "seed {seed}: the worse unit killed, the better missed"
        );
    }
    assert!(compared > 100, "{compared}");
}

/// Threat evaluation counted only the damage an asset could still take, so
/// once a leaker destroyed an asset the cost rule forbade every shot at the
/// threats that followed it there: each leak made the next ones likelier.
#[test]
fn threats_at_an_asset_already_hit_are_still_engaged() {
    let s = fixture("after_a_hit.toml");
    let o = run(&Night::assemble(&s, 1), &GreedyWta);
    let missile_hit = o.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::Impact {
                threat: 0,
                hit: true,
                ..
            }
        )
    });
    assert!(missile_hit, "{:?}", o.summary.by_fate);
    let shots_at_drone = o
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Shot { threat: 1, .. }))
        .count();
    assert_eq!(shots_at_drone, 1, "{:?}", o.summary.by_fate);
}

/// A review found that an absurdly slow interceptor or threat overflowed
/// the lead time and the leg times (a panic in a debug build). Absurd
/// speeds must give absurd nights, not overflows.
#[test]
fn absurd_speeds_do_not_overflow() {
    let base = include_str!("../../../../tests/fixtures/lone-drone.toml.in")
        .replace("{pk}", "0.5")
        .replace("{shots}", "2");
    let slow_interceptor = base.replace(
        "interceptor_speed = \"800 m/s\"",
        "interceptor_speed = \"0.000000000000001 m/s\"",
    );
    let slow_threat = base.replace("threat = \"shahed-type\"", "threat = \"crawler\"")
        + "\n[[threat]]\nid = \"crawler\"\nclass = \"shahed-type\"\nspeed = \"0.000000000000001 m/s\"\n";
    for text in [slow_interceptor, slow_threat] {
        let scenario = parse_scenario(&text).expect("valid scenario");
        for policy in [&GreedyWta as &dyn rampart_engine::Policy, &Nearest] {
            let o = run(&Night::assemble(&scenario, 3), policy);
            assert_eq!(o.summary.threats_launched, 1);
            assert_eq!(o.summary.by_fate.total(), 1);
        }
    }
}
