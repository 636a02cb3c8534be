//! What one replication produced: every threat's fate, shots and costs,
//! damage by asset and kind, and the event log.

use std::collections::BTreeMap;

use rampart_model::{EffectorKind, EffectorRole, Millis, Point};
use serde::Serialize;

use crate::night::Night;

/// How a threat's flight ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    Killed {
        effector: usize,
        kind: EffectorKind,
        time: Millis,
        at: Point,
    },
    /// Defeated by a jammer: jammed or lost its way.
    Jammed {
        effector: usize,
        time: Millis,
    },
    LeakedHit {
        asset: usize,
        time: Millis,
    },
    LeakedMissed,
    DecoyExpired,
    /// An armed threat that ran out of endurance before its target.
    FellShort,
    /// Still flying when the night ended.
    Airborne,
}

impl Fate {
    /// Every fate's key, in the order of [`Fate::index`].
    pub const KEYS: [&'static str; 7] = [
        "killed",
        "jammed",
        "leaked_hit",
        "leaked_missed",
        "decoy_expired",
        "fell_short",
        "airborne",
    ];

    /// Position of this fate's key in [`Fate::KEYS`].
    pub fn index(&self) -> usize {
        match self {
            Fate::Killed { .. } => 0,
            Fate::Jammed { .. } => 1,
            Fate::LeakedHit { .. } => 2,
            Fate::LeakedMissed => 3,
            Fate::DecoyExpired => 4,
            Fate::FellShort => 5,
            Fate::Airborne => 6,
        }
    }

    pub fn key(&self) -> &'static str {
        Self::KEYS[self.index()]
    }
}

/// How many threats met each fate: one typed field per fate, so that a
/// renamed fate fails to compile instead of reading 0. Serialised as an
/// object keyed by [`Fate::key`], in alphabetical order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FateCounts {
    pub airborne: u64,
    pub decoy_expired: u64,
    pub fell_short: u64,
    pub jammed: u64,
    pub killed: u64,
    pub leaked_hit: u64,
    pub leaked_missed: u64,
}

impl FateCounts {
    /// From counts in the order of [`Fate::KEYS`].
    fn from_keyed(n: [u64; Fate::KEYS.len()]) -> FateCounts {
        FateCounts {
            killed: n[0],
            jammed: n[1],
            leaked_hit: n[2],
            leaked_missed: n[3],
            decoy_expired: n[4],
            fell_short: n[5],
            airborne: n[6],
        }
    }

    /// Each fate's key and count, in the order of [`Fate::KEYS`].
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> {
        let n = [
            self.killed,
            self.jammed,
            self.leaked_hit,
            self.leaked_missed,
            self.decoy_expired,
            self.fell_short,
            self.airborne,
        ];
        Fate::KEYS.into_iter().zip(n)
    }

    /// Every threat counted.
    pub fn total(&self) -> u64 {
        self.iter().map(|(_, n)| n).sum()
    }

    /// Killed or jammed.
    pub fn neutralised(&self) -> u64 {
        self.killed + self.jammed
    }

    /// Reached its target area, hit or missed.
    pub fn leaked(&self) -> u64 {
        self.leaked_hit + self.leaked_missed
    }
}

/// One event of the night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Milliseconds from the start of the night.
    pub time: Millis,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    Launch {
        threat: usize,
    },
    Track {
        threat: usize,
        decoy_identified: bool,
    },
    /// Out of every sensor's coverage for `lost_after`: the track is lost.
    TrackLost {
        threat: usize,
    },
    Shot {
        threat: usize,
        effector: usize,
        rounds: u32,
        intercept: Millis,
    },
    Killed {
        threat: usize,
        effector: usize,
    },
    Missed {
        threat: usize,
        effector: usize,
    },
    Wasted {
        threat: usize,
        effector: usize,
    },
    Jammed {
        threat: usize,
        effector: usize,
    },
    Impact {
        threat: usize,
        asset: usize,
        hit: bool,
    },
    Expired {
        threat: usize,
    },
    Reloaded {
        effector: usize,
    },
}

/// Shots and money of one effector kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Spending {
    pub shots: u64,
    pub cost: f64,
}

/// The outcome of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub fates: Vec<Option<Fate>>,
    pub damage: Vec<f64>,
    pub shots_by_unit: Vec<u64>,
    pub events: Vec<Event>,
    pub summary: Summary,
    /// What the run cost the engine (for benchmarks; no outcome depends on it).
    pub work: Work,
}

/// Counts of the engine's work in one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Queue entries handled (the logged events are a part of them).
    pub queue_events: u64,
    /// Decision epochs.
    pub epochs: u64,
    /// Threats looked at by the epochs.
    pub threats_evaluated: u64,
    /// Calls of the policy (epochs with at least one possible engagement).
    pub decisions: u64,
}

