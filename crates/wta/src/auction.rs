//! The rectangular linear assignment problem by the auction algorithm
//! (Bertsekas 1988), for large dense problems where a near-optimal answer
//! is enough: `rows <= cols`, each row to a distinct column, least total
//! cost, within `cols * eps` of the optimum.
//!
//! The problem is made square by `cols - rows` padding rows of cost zero
//! (so the columns left over go to them, as in the rectangular problem).
//! Unassigned rows bid in turn for their best column at current prices, by
//! the gap to their second best plus `eps`, evicting its holder; at the end
//! every row is assigned and within `eps` of its best column
//! (eps-complementary slackness), so the total is within `cols * eps` of
//! the optimum. `eps` starts large and shrinks five-fold per round with the
//! prices kept (eps-scaling), which makes the bidding wars short. Unlike
//! shortest augmenting paths, copies of one weapon type (equal rows) cost
//! little: their bids settle on distinct columns at once.

use crate::solve::Control;

const NONE: usize = usize::MAX;

/// The least `eps`, as a share of the largest cost.
const RESOLUTION: f64 = 1e-10;

/// An `eps` of `share` times the average size of the finite costs (and
/// above zero): how the callers say how close to the optimum they need
/// the answer.
pub(crate) fn eps_of(cost: &[f64], share: f64) -> f64 {
    let finite = cost.iter().filter(|c| c.is_finite());
    let (sum, count) = finite.fold((0.0, 0usize), |(s, n), c| (s + c.abs(), n + 1));
    (share * sum / count.max(1) as f64).max(f64::MIN_POSITIVE)
}

/// Scratch buffers, kept from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct Auction {
    price: Vec<f64>,
    owner: Vec<usize>,
    assigned: Vec<usize>,
    queue: Vec<usize>,
}

impl Auction {
    /// Solves the problem with `cost[r * cols + c]` (`f64::INFINITY`: a
    /// forbidden pair) to within `cols * eps` of the least total cost (`eps`
    /// raised to `RESOLUTION` times the largest cost if below it),
    /// writing each row's column into `out`. Spends `cols` units of work per
    /// bid; returns false (and leaves `out` unspecified) if the budget ends
    /// first or if no assignment of finite cost exists.
    pub(crate) fn solve(
        &mut self,
        rows: usize,
        cols: usize,
        cost: &[f64],
        eps: f64,
        out: &mut Vec<usize>,
        control: &mut Control<'_>,
    ) -> bool {
        debug_assert!(rows <= cols && cost.len() == rows * cols && eps > 0.0);
        let finite = || cost.iter().copied().filter(|c| c.is_finite());
        let (lo, hi) = finite().fold((0.0f64, 0.0f64), |(lo, hi), c| (lo.min(c), hi.max(c)));
        let range = hi - lo;
        // Below this share of the largest cost, prices (sums of costs) stop
        // telling bids apart: ties by rounding would never settle.
        let eps = eps
            .max(RESOLUTION * lo.abs().max(hi.abs()))
            .max(f64::MIN_POSITIVE);
        self.price.clear();
        self.price.resize(cols, 0.0);
        self.owner.resize(cols, NONE);
        let mut step = (range / 4.0).max(eps);
        loop {
            // In a feasible problem no price climbs, within one round, more
            // than about `cols` times the cost range: a higher one means
            // some rows cannot all be placed.
            let top = self.price.iter().copied().fold(0.0f64, f64::max);
            let ceiling = top + 2.0 * (cols as f64 + 1.0) * (range + step);
            self.owner.iter_mut().for_each(|o| *o = NONE);
            self.assigned.clear();
            self.assigned.resize(cols, NONE);
            self.queue.clear();
            self.queue.extend((0..cols).rev());
            while let Some(r) = self.queue.pop() {
                if !control.spend(cols as u64) {
                    return false;
                }
                let row = (r < rows).then(|| &cost[r * cols..(r + 1) * cols]);
                let (mut v1, mut v2, mut c1) = (f64::NEG_INFINITY, f64::NEG_INFINITY, NONE);
                for c in 0..cols {
                    let v = -row.map_or(0.0, |row| row[c]) - self.price[c];
                    if v > v1 {
                        (v2, v1, c1) = (v1, v, c);
                    } else if v > v2 {
                        v2 = v;
                    }
                }
                if c1 == NONE || !v1.is_finite() {
                    return false;
                }
                let gap = if v2.is_finite() { v1 - v2 } else { 0.0 };
                let raised = self.price[c1] + gap + step;
                let evicted = self.owner[c1];
                // A price past the ceiling, or an eviction that cannot raise
                // the price (too large for `step`, by rounding), would never
                // settle.
                if raised > ceiling || (raised <= self.price[c1] && evicted != NONE) {
                    return false;
                }
                self.price[c1] = raised;
                if evicted != NONE {
                    self.assigned[evicted] = NONE;
                    self.queue.push(evicted);
                }
                self.owner[c1] = r;
                self.assigned[r] = c1;
            }
            if step <= eps {
                break;
            }
            step = (step / 5.0).max(eps);
        }
        out.clear();
        out.extend_from_slice(&self.assigned[..rows]);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(rows: usize, cols: usize, cost: &[f64], eps: f64) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut control = Control::new(u64::MAX, None);
        Auction::default()
            .solve(rows, cols, cost, eps, &mut out, &mut control)
            .then_some(out)
    }

