//! Seeded instance generators for the two classic schemes.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::problem::Problem;

/// Which published scheme to draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Ahuja, Kumar, Jha and Orlin (2007): `V ~ U[25, 100]`, `p ~ U[0.6, 0.9]`.
    Ahuja,
    /// Andersen, Pavlikov and Toffolo (2022), as in the public benchmark:
    /// integer `V ~ U{1..99}`, `p ~ U(0, 1)`.
    AndersenPavlikovToffolo,
}

/// Draws an instance of `m` weapon types with `mu` copies each and `n` targets.
/// The same arguments always give the same instance.
pub fn generate(scheme: Scheme, m: usize, n: usize, mu: u32, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = Problem::new();
    for _ in 0..m {
        p.add_weapon_type(mu, 0.0);
    }
    let values: Vec<f64> = (0..n)
        .map(|_| match scheme {
            Scheme::Ahuja => rng.random_range(25.0..=100.0),
            Scheme::AndersenPavlikovToffolo => f64::from(rng.random_range(1..=99u32)),
        })
        .collect();
    for v in values {
        p.add_target(v);
    }
    for i in 0..m {
        for j in 0..n {
            let pk = match scheme {
                Scheme::Ahuja => rng.random_range(0.6..=0.9),
                Scheme::AndersenPavlikovToffolo => rng.random_range(0.0..1.0),
            };
            // In range by construction.
            let _ = p.set_pk(i, j, pk);
        }
    }
    p
}
