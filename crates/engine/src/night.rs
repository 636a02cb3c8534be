//! The assembly phase: a scenario and a seed become the night's threats,
//! with their launch times, sites, targets and flight paths, and the
//! effectors' and sensors' fixed data. Nothing here changes during the run.
//! A flight path is kept once for the threats of a raid from one launch
//! site to one target (two raids on one route keep a path each): a threat
//! is its path and its launch time, a few words, however many legs the
//! path has.

use std::collections::BTreeMap;

use rampart_model::{Arrival, Millis, Point, Raid, Route, Scenario, TargetSelection, ThreatClass};

use crate::flight::{Flight, FlightPath};
use crate::rng::{Purpose, Streams};

/// One threat of the night.
#[derive(Debug, Clone)]
pub struct Threat {
    pub index: usize,
    /// Index into `Scenario::threats`.
    pub class: usize,
    /// Index into `Scenario::raids`.
    pub raid: usize,
    /// Index into `Scenario::assets`.
    pub target: usize,
    /// Index into `Scenario::launch_sites`: where its flight starts.
    pub site: usize,
    /// Index into `Night::paths`: the path it flies.
    pub path: usize,
    /// When it is launched, ms.
    pub launch: Millis,
}

/// The assembled night: what the run phase plays.
#[derive(Debug, Clone)]
pub struct Night<'s> {
    pub scenario: &'s Scenario,
    pub streams: Streams,
    pub threats: Vec<Threat>,
    /// The flight paths the threats fly, one per raid, launch site and
    /// target, in the order of their first threat. The threats of a path
    /// are of one class (their raid's).
    pub paths: Vec<FlightPath>,
    /// Per effector unit: the rounds it may fire tonight, its magazine
    /// included (`None`: the magazine is reloaded without limit). Assembly
    /// sets it from each unit's `stock`; a campaign sets its depot units'
    /// from the depots. A unit never fires more than its supply.
    pub supply: Vec<Option<u32>>,
}

impl<'s> Night<'s> {
    /// Expands the raids of `scenario` with the draws of `seed`.
    pub fn assemble(scenario: &'s Scenario, seed: u64) -> Night<'s> {
        let streams = Streams::new(seed);
        let mut threats = Vec::with_capacity(scenario.threats_launched() as usize);
        let mut paths = Vec::new();
        let mut points = Vec::new();
        for (r, raid) in scenario.raids.iter().enumerate() {
            let Some(class) = scenario.threats.iter().position(|t| t.id == raid.threat) else {
                continue;
            };
            let tc = &scenario.threats[class];
            let targets = Targets::new(scenario, &raid.target);
            let times = launch_times(raid.arrival, raid.start, raid.end, raid.count, &streams, r);
            // The raid's launch sites, in turn, and its paths by (launch
            // site, target).
            let sites: Vec<Option<usize>> = raid
                .from
                .iter()
                .map(|id| scenario.launch_sites.iter().position(|s| &s.id == id))
                .collect();
            let mut routes: BTreeMap<(usize, usize), usize> = BTreeMap::new();
            for (k, launch) in times.into_iter().enumerate() {
                let entity = ((r as u64) << 32) | k as u64;
                let Some(site_index) = sites[k % sites.len()] else {
                    continue;
                };
                let site = &scenario.launch_sites[site_index];
                let Some(target) = targets.pick(&streams, entity) else {
                    continue;
                };
                let path = *routes.entry((site_index, target)).or_insert_with(|| {
                    points.clear();
                    points.push(site.position);
                    if let Route::Waypoints(w) = &raid.route {
                        points.extend(w.iter().copied());
                    }
                    points.push(scenario.assets[target].position);
                    paths.push(profile(raid, tc, &mut points));
                    paths.len() - 1
                });
                threats.push(Threat {
                    index: threats.len(),
                    class,
                    raid: r,
                    target,
                    site: site_index,
                    path,
                    launch,
                });
            }
        }
        Night {
            scenario,
            streams,
            threats,
            paths,
            supply: scenario
                .effectors
                .iter()
                .map(|e| match &e.role {
                    rampart_model::EffectorRole::Shooter(w) => w.stock,
                    rampart_model::EffectorRole::Jammer(_) => None,
                })
                .collect(),
        }
    }

    pub fn class(&self, t: &Threat) -> &ThreatClass {
        &self.scenario.threats[t.class]
    }

    /// Threat `t`'s flight: its path from its launch.
    pub fn flight(&self, t: &Threat) -> Flight<'_> {
        Flight {
            path: &self.paths[t.path],
            launch: t.launch,
        }
    }
}

