//! The validated scenario: plain data, every quantity in base units.
//!
//! Lengths are metres, speeds metres per second, masses kilograms, costs US
//! dollars, radar cross sections square metres, rates per second, and every
//! time and duration is an integer number of milliseconds ([`Millis`]).

use serde::Serialize;
use std::collections::BTreeMap;

/// Simulation time and durations, in integer milliseconds.
pub type Millis = i64;

/// A point on the map: metres east and north of the scenario origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub east: f64,
    pub north: f64,
}

impl Point {
    pub fn new(east: f64, north: f64) -> Self {
        Point { east, north }
    }

    /// Ground distance to another point, in metres.
    pub fn distance(self, other: Point) -> f64 {
        libm::hypot(self.east - other.east, self.north - other.north)
    }
}

/// The geodetic point that `Point { east: 0, north: 0 }` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoOrigin {
    pub lat: f64,
    pub lon: f64,
}

/// A whole scenario: one night, what is defended, by what, against which raid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub seed: u64,
    pub duration: Millis,
    pub origin: Option<GeoOrigin>,
    /// Outline of the city or region (for maps only; empty if not given).
    pub outline: Vec<Point>,
    pub tracking: TrackInitiation,
    /// The night's weather (`[conditions]`).
    pub conditions: Conditions,
    pub assets: Vec<Asset>,
    /// Sensor units, with `count = N` declarations expanded.
    pub sensors: Vec<Sensor>,
    /// Effector units, with `count = N` declarations expanded.
    pub effectors: Vec<Effector>,
    /// Threat classes: those declared in the file and the catalogue classes it uses.
    pub threats: Vec<ThreatClass>,
    pub launch_sites: Vec<LaunchSite>,
    pub raids: Vec<Raid>,
    pub doctrine: Doctrine,
    /// Named variants for comparisons (`[[variant]]`).
    pub variants: Vec<Variant>,
    /// Which raids carry each column of a reported night (`[hindcast]`).
    pub hindcast: Option<HindcastRaids>,
}

/// The raids that carry each column of a reported night, for `rampart
/// hindcast`: a night's count is spread over them in the file's proportions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HindcastRaids {
    /// Armed one-way attack drones.
    pub drones: Vec<String>,
    pub decoys: Vec<String>,
    /// Cruise missiles.
    pub missiles: Vec<String>,
    pub ballistic: Vec<String>,
    /// Raids that keep their file's count every night, the night's count
    /// permitting: a column's count goes to them first (up to their file
    /// counts, in the column's order) and the rest is spread over its
    /// other raids (a steady attack that a massed raid comes on top of).
    pub baseline: Vec<String>,
}

/// A named variant: fields changed by path, as `rampart compare` takes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub id: String,
    pub description: Option<String>,
    /// `(path, value)` in file order, such as `("doctrine.policy", "nearest")`.
    pub set: Vec<(String, String)>,
}

impl Scenario {
    pub fn threat(&self, id: &str) -> Option<&ThreatClass> {
        self.threats.iter().find(|t| t.id == id)
    }

    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }

    pub fn launch_site(&self, id: &str) -> Option<&LaunchSite> {
        self.launch_sites.iter().find(|s| s.id == id)
    }

    /// Total number of threats the raids launch.
    pub fn threats_launched(&self) -> u64 {
        self.raids.iter().map(|r| u64::from(r.count)).sum()
    }
}

/// k detections within n consecutive scans start a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TrackInitiation {
    pub k: u32,
    pub n: u32,
    /// A track is lost when the threat has been out of every sensor's
    /// coverage this long, ms, and must be started again (`None`: a track
    /// is never lost).
    pub lost_after: Option<Millis>,
}

macro_rules! kebab_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every spelling accepted in a scenario file.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// The spelling used in scenario files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the spelling used in scenario files.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kebab_enum! {
    /// What an asset is, for results by kind ("how many hospitals were hit").
    AssetKind {
        Hospital = "hospital",
        Power = "power",
        Water = "water",
        Heating = "heating",
        Residential = "residential",
        Government = "government",
        Industrial = "industrial",
        Military = "military",
        Other = "other",
    }
}

kebab_enum! {
    /// The kind of a sensor.
    SensorKind {
        Radar = "radar",
        Acoustic = "acoustic",
        Visual = "visual",
    }
}

kebab_enum! {
    /// The five classes of effector.
    EffectorKind {
        LongRangeSam = "long-range-sam",
        MediumSam = "medium-sam",
        Gun = "gun",
        InterceptorDrone = "interceptor-drone",
        Jammer = "jammer",
    }
}

