//! The reference loop: the engine as it was before it was split by job,
//! kept as an oracle. It makes every decision by brute force: each epoch
//! scans every tracked threat and every window, where the engine looks only
//! at what changed. Both follow the same rules, so they must write the same
//! event log, byte for byte (`differential.rs`). Change a rule in both.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rampart_model::{
    EffectorRole, FireModeKind, Guidance, Millis, Point, Scenario, SensorKind, ThreatClass,
    ThreatKind,
};

use rampart_engine::{
    Candidate, Decision, Event, EventKind, Fate, Night, Pairing, Policy, Purpose, Shooter,
    damage_per_hit, hit_probability, pair, radar_horizon,
};

/// Time from an intercept to knowing whether it killed, ms.
const KILL_ASSESSMENT_DELAY: Millis = 5_000;
/// Time to impact (s) at which a threat's weight in the fire decision is
/// one and a half times its expected damage (twice at impact, one far away).
const URGENCY: f64 = 60.0;
/// The least weight a threat keeps for the chance that every layer still
/// ahead of it misses (the defence does not count on them entirely).
const LATER_MISS_FLOOR: f64 = 0.05;
/// Accuracy (circular error probable, m) assumed for a threat not yet told to be a decoy.
const PRESUMED_CEP: f64 = 15.0;
/// Warhead mass assumed for a threat not yet told to be a decoy, kg.
const PRESUMED_WARHEAD: f64 = 50.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    Launch(usize),
    Track(usize),
    Lose(usize),
    Jam(usize, usize),
    Expire(usize),
    Arrive(usize),
    /// An engagement's interceptor reaches its threat.
    Intercept(usize),
    /// The result of an intercept is known.
    Assess(usize),
    ReloadDone(usize),
    /// A channel of a unit with exponential engagement times comes free.
    ChannelFree(usize),
    /// Window `k` of threat `i` opens (a decision could start an engagement).
    Open(usize, usize),
    /// The intercept point of window `k` of threat `i` comes into reach.
    Reach(usize, usize),
    Decide,
}

/// An engagement in progress: which unit, at which threat, with how many rounds.
#[derive(Debug, Clone)]
struct Engagement {
    effector: usize,
    threat: usize,
    rounds: u32,
    first_shot: u32,
    at: Point,
}

#[derive(Debug, Clone)]
struct ThreatState {
    fate: Option<Fate>,
    tracked: bool,
    /// Told apart as a decoy: never engaged.
    discriminated: bool,
    /// An interceptor is on its way or its result is not yet known.
    busy: bool,
    /// Rounds fired at this threat by all units (numbers the kill draws).
    shots: u32,
    /// Rounds fired at it per unit: the doctrine's limit applies to each layer.
    shots_by: std::collections::BTreeMap<usize, u32>,
    launched: bool,
    /// Track spans (start, lost), and the current one.
    spans: Vec<(Millis, Millis)>,
    span: usize,
}

#[derive(Debug, Clone)]
struct UnitState {
    free_channels: u32,
    rounds: u32,
    reloading: bool,
    /// Rounds left to reload from (`None`: without limit).
    depot: Option<u32>,
}

/// Runs one replication of the night with `policy`: every threat's fate and the event log.
pub fn run(night: &Night<'_>, policy: &dyn Policy) -> (Vec<Option<Fate>>, Vec<Event>) {
    Sim::new(night, policy).run()
}

struct Sim<'n, 's, 'p> {
    night: &'n Night<'s>,
    sc: &'s Scenario,
    policy: &'p dyn Policy,
    queue: BinaryHeap<Reverse<(Millis, u64, What)>>,
    seq: u64,
    threats: Vec<ThreatState>,
    units: Vec<UnitState>,
    engagements: Vec<Engagement>,
    damage: Vec<f64>,
    events: Vec<Event>,
    shots_by_unit: Vec<u64>,
    decide_pending: Option<Millis>,
    tables: Tables,
    /// Tracked threats still alive and not told apart as decoys; see `decide`.
    eligible: std::collections::BTreeSet<usize>,
    /// Per threat: (unit, from, to) time windows in which a decision could
    /// start an engagement by that unit (the threat's path within its reach).
    windows: Vec<Vec<(usize, Millis, Millis)>>,
    /// Scratch: per unit, free to shoot now (then its shooter index), or `usize::MAX`.
    shooter_of: Vec<usize>,
    /// Per threat: what its windows say, valid until the next window boundary.
    window_state: Vec<WindowState>,
}

