//! Doctrine and geometry tables: per (unit, threat class) and per (sensor,
//! threat class) facts that do not change during a run, worked out once.

use rampart_model::{
    Aiming, Effector, EffectorRole, FireModeKind, Millis, Scenario, Sensor, SensorKind,
    ThreatClass, ThreatKind,
};

use crate::flight::{MAX_LEG, radar_horizon};

/// Sensors with the least distance to fly into their range, ascending.
type SensorOrder = Vec<(f64, usize)>;

/// Facts fixed for the whole night.
#[derive(Debug)]
pub(crate) struct Tables {
    /// Per unit and class: kill probability of one round, when the unit can
    /// engage the class at all.
    pub pk: Vec<Vec<Option<f64>>>,
    /// Per unit and class: rounds the doctrine keeps back from this class.
    pub keep: Vec<Vec<u32>>,
    /// Per class: (rounds per engagement, most rounds at one threat per unit).
    pub fire: Vec<(u32, u32)>,
    /// Per unit: the most rounds it keeps in reserve for any class.
    pub max_keep: Vec<u32>,
    /// Per unit: how long before a threat enters its maximum range a
    /// decision could start an engagement (flight time of an interceptor
    /// to that range, plus reaction time), ms.
    pub lead: Vec<Millis>,
    /// Per class and sensor: the sensor's detection range against the
    /// class (radar range scaled by RCS^(1/4) and cut by the radar
    /// horizon), or `None` when the class flies above the sensor's ceiling.
    pub detect_range: Vec<Vec<Option<f64>>>,
    /// Per unit and class: a jammer's chance to defeat the class inside its
    /// radius (0 for shooters and for classes it cannot defeat).
    pub p_defeat: Vec<Vec<f64>>,
    /// Per class and asset: expected damage of a threat of the class left
    /// alone against the asset, as the defence sees it (`value::threat_value`).
    pub value: Vec<Vec<f64>>,
    /// Per class: probability that a leaker hits its asset.
    pub p_hit: Vec<f64>,
    /// Per class and launch site, once asked for (`sensor_order`): the
    /// sensors that can see the class, each with the least distance a
    /// threat from the site must fly to come into its range (distance less
    /// range), by that distance.
    sensor_order: Vec<Vec<Option<SensorOrder>>>,
}