kebab_enum! {
    /// How a shooter aims: with a fire-control radar, or by eye or camera
    /// (which poor visibility degrades, see `Conditions`).
    Aiming {
        Radar = "radar",
        Optical = "optical",
    }
}

impl Aiming {
    /// The aiming of a unit of `kind` that does not say: SAMs by radar;
    /// guns (without a catalogue class that says otherwise) and
    /// interceptor drones by eye or camera.
    pub fn default_for(kind: EffectorKind) -> Aiming {
        match kind {
            EffectorKind::LongRangeSam | EffectorKind::MediumSam | EffectorKind::Jammer => {
                Aiming::Radar
            }
            EffectorKind::Gun | EffectorKind::InterceptorDrone => Aiming::Optical,
        }
    }
}

/// The night's weather as it acts on the defence. Without `[conditions]`
/// the night is clear: nothing is degraded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Conditions {
    /// Meteorological visibility, metres (`None`: clear).
    pub visibility: Option<f64>,
    /// Visibility at and above which optical aiming works as in clear
    /// weather, metres.
    pub clear_visibility: f64,
}

impl Conditions {
    /// The default `clear_visibility` (a modelling assumption, docs/scenario.md).
    pub const CLEAR_VISIBILITY: f64 = 10_000.0;

    /// Clear weather.
    pub const CLEAR: Conditions = Conditions {
        visibility: None,
        clear_visibility: Conditions::CLEAR_VISIBILITY,
    };

    /// The factor on the kill probability of a unit that aims by eye or
    /// camera: visibility / clear_visibility, at most 1.
    pub fn optical_factor(&self) -> f64 {
        match self.visibility {
            Some(v) => (v / self.clear_visibility).min(1.0),
            None => 1.0,
        }
    }

    /// The farthest a visual post sees, metres (`None`: no limit).
    pub fn visual_range(&self) -> Option<f64> {
        self.visibility
    }
}

impl Default for Conditions {
    fn default() -> Self {
        Conditions::CLEAR
    }
}

kebab_enum! {
    /// The broad kind of a threat class.
    ThreatKind {
        OwaDrone = "owa-drone",
        Decoy = "decoy",
        CruiseMissile = "cruise-missile",
        BallisticMissile = "ballistic-missile",
        Other = "other",
    }
}

kebab_enum! {
    /// How a threat navigates; it decides whether a jammer can defeat it.
    Guidance {
        Gnss = "gnss",
        Inertial = "inertial",
        TerminalSeeker = "terminal-seeker",
    }
}

kebab_enum! {
    /// The fire-decision policy.
    Policy {
        Nearest = "nearest",
        Greedy = "greedy",
        Optimal = "optimal",
    }
}

kebab_enum! {
    /// How launch times are spread over a raid's window.
    ArrivalKind {
        Fixed = "fixed",
        Uniform = "uniform",
        Poisson = "poisson",
    }
}

kebab_enum! {
    /// How shots are fired at one threat.
    FireModeKind {
        ShootLookShoot = "shoot-look-shoot",
        Salvo = "salvo",
    }
}

/// How much damage an asset takes before it is destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hardness {
    /// Destroyed by this many hits; each hit does 1/N damage.
    Hits(u32),
    /// Destroyed by this total warhead mass (kg); damage is mass / this.
    WarheadMass(f64),
}

/// Something to protect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    pub id: String,
    pub name: String,
    pub kind: AssetKind,
    pub position: Point,
    /// Relative value (weight) of the asset.
    pub value: f64,
    pub hardness: Hardness,
    /// The city (or region) it belongs to, for raids aimed at cities.
    pub city: Option<String>,
}

/// One sensor unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensor {
    /// Unit id: the declared id, or `id#k` (1-based) when declared with `count`.
    pub id: String,
    /// The id of the declaration this unit comes from.
    pub group: String,
    pub kind: SensorKind,
    pub position: Point,
    /// Height of the antenna or observer above ground, metres.
    pub mast_height: f64,
    /// Detection range (radar: against `reference_rcs`), metres.
    pub range: f64,
    /// Radar cross section at which `range` holds, m2 (radar only).
    pub reference_rcs: f64,
    /// Time between scans or reports, ms.
    pub scan_period: Millis,
    /// Probability of detection per scan, within range.
    pub p_detect: f64,
    /// Highest altitude the sensor can detect at, metres (acoustic and visual posts).
    pub max_altitude: Option<f64>,
}

