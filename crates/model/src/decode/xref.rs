//! Cross-references: ids named in one place and declared in another, targets that exist, units that can engage something.

use super::*;

/// Ids the file names, with where, for dangling-reference checks.
#[derive(Debug)]
pub(super) struct Ref {
    pub(super) what: RefKind,
    pub(super) id: String,
    pub(super) span: Span,
    pub(super) path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    /// A threat class to launch: a declared id or a catalogue class.
    ThreatClass,
    /// A threat kind, declared id or catalogue class, in pk, engages, fire rules.
    ThreatSet,
    LaunchSite,
    Asset,
    /// An effector kind, catalogue class or declaration id.
    EffectorSet,
    /// A raid id.
    Raid,
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn check_refs(&mut self) {
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        let declared_threats = self.declared(Namespace::Threat);
        let catalogue_threats: Vec<String> = self
            .catalogue
            .threats
            .iter()
            .map(|(i, _)| i.to_string())
            .collect();
        let catalogue_effectors: Vec<String> = self
            .catalogue
            .effectors
            .iter()
            .map(|(i, _)| i.to_string())
            .collect();
        let threat_classes: Vec<String> =
            [declared_threats.clone(), catalogue_threats.clone()].concat();
        let threat_sets: Vec<String> =
            [strs(ThreatKind::NAMES), declared_threats, catalogue_threats].concat();
        let sites = self.declared(Namespace::LaunchSite);
        let assets = self.declared(Namespace::Asset);
        let raids = self.declared(Namespace::Raid);
        let effector_sets: Vec<String> = [
            strs(EffectorKind::NAMES),
            catalogue_effectors,
            self.declared(Namespace::Effector),
        ]
        .concat();
        let refs = std::mem::take(&mut self.refs);
        let sets: Vec<std::collections::BTreeSet<&str>> = [
            &threat_classes,
            &threat_sets,
            &sites,
            &assets,
            &effector_sets,
            &raids,
        ]
        .iter()
        .map(|v| v.iter().map(String::as_str).collect())
        .collect();
        for r in refs {
            let set = &sets[match r.what {
                RefKind::ThreatClass => 0,
                RefKind::ThreatSet => 1,
                RefKind::LaunchSite => 2,
                RefKind::Asset => 3,
                RefKind::EffectorSet => 4,
                RefKind::Raid => 5,
            }];
            if set.contains(r.id.as_str()) {
                continue;
            }
            let (what, candidates): (&'static str, &[String]) = match r.what {
                RefKind::ThreatClass => ("threat class", &threat_classes),
                RefKind::ThreatSet => ("threat kind or class", &threat_sets),
                RefKind::LaunchSite => ("launch site", &sites),
                RefKind::Asset => ("asset", &assets),
                RefKind::EffectorSet => ("effector kind, class or id", &effector_sets),
                RefKind::Raid => ("raid", &raids),
            };
            {
                let suggestion = suggest(&r.id, candidates.iter().map(String::as_str));
                self.dangling += 1;
                self.cx.error(
                    r.span,
                    r.path,
                    DiagnosticKind::DanglingId {
                        what,
                        id: r.id,
                        suggestion,
                        known: candidates.iter().take(12).cloned().collect(),
                    },
                );
            }
        }
    }

