//! Campaign files: many nights of one scenario, with the attacker's
//! production and stockpile, the raid policy, the defender's depots and
//! deliveries, repairs and losses. Read and checked like scenarios: every
//! problem at once, each with line:col, field path and "did you mean".
//!
//! A campaign names its night scenario by path; the model does no IO, so the
//! caller passes a function that loads it, and the campaign's references (threat
//! classes, effector declarations) are checked against what it returns.
//!
//! ```
//! use rampart_model::campaign::check_campaign;
//! let night = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/minimal.toml")).unwrap();
//! let text = "[campaign]\nname = \"c\"\nscenario = \"minimal.toml\"\nnights = 30\n\
//!             [[attacker]]\nid = \"shahed-type\"\nstockpile = 100\nper_month = 300\n\
//!             [raids]\nnightly = 1.0\n\
//!             [[defender]]\nid = \"gepard-1\"\nstock = 200\n";
//! let checked = check_campaign(text, &mut |_path: &str| Ok(night.clone()));
//! let c = checked.campaign.expect("valid");
//! assert_eq!(c.nights, 30);
//! assert_eq!(c.defender[0].stock, 200);
//! // A wrong id is found, with its place and a suggestion.
//! let bad = text.replace("id = \"gepard-1\"", "id = \"gepard-2\"");
//! let checked = check_campaign(&bad, &mut |_path: &str| Ok(night.clone()));
//! assert!(checked.campaign.is_none());
//! assert!(checked.diagnostics[0].to_string().contains("did you mean `gepard-1`?"), "{}", checked.diagnostics[0]);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use crate::decode::{MAX_FILE_BYTES, parse_tree};
use crate::diag::{Diagnostic, DiagnosticKind, suggest};
use crate::read::{Cx, Span, Tbl};
use crate::scenario::{AssetKind, EffectorRole, Policy, Scenario};
use crate::spec::{TableSpec, Ty, k, req};
use crate::units::Dimension;

/// Nights in a month, for production and delivery schedules.
pub const NIGHTS_PER_MONTH: u32 = 30;
/// Largest stockpile, stock, production or delivery a campaign may name.
pub const MAX_STOCK: i64 = 1_000_000_000;
/// Most threats one night of a campaign may launch (all parts of the raid
/// policy at once): beyond, a night would not fit in memory.
pub const MAX_THREATS_PER_NIGHT: f64 = 1_000_000.0;
/// Longest campaign, nights.
pub const MAX_NIGHTS: u32 = 100_000;

/// A checked campaign, with the night scenario it plays.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub name: String,
    /// The night scenario's path, as written (relative to the campaign file).
    pub scenario_path: String,
    /// The night scenario's text (overrides of the night apply to it).
    #[serde(skip)]
    pub scenario_text: String,
    #[serde(skip)]
    pub scenario: Scenario,
    pub nights: u32,
    /// Base seed (default: the scenario's).
    pub seed: u64,
    pub policy: Policy,
    pub attacker: Vec<Stockpile>,
    pub raids: RaidPolicy,
    pub defender: Vec<Depot>,
    pub repair: Repair,
    pub losses: Option<Losses>,
}

/// The attacker's stock of one threat class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stockpile {
    /// Threat class id of the scenario.
    pub threat: String,
    pub stockpile: u64,
    /// Built per month: month 1, month 2, ...; the last rate goes on.
    pub production: Vec<u64>,
}

/// How many the attacker launches each night, as multiples of the night
/// scenario's raid (1 = every raid as written). The three parts add up; no
/// class is ever launched beyond its stockpile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaidPolicy {
    /// Every night.
    pub nightly: f64,
    /// Accumulate and strike: `scale` every `every` nights, from night `first`.
    pub strike: Option<Strike>,
    /// A surge: `scale` more on `nights` nights from night `from`.
    pub surge: Option<Surge>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strike {
    pub every: u32,
    pub first: u32,
    pub scale: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Surge {
    pub from: u32,
    pub nights: u32,
    pub scale: f64,
}

impl RaidPolicy {
    /// The multiple of the raid launched on night `n` (from 1), before stockpiles.
    pub fn scale(&self, n: u32) -> f64 {
        let mut s = self.nightly;
        if let Some(k) = &self.strike
            && n >= k.first
            && (n - k.first).is_multiple_of(k.every)
        {
            s += k.scale;
        }
        if let Some(g) = &self.surge
            && n >= g.from
            && n < g.from + g.nights
        {
            s += g.scale;
        }
        s
    }
}

/// The defender's depot for one interceptor type: an effector declaration
/// of the scenario (all its units share the depot).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Depot {
    /// Effector declaration id (`group`) of the scenario.
    pub effector: String,
    /// Rounds at the start, magazines included.
    pub stock: u64,
    /// Rounds produced per month (month 1, month 2, ...; the last rate goes
    /// on), delivered night by night.
    pub production: Vec<u64>,
    /// One-off deliveries: `(month, rounds)`, arriving before the first night of the month.
    pub deliveries: Vec<(u32, u64)>,
}

