//! Streaming statistics: mean and variance (Welford), percentiles (the P²
//! algorithm of Jain and Chlamtac, 1985), and Student-t confidence
//! intervals. Memory does not grow with the number of observations, and the
//! result depends only on the order of the observations.

use serde::Serialize;

/// One percentile estimated by P²: five markers, constant memory.
#[derive(Debug, Clone)]
pub struct P2 {
    p: f64,
    count: usize,
    q: [f64; 5],
    n: [f64; 5],
    np: [f64; 5],
    dn: [f64; 5],
}

impl P2 {
    pub fn new(p: f64) -> P2 {
        P2 {
            p,
            count: 0,
            q: [0.0; 5],
            n: [1.0, 2.0, 3.0, 4.0, 5.0],
            np: [1.0, 1.0 + 2.0 * p, 1.0 + 4.0 * p, 3.0 + 2.0 * p, 5.0],
            dn: [0.0, p / 2.0, p, (1.0 + p) / 2.0, 1.0],
        }
    }

    pub fn add(&mut self, x: f64) {
        if self.count < 5 {
            self.q[self.count] = x;
            self.count += 1;
            if self.count == 5 {
                self.q.sort_by(f64::total_cmp);
            }
            return;
        }
        self.count += 1;
        let q = &mut self.q;
        let k = if x < q[0] {
            q[0] = x;
            0
        } else if x >= q[4] {
            q[4] = x;
            3
        } else {
            (0..4).rfind(|&i| q[i] <= x).unwrap_or(0)
        };
        for i in k + 1..5 {
            self.n[i] += 1.0;
        }
        for i in 0..5 {
            self.np[i] += self.dn[i];
        }
        for i in 1..4 {
            let d = self.np[i] - self.n[i];
            if (d >= 1.0 && self.n[i + 1] - self.n[i] > 1.0)
                || (d <= -1.0 && self.n[i - 1] - self.n[i] < -1.0)
            {
                let d = d.signum();
                let n = &self.n;
                let parabolic = q[i]
                    + d / (n[i + 1] - n[i - 1])
                        * ((n[i] - n[i - 1] + d) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                            + (n[i + 1] - n[i] - d) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
                q[i] = if q[i - 1] < parabolic && parabolic < q[i + 1] {
                    parabolic
                } else {
                    let j = if d > 0.0 { i + 1 } else { i - 1 };
                    q[i] + d * (q[j] - q[i]) / (n[j] - n[i])
                };
                self.n[i] += d;
            }
        }
    }

    /// The estimate (exact, by nearest rank, below five observations).
    pub fn value(&self) -> f64 {
        match self.count {
            0 => f64::NAN,
            c if c < 5 => {
                let mut v = self.q[..c].to_vec();
                v.sort_by(f64::total_cmp);
                let rank = ((self.p * c as f64).ceil() as usize).clamp(1, c);
                v[rank - 1]
            }
            _ => self.q[2],
        }
    }
}

/// Distinct values kept for exact percentiles; past this many, P² estimates.
pub const EXACT_DISTINCT: usize = 1024;

/// An f64 ordered by its total order, as a map key.
fn key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

fn unkey(k: i64) -> f64 {
    let b = k ^ ((((k >> 63) as u64) >> 1) as i64);
    f64::from_bits(b as u64)
}

/// Streaming statistics of one metric. Percentiles are exact (nearest rank)
/// while the metric has at most [`EXACT_DISTINCT`] distinct values, as
/// counts and fractions of a night do; past that, P² estimates them.
#[derive(Debug, Clone)]
pub struct Stat {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    pct: [P2; 3],
    exact: Option<std::collections::BTreeMap<i64, u64>>,
}

impl Default for Stat {
    fn default() -> Self {
        Stat {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            pct: [P2::new(0.05), P2::new(0.5), P2::new(0.95)],
            exact: Some(std::collections::BTreeMap::new()),
        }
    }
}

impl Stat {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        for p in &mut self.pct {
            p.add(x);
        }
        if let Some(map) = &mut self.exact {
            *map.entry(key(x)).or_default() += 1;
            if map.len() > EXACT_DISTINCT {
                self.exact = None;
            }
        }
    }

