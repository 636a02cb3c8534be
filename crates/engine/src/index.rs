//! The engagement index: which threat is inside which unit's reach, now and
//! next. At launch a threat gets its windows, one per unit and pass through
//! the unit's reach (inside its maximum range and between its lowest and
//! highest altitude): from the time an interceptor launched then
//! would meet the threat as it enters the range, to the time it leaves.
//! Each unit keeps the list of windows open on it (opened by the window's
//! `Open` event, or at the first track for windows already open then), so that an
//! epoch caused by a unit looks only at that unit's threats. Closed windows
//! and dead threats leave the lists lazily, when a scan meets them.

use std::collections::BTreeMap;
use std::ops::Range;

use rampart_model::{EffectorRole, Millis};

use crate::ids::{ThreatId, UnitId, WindowId};
use crate::night::Night;
use crate::tables::Tables;

/// One engagement window of a threat on a unit, as the index gives it
/// (built from its path's window and the threat's launch time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Window {
    pub unit: UnitId,
    pub threat: ThreatId,
    pub from: Millis,
    pub to: Millis,
    /// Kill probability of one of the unit's rounds against the threat.
    pub pk1: f64,
    /// The threat's first window on the same unit: it keeps the rounds
    /// the unit fired at the threat (`EngagementIndex::fired`).
    pub owner: WindowId,
}

impl Window {
    pub(crate) fn is_open(&self, t: Millis) -> bool {
        self.from <= t && t <= self.to
    }
}

/// A window of a flight path, its times relative to launch; `owner` is the
/// offset of the path's first window on the same unit.
#[derive(Debug, Clone, Copy)]
struct PathWindow {
    unit: UnitId,
    from: Millis,
    to: Millis,
    pk1: f64,
    owner: u32,
}

/// When a window's intercept point comes into its unit's reach, as seen
/// at one time: already, at a later time, or never while the window lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    Now,
    At(Millis),
    Never,
}

/// Where a threat's windows are: its window ids, its path's windows (the
/// first one's index in `path_windows`; in the same order), its launch
/// time, its path's jammer entries. One record, read by every look at
/// the threat's windows.
#[derive(Debug, Clone, Default)]
struct ThreatWindows {
    ids: Range<u32>,
    shape: u32,
    path: u32,
    launch: Millis,
    jams: Range<u32>,
}

/// What one flight path gives, whatever the launch time: ranges into
/// `path_windows` and `path_jams`.
#[derive(Debug, Clone)]
struct PathRanges {
    windows: Range<u32>,
    jams: Range<u32>,
}

/// Every window of the night, and per unit the open ones.
///
/// Architecture Invariant: a window of the night is 9 bytes (its threat,
/// the rounds fired, whether listed); its times and kill probability are
/// read from its path's window, shared by every threat on the path, so
/// that an epoch looking at a threat's windows hours after its launch
/// touches one cold record per threat, not one per window.
#[derive(Debug)]
pub(crate) struct EngagementIndex {
    /// Per window of the night: its threat.
    threat_of: Vec<ThreatId>,
    /// Per window: rounds its unit fired at its threat (kept on the owner).
    fired: Vec<u32>,
    /// Per window: in its unit's open list.
    listed: Vec<bool>,
    /// Per threat: where its windows are (in unit order, then time order).
    by_threat: Vec<ThreatWindows>,
    /// Per unit: windows that may be open (some may have closed since).
    open: Vec<Vec<WindowId>>,
    inside: Vec<(Millis, Millis)>,
    /// Windows depend only on a flight's shape and class, not on its launch
    /// time: the paths' numbers (in the order paths were first flown) by
    /// key, the class and the legs relative to launch (two raids may fly
    /// one path).
    paths: BTreeMap<Vec<u64>, u32>,
    /// Per path number: its windows and jammer entries.
    ranges: Vec<PathRanges>,
    /// Per path of the night (`Night::paths`): its number here and the
    /// class of the threats that fly it (`NONE` until its first threat is
    /// added; one class a night path, as `Night::assemble` builds them).
    of_night_path: Vec<(u32, usize)>,
    /// Per path, the windows of the first threat that flew it, as (unit,
    /// from, to) relative to launch, kill probability, and owner's offset.
    path_windows: Vec<PathWindow>,
    /// Per path window: whether the intercept point is in reach at the
    /// window's opening, for the first opening time looked at (relative
    /// to launch), once worked out (`reach`). Apart from `path_windows`,
    /// which epochs read, as only `Open` events read it.
    path_reach: Vec<Option<(Millis, Reach)>>,
    /// Per path: each jammer that can defeat the class, with the time
    /// (relative to launch) the flight enters its radius, if it does.
    path_jams: Vec<(UnitId, Option<Millis>)>,
    key: Vec<u64>,
}