/// What a production schedule (per month: month 1, month 2, ...; the last
/// rate goes on) delivers before night `n` (from 1): a month's production
/// spread over its 30 nights, `floor(rate x j / 30)` by its night `j`.
pub fn produced_before(schedule: &[u64], n: u32) -> u64 {
    let total = |n: u32| -> u64 {
        if n == 0 {
            return 0;
        }
        let month = ((n - 1) / NIGHTS_PER_MONTH) as usize;
        let night = u64::from((n - 1) % NIGHTS_PER_MONTH + 1);
        let rate = |m: usize| schedule.get(m).or(schedule.last()).copied().unwrap_or(0);
        let listed: u64 = schedule.iter().take(month).sum();
        let after = (month.saturating_sub(schedule.len()) as u64) * rate(month);
        listed + after + rate(month) * night / u64::from(NIGHTS_PER_MONTH)
    };
    total(n) - total(n - 1)
}

impl Depot {
    /// Rounds that arrive before night `n` (from 1): production and deliveries.
    pub fn arrivals(&self, n: u32) -> u64 {
        let mut r = produced_before(&self.production, n);
        for &(month, rounds) in &self.deliveries {
            if n == (month - 1) * NIGHTS_PER_MONTH + 1 {
                r += rounds;
            }
        }
        r
    }
}

/// Nights until damage is repaired, by asset kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repair {
    pub default: u32,
    pub by_kind: BTreeMap<&'static str, u32>,
}

impl Repair {
    pub fn nights(&self, kind: AssetKind) -> u32 {
        self.by_kind
            .get(kind.as_str())
            .copied()
            .unwrap_or(self.default)
    }
}

/// Effectors lost to leakers: a unit within `radius` of a leaker's target
/// (where it comes down, hit or missed) is lost with `probability`, for the
/// rest of the campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Losses {
    pub radius: f64,
    pub probability: f64,
}

pub static CAMPAIGN: TableSpec = TableSpec {
    name: "campaign",
    doc: "What the campaign is: its night scenario and its length.",
    keys: &[
        req("name", Ty::Str, "Name of the campaign."),
        req(
            "scenario",
            Ty::Str,
            "The night scenario, a path relative to this file.",
        ),
        req("nights", Ty::Int { min: 1 }, "Nights to play."),
        k(
            "seed",
            Ty::Int { min: 0 },
            "Base seed (default: the scenario's).",
        ),
        k(
            "policy",
            Ty::Enum(Policy::NAMES),
            "Fire-decision policy (default: the scenario's doctrine).",
        ),
    ],
};

pub static ATTACKER: TableSpec = TableSpec {
    name: "attacker",
    doc: "The attacker's stockpile and production of one threat class.",
    keys: &[
        req("id", Ty::Str, "Threat class id of the night scenario."),
        req(
            "stockpile",
            Ty::Int { min: 0 },
            "Threats in stock at the start.",
        ),
        k(
            "per_month",
            Ty::Int { min: 0 },
            "Threats built per month of 30 nights (default 0).",
        ),
        k(
            "production",
            Ty::ListOfInt { min: 0 },
            "Threats built in month 1, 2, ...; the last rate goes on (instead of per_month).",
        ),
    ],
};

pub static STRIKE: TableSpec = TableSpec {
    name: "strike",
    doc: "Accumulate and strike.",
    keys: &[
        req("every", Ty::Int { min: 1 }, "Nights between strikes."),
        req(
            "scale",
            Ty::Number,
            "Size of a strike, in multiples of the night's raid.",
        ),
        k(
            "first",
            Ty::Int { min: 1 },
            "Night of the first strike (default: `every`).",
        ),
    ],
};

