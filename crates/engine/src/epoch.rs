//! The decision epoch: collect the threats whose engagements may have
//! changed, list every engagement possible now, let the policy choose, and
//! start the chosen engagements.
//!
//! An epoch looks at the threats that changed since the last one (a new
//! track with a window open, a miss assessed, a window opening or coming
//! into reach), the
//! threats open on the units that changed (a channel freed, a reload), and
//! the threats left *pending* by earlier epochs: those that had a window
//! open on a free unit and were not engaged (held by the policy or the cost
//! rule, or with their intercept point out of reach). Every other threat
//! has no possible engagement now, so the epoch decides exactly as one that
//! scanned every threat would (the reference loop in the tests does that,
//! and the two are compared event for event).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rampart_model::{EffectorRole, Millis, Point};

use crate::ids::{ThreatId, UnitId};
use crate::index::Window;
use crate::policy::{Candidate, Choice, Decision, Pairing, Shooter};
use crate::sim::Sim;
use crate::value::{LATER_MISS_FLOOR, urgency_below_until, weighted_value};

/// One engagement the epoch found possible.
#[derive(Debug, Clone, Copy)]
struct Pair {
    unit: UnitId,
    /// Index into the decision's candidates.
    candidate: usize,
    /// Kill probability of the whole engagement (all its rounds).
    pk: f64,
    /// Range from the unit to the intercept point, m.
    distance: f64,
    intercept: Millis,
    at: Point,
    rounds: u32,
}

/// What a threat's windows say at one time.
#[derive(Debug, Clone, Copy)]
struct WindowState {
    /// Chance that the units whose windows open later all miss: a shot now
    /// averts only the damage they would not avert anyway.
    later_miss: f64,
    /// The next opening of a window, if any (`Millis::MAX`).
    next_open: Millis,
}

/// What changed since the last epoch: the handlers mark it, the next
/// epoch looks at it.
#[derive(Debug)]
pub(crate) struct Changes {
    /// Threats that changed (may repeat).
    threats: Vec<ThreatId>,
    /// Units that changed.
    units: Vec<UnitId>,
    unit_marked: Vec<bool>,
}

impl Changes {
    pub(crate) fn new(units: usize) -> Self {
        Changes {
            threats: Vec::new(),
            units: Vec::new(),
            unit_marked: vec![false; units],
        }
    }

    /// Nothing changed: for a new night with `units` units.
    pub(crate) fn restart(&mut self, units: usize) {
        self.threats.clear();
        self.units.clear();
        self.unit_marked.clear();
        self.unit_marked.resize(units, false);
    }

    /// Threat `i` may have a new engagement possible: look at it next epoch.
    pub(crate) fn threat(&mut self, i: ThreatId) {
        self.threats.push(i);
    }

    /// Unit `u` may be able to fire again: look at its open threats next epoch.
    pub(crate) fn unit(&mut self, u: UnitId) {
        if !self.unit_marked[u.index()] {
            self.unit_marked[u.index()] = true;
            self.units.push(u);
        }
    }
}

/// What an epoch works with, kept from one epoch to the next so that the
/// steady state allocates nothing.
#[derive(Debug)]
pub(crate) struct EpochScratch {
    /// Threats with a window open on a free unit and not engaged.
    pending: Vec<ThreatId>,
    next_pending: Vec<ThreatId>,
    /// Pending threats the cost rule holds, by the time it may let go:
    /// they wait here, not in `pending`, until then.
    held: BinaryHeap<Reverse<(Millis, ThreatId)>>,
    /// Per threat: the last epoch that collected it.
    seen: Vec<u32>,
    /// Per threat: the last epoch that collected it as changed.
    changed: Vec<u32>,
    stamp: u32,
    collected: Vec<ThreatId>,
    candidates: Vec<ThreatId>,
    pairs: Vec<Pair>,
    decision: Decision,
    /// Per pairing of the decision: its pair.
    plan: Vec<usize>,
    /// Per unit: its shooter index in the decision, while building it.
    shooter_of: Vec<usize>,
    choices: Vec<Choice>,
    taken: Vec<bool>,
    units: Vec<UnitId>,
}