impl EngagementIndex {
    pub(crate) fn new(threats: usize, units: usize) -> Self {
        EngagementIndex {
            threat_of: Vec::new(),
            fired: Vec::new(),
            listed: Vec::new(),
            by_threat: vec![ThreatWindows::default(); threats],
            open: vec![Vec::new(); units],
            inside: Vec::new(),
            paths: BTreeMap::new(),
            ranges: Vec::new(),
            of_night_path: Vec::new(),
            path_windows: Vec::new(),
            path_reach: Vec::new(),
            path_jams: Vec::new(),
            key: Vec::new(),
        }
    }

    /// Empties the night's windows for a night of `threats` threats and
    /// `units` units, keeping the windows per path (the same scenario's
    /// paths give the same windows, whatever the night).
    pub(crate) fn restart(&mut self, threats: usize, units: usize) {
        self.threat_of.clear();
        self.fired.clear();
        self.listed.clear();
        self.by_threat.clear();
        self.by_threat.resize(threats, ThreatWindows::default());
        self.open.resize_with(units, Vec::new);
        self.open.iter_mut().for_each(Vec::clear);
        self.of_night_path.clear();
    }

    /// The number of threat `i`'s flight path (its class and its legs
    /// relative to launch): threats with equal numbers fly the same path at
    /// different times. Numbers are kept from night to night, like the
    /// windows per path; set by `add_threat`.
    pub(crate) fn path(&self, i: ThreatId) -> u32 {
        self.by_threat[i.index()].path
    }

    /// Works out the windows of threat `i` (at its launch), or shifts those
    /// of an earlier threat that flew the same path.
    pub(crate) fn add_threat(&mut self, night: &Night<'_>, tables: &Tables, i: ThreatId) {
        const NONE: u32 = u32::MAX;
        let threat = &night.threats[i.index()];
        let launch = threat.launch;
        if self.of_night_path.len() <= threat.path {
            self.of_night_path
                .resize(night.paths.len().max(threat.path + 1), (NONE, 0));
        }
        if self.of_night_path[threat.path].0 == NONE {
            // The night's path met for the first time: its number among
            // those of the scenario (two raids may fly one path).
            self.key.clear();
            self.key.push(threat.class as u64);
            for l in night.paths[threat.path].legs.iter() {
                self.key.extend([
                    l.from.east.to_bits(),
                    l.from.north.to_bits(),
                    l.to.east.to_bits(),
                    l.to.north.to_bits(),
                    l.t0 as u64,
                    l.t1 as u64,
                    l.z0.to_bits(),
                    l.z1.to_bits(),
                ]);
            }
            let id = match self.paths.get(self.key.as_slice()) {
                Some(&id) => id,
                None => self.add_path(night, tables, i),
            };
            self.of_night_path[threat.path] = (id, threat.class);
        }
        let (id, class) = self.of_night_path[threat.path];
        debug_assert_eq!(
            class, threat.class,
            "threats of two classes on one night path"
        );
        let path = &self.ranges[id as usize];
        let (windows, jams) = (path.windows.clone(), path.jams.clone());
        let start = self.threat_of.len() as u32;
        let count = windows.end - windows.start;
        let end = (start + count) as usize;
        self.threat_of.resize(end, i);
        self.fired.resize(end, 0);
        self.listed.resize(end, false);
        self.by_threat[i.index()] = ThreatWindows {
            ids: start..start + count,
            shape: windows.start,
            path: id,
            launch,
            jams,
        };
    }

