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
}

/// Exact minimum of `S exp(-sum a_i x_i) + sum pi_i x_i` over integer
/// `0 <= x_i <= max_i` (and `sum x_i <= cap`), or a lower bound of it when
/// the search exceeds `node_limit`. Returns (value, x per item, exact?).
pub(crate) fn target_min(
    surv: f64,
    items: &mut [Item],
    cap: u32,
    node_limit: u64,
    x: &mut Vec<u32>,
) -> (f64, bool) {
    x.clear();
    x.resize(items.len(), 0);
    // Free or paid-for-by-the-multiplier items (pi <= 0) are always worth firing.
    let mut s = surv;
    let mut base = 0.0;
    let mut room = cap;
    // Sort: free items first, then by kill per price, best first.
    items.sort_by(|u, v| {
        let ku = if u.pi <= 0.0 {
            f64::INFINITY
        } else {
            u.a / u.pi
        };
        let kv = if v.pi <= 0.0 {
            f64::INFINITY
        } else {
            v.a / v.pi
        };
        kv.total_cmp(&ku).then(u.type_index.cmp(&v.type_index))
    });
    for (k, it) in items.iter().enumerate() {
        if it.pi <= 0.0 && it.a > 0.0 && room > 0 {
            let take = it.max.min(room);
            x[k] = take;
            room -= take;
            s *= (-it.a * f64::from(take)).exp();
            base += it.pi * f64::from(take);
        }
    }
    let first_paid = items
        .iter()
        .position(|it| it.pi > 0.0)
        .unwrap_or(items.len());
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
        (best, true)
    } else {
        // The search did not finish: fall back to the continuous relaxation,
        // which is a valid lower bound.
        let lb = continuous_min(surv, items, cap);
        (lb.min(best), false)
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
        let s2 = s * (-it.a * f64::from(c)).exp();
        let spent2 = spent + it.pi * f64::from(c);
        if spent2 >= *best {
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
        if it.a <= 0.0 {
            continue;
        }
        if it.pi <= 0.0 {
            s *= (-it.a * f64::from(it.max)).exp();
            spent += it.pi * f64::from(it.max);
            continue;
        }
        // Marginal: d/dx [s e^{-a x}] = -a s e^{-a x}; buy while a s e^{-a x} > pi.
        let slope = it.pi / it.a;
        if s <= slope {
            break;
        }
        let want = (s / slope).ln() / it.a;
        let take = want.min(f64::from(it.max));
        s *= (-it.a * take).exp();
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
