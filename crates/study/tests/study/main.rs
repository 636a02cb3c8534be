//! Integration tests of the studies, one binary, modules named by behaviour.

mod determinism;
mod saturation;
mod statistical_honesty;
mod sweeps;

/// A lone drone against one fire unit that fires one salvo of `shots`
/// rounds of kill probability `pk`: killed with probability 1-(1-p)^n.
pub fn lone_drone(pk: f64, shots: u32) -> String {
    format!(
        r#"
[scenario]
name = "lone drone"
seed = 3
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
    )
}

/// A fire unit with `channels` channels, exponential engagement times of mean
/// `mean_s` seconds, Pk = 1 and no waiting, against Poisson arrivals at
/// `per_hour`: it lets through the Erlang-B fraction of the threats.
pub fn loss_system(channels: u32, mean_s: f64, per_hour: f64) -> String {
    format!(
        r#"
[scenario]
name = "loss system"
seed = 11
duration = "7 h"

[[asset]]
id = "site"
kind = "military"
position = ["0 km", "0 km"]
hits_to_destroy = 1000000

[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "0 km"]
mast_height = "30 m"
range = "500 km"
scan_period = "1 s"
p_detect = 1.0

[[threat]]
id = "fast"
kind = "other"
speed = "3000 m/s"
altitude = "100 m"
rcs = "1 m2"
warhead = "100 kg"
unit_cost = "1 M$"
guidance = "inertial"
accuracy = "10 m"

[[effector]]
id = "unit"
kind = "medium-sam"
position = ["0 km", "0 km"]
max_range = "30 m"
max_altitude = "1 km"
engages = ["fast"]
channels = {channels}
magazine = 100000
reload_time = "1 s"
interceptor_speed = "1000000 m/s"
reaction_time = "0 s"
pk = {{ fast = 1.0 }}
cost_per_shot = "0 $"
mean_engagement_time = "{mean_s} s"

[[launch_site]]
id = "far"
position = ["100 km", "0 km"]

[[raid]]
id = "stream"
threat = "fast"
count = 100000
from = ["far"]
end = "6 h"
arrival = "poisson"
rate = "{per_hour} /h"
target = {{ asset = "site" }}
"#
    )
}

pub fn scenario(text: &str) -> rampart_model::Scenario {
    match rampart_model::parse_scenario(text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}"),
    }
}

/// Erlang's loss formula B(c, a), by the stable recurrence.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}
