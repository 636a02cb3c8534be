//! A unit's `stock` for the night: with a magazine of 4 reloaded every
//! minute and a stock of 6, a unit facing a long stream of drones fires 6
//! rounds and no more; without a stock it fires on.

use rampart_engine::{GreedyWta, Night, run};

fn shots(stock: &str) -> u64 {
    let text = include_str!("../../../../tests/fixtures/loss-system.toml.in")
        .replace("{channels}", "2")
        .replace("{mean_s}", "30")
        .replace("{per_hour}", "120")
        .replace("{count}", "200")
        .replace("magazine = 100000", &format!("magazine = 4\n{stock}"))
        .replace("reload_time = \"1 s\"", "reload_time = \"1 min\"");
    let sc = rampart_model::parse_scenario(&text).expect("valid");
    let o = run(&Night::assemble(&sc, 1), &GreedyWta);
    o.summary.shots_by_effector_class["medium-sam"].shots
}

#[test]
fn a_unit_fires_no_more_than_its_stock() {
    assert_eq!(shots("stock = 6"), 6);
    assert_eq!(shots("stock = 0"), 0);
    assert!(shots("") > 50, "without a stock it reloads on");
}
