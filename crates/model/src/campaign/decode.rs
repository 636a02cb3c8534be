//! Decoding a campaign file's tree: its tables, their references to the
//! night scenario, and the raid policy.

use super::*;

pub(super) fn decode(
    cx: &mut Cx<'_>,
    root: &toml::de::DeTable<'_>,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Option<Campaign> {
    let t = Tbl::from_table(cx, root, 0..0, String::new(), &ROOT);
    let Some(c) = t.table(cx, "campaign", &CAMPAIGN) else {
        if !t.has("campaign") {
            t.missing(
                cx,
                "campaign",
                Some("start the file with a [campaign] table: name, scenario and nights".into()),
            );
        }
        return None;
    };
    let name = {
        let v = c.string(cx, "name");
        c.need(cx, "name", v)
    };
    let path = {
        let v = c.string(cx, "scenario");
        c.need(cx, "scenario", v)
    };
    let nights = {
        let v = c.integer(cx, "nights", 1, i64::from(MAX_NIGHTS));
        c.need(cx, "nights", v)
    };
    let seed = c.integer(cx, "seed", 0, i64::MAX);
    let policy = c.choice(cx, "policy", Policy::parse, Policy::NAMES);
    // The night scenario, checked on its own terms.
    let loaded = path.as_ref().and_then(|p| match load(p) {
        Ok(text) => match crate::parse_scenario(&text) {
            Ok(s) => Some((text, s)),
            Err(e) => {
                cx.error(
                    c.span_of("scenario"),
                    c.key_path("scenario"),
                    DiagnosticKind::BadScenario {
                        path: p.clone(),
                        problem: format!(
                            "{} error(s); first: {}",
                            e.diagnostics.len(),
                            e.diagnostics
                                .first()
                                .map(|d| d.render(p))
                                .unwrap_or_default()
                        ),
                    },
                );
                None
            }
        },
        Err(problem) => {
            cx.error(
                c.span_of("scenario"),
                c.key_path("scenario"),
                DiagnosticKind::BadScenario {
                    path: p.clone(),
                    problem,
                },
            );
            None
        }
    });
    let scenario = loaded.as_ref().map(|(_, s)| s);
    let mut attacker_ids = Vec::new();
    let attacker: Vec<Stockpile> = t
        .tables(cx, "attacker", &ATTACKER)
        .iter()
        .filter_map(|a| {
            attacker_ids.push((a.raw_text("id"), a.span_of("id"), a.key_path("id")));
            let id = reference(cx, a, "threat class", scenario.map(threat_ids));
            let stockpile = {
                let v = a.integer(cx, "stockpile", 0, MAX_STOCK);
                a.need(cx, "stockpile", v)
            };
            let production = production(cx, a);
            Some(Stockpile {
                threat: id?,
                stockpile: stockpile? as u64,
                production: production?,
            })
        })
        .collect();
    duplicates(cx, "attacker", &attacker_ids);
    // Each part is read in full even when another failed: every problem at once.
    let raids = match t.table(cx, "raids", &RAIDS) {
        Some(r) => raid_policy(cx, &r),
        None if t.has("raids") => None,
        None => Some(RaidPolicy {
            nightly: 1.0,
            strike: None,
            surge: None,
        }),
    };
    let mut defender_ids = Vec::new();
    let defender: Vec<Depot> = t
        .tables(cx, "defender", &DEFENDER)
        .iter()
        .filter_map(|d| {
            defender_ids.push((d.raw_text("id"), d.span_of("id"), d.key_path("id")));
            let id = reference(cx, d, "effector declaration", scenario.map(shooter_groups));
            let stock = {
                let v = d.integer(cx, "stock", 0, MAX_STOCK);
                d.need(cx, "stock", v)
            };
            let production = production(cx, d);
            let deliveries: Vec<Option<(u32, u64)>> = d
                .tables(cx, "delivery", &DELIVERY)
                .iter()
                .map(|x| {
                    let month = {
                        let v = x.integer(cx, "month", 1, 10_000);
                        x.need(cx, "month", v)
                    };
                    let rounds = {
                        let v = x.integer(cx, "rounds", 0, MAX_STOCK);
                        x.need(cx, "rounds", v)
                    };
                    Some((month? as u32, rounds? as u64))
                })
                .collect();
            Some(Depot {
                effector: id?,
                stock: stock? as u64,
                production: production?,
                deliveries: deliveries.into_iter().collect::<Option<Vec<_>>>()?,
            })
        })
        .collect();
    duplicates(cx, "defender", &defender_ids);
    let repair = match t.table(cx, "repair", &REPAIR) {
        Some(r) => {
            let default = r.integer(cx, "default", 0, 100_000).unwrap_or(14) as u32;
            let by_kind = AssetKind::ALL
                .iter()
                .filter_map(|k| {
                    r.integer(cx, k.as_str(), 0, 100_000)
                        .map(|n| (k.as_str(), n as u32))
                })
                .collect();
            Some(Repair { default, by_kind })
        }
        None if t.has("repair") => None,
        None => Some(Repair {
            default: 14,
            by_kind: BTreeMap::new(),
        }),
    };
    let losses = match t.table(cx, "losses", &LOSSES) {
        Some(l) => {
            let radius = {
                let v = l.quantity(cx, "radius", Dimension::Length);
                l.need(cx, "radius", v)
            };
            let probability = {
                let v = l.probability(cx, "probability");
                l.need(cx, "probability", v)
            };
            Some(Some(Losses {
                radius: radius?,
                probability: probability?,
            }))
        }
        None if t.has("losses") => None,
        None => Some(None),
    };
    if let (Some(policy), Some((_, sc))) = (&raids, &loaded) {
        let worst = policy.nightly
            + policy.strike.as_ref().map_or(0.0, |k| k.scale)
            + policy.surge.as_ref().map_or(0.0, |g| g.scale);
        let threats = worst * sc.raids.iter().map(|r| f64::from(r.count)).sum::<f64>();
        if threats > MAX_THREATS_PER_NIGHT {
            cx.error(
                t.span_of("raids"),
                "raids",
                DiagnosticKind::OutOfRange {
                    found: format!("a night of up to {threats:.0} threats"),
                    expected: format!("at most {MAX_THREATS_PER_NIGHT:.0} threats a night"),
                },
            );
            return None;
        }
    }
    let (scenario_text, scenario) = loaded?;
    Some(Campaign {
        name: name?,
        scenario_path: path?,
        nights: nights? as u32,
        seed: seed.map_or(scenario.seed, |s| s as u64),
        policy: policy.unwrap_or(scenario.doctrine.policy),
        attacker,
        raids: raids?,
        defender,
        repair: repair?,
        losses: losses?,
        scenario_text,
        scenario,
    })
}

