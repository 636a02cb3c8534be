//! Physical quantities written with their units in scenario files.
//!
//! A quantity is a TOML string: a number, optional spaces, then a unit, such as
//! `"185 km/h"`, `"2.5 km"`, `"90 s"`, `"50 kg"`, `"4.5 M$"`. Inside Rampart every
//! quantity is held in one base unit per dimension: metres, metres per second,
//! milliseconds (as an integer: simulation time is never a float), kilograms,
//! US dollars, square metres, and events per second.

use serde::Serialize;

/// The dimension of a quantity, which decides the units that fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    Length,
    Speed,
    Duration,
    Mass,
    Money,
    Area,
    Rate,
    /// Angles convert to radians.
    Angle,
}

/// One accepted unit: its spelling and the factor to the base unit.
#[derive(Debug, Clone, Copy)]
struct Unit {
    name: &'static str,
    factor: f64,
}

const fn u(name: &'static str, factor: f64) -> Unit {
    Unit { name, factor }
}

const LENGTH: &[Unit] = &[
    u("m", 1.0),
    u("km", 1000.0),
    u("ft", 0.3048),
    u("nmi", 1852.0),
];
const SPEED: &[Unit] = &[
    u("m/s", 1.0),
    u("km/h", 1.0 / 3.6),
    u("kn", 1852.0 / 3600.0),
    u("mph", 0.44704),
];
/// Durations convert to milliseconds.
const DURATION: &[Unit] = &[
    u("ms", 1.0),
    u("s", 1000.0),
    u("min", 60_000.0),
    u("h", 3_600_000.0),
    u("d", 86_400_000.0),
];
const MASS: &[Unit] = &[
    u("g", 0.001),
    u("kg", 1.0),
    u("t", 1000.0),
    u("lb", 0.453_592_37),
];
const MONEY: &[Unit] = &[u("$", 1.0), u("k$", 1e3), u("M$", 1e6), u("B$", 1e9)];
const AREA: &[Unit] = &[u("m2", 1.0), u("m^2", 1.0), u("m²", 1.0)];
/// Rates convert to events per second.
/// Angles convert to radians.
const ANGLE: &[Unit] = &[u("deg", std::f64::consts::PI / 180.0), u("rad", 1.0)];
const RATE: &[Unit] = &[
    u("/s", 1.0),
    u("/min", 1.0 / 60.0),
    u("/h", 1.0 / 3600.0),
    u("/d", 1.0 / 86400.0),
];

/// "a length", "an angle".
pub fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

