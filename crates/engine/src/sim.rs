//! The run phase: a thin loop over the event queue. Each event is handled
//! once, in order of (time, insertion); the handlers change the state of
//! threats and units and mark what changed for the next decision epoch
//! (`epoch.rs`), which the engagement index (`index.rs`) makes cheap.

use rampart_model::{EffectorRole, Millis, Scenario};

mod engage;
mod fate;
mod state;

use state::ThreatPlan;
pub(crate) use state::{Engagement, ThreatState, UnitState};

use crate::EventLog;
use crate::epoch::{Changes, EpochScratch};
use crate::ids::{EngagementId, ThreatId, UnitId, WindowId};
use crate::index::{EngagementIndex, Reach, Window};
use crate::night::Night;
use crate::policy::Policy;
use crate::queue::{EventKey, EventQueue};
use crate::results::{Event, EventKind, Fate, Outcome, Work};
use crate::rng::Purpose;
use crate::sensing::{SensingScratch, jam_time, track_spans, track_time};
use crate::tables::Tables;

/// Time from an intercept to knowing whether it killed, ms.
pub const KILL_ASSESSMENT_DELAY: Millis = 5_000;

#[derive(Debug, Clone, Copy)]
pub(crate) enum What {
    Launch(ThreatId),
    Track(ThreatId),
    /// The threat's track is lost (out of coverage too long).
    Lose(ThreatId),
    /// The threat's jammer (`ThreatState::jammer`) defeats it.
    Jam(ThreatId),
    Expire(ThreatId),
    Arrive(ThreatId),
    /// An engagement's interceptor reaches its threat.
    Intercept(EngagementId),
    /// The result of an intercept is known.
    Assess(EngagementId),
    ReloadDone(UnitId),
    /// A channel of a unit with exponential engagement times comes free.
    ChannelFree(UnitId),
    /// An engagement window opens (a decision could start an engagement).
    Open(WindowId),
    /// The intercept point of a window comes into the unit's reach.
    Reach(WindowId),
    Decide,
}

/// Runs one replication of the night with `policy`, with the buffers and
/// tables of `kept` (made for the night's scenario), which it gives back.
pub(crate) fn run(
    night: &Night<'_>,
    policy: &dyn Policy,
    log: EventLog,
    kept: Kept,
) -> (Outcome, Kept) {
    Sim::new(night, policy, log, kept).run()
}

/// What one run leaves for the next night of the same scenario: the
/// tables, the windows per flight path, and every buffer (emptied by
/// `Sim::new`, their memory kept). Nothing in it changes what a run
/// decides: a run with a fresh `Kept` writes the same bytes.
#[derive(Debug)]
pub(crate) struct Kept {
    tables: Tables,
    queue: EventQueue<What>,
    threats: Vec<ThreatState>,
    plans: Vec<ThreatPlan>,
    engagements: Vec<Engagement>,
    index: EngagementIndex,
    epoch: Box<EpochScratch>,
    changes: Changes,
    sensing: SensingScratch,
    opens: Vec<(Millis, u64, WindowId)>,
    early: Vec<WindowId>,
    tracks: Vec<(Millis, Millis)>,
}

impl Kept {
    pub(crate) fn new(sc: &Scenario) -> Kept {
        let units = sc.effectors.len();
        Kept {
            tables: Tables::new(sc),
            queue: EventQueue::new(),
            threats: Vec::new(),
            plans: Vec::new(),
            engagements: Vec::new(),
            index: EngagementIndex::new(0, units),
            epoch: Box::new(EpochScratch::new(0, units)),
            changes: Changes::new(units),
            sensing: SensingScratch::default(),
            opens: Vec::new(),
            early: Vec::new(),
            tracks: Vec::new(),
        }
    }
}

pub(crate) struct Sim<'n, 's, 'p> {
    pub night: &'n Night<'s>,
    pub sc: &'s Scenario,
    pub policy: &'p dyn Policy,
    pub tables: Tables,
    queue: EventQueue<What>,
    pub threats: Vec<ThreatState>,
    /// What each threat's own events need (apart from `threats`, which
    /// epochs scan).
    plans: Vec<ThreatPlan>,
    fates: Vec<Option<Fate>>,
    pub units: Vec<UnitState>,
    /// How many units are free (`UnitState::free`), kept by `change_unit`.
    pub free_units: usize,
    pub engagements: Vec<Engagement>,
    pub index: EngagementIndex,
    /// The epoch's scratch buffers (out of `self` while an epoch runs).
    pub epoch: Option<Box<EpochScratch>>,
    /// What changed since the last epoch.
    pub changes: Changes,
    sensing: SensingScratch,
    decide_pending: Option<Millis>,
    damage: Vec<f64>,
    events: Vec<Event>,
    shots_by_unit: Vec<u64>,
    /// Window openings scheduled at launch: (time, reserved sequence
    /// number, window), sorted per threat.
    opens: Vec<(Millis, u64, WindowId)>,
    /// Windows open before their threat's first track, per threat in turn
    /// (`ThreatPlan::early`): found at launch, so that the track handler
    /// need not read every window of its threat.
    early: Vec<WindowId>,
    /// Track spans worked out at launch: (start, lost), per threat in turn.
    tracks: Vec<(Millis, Millis)>,
    log: EventLog,
    pub work: Work,
}

