//! One night and the studies, as the CLI runs them: the same library calls
//! on the same seeds, the results handed back as the CLI's JSON text (the
//! Python layer parses it) or as Parquet bytes (pyarrow reads them).

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use rampart_engine::{Night, builtin};
use rampart_model::campaign as campaign_file;
use rampart_model::overrides;
use rampart_study::{
    CampaignStudy, Comparison, MonteCarlo, ReplicationWriter, Saturation, with_overrides,
};
use serde_json::Value;

use crate::scenario::{Scenario, overrides_of};
use crate::{internal, interruptible, policy_of};

/// Columns by name, in the order their names first appear, from rows of
/// JSON objects (nested objects flattened to dotted names); a row without
/// a column has `None` there.
fn columns<'py>(py: Python<'py>, rows: &[Vec<(String, Value)>]) -> PyResult<Bound<'py, PyDict>> {
    let mut names: Vec<&str> = Vec::new();
    for row in rows {
        for (k, _) in row {
            if !names.contains(&k.as_str()) {
                names.push(k);
            }
        }
    }
    let dict = PyDict::new(py);
    for name in names {
        let list = PyList::empty(py);
        for row in rows {
            match row.iter().find(|(k, _)| k == name) {
                Some((_, v)) => list.append(scalar(py, v)?)?,
                None => list.append(py.None())?,
            }
        }
        dict.set_item(name, list)?;
    }
    Ok(dict)
}

fn scalar<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        other => other.to_string().into_pyobject(py)?.into_any(),
    })
}

fn flatten(prefix: &str, v: Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, v, out);
            }
        }
        other => out.push((prefix.to_string(), other)),
    }
}

/// One night of `scenario` (its own seed unless `seed`), as `rampart run`
/// plays it: the summary as `rampart run --json` prints it, the event log
/// (one row per event, as `events.jsonl`) and each threat's fate, as columns.
#[pyfunction]
#[pyo3(signature = (scenario, seed = None, policy = None))]
pub fn run<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    seed: Option<u64>,
    policy: Option<&str>,
) -> PyResult<(String, Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let sc = scenario.model();
    let policy = policy_of(policy)?.unwrap_or(sc.doctrine.policy);
    let (summary, events, fates) = interruptible(py, Some(1), |_| {
        let night = Night::assemble(sc, seed.unwrap_or(sc.seed));
        let outcome = rampart_engine::run(&night, builtin(policy).as_ref());
        let summary = serde_json::to_string(&outcome.summary)?;
        let mut events = Vec::with_capacity(outcome.events.len());
        for e in &outcome.events {
            let mut row = Vec::new();
            flatten("", serde_json::to_value(e)?, &mut row);
            events.push(row);
        }
        let mut fates = Vec::with_capacity(night.threats.len());
        for (t, fate) in night.threats.iter().zip(&outcome.fates) {
            let Some(fate) = fate else { continue };
            let mut row = vec![
                ("threat".to_string(), Value::from(t.index)),
                (
                    "class".to_string(),
                    Value::from(sc.threats[t.class].id.clone()),
                ),
                ("raid".to_string(), Value::from(sc.raids[t.raid].id.clone())),
                (
                    "target".to_string(),
                    Value::from(sc.assets[t.target].id.clone()),
                ),
                ("launch_ms".to_string(), Value::from(t.launch)),
                (
                    "arrival_ms".to_string(),
                    Value::from(night.flight(t).arrival()),
                ),
            ];
            flatten("", serde_json::to_value(fate)?, &mut row);
            fates.push(row);
        }
        Ok::<_, serde_json::Error>((summary, events, fates))
    })?
    .map_err(internal)?;
    Ok((summary, columns(py, &events)?, columns(py, &fates)?))
}

