//! The report of `rampart hindcast`: night by night, the model's mean and
//! 95% interval beside the reported value, for the share of drones
//! neutralised and for the drone hits (two plots and a table); after a
//! calibration, its grid and the leave-one-out predictions.

use std::fmt::Write;

use rampart_study::{CalibrationSummary, HindcastResult, SHARE_BAND};

use crate::html::{Cell, Report, esc, table};

const W: f64 = 640.0;
const H: f64 = 300.0;
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 30.0;
const B: f64 = 60.0;

/// One night in a plot: the date, the model's (mean, low, high) and the
/// reported value, if known.
struct Point<'a> {
    label: &'a str,
    model: (f64, f64, f64),
    reported: Option<f64>,
}

/// Model intervals (bars, mean dot) against reported values (diamonds),
/// one column per night.
fn plot(title: &str, ylabel: &str, points: &[Point<'_>], y0: f64, y1: f64) -> String {
    let n = points.len().max(1) as f64;
    let x = |k: usize| L + (k as f64 + 0.5) / n * (W - L - R);
    let y = |v: f64| H - B - (v - y0) / (y1 - y0).max(1e-12) * (H - T - B);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">\n<text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{}</text>",
        esc(title),
        W / 2.0,
        esc(title)
    );
    for k in 0..=4 {
        let v = y0 + (y1 - y0) * f64::from(k) / 4.0;
        let _ = writeln!(
            s,
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            W - R,
            y(v),
            y(v),
            L - 6.0,
            y(v) + 4.0,
            if y1 <= 1.0 {
                format!("{:.0}%", v * 100.0)
            } else {
                format!("{v:.0}")
            }
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"14\" y=\"{:.1}\" font-size=\"12\" transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">{}</text>",
        (T + H - B) / 2.0,
        (T + H - B) / 2.0,
        esc(ylabel)
    );
    for (k, p) in points.iter().enumerate() {
        let (mean, lo, hi) = p.model;
        let _ = writeln!(
            s,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#1f77b4\" stroke-width=\"3\"/><circle cx=\"{0:.1}\" cy=\"{3:.1}\" r=\"4\" fill=\"#1f77b4\"/>",
            x(k),
            y(lo),
            y(hi),
            y(mean)
        );
        if let Some(r) = p.reported {
            let (cx, cy) = (x(k) + 12.0, y(r));
            let _ = writeln!(
                s,
                "<path d=\"M{:.1} {:.1} l5 5 l-5 5 l-5 -5 z\" fill=\"#d62728\"/>",
                cx,
                cy - 5.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
            x(k),
            H - B + 16.0,
            esc(p.label)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{L}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1f77b4\">&#9679; model, mean and 95% interval</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#d62728\">&#9670; reported</text>\n</svg>",
        H - 12.0,
        L + 260.0,
        H - 12.0
    );
    s
}

/// The whole report; `calibration` when the nights are shown at a fitted value.
pub fn hindcast(
    scenario: &str,
    r: &HindcastResult,
    calibration: Option<&CalibrationSummary>,
) -> String {
    let mut rep = Report::new(
        &format!("{scenario}: hindcast"),
        &format!(
            "{} reported nights, {} replications each (base seed {}, policy {}). A night is within the band when the model's share of drones neutralised is within {:.0} points of the reported one and, where hits are reported, its mean drone hits within half and twice of them. Intervals: Student's t (95%) clamped to the possible range.",
            r.summary.nights,
            r.summary.replications,
            r.summary.base_seed,
            r.summary.policy,
            SHARE_BAND * 100.0
        ),
    );
    let share: Vec<Point<'_>> = r
        .nights
        .iter()
        .map(|n| Point {
            label: &n.date,
            model: (
                n.model.neutralised_share.mean,
                n.model.neutralised_share.ci95_low,
                n.model.neutralised_share.ci95_high,
            ),
            reported: Some(n.reported_share),
        })
        .collect();
    let low = share
        .iter()
        .flat_map(|p| [p.model.1, p.reported.unwrap_or(1.0)])
        .fold(1.0f64, f64::min);
    let y0 = ((low - 0.05) * 20.0).floor().max(0.0) / 20.0;
    rep.section(
        "Share of drones neutralised",
        plot(
            "Drones neutralised, model against reported",
            "share of drones",
            &share,
            y0,
            1.0,
        ),
    );
    let hits: Vec<Point<'_>> = r
        .nights
        .iter()
        .map(|n| Point {
            label: &n.date,
            model: (
                n.model.drone_hits.mean,
                n.model.drone_hits.ci95_low,
                n.model.drone_hits.ci95_high,
            ),
            reported: n.reported["drone_hits"].as_f64(),
        })
        .collect();
    let top = hits
        .iter()
        .flat_map(|p| [p.model.2, p.reported.unwrap_or(0.0)])
        .fold(1.0f64, f64::max);
    rep.section(
        "Drone hits",
        plot(
            "Drone hits, model against reported",
            "drones reaching their targets",
            &hits,
            0.0,
            (top / 10.0).ceil() * 10.0,
        ),
    );
    let rows: Vec<Vec<Cell>> = r
        .nights
        .iter()
        .map(|n| {
            let reported = format!("{:.1}%", n.reported_share * 100.0);
            let hits = n.reported["drone_hits"]
                .as_u64()
                .map_or("unknown".into(), |h| h.to_string());
            let e = &n.model.neutralised_share;
            let h = &n.model.drone_hits;
            vec![
                Cell::text(n.date.clone()),
                Cell::text(reported),
                Cell::text(format!(
                    "{:.1}% [{:.1}, {:.1}]",
                    e.mean * 100.0,
                    e.ci95_low * 100.0,
                    e.ci95_high * 100.0
                )),
                Cell::text(hits),
                Cell::text(format!(
                    "{:.1} [{:.1}, {:.1}]",
                    h.mean, h.ci95_low, h.ci95_high
                )),
                Cell::text(if n.within_band { "yes" } else { "no" }),
            ]
        })
        .collect();
    rep.section(
        "Night by night",
        table(
            &[
                "night",
                "reported share",
                "model share [95%]",
                "reported hits",
                "model hits [95%]",
                "within band",
            ],
            &rows,
        ),
    );
    rep.section(
        "Summary",
        format!(
            "<p>{} of {} nights within the band; mean absolute error of the share {:.1} points.</p>\n",
            r.summary.within_band,
            r.summary.nights,
            r.summary.mean_abs_share_error * 100.0
        ),
    );
    if let Some(c) = calibration {
        calibration_sections(&mut rep, c);
    }
    rep.render()
}

/// The grid of the calibrated field and the leave-one-out predictions.
fn calibration_sections(rep: &mut Report, c: &CalibrationSummary) {
    let grid: Vec<Vec<Cell>> = c
        .grid
        .iter()
        .map(|g| {
            vec![
                Cell::text(g.value.clone()),
                Cell::text(format!("{:.2}", g.mean_abs_share_error * 100.0)),
                Cell::text(g.within_band.to_string()),
            ]
        })
        .collect();
    rep.section(
        &format!("Calibration of {}", c.path),
        format!(
            "<p>Every night played at each value on the same seeds; fitted on all nights: <b>{}</b> (in-sample mean absolute share error {:.2} points, optimistic by construction).</p>\n{}",
            esc(&c.fitted),
            c.fitted_error * 100.0,
            table(
                &["value", "mean abs. share error (points)", "nights within band"],
                &grid
            )
        ),
    );
    let rows: Vec<Vec<Cell>> = c
        .leave_one_out
        .iter()
        .map(|l| {
            vec![
                Cell::text(l.date.clone()),
                Cell::text(l.fitted.clone()),
                Cell::text(format!("{:.1}%", l.reported_share * 100.0)),
                Cell::text(format!("{:.1}%", l.model_share * 100.0)),
                Cell::text(format!("{:.2}", l.abs_error * 100.0)),
                Cell::text(if l.within_band { "yes" } else { "no" }),
            ]
        })
        .collect();
    rep.section(
        "Leave one out",
        format!(
            "<p>Each night predicted at the value fitted on the other nights: mean absolute share error <b>{:.2} points</b>, {} of {} nights within the band. This is the error to expect on a night the fit has not seen.</p>\n{}",
            c.leave_one_out_error * 100.0,
            c.leave_one_out_within_band,
            c.leave_one_out.len(),
            table(
                &[
                    "night left out",
                    "value fitted on the others",
                    "reported share",
                    "predicted share",
                    "abs. error (points)",
                    "within band"
                ],
                &rows
            )
        ),
    );
}
