//! Sensing: when a threat's track starts (k detections within n scans of
//! one sensor) and when, if ever, a jammer defeats it. Both are worked out
//! once, at launch: the scans and their draws are keyed, so the time of a
//! track does not depend on when it is asked for.

use rampart_model::{Guidance, Millis, ThreatKind};

use crate::ids::{ThreatId, UnitId};
use crate::index::EngagementIndex;
use crate::night::Night;
use crate::rng::{Purpose, pair};
use crate::tables::{Tables, detect_range_at};

/// The last n scan results of one sensor, as a ring: whether k of them
/// were detections. Reused from threat to threat.
#[derive(Debug, Default)]
pub(crate) struct KofN {
    ring: Vec<bool>,
    head: usize,
    len: usize,
    hits: usize,
}

impl KofN {
    /// Empties the window and sets its length to `n`. The ring keeps its
    /// old contents: a slot is read only once written since (`push`
    /// drops the oldest only when all `n` are new).
    pub(crate) fn reset(&mut self, n: usize) {
        let n = n.max(1);
        if self.ring.len() != n {
            self.ring.clear();
            self.ring.resize(n, false);
        }
        self.head = 0;
        self.len = 0;
        self.hits = 0;
    }

    /// Adds one scan's result, dropping the oldest past n.
    pub(crate) fn push(&mut self, seen: bool) {
        let n = self.ring.len();
        if self.len == n {
            if self.ring[self.head] {
                self.hits -= 1;
            }
            self.head += 1;
            if self.head == n {
                self.head = 0;
            }
            self.len -= 1;
        }
        let mut at = self.head + self.len;
        if at >= n {
            at -= n;
        }
        self.ring[at] = seen;
        self.len += 1;
        self.hits += usize::from(seen);
    }

    /// Adds `m` missed scans (only the last n can matter).
    pub(crate) fn push_misses(&mut self, m: usize) {
        for _ in 0..m.min(self.ring.len()) {
            self.push(false);
        }
    }

    pub(crate) fn hits(&self) -> usize {
        self.hits
    }
}

/// Scratch buffers of the sensing functions, and the coverage of each
/// flight path (kept from night to night of one scenario).
#[derive(Debug, Default)]
pub(crate) struct SensingScratch {
    window: KofN,
    inside: Vec<(Millis, Millis)>,
    covered: Vec<(Millis, Millis)>,
    cover: CoverageCache,
}

/// Where each sensor covers each flight path, relative to launch: worked
/// out for the first threat that flies a path (`EngagementIndex::path`),
/// shifted for the others. Coverage depends only on the path (its class
/// and its legs relative to launch) and the sensor, and the leg geometry
/// gives the same times whatever the launch (`flight::circle_times` works
/// from a leg's start), so a shifted copy is what a fresh computation
/// would give, to the millisecond.
#[derive(Debug, Default)]
struct CoverageCache {
    sensors: usize,
    /// Per (path, sensor), `path * sensors + sensor`: its spans in `spans`
    /// (`u32::MAX` as start: not yet worked out).
    slots: Vec<(u32, u32)>,
    spans: Vec<(Millis, Millis)>,
}

impl CoverageCache {
    const UNKNOWN: (u32, u32) = (u32::MAX, 0);

    /// The intervals during which sensor `s` covers threat `i` (of path
    /// `path`) with `coverage`, relative to its launch, and its launch
    /// time: the intervals are the slice's shifted by it. `fresh` is a
    /// buffer.
    fn covered(
        &mut self,
        night: &Night<'_>,
        (i, path): (ThreatId, u32),
        s: usize,
        coverage: Coverage,
        fresh: &mut Vec<(Millis, Millis)>,
    ) -> (&[(Millis, Millis)], Millis) {
        let sensors = night.scenario.sensors.len();
        if self.sensors != sensors {
            self.sensors = sensors;
            self.slots.clear();
            self.spans.clear();
        }
        let slot = path as usize * sensors + s;
        if self.slots.len() <= slot {
            self.slots
                .resize((path as usize + 1) * sensors, Self::UNKNOWN);
        }
        let launch = night.threats[i.index()].launch;
        if self.slots[slot].0 == u32::MAX {
            covered_into(night, i, s, coverage, fresh);
            let first = self.spans.len() as u32;
            self.spans
                .extend(fresh.iter().map(|&(x, y)| (x - launch, y - launch)));
            self.slots[slot] = (first, self.spans.len() as u32);
        }
        let (a, b) = self.slots[slot];
        let spans = &self.spans[a as usize..b as usize];
        #[cfg(debug_assertions)]
        {
            covered_into(night, i, s, coverage, fresh);
            debug_assert!(
                fresh
                    .iter()
                    .copied()
                    .eq(spans.iter().map(|&(x, y)| (x + launch, y + launch))),
                "coverage of a path shifted"
            );
        }
        (spans, launch)
    }