/// What a threat's engagement windows say at a time, and until when it
/// holds: no window opens or closes before `until`.
#[derive(Debug, Clone, Copy)]
struct WindowState {
    until: Millis,
    /// Some window is open now.
    open: bool,
    /// Chance that the units whose windows open later all miss.
    later_miss: f64,
}

impl WindowState {
    const STALE: WindowState = WindowState {
        until: Millis::MIN,
        open: false,
        later_miss: 1.0,
    };

    /// The state of `windows` at `t` (pk of one round per unit from `pk1`).
    fn at(windows: &[(usize, Millis, Millis)], t: Millis, pk1: impl Fn(usize) -> f64) -> Self {
        let mut s = WindowState {
            until: Millis::MAX,
            open: false,
            later_miss: 1.0,
        };
        for &(u, from, to) in windows {
            if t > to {
                continue;
            }
            if t < from {
                s.later_miss *= 1.0 - pk1(u);
                s.until = s.until.min(from);
            } else {
                s.open = true;
                s.until = s.until.min(to.saturating_add(1));
            }
        }
        s
    }
}

/// One engagement the decision epoch found possible.
#[derive(Debug, Clone, Copy)]
struct Pair {
    unit: usize,
    candidate: usize,
    /// Kill probability of the whole engagement (all its rounds).
    pk: f64,
    /// Range from the unit to the intercept point, m.
    distance: f64,
    intercept: Millis,
    at: Point,
    rounds: u32,
}

/// Per (unit, threat class) facts that do not change during a run.
struct Tables {
    /// Kill probability of one round, when the unit can engage the class at all.
    pk: Vec<Vec<Option<f64>>>,
    /// Rounds the doctrine keeps back from this class.
    keep: Vec<Vec<u32>>,
    /// (rounds per engagement, most rounds at one threat) per class.
    fire: Vec<(u32, u32)>,
    /// The most rounds a unit keeps in reserve for any class.
    max_keep: Vec<u32>,
}

impl Tables {
    fn new(sc: &Scenario) -> Tables {
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
        let pk: Vec<Vec<Option<f64>>> = sc
            .effectors
            .iter()
            .map(|e| {
                sc.threats
                    .iter()
                    .map(|class| match &e.role {
                        EffectorRole::Shooter(w) => {
                            let mut p = w.pk_against(class);
                            if w.aiming == rampart_model::Aiming::Optical
                                && let Some(v) = sc.conditions.visibility
                            {
                                p *= (v / sc.conditions.clear_visibility).min(1.0);
                            }
                            // An interceptor drone catches only what is slower.
                            let catches = e.kind != rampart_model::EffectorKind::InterceptorDrone
                                || class.speed < w.interceptor_speed;
                            // Altitude is the windows' business (flight profiles).
                            (w.can_engage(class) && p > 0.0 && catches).then_some(p)
                        }
                        EffectorRole::Jammer(_) => None,
                    })
                    .collect()
            })
            .collect();
        let keep: Vec<Vec<u32>> = sc
            .effectors
            .iter()
            .map(|e| {
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
            })
            .collect();
        // A unit that keeps its whole magazine from a class never fires at it.
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
        Tables {
            pk,
            keep,
            fire,
            max_keep,
        }
    }
}

impl<'n, 's, 'p> Sim<'n, 's, 'p> {
    fn new(night: &'n Night<'s>, policy: &'p dyn Policy) -> Self {
        let sc = night.scenario;
        let units = sc
            .effectors
            .iter()
            .enumerate()
            .map(|(u, e)| match &e.role {
                EffectorRole::Shooter(w) => {
                    let supply = night.supply.get(u).copied().flatten();
                    let rounds = supply.map_or(w.magazine, |s| s.min(w.magazine));
                    UnitState {
                        free_channels: w.channels,
                        rounds,
                        reloading: false,
                        depot: supply.map(|s| s - rounds),
                    }
                }
                EffectorRole::Jammer(_) => UnitState {
                    free_channels: 0,
                    rounds: 0,
                    reloading: false,
                    depot: None,
                },
            })
            .collect();
        Sim {
            night,
            sc,
            policy,
            queue: BinaryHeap::new(),
            seq: 0,
            threats: vec![
                ThreatState {
                    fate: None,
                    tracked: false,
                    discriminated: false,
                    busy: false,
                    shots: 0,
                    shots_by: std::collections::BTreeMap::new(),
                    launched: false,
                    spans: Vec::new(),
                    span: 0,
                };
                night.threats.len()
            ],
            units,
            engagements: Vec::new(),
            damage: vec![0.0; sc.assets.len()],
            events: Vec::new(),
            shots_by_unit: vec![0; sc.effectors.len()],
            decide_pending: None,
            tables: Tables::new(sc),
            eligible: std::collections::BTreeSet::new(),
            windows: vec![Vec::new(); night.threats.len()],
            shooter_of: vec![usize::MAX; sc.effectors.len()],
            window_state: vec![WindowState::STALE; night.threats.len()],
        }
    }

