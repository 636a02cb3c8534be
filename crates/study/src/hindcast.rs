//! Hindcast: the model against reported nights. Each reported night sets
//! the counts of the scenario's raids (`[hindcast]` names the raids of each
//! column; a count goes first to the column's baseline raids, up to their
//! file counts, and the rest is spread over the others in the file's
//! proportions; an empty cell keeps the file's own counts), plays `reps`
//! replications and sets
//! what the model says beside what was reported:
//!
//! - the share of the drones (decoys included) neutralised: every drone
//!   but the armed ones that reach their target area, as the Air Force's
//!   "shot down or suppressed" counts all but the hits;
//! - drone hits: armed drones that reach their target area, whether or not
//!   they hit the asset they were aimed at (a reported "hit" is an impact at
//!   a location).
//!
//! Intervals: Student's t on the per-replication values (95%), clamped to
//! the metric's possible range ([0, 1] for the share, [0, drones] for the
//! hits).

use rampart_engine::{EventLog, Night, Summary, Workspace, builtin};
use rampart_model::nights::ReportedNight;
use rampart_model::{Arrival, Policy as PolicyName, Raid, Scenario, ThreatKind};
use serde::Serialize;

use crate::montecarlo::{Accumulator, in_blocks_with, replication_seed};
use crate::{Estimate, Progress};

/// Why a reported night cannot be played.
#[derive(Debug, thiserror::Error)]
pub enum HindcastError {
    #[error("the scenario has no [hindcast] table naming the raids of each column")]
    NoHindcastTable,
    #[error("a hindcast needs at least one replication a night")]
    NoReplications,
    #[error(
        "night {date} (line {line}): {column} = {count}, but [hindcast].{column} names no raid"
    )]
    NoRaids {
        date: String,
        line: usize,
        column: &'static str,
        count: u32,
    },
    #[error(
        "night {date} (line {line}): {decoys} decoys among {drones} drones, but [hindcast].decoys names no raid"
    )]
    NoDecoyRaids {
        date: String,
        line: usize,
        decoys: u32,
        drones: u32,
    },
}

/// A hindcast study: the scenario, its policy and the base seed.
#[derive(Debug, Clone, Copy)]
pub struct Hindcast<'s> {
    pub scenario: &'s Scenario,
    pub policy: PolicyName,
    pub base_seed: u64,
}

/// The model's side of one night.
#[derive(Debug, Clone, Serialize)]
pub struct ModelNight {
    pub neutralised_share: Estimate,
    pub drone_hits: Estimate,
}

/// One night: what was reported, what the model says, and whether they agree.
#[derive(Debug, Clone, Serialize)]
pub struct NightResult {
    pub date: String,
    pub reported: serde_json::Value,
    /// The reported share of the drones neutralised.
    pub reported_share: f64,
    pub model: ModelNight,
    /// |model share - reported share| <= 0.05 and, where hits are
    /// reported, the model's mean hits within [0.5x, 2x] of them.
    pub within_band: bool,
}

