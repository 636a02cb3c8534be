//! Calibration of one parameter on reported nights, with its honest error.
//!
//! A [`Calibration`] plays the hindcast of every night at each value of one
//! scenario field (a [`Vary`]: `PATH=VALUES`), on the same seeds at every
//! value (common random numbers, so that the error is a smooth function of
//! the value). The value *fitted* on a set of nights is the one with the
//! smallest mean absolute error of the neutralised share over that set
//! (ties: the first value in the grid's order).
//!
//! Leave one out: for each night, the value is fitted on the other nights
//! and the night is predicted at that value. The mean absolute error of
//! these predictions is the error to expect on a night the fit has not
//! seen; the in-sample error of the value fitted on all nights is smaller
//! by construction and is not a measure of the model.

use rampart_model::nights::ReportedNight;
use rampart_model::overrides::Override;
use rampart_model::{Policy as PolicyName, Scenario};
use serde::Serialize;

use crate::grid::Vary;
use crate::hindcast::{Hindcast, HindcastError, HindcastResult};
use crate::montecarlo::Progress;
use crate::sweep::{SweepError, with_overrides};

/// Why a calibration cannot run.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error("a leave-one-out calibration needs at least two nights (got {nights})")]
    TooFewNights { nights: usize },
    #[error("--calibrate {path}={value}: {source}")]
    Value {
        path: String,
        value: String,
        #[source]
        source: Box<SweepError>,
    },
    #[error(transparent)]
    Hindcast(#[from] HindcastError),
}

/// A one-parameter calibration: the scenario's text, the field and its
/// grid of values, the policy and the base seed of every hindcast.
#[derive(Debug, Clone, Copy)]
pub struct Calibration<'s> {
    pub text: &'s str,
    pub vary: &'s Vary,
    pub policy: PolicyName,
    pub base_seed: u64,
}

/// One value of the grid: its hindcast's error over all nights.
#[derive(Debug, Clone, Serialize)]
pub struct GridPoint {
    pub value: String,
    /// Mean over all nights of |model share - reported share|.
    pub mean_abs_share_error: f64,
    /// Nights within the band at this value.
    pub within_band: usize,
}

/// One night left out: the value fitted on the others, and the night
/// predicted at it.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub date: String,
    /// The value fitted on the other nights.
    pub fitted: String,
    /// The other nights' mean absolute share error at that value.
    pub fit_error: f64,
    pub reported_share: f64,
    pub model_share: f64,
    /// |model share - reported share| for the night left out.
    pub abs_error: f64,
    pub within_band: bool,
}

/// The calibration's findings.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationSummary {
    pub path: String,
    pub grid: Vec<GridPoint>,
    /// The value fitted on all nights.
    pub fitted: String,
    /// Its in-sample mean absolute share error (optimistic by construction).
    pub fitted_error: f64,
    pub leave_one_out: Vec<LeftOut>,
    /// Mean over the nights of the left-out night's absolute share error.
    pub leave_one_out_error: f64,
    /// Nights within the band when each is predicted from the others.
    pub leave_one_out_within_band: usize,
}

/// The calibration and the hindcast at the value fitted on all nights.
#[derive(Debug, Clone)]
pub struct CalibrationResult {
    pub summary: CalibrationSummary,
    pub fitted: HindcastResult,
}

