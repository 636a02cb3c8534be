//! The engagement index: which threat is inside which unit's reach, now and
//! next. At launch a threat gets its windows, one per unit and pass through
//! the unit's reach (inside its maximum range and between its lowest and
//! highest altitude): from the time an interceptor launched then
//! would meet the threat as it enters the range, to the time it leaves.
//! Each unit keeps the list of windows open on it (opened by the window's
//! `Open` event, or at the track for windows already open then), so that an
//! epoch caused by a unit looks only at that unit's threats. Closed windows
//! and dead threats leave the lists lazily, when a scan meets them.

use std::collections::BTreeMap;
use std::ops::Range;

use rampart_model::{EffectorRole, Millis};

use crate::ids::{ThreatId, UnitId, WindowId};
use crate::night::Night;
use crate::tables::Tables;

/// One engagement window of a threat on a unit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub unit: UnitId,
    pub threat: ThreatId,
    pub from: Millis,
    pub to: Millis,
    /// Kill probability of one of the unit's rounds against the threat.
    pub pk1: f64,
    /// The threat's first window on the same unit: it keeps `fired`.
    pub owner: WindowId,
    /// Rounds this unit fired at this threat (kept on the owner).
    pub fired: u32,
    /// In its unit's open list.
    listed: bool,
}

impl Window {
    pub(crate) fn is_open(&self, t: Millis) -> bool {
        self.from <= t && t <= self.to
    }
}

/// What one flight path gives, whatever the launch time: ranges into
/// `path_windows` and `path_jams`.
#[derive(Debug, Clone)]
struct Path {
    /// Its number, in the order paths were first flown.
    id: u32,
    windows: Range<u32>,
    jams: Range<u32>,
}

/// Every window of the night, and per unit the open ones.
#[derive(Debug)]
pub(crate) struct EngagementIndex {
    windows: Vec<Window>,
    /// Per threat: its windows, in unit order, then time order.
    by_threat: Vec<Range<u32>>,
    /// Per unit: windows that may be open (some may have closed since).
    open: Vec<Vec<WindowId>>,
    inside: Vec<(Millis, Millis)>,
    /// Windows depend only on a flight's shape and class, not on its launch
    /// time: per distinct (class, legs relative to launch), the windows of
    /// the first threat that flew it, as (unit, from, to) relative to
    /// launch, kill probability, and owner's offset (`path_windows`).
    paths: BTreeMap<Vec<u64>, Path>,
    path_windows: Vec<(UnitId, Millis, Millis, f64, u32)>,
    /// Per path: each jammer that can defeat the class, with the time
    /// (relative to launch) the flight enters its radius, if it does.
    path_jams: Vec<(UnitId, Option<Millis>)>,
    /// Per threat: its path's jammer entries (indices into `path_jams`).
    jams_of: Vec<Range<u32>>,
    /// Per threat: its path's number (`Path::id`).
    path_of: Vec<u32>,
    key: Vec<u64>,
}

impl EngagementIndex {
    pub(crate) fn new(threats: usize, units: usize) -> Self {
        EngagementIndex {
            windows: Vec::new(),
            by_threat: vec![0..0; threats],
            open: vec![Vec::new(); units],
            inside: Vec::new(),
            paths: BTreeMap::new(),
            path_windows: Vec::new(),
            path_jams: Vec::new(),
            jams_of: vec![0..0; threats],
            path_of: vec![0; threats],
            key: Vec::new(),
        }
    }

    /// Empties the night's windows for a night of `threats` threats and
    /// `units` units, keeping the windows per path (the same scenario's
    /// paths give the same windows, whatever the night).
    pub(crate) fn restart(&mut self, threats: usize, units: usize) {
        self.windows.clear();
        self.by_threat.clear();
        self.by_threat.resize(threats, 0..0);
        self.open.resize_with(units, Vec::new);
        self.open.iter_mut().for_each(Vec::clear);
        self.jams_of.clear();
        self.jams_of.resize(threats, 0..0);
        self.path_of.clear();
        self.path_of.resize(threats, 0);
    }

    /// The number of threat `i`'s flight path (its class and its legs
    /// relative to launch): threats with equal numbers fly the same path at
    /// different times. Numbers are kept from night to night, like the
    /// windows per path; set by `add_threat`.
    pub(crate) fn path(&self, i: ThreatId) -> u32 {
        self.path_of[i.index()]
    }

