//! Threat motion: straight legs at constant ground speed, each level or
//! climbing or descending linearly (a terminal dive is a leg from cruise
//! altitude to the ground), so that the position and altitude at any time,
//! the entry into a circle (and into an altitude band) and the intercept
//! point are computed, not stepped. Ranges are ground ranges.

use rampart_model::{Millis, Point};

mod legs;

pub use legs::Legs;

/// The longest a leg may last, ms (about 31,700 years): beyond it a leg is
/// cut, so that times stay far from overflow whatever the speeds.
pub const MAX_LEG: Millis = 1_000_000_000_000_000;

/// One straight leg, flown from `t0` to `t1` (ms), from altitude `z0` to
/// `z1` (metres above ground, linear in between).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    pub from: Point,
    pub to: Point,
    pub t0: Millis,
    pub t1: Millis,
    pub z0: f64,
    pub z1: f64,
}

impl Leg {
    /// An unused inline slot of [`Legs`].
    const NONE: Leg = Leg {
        from: Point {
            east: 0.0,
            north: 0.0,
        },
        to: Point {
            east: 0.0,
            north: 0.0,
        },
        t0: 0,
        t1: 0,
        z0: 0.0,
        z1: 0.0,
    };

    /// The part of the leg during which its altitude is within `[lo, hi]`.
    fn band_times(&self, lo: f64, hi: f64) -> Option<(Millis, Millis)> {
        let (z0, z1) = (self.z0, self.z1);
        if z0 == z1 {
            return (lo <= z0 && z0 <= hi).then_some((self.t0, self.t1));
        }
        // z(f) = z0 + (z1 - z0) f, f in [0, 1].
        let dz = z1 - z0;
        let (fa, fb) = ((lo - z0) / dz, (hi - z0) / dz);
        let (f0, f1) = (fa.min(fb).max(0.0), fa.max(fb).min(1.0));
        if f0 > f1 {
            return None;
        }
        let span = (self.t1 - self.t0) as f64;
        let t0 = self.t0 + crate::whole::ceil(f0 * span);
        let t1 = self.t0 + crate::whole::floor(f1 * span);
        (t0 <= t1).then_some((t0, t1))
    }
}

/// A flight path: launch site, waypoints, target, flown at one speed, its
/// times relative to launch (the first leg starts at 0). Every threat of a
/// raid from one launch site to one target flies the same path, kept once
/// per night ([`crate::Night::paths`]); a threat's own flight is its path
/// and its launch time ([`Flight`]). Its methods take and give times
/// relative to launch.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightPath {
    pub legs: Legs,
    /// Metres per second, over the ground.
    pub speed: f64,
}

impl FlightPath {
    /// Flies `points` in order at `speed`, level at `altitude`.
    pub fn new(points: &[Point], speed: f64, altitude: f64) -> FlightPath {
        FlightPath::profiled(points, |_| (altitude, altitude), speed)
    }

    /// Flies `points` in order at `speed`; leg `k` (from `points[k]` to
    /// `points[k + 1]`) goes from altitude `altitudes(k).0` to
    /// `altitudes(k).1`.
    pub fn profiled(
        points: &[Point],
        altitudes: impl Fn(usize) -> (f64, f64),
        speed: f64,
    ) -> FlightPath {
        let mut legs = Legs::new();
        let mut t: Millis = 0;
        for (k, w) in points.windows(2).enumerate() {
            let (z0, z1) = altitudes(k);
            let secs = w[0].distance(w[1]) / speed;
            // A leg lasts at most MAX_LEG (absurd speeds make absurd legs,
            // not an overflow).
            let dt = (secs * 1000.0).round().min(MAX_LEG as f64) as Millis;
            legs.push(Leg {
                from: w[0],
                to: w[1],
                t0: t,
                t1: t.saturating_add(dt),
                z0,
                z1,
            });
            t = t.saturating_add(dt);
        }
        FlightPath { legs, speed }
    }

    /// The altitude of a flight level all the way, if it is.
    pub fn level(&self) -> Option<f64> {
        let z = self.legs.first()?.z0;
        self.legs
            .iter()
            .all(|l| l.z0 == z && l.z1 == z)
            .then_some(z)
    }