impl Dimension {
    fn units(self) -> &'static [Unit] {
        match self {
            Dimension::Length => LENGTH,
            Dimension::Speed => SPEED,
            Dimension::Duration => DURATION,
            Dimension::Mass => MASS,
            Dimension::Money => MONEY,
            Dimension::Area => AREA,
            Dimension::Rate => RATE,
            Dimension::Angle => ANGLE,
        }
    }

    /// The unit names accepted for this dimension.
    pub fn unit_names(self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.units().iter().map(|u| u.name).collect();
        if self == Dimension::Area {
            v.push("dBsm");
        }
        v
    }

    /// A human name, used in messages: "length", "speed"...
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Length => "length",
            Dimension::Speed => "speed",
            Dimension::Duration => "duration",
            Dimension::Mass => "mass",
            Dimension::Money => "cost",
            Dimension::Area => "radar cross section (area)",
            Dimension::Rate => "rate",
            Dimension::Angle => "angle",
        }
    }

    /// An example of a well-written quantity of this dimension.
    pub fn example(self) -> &'static str {
        match self {
            Dimension::Length => "2.5 km",
            Dimension::Speed => "185 km/h",
            Dimension::Duration => "90 s",
            Dimension::Mass => "50 kg",
            Dimension::Money => "4.5 M$",
            Dimension::Area => "0.1 m2",
            Dimension::Rate => "120 /h",
            Dimension::Angle => "60 deg",
        }
    }

    /// The base unit in which Rampart holds values of this dimension.
    pub fn base_unit(self) -> &'static str {
        match self {
            Dimension::Length => "m",
            Dimension::Speed => "m/s",
            Dimension::Duration => "ms",
            Dimension::Mass => "kg",
            Dimension::Money => "$",
            Dimension::Area => "m2",
            Dimension::Rate => "/s",
            Dimension::Angle => "rad",
        }
    }

    /// A regular expression that matches well-formed quantity strings of this
    /// dimension (used in the JSON Schema).
    pub fn pattern(self) -> String {
        let units: Vec<String> = self.unit_names().iter().map(|u| regex_escape(u)).collect();
        format!(
            r"^\s*[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?\s*({})\s*$",
            units.join("|")
        )
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why a quantity string could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuantityError {
    #[error("no number in `{text}`")]
    NoNumber {
        text: String,
        /// A corrected spelling, for a decimal comma or spaces inside the number.
        suggestion: Option<String>,
    },
    #[error("no unit in `{0}`")]
    NoUnit(String),
    #[error("unit `{unit}` does not fit")]
    WrongUnit {
        unit: String,
        suggestion: Option<String>,
    },
    #[error("`{0}` is not a finite number")]
    NotFinite(String),
}

/// Length of the run of digits with single underscores between them
/// (TOML's rule) at the start of `b`.
fn digits(b: &[u8]) -> usize {
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        if i + 1 < b.len() && b[i] == b'_' && b[i + 1].is_ascii_digit() {
            i += 1;
        }
    }
    i
}

/// Splits a quantity string into its number and its unit text. The number
/// follows `[+-]? (digits (. digits?)? | . digits) ([eE] [+-]? digits)?`,
/// where digits may have single underscores between them.
fn split(text: &str) -> Result<(f64, &str), QuantityError> {
    let t = text.trim();
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int = digits(&b[i..]);
    i += int;
    let mut frac = 0;
    if i < b.len() && b[i] == b'.' {
        frac = digits(&b[i + 1..]);
        if int > 0 || frac > 0 {
            i += 1 + frac;
        }
    }
    if int == 0 && frac == 0 {
        return Err(QuantityError::NoNumber {
            text: text.to_string(),
            suggestion: None,
        });
    }
    // An exponent only when followed by a digit (so "5 e" is not eaten).
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp = digits(&b[j..]);
        if exp > 0 {
            i = j + exp;
        }
    }
    let rest = &t[i..];
    // "4,5 km" (decimal comma) and "1 000 m" (grouped digits) are common slips.
    let after = rest.trim_start();
    let grouped = (after.starts_with(',') && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        || (rest.starts_with(' ') && after.starts_with(|c: char| c.is_ascii_digit()));
    if grouped {
        let tail_digits = after
            .trim_start_matches(',')
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len() - 1);
        let tail = &after.trim_start_matches(',')[..tail_digits];
        let unit = after.trim_start_matches(',')[tail_digits..].trim();
        // "4,5" is a decimal comma; "1,000" (three digits) groups thousands.
        let joiner = if after.starts_with(',') && tail.len() != 3 {
            "."
        } else {
            ""
        };
        return Err(QuantityError::NoNumber {
            text: text.to_string(),
            suggestion: Some(format!("{}{joiner}{tail} {unit}", t[..i].replace('_', ""))),
        });
    }
    let num_text: String = t[..i].chars().filter(|&c| c != '_').collect();
    let value: f64 = num_text.parse().map_err(|_| QuantityError::NoNumber {
        text: text.to_string(),
        suggestion: None,
    })?;
    if !value.is_finite() {
        return Err(QuantityError::NotFinite(text.to_string()));
    }
    Ok((value, rest.trim()))
}

