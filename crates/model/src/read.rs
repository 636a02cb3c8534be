//! Typed reading of a spanned TOML tree, with diagnostics collected, not thrown.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, DiagnosticKind, LineIndex, Severity, suggest};
use crate::scenario::Point;
use crate::spec::{KeySpec, TableSpec, describe};
use crate::units::{Dimension, QuantityError, dimension_of_unit, parse_quantity};

mod lists;

pub(crate) type Span = Range<usize>;
pub(crate) type Val<'i> = Spanned<DeValue<'i>>;

/// The reading context: where diagnostics go.
#[derive(Debug)]
pub(crate) struct Cx<'s> {
    index: LineIndex<'s>,
    pub(crate) diags: Vec<Diagnostic>,
}

impl<'s> Cx<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Cx {
            index: LineIndex::new(src),
            diags: Vec::new(),
        }
    }

    pub(crate) fn error(&mut self, span: Span, path: impl Into<String>, kind: DiagnosticKind) {
        let location = self.index.locate(span);
        self.diags.push(Diagnostic {
            severity: Severity::Error,
            location,
            path: path.into(),
            kind,
        });
    }

    pub(crate) fn warning(&mut self, span: Span, path: impl Into<String>, kind: DiagnosticKind) {
        let location = self.index.locate(span);
        self.diags.push(Diagnostic {
            severity: Severity::Warning,
            location,
            path: path.into(),
            kind,
        });
    }

    pub(crate) fn line_of(&self, span: &Span) -> usize {
        self.index.locate(span.clone()).line
    }
}

/// The TOML type name of a value, for "found ..." messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string \"{}\"", shorten(s)),
        DeValue::Integer(i) => format!("the integer {}", shorten(i.as_str())),
        DeValue::Float(f) => format!("the number {}", shorten(f.as_str())),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(_) => "a date-time".into(),
        DeValue::Array(_) => "an array".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("{head}...")
    } else {
        s.to_string()
    }
}