    /// Altitude at time `t` (clamped to the path's ends), metres.
    pub fn altitude(&self, t: Millis) -> f64 {
        self.at(t).map_or(0.0, |(l, f)| l.z0 + f * (l.z1 - l.z0))
    }

    /// The leg flown at `t` and how far along it (0 to 1), clamped to the
    /// path's ends.
    fn at(&self, t: Millis) -> Option<(&Leg, f64)> {
        let first = self.legs.first()?;
        if t <= first.t0 {
            return Some((first, 0.0));
        }
        for l in &self.legs {
            if t <= l.t1 {
                let span = (l.t1 - l.t0).max(1) as f64;
                return Some((l, (t - l.t0) as f64 / span));
            }
        }
        self.legs.last().map(|l| (l, 1.0))
    }

    /// When the threat reaches the end of its path (its target): the
    /// path's duration.
    pub fn arrival(&self) -> Millis {
        self.legs.last().map_or(0, |l| l.t1)
    }

    /// Position at time `t` (clamped to the path's ends).
    pub fn position(&self, t: Millis) -> Point {
        let Some(first) = self.legs.first() else {
            return Point::new(0.0, 0.0);
        };
        if t <= first.t0 {
            return first.from;
        }
        for l in &self.legs {
            if t <= l.t1 {
                let span = (l.t1 - l.t0).max(1) as f64;
                let f = (t - l.t0) as f64 / span;
                return Point::new(
                    l.from.east + f * (l.to.east - l.from.east),
                    l.from.north + f * (l.to.north - l.from.north),
                );
            }
        }
        self.legs.last().map_or(first.from, |l| l.to)
    }

    /// The first time in `[after, arrival]` at which the threat is within
    /// `radius` of `centre` (ground distance), if any.
    pub fn enters(&self, centre: Point, radius: f64, after: Millis) -> Option<Millis> {
        for l in &self.legs {
            if l.t1 < after {
                continue;
            }
            if let Some((a, b)) = circle_times(l, centre, radius) {
                let lo = a.max(after);
                if lo <= b {
                    return Some(lo);
                }
            }
        }
        None
    }

    /// The time intervals during which the threat is within `radius` of `centre`.
    pub fn inside(&self, centre: Point, radius: f64) -> Vec<(Millis, Millis)> {
        let mut out = Vec::new();
        self.inside_into(centre, radius, &mut out);
        out
    }

    /// [`FlightPath::inside`], written into `out` (emptied first), so that a
    /// caller can reuse one buffer.
    pub fn inside_into(&self, centre: Point, radius: f64, out: &mut Vec<(Millis, Millis)>) {
        self.inside_band_into(
            centre,
            |_| Some((radius, f64::NEG_INFINITY, f64::INFINITY)),
            out,
        );
    }