    /// Works out the windows and jammer entries of threat `i`'s path,
    /// relative to its launch, under `self.key`; gives its number.
    fn add_path(&mut self, night: &Night<'_>, tables: &Tables, i: ThreatId) -> u32 {
        let threat = &night.threats[i.index()];
        let flight = night.flight(threat);
        let launch = flight.launch();
        let first = self.path_windows.len() as u32;
        for (u, e) in night.scenario.effectors.iter().enumerate() {
            let EffectorRole::Shooter(w) = &e.role else {
                continue;
            };
            let Some(pk1) = tables.pk[u][threat.class] else {
                continue;
            };
            let owner = self.path_windows.len() as u32 - first;
            // In reach: within the maximum range and the altitude band.
            flight.inside_band_into(
                e.position,
                |_| Some((w.max_range, w.min_altitude, w.max_altitude)),
                &mut self.inside,
            );
            for &(a, b) in &self.inside {
                self.path_windows.push(PathWindow {
                    unit: UnitId::new(u),
                    from: a.saturating_sub(tables.lead[u]) - launch,
                    to: b - launch,
                    pk1,
                    owner,
                });
                self.path_reach.push(None);
            }
        }
        let jams = self.path_jams.len() as u32;
        for (j, e) in night.scenario.effectors.iter().enumerate() {
            let EffectorRole::Jammer(jam) = &e.role else {
                continue;
            };
            if tables.p_defeat[j][threat.class] > 0.0 {
                let entry = flight.enters(e.position, jam.radius, launch);
                self.path_jams
                    .push((UnitId::new(j), entry.map(|t| t - launch)));
            }
        }
        let id = self.ranges.len() as u32;
        self.ranges.push(PathRanges {
            windows: first..self.path_windows.len() as u32,
            jams: jams..self.path_jams.len() as u32,
        });
        self.paths.insert(self.key.clone(), id);
        id
    }

