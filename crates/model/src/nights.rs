//! Reported nights for `rampart hindcast`: a CSV file with exactly the
//! columns `date,drones,decoys,missiles,ballistic,drones_neutralised,
//! drone_hits,source` (RFC 4180: quoted fields may hold commas, `""` is a
//! quote). An empty cell is unknown. Every problem is reported with its
//! line and column; no IO here.

use serde::Serialize;

/// The columns, in order.
pub const COLUMNS: [&str; 8] = [
    "date",
    "drones",
    "decoys",
    "missiles",
    "ballistic",
    "drones_neutralised",
    "drone_hits",
    "source",
];

/// One reported night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedNight {
    pub date: String,
    /// Drones launched, decoys included.
    pub drones: u32,
    pub decoys: Option<u32>,
    /// Cruise missiles.
    pub missiles: Option<u32>,
    pub ballistic: Option<u32>,
    /// Drones shot down or suppressed (locationally lost).
    pub drones_neutralised: u32,
    /// Drones that reached their targets.
    pub drone_hits: Option<u32>,
    pub source: String,
    /// Line of the row in the file (1-based).
    #[serde(skip)]
    pub line: usize,
}

impl ReportedNight {
    /// The reported share of the drones neutralised.
    pub fn neutralised_share(&self) -> f64 {
        f64::from(self.drones_neutralised) / f64::from(self.drones)
    }
}

/// A problem in the nights file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct NightsError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One cell: its text and where it starts.
struct Cell {
    text: String,
    line: usize,
    column: usize,
}

/// Splits `text` into rows of cells (RFC 4180), with positions.
fn rows(text: &str) -> Result<Vec<Vec<Cell>>, NightsError> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 1usize);
    let mut start = (line, column);
    let mut cell = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut fresh = true;
    while let Some(c) = chars.next() {
        let here = (line, column);
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    column += 1;
                    cell.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if fresh => {
                quoted = true;
                in_quotes = true;
                fresh = false;
            }
            '"' => {
                return Err(NightsError {
                    line: here.0,
                    column: here.1,
                    message: "a quote inside an unquoted cell; quote the whole cell".into(),
                });
            }
            ',' => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: start.0,
                    column: start.1,
                });
                start = (line, column);
                quoted = false;
                fresh = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: start.0,
                    column: start.1,
                });
                rows.push(std::mem::take(&mut row));
                start = (line, column);
                quoted = false;
                fresh = true;
            }
            c if quoted => {
                return Err(NightsError {
                    line: here.0,
                    column: here.1,
                    message: format!(
                        "`{c}` after a closing quote; expected a comma or the line's end"
                    ),
                });
            }
            c => {
                cell.push(c);
                fresh = false;
            }
        }
    }
    if in_quotes {
        return Err(NightsError {
            line: start.0,
            column: start.1,
            message: "a quoted cell is never closed".into(),
        });
    }
    if !row.is_empty() || !cell.is_empty() {
        row.push(Cell {
            text: cell,
            line: start.0,
            column: start.1,
        });
        rows.push(row);
    }
    Ok(rows)
}

