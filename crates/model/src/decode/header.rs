//! The `[scenario]` header and the `[tracking]` rule.

use super::*;

/// What the `[scenario]` table says.
pub(super) struct Header {
    pub(super) name: String,
    pub(super) description: Option<String>,
    pub(super) seed: u64,
    pub(super) duration: Millis,
    pub(super) origin: Option<GeoOrigin>,
    pub(super) outline: Vec<Point>,
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    #[allow(clippy::type_complexity)]
    pub(super) fn scenario_header(&mut self, root: &Tbl<'_, '_>) -> Option<Header> {
        let Some(t) = root.table(self.cx, "scenario", &spec::SCENARIO) else {
            if !root.has("scenario") {
                root.missing(
                    self.cx,
                    "scenario",
                    Some("start the file with a [scenario] table: name and duration".into()),
                );
            }
            return None;
        };
        let name = {
            let v = t.string(self.cx, "name");
            t.need(self.cx, "name", v)
        };
        let description = t.string(self.cx, "description");
        let seed = t.integer(self.cx, "seed", 0, i64::MAX).unwrap_or(1) as u64;
        let duration = {
            let v = t.millis(self.cx, "duration", Sign::Positive);
            t.need(self.cx, "duration", v)
        };
        self.duration = duration;
        let origin = t.table(self.cx, "origin", &spec::ORIGIN).and_then(|o| {
            let lat = {
                let v = o.number(self.cx, "lat", -90.0, 90.0);
                o.need(self.cx, "lat", v)
            };
            let lon = {
                let v = o.number(self.cx, "lon", -180.0, 180.0);
                o.need(self.cx, "lon", v)
            };
            Some(GeoOrigin {
                lat: lat?,
                lon: lon?,
            })
        });
        if t.has("origin") && origin.is_none() {
            return None;
        }
        let outline = if t.has("outline") {
            let points = t.points(self.cx, "outline")?;
            if points.len() < 3 {
                self.cx.error(
                    t.span_of("outline"),
                    t.key_path("outline"),
                    DiagnosticKind::TooFewPoints {
                        key: "outline".into(),
                        found: points.len(),
                        least: 3,
                    },
                );
                return None;
            }
            points
        } else {
            Vec::new()
        };
        Some(Header {
            name: name?,
            description,
            seed,
            duration: duration?,
            origin,
            outline,
        })
    }

    /// `[hindcast]`: the raids that carry each column of a reported night.
    pub(super) fn hindcast(&mut self, root: &Tbl<'_, '_>) -> Option<Option<HindcastRaids>> {
        let Some(t) = root.table(self.cx, "hindcast", &spec::HINDCAST) else {
            return (!root.has("hindcast")).then_some(None);
        };
        let mut out = HindcastRaids::default();
        let mut ok = true;
        // A raid carries one column, once: its count is set from it.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (key, list) in [
            ("drones", &mut out.drones),
            ("decoys", &mut out.decoys),
            ("missiles", &mut out.missiles),
            ("ballistic", &mut out.ballistic),
        ] {
            if !t.has(key) {
                continue;
            }
            match t.strings(self.cx, key) {
                Some(items) => {
                    for (i, (id, span)) in items.into_iter().enumerate() {
                        let path = format!("{}.{key}[{i}]", t.path);
                        if let Some(first) = seen.get(&id) {
                            ok = false;
                            self.cx.error(
                                span,
                                path,
                                DiagnosticKind::HindcastTwice {
                                    id,
                                    first: first.clone(),
                                },
                            );
                            continue;
                        }
                        seen.insert(id.clone(), path.clone());
                        self.refer(RefKind::Raid, id.clone(), span, path);
                        list.push(id);
                    }
                }
                None => ok = false,
            }
        }
        if t.has("baseline") {
            match t.strings(self.cx, "baseline") {
                Some(items) => {
                    for (i, (id, span)) in items.into_iter().enumerate() {
                        let path = format!("{}.baseline[{i}]", t.path);
                        if !seen.contains_key(&id) {
                            ok = false;
                            self.cx
                                .error(span, path, DiagnosticKind::BaselineWithoutColumn { id });
                        } else if !out.baseline.contains(&id) {
                            out.baseline.push(id);
                        }
                    }
                }
                None => ok = false,
            }
        }
        ok.then_some(Some(out))
    }

    /// `[conditions]`: the night's weather (clear without it).
    pub(super) fn conditions(&mut self, root: &Tbl<'_, '_>) -> Option<Conditions> {
        let Some(t) = root.table(self.cx, "conditions", &spec::CONDITIONS) else {
            return (!root.has("conditions")).then_some(Conditions::CLEAR);
        };
        let cx = &mut *self.cx;
        let visibility = t.quantity_signed(cx, "visibility", Dimension::Length, Sign::Positive);
        let clear = t.quantity_signed(cx, "clear_visibility", Dimension::Length, Sign::Positive);
        if (t.has("visibility") && visibility.is_none())
            || (t.has("clear_visibility") && clear.is_none())
        {
            return None;
        }
        Some(Conditions {
            visibility,
            clear_visibility: clear.unwrap_or(Conditions::CLEAR_VISIBILITY),
        })
    }

    pub(super) fn tracking(&mut self, root: &Tbl<'_, '_>) -> Option<TrackInitiation> {
        let Some(t) = root.table(self.cx, "tracking", &spec::TRACKING) else {
            return (!root.has("tracking")).then_some(TrackInitiation {
                k: 2,
                n: 3,
                lost_after: None,
            });
        };
        let k = t.count(self.cx, "k", 1);
        let n = t.count(self.cx, "n", 1);
        let lost_after = t.millis(self.cx, "lost_after", Sign::Positive);
        if t.has("lost_after") && lost_after.is_none() {
            return None;
        }
        let (k, n) = (
            if t.has("k") { k? } else { 2 },
            if t.has("n") {
                n?
            } else {
                3.max(k.unwrap_or(2))
            },
        );
        if k > n {
            self.cx.error(
                t.span_of("k"),
                t.key_path("k"),
                DiagnosticKind::OutOfOrder {
                    low: "k".into(),
                    high: "n".into(),
                    low_value: k.to_string(),
                    high_value: n.to_string(),
                },
            );
            return None;
        }
        Some(TrackInitiation { k, n, lost_after })
    }
}