/// `rampart mc`: the statistics as `rampart mc --json` prints them, and
/// the table of replications as `rampart mc --out DIR` writes it
/// (`replications.parquet`), as bytes.
#[pyfunction]
#[pyo3(signature = (scenario, reps, seed = None, threads = None, policy = None))]
pub fn mc<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    reps: u64,
    seed: Option<u64>,
    threads: Option<usize>,
    policy: Option<&str>,
) -> PyResult<(String, Bound<'py, PyBytes>)> {
    if reps == 0 {
        return Err(PyValueError::new_err("reps must be at least 1"));
    }
    let sc = scenario.model();
    let study = MonteCarlo {
        scenario: sc,
        policy: policy_of(policy)?.unwrap_or(sc.doctrine.policy),
        base_seed: seed.unwrap_or(sc.seed),
    };
    let (json, bytes) = interruptible(py, threads, |stop| {
        let names = rampart_study::metric_names(sc);
        let mut table =
            ReplicationWriter::new(Vec::new(), names, study.base_seed).map_err(internal)?;
        let mut failed = None;
        let result = study.run_with(reps, stop, &mut |r, m| {
            if failed.is_none()
                && let Err(e) = table.push(r, m)
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(internal(e));
        }
        let bytes = table.finish().map_err(internal)?;
        let json = serde_json::to_string(&result).map_err(internal)?;
        Ok::<_, PyErr>((json, bytes))
    })??;
    Ok((json, PyBytes::new(py, &bytes)))
}

/// Named variants: (name, (path, value) overrides).
type Variants = Vec<(String, Vec<(String, String)>)>;

/// `rampart compare`: the variants (name, overrides) of `scenario` on the
/// same seeds, the first against the others; the JSON of
/// `rampart compare --json`, verdicts on `metric` included.
#[pyfunction]
#[pyo3(signature = (scenario, variants, reps, metric, seed = None, threads = None, policy = None))]
#[allow(clippy::too_many_arguments)]
pub fn compare(
    py: Python<'_>,
    scenario: &Scenario,
    variants: Option<Variants>,
    reps: u64,
    metric: &str,
    seed: Option<u64>,
    threads: Option<usize>,
    policy: Option<&str>,
) -> PyResult<String> {
    if reps == 0 {
        return Err(PyValueError::new_err("reps must be at least 1"));
    }
    // Without variants: the scenario as it is, then each of its own
    // `[[variant]]` tables, as `rampart compare FILE` does.
    let variants = match variants {
        Some(v) => v,
        None => std::iter::once(("base".to_string(), Vec::new()))
            .chain(
                scenario
                    .model()
                    .variants
                    .iter()
                    .map(|v| (v.id.clone(), v.set.clone())),
            )
            .collect(),
    };
    if variants.len() < 2 {
        return Err(PyValueError::new_err(
            "no variants to compare: give variants, or add [[variant]] tables to the scenario",
        ));
    }
    let policy = policy_of(policy)?;
    check_metric_of(scenario.model(), metric)?;
    let mut scenarios = Vec::with_capacity(variants.len());
    let mut names: Vec<String> = Vec::new();
    for (name, pairs) in variants {
        if names.contains(&name) {
            return Err(PyValueError::new_err(format!(
                "two variants are named `{name}`"
            )));
        }
        let list = overrides_of(pairs);
        let sc = with_overrides(&scenario.text, &list)
            .map_err(|e| PyValueError::new_err(format!("variant {name}: {e}")))?;
        names.push(name);
        scenarios.push(sc);
    }
    let study = Comparison {
        variants: names
            .iter()
            .zip(&scenarios)
            .map(|(n, s)| (n.clone(), s, policy.unwrap_or(s.doctrine.policy)))
            .collect(),
        base_seed: seed.unwrap_or(scenario.model().seed),
    };
    let result = interruptible(py, threads, |stop| study.run(reps, stop))?;
    with_verdicts(&result, metric, |r| r.verdicts(metric))
}

/// A comparison's JSON as `--json` prints it: the result and its verdicts
/// on `metric`, which it must have.
fn with_verdicts(
    result: &rampart_study::CompareResult,
    metric: &str,
    verdicts: impl FnOnce(&rampart_study::CompareResult) -> Vec<String>,
) -> PyResult<String> {
    let known: Vec<&str> = result
        .metrics
        .values()
        .next()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if !known.contains(&metric) {
        return Err(no_metric(metric, &known));
    }
    let mut v = serde_json::to_value(result).map_err(internal)?;
    v["verdicts"] = serde_json::json!(verdicts(result));
    serde_json::to_string(&v).map_err(internal)
}

/// "no metric `leaker`; did you mean `leakers`?"
pub(crate) fn no_metric(metric: &str, known: &[&str]) -> PyErr {
    let hint = rampart_model::suggest(metric, known.iter().copied())
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    PyValueError::new_err(format!("no metric `{metric}`{hint}"))
}

/// Every metric a study of `scenario` reports, by name.
#[pyfunction]
pub fn metric_names(scenario: &Scenario) -> Vec<String> {
    rampart_study::metric_names(scenario.model())
}

/// Refuses, before any work, a metric that a study of `scenario` does not
/// report ("no metric `leaker`; did you mean `leakers`?").
#[pyfunction]
pub fn check_metric(scenario: &Scenario, metric: &str) -> PyResult<()> {
    check_metric_of(scenario.model(), metric)
}

pub(crate) fn check_metric_of(sc: &rampart_model::Scenario, metric: &str) -> PyResult<()> {
    let names = rampart_study::metric_names(sc);
    let known: Vec<&str> = names.iter().map(String::as_str).collect();
    if known.contains(&metric) {
        Ok(())
    } else {
        Err(no_metric(metric, &known))
    }
}

/// `rampart saturate`: the least value of field `vary` in `[lo, hi]` at
/// which `metric` breaks `limit`; the JSON of `rampart saturate --json`.
#[pyfunction]
#[pyo3(signature = (scenario, vary, metric, limit, lo, hi, reps, max_reps, tolerance = None, seed = None, threads = None, policy = None))]
#[allow(clippy::too_many_arguments)]
pub fn saturate(
    py: Python<'_>,
    scenario: &Scenario,
    vary: &str,
    metric: &str,
    limit: f64,
    lo: Option<f64>,
    hi: Option<f64>,
    reps: u64,
    max_reps: u64,
    tolerance: Option<f64>,
    seed: Option<u64>,
    threads: Option<usize>,
    policy: Option<&str>,
) -> PyResult<String> {
    check_metric_of(scenario.model(), metric)?;
    let field = overrides::field(&scenario.text, vary)
        .map_err(|e| PyValueError::new_err(format!("vary: {e}")))?;
    let (from, to) = match (lo, hi) {
        (Some(f), Some(t)) if f < t => (f, t),
        (Some(_), Some(_)) => return Err(PyValueError::new_err("expected lo < hi")),
        (None, None) => rampart_study::default_range(&field).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{vary}: the field has no positive value in the scenario; give a range"
            ))
        })?,
        _ => return Err(PyValueError::new_err("give both lo and hi, or neither")),
    };
    if reps < 2 || max_reps < reps {
        return Err(PyValueError::new_err("expected 2 <= reps <= max_reps"));
    }
    let search = Saturation {
        text: scenario.text.clone(),
        path: vary.to_string(),
        metric: metric.to_string(),
        limit,
        from,
        to,
        integer: field.integer,
        tolerance: tolerance.unwrap_or(rampart_study::default_tolerance(from, to)),
        base_seed: seed.unwrap_or(scenario.model().seed),
        policy: policy_of(policy)?,
        initial_reps: reps,
        max_reps,
    };
    let result = interruptible(py, threads, |stop| search.run(stop, &mut |_| {}))?
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    serde_json::to_string(&result).map_err(internal)
}

