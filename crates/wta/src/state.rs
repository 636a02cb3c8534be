//! An assignment under construction, with the per-target survival kept current.

use crate::problem::{Firing, Problem};

/// Smallest survival probability kept: a kill probability of exactly 1 is
/// held as a survival of 1e-300, far below any value the objective can
/// resolve, so that logarithms stay finite. Ratios by small survivals are
/// not taken: see [`State::surv_without`].
pub(crate) const Q_MIN: f64 = 1e-300;

#[derive(Debug, Clone)]
pub(crate) struct State<'p> {
    pub p: &'p Problem,
    pub m: usize,
    pub n: usize,
    /// Copies per (type, target), `x[i * n + j]`.
    pub x: Vec<u32>,
    /// Value-weighted survival of each target: `V_j prod_i q_ij^x_ij`.
    pub surv: Vec<f64>,
    /// Weapons on each target.
    pub load: Vec<u32>,
    /// Copies of each type not yet assigned.
    pub left: Vec<u32>,
    /// Survival probabilities `q = 1 - p`, clamped away from 0.
    pub q: Vec<f64>,
    /// Cost term of one copy of each type: `cost_weight * cost_i`.
    pub unit_cost: Vec<f64>,
    /// The weapon types present on each target, each once however many of
    /// its copies are there (any order).
    pub holders: Vec<Vec<usize>>,
    /// Copies placed beyond a type's count (only while repairing a relaxation).
    pub over: Vec<u32>,
}

impl<'p> State<'p> {
    pub fn empty(p: &'p Problem) -> Self {
        let (m, n) = (p.weapon_types(), p.targets());
        State {
            p,
            m,
            n,
            x: vec![0; m * n],
            surv: p.targets.iter().map(|t| t.value).collect(),
            load: vec![0; n],
            left: p.weapons.iter().map(|w| w.count).collect(),
            q: p.pk.iter().map(|&pk| (1.0 - pk).max(Q_MIN)).collect(),
            unit_cost: p.weapons.iter().map(|w| p.cost_weight * w.cost).collect(),
            holders: vec![Vec::new(); n],
            over: vec![0; m],
        }
    }

    pub fn from_counts(p: &'p Problem, x: &[u32]) -> Self {
        let mut s = State::empty(p);
        for i in 0..s.m {
            for j in 0..s.n {
                let c = x[i * s.n + j];
                s.x[i * s.n + j] = c;
                s.left[i] -= c;
                s.load[j] += c;
                if c > 0 {
                    s.holders[j].push(i);
                }
            }
        }
        for j in 0..s.n {
            s.refresh(j);
        }
        s
    }

    /// A state from counts that may place more copies than a type has
    /// (`left` goes negative in effect: see [`State::placed`]); targets' caps
    /// are respected by the caller. Used to repair relaxed solutions.
    pub fn from_counts_clamped(p: &'p Problem, x: &[u32]) -> Self {
        let mut s = State::empty(p);
        for i in 0..s.m {
            let mut placed = 0u32;
            for j in 0..s.n {
                let c = x[i * s.n + j];
                if c > 0 {
                    s.x[i * s.n + j] = c;
                    s.load[j] += c;
                    s.holders[j].push(i);
                    placed += c;
                }
            }
            s.left[i] = p.weapons[i].count.saturating_sub(placed);
            s.over[i] = placed.saturating_sub(p.weapons[i].count);
        }
        for j in 0..s.n {
            s.refresh(j);
        }
        s
    }

    /// Copies of type `i` on targets.
    pub fn placed(&self, i: usize) -> u32 {
        self.p.weapons[i].count + self.over[i] - self.left[i]
    }

    #[inline]
    pub fn q(&self, i: usize, j: usize) -> f64 {
        self.q[i * self.n + j]
    }

    /// Whether target `j` can take one more weapon.
    #[inline]
    pub fn has_room(&self, j: usize) -> bool {
        self.p.targets[j]
            .max_weapons
            .is_none_or(|cap| self.load[j] < cap)
    }

    /// Recomputes the survival of target `j` from the counts (no drift).
    pub fn refresh(&mut self, j: usize) {
        let mut s = self.p.targets[j].value;
        for i in 0..self.m {
            let c = self.x[i * self.n + j];
            if c > 0 {
                s *= libm::pow(self.q[i * self.n + j], f64::from(c));
            }
        }
        self.surv[j] = s;
    }

    /// Change of the objective if one copy of `i` is added to `j`.
    #[inline]
    pub fn add_delta(&self, i: usize, j: usize) -> f64 {
        self.surv[j] * (self.q(i, j) - 1.0) + self.unit_cost[i]
    }

    /// Value-weighted survival of `j` without one copy of `i` (which it must hold).
    #[inline]
    pub fn surv_without(&self, i: usize, j: usize) -> f64 {
        let q = self.q(i, j);
        if q > 1e-100 {
            return self.surv[j] / q;
        }
        // A near-certain kill: recompute rather than divide by a tiny number.
        let mut s = self.p.targets[j].value;
        for k in 0..self.m {
            let c = self.x[k * self.n + j] - u32::from(k == i);
            if c > 0 {
                s *= libm::pow(self.q[k * self.n + j], f64::from(c));
            }
        }
        s
    }

    /// Change of the objective if one copy of `i` leaves `j`.
    #[inline]
    pub fn remove_delta(&self, i: usize, j: usize) -> f64 {
        self.surv_without(i, j) - self.surv[j] - self.unit_cost[i]
    }

    pub fn add(&mut self, i: usize, j: usize) {
        if self.x[i * self.n + j] == 0 {
            self.holders[j].push(i);
        }
        self.x[i * self.n + j] += 1;
        self.left[i] -= 1;
        self.load[j] += 1;
        self.surv[j] *= self.q(i, j);
    }

    pub fn remove(&mut self, i: usize, j: usize) {
        self.x[i * self.n + j] -= 1;
        if self.x[i * self.n + j] == 0 {
            self.drop_holder(i, j);
        }
        if self.over[i] > 0 {
            self.over[i] -= 1;
        } else {
            self.left[i] += 1;
        }
        self.load[j] -= 1;
        self.refresh(j);
    }

    fn drop_holder(&mut self, i: usize, j: usize) {
        if let Some(pos) = self.holders[j].iter().position(|&h| h == i) {
            self.holders[j].remove(pos);
        }
    }

    /// Sets the copies of `i` on `j` (keeping loads, holders and survival right).
    pub fn set_count(&mut self, i: usize, j: usize, c: u32) {
        let cur = self.x[i * self.n + j];
        if cur == c {
            return;
        }
        if cur == 0 {
            self.holders[j].push(i);
        } else if c == 0 {
            self.drop_holder(i, j);
        }
        self.x[i * self.n + j] = c;
        self.left[i] = self.left[i] + cur - c;
        self.load[j] = self.load[j] + c - cur;
        self.refresh(j);
    }

    /// The objective as tracked (clamped q); the reported one is recomputed exactly.
    pub fn tracked_objective(&self) -> f64 {
        let cost: f64 = (0..self.m)
            .map(|i| f64::from(self.p.weapons[i].count - self.left[i]) * self.unit_cost[i])
            .sum();
        self.surv.iter().sum::<f64>() + cost
    }

    pub fn must_fire_all(&self) -> bool {
        self.p.firing == Firing::AllWeapons
    }
}