/// Reads a TOML integer as i64.
fn integer(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// Reads a TOML number (integer or float) as f64.
fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(_) => integer(v).map(|i| i as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

/// One table being read, with its path and its spec.
#[derive(Debug)]
pub(crate) struct Tbl<'a, 'i> {
    pub(crate) table: &'a DeTable<'i>,
    pub(crate) span: Span,
    pub(crate) path: String,
    spec: &'static TableSpec,
    missing: Missing,
}

/// Whether absent required keys are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Report,
    /// Another error (an unknown catalogue class) already explains them.
    Silent,
}

impl<'a, 'i> Tbl<'a, 'i> {
    /// Opens `v` as a table of `spec`, reporting every unknown key at once.
    pub(crate) fn open(
        cx: &mut Cx<'_>,
        v: &'a Val<'i>,
        path: String,
        spec: &'static TableSpec,
    ) -> Option<Self> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Self::from_table(cx, t, v.span(), path, spec)),
            other => {
                cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::WrongType {
                        expected: "a table".into(),
                        found: type_name(other),
                    },
                );
                None
            }
        }
    }

    pub(crate) fn from_table(
        cx: &mut Cx<'_>,
        table: &'a DeTable<'i>,
        span: Span,
        path: String,
        spec: &'static TableSpec,
    ) -> Self {
        let mut unknown: Vec<(&Spanned<std::borrow::Cow<'i, str>>, ())> = table
            .iter()
            .filter(|(k, _)| !spec.keys.iter().any(|s| s.name == k.get_ref().as_ref()))
            .map(|(k, _)| (k, ()))
            .collect();
        unknown.sort_by_key(|(k, _)| k.span().start);
        for (key, ()) in unknown {
            let name = key.get_ref().as_ref();
            let names = spec.keys.iter().map(|s| s.name);
            cx.error(
                key.span(),
                join(&path, name),
                DiagnosticKind::UnknownKey {
                    key: name.to_string(),
                    expected: names.clone().map(String::from).collect(),
                    suggestion: suggest(name, names),
                },
            );
        }
        Self::trusted(table, span, path, spec)
    }

    /// A table whose keys were already checked (a catalogue merge of a checked table).
    pub(crate) fn trusted(
        table: &'a DeTable<'i>,
        span: Span,
        path: String,
        spec: &'static TableSpec,
    ) -> Self {
        Tbl {
            table,
            span,
            path,
            spec,
            missing: Missing::Report,
        }
    }

    fn spec_of(&self, key: &str) -> &'static KeySpec {
        match self.spec.keys.iter().find(|s| s.name == key) {
            Some(s) => s,
            None => unreachable!("key `{key}` is not in the spec of `{}`", self.spec.name),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        debug_assert!(self.spec.keys.iter().any(|s| s.name == key));
        self.table.get(key)
    }

    /// The text of a string value, as written (for messages).
    pub(crate) fn raw_text(&self, key: &str) -> String {
        match self.get(key).map(|v| v.get_ref()) {
            Some(DeValue::String(s)) => shorten(s),
            Some(other) => type_name(other),
            None => String::new(),
        }
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn key_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The span of a key's value, or of the table when the key is absent.
    pub(crate) fn span_of(&self, key: &str) -> Span {
        self.get(key).map_or(self.span.clone(), |v| v.span())
    }

    /// The same table, with absent keys no longer reported.
    pub(crate) fn silent_missing(mut self) -> Self {
        self.missing = Missing::Silent;
        self
    }

    pub(crate) fn missing(&self, cx: &mut Cx<'_>, key: &str, hint: Option<String>) {
        if self.missing == Missing::Silent {
            return;
        }
        // A misspelt key is already reported with "did you mean `key`?".
        let misspelt = self.table.keys().any(|k| {
            let k = k.get_ref().as_ref();
            !self.spec.keys.iter().any(|s| s.name == k)
                && suggest(k, self.spec.keys.iter().map(|s| s.name)).as_deref() == Some(key)
        });
        if misspelt {
            return;
        }
        let spec = self.spec_of(key);
        let hint = hint.or_else(|| Some(format!("{} ({})", spec.doc, describe(&spec.ty))));
        cx.error(
            self.span.clone(),
            self.key_path(key),
            DiagnosticKind::MissingKey {
                key: key.to_string(),
                hint,
            },
        );
    }

    /// A key required in every file: reports it when absent.
    pub(crate) fn need<T>(&self, cx: &mut Cx<'_>, key: &str, v: Option<T>) -> Option<T> {
        if v.is_none() && !self.has(key) {
            self.missing(cx, key, None);
        }
        v
    }

    fn wrong(&self, cx: &mut Cx<'_>, key: &str, v: &Val<'_>) {
        let spec = self.spec_of(key);
        cx.error(
            v.span(),
            self.key_path(key),
            DiagnosticKind::WrongType {
                expected: describe(&spec.ty),
                found: type_name(v.get_ref()),
            },
        );
    }

    pub(crate) fn string(&self, cx: &mut Cx<'_>, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.to_string()),
            DeValue::String(_) => {
                cx.error(
                    v.span(),
                    self.key_path(key),
                    DiagnosticKind::OutOfRange {
                        found: "an empty string".into(),
                        expected: "a non-empty string".into(),
                    },
                );
                None
            }
            _ => {
                self.wrong(cx, key, v);
                None
            }
        }
    }

    pub(crate) fn integer(&self, cx: &mut Cx<'_>, key: &str, min: i64, max: i64) -> Option<i64> {
        let v = self.get(key)?;
        match integer(v.get_ref()) {
            Some(i) if (min..=max).contains(&i) => Some(i),
            Some(i) => {
                cx.error(
                    v.span(),
                    self.key_path(key),
                    DiagnosticKind::OutOfRange {
                        found: i.to_string(),
                        expected: format!("an integer from {min} to {max}"),
                    },
                );
                None
            }
            None => {
                if let DeValue::Integer(i) = v.get_ref() {
                    cx.error(
                        v.span(),
                        self.key_path(key),
                        DiagnosticKind::OutOfRange {
                            found: shorten(i.as_str()),
                            expected: format!("an integer from {min} to {max}"),
                        },
                    );
                } else {
                    self.wrong(cx, key, v);
                }
                None
            }
        }
    }

    pub(crate) fn count(&self, cx: &mut Cx<'_>, key: &str, min: u32) -> Option<u32> {
        self.integer(cx, key, i64::from(min), i64::from(MAX_COUNT))
            .map(|i| i as u32)
    }

    /// A number in `[lo, hi]`.
    pub(crate) fn number(&self, cx: &mut Cx<'_>, key: &str, lo: f64, hi: f64) -> Option<f64> {
        let v = self.get(key)?;
        match number(v.get_ref()) {
            Some(x) if x.is_finite() && x >= lo && x <= hi => Some(x),
            Some(x) => {
                let expected = match (lo == f64::NEG_INFINITY, hi == f64::INFINITY) {
                    (true, true) => "a finite number".into(),
                    (false, true) => format!("a number >= {lo}"),
                    (true, false) => format!("a number <= {hi}"),
                    (false, false) => format!("a number from {lo} to {hi}"),
                };
                cx.error(
                    v.span(),
                    self.key_path(key),
                    DiagnosticKind::OutOfRange {
                        found: x.to_string(),
                        expected,
                    },
                );
                None
            }
            None => {
                self.wrong(cx, key, v);
                None
            }
        }
    }

    /// A number > 0.
    pub(crate) fn positive(&self, cx: &mut Cx<'_>, key: &str) -> Option<f64> {
        let x = self.number(cx, key, f64::NEG_INFINITY, f64::INFINITY)?;
        if x <= 0.0 {
            cx.error(
                self.span_of(key),
                self.key_path(key),
                DiagnosticKind::OutOfRange {
                    found: crate::units::fmt_number(x),
                    expected: "a number > 0".into(),
                },
            );
            return None;
        }
        Some(x)
    }

    pub(crate) fn probability(&self, cx: &mut Cx<'_>, key: &str) -> Option<f64> {
        let v = self.get(key)?;
        read_probability(cx, v, self.key_path(key))
    }

    pub(crate) fn boolean(&self, cx: &mut Cx<'_>, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong(cx, key, v);
                None
            }
        }
    }

    /// A quantity of `dim`, in the base unit.
    pub(crate) fn quantity(&self, cx: &mut Cx<'_>, key: &str, dim: Dimension) -> Option<f64> {
        let v = self.get(key)?;
        read_quantity(cx, v, self.key_path(key), dim)
    }

    /// A quantity that must be >= 0 (`Sign::NonNegative`) or > 0 (`Sign::Positive`).
    pub(crate) fn quantity_signed(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        dim: Dimension,
        sign: Sign,
    ) -> Option<f64> {
        let x = self.quantity(cx, key, dim)?;
        let text = self.raw_text(key);
        check_sign(
            cx,
            self.span_of(key),
            self.key_path(key),
            x,
            &text,
            sign,
            dim,
        )
    }

    /// A duration >= 0 (or > 0), in integer milliseconds.
    pub(crate) fn millis(&self, cx: &mut Cx<'_>, key: &str, sign: Sign) -> Option<i64> {
        let x = self.quantity_signed(cx, key, Dimension::Duration, sign)?;
        if x > MAX_MILLIS {
            cx.error(
                self.span_of(key),
                self.key_path(key),
                DiagnosticKind::OutOfRange {
                    found: format!("{} days", (x / 86_400_000.0).round()),
                    expected: "a duration of at most 1000 days".into(),
                },
            );
            return None;
        }
        let ms = x.round() as i64;
        if ms == 0 && sign == Sign::Positive {
            cx.error(
                self.span_of(key),
                self.key_path(key),
                DiagnosticKind::OutOfRange {
                    found: format!("\"{}\"", self.raw_text(key)),
                    expected: "a duration of at least 1 ms (times are whole milliseconds)".into(),
                },
            );
            return None;
        }
        Some(ms)
    }

    /// Each table of an array of tables, or one table given alone.
    pub(crate) fn tables(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        spec: &'static TableSpec,
    ) -> Vec<Tbl<'a, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        array_of_tables(cx, v, self.key_path(key), spec)
    }

    pub(crate) fn table(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        spec: &'static TableSpec,
    ) -> Option<Tbl<'a, 'i>> {
        let v = self.get(key)?;
        Tbl::open(cx, v, self.key_path(key), spec)
    }
}