/// Parses `text` as a quantity of `dim` and returns it in the base unit.
pub fn parse_quantity(text: &str, dim: Dimension) -> Result<f64, QuantityError> {
    let (value, unit) = split(text)?;
    if unit.is_empty() {
        return Err(QuantityError::NoUnit(text.to_string()));
    }
    if dim == Dimension::Area && unit == "dBsm" {
        return Ok(libm::pow(10.0, value / 10.0));
    }
    if let Some(found) = dim.units().iter().find(|u| u.name == unit) {
        let v = value * found.factor;
        return if v.is_finite() {
            Ok(v)
        } else {
            Err(QuantityError::NotFinite(text.to_string()))
        };
    }
    // A wrong unit: suggest the usual spelling of a common alias ("hours",
    // "NM") or of a case slip ("KM"). No guess by edit distance: units are
    // short, and "nm" is not "m".
    let names = dim.unit_names();
    let suggestion = alias(unit, dim)
        .or_else(|| names.iter().copied().find(|n| n.eq_ignore_ascii_case(unit)))
        .map(|n| format!("{} {n}", fmt_number(value)));
    Err(QuantityError::WrongUnit {
        unit: unit.to_string(),
        suggestion,
    })
}

/// Common spellings that are not accepted, with the unit they mean.
fn alias(unit: &str, dim: Dimension) -> Option<&'static str> {
    let u = unit.to_lowercase();
    let table: &[(&[&str], &'static str)] = match dim {
        Dimension::Duration => &[
            (&["hour", "hours", "hr", "hrs"], "h"),
            (&["minute", "minutes", "mins", "m"], "min"),
            (&["second", "seconds", "sec", "secs"], "s"),
            (&["day", "days"], "d"),
        ],
        Dimension::Length => &[
            (&["meter", "meters", "metre", "metres"], "m"),
            (
                &["kilometer", "kilometers", "kilometre", "kilometres"],
                "km",
            ),
            (&["feet", "foot"], "ft"),
            (&["nm", "nautical mile", "nautical miles"], "nmi"),
        ],
        Dimension::Speed => &[
            (&["kph", "kmh", "km/hr", "kmph"], "km/h"),
            (&["mps", "ms"], "m/s"),
            (&["knots", "kt", "kts"], "kn"),
        ],
        Dimension::Mass => &[
            (&["kgs", "kilogram", "kilograms"], "kg"),
            (&["tons", "tonnes"], "t"),
        ],
        Dimension::Money => &[
            (&["usd", "dollars", "dollar"], "$"),
            (&["k", "kusd"], "k$"),
            (&["m", "musd", "mln", "million"], "M$"),
            (&["b", "busd", "bn", "billion"], "B$"),
        ],
        Dimension::Area => &[(&["sqm", "m 2"], "m2")],
        Dimension::Rate => &[
            (&["per hour", "/hour", "/hr", "per h"], "/h"),
            (&["per minute", "/minute", "per min"], "/min"),
            (&["per second", "/second", "/sec", "per s"], "/s"),
        ],
        Dimension::Angle => &[
            (&["degree", "degrees", "°", "degs"], "deg"),
            (&["radian", "radians", "rads"], "rad"),
        ],
    };
    table
        .iter()
        .find(|(names, _)| names.contains(&u.as_str()))
        .map(|(_, canonical)| *canonical)
}

/// Formats a duration in milliseconds the way a user would write it.
pub fn fmt_duration(ms: i64) -> String {
    let (v, unit) = if ms % 3_600_000 == 0 {
        (ms as f64 / 3_600_000.0, "h")
    } else if ms % 60_000 == 0 {
        (ms as f64 / 60_000.0, "min")
    } else if ms % 1000 == 0 {
        (ms as f64 / 1000.0, "s")
    } else if ms >= 3_600_000 {
        (ms as f64 / 3_600_000.0, "h")
    } else {
        (ms as f64 / 1000.0, "s")
    };
    format!("{} {unit}", fmt_number((v * 1000.0).round() / 1000.0))
}