    /// The time intervals during which the threat is within a leg's
    /// radius of `centre` (ground distance) and its altitude within the
    /// leg's band: `per_leg` gives (radius, lowest, highest altitude) for
    /// each leg, or `None` to skip it. Written into `out` (emptied first).
    pub fn inside_band_into(
        &self,
        centre: Point,
        per_leg: impl Fn(&Leg) -> Option<(f64, f64, f64)>,
        out: &mut Vec<(Millis, Millis)>,
    ) {
        out.clear();
        for l in &self.legs {
            let Some((radius, lo, hi)) = per_leg(l) else {
                continue;
            };
            let Some((a, b)) = circle_times(l, centre, radius) else {
                continue;
            };
            let (a, b) = match l.band_times(lo, hi) {
                Some((c, d)) if a.max(c) <= b.min(d) => (a.max(c), b.min(d)),
                _ => continue,
            };
            match out.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
    }

    /// The earliest intercept by an interceptor leaving `origin` at `launch`
    /// at `speed` (m/s): the first `t >= launch` with
    /// `|P(t) - origin| = speed (t - launch)`, and the intercept point.
    pub fn intercept(&self, origin: Point, launch: Millis, speed: f64) -> Option<(Millis, Point)> {
        for l in &self.legs {
            if l.t1 < launch {
                continue;
            }
            // On this leg, P(t) = A + V (t - t0) with t in seconds from t0.
            let span = (l.t1 - l.t0).max(1) as f64 / 1000.0;
            let vx = (l.to.east - l.from.east) / span;
            let vy = (l.to.north - l.from.north) / span;
            let dx = l.from.east - origin.east;
            let dy = l.from.north - origin.north;
            // |D + V u|^2 = s^2 (u - u_l)^2, u = t - t0 (s), u_l = launch - t0.
            let ul = (launch - l.t0) as f64 / 1000.0;
            let a = vx * vx + vy * vy - speed * speed;
            let b = 2.0 * (dx * vx + dy * vy) + 2.0 * speed * speed * ul;
            let c = dx * dx + dy * dy - speed * speed * ul * ul;
            let lo = ul.max(0.0);
            let hi = span;
            let mut best: Option<f64> = None;
            let mut consider = |u: f64| {
                if u >= lo - 1e-9 && u <= hi + 1e-9 && u >= ul - 1e-9 && best.is_none_or(|b| u < b)
                {
                    best = Some(u.max(lo));
                }
            };
            if a.abs() < 1e-12 {
                if b.abs() > 1e-12 {
                    consider(-c / b);
                }
            } else {
                let disc = b * b - 4.0 * a * c;
                if disc >= 0.0 {
                    let r = disc.sqrt();
                    consider((-b - r) / (2.0 * a));
                    consider((-b + r) / (2.0 * a));
                }
            }
            if let Some(u) = best {
                let t = l.t0 + crate::whole::ceil(u * 1000.0);
                let t = t.clamp(l.t0, l.t1);
                return Some((t, self.position(t)));
            }
        }
        None
    }
}

/// One threat's flight: its path flown from its launch time. Its methods
/// take and give the night's times (ms): the path's, shifted by the
/// launch. They are exactly those of a path with its legs in the night's
/// times (what a threat's own flight was before paths were shared),
/// because the path's methods work from differences of integer times.
#[derive(Debug, Clone, Copy)]
pub struct Flight<'p> {
    pub path: &'p FlightPath,
    pub launch: Millis,
}

impl Flight<'_> {
    /// A night's time relative to the launch.
    fn rel(&self, t: Millis) -> Millis {
        t.saturating_sub(self.launch)
    }

    /// A time relative to the launch as the night's.
    fn abs(&self, t: Millis) -> Millis {
        t.saturating_add(self.launch)
    }

    pub fn launch(&self) -> Millis {
        self.launch
    }

    /// When the threat reaches the end of its path (its target).
    pub fn arrival(&self) -> Millis {
        self.abs(self.path.arrival())
    }

    /// Metres per second, over the ground.
    pub fn speed(&self) -> f64 {
        self.path.speed
    }

    /// The legs, in the night's times.
    pub fn legs(&self) -> impl Iterator<Item = Leg> + '_ {
        self.path.legs.iter().map(|l| self.shifted(l))
    }

    /// A leg of the path in the night's times.
    fn shifted(&self, l: &Leg) -> Leg {
        Leg {
            t0: self.abs(l.t0),
            t1: self.abs(l.t1),
            ..*l
        }
    }

    /// [`FlightPath::level`].
    pub fn level(&self) -> Option<f64> {
        self.path.level()
    }

    /// Altitude at time `t` (clamped to the path's ends), metres.
    pub fn altitude(&self, t: Millis) -> f64 {
        self.path.altitude(self.rel(t))
    }

    /// Position at time `t` (clamped to the path's ends).
    pub fn position(&self, t: Millis) -> Point {
        self.path.position(self.rel(t))
    }

    /// [`FlightPath::enters`].
    pub fn enters(&self, centre: Point, radius: f64, after: Millis) -> Option<Millis> {
        self.path
            .enters(centre, radius, self.rel(after))
            .map(|t| self.abs(t))
    }

    /// [`FlightPath::inside`].
    pub fn inside(&self, centre: Point, radius: f64) -> Vec<(Millis, Millis)> {
        let mut out = Vec::new();
        self.inside_into(centre, radius, &mut out);
        out
    }

    /// [`FlightPath::inside_into`].
    pub fn inside_into(&self, centre: Point, radius: f64, out: &mut Vec<(Millis, Millis)>) {
        self.path.inside_into(centre, radius, out);
        self.shift(out);
    }

    /// [`FlightPath::inside_band_into`]; `per_leg` sees the legs in the night's
    /// times, as [`Flight::legs`] gives them.
    pub fn inside_band_into(
        &self,
        centre: Point,
        per_leg: impl Fn(&Leg) -> Option<(f64, f64, f64)>,
        out: &mut Vec<(Millis, Millis)>,
    ) {
        self.path
            .inside_band_into(centre, |l| per_leg(&self.shifted(l)), out);
        self.shift(out);
    }

    fn shift(&self, out: &mut [(Millis, Millis)]) {
        for (a, b) in out {
            (*a, *b) = (self.abs(*a), self.abs(*b));
        }
    }

    /// [`FlightPath::intercept`] by an interceptor leaving `origin` at `launch`
    /// (the night's time).
    pub fn intercept(&self, origin: Point, launch: Millis, speed: f64) -> Option<(Millis, Point)> {
        self.path
            .intercept(origin, self.rel(launch), speed)
            .map(|(t, at)| (self.abs(t), at))
    }
}

