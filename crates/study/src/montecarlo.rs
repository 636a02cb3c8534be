//! Replications in parallel, folded in seed order: the same study gives the
//! same numbers, to the bit, whatever the number of threads.

use crate::metrics::metrics;
use std::collections::BTreeMap;

use rampart_engine::{EventLog, Night, Workspace, builtin};
use rampart_model::{Policy as PolicyName, Scenario};
use rayon::prelude::*;
use serde::Serialize;

use crate::stats::{Estimate, Stat};

/// Replications run in blocks of this many: the block runs in parallel, then
/// its results are folded in order. Memory is bounded by one block.
pub const BLOCK: u64 = 256;

/// Runs replications `from..to` in blocks of [`BLOCK`], each block in
/// parallel, and hands the results to `fold` in replication order. Before
/// each block it asks `progress` whether to stop (see [`Progress::stopped`]).
pub(crate) fn in_blocks<T: Send>(
    from: u64,
    to: u64,
    progress: &dyn Progress,
    run: impl Fn(u64) -> T + Sync,
    fold: impl FnMut(T),
) {
    in_blocks_with(from, to, progress, || (), |_, r| run(r), fold);
}

/// [`in_blocks`], each worker with its own state from `init` (a
/// [`Workspace`], say) lent to every replication it runs. The state must
/// not change what a replication gives, only what it costs.
pub(crate) fn in_blocks_with<S, T: Send>(
    from: u64,
    to: u64,
    progress: &dyn Progress,
    init: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, u64) -> T + Sync,
    mut fold: impl FnMut(T),
) {
    let mut start = from;
    while start < to && !progress.stopped() {
        let end = (start + BLOCK).min(to);
        // A replication that starts once a stop is asked for is skipped:
        // the block ends at once (and the study, which is stopping, is
        // thrown away by whoever asked).
        let block: Vec<Option<T>> = (start..end)
            .into_par_iter()
            .map_init(&init, |state, r| {
                (!progress.stopped()).then(|| run(state, r))
            })
            .collect();
        block.into_iter().flatten().for_each(&mut fold);
        start = end;
    }
}

/// What a study hands each replication to, in replication order: its
/// number and its metrics (sorted by name).
pub type EachReplication<'a> = dyn FnMut(u64, &[(String, f64)]) + 'a;

/// Where a study reports how far it has got, and learns whether to stop.
pub trait Progress: Sync {
    fn advance(&self, _done: u64) {}

    /// Whether the study should stop as soon as it can (between blocks of
    /// replications, or sweep points): a user interrupted it. A study that
    /// stops early returns what it has, over fewer replications than asked,
    /// and writes no half-done file; the caller that asked it to stop
    /// throws that away.
    fn stopped(&self) -> bool {
        false
    }
}