/// One effector unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effector {
    /// Unit id: the declared id, or `id#k` (1-based) when declared with `count`.
    pub id: String,
    /// The id of the declaration this unit comes from.
    pub group: String,
    /// The catalogue class it was built from, if any.
    pub class: Option<String>,
    pub kind: EffectorKind,
    pub position: Point,
    pub role: EffectorRole,
}

/// What an effector does: fire interceptors (or bursts), or jam.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EffectorRole {
    Shooter(Weapon),
    Jammer(Jammer),
}

/// The firing parameters of a SAM, gun or interceptor-drone unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weapon {
    pub min_range: f64,
    pub max_range: f64,
    /// Highest altitude at which it can meet a threat, metres.
    pub max_altitude: f64,
    /// Lowest altitude at which it can meet a threat, metres (0: none).
    pub min_altitude: f64,
    /// How it aims (poor visibility degrades optical aiming).
    pub aiming: Aiming,
    /// Threat kinds or threat class ids this unit can engage.
    pub engages: Vec<String>,
    /// Simultaneous engagements.
    pub channels: u32,
    /// Rounds (missiles, drones, bursts) before a reload.
    pub magazine: u32,
    /// Rounds on hand for the night, the magazine included (`None`: reloads
    /// without limit). A campaign's depots replace it.
    pub stock: Option<u32>,
    pub reload_time: Millis,
    pub interceptor_speed: f64,
    pub reaction_time: Millis,
    /// Kill probability per shot, keyed by threat kind or threat class id.
    pub pk: BTreeMap<String, f64>,
    pub cost_per_shot: f64,
    /// When set, each engagement holds its channel for an exponentially
    /// distributed time of this mean (ms), instead of until the intercept:
    /// the classic loss-system model of a fire unit.
    pub mean_engagement_time: Option<Millis>,
}

/// An electronic-warfare jammer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jammer {
    pub radius: f64,
    /// Probability of defeating a GNSS-guided threat, keyed by threat kind or class id.
    pub p_defeat: BTreeMap<String, f64>,
}

/// A class of threat: a drone type, a decoy, a missile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatClass {
    pub id: String,
    /// The catalogue class it was built from, if any.
    pub class: Option<String>,
    pub kind: ThreatKind,
    pub speed: f64,
    /// Cruise altitude, metres.
    pub altitude: f64,
    /// Radar cross section, m2.
    pub rcs: f64,
    /// Warhead mass, kg (0 for decoys).
    pub warhead: f64,
    pub unit_cost: f64,
    pub guidance: Guidance,
    /// Circular error probable, metres.
    pub accuracy: f64,
    pub decoy: bool,
    /// Flight time after which the threat falls (decoys expire), ms.
    pub endurance: Option<Millis>,
    /// The share of a jammer's defeats the threat resists (anti-jam
    /// antennas): a jammer defeats it with `p_defeat * (1 - jam_resistance)`.
    pub jam_resistance: f64,
}

impl ThreatClass {
    /// The keys under which per-threat tables (pk, jamming) may name this class,
    /// most specific first. A decoy falls back to the drone entry, since it is
    /// engaged as a drone until told apart.
    pub fn lookup_keys(&self) -> Vec<&str> {
        let mut keys = vec![self.id.as_str()];
        if let Some(c) = &self.class {
            keys.push(c.as_str());
        }
        keys.push(self.kind.as_str());
        if self.kind == ThreatKind::Decoy {
            keys.push(ThreatKind::OwaDrone.as_str());
        }
        keys
    }
}

impl Effector {
    /// Whether this unit can catch threats of `class`: an interceptor drone
    /// catches only what is slower than itself (reported: interceptor
    /// drones are "not yet effective against jet Shaheds"). Other
    /// interceptors are fast enough, or meet their targets head-on, and
    /// the intercept geometry decides.
    pub fn can_catch(&self, class: &ThreatClass) -> bool {
        match &self.role {
            EffectorRole::Shooter(w) => {
                self.kind != EffectorKind::InterceptorDrone || class.speed < w.interceptor_speed
            }
            EffectorRole::Jammer(_) => true,
        }
    }
}

impl Weapon {
    /// Whether it can meet a threat at `altitude` metres.
    pub fn reaches_altitude(&self, altitude: f64) -> bool {
        self.min_altitude <= altitude && altitude <= self.max_altitude
    }

    /// Whether this weapon may engage threats of `class`.
    pub fn can_engage(&self, class: &ThreatClass) -> bool {
        class
            .lookup_keys()
            .iter()
            .any(|k| self.engages.iter().any(|e| e == k))
    }