/// When (ms) a leg is within `radius` of `centre`: the chord of the circle.
fn circle_times(l: &Leg, centre: Point, radius: f64) -> Option<(Millis, Millis)> {
    // Many circles are nowhere near a leg: its bounding box tells.
    let (lo_e, hi_e) = (l.from.east.min(l.to.east), l.from.east.max(l.to.east));
    let (lo_n, hi_n) = (l.from.north.min(l.to.north), l.from.north.max(l.to.north));
    if centre.east + radius < lo_e
        || centre.east - radius > hi_e
        || centre.north + radius < lo_n
        || centre.north - radius > hi_n
    {
        return None;
    }
    let span = (l.t1 - l.t0).max(1) as f64;
    let ex = l.to.east - l.from.east;
    let ey = l.to.north - l.from.north;
    let fx = l.from.east - centre.east;
    let fy = l.from.north - centre.north;
    // |F + E f|^2 = r^2, f in [0, 1].
    let a = ex * ex + ey * ey;
    let b = 2.0 * (fx * ex + fy * ey);
    let c = fx * fx + fy * fy - radius * radius;
    let (f0, f1) = if a < 1e-12 {
        if c <= 0.0 { (0.0, 1.0) } else { return None }
    } else {
        let disc = b * b - 4.0 * a * c;
        if disc < 0.0 {
            return None;
        }
        let r = disc.sqrt();
        ((-b - r) / (2.0 * a), (-b + r) / (2.0 * a))
    };
    let (f0, f1) = (f0.max(0.0), f1.min(1.0));
    if f0 > f1 {
        return None;
    }
    let t0 = l.t0 + crate::whole::ceil(f0 * span);
    let t1 = l.t0 + crate::whole::floor(f1 * span);
    (t0 <= t1).then_some((t0, t1))
}

