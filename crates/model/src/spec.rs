//! The shape of the scenario file: every table, every key, its type and its
//! meaning. The decoder checks keys against it ("unknown key, did you mean"),
//! the JSON Schema is generated from it, and a test checks that
//! docs/scenario.md documents every key listed here.

use crate::scenario::{
    Aiming, ArrivalKind, AssetKind, EffectorKind, FireModeKind, Guidance, Policy, SensorKind,
    ThreatKind,
};
use crate::units::Dimension;

/// A table of the file.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub doc: &'static str,
    pub keys: &'static [KeySpec],
}

/// One key of a table.
#[derive(Debug)]
pub struct KeySpec {
    pub name: &'static str,
    pub ty: Ty,
    /// Required in every file (not even a catalogue class can supply it).
    pub required: bool,
    pub doc: &'static str,
}

/// The type of a value.
#[derive(Debug)]
pub enum Ty {
    Str,
    Int {
        min: i64,
    },
    Number,
    Probability,
    Bool,
    Quantity(Dimension),
    /// `["east", "north"]`: two lengths.
    Point,
    Enum(&'static [&'static str]),
    Table(&'static TableSpec),
    ArrayOfTables(&'static TableSpec),
    ListOfStr,
    /// A list of integers, each at least `min`.
    ListOfInt {
        min: i64,
    },
    ListOfEnum(&'static [&'static str]),
    ListOfPoints,
    /// A list of quantities of one dimension.
    ListOfQuantity(Dimension),
    /// A table from threat kind or class id to a probability.
    ProbabilityMap,
    /// `"direct"` or a list of points.
    Route,
    /// `"any"` or a table with `asset` or `kinds`.
    Target,
    /// A table from name to a weight > 0.
    Weights,
    /// A table from override path (`raid.drones.count`) to a value.
    Settings,
}

pub(crate) const fn k(name: &'static str, ty: Ty, doc: &'static str) -> KeySpec {
    KeySpec {
        name,
        ty,
        required: false,
        doc,
    }
}

pub(crate) const fn req(name: &'static str, ty: Ty, doc: &'static str) -> KeySpec {
    KeySpec {
        name,
        ty,
        required: true,
        doc,
    }
}

use Dimension::*;

pub static ORIGIN: TableSpec = TableSpec {
    name: "origin",
    doc: "The geodetic point that position [0 km, 0 km] stands for.",
    keys: &[
        req("lat", Ty::Number, "Latitude, degrees north (-90 to 90)."),
        req("lon", Ty::Number, "Longitude, degrees east (-180 to 180)."),
    ],
};

pub static SCENARIO: TableSpec = TableSpec {
    name: "scenario",
    doc: "What the scenario is called, its seed, and how long the night lasts.",
    keys: &[
        req("name", Ty::Str, "Name of the scenario."),
        k("description", Ty::Str, "Free text."),
        k(
            "seed",
            Ty::Int { min: 0 },
            "Default random seed (default 1).",
        ),
        req(
            "duration",
            Ty::Quantity(Duration),
            "Length of the simulated night.",
        ),
        k("origin", Ty::Table(&ORIGIN), "Optional geodetic origin."),
        k(
            "outline",
            Ty::ListOfPoints,
            "Optional outline of the city or region, drawn on maps.",
        ),
    ],
};

pub static TRACKING: TableSpec = TableSpec {
    name: "tracking",
    doc: "Track initiation: k detections within n consecutive scans start a track.",
    keys: &[
        k("k", Ty::Int { min: 1 }, "Detections needed (default 2)."),
        k("n", Ty::Int { min: 1 }, "Scans looked at (default 3)."),
        k(
            "lost_after",
            Ty::Quantity(Duration),
            "Out of every sensor's coverage this long, a track is lost (default: never).",
        ),
    ],
};

pub static ASSET: TableSpec = TableSpec {
    name: "asset",
    doc: "Something to protect.",
    keys: &[
        req("id", Ty::Str, "Unique id."),
        k("name", Ty::Str, "Display name (default: the id)."),
        req("kind", Ty::Enum(AssetKind::NAMES), "What the asset is."),
        req(
            "position",
            Ty::Point,
            "Where it is: [east, north] of the origin.",
        ),
        k(
            "value",
            Ty::Number,
            "Relative value, a weight > 0 (default 1).",
        ),
        k(
            "hits_to_destroy",
            Ty::Int { min: 1 },
            "Hits that destroy it (default 1 unless destroy_mass is given).",
        ),
        k(
            "destroy_mass",
            Ty::Quantity(Mass),
            "Total warhead mass that destroys it (instead of hits_to_destroy).",
        ),
        k(
            "city",
            Ty::Str,
            "The city or region it belongs to (for raids aimed at cities).",
        ),
    ],
};