/// No progress reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// The seed of replication `r` of a study with base seed `base`: every study
/// on one base seed replays the same nights (common random numbers).
pub fn replication_seed(base: u64, r: u64) -> u64 {
    splitmix64(base ^ splitmix64(r.wrapping_add(0x5eed)))
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The names of every metric a study of `scenario` reports (the summary's
/// maps are keyed by what the scenario holds, so one night names them all).
pub fn metric_names(scenario: &Scenario) -> Vec<String> {
    let night = Night::assemble(scenario, 0);
    let outcome = rampart_engine::run(&night, builtin(PolicyName::Nearest).as_ref());
    metrics(&outcome.summary)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// Streaming statistics of every metric.
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    n: u64,
    stats: BTreeMap<String, Stat>,
}

impl Accumulator {
    /// Adds one replication. A metric seen for the first time counts as 0 in
    /// the replications before it.
    pub fn add(&mut self, values: &[(String, f64)]) {
        for (name, x) in values {
            let n = self.n;
            self.stats
                .entry(name.clone())
                .or_insert_with(|| {
                    let mut s = Stat::default();
                    (0..n).for_each(|_| s.add(0.0));
                    s
                })
                .add(*x);
        }
        self.n += 1;
        for s in self.stats.values_mut() {
            if s.n() < self.n {
                s.add(0.0);
            }
        }
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn stat(&self, name: &str) -> Option<&Stat> {
        self.stats.get(name)
    }

    /// The statistics of paired differences: any sign, so Student's t
    /// whatever the metric's own support.
    pub fn difference_estimates(&self) -> BTreeMap<String, Estimate> {
        self.stats
            .iter()
            .map(|(k, s)| (k.clone(), s.estimate_of(crate::stats::Support::Real)))
            .collect()
    }

    /// The statistics of each metric, its interval within the metric's
    /// declared support.
    pub fn estimates(&self) -> BTreeMap<String, Estimate> {
        self.stats
            .iter()
            .map(|(k, s)| (k.clone(), s.estimate_of(crate::support::support_of(k))))
            .collect()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.stats.keys().map(String::as_str)
    }
}

/// A Monte Carlo study of one scenario: `reps` replications of the night.
#[derive(Debug, Clone, Copy)]
pub struct MonteCarlo<'s> {
    pub scenario: &'s Scenario,
    pub policy: PolicyName,
    pub base_seed: u64,
}

/// What a Monte Carlo study gives.
#[derive(Debug, Clone, Serialize)]
pub struct McResult {
    pub scenario: String,
    pub policy: String,
    pub base_seed: u64,
    pub replications: u64,
    pub metrics: BTreeMap<String, Estimate>,
}

impl MonteCarlo<'_> {
    /// The metrics of replication `r`.
    pub fn replication(&self, r: u64) -> Vec<(String, f64)> {
        self.replication_in(&mut Workspace::new(self.scenario), r)
    }

    /// The metrics of replication `r`, run in `ws` (a workspace of this
    /// study's scenario keeps its tables and buffers from night to night).
    pub fn replication_in(&self, ws: &mut Workspace<'_>, r: u64) -> Vec<(String, f64)> {
        let night = Night::assemble(self.scenario, replication_seed(self.base_seed, r));
        metrics(
            &ws.run(&night, builtin(self.policy).as_ref(), EventLog::Skip)
                .summary,
        )
    }

    /// Adds replications `from..to` to `acc`, in parallel blocks folded in order.
    pub fn extend(&self, acc: &mut Accumulator, from: u64, to: u64, progress: &dyn Progress) {
        self.extend_with(acc, from, to, progress, &mut |_, _| {});
    }

    /// [`MonteCarlo::extend`], handing each replication's number and
    /// metrics to `each`, in replication order, as they are added.
    pub fn extend_with(
        &self,
        acc: &mut Accumulator,
        from: u64,
        to: u64,
        progress: &dyn Progress,
        each: &mut EachReplication<'_>,
    ) {
        let mut r = from;
        in_blocks_with(
            from,
            to,
            progress,
            || Workspace::new(self.scenario),
            |ws, r| {
                let m = self.replication_in(ws, r);
                progress.advance(1);
                m
            },
            |m| {
                acc.add(&m);
                each(r, &m);
                r += 1;
            },
        );
    }

    pub fn run(&self, reps: u64, progress: &dyn Progress) -> McResult {
        self.run_with(reps, progress, &mut |_, _| {})
    }

    /// [`MonteCarlo::run`], handing each replication's number and metrics
    /// to `each`, in replication order (for a table of replications).
    pub fn run_with(
        &self,
        reps: u64,
        progress: &dyn Progress,
        each: &mut EachReplication<'_>,
    ) -> McResult {
        let mut acc = Accumulator::default();
        self.extend_with(&mut acc, 0, reps, progress, each);
        McResult {
            scenario: self.scenario.name.clone(),
            policy: self.policy.as_str().to_string(),
            base_seed: self.base_seed,
            replications: acc.n(),
            metrics: acc.estimates(),
        }
    }
}

/// Several variants of one scenario on the same seeds.
#[derive(Debug)]
pub struct Comparison<'s> {
    pub variants: Vec<(String, &'s Scenario, PolicyName)>,
    pub base_seed: u64,
}

/// What a comparison gives: each variant's metrics, and the paired
/// differences of each variant against the first.
#[derive(Debug, Clone, Serialize)]
pub struct CompareResult {
    pub base_seed: u64,
    pub replications: u64,
    pub variants: Vec<String>,
    pub metrics: BTreeMap<String, BTreeMap<String, Estimate>>,
    /// `differences[variant][metric]`: variant minus the first variant.
    pub differences: BTreeMap<String, BTreeMap<String, Estimate>>,
}

impl Comparison<'_> {
    pub fn run(&self, reps: u64, progress: &dyn Progress) -> CompareResult {
        let names: Vec<String> = self.variants.iter().map(|v| v.0.clone()).collect();
        paired(
            names,
            self.base_seed,
            reps,
            progress,
            || -> Vec<Workspace> {
                self.variants
                    .iter()
                    .map(|(_, s, _)| Workspace::new(s))
                    .collect()
            },
            |spaces, r| {
                self.variants
                    .iter()
                    .zip(spaces)
                    .map(|((_, s, p), ws)| {
                        MonteCarlo {
                            scenario: s,
                            policy: *p,
                            base_seed: self.base_seed,
                        }
                        .replication_in(ws, r)
                    })
                    .collect()
            },
        )
    }
}

