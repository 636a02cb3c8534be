//! Self-contained HTML reports: one file, inline CSS and SVG, no script and
//! no network, readable on screen and on paper. Every number that comes from
//! a result carries `data-metric` (its JSON Pointer in the command's `--json`
//! output, such as `/leakers` or `/metrics/any_hit.hospital/mean`) and
//! `data-value` (the number as JSON writes it), so a reader, or a test, can
//! tie what is shown to what was computed.

use std::fmt::Write;

use serde_json::Value;

use crate::plot::Series;

use crate::replay::Replay;

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number from a result: its JSON Pointer, its JSON value and how it is shown.
    Metric {
        path: String,
        value: Value,
        shown: String,
    },
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The number at `pointer` (a JSON Pointer, RFC 6901, such as
    /// `/by_fate/killed`) in `summary`, shown by `show`.
    pub fn metric(summary: &Value, pointer: &str, show: fn(f64) -> String) -> Cell {
        let value = summary.pointer(pointer).cloned().unwrap_or(Value::Null);
        let shown = value.as_f64().map(show).unwrap_or_else(|| "n/a".into());
        Cell::Metric {
            path: pointer.to_string(),
            value,
            shown,
        }
    }

    fn render(&self) -> String {
        self.render_as("td")
    }

    /// The cell as an HTML element `tag` (`td` in a table, `span` in a sentence).
    fn render_as(&self, tag: &str) -> String {
        match self {
            Cell::Text(s) => format!("<{tag}>{}</{tag}>", esc(s)),
            Cell::Metric { path, value, shown } => format!(
                "<{tag} class=\"num\" data-metric=\"{}\" data-value=\"{}\">{}</{tag}>",
                esc(path),
                esc(&value.to_string()),
                esc(shown)
            ),
        }
    }
}

/// Every number a page shows from a result: `(pointer, value as JSON text)`,
/// in page order. What a reader or a test uses to tie a page to its result.
pub fn shown_numbers(page: &str) -> Vec<(String, String)> {
    page.split("data-metric=\"")
        .skip(1)
        .filter_map(|part| {
            let (pointer, rest) = part.split_once('"')?;
            let (_, value) = rest.split_once("data-value=\"")?;
            let (value, _) = value.split_once('"')?;
            Some((pointer.to_string(), value.replace("&quot;", "\"")))
        })
        .collect()
}

/// `key` escaped as one JSON Pointer token (RFC 6901: `~` and `/`).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A number from a result inside a sentence, tied to it like a [`Cell::Metric`].
pub fn inline_metric(json: &Value, pointer: &str, show: fn(f64) -> String) -> String {
    Cell::metric(json, pointer, show).render_as("span")
}

/// `x` with `decimals` decimals and a comma every three digits:
/// `thousands(1234567.891, 1)` is `1,234,567.9`; no sign on a value that
/// rounds to zero.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && out.chars().any(|c| ('1'..='9').contains(&c)) {
        out.insert(0, '-');
    }
    out
}

/// An integer with thousands separators.
pub fn int(x: f64) -> String {
    thousands(x, 0)
}

/// Whole dollars, the sign first: `-$1,500`.
pub fn dollars(x: f64) -> String {
    let t = int(x);
    match t.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${t}"),
    }
}

/// A count's mean, one decimal: `21.0`, `1,234.5`.
pub fn tenths(x: f64) -> String {
    thousands(x, 1)
}

pub fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

pub fn fixed3(x: f64) -> String {
    format!("{x:.3}")
}

pub fn fixed2(x: f64) -> String {
    format!("{x:.2}")
}

pub fn table(headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            s.push_str(&c.render());
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A report under construction: a title and sections, in order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    title: String,
    lead: String,
    sections: Vec<(String, String)>,
}

impl Report {
    pub fn new(title: &str, lead: &str) -> Report {
        Report {
            title: title.to_string(),
            lead: lead.to_string(),
            sections: Vec::new(),
        }
    }