    /// The intervals during which sensor `s` covers threat `i` (of path
    /// `path`) with `coverage`, into `out` (emptied first).
    fn covered_into(
        &mut self,
        night: &Night<'_>,
        i: ThreatId,
        path: u32,
        s: usize,
        coverage: Coverage,
        out: &mut Vec<(Millis, Millis)>,
    ) {
        let (spans, launch) = self.covered(night, (i, path), s, coverage, out);
        out.clear();
        out.extend(spans.iter().map(|&(x, y)| (x + launch, y + launch)));
    }
}

/// The earliest time a track of threat `i` starts: k detections within n
/// scans of one sensor. Scans of sensor `s` happen at `offset + k * period`
/// (the offset spreads sensors) and are drawn only while the threat is
/// inside the sensor's range; scans while out of coverage count as misses.
///
/// The track time is the least over sensors, whatever their order, and a
/// sensor stops scanning at the best time so far; so the sensors are taken
/// by the least distance the threat must fly to reach their range (from its
/// launch site, `Tables::sensor_order`), and once that distance cannot be
/// flown before the best time so far, neither can any later sensor's.
pub(crate) fn track_time(
    night: &Night<'_>,
    tables: &mut Tables,
    i: ThreatId,
    path: u32,
    scratch: &mut SensingScratch,
) -> Option<Millis> {
    let sc = night.scenario;
    let threat = &night.threats[i.index()];
    let flight = night.flight(threat);
    let (launch, start) = (flight.launch(), flight.position(flight.launch()));
    let mut best: Option<Millis> = None;
    let class = night.class(threat);
    if flight.level() != Some(class.altitude) {
        // A flight profile: each leg's altitude sets the sensors' ranges
        // (a radar's horizon: the leg's lowest point) and ceilings, so the
        // ranges of the class's cruise do not hold; every sensor, in order.
        for s in 0..sc.sensors.len() {
            scan_sensor(
                night,
                (i, path),
                s,
                Coverage::PerLeg,
                Millis::MIN,
                &mut best,
                scratch,
            );
        }
        return best;
    }
    let from_site = sc
        .launch_sites
        .get(threat.site)
        .is_some_and(|site| site.position == start);
    if !from_site {
        // A flight built by hand: every sensor, in order.
        for (s, range) in tables.detect_range[threat.class].iter().enumerate() {
            if let Some(range) = *range {
                scan_sensor(
                    night,
                    (i, path),
                    s,
                    Coverage::Range(range),
                    Millis::MIN,
                    &mut best,
                    scratch,
                );
            }
        }
        return best;
    }
    let speed = flight.speed();
    tables.prepare_sensor_order(sc, threat.class, threat.site);
    let tables = &*tables;
    for &(least, s) in tables.sensor_order(threat.class, threat.site) {
        // 10 m spare for leg times rounded to the millisecond.
        if let Some(bt) = best
            && least > (bt - launch) as f64 / 1000.0 * speed + 10.0
        {
            break;
        }
        if let Some(range) = tables.detect_range[threat.class][s] {
            scan_sensor(
                night,
                (i, path),
                s,
                Coverage::Range(range),
                Millis::MIN,
                &mut best,
                scratch,
            );
        }
    }
    best
}

/// Where a sensor sees a threat.
#[derive(Debug, Clone, Copy)]
enum Coverage {
    /// Within this range all along a level flight.
    Range(f64),
    /// Leg by leg: within the range at the leg's lowest altitude, and where
    /// the threat is below the sensor's ceiling.
    PerLeg,
}

