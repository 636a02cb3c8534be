//! The plots and the report of a campaign: stocks over time, the leak rate,
//! cumulative civilian damage, both sides' spending; when each interceptor
//! type ran dry; the campaign's totals with their intervals.

use crate::plot::{Series, curve_with_band, lines};
use rampart_study::{CampaignResult, CompareResult};
use serde_json::Value;

use crate::html::{Cell, MapView, Report, esc, glance_section, int, pointer_token, table, tenths};
use crate::replay::Replay;
use crate::studies::estimate_rows_of;

/// The statistics shown per total.
const MEAN_CI: [&str; 3] = ["mean", "ci95_low", "ci95_high"];

/// Colours for the depots' lines, in order.
const PALETTE: [&str; 8] = [
    "#9467bd", "#1f77b4", "#17becf", "#8c564b", "#2ca02c", "#ff7f0e", "#d62728", "#7f7f7f",
];

/// The mean of `series` night by night.
fn means(r: &CampaignResult, series: &str, scale: f64) -> Vec<(f64, f64)> {
    r.nights
        .iter()
        .enumerate()
        .filter_map(|(k, m)| m.get(series).map(|e| ((k + 1) as f64, e.mean * scale)))
        .collect()
}

/// Mean and 95% band of `series`, night by night.
fn band(r: &CampaignResult, series: &str) -> Vec<(f64, f64, f64, f64)> {
    r.nights
        .iter()
        .enumerate()
        .filter_map(|(k, m)| {
            m.get(series).map(|e| {
                let (lo, hi) = if e.ci95_low.is_finite() {
                    (e.ci95_low, e.ci95_high)
                } else {
                    (e.mean, e.mean)
                };
                ((k + 1) as f64, e.mean, lo, hi)
            })
        })
        .collect()
}

/// The campaign's plots: `(file stem, caption, SVG)`.
pub fn plots(r: &CampaignResult) -> Vec<(String, String, String)> {
    let depots: Vec<String> = r.dry.keys().cloned().collect();
    // Stocks on one frame would hide the small ones under the large: each
    // depot is drawn as a share of its own largest stock.
    let stock_series: Vec<Series<'_>> = depots
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let points = means(r, &format!("stock.{d}"), 1.0);
            let top = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0);
            Series {
                name: d,
                colour: PALETTE[k % PALETTE.len()],
                points: points
                    .into_iter()
                    .map(|(x, y)| (x, 100.0 * y / top))
                    .collect(),
            }
        })
        .collect();
    vec![
        (
            "stocks".into(),
            "Stocks over time".into(),
            lines(
                "Rounds in stock (mean), as % of each type's largest stock",
                "night",
                "% of the largest stock",
                &stock_series,
            ),
        ),
        (
            "leak-rate".into(),
            "Leak rate over time".into(),
            curve_with_band(
                "Leak rate: leakers per threat launched (mean, 95% band)",
                "night",
                "leak rate",
                &band(r, "leak_rate"),
                None,
            ),
        ),
        (
            "damage".into(),
            "Cumulative civilian damage".into(),
            curve_with_band(
                "Civilian damage so far, destroyed-asset equivalents (mean, 95% band)",
                "night",
                "damage",
                &band(r, "civilian_damage_cumulative"),
                None,
            ),
        ),
        (
            "spending".into(),
            "Both sides' spending".into(),
            lines(
                "Cumulative spending (mean), M$",
                "night",
                "M$",
                &[
                    Series {
                        name: "defender",
                        colour: "#1f77b4",
                        points: means(r, "defender_cost_cumulative", 1e-6),
                    },
                    Series {
                        name: "attacker",
                        colour: "#d62728",
                        points: means(r, "attacker_cost_cumulative", 1e-6),
                    },
                ],
            ),
        ),
    ]
}