    /// A section: a heading and HTML that the caller has escaped.
    pub fn section(&mut self, heading: &str, html: String) -> &mut Report {
        self.sections.push((heading.to_string(), html));
        self
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header><h1>{}</h1>\n<p class=\"lead\">{}</p></header>\n<main>\n",
            esc(&self.title),
            esc(&self.title),
            esc(&self.lead)
        );
        for (h, body) in &self.sections {
            let _ = write!(s, "<section>\n<h2>{}</h2>\n{body}</section>\n", esc(h));
        }
        s.push_str(
            "</main>\n<footer>Made by rampart. Generic, openly published parameters and fictional geography only.</footer>\n</body>\n</html>\n",
        );
        s
    }
}

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem}
.lead{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
footer{margin-top:2rem;color:#777;font-size:.8rem}
@media print{body{max-width:none;padding:0}section{break-inside:avoid}h2{break-after:avoid}}
";

pub use crate::map::{
    FATE_COLOURS, Label, MapView, glance_section, kind_colour, label_width, map_legend, map_svg,
    place_labels,
};

/// The report of one night.
pub fn night_report(r: &Replay) -> String {
    let summary = serde_json::to_value(&r.summary).unwrap_or(Value::Null);
    let m = |path: &str, show: fn(f64) -> String| Cell::metric(&summary, path, show);
    let mut rep = Report::new(
        &format!("{}: one night", r.scenario),
        &format!(
            "Seed {}, policy {}, a night of {:.1} h. {} assets, {} sensors, {} effectors, {} threats launched.",
            r.seed,
            r.policy,
            r.duration as f64 / 3_600_000.0,
            r.assets.len(),
            r.sensors.len(),
            r.effectors.len(),
            r.threats.len()
        ),
    );
    glance_section(&mut rep, r, MapView::Night, "");
    rep.section(
        "Summary",
        table(
            &["measure", "value"],
            &[
                vec![Cell::text("threats launched"), m("/threats_launched", int)],
                vec![
                    Cell::text("leakers (reached their target)"),
                    m("/leakers", int),
                ],
                vec![
                    Cell::text("drones neutralised (killed or jammed)"),
                    m("/drones_neutralised_fraction", percent),
                ],
                vec![Cell::text("defender cost"), m("/defender_cost", dollars)],
                vec![Cell::text("attacker cost"), m("/attacker_cost", dollars)],
                vec![
                    Cell::text("cost exchange (defender $ per attacker $)"),
                    m("/cost_exchange_ratio", fixed3),
                ],
            ],
        ),
    );
    let mut keys: Vec<&str> = r.summary.by_fate.iter().map(|(k, _)| k).collect();
    keys.sort_unstable();
    let fates: Vec<Vec<Cell>> = keys
        .into_iter()
        .map(|k| {
            vec![
                Cell::text(k.replace('_', " ")),
                m(&format!("/by_fate/{k}"), int),
            ]
        })
        .collect();
    rep.section("Fates", table(&["fate", "threats"], &fates));
    let line = r.timeline(240);
    let series: Vec<Series<'_>> = [
        ("airborne", "#1f77b4"),
        ("engaged (so far)", "#9467bd"),
        ("killed or jammed (so far)", "#2ca02c"),
        ("leaked (so far)", "#d62728"),
    ]
    .into_iter()
    .enumerate()
    .map(|(k, (name, colour))| Series {
        name,
        colour,
        points: line
            .iter()
            .map(|(t, counts)| (*t as f64 / 3_600_000.0, counts[k] as f64))
            .collect(),
    })
    .collect();
    let timeline = crate::plot::lines(
        "Threats over the night",
        "hours from the start of the night",
        "threats",
        &series,
    );
    rep.section("Timeline", timeline);
    let kinds: Vec<&str> = r.summary.damage_by_asset_kind.keys().copied().collect();
    let rows: Vec<Vec<Cell>> = kinds
        .iter()
        .map(|k| {
            let leakers = r
                .threats
                .iter()
                .filter(|t| t.fate.starts_with("leaked"))
                .filter(|t| r.assets.iter().any(|a| a.id == t.target && a.kind == *k))
                .count();
            vec![
                Cell::text(*k),
                Cell::text(leakers.to_string()),
                m(&format!("/damage_by_asset_kind/{k}"), fixed2),
            ]
        })
        .collect();
    rep.section(
        "Leakers and damage by asset kind",
        format!(
            "{}<p>Damage is in destroyed-asset equivalents (1.00 = one asset destroyed).</p>\n",
            table(&["asset kind", "leakers aimed at it", "damage"], &rows)
        ),
    );
    let rows: Vec<Vec<Cell>> = r
        .summary
        .shots_by_effector_class
        .keys()
        .map(|k| {
            vec![
                Cell::text(*k),
                m(&format!("/shots_by_effector_class/{k}/shots"), int),
                m(&format!("/shots_by_effector_class/{k}/cost"), dollars),
                m(&format!("/killed_by_effector_class/{k}"), int),
            ]
        })
        .collect();
    rep.section(
        "Shots and cost by effector class",
        table(&["effector class", "shots", "cost", "kills"], &rows),
    );
    rep.section(
        "The cost exchange",
        format!(
            "<p>The defence spent {} against threats that cost the attacker {}: {} defender dollars for every attacker dollar.</p>\n",
            inline_metric(&summary, "/defender_cost", dollars),
            inline_metric(&summary, "/attacker_cost", dollars),
            inline_metric(&summary, "/cost_exchange_ratio", fixed3)
        ),
    );
    let rows: Vec<Vec<Cell>> = r
        .assets
        .iter()
        .filter(|a| a.damage > 0.0)
        .map(|a| {
            vec![
                Cell::text(&a.name),
                Cell::text(a.kind),
                m(
                    &format!("/damage_by_asset/{}", pointer_token(&a.id)),
                    fixed2,
                ),
            ]
        })
        .collect();
    if !rows.is_empty() {
        rep.section("Damaged assets", table(&["asset", "kind", "damage"], &rows));
    }
    rep.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_signs_and_dollars() {
        assert_eq!(thousands(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(1000.0, 0), "1,000");
        assert_eq!(thousands(-0.04, 1), "0.0");
        assert_eq!(thousands(-12_345.0, 0), "-12,345");
        assert_eq!(dollars(407_227_500.0), "$407,227,500");
        assert_eq!(dollars(-1_500.0), "-$1,500");
        assert_eq!(dollars(0.0), "$0");
        assert_eq!(tenths(21.0), "21.0");
    }
}