    fn at(&mut self, t: Millis, what: What) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, what)));
    }

    /// Asks for a decision epoch now, at `t`: at most one is pending at a
    /// time, and it runs after the events already queued for this instant.
    fn decide_at(&mut self, t: Millis) {
        if self.decide_pending != Some(t) {
            self.decide_pending = Some(t);
            self.at(t, What::Decide);
        }
    }

    fn log(&mut self, time: Millis, kind: EventKind) {
        self.events.push(Event { time, kind });
    }

    fn run(mut self) -> (Vec<Option<Fate>>, Vec<Event>) {
        for (i, t) in self.night.threats.iter().enumerate() {
            self.at(t.launch, What::Launch(i));
        }
        let end = self.sc.duration;
        while let Some(Reverse((t, _, what))) = self.queue.pop() {
            if t > end {
                break;
            }
            match what {
                What::Launch(i) => self.launch(t, i),
                What::Track(i) => self.track(t, i),
                What::Lose(i) => self.lose(t, i),
                What::Jam(i, j) => self.jam(t, i, j),
                What::Expire(i) => self.expire(t, i),
                What::Arrive(i) => self.arrive(t, i),
                What::Intercept(e) => self.intercept(t, e),
                What::Assess(e) => self.assess(t, e),
                What::ReloadDone(u) => self.reload_done(t, u),
                What::ChannelFree(u) => {
                    self.units[u].free_channels += 1;
                    self.decide_at(t);
                }
                What::Open(i, k) => self.open(t, i, k),
                What::Reach(i, k) => {
                    if self.engageable(i) && self.free(self.windows[i][k].0) {
                        self.decide_at(t);
                    }
                }
                What::Decide => {
                    if self.decide_pending == Some(t) {
                        self.decide_pending = None;
                    }
                    self.decide(t);
                }
            }
        }
        for i in 0..self.threats.len() {
            if self.threats[i].launched && self.threats[i].fate.is_none() {
                self.threats[i].fate = Some(Fate::Airborne);
            }
        }
        let _ = (&self.damage, &self.shots_by_unit);
        (
            self.threats.into_iter().map(|t| t.fate).collect(),
            self.events,
        )
    }

    fn launch(&mut self, t: Millis, i: usize) {
        self.threats[i].launched = true;
        self.log(t, EventKind::Launch { threat: i });
        let threat = &self.night.threats[i];
        let class = self.night.class(threat);
        let arrival = self.night.flight(threat).arrival();
        self.at(arrival, What::Arrive(i));
        if let Some(e) = class.endurance
            && t + e < arrival
        {
            self.at(t + e, What::Expire(i));
        }
        if let Some(track) = self.track_time_from(i, Millis::MIN)
            && track < arrival
        {
            self.threats[i].spans = self.spans(i, track);
            self.at(track, What::Track(i));
        }
        if let Some((when, j)) = self.jam_time(i) {
            self.at(when, What::Jam(i, j));
        }
        self.windows[i] = self.engagement_windows(i);
        for k in 0..self.windows[i].len() {
            self.at(self.windows[i][k].1.max(t), What::Open(i, k));
        }
    }

    /// Tracked, alive, not told apart as a decoy and not under fire.
    fn engageable(&self, i: usize) -> bool {
        let s = &self.threats[i];
        s.tracked && !s.busy && !s.discriminated && self.alive(i)
    }

    /// A unit with a channel free and a round left.
    fn free(&self, u: usize) -> bool {
        self.units[u].free_channels > 0 && self.units[u].rounds > 0
    }

    /// Window `k` of threat `i` opens: an engageable threat with its unit free
    /// gets an epoch now, and another when its intercept point comes into
    /// reach, if it is not yet.
    fn open(&mut self, t: Millis, i: usize, k: usize) {
        let (u, _, to) = self.windows[i][k];
        if !self.engageable(i) || !self.free(u) {
            return;
        }
        self.decide_at(t);
        if !self.in_reach(u, i, t)
            && let Some(y) = self.reach_time(u, i, t, to)
        {
            self.at(y, What::Reach(i, k));
        }
    }

    /// Whether a decision at `t` by unit `u` would meet threat `i` within the unit's maximum range.
    fn in_reach(&self, u: usize, i: usize, t: Millis) -> bool {
        let eff = &self.sc.effectors[u];
        let EffectorRole::Shooter(w) = &eff.role else {
            return false;
        };
        let flight = self.night.flight(&self.night.threats[i]);
        flight
            .intercept(eff.position, t + w.reaction_time, w.interceptor_speed)
            .is_some_and(|(ti, at)| {
                let z = flight.altitude(ti);
                at.distance(eff.position) <= w.max_range
                    && w.min_altitude <= z
                    && z <= w.max_altitude
            })
    }

    /// The first time in `(t, to]` at which `in_reach` holds, by bisection
    /// (the intercept point moves in as the threat comes on).
    fn reach_time(&self, u: usize, i: usize, t: Millis, to: Millis) -> Option<Millis> {
        if to <= t {
            return None;
        }
        // A time in reach to bisect towards: the window's end or, when the
        // end is out of reach (an altitude band can end a window before its
        // end is reachable, an arrival leaves nothing to meet), the first of
        // 64 even steps across the window that is; `lo` stays out of reach.
        let mut lo = t;
        let mut hi = to;
        if !self.in_reach(u, i, to) {
            let step = ((to - t) / 64).max(1);
            let mut s = t;
            loop {
                let next = s.saturating_add(step).min(to);
                if next >= to {
                    return None;
                }
                if self.in_reach(u, i, next) {
                    hi = next;
                    break;
                }
                lo = next;
                s = next;
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.in_reach(u, i, mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }

    /// The track spans of threat `i` from its first track at `first`: each
    /// runs until the threat has been out of every sensor's coverage for
    /// `lost_after`; the next starts with fresh scans from its return.
    fn spans(&self, i: usize, first: Millis) -> Vec<(Millis, Millis)> {
        let Some(lost_after) = self.sc.tracking.lost_after else {
            return vec![(first, Millis::MAX)];
        };
        let mut all: Vec<(Millis, Millis)> = (0..self.sc.sensors.len())
            .filter(|&s| self.sc.sensors[s].p_detect > 0.0)
            .flat_map(|s| self.coverage(i, s))
            .collect();
        all.sort();
        let mut out = Vec::new();
        let mut start = first;
        loop {
            // Walk the coverage from `start`: the track holds while every
            // gap is at most `lost_after`.
            let mut end: Option<Millis> = None;
            let mut back: Option<Millis> = None;
            for &(a, b) in &all {
                if b < start {
                    continue;
                }
                match end {
                    None => end = Some(b),
                    Some(e) if a <= e + 1 || a - e <= lost_after => end = Some(e.max(b)),
                    Some(_) => {
                        back = Some(a);
                        break;
                    }
                }
            }
            let end = end.unwrap_or(start);
            out.push((start, end.saturating_add(lost_after)));
            match back.and_then(|b| self.track_time_from(i, b)) {
                Some(t) => start = t,
                None => return out,
            }
        }
    }

    /// The intervals during which sensor `s` covers threat `i`.
    fn coverage(&self, i: usize, s: usize) -> Vec<(Millis, Millis)> {
        let threat = &self.night.threats[i];
        let class = self.night.class(threat);
        let sensor = &self.sc.sensors[s];
        {
            // Leg by leg: below the sensor's ceiling, within the range at the
            // leg's lowest altitude (a radar's horizon).
            let ceiling = sensor.max_altitude.unwrap_or(f64::INFINITY);
            let range_at = |z: f64| {
                let mut range = sensor.range;
                if sensor.kind == SensorKind::Radar {
                    range *= libm::pow(class.rcs / sensor.reference_rcs, 0.25);
                    range = range.min(radar_horizon(sensor.mast_height, z));
                }
                if sensor.kind == SensorKind::Visual
                    && let Some(v) = self.sc.conditions.visibility
                {
                    range = range.min(v);
                }
                range
            };
            let mut coverage = Vec::new();
            self.night.flight(threat).inside_band_into(
                sensor.position,
                |l| {
                    let z = l.z0.min(l.z1);
                    (z <= ceiling).then(|| (range_at(z), f64::NEG_INFINITY, ceiling))
                },
                &mut coverage,
            );
            coverage
        }
    }

    /// The earliest time at or after `from` a track starts: k detections
    /// within n scans of one sensor, counted from `from`.
    fn track_time_from(&self, i: usize, from: Millis) -> Option<Millis> {
        let rule = self.sc.tracking;
        let mut best: Option<Millis> = None;
        for (s, sensor) in self.sc.sensors.iter().enumerate() {
            let coverage = self.coverage(i, s);
            let period = sensor.scan_period.max(1);
            // Scans happen at offset + k * period; the offset spreads sensors.
            let offset = (s as Millis * 997) % period;
            let mut window: Vec<bool> = Vec::with_capacity(rule.n as usize);
            let mut last_scan: Option<Millis> = None;
            for (a, b) in coverage {
                if b < from {
                    continue;
                }
                let a = a.max(from);
                let mut k = (a - offset + period - 1).div_euclid(period);
                // Scans while out of coverage are misses, not a fresh start.
                if let Some(k_last) = last_scan {
                    let missed = (k - k_last - 1).clamp(0, Millis::from(rule.n)) as usize;
                    window.extend(std::iter::repeat_n(false, missed));
                    let excess = window.len().saturating_sub(rule.n as usize);
                    window.drain(..excess);
                }
                loop {
                    let scan = offset + k * period;
                    if scan > b || best.is_some_and(|bt| scan >= bt) {
                        break;
                    }
                    let seen = self.night.streams.chance(
                        Purpose::Detection,
                        pair(s, i),
                        k as u64,
                        sensor.p_detect,
                    );
                    window.push(seen);
                    if window.len() > rule.n as usize {
                        window.remove(0);
                    }
                    if window.iter().filter(|&&d| d).count() >= rule.k as usize {
                        best = Some(scan);
                        break;
                    }
                    last_scan = Some(k);
                    k += 1;
                }
            }
        }
        best
    }

    /// When (and by which jammer) a GNSS-guided threat is defeated, if ever.
    fn jam_time(&self, i: usize) -> Option<(Millis, usize)> {
        let threat = &self.night.threats[i];
        let class = self.night.class(threat);
        if class.guidance != Guidance::Gnss || class.kind == ThreatKind::BallisticMissile {
            return None;
        }
        let mut best: Option<(Millis, usize)> = None;
        for (j, e) in self.sc.effectors.iter().enumerate() {
            let EffectorRole::Jammer(jam) = &e.role else {
                continue;
            };
            let p = jam.p_defeat_against(class);
            if p <= 0.0 {
                continue;
            }
            let Some(entry) = self.night.flight(threat).enters(
                e.position,
                jam.radius,
                self.night.flight(threat).launch(),
            ) else {
                continue;
            };
            if best.is_some_and(|(bt, _)| entry >= bt) {
                continue;
            }
            if self
                .night
                .streams
                .chance(Purpose::Jamming, pair(j, i), 0, p)
            {
                best = Some((entry, j));
            }
        }
        best
    }

    /// When a decision could start an engagement of threat `i` by each unit:
    /// from the time an interceptor launched then would meet the threat as
    /// it enters the unit's maximum range, to the time the threat leaves it.
    fn engagement_windows(&self, i: usize) -> Vec<(usize, Millis, Millis)> {
        let threat = &self.night.threats[i];
        let mut out = Vec::new();
        for (u, e) in self.sc.effectors.iter().enumerate() {
            let EffectorRole::Shooter(w) = &e.role else {
                continue;
            };
            if self.tables.pk[u][threat.class].is_none() {
                continue;
            }
            let flight = (w.max_range / w.interceptor_speed * 1000.0).min(1e15);
            let lead = (flight as Millis).saturating_add(w.reaction_time);
            let mut inside = Vec::new();
            self.night.flight(threat).inside_band_into(
                e.position,
                |_| Some((w.max_range, w.min_altitude, w.max_altitude)),
                &mut inside,
            );
            for (a, b) in inside {
                out.push((u, a.saturating_sub(lead), b));
            }
        }
        out
    }

    fn alive(&self, i: usize) -> bool {
        self.threats[i].launched && self.threats[i].fate.is_none()
    }

    fn track(&mut self, t: Millis, i: usize) {
        if !self.alive(i) {
            return;
        }
        self.threats[i].tracked = true;
        let class = self.night.class(&self.night.threats[i]);
        let discriminated = class.decoy
            && self.night.streams.chance(
                Purpose::Discrimination,
                i as u64,
                0,
                self.sc.doctrine.decoy_discrimination,
            );
        self.threats[i].discriminated = discriminated;
        self.eligible.insert(i);
        let (_, lost) = self.threats[i].spans[self.threats[i].span];
        if lost < self.night.flight(&self.night.threats[i]).arrival() {
            self.at(lost, What::Lose(i));
        }
        self.log(
            t,
            EventKind::Track {
                threat: i,
                decoy_identified: discriminated,
            },
        );
        self.decide_at(t);
    }

    fn lose(&mut self, t: Millis, i: usize) {
        if !self.alive(i) {
            return;
        }
        self.threats[i].tracked = false;
        self.eligible.remove(&i);
        self.threats[i].span += 1;
        self.log(t, EventKind::TrackLost { threat: i });
        if let Some(&(next, _)) = self.threats[i].spans.get(self.threats[i].span)
            && next < self.night.flight(&self.night.threats[i]).arrival()
        {
            self.at(next, What::Track(i));
        }
    }

    fn jam(&mut self, t: Millis, i: usize, j: usize) {
        if !self.alive(i) {
            return;
        }
        self.threats[i].fate = Some(Fate::Jammed {
            effector: j,
            time: t,
        });
        self.log(
            t,
            EventKind::Jammed {
                threat: i,
                effector: j,
            },
        );
    }

    fn expire(&mut self, t: Millis, i: usize) {
        if !self.alive(i) {
            return;
        }
        let class = self.night.class(&self.night.threats[i]);
        self.threats[i].fate = Some(if class.decoy {
            Fate::DecoyExpired
        } else {
            Fate::FellShort
        });
        self.log(t, EventKind::Expired { threat: i });
    }

    fn arrive(&mut self, t: Millis, i: usize) {
        if !self.alive(i) {
            return;
        }
        let threat = &self.night.threats[i];
        let class = self.night.class(threat);
        if class.decoy {
            self.threats[i].fate = Some(Fate::DecoyExpired);
            self.log(t, EventKind::Expired { threat: i });
            return;
        }
        let asset = threat.target;
        let p_hit = hit_probability(class.accuracy);
        let hit = self.night.streams.chance(Purpose::Hit, i as u64, 0, p_hit);
        if hit {
            let dmg = damage_per_hit(self.sc.assets[asset].hardness, class.warhead);
            self.damage[asset] = (self.damage[asset] + dmg).min(1.0);
            self.threats[i].fate = Some(Fate::LeakedHit { asset, time: t });
        } else {
            self.threats[i].fate = Some(Fate::LeakedMissed);
        }
        self.log(
            t,
            EventKind::Impact {
                threat: i,
                asset,
                hit,
            },
        );
    }

    fn intercept(&mut self, t: Millis, e: usize) {
        let eng = self.engagements[e].clone();
        let u = eng.effector;
        let timed = matches!(&self.sc.effectors[u].role, EffectorRole::Shooter(w) if w.mean_engagement_time.is_some());
        if !timed {
            self.units[u].free_channels += 1;
            self.decide_at(t);
        }
        if !self.alive(eng.threat) {
            // The threat met another fate on the way: the rounds are spent.
            self.log(
                t,
                EventKind::Wasted {
                    threat: eng.threat,
                    effector: u,
                },
            );
            return;
        }
        if !matches!(self.sc.effectors[u].role, EffectorRole::Shooter(_)) {
            return;
        }
        // The round's kill probability as the night's weather leaves it.
        let pk = self.tables.pk[u][self.night.threats[eng.threat].class].unwrap_or(0.0);
        let killed = (0..eng.rounds).any(|r| {
            // Keyed by the threat and the shot's number, not by the unit:
            // two doctrines that fire different units see the same luck.
            self.night.streams.chance(
                Purpose::Kill,
                eng.threat as u64,
                u64::from(eng.first_shot + r),
                pk,
            )
        });
        if killed {
            self.threats[eng.threat].fate = Some(Fate::Killed {
                effector: u,
                kind: self.sc.effectors[u].kind,
                time: t,
                at: eng.at,
            });
            self.log(
                t,
                EventKind::Killed {
                    threat: eng.threat,
                    effector: u,
                },
            );
        }
        self.at(t + KILL_ASSESSMENT_DELAY, What::Assess(e));
    }

    fn assess(&mut self, t: Millis, e: usize) {
        let i = self.engagements[e].threat;
        self.threats[i].busy = false;
        // A threat whose track was lost meanwhile waits for a new track.
        if self.threats[i].tracked {
            self.eligible.insert(i);
        }
        if self.alive(i) {
            self.log(
                t,
                EventKind::Missed {
                    threat: i,
                    effector: self.engagements[e].effector,
                },
            );
            self.decide_at(t);
        }
    }

    fn reload_done(&mut self, t: Millis, u: usize) {
        if let EffectorRole::Shooter(w) = &self.sc.effectors[u].role {
            let unit = &mut self.units[u];
            let need = w.magazine.saturating_sub(unit.rounds);
            let take = unit.depot.map_or(need, |d| d.min(need));
            unit.rounds += take;
            if let Some(d) = &mut unit.depot {
                *d -= take;
            }
        }
        self.units[u].reloading = false;
        self.log(t, EventKind::Reloaded { effector: u });
        self.decide_at(t);
    }

    /// Rounds unit `u` may spend on threat `i`, keeping the doctrine's reserves.
    fn spendable(&self, u: usize, i: usize) -> u32 {
        let keep = self.tables.keep[u][self.night.threats[i].class];
        self.units[u].rounds.saturating_sub(keep)
    }

    fn decide(&mut self, t: Millis) {
        let mut any_free = false;
        self.shooter_of.iter_mut().for_each(|s| *s = usize::MAX);
        for u in 0..self.units.len() {
            if matches!(self.sc.effectors[u].role, EffectorRole::Shooter(_))
                && self.units[u].free_channels > 0
                && self.units[u].rounds > 0
            {
                self.shooter_of[u] = u;
                any_free = true;
            }
        }
        if !any_free {
            return;
        }
        // `eligible` holds the tracked threats, alive and not told apart; a
        // threat leaves it for good when it dies or is told to be a decoy,
        // and until a new track when its track is lost.
        let cost_rule = self.sc.doctrine.cost_rule;
        let mut leave = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        let mut values: Vec<f64> = Vec::new();
        let mut pairs: Vec<Pair> = Vec::new();
        for &i in &self.eligible {
            let ts = &self.threats[i];
            if ts.fate.is_some() || ts.discriminated {
                leave.push(i);
                continue;
            }
            if ts.busy {
                continue;
            }
            // Chance that the units whose windows open later all miss: a
            // shot now averts only the damage they would not avert anyway.
            // Worked out again only when a window opened or closed since.
            if t >= self.window_state[i].until {
                let class = self.night.threats[i].class;
                let pk = &self.tables.pk;
                self.window_state[i] =
                    WindowState::at(&self.windows[i], t, |u| pk[u][class].unwrap_or(0.0));
            }
            let WindowState {
                open, later_miss, ..
            } = self.window_state[i];
            if !open {
                continue;
            }
            let threat = &self.night.threats[i];
            let class = threat.class;
            let c = candidates.len();
            let first_pair = pairs.len();
            // Threat evaluation: expected damage, weighted up as impact nears
            // (a threat that will be out of reach soon is worth more now) and
            // down by the chance that the layers still ahead of it kill it.
            let tti = (self.night.flight(threat).arrival() - t).max(0) as f64 / 1000.0;
            let value = self.threat_value(i)
                * (1.0 + URGENCY / (URGENCY + tti))
                * later_miss.max(LATER_MISS_FLOOR);
            for &(u, from, to) in &self.windows[i] {
                if t > to || t < from || self.shooter_of[u] == usize::MAX {
                    continue;
                }
                let Some(p1) = self.tables.pk[u][class] else {
                    continue;
                };
                let eff = &self.sc.effectors[u];
                let EffectorRole::Shooter(w) = &eff.role else {
                    continue;
                };
                let (salvo, most) = self.tables.fire[class];
                let fired = ts.shots_by.get(&u).copied().unwrap_or(0);
                if fired >= most {
                    continue;
                }
                let rounds = salvo.min(self.spendable(u, i));
                if rounds == 0 {
                    continue;
                }
                let launch = t + w.reaction_time;
                let Some((ti, at)) =
                    self.night
                        .flight(threat)
                        .intercept(eff.position, launch, w.interceptor_speed)
                else {
                    continue;
                };
                let range = at.distance(eff.position);
                if ti >= self.night.flight(threat).arrival() || range < w.min_range {
                    continue;
                }
                let z = self.night.flight(threat).altitude(ti);
                if range > w.max_range || z < w.min_altitude || z > w.max_altitude {
                    // In the window but the intercept point is not in reach
                    // yet: the window's `Reach` event comes back then.
                    continue;
                }
                let p_eng = 1.0 - libm::pow(1.0 - p1, f64::from(rounds));
                let cost = w.cost_per_shot * f64::from(rounds);
                if let Some(rule) = cost_rule {
                    let averted = value * p_eng * rule.value_unit;
                    if cost > rule.max_ratio * averted {
                        continue;
                    }
                }
                pairs.push(Pair {
                    unit: u,
                    candidate: c,
                    pk: p_eng,
                    distance: range,
                    intercept: ti,
                    at,
                    rounds,
                });
            }
            if pairs.len() > first_pair {
                candidates.push(i);
                values.push(value);
            }
        }
        for i in leave {
            self.eligible.remove(&i);
        }
        if pairs.is_empty() {
            return;
        }
        // Only the threats and shooters with at least one possible engagement
        // go to the policy, shooters in unit order.
        let mut units: Vec<usize> = pairs.iter().map(|p| p.unit).collect();
        units.sort_unstable();
        units.dedup();
        for (s, &u) in units.iter().enumerate() {
            self.shooter_of[u] = s;
        }
        let n_c = candidates.len();
        // The last pair of a (shooter, candidate) stands, as in a dense matrix.
        let mut plan = std::collections::BTreeMap::new();
        for (k, p) in pairs.iter().enumerate() {
            plan.insert((p.candidate, self.shooter_of[p.unit]), k);
        }
        let pairings = plan
            .iter()
            .map(|(&(c, s), &k)| Pairing {
                shooter: s,
                candidate: c,
                pk: pairs[k].pk,
                distance: pairs[k].distance,
            })
            .collect();
        let decision = Decision {
            now: t,
            candidates: candidates
                .iter()
                .zip(&values)
                .map(|(&i, &value)| Candidate {
                    threat: i,
                    value,
                    time_to_impact: self.night.flight(&self.night.threats[i]).arrival() - t,
                })
                .collect(),
            shooters: units
                .iter()
                .map(|&u| Shooter {
                    effector: u,
                    engagements: self.units[u].free_channels,
                    cost: match &self.sc.effectors[u].role {
                        EffectorRole::Shooter(w) => w.cost_per_shot,
                        EffectorRole::Jammer(_) => 0.0,
                    },
                })
                .collect(),
            pairings,
            cost_weight: cost_rule.map_or(0.0, |rule| 1.0 / rule.value_unit),
        };
        let mut taken = vec![false; n_c];
        for choice in self.policy.choose(&decision) {
            if choice.shooter >= units.len() || choice.candidate >= n_c {
                continue;
            }
            let Some(&k) = plan.get(&(choice.candidate, choice.shooter)) else {
                continue;
            };
            let p = pairs[k];
            let (u, i) = (p.unit, candidates[p.candidate]);
            if taken[p.candidate]
                || self.units[u].free_channels == 0
                || self.spendable(u, i) < p.rounds
            {
                continue;
            }
            taken[p.candidate] = true;
            let (ti, at, rounds) = (p.intercept, p.at, p.rounds);
            self.fire(t, u, i, ti, at, rounds);
        }
    }

    fn fire(&mut self, t: Millis, u: usize, i: usize, ti: Millis, at: Point, rounds: u32) {
        self.units[u].free_channels -= 1;
        self.units[u].rounds -= rounds;
        self.shots_by_unit[u] += u64::from(rounds);
        let first_shot = self.threats[i].shots;
        self.threats[i].shots += rounds;
        *self.threats[i].shots_by.entry(u).or_default() += rounds;
        self.threats[i].busy = true;
        self.engagements.push(Engagement {
            effector: u,
            threat: i,
            rounds,
            first_shot,
            at,
        });
        let e = self.engagements.len() - 1;
        self.log(
            t,
            EventKind::Shot {
                threat: i,
                effector: u,
                rounds,
                intercept: ti,
            },
        );
        self.at(ti, What::Intercept(e));
        if let EffectorRole::Shooter(w) = &self.sc.effectors[u].role
            && let Some(mean) = w.mean_engagement_time
        {
            let busy = self.night.streams.exponential(
                Purpose::EngagementTime,
                pair(u, i),
                u64::from(first_shot),
                mean as f64,
            );
            self.at(t + (busy.round() as Millis).max(1), What::ChannelFree(u));
        }
        // Reload once nothing is left but the rounds kept in reserve.
        if self.units[u].rounds <= self.tables.max_keep[u]
            && !self.units[u].reloading
            && self.units[u].depot != Some(0)
        {
            self.units[u].reloading = true;
            if let EffectorRole::Shooter(w) = &self.sc.effectors[u].role {
                self.at(t + w.reload_time, What::ReloadDone(u));
            }
        }
    }

    /// Expected damage a threat would do if left alone, as the defence sees it.
    fn threat_value(&self, i: usize) -> f64 {
        let threat = &self.night.threats[i];
        let class = self.night.class(threat);
        let asset = &self.sc.assets[threat.target];
        // The defence cannot tell an undiscriminated decoy from a drone.
        let warhead = if class.decoy || class.kind == ThreatKind::Decoy {
            PRESUMED_WARHEAD
        } else {
            class.warhead
        };
        let cep = if class.decoy {
            PRESUMED_CEP
        } else {
            class.accuracy
        };
        // The defence does not count on its own damage assessment during the
        // night: a threat at an asset already hit is worth as much as the first.
        let lethality = damage_per_hit(asset.hardness, warhead);
        asset.value * hit_probability(cep) * lethality
    }
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