/// `rampart campaign FILE`: the campaign file at `path` (its night scenario
/// beside it), with `overrides` on the campaign file; the JSON of
/// `rampart campaign --json`.
#[pyfunction]
#[pyo3(signature = (path, reps, nights = None, seed = None, threads = None, overrides = Vec::new(), budgets = None, metric = "civilian_damage"))]
#[allow(clippy::too_many_arguments)]
pub fn campaign(
    py: Python<'_>,
    path: std::path::PathBuf,
    reps: u64,
    nights: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    overrides: Vec<(String, String)>,
    budgets: Option<Variants>,
    metric: &str,
) -> PyResult<String> {
    if reps == 0 {
        return Err(PyValueError::new_err("reps must be at least 1"));
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| PyOSError::new_err(format!("cannot read {shown}: {e}")))?;
    if campaign_file::file_kind(&text) == campaign_file::FileKind::Scenario {
        return Err(PyValueError::new_err(format!(
            "{shown} is a scenario (one night), not a campaign: use rampart.run or rampart.mc"
        )));
    }
    let text = if overrides.is_empty() {
        text
    } else {
        overrides::apply_in(&campaign_file::ROOT, &text, &overrides_of(overrides))
            .map_err(|e| PyValueError::new_err(e.to_string()))?
    };
    let checked = rampart_study::check_campaign_file(&path, &text);
    let Some(base) = checked.campaign else {
        return Err(crate::scenario::scenario_error(
            py,
            &shown,
            &checked.diagnostics,
        ));
    };
    let nights = nights.unwrap_or(base.nights);
    if !(1..=campaign_file::MAX_NIGHTS).contains(&nights) {
        return Err(PyValueError::new_err(format!(
            "nights {nights}: expected 1 to {}",
            campaign_file::MAX_NIGHTS
        )));
    }
    let base_seed = seed.unwrap_or(base.seed);
    if let Some(budgets) = budgets {
        return compare_budgets(
            py, &path, &text, budgets, nights, base_seed, reps, threads, metric,
        );
    }
    let study = CampaignStudy {
        campaign: &base,
        nights,
        base_seed,
    };
    let result = interruptible(py, threads, |stop| study.run(reps, stop))?;
    serde_json::to_string(&result).map_err(internal)
}