fn threat_ids(s: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = s.raids.iter().map(|r| r.threat.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn shooter_groups(s: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = s
        .effectors
        .iter()
        .filter(|e| matches!(e.role, EffectorRole::Shooter(_)))
        .map(|e| e.group.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The `id` of table `t`, which must be one of `known` (when the scenario loaded).
fn reference(
    cx: &mut Cx<'_>,
    t: &Tbl<'_, '_>,
    what: &'static str,
    known: Option<Vec<String>>,
) -> Option<String> {
    let id = {
        let v = t.string(cx, "id");
        t.need(cx, "id", v)
    }?;
    if let Some(known) = known
        && !known.contains(&id)
    {
        cx.error(
            t.span_of("id"),
            t.key_path("id"),
            DiagnosticKind::DanglingId {
                what,
                suggestion: suggest(&id, known.iter().map(String::as_str)),
                known: known.iter().take(12).cloned().collect(),
                id,
            },
        );
        return None;
    }
    Some(id)
}

/// `per_month` (one rate) or `production` (a rate per month), not both.
fn production(cx: &mut Cx<'_>, t: &Tbl<'_, '_>) -> Option<Vec<u64>> {
    if t.has("per_month") && t.has("production") {
        cx.error(
            t.span_of("production"),
            t.key_path("production"),
            DiagnosticKind::ExclusiveKeys {
                keys: vec!["per_month".into(), "production".into()],
            },
        );
        return None;
    }
    if t.has("production") {
        let list = t.integers(cx, "production", 0, MAX_STOCK)?;
        return Some(list.into_iter().map(|n| n as u64).collect());
    }
    if t.has("per_month") {
        let n = t.integer(cx, "per_month", 0, MAX_STOCK)?;
        return Some(vec![n as u64]);
    }
    Some(vec![0])
}

/// Two tables of one array naming the same id: each repeat is reported
/// where it is, with the line of the first.
fn duplicates(cx: &mut Cx<'_>, what: &'static str, ids: &[(String, Span, String)]) {
    for (k, (id, span, path)) in ids.iter().enumerate() {
        if id.is_empty() {
            continue;
        }
        if let Some((_, first, _)) = ids[..k].iter().find(|(other, _, _)| other == id) {
            let first_line = cx.line_of(first);
            cx.error(
                span.clone(),
                path.clone(),
                DiagnosticKind::DuplicateId {
                    what,
                    id: id.clone(),
                    first_line,
                },
            );
        }
    }
}

fn raid_policy(cx: &mut Cx<'_>, r: &Tbl<'_, '_>) -> Option<RaidPolicy> {
    let nightly = if r.has("nightly") {
        r.number(cx, "nightly", 0.0, 1000.0)
    } else {
        Some(0.0)
    };
    let strike = match r.table(cx, "strike", &STRIKE) {
        Some(s) => {
            let every = {
                let v = s.integer(cx, "every", 1, 100_000);
                s.need(cx, "every", v)
            };
            let scale = {
                let v = s.number(cx, "scale", 0.0, 1000.0);
                s.need(cx, "scale", v)
            };
            let first = s.integer(cx, "first", 1, 100_000);
            let failed_first = s.has("first") && first.is_none();
            match (every, scale) {
                (Some(every), Some(scale)) if !failed_first => Some(Some(Strike {
                    every: every as u32,
                    first: first.unwrap_or(every) as u32,
                    scale,
                })),
                _ => None,
            }
        }
        None if r.has("strike") => None,
        None => Some(None),
    };
    let surge = match r.table(cx, "surge", &SURGE) {
        Some(s) => {
            let from = {
                let v = s.integer(cx, "from", 1, 100_000);
                s.need(cx, "from", v)
            };
            let nights = {
                let v = s.integer(cx, "nights", 1, 100_000);
                s.need(cx, "nights", v)
            };
            let scale = {
                let v = s.number(cx, "scale", 0.0, 1000.0);
                s.need(cx, "scale", v)
            };
            Some(Some(Surge {
                from: from? as u32,
                nights: nights? as u32,
                scale: scale?,
            }))
        }
        None if r.has("surge") => None,
        None => Some(None),
    };
    Some(RaidPolicy {
        nightly: nightly?,
        strike: strike?,
        surge: surge?,
    })
}
