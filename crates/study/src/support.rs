//! Which values each metric can take, declared by its name: the support
//! decides its interval ([`Support`]). A metric's support follows from what
//! it means, never from the values a study happened to see: a cost that is
//! 0 every night is still a cost, not a proportion.

use crate::stats::Support;

/// The support of the metric `name` (a metric of the engine's summary, of
/// a campaign's series or totals, or of a hindcast). A name not declared
/// here may take any value.
pub fn support_of(name: &str) -> Support {
    let head = name.split('.').next().unwrap_or(name);
    match head {
        "any_hit" => Support::Proportion,
        "leak_fraction" | "drones_neutralised_fraction" | "leak_rate" | "neutralised_share" => {
            Support::Fraction
        }
        // The engine's summary.
        "attacker_cost"
        | "by_fate"
        | "cost_exchange_ratio"
        | "damage_by_asset"
        | "damage_by_asset_kind"
        | "defender_cost"
        | "drone_leakers"
        | "killed_by_effector_class"
        | "leakers"
        | "shots_by_effector_class"
        | "threats_launched"
        // A campaign's series and totals.
        | "attacker_cost_cumulative"
        | "civilian_damage"
        | "civilian_damage_cumulative"
        | "damage"
        | "defender_cost_cumulative"
        | "dry_night"
        | "launched"
        | "leaked"
        | "leaked_cumulative"
        | "neutralised"
        | "night"
        | "other"
        | "shots"
        | "stock"
        | "stockpile"
        | "units_lost"
        // A hindcast.
        | "drone_hits" => Support::NonNegative,
        _ => Support::Real,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_by_meaning() {
        assert_eq!(support_of("any_hit.power"), Support::Proportion);
        assert_eq!(support_of("leak_fraction"), Support::Fraction);
        assert_eq!(
            support_of("shots_by_effector_class.gun.cost"),
            Support::NonNegative
        );
        assert_eq!(support_of("leaked"), Support::NonNegative);
        assert_eq!(support_of("a-difference"), Support::Real);
    }
}
