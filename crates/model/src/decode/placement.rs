//! Placement of units: one position, a list, or `count` units spread over a disc.

use super::*;

/// Unit ids: the declared id for one unit, `id#1`, `id#2`... for several.
pub(super) fn unit_ids(id: &str, n: usize) -> Vec<String> {
    if n == 1 {
        vec![id.to_string()]
    } else {
        (1..=n).map(|k| format!("{id}#{k}")).collect()
    }
}

/// Spreads `n` points evenly over a disc (Vogel's sunflower spiral):
/// deterministic, no random draw, no two points on top of each other.
pub fn spread(center: Point, radius: f64, n: u32) -> Vec<Point> {
    if n == 1 {
        return vec![center];
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    (0..n)
        .map(|k| {
            let r = radius * ((f64::from(k) + 0.5) / f64::from(n)).sqrt();
            let a = golden * f64::from(k);
            Point::new(
                center.east + r * libm::cos(a),
                center.north + r * libm::sin(a),
            )
        })
        .collect()
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    /// Where the units of a declaration stand: `position`, `positions` or `area`, with `count`.
    pub(super) fn placement(&mut self, t: &Tbl<'_, '_>) -> Option<Vec<Point>> {
        let cx = &mut *self.cx;
        let count = t
            .integer(cx, "count", 0, i64::from(MAX_UNITS))
            .map(|c| c as u32);
        if t.has("count") && count.is_none() {
            return None;
        }
        let given: Vec<&str> = ["position", "positions", "area"]
            .into_iter()
            .filter(|k| t.has(k))
            .collect();
        match given.as_slice() {
            [] => {
                t.missing(
                    cx,
                    "position",
                    Some("give position = [east, north], positions = [[...], ...] or area = { center, radius }".into()),
                );
                None
            }
            ["position"] => {
                let p = t.point(cx, "position")?;
                Some(vec![p; count.unwrap_or(1) as usize])
            }
            ["positions"] => {
                let ps = t.points(cx, "positions")?;
                match count {
                    Some(n) if n as usize != ps.len() => {
                        cx.error(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            DiagnosticKind::CountMismatch {
                                count: n,
                                listed: ps.len(),
                            },
                        );
                        None
                    }
                    _ if ps.is_empty() => {
                        cx.error(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            DiagnosticKind::EmptyList {
                                key: "positions".into(),
                                item: "position",
                            },
                        );
                        None
                    }
                    _ => Some(ps),
                }
            }
            ["area"] => {
                let a = t.table(cx, "area", &spec::AREA)?;
                let center = {
                    let v = a.point(cx, "center");
                    a.need(cx, "center", v)
                };
                let radius = a.quantity_signed(cx, "radius", Dimension::Length, Sign::NonNegative);
                let radius = a.need(cx, "radius", radius);
                Some(spread(center?, radius?, count.unwrap_or(1)))
            }
            _ => {
                cx.error(
                    t.span_of(given[1]),
                    t.key_path(given[1]),
                    DiagnosticKind::ExclusiveKeys {
                        keys: given.iter().map(|k| k.to_string()).collect(),
                    },
                );
                None
            }
        }
    }
}
