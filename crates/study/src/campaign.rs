//! Campaigns: the race of stocks over many nights. Every night plays the
//! real engine on the night scenario, with the raid the attacker can afford
//! tonight, the rounds the defender's depots hold tonight (each unit's
//! supply), and the damage and losses of the nights before.
//!
//! The order of a night `n` (from 1):
//! 1. Arrivals: the attacker's production and the defender's production and
//!    deliveries for night `n` join the stocks; repairs due by night `n` are done.
//! 2. The raid: each raid of the scenario launches `round(scale(n) x count)`
//!    threats (a Poisson raid's rate scales alike), cut back pro rata (in
//!    raid order) where a class's stockpile cannot cover them. What flies
//!    leaves the stockpile.
//! 3. Supply: each depot's stock is split among its units still in service
//!    (the first units take the remainder); the engine never fires more.
//! 4. The night is played with seed `replication_seed(replication_seed(base, r), n)`.
//! 5. Accounting: shots leave the depots, damage joins the assets (an asset is
//!    never more than destroyed), and units near a leaker's impact may be lost.
//!
//! Architecture Invariant: the stock identity holds night by night for
//! every depot: stock before + arrivals - shots = stock after, and no unit
//! fires beyond its supply (tested).

use std::collections::BTreeMap;

use rampart_engine::{EventLog, Fate, Night, Outcome, Purpose, builtin, pair, run_with};
use rampart_model::campaign::{Campaign, produced_before};
use rampart_model::{Arrival, AssetKind, Scenario};
use serde::Serialize;

use crate::montecarlo::{
    Accumulator, CompareResult, Progress, in_blocks, paired, replication_seed,
};
use crate::stats::Estimate;

/// What one night of one replication of a campaign did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NightRecord {
    pub night: u32,
    pub seed: u64,
    /// Threats launched tonight, by class.
    pub launched: BTreeMap<String, u64>,
    /// Killed or jammed.
    pub neutralised: u64,
    pub leaked: u64,
    /// Neither neutralised nor leaked: decoys that ran out of fuel, armed
    /// threats that fell short, threats still flying at dawn. Launched =
    /// neutralised + leaked + other.
    pub other: u64,
    /// Per depot: stock at the start of the night (before arrivals), arrivals,
    /// rounds fired, stock at the end.
    pub stock_before: BTreeMap<String, u64>,
    pub arrivals: BTreeMap<String, u64>,
    pub shots: BTreeMap<String, u64>,
    pub stock_after: BTreeMap<String, u64>,
    /// Per unit of each depot: the supply it had tonight and what it fired.
    pub supply: BTreeMap<String, Vec<(u32, u64)>>,
    /// The attacker's stockpile after the night, by class.
    pub stockpile: BTreeMap<String, u64>,
    /// Damage standing at the end of the night (after repairs), by asset kind.
    pub damage: BTreeMap<&'static str, f64>,
    /// Damage done tonight to civilian assets (every kind but military).
    pub civilian_damage: f64,
    pub defender_cost: f64,
    pub attacker_cost: f64,
    /// Effector units lost so far.
    pub units_lost: u64,
}

/// One replication of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignRun {
    pub replication: u64,
    pub nights: Vec<NightRecord>,
    /// The first night each depot ended empty, if it did.
    pub dry_night: BTreeMap<String, Option<u32>>,
}

/// A campaign ready to play: `nights` nights (the file's unless changed).
#[derive(Debug, Clone)]
pub struct CampaignStudy<'c> {
    pub campaign: &'c Campaign,
    pub nights: u32,
    pub base_seed: u64,
}

/// Units of each depot, by index into the scenario's effectors.
fn depot_units(c: &Campaign, sc: &Scenario) -> Vec<Vec<usize>> {
    c.defender
        .iter()
        .map(|d| {
            sc.effectors
                .iter()
                .enumerate()
                .filter(|(_, e)| e.group == d.effector)
                .map(|(u, _)| u)
                .collect()
        })
        .collect()
}

/// Per depot, each unit's (supply, shots) of the night.
type UnitShots = BTreeMap<String, Vec<(u32, u64)>>;

/// What a replication carries from night to night.
struct Carried {
    /// Rounds in each depot.
    stock: Vec<u64>,
    /// The attacker's stockpile of each class.
    stockpile: Vec<u64>,
    /// Whether each unit of the scenario is still in service.
    in_service: Vec<bool>,
    /// Damage standing on each asset: (night it is repaired, amount).
    standing: Vec<Vec<(u32, f64)>>,
    /// The first night each depot ended empty.
    dry_night: BTreeMap<String, Option<u32>>,
    units_lost: u64,
}