pub(crate) fn array_of_tables<'a, 'i>(
    cx: &mut Cx<'_>,
    v: &'a Val<'i>,
    path: String,
    spec: &'static TableSpec,
) -> Vec<Tbl<'a, 'i>> {
    match v.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| Tbl::open(cx, item, format!("{path}[{i}]"), spec))
            .collect(),
        DeValue::Table(_) => {
            cx.error(
                v.span(),
                path.clone(),
                DiagnosticKind::WrongType {
                    expected: format!("an array of tables: write [[{path}]], not [{path}]"),
                    found: "a single table".into(),
                },
            );
            Vec::new()
        }
        other => {
            cx.error(
                v.span(),
                path,
                DiagnosticKind::WrongType {
                    expected: "an array of tables ([[...]])".into(),
                    found: type_name(other),
                },
            );
            Vec::new()
        }
    }
}

/// Largest count of anything (threats in a raid, units in a group).
pub(crate) const MAX_COUNT: u32 = 10_000_000;
/// Longest duration: 1000 days, in ms.
const MAX_MILLIS: f64 = 1000.0 * 86_400_000.0;
/// Largest distance anywhere: 40,000 km.
const MAX_LENGTH: f64 = 4.0e7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sign {
    NonNegative,
    Positive,
}

pub(crate) fn check_sign(
    cx: &mut Cx<'_>,
    span: Span,
    path: String,
    x: f64,
    text: &str,
    sign: Sign,
    dim: Dimension,
) -> Option<f64> {
    let bad = match sign {
        Sign::NonNegative if x < 0.0 => Some("zero or more"),
        Sign::Positive if x <= 0.0 => Some("more than zero"),
        _ => None,
    };
    if let Some(expected) = bad {
        cx.error(
            span,
            path,
            DiagnosticKind::OutOfRange {
                found: format!("\"{text}\""),
                expected: format!("a {} of {expected}", dim.name()),
            },
        );
        return None;
    }
    Some(x)
}