pub static AREA: TableSpec = TableSpec {
    name: "area",
    doc: "A disc in which `count` units are spread evenly.",
    keys: &[
        req("center", Ty::Point, "Centre of the disc."),
        req("radius", Ty::Quantity(Length), "Radius of the disc."),
    ],
};

pub static SENSOR: TableSpec = TableSpec {
    name: "sensor",
    doc: "A radar, or an acoustic or visual observer post (or a network of them with count).",
    keys: &[
        req("id", Ty::Str, "Unique id."),
        req(
            "type",
            Ty::Enum(SensorKind::NAMES),
            "radar, acoustic or visual.",
        ),
        k(
            "count",
            Ty::Int { min: 0 },
            "Number of identical units (default 1; 0 places none, as in a sweep from zero).",
        ),
        k(
            "position",
            Ty::Point,
            "Where the unit is (one of position, positions, area).",
        ),
        k(
            "positions",
            Ty::ListOfPoints,
            "Explicit positions, one per unit.",
        ),
        k(
            "area",
            Ty::Table(&AREA),
            "Spread `count` units evenly over a disc.",
        ),
        k(
            "mast_height",
            Ty::Quantity(Length),
            "Antenna or observer height (default 10 m).",
        ),
        req(
            "range",
            Ty::Quantity(Length),
            "Detection range (radar: against reference_rcs).",
        ),
        k(
            "reference_rcs",
            Ty::Quantity(Area),
            "Radar only: RCS at which range holds (default 1 m2).",
        ),
        k(
            "scan_period",
            Ty::Quantity(Duration),
            "Time between scans or reports (default 10 s).",
        ),
        req(
            "p_detect",
            Ty::Probability,
            "Detection probability per scan within range.",
        ),
        k(
            "max_altitude",
            Ty::Quantity(Length),
            "Highest altitude detected (acoustic/visual; default none for radar, 3 km for posts).",
        ),
    ],
};

pub static EFFECTOR: TableSpec = TableSpec {
    name: "effector",
    doc: "A fire unit: SAM battery, gun or mobile fire group, interceptor-drone team, or jammer.",
    keys: &[
        req("id", Ty::Str, "Unique id."),
        k(
            "class",
            Ty::Str,
            "Catalogue class to take defaults from (see docs/catalogue.md).",
        ),
        k(
            "kind",
            Ty::Enum(EffectorKind::NAMES),
            "Effector kind (required without class).",
        ),
        k(
            "count",
            Ty::Int { min: 0 },
            "Number of identical units (default 1; 0 places none, as in a sweep from zero).",
        ),
        k(
            "position",
            Ty::Point,
            "Where the unit is (one of position, positions, area).",
        ),
        k(
            "positions",
            Ty::ListOfPoints,
            "Explicit positions, one per unit.",
        ),
        k(
            "area",
            Ty::Table(&AREA),
            "Spread `count` units evenly over a disc.",
        ),
        k(
            "min_range",
            Ty::Quantity(Length),
            "Minimum engagement range.",
        ),
        k(
            "max_range",
            Ty::Quantity(Length),
            "Maximum engagement range.",
        ),
        k(
            "max_altitude",
            Ty::Quantity(Length),
            "Highest engageable altitude.",
        ),
        k(
            "min_altitude",
            Ty::Quantity(Length),
            "Lowest engageable altitude (default 0 m).",
        ),
        k(
            "stock",
            Ty::Int { min: 0 },
            "Rounds on hand for the night, magazine included (default: reloads without limit).",
        ),
        k(
            "aiming",
            Ty::Enum(Aiming::NAMES),
            "radar or optical (default: from class; else optical for guns and interceptor drones).",
        ),
        k(
            "engages",
            Ty::ListOfStr,
            "Threat kinds or threat class ids it can engage.",
        ),
        k("channels", Ty::Int { min: 1 }, "Simultaneous engagements."),
        k(
            "magazine",
            Ty::Int { min: 0 },
            "Rounds (missiles, drones, bursts) before a reload.",
        ),
        k(
            "reload_time",
            Ty::Quantity(Duration),
            "Time to refill the magazine.",
        ),
        k(
            "interceptor_speed",
            Ty::Quantity(Speed),
            "Average speed of the interceptor or projectile. An interceptor drone engages only threats slower than this: it cannot catch the others.",
        ),
        k(
            "reaction_time",
            Ty::Quantity(Duration),
            "From decision to launch.",
        ),
        k(
            "pk",
            Ty::ProbabilityMap,
            "Kill probability per shot, by threat kind or class id.",
        ),
        k(
            "cost_per_shot",
            Ty::Quantity(Money),
            "Cost of one round (missile, drone, burst).",
        ),
        k(
            "mean_engagement_time",
            Ty::Quantity(Duration),
            "Shooters only: each engagement holds its channel an exponential time of this mean (loss-system model).",
        ),
        k(
            "radius",
            Ty::Quantity(Length),
            "Jammer only: radius of effect.",
        ),
        k(
            "p_defeat",
            Ty::ProbabilityMap,
            "Jammer only: probability of defeating a GNSS-guided threat, by kind or class id.",
        ),
    ],
};

