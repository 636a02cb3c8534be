//! The static weapon-target assignment problem, built without a solver.

use serde::{Deserialize, Serialize};

/// Whether every weapon copy must be assigned, or may be held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Firing {
    /// Every copy goes to some target: sum_j x_ij = mu_i (the classic problem).
    #[default]
    AllWeapons,
    /// Copies may hold fire: sum_j x_ij <= mu_i (cost-aware decisions).
    MayHold,
}

/// A type of weapon with `count` identical copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeaponType {
    pub count: u32,
    /// Cost of firing one copy (in the units of the objective, scaled by `cost_weight`).
    #[serde(default)]
    pub cost: f64,
}

/// A target of some value, optionally with a cap on the weapons it may receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub value: f64,
    /// At most this many weapons may be assigned to the target (a salvo limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weapons: Option<u32>,
}

/// Index of a weapon type.
pub type WeaponId = usize;
/// Index of a target.
pub type TargetId = usize;

/// What is wrong with a problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemError {
    #[error(
        "kill probability {p} of weapon type {weapon} against target {target} is not in [0, 1]"
    )]
    Probability {
        weapon: WeaponId,
        target: TargetId,
        p: f64,
    },
    #[error("target {target} has value {value}; values must be finite and >= 0")]
    Value { target: TargetId, value: f64 },
    #[error("weapon type {weapon} has cost {cost}; costs must be finite and >= 0")]
    Cost { weapon: WeaponId, cost: f64 },
    #[error("cost weight {value} must be finite and >= 0")]
    CostWeight { value: f64 },
    #[error("the target values sum to {total}, which is not a finite number")]
    ValueSum { total: f64 },
    #[error("{what} index {index} is out of range (there are {len})")]
    Index {
        what: &'static str,
        index: usize,
        len: usize,
    },
    #[error(
        "every weapon must fire, but the targets' caps take only {capacity} of {weapons} weapons"
    )]
    Capacity { capacity: u64, weapons: u64 },
}

/// A static WTA instance:
/// minimise `sum_j V_j prod_i (1 - p_ij)^x_ij + cost_weight * sum_ij c_i x_ij`.
///
/// Build it without a solver, then solve it with [`Problem::using`]:
///
/// ```
/// use rampart_wta::{Problem, Greedy, Status};
/// let mut p = Problem::new();
/// let gun = p.add_weapon_type(2, 0.0);
/// let a = p.add_target(10.0);
/// let b = p.add_target(5.0);
/// p.set_pk(gun, a, 0.5).unwrap();
/// p.set_pk(gun, b, 0.5).unwrap();
/// let s = p.using(Greedy).solve().unwrap();
/// assert_eq!(s.status, Status::Heuristic);
/// // Identical weapons: greedy is optimal (both on the big target is 2.5 + 5 = 7.5;
/// // one each is 5 + 2.5 = 7.5; greedy finds 7.5).
/// assert!((s.objective - 7.5).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub(crate) weapons: Vec<WeaponType>,
    pub(crate) targets: Vec<Target>,
    /// Kill probabilities, row-major by weapon type: `pk[i * n + j]`.
    pub(crate) pk: Vec<f64>,
    pub(crate) cost_weight: f64,
    pub(crate) firing: Firing,
}

impl Default for Problem {
    fn default() -> Self {
        Self::new()
    }
}

impl Problem {
    pub fn new() -> Self {
        Problem {
            weapons: Vec::new(),
            targets: Vec::new(),
            pk: Vec::new(),
            cost_weight: 0.0,
            firing: Firing::AllWeapons,
        }
    }

