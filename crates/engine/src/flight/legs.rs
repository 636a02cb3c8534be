//! A flight path's legs: kept inline up to a few, on the heap past that.

use super::Leg;

/// Legs held inline, without an allocation: most paths have one to three
/// (launch site, a waypoint or two, target), and a night's paths then
/// allocate nothing for their legs.
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

#[cfg(test)]
mod tests {
    use rampart_model::{Millis, Point};

    use super::*;
    use crate::flight::FlightPath;

    /// Up to three legs inline, more on the heap: the same slice either way.
    #[test]
    fn legs_inline_and_on_the_heap_read_alike() {
        for n in 1..7 {
            let points: Vec<Point> = (0..=n)
                .map(|k| Point::new(1_000.0 * k as f64, 0.0))
                .collect();
            let f = FlightPath::new(&points, 100.0, 50.0);
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
}