impl<'n, 's, 'p> Sim<'n, 's, 'p> {
    fn new(night: &'n Night<'s>, policy: &'p dyn Policy, log: EventLog, kept: Kept) -> Self {
        let sc = night.scenario;
        let units: Vec<UnitState> = sc
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
        let n = night.threats.len();
        let m = sc.effectors.len();
        let free_units = units.iter().filter(|u: &&UnitState| u.free()).count();
        let Kept {
            tables,
            mut queue,
            mut threats,
            mut plans,
            mut engagements,
            mut index,
            mut epoch,
            mut changes,
            sensing,
            mut opens,
            mut early,
            mut tracks,
        } = kept;
        // Launches in time order (assembly sorts each raid, not the night),
        // scheduled first, as if pushed in threat order: a stable sort.
        queue.restart(
            night
                .threats
                .iter()
                .enumerate()
                .map(|(i, t)| (t.launch, What::Launch(ThreatId::new(i)))),
            sc.duration,
        );
        threats.clear();
        threats.resize(n, ThreatState::default());
        plans.clear();
        plans.resize(n, ThreatPlan::default());
        engagements.clear();
        index.restart(n, m);
        epoch.restart(n, m);
        changes.restart(m);
        opens.clear();
        early.clear();
        tracks.clear();
        Sim {
            night,
            sc,
            policy,
            tables,
            queue,
            threats,
            plans,
            fates: vec![None; n],
            units,
            free_units,
            engagements,
            index,
            epoch: Some(epoch),
            changes,
            sensing,
            decide_pending: None,
            damage: vec![0.0; sc.assets.len()],
            events: Vec::new(),
            shots_by_unit: vec![0; m],
            opens,
            early,
            tracks,
            log,
            work: Work::default(),
        }
    }

    pub(crate) fn at(&mut self, t: Millis, what: What) -> EventKey {
        self.queue.push(t, what)
    }

    /// Asks for a decision epoch now, at `t`: at most one is pending at a
    /// time, and it runs after the events already queued for this instant.
    pub(crate) fn decide_at(&mut self, t: Millis) {
        if self.decide_pending != Some(t) {
            // Only ever asked for now, so no earlier epoch is still waiting.
            self.decide_pending = Some(t);
            self.queue.defer(t, What::Decide);
        }
    }

    pub(crate) fn log(&mut self, time: Millis, kind: EventKind) {
        if self.log == EventLog::Keep {
            self.events.push(Event { time, kind });
        }
    }

