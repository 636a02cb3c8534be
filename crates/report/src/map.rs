//! The map of a scenario or a night, as SVG: outline, sensors, effector
//! envelopes, assets with labels that never overlap, tracks coloured by
//! fate, and the legend.

use std::fmt::Write;

use crate::html::{Report, esc};
use crate::replay::{Replay, ReplayAsset};

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
    let markers: Vec<(f64, f64)> = r.assets.iter().map(|a| (x(a.at[0]), y(a.at[1]))).collect();
    let labels = place_labels(&r.assets, &markers, width);
    for ((a, &(mx, my)), label) in r.assets.iter().zip(&markers).zip(&labels) {
        let damage = if tracks { a.damage } else { 0.0 };
        let fill = if damage >= 0.999 {
            "#d62728"
        } else if damage > 0.0 {
            "#ff7f0e"
        } else {
            "#222"
        };
        let text = match label {
            Some(l) => format!(
                "<text x=\"{:.1}\" y=\"{:.1}\"{}>{}</text>",
                l.x,
                l.y,
                if l.end { " text-anchor=\"end\"" } else { "" },
                esc(&a.id)
            ),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "<g><title>{} ({}){}</title><path d=\"M{:.1} {:.1}l5 9h-10z\" fill=\"{fill}\"/>{text}</g>",
            esc(&a.name),
            a.kind,
            if tracks {
                format!(", damage {damage:.2}")
            } else {
                String::new()
            },
            mx,
            my - 5.0,
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

/// Where an asset's label goes: its text's start (or end) and baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    /// The label ends at `x` (left of its marker), so as not to leave the map.
    pub end: bool,
}

/// Width of a label of `n` characters in the map's 10-pixel sans-serif
/// (an upper bound: 0.62 em a character).
pub fn label_width(n: usize) -> f64 {
    6.2 * n as f64
}

/// Labels that never overlap: assets taken by value (then by id), each
/// label to the right of its marker, or to the left where it would leave
/// the map; a label that would overlap one already placed is left out (the
/// marker's tooltip still names it).
pub fn place_labels(
    assets: &[ReplayAsset],
    markers: &[(f64, f64)],
    width: f64,
) -> Vec<Option<Label>> {
    let mut order: Vec<usize> = (0..assets.len()).collect();
    order.sort_by(|&a, &b| {
        assets[b]
            .value
            .total_cmp(&assets[a].value)
            .then_with(|| assets[a].id.cmp(&assets[b].id))
    });
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut out = vec![None; assets.len()];
    for k in order {
        let (mx, my) = markers[k];
        let w = label_width(assets[k].id.chars().count());
        let end = mx + 6.0 + w > width;
        let (x0, x1) = if end {
            (mx - 6.0 - w, mx - 6.0)
        } else {
            (mx + 6.0, mx + 6.0 + w)
        };
        let (y0, y1) = (my - 5.0, my + 5.0);
        if placed
            .iter()
            .any(|&(a0, a1, b0, b1)| x0 < a1 && a0 < x1 && y0 < b1 && b0 < y1)
        {
            continue;
        }
        placed.push((x0, x1, y0, y1));
        out[k] = Some(Label {
            x: if end { mx - 6.0 } else { mx + 6.0 },
            y: my + 3.0,
            end,
        });
    }
    out
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
