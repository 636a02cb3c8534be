//! `[[raid]]` tables: arrivals, routes and targets.

use super::*;

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn raid(&mut self, t: &Tbl<'_, '_>) -> Option<Raid> {
        let id = self.id(t, Namespace::Raid);
        let cx = &mut *self.cx;
        let threat = t.string(cx, "threat");
        let threat = t.need(cx, "threat", threat);
        let count = t.count(cx, "count", 1);
        let count = t.need(cx, "count", count);
        let from = t.strings(cx, "from");
        let from = t.need(cx, "from", from);
        let start = if t.has("start") {
            t.millis(cx, "start", Sign::NonNegative)
        } else {
            Some(0)
        };
        let end = t.millis(cx, "end", Sign::NonNegative);
        let end = t.need(cx, "end", end);
        let arrival = t.choice(cx, "arrival", ArrivalKind::parse, ArrivalKind::NAMES);
        let rate = t.quantity_signed(cx, "rate", Dimension::Rate, Sign::Positive);
        // References first, so that they are checked whatever else is wrong.
        if let Some(th) = &threat {
            self.refer(
                RefKind::ThreatClass,
                th.clone(),
                t.span_of("threat"),
                t.key_path("threat"),
            );
        }
        let mut ok = true;
        if let Some(list) = &from {
            if list.is_empty() {
                ok = false;
                self.cx.error(
                    t.span_of("from"),
                    t.key_path("from"),
                    DiagnosticKind::EmptyList {
                        key: "from".into(),
                        item: "launch site id",
                    },
                );
            }
            for (i, (site, span)) in list.iter().enumerate() {
                self.refer(
                    RefKind::LaunchSite,
                    site.clone(),
                    span.clone(),
                    format!("{}.from[{i}]", t.path),
                );
            }
        }
        let route = self.route(t);
        let target = self.target(t);
        let altitudes = self.altitudes(t, route.as_ref());
        let dive = self.dive(t);
        if (t.has("altitudes") && altitudes.is_none()) || (t.has("dive") && dive.is_none()) {
            ok = false;
        }
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            ok = false;
            self.cx.error(
                t.span_of("start"),
                t.key_path("start"),
                DiagnosticKind::OutOfOrder {
                    low: "start".into(),
                    high: "end".into(),
                    low_value: format!("\"{}\"", t.raw_text("start")),
                    high_value: format!("\"{}\"", t.raw_text("end")),
                },
            );
        }
        if let (Some(d), Some(e)) = (self.duration, end)
            && e > d
        {
            ok = false;
            self.cx.error(
                t.span_of("end"),
                t.key_path("end"),
                DiagnosticKind::OutOfRange {
                    found: format!("\"{}\"", t.raw_text("end")),
                    expected: format!(
                        "a time within the scenario duration ({})",
                        crate::units::fmt_duration(d)
                    ),
                },
            );
        }
        let arrival_kind = match arrival {
            Some(a) => a,
            None if t.has("arrival") => {
                ok = false;
                ArrivalKind::Uniform
            }
            None => ArrivalKind::Uniform,
        };
        let arrival_broken = t.has("arrival") && arrival.is_none();
        if t.has("rate") && arrival_kind != ArrivalKind::Poisson && !arrival_broken {
            ok = false;
            self.cx.error(
                t.span_of("rate"),
                t.key_path("rate"),
                DiagnosticKind::NotApplicable {
                    key: "rate".into(),
                    subject: format!("arrival = \"{arrival_kind}\" (rate is for \"poisson\" only)"),
                },
            );
        }
        let (start, end, count) = (start?, end?, count?);
        let arrival = match arrival_kind {
            ArrivalKind::Fixed => Arrival::Fixed,
            ArrivalKind::Uniform => Arrival::Uniform,
            ArrivalKind::Poisson => match rate {
                Some(r) => Arrival::Poisson { rate: r },
                None if t.has("rate") => return None,
                None if end <= start => {
                    self.cx.error(
                        t.span_of("arrival"),
                        t.key_path("rate"),
                        DiagnosticKind::MissingKey {
                            key: "rate".into(),
                            hint: Some(
                                "a poisson raid with an empty window (start = end) needs an explicit rate"
                                    .into(),
                            ),
                        },
                    );
                    return None;
                }
                None => Arrival::Poisson {
                    rate: f64::from(count) / ((end - start) as f64 / 1000.0),
                },
            },
        };
        if !ok {
            return None;
        }
        if let Some(id) = &id {
            self.raid_targets
                .push((id.clone(), t.span_of("target"), t.key_path("target")));
        }
        Some(Raid {
            id: id?,
            threat: threat?,
            count,
            from: from?.into_iter().map(|(s, _)| s).collect(),
            start,
            end,
            arrival,
            route: route?,
            target: target?,
            altitudes: altitudes.unwrap_or_default(),
            dive: dive.flatten(),
        })
    }

    /// `altitudes`: one for the whole route or one per leg (waypoints + 1).
    fn altitudes(&mut self, t: &Tbl<'_, '_>, route: Option<&Route>) -> Option<Vec<f64>> {
        if !t.has("altitudes") {
            return Some(Vec::new());
        }
        let list = t.quantities(self.cx, "altitudes", Dimension::Length, Sign::NonNegative)?;
        let legs = match route {
            Some(Route::Waypoints(w)) => w.len() + 1,
            Some(Route::Direct) => 1,
            None => return Some(list),
        };
        if list.is_empty() || (list.len() != 1 && list.len() != legs) {
            self.cx.error(
                t.span_of("altitudes"),
                t.key_path("altitudes"),
                DiagnosticKind::OutOfRange {
                    found: format!("{} altitudes", list.len()),
                    expected: if legs == 1 {
                        "one altitude (the route is one leg)".into()
                    } else {
                        format!("one altitude for the whole route, or {legs}, one per leg")
                    },
                },
            );
            return None;
        }
        Some(list)
    }

    /// `dive`: exactly one of `angle` (above 0, at most 90 deg) or `length`.
    /// `Some(None)` when the raid has no dive.
    fn dive(&mut self, t: &Tbl<'_, '_>) -> Option<Option<Dive>> {
        let Some(v) = t.get("dive") else {
            return Some(None);
        };
        let d = Tbl::open(self.cx, v, t.key_path("dive"), &spec::DIVE)?;
        match (d.has("angle"), d.has("length")) {
            (true, false) => {
                let a = d.quantity_signed(self.cx, "angle", Dimension::Angle, Sign::Positive)?;
                if a > std::f64::consts::FRAC_PI_2 + 1e-12 {
                    self.cx.error(
                        d.span_of("angle"),
                        d.key_path("angle"),
                        DiagnosticKind::OutOfRange {
                            found: format!("\"{}\"", d.raw_text("angle")),
                            expected: "an angle above 0 and at most 90 deg".into(),
                        },
                    );
                    return None;
                }
                Some(Some(Dive::Angle(a.min(std::f64::consts::FRAC_PI_2))))
            }
            (false, true) => {
                let l =
                    d.quantity_signed(self.cx, "length", Dimension::Length, Sign::NonNegative)?;
                Some(Some(Dive::Length(l)))
            }
            _ => {
                self.cx.error(
                    v.span(),
                    t.key_path("dive"),
                    DiagnosticKind::NeedOneOf {
                        keys: vec!["angle".into(), "length".into()],
                    },
                );
                None
            }
        }
    }

    pub(super) fn route(&mut self, t: &Tbl<'_, '_>) -> Option<Route> {
        let Some(v) = t.get("route") else {
            return Some(Route::Direct);
        };
        match v.get_ref() {
            DeValue::String(s) if s == "direct" => Some(Route::Direct),
            DeValue::Array(items) if items.is_empty() => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::EmptyList {
                        key: "route".into(),
                        item: "waypoint (or write route = \"direct\")",
                    },
                );
                None
            }
            DeValue::Array(_) => t.points(self.cx, "route").map(Route::Waypoints),
            DeValue::String(s) => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::UnknownVariant {
                        found: s.to_string(),
                        expected: vec!["direct".into(), "[[east, north], ...]".into()],
                        suggestion: suggest(s, ["direct"]),
                    },
                );
                None
            }
            other => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::WrongType {
                        expected: spec::describe(&spec::Ty::Route),
                        found: crate::read::type_name(other),
                    },
                );
                None
            }
        }
    }

    pub(super) fn target(&mut self, t: &Tbl<'_, '_>) -> Option<TargetSelection> {
        let Some(v) = t.get("target") else {
            return Some(TargetSelection::AnyByValue);
        };
        let path = t.key_path("target");
        match v.get_ref() {
            DeValue::String(s) if s == "any" => Some(TargetSelection::AnyByValue),
            DeValue::String(s) => {
                self.cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::UnknownVariant {
                        found: s.to_string(),
                        expected: vec![
                            "any".into(),
                            "{ asset = \"id\" }".into(),
                            "{ kinds = [...] }".into(),
                        ],
                        suggestion: suggest(s, ["any"]),
                    },
                );
                None
            }
            DeValue::Table(_) => {
                let tt = Tbl::open(self.cx, v, path.clone(), &spec::TARGET)?;
                if tt.has("city") || tt.has("cities") {
                    return self.cities_target(&tt, v.span());
                }
                match (tt.has("asset"), tt.has("kinds")) {
                    (true, false) => {
                        let a = tt.string(self.cx, "asset")?;
                        self.refer(
                            RefKind::Asset,
                            a.clone(),
                            tt.span_of("asset"),
                            tt.key_path("asset"),
                        );
                        Some(TargetSelection::Asset(a))
                    }
                    (false, true) => self.target_kinds(&tt).map(TargetSelection::Kinds),
                    _ => {
                        self.cx.error(
                            v.span(),
                            path,
                            DiagnosticKind::NeedOneOf {
                                keys: vec!["asset".into(), "kinds".into()],
                            },
                        );
                        None
                    }
                }
            }
            other => {
                self.cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::WrongType {
                        expected: spec::describe(&spec::Ty::Target),
                        found: crate::read::type_name(other),
                    },
                );
                None
            }
        }
    }

    /// `{ city = ... }` or `{ cities = { name = weight, ... } }`, with
    /// `kinds` or not (never with `asset`).
    fn cities_target(&mut self, tt: &Tbl<'_, '_>, span: Span) -> Option<TargetSelection> {
        if tt.has("asset") || (tt.has("city") && tt.has("cities")) {
            let keys = if tt.has("asset") {
                vec![
                    "asset".into(),
                    if tt.has("city") { "city" } else { "cities" }.into(),
                ]
            } else {
                vec!["city".into(), "cities".into()]
            };
            self.cx.error(
                span,
                tt.path.clone(),
                DiagnosticKind::ExclusiveKeys { keys },
            );
            return None;
        }
        let kinds = if tt.has("kinds") {
            Some(self.target_kinds(tt)?)
        } else {
            Some(Vec::new())
        };
        let cities: Vec<(String, Span, f64)> = if tt.has("city") {
            let name = tt.string(self.cx, "city")?;
            vec![(name, tt.span_of("city"), 1.0)]
        } else {
            tt.weights(self.cx, "cities")?
        };
        let key = if tt.has("city") { "city" } else { "cities" };
        for (name, span, _) in &cities {
            let path = if key == "city" {
                tt.key_path(key)
            } else {
                format!("{}.{name}", tt.key_path(key))
            };
            self.city_refs.push((name.clone(), span.clone(), path));
        }
        Some(TargetSelection::Cities {
            cities: cities.into_iter().map(|(n, _, w)| (n, w)).collect(),
            kinds: kinds?,
        })
    }

    /// The `kinds` of a target table: a non-empty list of asset kinds.
    fn target_kinds(&mut self, tt: &Tbl<'_, '_>) -> Option<Vec<AssetKind>> {
        let kv = tt.get("kinds")?;
        let DeValue::Array(items) = kv.get_ref() else {
            self.cx.error(
                kv.span(),
                tt.key_path("kinds"),
                DiagnosticKind::WrongType {
                    expected: format!("a list of: {}", AssetKind::NAMES.join(", ")),
                    found: crate::read::type_name(kv.get_ref()),
                },
            );
            return None;
        };
        let mut kinds = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match read_choice(
                self.cx,
                item,
                format!("{}[{i}]", tt.key_path("kinds")),
                AssetKind::parse,
                AssetKind::NAMES,
            ) {
                Some(k) => kinds.push(k),
                None => ok = false,
            }
        }
        if ok && kinds.is_empty() {
            self.cx.error(
                kv.span(),
                tt.key_path("kinds"),
                DiagnosticKind::EmptyList {
                    key: "kinds".into(),
                    item: "asset kind",
                },
            );
            return None;
        }
        ok.then_some(kinds)
    }
}
