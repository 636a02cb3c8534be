//! The rectangular linear assignment problem: `rows <= cols`, each row to
//! a distinct column, least total cost. Shortest augmenting paths with
//! dual potentials (the Hungarian method in the form of Jonker and
//! Volgenant's augmentation): one row at a time, a Dijkstra-like scan over
//! the columns on reduced costs, `O(rows^2 cols)` at worst.
//!
//! Costs may be `f64::INFINITY` (a forbidden pair), as long as some
//! assignment of finite cost exists; the local search's exchange move
//! always has one (every row's own column).

use crate::solve::Control;

/// Scratch buffers of the solver, kept from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct Lap {
    u: Vec<f64>,
    v: Vec<f64>,
    /// Per column (1-based, 0 a virtual column): its row, 1-based (0: none).
    row_of: Vec<usize>,
    way: Vec<usize>,
    min_to: Vec<f64>,
    used: Vec<bool>,
}

impl Lap {
    /// Solves the problem with `cost[r * cols + c]`, writing each row's
    /// column into `out`. Spends `cols` units of work per column scanned;
    /// returns false (and leaves `out` unspecified) if the budget ends first,
    /// or if no assignment of finite cost exists.
    pub(crate) fn solve(
        &mut self,
        rows: usize,
        cols: usize,
        cost: &[f64],
        out: &mut Vec<usize>,
        control: &mut Control<'_>,
    ) -> bool {
        debug_assert!(rows <= cols && cost.len() == rows * cols);
        let inf = f64::INFINITY;
        self.u.clear();
        self.u.resize(rows + 1, 0.0);
        self.v.clear();
        self.v.resize(cols + 1, 0.0);
        self.row_of.clear();
        self.row_of.resize(cols + 1, 0);
        self.way.clear();
        self.way.resize(cols + 1, 0);
        for r in 1..=rows {
            self.row_of[0] = r;
            let mut c0 = 0;
            self.min_to.clear();
            self.min_to.resize(cols + 1, inf);
            self.used.clear();
            self.used.resize(cols + 1, false);
            loop {
                if !control.spend(cols as u64) {
                    return false;
                }
                self.used[c0] = true;
                let r0 = self.row_of[c0];
                let row = &cost[(r0 - 1) * cols..r0 * cols];
                let mut delta = inf;
                let mut c1 = 0;
                for c in 1..=cols {
                    if self.used[c] {
                        continue;
                    }
                    let reduced = row[c - 1] - self.u[r0] - self.v[c];
                    if reduced < self.min_to[c] {
                        self.min_to[c] = reduced;
                        self.way[c] = c0;
                    }
                    if self.min_to[c] < delta {
                        delta = self.min_to[c];
                        c1 = c;
                    }
                }
                if c1 == 0 || !delta.is_finite() {
                    // Nothing reachable at finite cost.
                    return false;
                }
                for c in 0..=cols {
                    if self.used[c] {
                        self.u[self.row_of[c]] += delta;
                        self.v[c] -= delta;
                    } else {
                        self.min_to[c] -= delta;
                    }
                }
                c0 = c1;
                if self.row_of[c0] == 0 {
                    break;
                }
            }
            // Augment along the path back to the virtual column.
            loop {
                let c1 = self.way[c0];
                self.row_of[c0] = self.row_of[c1];
                c0 = c1;
                if c0 == 0 {
                    break;
                }
            }
        }
        out.clear();
        out.resize(rows, usize::MAX);
        for c in 1..=cols {
            let r = self.row_of[c];
            if r != 0 {
                out[r - 1] = c - 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(rows: usize, cols: usize, cost: &[f64]) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut control = Control::new(u64::MAX, None);
        Lap::default()
            .solve(rows, cols, cost, &mut out, &mut control)
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

    #[test]
    fn against_brute_force_on_random_rectangles() {
        let mut rand = crate::test_uniforms(7);
        for case in 0..300 {
            let cols = 1 + case % 7;
            let rows = 1 + (case / 7) % cols;
            let cost: Vec<f64> = (0..rows * cols)
                .map(|_| {
                    let c = rand();
                    // Some forbidden pairs, some negative costs.
                    if c < 0.15 {
                        f64::INFINITY
                    } else {
                        10.0 * c - 4.0
                    }
                })
                .collect();
            let want = brute_force(rows, cols, &cost);
            match solve(rows, cols, &cost) {
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
                    assert!((got - want).abs() < 1e-9, "case {case}: {got} vs {want}");
                }
                None => assert!(want.is_infinite(), "case {case}: {want} exists"),
            }
        }
    }

    #[test]
    fn a_spent_budget_stops_it() {
        let cost = vec![1.0, 2.0, 3.0, 4.0];
        let mut out = Vec::new();
        let mut control = Control::new(1, None);
        assert!(!Lap::default().solve(2, 2, &cost, &mut out, &mut control));
    }
}
