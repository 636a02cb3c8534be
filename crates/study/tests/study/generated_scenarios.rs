//! Generated valid scenarios, edge cases included (coincident positions,
//! launch sites on an asset, extreme speeds, zero detection, instant raids,
//! one-round magazines, tiny stocks), played through the engine with every
//! policy and through every study's library entry: Monte Carlo, comparison,
//! sweep, saturation, hindcast and campaign. No panic, and the invariants:
//! the summary's tallies are those of the event log, a unit never fires more
//! than its night's supply, nothing is negative or beyond its range.
//!
//! `PROPTEST_CASES` (default 24 here) runs more on demand:
//! `PROPTEST_CASES=500 cargo test -p rampart-study --test study generated`.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rampart_engine::{EventKind as K, EventLog, Night, Workspace, builtin};
use rampart_model::campaign::check_campaign;
use rampart_model::nights::parse_nights;
use rampart_model::{Policy, Scenario, parse_scenario};
use rampart_study::{
    CampaignStudy, Comparison, Hindcast, MonteCarlo, Saturation, Shard, Silent, Support, Sweep,
    Vary, support_of,
};

const SHOOTERS: [&str; 5] = [
    "patriot-type",
    "iris-t-slm-type",
    "gepard-type",
    "mobile-fire-group",
    "interceptor-drone",
];
const THREATS: [&str; 5] = [
    "shahed-type",
    "gerbera-type",
    "jet-shahed-type",
    "kh-101-type",
    "iskander-type",
];
/// Positions, km: a few shared on purpose, so that assets, units and launch
/// sites coincide.
const SPOTS: [(i32, i32); 6] = [(0, 0), (0, 0), (3, -2), (40, 0), (150, 90), (-300, 20)];
/// Threat speeds, m/s: from a walking pace to a ballistic missile's.
const SPEEDS: [f64; 5] = [1.5, 20.0, 51.4, 700.0, 5000.0];

/// A raid: threat class, speed override (index into `SPEEDS`), count,
/// launch site, start and span (minutes), arrival (fixed, uniform, Poisson).
type RaidDraw = (usize, Option<usize>, u32, usize, u32, u32, u32);

#[derive(Debug, Clone)]
struct Generated {
    duration_h: u32,
    assets: Vec<usize>,
    radar: (usize, u32, u32, u32),
    units: Vec<(usize, usize, u32, u32, Option<u32>)>,
    sites: Vec<usize>,
    raids: Vec<RaidDraw>,
}

