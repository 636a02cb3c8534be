//! The rectangular linear assignment problem by the auction algorithm
//! (Bertsekas 1988), for large sparse problems where a near-optimal answer
//! is enough: `rows <= cols`, each row to a distinct column among those it
//! may take ([`Costs`], row by row), least total cost, within `cols * eps`
//! of the optimum.
//!
//! The problem is made square by `cols - rows` padding rows of cost zero on
//! every column (so the columns left over go to them, as in the rectangular
//! problem; a padding row's bid takes the cheapest column from a heap of
//! prices, not a scan). Unassigned rows bid in turn for their best column
//! at current prices, by the gap to their second best plus `eps`, evicting its holder;
//! at the end every row is assigned and within `eps` of its best column
//! (eps-complementary slackness), so the total is within `cols * eps` of
//! the optimum. `eps` starts large and shrinks five-fold per round with the
//! prices kept (eps-scaling), which makes the bidding wars short. Unlike
//! shortest augmenting paths, copies of one weapon type (equal rows) cost
//! little: their bids settle on distinct columns at once. A bid costs the
//! length of its row: a row of a few candidate columns is cheap however
//! many columns there are.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::solve::Control;

const NONE: usize = usize::MAX;

/// The least `eps`, as a share of the largest cost.
const RESOLUTION: f64 = 1e-10;

/// A sparse assignment problem, built row by row: the columns each row may
/// take, with their costs (a pair left out is forbidden). Kept from one
/// call to the next for its buffers.
#[derive(Debug, Default, Clone)]
pub(crate) struct Costs {
    cols: usize,
    /// Row `r`'s entries are `entries[start[r]..start[r + 1]]`.
    start: Vec<usize>,
    entries: Vec<(u32, f64)>,
}

impl Costs {
    /// Empties the problem, with `cols` columns and no rows yet.
    pub(crate) fn reset(&mut self, cols: usize) {
        self.cols = cols;
        self.start.clear();
        self.start.push(0);
        self.entries.clear();
    }

    /// Lets the row being built take column `c` at `cost`; a cost that is
    /// not finite forbids the pair (it is left out).
    pub(crate) fn push(&mut self, c: usize, cost: f64) {
        debug_assert!(c < self.cols);
        if cost.is_finite() {
            self.entries.push((c as u32, cost));
        }
    }

    /// Ends the row being built (the next `push` starts another).
    pub(crate) fn end_row(&mut self) {
        self.start.push(self.entries.len());
    }

    pub(crate) fn rows(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Row `r`'s columns and costs.
    pub(crate) fn row(&self, r: usize) -> &[(u32, f64)] {
        &self.entries[self.start[r]..self.start[r + 1]]
    }

    /// An `eps` of `share` times the average size of the costs (and above
    /// zero): how the callers say how close to the optimum they need the
    /// answer.
    pub(crate) fn eps(&self, share: f64) -> f64 {
        let sum: f64 = self.entries.iter().map(|&(_, c)| c.abs()).sum();
        (share * sum / self.entries.len().max(1) as f64).max(f64::MIN_POSITIVE)
    }
}

/// Marks the promising pairs of a dense `rows x cols` matrix (`delta[r *
/// cols + c]`; not finite: forbidden) in `keep` (as long): each row's `k`
/// least finite entries and each column's, ties by index. How a caller
/// turns a dense problem into a sparse one where every column that must
/// be taken keeps some rows that want it. `scratch` is a buffer.
pub(crate) fn mark_promising(
    delta: &[f64],
    (rows, cols): (usize, usize),
    k: usize,
    keep: &mut [bool],
    scratch: &mut Vec<(f64, usize)>,
) {
    debug_assert!(delta.len() == rows * cols && keep.len() == rows * cols);
    for r in 0..rows {
        let row = (0..cols).map(|c| (delta[r * cols + c], c));
        for c in least(row, k, scratch) {
            keep[r * cols + c] = true;
        }
    }
    for c in 0..cols {
        let column = (0..rows).map(|r| (delta[r * cols + c], r));
        for r in least(column, k, scratch) {
            keep[r * cols + c] = true;
        }
    }
}

/// The indices of the `k` least finite costs among `entries` (cost,
/// index; indices increasing), all of them if there are fewer, ties by
/// index. One pass: once `2k` are held, the `k` least are kept, and a
/// later entry must cost less than the greatest of them (an equal cost
/// comes with a greater index), so most entries cost one comparison.
/// `buf` is a buffer.
pub(crate) fn least<'b>(
    entries: impl Iterator<Item = (f64, usize)>,
    k: usize,
    buf: &'b mut Vec<(f64, usize)>,
) -> impl Iterator<Item = usize> + 'b {
    let by = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    buf.clear();
    if k > 0 {
        let mut bound = f64::INFINITY;
        for (cost, index) in entries {
            // -0.0 as 0.0: the bound's `<` and the selection's `total_cmp`
            // then order every cost alike.
            let e = (cost + 0.0, index);
            // Not finite (forbidden) or not below the bound: left out.
            if e.0 < bound && e.0.is_finite() {
                buf.push(e);
                if buf.len() == 2 * k {
                    buf.select_nth_unstable_by(k - 1, by);
                    buf.truncate(k);
                    bound = buf.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
                }
            }
        }
        if buf.len() > k {
            buf.select_nth_unstable_by(k - 1, by);
            buf.truncate(k);
        }
    }
    buf.iter().map(|e| e.1)
}