/// The spans during which threat `i` is tracked, appended to `out` as
/// (start, lost), `lost` being `Millis::MAX` for a track kept to the end.
/// The first starts at `first` (from `track_time`). With the tracking
/// rule's `lost_after`, a span ends once the threat has been out of every
/// sensor's coverage that long; the next starts when k of n scans see it
/// again, counted from its return into coverage.
pub(crate) fn track_spans(
    night: &Night<'_>,
    tables: &Tables,
    (i, path): (ThreatId, u32),
    first: Millis,
    scratch: &mut SensingScratch,
    out: &mut Vec<(Millis, Millis)>,
) {
    let Some(lost_after) = night.scenario.tracking.lost_after else {
        out.push((first, Millis::MAX));
        return;
    };
    let sensors = night.scenario.sensors.len();
    // The union of the coverage of every sensor that can detect, in order.
    let mut covered = std::mem::take(&mut scratch.covered);
    covered.clear();
    for s in 0..sensors {
        if night.scenario.sensors[s].p_detect <= 0.0 {
            continue;
        }
        if let Some(c) = coverage_of(night, tables, i, s) {
            scratch
                .cover
                .covered_into(night, i, path, s, c, &mut scratch.inside);
            covered.extend_from_slice(&scratch.inside);
        }
    }
    covered.sort_unstable();
    let mut merged = 0;
    for k in 0..covered.len() {
        let (a, b) = covered[k];
        if merged > 0 && a <= covered[merged - 1].1 + 1 {
            covered[merged - 1].1 = covered[merged - 1].1.max(b);
        } else {
            covered[merged] = (a, b);
            merged += 1;
        }
    }
    covered.truncate(merged);
    let mut start = first;
    loop {
        // The stretch of coverage that holds `start`, gaps of `lost_after`
        // or less included.
        let Some(mut k) = covered.iter().position(|&(_, b)| b >= start) else {
            out.push((start, start.saturating_add(lost_after)));
            break;
        };
        let mut end = covered[k].1;
        while let Some(&(a, b)) = covered.get(k + 1) {
            if a - end > lost_after {
                break;
            }
            end = end.max(b);
            k += 1;
        }
        out.push((start, end.saturating_add(lost_after)));
        let Some(&(back, _)) = covered.get(k + 1) else {
            break;
        };
        let mut best = None;
        for s in 0..sensors {
            if let Some(c) = coverage_of(night, tables, i, s) {
                scan_sensor(night, (i, path), s, c, back, &mut best, scratch);
            }
        }
        match best {
            Some(t) => start = t,
            None => break,
        }
    }
    scratch.covered = covered;
}

/// How sensor `s` covers threat `i`: by the class's table on a level
/// flight at the class's altitude, else leg by leg.
fn coverage_of(night: &Night<'_>, tables: &Tables, i: ThreatId, s: usize) -> Option<Coverage> {
    let threat = &night.threats[i.index()];
    if night.paths[threat.path].level() == Some(night.class(threat).altitude) {
        tables.detect_range[threat.class][s].map(Coverage::Range)
    } else {
        Some(Coverage::PerLeg)
    }
}

/// The intervals during which sensor `s` covers threat `i`, into `out`.
fn covered_into(
    night: &Night<'_>,
    i: ThreatId,
    s: usize,
    coverage: Coverage,
    out: &mut Vec<(Millis, Millis)>,
) {
    let sensor = &night.scenario.sensors[s];
    let threat = &night.threats[i.index()];
    let flight = night.flight(threat);
    match coverage {
        Coverage::Range(range) => flight.inside_into(sensor.position, range, out),
        Coverage::PerLeg => {
            let class = night.class(threat);
            let ceiling = sensor.max_altitude.unwrap_or(f64::INFINITY);
            flight.inside_band_into(
                sensor.position,
                |l| {
                    let z = l.z0.min(l.z1).min(ceiling);
                    let range = detect_range_at(night.scenario, sensor, class, z)?;
                    Some((range, f64::NEG_INFINITY, ceiling))
                },
                out,
            );
        }
    }
}

