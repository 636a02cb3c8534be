//! The metrics of one replication: every number of the engine's run
//! summary by dotted path (`by_fate.killed`, `shots_by_effector_class.gun.cost`),
//! and two derived ones, `leak_fraction` (leakers / threats launched) and
//! `any_hit.KIND` (1 when an asset of that kind took damage, so that its
//! mean is a probability).
//!
//! The list is written out field by field, with the summary destructured
//! whole: a field added to or renamed in the summary does not compile until
//! it is listed here, instead of silently becoming (or ceasing to be) a metric.

use rampart_engine::{FateCounts, Spending, Summary};

/// The metrics of one replication's summary, sorted by name.
pub fn metrics(summary: &Summary) -> Vec<(String, f64)> {
    let Summary {
        // Names and identifiers, not statistics: the night's seed names it.
        scenario: _,
        seed: _,
        policy: _,
        threats_launched,
        by_fate,
        leakers,
        drones_neutralised_fraction,
        drone_leakers,
        shots_by_effector_class,
        defender_cost,
        attacker_cost,
        cost_exchange_ratio,
        damage_by_asset_kind,
        damage_by_asset,
        killed_by_effector_class,
    } = summary;
    let mut out: Vec<(String, f64)> = Vec::with_capacity(64);
    let mut put = |name: String, x: f64| out.push((name, x));
    put("threats_launched".into(), *threats_launched as f64);
    let FateCounts {
        airborne,
        decoy_expired,
        fell_short,
        jammed,
        killed,
        leaked_hit,
        leaked_missed,
    } = by_fate;
    for (key, n) in [
        ("airborne", airborne),
        ("decoy_expired", decoy_expired),
        ("fell_short", fell_short),
        ("jammed", jammed),
        ("killed", killed),
        ("leaked_hit", leaked_hit),
        ("leaked_missed", leaked_missed),
    ] {
        put(format!("by_fate.{key}"), *n as f64);
    }
    put("leakers".into(), *leakers as f64);
    put(
        "drones_neutralised_fraction".into(),
        *drones_neutralised_fraction,
    );
    put("drone_leakers".into(), *drone_leakers as f64);
    for (class, Spending { shots, cost }) in shots_by_effector_class {
        put(
            format!("shots_by_effector_class.{class}.shots"),
            *shots as f64,
        );
        put(format!("shots_by_effector_class.{class}.cost"), *cost);
    }
    put("defender_cost".into(), *defender_cost);
    put("attacker_cost".into(), *attacker_cost);
    put("cost_exchange_ratio".into(), *cost_exchange_ratio);
    for (kind, damage) in damage_by_asset_kind {
        put(format!("damage_by_asset_kind.{kind}"), *damage);
        put(
            format!("any_hit.{kind}"),
            f64::from(u8::from(*damage > 0.0)),
        );
    }
    for (asset, damage) in damage_by_asset {
        put(format!("damage_by_asset.{asset}"), *damage);
    }
    for (class, n) in killed_by_effector_class {
        put(format!("killed_by_effector_class.{class}"), *n as f64);
    }
    let launched = *threats_launched as f64;
    put(
        "leak_fraction".into(),
        if launched > 0.0 {
            *leakers as f64 / launched
        } else {
            0.0
        },
    );
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