impl Tables {
    pub(crate) fn new(sc: &Scenario) -> Tables {
        let d = &sc.doctrine;
        let fire = sc
            .threats
            .iter()
            .map(|class| {
                let keys = apparent_keys(class);
                let mode = d
                    .fire
                    .iter()
                    .find(|r| r.threats.iter().any(|t| keys.contains(&t.as_str())))
                    .map_or(d.default_fire, |r| r.fire);
                match mode.mode {
                    FireModeKind::Salvo => (mode.shots, mode.shots),
                    FireModeKind::ShootLookShoot => (1, mode.shots),
                }
            })
            .collect();
        let pk: Vec<Vec<Option<f64>>> = per_unit(sc, |e| {
            sc.threats
                .iter()
                .map(|class| match &e.role {
                    EffectorRole::Shooter(w) => {
                        // Altitude is not asked here: a unit's windows on a
                        // flight are where the threat is inside its altitude
                        // band (`index`), whatever the class's cruise.
                        // Poor visibility degrades aiming by eye or camera.
                        let p = match w.aiming {
                            Aiming::Optical => w.pk_against(class) * sc.conditions.optical_factor(),
                            Aiming::Radar => w.pk_against(class),
                        };
                        (w.can_engage(class) && p > 0.0 && e.can_catch(class)).then_some(p)
                    }
                    EffectorRole::Jammer(_) => None,
                })
                .collect()
        });
        let keep: Vec<Vec<u32>> = per_unit(sc, |e| {
            sc.threats
                .iter()
                .map(|class| {
                    let keys = apparent_keys(class);
                    let mut keep = 0;
                    for r in &d.reserves {
                        let applies = r.effector == e.kind.as_str()
                            || Some(&r.effector) == e.class.as_ref()
                            || r.effector == e.group;
                        let for_this = r.threats.iter().any(|t| keys.contains(&t.as_str()));
                        if applies && !for_this {
                            keep = keep.max(r.keep);
                        }
                    }
                    keep
                })
                .collect()
        });
        // A unit that keeps its whole magazine from a class never fires at
        // it: no windows on it, and no place among the layers ahead of it.
        let mut pk = pk;
        for (u, e) in sc.effectors.iter().enumerate() {
            if let EffectorRole::Shooter(w) = &e.role {
                for (c, p) in pk[u].iter_mut().enumerate() {
                    if w.magazine <= keep[u][c] {
                        *p = None;
                    }
                }
            }
        }
        let max_keep = keep
            .iter()
            .map(|row: &Vec<u32>| row.iter().copied().max().unwrap_or(0))
            .collect();
        let lead = sc
            .effectors
            .iter()
            .map(|e| match &e.role {
                EffectorRole::Shooter(w) => {
                    let flight = (w.max_range / w.interceptor_speed * 1000.0).min(MAX_LEG as f64);
                    (flight as Millis).saturating_add(w.reaction_time)
                }
                EffectorRole::Jammer(_) => 0,
            })
            .collect();
        let detect_range: Vec<Vec<Option<f64>>> = sc
            .threats
            .iter()
            .map(|class| {
                sc.sensors
                    .iter()
                    .map(|sensor| detect_range_at(sc, sensor, class, class.altitude))
                    .collect()
            })
            .collect();
        let p_defeat = per_unit(sc, |e| {
            sc.threats
                .iter()
                .map(|class| match &e.role {
                    EffectorRole::Jammer(j) => {
                        j.p_defeat_against(class) * (1.0 - class.jam_resistance)
                    }
                    EffectorRole::Shooter(_) => 0.0,
                })
                .collect()
        });
        let value = (0..sc.threats.len())
            .map(|c| {
                (0..sc.assets.len())
                    .map(|a| crate::value::threat_value(sc, c, a))
                    .collect()
            })
            .collect();
        let p_hit = sc
            .threats
            .iter()
            .map(|class| crate::value::hit_probability(class.accuracy))
            .collect();
        let sensor_order = vec![vec![None; sc.launch_sites.len()]; sc.threats.len()];
        Tables {
            pk,
            keep,
            fire,
            max_keep,
            lead,
            detect_range,
            p_defeat,
            value,
            p_hit,
            sensor_order,
        }
    }
}

impl Tables {
    /// Works out `sensor_order(class, site)` the first time it is needed.
    pub(crate) fn prepare_sensor_order(&mut self, sc: &Scenario, class: usize, site: usize) {
        let ranges = &self.detect_range[class];
        self.sensor_order[class][site].get_or_insert_with(|| {
            let from = sc.launch_sites[site].position;
            let mut order: Vec<(f64, usize)> = ranges
                .iter()
                .enumerate()
                .filter_map(|(s, r)| r.map(|r| (from.distance(sc.sensors[s].position) - r, s)))
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order
        });
    }

    /// The sensors that can see `class`, by the least distance a threat
    /// launched from `site` must fly to come into their range (see
    /// `sensing::track_time`); empty until prepared.
    pub(crate) fn sensor_order(&self, class: usize, site: usize) -> &[(f64, usize)] {
        self.sensor_order[class][site]
            .as_deref()
            .unwrap_or_default()
    }
}

