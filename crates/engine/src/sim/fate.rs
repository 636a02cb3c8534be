//! The handlers by which a threat meets a fate other than a kill: its
//! jammer defeats it, it runs out of endurance, or it arrives (and hits or
//! misses its target).

use rampart_model::Millis;

use super::Sim;
use crate::ids::ThreatId;
use crate::results::{EventKind, Fate};
use crate::rng::Purpose;
use crate::value::damage_per_hit;

impl Sim<'_, '_, '_> {
    /// The threat meets a fate: its `Arrive` event is no longer needed.
    pub(super) fn end_flight(&mut self, i: ThreatId, fate: Fate) {
        self.fates[i.index()] = Some(fate);
        self.threats[i.index()].ended = true;
        if let Some(key) = self.plans[i.index()].arrive.take() {
            self.queue.cancel(key);
        }
    }

    pub(super) fn jam(&mut self, t: Millis, i: ThreatId) {
        let alive = self.threats[i.index()].alive();
        let Some(j) = self.plans[i.index()].jammer.filter(|_| alive) else {
            return;
        };
        self.end_flight(
            i,
            Fate::Jammed {
                effector: j.index(),
                time: t,
            },
        );
        self.log(
            t,
            EventKind::Jammed {
                threat: i.index(),
                effector: j.index(),
            },
        );
    }

    pub(super) fn expire(&mut self, t: Millis, i: ThreatId) {
        if !self.threats[i.index()].alive() {
            return;
        }
        let class = self.night.class(&self.night.threats[i.index()]);
        let fate = if class.decoy {
            Fate::DecoyExpired
        } else {
            Fate::FellShort
        };
        self.end_flight(i, fate);
        self.log(t, EventKind::Expired { threat: i.index() });
    }

    pub(super) fn arrive(&mut self, t: Millis, i: ThreatId) {
        if !self.threats[i.index()].alive() {
            return;
        }
        self.plans[i.index()].arrive = None;
        let threat = &self.night.threats[i.index()];
        let class = self.night.class(threat);
        if class.decoy {
            self.end_flight(i, Fate::DecoyExpired);
            self.log(t, EventKind::Expired { threat: i.index() });
            return;
        }
        let asset = threat.target;
        let p_hit = self.tables.p_hit[threat.class];
        let hit = self
            .night
            .streams
            .chance(Purpose::Hit, i.index() as u64, 0, p_hit);
        if hit {
            let dmg = damage_per_hit(self.sc.assets[asset].hardness, class.warhead);
            self.damage[asset] = (self.damage[asset] + dmg).min(1.0);
            self.end_flight(i, Fate::LeakedHit { asset, time: t });
        } else {
            self.end_flight(i, Fate::LeakedMissed);
        }
        self.log(
            t,
            EventKind::Impact {
                threat: i.index(),
                asset,
                hit,
            },
        );
    }
}