/// `rampart campaign FILE --budget-variant ...`: budgets (a name and its
/// overrides on the campaign file; with one, the file as it is comes first
/// as `base`) on the same nights; the JSON of `--json`, with the verdicts
/// on the campaign total `metric`.
#[allow(clippy::too_many_arguments)]
fn compare_budgets(
    py: Python<'_>,
    path: &std::path::Path,
    text: &str,
    mut budgets: Variants,
    nights: u32,
    base_seed: u64,
    reps: u64,
    threads: Option<usize>,
    metric: &str,
) -> PyResult<String> {
    if budgets.len() == 1 {
        budgets.insert(0, ("base".into(), Vec::new()));
    }
    let named: Vec<(String, Vec<rampart_model::overrides::Override>)> = budgets
        .into_iter()
        .map(|(n, pairs)| (n, overrides_of(pairs)))
        .collect();
    let texts = rampart_study::budget_texts(text, &named)
        .map_err(|e| PyValueError::new_err(crate::sweep::error_chain(&e)))?;
    let mut campaigns = Vec::with_capacity(texts.len());
    for (name, changed) in &texts {
        let checked = rampart_study::check_campaign_file(path, changed);
        let shown = format!("{} (as changed by budget `{name}`)", path.display());
        match checked.campaign {
            Some(c) => campaigns.push((name.clone(), c)),
            None => {
                return Err(crate::scenario::scenario_error(
                    py,
                    &shown,
                    &checked.diagnostics,
                ));
            }
        }
    }
    let study = rampart_study::BudgetComparison {
        variants: campaigns.iter().map(|(n, c)| (n.clone(), c)).collect(),
        nights,
        base_seed,
    };
    let result = interruptible(py, threads, |stop| study.run(reps, stop))?;
    with_verdicts(&result, metric, |r| r.verdicts_per(metric, "campaign"))
}