    /// A raid must have something to aim at: its asset kinds must exist.
    pub(super) fn check_targets(&mut self, assets: &[Asset], raids: &[Raid]) {
        let targets = std::mem::take(&mut self.raid_targets);
        if assets.is_empty() {
            // No assets at all is reported once, not once per raid.
            return;
        }
        let mut known: Vec<String> = assets.iter().filter_map(|a| a.city.clone()).collect();
        known.sort_unstable();
        known.dedup();
        for (name, span, path) in std::mem::take(&mut self.city_refs) {
            if known.binary_search(&name).is_err() {
                self.dangling += 1;
                self.cx.error(
                    span,
                    path,
                    DiagnosticKind::DanglingId {
                        what: "city",
                        suggestion: suggest(&name, known.iter().map(String::as_str)),
                        id: name,
                        known: known.iter().take(12).cloned().collect(),
                    },
                );
            }
        }
        let mut present: Vec<String> = assets.iter().map(|a| a.kind.to_string()).collect();
        present.sort_unstable();
        present.dedup();
        let targets: BTreeMap<&str, (&Span, &String)> = targets
            .iter()
            .map(|(id, span, path)| (id.as_str(), (span, path)))
            .collect();
        for raid in raids {
            let Some(&(span, path)) = targets.get(raid.id.as_str()) else {
                continue;
            };
            let kinds: Vec<String> = match &raid.target {
                TargetSelection::Asset(_) => continue,
                TargetSelection::AnyByValue if !assets.is_empty() => continue,
                TargetSelection::AnyByValue => Vec::new(),
                TargetSelection::Kinds(kinds) if assets.iter().any(|a| kinds.contains(&a.kind)) => {
                    continue;
                }
                TargetSelection::Kinds(kinds) => kinds.iter().map(|k| k.to_string()).collect(),
                TargetSelection::Cities { cities, kinds } => {
                    // Each city needs an asset of the kinds (if given).
                    fn in_city<'a>(
                        assets: &'a [Asset],
                        c: &'a str,
                    ) -> impl Iterator<Item = &'a Asset> {
                        assets.iter().filter(move |a| a.city.as_deref() == Some(c))
                    }
                    let bare = cities.iter().find(|(c, _)| {
                        known.binary_search(c).is_ok()
                            && !in_city(assets, c)
                                .any(|a| kinds.is_empty() || kinds.contains(&a.kind))
                    });
                    if let Some((city, _)) = bare {
                        let mut present: Vec<String> =
                            in_city(assets, city).map(|a| a.kind.to_string()).collect();
                        present.sort_unstable();
                        present.dedup();
                        self.cx.error(
                            span.clone(),
                            path.clone(),
                            DiagnosticKind::NoCityTarget {
                                raid: raid.id.clone(),
                                city: city.clone(),
                                kinds: kinds.iter().map(|k| k.to_string()).collect(),
                                present,
                            },
                        );
                    }
                    continue;
                }
            };
            self.cx.error(
                span.clone(),
                path.clone(),
                DiagnosticKind::NoTarget {
                    raid: raid.id.clone(),
                    kinds,
                    present: present.clone(),
                },
            );
        }
    }

    pub(super) fn check_effectors_useful(
        &mut self,
        effectors: &[Effector],
        threats: &[ThreatClass],
        raids: &[Raid],
    ) {
        // Only when every reference resolved: otherwise the dangling
        // reference is the problem to report, not the effectors.
        let ids: std::collections::BTreeSet<&str> = threats.iter().map(|t| t.id.as_str()).collect();
        if self.dangling > 0
            || raids.is_empty()
            || raids.iter().any(|r| !ids.contains(r.threat.as_str()))
        {
            return;
        }
        let used: std::collections::BTreeSet<&str> =
            raids.iter().map(|r| r.threat.as_str()).collect();
        let launched: Vec<&ThreatClass> = threats
            .iter()
            .filter(|t| used.contains(t.id.as_str()))
            .collect();
        let mut first_unit: BTreeMap<&str, &Effector> = BTreeMap::new();
        for e in effectors {
            first_unit.entry(e.group.as_str()).or_insert(e);
        }
        let groups = std::mem::take(&mut self.effector_groups);
        for EffectorGroup { group, span, path } in groups {
            let Some(e) = first_unit.get(group.as_str()) else {
                continue;
            };
            let useful = launched.iter().any(|t| match &e.role {
                EffectorRole::Shooter(w) => {
                    w.can_engage(t) && w.pk_against(t) > 0.0 && e.can_catch(t)
                }
                EffectorRole::Jammer(j) => j.p_defeat_against(t) > 0.0,
            });
            if useful {
                continue;
            }
            // A shooter that could engage some class but is too slow for
            // all of them is told so (an interceptor drone against jets).
            let too_slow = launched.iter().any(|t| match &e.role {
                EffectorRole::Shooter(w) => w.can_engage(t) && w.pk_against(t) > 0.0,
                EffectorRole::Jammer(_) => false,
            });
            let (role, verb) = match e.role {
                EffectorRole::Shooter(_) if too_slow => ("effector", "catch"),
                EffectorRole::Shooter(_) => ("effector", "engage"),
                EffectorRole::Jammer(_) => ("jammer", "defeat"),
            };
            self.cx.error(
                span,
                path,
                DiagnosticKind::UselessEffector {
                    role,
                    verb,
                    id: group.clone(),
                    launched: launched
                        .iter()
                        .map(|t| format!("`{}` ({}, {})", t.id, t.kind, t.guidance))
                        .collect(),
                },
            );
        }
    }
}
