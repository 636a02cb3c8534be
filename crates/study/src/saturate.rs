//! The saturation point: the smallest value of one scenario field (the size
//! of a raid, say) at which a metric breaks its limit ("leakers per night
//! <= 20"). A stochastic bisection: every probe adds replications until its
//! confidence interval clears the limit (or the probe's budget runs out),
//! so replications go where the answer is close.

use rampart_model::Policy as PolicyName;
use rampart_model::overrides::Override;
use serde::Serialize;

use crate::montecarlo::{Accumulator, MonteCarlo, Progress};
use crate::stats::Level;
use crate::sweep::{SweepError, with_overrides};

/// How a probe compares with the limit, at 95% confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The whole interval is at or below the limit.
    Holds,
    /// The whole interval is above the limit.
    Breaks,
    /// The interval still straddles the limit at the probe's budget.
    Unclear,
}

/// One value tried.
#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub value: f64,
    pub replications: u64,
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub verdict: Verdict,
}

/// A saturation search.
#[derive(Debug, Clone)]
pub struct Saturation {
    pub text: String,
    pub path: String,
    pub metric: String,
    pub limit: f64,
    pub from: f64,
    pub to: f64,
    /// Integer field: probes are whole numbers, and the search ends when
    /// the bracket is one apart. Otherwise it ends at `tolerance`.
    pub integer: bool,
    pub tolerance: f64,
    pub base_seed: u64,
    pub policy: Option<PolicyName>,
    pub initial_reps: u64,
    pub max_reps: u64,
}

/// What the search found.
#[derive(Debug, Clone, Serialize)]
pub struct SaturationResult {
    pub path: String,
    pub metric: String,
    pub limit: f64,
    pub outcome: Outcome,
    /// Where the estimated metric crosses the limit (interpolated between
    /// the probes on either side), when it does within the range.
    pub overload: Option<f64>,
    /// The limit holds (with confidence) at `interval.0` minus one step and
    /// below the probes, and breaks (with confidence) at `interval.1`.
    pub interval: Option<(f64, f64)>,
    /// Every probe, by value.
    pub curve: Vec<Probe>,
    pub replications: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The overload point lies inside the range.
    Found,
    /// The limit already breaks at the low end of the range.
    BrokenAtStart,
    /// The limit still holds at the high end of the range.
    NotReached,
}

/// The most probes one search makes.
pub const MAX_PROBES: usize = 64;

impl Saturation {
    /// Runs one probe at `value`.
    pub fn probe(&self, value: f64, progress: &dyn Progress) -> Result<Probe, SweepError> {
        let text_value = if self.integer {
            format!("{}", value.round() as i64)
        } else {
            format!("{value}")
        };
        let o = Override {
            path: self.path.clone(),
            value: text_value.clone(),
        };
        let scenario = with_overrides(&self.text, std::slice::from_ref(&o))?;
        let mc = MonteCarlo {
            scenario: &scenario,
            policy: self.policy.unwrap_or(scenario.doctrine.policy),
            base_seed: self.base_seed,
        };
        let mut acc = Accumulator::default();
        let mut reps = self.initial_reps.max(2);
        mc.extend(&mut acc, 0, reps, progress);
        loop {
            let Some(stat) = acc.stat(&self.metric) else {
                return Err(SweepError::InvalidScenario {
                    overrides: o.to_string(),
                    message: format!(
                        "no metric `{}`; the metrics are: {}",
                        self.metric,
                        acc.names().collect::<Vec<_>>().join(", ")
                    ),
                });
            };
            let hw = stat.half_width(Level::P95);
            let (lo, hi) = (stat.mean() - hw, stat.mean() + hw);
            let verdict = if hi <= self.limit {
                Verdict::Holds
            } else if lo > self.limit {
                Verdict::Breaks
            } else {
                Verdict::Unclear
            };
            if verdict != Verdict::Unclear || reps >= self.max_reps {
                return Ok(Probe {
                    value,
                    replications: reps,
                    mean: stat.mean(),
                    ci95_low: lo,
                    ci95_high: hi,
                    verdict,
                });
            }
            let more = (reps * 2).min(self.max_reps);
            mc.extend(&mut acc, reps, more, progress);
            reps = more;
        }
    }

