//! Lower bounds by Lagrangian relaxation of the weapon constraints.
//!
//! For multipliers `lambda_i` (free when every weapon must fire, >= 0 when
//! weapons may hold), the problem splits by target:
//!
//! `L(lambda) = sum_j min_{x_j} [ S_j prod_i q_ij^x_ij + sum_i pi_i x_ij ] - sum_i lambda_i r_i`
//!
//! with `pi_i = lambda_i + cost_weight * c_i`, `r_i` the copies still to
//! place and `S_j` the value-weighted survival already fixed. Every
//! `lambda` gives a valid lower bound; subgradient steps raise it. Each
//! per-target problem is solved exactly by a small branch and bound when it
//! is small enough, and otherwise bounded below by its continuous relaxation
//! (a fractional knapsack over `a_ij = -ln q_ij`), which keeps the bound valid.

/// One per-target subproblem's input: survival so far, and for each usable
/// weapon type its `a = -ln q`, price `pi` and the most copies allowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub a: f64,
    pub pi: f64,
    pub max: u32,
    pub type_index: usize,
    /// Kill per price, the order of the search (set by `target_min`).
    pub key: f64,
}

/// Exact minimum of `S exp(-sum a_i x_i) + sum pi_i x_i` over integer
/// `0 <= x_i <= max_i` (and `sum x_i <= cap`), or a lower bound of it when
/// the search exceeds `node_limit`. Returns (value, exact?, nodes searched);
/// the counts go to `x`.
pub(crate) fn target_min(
    surv: f64,
    items: &mut [Item],
    cap: u32,
    node_limit: u64,
    x: &mut Vec<u32>,
) -> (f64, bool, u64) {
    x.clear();
    x.resize(items.len(), 0);
    // Free or paid-for-by-the-multiplier items (pi <= 0) are always worth firing.
    let mut s = surv;
    let mut base = 0.0;
    let mut room = cap;
    // Sort: free items first, then by kill per price, best first (each
    // item's ratio worked out once; type indices differ, so the order is
    // total and an unstable sort gives it).
    for it in items.iter_mut() {
        it.key = if it.pi <= 0.0 {
            f64::INFINITY
        } else {
            it.a / it.pi
        };
    }
    items.sort_unstable_by(|u, v| {
        v.key
            .total_cmp(&u.key)
            .then(u.type_index.cmp(&v.type_index))
    });
    // Taking every free copy is optimal only when the cap cannot bind (a
    // free copy may otherwise take the room of a better paid one); else the
    // search chooses among them.
    let all: u64 = items.iter().map(|it| u64::from(it.max)).sum();
    let all_fit = all <= u64::from(room);
    for (k, it) in items.iter().enumerate() {
        if all_fit && it.pi <= 0.0 {
            let take = it.max;
            x[k] = take;
            room -= take;
            s *= libm::exp(-it.a * f64::from(take));
            base += it.pi * f64::from(take);
        }
    }
    let first_paid = if all_fit {
        items
            .iter()
            .position(|it| it.pi > 0.0)
            .unwrap_or(items.len())
    } else {
        0
    };
    let mut best = s + base;
    let mut best_x = x.clone();
    let mut nodes = 0u64;
    let mut exact = true;
    let mut cur = x.clone();
    dfs(
        items,
        first_paid,
        s,
        base,
        room,
        &mut cur,
        &mut best,
        &mut best_x,
        &mut nodes,
        node_limit,
        &mut exact,
    );
    x.clone_from(&best_x);
    if exact {
        (best, true, nodes)
    } else {
        // The search did not finish: fall back to the continuous relaxation,
        // which is a valid lower bound.
        let lb = continuous_min(surv, items, cap);
        (lb.min(best), false, nodes)
    }
}

#[allow(clippy::too_many_arguments)]
fn dfs(
    items: &[Item],
    k: usize,
    s: f64,
    spent: f64,
    room: u32,
    cur: &mut Vec<u32>,
    best: &mut f64,
    best_x: &mut Vec<u32>,
    nodes: &mut u64,
    limit: u64,
    exact: &mut bool,
) {
    *nodes += 1;
    if *nodes > limit {
        *exact = false;
        return;
    }
    let value = s + spent;
    if value < *best {
        *best = value;
        best_x.clone_from(cur);
    }
    if k >= items.len() || room == 0 {
        return;
    }
    // Bound: the continuous relaxation of the remaining items.
    if spent + continuous_from(s, &items[k..], room) >= *best - 1e-15 * best.abs() {
        return;
    }
    let it = items[k];
    let most = it.max.min(room);
    // More copies first: good solutions early.
    for c in (0..=most).rev() {
        let s2 = s * libm::exp(-it.a * f64::from(c));
        let spent2 = spent + it.pi * f64::from(c);
        // Later items only add cost when none of them is free (free items
        // sort first, so looking at the next one is enough).
        let rest_costs = items.get(k + 1).is_none_or(|next| next.pi > 0.0);
        if rest_costs && spent2 >= *best {
            continue;
        }
        cur[k] = c;
        dfs(
            items,
            k + 1,
            s2,
            spent2,
            room - c,
            cur,
            best,
            best_x,
            nodes,
            limit,
            exact,
        );
        cur[k] = 0;
        if !*exact {
            return;
        }
    }
}

