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

impl Verdict {
    /// The verdict as a plain lowercase word, as its JSON says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Breaks => "breaks",
            Verdict::Unclear => "unclear",
        }
    }
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
    pub outcome: SearchOutcome,
    /// Where the metric crosses the limit: a straight line fitted (weighted
    /// by each probe's precision) to the probes nearest the crossing, three
    /// on each side.
    pub overload: Option<f64>,
    /// The 95% interval of `overload`, from the fit (delta method), widened
    /// when the probes scatter about the line more than their own intervals
    /// allow: probes of neighbouring values play different nights, so their
    /// verdicts alone would overstate the precision.
    pub interval: Option<(f64, f64)>,
    /// The highest value at which the limit held with confidence and the
    /// lowest at which it broke, probe by probe.
    pub bracket: Option<(f64, f64)>,
    /// Every probe, by value.
    pub curve: Vec<Probe>,
    pub replications: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SearchOutcome {
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
            let (lo, hi) = stat.interval(Level::P95, crate::support::support_of(&self.metric));
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
            outcome = SearchOutcome::BrokenAtStart;
        } else if probe(to, &mut curve)? != Verdict::Breaks {
            outcome = SearchOutcome::NotReached;
        } else {
            outcome = SearchOutcome::Found;
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
        let (overload, interval, bracket) = if outcome == SearchOutcome::Found {
            let hold = highest(&curve, Verdict::Holds);
            let brk = lowest(&curve, Verdict::Breaks);
            let fit = fitted_crossing(&curve, self.limit).map(|(x, lo, hi)| {
                let (lo, hi) = (lo.max(from), hi.min(to));
                if self.integer {
                    (x.floor() + 1.0, (lo.floor(), hi.ceil()))
                } else {
                    (x, (lo, hi))
                }
            });
            (fit.map(|f| f.0), fit.map(|f| f.1), Some((hold, brk)))
        } else {
            (None, None, None)
        };
        Ok(SaturationResult {
            path: self.path.clone(),
            metric: self.metric.clone(),
            limit: self.limit,
            outcome,
            overload,
            interval,
            bracket,
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

/// The crossing of `limit` by a straight line fitted to the probes nearest
/// it (three each side, weighted by 1/se²), with its 95% interval:
/// `(x, low, high)`. `None` when the means never cross upwards or the
/// line does not rise.
fn fitted_crossing(curve: &[Probe], limit: f64) -> Option<(f64, f64, f64)> {
    let k = curve
        .windows(2)
        .position(|w| w[0].mean <= limit && w[1].mean > limit)?;
    let pts = &curve[k.saturating_sub(2)..(k + 4).min(curve.len())];
    let se =
        |p: &Probe| ((p.ci95_high - p.ci95_low) / (2.0 * 1.96)).max(1e-9 * (1.0 + p.mean.abs()));
    let (mut sw, mut swx, mut swy, mut swxx, mut swxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for p in pts {
        let w = 1.0 / se(p).powi(2);
        sw += w;
        swx += w * p.value;
        swy += w * p.mean;
        swxx += w * p.value * p.value;
        swxy += w * p.value * p.mean;
    }
    let d = sw * swxx - swx * swx;
    if d <= 0.0 {
        return None;
    }
    let b = (sw * swxy - swx * swy) / d;
    let a = (swy - b * swx) / sw;
    if b <= 0.0 || !b.is_finite() {
        return None;
    }
    let dof = pts.len().saturating_sub(2) as u64;
    let chi2: f64 = pts
        .iter()
        .map(|p| ((p.mean - a - b * p.value) / se(p)).powi(2))
        .sum();
    let scale = if dof > 0 {
        (chi2 / dof as f64).max(1.0)
    } else {
        1.0
    };
    let (var_a, var_b, cov_ab) = (scale * swxx / d, scale * sw / d, -scale * swx / d);
    let x = (limit - a) / b;
    let var_x = (var_a + 2.0 * x * cov_ab + x * x * var_b) / (b * b);
    let q = if dof > 0 {
        crate::stats::t_quantile(Level::P95, dof)
    } else {
        1.96
    };
    let half = q * var_x.max(0.0).sqrt();
    Some((x, x - half, x + half))
}

/// The values a search covers when none are given: from 0 (1 for an
/// integer field) to four times the field's value in the file; `None` when
/// the file gives the field no positive value.
pub fn default_range(field: &rampart_model::overrides::Field) -> Option<(f64, f64)> {
    let v = field.value.filter(|v| *v > 0.0)?;
    Some((if field.integer { 1.0 } else { 0.0 }, 4.0 * v))
}

/// The bracket width at which a search of a non-integer field over
/// `[from, to]` stops when none is given: 1/200 of the range.
pub fn default_tolerance(from: f64, to: f64) -> f64 {
    (to - from) / 200.0
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    fn probe(value: f64, mean: f64, half: f64) -> Probe {
        Probe {
            value,
            replications: 40,
            mean,
            ci95_low: mean - half,
            ci95_high: mean + half,
            verdict: Verdict::Unclear,
        }
    }

    #[test]
    fn a_straight_line_crosses_where_algebra_says() {
        // mean = 0.1 x - 2: crosses 10 at x = 120.
        let curve: Vec<Probe> = [80.0, 100.0, 110.0, 130.0, 140.0, 160.0]
            .iter()
            .map(|&x| probe(x, 0.1 * x - 2.0, 0.5))
            .collect();
        let (x, lo, hi) = fitted_crossing(&curve, 10.0).expect("crossing");
        assert!((x - 120.0).abs() < 1e-9, "{x}");
        assert!(lo < 120.0 && 120.0 < hi);
        // Probes that scatter about the line (yet each as sure of itself)
        // give a wider interval.
        let noisy: Vec<Probe> = curve
            .iter()
            .enumerate()
            .map(|(k, p)| probe(p.value, p.mean + if k % 2 == 0 { 1.5 } else { -1.5 }, 0.5))
            .collect();
        let (_, nlo, nhi) = fitted_crossing(&noisy, 10.0).expect("crossing");
        assert!(nhi - nlo > 2.0 * (hi - lo), "{nlo}..{nhi} vs {lo}..{hi}");
        // No upward crossing, no fit.
        let flat: Vec<Probe> = curve.iter().map(|p| probe(p.value, 5.0, 0.5)).collect();
        assert!(fitted_crossing(&flat, 10.0).is_none());
    }
}