/// The series night by night as CSV: `night`, then `SERIES.mean`,
/// `SERIES.ci95_low`, `SERIES.ci95_high` for every series.
pub fn nights_csv(r: &CampaignResult) -> String {
    let names: std::collections::BTreeSet<&String> =
        r.nights.iter().flat_map(|m| m.keys()).collect();
    let mut out = String::from("night");
    for n in &names {
        for s in ["mean", "ci95_low", "ci95_high"] {
            out.push_str(&format!(",{n}.{s}"));
        }
    }
    out.push('\n');
    for (k, m) in r.nights.iter().enumerate() {
        out.push_str(&(k + 1).to_string());
        for n in &names {
            for s in ["mean", "ci95_low", "ci95_high"] {
                out.push(',');
                if let Some(e) = m.get(*n) {
                    let x = match s {
                        "mean" => e.mean,
                        "ci95_low" => e.ci95_low,
                        _ => e.ci95_high,
                    };
                    if x.is_finite() {
                        out.push_str(&x.to_string());
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The report of `rampart campaign`.
pub fn report(map: &Replay, r: &CampaignResult) -> String {
    let json = serde_json::to_value(r).unwrap_or(Value::Null);
    let nights = r.nights.len();
    let mut rep = Report::new(
        &format!("{}: campaign", r.campaign),
        &format!(
            "{nights} nights, {} replications from base seed {}. Bands and intervals are 95% confidence intervals of the mean.",
            r.replications, r.base_seed
        ),
    );
    glance_section(&mut rep, map, MapView::Scenario, "");
    let rows: Vec<Vec<Cell>> = r
        .dry
        .keys()
        .map(|d| {
            let p = format!("/dry/{}", pointer_token(d));
            vec![
                Cell::text(d),
                Cell::metric(&json, &format!("{p}/ran_dry"), int),
                Cell::metric(&json, &format!("{p}/night/mean"), tenths),
                Cell::metric(&json, &format!("{p}/night/ci95_low"), tenths),
                Cell::metric(&json, &format!("{p}/night/ci95_high"), tenths),
            ]
        })
        .collect();
    rep.section(
        "When each interceptor type runs dry",
        format!(
            "{}<p>\"Ran dry\" counts the replications in which the depot ended a night empty; the night is over those replications (n/a when none did).</p>\n",
            table(
                &[
                    "interceptor type",
                    "replications it ran dry",
                    "night (mean)",
                    "95% low",
                    "95% high"
                ],
                &rows
            )
        ),
    );
    let rows = estimate_rows_of(
        &json,
        "/totals",
        r.totals.keys().map(String::as_str),
        &MEAN_CI,
    );
    rep.section(
        "Over the whole campaign",
        format!(
            "{}<p>Civilian damage counts every asset kind but military, in destroyed-asset equivalents. A depot that never ran dry counts as dry the night after the last.</p>\n",
            table(&["total", "mean", "95% low", "95% high"], &rows)
        ),
    );
    for (_, caption, svg) in plots(r) {
        rep.section(&caption, svg);
    }
    rep.render()
}

/// The report of a budget comparison.
pub fn budget_report(map: &Replay, name: &str, r: &CompareResult, verdicts: &[String]) -> String {
    let json = serde_json::to_value(r).unwrap_or(Value::Null);
    let mut rep = Report::new(
        &format!("{name}: budgets compared"),
        &format!(
            "{} paired campaigns on common seeds (base seed {}); differences are each budget minus `{}`, with 95% confidence intervals.",
            r.replications,
            r.base_seed,
            r.variants.first().map_or("", String::as_str)
        ),
    );
    glance_section(&mut rep, map, MapView::Scenario, "");
    let mut v = String::from("<ul>\n");
    for line in verdicts {
        v.push_str(&format!("<li>{}</li>\n", esc(line)));
    }
    v.push_str("</ul>\n");
    rep.section("Verdict", v);
    for (title, base) in r
        .variants
        .iter()
        .map(|n| {
            (
                format!("Budget `{n}`"),
                format!("/metrics/{}", pointer_token(n)),
            )
        })
        .chain(r.differences.keys().map(|n| {
            (
                format!(
                    "`{n}` minus `{}`",
                    r.variants.first().map_or("", String::as_str)
                ),
                format!("/differences/{}", pointer_token(n)),
            )
        }))
    {
        let Some(metrics) = json.pointer(&base).and_then(Value::as_object) else {
            continue;
        };
        let rows = estimate_rows_of(&json, &base, metrics.keys().map(String::as_str), &MEAN_CI);
        rep.section(
            &title,
            table(&["campaign total", "mean", "95% low", "95% high"], &rows),
        );
    }
    rep.render()
}