    /// Every injective map of rows to columns, the least total cost.
    fn brute_force(rows: usize, cols: usize, cost: &[f64]) -> f64 {
        fn go(r: usize, rows: usize, cols: usize, cost: &[f64], used: &mut [bool]) -> f64 {
            if r == rows {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for c in 0..cols {
                if !used[c] {
                    used[c] = true;
                    best = best.min(cost[r * cols + c] + go(r + 1, rows, cols, cost, used));
                    used[c] = false;
                }
            }
            best
        }
        go(0, rows, cols, cost, &mut vec![false; cols])
    }

    /// Within `cols * eps` of the brute-force optimum, columns distinct;
    /// refused exactly when no assignment of finite cost exists. Equal rows
    /// (copies of a weapon type) among them.
    #[test]
    fn within_cols_times_eps_of_brute_force() {
        let mut rand = crate::test_uniforms(11);
        for case in 0..300 {
            let cols = 1 + case % 7;
            let rows = 1 + (case / 7) % cols;
            let mut cost: Vec<f64> = (0..rows * cols)
                .map(|_| {
                    let c = rand();
                    if c < 0.15 {
                        f64::INFINITY
                    } else {
                        10.0 * c - 7.0
                    }
                })
                .collect();
            if case % 3 == 0 && rows > 1 {
                let (first, rest) = cost.split_at_mut(cols);
                rest[..cols].copy_from_slice(first);
            }
            let eps = if case % 2 == 0 { 1e-6 } else { 1e-2 };
            let want = brute_force(rows, cols, &cost);
            match solve(rows, cols, &cost, eps) {
                Some(out) => {
                    let mut seen = vec![false; cols];
                    for &c in &out {
                        assert!(!seen[c], "case {case}: column {c} twice");
                        seen[c] = true;
                    }
                    let got: f64 = out
                        .iter()
                        .enumerate()
                        .map(|(r, &c)| cost[r * cols + c])
                        .sum();
                    assert!(
                        got <= want + cols as f64 * eps + 1e-9,
                        "case {case}: {got} vs {want}"
                    );
                }
                None => assert!(want.is_infinite(), "case {case}: {want} exists"),
            }
        }
    }

    #[test]
    fn an_impossible_problem_is_refused() {
        // Two rows that may only take column 0.
        let inf = f64::INFINITY;
        let cost = vec![1.0, inf, inf, 2.0, inf, inf];
        assert_eq!(solve(2, 3, &cost, 1e-3), None);
    }

    /// An `eps` far below the costs' resolution: equal rows still settle
    /// on distinct columns (the step is raised to what prices can tell
    /// apart), and an impossible problem is still refused.
    #[test]
    fn an_eps_below_the_costs_resolution_still_settles() {
        let cost = vec![1e20, 1e20, 1e20, 1e20];
        let out = solve(2, 2, &cost, 1e-10).expect("two rows, two columns");
        assert_ne!(out[0], out[1]);
        let inf = f64::INFINITY;
        let cost = vec![1e20, inf, 1e20, inf];
        assert_eq!(solve(2, 2, &cost, 1e-10), None);
    }

    #[test]
    fn a_spent_budget_stops_it() {
        let cost = vec![1.0, 2.0, 3.0, 4.0];
        let mut out = Vec::new();
        let mut control = Control::new(1, None);
        assert!(!Auction::default().solve(2, 2, &cost, 1e-3, &mut out, &mut control));
    }
}
