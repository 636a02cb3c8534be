//! Threat motion: straight legs at constant ground speed, each level or
//! climbing or descending linearly (a terminal dive is a leg from cruise
//! altitude to the ground), so that the position and altitude at any time,
//! the entry into a circle (and into an altitude band) and the intercept
//! point are computed, not stepped. Ranges are ground ranges.

use rampart_model::{Millis, Point};

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
        let t0 = self.t0 + (f0 * span).ceil() as Millis;
        let t1 = self.t0 + (f1 * span).floor() as Millis;
        (t0 <= t1).then_some((t0, t1))
    }
}

/// Legs held inline, without an allocation: most flights have one to three
/// (launch site, a waypoint or two, target), and a night of hundreds of
/// threats then allocates nothing for its flights.
const INLINE_LEGS: usize = 3;

/// A flight's legs, in order: a slice (`Deref`), kept inline up to
/// [`INLINE_LEGS`] and on the heap past that.
#[derive(Clone)]
pub struct Legs(Store);

#[derive(Clone)]
enum Store {
    Inline([Leg; INLINE_LEGS], u8),
    Heap(Vec<Leg>),
}

impl Legs {
    pub fn new() -> Legs {
        Legs(Store::Inline([Leg::NONE; INLINE_LEGS], 0))
    }

    pub fn push(&mut self, leg: Leg) {
        match &mut self.0 {
            Store::Inline(legs, len) if usize::from(*len) < INLINE_LEGS => {
                legs[usize::from(*len)] = leg;
                *len += 1;
            }
            Store::Inline(legs, len) => {
                let mut v = legs[..usize::from(*len)].to_vec();
                v.push(leg);
                self.0 = Store::Heap(v);
            }
            Store::Heap(v) => v.push(leg),
        }
    }
}

impl Default for Legs {
    fn default() -> Legs {
        Legs::new()
    }
}

impl std::ops::Deref for Legs {
    type Target = [Leg];

    fn deref(&self) -> &[Leg] {
        match &self.0 {
            Store::Inline(legs, len) => &legs[..usize::from(*len)],
            Store::Heap(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Legs {
    type Item = &'a Leg;
    type IntoIter = std::slice::Iter<'a, Leg>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl FromIterator<Leg> for Legs {
    fn from_iter<I: IntoIterator<Item = Leg>>(iter: I) -> Legs {
        let mut legs = Legs::new();
        for l in iter {
            legs.push(l);
        }
        legs
    }
}

impl std::fmt::Debug for Legs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Legs {
    fn eq(&self, other: &Legs) -> bool {
        **self == **other
    }
}

/// A threat's whole flight path: launch site, waypoints, target.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    pub legs: Legs,
    /// Metres per second, over the ground.
    pub speed: f64,
}

impl Flight {
    /// Flies `points` in order at `speed` from `launch`, level at `altitude`.
    pub fn new(points: &[Point], launch: Millis, speed: f64, altitude: f64) -> Flight {
        Flight::profiled(points, |_| (altitude, altitude), launch, speed)
    }

    /// Flies `points` in order at `speed` from `launch`; leg `k` (from
    /// `points[k]` to `points[k + 1]`) goes from altitude `altitudes(k).0`
    /// to `altitudes(k).1`.
    pub fn profiled(
        points: &[Point],
        altitudes: impl Fn(usize) -> (f64, f64),
        launch: Millis,
        speed: f64,
    ) -> Flight {
        let mut legs = Legs::new();
        let mut t = launch;
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
        Flight { legs, speed }
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

    pub fn launch(&self) -> Millis {
        self.legs.first().map_or(0, |l| l.t0)
    }

    /// When the threat reaches the end of its path (its target).
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

    /// [`Flight::inside`], written into `out` (emptied first), so that a
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
                let t = l.t0 + (u * 1000.0).ceil() as Millis;
                let t = t.clamp(l.t0, l.t1);
                return Some((t, self.position(t)));
            }
        }
        None
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
    let t0 = l.t0 + (f0 * span).ceil() as Millis;
    let t1 = l.t0 + (f1 * span).floor() as Millis;
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
        let f = Flight::new(
            &[p(0.0, 0.0), p(10_000.0, 0.0), p(10_000.0, 5_000.0)],
            1_000,
            100.0,
            50.0,
        );
        assert_eq!(f.arrival(), 1_000 + 150_000);
        assert_eq!(f.position(51_000), p(5_000.0, 0.0));
        assert_eq!(f.position(126_000), p(10_000.0, 2_500.0));
        assert_eq!(f.position(0), p(0.0, 0.0));
    }

    #[test]
    fn circle_entry_is_exact() {
        let f = Flight::new(&[p(-20_000.0, 0.0), p(20_000.0, 0.0)], 0, 100.0, 50.0);
        // Enters the 5 km circle round the origin at x = -5 km: 150 s.
        assert_eq!(f.enters(p(0.0, 0.0), 5_000.0, 0), Some(150_000));
        assert_eq!(f.inside(p(0.0, 0.0), 5_000.0), vec![(150_000, 250_000)]);
        assert_eq!(f.enters(p(0.0, 10_000.0), 5_000.0, 0), None);
    }

    #[test]
    fn intercept_head_on() {
        // Threat at 100 m/s from x = -10 km towards the origin; interceptor at
        // the origin, 900 m/s, launched at t = 0: they meet after 10 s at x = -9 km.
        let f = Flight::new(&[p(-10_000.0, 0.0), p(0.0, 0.0)], 0, 100.0, 50.0);
        let (t, at) = f.intercept(p(0.0, 0.0), 0, 900.0).expect("meets");
        assert_eq!(t, 10_000);
        assert!((at.east + 9_000.0).abs() < 1.0);
    }

    /// Up to three legs inline, more on the heap: the same slice either way.
    #[test]
    fn legs_inline_and_on_the_heap_read_alike() {
        for n in 1..7 {
            let points: Vec<Point> = (0..=n).map(|k| p(1_000.0 * k as f64, 0.0)).collect();
            let f = Flight::new(&points, 0, 100.0, 50.0);
            assert_eq!(f.legs.len(), n);
            for (k, l) in f.legs.iter().enumerate() {
                assert_eq!(
                    (l.t0, l.t1),
                    (10_000 * k as Millis, 10_000 * (k + 1) as Millis)
                );
            }
            let copy: Legs = f.legs.iter().copied().collect();
            assert_eq!(copy, f.legs);
            assert_eq!(format!("{copy:?}"), format!("{:?}", &*f.legs));
        }
    }

    #[test]
    fn horizon_matches_the_formula() {
        // 10 m mast, drone at 100 m: about 54 km.
        let d = radar_horizon(10.0, 100.0);
        assert!((d - 54_229.0).abs() < 100.0, "{d}");
    }
}
