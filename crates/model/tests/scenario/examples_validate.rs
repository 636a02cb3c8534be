//! The bundled examples are valid and say what the issue asks of them.

use rampart_model::{EffectorKind, ThreatKind, check_bytes};

fn load(rel: &str) -> rampart_model::Scenario {
    let text = crate::read(rel);
    let checked = check_bytes(text.as_bytes());
    let rendered: Vec<String> = checked.diagnostics.iter().map(|d| d.render(rel)).collect();
    assert!(
        rendered.is_empty(),
        "{rel} has diagnostics:\n{}",
        rendered.join("\n")
    );
    checked.scenario.expect("valid scenario")
}

#[test]
fn minimal_is_one_asset_one_radar_one_effector_ten_drones() {
    let s = load("examples/minimal.toml");
    assert_eq!(s.assets.len(), 1);
    assert_eq!(s.sensors.len(), 1);
    assert_eq!(s.effectors.len(), 1);
    assert_eq!(s.threats_launched(), 10);
}

#[test]
fn night_raid_has_the_layered_defence_and_the_raid_of_a_large_night() {
    let s = load("examples/night-raid.toml");
    let units = |k: EffectorKind| s.effectors.iter().filter(|e| e.kind == k).count();
    assert_eq!(units(EffectorKind::LongRangeSam), 2);
    assert_eq!(units(EffectorKind::MediumSam), 3);
    assert!(units(EffectorKind::Gun) >= 20);
    assert_eq!(units(EffectorKind::InterceptorDrone), 6);
    assert_eq!(units(EffectorKind::Jammer), 4);
    let launched = |k: ThreatKind| -> u64 {
        s.raids
            .iter()
            .filter(|r| s.threat(&r.threat).is_some_and(|t| t.kind == k))
            .map(|r| u64::from(r.count))
            .sum()
    };
    let drones = launched(ThreatKind::OwaDrone) + launched(ThreatKind::Decoy);
    assert!((680..=760).contains(&drones), "{drones} drones");
    let decoy_share = launched(ThreatKind::Decoy) as f64 / drones as f64;
    assert!(
        (0.35..=0.45).contains(&decoy_share),
        "decoy share {decoy_share}"
    );
    assert_eq!(launched(ThreatKind::CruiseMissile), 10);
    assert_eq!(launched(ThreatKind::BallisticMissile), 3);
    let mut directions: Vec<&str> = s
        .raids
        .iter()
        .flat_map(|r| r.from.iter().map(String::as_str))
        .collect();
    directions.sort_unstable();
    directions.dedup();
    assert!(directions.len() >= 3);
    let last_launch = s.raids.iter().map(|r| r.end).max().unwrap_or(0);
    assert!((5 * 3_600_000..=7 * 3_600_000).contains(&last_launch));
    // A region of about 150 x 150 km: every defended point within 80 km of the centre.
    for a in &s.assets {
        assert!(
            a.position.east.abs() <= 80_000.0 && a.position.north.abs() <= 80_000.0,
            "{}",
            a.id
        );
    }
    assert!(s.origin.is_some());
}

#[test]
fn count_and_area_spread_units_without_stacking_them() {
    let s = load("examples/night-raid.toml");
    let groups: Vec<_> = s
        .effectors
        .iter()
        .filter(|e| e.group == "fire-group")
        .collect();
    assert_eq!(groups.len(), 20);
    assert_eq!(groups[0].id, "fire-group#1");
    assert_eq!(groups[19].id, "fire-group#20");
    for (i, a) in groups.iter().enumerate() {
        assert!(a.position.distance(rampart_model::Point::new(0.0, 0.0)) <= 45_000.0 + 1e-6);
        for b in &groups[i + 1..] {
            assert!(
                a.position.distance(b.position) > 1_000.0,
                "{} and {} stacked",
                a.id,
                b.id
            );
        }
    }
}

#[test]
fn catalogue_overrides_replace_single_fields() {
    let s = load("examples/minimal.toml");
    let rampart_model::EffectorRole::Shooter(w) = &s.effectors[0].role else {
        panic!("the gun is a shooter");
    };
    assert_eq!(w.magazine, 30, "overridden");
    assert_eq!(w.max_range, 4000.0, "from the catalogue");
    assert_eq!(s.effectors[0].class.as_deref(), Some("gepard-type"));
}

#[test]
fn a_count_of_zero_places_no_units() {
    // Sweeps over "how many teams" start from none.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text =
        std::fs::read_to_string(format!("{root}/examples/night-raid.toml")).expect("example");
    let text = text
        .replace("count = 6\narea", "count = 0\narea")
        .replace("count = 20\narea", "count = 0\narea");
    let s = rampart_model::parse_scenario(&text).expect("valid with no teams and no fire groups");
    let full = load("examples/night-raid.toml");
    assert_eq!(full.effectors.len(), 39);
    assert_eq!(s.effectors.len(), 39 - 6 - 20);
    assert!(
        s.effectors
            .iter()
            .all(|e| e.group != "interceptor-drones" && e.group != "fire-group")
    );
}
