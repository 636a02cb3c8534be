//! Threat evaluation: what a threat would do if left alone, as the defence
//! sees it, and how much of that a shot now would avert.

use rampart_model::{Hardness, Millis, Scenario, ThreatKind};

/// Effective radius of an asset against a warhead, metres: with a circular
/// error probable `cep`, a leaker hits with probability `1 - 2^-(R/cep)^2`.
pub const ASSET_RADIUS: f64 = 50.0;
/// Time to impact (s) at which a threat's weight in the fire decision is
/// one and a half times its expected damage (twice at impact, one far away).
pub const URGENCY: f64 = 60.0;
/// The least weight a threat keeps for the chance that every layer still
/// ahead of it misses (the defence does not count on them entirely).
pub const LATER_MISS_FLOOR: f64 = 0.05;
/// Accuracy (circular error probable, m) assumed for a threat not yet told to be a decoy.
pub const PRESUMED_CEP: f64 = 15.0;
/// Warhead mass assumed for a threat not yet told to be a decoy, kg.
pub const PRESUMED_WARHEAD: f64 = 50.0;

/// Expected damage a threat would do if left alone, as the defence sees it:
/// asset value x probability of a hit x lethality of one hit, with an
/// undiscriminated decoy taken for a drone.
pub(crate) fn threat_value(sc: &Scenario, class: usize, asset: usize) -> f64 {
    let class = &sc.threats[class];
    let asset = &sc.assets[asset];
    let warhead = if class.decoy || class.kind == ThreatKind::Decoy {
        PRESUMED_WARHEAD
    } else {
        class.warhead
    };
    let cep = if class.decoy {
        PRESUMED_CEP
    } else {
        class.accuracy
    };
    // The defence does not count on its own damage assessment during the
    // night: a threat at an asset already hit is worth as much as the first.
    asset.value * hit_probability(cep) * damage_per_hit(asset.hardness, warhead)
}

/// The weight of a threat in a decision at `t`: its value, weighted up as
/// impact nears (a threat that will be out of reach soon is worth more now)
/// and down by the chance that the layers still ahead of it kill it.
pub(crate) fn weighted_value(value: f64, arrival: Millis, t: Millis, later_miss: f64) -> f64 {
    let tti = (arrival - t).max(0) as f64 / 1000.0;
    value * (1.0 + URGENCY / (URGENCY + tti)) * later_miss.max(LATER_MISS_FLOOR)
}

/// A time before which the urgency weight `1 + URGENCY / (URGENCY + tti)`
/// of a threat arriving at `arrival` stays below `need` (a little early, so
/// that rounding can only make it earlier): `Millis::MIN` when it may
/// already reach it, `arrival` when it never does.
pub(crate) fn urgency_below_until(arrival: Millis, need: f64) -> Millis {
    if need.is_nan() || need <= 1.0 {
        return Millis::MIN;
    }
    if need >= 2.0 {
        return arrival;
    }
    // 1 + U / (U + tti) >= need  <=>  tti <= U / (need - 1) - U.
    let tti_ms = (URGENCY / (need - 1.0) - URGENCY) * 1000.0;
    if !tti_ms.is_finite() || tti_ms >= (arrival as f64) {
        return Millis::MIN;
    }
    arrival - crate::whole::ceil(tti_ms) - 1
}

/// Probability that a leaker hits an asset of effective radius `ASSET_RADIUS`.
pub fn hit_probability(cep: f64) -> f64 {
    if cep <= 0.0 {
        return 1.0;
    }
    let r = ASSET_RADIUS / cep;
    1.0 - libm::pow(0.5, r * r)
}

/// Damage fraction of one hit.
pub fn damage_per_hit(hardness: Hardness, warhead: f64) -> f64 {
    match hardness {
        Hardness::Hits(n) => 1.0 / f64::from(n.max(1)),
        Hardness::WarheadMass(m) => (warhead / m).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_probability_is_one_half_at_a_cep_equal_to_the_radius() {
        assert!((hit_probability(ASSET_RADIUS) - 0.5).abs() < 1e-15);
        assert_eq!(hit_probability(0.0), 1.0);
        // Twice the radius: 1 - 2^(-1/4).
        let want = 1.0 - 0.5f64.powf(0.25);
        assert!((hit_probability(2.0 * ASSET_RADIUS) - want).abs() < 1e-12);
    }

    #[test]
    fn damage_per_hit_by_hardness() {
        assert_eq!(damage_per_hit(Hardness::Hits(4), 90.0), 0.25);
        assert_eq!(damage_per_hit(Hardness::Hits(0), 90.0), 1.0);
        assert_eq!(damage_per_hit(Hardness::WarheadMass(600.0), 90.0), 0.15);
        assert_eq!(damage_per_hit(Hardness::WarheadMass(60.0), 90.0), 1.0);
    }

    /// Before the time it gives, the weight is below the need; a few
    /// milliseconds after it, it is not (the bound is tight).
    #[test]
    fn urgency_holds_until_it_reaches_the_need() {
        let arrival: Millis = 100_000_000;
        let weight = |t: Millis| weighted_value(1.0, arrival, t, 1.0);
        for k in 1..200 {
            let need = 1.0 + f64::from(k) / 200.0;
            let until = urgency_below_until(arrival, need);
            assert!(until > 0 && until < arrival, "{need}: {until}");
            for t in [0, until / 2, until - 1_000, until - 1] {
                assert!(weight(t) < need, "{need}: weight {} at {t}", weight(t));
            }
            assert!(
                weight(until + 3) >= need * (1.0 - 1e-9),
                "{need}: too early {until}"
            );
        }
        assert_eq!(urgency_below_until(arrival, 0.5), Millis::MIN);
        assert_eq!(urgency_below_until(arrival, 2.5), arrival);
        assert_eq!(urgency_below_until(arrival, f64::NAN), Millis::MIN);
    }

    #[test]
    fn urgency_weighs_from_one_to_two() {
        // Far away the weight tends to 1; at impact it is 2; at URGENCY s it is 1.5.
        let far = weighted_value(1.0, 1_000_000_000, 0, 1.0);
        assert!((far - 1.0).abs() < 1e-4, "{far}");
        assert_eq!(weighted_value(1.0, 0, 0, 1.0), 2.0);
        assert_eq!(weighted_value(1.0, 60_000, 0, 1.0), 1.5);
        // Layers ahead that surely kill still leave the floor.
        assert_eq!(weighted_value(1.0, 0, 0, 0.0), 2.0 * LATER_MISS_FLOOR);
    }
}