impl EpochScratch {
    pub(crate) fn new(threats: usize, units: usize) -> Self {
        EpochScratch {
            pending: Vec::new(),
            next_pending: Vec::new(),
            held: BinaryHeap::new(),
            seen: vec![0; threats],
            changed: vec![0; threats],
            stamp: 0,
            collected: Vec::new(),
            candidates: Vec::new(),
            pairs: Vec::new(),
            decision: Decision::default(),
            plan: Vec::new(),
            shooter_of: vec![usize::MAX; units],
            choices: Vec::new(),
            taken: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Empties every buffer for a new night of `threats` threats and `units`
    /// units, keeping their memory.
    pub(crate) fn restart(&mut self, threats: usize, units: usize) {
        self.pending.clear();
        self.next_pending.clear();
        self.held.clear();
        self.seen.clear();
        self.seen.resize(threats, 0);
        self.changed.clear();
        self.changed.resize(threats, 0);
        self.stamp = 0;
        self.collected.clear();
        self.candidates.clear();
        self.pairs.clear();
        self.decision.clear();
        self.plan.clear();
        self.shooter_of.clear();
        self.shooter_of.resize(units, usize::MAX);
        self.choices.clear();
        self.taken.clear();
        self.units.clear();
    }

    fn collect(&mut self, i: ThreatId) {
        if self.seen[i.index()] != self.stamp {
            self.seen[i.index()] = self.stamp;
            self.collected.push(i);
        }
    }

    /// Collects `i` because it or one of its units changed: it is looked
    /// at even if the cost rule held it.
    fn collect_changed(&mut self, i: ThreatId) {
        self.collect(i);
        self.changed[i.index()] = self.stamp;
    }
}

impl Sim<'_, '_, '_> {
    pub(crate) fn decide(&mut self, t: Millis) {
        // The scratch leaves `self` for the epoch (a pointer moves, not the buffers).
        let Some(mut ep) = self.epoch.take() else {
            return;
        };
        self.collect(t, &mut ep);
        self.evaluate(t, &mut ep);
        self.work.epochs += 1;
        if !ep.pairs.is_empty() {
            self.work.decisions += 1;
            self.build_decision(t, &mut ep);
            ep.choices.clear();
            self.policy.choose_into(&ep.decision, &mut ep.choices);
            self.apply(t, &mut ep);
            // A pending threat whose free units all fired now waits for one
            // of them to free again (which looks at it anyway).
            let mut pending = std::mem::take(&mut ep.pending);
            pending.retain(|&i| self.could_fire_at(i, t));
            ep.pending = pending;
        }
        self.epoch = Some(ep);
    }

    /// Whether an epoch at `t` with nothing changed would look at any
    /// threat: one left pending, or one the cost rule held until now.
    pub(crate) fn epoch_has_pending(&self, t: Millis) -> bool {
        self.epoch.as_ref().is_some_and(|ep| {
            !ep.pending.is_empty()
                || ep
                    .held
                    .peek()
                    .is_some_and(|&Reverse((until, _))| until <= t)
        })
    }

    /// Whether threat `i` has a window open at `t` on a free unit with
    /// rounds to spare below the shot limit: the condition for staying
    /// pending (see `evaluate`).
    fn could_fire_at(&self, i: ThreatId, t: Millis) -> bool {
        if !self.threats[i.index()].engageable() {
            return false;
        }
        self.index.of(i).any(|(_, w)| self.rounds_now(&w, i, t) > 0)
    }

    /// Rounds window `w`'s unit could fire at threat `i` at `t`: none unless
    /// the window is open, the unit free and below the doctrine's shot
    /// limit; then a salvo, or what it may spend short of its reserves.
    #[inline]
    fn rounds_now(&self, w: &Window, i: ThreatId, t: Millis) -> u32 {
        if !w.is_open(t) || !self.units[w.unit.index()].free() {
            return 0;
        }
        let (salvo, most) = self.tables.fire[self.threats[i.index()].class as usize];
        if self.index.fired(w) >= most {
            return 0;
        }
        salvo.min(self.spendable(w.unit, i))
    }

    /// The threats to look at: changed, pending, or open on a changed unit
    /// that is free; in threat order.
    fn collect(&mut self, t: Millis, ep: &mut EpochScratch) {
        ep.stamp = ep.stamp.wrapping_add(1);
        if ep.stamp == 0 {
            ep.seen.iter_mut().for_each(|s| *s = u32::MAX);
            ep.changed.iter_mut().for_each(|s| *s = u32::MAX);
            ep.stamp = 1;
        }
        ep.collected.clear();
        let any_free = self.free_units > 0;
        let changed_threats = std::mem::take(&mut self.changes.threats);
        let changed_units = std::mem::take(&mut self.changes.units);
        if any_free {
            for &i in &changed_threats {
                ep.collect_changed(i);
            }
            for k in 0..ep.pending.len() {
                let i = ep.pending[k];
                ep.collect(i);
            }
            while let Some(&Reverse((until, i))) = ep.held.peek() {
                if until > t {
                    break;
                }
                ep.held.pop();
                ep.collect(i);
            }
        }
        let mut open = std::mem::take(&mut ep.candidates);
        for &u in &changed_units {
            self.changes.unit_marked[u.index()] = false;
            if !self.units[u.index()].free() {
                continue;
            }
            let threats = &self.threats;
            open.clear();
            self.index.scan_unit(
                u,
                t,
                |i| {
                    let s = &threats[i.index()];
                    !s.alive() || s.discriminated
                },
                |i| threats[i.index()].engageable(),
                &mut open,
            );
            for &i in &open {
                ep.collect_changed(i);
            }
        }
        ep.candidates = open;
        self.changes.threats = changed_threats;
        self.changes.threats.clear();
        self.changes.units = changed_units;
        self.changes.units.clear();
        ep.collected.sort_unstable();
    }

    /// Every engagement possible now for the collected threats, in threat
    /// order and, for each, in window order; and the new pending set.
    fn evaluate(&mut self, t: Millis, ep: &mut EpochScratch) {
        ep.pairs.clear();
        ep.candidates.clear();
        ep.next_pending.clear();
        let cost_rule = self.sc.doctrine.cost_rule;
        for &i in &ep.collected {
            if !self.threats[i.index()].engageable() {
                continue;
            }
            if ep.changed[i.index()] != ep.stamp && t < self.threats[i.index()].held_until {
                // Nothing changed, and the cost rule refuses every shot
                // at it until then.
                ep.next_pending.push(i);
                continue;
            }
            self.work.threats_evaluated += 1;
            let flight = self.night.flight(&self.night.threats[i.index()]);
            let Some(ws) = self.window_state(i, t) else {
                continue;
            };
            let later_miss = ws.later_miss;
            let value = weighted_value(
                self.threats[i.index()].value,
                flight.arrival(),
                t,
                later_miss,
            );
            let c = ep.candidates.len();
            let first_pair = ep.pairs.len();
            let mut free_open = false;
            let mut cheapest_kill = f64::INFINITY;
            for (_, w) in self.index.of(i) {
                let rounds = self.rounds_now(&w, i, t);
                if rounds == 0 {
                    continue;
                }
                let (u, p1) = (w.unit, w.pk1);
                let eff = &self.sc.effectors[u.index()];
                let EffectorRole::Shooter(wpn) = &eff.role else {
                    continue;
                };
                // From here on the pair may become possible with no event
                // of its own (the threat comes into reach, its value grows
                // past the cost rule): the threat stays pending. The shot
                // limit never lifts, and rounds come back only with a
                // reload, which looks at the unit again.
                free_open = true;
                cheapest_kill = cheapest_kill.min(wpn.cost_per_shot / p1);
                let p_eng = engagement_pk(p1, rounds);
                let cost = wpn.cost_per_shot * f64::from(rounds);
                if let Some(rule) = cost_rule {
                    let averted = value * p_eng * rule.value_unit;
                    if cost > rule.max_ratio * averted {
                        continue;
                    }
                }
                let launch = t + wpn.reaction_time;
                let Some((ti, at)) = flight.intercept(eff.position, launch, wpn.interceptor_speed)
                else {
                    continue;
                };
                let range = at.distance(eff.position);
                if ti >= flight.arrival() || range < wpn.min_range {
                    continue;
                }
                if range > wpn.max_range || !wpn.reaches_altitude(flight.altitude(ti)) {
                    // Not in reach yet (too far, or still above the unit's
                    // ceiling): the window's `Reach` event, or a later
                    // epoch while it is pending, comes back to it.
                    continue;
                }
                ep.pairs.push(Pair {
                    unit: u,
                    candidate: c,
                    pk: p_eng,
                    distance: range,
                    intercept: ti,
                    at,
                    rounds,
                });
            }
            if ep.pairs.len() > first_pair {
                ep.candidates.push(i);
                ep.decision.candidates.push(Candidate {
                    threat: i.index(),
                    value,
                    time_to_impact: flight.arrival() - t,
                });
            }
            if free_open {
                let held = self
                    .cost_rule_holds_until(i, ws.later_miss, cheapest_kill)
                    .min(ws.next_open);
                self.threats[i.index()].held_until = held;
                if held > t {
                    ep.held.push(Reverse((held, i)));
                } else {
                    ep.next_pending.push(i);
                }
            }
        }
        std::mem::swap(&mut ep.pending, &mut ep.next_pending);
    }

    /// What the windows of `i` say at `t`, when some window is open
    /// (`None` otherwise).
    fn window_state(&self, i: ThreatId, t: Millis) -> Option<WindowState> {
        let mut open = false;
        let mut ws = WindowState {
            later_miss: 1.0,
            next_open: Millis::MAX,
        };
        for (_, w) in self.index.of(i) {
            if t > w.to {
                continue;
            }
            if t < w.from {
                ws.later_miss *= 1.0 - w.pk1;
                ws.next_open = ws.next_open.min(w.from);
            } else {
                open = true;
            }
        }
        open.then_some(ws)
    }

    /// A time before which the cost rule refuses every shot at threat `i`
    /// by the units that could fire at it now (open window, free, rounds to
    /// spare, below the shot limit), while its later-miss chance stays
    /// `later_miss` (until a window opens). Anything else that could change
    /// that (a unit freed or reloaded, a miss assessed) makes the next epoch
    /// look at the threat anyway. A shot with
    /// `r` rounds costs `r c` for a kill chance at most `r p1`, so it is
    /// refused while `c / p1 > max_ratio x value x value_unit` for the
    /// cheapest `c / p1` (`cheapest_kill`); the value grows only with urgency,
    /// `1 + URGENCY / (URGENCY + tti)`, which gives the time. Kept a little
    /// early, so that rounding can only make an epoch look, never skip.
    fn cost_rule_holds_until(&self, i: ThreatId, later_miss: f64, cheapest_kill: f64) -> Millis {
        let Some(rule) = self.sc.doctrine.cost_rule else {
            return Millis::MIN;
        };
        let s = &self.threats[i.index()];
        let best = s.value * later_miss.max(LATER_MISS_FLOOR) * rule.max_ratio * rule.value_unit;
        // Urgency needed for the cheapest shot to pass, between 1 and 2.
        let need = cheapest_kill / best * (1.0 - 1e-9);
        let threat = &self.night.threats[i.index()];
        urgency_below_until(self.night.flight(threat).arrival(), need)
    }

    /// The policy's view: candidates (already listed), shooters in unit
    /// order, and one pairing per (candidate, shooter), the last pair of a
    /// unit standing where a threat has two windows open on it.
    fn build_decision(&mut self, t: Millis, ep: &mut EpochScratch) {
        let d = &mut ep.decision;
        d.now = t;
        d.shooters.clear();
        d.pairings.clear();
        d.cost_weight = self
            .sc
            .doctrine
            .cost_rule
            .map_or(0.0, |rule| 1.0 / rule.value_unit);
        let units = &mut ep.units;
        units.clear();
        units.extend(ep.pairs.iter().map(|p| p.unit));
        units.sort_unstable();
        units.dedup();
        for (s, &u) in units.iter().enumerate() {
            ep.shooter_of[u.index()] = s;
            let cost = match &self.sc.effectors[u.index()].role {
                EffectorRole::Shooter(w) => w.cost_per_shot,
                EffectorRole::Jammer(_) => 0.0,
            };
            d.shooters.push(Shooter {
                effector: u.index(),
                engagements: self.units[u.index()].free_channels,
                cost,
            });
        }
        ep.plan.clear();
        for (k, p) in ep.pairs.iter().enumerate() {
            let pairing = Pairing {
                shooter: ep.shooter_of[p.unit.index()],
                candidate: p.candidate,
                pk: p.pk,
                distance: p.distance,
            };
            match d.pairings.last_mut() {
                Some(last)
                    if last.candidate == pairing.candidate && last.shooter == pairing.shooter =>
                {
                    *last = pairing;
                    if let Some(plan) = ep.plan.last_mut() {
                        *plan = k;
                    }
                }
                _ => {
                    d.pairings.push(pairing);
                    ep.plan.push(k);
                }
            }
        }
        for &u in units.iter() {
            ep.shooter_of[u.index()] = usize::MAX;
        }
    }

    /// Starts the chosen engagements, in the policy's order, each only if
    /// its threat is not taken yet and its unit still has a channel and the
    /// rounds.
    fn apply(&mut self, t: Millis, ep: &mut EpochScratch) {
        let n_c = ep.decision.candidates.len();
        ep.taken.clear();
        ep.taken.resize(n_c, false);
        for k in 0..ep.choices.len() {
            let choice = ep.choices[k];
            if choice.shooter >= ep.decision.shooters.len() || choice.candidate >= n_c {
                continue;
            }
            let all = &ep.decision.pairings;
            let lo = all.partition_point(|p| p.candidate < choice.candidate);
            let hi = all.partition_point(|p| p.candidate <= choice.candidate);
            let Some(at) = all[lo..hi].iter().position(|p| p.shooter == choice.shooter) else {
                continue;
            };
            let p = ep.pairs[ep.plan[lo + at]];
            let (u, i) = (p.unit, ep.candidates[p.candidate]);
            if ep.taken[p.candidate]
                || self.units[u.index()].free_channels == 0
                || self.spendable(u, i) < p.rounds
            {
                continue;
            }
            ep.taken[p.candidate] = true;
            self.fire(t, u, i, p.intercept, p.at, p.rounds);
        }
        ep.decision.clear();
    }
}

/// Kill probability of an engagement of `rounds` independent rounds:
/// `1 - (1 - p1)^rounds` (one round, the common case, without `pow`, which
/// returns its argument exactly for an exponent of one).
fn engagement_pk(p1: f64, rounds: u32) -> f64 {
    if rounds == 1 {
        1.0 - (1.0 - p1)
    } else {
        1.0 - libm::pow(1.0 - p1, f64::from(rounds))
    }
}
