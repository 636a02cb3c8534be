//! Plots as self-contained SVG text: no fonts to find, no network, the same
//! bytes for the same numbers.

use std::fmt::Write;

use crate::html::esc;

const W: f64 = 640.0;
const H: f64 = 400.0;
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 40.0;
const B: f64 = 50.0;

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    /// Every x is a whole number (nights, counts): ticks fall on whole numbers.
    whole_x: bool,
}

impl Frame {
    fn new(xs: impl Iterator<Item = f64> + Clone, ys: impl Iterator<Item = f64> + Clone) -> Frame {
        let span = |v: &mut dyn Iterator<Item = f64>| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for x in v.filter(|x| x.is_finite()) {
                lo = lo.min(x);
                hi = hi.max(x);
            }
            if !lo.is_finite() {
                (0.0, 1.0)
            } else if hi - lo < 1e-12 {
                (lo - 0.5, hi + 0.5)
            } else {
                (lo, hi)
            }
        };
        let (x0, x1) = span(&mut xs.clone());
        let (y0, y1) = span(&mut ys.clone());
        let whole_x = xs
            .clone()
            .filter(|x| x.is_finite())
            .all(|x| x.fract() == 0.0);
        // The value axis runs between round numbers, so its grid lines fall on them.
        let step = nice_step(y1 - y0);
        Frame {
            x0,
            x1,
            y0: (y0 / step).floor() * step,
            y1: (y1 / step).ceil() * step,
            whole_x,
        }
    }
    /// The same frame with room round its data, so that no dot is cut at
    /// an edge.
    fn padded(mut self) -> Frame {
        let (dx, dy) = (0.04 * (self.x1 - self.x0), 0.04 * (self.y1 - self.y0));
        self.x0 -= dx;
        self.x1 += dx;
        self.y0 -= dy;
        self.y1 += dy;
        self
    }
    fn x(&self, v: f64) -> f64 {
        L + (v - self.x0) / (self.x1 - self.x0) * (W - L - R)
    }
    fn y(&self, v: f64) -> f64 {
        H - B - (v - self.y0) / (self.y1 - self.y0) * (H - T - B)
    }
}

/// The opening of a plot: the SVG element, a white page, the title and the
/// axis labels, in `font_size`.
fn header(title: &str, xlabel: &str, ylabel: &str, font_size: u32) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="{font_size}">
<rect width="{W}" height="{H}" fill="white"/>
<text x="{}" y="22" text-anchor="middle" font-size="14">{}</text>
<text x="{}" y="{}" text-anchor="middle">{}</text>
<text x="16" y="{}" text-anchor="middle" transform="rotate(-90 16 {})">{}</text>
"#,
        W / 2.0,
        esc(title),
        (L + W - R) / 2.0,
        H - 10.0,
        esc(xlabel),
        (T + H - B) / 2.0,
        (T + H - B) / 2.0,
        esc(ylabel)
    )
}

fn open(title: &str, xlabel: &str, ylabel: &str, f: &Frame) -> String {
    let mut s = header(title, xlabel, ylabel, 12);
    let _ = write!(
        s,
        "<line x1=\"{L}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{}\" stroke=\"black\"/>\n",
        H - B,
        W - R,
        H - B,
        H - B,
    );
    let xticks = if f.whole_x {
        whole_ticks(f.x0, f.x1)
    } else {
        ticks(f.x0, f.x1)
    };
    for xv in xticks {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            f.x(xv),
            H - B + 16.0,
            tick(xv),
        );
    }
    for yv in ticks(f.y0, f.y1) {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n<line x1=\"{L}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>\n",
            L - 6.0,
            f.y(yv) + 4.0,
            tick(yv),
            f.y(yv),
            W - R,
            f.y(yv),
        );
    }
    s
}

/// A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into
/// about five parts.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 2.5 {
        2.5
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The round numbers between `lo` and `hi` (both included when round).
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return vec![lo];
    }
    let step = nice_step(hi - lo);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Round whole numbers between `lo` and `hi`: steps of 1, 2, 5, 10, ...