    fn run(mut self) -> (Outcome, Kept) {
        let end = self.sc.duration;
        while let Some((t, what)) = self.queue.pop() {
            if t > end {
                break;
            }
            self.work.queue_events += 1;
            match what {
                What::Launch(i) => self.launch(t, i),
                What::Track(i) => self.track(t, i),
                What::Lose(i) => self.lose(t, i),
                What::Jam(i) => self.jam(t, i),
                What::Expire(i) => self.expire(t, i),
                What::Arrive(i) => self.arrive(t, i),
                What::Intercept(e) => self.intercept(t, e),
                What::Assess(e) => self.assess(t, e),
                What::ReloadDone(u) => self.reload_done(t, u),
                What::ChannelFree(u) => {
                    self.change_unit(u, |unit| unit.free_channels += 1);
                    // With no threat listed open on the unit, nothing left
                    // pending and no epoch asked for now, an epoch would
                    // find nothing to do: none is asked for (a window
                    // opening on the unit later has its own event).
                    if self.index.lists_open(u, t)
                        || self.decide_pending == Some(t)
                        || self.epoch_has_pending(t)
                    {
                        self.changes.unit(u);
                        self.decide_at(t);
                    }
                }
                What::Open(w) => self.open(t, w),
                What::Reach(w) => {
                    let win = self.index.window(w);
                    if self.threats[win.threat.index()].engageable()
                        && self.units[win.unit.index()].free()
                    {
                        self.changes.threat(win.threat);
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
        for (s, fate) in self.threats.iter().zip(&mut self.fates) {
            if s.alive() {
                *fate = Some(Fate::Airborne);
            }
        }
        let mut outcome = Outcome::new(
            self.night,
            self.fates,
            self.damage,
            self.shots_by_unit,
            self.events,
        );
        outcome.work = self.work;
        let kept = Kept {
            tables: self.tables,
            queue: self.queue,
            threats: self.threats,
            plans: self.plans,
            engagements: self.engagements,
            index: self.index,
            epoch: self
                .epoch
                .unwrap_or_else(|| Box::new(EpochScratch::new(0, 0))),
            changes: self.changes,
            sensing: self.sensing,
            opens: self.opens,
            early: self.early,
            tracks: self.tracks,
        };
        (outcome, kept)
    }

    /// A threat flies: its end, its track and its jamming are known now, and
    /// its engagement windows; a window's `Open` event is scheduled only
    /// where it could matter (tracked by then, and not yet dead).
    fn launch(&mut self, t: Millis, i: ThreatId) {
        let threat = &self.night.threats[i.index()];
        let class = self.night.class(threat);
        let s = &mut self.threats[i.index()];
        s.launched = true;
        s.class = threat.class as u32;
        s.decoy = class.decoy;
        s.value = self.tables.value[threat.class][threat.target];
        self.log(t, EventKind::Launch { threat: i.index() });
        let arrival = self.night.flight(threat).arrival();
        let mut end = arrival;
        let key = self.queue.push(arrival, What::Arrive(i));
        let plan = &mut self.plans[i.index()];
        plan.arrive = Some(key);
        plan.arrival = arrival;
        if let Some(e) = class.endurance
            && t + e < arrival
        {
            self.queue.push(t + e, What::Expire(i));
            end = t + e;
        }
        self.index.add_threat(self.night, &self.tables, i);
        let path = self.index.path(i);
        let track = track_time(self.night, &mut self.tables, i, path, &mut self.sensing)
            .filter(|&track| track < arrival);
        if let Some(track) = track {
            let first = self.tracks.len() as u32;
            track_spans(
                self.night,
                &self.tables,
                (i, path),
                track,
                &mut self.sensing,
                &mut self.tracks,
            );
            self.plans[i.index()].spans = first..self.tracks.len() as u32;
            self.at(track, What::Track(i));
        }
        if let Some((when, j)) = jam_time(self.night, &self.tables, &self.index, i) {
            self.plans[i.index()].jammer = Some(j);
            self.queue.push(when, What::Jam(i));
            end = end.min(when);
        }
        self.threats[i.index()].held_until = Millis::MIN;
        let Some(track) = track else {
            return;
        };
        // A window that opens before the track matters only from the track
        // on (listed then); one that opens once the threat is gone never.
        // The others are scheduled now, in window order, but enter the heap
        // one at a time (each when the one before it is handled), with
        // sequence numbers reserved now: the order is as if all were pushed.
        // Those open when the track starts are listed by the track handler.
        let first = self.opens.len();
        let early = self.early.len() as u32;
        for (id, w) in self.index.of(i) {
            if w.from < track && w.to >= track {
                self.early.push(id);
            }
            let from = w.from.max(t);
            if from >= track && from < end {
                self.opens.push((from, 0, id));
            }
        }
        self.plans[i.index()].early = early..self.early.len() as u32;
        let base = self.queue.reserve((self.opens.len() - first) as u64);
        for (j, o) in self.opens[first..].iter_mut().enumerate() {
            o.1 = base + j as u64;
        }
        self.opens[first..].sort_unstable_by_key(|&(from, seq, _)| (from, seq));
        self.plans[i.index()].opens = first as u32..self.opens.len() as u32;
        self.next_open(i);
    }

    /// Puts threat `i`'s next window opening in the queue.
    fn next_open(&mut self, i: ThreatId) {
        let r = &mut self.plans[i.index()].opens;
        if r.start < r.end {
            let (from, seq, id) = self.opens[r.start as usize];
            r.start += 1;
            self.queue.push_reserved(from, seq, What::Open(id));
        }
    }

    fn track(&mut self, t: Millis, i: ThreatId) {
        if !self.threats[i.index()].alive() {
            return;
        }
        let discriminated = self.threats[i.index()].decoy
            && self.night.streams.chance(
                Purpose::Discrimination,
                i.index() as u64,
                0,
                self.sc.doctrine.decoy_discrimination,
            );
        let s = &mut self.threats[i.index()];
        s.tracked = true;
        s.discriminated = discriminated;
        let plan = &mut self.plans[i.index()];
        let (_, lost) = self.tracks[plan.spans.start as usize];
        if lost < plan.arrival {
            self.queue.push(lost, What::Lose(i));
        }
        let mut open_now = false;
        if !discriminated {
            // Windows open already at the first track: their `Open` events
            // were not scheduled. When a lost track starts again, every
            // window open then is listed already: it was listed here, or
            // by its `Open` event (tracked or not), and stays listed while
            // its threat lives.
            let early = std::mem::take(&mut self.plans[i.index()].early);
            for k in early {
                self.index.list(self.early[k as usize]);
            }
            #[cfg(debug_assertions)]
            for (id, w) in self.index.of(i) {
                debug_assert!(
                    !(w.from < t && w.to >= t) || self.index.is_listed(id),
                    "an open window of a tracked threat is not listed"
                );
            }
            // With no window open now, an epoch would find nothing to do
            // for this threat; a window opening later has its own event.
            open_now = self.index.of(i).any(|(_, w)| w.is_open(t));
            if open_now {
                self.changes.threat(i);
            }
        }
        self.log(
            t,
            EventKind::Track {
                threat: i.index(),
                decoy_identified: discriminated,
            },
        );
        // An epoch for nothing but earlier epochs' pending threats (or a
        // threat the cost rule held until now) is asked for as before: it
        // may find one of them in reach now.
        if open_now || self.epoch_has_pending(t) {
            self.decide_at(t);
        }
    }

    /// The track is lost: no unit engages the threat until the next span
    /// of its track starts, if one does.
    fn lose(&mut self, t: Millis, i: ThreatId) {
        if !self.threats[i.index()].alive() {
            return;
        }
        self.threats[i.index()].tracked = false;
        let plan = &mut self.plans[i.index()];
        plan.spans.start += 1;
        let next = (plan.spans.start < plan.spans.end)
            .then(|| self.tracks[plan.spans.start as usize].0)
            .filter(|&next| next < plan.arrival);
        self.log(t, EventKind::TrackLost { threat: i.index() });
        if let Some(next) = next {
            self.at(next, What::Track(i));
        }
    }

    /// A window opens: listed on its unit; an engageable threat with the unit
    /// free gets an epoch now, and another when its intercept point comes
    /// into reach, if it is not in reach yet.
    fn open(&mut self, t: Millis, w: WindowId) {
        let win = self.index.window(w);
        let s = &self.threats[win.threat.index()];
        if !s.alive() || s.discriminated {
            // Its later openings can matter no more.
            return;
        }
        self.next_open(win.threat);
        let s = &self.threats[win.threat.index()];
        self.index.list(w);
        if !s.engageable() || !self.units[win.unit.index()].free() {
            return;
        }
        self.changes.threat(win.threat);
        self.decide_at(t);
        let reach = match self.index.reach(w, t) {
            Some(r) => r,
            None => {
                let r = self.reach_of(&win, t);
                self.index.set_reach(w, t, r);
                r
            }
        };
        debug_assert_eq!(reach, self.reach_of(&win, t), "reach kept for a path");
        if let Reach::At(y) = reach {
            self.at(y, What::Reach(w));
        }
    }

    /// When window `win`'s intercept point comes into its unit's reach, as
    /// seen at `t` (worked out afresh; `open` keeps it per path).
    fn reach_of(&self, win: &Window, t: Millis) -> Reach {
        if self.in_reach(win.unit, win.threat, t) {
            Reach::Now
        } else {
            self.reach_time(win.unit, win.threat, t, win.to)
                .map_or(Reach::Never, Reach::At)
        }
    }

    /// Whether a decision at `t` by unit `u` would meet threat `i` within
    /// the unit's maximum range and altitude band.
    fn in_reach(&self, u: UnitId, i: ThreatId, t: Millis) -> bool {
        let eff = &self.sc.effectors[u.index()];
        let EffectorRole::Shooter(w) = &eff.role else {
            return false;
        };
        let flight = self.night.flight(&self.night.threats[i.index()]);
        flight
            .intercept(eff.position, t + w.reaction_time, w.interceptor_speed)
            .is_some_and(|(ti, at)| {
                at.distance(eff.position) <= w.max_range && w.reaches_altitude(flight.altitude(ti))
            })
    }

    /// The first time in `(t, to]` at which `in_reach` holds, by bisection
    /// (the intercept point moves in as the threat comes on).
    fn reach_time(&self, u: UnitId, i: ThreatId, t: Millis, to: Millis) -> Option<Millis> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queue entry is a 16-byte key and the event: keep events to 8 bytes.
    #[test]
    fn events_fit_in_a_word() {
        assert!(std::mem::size_of::<What>() <= 8);
    }
}