pub static SURGE: TableSpec = TableSpec {
    name: "surge",
    doc: "A surge from a given night.",
    keys: &[
        req("from", Ty::Int { min: 1 }, "First night of the surge."),
        req("nights", Ty::Int { min: 1 }, "Nights it lasts."),
        req(
            "scale",
            Ty::Number,
            "Extra launches each surge night, in multiples of the night's raid.",
        ),
    ],
};

pub static RAIDS: TableSpec = TableSpec {
    name: "raids",
    doc: "How many the attacker launches each night, in multiples of the night scenario's raid.",
    keys: &[
        k("nightly", Ty::Number, "Launched every night (default 0)."),
        k("strike", Ty::Table(&STRIKE), "Accumulate and strike."),
        k("surge", Ty::Table(&SURGE), "A surge."),
    ],
};

pub static DELIVERY: TableSpec = TableSpec {
    name: "delivery",
    doc: "A one-off delivery.",
    keys: &[
        req(
            "month",
            Ty::Int { min: 1 },
            "Month of arrival (1 = the first 30 nights).",
        ),
        req("rounds", Ty::Int { min: 0 }, "Rounds delivered."),
    ],
};

pub static DEFENDER: TableSpec = TableSpec {
    name: "defender",
    doc: "The depot of one interceptor type: an effector declaration of the night scenario.",
    keys: &[
        req(
            "id",
            Ty::Str,
            "Effector declaration id of the night scenario.",
        ),
        req(
            "stock",
            Ty::Int { min: 0 },
            "Rounds at the start, magazines included.",
        ),
        k(
            "per_month",
            Ty::Int { min: 0 },
            "Rounds produced per month of 30 nights (default 0).",
        ),
        k(
            "production",
            Ty::ListOfInt { min: 0 },
            "Rounds produced in month 1, 2, ...; the last rate goes on (instead of per_month).",
        ),
        k(
            "delivery",
            Ty::ArrayOfTables(&DELIVERY),
            "One-off deliveries by month.",
        ),
    ],
};

pub static REPAIR: TableSpec = TableSpec {
    name: "repair",
    doc: "Nights until damage is repaired, by asset kind.",
    keys: &[
        k(
            "default",
            Ty::Int { min: 0 },
            "For every kind not named (default 14).",
        ),
        k("government", Ty::Int { min: 0 }, "Government assets."),
        k("heating", Ty::Int { min: 0 }, "Heating plants."),
        k("hospital", Ty::Int { min: 0 }, "Hospitals."),
        k("industrial", Ty::Int { min: 0 }, "Industrial sites."),
        k("military", Ty::Int { min: 0 }, "Military sites."),
        k("other", Ty::Int { min: 0 }, "Other assets."),
        k("power", Ty::Int { min: 0 }, "Power plants and substations."),
        k("residential", Ty::Int { min: 0 }, "Homes."),
        k("water", Ty::Int { min: 0 }, "Water works."),
    ],
};

pub static LOSSES: TableSpec = TableSpec {
    name: "losses",
    doc: "Effectors lost to leakers.",
    keys: &[
        req(
            "radius",
            Ty::Quantity(Dimension::Length),
            "A unit this close to a leaker's target may be lost.",
        ),
        req(
            "probability",
            Ty::Probability,
            "Chance that such a unit is lost.",
        ),
    ],
};

pub static ROOT: TableSpec = TableSpec {
    name: "",
    doc: "A Rampart campaign: many nights of one scenario, and the race of stocks.",
    keys: &[
        req(
            "campaign",
            Ty::Table(&CAMPAIGN),
            "Name, night scenario, length.",
        ),
        k(
            "attacker",
            Ty::ArrayOfTables(&ATTACKER),
            "Stockpiles and production per threat class.",
        ),
        k("raids", Ty::Table(&RAIDS), "The raid policy."),
        k(
            "defender",
            Ty::ArrayOfTables(&DEFENDER),
            "Depots per interceptor type.",
        ),
        k("repair", Ty::Table(&REPAIR), "Repair times."),
        k("losses", Ty::Table(&LOSSES), "Losses of effectors."),
    ],
};