    fn step(&self) -> f64 {
        if self.integer {
            1.0
        } else {
            self.tolerance.max(f64::EPSILON)
        }
    }

    fn mid(&self, a: f64, b: f64) -> f64 {
        let m = (a + b) / 2.0;
        if self.integer { m.floor() } else { m }
    }

    pub fn run(
        &self,
        progress: &dyn Progress,
        on_probe: &mut dyn FnMut(&Probe),
    ) -> Result<SaturationResult, SweepError> {
        let mut curve: Vec<Probe> = Vec::new();
        let mut probe = |v: f64, curve: &mut Vec<Probe>| -> Result<Verdict, SweepError> {
            let p = self.probe(v, progress)?;
            on_probe(&p);
            let verdict = p.verdict;
            curve.push(p);
            Ok(verdict)
        };
        let (from, to) = if self.integer {
            (self.from.round(), self.to.round())
        } else {
            (self.from, self.to)
        };
        let outcome;
        let start = probe(from, &mut curve)?;
        if start != Verdict::Holds {
            outcome = Outcome::BrokenAtStart;
        } else if probe(to, &mut curve)? != Verdict::Breaks {
            outcome = Outcome::NotReached;
        } else {
            outcome = Outcome::Found;
            // Bisect the gap between the highest value that holds and the
            // lowest that breaks; values that stay unclear split it in two,
            // and the wider side is bisected next.
            while curve.len() < MAX_PROBES {
                let hold = highest(&curve, Verdict::Holds);
                let brk = lowest(&curve, Verdict::Breaks);
                let unclear: Vec<f64> = curve
                    .iter()
                    .filter(|p| p.verdict == Verdict::Unclear && p.value > hold && p.value < brk)
                    .map(|p| p.value)
                    .collect();
                let (left, right) = match (
                    unclear.iter().copied().reduce(f64::min),
                    unclear.iter().copied().reduce(f64::max),
                ) {
                    (Some(a), Some(b)) => ((hold, a), (b, brk)),
                    _ => ((hold, brk), (hold, hold)),
                };
                let gap = |g: (f64, f64)| g.1 - g.0;
                let next = if gap(left) >= gap(right) { left } else { right };
                if gap(next) <= self.step() {
                    break;
                }
                let m = self.mid(next.0, next.1);
                if m <= next.0 || m >= next.1 {
                    break;
                }
                probe(m, &mut curve)?;
            }
        }
        curve.sort_by(|a, b| a.value.total_cmp(&b.value));
        let replications = curve.iter().map(|p| p.replications).sum();
        let (overload, interval) = if outcome == Outcome::Found {
            let hold = highest(&curve, Verdict::Holds);
            let brk = lowest(&curve, Verdict::Breaks);
            let low = if self.integer { hold + 1.0 } else { hold };
            (crossing(&curve, self.limit, self.integer), Some((low, brk)))
        } else {
            (None, None)
        };
        Ok(SaturationResult {
            path: self.path.clone(),
            metric: self.metric.clone(),
            limit: self.limit,
            outcome,
            overload,
            interval,
            curve,
            replications,
        })
    }
}

fn highest(curve: &[Probe], v: Verdict) -> f64 {
    curve
        .iter()
        .filter(|p| p.verdict == v)
        .map(|p| p.value)
        .fold(f64::NEG_INFINITY, f64::max)
}

fn lowest(curve: &[Probe], v: Verdict) -> f64 {
    curve
        .iter()
        .filter(|p| p.verdict == v)
        .map(|p| p.value)
        .fold(f64::INFINITY, f64::min)
}

/// The first crossing of the limit by the estimated means, interpolated.
fn crossing(curve: &[Probe], limit: f64, integer: bool) -> Option<f64> {
    for w in curve.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.mean <= limit && b.mean > limit {
            let x = a.value + (limit - a.mean) * (b.value - a.value) / (b.mean - a.mean);
            return Some(if integer { x.floor() + 1.0 } else { x });
        }
    }
    None
}
