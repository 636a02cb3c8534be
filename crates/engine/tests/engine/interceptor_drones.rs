//! Interceptor drones engage only what they can catch.

use rampart_engine::{EventKind, GreedyWta, Night, run};
use rampart_model::parse_scenario;

/// One interceptor-drone team beside an asset; ten Shahed-type drones,
/// then ten jet-powered ones, straight at the asset, head-on to the team;
/// a radar that sees them from launch.
fn raid_on_a_team() -> rampart_model::Scenario {
    let text = r#"
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

[[threat]]
id = "shahed"
class = "shahed-type"

[[threat]]
id = "jet"
class = "jet-shahed-type"

[[raid]]
id = "slow"
threat = "shahed"
count = 10
from = ["east"]
end = "30 min"
arrival = "fixed"
target = { asset = "plant" }

[[raid]]
id = "fast"
threat = "jet"
count = 10
from = ["east"]
start = "40 min"
end = "70 min"
arrival = "fixed"
target = { asset = "plant" }
"#;
    parse_scenario(text).expect("valid scenario")
}

/// Shots over 20 nights at the threats of raid `raid` (0: Shaheds, 1: jets).
fn shots(scenario: &rampart_model::Scenario, raid: usize) -> usize {
    (0..20)
        .map(|seed| {
            let night = Night::assemble(scenario, seed);
            run(&night, &GreedyWta)
                .events
                .iter()
                .filter(|e| {
                    matches!(e.kind, EventKind::Shot { threat, .. } if night.threats[threat].raid == raid)
                })
                .count()
        })
        .sum()
}

/// 300 km/h against 185 km/h: the team fires at Shaheds; against the jet
/// type at 400 km/h it never does, whatever the geometry (head-on here).
#[test]
fn a_jet_drone_faster_than_an_interceptor_drone_is_never_engaged_by_it() {
    let scenario = raid_on_a_team();
    let team = &scenario.effectors[0];
    let rampart_model::EffectorRole::Shooter(w) = &team.role else {
        panic!("the team is a shooter");
    };
    assert!(scenario.threats[0].speed < w.interceptor_speed);
    assert!(scenario.threats[1].speed > w.interceptor_speed);
    assert!(shots(&scenario, 0) >= 20, "Shaheds are engaged");
    assert_eq!(shots(&scenario, 1), 0, "jets are not");
}
