//! Anti-jam antennas against the closed form: a jammer of `p_defeat` p
//! defeats a drone of `jam_resistance` r with probability p (1 - r), one
//! draw per drone, so the jammed count of n drones is Binomial(n, p (1 - r)).

use rampart_engine::{Night, builtin, run};
use rampart_model::{Policy, Scenario, parse_scenario};

const DRONES: u32 = 4000;

/// `DRONES` drones from 100 km at one plant with a jammer of p_defeat 0.5
/// on it and nothing that shoots.
fn scenario(jam_resistance: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "anti-jam"
duration = "4 h"

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]

[[effector]]
id = "ew-plant"
class = "ew-jammer"
position = ["0 km", "0 km"]
p_defeat = {{ owa-drone = 0.5 }}

[[threat]]
id = "drone"
class = "shahed-type"
{jam_resistance}

[[launch_site]]
id = "east"
position = ["100 km", "0 km"]

[[raid]]
id = "many"
threat = "drone"
count = {DRONES}
from = ["east"]
end = "2 h"
arrival = "uniform"
target = {{ asset = "plant" }}
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}\n{text}"),
    }
}

fn jammed(sc: &Scenario, seed: u64) -> u64 {
    let night = Night::assemble(sc, seed);
    let out = run(&night, builtin(Policy::Greedy).as_ref());
    out.summary.by_fate.jammed
}

/// Within four standard deviations of n p (1 - r).
fn assert_binomial(count: u64, p: f64) {
    let n = f64::from(DRONES);
    let (mean, sd) = (n * p, (n * p * (1.0 - p)).sqrt());
    assert!(
        (count as f64 - mean).abs() <= 4.0 * sd,
        "{count} jammed, expected {mean} +/- {}",
        4.0 * sd
    );
}

#[test]
fn resistance_scales_the_jammers_defeats_exactly() {
    assert_binomial(jammed(&scenario(""), 1), 0.5);
    assert_binomial(jammed(&scenario("jam_resistance = 0.8"), 1), 0.1);
    assert_binomial(jammed(&scenario("jam_resistance = 0.5"), 2), 0.25);
}

#[test]
fn a_fully_resistant_drone_is_never_jammed() {
    for seed in 0..5 {
        assert_eq!(jammed(&scenario("jam_resistance = 1"), seed), 0);
    }
}

/// Common random numbers: a resistant drone is jammed only where the same
/// drone without resistance would be, so resistance never adds a defeat.
#[test]
fn resistance_only_removes_defeats_on_common_seeds() {
    let plain = scenario("");
    let hardened = scenario("jam_resistance = 0.6");
    for seed in 0..3 {
        let a = run(
            &Night::assemble(&plain, seed),
            builtin(Policy::Greedy).as_ref(),
        );
        let b = run(
            &Night::assemble(&hardened, seed),
            builtin(Policy::Greedy).as_ref(),
        );
        for (x, y) in a.fates.iter().zip(&b.fates) {
            if y.is_some_and(|f| f.key() == "jammed") {
                assert_eq!(x.map(|f| f.key()), Some("jammed"));
            }
        }
    }
}
