//! The scenarios the engine's benchmarks and its growth loop play: the
//! bundled night-raid, and the same with every raid scaled to about `n`
//! threats in all. Included by `benches/engine.rs` and
//! `examples/growth_loop.rs` (`#[path]`), so that both measure one raid.

use rampart_model::Scenario;

/// `examples/night-raid.toml`, parsed.
pub fn night_raid() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/night-raid.toml"
    );
    let text = std::fs::read_to_string(path).expect("example");
    rampart_model::parse_scenario(&text).expect("valid")
}

/// `base` with every raid's count (and a Poisson raid's rate) scaled so
/// that about `n` threats are launched in all.
pub fn scaled(base: &Scenario, n: u64) -> Scenario {
    let mut s = base.clone();
    let total = base.threats_launched() as f64;
    for r in &mut s.raids {
        r.count = ((f64::from(r.count) * n as f64 / total).round() as u32).max(1);
        // Poisson raids: scale the rate with the count.
        if let rampart_model::Arrival::Poisson { rate } = &mut r.arrival {
            *rate *= n as f64 / total;
        }
    }
    s
}
