//! Integration tests of the engine, one binary, modules named by behaviour.

mod closed_forms;
mod determinism;
mod regressions;

use rampart_model::{Scenario, parse_scenario};

/// A lone drone against one fire unit that fires one salvo of `shots`
/// rounds of kill probability `pk` and then has nothing left.
pub fn lone_drone(pk: f64, shots: u32) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "lone drone"
duration = "3 h"

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]

[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "0 km"]
mast_height = "30 m"
range = "200 km"
p_detect = 1.0

[[effector]]
id = "sam"
kind = "medium-sam"
position = ["0 km", "0 km"]
max_range = "20 km"
max_altitude = "10 km"
engages = ["owa-drone"]
channels = 1
magazine = {shots}
reload_time = "10 h"
interceptor_speed = "800 m/s"
reaction_time = "5 s"
pk = {{ owa-drone = {pk} }}
cost_per_shot = "1 M$"

[[launch_site]]
id = "east"
position = ["100 km", "0 km"]

[[raid]]
id = "one"
threat = "shahed-type"
count = 1
from = ["east"]
end = "0 s"
arrival = "fixed"
target = {{ asset = "plant" }}

[doctrine]
policy = "greedy"

[[doctrine.fire]]
threats = ["owa-drone"]
mode = "salvo"
shots = {shots}
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}"),
    }
}

pub fn example(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("example");
    parse_scenario(&text).expect("valid example")
}