    /// The `p` percentile: exact by nearest rank, or P²'s estimate.
    pub fn percentile(&self, which: usize) -> f64 {
        let p = [0.05, 0.5, 0.95][which];
        match &self.exact {
            Some(map) if self.n > 0 => {
                let rank = ((p * self.n as f64).ceil() as u64).clamp(1, self.n);
                let mut seen = 0;
                for (&k, &c) in map {
                    seen += c;
                    if seen >= rank {
                        return unkey(k);
                    }
                }
                self.max
            }
            _ => self.pct[which].value(),
        }
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Half-width of the two-sided confidence interval of the mean at `level`
    /// (0.95 or 0.99), Student's t with n - 1 degrees of freedom.
    pub fn half_width(&self, level: Level) -> f64 {
        if self.n < 2 {
            return f64::INFINITY;
        }
        t_quantile(level, self.n - 1) * (self.variance() / self.n as f64).sqrt()
    }

    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// The two-sided confidence interval of the mean at `level` for a
    /// metric of `support` ([`Support`] says which interval and why).
    pub fn interval(&self, level: Level, support: Support) -> (f64, f64) {
        if support == Support::Proportion && self.n >= 2 {
            let z = match level {
                Level::P95 => 1.959_963_984_540_054,
                Level::P99 => 2.575_829_303_548_901,
            };
            let n = self.n as f64;
            let p = self.mean.clamp(0.0, 1.0);
            let denom = 1.0 + z * z / n;
            let centre = (p + z * z / (2.0 * n)) / denom;
            let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
            return ((centre - half).max(0.0), (centre + half).min(1.0));
        }
        let hw = self.half_width(level);
        let (lo, hi) = (self.mean - hw, self.mean + hw);
        match support.range() {
            Some((a, b)) if hw.is_finite() => (lo.clamp(a, b), hi.clamp(a, b)),
            _ => (lo, hi),
        }
    }

    /// The statistics of a metric of `support`.
    pub fn estimate_of(&self, support: Support) -> Estimate {
        let (ci95_low, ci95_high) = self.interval(Level::P95, support);
        Estimate {
            n: self.n,
            mean: self.mean,
            sd: self.variance().sqrt(),
            ci95_low,
            ci95_high,
            p5: self.percentile(0),
            p50: self.percentile(1),
            p95: self.percentile(2),
            min: self.min,
            max: self.max,
        }
    }

    /// The statistics of a metric that may take any real value.
    pub fn estimate(&self) -> Estimate {
        self.estimate_of(Support::Real)
    }
}

/// Where a metric's values lie, declared with the metric (by its meaning,
/// never by the values seen), and so which interval its mean gets:
///
/// - `Proportion`: a 0-or-1 outcome of each night (`any_hit.KIND`): the
///   mean is a probability; Wilson's score interval, which stays in [0, 1]
///   and holds its level near 0 and 1, where Student's t does not.
/// - `Fraction`: a share in [0, 1] that a night can take any value of
///   (`leak_fraction`): Student's t, intersected with [0, 1].
/// - `NonNegative`: counts, costs, damage, stocks: Student's t, intersected
///   with [0, inf). The mean of such a metric cannot be negative, so the
///   part of an interval below 0 holds no possible value: cutting it off
///   leaves the coverage as it was (or higher), and no analyst reads
///   "-3.7 leakers".
/// - `Real`: any value, such as a paired difference: Student's t.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Proportion,
    Fraction,
    NonNegative,
    Real,
}

impl Support {
    /// The possible range of the mean, if bounded.
    pub fn range(self) -> Option<(f64, f64)> {
        match self {
            Support::Proportion | Support::Fraction => Some((0.0, 1.0)),
            Support::NonNegative => Some((0.0, f64::INFINITY)),
            Support::Real => None,
        }
    }
}

/// A confidence level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    P95,
    P99,
}

/// The statistics of one metric over a study. A statistic that is not
/// defined (the spread of one replication) is NaN, written as JSON `null`
/// and read back from `null` as NaN.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Estimate {
    pub n: u64,
    #[serde(deserialize_with = "number_or_null")]
    pub mean: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub sd: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub ci95_low: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub ci95_high: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub p5: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub p50: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub p95: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub min: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub max: f64,
}

fn number_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    use serde::Deserialize;
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl Estimate {
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }
}

