//! Interceptor drones engage only what they can catch.

use rampart_engine::{EventKind, GreedyWta, Night, run};
use rampart_model::parse_scenario;

/// One interceptor-drone team beside an asset, one raid of `class` (ten
/// drones straight at the asset), a radar that sees them from launch.
fn raid_on_a_team(class: &str) -> rampart_model::Scenario {
    let text = format!(
        r#"
[scenario]
name = "team"
duration = "2 h"

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]
value = 50
hits_to_destroy = 100

[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "0 km"]
mast_height = "30 m"
range = "150 km"
scan_period = "5 s"
p_detect = 1.0

[[effector]]
id = "team"
class = "interceptor-drone"
position = ["1 km", "0 km"]
magazine = 100

[[launch_site]]
id = "east"
position = ["60 km", "0 km"]

[[raid]]
id = "drones"
threat = "{class}"
count = 10
from = ["east"]
end = "30 min"
arrival = "fixed"
target = {{ asset = "plant" }}
"#
    );
    parse_scenario(&text).expect("valid scenario")
}

/// Shots over 20 nights.
fn shots(class: &str) -> usize {
    let scenario = raid_on_a_team(class);
    (0..20)
        .map(|seed| {
            run(&Night::assemble(&scenario, seed), &GreedyWta)
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Shot { .. }))
                .count()
        })
        .sum()
}

/// 300 km/h against 185 km/h: the team fires at Shaheds; against the jet
/// type at 400 km/h it never does, whatever the geometry (head-on here).
#[test]
fn a_jet_drone_faster_than_an_interceptor_drone_is_never_engaged_by_it() {
    let scenario = raid_on_a_team("jet-shahed-type");
    let class = &scenario.threats[0];
    let rampart_model::EffectorRole::Shooter(w) = &scenario.effectors[0].role else {
        panic!("the team is a shooter");
    };
    assert!(class.speed > w.interceptor_speed, "the jet is the faster");
    assert_eq!(shots("jet-shahed-type"), 0);
    assert!(shots("shahed-type") >= 20, "Shaheds are engaged");
}
