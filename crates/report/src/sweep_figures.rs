//! The pictures of a sweep, from its table in memory: a heat map of the
//! metric (two varied fields) or its curve with the 95% band (one), and
//! cost against protection (every sweep). The caller writes them where it
//! wants (`rampart sweep` and `rampart merge`: into the sweep's directory)
//! and puts them in the report.

use std::collections::BTreeMap;

use rampart_study::{Manifest, PointResult};

/// One picture: its file name in a sweep's directory, its caption, the SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub file: &'static str,
    pub caption: String,
    pub svg: String,
}

/// The figures of a sweep on `metric`. `results` may hold a shard's points
/// only: each is placed by its own point number.
pub fn sweep_figures(manifest: &Manifest, results: &[PointResult], metric: &str) -> Vec<Figure> {
    let mean = |r: &PointResult, m: &str| r.metrics.get(m).map_or(f64::NAN, |e| e.mean);
    let mut figures = Vec::new();
    if let [rows, columns] = manifest.vary.as_slice() {
        let (ys, xs) = (&rows.values, &columns.values);
        let by_point: BTreeMap<usize, &PointResult> =
            results.iter().map(|r| (r.point, r)).collect();
        let z: Vec<Vec<f64>> = (0..ys.len())
            .map(|j| {
                (0..xs.len())
                    .map(|i| {
                        by_point
                            .get(&(j * xs.len() + i))
                            .map_or(f64::NAN, |r| mean(r, metric))
                    })
                    .collect()
            })
            .collect();
        figures.push(Figure {
            file: "heatmap.svg",
            caption: format!("Heat map of {metric}"),
            svg: crate::plot::heat_map(
                &format!("{metric} (mean per night)"),
                &columns.path,
                &rows.path,
                xs,
                ys,
                &z,
            ),
        });
    } else if let [only] = manifest.vary.as_slice() {
        let pts: Vec<(f64, f64, f64, f64)> = results
            .iter()
            .filter_map(|r| {
                let x: f64 = r.values.first()?.parse().ok()?;
                let e = r.metrics.get(metric)?;
                Some((x, e.mean, e.ci95_low, e.ci95_high))
            })
            .collect();
        figures.push(Figure {
            file: "curve.svg",
            caption: format!("{metric} with its 95% band"),
            svg: crate::plot::curve_with_band(
                &format!("{metric} against {}", only.path),
                &only.path,
                metric,
                &pts,
                None,
            ),
        });
    }
    let pts: Vec<(f64, f64)> = results
        .iter()
        .map(|r| (mean(r, "defender_cost"), mean(r, metric)))
        .collect();
    figures.push(Figure {
        file: "cost-protection.svg",
        caption: "Cost against protection (Pareto front marked)".into(),
        svg: crate::plot::cost_protection(
            &format!("defender cost against {metric}, one point per sweep point"),
            "defender cost per night ($)",
            metric,
            &pts,
        ),
    });
    figures
}
