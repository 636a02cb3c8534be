//! `wta_solve`: a weapon-target assignment problem from plain arrays,
//! solved by one of rampart-wta's solvers, as `rampart wta solve` does.

use std::time::{Duration, Instant};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rampart_wta::{Deadline, Firing, Greedy, LocalSearch, Portfolio, Problem, Solver, Status};

/// A wall-clock deadline, the caller's (the library never reads the
/// clock), that also ends on Ctrl-C.
struct WallClock {
    until: Instant,
    stop: crate::Stop,
}

impl Deadline for WallClock {
    fn expired(&self) -> bool {
        self.stop.is_set() || Instant::now() >= self.until
    }

    fn portion(&self, fraction: f64) -> Box<dyn Deadline> {
        let now = Instant::now();
        let left = self.until.saturating_duration_since(now);
        Box::new(WallClock {
            until: now + left.mul_f64(fraction.clamp(0.0, 1.0)),
            stop: self.stop.clone(),
        })
    }
}

/// What `wta_solve` gives: copies per (weapon type, target), the expected
/// surviving value (plus the weighted cost), the proven lower bound if any,
/// the status (`optimal`, `feasible`, `heuristic`), its gap, and the work.
type Answer = (
    Vec<Vec<u32>>,
    f64,
    Option<f64>,
    &'static str,
    Option<f64>,
    u64,
);

/// Solves the WTA problem of target `values`, kill probabilities `pk`
/// (one row per weapon type, one column per target) and `counts` copies
/// per weapon type. `costs` (per copy) with `cost_weight` adds the cost of
/// the weapons fired; `may_hold` lets copies hold fire; `caps` limits the
/// copies per target. `threads` (the exact solver only) runs a portfolio
/// (`rampart_wta::Portfolio`). Ctrl-C ends the search (`KeyboardInterrupt`).
#[pyfunction]
#[pyo3(signature = (values, pk, counts, solver = "exact", costs = None, cost_weight = 0.0, may_hold = false, caps = None, time_limit = None, work_limit = None, threads = 1))]
#[allow(clippy::too_many_arguments)]
pub fn wta_solve(
    py: Python<'_>,
    values: Vec<f64>,
    pk: Vec<Vec<f64>>,
    counts: Vec<u32>,
    solver: &str,
    costs: Option<Vec<f64>>,
    cost_weight: f64,
    may_hold: bool,
    caps: Option<Vec<Option<u32>>>,
    time_limit: Option<f64>,
    work_limit: Option<u64>,
    threads: usize,
) -> PyResult<Answer> {
    let (m, n) = (counts.len(), values.len());
    if pk.len() != m || pk.iter().any(|row| row.len() != n) {
        return Err(PyValueError::new_err(format!(
            "pk must be {m} x {n} (weapon types x targets)"
        )));
    }
    let costs = costs.unwrap_or_else(|| vec![0.0; m]);
    if costs.len() != m {
        return Err(PyValueError::new_err(format!(
            "costs must have {m} entries"
        )));
    }
    let caps = caps.unwrap_or_else(|| vec![None; n]);
    if caps.len() != n {
        return Err(PyValueError::new_err(format!("caps must have {n} entries")));
    }
    let solver: Box<dyn Solver + Send + Sync> = match solver {
        _ if threads == 0 => {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        "exact" => Box::new(Portfolio::new(threads)),
        "greedy" => Box::new(Greedy),
        "local" => Box::new(LocalSearch::default()),
        other => {
            return Err(PyValueError::new_err(format!(
                "no solver `{other}`; expected exact, local or greedy"
            )));
        }
    };
    let mut p = Problem::new();
    for (&count, &cost) in counts.iter().zip(&costs) {
        p.add_weapon_type(count, cost);
    }
    for (&value, &cap) in values.iter().zip(&caps) {
        p.add_target_capped(value, cap);
    }
    for (i, row) in pk.iter().enumerate() {
        for (j, &x) in row.iter().enumerate() {
            p.set_pk(i, j, x)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
        }
    }
    p.set_cost_weight(cost_weight);
    p.set_firing(if may_hold {
        Firing::MayHold
    } else {
        Firing::AllWeapons
    });
    let limit = match time_limit {
        Some(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s),
        Some(s) => {
            return Err(PyValueError::new_err(format!(
                "time_limit {s}: expected a positive number of seconds"
            )));
        }
        None => Duration::from_secs(3600),
    };
    let s = crate::interruptible(py, Some(1), |stop| {
        let clock = WallClock {
            until: Instant::now() + limit,
            stop: stop.clone(),
        };
        // The deadline is always there (the hour is a backstop, and it
        // carries the interrupt): with neither limit given, the library's
        // default work limit ends the solve, as it would with no deadline.
        let units = work_limit.or(time_limit
            .is_none()
            .then_some(rampart_wta::DEFAULT_WORK_LIMIT));
        let mut request = p.using(&*solver).deadline(&clock);
        if let Some(units) = units {
            request = request.work_limit(units);
        }
        request.solve()
    })?
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let per_type: Vec<Vec<u32>> = (0..m)
        .map(|i| s.counts[i * n..(i + 1) * n].to_vec())
        .collect();
    let gap = match s.status {
        Status::Feasible { gap } => Some(gap),
        Status::Optimal => Some(0.0),
        Status::Heuristic => None,
    };
    Ok((
        per_type,
        s.objective,
        s.lower_bound,
        s.status.name(),
        gap,
        s.work,
    ))
}
