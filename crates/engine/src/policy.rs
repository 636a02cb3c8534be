//! Fire decisions: at each decision epoch the engine lists the shots that
//! are possible now, and a [`Policy`] chooses which to take. The policy is a
//! trait, so that a researcher can plug in their own.

use rampart_model::Policy as PolicyName;
use rampart_wta::{Exact, Firing, Greedy, Problem, Solver};

/// One threat that may be shot at now.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub threat: usize,
    /// Expected damage it would do if left alone: asset value x P(hit) x lethality.
    pub value: f64,
    /// Time left before it reaches its target, ms.
    pub time_to_impact: i64,
}

/// One effector that may fire now, with how many engagements it can start.
#[derive(Debug, Clone)]
pub struct Shooter {
    pub effector: usize,
    pub engagements: u32,
    /// Cost of one round, dollars.
    pub cost: f64,
}

/// One engagement possible now: shooter `shooter` at candidate `candidate`
/// (indices into the [`Decision`]), with the kill probability of the whole
/// engagement and the range to the intercept point, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pairing {
    pub shooter: usize,
    pub candidate: usize,
    pub pk: f64,
    pub distance: f64,
}

/// The choice to make at one epoch, sparse: `pairings` lists the possible
/// engagements, sorted by candidate and then shooter, at most one per
/// (shooter, candidate); a pair that is not listed cannot be engaged.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub now: i64,
    pub candidates: Vec<Candidate>,
    pub shooters: Vec<Shooter>,
    pub pairings: Vec<Pairing>,
    /// Weight of a round's cost (dollars) against averted damage (value
    /// units): the inverse of the cost rule's value unit, 0 without one.
    pub cost_weight: f64,
}

impl Decision {
    /// Empties the decision, keeping its buffers.
    pub fn clear(&mut self) {
        self.candidates.clear();
        self.shooters.clear();
        self.pairings.clear();
    }

    /// The pairings of candidate `c`, in shooter order.
    pub fn pairings_of(&self, c: usize) -> &[Pairing] {
        let lo = self.pairings.partition_point(|p| p.candidate < c);
        let hi = self.pairings.partition_point(|p| p.candidate <= c);
        &self.pairings[lo..hi]
    }
}

/// A chosen engagement: shooter index and candidate index into the [`Decision`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub shooter: usize,
    pub candidate: usize,
}

/// A fire-decision policy.
pub trait Policy {
    fn name(&self) -> &'static str;
    /// Appends the chosen engagements to `out` (which the caller empties and
    /// reuses): at most one per candidate, at most `engagements` per shooter,
    /// only listed pairings.
    fn choose_into(&self, decision: &Decision, out: &mut Vec<Choice>);

    /// The chosen engagements, in a new vector.
    fn choose(&self, decision: &Decision) -> Vec<Choice> {
        let mut out = Vec::new();
        self.choose_into(decision, &mut out);
        out
    }
}

/// The naive baseline: threats in order of time to impact, each taken by the
/// nearest shooter that can reach it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nearest;

impl Policy for Nearest {
    fn name(&self) -> &'static str {
        "nearest"
    }

    fn choose_into(&self, d: &Decision, out: &mut Vec<Choice>) {
        // Most epochs are small: their scratch lives on the stack.
        const SMALL: usize = 32;
        let (n, m) = (d.candidates.len(), d.shooters.len());
        if n <= SMALL && m <= SMALL {
            let (mut order, mut left) = ([0usize; SMALL], [0u32; SMALL]);
            nearest(d, &mut order[..n], &mut left[..m], out);
        } else {
            nearest(d, &mut vec![0; n], &mut vec![0; m], out);
        }
    }
}

/// `Nearest`'s choice, with scratch for the candidates' order and the
/// shooters' engagements left.
fn nearest(d: &Decision, order: &mut [usize], left: &mut [u32], out: &mut Vec<Choice>) {
    for (k, o) in order.iter_mut().enumerate() {
        *o = k;
    }
    // (time to impact, threat) is unique: an unstable sort is stable here.
    order.sort_unstable_by_key(|&c| (d.candidates[c].time_to_impact, d.candidates[c].threat));
    for (l, s) in left.iter_mut().zip(&d.shooters) {
        *l = s.engagements;
    }
    for &c in order.iter() {
        let mut best: Option<(usize, f64)> = None;
        for p in d.pairings_of(c) {
            if left[p.shooter] == 0 || p.pk <= 0.0 {
                continue;
            }
            if best.is_none_or(|(_, bd)| p.distance < bd) {
                best = Some((p.shooter, p.distance));
            }
        }
        if let Some((s, _)) = best {
            left[s] -= 1;
            out.push(Choice {
                shooter: s,
                candidate: c,
            });
        }
    }
}