    /// The kill probability of one shot against `class` (0 when not listed).
    pub fn pk_against(&self, class: &ThreatClass) -> f64 {
        lookup(&self.pk, class)
    }
}

impl Jammer {
    /// The probability of defeating `class` inside the radius (0 unless GNSS-guided).
    pub fn p_defeat_against(&self, class: &ThreatClass) -> f64 {
        if class.guidance != Guidance::Gnss {
            return 0.0;
        }
        lookup(&self.p_defeat, class)
    }
}

fn lookup(map: &BTreeMap<String, f64>, class: &ThreatClass) -> f64 {
    class
        .lookup_keys()
        .iter()
        .find_map(|k| map.get(*k).copied())
        .unwrap_or(0.0)
}

/// A place threats are launched from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchSite {
    pub id: String,
    pub position: Point,
}

/// A wave of one threat class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Raid {
    pub id: String,
    pub threat: String,
    pub count: u32,
    /// Launch site ids; launches are spread over them in turn.
    pub from: Vec<String>,
    pub start: Millis,
    pub end: Millis,
    pub arrival: Arrival,
    pub route: Route,
    pub target: TargetSelection,
    /// Cruise altitude, metres: empty for the class's altitude, one value
    /// for the whole route, or one per leg (waypoints + 1).
    pub altitudes: Vec<f64>,
    /// A terminal dive onto the target, if the threats dive.
    pub dive: Option<Dive>,
}

/// How a threat dives onto its target from its cruise altitude: in a
/// straight line, at a given angle below the horizontal or from a given
/// ground distance (the other follows from the cruise altitude).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dive {
    /// Radians, in (0, pi/2].
    Angle(f64),
    /// Ground distance from the target, metres.
    Length(f64),
}

impl Dive {
    /// Ground distance from the target at which a dive from `cruise`
    /// metres begins (0 when the threat already flies at ground level).
    pub fn ground_length(self, cruise: f64) -> f64 {
        match self {
            Dive::Angle(a) => {
                if cruise <= 0.0 {
                    0.0
                } else {
                    cruise / libm::tan(a)
                }
            }
            Dive::Length(l) => l,
        }
    }
}

/// How launch times fall within the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrival {
    /// Evenly spaced from start to end.
    Fixed,
    /// Independent uniform times in the window.
    Uniform,
    /// A Poisson process at this rate (per second) from the start, at most `count`
    /// launches and none after the end.
    Poisson { rate: f64 },
}

/// The path from the launch site to the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    Direct,
    Waypoints(Vec<Point>),
}

/// How each threat of a raid picks its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetSelection {
    /// One named asset.
    Asset(String),
    /// Any asset, at random with probability proportional to value.
    AnyByValue,
    /// An asset of these kinds, at random with probability proportional to value.
    Kinds(Vec<AssetKind>),
    /// A city drawn by its weight, then one of its assets (of `kinds`, if
    /// any are given) with probability proportional to value.
    Cities {
        cities: Vec<(String, f64)>,
        kinds: Vec<AssetKind>,
    },
}

/// The rules the defence fights by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doctrine {
    pub policy: Policy,
    /// Firing rule for threats no `fire` entry names.
    pub default_fire: FireMode,
    pub fire: Vec<FireRule>,
    pub reserves: Vec<Reserve>,
    pub cost_rule: Option<CostRule>,
    /// Probability of telling a decoy from a drone once tracked.
    pub decoy_discrimination: f64,
}

/// Shoot-look-shoot (one shot, assess, then another while time and shots remain)
/// or a salvo of several shots at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FireMode {
    pub mode: FireModeKind,
    /// Salvo: shots per engagement. Shoot-look-shoot: most shots at one threat.
    pub shots: u32,
}

/// A firing rule for some threats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FireRule {
    /// Threat kinds or class ids it applies to.
    pub threats: Vec<String>,
    pub fire: FireMode,
}

/// Keep `keep` rounds of an effector class for the named threats only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reserve {
    /// Effector kind, catalogue class, or effector declaration id.
    pub effector: String,
    pub keep: u32,
    /// Threat kinds or class ids the reserved rounds are kept for.
    pub threats: Vec<String>,
}

/// No shot may cost more than `max_ratio` times the damage it is expected to
/// avert, where one unit of asset value is worth `value_unit` dollars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostRule {
    pub max_ratio: f64,
    pub value_unit: f64,
}