    /// A problem from dense data: `pk[i][j]` for weapon type `i`, target `j`.
    pub fn from_dense(
        counts: &[u32],
        values: &[f64],
        pk: &[Vec<f64>],
    ) -> Result<Self, ProblemError> {
        let mut p = Problem::new();
        for &c in counts {
            p.add_weapon_type(c, 0.0);
        }
        for &v in values {
            p.add_target(v);
        }
        for (i, row) in pk.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                p.set_pk(i, j, x)?;
            }
        }
        p.validate()?;
        Ok(p)
    }

    /// Adds a weapon type with `count` identical copies and a cost per shot.
    pub fn add_weapon_type(&mut self, count: u32, cost: f64) -> WeaponId {
        let n = self.targets.len();
        self.weapons.push(WeaponType { count, cost });
        self.pk.extend(std::iter::repeat_n(0.0, n));
        self.weapons.len() - 1
    }

    /// Adds a target of `value`.
    pub fn add_target(&mut self, value: f64) -> TargetId {
        self.add_target_capped(value, None)
    }

    /// Adds a target that may receive at most `max_weapons` weapons.
    pub fn add_target_capped(&mut self, value: f64, max_weapons: Option<u32>) -> TargetId {
        let old_n = self.targets.len();
        self.targets.push(Target { value, max_weapons });
        let m = self.weapons.len();
        let mut pk = Vec::with_capacity(m * (old_n + 1));
        for i in 0..m {
            pk.extend_from_slice(&self.pk[i * old_n..(i + 1) * old_n]);
            pk.push(0.0);
        }
        self.pk = pk;
        old_n
    }

    pub fn set_pk(
        &mut self,
        weapon: WeaponId,
        target: TargetId,
        p: f64,
    ) -> Result<(), ProblemError> {
        self.check_index(weapon, target)?;
        if !(0.0..=1.0).contains(&p) {
            return Err(ProblemError::Probability { weapon, target, p });
        }
        let n = self.targets.len();
        self.pk[weapon * n + target] = p;
        Ok(())
    }

    /// Weight of the cost term (lambda): 0 ignores costs.
    pub fn set_cost_weight(&mut self, lambda: f64) -> &mut Self {
        self.cost_weight = lambda;
        self
    }

    pub fn set_firing(&mut self, firing: Firing) -> &mut Self {
        self.firing = firing;
        self
    }

    fn check_index(&self, weapon: WeaponId, target: TargetId) -> Result<(), ProblemError> {
        if weapon >= self.weapons.len() {
            return Err(ProblemError::Index {
                what: "weapon type",
                index: weapon,
                len: self.weapons.len(),
            });
        }
        if target >= self.targets.len() {
            return Err(ProblemError::Index {
                what: "target",
                index: target,
                len: self.targets.len(),
            });
        }
        Ok(())
    }

    /// Checks values, costs, probabilities and capacity.
    pub fn validate(&self) -> Result<(), ProblemError> {
        for (j, t) in self.targets.iter().enumerate() {
            if !t.value.is_finite() || t.value < 0.0 {
                return Err(ProblemError::Value {
                    target: j,
                    value: t.value,
                });
            }
        }
        for (i, w) in self.weapons.iter().enumerate() {
            if !w.cost.is_finite() || w.cost < 0.0 {
                return Err(ProblemError::Cost {
                    weapon: i,
                    cost: w.cost,
                });
            }
        }
        if !self.cost_weight.is_finite() || self.cost_weight < 0.0 {
            return Err(ProblemError::CostWeight {
                value: self.cost_weight,
            });
        }
        let total: f64 = self.targets.iter().map(|t| t.value).sum();
        if !total.is_finite() {
            return Err(ProblemError::ValueSum { total });
        }
        let n = self.targets.len();
        for (k, &p) in self.pk.iter().enumerate() {
            if !(0.0..=1.0).contains(&p) {
                return Err(ProblemError::Probability {
                    weapon: k / n.max(1),
                    target: k % n.max(1),
                    p,
                });
            }
        }
        if self.firing == Firing::AllWeapons {
            let weapons = self.total_weapons();
            let capacity: u64 = if self.targets.iter().all(|t| t.max_weapons.is_some()) {
                self.targets
                    .iter()
                    .map(|t| u64::from(t.max_weapons.unwrap_or(0)))
                    .sum()
            } else {
                u64::MAX
            };
            if weapons > 0 && (n == 0 || capacity < weapons) {
                return Err(ProblemError::Capacity {
                    capacity: if n == 0 { 0 } else { capacity },
                    weapons,
                });
            }
        }
        Ok(())
    }

    pub fn weapon_types(&self) -> usize {
        self.weapons.len()
    }

    pub fn targets(&self) -> usize {
        self.targets.len()
    }

    pub fn weapon(&self, i: WeaponId) -> &WeaponType {
        &self.weapons[i]
    }

    pub fn target(&self, j: TargetId) -> &Target {
        &self.targets[j]
    }

    pub fn pk(&self, i: WeaponId, j: TargetId) -> f64 {
        self.pk[i * self.targets.len() + j]
    }

    pub fn cost_weight(&self) -> f64 {
        self.cost_weight
    }

    pub fn firing(&self) -> Firing {
        self.firing
    }

    /// Total number of weapon copies.
    pub fn total_weapons(&self) -> u64 {
        self.weapons.iter().map(|w| u64::from(w.count)).sum()
    }

    /// Whether every kill probability depends on the target only (identical
    /// weapons): then greedy maximum marginal return is optimal.
    pub fn has_identical_weapons(&self) -> bool {
        let n = self.targets.len();
        (1..self.weapons.len()).all(|i| self.pk[i * n..(i + 1) * n] == self.pk[..n])
            && self.weapons.iter().all(|w| w.cost == self.weapons[0].cost)
    }

    /// The objective of an assignment given as counts `x[i * n + j]`.
    pub fn objective_of_counts(&self, x: &[u32]) -> f64 {
        let n = self.targets.len();
        let mut survive = 0.0;
        for (j, t) in self.targets.iter().enumerate() {
            let mut s = t.value;
            for i in 0..self.weapons.len() {
                let c = x[i * n + j];
                if c > 0 {
                    s *= libm::pow(1.0 - self.pk[i * n + j], f64::from(c));
                }
            }
            survive += s;
        }
        let mut cost = 0.0;
        if self.cost_weight > 0.0 {
            for (i, w) in self.weapons.iter().enumerate() {
                let used: u64 = x[i * n..(i + 1) * n].iter().map(|&c| u64::from(c)).sum();
                cost += w.cost * used as f64;
            }
        }
        survive + self.cost_weight * cost
    }

    /// Checks that counts respect weapon counts, firing rule and target caps.
    pub fn is_feasible(&self, x: &[u32]) -> bool {
        let n = self.targets.len();
        if x.len() != self.weapons.len() * n {
            return false;
        }
        for (i, w) in self.weapons.iter().enumerate() {
            let used: u64 = x[i * n..(i + 1) * n].iter().map(|&c| u64::from(c)).sum();
            let ok = match self.firing {
                Firing::AllWeapons => used == u64::from(w.count),
                Firing::MayHold => used <= u64::from(w.count),
            };
            if !ok {
                return false;
            }
        }
        self.targets.iter().enumerate().all(|(j, t)| {
            t.max_weapons.is_none_or(|cap| {
                (0..self.weapons.len())
                    .map(|i| u64::from(x[i * n + j]))
                    .sum::<u64>()
                    <= u64::from(cap)
            })
        })
    }

    /// Starts a solve of this problem with `solver`.
    pub fn using<S: crate::Solver>(&self, solver: S) -> crate::SolveRequest<'_, S> {
        crate::SolveRequest::new(self, solver)
    }
}