pub static THREAT: TableSpec = TableSpec {
    name: "threat",
    doc: "A threat class (a drone type, a decoy, a missile), usually from the catalogue with overrides.",
    keys: &[
        req("id", Ty::Str, "Unique id, used by raids."),
        k("class", Ty::Str, "Catalogue class to take defaults from."),
        k(
            "kind",
            Ty::Enum(ThreatKind::NAMES),
            "Threat kind (required without class).",
        ),
        k("speed", Ty::Quantity(Speed), "Cruise speed."),
        k("altitude", Ty::Quantity(Length), "Cruise altitude."),
        k("rcs", Ty::Quantity(Area), "Radar cross section."),
        k(
            "warhead",
            Ty::Quantity(Mass),
            "Warhead mass (0 kg for a decoy).",
        ),
        k(
            "unit_cost",
            Ty::Quantity(Money),
            "Cost of one threat to the attacker.",
        ),
        k(
            "guidance",
            Ty::Enum(Guidance::NAMES),
            "gnss, inertial or terminal-seeker.",
        ),
        k("accuracy", Ty::Quantity(Length), "Circular error probable."),
        k(
            "decoy",
            Ty::Bool,
            "Whether it carries no warhead (default: kind is decoy).",
        ),
        k(
            "endurance",
            Ty::Quantity(Duration),
            "Flight time after which it falls (default unlimited).",
        ),
        k(
            "jam_resistance",
            Ty::Probability,
            "Share of a jammer's defeats it resists (anti-jam antennas; default 0): a jammer defeats it with p_defeat x (1 - jam_resistance).",
        ),
    ],
};

pub static LAUNCH_SITE: TableSpec = TableSpec {
    name: "launch_site",
    doc: "A place threats are launched from.",
    keys: &[
        req("id", Ty::Str, "Unique id."),
        req("position", Ty::Point, "Where it is."),
    ],
};

pub static TARGET: TableSpec = TableSpec {
    name: "target",
    doc: "One named asset; or assets of some kinds, of one city or of several cities by weight.",
    keys: &[
        k("asset", Ty::Str, "One named asset (alone)."),
        k(
            "kinds",
            Ty::ListOfEnum(AssetKind::NAMES),
            "Assets of these kinds, weighted by value.",
        ),
        k("city", Ty::Str, "Assets of this city, weighted by value."),
        k(
            "cities",
            Ty::Weights,
            "A city drawn by these weights, then one of its assets by value.",
        ),
    ],
};

pub static RAID: TableSpec = TableSpec {
    name: "raid",
    doc: "A wave of one threat class.",
    keys: &[
        req("id", Ty::Str, "Unique id."),
        req(
            "threat",
            Ty::Str,
            "Threat class id (declared or catalogue).",
        ),
        req("count", Ty::Int { min: 1 }, "Number of threats."),
        req("from", Ty::ListOfStr, "Launch site ids, used in turn."),
        k(
            "start",
            Ty::Quantity(Duration),
            "Start of the launch window (default 0 s).",
        ),
        req("end", Ty::Quantity(Duration), "End of the launch window."),
        k(
            "arrival",
            Ty::Enum(ArrivalKind::NAMES),
            "fixed, uniform or poisson (default uniform).",
        ),
        k(
            "rate",
            Ty::Quantity(Rate),
            "Poisson only: launch rate (default count / window).",
        ),
        k(
            "route",
            Ty::Route,
            "\"direct\" (default) or a list of waypoints.",
        ),
        k(
            "target",
            Ty::Target,
            "\"any\" (default), { asset = id } or { kinds = [...] }.",
        ),
        k(
            "altitudes",
            Ty::ListOfQuantity(Length),
            "Cruise altitude: one for the whole route, or one per leg (default: the class's).",
        ),
        k(
            "dive",
            Ty::Table(&DIVE),
            "A terminal dive onto the target: { angle = ... } or { length = ... }.",
        ),
    ],
};

