//! Common random numbers: every draw is keyed by (seed, purpose, entity,
//! index), never taken from one shared stream. Two runs that differ in
//! doctrine see the same raid and the same luck for the same shot.
//!
//! The draws come from Philox4x32-10 (Salmon, Moraes, Dror and Shaw,
//! "Parallel random numbers: as easy as 1, 2, 3", SC 2011), a counter-based
//! generator: the output is a keyed bijection of the counter, so the draw
//! for a key costs one block (ten rounds of two multiplications) and no
//! generator is seeded, sought or kept. The key is the seed; the counter is
//! (index, purpose << 48 | entity). It passes the BigCrush battery, and the
//! known-answer vectors of the authors' Random123 library are tested below.

/// What a draw is for. Each purpose is its own family of streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    LaunchTime = 1,
    // 2 was the launch site's draw, now taken in launch order; the
    // other purposes keep their numbers, so that their streams do not move.
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

    /// A uniform draw in [0, 1) for (purpose, entity, index): 53 bits of
    /// the Philox block at counter (index, purpose << 48 | entity), so draws
    /// are independent of the order in which they are asked for.
    pub fn uniform(&self, purpose: Purpose, entity: u64, index: u64) -> f64 {
        let stream = ((purpose as u64) << 48) | (entity & 0xffff_ffff_ffff);
        let out = philox4x32_10(
            [
                index as u32,
                (index >> 32) as u32,
                stream as u32,
                (stream >> 32) as u32,
            ],
            [self.seed as u32, (self.seed >> 32) as u32],
        );
        let bits = (u64::from(out[1]) << 32) | u64::from(out[0]);
        (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`. A certain outcome (`p >= 1` or `p <= 0`)
    /// needs no draw: a uniform draw in [0, 1) would give the same answer.
    pub fn chance(&self, purpose: Purpose, entity: u64, index: u64, p: f64) -> bool {
        if p >= 1.0 {
            return true;
        }
        if p <= 0.0 {
            return false;
        }
        self.uniform(purpose, entity, index) < p
    }

    /// An exponential draw of mean `mean`.
    pub fn exponential(&self, purpose: Purpose, entity: u64, index: u64, mean: f64) -> f64 {
        let u = self.uniform(purpose, entity, index);
        -mean * libm::log(1.0 - u)
    }
}

/// Packs two entity numbers into one stream entity (e.g. effector and threat).
pub fn pair(a: usize, b: usize) -> u64 {
    ((a as u64) << 24) ^ (b as u64)
}

const PHILOX_M0: u32 = 0xD251_1F53;
const PHILOX_M1: u32 = 0xCD9E_8D57;
const PHILOX_W0: u32 = 0x9E37_79B9;
const PHILOX_W1: u32 = 0xBB67_AE85;

/// One Philox4x32 block of ten rounds.
fn philox4x32_10(mut c: [u32; 4], mut k: [u32; 2]) -> [u32; 4] {
    for round in 0..10 {
        if round > 0 {
            k[0] = k[0].wrapping_add(PHILOX_W0);
            k[1] = k[1].wrapping_add(PHILOX_W1);
        }
        let p0 = u64::from(PHILOX_M0) * u64::from(c[0]);
        let p1 = u64::from(PHILOX_M1) * u64::from(c[2]);
        c = [
            (p1 >> 32) as u32 ^ c[1] ^ k[0],
            p1 as u32,
            (p0 >> 32) as u32 ^ c[3] ^ k[1],
            p0 as u32,
        ];
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answers from Random123's `kat_vectors` (philox4x32, 10 rounds):
    /// counter, key, output.
    #[test]
    fn philox_matches_the_published_known_answers() {
        let cases: [([u32; 4], [u32; 2], [u32; 4]); 3] = [
            (
                [0; 4],
                [0; 2],
                [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
            ),
            (
                [u32::MAX; 4],
                [u32::MAX; 2],
                [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
            ),
            (
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0],
                [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
            ),
        ];
        for (ctr, key, want) in cases {
            assert_eq!(philox4x32_10(ctr, key), want);
        }
    }

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

    /// A certain chance skips its draw and answers as the draw would:
    /// every draw is below 1 and none below 0.
    #[test]
    fn certain_chances_answer_as_the_draw_would() {
        let s = Streams::new(9);
        for i in 0..10_000 {
            let u = s.uniform(Purpose::Detection, 3, i);
            for p in [0.0, -1.0, 1.0, 2.0] {
                assert_eq!(s.chance(Purpose::Detection, 3, i, p), u < p, "{p}");
            }
        }
    }

    /// Mean and variance of U(0,1) (1/2 and 1/12), and the lag-1
    /// correlation of consecutive indices (0), each well inside 4 standard
    /// errors over 100,000 draws.
    #[test]
    fn draws_are_uniform_and_uncorrelated() {
        let s = Streams::new(1);
        let n = 100_000u64;
        let u: Vec<f64> = (0..n).map(|i| s.uniform(Purpose::Kill, 0, i)).collect();
        let nf = n as f64;
        let mean = u.iter().sum::<f64>() / nf;
        let var = u.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / nf;
        let lag = u
            .windows(2)
            .map(|w| (w[0] - 0.5) * (w[1] - 0.5))
            .sum::<f64>()
            / (nf - 1.0);
        assert!(
            (mean - 0.5).abs() < 4.0 * (1.0 / (12.0 * nf)).sqrt(),
            "{mean}"
        );
        // Var of (U-1/2)^2 is 1/180.
        assert!(
            (var - 1.0 / 12.0).abs() < 4.0 * (1.0 / (180.0 * nf)).sqrt(),
            "{var}"
        );
        // Sd of a product of two independent U-1/2 is 1/12.
        assert!(lag.abs() < 4.0 / 12.0 / nf.sqrt(), "{lag}");
        // And across streams: the same index in neighbouring entities.
        let v: Vec<f64> = (0..n).map(|e| s.uniform(Purpose::Kill, e, 0)).collect();
        let mean = v.iter().sum::<f64>() / nf;
        assert!(
            (mean - 0.5).abs() < 4.0 * (1.0 / (12.0 * nf)).sqrt(),
            "{mean}"
        );
    }
}
