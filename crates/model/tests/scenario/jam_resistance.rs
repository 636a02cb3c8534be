//! `jam_resistance` on a threat: a probability, 0 when absent, from the
//! scenario's own table; out of range or of the wrong type, the place,
//! the path and what is expected.

use expect_test::expect;
use rampart_model::check_bytes;

use crate::malformed::{broken, check};

const THREAT: &str = "class = \"shahed-type\"";

fn with_threat_keys(keys: &str) -> String {
    broken(THREAT, &format!("{THREAT}\n{keys}"))
}

#[test]
fn absent_is_zero_and_given_is_kept() {
    let s = check_bytes(with_threat_keys("").as_bytes())
        .scenario
        .expect("valid");
    assert_eq!(s.threats[0].jam_resistance, 0.0);
    let s = check_bytes(with_threat_keys("jam_resistance = 0.75").as_bytes())
        .scenario
        .expect("valid");
    assert_eq!(s.threats[0].jam_resistance, 0.75);
}

#[test]
fn out_of_range_or_not_a_number() {
    check(
        &with_threat_keys("jam_resistance = 1.5"),
        expect![
            "s.toml:47:18: error: threat[0].jam_resistance: 1.5 is out of range; expected a probability from 0 to 1"
        ],
    );
    check(
        &with_threat_keys("jam_resistance = \"high\""),
        expect![[
            r#"s.toml:47:18: error: threat[0].jam_resistance: expected a probability from 0 to 1, found the string "high""#
        ]],
    );
}
