//! Diagnostics: what is wrong, where, what was expected, and a hint.

use std::fmt;
use std::ops::Range;

/// Where a problem is in the source text: a byte span, and the 1-based
/// line and column (in characters) of its start.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// How serious a diagnostic is. Errors make a scenario invalid; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    /// The field path, such as `effector[3].magazine`; empty for the whole file.
    pub path: String,
    pub kind: DiagnosticKind,
}

/// What went wrong, with structured fields.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum DiagnosticKind {
    #[error("TOML syntax error: {message}")]
    Syntax { message: String },
    #[error("the file is not valid UTF-8 text (invalid byte 0x{byte:02x})")]
    NotUtf8 { byte: u8 },
    #[error("the file is {size} bytes; scenario files are limited to {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is empty")]
    Empty,
    #[error("unknown key `{key}`")]
    UnknownKey {
        key: String,
        expected: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("missing required key `{key}`")]
    MissingKey { key: String, hint: Option<String> },
    #[error("expected {expected}, found {found}")]
    WrongType { expected: String, found: String },
    #[error("`{found}` has no unit; expected {} such as \"{example}\"", crate::units::with_article(.dimension))]
    MissingUnit {
        found: String,
        dimension: &'static str,
        example: &'static str,
        units: Vec<&'static str>,
    },
    #[error("`{found}` is not {}: {}", crate::units::with_article(.dimension), unit_problem(.unit, .units, *.found_dimension))]
    WrongUnit {
        found: String,
        unit: String,
        dimension: &'static str,
        units: Vec<&'static str>,
        suggestion: Option<String>,
        /// The dimension the unit does belong to, if any ("s" is a duration).
        found_dimension: Option<&'static str>,
    },
    #[error("`{found}` is not a quantity; expected a number then a unit, such as \"{example}\"")]
    BadQuantity {
        found: String,
        example: &'static str,
        suggestion: Option<String>,
    },
    #[error("unknown value `{found}`; expected one of {}", expected.join(", "))]
    UnknownVariant {
        found: String,
        expected: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("{found} is out of range; expected {expected}")]
    OutOfRange { found: String, expected: String },
    #[error("unknown {what} `{id}`")]
    DanglingId {
        what: &'static str,
        id: String,
        suggestion: Option<String>,
        /// What the file does define (at most a dozen), when nothing is close.
        known: Vec<String>,
    },
    #[error("invalid id \"{id}\"; expected letters, digits, '-', '_' and '.' only")]
    BadId { id: String },
    #[error("duplicate {what} id `{id}` (first defined at line {first_line})")]
    DuplicateId {
        what: &'static str,
        id: String,
        first_line: usize,
    },
    #[error("`{key}` does not apply to {subject}")]
    NotApplicable { key: String, subject: String },
    #[error("give only one of {}", keys.join(", "))]
    ExclusiveKeys { keys: Vec<String> },
    #[error("give exactly one of {}", keys.join(", "))]
    NeedOneOf { keys: Vec<String> },
    #[error("{low} ({low_value}) is above {high} ({high_value}); expected {low} <= {high}")]
    OutOfOrder {
        low: String,
        high: String,
        low_value: String,
        high_value: String,
    },
    #[error("`{key}` is empty; expected at least one {item}")]
    EmptyList { key: String, item: &'static str },
    #[error("`{key}` has {found} position(s); expected at least {least}")]
    TooFewPoints {
        key: String,
        found: usize,
        least: usize,
    },
    #[error("count = {count} but {listed} positions are listed; expected one position per unit")]
    CountMismatch { count: u32, listed: usize },
    #[error("{role} `{id}` can {verb} none of the threats the raids launch: {}", launched.join("; "))]
    UselessEffector {
        role: &'static str,
        verb: &'static str,
        id: String,
        launched: Vec<String>,
    },
    #[error("raid `{raid}` targets {}, and the scenario has none", targets(.kinds))]
    NoTarget {
        raid: String,
        /// The asset kinds the raid targets; empty when it targets any asset.
        kinds: Vec<String>,
        present: Vec<String>,
    },
    #[error("raid `{raid}` targets {} in city `{city}`, and it has none", targets(.kinds))]
    NoCityTarget {
        raid: String,
        city: String,
        kinds: Vec<String>,
        /// The kinds of the city's assets.
        present: Vec<String>,
    },
    #[error(
        "raid `{id}` is named twice in [hindcast] (first at `{first}`); a raid carries one column, once"
    )]
    HindcastTwice { id: String, first: String },
    #[error(
        "raid `{id}` is a [hindcast] baseline but carries no column; name it in drones, decoys, missiles or ballistic too"
    )]
    BaselineWithoutColumn { id: String },
    #[error("kind \"{kind}\" conflicts with class `{class}`, which is {} {class_kind}", article(.class_kind))]
    KindConflict {
        kind: String,
        class: String,
        class_kind: String,
    },
    #[error("id `{id}` is also the name of {meaning}; choose another id")]
    ReservedId { id: String, meaning: String },
    #[error("{message}")]
    BadSetting { message: String },
    #[error("cannot use the night scenario `{path}`: {problem}")]
    BadScenario { path: String, problem: String },
    #[error("the scenario has no assets to protect")]
    NoAssets,
    #[error("no sensors: no threat will ever be tracked or engaged (jammers still act)")]
    NoSensors,
    #[error("a decoy with a warhead: decoys do no damage, so the warhead is ignored")]
    DecoyWarhead,
}

pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn targets(kinds: &[String]) -> String {
    if kinds.is_empty() {
        "any asset".into()
    } else {
        format!("assets of kind {}", kinds.join(", "))
    }
}