/// Radar horizon (4/3 effective earth radius), metres: the farthest ground
/// distance at which a sensor at `h_sensor` sees a target at `h_target`.
pub fn radar_horizon(h_sensor: f64, h_target: f64) -> f64 {
    4120.0 * (h_sensor.max(0.0).sqrt() + h_target.max(0.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(e: f64, n: f64) -> Point {
        Point::new(e, n)
    }

    #[test]
    fn positions_along_legs() {
        // 100 m/s east for 10 km, then north for 5 km.
        let path = FlightPath::new(
            &[p(0.0, 0.0), p(10_000.0, 0.0), p(10_000.0, 5_000.0)],
            100.0,
            50.0,
        );
        let f = Flight {
            path: &path,
            launch: 1_000,
        };
        assert_eq!(f.arrival(), 1_000 + 150_000);
        assert_eq!(f.position(51_000), p(5_000.0, 0.0));
        assert_eq!(f.position(126_000), p(10_000.0, 2_500.0));
        assert_eq!(f.position(0), p(0.0, 0.0));
        assert_eq!(path.position(125_000), p(10_000.0, 2_500.0));
    }

    /// A flight (a shared path and a launch time) answers exactly as a
    /// flight of its own did: a path whose legs are in the night's times
    /// (built by shifting every leg by the launch, the oracle), asked at
    /// the same night times, to the millisecond and the bit. The path
    /// climbs and dives, so that altitudes and altitude bands differ from
    /// leg to leg; launches up to the model's latest (1,000 days).
    #[test]
    fn a_flight_answers_as_its_own_legs_at_night_times() {
        let path = FlightPath::profiled(
            &[
                p(-7_003.0, 1_201.0),
                p(4_999.0, -3_333.0),
                p(9_000.0, 8_000.0),
                p(1_234.5, 2_000.25),
            ],
            |k| [(50.0, 900.0), (900.0, 900.0), (900.0, 0.0)][k],
            237.0,
        );
        let origin = p(1_000.0, 500.0);
        let band = |l: &Leg| Some((3_000.0 + l.z0, 100.0, 700.0));
        for launch in [0, 1, 999, 3_600_000, 25_199_999, 86_400_000_000] {
            let f = Flight {
                path: &path,
                launch,
            };
            let own = FlightPath {
                legs: f.legs().collect(),
                speed: path.speed,
            };
            assert_eq!(f.launch(), launch);
            assert_eq!(f.arrival(), own.arrival());
            assert_eq!(f.level(), None);
            for t in [-5, 0, 17, 20_000, 51_234, 99_999, 123_456, 1_000_000] {
                let t = launch + t;
                assert_eq!(f.position(t), own.position(t));
                assert_eq!(f.altitude(t).to_bits(), own.altitude(t).to_bits());
                assert_eq!(
                    f.intercept(origin, t, 800.0),
                    own.intercept(origin, t, 800.0)
                );
                assert_eq!(f.enters(origin, 3_000.0, t), own.enters(origin, 3_000.0, t));
            }
            assert_eq!(f.inside(origin, 3_000.0), own.inside(origin, 3_000.0));
            let (mut mine, mut theirs) = (Vec::new(), Vec::new());
            f.inside_band_into(origin, band, &mut mine);
            own.inside_band_into(origin, band, &mut theirs);
            assert_eq!(mine, theirs);
            assert!(!mine.is_empty(), "the band is met");
            // The legs `per_leg` sees are in the night's times.
            f.inside_band_into(
                origin,
                |l| {
                    assert!(l.t0 >= launch);
                    None
                },
                &mut mine,
            );
        }
    }

    #[test]
    fn circle_entry_is_exact() {
        let f = FlightPath::new(&[p(-20_000.0, 0.0), p(20_000.0, 0.0)], 100.0, 50.0);
        // Enters the 5 km circle round the origin at x = -5 km: 150 s.
        assert_eq!(f.enters(p(0.0, 0.0), 5_000.0, 0), Some(150_000));
        assert_eq!(f.inside(p(0.0, 0.0), 5_000.0), vec![(150_000, 250_000)]);
        assert_eq!(f.enters(p(0.0, 10_000.0), 5_000.0, 0), None);
    }

    #[test]
    fn intercept_head_on() {
        // Threat at 100 m/s from x = -10 km towards the origin; interceptor at
        // the origin, 900 m/s, launched at t = 0: they meet after 10 s at x = -9 km.
        let f = FlightPath::new(&[p(-10_000.0, 0.0), p(0.0, 0.0)], 100.0, 50.0);
        let (t, at) = f.intercept(p(0.0, 0.0), 0, 900.0).expect("meets");
        assert_eq!(t, 10_000);
        assert!((at.east + 9_000.0).abs() < 1.0);
    }

    #[test]
    fn horizon_matches_the_formula() {
        // 10 m mast, drone at 100 m: about 54 km.
        let d = radar_horizon(10.0, 100.0);
        assert!((d - 54_229.0).abs() < 100.0, "{d}");
    }
}
