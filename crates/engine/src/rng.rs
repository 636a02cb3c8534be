//! Common random numbers: every draw is keyed by (seed, purpose, entity,
//! index), never taken from one shared stream. Two runs that differ in
//! doctrine see the same raid and the same luck for the same shot.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a draw is for. Each purpose is its own family of ChaCha8 streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    LaunchTime = 1,
    LaunchSite = 2,
    Target = 3,
    Detection = 4,
    Discrimination = 5,
    Jamming = 6,
    Kill = 7,
    Hit = 8,
    EngagementTime = 9,
    /// Campaigns: whether a unit near a leaker's impact is lost.
    Attrition = 10,
}

/// Keyed uniform draws for one replication.
#[derive(Debug, Clone)]
pub struct Streams {
    seed: u64,
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        Streams { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A uniform draw in [0, 1) for (purpose, entity, index). The stream is
    /// `purpose << 48 | entity`; the index selects the position in it, so
    /// draws are independent of the order in which they are asked for.
    pub fn uniform(&self, purpose: Purpose, entity: u64, index: u64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(((purpose as u64) << 48) | (entity & 0xffff_ffff_ffff));
        rng.set_word_pos(u128::from(index) * 2);
        (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&self, purpose: Purpose, entity: u64, index: u64, p: f64) -> bool {
        self.uniform(purpose, entity, index) < p
    }

    /// An exponential draw of mean `mean`.
    pub fn exponential(&self, purpose: Purpose, entity: u64, index: u64, mean: f64) -> f64 {
        let u = self.uniform(purpose, entity, index);
        -mean * (1.0 - u).ln()
    }
}

/// Packs two entity numbers into one stream entity (e.g. effector and threat).
pub fn pair(a: usize, b: usize) -> u64 {
    ((a as u64) << 24) ^ (b as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_depend_on_their_key_only() {
        let s = Streams::new(42);
        let a = s.uniform(Purpose::Kill, 7, 3);
        let _ = s.uniform(Purpose::Detection, 1, 1);
        assert_eq!(a, s.uniform(Purpose::Kill, 7, 3));
        assert_ne!(a, s.uniform(Purpose::Kill, 7, 4));
        assert_ne!(a, s.uniform(Purpose::Kill, 8, 3));
        assert_ne!(a, s.uniform(Purpose::Hit, 7, 3));
        assert_ne!(a, Streams::new(43).uniform(Purpose::Kill, 7, 3));
    }

    #[test]
    fn draws_are_uniform() {
        let s = Streams::new(1);
        let n = 20_000;
        let mean: f64 = (0..n).map(|i| s.uniform(Purpose::Kill, 0, i)).sum::<f64>() / n as f64;
        // Mean of U(0,1): 0.5, standard error 1/sqrt(12 n) = 0.002.
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }
}