pub static DIVE: TableSpec = TableSpec {
    name: "dive",
    doc: "Exactly one of angle or length: the threat leaves its cruise altitude and dives \
          in a straight line onto its target.",
    keys: &[
        k(
            "angle",
            Ty::Quantity(Angle),
            "Dive angle below the horizontal, above 0 and at most 90 deg.",
        ),
        k(
            "length",
            Ty::Quantity(Length),
            "Ground distance from the target at which the dive begins.",
        ),
    ],
};

pub static FIRE: TableSpec = TableSpec {
    name: "fire",
    doc: "How to fire at some threats.",
    keys: &[
        req("threats", Ty::ListOfStr, "Threat kinds or class ids."),
        req(
            "mode",
            Ty::Enum(FireModeKind::NAMES),
            "shoot-look-shoot or salvo.",
        ),
        k(
            "shots",
            Ty::Int { min: 1 },
            "Salvo size, or most shots with shoot-look-shoot (default 2).",
        ),
    ],
};

pub static RESERVE: TableSpec = TableSpec {
    name: "reserve",
    doc: "Keep rounds of an effector class for some threats.",
    keys: &[
        req(
            "effector",
            Ty::Str,
            "Effector kind, catalogue class or effector id.",
        ),
        req("keep", Ty::Int { min: 1 }, "Rounds kept back per unit."),
        req(
            "threats",
            Ty::ListOfStr,
            "Threat kinds or class ids they are kept for.",
        ),
    ],
};

pub static COST_RULE: TableSpec = TableSpec {
    name: "cost_rule",
    doc: "No shot costing more than max_ratio times the damage it is expected to avert.",
    keys: &[
        req(
            "max_ratio",
            Ty::Number,
            "k: the largest cost / averted damage allowed (> 0).",
        ),
        req(
            "value_unit",
            Ty::Quantity(Money),
            "What one unit of asset value is worth.",
        ),
    ],
};

pub static DOCTRINE: TableSpec = TableSpec {
    name: "doctrine",
    doc: "The rules the defence fights by.",
    keys: &[
        k(
            "policy",
            Ty::Enum(Policy::NAMES),
            "nearest, greedy or optimal (default greedy).",
        ),
        k(
            "default_mode",
            Ty::Enum(FireModeKind::NAMES),
            "Firing mode for threats no fire rule names (default shoot-look-shoot).",
        ),
        k(
            "default_shots",
            Ty::Int { min: 1 },
            "Shots for default_mode (default 2).",
        ),
        k(
            "decoy_discrimination",
            Ty::Probability,
            "Probability of telling a decoy from a drone (default 0).",
        ),
        k("fire", Ty::ArrayOfTables(&FIRE), "Firing rules per threat."),
        k("reserve", Ty::ArrayOfTables(&RESERVE), "Reserves."),
        k(
            "cost_rule",
            Ty::Table(&COST_RULE),
            "The cost rule (default none).",
        ),
    ],
};

pub static CONDITIONS: TableSpec = TableSpec {
    name: "conditions",
    doc: "The night's weather (default: clear).",
    keys: &[
        k(
            "visibility",
            Ty::Quantity(Length),
            "Meteorological visibility (default: clear, no effect).",
        ),
        k(
            "clear_visibility",
            Ty::Quantity(Length),
            "Visibility from which optical aiming is unimpaired (default 10 km).",
        ),
    ],
};

pub static HINDCAST: TableSpec = TableSpec {
    name: "hindcast",
    doc: "Which raids carry each column of a reported night (rampart hindcast).",
    keys: &[
        k(
            "drones",
            Ty::ListOfStr,
            "Raids of armed one-way attack drones.",
        ),
        k("decoys", Ty::ListOfStr, "Raids of decoys."),
        k("missiles", Ty::ListOfStr, "Raids of cruise missiles."),
        k("ballistic", Ty::ListOfStr, "Raids of ballistic missiles."),
        k(
            "baseline",
            Ty::ListOfStr,
            "Raids that keep their file's count every night, the night's count permitting; the rest of the column is spread over its other raids.",
        ),
    ],
};

