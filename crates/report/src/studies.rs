//! HTML reports of the studies: Monte Carlo, comparison, sweep, saturation.
//! Each opens with the scenario at a glance and closes with the study's
//! plots; every number carries its JSON Pointer in the result the command
//! writes (`--json` for `mc`, `compare` and `saturate`; `results.json` for a
//! sweep).

use std::collections::BTreeMap;

use rampart_study::{
    CompareResult, Estimate, Manifest, McResult, PointResult, SaturationResult, SearchOutcome,
};
use serde_json::Value;

use crate::html::{
    Cell, MapView, Report, esc, glance_section, inline_metric, pointer_token, table,
};
use crate::replay::Replay;

/// The metrics an analyst looks at first, in this order, when present.
const HEADLINE: [&str; 6] = [
    "leakers",
    "leak_fraction",
    "drones_neutralised_fraction",
    "defender_cost",
    "attacker_cost",
    "cost_exchange_ratio",
];

/// A number in a study table: integers past 1,000 with separators, else four decimals.
pub fn general(x: f64) -> String {
    if x.abs() >= 1000.0 {
        crate::html::int(x)
    } else {
        format!("{x:.4}")
    }
}

const STATS: [&str; 7] = ["mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"];

/// Rows of estimates: `json` is the command's result, `base` the pointer of
/// the map of metrics in it.
fn estimate_rows<'a>(
    json: &Value,
    base: &str,
    names: impl Iterator<Item = &'a str>,
) -> Vec<Vec<Cell>> {
    estimate_rows_of(json, base, names, &STATS)
}

/// [`estimate_rows`] with the statistics `stats` only.
pub(crate) fn estimate_rows_of<'a>(
    json: &Value,
    base: &str,
    names: impl Iterator<Item = &'a str>,
    stats: &[&str],
) -> Vec<Vec<Cell>> {
    names
        .map(|name| {
            let mut row = vec![Cell::text(name)];
            for s in stats {
                row.push(Cell::metric(
                    json,
                    &format!("{base}/{}/{s}", pointer_token(name)),
                    general,
                ));
            }
            row
        })
        .collect()
}

const ESTIMATE_HEADERS: [&str; 8] = [
    "metric",
    "mean",
    "sd",
    "95% CI low",
    "95% CI high",
    "p5",
    "p50",
    "p95",
];

fn headline(metrics: &BTreeMap<String, Estimate>) -> impl Iterator<Item = &str> {
    HEADLINE
        .into_iter()
        .filter(|m| metrics.contains_key(*m))
        .chain(
            metrics
                .keys()
                .map(String::as_str)
                .filter(|k| k.starts_with("any_hit.")),
        )
}

fn glance(rep: &mut Report, map: &Replay) {
    glance_section(
        rep,
        map,
        MapView::Scenario,
        "<p>The map shows the defence of the scenario as written; the study varies it as described above.</p>\n",
    );
}

/// The report of `rampart mc`.
pub fn monte_carlo(map: &Replay, r: &McResult) -> String {
    let json = serde_json::to_value(r).unwrap_or(Value::Null);
    let mut rep = Report::new(
        &format!("{}: Monte Carlo study", r.scenario),
        &format!(
            "{} replications (nights) from base seed {}, policy {}. Intervals are 95% confidence intervals of the mean.",
            r.replications, r.base_seed, r.policy
        ),
    );
    glance(&mut rep, map);
    rep.section(
        "Headline",
        table(
            &ESTIMATE_HEADERS,
            &estimate_rows(&json, "/metrics", headline(&r.metrics)),
        ),
    );
    rep.section(
        "Every metric",
        table(
            &ESTIMATE_HEADERS,
            &estimate_rows(&json, "/metrics", r.metrics.keys().map(String::as_str)),
        ),
    );
    rep.render()
}

/// The report of `rampart compare`, on `metric` first.
pub fn comparison(map: &Replay, r: &CompareResult, metric: &str, verdicts: &[String]) -> String {
    let json = serde_json::to_value(r).unwrap_or(Value::Null);
    let mut rep = Report::new(
        &format!("Comparison of {} variants", r.variants.len()),
        &format!(
            "{} paired replications on common seeds (base seed {}); differences are each variant minus `{}`, with 95% confidence intervals.",
            r.replications,
            r.base_seed,
            r.variants.first().map_or("", String::as_str)
        ),
    );
    glance(&mut rep, map);
    let mut verdict = String::from("<ul>\n");
    for v in verdicts {
        verdict.push_str(&format!("<li>{}</li>\n", esc(v)));
    }
    verdict.push_str("</ul>\n");
    rep.section("Verdict", verdict);
    for name in &r.variants {
        let Some(metrics) = r.metrics.get(name) else {
            continue;
        };
        let base = format!("/metrics/{}", pointer_token(name));
        let names = std::iter::once(metric)
            .filter(|m| metrics.contains_key(*m))
            .chain(headline(metrics).filter(|m| *m != metric));
        rep.section(
            &format!("Variant `{name}`"),
            table(&ESTIMATE_HEADERS, &estimate_rows(&json, &base, names)),
        );
    }
    for (name, diffs) in &r.differences {
        let base = format!("/differences/{}", pointer_token(name));
        let names = std::iter::once(metric)
            .filter(|m| diffs.contains_key(*m))
            .chain(headline(diffs).filter(|m| *m != metric));
        rep.section(
            &format!(
                "Paired differences: `{name}` minus `{}`",
                r.variants.first().map_or("", String::as_str)
            ),
            table(&ESTIMATE_HEADERS, &estimate_rows(&json, &base, names)),
        );
    }
    rep.render()
}

