//! Overrides: change one numeric field (or choice) of a scenario by its path, as studies
//! do ("the same night with 40 interceptor-drone teams").
//!
//! A path names a field the way the file is organised: a table key, then for
//! an array of tables the `id` of one element (or its index), then keys down
//! to a number: `raid.drones-north.count`, `effector.lr-sam.magazine`,
//! `doctrine.cost_rule.max_ratio`, `effector.jammers.p_defeat.owa-drone`,
//! `doctrine.fire.0.shots`. A quantity takes the unit of the value it
//! replaces when given as a bare number (`sensor.radar-city.range=80` keeps
//! `km`), or its own (`"80 km"`).
//!
//! ```
//! use rampart_model::overrides::{Override, apply};
//! let text = "[scenario]\nname = \"t\"\nduration = \"2 h\"\n[[asset]]\nid = \"a\"\nkind = \"power\"\nposition = [\"0 km\", \"0 km\"]\n[[raid]]\nid = \"w\"\nthreat = \"shahed-type\"\ncount = 10\nfrom = [\"s\"]\nend = \"1 h\"\n[[launch_site]]\nid = \"s\"\nposition = [\"90 km\", \"0 km\"]\n";
//! let changed = apply(text, &[Override::parse("raid.w.count=25").unwrap()]).unwrap();
//! let s = rampart_model::parse_scenario(&changed).unwrap();
//! assert_eq!(s.raids[0].count, 25);
//! let err = apply(text, &[Override::parse("raid.w.cuont=25").unwrap()]).unwrap_err();
//! assert!(err.to_string().contains("did you mean `count`"));
//! ```

use crate::diag::suggest;
use crate::spec::{KeySpec, ROOT, TableSpec, Ty, describe};
use crate::units::{Dimension, parse_quantity};

/// One `PATH=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

impl Override {
    /// Reads `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Override, OverrideError> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(OverrideError::Syntax {
                text: text.to_string(),
            });
        };
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(OverrideError::Syntax {
                text: text.to_string(),
            });
        }
        Ok(Override {
            path: path.to_string(),
            value: value.to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// Why an override cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    #[error("`{text}`: expected PATH=VALUE, such as raid.drones.count=200")]
    Syntax { text: String },
    #[error("the scenario is not valid TOML: {message}")]
    NotToml { message: String },
    #[error(
        "`{path}`: no key `{segment}` here{}; expected one of: {expected}",
        hint(suggestion)
    )]
    UnknownKey {
        path: String,
        segment: String,
        expected: String,
        suggestion: Option<String>,
    },
    #[error(
        "`{path}`: no {table} with id `{segment}`{}; the file has: {expected}",
        hint(suggestion)
    )]
    UnknownId {
        path: String,
        table: String,
        segment: String,
        expected: String,
        suggestion: Option<String>,
    },
    #[error("`{path}`: `{segment}` is {what}; the path must go on to a number inside it")]
    Incomplete {
        path: String,
        segment: String,
        what: String,
    },
    #[error("`{path}`: the path goes on past `{segment}`, which is {what}")]
    TooLong {
        path: String,
        segment: String,
        what: String,
    },
    #[error("`{path}` is {what}, not a number: only numeric fields and choices can be overridden")]
    NotNumeric { path: String, what: String },
    #[error("`{path}`: `{value}` is not {expected}")]
    BadValue {
        path: String,
        value: String,
        expected: String,
    },
}

fn hint(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// Applies `overrides` in order to the scenario `text`; returns the new text
/// (TOML, comments dropped) to be read with [`crate::parse_scenario`], which
/// checks the values like any other.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, OverrideError> {
    apply_in(&ROOT, text, overrides)
}

/// [`apply`] for a file of another format, described by `root` (a campaign
/// file, say).
pub fn apply_in(
    root: &'static TableSpec,
    text: &str,
    overrides: &[Override],
) -> Result<String, OverrideError> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    rewrite(root, text, overrides, None)
}

/// `text` with `overrides` applied in order and the top-level key `drop`
/// removed, written back as TOML (comments dropped).
fn rewrite(
    root: &'static TableSpec,
    text: &str,
    overrides: &[Override],
    drop: Option<&str>,
) -> Result<String, OverrideError> {
    let mut doc = parse_doc(text)?;
    for o in overrides {
        apply_one(root, &mut doc, o)?;
    }
    if let Some(key) = drop {
        doc.remove(key);
    }
    toml::to_string(&doc).map_err(|e| OverrideError::NotToml {
        message: e.to_string(),
    })
}

