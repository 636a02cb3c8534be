//! The night's weather against hand calculations: poor visibility scales
//! the kill probability of a unit that aims by eye or camera by
//! visibility / clear_visibility, exactly, and leaves a radar-aimed unit
//! alone; a visual post sees no farther than the visibility.

use std::cell::RefCell;

use rampart_engine::{Choice, Decision, EventKind, GreedyWta, Night, Policy, run};
use rampart_model::{Scenario, parse_scenario};

/// A lone drone (catalogue `shahed-type`) against one interceptor-drone
/// team at its target, under `conditions` (a `[conditions]` table or
/// nothing); the team fires one round at a time.
fn scenario(aiming: &str, conditions: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "weather"
duration = "3 h"

{conditions}

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
id = "team"
class = "interceptor-drone"
position = ["0 km", "0 km"]
{aiming}

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
shots = 1
"#
    );
    match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}\n{text}"),
    }
}

/// Greedy, remembering the kill probability of every pairing it was shown.
#[derive(Default)]
struct Recorder {
    seen: RefCell<Vec<f64>>,
}

impl Policy for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    fn choose_into(&self, decision: &Decision, out: &mut Vec<Choice>) {
        self.seen
            .borrow_mut()
            .extend(decision.pairings.iter().map(|p| p.pk));
        GreedyWta.choose_into(decision, out);
    }
}

/// A one-round engagement's kill probability as a policy sees it:
/// 1 - (1 - p)^1, which rounds p in the last bit.
fn one_round(p: f64) -> f64 {
    1.0 - (1.0 - p)
}

/// The kill probability of one round in the first decision.
fn first_pk(sc: &Scenario) -> f64 {
    let recorder = Recorder::default();
    run(&Night::assemble(sc, 1), &recorder);
    let seen = recorder.seen.borrow();
    *seen.first().expect("a decision with a pairing")
}

#[test]
fn visibility_scales_optical_kill_probability_exactly() {
    let clear = first_pk(&scenario("", ""));
    let catalogue = 0.68;
    assert_eq!(
        clear,
        one_round(catalogue),
        "the catalogue's Pk in clear weather"
    );
    // 2 km of visibility against 10 km of clear visibility: a fifth.
    let murky = first_pk(&scenario("", "[conditions]\nvisibility = \"2 km\""));
    assert_eq!(murky, one_round(catalogue * 0.2));
    // A visibility of its own: 2 km against 4 km, a half.
    let half = first_pk(&scenario(
        "",
        "[conditions]\nvisibility = \"2 km\"\nclear_visibility = \"4 km\"",
    ));
    assert_eq!(half, one_round(catalogue * 0.5));
    // Better than clear changes nothing.
    let fine = first_pk(&scenario("", "[conditions]\nvisibility = \"30 km\""));
    assert_eq!(fine, one_round(catalogue));
    // The same team aiming by radar is not affected.
    let radar = first_pk(&scenario(
        "aiming = \"radar\"",
        "[conditions]\nvisibility = \"2 km\"",
    ));
    assert_eq!(radar, one_round(catalogue));
}

/// Over many nights the kill rate follows the degraded Pk: one round of
/// 0.68 x 0.2 = 0.136 each night, within a 99% interval.
#[test]
fn poor_visibility_kills_at_the_degraded_rate() {
    let sc = scenario("", "[conditions]\nvisibility = \"2 km\"");
    let reps = 3_000u64;
    let kills: u64 = (0..reps)
        .map(|seed| {
            let o = run(&Night::assemble(&sc, seed), &GreedyWta);
            o.events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Killed { .. }))
                .count() as u64
        })
        .sum();
    let shots_per_night = {
        let o = run(&Night::assemble(&sc, 0), &GreedyWta);
        o.summary.shots_by_effector_class["interceptor-drone"].shots
    };
    // Each round of a night is one independent try at 0.136.
    let truth = 1.0 - (1.0f64 - 0.68 * 0.2).powi(shots_per_night as i32);
    let observed = kills as f64 / reps as f64;
    let half_width = 2.576 * (truth * (1.0 - truth) / reps as f64).sqrt();
    assert!(
        (observed - truth).abs() <= half_width,
        "killed {observed}, expected {truth} +/- {half_width} ({shots_per_night} rounds)"
    );
}

/// A visual post (5 km, one look a second) sees the drone (185 km/h from
/// 100 km) only once it is within the visibility: 1 km out, at 99% of its
/// flight; the track follows k looks later.
#[test]
fn a_visual_post_sees_no_farther_than_the_visibility() {
    let eyes = "[[sensor]]\nid = \"eyes\"\ntype = \"visual\"\nposition = [\"0 km\", \"0 km\"]\nrange = \"5 km\"\nscan_period = \"1 s\"\np_detect = 1.0\n";
    let track_time = |conditions: &str| {
        // The scenario with the visual post as its only sensor.
        let text_sc = {
            let mut s = scenario("", conditions);
            let eyes_sc = parse_scenario(&format!(
                "[scenario]\nname = \"e\"\nduration = \"1 h\"\n[[asset]]\nid = \"a\"\nkind = \"power\"\nposition = [\"0 km\", \"0 km\"]\n{eyes}"
            ))
            .expect("valid");
            s.sensors = eyes_sc.sensors;
            s
        };
        let o = run(&Night::assemble(&text_sc, 1), &GreedyWta);
        let track = o
            .events
            .iter()
            .find_map(|e| matches!(e.kind, EventKind::Track { .. }).then_some(e.time))
            .expect("tracked");
        (track, text_sc.tracking.k, o.events[0].time)
    };
    let span = (100_000.0 / (185.0 / 3.6) * 1000.0f64).round();
    let k_looks =
        |enter: f64, k: u32| ((enter / 1000.0).ceil() * 1000.0) as i64 + 1000 * (i64::from(k) - 1);
    // Clear: seen from 5 km out.
    let (track, k, launch) = track_time("");
    assert_eq!(launch, 0);
    assert_eq!(track, k_looks((0.95 * span).ceil(), k));
    // 1 km of visibility: seen from 1 km out.
    let (track, k, _) = track_time("[conditions]\nvisibility = \"1 km\"");
    assert_eq!(track, k_looks((0.99 * span).ceil(), k));
}
