//! Track loss against a hand calculation. A drone (50 m/s, from 60 km
//! east, straight at a plant at the origin) is seen by radar A (5 km round
//! 50 km east) from 100 s to 300 s, then by nobody until radar B (10 km
//! round the plant) from 1,000 s. A gun 30 km east reaches it from 440 s
//! to 760 s, in the gap. Lost after 60 s out of coverage, the track goes at
//! 360 s and the gun never fires; kept through a 700 s gap, it fires.

use rampart_engine::{EventKind, GreedyWta, Night, run};
use rampart_model::{Millis, Scenario, parse_scenario};

fn scenario(tracking: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "gap"
duration = "2 h"

{tracking}

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]

[[sensor]]
id = "radar-a"
type = "radar"
position = ["50 km", "0 km"]
mast_height = "30 m"
range = "5 km"
reference_rcs = "1 m2"
scan_period = "1 s"
p_detect = 1.0

[[sensor]]
id = "radar-b"
type = "radar"
position = ["0 km", "0 km"]
mast_height = "30 m"
range = "10 km"
reference_rcs = "1 m2"
scan_period = "1 s"
p_detect = 1.0

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
position = ["30 km", "0 km"]
max_range = "8 km"
max_altitude = "3 km"
engages = ["owa-drone"]
channels = 1
magazine = 100
reload_time = "1 min"
interceptor_speed = "1000 m/s"
reaction_time = "0 s"
pk = {{ owa-drone = 0.5 }}
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
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}\n{text}"),
    }
}

/// The first scan of sensor `s` (period 1 s, offset s x 997 ms) at or
/// after `t`, and the k-th from it: when a track starts.
fn track_after(t: Millis, s: i64, k: u32) -> Millis {
    let offset = s * 997 % 1_000;
    let first = offset + (t - offset + 999).div_euclid(1_000) * 1_000;
    first + 1_000 * (i64::from(k) - 1)
}

#[test]
fn a_track_lost_in_a_gap_is_not_engaged_until_taken_up_again() {
    let sc = scenario("[tracking]\nlost_after = \"60 s\"");
    let k = sc.tracking.k;
    let out = run(&Night::assemble(&sc, 1), &GreedyWta);
    let events: Vec<(Millis, &EventKind)> = out.events.iter().map(|e| (e.time, &e.kind)).collect();
    let tracks: Vec<Millis> = events
        .iter()
        .filter(|(_, e)| matches!(e, EventKind::Track { .. }))
        .map(|&(t, _)| t)
        .collect();
    let lost: Vec<Millis> = events
        .iter()
        .filter(|(_, e)| matches!(e, EventKind::TrackLost { .. }))
        .map(|&(t, _)| t)
        .collect();
    // Seen by A from 100 s, out of every coverage from 300 s: lost at 360 s;
    // taken up again by B from 1,000 s.
    assert_eq!(
        tracks,
        vec![track_after(100_000, 0, k), track_after(1_000_000, 1, k)]
    );
    assert_eq!(lost, vec![360_000]);
    assert!(
        !events
            .iter()
            .any(|(_, e)| matches!(e, EventKind::Shot { .. })),
        "the gun never had a track to fire on: {events:?}"
    );
}

#[test]
fn a_gap_shorter_than_lost_after_keeps_the_track() {
    for tracking in ["[tracking]\nlost_after = \"800 s\"", ""] {
        let sc = scenario(tracking);
        let out = run(&Night::assemble(&sc, 1), &GreedyWta);
        assert!(
            !out.events
                .iter()
                .any(|e| matches!(e.kind, EventKind::TrackLost { .. }))
        );
        // The gun's first round meets the drone as it enters the gun's
        // 8 km, at (60 - 38) km / 50 m/s = 440 s.
        let first_shot = out
            .events
            .iter()
            .find_map(|e| match e.kind {
                EventKind::Shot { intercept, .. } => Some(intercept),
                _ => None,
            })
            .expect("the gun fires");
        assert!((440_000..=440_002).contains(&first_shot), "{first_shot}");
    }
}