/// The whole study.
#[derive(Debug, Clone, Serialize)]
pub struct HindcastResult {
    pub nights: Vec<NightResult>,
    pub summary: HindcastSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct HindcastSummary {
    pub nights: usize,
    pub within_band: usize,
    /// Mean over nights of |model share - reported share|.
    pub mean_abs_share_error: f64,
    pub replications: u64,
    pub base_seed: u64,
    pub policy: String,
}

/// The band of agreement on the share.
pub const SHARE_BAND: f64 = 0.05;

impl Hindcast<'_> {
    /// The scenario with the counts of `night`.
    pub fn night_scenario(&self, night: &ReportedNight) -> Result<Scenario, HindcastError> {
        let map = self
            .scenario
            .hindcast
            .as_ref()
            .ok_or(HindcastError::NoHindcastTable)?;
        let mut sc = self.scenario.clone();
        let no_raids = |column: &'static str, count: u32| HindcastError::NoRaids {
            date: night.date.clone(),
            line: night.line,
            column,
            count,
        };
        match night.decoys {
            Some(decoys) => {
                let armed = night.drones - decoys;
                if map.decoys.is_empty() && decoys > 0 {
                    return Err(HindcastError::NoDecoyRaids {
                        date: night.date.clone(),
                        line: night.line,
                        decoys,
                        drones: night.drones,
                    });
                }
                if map.drones.is_empty() && armed > 0 {
                    return Err(no_raids("drones", armed));
                }
                spread(&mut sc.raids, &map.drones, armed, &map.baseline);
                spread(&mut sc.raids, &map.decoys, decoys, &map.baseline);
            }
            None => {
                // The file's own share of decoys among the drones.
                let both: Vec<String> = map.drones.iter().chain(&map.decoys).cloned().collect();
                if both.is_empty() {
                    return Err(no_raids("drones", night.drones));
                }
                spread(&mut sc.raids, &both, night.drones, &map.baseline);
            }
        }
        for (column, raids, count) in [
            ("missiles", &map.missiles, night.missiles),
            ("ballistic", &map.ballistic, night.ballistic),
        ] {
            if let Some(count) = count {
                if raids.is_empty() && count > 0 {
                    return Err(no_raids(column, count));
                }
                spread(&mut sc.raids, raids, count, &map.baseline);
            }
        }
        sc.raids.retain(|r| r.count > 0);
        Ok(sc)
    }

    /// Plays `reps` replications of every night.
    pub fn run(
        &self,
        nights: &[ReportedNight],
        reps: u64,
        progress: &dyn Progress,
    ) -> Result<HindcastResult, HindcastError> {
        if reps == 0 {
            return Err(HindcastError::NoReplications);
        }
        let scenarios: Vec<Scenario> = nights
            .iter()
            .map(|n| self.night_scenario(n))
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(nights.len());
        for (night, sc) in nights.iter().zip(&scenarios) {
            let mut acc = Accumulator::default();
            in_blocks_with(
                0,
                reps,
                progress,
                || Workspace::new(sc),
                |ws, r| {
                    let n = Night::assemble(sc, replication_seed(self.base_seed, r));
                    let outcome = ws.run(&n, builtin(self.policy).as_ref(), EventLog::Skip);
                    progress.advance(1);
                    drone_metrics(&n, &outcome.summary)
                },
                |m| acc.add(&m),
            );
            let est = acc.estimates();
            let mut share = est["neutralised_share"].clone();
            let mut hits = est["drone_hits"].clone();
            clamp(&mut share, 0.0, 1.0);
            clamp(&mut hits, 0.0, f64::from(night.drones));
            let within_band = (share.mean - night.neutralised_share()).abs() <= SHARE_BAND
                && night.drone_hits.is_none_or(|h| {
                    let h = f64::from(h);
                    (0.5 * h..=2.0 * h).contains(&hits.mean)
                });
            out.push(NightResult {
                date: night.date.clone(),
                reported: reported_json(night),
                reported_share: night.neutralised_share(),
                model: ModelNight {
                    neutralised_share: share,
                    drone_hits: hits,
                },
                within_band,
            });
        }
        let error = out
            .iter()
            .map(|r| (r.model.neutralised_share.mean - r.reported_share).abs())
            .sum::<f64>()
            / nights.len().max(1) as f64;
        Ok(HindcastResult {
            summary: HindcastSummary {
                nights: out.len(),
                within_band: out.iter().filter(|r| r.within_band).count(),
                mean_abs_share_error: error,
                replications: reps,
                base_seed: self.base_seed,
                policy: self.policy.as_str().to_string(),
            },
            nights: out,
        })
    }
}

/// Sets the counts of `ids` (raids of `raids`) to `total`: first the
/// baseline raids among them, each up to its file count while the total
/// lasts (in the order of `ids`), then the rest over the other raids in
/// the file's proportions. Without other raids, the whole total is spread
/// over the baseline raids in proportion.
fn spread(raids: &mut [Raid], ids: &[String], total: u32, baseline: &[String]) {
    let (base, rest): (Vec<String>, Vec<String>) =
        ids.iter().cloned().partition(|id| baseline.contains(id));
    if base.is_empty() || rest.is_empty() {
        return spread_in_proportion(raids, ids, total);
    }
    let mut left = total;
    for id in &base {
        if let Some(k) = raids.iter().position(|r| &r.id == id) {
            let c = raids[k].count.min(left);
            set_count(&mut raids[k], c);
            left -= c;
        }
    }
    spread_in_proportion(raids, &rest, left);
}