/// Continuous minimum of `s exp(-A) + cost(A)` over the given items (sorted
/// by `a / pi` descending, all `pi > 0`), ignoring the cap.
fn continuous_from(s: f64, items: &[Item], _room: u32) -> f64 {
    let mut s = s;
    let mut spent = 0.0;
    for it in items {
        if it.pi <= 0.0 {
            s *= libm::exp(-it.a * f64::from(it.max));
            spent += it.pi * f64::from(it.max);
            continue;
        }
        if it.a <= 0.0 {
            // Costs money, kills nothing: never worth buying.
            continue;
        }
        // Marginal: d/dx [s e^{-a x}] = -a s e^{-a x}; buy while a s e^{-a x} > pi.
        let slope = it.pi / it.a;
        if s <= slope {
            break;
        }
        let want = libm::log(s / slope) / it.a;
        let take = want.min(f64::from(it.max));
        s *= libm::exp(-it.a * take);
        spent += it.pi * take;
        if take < f64::from(it.max) {
            break;
        }
    }
    s + spent
}

/// Continuous relaxation of the whole per-target problem (a valid lower bound).
pub(crate) fn continuous_min(surv: f64, items: &[Item], cap: u32) -> f64 {
    continuous_from(surv, items, cap)
}

/// The convex relaxation of the log-transformed problem, by Frank-Wolfe:
/// minimise `f(x) = sum_j V_j exp(-sum_i a_ij x_ij) + lambda_c sum_ij c_i x_ij`
/// over real `x >= 0` with `sum_j x_ij = mu_i` (or `<=` when weapons may
/// hold). Target caps are dropped (a relaxation). At every iterate,
/// `f(x) + <grad f(x), s - x>` (with `s` the linear minimiser) is a valid
/// lower bound of the relaxation, hence of the problem.
///
/// Returns the best lower bound and dual prices (per type, the best marginal
/// gain of a copy at the last iterate), a good start for the Lagrangian.
pub(crate) fn frank_wolfe(
    s: &crate::state::State<'_>,
    start: &[u32],
    iterations: u32,
    control: &mut crate::solve::Control<'_>,
) -> (f64, Vec<f64>) {
    let (m, n) = (s.m, s.n);
    let a: Vec<f64> = s.q.iter().map(|q| (-libm::log(*q)).max(0.0)).collect();
    let value: Vec<f64> = s.p.targets.iter().map(|t| t.value).collect();
    let mut x: Vec<f64> = start.iter().map(|&c| f64::from(c)).collect();
    let mut kill = vec![0.0f64; n];
    for i in 0..m {
        for j in 0..n {
            kill[j] += a[i * n + j] * x[i * n + j];
        }
    }
    let may_hold = !s.must_fire_all();
    let mut best_lb = f64::NEG_INFINITY;
    let mut choice = vec![usize::MAX; m];
    for _ in 0..iterations {
        if !control.spend((m * n) as u64) {
            break;
        }
        let surv: Vec<f64> = (0..n).map(|j| value[j] * libm::exp(-kill[j])).collect();
        let f: f64 = surv.iter().sum::<f64>()
            + (0..m)
                .map(|i| s.unit_cost[i] * x[i * n..(i + 1) * n].iter().sum::<f64>())
                .sum::<f64>();
        // Linear minimiser: each type puts all its copies on its steepest target.
        let mut gx = 0.0;
        let mut gs = 0.0;
        for i in 0..m {
            let mu = f64::from(s.p.weapons[i].count);
            let mut best = (usize::MAX, 0.0f64);
            for j in 0..n {
                let g = -a[i * n + j] * surv[j] + s.unit_cost[i];
                gx += g * x[i * n + j];
                if best.0 == usize::MAX || g < best.1 {
                    best = (j, g);
                }
            }
            if may_hold && best.1 >= 0.0 {
                choice[i] = usize::MAX;
            } else {
                choice[i] = best.0;
                gs += best.1 * mu;
            }
        }
        let lb = f + gs - gx;
        best_lb = best_lb.max(lb);
        if f - lb <= 1e-12 * f.abs().max(1e-12) {
            break;
        }
        // Exact line search along d = s - x, by bisection on the derivative.
        let mut dkill = vec![0.0f64; n];
        let mut dcost = 0.0;
        for i in 0..m {
            let mu = f64::from(s.p.weapons[i].count);
            for j in 0..n {
                let target = if choice[i] == j { mu } else { 0.0 };
                let d = target - x[i * n + j];
                dkill[j] += a[i * n + j] * d;
                dcost += s.unit_cost[i] * d;
            }
        }
        let slope = |g: f64| -> f64 {
            (0..n)
                .map(|j| -dkill[j] * value[j] * libm::exp(-kill[j] - g * dkill[j]))
                .sum::<f64>()
                + dcost
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        if slope(1.0) <= 0.0 {
            lo = 1.0;
        } else {
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                if slope(mid) > 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
        }
        control.spend(40 * n as u64);
        let gamma = lo;
        if gamma <= 0.0 {
            break;
        }
        for i in 0..m {
            let mu = f64::from(s.p.weapons[i].count);
            for j in 0..n {
                let target = if choice[i] == j { mu } else { 0.0 };
                x[i * n + j] += gamma * (target - x[i * n + j]);
            }
        }
        for j in 0..n {
            kill[j] += gamma * dkill[j];
        }
    }
    // Prices: the best marginal gain of one more copy of each type.
    let surv: Vec<f64> = (0..n).map(|j| value[j] * libm::exp(-kill[j])).collect();
    let prices = (0..m)
        .map(|i| {
            (0..n)
                .map(|j| a[i * n + j] * surv[j] - s.unit_cost[i])
                .fold(0.0f64, f64::max)
        })
        .collect();
    (best_lb, prices)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over every count vector.
    fn brute(surv: f64, items: &[Item], cap: u32) -> f64 {
        fn rec(
            surv: f64,
            items: &[Item],
            cap: u32,
            k: usize,
            s: f64,
            spent: f64,
            used: u32,
        ) -> f64 {
            if k == items.len() {
                return s * surv + spent;
            }
            let mut best = f64::INFINITY;
            for c in 0..=items[k].max {
                if used + c > cap {
                    break;
                }
                let v = rec(
                    surv,
                    items,
                    cap,
                    k + 1,
                    s * libm::exp(-items[k].a * f64::from(c)),
                    spent + items[k].pi * f64::from(c),
                    used + c,
                );
                best = best.min(v);
            }
            best
        }
        rec(surv, items, cap, 0, 1.0, 0.0, 0)
    }

    #[test]
    fn per_target_search_is_exact_and_the_relaxation_is_below() {
        let mut state = 12345u64;
        let mut unit = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..3000 {
            let k = 1 + (unit() * 4.0) as usize;
            let mut items: Vec<Item> = (0..k)
                .map(|t| Item {
                    a: if unit() < 0.1 { 0.0 } else { unit() * 2.0 },
                    pi: unit() * 3.0 - 1.0,
                    max: (unit() * 4.0) as u32,
                    type_index: t,
                    key: 0.0,
                })
                .collect();
            let cap = (unit() * 6.0) as u32;
            let surv = unit() * 100.0;
            let truth = brute(surv, &items, cap);
            let mut x = Vec::new();
            let (v, exact, _) = target_min(surv, &mut items, cap, 1_000_000, &mut x);
            assert!(exact);
            assert!(
                (v - truth).abs() <= 1e-9 * truth.abs().max(1.0),
                "{v} vs {truth}"
            );
            // The counts found give the value found, within the cap.
            let used: u32 = x.iter().sum();
            assert!(used <= cap);
            let recomputed = surv
                * items
                    .iter()
                    .zip(&x)
                    .map(|(it, &c)| libm::exp(-it.a * f64::from(c)))
                    .product::<f64>()
                + items
                    .iter()
                    .zip(&x)
                    .map(|(it, &c)| it.pi * f64::from(c))
                    .sum::<f64>();
            assert!((recomputed - v).abs() <= 1e-9 * v.abs().max(1.0));
            assert!(continuous_min(surv, &items, cap) <= truth + 1e-9 * truth.abs().max(1.0));
        }
    }
}