impl Generated {
    fn text(&self) -> String {
        let mut t = format!(
            "[scenario]\nname = \"generated\"\nduration = \"{} h\"\n\n",
            self.duration_h
        );
        for (k, &spot) in self.assets.iter().enumerate() {
            let (x, y) = SPOTS[spot];
            t += &format!(
                "[[asset]]\nid = \"a{k}\"\nkind = \"power\"\nposition = [\"{x} km\", \"{y} km\"]\nvalue = {}\n\n",
                10 + 20 * k
            );
        }
        let (spot, range, period, p) = self.radar;
        let (x, y) = SPOTS[spot];
        t += &format!(
            "[[sensor]]\nid = \"radar\"\ntype = \"radar\"\nposition = [\"{x} km\", \"{y} km\"]\nrange = \"{range} km\"\nscan_period = \"{period} s\"\np_detect = {}\n\n",
            f64::from(p) / 10.0
        );
        for (k, &(class, spot, magazine, channels, stock)) in self.units.iter().enumerate() {
            let (x, y) = SPOTS[spot];
            t += &format!(
                "[[effector]]\nid = \"u{k}\"\nclass = \"{}\"\nposition = [\"{x} km\", \"{y} km\"]\nmagazine = {magazine}\nchannels = {channels}\n",
                SHOOTERS[class]
            );
            if let Some(s) = stock {
                t += &format!("stock = {s}\n");
            }
            t += "\n";
        }
        for (k, &spot) in self.sites.iter().enumerate() {
            let (x, y) = SPOTS[spot];
            t +=
                &format!("[[launch_site]]\nid = \"s{k}\"\nposition = [\"{x} km\", \"{y} km\"]\n\n");
        }
        for (k, &(class, speed, count, site, start, span, arrival)) in self.raids.iter().enumerate()
        {
            t += &format!(
                "[[threat]]\nid = \"t{k}\"\nclass = \"{}\"\n",
                THREATS[class]
            );
            if let Some(s) = speed {
                t += &format!("speed = \"{} m/s\"\n", SPEEDS[s]);
            }
            // Raids end within the night.
            let last = self.duration_h * 60;
            let start = start.min(last);
            t += &format!(
                "\n[[raid]]\nid = \"r{k}\"\nthreat = \"t{k}\"\ncount = {count}\nfrom = [\"s{}\"]\nstart = \"{start} min\"\nend = \"{} min\"\narrival = \"{}\"\ntarget = \"any\"\n\n",
                site % self.sites.len(),
                (start + span).min(last),
                ["fixed", "uniform", "poisson"][arrival as usize % 3],
            );
            if arrival % 3 == 2 {
                // An explicit rate, so that an instant raid is valid too.
                t.truncate(t.len() - 1);
                t += &format!("rate = \"{} /h\"\n\n", count.max(1) * 4);
            }
        }
        let ids = |want: &dyn Fn(usize) -> bool| {
            self.raids
                .iter()
                .enumerate()
                .filter(|(_, r)| want(r.0))
                .map(|(k, _)| format!("\"r{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        t += &format!(
            "[hindcast]\ndrones = [{}]\ndecoys = [{}]\n\n[doctrine]\npolicy = \"greedy\"\n",
            ids(&|c| c == 0 || c == 2),
            ids(&|c| c == 1)
        );
        t
    }

    /// The drones of the first raid's class (a campaign's attacker).
    fn campaign(&self) -> String {
        format!(
            "[campaign]\nname = \"generated\"\nscenario = \"night.toml\"\nnights = 3\n\n\
             [[attacker]]\nid = \"t0\"\nstockpile = 500\n\n[raids]\nnightly = 1.0\n\n\
             [[defender]]\nid = \"u0\"\nstock = {}\nper_month = 30\n",
            self.units[0].2 * 2
        )
    }
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        1..6u32,
        prop::collection::vec(0..6usize, 1..4),
        (0..6usize, 1..300u32, 1..60u32, 0..=10u32),
        prop::collection::vec(
            (
                0..5usize,
                0..6usize,
                1..40u32,
                1..4u32,
                prop::option::of(0..12u32),
            ),
            1..6,
        ),
        prop::collection::vec(0..6usize, 1..3),
        prop::collection::vec(
            (
                0..5usize,
                prop::option::of(0..5usize),
                1..120u32,
                0..3usize,
                0..90u32,
                0..90u32,
                0..3u32,
            ),
            1..4,
        ),
    )
        .prop_map(|(duration_h, assets, radar, units, sites, mut raids)| {
            // Drones first, slow enough to catch: every shooter class
            // engages them, as the scenario language requires of every unit.
            raids[0].0 = 0;
            raids[0].1 = raids[0].1.filter(|&s| SPEEDS[s] < 80.0);
            Generated {
                duration_h,
                assets,
                radar,
                units,
                sites,
                raids,
            }
        })
}

/// Plays one night and checks it against its own event log.
fn check_night(sc: &Scenario, seed: u64, policy: Policy, text: &str) {
    let night = Night::assemble(sc, seed);
    let mut ws = Workspace::new(sc);
    let o = ws.run(&night, builtin(policy).as_ref(), EventLog::Keep);
    let mut ends = vec![0u32; night.threats.len()];
    let mut launched = 0u64;
    let mut tally = BTreeMap::<&str, u64>::new();
    let mut shots = vec![0u64; sc.effectors.len()];
    for e in &o.events {
        let (threat, key) = match e.kind {
            K::Launch { .. } => {
                launched += 1;
                continue;
            }
            K::Shot {
                effector, rounds, ..
            } => {
                shots[effector] += u64::from(rounds);
                continue;
            }
            K::Killed { threat, .. } => (threat, "killed"),
            K::Jammed { threat, .. } => (threat, "jammed"),
            K::Impact { threat, hit, .. } => {
                (threat, if hit { "leaked_hit" } else { "leaked_missed" })
            }
            K::Expired { threat } => {
                let decoy = night.class(&night.threats[threat]).decoy;
                (threat, if decoy { "decoy_expired" } else { "fell_short" })
            }
            _ => continue,
        };
        ends[threat] += 1;
        *tally.entry(key).or_default() += 1;
    }
    let why = || format!("seed {seed}, {policy:?}\n{text}");
    assert!(
        ends.iter().all(|&n| n <= 1),
        "a threat ended twice: {}",
        why()
    );
    let ended: u64 = tally.values().sum();
    assert!(ended <= launched, "{}", why());
    tally.insert("airborne", launched - ended);
    let s = &o.summary;
    assert_eq!(s.threats_launched, launched, "{}", why());
    for (key, n) in s.by_fate.iter() {
        assert_eq!(tally.get(key).copied().unwrap_or(0), n, "{key}: {}", why());
    }
    for (u, e) in sc.effectors.iter().enumerate() {
        assert_eq!(o.shots_by_unit[u], shots[u], "unit {u} shots: {}", why());
        if let Some(Some(supply)) = night.supply.get(u) {
            assert!(
                shots[u] <= u64::from(*supply),
                "unit {} fired {} of a supply of {supply}: {}",
                e.id,
                shots[u],
                why()
            );
        }
    }
    for d in s.damage_by_asset.values() {
        assert!((0.0..=1.0).contains(d), "damage {d}: {}", why());
    }
    assert!(
        s.defender_cost >= 0.0 && s.attacker_cost >= 0.0,
        "{}",
        why()
    );
    assert!(
        (0.0..=1.0).contains(&s.drones_neutralised_fraction),
        "{}",
        why()
    );
}

fn check_estimates(what: &str, metrics: &BTreeMap<String, rampart_study::Estimate>) {
    for (name, e) in metrics {
        assert!(e.mean.is_finite(), "{what}: {name} mean {}", e.mean);
        if let Some((lo, hi)) = support_of(name).range()
            && support_of(name) != Support::Real
        {
            assert!(
                lo <= e.ci95_low && e.ci95_high <= hi,
                "{what}: {name} [{}, {}]",
                e.ci95_low,
                e.ci95_high
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_scenarios_play_through_the_engine_and_every_study(g in generated()) {
        let text = g.text();
        let sc = match parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => return Err(TestCaseError::fail(format!("invalid: {e}\n{text}"))),
        };
        for policy in [Policy::Nearest, Policy::Greedy, Policy::Optimal] {
            for seed in [1, 2] {
                check_night(&sc, seed, policy, &text);
            }
        }
        let mc = MonteCarlo { scenario: &sc, policy: Policy::Greedy, base_seed: 3 };
        check_estimates("mc", &mc.run(3, &Silent).metrics);
        let cmp = Comparison {
            variants: vec![
                ("greedy".into(), &sc, Policy::Greedy),
                ("nearest".into(), &sc, Policy::Nearest),
            ],
            base_seed: 4,
        };
        let r = cmp.run(2, &Silent);
        for m in r.metrics.values() {
            check_estimates("compare", m);
        }
        let dir = std::env::temp_dir().join(format!(
            "rampart-generated-{}-{}",
            std::process::id(),
            rampart_study::fnv1a(text.as_bytes())
        ));
        let sweep = Sweep {
            text: text.clone(),
            vary: vec![Vary::parse("raid.r0.count=1,3").expect("vary")],
            reps: 1,
            base_seed: 5,
            policy: None,
        };
        sweep.run(&dir, Shard::WHOLE, &Silent, &mut |_| {}).map_err(|e| TestCaseError::fail(format!("sweep: {e}\n{text}")))?;
        let _ = std::fs::remove_dir_all(&dir);
        let saturation = Saturation {
            text: text.clone(),
            path: "raid.r0.count".into(),
            metric: "leakers".into(),
            limit: 2.0,
            from: 1.0,
            to: 60.0,
            integer: true,
            tolerance: 1.0,
            base_seed: 6,
            policy: None,
            initial_reps: 2,
            max_reps: 4,
        };
        saturation.run(&Silent, &mut |_| {}).map_err(|e| TestCaseError::fail(format!("saturate: {e}\n{text}")))?;
        let drones: u32 = sc.raids.iter().map(|r| r.count).sum();
        let nights = parse_nights(&format!(
            "date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source\nd,{},,,,{},,s\n",
            drones + 5,
            drones / 2
        ))
        .map_err(|e| TestCaseError::fail(format!("nights: {e:?}")))?;
        let hindcast = Hindcast { scenario: &sc, policy: Policy::Greedy, base_seed: 7 };
        let h = hindcast
            .run(&nights, 2, &Silent)
            .map_err(|e| TestCaseError::fail(format!("hindcast: {e}\n{text}")))?;
        for n in &h.nights {
            let s = &n.model.neutralised_share;
            prop_assert!(0.0 <= s.ci95_low && s.ci95_high <= 1.0);
        }
        let checked = check_campaign(&g.campaign(), &mut |_| Ok(text.clone()));
        let Some(c) = checked.campaign else {
            return Err(TestCaseError::fail(format!("campaign: {:?}\n{text}", checked.diagnostics)));
        };
        let study = CampaignStudy { campaign: &c, nights: 3, base_seed: 8 };
        let result = study.run(2, &Silent);
        check_estimates("campaign totals", &result.totals);
    }
}