/// (never 2.5, never below 1), for an axis of nights or counts.
fn whole_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return vec![lo.round()];
    }
    let step = match nice_step(hi - lo) {
        s if s <= 1.0 => 1.0,
        s if s == 2.5 * 10f64.powf(s.log10().floor()) => 2.0 * s / 2.5,
        s => s,
    };
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label in the units people read: `600 M`, `1.2 bn`, `12,500`, `2.5`.
fn tick(v: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let a = v.abs();
    if a >= 1e9 {
        format!("{} bn", trim(format!("{:.3}", v / 1e9)))
    } else if a >= 1e6 {
        format!("{} M", trim(format!("{:.3}", v / 1e6)))
    } else if a >= 1e4 {
        crate::html::thousands(v, 0)
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        // The shortest form that shows the value (round ticks have few digits).
        trim(format!("{v:.4}"))
    }
}

/// A curve with its 95% band and a horizontal limit line: the saturation plot.
/// `points`: (x, mean, low, high).
pub fn curve_with_band(
    title: &str,
    xlabel: &str,
    ylabel: &str,
    points: &[(f64, f64, f64, f64)],
    limit: Option<f64>,
) -> String {
    let f = Frame::new(
        points.iter().map(|p| p.0),
        points
            .iter()
            .flat_map(|p| [p.2, p.3])
            .chain(limit)
            .filter(|v| v.is_finite()),
    );
    let mut s = open(title, xlabel, ylabel, &f);
    if !points.is_empty() {
        let mut band = String::new();
        for p in points {
            let _ = write!(band, "{:.2},{:.2} ", f.x(p.0), f.y(p.3.min(f.y1)));
        }
        for p in points.iter().rev() {
            let _ = write!(band, "{:.2},{:.2} ", f.x(p.0), f.y(p.2.max(f.y0)));
        }
        let _ = writeln!(
            s,
            "<polygon points=\"{}\" fill=\"#9ecae1\" fill-opacity=\"0.6\"/>",
            band.trim_end()
        );
        let line: Vec<String> = points
            .iter()
            .map(|p| format!("{:.2},{:.2}", f.x(p.0), f.y(p.1)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\"/>",
            line.join(" ")
        );
        for p in points {
            let _ = writeln!(
                s,
                "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"3\" fill=\"#08519c\"/>",
                f.x(p.0),
                f.y(p.1)
            );
        }
    }
    if let Some(l) = limit {
        let _ = writeln!(
            s,
            "<line x1=\"{L}\" y1=\"{y:.2}\" x2=\"{}\" y2=\"{y:.2}\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>\n<text x=\"{}\" y=\"{:.2}\" text-anchor=\"end\" fill=\"#d62728\">limit {}</text>",
            W - R,
            W - R - 4.0,
            f.y(l) - 4.0,
            tick(l),
            y = f.y(l)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// One named line of [`lines`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    pub name: &'a str,
    /// Any SVG colour, such as `#1f77b4`.
    pub colour: &'a str,
    pub points: Vec<(f64, f64)>,
}

/// Several named series on one frame, with a legend: timelines and
/// series over time.
pub fn lines(title: &str, xlabel: &str, ylabel: &str, series: &[Series<'_>]) -> String {
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain([0.0]);
    let f = Frame::new(
        xs.collect::<Vec<_>>().into_iter(),
        ys.collect::<Vec<_>>().into_iter(),
    );
    let mut s = open(title, xlabel, ylabel, &f);
    for (
        k,
        Series {
            name,
            colour,
            points,
        },
    ) in series.iter().enumerate()
    {
        let line: Vec<String> = points
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| format!("{:.2},{:.2}", f.x(p.0), f.y(p.1)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            line.join(" "),
            esc(colour)
        );
        let y = T + 14.0 + 16.0 * k as f64;
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            L + 10.0,
            L + 30.0,
            esc(colour),
            L + 36.0,
            y + 4.0,
            esc(name)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A heat map of `z[i][j]` over x values (columns) and y values (rows).
pub fn heat_map(
    title: &str,
    xlabel: &str,
    ylabel: &str,
    xs: &[String],
    ys: &[String],
    z: &[Vec<f64>],
) -> String {
    let (lo, hi) = z
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let f = Frame {
        x0: 0.0,
        x1: xs.len().max(1) as f64,
        y0: 0.0,
        y1: ys.len().max(1) as f64,
        whole_x: true,
    };
    let mut s = header(title, xlabel, ylabel, 11);
    for (j, row) in z.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let t = if t.is_finite() { t } else { 0.0 };
            // White (low) to dark red (high); grey where there is no value
            // (a point another shard runs).
            let (r, g, b) = if v.is_finite() {
                (255.0 - 90.0 * t, 245.0 - 230.0 * t, 240.0 - 220.0 * t)
            } else {
                (200.0, 200.0, 200.0)
            };
            let _ = writeln!(
                s,
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"rgb({:.0},{:.0},{:.0})\"><title>{} = {}</title></rect>",
                f.x(i as f64),
                f.y(j as f64 + 1.0),
                f.x(1.0) - f.x(0.0),
                f.y(0.0) - f.y(1.0),
                r,
                g,
                b,
                esc(&format!(
                    "{}, {}",
                    xs.get(i).map_or("", |v| v),
                    ys.get(j).map_or("", |v| v)
                )),
                if v.is_finite() {
                    tick(v)
                } else {
                    "no value (not run here)".to_string()
                }
            );
        }
    }
    for (i, x) in xs.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.2}\" y=\"{:.2}\" text-anchor=\"middle\">{}</text>",
            f.x(i as f64 + 0.5),
            H - B + 16.0,
            esc(x)
        );
    }
    for (j, y) in ys.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.2}\" y=\"{:.2}\" text-anchor=\"end\">{}</text>",
            L - 6.0,
            f.y(j as f64 + 0.5) + 4.0,
            esc(y)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">min {} (white), max {} (red)</text>",
        W - R,
        T - 6.0,
        tick(lo),
        tick(hi)
    );
    s.push_str("</svg>\n");
    s
}