pub static ROOT: TableSpec = TableSpec {
    name: "",
    doc: "A Rampart scenario: one night of a raid against a layered air defence.",
    keys: &[
        req(
            "scenario",
            Ty::Table(&SCENARIO),
            "Name, seed, duration, origin.",
        ),
        k("tracking", Ty::Table(&TRACKING), "Track initiation rule."),
        k(
            "conditions",
            Ty::Table(&CONDITIONS),
            "The night's weather (default clear).",
        ),
        k("asset", Ty::ArrayOfTables(&ASSET), "Assets to protect."),
        k("sensor", Ty::ArrayOfTables(&SENSOR), "Sensors."),
        k("effector", Ty::ArrayOfTables(&EFFECTOR), "Effectors."),
        k("threat", Ty::ArrayOfTables(&THREAT), "Threat classes."),
        k(
            "launch_site",
            Ty::ArrayOfTables(&LAUNCH_SITE),
            "Launch sites.",
        ),
        k("raid", Ty::ArrayOfTables(&RAID), "Raid waves."),
        k("doctrine", Ty::Table(&DOCTRINE), "Doctrine."),
        k(
            "variant",
            Ty::ArrayOfTables(&VARIANT),
            "Named variants for `rampart compare`.",
        ),
        k(
            "hindcast",
            Ty::Table(&HINDCAST),
            "Raids that carry each column of a reported night.",
        ),
    ],
};

pub static VARIANT: TableSpec = TableSpec {
    name: "variant",
    doc: "A named variant of the scenario, for `rampart compare`.",
    keys: &[
        req("id", Ty::Str, "Name of the variant."),
        k("description", Ty::Str, "Free text."),
        req(
            "set",
            Ty::Settings,
            "Fields to change, by path: { \"doctrine.policy\" = \"nearest\" }.",
        ),
    ],
};

/// Every table of the format, for documentation checks.
pub fn all_tables() -> Vec<&'static TableSpec> {
    fn walk(t: &'static TableSpec, out: &mut Vec<&'static TableSpec>) {
        if out.iter().any(|o| std::ptr::eq(*o, t)) {
            return;
        }
        out.push(t);
        for key in t.keys {
            if let Ty::Table(s) | Ty::ArrayOfTables(s) = key.ty {
                walk(s, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&ROOT, &mut out);
    out.push(&TARGET);
    out
}

/// Human description of a type, for "expected ..." messages.
pub fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Str => "a string".into(),
        Ty::Int { min } => format!("an integer >= {min}"),
        Ty::Number => "a number".into(),
        Ty::Probability => "a probability (a number from 0 to 1)".into(),
        Ty::Bool => "true or false".into(),
        Ty::Quantity(d) => format!(
            "{} with a unit, such as \"{}\"",
            crate::units::with_article(d.name()),
            d.example()
        ),
        Ty::Point => "a position [east, north], such as [\"12 km\", \"-3.5 km\"]".into(),
        Ty::Enum(names) => format!("one of {}", names.join(", ")),
        Ty::Table(_) => "a table".into(),
        Ty::ArrayOfTables(_) => "an array of tables ([[...]])".into(),
        Ty::ListOfStr => "a list of strings".into(),
        Ty::ListOfInt { min } => format!("a list of integers >= {min}"),
        Ty::ListOfEnum(names) => format!("a list of: {}", names.join(", ")),
        Ty::ListOfPoints => "a list of positions [[east, north], ...]".into(),
        Ty::ListOfQuantity(d) => format!(
            "a list of {}s with units, such as [\"{}\"]",
            d.name(),
            d.example()
        ),
        Ty::ProbabilityMap => "a table of probabilities, such as { owa-drone = 0.7 }".into(),
        Ty::Weights => "a table of weights above 0, such as { north = 2, capital = 5 }".into(),
        Ty::Route => "\"direct\" or a list of waypoints [[east, north], ...]".into(),
        Ty::Target => {
            "\"any\", { asset = \"id\" }, { kinds = [...] }, { city = \"name\" } or { cities = { name = weight } }"
                .into()
        }
        Ty::Settings => {
            "a table of field paths to values, such as { \"doctrine.policy\" = \"nearest\" }".into()
        }
    }
}