/// The two-sided Student-t quantile: exact table below 30 degrees of
/// freedom, the Cornish-Fisher expansion above (error under 1e-4).
pub fn t_quantile(level: Level, df: u64) -> f64 {
    const T95: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    const T99: [f64; 30] = [
        63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012,
        2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779,
        2.771, 2.763, 2.756, 2.750,
    ];
    let (table, z) = match level {
        Level::P95 => (&T95, 1.959_963_984_540_054),
        Level::P99 => (&T99, 2.575_829_303_548_901),
    };
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(&t) = table.get(df as usize - 1) {
        return t;
    }
    let v = df as f64;
    let z3 = z * z * z;
    let z5 = z3 * z * z;
    let z7 = z5 * z * z;
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proportion_gets_wilson_s_interval_inside_0_and_1() {
        // 40 successes in 40: Student's t would say [1, 1]; Wilson's score
        // interval is [n / (n + z^2), 1] = [0.9124, 1].
        let mut all = Stat::default();
        (0..40).for_each(|_| all.add(1.0));
        let (lo, hi) = all.interval(Level::P95, Support::Proportion);
        assert!(
            (lo - 40.0 / (40.0 + 1.959_963_984_540_054f64.powi(2))).abs() < 1e-12,
            "{lo}"
        );
        assert_eq!(hi, 1.0);
        // 3 in 10: the textbook value (Wilson 1927; Newcombe 1998) is 0.1078-0.6032.
        let mut some = Stat::default();
        (0..10).for_each(|k| some.add(if k < 3 { 1.0 } else { 0.0 }));
        let (lo, hi) = some.interval(Level::P95, Support::Proportion);
        assert!(
            (lo - 0.1078).abs() < 5e-5 && (hi - 0.6032).abs() < 5e-5,
            "{lo} {hi}"
        );
        // Not a proportion: Student's t.
        let mut counts = Stat::default();
        [0.0, 2.0, 1.0, 3.0].iter().for_each(|&x| counts.add(x));
        let (lo, hi) = counts.interval(Level::P95, Support::Real);
        assert!((hi - lo) / 2.0 - counts.half_width(Level::P95) < 1e-12);
    }

    /// Regression: a metric that was 0 every night (a dollar cost among
    /// them) got [0, 0.0188] because it looked like a proportion. The
    /// support is declared, so a cost of 0 every night is [0, 0].
    #[test]
    fn the_support_is_declared_not_guessed_from_the_values() {
        let mut zero = Stat::default();
        (0..200).for_each(|_| zero.add(0.0));
        assert_eq!(zero.interval(Level::P95, Support::NonNegative), (0.0, 0.0));
        let (lo, hi) = zero.interval(Level::P95, Support::Proportion);
        assert!(lo.abs() < 1e-12 && hi > 0.018 && hi < 0.019, "{lo} {hi}");
    }

    /// Regression: `leaked 17.5 [-14.3, 49.3]`, damage `[-0.0016, 0.0050]`:
    /// Student's t is cut to the possible range, and only there.
    #[test]
    fn an_interval_never_leaves_the_metric_s_range() {
        let mut skewed = Stat::default();
        [0.0, 0.0, 0.0, 70.0].iter().for_each(|&x| skewed.add(x));
        let (lo, hi) = skewed.interval(Level::P95, Support::Real);
        assert!(lo < 0.0);
        let (clo, chi) = skewed.interval(Level::P95, Support::NonNegative);
        assert_eq!((clo, chi), (0.0, hi));
        let mut share = Stat::default();
        [0.99, 1.0, 0.2, 1.0].iter().for_each(|&x| share.add(x));
        let (_, hi) = share.interval(Level::P95, Support::Real);
        assert!(hi > 1.0);
        let (lo, hi) = share.interval(Level::P95, Support::Fraction);
        assert!(lo >= 0.0 && hi == 1.0);
    }

    #[test]
    fn welford_matches_the_two_pass_formulas() {
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let mut s = Stat::default();
        xs.iter().for_each(|&x| s.add(x));
        let mean = xs.iter().sum::<f64>() / 8.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 7.0;
        assert!((s.mean() - mean).abs() < 1e-12);
        assert!((s.variance() - var).abs() < 1e-12);
        let e = s.estimate();
        assert_eq!((e.min, e.max), (1.0, 9.0));
        // t(0.975, 7) = 2.365
        assert!((e.half_width() - 2.365 * (var / 8.0).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn p2_percentiles_of_a_uniform_sequence() {
        let mut p = [P2::new(0.05), P2::new(0.5), P2::new(0.95)];
        // A deterministic permutation of 0..10000.
        for k in 0..10_000u64 {
            let x = ((k * 7_919) % 10_000) as f64;
            p.iter_mut().for_each(|q| q.add(x));
        }
        assert!((p[0].value() - 500.0).abs() < 50.0, "{}", p[0].value());
        assert!((p[1].value() - 5_000.0).abs() < 50.0, "{}", p[1].value());
        assert!((p[2].value() - 9_500.0).abs() < 50.0, "{}", p[2].value());
    }

    #[test]
    fn exact_percentiles_of_few_distinct_values() {
        let mut s = Stat::default();
        for k in 0..100 {
            s.add(f64::from(u8::from(k % 10 == 0)));
        }
        let e = s.estimate();
        assert_eq!((e.p5, e.p50, e.p95), (0.0, 0.0, 1.0));
        let mut s = Stat::default();
        for x in [-2.5, 3.0, -0.0, 7.0, 1.0] {
            s.add(x);
        }
        assert_eq!(s.percentile(1), 1.0);
        assert_eq!(s.percentile(0), -2.5);
        assert_eq!(s.percentile(2), 7.0);
    }

    #[test]
    fn t_quantiles_past_the_table() {
        // Published values: t(0.975, 40) = 2.021, t(0.975, 120) = 1.980, t(0.995, 60) = 2.660.
        assert!((t_quantile(Level::P95, 40) - 2.021).abs() < 1e-3);
        assert!((t_quantile(Level::P95, 120) - 1.980).abs() < 1e-3);
        assert!((t_quantile(Level::P99, 60) - 2.660).abs() < 1e-3);
    }
}