/// A paired study: replication `r` of every variant (`per_rep(state, r)`,
/// one list of metrics per variant, in the order of `names`), folded in
/// order into each variant's statistics and its differences from the
/// first. Each worker has its own state from `init` (see `in_blocks_with`).
pub(crate) fn paired<S>(
    names: Vec<String>,
    base_seed: u64,
    reps: u64,
    progress: &dyn Progress,
    init: impl Fn() -> S + Sync,
    per_rep: impl Fn(&mut S, u64) -> Vec<Vec<(String, f64)>> + Sync,
) -> CompareResult {
    let k = names.len();
    let mut accs = vec![Accumulator::default(); k];
    let mut diffs = vec![Accumulator::default(); k];
    in_blocks_with(
        0,
        reps,
        progress,
        init,
        |state, r| {
            let out = per_rep(state, r);
            progress.advance(1);
            out
        },
        |per_variant| fold_paired(&mut accs, &mut diffs, &per_variant),
    );
    let done = accs.first().map_or(0, Accumulator::n);
    CompareResult::new(names, base_seed, done, &accs, &diffs)
}

/// Adds one replication of every variant, and its differences from the first.
fn fold_paired(
    accs: &mut [Accumulator],
    diffs: &mut [Accumulator],
    per_variant: &[Vec<(String, f64)>],
) {
    let first: BTreeMap<&str, f64> = per_variant[0]
        .iter()
        .map(|(n, x)| (n.as_str(), *x))
        .collect();
    for (v, m) in per_variant.iter().enumerate() {
        accs[v].add(m);
        let d: Vec<(String, f64)> = m
            .iter()
            .map(|(n, x)| (n.clone(), x - first.get(n.as_str()).unwrap_or(&0.0)))
            .collect();
        diffs[v].add(&d);
    }
}

impl CompareResult {
    fn new(
        names: Vec<String>,
        base_seed: u64,
        reps: u64,
        accs: &[Accumulator],
        diffs: &[Accumulator],
    ) -> CompareResult {
        CompareResult {
            base_seed,
            replications: reps,
            metrics: names
                .iter()
                .cloned()
                .zip(accs.iter().map(Accumulator::estimates))
                .collect(),
            differences: names
                .iter()
                .cloned()
                .zip(diffs.iter().map(Accumulator::difference_estimates))
                .skip(1)
                .collect(),
            variants: names,
        }
    }

    /// A plain verdict on `metric` per night for every variant against the first.
    pub fn verdicts(&self, metric: &str) -> Vec<String> {
        self.verdicts_per(metric, "night")
    }

    /// [`verdicts`](Self::verdicts) for results per `unit` ("night", "campaign").
    pub fn verdicts_per(&self, metric: &str, unit: &str) -> Vec<String> {
        let Some(base) = self.variants.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for v in self.variants.iter().skip(1) {
            let Some(d) = self.differences.get(v).and_then(|m| m.get(metric)) else {
                out.push(format!("{v}: no metric `{metric}`"));
                continue;
            };
            let hw = d.half_width();
            let (word, amount) = if d.mean < 0.0 {
                ("less", -d.mean)
            } else {
                ("more", d.mean)
            };
            let significant = d.ci95_high < 0.0 || d.ci95_low > 0.0;
            out.push(if significant {
                format!(
                    "{v} gives {amount:.3} +/- {hw:.3} {word} `{metric}` than {base} per {unit} (95%, {} paired {unit}s)",
                    d.n
                )
            } else {
                format!(
                    "{v} and {base} do not differ significantly in `{metric}`: {:+.3} +/- {hw:.3} (95%, {} paired {unit}s)",
                    d.mean, d.n
                )
            });
        }
        out
    }
}
