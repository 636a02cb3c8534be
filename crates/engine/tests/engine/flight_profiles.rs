//! Flight profiles against hand calculations: a drone cruising above a
//! gun's ceiling passes it untouched and is engaged only once its dive
//! brings it below, at the time the geometry gives; a sensor with a
//! ceiling hears it only below that; a unit's lowest altitude keeps it off
//! a threat flying lower.

use rampart_engine::{EventKind, Fate, GreedyWta, Night, run};
use rampart_model::{Scenario, parse_scenario};

/// One drone (50 m/s, launched at 0 s from 60 km east) at an asset at the
/// origin, with a gun there (4 km reach, `ceiling`, 1,000 m/s rounds, no
/// reaction time, Pk 1) and one sensor; `raid_extra` adds flight-profile
/// keys to the raid.
fn scenario(sensor: &str, ceiling: &str, floor: &str, raid_extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "profile"
duration = "2 h"

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]

{sensor}

[[threat]]
id = "drone"
kind = "owa-drone"
speed = "50 m/s"
altitude = "100 m"
rcs = "1 m2"
warhead = "50 kg"
unit_cost = "35 k$"
guidance = "inertial"
accuracy = "10 m"

[[effector]]
id = "flak"
kind = "gun"
position = ["0 km", "0 km"]
max_range = "4 km"
max_altitude = "{ceiling}"
min_altitude = "{floor}"
engages = ["owa-drone"]
channels = 1
magazine = 100
reload_time = "1 min"
interceptor_speed = "1000 m/s"
reaction_time = "0 s"
pk = {{ owa-drone = 1.0 }}
cost_per_shot = "1 k$"

[[launch_site]]
id = "east"
position = ["60 km", "0 km"]

[[raid]]
id = "one"
threat = "drone"
count = 1
from = ["east"]
end = "0 s"
arrival = "fixed"
target = {{ asset = "plant" }}
{raid_extra}

[doctrine]
policy = "greedy"
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}\n{text}"),
    }
}

const RADAR: &str = r#"[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "0 km"]
mast_height = "30 m"
range = "200 km"
scan_period = "1 s"
p_detect = 1.0"#;

/// (decision time, intercept time) of every shot.
fn shots(sc: &Scenario) -> Vec<(i64, i64)> {
    let night = Night::assemble(sc, 1);
    run(&night, &GreedyWta)
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Shot { intercept, .. } => Some((e.time, intercept)),
            _ => None,
        })
        .collect()
}

/// Cruising at 3 km, the drone dives at 45 deg from 3 km (ground distance)
/// before the plant, so it passes 2 km of altitude 2 km before it, at
/// (60 - 2) km / 50 m/s = 1,160 s. The gun (2 km ceiling) cannot meet it
/// earlier; a round at 1,000 m/s meets it there 2 s after it leaves.
#[test]
fn a_high_drone_is_engaged_only_after_its_dive_brings_it_below_the_ceiling() {
    let sc = scenario(
        RADAR,
        "2 km",
        "0 m",
        "altitudes = [\"3 km\"]\ndive = { angle = \"45 deg\" }",
    );
    let got = shots(&sc);
    assert!(
        !got.is_empty(),
        "the gun fires once the drone is low enough"
    );
    let (decided, intercept) = got[0];
    let below = 1_160_000;
    assert!(
        (below..=below + 2).contains(&intercept),
        "first intercept at {intercept} ms, the drone is below 2 km from {below} ms"
    );
    assert!(
        (below - 2_000 - 2..=below - 2_000 + 2).contains(&decided),
        "decided at {decided} ms, 2 s of round flight before {below} ms"
    );
    // Without the dive it cruises at 3 km all the way: never engaged.
    let level = scenario(RADAR, "2 km", "0 m", "altitudes = [\"3 km\"]");
    assert!(shots(&level).is_empty());
    let night = Night::assemble(&level, 1);
    assert!(matches!(
        run(&night, &GreedyWta).fates[0],
        Some(Fate::LeakedHit { .. } | Fate::LeakedMissed)
    ));
    // Without a profile it flies at its class's 100 m: engaged on entering
    // the gun's 4 km reach, (60 - 4) km / 50 m/s = 1,120 s, decided 4 s
    // earlier.
    let low = scenario(RADAR, "2 km", "0 m", "");
    let (decided, intercept) = shots(&low)[0];
    assert!((1_120_000..=1_120_002).contains(&intercept), "{intercept}");
    assert!(
        (1_116_000 - 2..=1_116_000 + 2).contains(&decided),
        "{decided}"
    );
}