/// The summary of one replication, as `rampart run --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub policy: String,
    pub threats_launched: u64,
    pub by_fate: FateCounts,
    /// Threats that reached their target area: leaked_hit + leaked_missed.
    pub leakers: u64,
    /// Of the drones (armed and decoys) launched, the share killed or jammed.
    pub drones_neutralised_fraction: f64,
    /// Armed one-way attack drones that reached their target area, hit or
    /// missed: what the nightly reports count as drone hits.
    pub drone_leakers: u64,
    pub shots_by_effector_class: BTreeMap<&'static str, Spending>,
    pub defender_cost: f64,
    pub attacker_cost: f64,
    /// Defender dollars spent per attacker dollar launched.
    pub cost_exchange_ratio: f64,
    pub damage_by_asset_kind: BTreeMap<&'static str, f64>,
    pub damage_by_asset: BTreeMap<String, f64>,
    pub killed_by_effector_class: BTreeMap<&'static str, u64>,
}

impl Outcome {
    pub(crate) fn new(
        night: &Night<'_>,
        fates: Vec<Option<Fate>>,
        damage: Vec<f64>,
        shots_by_unit: Vec<u64>,
        events: Vec<Event>,
    ) -> Outcome {
        let sc = night.scenario;
        // Counted in arrays, then named: a map entry per threat costs more
        // than the rest of the summary.
        let mut by_fate_n = [0u64; Fate::KEYS.len()];
        let mut killed_n = vec![0u64; EffectorKind::ALL.len()];
        let mut drones = 0u64;
        let mut drones_down = 0u64;
        let mut attacker_cost = 0.0;
        let mut launched = 0u64;
        let mut drone_leakers = 0u64;
        for (t, fate) in night.threats.iter().zip(&fates) {
            let Some(fate) = fate else { continue };
            launched += 1;
            by_fate_n[fate.index()] += 1;
            if let Fate::Killed { kind, .. } = fate
                && let Some(k) = EffectorKind::ALL.iter().position(|x| x == kind)
            {
                killed_n[k] += 1;
            }
            let class = night.class(t);
            attacker_cost += class.unit_cost;
            if matches!(
                class.kind,
                rampart_model::ThreatKind::OwaDrone | rampart_model::ThreatKind::Decoy
            ) {
                drones += 1;
                if matches!(fate, Fate::Killed { .. } | Fate::Jammed { .. }) {
                    drones_down += 1;
                }
                if !class.decoy && matches!(fate, Fate::LeakedHit { .. } | Fate::LeakedMissed) {
                    drone_leakers += 1;
                }
            }
        }
        let by_fate = FateCounts::from_keyed(by_fate_n);
        let killed_by: BTreeMap<&'static str, u64> = EffectorKind::ALL
            .iter()
            .map(|k| k.as_str())
            .zip(killed_n)
            .collect();
        let mut spending: BTreeMap<&'static str, Spending> = EffectorKind::ALL
            .iter()
            .map(|k| (k.as_str(), Spending::default()))
            .collect();
        let mut defender_cost = 0.0;
        for (u, &shots) in shots_by_unit.iter().enumerate() {
            let e = &sc.effectors[u];
            let cost = match &e.role {
                EffectorRole::Shooter(w) => w.cost_per_shot * shots as f64,
                EffectorRole::Jammer(_) => 0.0,
            };
            let s = spending.entry(e.kind.as_str()).or_default();
            s.shots += shots;
            s.cost += cost;
            defender_cost += cost;
        }
        let mut damage_by_kind: BTreeMap<&'static str, f64> = BTreeMap::new();
        let mut damage_by_asset = BTreeMap::new();
        for (a, &d) in damage.iter().enumerate() {
            let asset = &sc.assets[a];
            *damage_by_kind.entry(asset.kind.as_str()).or_default() += d;
            damage_by_asset.insert(asset.id.clone(), d);
        }
        let summary = Summary {
            scenario: sc.name.clone(),
            seed: night.streams.seed(),
            policy: String::new(),
            threats_launched: launched,
            leakers: by_fate.leaked(),
            by_fate,
            drones_neutralised_fraction: if drones > 0 {
                drones_down as f64 / drones as f64
            } else {
                0.0
            },
            drone_leakers,
            shots_by_effector_class: spending,
            defender_cost,
            attacker_cost,
            cost_exchange_ratio: if attacker_cost > 0.0 {
                defender_cost / attacker_cost
            } else {
                0.0
            },
            damage_by_asset_kind: damage_by_kind,
            damage_by_asset,
            killed_by_effector_class: killed_by,
        };
        Outcome {
            fates,
            damage,
            shots_by_unit,
            events,
            summary,
            work: Work::default(),
        }
    }

    /// The event log as JSON Lines, one event per line.
    pub fn events_jsonl(&self) -> Result<String, serde_json::Error> {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&serde_json::to_string(e)?);
            out.push('\n');
        }
        Ok(out)
    }
}