/// The report of `rampart sweep`: the table of points on `metric`, and the
/// sweep's plots (`(caption, svg)`).
pub fn sweep(
    map: &Replay,
    manifest: &Manifest,
    results: &[PointResult],
    metric: &str,
    plots: &[(String, String)],
) -> String {
    let json = serde_json::to_value(results).unwrap_or(Value::Null);
    let vary: Vec<String> = manifest.vary.iter().map(|v| v.path.clone()).collect();
    let mut rep = Report::new(
        &format!("Sweep of {}", vary.join(" and ")),
        &format!(
            "{} points, {} replications each on common seeds (base seed {}). Values are means per night with 95% confidence intervals.",
            manifest.points, manifest.reps, manifest.base_seed
        ),
    );
    glance(&mut rep, map);
    for (caption, svg) in plots {
        rep.section(caption, svg.clone());
    }
    let mut headers: Vec<&str> = vec!["point"];
    headers.extend(vary.iter().map(String::as_str));
    let m_mean = format!("{metric} mean");
    let m_low = format!("{metric} 95% low");
    let m_high = format!("{metric} 95% high");
    headers.extend([
        m_mean.as_str(),
        m_low.as_str(),
        m_high.as_str(),
        "defender cost mean",
    ]);
    let rows: Vec<Vec<Cell>> = results
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut row = vec![Cell::text(p.point.to_string())];
            row.extend(p.values.iter().map(Cell::text));
            let m = pointer_token(metric);
            for s in ["mean", "ci95_low", "ci95_high"] {
                row.push(Cell::metric(
                    &json,
                    &format!("/{k}/metrics/{m}/{s}"),
                    general,
                ));
            }
            row.push(Cell::metric(
                &json,
                &format!("/{k}/metrics/defender_cost/mean"),
                general,
            ));
            row
        })
        .collect();
    rep.section("Every point", table(&headers, &rows));
    rep.render()
}

/// The report of `rampart saturate`, with its curve.
pub fn saturation(map: &Replay, r: &SaturationResult, curve_svg: &str) -> String {
    let json = serde_json::to_value(r).unwrap_or(Value::Null);
    let mut rep = Report::new(
        &format!("Saturation: {} against {}", r.metric, r.path),
        &format!(
            "The smallest {} at which the mean of {} per night exceeds {}, by stochastic bisection: {} probes, {} nights.",
            r.path,
            r.metric,
            r.limit,
            r.curve.len(),
            r.replications
        ),
    );
    glance(&mut rep, map);
    let answer = match (r.outcome, r.interval) {
        (SearchOutcome::Found, Some(_)) => format!(
            "<p>Overload point: <strong>{}</strong>, 95% interval {} to {}: a straight line fitted to the probes around the crossing, widened when they scatter more than their own intervals allow. Probe by probe, the limit last held with confidence at {} and first broke at {}.</p>\n",
            inline_metric(&json, "/overload", general),
            inline_metric(&json, "/interval/0", general),
            inline_metric(&json, "/interval/1", general),
            inline_metric(&json, "/bracket/0", general),
            inline_metric(&json, "/bracket/1", general),
        ),
        (SearchOutcome::Found, None) => format!(
            "<p>The limit breaks between {} and {}; the means do not rise cleanly there, so no line is fitted.</p>\n",
            inline_metric(&json, "/bracket/0", general),
            inline_metric(&json, "/bracket/1", general),
        ),
        (SearchOutcome::BrokenAtStart, _) => format!(
            "<p>The limit already breaks at the low end of the range, {}.</p>\n",
            inline_metric(&json, "/curve/0/value", general)
        ),
        _ => {
            "<p>The limit still holds at the high end of the range: no overload point in it.</p>\n"
                .to_string()
        }
    };
    rep.section("The overload point", answer);
    rep.section("The curve", curve_svg.to_string());
    let rows: Vec<Vec<Cell>> = r
        .curve
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut row = vec![Cell::metric(&json, &format!("/curve/{k}/value"), general)];
            row.push(Cell::metric(
                &json,
                &format!("/curve/{k}/replications"),
                crate::html::int,
            ));
            for s in ["mean", "ci95_low", "ci95_high"] {
                row.push(Cell::metric(&json, &format!("/curve/{k}/{s}"), general));
            }
            row.push(Cell::text(format!("{:?}", p.verdict).to_lowercase()));
            row
        })
        .collect();
    rep.section(
        "Every probe",
        table(
            &[&r.path, "nights", "mean", "95% low", "95% high", "verdict"],
            &rows,
        ),
    );
    rep.render()
}