impl Calibration<'_> {
    /// The scenario with the field set to `value`.
    pub fn scenario_at(&self, value: &str) -> Result<Scenario, CalibrationError> {
        let set = Override {
            path: self.vary.path.clone(),
            value: value.to_string(),
        };
        with_overrides(self.text, &[set]).map_err(|source| CalibrationError::Value {
            path: self.vary.path.clone(),
            value: value.to_string(),
            source: Box::new(source),
        })
    }

    /// Plays the hindcast at every value of the grid (`reps` replications a
    /// night), fits on all nights and on each set of all but one.
    pub fn run(
        &self,
        nights: &[ReportedNight],
        reps: u64,
        progress: &dyn Progress,
    ) -> Result<CalibrationResult, CalibrationError> {
        if nights.len() < 2 {
            return Err(CalibrationError::TooFewNights {
                nights: nights.len(),
            });
        }
        // Every value must give a valid scenario before any is played.
        let scenarios: Vec<Scenario> = self
            .vary
            .values
            .iter()
            .map(|v| self.scenario_at(v))
            .collect::<Result<_, _>>()?;
        let mut results = Vec::with_capacity(scenarios.len());
        for sc in &scenarios {
            let study = Hindcast {
                scenario: sc,
                policy: self.policy,
                base_seed: self.base_seed,
            };
            results.push(study.run(nights, reps, progress)?);
        }
        // errors[v][n]: night n's absolute share error at value v.
        let errors: Vec<Vec<f64>> = results
            .iter()
            .map(|r| {
                r.nights
                    .iter()
                    .map(|n| (n.model.neutralised_share.mean - n.reported_share).abs())
                    .collect()
            })
            .collect();
        let all: Vec<usize> = (0..nights.len()).collect();
        let (best, fitted_error) = fit(&errors, &all);
        let leave_one_out: Vec<LeftOut> = (0..nights.len())
            .map(|out| {
                let others: Vec<usize> = all.iter().copied().filter(|&n| n != out).collect();
                let (v, fit_error) = fit(&errors, &others);
                let night = &results[v].nights[out];
                LeftOut {
                    date: night.date.clone(),
                    fitted: self.vary.values[v].clone(),
                    fit_error,
                    reported_share: night.reported_share,
                    model_share: night.model.neutralised_share.mean,
                    abs_error: errors[v][out],
                    within_band: night.within_band,
                }
            })
            .collect();
        let leave_one_out_error =
            leave_one_out.iter().map(|l| l.abs_error).sum::<f64>() / nights.len() as f64;
        let summary = CalibrationSummary {
            path: self.vary.path.clone(),
            grid: results
                .iter()
                .zip(&self.vary.values)
                .map(|(r, v)| GridPoint {
                    value: v.clone(),
                    mean_abs_share_error: r.summary.mean_abs_share_error,
                    within_band: r.summary.within_band,
                })
                .collect(),
            fitted: self.vary.values[best].clone(),
            fitted_error,
            leave_one_out_within_band: leave_one_out.iter().filter(|l| l.within_band).count(),
            leave_one_out,
            leave_one_out_error,
        };
        Ok(CalibrationResult {
            summary,
            fitted: results.swap_remove(best),
        })
    }
}

/// The value (index into the grid) with the smallest mean error over
/// `nights`, the first of equals, and that error.
fn fit(errors: &[Vec<f64>], nights: &[usize]) -> (usize, f64) {
    let mean = |e: &Vec<f64>| nights.iter().map(|&n| e[n]).sum::<f64>() / nights.len() as f64;
    let mut best = (0, mean(&errors[0]));
    for (v, e) in errors.iter().enumerate().skip(1) {
        let m = mean(e);
        if m < best.1 {
            best = (v, m);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: three values, three nights. On all nights the middle value
    /// fits best (mean 0.02); leaving out night 0 the last value fits the
    /// others best (mean 0.01 against 0.015); leaving out night 1, the
    /// middle (0.02 against 0.025 and 0.055).
    #[test]
    fn fits_the_smallest_mean_error_and_the_first_of_equals() {
        let errors = vec![
            vec![0.00, 0.05, 0.05], // mean 0.0333
            vec![0.03, 0.02, 0.01], // mean 0.02
            vec![0.10, 0.01, 0.01], // mean 0.04
        ];
        let (v, e) = fit(&errors, &[0, 1, 2]);
        assert_eq!(v, 1);
        assert!((e - 0.02).abs() < 1e-12);
        assert_eq!(fit(&errors, &[1, 2]).0, 2);
        assert_eq!(fit(&errors, &[0, 2]).0, 1);
        // Equal errors: the first value in the grid's order.
        let flat = vec![vec![0.01, 0.01], vec![0.01, 0.01]];
        assert_eq!(fit(&flat, &[0, 1]).0, 0);
    }
}
