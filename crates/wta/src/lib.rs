//! # rampart-wta: weapon-target assignment
//!
//! The static weapon-target assignment problem (Manne 1958): `m` weapon
//! types, type `i` with `mu_i` identical copies; `n` targets of value `V_j`;
//! `p_ij` the kill probability of one copy of `i` against `j`. Assign copies
//! to targets to minimise the expected surviving value
//! `sum_j V_j prod_i (1 - p_ij)^x_ij`, optionally plus `lambda * cost`, with
//! weapons allowed to hold fire ([`Firing::MayHold`]) and per-target caps.
//!
//! Build a [`Problem`] without a solver, then solve it `.using(solver)`:
//!
//! ```
//! use rampart_wta::{Exact, Greedy, LocalSearch, Problem, Status};
//!
//! let mut p = Problem::new();
//! let sam = p.add_weapon_type(1, 0.0);
//! let gun = p.add_weapon_type(2, 0.0);
//! let hospital = p.add_target(100.0);
//! let depot = p.add_target(30.0);
//! p.set_pk(sam, hospital, 0.9).unwrap();
//! p.set_pk(sam, depot, 0.9).unwrap();
//! p.set_pk(gun, hospital, 0.3).unwrap();
//! p.set_pk(gun, depot, 0.5).unwrap();
//!
//! let exact = p.using(Exact::default()).solve().unwrap();
//! assert_eq!(exact.status, Status::Optimal);
//! let greedy = p.using(Greedy).solve().unwrap();
//! assert!(exact.objective <= greedy.objective + 1e-12);
//! // Every answer lists one (weapon type, target) pair per copy.
//! assert_eq!(exact.pairs().len(), 3);
//! ```
//!
//! Every [`Solution`] says what it is worth: [`Status::Optimal`] (proven),
//! [`Status::Feasible`] with a valid lower bound and its gap, or
//! [`Status::Heuristic`] (no bound).
//!
//! Architecture Invariant: this crate never reads the clock, the filesystem or
//! the environment. Budgets are counted in deterministic units of work
//! ([`SolveRequest::work_limit`]); a caller that wants a wall-clock limit
//! passes its own [`Deadline`]. With a work limit only, the same problem gives
//! the same answer, bit for bit.

// Numeric kernels index several parallel arrays by the same i and j.
#![allow(clippy::needless_range_loop)]

mod assign;
mod auction;
mod bound;
mod chains;
mod exact;
mod exchange;
pub mod generate;
mod greedy;
pub mod io;
mod local;
mod portfolio;
mod problem;
mod replacements;
mod solve;
mod spread;
mod state;

pub use assign::single_shot_gain;
pub use exact::Exact;
pub use greedy::{Greedy, first_shot_delta};
pub use local::LocalSearch;
pub use portfolio::Portfolio;
pub use problem::{Firing, Problem, ProblemError, Target, TargetId, WeaponId, WeaponType};
pub use solve::{
    Control, DEFAULT_WORK_LIMIT, Deadline, OPTIMALITY_TOLERANCE, Solution, SolveRequest, Solver,
    Status, relative_gap,
};

/// Uniform draws in [0, 1) from a seeded 64-bit LCG, for the unit tests'
/// random problems (no dependency, the same numbers everywhere).
#[cfg(test)]
pub(crate) fn test_uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut x = seed;
    move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}
