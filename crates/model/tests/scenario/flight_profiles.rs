//! Flight-profile keys: `altitudes` and `dive` on a raid, `min_altitude`
//! on an effector. Valid forms parse to what they say; malformed ones
//! report the place, the path and what is expected.

use expect_test::expect;
use rampart_model::{Dive, check_bytes};

use crate::malformed::{broken, check};

const RAID_END: &str = "target = { asset = \"plant\" }\n";

fn with_raid_keys(keys: &str) -> String {
    broken(RAID_END, &format!("{RAID_END}{keys}\n"))
}

#[test]
fn valid_profiles_parse() {
    let text = with_raid_keys("altitudes = [\"3 km\"]\ndive = { angle = \"60 deg\" }");
    let s = check_bytes(text.as_bytes()).scenario.expect("valid");
    assert_eq!(s.raids[0].altitudes, vec![3000.0]);
    let Some(Dive::Angle(a)) = s.raids[0].dive else {
        panic!("{:?}", s.raids[0].dive)
    };
    assert!((a - std::f64::consts::FRAC_PI_3).abs() < 1e-12);
    // 3 km at 60 deg: the dive begins 1.732 km out.
    assert!((Dive::Angle(a).ground_length(3000.0) - 1732.05).abs() < 0.01);
    let text = with_raid_keys("dive = { length = \"2 km\" }");
    let s = check_bytes(text.as_bytes()).scenario.expect("valid");
    assert_eq!(s.raids[0].dive, Some(Dive::Length(2000.0)));
    assert!(s.raids[0].altitudes.is_empty());
    let text = broken(
        "max_altitude = \"20 km\"",
        "max_altitude = \"20 km\"\nmin_altitude = \"60 m\"",
    );
    let s = check_bytes(text.as_bytes()).scenario.expect("valid");
    let rampart_model::EffectorRole::Shooter(w) = &s.effectors[1].role else {
        panic!("a shooter")
    };
    assert_eq!(w.min_altitude, 60.0);
}

#[test]
fn dive_needs_exactly_one_of_angle_and_length() {
    check(
        &with_raid_keys("dive = { angle = \"60 deg\", length = \"2 km\" }"),
        expect!["s.toml:59:8: error: raid[0].dive: give exactly one of angle, length"],
    );
    check(
        &with_raid_keys("dive = {}"),
        expect!["s.toml:59:8: error: raid[0].dive: give exactly one of angle, length"],
    );
}

#[test]
fn dive_angle_out_of_range_or_without_unit() {
    check(
        &with_raid_keys("dive = { angle = \"95 deg\" }"),
        expect![[
            r#"s.toml:59:18: error: raid[0].dive.angle: "95 deg" is out of range; expected an angle above 0 and at most 90 deg"#
        ]],
    );
    check(
        &with_raid_keys("dive = { angle = 60 }"),
        expect![[r#"
            s.toml:59:18: error: raid[0].dive.angle: `60` has no unit; expected an angle such as "60 deg"
                help: units that fit: deg, rad"#]],
    );
    check(
        &with_raid_keys("dive = { angle = \"60 degrees\" }"),
        expect![[r#"
            s.toml:59:18: error: raid[0].dive.angle: `60 degrees` is not an angle: unit `degrees` is not one of deg, rad
                help: did you mean "60 deg"?"#]],
    );
    check(
        &with_raid_keys("dive = { angel = \"60 deg\" }"),
        expect![[r#"
        s.toml:59:8: error: raid[0].dive: give exactly one of angle, length
        s.toml:59:10: error: raid[0].dive.angel: unknown key `angel`
            help: did you mean `angle`?"#]],
    );
}

#[test]
fn altitudes_one_or_one_per_leg() {
    check(
        &with_raid_keys(
            "route = [[\"50 km\", \"0 km\"]]\naltitudes = [\"3 km\", \"2 km\", \"1 km\"]",
        ),
        expect![
            "s.toml:60:13: error: raid[0].altitudes: 3 altitudes is out of range; expected one altitude for the whole route, or 2, one per leg"
        ],
    );
    check(
        &with_raid_keys("altitudes = [\"3 km\", \"1 km\"]"),
        expect![
            "s.toml:59:13: error: raid[0].altitudes: 2 altitudes is out of range; expected one altitude (the route is one leg)"
        ],
    );
    check(
        &with_raid_keys("altitudes = []"),
        expect![
            "s.toml:59:13: error: raid[0].altitudes: 0 altitudes is out of range; expected one altitude (the route is one leg)"
        ],
    );
    check(
        &with_raid_keys("altitudes = [\"-1 km\"]"),
        expect![[
            r#"s.toml:59:14: error: raid[0].altitudes[0]: "-1 km" is out of range; expected a length of zero or more"#
        ]],
    );
    check(
        &with_raid_keys("altitudes = \"3 km\""),
        expect![[
            r#"s.toml:59:13: error: raid[0].altitudes: expected a list of lengths with units, such as ["2.5 km"], found the string "3 km""#
        ]],
    );
}

#[test]
fn min_altitude_above_max_altitude() {
    check(
        &broken(
            "max_altitude = \"20 km\"",
            "max_altitude = \"20 km\"\nmin_altitude = \"25 km\"",
        ),
        expect![[
            r#"s.toml:35:16: error: effector[1].min_altitude: min_altitude ("25 km") is above max_altitude ("20 km"); expected min_altitude <= max_altitude"#
        ]],
    );
}