/// Scratch buffers, kept from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct Auction {
    price: Vec<f64>,
    owner: Vec<usize>,
    assigned: Vec<usize>,
    queue: Vec<usize>,
    /// With padding rows: the columns by price, least first, with stale
    /// entries (a price raised since) skipped when they come up. Prices
    /// start at zero and only rise, never negative, so their bits order
    /// them.
    cheap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Auction {
    /// Solves `costs` to within `cols * eps` of the least total cost (`eps`
    /// raised to `RESOLUTION` times the largest cost if below it), writing
    /// each row's column into `out`. Spends a unit of work per entry a bid
    /// reads (a padding row's, per entry of a heap of prices); returns false (and leaves `out`
    /// unspecified) if the budget ends first or if no assignment exists.
    pub(crate) fn solve(
        &mut self,
        costs: &Costs,
        eps: f64,
        out: &mut Vec<usize>,
        control: &mut Control<'_>,
    ) -> bool {
        let (rows, cols) = (costs.rows(), costs.cols);
        debug_assert!(rows <= cols);
        if rows > cols {
            return false;
        }
        let (lo, hi) = costs
            .entries
            .iter()
            .fold((0.0f64, 0.0f64), |(lo, hi), &(_, c)| (lo.min(c), hi.max(c)));
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
            let padded = rows < cols;
            if padded {
                let mut heap = std::mem::take(&mut self.cheap).into_vec();
                heap.clear();
                heap.extend((0..cols).map(|c| Reverse((self.price[c].to_bits(), c as u32))));
                self.cheap = BinaryHeap::from(heap);
            }
            while let Some(r) = self.queue.pop() {
                let bid = if r < rows {
                    self.best_two(costs.row(r), control)
                } else {
                    self.cheapest_two(control)
                };
                let Some((c1, gap)) = bid else {
                    return false;
                };
                let raised = self.price[c1] + gap + step;
                let evicted = self.owner[c1];
                // A price past the ceiling, or an eviction that cannot raise
                // the price (too large for `step`, by rounding), would never
                // settle.
                if raised > ceiling || (raised <= self.price[c1] && evicted != NONE) {
                    return false;
                }
                // (A price that rounding left unchanged keeps its entry.)
                if padded && raised.to_bits() != self.price[c1].to_bits() {
                    self.cheap.push(Reverse((raised.to_bits(), c1 as u32)));
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

    /// A row's best column at current prices and the gap to its second
    /// best (0 with a single column); `None` if it has no column or the
    /// budget ends.
    fn best_two(&self, row: &[(u32, f64)], control: &mut Control<'_>) -> Option<(usize, f64)> {
        if !control.spend(row.len().max(1) as u64) {
            return None;
        }
        let (mut v1, mut v2, mut c1) = (f64::NEG_INFINITY, f64::NEG_INFINITY, NONE);
        for &(c, k) in row {
            let v = -k - self.price[c as usize];
            if v > v1 {
                (v2, v1, c1) = (v1, v, c as usize);
            } else if v > v2 {
                v2 = v;
            }
        }
        if c1 == NONE || !v1.is_finite() {
            return None;
        }
        Some((c1, if v2.is_finite() { v1 - v2 } else { 0.0 }))
    }

    /// A padding row's bid (cost zero on every column): the cheapest
    /// column (the first of equal prices) and the gap to the next
    /// cheapest, from the heap; a unit of work per entry taken off.
    fn cheapest_two(&mut self, control: &mut Control<'_>) -> Option<(usize, f64)> {
        let first = self.fresh_top(control)?;
        let (p1, c1) = (f64::from_bits(first.0.0), first.0.1);
        self.cheap.pop();
        let second = self.fresh_top(control).map(|e| f64::from_bits(e.0.0));
        self.cheap.push(first);
        if control.stopped() {
            return None;
        }
        Some((c1 as usize, second.map_or(0.0, |p2| p2 - p1)))
    }

    /// The heap's least entry that is not stale (stale ones are dropped).
    fn fresh_top(&mut self, control: &mut Control<'_>) -> Option<Reverse<(u64, u32)>> {
        loop {
            if !control.spend(1) {
                return None;
            }
            let top = *self.cheap.peek()?;
            let Reverse((bits, c)) = top;
            if self.price[c as usize].to_bits() == bits {
                return Some(top);
            }
            self.cheap.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass selection keeps the same entries as a full sort by
    /// (cost, index) of the finite ones, with many ties and forbidden
    /// entries, for every `k` up to past the length.
    #[test]
    fn least_keeps_what_a_full_sort_keeps() {
        let mut rand = crate::test_uniforms(3);
        let mut buf = Vec::new();
        for case in 0..2_000 {
            let len = case % 70;
            let entries: Vec<(f64, usize)> = (0..len)
                .map(|i| {
                    let cost = match (rand() * 8.0) as u32 {
                        0 => f64::INFINITY,
                        1 => f64::NAN,
                        // Few distinct values: ties.
                        2..=4 => (rand() * 4.0).floor() - 2.0,
                        _ => rand() - 0.5,
                    };
                    (cost, i)
                })
                .collect();
            let mut sorted: Vec<(f64, usize)> = entries
                .iter()
                .copied()
                .filter(|e| e.0.is_finite())
                .collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for k in [0, 1, 2, 3, 5, 8, 32, 80] {
                let mut got: Vec<usize> = least(entries.iter().copied(), k, &mut buf).collect();
                got.sort_unstable();
                let mut want: Vec<usize> = sorted.iter().take(k).map(|e| e.1).collect();
                want.sort_unstable();
                assert_eq!(got, want, "case {case}, k {k}");
            }
        }
    }

    /// `cost[r * cols + c]`, `f64::INFINITY` for a forbidden pair.
    fn costs(rows: usize, cols: usize, cost: &[f64]) -> Costs {
        let mut costs = Costs::default();
        costs.reset(cols);
        for r in 0..rows {
            for c in 0..cols {
                costs.push(c, cost[r * cols + c]);
            }
            costs.end_row();
        }
        costs
    }

    fn solve(rows: usize, cols: usize, cost: &[f64], eps: f64) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut control = Control::new(u64::MAX, None);
        Auction::default()
            .solve(&costs(rows, cols, cost), eps, &mut out, &mut control)
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

    /// Few rows, many columns: the padding rows' bids come from the heap
    /// of prices, so the work stays far below one scan of every column per
    /// padding row (297 x 300 = 89,100 a round), and the answer matches
    /// the best column of each row when their best columns differ.
    #[test]
    fn padding_rows_bid_without_scanning_every_column() {
        let (rows, cols) = (3, 300);
        let mut rand = crate::test_uniforms(17);
        let mut cost: Vec<f64> = (0..rows * cols).map(|_| 1.0 + rand()).collect();
        for r in 0..rows {
            cost[r * cols + 100 * r + 7] = 0.0;
        }
        let mut out = Vec::new();
        let mut control = Control::new(u64::MAX, None);
        let solved =
            Auction::default().solve(&costs(rows, cols, &cost), 1e-9, &mut out, &mut control);
        assert!(solved);
        assert_eq!(out, vec![7, 107, 207]);
        assert!(control.work() < 89_100, "{} units", control.work());
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
        let cost = costs(2, 2, &[1.0, 2.0, 3.0, 4.0]);
        let mut out = Vec::new();
        let mut control = Control::new(1, None);
        assert!(!Auction::default().solve(&cost, 1e-3, &mut out, &mut control));
    }
}
