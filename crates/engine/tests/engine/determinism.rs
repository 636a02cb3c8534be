//! The same scenario and seed give the same bytes; doctrines share their luck.

use rampart_engine::{GreedyWta, Nearest, Night, run};

#[test]
fn same_seed_same_bytes() {
    let scenario = crate::example("minimal.toml");
    let a = run(&Night::assemble(&scenario, 11), &GreedyWta);
    let b = run(&Night::assemble(&scenario, 11), &GreedyWta);
    assert_eq!(
        a.events_jsonl().expect("events serialise"),
        b.events_jsonl().expect("events serialise")
    );
    assert_eq!(
        serde_json::to_string(&a.summary).expect("json"),
        serde_json::to_string(&b.summary).expect("json")
    );
    let c = run(&Night::assemble(&scenario, 12), &GreedyWta);
    assert_ne!(
        a.events_jsonl().expect("events serialise"),
        c.events_jsonl().expect("events serialise")
    );
}

/// Common random numbers: two doctrines on one seed see the same raid,
/// each from its own assembly of the night.
#[test]
fn doctrines_see_the_same_raid_on_one_seed() {
    let scenario = crate::example("night-raid.toml");
    let launches = |o: &rampart_engine::Outcome| -> Vec<String> {
        o.events
            .iter()
            .filter(|e| matches!(e.kind, rampart_engine::EventKind::Launch { .. }))
            .map(|e| serde_json::to_string(e).expect("json"))
            .collect()
    };
    let a = run(&Night::assemble(&scenario, 5), &GreedyWta);
    let b = run(&Night::assemble(&scenario, 5), &Nearest);
    assert!(!launches(&a).is_empty());
    assert_eq!(launches(&a), launches(&b));
    assert_eq!(a.summary.threats_launched, b.summary.threats_launched);
    assert_ne!(
        a.events_jsonl().expect("events serialise"),
        b.events_jsonl().expect("events serialise"),
        "the doctrines differ"
    );
}

/// Every launched threat has at most one end in the event log, and the
/// summary's tallies are those of the log, counted here independently
/// (the summary counts fates; this counts events): launches, kills, jams,
/// impacts that hit or missed, expiries of decoys and of armed threats,
/// and the threats still flying.
#[test]
fn the_summary_tallies_what_the_event_log_says() {
    use rampart_engine::EventKind as K;
    let scenario = crate::example("night-raid.toml");
    for seed in 0..8 {
        let night = Night::assemble(&scenario, seed);
        let o = run(&night, &GreedyWta);
        let mut ends = vec![0u32; night.threats.len()];
        let mut launched = 0u64;
        let mut tally = std::collections::BTreeMap::<&str, u64>::new();
        for e in &o.events {
            let (threat, key) = match e.kind {
                K::Launch { .. } => {
                    launched += 1;
                    continue;
                }
                K::Killed { threat, .. } => (threat, "killed"),
                K::Jammed { threat, .. } => (threat, "jammed"),
                K::Impact { threat, hit, .. } => {
                    (threat, if hit { "leaked_hit" } else { "leaked_missed" })
                }
                K::Expired { threat } => {
                    let decoy = night.class(&night.threats[threat]).decoy;
                    (threat, if decoy { "decoy_expired" } else { "fell_short" })
                }
                _ => continue,
            };
            ends[threat] += 1;
            *tally.entry(key).or_default() += 1;
        }
        assert!(
            ends.iter().all(|&n| n <= 1),
            "seed {seed}: a threat ended twice"
        );
        let ended: u64 = tally.values().sum();
        tally.insert("airborne", launched - ended);
        let s = &o.summary;
        assert_eq!(s.threats_launched, launched, "seed {seed}");
        assert!(
            o.fates.iter().all(Option::is_some),
            "seed {seed}: a threat without a fate"
        );
        assert_eq!(s.by_fate.total(), s.threats_launched, "seed {seed}");
        assert_eq!(
            s.leakers,
            tally.get("leaked_hit").copied().unwrap_or(0)
                + tally.get("leaked_missed").copied().unwrap_or(0),
            "seed {seed}"
        );
        for (key, n) in s.by_fate.iter() {
            assert_eq!(
                tally.get(key).copied().unwrap_or(0),
                n,
                "seed {seed}: {key}"
            );
        }
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
        fnv1a(o.events_jsonl().expect("events serialise").as_bytes())
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
