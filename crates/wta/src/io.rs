//! Reading instances: the plain-text format of the public benchmark
//! (Andersen, Pavlikov and Toffolo 2022) and a JSON format.

use serde::{Deserialize, Serialize};

use crate::problem::{Firing, Problem, ProblemError, Target, WeaponType};

/// Why an instance file could not be read; every variant says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("line {line}: expected {expected}, found {found}")]
    Syntax {
        line: usize,
        expected: &'static str,
        found: String,
    },
    #[error("line {line}: the file ends early: expected {expected}")]
    Truncated { line: usize, expected: String },
    #[error("line {line}: {what} {value} is out of range; expected {expected}")]
    Range {
        line: usize,
        what: &'static str,
        value: String,
        expected: String,
    },
    #[error(
        "line {line}: probability of weapon type {weapon} against target {target} is given twice"
    )]
    Duplicate {
        line: usize,
        weapon: usize,
        target: usize,
    },
    #[error("line {line}: unexpected content after the last probability: {found}")]
    Trailing { line: usize, found: String },
    #[error("JSON instance: {message} (line {line}, column {column})")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("invalid instance")]
    Problem(#[from] ProblemError),
    #[error("{copies} weapon copies in all; at most {limit} are accepted")]
    TooManyCopies { copies: u64, limit: u64 },
}

/// Largest instance dimension accepted from a file (weapon types, targets, copies).
const MAX_DIM: u64 = 1_000_000;
/// Largest number of (type, target) pairs accepted from a file.
const MAX_PAIRS: u64 = 50_000_000;
/// Most weapon copies in all accepted from a file.
pub const MAX_COPIES: u64 = 1_000_000;

fn check_copies(p: &Problem) -> Result<(), ReadError> {
    let copies = p.total_weapons();
    if copies > MAX_COPIES {
        return Err(ReadError::TooManyCopies {
            copies,
            limit: MAX_COPIES,
        });
    }
    Ok(())
}

/// Reads the benchmark's text format:
/// `m n mu`, then `n` target values, then `m*n` lines `i j p_ij`.
/// Comments after `#` are ignored.
pub fn read_text(text: &str) -> Result<Problem, ReadError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty());
    let last_line = text.lines().count().max(1);
    let (line, header) = lines.next().ok_or(ReadError::Truncated {
        line: 1,
        expected: "a header line `m n mu`".into(),
    })?;
    let fields: Vec<&str> = header.split_whitespace().collect();
    if fields.len() != 3 {
        return Err(ReadError::Syntax {
            line,
            expected: "a header `m n mu` (three integers)",
            found: format!("{} fields", fields.len()),
        });
    }
    let int = |s: &str, what: &'static str, min: u64| -> Result<u64, ReadError> {
        let v: u64 = s.parse().map_err(|_| ReadError::Syntax {
            line,
            expected: "an integer",
            found: format!("`{s}` for {what}"),
        })?;
        if v < min || v > MAX_DIM {
            return Err(ReadError::Range {
                line,
                what,
                value: v.to_string(),
                expected: format!("{min} to {MAX_DIM}"),
            });
        }
        Ok(v)
    };
    let m = int(fields[0], "m (weapon types)", 1)?;
    let n = int(fields[1], "n (targets)", 1)?;
    let mu = int(fields[2], "mu (copies per type)", 1)?;
    if m * n > MAX_PAIRS {
        return Err(ReadError::Range {
            line,
            what: "m * n",
            value: (m * n).to_string(),
            expected: format!("at most {MAX_PAIRS}"),
        });
    }
    let (m, n) = (m as usize, n as usize);
    let mut values = Vec::with_capacity(n);
    for j in 0..n {
        let (line, l) = lines.next().ok_or_else(|| ReadError::Truncated {
            line: last_line,
            expected: format!("{n} target values, found {j}"),
        })?;
        let v: f64 = l.parse().map_err(|_| ReadError::Syntax {
            line,
            expected: "a target value (a number)",
            found: format!("`{l}`"),
        })?;
        if !v.is_finite() || v < 0.0 {
            return Err(ReadError::Range {
                line,
                what: "target value",
                value: l.to_string(),
                expected: "a finite number >= 0".into(),
            });
        }
        values.push(v);
    }
    let mut pk = vec![f64::NAN; m * n];
    for k in 0..m * n {
        let (line, l) = lines.next().ok_or_else(|| ReadError::Truncated {
            line: last_line,
            expected: format!("{} probability lines `i j p`, found {k}", m * n),
        })?;
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() != 3 {
            return Err(ReadError::Syntax {
                line,
                expected: "a line `i j p_ij`",
                found: format!("`{l}`"),
            });
        }
        let idx = |s: &str, what: &'static str, len: usize| -> Result<usize, ReadError> {
            let v: usize = s.parse().map_err(|_| ReadError::Syntax {
                line,
                expected: "an index (an integer)",
                found: format!("`{s}` for {what}"),
            })?;
            if v >= len {
                return Err(ReadError::Range {
                    line,
                    what,
                    value: v.to_string(),
                    expected: format!("0 to {}", len - 1),
                });
            }
            Ok(v)
        };
        let i = idx(f[0], "weapon type index", m)?;
        let j = idx(f[1], "target index", n)?;
        let p: f64 = f[2].parse().map_err(|_| ReadError::Syntax {
            line,
            expected: "a probability (a number)",
            found: format!("`{}`", f[2]),
        })?;
        if !(0.0..=1.0).contains(&p) {
            return Err(ReadError::Range {
                line,
                what: "probability",
                value: f[2].to_string(),
                expected: "a number from 0 to 1".into(),
            });
        }
        if !pk[i * n + j].is_nan() {
            return Err(ReadError::Duplicate {
                line,
                weapon: i,
                target: j,
            });
        }
        pk[i * n + j] = p;
    }
    if let Some((line, l)) = lines.next() {
        return Err(ReadError::Trailing {
            line,
            found: format!("`{l}`"),
        });
    }
    let problem = Problem {
        weapons: vec![
            WeaponType {
                count: mu as u32,
                cost: 0.0,
            };
            m
        ],
        targets: values
            .into_iter()
            .map(|value| Target {
                value,
                max_weapons: None,
            })
            .collect(),
        pk,
        cost_weight: 0.0,
        firing: Firing::AllWeapons,
    };
    check_copies(&problem)?;
    problem.validate()?;
    Ok(problem)
}

