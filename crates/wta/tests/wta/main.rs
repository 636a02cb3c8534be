//! Tests of rampart-wta, one binary, modules named by behaviour.

mod brute_force_oracle;
mod conformance;
mod instance_files;
mod regressions;

use rampart_wta::{Firing, Problem};

/// A small random problem from a seed: up to `max_copies` copies in total,
/// up to `max_targets` targets, optional costs, caps and hold-fire.
pub fn small_problem(seed: u64, max_copies: u32, max_targets: usize, variants: bool) -> Problem {
    // A tiny deterministic generator (splitmix64), independent of the crate's.
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut unit = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
    let n = 1 + (unit() * max_targets as f64) as usize % max_targets;
    let mut p = Problem::new();
    let mut copies = 0;
    while copies < max_copies {
        let c = 1 + (unit() * 3.0) as u32;
        let c = c.min(max_copies - copies);
        let cost = if variants {
            (unit() * 10.0).floor()
        } else {
            0.0
        };
        p.add_weapon_type(c, cost);
        copies += c;
        if unit() < 0.3 {
            break;
        }
    }
    for _ in 0..n {
        let cap = if variants && unit() < 0.3 {
            Some(1 + (unit() * 3.0) as u32)
        } else {
            None
        };
        p.add_target_capped((unit() * 100.0).round() + 1.0, cap);
    }
    for i in 0..p.weapon_types() {
        for j in 0..n {
            let r = unit();
            let pk = if r < 0.1 {
                0.0
            } else if r < 0.15 {
                1.0
            } else {
                unit()
            };
            p.set_pk(i, j, pk).expect("in range");
        }
    }
    if variants {
        if unit() < 0.5 {
            p.set_firing(Firing::MayHold);
        }
        if unit() < 0.5 {
            p.set_cost_weight(unit() * 2.0);
        }
        // Caps that cannot take every weapon: let weapons hold instead.
        if p.validate().is_err() {
            p.set_firing(Firing::MayHold);
        }
    }
    p
}

/// The true optimum by enumerating every feasible count matrix.
pub fn brute_force(p: &Problem) -> (f64, Vec<u32>) {
    let (m, n) = (p.weapon_types(), p.targets());
    let mut x = vec![0u32; m * n];
    let mut best = (f64::INFINITY, x.clone());
    fn rec(
        p: &Problem,
        i: usize,
        j: usize,
        left: u32,
        x: &mut Vec<u32>,
        best: &mut (f64, Vec<u32>),
    ) {
        let (m, n) = (p.weapon_types(), p.targets());
        if i == m {
            if p.is_feasible(x) {
                let obj = p.objective_of_counts(x);
                if obj < best.0 {
                    *best = (obj, x.clone());
                }
            }
            return;
        }
        if j == n - 1 {
            // The last target takes the rest, or (may hold) any part of it.
            let lo = if p.firing() == Firing::AllWeapons {
                left
            } else {
                0
            };
            for c in lo..=left {
                x[i * n + j] = c;
                let next_left = if i + 1 < m { p.weapon(i + 1).count } else { 0 };
                rec(p, i + 1, 0, next_left, x, best);
            }
            x[i * n + j] = 0;
            return;
        }
        for c in 0..=left {
            x[i * n + j] = c;
            rec(p, i, j + 1, left - c, x, best);
        }
        x[i * n + j] = 0;
    }
    if m > 0 {
        rec(p, 0, 0, p.weapon(0).count, &mut x, &mut best);
    } else {
        best = (p.objective_of_counts(&x), x);
    }
    best
}