/// The scenario `text` of a variant: `overrides` applied, and the file's own
/// `[[variant]]` tables dropped (a variant has no variants).
pub fn variant_text(text: &str, overrides: &[Override]) -> Result<String, OverrideError> {
    rewrite(&ROOT, text, overrides, Some("variant"))
}

/// `(path, value)` pairs (a `[[variant]]`'s `set`) as overrides.
pub fn list(set: &[(String, String)]) -> Vec<Override> {
    set.iter()
        .map(|(path, value)| Override {
            path: path.clone(),
            value: value.clone(),
        })
        .collect()
}

/// Checks that `path` names a numeric field of `text` (the value is not read).
pub fn check_path(text: &str, path: &str) -> Result<(), OverrideError> {
    check_path_in(&ROOT, text, path)
}

/// [`check_path`] for a file of another format, described by `root`.
pub fn check_path_in(
    root: &'static TableSpec,
    text: &str,
    path: &str,
) -> Result<(), OverrideError> {
    let mut doc = parse_doc(text)?;
    let o = Override {
        path: path.to_string(),
        value: String::new(),
    };
    resolve(root, &mut doc, &o).map(|_| ())
}

/// What a path names: whether the field takes integers, and its value in
/// the file (for a quantity, the number in the file's unit), if present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub integer: bool,
    pub value: Option<f64>,
}

/// Looks up the numeric field `path` of `text`.
pub fn field(text: &str, path: &str) -> Result<Field, OverrideError> {
    let mut doc = parse_doc(text)?;
    let o = Override {
        path: path.to_string(),
        value: String::new(),
    };
    let (table, key, ty) = resolve(&ROOT, &mut doc, &o)?;
    if let Ty2::Enum(_) = ty {
        return Err(OverrideError::NotNumeric {
            path: path.to_string(),
            what: "a choice".into(),
        });
    }
    let value = table.get(&key).and_then(|v| match v {
        toml::Value::Integer(n) => Some(*n as f64),
        toml::Value::Float(x) => Some(*x),
        toml::Value::String(s) => {
            let number: String = s
                .trim()
                .chars()
                .take_while(|c| {
                    c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_')
                })
                .filter(|&c| c != '_')
                .collect();
            // "5 m" reads as "5"; "2e3 m" as "2e3"; a trailing "e" is the unit's.
            number
                .parse()
                .ok()
                .or_else(|| number.trim_end_matches(['e', 'E']).parse().ok())
        }
        _ => None,
    });
    Ok(Field {
        integer: matches!(ty, Ty2::Int),
        value,
    })
}

/// The scenario text as a TOML tree (a byte-order mark is ignored).
fn parse_doc(text: &str) -> Result<toml::Table, OverrideError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.parse()
        .map_err(|e: toml::de::Error| OverrideError::NotToml {
            message: e.message().to_string(),
        })
}

/// The table under `key`, created when the file does not have it.
fn sub_table<'t>(
    table: &'t mut toml::Table,
    key: &str,
    path: &str,
) -> Result<&'t mut toml::Table, OverrideError> {
    match table
        .entry(key.to_string())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
    {
        toml::Value::Table(t) => Ok(t),
        _ => Err(OverrideError::NotNumeric {
            path: path.to_string(),
            what: "not a table in the file".into(),
        }),
    }
}

fn key_names(t: &TableSpec) -> String {
    t.keys.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

fn find_key<'t>(t: &'t TableSpec, segment: &str, path: &str) -> Result<&'t KeySpec, OverrideError> {
    t.keys
        .iter()
        .find(|k| k.name == segment)
        .ok_or_else(|| OverrideError::UnknownKey {
            path: path.to_string(),
            segment: segment.to_string(),
            expected: key_names(t),
            suggestion: suggest(segment, t.keys.iter().map(|k| k.name)),
        })
}