/// The night's raid and the units that meet it.
struct Tonight {
    scenario: Scenario,
    /// Units in service, by index into the campaign scenario's effectors.
    kept: Vec<usize>,
}

impl Carried {
    fn new(c: &Campaign) -> Carried {
        Carried {
            stock: c.defender.iter().map(|d| d.stock).collect(),
            stockpile: c.attacker.iter().map(|a| a.stockpile).collect(),
            in_service: vec![true; c.scenario.effectors.len()],
            standing: vec![Vec::new(); c.scenario.assets.len()],
            dry_night: c
                .defender
                .iter()
                .map(|d| (d.effector.clone(), None))
                .collect(),
            units_lost: 0,
        }
    }

    /// Step 1: rounds arrive at the depots, drones at the attacker's
    /// stockpile, and repaired damage ends. The depots before and the arrivals.
    fn resupply(&mut self, c: &Campaign, n: u32) -> (Vec<u64>, Vec<u64>) {
        let before = self.stock.clone();
        let arrivals: Vec<u64> = c.defender.iter().map(|d| d.arrivals(n)).collect();
        for (s, a) in self.stock.iter_mut().zip(&arrivals) {
            *s += a;
        }
        for (p, a) in self.stockpile.iter_mut().zip(&c.attacker) {
            *p += produced_before(&a.production, n);
        }
        for list in &mut self.standing {
            list.retain(|&(until, _)| until > n);
        }
        (before, arrivals)
    }

    /// Step 2: the raid the attacker can afford (each class's raids cut in
    /// proportion to what its stockpile holds), against the units still in
    /// service.
    fn afford_raid(&self, c: &Campaign, n: u32) -> Tonight {
        let base = &c.scenario;
        let mut sc = base.clone();
        let scale = c.raids.scale(n);
        let wanted: Vec<u64> = base
            .raids
            .iter()
            .map(|raid| (scale * f64::from(raid.count)).round() as u64)
            .collect();
        let mut counts = wanted.clone();
        for (k, a) in c.attacker.iter().enumerate() {
            let raids: Vec<usize> = (0..base.raids.len())
                .filter(|&i| base.raids[i].threat == a.threat)
                .collect();
            let total: u64 = raids.iter().map(|&i| wanted[i]).sum();
            if total > self.stockpile[k] {
                let mut left = self.stockpile[k];
                for &i in &raids {
                    let share =
                        u128::from(wanted[i]) * u128::from(self.stockpile[k]) / u128::from(total);
                    counts[i] = u64::try_from(share).unwrap_or(wanted[i]);
                    left -= counts[i];
                }
                for &i in &raids {
                    if left == 0 {
                        break;
                    }
                    if counts[i] < wanted[i] {
                        counts[i] += 1;
                        left -= 1;
                    }
                }
            }
        }
        for ((raid, &count), planned) in sc.raids.iter_mut().zip(&counts).zip(&base.raids) {
            // The checker bounds every night's raid (`campaign::MAX_THREATS_PER_NIGHT`).
            raid.count = u32::try_from(count).unwrap_or(u32::MAX);
            // A Poisson raid keeps its shape: its rate scales with its count.
            if let Arrival::Poisson { rate } = &mut raid.arrival
                && planned.count > 0
            {
                *rate *= count as f64 / f64::from(planned.count);
            }
        }
        // Units lost before tonight leave the scenario.
        let kept: Vec<usize> = (0..base.effectors.len())
            .filter(|&u| self.in_service[u])
            .collect();
        sc.effectors = kept.iter().map(|&u| base.effectors[u].clone()).collect();
        Tonight { scenario: sc, kept }
    }

    /// Step 3: each depot's units share its rounds for the night; the
    /// others keep the night's own stock (assembly sets it).
    fn issue_stocks(&self, night: &mut Night<'_>, units: &[Vec<usize>]) {
        for (d, list) in units.iter().enumerate() {
            let k = list.len() as u64;
            for (j, &u) in list.iter().enumerate() {
                let share = self.stock[d] / k + u64::from((j as u64) < self.stock[d] % k);
                night.supply[u] = Some(u32::try_from(share).unwrap_or(u32::MAX));
            }
        }
    }