pub(crate) fn read_probability(cx: &mut Cx<'_>, v: &Val<'_>, path: String) -> Option<f64> {
    match number(v.get_ref()) {
        Some(p) if (0.0..=1.0).contains(&p) => Some(p),
        Some(p) => {
            cx.error(
                v.span(),
                path,
                DiagnosticKind::OutOfRange {
                    found: p.to_string(),
                    expected: "a probability from 0 to 1".into(),
                },
            );
            None
        }
        None => {
            let found = type_name(v.get_ref());
            let hint = match v.get_ref() {
                DeValue::String(s) if s.trim_end().ends_with('%') => {
                    " (write percentages as fractions: 0.7, not \"70%\")"
                }
                _ => "",
            };
            cx.error(
                v.span(),
                path,
                DiagnosticKind::WrongType {
                    expected: format!("a probability from 0 to 1{hint}"),
                    found,
                },
            );
            None
        }
    }
}

pub(crate) fn read_quantity(
    cx: &mut Cx<'_>,
    v: &Val<'_>,
    path: String,
    dim: Dimension,
) -> Option<f64> {
    let text = match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(_) | DeValue::Float(_) => {
            let found = match v.get_ref() {
                DeValue::Integer(i) => shorten(i.as_str()),
                DeValue::Float(f) => shorten(f.as_str()),
                _ => String::new(),
            };
            cx.error(
                v.span(),
                path,
                DiagnosticKind::MissingUnit {
                    found,
                    dimension: dim.name(),
                    example: dim.example(),
                    units: dim.unit_names(),
                },
            );
            return None;
        }
        other => {
            cx.error(
                v.span(),
                path,
                DiagnosticKind::WrongType {
                    expected: format!(
                        "a {} with a unit, such as \"{}\"",
                        dim.name(),
                        dim.example()
                    ),
                    found: type_name(other),
                },
            );
            return None;
        }
    };
    let kind = match parse_quantity(&text, dim) {
        Ok(x) => {
            if dim == Dimension::Length && x.abs() > MAX_LENGTH {
                cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::OutOfRange {
                        found: format!("\"{}\"", shorten(&text)),
                        expected: "a length of at most 40000 km".into(),
                    },
                );
                return None;
            }
            return Some(x);
        }
        Err(QuantityError::NoUnit(_)) => DiagnosticKind::MissingUnit {
            found: shorten(&text),
            dimension: dim.name(),
            example: dim.example(),
            units: dim.unit_names(),
        },
        Err(QuantityError::WrongUnit { unit, suggestion }) => DiagnosticKind::WrongUnit {
            found: shorten(&text),
            found_dimension: dimension_of_unit(&unit).map(Dimension::name),
            unit,
            dimension: dim.name(),
            units: dim.unit_names(),
            suggestion,
        },
        Err(QuantityError::NoNumber { suggestion, .. }) => DiagnosticKind::BadQuantity {
            found: shorten(&text),
            example: dim.example(),
            suggestion,
        },
        Err(QuantityError::NotFinite(_)) => DiagnosticKind::BadQuantity {
            found: shorten(&text),
            example: dim.example(),
            suggestion: None,
        },
    };
    cx.error(v.span(), path, kind);
    None
}

