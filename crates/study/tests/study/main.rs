//! Integration tests of the studies, one binary, modules named by behaviour.

mod campaigns;
mod determinism;
mod generated_scenarios;
mod intervals_in_range;
mod module_graph;
mod saturation;
mod statistical_honesty;
mod stopping_and_rows;
mod sweeps;
mod typed_metrics;

/// A lone drone against one fire unit that fires one salvo of `shots`
/// rounds of kill probability `pk`: killed with probability 1-(1-p)^n.
pub fn lone_drone(pk: f64, shots: u32) -> String {
    include_str!("../../../../tests/fixtures/lone-drone.toml.in")
        .replace("{pk}", &pk.to_string())
        .replace("{shots}", &shots.to_string())
}

/// A fire unit with `channels` channels, exponential engagement times of mean
/// `mean_s` seconds, Pk = 1 and no waiting, against Poisson arrivals at
/// `per_hour`: it lets through the Erlang-B fraction of the threats.
pub fn loss_system(channels: u32, mean_s: f64, per_hour: f64) -> String {
    include_str!("../../../../tests/fixtures/loss-system.toml.in")
        .replace("{channels}", &channels.to_string())
        .replace("{mean_s}", &mean_s.to_string())
        .replace("{per_hour}", &per_hour.to_string())
        .replace("{count}", "100000")
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
