//! Raids aimed at cities: a city drawn by its weight, then one of its
//! assets by value. Over many threats the shares follow the weights
//! (within a 99.9% interval of the binomial), and a raid on one city never
//! heads anywhere else.

use rampart_engine::Night;
use rampart_model::{Scenario, parse_scenario};

fn scenario(target: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "cities"
duration = "10 h"

[[asset]]
id = "cap-power"
kind = "power"
position = ["0 km", "0 km"]
value = 3
city = "capital"

[[asset]]
id = "cap-water"
kind = "water"
position = ["2 km", "0 km"]
value = 1
city = "capital"

[[asset]]
id = "port-power"
kind = "power"
position = ["0 km", "300 km"]
value = 10
city = "harbour"

[[asset]]
id = "farm"
kind = "other"
position = ["100 km", "100 km"]
value = 1000

[[launch_site]]
id = "east"
position = ["400 km", "0 km"]

[[raid]]
id = "wave"
threat = "shahed-type"
count = 20000
from = ["east"]
end = "1 h"
target = {target}
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}\n{text}"),
    }
}

/// Share of the night's threats aimed at each asset, by id.
fn shares(sc: &Scenario) -> Vec<(String, f64)> {
    let night = Night::assemble(sc, 3);
    let n = night.threats.len() as f64;
    sc.assets
        .iter()
        .enumerate()
        .map(|(a, asset)| {
            let k = night.threats.iter().filter(|t| t.target == a).count();
            (asset.id.clone(), k as f64 / n)
        })
        .collect()
}

fn assert_share(got: &[(String, f64)], id: &str, p: f64) {
    let share = got.iter().find(|(a, _)| a == id).map_or(0.0, |(_, s)| *s);
    let half = 3.29 * (p * (1.0 - p) / 20_000.0).sqrt();
    assert!(
        (share - p).abs() <= half.max(1e-12),
        "{id}: share {share}, expected {p} +/- {half}"
    );
}

#[test]
fn a_raid_on_one_city_heads_for_its_assets_by_value() {
    let got = shares(&scenario("{ city = \"capital\" }"));
    assert_share(&got, "cap-power", 0.75);
    assert_share(&got, "cap-water", 0.25);
    assert_share(&got, "port-power", 0.0);
    assert_share(&got, "farm", 0.0);
}

#[test]
fn a_raid_on_several_cities_follows_their_weights() {
    // 3 to 1 between the cities, whatever their assets' values: the capital
    // gets 3/4 (its power plant 3/4 of that), the harbour 1/4.
    let got = shares(&scenario("{ cities = { capital = 3, harbour = 1 } }"));
    assert_share(&got, "cap-power", 0.75 * 0.75);
    assert_share(&got, "cap-water", 0.75 * 0.25);
    assert_share(&got, "port-power", 0.25);
    assert_share(&got, "farm", 0.0);
}

#[test]
fn kinds_narrow_the_cities_assets() {
    let got = shares(&scenario(
        "{ cities = { capital = 1, harbour = 1 }, kinds = [\"power\"] }",
    ));
    assert_share(&got, "cap-power", 0.5);
    assert_share(&got, "cap-water", 0.0);
    assert_share(&got, "port-power", 0.5);
}
