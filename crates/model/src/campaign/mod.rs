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

mod decode;
use decode::decode;

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