    /// The jammers that can defeat threat `i`, in unit order, with the time
    /// its flight enters each one's radius, if it does.
    pub(crate) fn jams_of(
        &self,
        i: ThreatId,
        launch: Millis,
    ) -> impl Iterator<Item = (UnitId, Option<Millis>)> + '_ {
        let r = self.by_threat[i.index()].jams.clone();
        self.path_jams[r.start as usize..r.end as usize]
            .iter()
            .map(move |&(j, entry)| (j, entry.map(|e| launch + e)))
    }

    /// The window of `tw`'s threat `i` whose path window is `k`.
    #[inline(always)]
    fn build(&self, i: ThreatId, tw: &ThreatWindows, k: usize) -> Window {
        let p = &self.path_windows[k];
        Window {
            unit: p.unit,
            threat: i,
            from: tw.launch + p.from,
            to: tw.launch + p.to,
            pk1: p.pk1,
            owner: WindowId::new(tw.ids.start as usize + p.owner as usize),
        }
    }

    /// The windows of threat `i`, with their ids.
    pub(crate) fn of(&self, i: ThreatId) -> impl Iterator<Item = (WindowId, Window)> + '_ {
        let tw = &self.by_threat[i.index()];
        let (start, launch) = (tw.ids.start as usize, tw.launch);
        let shape = tw.shape as usize;
        let shapes = &self.path_windows[shape..shape + (tw.ids.end as usize - start)];
        shapes.iter().enumerate().map(move |(k, p)| {
            let w = Window {
                unit: p.unit,
                threat: i,
                from: launch + p.from,
                to: launch + p.to,
                pk1: p.pk1,
                owner: WindowId::new(start + p.owner as usize),
            };
            (WindowId::new(start + k), w)
        })
    }

    #[inline]
    pub(crate) fn window(&self, w: WindowId) -> Window {
        let i = self.threat_of[w.index()];
        let tw = &self.by_threat[i.index()];
        self.build(i, tw, (tw.shape + w.index() as u32 - tw.ids.start) as usize)
    }

    /// The path window of window `w` and its threat's launch time.
    fn path_window(&self, w: WindowId) -> (usize, Millis) {
        let tw = &self.by_threat[self.threat_of[w.index()].index()];
        (
            (tw.shape + w.index() as u32 - tw.ids.start) as usize,
            tw.launch,
        )
    }

    /// When window `w`'s intercept point comes into reach, as seen at `t`,
    /// if it was worked out (`set_reach`) for a threat of the same path
    /// at the same time after its launch. Reach depends only on the path
    /// and the time since launch: leg times, intercepts and positions are
    /// worked out from differences of integer times (`Flight::intercept`).
    pub(crate) fn reach(&self, w: WindowId, t: Millis) -> Option<Reach> {
        let (k, launch) = self.path_window(w);
        match self.path_reach[k] {
            Some((at, r)) if at == t - launch => Some(match r {
                Reach::At(y) => Reach::At(launch + y),
                other => other,
            }),
            _ => None,
        }
    }

    /// Keeps what `reach` tells for window `w` at `t`, for the other
    /// threats of its path, unless a time was kept already.
    pub(crate) fn set_reach(&mut self, w: WindowId, t: Millis, r: Reach) {
        let (k, launch) = self.path_window(w);
        let p = &mut self.path_reach[k];
        if p.is_none() {
            let r = match r {
                Reach::At(y) => Reach::At(y - launch),
                other => other,
            };
            *p = Some((t - launch, r));
        }
    }

    /// Whether window `w` is in its unit's open list (checked by debug builds).
    #[cfg(debug_assertions)]
    pub(crate) fn is_listed(&self, w: WindowId) -> bool {
        self.listed[w.index()]
    }

    /// Rounds unit `w.unit` has fired at `w.threat`.
    pub(crate) fn fired(&self, w: &Window) -> u32 {
        self.fired[w.owner.index()]
    }

    /// Books `rounds` fired by `u` at `i`.
    pub(crate) fn add_fired(&mut self, i: ThreatId, u: UnitId, rounds: u32) {
        let owner = self.of(i).find(|(_, w)| w.unit == u).map(|(_, w)| w.owner);
        if let Some(owner) = owner {
            self.fired[owner.index()] += rounds;
        }
    }

    /// Puts window `w` in its unit's open list (once).
    pub(crate) fn list(&mut self, w: WindowId) {
        if !self.listed[w.index()] {
            self.listed[w.index()] = true;
            let i = self.threat_of[w.index()];
            let tw = &self.by_threat[i.index()];
            let unit =
                self.path_windows[(tw.shape + w.index() as u32 - tw.ids.start) as usize].unit;
            self.open[unit.index()].push(w);
        }
    }

    /// Whether unit `u`'s open list holds a window still open at `t`: a
    /// scan that keeps no threat takes the closed ones off. With none, a
    /// scan of it finds nothing.
    pub(crate) fn lists_open(&mut self, u: UnitId, t: Millis) -> bool {
        // Nothing is kept, so nothing is pushed: the vector never allocates.
        self.scan_unit(u, t, |_| false, |_| false, &mut Vec::new());
        !self.open[u.index()].is_empty()
    }

    /// The threats with a window open on unit `u` at `t` for which `keep`
    /// holds, appended to `out`. Windows closed by `t`, and those of
    /// threats for which `gone` holds, leave the list.
    pub(crate) fn scan_unit(
        &mut self,
        u: UnitId,
        t: Millis,
        gone: impl Fn(ThreatId) -> bool,
        keep: impl Fn(ThreatId) -> bool,
        out: &mut Vec<ThreatId>,
    ) {
        let mut list = std::mem::take(&mut self.open[u.index()]);
        let mut k = 0;
        while k < list.len() {
            let id = list[k];
            let w = self.window(id);
            if w.to < t || gone(w.threat) {
                self.listed[id.index()] = false;
                list.swap_remove(k);
                continue;
            }
            if w.from <= t && keep(w.threat) {
                out.push(w.threat);
            }
            k += 1;
        }
        self.open[u.index()] = list;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit on a line of flight: its window runs from the lead before
    /// entry to the exit; the open list keeps what is open.
    #[test]
    fn windows_open_and_leave_the_unit_lists() {
        let sc = crate::tables::tests::lone_drone();
        let night = Night::assemble(&sc, 1);
        let tables = Tables::new(&sc);
        let mut index = EngagementIndex::new(night.threats.len(), sc.effectors.len());
        let i = ThreatId::new(0);
        index.add_threat(&night, &tables, i);
        let windows: Vec<(WindowId, Window)> = index.of(i).collect();
        assert_eq!(windows.len(), 1);
        let (id, w) = windows[0];
        let flight = night.flight(&night.threats[0]);
        let entry = flight
            .enters(sc.effectors[0].position, 20_000.0, 0)
            .expect("enters");
        assert_eq!(w.from, entry - tables.lead[0]);
        assert_eq!(w.to, flight.arrival());
        index.list(id);
        index.list(id);
        let mut out = Vec::new();
        index.scan_unit(UnitId::new(0), w.from - 1, |_| false, |_| true, &mut out);
        assert!(out.is_empty(), "not yet open");
        index.scan_unit(UnitId::new(0), w.from, |_| false, |_| true, &mut out);
        assert_eq!(out, vec![i], "open, and listed once");
        out.clear();
        index.scan_unit(UnitId::new(0), w.to + 1, |_| false, |_| true, &mut out);
        assert!(out.is_empty());
        assert!(index.open[0].is_empty(), "a closed window leaves the list");
        // `lists_open` answers as a scan would, and takes closed windows off
        // the same way (listed again, a window is listed once more).
        let u = UnitId::new(0);
        index.list(id);
        assert!(index.lists_open(u, w.from));
        assert!(index.lists_open(u, w.to), "open to its last instant");
        assert!(!index.lists_open(u, w.to + 1));
        assert!(index.open[0].is_empty());
        index.list(id);
        assert!(index.lists_open(u, w.to));
        assert_eq!(index.open[0].len(), 1);
    }
}
