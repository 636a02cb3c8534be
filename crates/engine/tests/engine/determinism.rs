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

/// FNV-1a, 64 bits: a digest that no library version can change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn digest(name: &str, seed: u64) -> String {
    let scenario = crate::example(name);
    let o = run(&Night::assemble(&scenario, seed), &GreedyWta);
    let summary = serde_json::to_string(&o.summary).expect("json");
    format!(
        "{:016x} {:016x}",
        fnv1a(summary.as_bytes()),
        fnv1a(o.events_jsonl().as_bytes())
    )
}

/// Golden digests of each example's summary and event log. A change here is
/// a change of the engine's behaviour: make it on purpose, say why in the
/// commit, and update the digest.
#[test]
fn golden_digests_of_the_examples() {
    assert_eq!(
        digest("minimal.toml", 1),
        "4194bef359b0a9b7 8905b840c9933e9b"
    );
    assert_eq!(
        digest("night-raid.toml", 20250709),
        "cf5cf90bd6c3ed75 aa1a4fec9b977d31"
    );
}