    /// Step 4: what flew leaves the stockpiles (a Poisson raid may stop at
    /// the end of its window; the rest stays for another night). What
    /// flew, by class.
    fn book_launches(&mut self, c: &Campaign, night: &Night<'_>) -> BTreeMap<String, u64> {
        let sc = night.scenario;
        let mut launched: BTreeMap<String, u64> = BTreeMap::new();
        for t in &night.threats {
            *launched.entry(sc.raids[t.raid].threat.clone()).or_default() += 1;
        }
        for (k, a) in c.attacker.iter().enumerate() {
            self.stockpile[k] -= launched.get(&a.threat).copied().unwrap_or(0);
        }
        launched
    }

    /// Step 5: the rounds fired leave the depots; a depot that ends the
    /// night empty has run dry. Shots per depot and (supply, shots) per unit.
    fn book_shots(
        &mut self,
        c: &Campaign,
        n: u32,
        night: &Night<'_>,
        out: &Outcome,
        units: &[Vec<usize>],
    ) -> (Vec<u64>, UnitShots) {
        let mut shots = vec![0u64; c.defender.len()];
        let mut per_unit: UnitShots = BTreeMap::new();
        for (d, list) in units.iter().enumerate() {
            for &u in list {
                shots[d] += out.shots_by_unit[u];
                per_unit
                    .entry(c.defender[d].effector.clone())
                    .or_default()
                    .push((night.supply[u].unwrap_or(0), out.shots_by_unit[u]));
            }
            // The engine never fires beyond a unit's supply, so this never
            // clamps; if it did, the stock identity (tested) would fail.
            self.stock[d] -= shots[d].min(self.stock[d]);
            if self.stock[d] == 0
                && let Some(e) = self.dry_night.get_mut(&c.defender[d].effector)
            {
                e.get_or_insert(n);
            }
        }
        (shots, per_unit)
    }

    /// Step 6: tonight's damage stands until repaired (never beyond a whole
    /// asset). Tonight's civilian damage, and the damage standing by kind.
    fn book_damage(
        &mut self,
        c: &Campaign,
        n: u32,
        sc: &Scenario,
        out: &Outcome,
    ) -> (f64, BTreeMap<&'static str, f64>) {
        let mut civilian = 0.0;
        for (a, &new) in out.damage.iter().enumerate() {
            let asset = &sc.assets[a];
            let now: f64 = self.standing[a].iter().map(|x| x.1).sum();
            let applied = new.min((1.0 - now).max(0.0));
            if applied > 0.0 {
                self.standing[a].push((n + c.repair.nights(asset.kind).max(1), applied));
                if asset.kind != AssetKind::Military {
                    civilian += applied;
                }
            }
        }
        let mut damage: BTreeMap<&'static str, f64> =
            AssetKind::ALL.iter().map(|k| (k.as_str(), 0.0)).collect();
        for (a, list) in self.standing.iter().enumerate() {
            *damage.entry(sc.assets[a].kind.as_str()).or_default() +=
                list.iter().map(|x| x.1).sum::<f64>();
        }
        (civilian, damage)
    }

    /// Step 7: attrition. A leaker comes down at (or near) its target and
    /// may take out a unit within the losses' radius, for good.
    fn attrition(
        &mut self,
        c: &Campaign,
        seed: u64,
        night: &Night<'_>,
        tonight: &Tonight,
        out: &Outcome,
    ) {
        let Some(l) = &c.losses else { return };
        let sc = &tonight.scenario;
        let streams = rampart_engine::Streams::new(seed);
        for (i, fate) in out.fates.iter().enumerate() {
            if !matches!(fate, Some(Fate::LeakedHit { .. } | Fate::LeakedMissed)) {
                continue;
            }
            let at = sc.assets[night.threats[i].target].position;
            for (j, &u) in tonight.kept.iter().enumerate() {
                if self.in_service[u]
                    && sc.effectors[j].position.distance(at) <= l.radius
                    && streams.chance(Purpose::Attrition, pair(u, i), 0, l.probability)
                {
                    self.in_service[u] = false;
                    self.units_lost += 1;
                }
            }
        }
    }
}

