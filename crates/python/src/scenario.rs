//! `Scenario` and `ScenarioError`: a scenario read and validated as
//! `rampart validate` reads it, with the same diagnostics.

use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use rampart_model::overrides::{self, Override};

create_exception!(
    rampart,
    ScenarioError,
    PyValueError,
    "A scenario that does not read or validate. `diagnostics` lists every \
     problem, as `rampart validate` prints them: `line`, `column`, `path`, \
     `message`, `hint`."
);

/// One problem found in a scenario: where (1-based line and column, the
/// field path such as `effector[3].magazine`), what, and a hint.
#[pyclass(frozen, skip_from_py_object, module = "rampart._rampart", get_all)]
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// As `rampart validate` prints it: `file:line:col: error: path: message`.
    pub rendered: String,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(line={}, column={}, path={:?}, message={:?})",
            self.line, self.column, self.path, self.message
        )
    }

    fn __str__(&self) -> String {
        self.rendered.clone()
    }
}

impl Diagnostic {
    fn of(d: &rampart_model::Diagnostic, file: &str) -> Diagnostic {
        Diagnostic {
            line: d.location.line,
            column: d.location.column,
            path: d.path.clone(),
            message: d.kind.to_string(),
            hint: d.kind.hint(),
            severity: match d.severity {
                rampart_model::Severity::Error => "error",
                rampart_model::Severity::Warning => "warning",
            },
            rendered: d.render(file),
        }
    }
}

/// The `ScenarioError` of `diagnostics` in `file`.
pub(crate) fn scenario_error(
    py: Python<'_>,
    file: &str,
    diagnostics: &[rampart_model::Diagnostic],
) -> PyErr {
    let list: Vec<Diagnostic> = diagnostics
        .iter()
        .map(|d| Diagnostic::of(d, file))
        .collect();
    let errors = list.iter().filter(|d| d.severity == "error").count();
    let mut message = format!("{file} is not a valid scenario ({errors} error(s))");
    for d in &list {
        message.push('\n');
        message.push_str(&d.rendered);
    }
    let err = ScenarioError::new_err(message);
    let attached = PyList::new(py, list).and_then(|l| err.value(py).setattr("diagnostics", l));
    match attached {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// A scenario, read and validated: from a file, from text, or another
/// scenario with overrides.
#[pyclass(frozen, skip_from_py_object, module = "rampart._rampart")]
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) text: String,
    pub(crate) parsed: Arc<rampart_model::Scenario>,
    /// The file it was read from, if any (a campaign's night is beside it).
    pub(crate) file: Option<String>,
    /// What `rampart validate` warns of in a valid scenario.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Scenario {
    fn read(py: Python<'_>, text: String, shown: &str, file: Option<String>) -> PyResult<Self> {
        if rampart_model::campaign::file_kind(&text) == rampart_model::campaign::FileKind::Campaign
        {
            return Err(PyValueError::new_err(format!(
                "{shown} is a campaign (many nights), not a scenario: play it with rampart.campaign"
            )));
        }
        let checked = rampart_model::check_bytes(text.as_bytes());
        match checked.scenario {
            Some(parsed) => {
                let warnings = checked
                    .diagnostics
                    .iter()
                    .map(|d| Diagnostic::of(d, shown))
                    .collect();
                Ok(Scenario {
                    text,
                    parsed: Arc::new(parsed),
                    file,
                    warnings,
                })
            }
            None => Err(scenario_error(py, shown, &checked.diagnostics)),
        }
    }

    pub(crate) fn model(&self) -> &rampart_model::Scenario {
        &self.parsed
    }
}

/// Overrides from (path, value) pairs, each checked as `--set` checks it.
pub(crate) fn overrides_of(pairs: Vec<(String, String)>) -> Vec<Override> {
    pairs
        .into_iter()
        .map(|(path, value)| Override { path, value })
        .collect()
}

#[pymethods]
impl Scenario {
    /// Reads and validates the scenario file at `path`.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| PyOSError::new_err(format!("cannot read {shown}: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let checked = rampart_model::check_bytes(e.as_bytes());
            scenario_error(py, &shown, &checked.diagnostics)
        })?;
        Self::read(py, text, &shown, Some(shown.clone()))
    }

    /// Reads and validates scenario `text`; `name` stands for the file in
    /// the diagnostics.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>"))]
    fn from_str(py: Python<'_>, text: String, name: &str) -> PyResult<Self> {
        Self::read(py, text, name, None)
    }

    /// This scenario with `overrides` ((path, value) pairs, the paths of
    /// `--set` and `--vary`) applied, validated again.
    fn with_overrides(&self, py: Python<'_>, overrides: Vec<(String, String)>) -> PyResult<Self> {
        let list = overrides_of(overrides);
        let changed = overrides::apply(&self.text, &list)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let shown = format!(
            "{} (with {})",
            self.file.as_deref().unwrap_or("<scenario>"),
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        Self::read(py, changed, &shown, self.file.clone())
    }

    /// The scenario's text (TOML), overrides applied.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    #[getter]
    fn name(&self) -> &str {
        &self.parsed.name
    }

    /// The scenario's own base seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.parsed.seed
    }

    /// The file it was read from, if any.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// What `rampart validate` warns of (the scenario is valid).
    #[getter]
    fn warnings(&self) -> Vec<Diagnostic> {
        self.warnings.clone()
    }

    fn __repr__(&self) -> String {
        match &self.file {
            Some(f) => format!("Scenario({:?} from {f:?})", self.parsed.name),
            None => format!("Scenario({:?})", self.parsed.name),
        }
    }
}