/// What checking a campaign found.
#[derive(Debug, Clone)]
pub struct CheckedCampaign {
    pub campaign: Option<Campaign>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a file holds, by its top-level tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A `[scenario]` table: one night.
    Scenario,
    /// A `[campaign]` table and no `[scenario]`: many nights.
    Campaign,
    /// Neither, or not TOML (the scenario reader says what is wrong).
    Unknown,
}

/// What `text` holds.
pub fn file_kind(text: &str) -> FileKind {
    match text.parse::<toml::Table>() {
        Ok(t) if t.contains_key("scenario") => FileKind::Scenario,
        Ok(t) if t.contains_key("campaign") => FileKind::Campaign,
        _ => FileKind::Unknown,
    }
}

/// Whether `text` is a campaign file ([`FileKind::Campaign`]).
pub fn is_campaign(text: &str) -> bool {
    file_kind(text) == FileKind::Campaign
}

/// Checks campaign text; `load` reads the night scenario named in it (a path
/// relative to the campaign file) and returns its text, or why it cannot.
pub fn check_campaign(
    text: &str,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> CheckedCampaign {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cx = Cx::new(text);
    let campaign = if text.len() > MAX_FILE_BYTES {
        cx.error(
            0..0,
            "",
            DiagnosticKind::TooLarge {
                size: text.len(),
                limit: MAX_FILE_BYTES,
            },
        );
        None
    } else {
        parse_tree(&mut cx, text).and_then(|root| decode(&mut cx, root.get_ref(), load))
    };
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.location.line, d.location.column));
    let failed = diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    CheckedCampaign {
        campaign: if failed { None } else { campaign },
        diagnostics,
    }
}

fn decode(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_file_is_told_from_a_scenario() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        let read = |f: &str| std::fs::read_to_string(format!("{root}/{f}")).expect("example");
        assert!(is_campaign(&read("campaign.toml")));
        assert!(!is_campaign(&read("night-raid.toml")));
        assert!(!is_campaign(&read("minimal.toml")));
        assert!(!is_campaign("[campaign\nname = "));
        assert!(!is_campaign("[campaign]\n[scenario]\n"));
        assert_eq!(file_kind(&read("night-raid.toml")), FileKind::Scenario);
        assert_eq!(file_kind("x = 1"), FileKind::Unknown);
    }

    #[test]
    fn the_raid_policy_adds_its_parts_on_the_right_nights() {
        let p = RaidPolicy {
            nightly: 0.1,
            strike: Some(Strike {
                every: 7,
                first: 7,
                scale: 1.0,
            }),
            surge: Some(Surge {
                from: 20,
                nights: 3,
                scale: 0.5,
            }),
        };
        let strikes: Vec<u32> = (1..=30).filter(|&n| p.scale(n) >= 1.0).collect();
        assert_eq!(strikes, [7, 14, 21, 28]);
        let surges: Vec<u32> = (1..=30)
            .filter(|&n| (p.scale(n) - 0.1).rem_euclid(1.0) > 0.4)
            .collect();
        assert_eq!(surges, [20, 21, 22]);
        assert!(
            (p.scale(21) - 1.6).abs() < 1e-12,
            "a strike in a surge adds both"
        );
        assert!((p.scale(1) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn production_arrives_night_by_night_and_deliveries_on_the_month_s_first_night() {
        let d = Depot {
            effector: "x".into(),
            stock: 0,
            production: vec![16],
            deliveries: vec![(2, 32)],
        };
        let month: u64 = (1..=30).map(|n| d.arrivals(n)).sum();
        assert_eq!(month, 16, "a month's production in a month");
        assert_eq!(
            d.arrivals(31),
            32,
            "the delivery of month 2, before night 31"
        );
        let year: u64 = (1..=360).map(|n| produced_before(&[16], n)).sum();
        assert_eq!(year, 16 * 12);
        // A ramp: 10, then 40, then 70 a month for good.
        let ramp = [10, 40, 70];
        let month = |m: u32| -> u64 {
            (30 * m - 29..=30 * m)
                .map(|n| produced_before(&ramp, n))
                .sum()
        };
        assert_eq!(
            [month(1), month(2), month(3), month(4), month(9)],
            [10, 40, 70, 70, 70]
        );
        // A constant schedule is floor(rate x n / 30), night by night.
        for n in 1..=100 {
            assert_eq!(
                produced_before(&[17], n),
                17 * u64::from(n) / 30 - 17 * u64::from(n - 1) / 30
            );
        }
    }
}