/// Reads the nights file; every problem found, each with its place.
pub fn parse_nights(text: &str) -> Result<Vec<ReportedNight>, Vec<NightsError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = rows(text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let Some(header) = rows.first() else {
        return Err(vec![NightsError {
            line: 1,
            column: 1,
            message: format!(
                "the file is empty; expected the header {}",
                COLUMNS.join(",")
            ),
        }]);
    };
    for (k, want) in COLUMNS.iter().enumerate() {
        let got = header.get(k).map(|c| c.text.trim());
        if got.is_none() {
            let last = header
                .last()
                .map_or((1, 1), |c| (c.line, c.column + c.text.len()));
            return Err(vec![NightsError {
                line: last.0,
                column: last.1,
                message: format!(
                    "the header has {} column(s); expected {}: {}",
                    header.len(),
                    COLUMNS.len(),
                    COLUMNS.join(",")
                ),
            }]);
        }
        if got != Some(*want) {
            let (line, column) = header.get(k).map_or((1, 1), |c| (c.line, c.column));
            errors.push(NightsError {
                line,
                column,
                message: format!(
                    "column {} is `{}`; expected `{want}` (the columns: {})",
                    k + 1,
                    got.unwrap_or(""),
                    COLUMNS.join(",")
                ),
            });
            return Err(errors);
        }
    }
    if header.len() > COLUMNS.len() {
        let c = &header[COLUMNS.len()];
        return Err(vec![NightsError {
            line: c.line,
            column: c.column,
            message: format!(
                "an extra column `{}`; expected only {}",
                c.text,
                COLUMNS.join(",")
            ),
        }]);
    }
    let mut nights = Vec::new();
    for row in &rows[1..] {
        if row.len() == 1 && row[0].text.trim().is_empty() {
            continue;
        }
        let line = row[0].line;
        if row.len() != COLUMNS.len() {
            let at = row.last().map_or(1, |c| c.column);
            errors.push(NightsError {
                line,
                column: at,
                message: format!("{} cells; expected {}", row.len(), COLUMNS.len()),
            });
            continue;
        }
        let mut count = |k: usize, required: bool| -> Option<Option<u32>> {
            let c = &row[k];
            let t = c.text.trim();
            if t.is_empty() {
                if required {
                    errors.push(NightsError {
                        line: c.line,
                        column: c.column,
                        message: format!("`{}` is empty; it is needed", COLUMNS[k]),
                    });
                    return None;
                }
                return Some(None);
            }
            match t.parse::<u32>() {
                Ok(n) => Some(Some(n)),
                Err(_) => {
                    errors.push(NightsError {
                        line: c.line,
                        column: c.column,
                        message: format!(
                            "`{t}` in `{}` is not a count; expected a whole number >= 0 or an empty cell",
                            COLUMNS[k]
                        ),
                    });
                    None
                }
            }
        };
        let (drones, decoys, missiles, ballistic, neutralised, hits) = (
            count(1, true),
            count(2, false),
            count(3, false),
            count(4, false),
            count(5, true),
            count(6, false),
        );
        let (Some(Some(drones)), Some(decoys), Some(missiles), Some(ballistic)) =
            (drones, decoys, missiles, ballistic)
        else {
            continue;
        };
        let (Some(Some(neutralised)), Some(hits)) = (neutralised, hits) else {
            continue;
        };
        let mut bad = |k: usize, message: String| {
            errors.push(NightsError {
                line: row[k].line,
                column: row[k].column,
                message,
            });
        };
        if drones == 0 {
            bad(1, "no drones; expected at least one".into());
            continue;
        }
        if neutralised > drones {
            bad(
                5,
                format!(
                    "{neutralised} neutralised of {drones} drones; expected at most the drones"
                ),
            );
            continue;
        }
        if decoys.is_some_and(|d| d > drones) {
            bad(
                2,
                format!("more decoys than drones ({drones}); drones count the decoys"),
            );
            continue;
        }
        if hits.is_some_and(|h| h > drones) {
            bad(6, format!("more drone hits than drones ({drones})"));
            continue;
        }
        if row[0].text.trim().is_empty() {
            bad(0, "the date is empty".into());
            continue;
        }
        nights.push(ReportedNight {
            date: row[0].text.trim().to_string(),
            drones,
            decoys,
            missiles,
            ballistic,
            drones_neutralised: neutralised,
            drone_hits: hits,
            source: row[7].text.clone(),
            line,
        });
    }
    if nights.is_empty() && errors.is_empty() {
        errors.push(NightsError {
            line: 2,
            column: 1,
            message: "no nights; expected at least one row after the header".into(),
        });
    }
    if errors.is_empty() {
        Ok(nights)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    const HEADER: &str =
        "date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source\n";

    fn check(text: &str, expect: Expect) {
        let got = match parse_nights(text) {
            Ok(n) => format!("{n:?}"),
            Err(e) => e
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn quoted_sources_and_empty_cells() {
        let text = format!(
            "{HEADER}2025-09-07,810,400,13,4,747,56,\"a, b and \"\"c\"\"\"\n2025-06-06,407,,44,6,368,,x\n"
        );
        let n = parse_nights(&text).expect("valid");
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].source, "a, b and \"c\"");
        assert_eq!(n[0].decoys, Some(400));
        assert_eq!(n[1].decoys, None);
        assert_eq!(n[1].drone_hits, None);
        assert_eq!(n[1].line, 3);
        assert!((n[0].neutralised_share() - 747.0 / 810.0).abs() < 1e-15);
    }

    #[test]
    fn the_shared_file_reads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/design/hindcast-nights.csv"
        );
        if let Ok(text) = std::fs::read_to_string(path) {
            let n = parse_nights(&text).expect("the shared file is valid");
            assert_eq!(n.len(), 6);
        }
    }

    #[test]
    fn malformed_files() {
        check(
            "",
            expect![
                "1:1: the file is empty; expected the header date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source"
            ],
        );
        check(
            "date,drones\n",
            expect![
                "1:12: the header has 2 column(s); expected 8: date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source"
            ],
        );
        check(
            &format!("{HEADER}2025-01-01,x1,,,,5,,s\n"),
            expect![
                "2:12: `x1` in `drones` is not a count; expected a whole number >= 0 or an empty cell"
            ],
        );
        check(
            &format!("{HEADER}2025-01-01,10,,,,12,,s\n"),
            expect!["2:18: 12 neutralised of 10 drones; expected at most the drones"],
        );
        check(
            &format!("{HEADER}2025-01-01,10,,,,5,s\n"),
            expect!["2:20: 7 cells; expected 8"],
        );
        check(
            &format!("{HEADER}2025-01-01,10,,,,5,,\"open\n"),
            expect!["2:21: a quoted cell is never closed"],
        );
        check(
            &format!("{HEADER}2025-01-01,10,,,,,,s\n"),
            expect!["2:18: `drones_neutralised` is empty; it is needed"],
        );
        check(
            &format!("{HEADER}2025-01-01,1\"0,,,,5,,s\n"),
            expect!["2:13: a quote inside an unquoted cell; quote the whole cell"],
        );
        check(
            HEADER,
            expect!["2:1: no nights; expected at least one row after the header"],
        );
    }
}