/// Weapon-target assignment with `rampart-wta`: greedy maximum marginal return.
#[derive(Debug, Clone, Copy, Default)]
pub struct GreedyWta;

/// Weapon-target assignment with `rampart-wta`'s exact solver, under a fixed
/// (deterministic) work limit per epoch.
#[derive(Debug, Clone, Copy)]
pub struct OptimalWta {
    pub work_limit: u64,
}

impl Default for OptimalWta {
    fn default() -> Self {
        OptimalWta {
            work_limit: 200_000,
        }
    }
}

/// The WTA problem of one epoch: shooters are weapon types (one copy per
/// engagement they can start), candidates are targets, each target takes at
/// most one engagement now (shoot-look-shoot and salvos are the engine's).
/// Fails only on a pairing out of range (an engine bug: the epoch builds
/// them in range, with kill probabilities from validated tables).
fn wta_problem(d: &Decision) -> Result<Problem, rampart_wta::ProblemError> {
    let mut p = Problem::new();
    for s in &d.shooters {
        p.add_weapon_type(s.engagements, s.cost);
    }
    for c in &d.candidates {
        p.add_target_capped(c.value, Some(1));
    }
    for pr in &d.pairings {
        p.set_pk(pr.shooter, pr.candidate, pr.pk)?;
    }
    p.set_firing(Firing::MayHold);
    p.set_cost_weight(d.cost_weight);
    Ok(p)
}

/// The assignment `solve` gives the epoch's problem; if the decision cannot
/// be one (an engine bug, caught by the tests in a debug build), the
/// nearest rule's choices, so that a night still plays on.
fn solved_or_nearest(
    d: &Decision,
    out: &mut Vec<Choice>,
    solve: impl FnOnce(&Problem) -> rampart_wta::Solution,
) {
    match wta_problem(d) {
        Ok(p) => choices_from(d, &solve(&p).counts, out),
        Err(e) => {
            debug_assert!(false, "a decision that is no WTA problem: {e}");
            Nearest.choose_into(d, out);
        }
    }
}

/// The decision's only pairing, with its candidate's value and its round's
/// cost, when there is one and the shooter can start an engagement with a
/// chance of a kill (most epochs): the WTA answer is then one comparison.
fn lone_pairing(d: &Decision) -> Option<(Pairing, f64, f64)> {
    let [p] = d.pairings.as_slice() else {
        return None;
    };
    let shooter = d.shooters.get(p.shooter)?;
    let candidate = d.candidates.get(p.candidate)?;
    (shooter.engagements > 0 && p.pk > 0.0).then_some((*p, candidate.value, shooter.cost))
}

/// The chosen pairings, in (shooter, candidate) order.
fn choices_from(d: &Decision, counts: &[u32], out: &mut Vec<Choice>) {
    let n = d.candidates.len();
    let first = out.len();
    for p in &d.pairings {
        // A copy with no chance of a kill is a wasted round: skip it.
        if counts[p.shooter * n + p.candidate] > 0 && p.pk > 0.0 {
            out.push(Choice {
                shooter: p.shooter,
                candidate: p.candidate,
            });
        }
    }
    out[first..].sort_unstable_by_key(|c| (c.shooter, c.candidate));
}

impl Policy for GreedyWta {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn choose_into(&self, d: &Decision, out: &mut Vec<Choice>) {
        if d.candidates.is_empty() || d.shooters.is_empty() {
            return;
        }
        if let Some((p, value, cost)) = lone_pairing(d) {
            // What the greedy solver would answer, without building the problem.
            if rampart_wta::first_shot_delta(value, p.pk.clamp(0.0, 1.0), d.cost_weight, cost) < 0.0
            {
                out.push(Choice {
                    shooter: p.shooter,
                    candidate: p.candidate,
                });
            }
            return;
        }
        solved_or_nearest(d, out, |p| {
            Greedy.solve(p, &mut rampart_wta::Control::new(u64::MAX, None))
        });
    }
}

impl Policy for OptimalWta {
    fn name(&self) -> &'static str {
        "optimal"
    }

    fn choose_into(&self, d: &Decision, out: &mut Vec<Choice>) {
        if d.candidates.is_empty() || d.shooters.is_empty() {
            return;
        }
        if let Some((p, value, cost)) = lone_pairing(d) {
            // What the exact solver would answer, without building the problem.
            if rampart_wta::single_shot_gain(value, p.pk.clamp(0.0, 1.0), d.cost_weight, cost) > 0.0
            {
                out.push(Choice {
                    shooter: p.shooter,
                    candidate: p.candidate,
                });
            }
            return;
        }
        solved_or_nearest(d, out, |p| {
            Exact::default().solve(p, &mut rampart_wta::Control::new(self.work_limit, None))
        });
    }
}