/// The points of `(cost, loss)` not dominated by another (lower or equal in
/// both, lower in one), by cost.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].0.is_finite() && points[i].1.is_finite())
        .collect();
    order.sort_by(|&a, &b| {
        points[a]
            .0
            .total_cmp(&points[b].0)
            .then(points[a].1.total_cmp(&points[b].1))
    });
    let mut front = Vec::new();
    let mut best = f64::INFINITY;
    for i in order {
        if points[i].1 < best {
            best = points[i].1;
            front.push(i);
        }
    }
    front
}

/// Cost against loss (for example defender cost against leakers), every
/// point drawn, the Pareto front joined and marked.
pub fn cost_protection(title: &str, xlabel: &str, ylabel: &str, points: &[(f64, f64)]) -> String {
    let f = Frame::new(points.iter().map(|p| p.0), points.iter().map(|p| p.1)).padded();
    let mut s = open(title, xlabel, ylabel, &f);
    let front = pareto_front(points);
    for (i, p) in points.iter().enumerate() {
        if !(p.0.is_finite() && p.1.is_finite()) {
            // A point without the metric (not run in this shard) is not drawn.
            continue;
        }
        let on = front.contains(&i);
        let _ = writeln!(
            s,
            "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"{}\" fill=\"{}\"/>",
            f.x(p.0),
            f.y(p.1),
            if on { 5 } else { 3 },
            if on { "#d62728" } else { "#999" }
        );
    }
    if let [only] = front.as_slice() {
        // One point is both the cheapest and the most protective: a front
        // of one, ringed and said so, not a line of one point that draws nothing.
        let _ = writeln!(
            s,
            "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"9\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#d62728\">Pareto front: one point, cheapest and most protective</text>",
            f.x(points[*only].0),
            f.y(points[*only].1),
            W - R,
            T - 6.0
        );
    } else if !front.is_empty() {
        let line: Vec<String> = front
            .iter()
            .map(|&i| format!("{:.2},{:.2}", f.x(points[i].0), f.y(points[i].1)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#d62728\">Pareto front</text>",
            line.join(" "),
            W - R,
            T - 6.0
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pareto_front_by_brute_force() {
        let pts = [
            (1.0, 9.0),
            (2.0, 5.0),
            (3.0, 6.0),
            (4.0, 1.0),
            (2.0, 7.0),
            (5.0, 1.0),
        ];
        let mut front = pareto_front(&pts);
        front.sort_unstable();
        let brute: Vec<usize> = (0..pts.len())
            .filter(|&i| {
                !(0..pts.len()).any(|j| {
                    j != i
                        && pts[j].0 <= pts[i].0
                        && pts[j].1 <= pts[i].1
                        && (pts[j].0 < pts[i].0 || pts[j].1 < pts[i].1)
                })
            })
            .collect();
        assert_eq!(front, brute);
    }

    /// A front of one point is ringed and named, not drawn as a line of
    /// one point (which shows nothing); a front of several is a line.
    #[test]
    fn a_front_of_one_point_is_said_so() {
        let one = cost_protection("c", "x", "y", &[(1.0, 1.0), (2.0, 3.0), (3.0, 2.0)]);
        assert!(
            one.contains("one point, cheapest and most protective"),
            "{one}"
        );
        assert!(!one.contains("<polyline"));
        let two = cost_protection("c", "x", "y", &[(1.0, 3.0), (2.0, 1.0), (3.0, 2.0)]);
        assert!(two.contains("<polyline") && two.contains(">Pareto front<"));
        assert!(!two.contains("one point"));
        let gap = cost_protection("c", "x", "y", &[(1.0, 3.0), (f64::NAN, f64::NAN)]);
        assert!(!gap.contains("NaN"), "{gap}");
    }

    #[test]
    fn svg_is_well_formed_enough() {
        let s = curve_with_band(
            "t<",
            "x",
            "y",
            &[(1.0, 2.0, 1.5, 2.5), (2.0, 3.0, 2.0, 4.0)],
            Some(2.5),
        );
        assert!(s.starts_with("<svg") && s.ends_with("</svg>\n"));
        assert!(s.contains("t&lt;"));
        let h = heat_map(
            "h",
            "x",
            "y",
            &["1".into()],
            &["a".into(), "b".into()],
            &[vec![1.0], vec![2.0]],
        );
        assert_eq!(h.matches("<rect x=").count(), 2);
    }
}

#[cfg(test)]
mod tick_tests {
    use super::*;

    #[test]
    fn axes_are_cut_at_round_numbers() {
        assert_eq!(ticks(0.0, 800.0), [0.0, 200.0, 400.0, 600.0, 800.0]);
        assert_eq!(ticks(1.0, 180.0), [50.0, 100.0, 150.0]);
        assert_eq!(ticks(-0.004, 0.077), [0.0, 0.02, 0.04, 0.06]);
        assert_eq!(nice_step(12.0), 2.5);
        assert_eq!(tick(0.06), "0.06");
        assert_eq!(tick(0.3), "0.3");
        // A value frame reaches round numbers on both sides of the data.
        let f = Frame::new([1.0, 2.0].into_iter(), [3.0, 731.0].into_iter());
        assert_eq!((f.y0, f.y1), (0.0, 800.0));
    }

    /// Regressions: a cost axis read `6.000e8`, a campaign's nights were
    /// ticked at 2.5 and 7.5, and the cost-protection dots were cut at the
    /// frame's edge.
    #[test]
    fn ticks_in_the_units_people_read() {
        assert_eq!(tick(6.0e8), "600 M");
        assert_eq!(tick(1.25e6), "1.25 M");
        assert_eq!(tick(2.4e9), "2.4 bn");
        assert_eq!(tick(12_500.0), "12,500");
        assert_eq!(whole_ticks(1.0, 12.0), [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
        assert_eq!(whole_ticks(1.0, 4.0), [1.0, 2.0, 3.0, 4.0]);
        assert!(whole_ticks(1.0, 180.0).iter().all(|x| x.fract() == 0.0));
        let nights = Frame::new([1.0, 12.0].into_iter(), [0.0, 1.0].into_iter());
        assert!(nights.whole_x);
        let svg = lines(
            "t",
            "night",
            "v",
            &[Series {
                name: "s",
                colour: "#000",
                points: (1..=12).map(|n| (f64::from(n), 1.0)).collect(),
            }],
        );
        assert!(!svg.contains(">2.5<") && !svg.contains(">7.5<"), "{svg}");
        let pts = [(1.0e8, 3.0), (6.0e8, 1.0)];
        let f = Frame::new(pts.iter().map(|p| p.0), pts.iter().map(|p| p.1)).padded();
        assert!(f.x(1.0e8) > L && f.x(6.0e8) < W - R);
        assert!(f.y(3.0) > T && f.y(1.0) < H - B);
    }
}
