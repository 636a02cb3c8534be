//! `[[sensor]]` tables.

use super::*;

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn sensor(&mut self, t: &Tbl<'_, '_>) -> Option<Vec<Sensor>> {
        let id = self.id(t, Namespace::Sensor);
        let points = self.placement(t);
        let cx = &mut *self.cx;
        let kind = t.choice(cx, "type", SensorKind::parse, SensorKind::NAMES);
        let kind = t.need(cx, "type", kind);
        let mast = t.quantity_signed(cx, "mast_height", Dimension::Length, Sign::NonNegative);
        let range = t.quantity_signed(cx, "range", Dimension::Length, Sign::Positive);
        let range = t.need(cx, "range", range);
        let rcs = t.quantity_signed(cx, "reference_rcs", Dimension::Area, Sign::Positive);
        let period = t.millis(cx, "scan_period", Sign::Positive);
        let p = t.probability(cx, "p_detect");
        let p = t.need(cx, "p_detect", p);
        let max_alt = t.quantity_signed(cx, "max_altitude", Dimension::Length, Sign::Positive);
        let kind = kind?;
        if kind != SensorKind::Radar && t.has("reference_rcs") {
            cx.error(
                t.span_of("reference_rcs"),
                t.key_path("reference_rcs"),
                DiagnosticKind::NotApplicable {
                    key: "reference_rcs".into(),
                    subject: format!("a sensor of type {kind} (radars only)"),
                },
            );
            return None;
        }
        let opt_ok = |key: &str, v: bool| v || !t.has(key);
        if !(opt_ok("mast_height", mast.is_some())
            && opt_ok("reference_rcs", rcs.is_some())
            && opt_ok("scan_period", period.is_some())
            && opt_ok("max_altitude", max_alt.is_some()))
        {
            return None;
        }
        let id = id?;
        let points = points?;
        let max_altitude = max_alt.or(match kind {
            SensorKind::Radar => None,
            _ => Some(3000.0),
        });
        Some(
            unit_ids(&id, points.len())
                .into_iter()
                .zip(points)
                .map(|(uid, position)| Sensor {
                    id: uid,
                    group: id.clone(),
                    kind,
                    position,
                    mast_height: mast.unwrap_or(10.0),
                    range: range.unwrap_or(0.0),
                    reference_rcs: rcs.unwrap_or(1.0),
                    scan_period: period.unwrap_or(10_000),
                    p_detect: p.unwrap_or(0.0),
                    max_altitude,
                })
                .collect(),
        )
    }
}