/// Regression: with a reaction time, the first intercept below the ceiling
/// is decided after the window opens, and the window (ending at arrival) is
/// out of reach at its end; the reach event must still be found. A round
/// leaving 1 s after the decision at 1,000 m/s meets the drone at 2 km,
/// below 2 km of altitude, at 1,160 s: decided at 1,157 s.
#[test]
fn a_reaction_time_does_not_lose_the_reach_event_of_a_dive() {
    let sc = scenario(
        RADAR,
        "2 km",
        "0 m",
        "altitudes = [\"3 km\"]\ndive = { angle = \"45 deg\" }",
    );
    let mut sc = sc;
    if let rampart_model::EffectorRole::Shooter(w) = &mut sc.effectors[0].role {
        w.reaction_time = 1_000;
    }
    let got = shots(&sc);
    assert!(
        !got.is_empty(),
        "the gun fires once the drone is low enough"
    );
    let (decided, intercept) = got[0];
    assert!((1_160_000..=1_160_002).contains(&intercept), "{intercept}");
    assert!(
        (1_157_000 - 2..=1_157_000 + 2).contains(&decided),
        "{decided}"
    );
}

/// A dive by length: from 5 km out, at 3 km of cruise, the drone descends
/// 0.6 m a metre, so it is at 2 km 3.33 km out: (60 - 3.333) km / 50 m/s.
#[test]
fn a_dive_by_length_begins_where_it_says() {
    let sc = scenario(
        RADAR,
        "2 km",
        "0 m",
        "altitudes = [\"3 km\"]\ndive = { length = \"5 km\" }",
    );
    let night = Night::assemble(&sc, 1);
    let flight = night.flight(&night.threats[0]);
    let start = (55_000.0 / 50.0 * 1000.0) as i64;
    assert_eq!(flight.altitude(start), 3_000.0);
    assert!((flight.altitude(flight.arrival())).abs() < 1e-9);
    let below = ((60_000.0 - 10_000.0 / 3.0) / 50.0 * 1000.0_f64).ceil() as i64;
    let (_, intercept) = shots(&sc)[0];
    assert!(
        (below - 1..=below + 2).contains(&intercept),
        "{intercept} against {below}"
    );
}

/// An acoustic post that hears up to 2.5 km (its only sensor), one scan a
/// second: the drone, cruising at 3 km, is heard from the time its dive
/// takes it below 2.5 km, (60 - 2.5) km / 50 m/s = 1,150 s, and tracked
/// after k scans of the k-of-n rule.
#[test]
fn a_sensor_hears_a_high_drone_only_below_its_ceiling() {
    let ears = r#"[[sensor]]
id = "ears"
type = "acoustic"
position = ["0 km", "0 km"]
range = "5 km"
max_altitude = "2500 m"
scan_period = "1 s"
p_detect = 1.0"#;
    let sc = scenario(
        ears,
        "2 km",
        "0 m",
        "altitudes = [\"3 km\"]\ndive = { angle = \"45 deg\" }",
    );
    let night = Night::assemble(&sc, 1);
    let track = run(&night, &GreedyWta)
        .events
        .iter()
        .find_map(|e| matches!(e.kind, EventKind::Track { .. }).then_some(e.time))
        .expect("tracked");
    let k = i64::from(sc.tracking.k);
    assert_eq!(track, 1_150_000 + (k - 1) * 1_000);
    // Level at 3 km, above its ceiling: never heard.
    let level = scenario(ears, "2 km", "0 m", "altitudes = [\"3 km\"]");
    let night = Night::assemble(&level, 1);
    assert!(
        !run(&night, &GreedyWta)
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Track { .. }))
    );
}

/// A unit whose lowest altitude is 500 m never meets a drone at 100 m; at
/// 50 m it does.
#[test]
fn a_unit_never_engages_below_its_lowest_altitude() {
    assert!(shots(&scenario(RADAR, "2 km", "500 m", "")).is_empty());
    assert!(!shots(&scenario(RADAR, "2 km", "50 m", "")).is_empty());
}

/// Per-leg cruise: 3 km over the first leg, 100 m over the second (from a
/// waypoint 10 km out): the gun engages as soon as the drone is in reach.
#[test]
fn cruise_altitudes_hold_leg_by_leg() {
    let sc = scenario(
        RADAR,
        "2 km",
        "0 m",
        "route = [[\"10 km\", \"0 km\"]]\naltitudes = [\"3 km\", \"100 m\"]",
    );
    let night = Night::assemble(&sc, 1);
    let flight = night.flight(&night.threats[0]);
    assert_eq!(flight.altitude(100_000), 3_000.0);
    assert_eq!(flight.altitude(1_100_000), 100.0);
    let (_, intercept) = shots(&sc)[0];
    assert!((1_120_000..=1_120_002).contains(&intercept), "{intercept}");
}
