//! `[[effector]]` tables: shooters and jammers.

use super::*;

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn effector(&mut self, raw: &Tbl<'_, '_>) -> Option<Vec<Effector>> {
        let id = self.id(raw, Namespace::Effector);
        let base = self.with_class(raw, RawCatalogue::effector, |c| {
            c.effectors.iter().map(|(i, _)| *i).collect()
        });
        let (class, t) = Self::based(raw, &base, &spec::EFFECTOR);
        let points = self.placement(&t);
        let kind = t.choice(self.cx, "kind", EffectorKind::parse, EffectorKind::NAMES);
        if kind.is_none() && !t.has("kind") {
            t.missing(
                self.cx,
                "kind",
                Some("give kind, or name a catalogue class with `class = ...`".into()),
            );
        }
        // Without a known kind (a broken class), read the fields as the keys
        // suggest, to report what is wrong with them too.
        let jams = match kind {
            Some(k) => k == EffectorKind::Jammer,
            None => t.has("radius") || t.has("p_defeat"),
        };
        if kind.is_none() && !matches!(base, Base::Broken) {
            return None;
        }
        let role = if jams {
            self.jammer(&t).map(EffectorRole::Jammer)
        } else {
            self.weapon(&t, kind).map(EffectorRole::Shooter)
        };
        let kind = kind?;
        if matches!(base, Base::Broken) {
            return None;
        }
        let id = id?;
        let points = points?;
        let role = role?;
        self.effector_groups.push(EffectorGroup {
            group: id.clone(),
            span: t.span.clone(),
            path: t.path.clone(),
        });
        Some(
            unit_ids(&id, points.len())
                .into_iter()
                .zip(points)
                .map(|(uid, position)| Effector {
                    id: uid,
                    group: id.clone(),
                    class: class.clone(),
                    kind,
                    position,
                    role: role.clone(),
                })
                .collect(),
        )
    }

    pub(super) fn not_for(&mut self, t: &Tbl<'_, '_>, keys: &[&str], who: &str) -> bool {
        let mut ok = true;
        for key in keys {
            if t.has(key) {
                ok = false;
                self.cx.error(
                    t.span_of(key),
                    t.key_path(key),
                    DiagnosticKind::NotApplicable {
                        key: key.to_string(),
                        subject: who.to_string(),
                    },
                );
            }
        }
        ok
    }

    pub(super) fn jammer(&mut self, t: &Tbl<'_, '_>) -> Option<Jammer> {
        const WEAPON_KEYS: &[&str] = &[
            "min_range",
            "max_range",
            "max_altitude",
            "min_altitude",
            "aiming",
            "stock",
            "engages",
            "channels",
            "magazine",
            "reload_time",
            "interceptor_speed",
            "reaction_time",
            "pk",
            "cost_per_shot",
            "mean_engagement_time",
        ];
        let ok = self.not_for(t, WEAPON_KEYS, "a jammer (it fires no rounds)");
        let cx = &mut *self.cx;
        let radius = t.quantity_signed(cx, "radius", Dimension::Length, Sign::Positive);
        let radius = t.need(cx, "radius", radius);
        let p = t.probability_map(cx, "p_defeat");
        let p = t.need(cx, "p_defeat", p)?;
        for (name, span, _) in &p {
            self.refer(
                RefKind::ThreatSet,
                name.clone(),
                span.clone(),
                format!("{}.p_defeat.{name}", t.path),
            );
        }
        ok.then_some(())?;
        Some(Jammer {
            radius: radius?,
            p_defeat: to_map(&p),
        })
    }

    pub(super) fn weapon(&mut self, t: &Tbl<'_, '_>, kind: Option<EffectorKind>) -> Option<Weapon> {
        let ok = self.not_for(
            t,
            &["radius", "p_defeat"],
            "a shooter (only jammers have them)",
        );
        let cx = &mut *self.cx;
        let hint = || Some("give it, or name a catalogue class with `class = ...`".to_string());
        let min_range = t.quantity_signed(cx, "min_range", Dimension::Length, Sign::NonNegative);
        let min_altitude =
            t.quantity_signed(cx, "min_altitude", Dimension::Length, Sign::NonNegative);
        let aiming = t.choice(cx, "aiming", Aiming::parse, Aiming::NAMES);
        let stock = t.count(cx, "stock", 0);
        let mut need = |key: &str, dim: Dimension, sign: Sign| {
            let v = t.quantity_signed(cx, key, dim, sign);
            if v.is_none() && !t.has(key) {
                t.missing(cx, key, hint());
            }
            v
        };
        let max_range = need("max_range", Dimension::Length, Sign::Positive);
        let max_altitude = need("max_altitude", Dimension::Length, Sign::Positive);
        let speed = need("interceptor_speed", Dimension::Speed, Sign::Positive);
        let cost = need("cost_per_shot", Dimension::Money, Sign::NonNegative);
        let reload = t.millis(cx, "reload_time", Sign::NonNegative);
        let reaction = t.millis(cx, "reaction_time", Sign::NonNegative);
        let engagement = t.millis(cx, "mean_engagement_time", Sign::Positive);
        let channels = t.count(cx, "channels", 1);
        let magazine = t.count(cx, "magazine", 0);
        if magazine.is_none() && !t.has("magazine") {
            t.missing(cx, "magazine", hint());
        }
        if reload.is_none() && !t.has("reload_time") {
            t.missing(cx, "reload_time", hint());
        }
        let engages = t.strings(cx, "engages");
        if engages.is_none() && !t.has("engages") {
            t.missing(cx, "engages", hint());
        }
        let pk = t.probability_map(cx, "pk");
        if pk.is_none() && !t.has("pk") {
            t.missing(cx, "pk", hint());
        }
        if let (Some(lo), Some(hi)) = (min_range, max_range)
            && lo > hi
        {
            cx.error(
                t.span_of("min_range"),
                t.key_path("min_range"),
                DiagnosticKind::OutOfOrder {
                    low: "min_range".into(),
                    high: "max_range".into(),
                    low_value: format!("\"{}\"", t.raw_text("min_range")),
                    high_value: format!("\"{}\"", t.raw_text("max_range")),
                },
            );
            return None;
        }
        if let (Some(lo), Some(hi)) = (min_altitude, max_altitude)
            && lo > hi
        {
            cx.error(
                t.span_of("min_altitude"),
                t.key_path("min_altitude"),
                DiagnosticKind::OutOfOrder {
                    low: "min_altitude".into(),
                    high: "max_altitude".into(),
                    low_value: format!("\"{}\"", t.raw_text("min_altitude")),
                    high_value: format!("\"{}\"", t.raw_text("max_altitude")),
                },
            );
            return None;
        }
        if let Some(list) = &engages {
            if list.is_empty() {
                cx.error(
                    t.span_of("engages"),
                    t.key_path("engages"),
                    DiagnosticKind::EmptyList {
                        key: "engages".into(),
                        item: "threat kind or class",
                    },
                );
            }
            for (i, (name, span)) in list.iter().enumerate() {
                self.refs.push(Ref {
                    what: RefKind::ThreatSet,
                    id: name.clone(),
                    span: span.clone(),
                    path: format!("{}.engages[{i}]", t.path),
                });
            }
        }
        if let Some(map) = &pk {
            for (name, span, _) in map {
                self.refs.push(Ref {
                    what: RefKind::ThreatSet,
                    id: name.clone(),
                    span: span.clone(),
                    path: format!("{}.pk.{name}", t.path),
                });
            }
        }
        let all_optional_ok = (engagement.is_some() || !t.has("mean_engagement_time"))
            && (min_range.is_some() || !t.has("min_range"))
            && (min_altitude.is_some() || !t.has("min_altitude"))
            && (aiming.is_some() || !t.has("aiming"))
            && (stock.is_some() || !t.has("stock"))
            && (reaction.is_some() || !t.has("reaction_time"))
            && (channels.is_some() || !t.has("channels"));
        if !(ok && all_optional_ok) || engages.as_ref().is_some_and(|e| e.is_empty()) {
            return None;
        }
        Some(Weapon {
            min_range: min_range.unwrap_or(0.0),
            max_range: max_range?,
            max_altitude: max_altitude?,
            min_altitude: min_altitude.unwrap_or(0.0),
            aiming: aiming.unwrap_or_else(|| kind.map_or(Aiming::Radar, Aiming::default_for)),
            engages: engages?.into_iter().map(|(s, _)| s).collect(),
            channels: channels.unwrap_or(1),
            magazine: magazine?,
            stock,
            reload_time: reload?,
            interceptor_speed: speed?,
            reaction_time: reaction.unwrap_or(0),
            pk: to_map(&pk?),
            cost_per_shot: cost?,
            mean_engagement_time: engagement,
        })
    }
}