/// The flight over `points` (launch site, waypoints, target) with the
/// raid's cruise altitudes (the class's by default, one for every leg or
/// one per leg) and its terminal dive: the last leg is cut where the dive
/// begins (at its first point if the dive is longer than the leg), and the
/// threat descends in a straight line from there to the ground at its target.
fn profile(raid: &Raid, class: &ThreatClass, points: &mut Vec<Point>) -> FlightPath {
    let legs = points.len().saturating_sub(1);
    let cruise = |k: usize| match raid.altitudes.as_slice() {
        [] => class.altitude,
        [one] => *one,
        many => many.get(k).copied().unwrap_or(class.altitude),
    };
    let Some(dive) = raid.dive.filter(|_| legs > 0) else {
        if raid.altitudes.is_empty() {
            return FlightPath::new(points, class.speed, class.altitude);
        }
        return FlightPath::profiled(points, |k| (cruise(k), cruise(k)), class.speed);
    };
    let last = legs - 1;
    let h = cruise(last);
    let (a, b) = (points[last], points[last + 1]);
    let leg = a.distance(b);
    let length = dive.ground_length(h).min(leg);
    if length < leg {
        let f = 1.0 - length / leg;
        let start = Point::new(
            a.east + f * (b.east - a.east),
            a.north + f * (b.north - a.north),
        );
        points.insert(last + 1, start);
    }
    let dive_leg = points.len() - 2;
    FlightPath::profiled(
        points,
        |k| {
            if k == dive_leg {
                (h, 0.0)
            } else {
                (cruise(k.min(last)), cruise(k.min(last)))
            }
        },
        class.speed,
    )
}

/// Launch times of one raid, in ms, sorted.
fn launch_times(
    arrival: Arrival,
    start: Millis,
    end: Millis,
    count: u32,
    streams: &Streams,
    raid: usize,
) -> Vec<Millis> {
    let window = (end - start).max(0);
    let n = u64::from(count);
    let mut times: Vec<Millis> = match arrival {
        Arrival::Fixed => (0..n)
            .map(|k| {
                if n == 1 {
                    start
                } else {
                    start + crate::whole::round((window as f64) * k as f64 / (n - 1) as f64)
                }
            })
            .collect(),
        Arrival::Uniform => (0..n)
            .map(|k| {
                start
                    + (streams.uniform(Purpose::LaunchTime, raid as u64, k) * window as f64)
                        as Millis
            })
            .collect(),
        Arrival::Poisson { rate } => {
            let mut t = start as f64;
            let mut out = Vec::new();
            for k in 0..n {
                t += streams.exponential(Purpose::LaunchTime, raid as u64, k, 1000.0 / rate);
                if t > end as f64 {
                    break;
                }
                out.push(crate::whole::round(t));
            }
            out
        }
    };
    times.sort_unstable();
    times
}

/// The assets a raid's threats may head for, each with its weight (its
/// value, or its city's share of the city's weight), and their total.
struct Targets {
    candidates: Vec<usize>,
    weights: Vec<f64>,
    total: f64,
    /// A named asset, or none found.
    fixed: Option<Option<usize>>,
}

impl Targets {
    fn new(scenario: &Scenario, selection: &TargetSelection) -> Targets {
        let candidates: Vec<usize> = match selection {
            TargetSelection::Asset(id) => {
                return Targets {
                    candidates: Vec::new(),
                    weights: Vec::new(),
                    total: 0.0,
                    fixed: Some(scenario.assets.iter().position(|a| &a.id == id)),
                };
            }
            TargetSelection::Cities { cities, kinds } => {
                // A city by its weight, then an asset by value within it:
                // one draw over the products.
                let fits = |a: &rampart_model::Asset| kinds.is_empty() || kinds.contains(&a.kind);
                let mut candidates = Vec::new();
                let mut weights = Vec::new();
                for (city, w) in cities {
                    let of_city = |a: &&rampart_model::Asset| {
                        a.city.as_deref() == Some(city.as_str()) && fits(a)
                    };
                    let value: f64 = scenario
                        .assets
                        .iter()
                        .filter(of_city)
                        .map(|a| a.value)
                        .sum();
                    for (k, a) in scenario.assets.iter().enumerate() {
                        if of_city(&a) && value > 0.0 {
                            candidates.push(k);
                            weights.push(w * a.value / value);
                        }
                    }
                }
                let total = weights.iter().sum();
                return Targets {
                    candidates,
                    weights,
                    total,
                    fixed: None,
                };
            }
            TargetSelection::AnyByValue => (0..scenario.assets.len()).collect(),
            TargetSelection::Kinds(kinds) => (0..scenario.assets.len())
                .filter(|&a| kinds.contains(&scenario.assets[a].kind))
                .collect(),
        };
        let weights: Vec<f64> = candidates
            .iter()
            .map(|&a| scenario.assets[a].value)
            .collect();
        let total = weights.iter().sum();
        Targets {
            candidates,
            weights,
            total,
            fixed: None,
        }
    }

    /// The asset a threat heads for, drawn by value where the raid says so.
    fn pick(&self, streams: &Streams, entity: u64) -> Option<usize> {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        if self.candidates.is_empty() || self.total <= 0.0 {
            return self.candidates.first().copied();
        }
        let mut u = streams.uniform(Purpose::Target, entity, 0) * self.total;
        for (&a, &w) in self.candidates.iter().zip(&self.weights) {
            u -= w;
            if u < 0.0 {
                return Some(a);
            }
        }
        self.candidates.last().copied()
    }
}
