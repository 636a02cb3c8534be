//! The engine against the reference loop (`reference.rs`), which makes the
//! same decisions by brute force: every epoch scans every tracked threat.
//! The engine's epochs look only at what changed; the two must write the
//! same event log and the same fates, byte for byte.

use proptest::prelude::*;
use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, run};
use rampart_model::Scenario;

fn compare(name: &str, seeds: &[u64]) {
    compare_scenario(name, &crate::example(name), seeds);
}

fn compare_scenario(name: &str, scenario: &Scenario, seeds: &[u64]) {
    let scenario = scenario.clone();
    let policies: [&dyn Policy; 3] = [&Nearest, &GreedyWta, &OptimalWta::default()];
    for &seed in seeds {
        let night = Night::assemble(&scenario, seed);
        for policy in policies {
            let (fates, events) = crate::reference::run(&night, policy);
            let outcome = run(&night, policy);
            let want: Vec<String> = events
                .iter()
                .map(|e| serde_json::to_string(e).expect("json"))
                .collect();
            let got: Vec<String> = outcome
                .events
                .iter()
                .map(|e| serde_json::to_string(e).expect("json"))
                .collect();
            let first_difference = want.iter().zip(&got).position(|(a, b)| a != b);
            assert!(
                want == got,
                "{name}, seed {seed}, {}: {} events against {} of the reference; first difference at {:?}: {:?} against {:?}",
                policy.name(),
                got.len(),
                want.len(),
                first_difference,
                first_difference.map(|k| &got[k]),
                first_difference.map(|k| &want[k]),
            );
            assert_eq!(
                outcome.fates,
                fates,
                "{name}, seed {seed}, {}",
                policy.name()
            );
        }
    }
}

#[test]
fn the_engine_decides_as_the_brute_force_reference_on_the_minimal_example() {
    compare("minimal.toml", &[1, 2, 3]);
}

#[test]
fn the_engine_decides_as_the_brute_force_reference_on_the_night_raid() {
    compare("night-raid.toml", &[1, 20250709, 7]);
}

/// A small random scenario: units of every catalogue class scattered round
/// the assets, several launch sites, raids of drones, decoys and missiles,
/// with random doctrines (fire modes, reserves, a cost rule, timed
/// channels). Parameters are drawn within the scenario language's limits.
#[derive(Debug, Clone)]
struct Random {
    units: Vec<(usize, i32, i32, u32)>,
    raids: Vec<(usize, u32, usize, u32, u32)>,
    sites: Vec<(i32, i32)>,
    salvo_missiles: bool,
    keep: u32,
    cost_rule: Option<u32>,
    timed: Option<u32>,
    discrimination: u32,
    /// Flight profile of the odd raids: cruise (100 m steps) and, if any,
    /// the dive angle (degrees).
    profile: Option<(u32, Option<u32>)>,
    /// Lowest altitude of the even shooters (50 m steps).
    floor: Option<u32>,
    /// The night's visibility (100 m steps).
    visibility: Option<u32>,
    /// Track loss after this many seconds out of coverage.
    lost_after: Option<u32>,
}

const UNIT_CLASSES: [&str; 6] = [
    "patriot-type",
    "iris-t-slm-type",
    "gepard-type",
    "mobile-fire-group",
    "interceptor-drone",
    "ew-jammer",
];
const THREAT_CLASSES: [&str; 5] = [
    "shahed-type",
    "gerbera-type",
    "kh-101-type",
    "iskander-type",
    "jet-shahed-type",
];