/// Walks `path` through `doc`, creating the last tables when they are
/// missing, and returns the slot of the value with its type.
fn resolve<'d>(
    root: &'static TableSpec,
    doc: &'d mut toml::Table,
    o: &Override,
) -> Result<(&'d mut toml::Table, String, Ty2), OverrideError> {
    let path = o.path.as_str();
    let segments: Vec<&str> = path.split('.').collect();
    let mut table: &mut toml::Table = doc;
    let mut spec: &TableSpec = root;
    let mut k = 0;
    loop {
        let Some(&segment) = segments.get(k) else {
            return Err(OverrideError::Incomplete {
                path: path.to_string(),
                segment: path.to_string(),
                what: "not a field".into(),
            });
        };
        let key = find_key(spec, segment, path)?;
        let last = k + 1 == segments.len();
        match &key.ty {
            // A target given as a table (`{ cities = { ... } }`) is walked as one.
            Ty::Target if !last && matches!(table.get(segment), Some(toml::Value::Table(_))) => {
                table = sub_table(table, segment, path)?;
                spec = &crate::spec::TARGET;
                k += 1;
            }
            Ty::Weights => {
                let Some(&name) = segments.get(k + 1) else {
                    return Err(OverrideError::Incomplete {
                        path: path.to_string(),
                        segment: segment.to_string(),
                        what: "a table of weights (name one)".into(),
                    });
                };
                if k + 2 < segments.len() {
                    return Err(OverrideError::TooLong {
                        path: path.to_string(),
                        segment: name.to_string(),
                        what: "a weight".into(),
                    });
                }
                let t = sub_table(table, segment, path)?;
                return Ok((t, name.to_string(), Ty2::Number));
            }
            Ty::Table(sub) => {
                if last {
                    return Err(OverrideError::Incomplete {
                        path: path.to_string(),
                        segment: segment.to_string(),
                        what: "a table".into(),
                    });
                }
                let t = sub_table(table, segment, path)?;
                table = t;
                spec = sub;
                k += 1;
            }
            Ty::ArrayOfTables(sub) => {
                let Some(&id) = segments.get(k + 1) else {
                    return Err(OverrideError::Incomplete {
                        path: path.to_string(),
                        segment: segment.to_string(),
                        what: "an array of tables (name an element by its id)".into(),
                    });
                };
                let Some(toml::Value::Array(items)) = table.get_mut(segment) else {
                    return Err(OverrideError::UnknownId {
                        path: path.to_string(),
                        table: segment.to_string(),
                        segment: id.to_string(),
                        expected: "none".into(),
                        suggestion: None,
                    });
                };
                let ids: Vec<String> = items
                    .iter()
                    .map(|v| {
                        v.get("id")
                            .and_then(|i| i.as_str())
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect();
                let index = ids
                    .iter()
                    .position(|i| !i.is_empty() && i == id)
                    .or_else(|| id.parse::<usize>().ok().filter(|&n| n < items.len()));
                let Some(index) = index else {
                    let named: Vec<&str> = ids
                        .iter()
                        .map(String::as_str)
                        .filter(|i| !i.is_empty())
                        .collect();
                    let expected = if named.is_empty() {
                        format!("indices 0 to {}", items.len().saturating_sub(1))
                    } else {
                        named.join(", ")
                    };
                    return Err(OverrideError::UnknownId {
                        path: path.to_string(),
                        table: segment.to_string(),
                        segment: id.to_string(),
                        suggestion: suggest(id, named.iter().copied()),
                        expected,
                    });
                };
                if k + 2 >= segments.len() {
                    return Err(OverrideError::Incomplete {
                        path: path.to_string(),
                        segment: id.to_string(),
                        what: format!("a {segment}"),
                    });
                }
                let Some(toml::Value::Table(t)) = items.get_mut(index) else {
                    return Err(OverrideError::NotNumeric {
                        path: path.to_string(),
                        what: "not a table in the file".into(),
                    });
                };
                table = t;
                spec = sub;
                k += 2;
            }
            Ty::ProbabilityMap => {
                let Some(&name) = segments.get(k + 1) else {
                    return Err(OverrideError::Incomplete {
                        path: path.to_string(),
                        segment: segment.to_string(),
                        what: "a table of probabilities (name a threat kind or class)".into(),
                    });
                };
                if k + 2 < segments.len() {
                    return Err(OverrideError::TooLong {
                        path: path.to_string(),
                        segment: name.to_string(),
                        what: "a probability".into(),
                    });
                }
                let t = sub_table(table, segment, path)?;
                return Ok((t, name.to_string(), Ty2::Probability));
            }
            ty => {
                if !last {
                    return Err(OverrideError::TooLong {
                        path: path.to_string(),
                        segment: segment.to_string(),
                        what: describe(ty),
                    });
                }
                let leaf = match ty {
                    Ty::Int { .. } => Ty2::Int,
                    Ty::Number => Ty2::Number,
                    Ty::Probability => Ty2::Probability,
                    Ty::Quantity(d) => Ty2::Quantity(*d),
                    Ty::Enum(names) => Ty2::Enum(names),
                    other => {
                        return Err(OverrideError::NotNumeric {
                            path: path.to_string(),
                            what: describe(other),
                        });
                    }
                };
                return Ok((table, segment.to_string(), leaf));
            }
        }
    }
}

/// The numeric type at the end of a path.
#[derive(Debug, Clone, Copy)]
enum Ty2 {
    Int,
    Number,
    Probability,
    Quantity(Dimension),
    /// A choice among names, such as `doctrine.policy`.
    Enum(&'static [&'static str]),
}

fn apply_one(
    root: &'static TableSpec,
    doc: &mut toml::Table,
    o: &Override,
) -> Result<(), OverrideError> {
    let (table, key, ty) = resolve(root, doc, o)?;
    let bad = |expected: String| OverrideError::BadValue {
        path: o.path.clone(),
        value: o.value.clone(),
        expected,
    };
    let v = o.value.trim().trim_matches('"');
    let new = match ty {
        Ty2::Int => {
            let n: i64 = v.parse().map_err(|_| bad("an integer".into()))?;
            toml::Value::Integer(n)
        }
        Ty2::Number | Ty2::Probability => {
            let x: f64 = v.parse().map_err(|_| bad("a number".into()))?;
            if !x.is_finite() {
                return Err(bad("a finite number".into()));
            }
            toml::Value::Float(x)
        }
        Ty2::Enum(names) => {
            if !names.contains(&v) {
                let mut expected = describe(&Ty::Enum(names));
                if let Some(s) = suggest(v, names.iter().copied()) {
                    expected.push_str(&format!(" (did you mean `{s}`?)"));
                }
                return Err(bad(expected));
            }
            toml::Value::String(v.to_string())
        }
        Ty2::Quantity(d) => {
            let text = if v.parse::<f64>().is_ok() {
                // A bare number takes the unit of the value it replaces.
                let unit = table
                    .get(&key)
                    .and_then(|old| old.as_str())
                    .map(|old| {
                        old.trim_start_matches(|c: char| {
                            c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_')
                        })
                    })
                    .map(str::trim)
                    .filter(|u| !u.is_empty());
                match unit {
                    Some(u) => format!("{v} {u}"),
                    None => {
                        return Err(bad(format!(
                            "{} (the field is not in the file, so give a unit)",
                            describe(&Ty::Quantity(d))
                        )));
                    }
                }
            } else {
                v.to_string()
            };
            parse_quantity(&text, d).map_err(|_| bad(describe(&Ty::Quantity(d))))?;
            toml::Value::String(text)
        }
    };
    table.insert(key, new);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[scenario]
name = "t"
duration = "2 h"
[[asset]]
id = "a"
kind = "power"
position = ["0 km", "0 km"]
[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "0 km"]
range = "80 km"
p_detect = 0.9
[[effector]]
id = "guns"
class = "mobile-fire-group"
position = ["1 km", "0 km"]
[[launch_site]]
id = "s"
position = ["90 km", "0 km"]
[[raid]]
id = "w"
threat = "shahed-type"
count = 10
from = ["s"]
end = "30 min"
"#;

    fn check(o: &str) -> String {
        match apply(TEXT, &[Override::parse(o).expect("syntax")]) {
            Ok(text) => match crate::parse_scenario(&text) {
                Ok(_) => "ok".into(),
                Err(e) => format!("invalid: {}", e.diagnostics[0].kind),
            },
            Err(e) => e.to_string(),
        }
    }

    /// A target table is walked like any table; a city's weight is a number.
    #[test]
    fn city_weights_by_path() {
        let text = TEXT
            .replace("kind = \"power\"\n", "kind = \"power\"\ncity = \"c\"\n")
            .replace(
                "end = \"30 min\"\n",
                "end = \"30 min\"\ntarget = { cities = { c = 1 } }\n",
            );
        let changed = apply(
            &text,
            &[Override::parse("raid.w.target.cities.c=4").expect("syntax")],
        )
        .expect("applies");
        let s = crate::parse_scenario(&changed).expect("valid");
        assert_eq!(
            s.raids[0].target,
            crate::TargetSelection::Cities {
                cities: vec![("c".into(), 4.0)],
                kinds: vec![]
            }
        );
        let err = apply(
            &text,
            &[Override::parse("raid.w.target.cities=4").expect("syntax")],
        )
        .expect_err("a table of weights");
        assert!(err.to_string().contains("weights"), "{err}");
    }

    /// Regression: an override re-wrote the file with every table's keys
    /// sorted, so that `cities = { z = 2, c = 1 }` came back as `c, z` and
    /// the engine drew targets in another order: a hindcast calibrated at
    /// the file's own value differed from the file. Keys keep their order.
    #[test]
    fn an_override_keeps_the_order_of_every_other_key() {
        let text = TEXT
            .replace("kind = \"power\"\n", "kind = \"power\"\ncity = \"c\"\n")
            .replace(
                "[[sensor]]\n",
                "[[asset]]\nid = \"b\"\nkind = \"water\"\ncity = \"z\"\nposition = [\"1 km\", \"0 km\"]\n[[sensor]]\n",
            )
            .replace(
                "end = \"30 min\"\n",
                "end = \"30 min\"\ntarget = { cities = { z = 2, c = 1 } }\n",
            );
        let before = crate::parse_scenario(&text).expect("valid");
        let changed = apply(
            &text,
            &[Override::parse("raid.w.count=25").expect("syntax")],
        )
        .expect("applies");
        let after = crate::parse_scenario(&changed).expect("valid");
        assert_eq!(after.raids[0].count, 25);
        assert_eq!(after.raids[0].target, before.raids[0].target);
        let crate::TargetSelection::Cities { cities, .. } = &after.raids[0].target else {
            panic!("{:?}", after.raids[0].target)
        };
        assert_eq!(cities[0].0, "z");
    }

    #[test]
    fn paths_and_values() {
        assert_eq!(check("raid.w.count=25"), "ok");
        assert_eq!(check("raid.0.count=25"), "ok");
        assert_eq!(check("sensor.radar.range=60"), "ok");
        assert_eq!(check("sensor.radar.range=60 km"), "ok");
        assert_eq!(check("effector.guns.magazine=60"), "ok");
        assert_eq!(check("doctrine.default_shots=3"), "ok");
        assert_eq!(check("doctrine.policy=nearest"), "ok");
        assert_eq!(
            check("doctrine.policy=neares"),
            "`doctrine.policy`: `neares` is not one of nearest, greedy, optimal (did you mean `nearest`?)"
        );
        assert_eq!(
            check("doctrine.cost_rule.max_ratio=2"),
            "invalid: missing required key `value_unit`"
        );
        assert_eq!(check("effector.guns.pk.owa-drone=0.4"), "ok");
        assert_eq!(
            check("raid.w.cuont=25"),
            "`raid.w.cuont`: no key `cuont` here (did you mean `count`?); expected one of: id, threat, count, from, start, end, arrival, rate, route, target, altitudes, dive"
        );
        assert_eq!(
            check("raid.ww.count=25"),
            "`raid.ww.count`: no raid with id `ww` (did you mean `w`?); the file has: w"
        );
        assert_eq!(
            check("raid.w.threat=3"),
            "`raid.w.threat` is a string, not a number: only numeric fields and choices can be overridden"
        );
        assert_eq!(
            check("effector.guns.reload_time=5"),
            "`effector.guns.reload_time`: `5` is not a duration with a unit, such as \"90 s\" (the field is not in the file, so give a unit)"
        );
        assert_eq!(
            check("raid.w.count=x"),
            "`raid.w.count`: `x` is not an integer"
        );
        assert!(check("raid.w.count=0").starts_with("invalid"));
        assert!(
            check("raid.w=3").contains("must go on"),
            "{}",
            check("raid.w=3")
        );
        assert_eq!(
            field(TEXT, "raid.w.count"),
            Ok(Field {
                integer: true,
                value: Some(10.0)
            })
        );
        assert_eq!(
            field(TEXT, "sensor.radar.range"),
            Ok(Field {
                integer: false,
                value: Some(80.0)
            })
        );
    }
}
