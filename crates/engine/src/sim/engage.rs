//! The engagement handlers of the run: an interceptor reaching its threat,
//! a miss assessed, a reload done, a unit's channels and rounds, and the
//! start of an engagement.

use rampart_model::{EffectorRole, Millis, Point};

use super::{Engagement, KILL_ASSESSMENT_DELAY, Sim, UnitState, What};
use crate::ids::{EngagementId, ThreatId, UnitId};
use crate::results::{EventKind, Fate};
use crate::rng::{Purpose, pair};

impl Sim<'_, '_, '_> {
    pub(super) fn intercept(&mut self, t: Millis, e: EngagementId) {
        let eng = self.engagements[e.index()].clone();
        let u = eng.unit;
        let (i, ui) = (eng.threat.index(), u.index());
        let EffectorRole::Shooter(w) = &self.sc.effectors[ui].role else {
            return;
        };
        if w.mean_engagement_time.is_none() {
            self.change_unit(u, |unit| unit.free_channels += 1);
            self.changes.unit(u);
            self.decide_at(t);
        }
        if !self.threats[i].alive() {
            // The threat met another fate on the way: the rounds are spent.
            self.log(
                t,
                EventKind::Wasted {
                    threat: i,
                    effector: ui,
                },
            );
            return;
        }
        let class = self.night.threats[i].class;
        let pk = self.tables.pk[ui][class].unwrap_or(0.0);
        let killed = (0..eng.rounds).any(|r| {
            // Keyed by the threat and the shot's number, not by the unit:
            // two doctrines that fire different units see the same luck.
            self.night
                .streams
                .chance(Purpose::Kill, i as u64, u64::from(eng.first_shot + r), pk)
        });
        if killed {
            let fate = Fate::Killed {
                effector: ui,
                kind: self.sc.effectors[ui].kind,
                time: t,
                at: eng.at,
            };
            self.end_flight(eng.threat, fate);
            self.log(
                t,
                EventKind::Killed {
                    threat: i,
                    effector: ui,
                },
            );
            // Assessing a kill changes nothing: no event for it.
            return;
        }
        self.at(t + KILL_ASSESSMENT_DELAY, What::Assess(e));
    }

    pub(super) fn assess(&mut self, t: Millis, e: EngagementId) {
        let Engagement { unit, threat, .. } = self.engagements[e.index()];
        let s = &mut self.threats[threat.index()];
        s.busy = false;
        if s.alive() {
            self.log(
                t,
                EventKind::Missed {
                    threat: threat.index(),
                    effector: unit.index(),
                },
            );
            self.changes.threat(threat);
            self.decide_at(t);
        }
    }

    pub(super) fn reload_done(&mut self, t: Millis, u: UnitId) {
        if let EffectorRole::Shooter(w) = &self.sc.effectors[u.index()].role {
            let magazine = w.magazine;
            self.change_unit(u, |unit| {
                let need = magazine.saturating_sub(unit.rounds);
                let take = unit.depot.map_or(need, |d| d.min(need));
                unit.rounds += take;
                if let Some(d) = &mut unit.depot {
                    *d -= take;
                }
            });
        }
        self.units[u.index()].reloading = false;
        self.log(
            t,
            EventKind::Reloaded {
                effector: u.index(),
            },
        );
        self.changes.unit(u);
        self.decide_at(t);
    }

    /// Changes unit `u`'s channels or rounds, keeping the count of free units.
    pub(super) fn change_unit(&mut self, u: UnitId, f: impl FnOnce(&mut UnitState)) {
        let unit = &mut self.units[u.index()];
        let was = unit.free();
        f(unit);
        match (was, unit.free()) {
            (false, true) => self.free_units += 1,
            (true, false) => self.free_units -= 1,
            _ => {}
        }
    }

    /// Rounds unit `u` may spend on threat `i`, keeping the doctrine's reserves.
    #[inline]
    pub(crate) fn spendable(&self, u: UnitId, i: ThreatId) -> u32 {
        let keep = self.tables.keep[u.index()][self.threats[i.index()].class as usize];
        self.units[u.index()].rounds.saturating_sub(keep)
    }

    /// Starts an engagement of threat `i` by unit `u` now, meeting it at
    /// `ti` at `at` with `rounds` rounds.
    pub(crate) fn fire(
        &mut self,
        t: Millis,
        u: UnitId,
        i: ThreatId,
        ti: Millis,
        at: Point,
        rounds: u32,
    ) {
        let (ui, ii) = (u.index(), i.index());
        self.change_unit(u, |unit| {
            unit.free_channels -= 1;
            unit.rounds -= rounds;
        });
        self.shots_by_unit[ui] += u64::from(rounds);
        let first_shot = self.threats[ii].shots;
        self.threats[ii].shots += rounds;
        self.threats[ii].busy = true;
        self.index.add_fired(i, u, rounds);
        let e = EngagementId::new(self.engagements.len());
        self.engagements.push(Engagement {
            unit: u,
            threat: i,
            rounds,
            first_shot,
            at,
        });
        self.log(
            t,
            EventKind::Shot {
                threat: ii,
                effector: ui,
                rounds,
                intercept: ti,
            },
        );
        self.at(ti, What::Intercept(e));
        let EffectorRole::Shooter(w) = &self.sc.effectors[ui].role else {
            return;
        };
        if let Some(mean) = w.mean_engagement_time {
            let busy = self.night.streams.exponential(
                Purpose::EngagementTime,
                pair(ui, ii),
                u64::from(first_shot),
                mean as f64,
            );
            self.at(t + crate::whole::round(busy).max(1), What::ChannelFree(u));
        }
        // Reload once nothing is left but the rounds kept in reserve.
        let unit = &mut self.units[ui];
        if unit.rounds <= self.tables.max_keep[ui] && !unit.reloading && unit.depot != Some(0) {
            unit.reloading = true;
            self.at(t + w.reload_time, What::ReloadDone(u));
        }
    }
}