/// The built-in policy a scenario names.
pub fn builtin(name: PolicyName) -> Box<dyn Policy> {
    match name {
        PolicyName::Nearest => Box::new(Nearest),
        PolicyName::Greedy => Box::new(GreedyWta),
        PolicyName::Optimal => Box::new(OptimalWta::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decision with one pairing: shooter 0 at candidate 0.
    fn lone(value: f64, pk: f64, cost: f64, cost_weight: f64) -> Decision {
        Decision {
            now: 0,
            candidates: vec![Candidate {
                threat: 7,
                value,
                time_to_impact: 60_000,
            }],
            shooters: vec![Shooter {
                effector: 3,
                engagements: 2,
                cost,
            }],
            pairings: vec![Pairing {
                shooter: 0,
                candidate: 0,
                pk,
                distance: 1_000.0,
            }],
            cost_weight,
        }
    }

    /// Regression: a pairing the WTA problem refused was dropped without a
    /// word (`let _ = set_pk`); the refusal is now an error of its own.
    #[test]
    fn a_pairing_out_of_range_is_an_error_not_a_silent_zero() {
        assert!(wta_problem(&lone(1.0, 0.5, 0.0, 0.0)).is_ok());
        let mut d = lone(1.0, 0.5, 0.0, 0.0);
        d.pairings[0].candidate = 1;
        assert!(wta_problem(&d).is_err());
        assert!(wta_problem(&lone(1.0, 1.5, 0.0, 0.0)).is_err());
    }

    /// The answer of a solver on the decision's WTA problem, built in full.
    fn by_problem(d: &Decision, solver: &dyn Solver) -> Vec<Choice> {
        let mut control = rampart_wta::Control::new(200_000, None);
        let mut out = Vec::new();
        choices_from(
            d,
            &solver
                .solve(&wta_problem(d).expect("a valid decision"), &mut control)
                .counts,
            &mut out,
        );
        out
    }

    /// The lone-pairing shortcut answers what the solvers answer, on a
    /// grid of values, kill chances and costs around the break-even point
    /// (value x pk = weight x cost) and at the edges.
    #[test]
    fn a_lone_pairing_is_decided_as_the_solvers_decide_it() {
        let mut fired = 0;
        let mut held = 0;
        for value in [0.0, 0.5, 1.0, 3.0, 10.0, 100.0] {
            for pk in [0.0, 1e-9, 0.1, 0.3, 0.5, 0.9, 1.0] {
                for cost in [0.0, 1e3, 3e5, 1e6, 4e6] {
                    for weight in [0.0, 1e-6] {
                        let d = lone(value, pk, cost, weight);
                        let greedy = GreedyWta.choose(&d);
                        assert_eq!(
                            greedy,
                            by_problem(&d, &Greedy),
                            "{value} {pk} {cost} {weight}"
                        );
                        let optimal = OptimalWta::default().choose(&d);
                        let exact = by_problem(&d, &Exact::default());
                        assert_eq!(optimal, exact, "{value} {pk} {cost} {weight}");
                        if greedy.is_empty() {
                            held += 1;
                        } else {
                            fired += 1;
                        }
                    }
                }
            }
        }
        assert!(fired > 50 && held > 50, "{fired} fired, {held} held");
    }

    /// Nearest takes threats by time to impact, each by the nearest shooter
    /// with an engagement left.
    #[test]
    fn nearest_takes_the_most_urgent_threat_first() {
        let mut d = lone(1.0, 0.5, 0.0, 0.0);
        d.candidates.push(Candidate {
            threat: 2,
            value: 1.0,
            time_to_impact: 30_000,
        });
        d.shooters[0].engagements = 1;
        d.shooters.push(Shooter {
            effector: 4,
            engagements: 1,
            cost: 0.0,
        });
        d.pairings = vec![
            Pairing {
                shooter: 0,
                candidate: 0,
                pk: 0.5,
                distance: 1_000.0,
            },
            Pairing {
                shooter: 0,
                candidate: 1,
                pk: 0.5,
                distance: 500.0,
            },
            Pairing {
                shooter: 1,
                candidate: 1,
                pk: 0.5,
                distance: 800.0,
            },
        ];
        // Candidate 1 (30 s) first, by shooter 0 (500 m); candidate 0 then
        // has no shooter left.
        assert_eq!(
            Nearest.choose(&d),
            vec![Choice {
                shooter: 0,
                candidate: 1
            }]
        );
    }
}