/// Sets the counts of `ids` to `total` in the file's proportions (largest
/// remainders, so that they add up exactly).
fn spread_in_proportion(raids: &mut [Raid], ids: &[String], total: u32) {
    let idx: Vec<usize> = ids
        .iter()
        .filter_map(|id| raids.iter().position(|r| &r.id == id))
        .collect();
    if idx.is_empty() {
        return;
    }
    let file: Vec<f64> = idx.iter().map(|&k| f64::from(raids[k].count)).collect();
    let sum: f64 = file.iter().sum();
    let shares: Vec<f64> = if sum > 0.0 {
        file.iter().map(|c| c / sum * f64::from(total)).collect()
    } else {
        vec![f64::from(total) / idx.len() as f64; idx.len()]
    };
    let mut counts: Vec<u32> = shares.iter().map(|s| s.floor() as u32).collect();
    let mut left = total - counts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..idx.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = shares[a] - shares[a].floor();
        let rb = shares[b] - shares[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &k in order.iter().cycle().take(idx.len() * 2) {
        if left == 0 {
            break;
        }
        counts[k] += 1;
        left -= 1;
    }
    for (&k, &c) in idx.iter().zip(&counts) {
        set_count(&mut raids[k], c);
    }
}

/// A raid's count; a Poisson raid's rate follows it.
fn set_count(raid: &mut Raid, count: u32) {
    let old = raid.count;
    raid.count = count;
    if let Arrival::Poisson { rate } = &mut raid.arrival
        && old > 0
    {
        *rate *= f64::from(count) / f64::from(old);
    }
}

/// The night's drones (armed and decoys) and, from the summary, the armed
/// ones that reached their target area, as the two metrics.
fn drone_metrics(night: &Night<'_>, summary: &Summary) -> Vec<(String, f64)> {
    let drones = night
        .threats
        .iter()
        .filter(|t| {
            matches!(
                night.class(t).kind,
                ThreatKind::OwaDrone | ThreatKind::Decoy
            )
        })
        .count();
    let hits = summary.drone_leakers as f64;
    let share = if drones > 0 {
        1.0 - hits / drones as f64
    } else {
        1.0
    };
    vec![
        ("drone_hits".to_string(), hits),
        ("neutralised_share".to_string(), share),
    ]
}

fn clamp(e: &mut Estimate, lo: f64, hi: f64) {
    e.ci95_low = e.ci95_low.clamp(lo, hi);
    e.ci95_high = e.ci95_high.clamp(lo, hi);
}

/// The row's columns by name: numbers as numbers, an empty cell as null.
fn reported_json(n: &ReportedNight) -> serde_json::Value {
    serde_json::json!({
        "date": n.date,
        "drones": n.drones,
        "decoys": n.decoys,
        "missiles": n.missiles,
        "ballistic": n.ballistic,
        "drones_neutralised": n.drones_neutralised,
        "drone_hits": n.drone_hits,
        "source": n.source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raid(id: &str, count: u32) -> Raid {
        Raid {
            id: id.into(),
            threat: "t".into(),
            count,
            from: vec![],
            start: 0,
            end: 0,
            arrival: Arrival::Poisson { rate: 2.0 },
            route: rampart_model::Route::Direct,
            target: rampart_model::TargetSelection::AnyByValue,
            altitudes: vec![],
            dive: None,
        }
    }

    /// 100 over raids of 30, 50 and 20 in the file's proportions; 7 over
    /// 1:1:1 gives 3, 2, 2 (largest remainders, ties to the first); a
    /// Poisson rate follows its count.
    #[test]
    fn counts_spread_in_the_files_proportions_and_add_up() {
        let mut raids = vec![raid("a", 30), raid("b", 50), raid("c", 20)];
        let ids = ["a".to_string(), "b".to_string(), "c".to_string()];
        spread(&mut raids, &ids, 100, &[]);
        assert_eq!(
            raids.iter().map(|r| r.count).collect::<Vec<_>>(),
            vec![30, 50, 20]
        );
        spread(&mut raids, &ids, 333, &[]);
        let counts: Vec<u32> = raids.iter().map(|r| r.count).collect();
        assert_eq!(counts.iter().sum::<u32>(), 333);
        assert_eq!(counts, vec![100, 166, 67]);
        let mut even = vec![raid("a", 1), raid("b", 1), raid("c", 1)];
        spread(&mut even, &ids, 7, &[]);
        assert_eq!(
            even.iter().map(|r| r.count).collect::<Vec<_>>(),
            vec![3, 2, 2]
        );
        assert_eq!(even[0].arrival, Arrival::Poisson { rate: 6.0 });
    }

    /// A baseline raid of 40 keeps its 40 on nights of 100 and 333 (the
    /// rest in the others' 50:20 proportions), takes all of a night of 25,
    /// and shares in proportion when it is the column's only raid.
    #[test]
    fn a_baseline_raid_keeps_its_count_while_the_night_allows() {
        let ids = ["a".to_string(), "b".to_string(), "c".to_string()];
        let base = ["a".to_string()];
        let counts = |raids: &[Raid]| raids.iter().map(|r| r.count).collect::<Vec<_>>();
        let mut raids = vec![raid("a", 40), raid("b", 50), raid("c", 20)];
        spread(&mut raids, &ids, 100, &base);
        assert_eq!(counts(&raids), vec![40, 43, 17]);
        let mut raids = vec![raid("a", 40), raid("b", 50), raid("c", 20)];
        spread(&mut raids, &ids, 333, &base);
        assert_eq!(counts(&raids), vec![40, 209, 84]);
        let mut raids = vec![raid("a", 40), raid("b", 50), raid("c", 20)];
        spread(&mut raids, &ids, 25, &base);
        assert_eq!(counts(&raids), vec![25, 0, 0]);
        let mut alone = vec![raid("a", 40)];
        spread(&mut alone, &base, 90, &base);
        assert_eq!(counts(&alone), vec![90]);
    }
}