    /// Works out the windows of threat `i` (at its launch), or shifts those
    /// of an earlier threat that flew the same path.
    pub(crate) fn add_threat(&mut self, night: &Night<'_>, tables: &Tables, i: ThreatId) {
        let threat = &night.threats[i.index()];
        let launch = threat.flight.launch();
        self.key.clear();
        self.key.push(threat.class as u64);
        for l in &threat.flight.legs {
            self.key.extend([
                l.from.east.to_bits(),
                l.from.north.to_bits(),
                l.to.east.to_bits(),
                l.to.north.to_bits(),
                (l.t0 - launch) as u64,
                (l.t1 - launch) as u64,
                l.z0.to_bits(),
                l.z1.to_bits(),
            ]);
        }
        let start = self.windows.len();
        if let Some(path) = self.paths.get(self.key.as_slice()) {
            self.path_of[i.index()] = path.id;
            self.jams_of[i.index()] = path.jams.clone();
            for k in path.windows.start as usize..path.windows.end as usize {
                let (unit, from, to, pk1, owner) = self.path_windows[k];
                self.windows.push(Window {
                    unit,
                    threat: i,
                    from: launch + from,
                    to: launch + to,
                    pk1,
                    owner: WindowId::new(start + owner as usize),
                    fired: 0,
                    listed: false,
                });
            }
            self.by_threat[i.index()] = start as u32..self.windows.len() as u32;
            return;
        }
        for (u, e) in night.scenario.effectors.iter().enumerate() {
            let EffectorRole::Shooter(w) = &e.role else {
                continue;
            };
            let Some(pk1) = tables.pk[u][threat.class] else {
                continue;
            };
            let owner = WindowId::new(self.windows.len());
            // In reach: within the maximum range and the altitude band.
            threat.flight.inside_band_into(
                e.position,
                |_| Some((w.max_range, w.min_altitude, w.max_altitude)),
                &mut self.inside,
            );
            for &(a, b) in &self.inside {
                self.windows.push(Window {
                    unit: UnitId::new(u),
                    threat: i,
                    from: a.saturating_sub(tables.lead[u]),
                    to: b,
                    pk1,
                    owner,
                    fired: 0,
                    listed: false,
                });
            }
        }
        self.by_threat[i.index()] = start as u32..self.windows.len() as u32;
        let first = self.path_windows.len() as u32;
        for w in &self.windows[start..] {
            self.path_windows.push((
                w.unit,
                w.from - launch,
                w.to - launch,
                w.pk1,
                (w.owner.index() - start) as u32,
            ));
        }
        let jams = self.path_jams.len() as u32;
        for (j, e) in night.scenario.effectors.iter().enumerate() {
            let EffectorRole::Jammer(jam) = &e.role else {
                continue;
            };
            if tables.p_defeat[j][threat.class] > 0.0 {
                let entry = threat.flight.enters(e.position, jam.radius, launch);
                self.path_jams
                    .push((UnitId::new(j), entry.map(|t| t - launch)));
            }
        }
        let path = Path {
            id: self.paths.len() as u32,
            windows: first..self.path_windows.len() as u32,
            jams: jams..self.path_jams.len() as u32,
        };
        self.jams_of[i.index()] = path.jams.clone();
        self.path_of[i.index()] = path.id;
        self.paths.insert(self.key.clone(), path);
    }

    /// The jammers that can defeat threat `i`, in unit order, with the time
    /// its flight enters each one's radius, if it does.
    pub(crate) fn jams_of(
        &self,
        i: ThreatId,
        launch: Millis,
    ) -> impl Iterator<Item = (UnitId, Option<Millis>)> + '_ {
        let r = self.jams_of[i.index()].clone();
        self.path_jams[r.start as usize..r.end as usize]
            .iter()
            .map(move |&(j, entry)| (j, entry.map(|e| launch + e)))
    }

    /// The windows of threat `i`, with their ids.
    pub(crate) fn of(&self, i: ThreatId) -> impl Iterator<Item = (WindowId, &Window)> {
        let r = self.by_threat[i.index()].clone();
        self.windows[r.start as usize..r.end as usize]
            .iter()
            .enumerate()
            .map(move |(k, w)| (WindowId::new(r.start as usize + k), w))
    }

    /// The window ids of threat `i`, as indices.
    pub(crate) fn range(&self, i: ThreatId) -> Range<usize> {
        let r = &self.by_threat[i.index()];
        r.start as usize..r.end as usize
    }

    pub(crate) fn window(&self, w: WindowId) -> &Window {
        &self.windows[w.index()]
    }

    /// Rounds unit `w.unit` has fired at `w.threat`.
    pub(crate) fn fired(&self, w: &Window) -> u32 {
        self.windows[w.owner.index()].fired
    }

    /// Books `rounds` fired by `u` at `i`.
    pub(crate) fn add_fired(&mut self, i: ThreatId, u: UnitId, rounds: u32) {
        let r = self.by_threat[i.index()].clone();
        if let Some(w) = self.windows[r.start as usize..r.end as usize]
            .iter()
            .find(|w| w.unit == u)
        {
            let owner = w.owner.index();
            self.windows[owner].fired += rounds;
        }
    }

    /// Puts window `w` in its unit's open list (once).
    pub(crate) fn list(&mut self, w: WindowId) {
        let win = &mut self.windows[w.index()];
        if !win.listed {
            win.listed = true;
            self.open[win.unit.index()].push(w);
        }
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
        let list = &mut self.open[u.index()];
        let mut k = 0;
        while k < list.len() {
            let w = &mut self.windows[list[k].index()];
            if w.to < t || gone(w.threat) {
                w.listed = false;
                list.swap_remove(k);
                continue;
            }
            if w.from <= t && keep(w.threat) {
                out.push(w.threat);
            }
            k += 1;
        }
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
        let windows: Vec<(WindowId, Window)> = index.of(i).map(|(id, w)| (id, *w)).collect();
        assert_eq!(windows.len(), 1);
        let (id, w) = windows[0];
        let flight = &night.threats[0].flight;
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
    }
}