impl CampaignStudy<'_> {
    /// Plays replication `r` of the campaign, night by night: resupply,
    /// the raid the attacker can afford, the depots' rounds issued, the
    /// night played, then launches, shots, damage and attrition booked.
    pub fn replication(&self, r: u64) -> CampaignRun {
        let c = self.campaign;
        let rep_seed = replication_seed(self.base_seed, r);
        let policy = builtin(c.policy);
        let mut carried = Carried::new(c);
        let mut nights = Vec::with_capacity(self.nights as usize);
        for n in 1..=self.nights {
            let seed = replication_seed(rep_seed, u64::from(n));
            let (stock_before, arrivals) = carried.resupply(c, n);
            let tonight = carried.afford_raid(c, n);
            let sc = &tonight.scenario;
            let units = depot_units(c, sc);
            let mut night = Night::assemble(sc, seed);
            carried.issue_stocks(&mut night, &units);
            let out = run_with(&night, policy.as_ref(), EventLog::Skip);
            let launched = carried.book_launches(c, &night);
            let (shots, per_unit) = carried.book_shots(c, n, &night, &out, &units);
            let (civilian, damage) = carried.book_damage(c, n, sc, &out);
            carried.attrition(c, seed, &night, &tonight, &out);
            let s = &out.summary;
            let names = |v: &[u64]| -> BTreeMap<String, u64> {
                c.defender
                    .iter()
                    .zip(v)
                    .map(|(d, &x)| (d.effector.clone(), x))
                    .collect()
            };
            nights.push(NightRecord {
                night: n,
                seed,
                launched,
                neutralised: s.by_fate.neutralised(),
                leaked: s.leakers,
                other: s.by_fate.decoy_expired + s.by_fate.fell_short + s.by_fate.airborne,
                stock_before: names(&stock_before),
                arrivals: names(&arrivals),
                shots: names(&shots),
                stock_after: names(&carried.stock),
                supply: per_unit,
                stockpile: c
                    .attacker
                    .iter()
                    .zip(&carried.stockpile)
                    .map(|(a, &x)| (a.threat.clone(), x))
                    .collect(),
                damage,
                civilian_damage: civilian,
                defender_cost: s.defender_cost,
                attacker_cost: s.attacker_cost,
                units_lost: carried.units_lost,
            });
        }
        CampaignRun {
            replication: r,
            nights,
            dry_night: carried.dry_night,
        }
    }

    /// `reps` replications in parallel, folded in order: the statistics of
    /// every series, night by night, and of the campaign's totals.
    pub fn run(&self, reps: u64, progress: &dyn Progress) -> CampaignResult {
        let mut per_night = vec![Accumulator::default(); self.nights as usize];
        let mut totals = Accumulator::default();
        let mut dry: BTreeMap<String, (u64, Accumulator)> = BTreeMap::new();
        in_blocks(
            0,
            reps,
            progress,
            |r| {
                let run = self.replication(r);
                progress.advance(1);
                run
            },
            |run| {
                for (acc, night) in per_night.iter_mut().zip(series(&run)) {
                    acc.add(&night);
                }
                totals.add(&campaign_totals(&run));
                for (depot, night) in &run.dry_night {
                    let e = dry.entry(depot.clone()).or_default();
                    if let Some(n) = night {
                        e.0 += 1;
                        e.1.add(&[("night".to_string(), f64::from(*n))]);
                    }
                }
            },
        );
        CampaignResult {
            campaign: self.campaign.name.clone(),
            base_seed: self.base_seed,
            replications: totals.n(),
            nights: per_night.iter().map(Accumulator::estimates).collect(),
            totals: totals.estimates(),
            dry: dry
                .into_iter()
                .map(|(k, (ran_dry, acc))| {
                    (
                        k,
                        DryNight {
                            ran_dry,
                            night: acc.estimates().remove("night"),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// The series of one run, night by night, as named metrics.
pub fn series(run: &CampaignRun) -> Vec<Vec<(String, f64)>> {
    let mut civilian = 0.0;
    let mut defender = 0.0;
    let mut attacker = 0.0;
    let mut leaked_total = 0.0;
    run.nights
        .iter()
        .map(|n| {
            civilian += n.civilian_damage;
            defender += n.defender_cost;
            attacker += n.attacker_cost;
            leaked_total += n.leaked as f64;
            let launched: u64 = n.launched.values().sum();
            let mut m = vec![
                ("launched".to_string(), launched as f64),
                ("neutralised".to_string(), n.neutralised as f64),
                ("leaked".to_string(), n.leaked as f64),
                ("other".to_string(), n.other as f64),
                (
                    "leak_rate".to_string(),
                    if launched > 0 {
                        n.leaked as f64 / launched as f64
                    } else {
                        0.0
                    },
                ),
                ("civilian_damage_cumulative".to_string(), civilian),
                ("leaked_cumulative".to_string(), leaked_total),
                ("defender_cost".to_string(), n.defender_cost),
                ("attacker_cost".to_string(), n.attacker_cost),
                ("defender_cost_cumulative".to_string(), defender),
                ("attacker_cost_cumulative".to_string(), attacker),
                ("units_lost".to_string(), n.units_lost as f64),
            ];
            for (k, v) in &n.stock_after {
                m.push((format!("stock.{k}"), *v as f64));
            }
            for (k, v) in &n.shots {
                m.push((format!("shots.{k}"), *v as f64));
            }
            for (k, v) in &n.stockpile {
                m.push((format!("stockpile.{k}"), *v as f64));
            }
            for (k, v) in &n.launched {
                m.push((format!("launched.{k}"), *v as f64));
            }
            for (k, v) in &n.damage {
                m.push((format!("damage.{k}"), *v));
            }
            m
        })
        .collect()
}

/// The totals of one run: what a budget comparison compares.
pub fn campaign_totals(run: &CampaignRun) -> Vec<(String, f64)> {
    let sum = |f: fn(&NightRecord) -> f64| run.nights.iter().map(f).sum::<f64>();
    let nights = run.nights.len() as f64;
    let mut m = vec![
        ("leaked".to_string(), sum(|n| n.leaked as f64)),
        (
            "launched".to_string(),
            sum(|n| n.launched.values().sum::<u64>() as f64),
        ),
        ("neutralised".to_string(), sum(|n| n.neutralised as f64)),
        ("other".to_string(), sum(|n| n.other as f64)),
        ("civilian_damage".to_string(), sum(|n| n.civilian_damage)),
        ("defender_cost".to_string(), sum(|n| n.defender_cost)),
        ("attacker_cost".to_string(), sum(|n| n.attacker_cost)),
        (
            "units_lost".to_string(),
            run.nights.last().map_or(0.0, |n| n.units_lost as f64),
        ),
    ];
    for (depot, night) in &run.dry_night {
        // A depot that never ran dry counts as lasting one night past the end.
        m.push((
            format!("dry_night.{depot}"),
            night.map_or(nights + 1.0, f64::from),
        ));
    }
    m
}

/// When a depot ran dry over the replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DryNight {
    /// Replications in which it ran dry.
    pub ran_dry: u64,
    /// The night it did, over those replications.
    pub night: Option<Estimate>,
}

/// What a campaign study gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignResult {
    pub campaign: String,
    pub base_seed: u64,
    pub replications: u64,
    /// `nights[n - 1][series]`: every series on night `n`.
    pub nights: Vec<BTreeMap<String, Estimate>>,
    /// The campaign's totals.
    pub totals: BTreeMap<String, Estimate>,
    pub dry: BTreeMap<String, DryNight>,
}

/// Campaign variants (budgets) on the same seeds: paired differences of the
/// totals against the first.
#[derive(Debug, Clone)]
pub struct BudgetComparison<'c> {
    pub variants: Vec<(String, &'c Campaign)>,
    pub nights: u32,
    pub base_seed: u64,
}

impl BudgetComparison<'_> {
    pub fn run(&self, reps: u64, progress: &dyn Progress) -> CompareResult {
        let names: Vec<String> = self.variants.iter().map(|v| v.0.clone()).collect();
        paired(
            names,
            self.base_seed,
            reps,
            progress,
            || (),
            |_, r| {
                self.variants
                    .iter()
                    .map(|(_, c)| {
                        let study = CampaignStudy {
                            campaign: c,
                            nights: self.nights,
                            base_seed: self.base_seed,
                        };
                        campaign_totals(&study.replication(r))
                    })
                    .collect()
            },
        )
    }
}

/// Checks campaign `text`, the file at `path` (or a changed copy of it),
/// reading its night scenario from beside that file, as every front end
/// reads a campaign.
pub fn check_file(path: &std::path::Path, text: &str) -> rampart_model::campaign::CheckedCampaign {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .to_path_buf();
    rampart_model::campaign::check_campaign(text, &mut |rel: &str| {
        std::fs::read_to_string(dir.join(rel))
            .map_err(|e| format!("{}: {e}", dir.join(rel).display()))
    })
}
