//! The same scenario and seed give the same bytes; doctrines share their luck.

use rampart_engine::{GreedyWta, Nearest, Night, run};

#[test]
fn same_seed_same_bytes() {
    let scenario = crate::example("minimal.toml");
    let a = run(&Night::assemble(&scenario, 11), &GreedyWta);
    let b = run(&Night::assemble(&scenario, 11), &GreedyWta);
    assert_eq!(a.events_jsonl(), b.events_jsonl());
    assert_eq!(
        serde_json::to_string(&a.summary).expect("json"),
        serde_json::to_string(&b.summary).expect("json")
    );
    let c = run(&Night::assemble(&scenario, 12), &GreedyWta);
    assert_ne!(a.events_jsonl(), c.events_jsonl());
}

/// Common random numbers: two doctrines on one seed see the same raid.
#[test]
fn doctrines_see_the_same_raid_on_one_seed() {
    let scenario = crate::example("minimal.toml");
    let night = Night::assemble(&scenario, 5);
    let launches = |o: &rampart_engine::Outcome| -> Vec<String> {
        o.events
            .iter()
            .filter(|e| matches!(e.kind, rampart_engine::EventKind::Launch { .. }))
            .map(|e| serde_json::to_string(e).expect("json"))
            .collect()
    };
    let a = run(&night, &GreedyWta);
    let b = run(&night, &Nearest);
    assert_eq!(launches(&a), launches(&b));
    assert_eq!(a.summary.threats_launched, b.summary.threats_launched);
}

/// Every launched threat has exactly one fate, and the tallies add up.
#[test]
fn every_threat_has_one_fate() {
    let scenario = crate::example("minimal.toml");
    for seed in 0..50 {
        let o = run(&Night::assemble(&scenario, seed), &GreedyWta);
        let s = &o.summary;
        assert_eq!(s.by_fate.values().sum::<u64>(), s.threats_launched);
        assert_eq!(
            s.leakers,
            s.by_fate["leaked_hit"] + s.by_fate["leaked_missed"]
        );
        assert!(o.fates.iter().all(Option::is_some));
        for d in s.damage_by_asset.values() {
            assert!((0.0..=1.0).contains(d));
        }
    }
}
