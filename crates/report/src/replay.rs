//! The replay of one night: everything the browser replay and the report
//! draw, computed once from the scenario and the engine's outcome. Tracks
//! are the threats' straight legs cut at the moment their flight ended, so
//! the page interpolates positions itself and needs no engine.

use rampart_engine::{EventKind, Fate, Night, Outcome};
use rampart_model::{EffectorRole, Millis, Point, Scenario};
use serde::Serialize;

/// Version of the replay format (`replay.json`).
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    pub format: u32,
    pub scenario: String,
    pub seed: u64,
    pub policy: String,
    /// Length of the night, ms.
    pub duration: Millis,
    /// `[lat, lon]` of the scenario's origin, if it has one.
    pub origin: Option<[f64; 2]>,
    /// `[min_east, min_north, max_east, max_north]` of the defended region, m.
    pub bounds: [f64; 4],
    /// The same for the whole raid: launch sites and every track as well.
    pub extent: [f64; 4],
    /// Outline of the city or region (empty if the scenario gives none).
    pub outline: Vec<[f64; 2]>,
    pub assets: Vec<ReplayAsset>,
    pub sensors: Vec<ReplaySensor>,
    pub effectors: Vec<ReplayEffector>,
    pub launch_sites: Vec<ReplaySite>,
    pub threats: Vec<ReplayThreat>,
    /// The engine's event log, in order.
    pub events: Vec<rampart_engine::Event>,
    pub summary: rampart_engine::Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayAsset {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub at: [f64; 2],
    pub value: f64,
    /// Damage at the end of the night, 0 to 1.
    pub damage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplaySensor {
    pub id: String,
    pub kind: &'static str,
    pub at: [f64; 2],
    /// Detection range against the reference target, m.
    pub range: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayEffector {
    pub id: String,
    pub group: String,
    pub class: Option<String>,
    pub kind: &'static str,
    pub at: [f64; 2],
    /// Envelope: inner and outer radius, m (a jammer's inner radius is 0).
    pub min_range: f64,
    pub max_range: f64,
    /// Rounds at the start of the night (`None`: a jammer).
    pub magazine: Option<u32>,
    pub cost_per_shot: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplaySite {
    pub id: String,
    pub at: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayThreat {
    pub id: usize,
    pub class: String,
    pub kind: &'static str,
    pub raid: String,
    pub target: String,
    /// `[t_ms, east, north]` from launch to the end of the flight.
    pub path: Vec<[f64; 3]>,
    pub launch: Millis,
    /// When the flight ended (or the night did).
    pub end: Millis,
    pub fate: &'static str,
    /// Where the flight ended.
    pub end_at: [f64; 2],
    /// The effector that killed or jammed it.
    pub by: Option<usize>,
}

fn xy(p: Point) -> [f64; 2] {
    [p.east, p.north]
}

impl Replay {
    /// The replay of `outcome`, the night played from `night`.
    pub fn new(night: &Night<'_>, outcome: &Outcome) -> Replay {
        let sc: &Scenario = night.scenario;
        let n = night.threats.len();
        let mut end: Vec<Option<Millis>> = vec![None; n];
        for e in &outcome.events {
            let t = match e.kind {
                EventKind::Killed { threat, .. }
                | EventKind::Jammed { threat, .. }
                | EventKind::Impact { threat, .. }
                | EventKind::Expired { threat } => threat,
                _ => continue,
            };
            if t < n {
                end[t] = Some(e.time);
            }
        }
        let threats: Vec<ReplayThreat> = night
            .threats
            .iter()
            .zip(&outcome.fates)
            .zip(&end)
            .filter_map(|((t, fate), end)| {
                let fate = fate.as_ref()?;
                let class = night.class(t);
                let flight = night.flight(t);
                let launch = flight.launch();
                let end = match fate {
                    Fate::Killed { time, .. }
                    | Fate::Jammed { time, .. }
                    | Fate::LeakedHit { time, .. } => *time,
                    _ => end.unwrap_or(sc.duration.min(flight.arrival())),
                }
                .max(launch);
                let end_at = match fate {
                    Fate::Killed { at, .. } => *at,
                    _ => flight.position(end),
                };
                let mut path = vec![];
                for leg in flight.legs() {
                    if leg.t0 >= end {
                        break;
                    }
                    path.push([leg.t0 as f64, leg.from.east, leg.from.north]);
                }
                path.push([end as f64, end_at.east, end_at.north]);
                let by = match fate {
                    Fate::Killed { effector, .. } | Fate::Jammed { effector, .. } => {
                        Some(*effector)
                    }
                    _ => None,
                };
                Some(ReplayThreat {
                    id: t.index,
                    class: class.id.clone(),
                    kind: class.kind.as_str(),
                    raid: sc.raids[t.raid].id.clone(),
                    target: sc.assets[t.target].id.clone(),
                    path,
                    launch,
                    end,
                    fate: fate.key(),
                    end_at: xy(end_at),
                    by,
                })
            })
            .collect();
        let assets: Vec<ReplayAsset> = sc
            .assets
            .iter()
            .zip(&outcome.damage)
            .map(|(a, &d)| ReplayAsset {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind.as_str(),
                at: xy(a.position),
                value: a.value,
                damage: d,
            })
            .collect();
        let sensors: Vec<ReplaySensor> = sc
            .sensors
            .iter()
            .map(|s| ReplaySensor {
                id: s.id.clone(),
                kind: s.kind.as_str(),
                at: xy(s.position),
                range: s.range,
            })
            .collect();
        let effectors: Vec<ReplayEffector> = sc
            .effectors
            .iter()
            .map(|e| {
                let (min_range, max_range, magazine, cost_per_shot) = match &e.role {
                    EffectorRole::Shooter(w) => {
                        (w.min_range, w.max_range, Some(w.magazine), w.cost_per_shot)
                    }
                    EffectorRole::Jammer(j) => (0.0, j.radius, None, 0.0),
                };
                ReplayEffector {
                    id: e.id.clone(),
                    group: e.group.clone(),
                    class: e.class.clone(),
                    kind: e.kind.as_str(),
                    at: xy(e.position),
                    min_range,
                    max_range,
                    magazine,
                    cost_per_shot,
                }
            })
            .collect();
        let mut bounds = [f64::INFINITY, f64::INFINITY, -f64::INFINITY, -f64::INFINITY];
        let mut grow = |p: [f64; 2], r: f64| {
            bounds[0] = bounds[0].min(p[0] - r);
            bounds[1] = bounds[1].min(p[1] - r);
            bounds[2] = bounds[2].max(p[0] + r);
            bounds[3] = bounds[3].max(p[1] + r);
        };
        for a in &assets {
            grow(a.at, 2_000.0);
        }
        for p in &sc.outline {
            grow(xy(*p), 1_000.0);
        }
        for e in &effectors {
            grow(e.at, e.max_range);
        }
        if !bounds[0].is_finite() {
            bounds = [-10_000.0, -10_000.0, 10_000.0, 10_000.0];
        }
        let mut extent = bounds;
        let mut reach = |p: [f64; 2]| {
            extent[0] = extent[0].min(p[0]);
            extent[1] = extent[1].min(p[1]);
            extent[2] = extent[2].max(p[0]);
            extent[3] = extent[3].max(p[1]);
        };
        for s in &sc.launch_sites {
            reach(xy(s.position));
        }
        for t in &threats {
            for p in &t.path {
                reach([p[1], p[2]]);
            }
        }
        Replay {
            format: FORMAT,
            scenario: sc.name.clone(),
            seed: outcome.summary.seed,
            policy: outcome.summary.policy.clone(),
            duration: sc.duration,
            origin: sc.origin.map(|o| [o.lat, o.lon]),
            bounds,
            extent,
            outline: sc.outline.iter().map(|p| xy(*p)).collect(),
            assets,
            sensors,
            effectors,
            launch_sites: sc
                .launch_sites
                .iter()
                .map(|s| ReplaySite {
                    id: s.id.clone(),
                    at: xy(s.position),
                })
                .collect(),
            threats,
            events: outcome.events.clone(),
            summary: outcome.summary.clone(),
        }
    }

    /// Counts over the night, sampled at `samples + 1` evenly spaced times:
    /// `(t_ms, [airborne, engaged so far, neutralised so far, leaked so far])`.
    pub fn timeline(&self, samples: usize) -> Vec<(Millis, [u64; 4])> {
        let samples = samples.max(1);
        let mut first_shot: Vec<Option<Millis>> = vec![None; self.threats.len()];
        let index: std::collections::BTreeMap<usize, usize> = self
            .threats
            .iter()
            .enumerate()
            .map(|(k, t)| (t.id, k))
            .collect();
        for e in &self.events {
            if let EventKind::Shot { threat, .. } = e.kind
                && let Some(&k) = index.get(&threat)
            {
                first_shot[k].get_or_insert(e.time);
            }
        }
        (0..=samples)
            .map(|k| {
                let t = (self.duration as f64 * k as f64 / samples as f64).round() as Millis;
                let mut row = [0u64; 4];
                for (th, shot) in self.threats.iter().zip(&first_shot) {
                    if th.launch <= t && (t < th.end || th.fate == "airborne") {
                        row[0] += 1;
                    }
                    if shot.is_some_and(|s| s <= t) {
                        row[1] += 1;
                    }
                    if th.end <= t {
                        match th.fate {
                            "killed" | "jammed" => row[2] += 1,
                            "leaked_hit" | "leaked_missed" => row[3] += 1,
                            _ => {}
                        }
                    }
                }
                (t, row)
            })
            .collect()
    }
}
