//! Raid targets by city: `city`, `cities` (weights) and `kinds` with them.
//! Malformed forms report the place, the path and what is expected.

use expect_test::expect;
use rampart_model::{TargetSelection, check_bytes};

use crate::malformed::{broken, check};

/// BASE with the plant in the city `capital` and the raid's target replaced.
fn with_target(target: &str) -> String {
    broken("value = 10\n", "value = 10\ncity = \"capital\"\n").replacen(
        "target = { asset = \"plant\" }",
        &format!("target = {target}"),
        1,
    )
}

#[test]
fn city_targets_parse() {
    let s = check_bytes(with_target("{ city = \"capital\" }").as_bytes())
        .scenario
        .expect("valid");
    assert_eq!(
        s.raids[0].target,
        TargetSelection::Cities {
            cities: vec![("capital".into(), 1.0)],
            kinds: vec![]
        }
    );
    let s =
        check_bytes(with_target("{ cities = { capital = 2.5 }, kinds = [\"power\"] }").as_bytes())
            .scenario
            .expect("valid");
    assert_eq!(
        s.raids[0].target,
        TargetSelection::Cities {
            cities: vec![("capital".into(), 2.5)],
            kinds: vec![rampart_model::AssetKind::Power]
        }
    );
}

#[test]
fn unknown_city() {
    check(
        &with_target("{ city = \"capitol\" }"),
        expect![[r#"
        s.toml:59:19: error: raid[0].target.city: unknown city `capitol`
            help: did you mean `capital`?"#]],
    );
    check(
        &with_target("{ cities = { capital = 1, north = 2 } }"),
        expect![[r#"
        s.toml:59:36: error: raid[0].target.cities.north: unknown city `north`
            help: known: capital"#]],
    );
}

#[test]
fn city_forms_that_do_not_go_together() {
    check(
        &with_target("{ city = \"capital\", cities = { capital = 1 } }"),
        expect!["s.toml:59:10: error: raid[0].target: give only one of city, cities"],
    );
    check(
        &with_target("{ asset = \"plant\", city = \"capital\" }"),
        expect!["s.toml:59:10: error: raid[0].target: give only one of asset, city"],
    );
}

#[test]
fn bad_weights_and_kinds_missing_from_a_city() {
    check(
        &with_target("{ cities = { capital = 0 } }"),
        expect![
            "s.toml:59:33: error: raid[0].target.cities.capital: 0 is out of range; expected a weight > 0"
        ],
    );
    check(
        &with_target("{ cities = { capital = \"a lot\" } }"),
        expect![[
            r#"s.toml:59:33: error: raid[0].target.cities.capital: expected a weight (a number > 0), found the string "a lot""#
        ]],
    );
    check(
        &with_target("{ cities = {} }"),
        expect![
            "s.toml:59:21: error: raid[0].target.cities: `cities` is empty; expected at least one name = weight"
        ],
    );
    check(
        &with_target("{ city = \"capital\", kinds = [\"hospital\"] }"),
        expect![[r#"
            s.toml:59:10: error: raid[0].target: raid `wave` targets assets of kind hospital in city `capital`, and it has none
                help: asset kinds in capital: power"#]],
    );
}
