//! The grid of a sweep as plain data: the fields it varies and their
//! values (`Vary`, read from `PATH=VALUES`), what a sweep is (`Manifest`)
//! and what each point gave (`PointResult`). The sweep computes them and
//! the table writes them; neither imports the other for them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::Estimate;

/// One `--vary PATH=VALUES`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vary {
    pub path: String,
    pub values: Vec<String>,
}

/// Why `PATH=VALUES` cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaryError {
    #[error(
        "`{text}`: expected PATH=VALUES, with VALUES a list (10,20,40) or a range (100..2000:100)"
    )]
    Syntax { text: String },
    #[error("`{text}`: {reason}")]
    BadRange { text: String, reason: String },
}

impl Vary {
    /// Reads `PATH=VALUES`: `a,b,c` or `from..to:step` (both ends included).
    pub fn parse(text: &str) -> Result<Vary, VaryError> {
        let syntax = || VaryError::Syntax {
            text: text.to_string(),
        };
        let (path, values) = text.split_once('=').ok_or_else(syntax)?;
        let (path, values) = (path.trim(), values.trim());
        if path.is_empty() || values.is_empty() {
            return Err(syntax());
        }
        let values = if let Some((range, step)) = values.split_once(':')
            && let Some((from, to)) = range.split_once("..")
        {
            let bad = |reason: &str| VaryError::BadRange {
                text: text.to_string(),
                reason: reason.to_string(),
            };
            let num = |s: &str| {
                s.trim()
                    .parse::<f64>()
                    .map_err(|_| bad("the range needs numbers"))
            };
            let (a, b, s) = (num(from)?, num(to)?, num(step)?);
            if s.is_nan() || s <= 0.0 || b < a || !a.is_finite() || !b.is_finite() {
                return Err(bad("expected from <= to and a step > 0"));
            }
            let count = ((b - a) / s + 1e-9).floor() as u64 + 1;
            if count > 100_000 {
                return Err(bad("more than 100,000 values"));
            }
            // As many decimals as the range is written with, so that
            // 0..1:0.1 gives 0.3 and not 0.30000000000000004.
            let places = [from, step].iter().map(|s| decimals(s)).max().unwrap_or(0);
            (0..count)
                .map(|k| {
                    let x = a + k as f64 * s;
                    let text = format!("{x:.places$}");
                    // Integers print as integers, so that integer fields take them.
                    if text.contains('.') {
                        text.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        text
                    }
                })
                .collect()
        } else {
            values
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
        };
        if values.is_empty() {
            return Err(syntax());
        }
        Ok(Vary {
            path: path.to_string(),
            values,
        })
    }
}

/// The decimal places a number is written with (12 in exponent form).
fn decimals(number: &str) -> usize {
    let number = number.trim();
    if number.contains(['e', 'E']) {
        return 12;
    }
    number.split_once('.').map_or(0, |(_, f)| f.len().min(12))
}

/// What a sweep is: the same manifest means the same results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// FNV-1a digest of the scenario text.
    pub scenario_digest: String,
    pub vary: Vec<Vary>,
    pub reps: u64,
    pub base_seed: u64,
    pub policy: Option<String>,
    pub points: usize,
}

/// One finished point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub point: usize,
    pub values: Vec<String>,
    pub metrics: BTreeMap<String, Estimate>,
}