pub(crate) fn read_point(cx: &mut Cx<'_>, v: &Val<'_>, path: String) -> Option<Point> {
    match v.get_ref() {
        DeValue::Array(items) if items.len() == 2 => {
            let e = read_quantity(cx, &items[0], format!("{path}[0]"), Dimension::Length);
            let n = read_quantity(cx, &items[1], format!("{path}[1]"), Dimension::Length);
            Some(Point::new(e?, n?))
        }
        other => {
            let found = match other {
                DeValue::Array(items) => format!("an array of {} items", items.len()),
                other => type_name(other),
            };
            cx.error(
                v.span(),
                path,
                DiagnosticKind::WrongType {
                    expected: "a position [east, north], such as [\"12 km\", \"-3.5 km\"]".into(),
                    found,
                },
            );
            None
        }
    }
}

pub(crate) fn read_choice<E>(
    cx: &mut Cx<'_>,
    v: &Val<'_>,
    path: String,
    parse: fn(&str) -> Option<E>,
    names: &[&str],
) -> Option<E> {
    match v.get_ref() {
        DeValue::String(s) => {
            let parsed = parse(s);
            if parsed.is_none() {
                cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::UnknownVariant {
                        found: shorten(s),
                        expected: names.iter().map(|n| n.to_string()).collect(),
                        suggestion: suggest(s, names.iter().copied()),
                    },
                );
            }
            parsed
        }
        other => {
            cx.error(
                v.span(),
                path,
                DiagnosticKind::WrongType {
                    expected: format!("one of {}", names.join(", ")),
                    found: type_name(other),
                },
            );
            None
        }
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Gives a value (and everything inside it) a new span: used for values taken
/// from the catalogue, which should point at the `class = ...` that brought them in.
pub(crate) fn respan<'i>(v: &Val<'i>, span: &Span) -> Val<'i> {
    let inner = match v.get_ref() {
        DeValue::Array(items) => {
            let mut out = toml::de::DeArray::new();
            for item in items.iter() {
                out.push(respan(item, span));
            }
            DeValue::Array(out)
        }
        DeValue::Table(t) => {
            let mut out = DeTable::new();
            for (k, val) in t.iter() {
                out.insert(
                    Spanned::new(span.clone(), k.get_ref().clone()),
                    respan(val, span),
                );
            }
            DeValue::Table(out)
        }
        other => other.clone(),
    };
    Spanned::new(span.clone(), inner)
}

/// Keeps the names of a probability map.
pub(crate) fn to_map(entries: &[(String, Span, f64)]) -> BTreeMap<String, f64> {
    entries.iter().map(|(k, _, p)| (k.clone(), *p)).collect()
}
