//! Sweeps: `sweep` runs one as `rampart sweep --out DIR` does, on this
//! machine; `SweepPlan` is the same sweep in steps (ready the directory,
//! list the points missing, run one point, save it, finish), which
//! `rampart.dask` maps over a cluster. Both write the same directory, byte
//! for byte: the same manifest, point files, tables and figures.

use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rampart_study::{PointResult, Shard, Sweep, SweepError, SweepRun, Vary};

use crate::scenario::Scenario;
use crate::studies::no_metric;
use crate::{internal, interruptible, policy_of};

fn sweep_error(e: SweepError) -> PyErr {
    match e {
        SweepError::Io { .. } => PyOSError::new_err(error_chain(&e)),
        _ => PyValueError::new_err(error_chain(&e)),
    }
}

/// The error and its sources, as the CLI prints them.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn sweep_of(
    scenario: &Scenario,
    vary: Vec<(String, Vec<String>)>,
    reps: u64,
    seed: Option<u64>,
    policy: Option<&str>,
) -> PyResult<Sweep> {
    if reps == 0 {
        return Err(PyValueError::new_err("reps must be at least 1"));
    }
    if vary.is_empty() {
        return Err(PyValueError::new_err("vary: give at least one field"));
    }
    let vary = vary
        .into_iter()
        .map(|(path, values)| {
            if values.is_empty() {
                return Err(PyValueError::new_err(format!("vary {path}: no values")));
            }
            // Trimmed, as `--vary` reads them: the same manifest as the CLI's.
            let values = values.iter().map(|v| v.trim().to_string()).collect();
            Ok(Vary {
                path: path.trim().to_string(),
                values,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let sweep = Sweep {
        text: scenario.text.clone(),
        vary,
        reps,
        base_seed: seed.unwrap_or(scenario.model().seed),
        policy: policy_of(policy)?,
    };
    sweep.check().map_err(sweep_error)?;
    Ok(sweep)
}

/// Writes the sweep's figures into `dir`, as `rampart sweep` does.
fn write_figures(dir: &Path, run: &SweepRun, metric: &str) -> PyResult<()> {
    if let Some(first) = run.results.first() {
        let known: Vec<&str> = first.metrics.keys().map(String::as_str).collect();
        if !known.contains(&metric) {
            return Err(no_metric(metric, &known));
        }
    }
    for f in rampart_report::sweep_figures::sweep_figures(&run.manifest, &run.results, metric) {
        let path = dir.join(f.file);
        rampart_study::write_atomic(&path, f.svg.as_bytes())
            .map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// `rampart sweep --out DIR`: every point of the grid (`vary`: (path,
/// values) pairs, the first slowest) not yet in `out`, then the tables and
/// figures. Returns how many points ran now.
#[pyfunction]
#[pyo3(signature = (scenario, vary, reps, out, seed = None, threads = None, policy = None, metric = "leakers", shard = None))]
#[allow(clippy::too_many_arguments)]
pub fn sweep<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    vary: Vec<(String, Vec<String>)>,
    reps: u64,
    out: PathBuf,
    seed: Option<u64>,
    threads: Option<usize>,
    policy: Option<&str>,
    metric: &str,
    shard: Option<(usize, usize)>,
) -> PyResult<(usize, Bound<'py, PyBytes>)> {
    crate::studies::check_metric_of(scenario.model(), metric)?;
    let sweep = sweep_of(scenario, vary, reps, seed, policy)?;
    let shard = match shard {
        Some((i, n)) => Shard::new(i, n).map_err(sweep_error)?,
        None => Shard::WHOLE,
    };
    let run = interruptible(py, threads, |stop| {
        sweep.run(&out, shard, stop, &mut |_| {})
    })?
    .map_err(sweep_error)?;
    write_figures(&out, &run, metric)?;
    Ok((run.ran, table_bytes(py, &run)?))
}

/// The sweep's table as `results.parquet` holds it, from memory.
fn table_bytes<'py>(py: Python<'py>, run: &SweepRun) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = rampart_study::Table::new(&run.manifest, &run.results)
        .parquet()
        .map_err(internal)?;
    Ok(PyBytes::new(py, &bytes))
}

/// The values of `spec` for field `path`, as `--vary PATH=SPEC` reads them:
/// a list (`0,10,20`) or a range (`100..2000:100`).
#[pyfunction]
pub fn vary_values(path: &str, spec: &str) -> PyResult<Vec<String>> {
    Vary::parse(&format!("{path}={spec}"))
        .map(|v| v.values)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// One sweep in steps, for a cluster: the driver readies the directory and
/// lists the missing points; workers run points (each a plain function of
/// the plan and the point's number); the driver saves each as it comes
/// back, in any order, and finishes.
#[pyclass(frozen, module = "rampart._rampart")]
#[derive(Debug)]
pub struct SweepPlan {
    sweep: Sweep,
}

#[pymethods]
impl SweepPlan {
    #[new]
    #[pyo3(signature = (scenario, vary, reps, seed = None, policy = None))]
    fn new(
        scenario: &Scenario,
        vary: Vec<(String, Vec<String>)>,
        reps: u64,
        seed: Option<u64>,
        policy: Option<&str>,
    ) -> PyResult<Self> {
        Ok(SweepPlan {
            sweep: sweep_of(scenario, vary, reps, seed, policy)?,
        })
    }

    /// The number of grid points.
    #[getter]
    fn points(&self) -> usize {
        self.sweep.points()
    }

    /// Readies `out` (the manifest, `points/`); refuses a directory of
    /// another sweep.
    fn prepare(&self, out: PathBuf) -> PyResult<()> {
        self.sweep.prepare(&out).map(drop).map_err(sweep_error)
    }

    /// The points `out` does not hold yet, in order.
    fn missing(&self, out: PathBuf) -> Vec<usize> {
        self.sweep.missing(&out, Shard::WHOLE)
    }

    /// Runs point `point` with `threads` worker threads; its result as the
    /// JSON of a point file.
    #[pyo3(signature = (point, threads = Some(1)))]
    fn run_point(&self, py: Python<'_>, point: usize, threads: Option<usize>) -> PyResult<String> {
        if point >= self.sweep.points() {
            return Err(PyValueError::new_err(format!(
                "point {point}: the grid has {} points",
                self.sweep.points()
            )));
        }
        let result = interruptible(py, threads, |stop| {
            let r = self.sweep.run_point(point, stop);
            (r, rampart_study::Progress::stopped(stop))
        })?;
        match result {
            (_, true) => Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(())),
            (r, false) => serde_json::to_string(&r.map_err(sweep_error)?).map_err(internal),
        }
    }

    /// The metrics of replications `start..end` of point `point` (a
    /// block of a big point), as JSON rows for `save_point_from_blocks`.
    #[pyo3(signature = (point, start, end, threads = Some(1)))]
    fn run_block(
        &self,
        py: Python<'_>,
        point: usize,
        start: u64,
        end: u64,
        threads: Option<usize>,
    ) -> PyResult<String> {
        if point >= self.sweep.points() || start >= end || end > self.sweep.reps {
            return Err(PyValueError::new_err(format!(
                "block {start}..{end} of point {point}: expected a point below {} and 0 <= start < end <= {}",
                self.sweep.points(),
                self.sweep.reps
            )));
        }
        let (rows, stopped) = interruptible(py, threads, |stop| {
            let r = self.sweep.run_block(point, start, end, stop);
            (r, rampart_study::Progress::stopped(stop))
        })?;
        if stopped {
            return Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(()));
        }
        serde_json::to_string(&rows.map_err(sweep_error)?).map_err(internal)
    }

    /// Saves point `point` from its blocks (what `run_block` gave, in
    /// replication order, covering every replication): the same file as
    /// `run_point` and `save_point` give.
    fn save_point_from_blocks(
        &self,
        out: PathBuf,
        point: usize,
        blocks: Vec<String>,
    ) -> PyResult<()> {
        if point >= self.sweep.points() {
            return Err(PyValueError::new_err(format!(
                "no point {point} in this sweep"
            )));
        }
        let mut rows: Vec<Vec<(String, f64)>> = Vec::new();
        for b in &blocks {
            let part: Vec<Vec<(String, f64)>> = serde_json::from_str(b)
                .map_err(|e| PyValueError::new_err(format!("not a block's rows: {e}")))?;
            rows.extend(part);
        }
        if rows.len() as u64 != self.sweep.reps {
            return Err(PyValueError::new_err(format!(
                "point {point}: the blocks hold {} replications, the sweep {}",
                rows.len(),
                self.sweep.reps
            )));
        }
        let result = self.sweep.point_from_rows(point, &rows);
        Sweep::save_point(&out, &result).map_err(sweep_error)
    }

    /// Saves a point's result (the JSON `run_point` gave) into `out`.
    fn save_point(&self, out: PathBuf, result: &str) -> PyResult<usize> {
        let point: PointResult = serde_json::from_str(result)
            .map_err(|e| PyValueError::new_err(format!("not a point's result: {e}")))?;
        if point.point >= self.sweep.points() || point.values != self.sweep.values(point.point) {
            return Err(PyValueError::new_err(format!(
                "point {} is not a point of this sweep",
                point.point
            )));
        }
        Sweep::save_point(&out, &point).map_err(sweep_error)?;
        Ok(point.point)
    }

    /// Once every point is in `out`: the tables and figures, as `rampart
    /// sweep` writes them. `ran` is how many points this run computed.
    /// Returns the table as `results.parquet` holds it.
    #[pyo3(signature = (out, metric = "leakers", ran = 0))]
    fn finish<'py>(
        &self,
        py: Python<'py>,
        out: PathBuf,
        metric: &str,
        ran: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let run = self
            .sweep
            .finish(&out, Shard::WHOLE, ran)
            .map_err(sweep_error)?;
        write_figures(&out, &run, metric)?;
        table_bytes(py, &run)
    }
}