impl Random {
    fn text(&self) -> String {
        let mut t = String::from(
            "[scenario]\nname = \"random\"\nduration = \"4 h\"\n\n\
             [[asset]]\nid = \"a\"\nkind = \"power\"\nposition = [\"0 km\", \"0 km\"]\nvalue = 50\nhits_to_destroy = 3\n\n\
             [[asset]]\nid = \"b\"\nkind = \"hospital\"\nposition = [\"4 km\", \"-3 km\"]\nvalue = 90\nhits_to_destroy = 2\n\n\
             [[sensor]]\nid = \"radar\"\ntype = \"radar\"\nposition = [\"0 km\", \"5 km\"]\nmast_height = \"20 m\"\nrange = \"150 km\"\nscan_period = \"10 s\"\np_detect = 0.8\n\n\
             [[sensor]]\nid = \"ears\"\ntype = \"acoustic\"\ncount = 6\narea = { center = [\"0 km\", \"0 km\"], radius = \"30 km\" }\nrange = \"4 km\"\nscan_period = \"5 s\"\np_detect = 0.6\nmax_altitude = \"2500 m\"\n\n",
        );
        if self.lost_after.is_some() {
            // A radar off to one side: threats leave its coverage on their
            // way in, and the acoustic posts round the assets take them up
            // again, or not.
            t = t.replace(
                "position = [\"0 km\", \"5 km\"]\nmast_height = \"20 m\"\nrange = \"150 km\"",
                "position = [\"80 km\", \"80 km\"]\nmast_height = \"20 m\"\nrange = \"90 km\"",
            );
        }
        for (k, &(class, x, y, extra)) in self.units.iter().enumerate() {
            t += &format!(
                "[[effector]]\nid = \"u{k}\"\nclass = \"{}\"\nposition = [\"{x} km\", \"{y} km\"]\n",
                UNIT_CLASSES[class]
            );
            if UNIT_CLASSES[class] == "ew-jammer" {
                t += "p_defeat = { owa-drone = 0.5, decoy = 0.5 }\n";
            } else {
                t += &format!("magazine = {}\n", 2 + extra);
                if let Some(floor) = self.floor
                    && k % 2 == 0
                {
                    t += &format!("min_altitude = \"{} m\"\n", 50 * floor);
                }
                if let Some(mean) = self.timed
                    && k % 2 == 0
                {
                    t += &format!("mean_engagement_time = \"{mean} s\"\n");
                }
            }
            t += "\n";
        }
        for (k, &(x, y)) in self.sites.iter().enumerate() {
            t +=
                &format!("[[launch_site]]\nid = \"s{k}\"\nposition = [\"{x} km\", \"{y} km\"]\n\n");
        }
        for (k, &(class, count, site, start, span)) in self.raids.iter().enumerate() {
            t += &format!(
                "[[threat]]\nid = \"t{k}\"\nclass = \"{}\"\n\n[[raid]]\nid = \"r{k}\"\nthreat = \"t{k}\"\ncount = {count}\nfrom = [\"s{}\"]\nstart = \"{start} min\"\nend = \"{} min\"\narrival = \"{}\"\ntarget = \"any\"\n\n",
                THREAT_CLASSES[class],
                site % self.sites.len(),
                start + span,
                if k % 2 == 0 { "uniform" } else { "poisson" },
            );
            if let Some((cruise, dive)) = self.profile
                && k % 2 == 1
            {
                t.truncate(t.len() - 1);
                t += &format!("altitudes = [\"{} m\"]\n", 100 * cruise);
                if let Some(angle) = dive {
                    t += &format!("dive = {{ angle = \"{angle} deg\" }}\n");
                }
                t += "\n";
            }
        }
        t += &format!(
            "[doctrine]\ndefault_mode = \"shoot-look-shoot\"\ndefault_shots = 3\ndecoy_discrimination = 0.{}\n\n",
            self.discrimination
        );
        if self.salvo_missiles {
            t += "[[doctrine.fire]]\nthreats = [\"cruise-missile\", \"ballistic-missile\"]\nmode = \"salvo\"\nshots = 2\n\n";
        }
        if self.keep > 0 {
            t += &format!(
                "[[doctrine.reserve]]\neffector = \"medium-sam\"\nkeep = {}\nthreats = [\"cruise-missile\"]\n\n",
                self.keep
            );
        }
        if let Some(secs) = self.lost_after {
            t += &format!("[tracking]\nlost_after = \"{secs} s\"\n\n");
        }
        if let Some(v) = self.visibility {
            t += &format!("[conditions]\nvisibility = \"{} m\"\n\n", 100 * v);
        }
        if let Some(ratio) = self.cost_rule {
            t += &format!("[doctrine.cost_rule]\nmax_ratio = {ratio}.0\nvalue_unit = \"1 M$\"\n");
        }
        t
    }
}

fn random_scenario() -> impl Strategy<Value = Random> {
    (
        prop::collection::vec((0..6usize, -25..25i32, -25..25i32, 0..20u32), 1..12),
        prop::collection::vec((0..5usize, 1..40u32, 0..4usize, 0..60u32, 1..120u32), 1..5),
        prop::collection::vec((-200..200i32, -200..200i32), 1..4),
        any::<bool>(),
        0..4u32,
        prop::option::of(1..3u32),
        prop::option::of(20..200u32),
        0..10u32,
        prop::option::of((0..40u32, prop::option::of(5..=90u32))),
        prop::option::of(1..20u32),
        prop::option::of(1..150u32),
        prop::option::of(1..120u32),
    )
        .prop_map(
            |(
                units,
                mut raids,
                sites,
                salvo_missiles,
                keep,
                cost_rule,
                timed,
                discrimination,
                profile,
                floor,
                visibility,
                lost_after,
            )| {
                // Drones first: every unit class engages (or jams) them, as
                // the scenario language requires of every unit.
                raids[0].0 = 0;
                Random {
                    units,
                    raids,
                    sites,
                    salvo_missiles,
                    keep,
                    cost_rule,
                    timed,
                    discrimination,
                    profile,
                    floor,
                    visibility,
                    lost_after,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random scenarios: every policy, two seeds, the same event log as the
    /// brute-force reference.
    #[test]
    fn the_engine_decides_as_the_reference_on_random_scenarios(r in random_scenario()) {
        let text = r.text();
        let scenario = match rampart_model::parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => return Err(TestCaseError::fail(format!("invalid scenario: {e}\n{text}"))),
        };
        compare_scenario("random", &scenario, &[1, 2]);
        // And night after night in one workspace, as a study runs them.
        crate::workspace::check_nights("random", &scenario, &[1, 2, 1, 3]);
    }
}