fn unit_problem(unit: &str, units: &[&str], found_dimension: Option<&str>) -> String {
    match found_dimension {
        Some(d) => format!(
            "`{unit}` is a unit of {d}; expected one of {}",
            units.join(", ")
        ),
        None => format!("unit `{unit}` is not one of {}", units.join(", ")),
    }
}

impl DiagnosticKind {
    /// A short hint for the user, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            DiagnosticKind::UnknownKey {
                suggestion: Some(s),
                ..
            }
            | DiagnosticKind::UnknownVariant {
                suggestion: Some(s),
                ..
            }
            | DiagnosticKind::DanglingId {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            DiagnosticKind::WrongUnit {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean \"{s}\"?")),
            DiagnosticKind::UnknownKey {
                expected,
                suggestion: None,
                ..
            } => Some(format!("expected one of: {}", expected.join(", "))),
            DiagnosticKind::DanglingId {
                suggestion: None,
                known,
                what,
                ..
            } => Some(if known.is_empty() {
                format!("no {what} is defined")
            } else {
                format!("known: {}", known.join(", "))
            }),
            DiagnosticKind::MissingUnit { units, .. } => {
                Some(format!("units that fit: {}", units.join(", ")))
            }
            DiagnosticKind::MissingKey { hint, .. } => hint.clone(),
            DiagnosticKind::BadQuantity {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean \"{s}\"?")),
            DiagnosticKind::UselessEffector { verb: "catch", .. } => Some(
                "an interceptor drone catches only threats slower than its interceptor_speed"
                    .into(),
            ),
            DiagnosticKind::UselessEffector { verb: "engage", .. } => {
                Some("check engages and pk against the threat kinds and ids the raids use".into())
            }
            DiagnosticKind::UselessEffector { .. } => {
                Some("only GNSS-guided threats named in p_defeat can be jammed".into())
            }
            DiagnosticKind::NoCityTarget { city, present, .. } => {
                Some(format!("asset kinds in {city}: {}", present.join(", ")))
            }
            DiagnosticKind::NoTarget { present, .. } => Some(if present.is_empty() {
                "the scenario has no assets".into()
            } else {
                format!("asset kinds present: {}", present.join(", "))
            }),
            DiagnosticKind::KindConflict { .. } => {
                Some("drop `kind` (the class sets it) or pick a class of that kind".into())
            }
            DiagnosticKind::NoAssets => Some("add at least one [[asset]]".into()),
            DiagnosticKind::NoSensors => {
                Some("add a [[sensor]] of type radar, acoustic or visual".into())
            }
            DiagnosticKind::DecoyWarhead => {
                Some("set warhead = \"0 kg\", or decoy = false for an armed drone".into())
            }
            _ => None,
        }
    }
}

impl Diagnostic {
    /// Renders the diagnostic as `file:line:col: error: path: message`,
    /// followed by an indented hint line when there is one.
    pub fn render(&self, file: &str) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{file}:{}:{}: {sev}: ",
            self.location.line, self.location.column
        );
        if !self.path.is_empty() {
            out.push_str(&self.path);
            out.push_str(": ");
        }
        out.push_str(&self.kind.to_string());
        if let Some(h) = self.kind.hint() {
            out.push_str("\n    help: ");
            out.push_str(&h);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("<scenario>"))
    }
}

/// Maps byte offsets to 1-based line and column numbers.
#[derive(Debug)]
pub(crate) struct LineIndex<'s> {
    src: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, starts }
    }

    pub(crate) fn locate(&self, span: Range<usize>) -> Location {
        let off = span.start.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= off);
        let start = self.starts[line - 1];
        let mut end = off;
        while !self.src.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.src[start..end].chars().count() + 1;
        Location { line, column, span }
    }
}

/// Damerau-Levenshtein (optimal string alignment) distance, for "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, slot) in d.iter_mut().enumerate().take(w) {
        *slot = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a plausible typo.
pub fn suggest<'c, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'c str>,
{
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    let mut seen: Vec<&str> = Vec::new();
    for c in candidates {
        seen.push(c);
        let d = edit_distance(&lower, &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(1);
    if let Some((d, c)) = best
        && d <= limit
    {
        return Some(c.to_string());
    }
    // A prefix of a longer name ("gepard" for "gepard-type"), when only one fits.
    let mut prefixed = candidates_prefixed(&lower, seen);
    prefixed.dedup();
    match prefixed.as_slice() {
        [one] if lower.chars().count() >= 3 => Some(one.clone()),
        _ => None,
    }
}

fn candidates_prefixed(lower: &str, seen: Vec<&str>) -> Vec<String> {
    let mut out: Vec<String> = seen
        .into_iter()
        .filter(|c| {
            let c = c.to_lowercase();
            c.starts_with(lower) || lower.starts_with(&c)
        })
        .map(String::from)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("magazine", "magazine"), 0);
        assert_eq!(edit_distance("magazin", "magazine"), 1);
        assert_eq!(edit_distance("mgaazine", "magazine"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let keys = ["magazine", "max_range", "min_range"];
        assert_eq!(suggest("magzine", keys), Some("magazine".into()));
        assert_eq!(suggest("maxrange", keys), Some("max_range".into()));
        assert_eq!(suggest("colour", keys), None);
        assert_eq!(
            suggest("gepard", ["gepard-type", "patriot-type"]),
            Some("gepard-type".into())
        );
        assert_eq!(suggest("ma", keys), None);
    }

    #[test]
    fn columns_count_characters() {
        let idx = LineIndex::new("a = 1\nbé = \"x\"\n");
        let loc = idx.locate(10..11);
        assert_eq!((loc.line, loc.column), (2, 4));
    }
}
