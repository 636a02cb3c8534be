//! Integration tests of the engine, one binary, modules named by behaviour.

mod city_targets;
mod closed_forms;
mod conditions;
mod determinism;
mod differential;
mod flight_profiles;
mod interceptor_drones;
mod jam_resistance;
mod reference;
mod regressions;
mod stock;
mod supply;
mod track_loss;
mod workspace;

use rampart_model::{Scenario, parse_scenario};

/// A lone drone against one fire unit that fires one salvo of `shots`
/// rounds of kill probability `pk` and then has nothing left.
pub fn lone_drone(pk: f64, shots: u32) -> Scenario {
    let text = include_str!("../../../../tests/fixtures/lone-drone.toml.in")
        .replace("{pk}", &pk.to_string())
        .replace("{shots}", &shots.to_string());
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}"),
    }
}

/// The loss-system template: a fire unit with `channels` channels and
/// exponential engagement times of mean `mean_s` s, Poisson arrivals at
/// `per_hour`, at most 300 threats.
pub fn loss_system(channels: u32, mean_s: f64, per_hour: f64) -> Scenario {
    let text = include_str!("../../../../tests/fixtures/loss-system.toml.in")
        .replace("{channels}", &channels.to_string())
        .replace("{mean_s}", &mean_s.to_string())
        .replace("{per_hour}", &per_hour.to_string())
        .replace("{count}", "300");
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
