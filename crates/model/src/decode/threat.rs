//! `[[threat]]` classes.

use super::*;

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn threat(&mut self, raw: &Tbl<'_, '_>) -> Option<ThreatClass> {
        let id = self.id(raw, Namespace::Threat);
        let base = self.with_class(raw, RawCatalogue::threat, |c| {
            c.threats.iter().map(|(i, _)| *i).collect()
        });
        let (class, t) = Self::based(raw, &base, &spec::THREAT);
        let threat = self.threat_fields(&t, id.clone().unwrap_or_default(), class);
        if matches!(base, Base::Broken) || id.is_none() {
            return None;
        }
        threat
    }

    pub(super) fn threat_fields(
        &mut self,
        t: &Tbl<'_, '_>,
        id: String,
        class: Option<String>,
    ) -> Option<ThreatClass> {
        let cx = &mut *self.cx;
        let hint = || Some("give it, or name a catalogue class with `class = ...`".to_string());
        let kind = t.choice(cx, "kind", ThreatKind::parse, ThreatKind::NAMES);
        if kind.is_none() && !t.has("kind") {
            t.missing(cx, "kind", hint());
        }
        let mut need = |key: &str, dim: Dimension, sign: Sign| {
            let v = t.quantity_signed(cx, key, dim, sign);
            if v.is_none() && !t.has(key) {
                t.missing(cx, key, hint());
            }
            v
        };
        let speed = need("speed", Dimension::Speed, Sign::Positive);
        let altitude = need("altitude", Dimension::Length, Sign::NonNegative);
        let rcs = need("rcs", Dimension::Area, Sign::Positive);
        let warhead = need("warhead", Dimension::Mass, Sign::NonNegative);
        let unit_cost = need("unit_cost", Dimension::Money, Sign::NonNegative);
        let accuracy = need("accuracy", Dimension::Length, Sign::NonNegative);
        let guidance = t.choice(cx, "guidance", Guidance::parse, Guidance::NAMES);
        if guidance.is_none() && !t.has("guidance") {
            t.missing(cx, "guidance", hint());
        }
        let decoy = t.boolean(cx, "decoy");
        let endurance = t.millis(cx, "endurance", Sign::Positive);
        if t.has("endurance") && endurance.is_none() {
            return None;
        }
        let jam_resistance = t.probability(cx, "jam_resistance");
        if t.has("jam_resistance") && jam_resistance.is_none() {
            return None;
        }
        let kind = kind?;
        let decoy = match decoy {
            Some(d) => d,
            None if t.has("decoy") => return None,
            None => kind == ThreatKind::Decoy,
        };
        if decoy && warhead.is_some_and(|w| w > 0.0) {
            cx.warning(
                t.span_of("warhead"),
                t.key_path("warhead"),
                DiagnosticKind::DecoyWarhead,
            );
        }
        Some(ThreatClass {
            id,
            class,
            kind,
            speed: speed?,
            altitude: altitude?,
            rcs: rcs?,
            warhead: warhead?,
            unit_cost: unit_cost?,
            guidance: guidance?,
            accuracy: accuracy?,
            decoy,
            endurance,
            jam_resistance: jam_resistance.unwrap_or(0.0),
        })
    }
}