/// The scans of sensor `s` at threat `i` from `from` on (a track starts
/// afresh then), up to the best track time so far, which they may lower.
fn scan_sensor(
    night: &Night<'_>,
    (i, path): (ThreatId, u32),
    s: usize,
    coverage: Coverage,
    from: Millis,
    best: &mut Option<Millis>,
    scratch: &mut SensingScratch,
) {
    let sensor = &night.scenario.sensors[s];
    if sensor.p_detect <= 0.0 {
        // It never detects: its scans need no draws.
        return;
    }
    let rule = night.scenario.tracking;
    let (spans, launch) = scratch
        .cover
        .covered(night, (i, path), s, coverage, &mut scratch.inside);
    if spans.is_empty() {
        return;
    }
    let period = sensor.scan_period.max(1);
    let offset = (s as Millis * 997) % period;
    let window = &mut scratch.window;
    window.reset(rule.n as usize);
    let mut last_scan: Option<Millis> = None;
    for &(a, b) in spans {
        let (a, b) = (a + launch, b + launch);
        if b < from {
            continue;
        }
        let a = a.max(from);
        let mut k = (a - offset + period - 1).div_euclid(period);
        if let Some(k_last) = last_scan {
            window.push_misses((k - k_last - 1).clamp(0, Millis::from(rule.n)) as usize);
        }
        loop {
            let scan = offset + k * period;
            if scan > b || best.is_some_and(|bt| scan >= bt) {
                break;
            }
            let seen = night.streams.chance(
                Purpose::Detection,
                pair(s, i.index()),
                k as u64,
                sensor.p_detect,
            );
            window.push(seen);
            if window.hits() >= rule.k as usize {
                *best = Some(scan);
                break;
            }
            last_scan = Some(k);
            k += 1;
        }
    }
}

/// When (and by which jammer) a GNSS-guided threat is defeated, if ever:
/// at its entry into the first jammer's radius whose draw succeeds.
/// The jammers are taken in unit order with their entry times from the
/// engagement index (worked out once per flight path).
pub(crate) fn jam_time(
    night: &Night<'_>,
    tables: &Tables,
    index: &EngagementIndex,
    i: ThreatId,
) -> Option<(Millis, UnitId)> {
    let threat = &night.threats[i.index()];
    let class = night.class(threat);
    if class.guidance != Guidance::Gnss || class.kind == ThreatKind::BallisticMissile {
        return None;
    }
    let mut best: Option<(Millis, UnitId)> = None;
    for (j, entry) in index.jams_of(i, threat.launch) {
        let p = tables.p_defeat[j.index()][threat.class];
        let Some(entry) = entry else {
            continue;
        };
        if best.is_some_and(|(bt, _)| entry >= bt) {
            continue;
        }
        if night
            .streams
            .chance(Purpose::Jamming, pair(j.index(), i.index()), 0, p)
        {
            best = Some((entry, j));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a plain list of the last n results.
    #[test]
    fn k_of_n_counts_the_last_n_scans() {
        let mut w = KofN::default();
        w.reset(3);
        let mut plain: Vec<bool> = Vec::new();
        let seq = [
            true, false, true, true, false, false, false, true, true, false,
        ];
        for (k, &b) in seq.iter().enumerate() {
            if k == 6 {
                w.push_misses(5);
                plain.extend([false; 5]);
            }
            w.push(b);
            plain.push(b);
            let last: usize = plain.iter().rev().take(3).filter(|&&x| x).count();
            assert_eq!(w.hits(), last, "after {k}");
        }
        // A reset window keeps its memory but none of its scans: the
        // detections written before it never count again.
        for n in [3, 3, 2, 4] {
            for _ in 0..5 {
                w.push(true);
            }
            w.reset(n);
            for k in 0..2 * n {
                w.push(false);
                assert_eq!(w.hits(), 0, "n {n}, miss {k}");
            }
            w.push(true);
            assert_eq!(w.hits(), 1, "n {n}");
        }
    }

    #[test]
    fn a_lone_radar_tracks_at_its_second_scan_in_range() {
        // p_detect 1, 2 of 3: the track starts at the second scan in range.
        let sc = crate::tables::tests::lone_drone();
        let night = Night::assemble(&sc, 1);
        let tables = Tables::new(&sc);
        let mut scratch = SensingScratch::default();
        let mut tables = tables;
        let t =
            track_time(&night, &mut tables, ThreatId::new(0), 0, &mut scratch).expect("tracked");
        let sensor = &sc.sensors[0];
        let range = tables.detect_range[night.threats[0].class][0].expect("in range");
        let enter = night
            .flight(&night.threats[0])
            .enters(sensor.position, range, 0)
            .expect("enters");
        assert!(t >= enter, "{t} {enter}");
        if sensor.p_detect >= 1.0 && sc.tracking.k == 2 {
            assert!(t < enter + 2 * sensor.scan_period, "{t} {enter}");
        }
    }
}