/// Writes the benchmark's text format (weapon types must share one count,
/// and costs, caps and firing rules are not represented).
pub fn write_text(p: &Problem) -> String {
    use std::fmt::Write;
    let mu = p.weapons.first().map_or(1, |w| w.count);
    let mut out = format!("{} {} {}\n", p.weapon_types(), p.targets(), mu);
    for t in &p.targets {
        let _ = writeln!(out, "{}", t.value);
    }
    for i in 0..p.weapon_types() {
        for j in 0..p.targets() {
            let _ = writeln!(out, "{i} {j} {}", p.pk(i, j));
        }
    }
    out
}

/// The JSON instance format: everything a [`Problem`] can say.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonInstance {
    pub weapons: Vec<WeaponType>,
    pub targets: Vec<Target>,
    /// `pk[i][j]`: one row per weapon type, one column per target.
    pub pk: Vec<Vec<f64>>,
    #[serde(default)]
    pub cost_weight: f64,
    #[serde(default)]
    pub firing: Firing,
}

pub fn read_json(text: &str) -> Result<Problem, ReadError> {
    let inst: JsonInstance = serde_json::from_str(text).map_err(|e| ReadError::Json {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    let (m, n) = (inst.weapons.len(), inst.targets.len());
    if inst.pk.len() != m || inst.pk.iter().any(|r| r.len() != n) {
        return Err(ReadError::Json {
            message: format!("pk must have {m} rows of {n} probabilities"),
            line: 0,
            column: 0,
        });
    }
    let problem = Problem {
        weapons: inst.weapons,
        targets: inst.targets,
        pk: inst.pk.into_iter().flatten().collect(),
        cost_weight: inst.cost_weight,
        firing: inst.firing,
    };
    check_copies(&problem)?;
    problem.validate()?;
    Ok(problem)
}

pub fn write_json(p: &Problem) -> String {
    let inst = JsonInstance {
        weapons: p.weapons.clone(),
        targets: p.targets.clone(),
        pk: (0..p.weapon_types())
            .map(|i| (0..p.targets()).map(|j| p.pk(i, j)).collect())
            .collect(),
        cost_weight: p.cost_weight,
        firing: p.firing,
    };
    serde_json::to_string_pretty(&inst).unwrap_or_default()
}
