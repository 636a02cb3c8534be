//! The `[doctrine]` table: policy, fire rules, reserves and the cost rule.

use super::*;

pub(super) fn default_doctrine() -> Doctrine {
    Doctrine {
        policy: Policy::Greedy,
        default_fire: FireMode {
            mode: FireModeKind::ShootLookShoot,
            shots: 2,
        },
        fire: Vec::new(),
        reserves: Vec::new(),
        cost_rule: None,
        decoy_discrimination: 0.0,
    }
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn doctrine(&mut self, t: &Tbl<'_, '_>) -> Option<Doctrine> {
        let mut d = default_doctrine();
        let cx = &mut *self.cx;
        let mut ok = true;
        let mut set = |ok_now: bool| ok &= ok_now;
        if t.has("policy") {
            let p = t.choice(cx, "policy", Policy::parse, Policy::NAMES);
            set(p.is_some());
            d.policy = p.unwrap_or(d.policy);
        }
        if t.has("default_mode") {
            let m = t.choice(cx, "default_mode", FireModeKind::parse, FireModeKind::NAMES);
            set(m.is_some());
            d.default_fire.mode = m.unwrap_or(d.default_fire.mode);
        }
        if t.has("default_shots") {
            let s = t.count(cx, "default_shots", 1);
            set(s.is_some());
            d.default_fire.shots = s.unwrap_or(d.default_fire.shots);
        }
        if t.has("decoy_discrimination") {
            let p = t.probability(cx, "decoy_discrimination");
            set(p.is_some());
            d.decoy_discrimination = p.unwrap_or(0.0);
        }
        if t.has("cost_rule") {
            let rule = t.table(cx, "cost_rule", &spec::COST_RULE).and_then(|c| {
                let r = {
                    let v = c.positive(cx, "max_ratio");
                    c.need(cx, "max_ratio", v)
                };
                let v = c.quantity_signed(cx, "value_unit", Dimension::Money, Sign::Positive);
                let v = c.need(cx, "value_unit", v);
                Some(CostRule {
                    max_ratio: r?,
                    value_unit: v?,
                })
            });
            set(rule.is_some());
            d.cost_rule = rule;
        }
        for f in t.tables(self.cx, "fire", &spec::FIRE) {
            let threats = f.strings(self.cx, "threats");
            let threats = f.need(self.cx, "threats", threats);
            let mode = f.choice(self.cx, "mode", FireModeKind::parse, FireModeKind::NAMES);
            let mode = f.need(self.cx, "mode", mode);
            let shots = if f.has("shots") {
                f.count(self.cx, "shots", 1)
            } else {
                Some(2)
            };
            let threats = threats.map(|th| self.threat_list(&f, th));
            match (threats, mode, shots) {
                (Some(threats), Some(mode), Some(shots)) => d.fire.push(FireRule {
                    threats,
                    fire: FireMode { mode, shots },
                }),
                _ => ok = false,
            }
        }
        for r in t.tables(self.cx, "reserve", &spec::RESERVE) {
            let eff = r.string(self.cx, "effector");
            let eff = r.need(self.cx, "effector", eff);
            let keep = r.count(self.cx, "keep", 1);
            let keep = r.need(self.cx, "keep", keep);
            let threats = r.strings(self.cx, "threats");
            let threats = r.need(self.cx, "threats", threats);
            if let Some(e) = &eff {
                self.refer(
                    RefKind::EffectorSet,
                    e.clone(),
                    r.span_of("effector"),
                    r.key_path("effector"),
                );
            }
            let threats = threats.map(|th| self.threat_list(&r, th));
            match (eff, keep, threats) {
                (Some(effector), Some(keep), Some(threats)) => d.reserves.push(Reserve {
                    effector,
                    keep,
                    threats,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(d)
    }

    /// Registers a `threats = [...]` list as references and returns the names.
    pub(super) fn threat_list(
        &mut self,
        t: &Tbl<'_, '_>,
        list: Vec<(String, Span)>,
    ) -> Vec<String> {
        if list.is_empty() {
            self.cx.error(
                t.span_of("threats"),
                t.key_path("threats"),
                DiagnosticKind::EmptyList {
                    key: "threats".into(),
                    item: "threat kind or class",
                },
            );
        }
        list.into_iter()
            .enumerate()
            .map(|(i, (name, span))| {
                self.refer(
                    RefKind::ThreatSet,
                    name.clone(),
                    span,
                    format!("{}.threats[{i}]", t.path),
                );
                name
            })
            .collect()
    }

    /// The declared threat classes plus the catalogue classes raids name directly.
    pub(super) fn resolve_threats(
        &mut self,
        mut declared: Vec<ThreatClass>,
        raids: &[Raid],
    ) -> Vec<ThreatClass> {
        let mut known: std::collections::BTreeSet<String> =
            declared.iter().map(|t| t.id.clone()).collect();
        for raid in raids {
            if !known.insert(raid.threat.clone()) {
                continue;
            }
            let Some(base) = self.catalogue.threat(&raid.threat) else {
                continue;
            };
            let mut cx = Cx::new(CATALOGUE_TOML);
            let t = Tbl::from_table(&mut cx, base, 0..0, String::new(), &spec::THREAT);
            let mut sub = Decoder::new(&mut cx, self.catalogue);
            if let Some(tc) = sub.threat_fields(&t, raid.threat.clone(), Some(raid.threat.clone()))
            {
                declared.push(tc);
            }
        }
        declared
    }
}