/// Formats a number the short way (no trailing ".0" for integers).
pub(crate) fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Which dimension a unit belongs to, for "this is a duration, not a length" messages.
pub fn dimension_of_unit(unit: &str) -> Option<Dimension> {
    use Dimension::*;
    [Length, Speed, Duration, Mass, Money, Area, Rate]
        .into_iter()
        .find(|d| d.units().iter().any(|u| u.name == unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_base_units() {
        assert_eq!(parse_quantity("2.5 km", Dimension::Length), Ok(2500.0));
        assert_eq!(parse_quantity("90 s", Dimension::Duration), Ok(90_000.0));
        assert_eq!(parse_quantity("4.5 M$", Dimension::Money), Ok(4_500_000.0));
        assert_eq!(parse_quantity("-3km", Dimension::Length), Ok(-3000.0));
        assert_eq!(parse_quantity("1_000 kg", Dimension::Mass), Ok(1000.0));
        assert_eq!(parse_quantity("1e3 m", Dimension::Length), Ok(1000.0));
        assert_eq!(
            parse_quantity("120 /h", Dimension::Rate),
            Ok(120.0 / 3600.0)
        );
        assert_eq!(parse_quantity("0 dBsm", Dimension::Area), Ok(1.0));
        let v = parse_quantity("185 km/h", Dimension::Speed).unwrap_or(0.0);
        assert!((v - 51.388_888).abs() < 1e-5);
    }

    #[test]
    fn explains_bad_units() {
        assert_eq!(
            parse_quantity("12", Dimension::Length),
            Err(QuantityError::NoUnit("12".into()))
        );
        assert_eq!(
            parse_quantity("12 KM", Dimension::Length),
            Err(QuantityError::WrongUnit {
                unit: "KM".into(),
                suggestion: Some("12 km".into())
            })
        );
        assert!(matches!(
            parse_quantity("fast", Dimension::Speed),
            Err(QuantityError::NoNumber { .. })
        ));
        let suggested = |text: &str, dim| match parse_quantity(text, dim) {
            Err(QuantityError::NoNumber { suggestion, .. })
            | Err(QuantityError::WrongUnit { suggestion, .. }) => suggestion,
            _ => None,
        };
        assert_eq!(
            suggested("4,5 km", Dimension::Length),
            Some("4.5 km".into())
        );
        assert_eq!(
            suggested("1 000 m", Dimension::Length),
            Some("1000 m".into())
        );
        assert_eq!(suggested("60 nm", Dimension::Length), Some("60 nmi".into()));
        assert_eq!(suggested("60 NM", Dimension::Length), Some("60 nmi".into()));
        assert_eq!(suggested("60 mi", Dimension::Length), None);
        assert_eq!(suggested("0 dbsm", Dimension::Area), Some("0 dBsm".into()));
        assert!(parse_quantity("_6__0_ km", Dimension::Length).is_err());
        assert!(parse_quantity("6__0 km", Dimension::Length).is_err());
        assert_eq!(parse_quantity("6_0 km", Dimension::Length), Ok(60_000.0));
        assert_eq!(parse_quantity(".5 km", Dimension::Length), Ok(500.0));
        assert!(matches!(
            parse_quantity("1e999 m", Dimension::Length),
            Err(QuantityError::NotFinite(_))
        ));
        assert_eq!(dimension_of_unit("s"), Some(Dimension::Duration));
        assert_eq!(
            parse_quantity("4 hours", Dimension::Duration),
            Err(QuantityError::WrongUnit {
                unit: "hours".into(),
                suggestion: Some("4 h".into())
            })
        );
        assert_eq!(
            parse_quantity("2 M", Dimension::Money),
            Err(QuantityError::WrongUnit {
                unit: "M".into(),
                suggestion: Some("2 M$".into())
            })
        );
        assert_eq!(fmt_duration(14_400_000), "4 h");
        assert_eq!(fmt_duration(90_000), "90 s");
        assert_eq!(fmt_duration(5_400_000), "90 min");
    }
}
