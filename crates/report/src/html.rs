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

/// Colours by fate, shared by the map, the legend and the replay.
pub const FATE_COLOURS: [(&str, &str); 7] = [
    ("killed", "#2ca02c"),
    ("jammed", "#006dbd"),
    ("leaked_hit", "#d62728"),
    ("leaked_missed", "#ff7f0e"),
    ("decoy_expired", "#7f7f7f"),
    ("fell_short", "#ff27bd"),
    ("airborne", "#000000"),
];

/// Colours by effector kind.
pub fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "long-range-sam" => "#9467bd",
        "medium-sam" => "#1f77b4",
        "gun" => "#8c564b",
        "interceptor-drone" => "#17becf",
        "jammer" => "#bcbd22",
        _ => "#555555",
    }
}

fn fate_colour(fate: &str) -> &'static str {
    FATE_COLOURS
        .iter()
        .find(|(f, _)| *f == fate)
        .map_or("#000", |(_, c)| c)
}

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapView {
    /// One night: every threat's track coloured by its fate, assets by their damage.
    Night,
    /// The scenario only (for a study): no tracks, no damage.
    Scenario,
}

/// The region at a glance: the outline, effector envelopes, sensors,
/// assets, and for a night the tracks. North is up.
pub fn map_svg(r: &Replay, view: MapView) -> String {
    let tracks = view == MapView::Night;
    let [x0, y0, x1, y1] = r.bounds;
    let (w, h) = (x1 - x0, y1 - y0);
    let px = 640.0;
    let scale = px / w.max(h).max(1.0);
    let (width, height) = (w * scale, h * scale);
    let x = |e: f64| (e - x0) * scale;
    let y = |n: f64| (y1 - n) * scale;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.1} {height:.1}\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\" aria-label=\"map of {}\">\n<defs><clipPath id=\"frame\"><rect width=\"{width:.1}\" height=\"{height:.1}\"/></clipPath></defs>\n<rect width=\"{width:.1}\" height=\"{height:.1}\" fill=\"#fbfbf8\" stroke=\"#999\"/>\n<g clip-path=\"url(#frame)\">\n",
        esc(&r.scenario)
    );
    // SVG `points` of local positions.
    let points = |ps: &mut dyn Iterator<Item = (f64, f64)>| -> String {
        ps.map(|(e, n)| format!("{:.1},{:.1}", x(e), y(n)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !r.outline.is_empty() {
        let _ = writeln!(
            s,
            "<polygon points=\"{}\" fill=\"#ece8dc\" stroke=\"#b8b09a\" stroke-width=\"1\"/>",
            points(&mut r.outline.iter().map(|p| (p[0], p[1])))
        );
    }
    for sn in &r.sensors {
        if sn.range * scale < 4.0 * px {
            let _ = writeln!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"#aaa\" stroke-dasharray=\"4 3\" stroke-width=\"0.6\"/>",
                x(sn.at[0]),
                y(sn.at[1]),
                sn.range * scale
            );
        }
    }
    for e in &r.effectors {
        let c = kind_colour(e.kind);
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{c}\" fill-opacity=\"0.05\" stroke=\"{c}\" stroke-opacity=\"0.6\" stroke-width=\"0.8\"><title>{} ({})</title></circle>",
            x(e.at[0]),
            y(e.at[1]),
            e.max_range * scale,
            esc(&e.id),
            e.kind
        );
    }
    if tracks {
        for t in &r.threats {
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"0.35\" stroke-width=\"0.7\"/>",
                points(&mut t.path.iter().map(|p| (p[1], p[2]))),
                fate_colour(t.fate)
            );
        }
    }
    for e in &r.effectors {
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"4\" height=\"4\" fill=\"{}\"/>",
            x(e.at[0]) - 2.0,
            y(e.at[1]) - 2.0,
            kind_colour(e.kind)
        );
    }
    for sn in &r.sensors {
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.2\" fill=\"#666\"/>",
            x(sn.at[0]),
            y(sn.at[1])
        );
    }
    for a in &r.assets {
        let damage = if tracks { a.damage } else { 0.0 };
        let fill = if damage >= 0.999 {
            "#d62728"
        } else if damage > 0.0 {
            "#ff7f0e"
        } else {
            "#222"
        };
        let _ = writeln!(
            s,
            "<g><title>{} ({}){}</title><path d=\"M{:.1} {:.1}l5 9h-10z\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            esc(&a.name),
            a.kind,
            if tracks {
                format!(", damage {damage:.2}")
            } else {
                String::new()
            },
            x(a.at[0]),
            y(a.at[1]) - 5.0,
            x(a.at[0]) + 6.0,
            y(a.at[1]) + 3.0,
            esc(&a.id)
        );
    }
    s.push_str("</g>\n");
    // A 10 km scale bar.
    let bar = 10_000.0 * scale;
    let _ = writeln!(
        s,
        "<line x1=\"10\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" stroke=\"#222\" stroke-width=\"2\"/><text x=\"10\" y=\"{2:.1}\">10 km</text>",
        height - 10.0,
        10.0 + bar,
        height - 14.0
    );
    s.push_str("</svg>\n");
    s
}

/// The first section of every report: the map and its legend.
pub fn glance_section(rep: &mut Report, map: &Replay, view: MapView, note: &str) {
    rep.section(
        "The scenario at a glance",
        format!("{}{}{note}", map_svg(map, view), map_legend(map, view)),
    );
}

/// The legend of [`map_svg`].
pub fn map_legend(r: &Replay, view: MapView) -> String {
    let tracks = view == MapView::Night;
    let mut s = String::from("<p class=\"legend\">");
    s.push_str("<span><i style=\"background:#222;clip-path:polygon(50% 0,100% 100%,0 100%)\"></i>asset</span>");
    let mut kinds: Vec<&str> = r.effectors.iter().map(|e| e.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in kinds {
        let _ = write!(
            s,
            "<span><i style=\"background:{}\"></i>{}</span>",
            kind_colour(k),
            esc(k)
        );
    }
    if tracks {
        // Assets take the colour of their damage (see `map_svg`).
        let shape = "clip-path:polygon(50% 0,100% 100%,0 100%)";
        if r.assets.iter().any(|a| a.damage > 0.0 && a.damage < 0.999) {
            let _ = write!(
                s,
                "<span><i style=\"background:#ff7f0e;{shape}\"></i>asset damaged</span>"
            );
        }
        if r.assets.iter().any(|a| a.damage >= 0.999) {
            let _ = write!(
                s,
                "<span><i style=\"background:#d62728;{shape}\"></i>asset destroyed</span>"
            );
        }
        for (f, c) in FATE_COLOURS {
            if r.threats.iter().any(|t| t.fate == f) {
                let _ = write!(
                    s,
                    "<span><i style=\"background:{c}\"></i>track: {}</span>",
                    f.replace('_', " ")
                );
            }
        }
    }
    s.push_str("</p>\n");
    s
}

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