/// `row(e)` for every effector unit, worked out once for a run of twins:
/// units declared together (`count = N`) differ only in position.
/// A sensor's detection range against a threat of `class` flying at
/// `altitude` metres: none above the sensor's ceiling; a radar's range
/// scales with the RCS^(1/4) and stops at the radar horizon; a visual
/// post sees no farther than the night's visibility.
pub(crate) fn detect_range_at(
    sc: &Scenario,
    sensor: &Sensor,
    class: &ThreatClass,
    altitude: f64,
) -> Option<f64> {
    if sensor.max_altitude.is_some_and(|m| altitude > m) {
        return None;
    }
    let mut range = sensor.range;
    match sensor.kind {
        SensorKind::Radar => {
            range *= libm::pow(class.rcs / sensor.reference_rcs, 0.25);
            range = range.min(radar_horizon(sensor.mast_height, altitude));
        }
        SensorKind::Visual => {
            if let Some(v) = sc.conditions.visual_range() {
                range = range.min(v);
            }
        }
        SensorKind::Acoustic => {}
    }
    Some(range)
}

fn per_unit<T: Clone>(sc: &Scenario, row: impl Fn(&Effector) -> T) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(sc.effectors.len());
    for (u, e) in sc.effectors.iter().enumerate() {
        let twin = u > 0 && {
            let p = &sc.effectors[u - 1];
            p.group == e.group && p.class == e.class && p.kind == e.kind && p.role == e.role
        };
        match (twin, out.last()) {
            (true, Some(prev)) => {
                let prev = prev.clone();
                out.push(prev);
            }
            _ => out.push(row(e)),
        }
    }
    out
}

/// The keys under which the defence matches a threat to fire rules and
/// reserves: a decoy looks like a drone (it is never engaged once told apart).
fn apparent_keys(class: &ThreatClass) -> Vec<&str> {
    if class.decoy {
        vec![ThreatKind::OwaDrone.as_str()]
    } else {
        class.lookup_keys()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The lone-drone template (tests/fixtures): one medium SAM, one radar.
    pub(crate) fn lone_drone() -> Scenario {
        let text = include_str!("../../../tests/fixtures/lone-drone.toml.in")
            .replace("{pk}", "0.5")
            .replace("{shots}", "1");
        rampart_model::parse_scenario(&text).expect("valid")
    }

    fn night_raid() -> Scenario {
        let text = include_str!("../../../examples/night-raid.toml");
        rampart_model::parse_scenario(text).expect("valid")
    }

    /// The example's doctrine: long-range SAMs keep 16 rounds from drones
    /// but none from missiles; missiles get salvos of two.
    #[test]
    fn reserves_and_fire_modes_of_the_night_raid() {
        let sc = night_raid();
        let t = Tables::new(&sc);
        let class = |id: &str| sc.threats.iter().position(|c| c.id == id).expect("class");
        let unit = |id: &str| {
            sc.effectors
                .iter()
                .position(|e| e.id.starts_with(id))
                .expect("unit")
        };
        let (lr, mr) = (unit("lr-sam"), unit("mr-sam"));
        assert_eq!(t.keep[lr][class("shahed")], 16);
        assert_eq!(
            t.keep[lr][class("gerbera")],
            16,
            "a decoy looks like a drone"
        );
        assert_eq!(t.keep[lr][class("kh-101")], 0);
        assert_eq!(t.keep[mr][class("shahed")], 4);
        assert_eq!(t.fire[class("kh-101")], (2, 2));
        assert_eq!(t.fire[class("shahed")], (1, 3));
        assert_eq!(t.max_keep[lr], 16);
    }

    /// Radar range scales with RCS^(1/4) under the horizon; a lead is the
    /// interceptor's flight to maximum range plus the reaction time.
    #[test]
    fn detection_ranges_and_leads() {
        let sc = lone_drone();
        let t = Tables::new(&sc);
        let class = &sc.threats[0];
        let radar = &sc.sensors[0];
        let want = (radar.range * (class.rcs / radar.reference_rcs).powf(0.25))
            .min(radar_horizon(radar.mast_height, class.altitude));
        let got = t.detect_range[0][0].expect("below its ceiling");
        assert!((got - want).abs() < 1e-6, "{got} {want}");
        // 20 km at 800 m/s is 25 s, plus 5 s of reaction.
        assert_eq!(t.lead[0], 30_000);
    }
}
