//! # rampart-python: `import rampart`
//!
//! The native module `rampart._rampart` behind the Python package `rampart`
//! (`python/rampart`): a thin layer over the Rust crates, with no logic of
//! its own. Every study runs the same library code as the CLI, on the same
//! seeds, and hands back the same JSON (parsed by Python) or the same
//! Parquet bytes (read by pyarrow): the numbers are the CLI's, bit for bit.
//!
//! - `scenario`: `Scenario` (from a file, from text, with overrides) and
//!   `ScenarioError`, whose `diagnostics` are `rampart validate`'s.
//! - `studies`: one night (`run`), `mc`, `compare`, `saturate`, `campaign`.
//! - `sweep`: `sweep` and the `SweepPlan` that `rampart.dask` maps over a
//!   cluster, point by point.
//! - `wta`: `wta_solve`.
//!
//! Long work runs on a thread of its own, with the GIL released, while the
//! calling thread watches for Ctrl-C (`interruptible`): an interrupted study
//! stops at its next block of replications, writes nothing half-done, and
//! the call raises `KeyboardInterrupt`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

mod scenario;
mod studies;
mod sweep;
mod wta;

pub use scenario::{Diagnostic, Scenario, ScenarioError};

/// A study's progress as the Python layer sees it: only whether to stop
/// (shared, so that a solver's deadline can watch it too).
#[derive(Debug, Default, Clone)]
pub(crate) struct Stop(Arc<AtomicBool>);

impl Stop {
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl rampart_study::Progress for Stop {
    fn stopped(&self) -> bool {
        self.is_set()
    }
}

/// Runs `work` on a thread of its own in a pool of `threads` workers (all
/// cores when `None`), the GIL released; every few milliseconds the calling
/// thread checks for a signal (Ctrl-C), and on one tells the work to stop,
/// waits for it and raises what the signal handler raised.
pub(crate) fn interruptible<T: Send>(
    py: Python<'_>,
    threads: Option<usize>,
    work: impl FnOnce(&Stop) -> T + Send,
) -> PyResult<T> {
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the worker threads: {e}")))?;
    let stop = Stop::default();
    std::thread::scope(|s| {
        let handle = s.spawn(|| pool.install(|| work(&stop)));
        let mut signal = None;
        loop {
            py.detach(|| {
                for _ in 0..20 {
                    if handle.is_finished() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            });
            if handle.is_finished() {
                break;
            }
            if signal.is_none()
                && let Err(e) = py.check_signals()
            {
                stop.0.store(true, Ordering::Relaxed);
                signal = Some(e);
            }
        }
        let result = py.detach(|| handle.join());
        match (signal, result) {
            (Some(e), _) => Err(e),
            (None, Ok(value)) => Ok(value),
            (None, Err(_)) => Err(PyRuntimeError::new_err(
                "internal error: the study stopped on a bug (a panic); please report it",
            )),
        }
    })
}

/// A policy by name: `nearest`, `greedy` or `optimal`.
pub(crate) fn policy_of(name: Option<&str>) -> PyResult<Option<rampart_model::Policy>> {
    name.map(|n| {
        rampart_model::Policy::parse(n).ok_or_else(|| {
            PyValueError::new_err(format!(
                "no policy `{n}`; expected one of: {}",
                rampart_model::Policy::NAMES.join(", ")
            ))
        })
    })
    .transpose()
}

/// A serialisation error as a Python error (a bug: every result serialises).
pub(crate) fn internal(e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(format!("internal error: {e}"))
}

#[pymodule]
fn _rampart(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add_class::<Scenario>()?;
    m.add_class::<Diagnostic>()?;
    m.add_class::<sweep::SweepPlan>()?;
    m.add_function(wrap_pyfunction!(studies::run, m)?)?;
    m.add_function(wrap_pyfunction!(studies::mc, m)?)?;
    m.add_function(wrap_pyfunction!(studies::compare, m)?)?;
    m.add_function(wrap_pyfunction!(studies::saturate, m)?)?;
    m.add_function(wrap_pyfunction!(studies::campaign, m)?)?;
    m.add_function(wrap_pyfunction!(studies::metric_names, m)?)?;
    m.add_function(wrap_pyfunction!(studies::check_metric, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::vary_values, m)?)?;
    m.add_function(wrap_pyfunction!(wta::wta_solve, m)?)?;
    Ok(())
}
