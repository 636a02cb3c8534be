//! The run's state of threats, units and engagements.

use std::ops::Range;

use rampart_model::{Millis, Point};

use crate::ids::{ThreatId, UnitId};
use crate::queue::EventKey;

/// An engagement in progress: which unit, at which threat, with how many rounds.
#[derive(Debug, Clone)]
pub(crate) struct Engagement {
    pub unit: UnitId,
    pub threat: ThreatId,
    pub rounds: u32,
    pub first_shot: u32,
    pub at: Point,
}

/// What the run knows of a threat now, as epochs read it; its fate
/// (`Sim::fates`) and its plan (`ThreatPlan`) are kept apart so that this
/// stays small.
#[derive(Debug, Clone, Default)]
pub(crate) struct ThreatState {
    pub launched: bool,
    /// It met its fate.
    pub ended: bool,
    pub tracked: bool,
    /// Told apart as a decoy: never engaged.
    pub discriminated: bool,
    /// An interceptor is on its way or its result is not yet known.
    pub busy: bool,
    /// Rounds fired at this threat by all units (numbers the kill draws).
    pub shots: u32,
    /// Its class (index into `Scenario::threats`), as `Threat::class`:
    /// here so that an epoch reads no more than this state of a threat it
    /// cannot engage.
    pub class: u32,
    /// Expected damage if left alone (fixed; see `value`).
    pub value: f64,
    /// Before this time the cost rule refuses every shot at it (see
    /// `epoch`); epochs need not look at it.
    pub held_until: Millis,
    /// Of a decoy class (known to the run, not to the defence).
    pub decoy: bool,
}

/// What a threat's own events need, set at its launch: apart from
/// `ThreatState`, which epochs read for many threats, so that the state
/// they scan stays within 32 bytes a threat.
#[derive(Debug, Clone, Default)]
pub(crate) struct ThreatPlan {
    /// Its arrival time.
    pub arrival: Millis,
    /// Its `Arrive` event, cancelled when it meets another fate.
    pub arrive: Option<EventKey>,
    /// The jammer that will defeat it, if one will.
    pub jammer: Option<UnitId>,
    /// Its window openings not yet in the queue (indices into `Sim::opens`).
    pub opens: Range<u32>,
    /// Its track spans from the current one on (indices into `Sim::tracks`).
    pub spans: Range<u32>,
    /// Its windows already open when its track first starts, listed then
    /// (indices into `Sim::early`; emptied by the first track).
    pub early: Range<u32>,
}

impl ThreatState {
    pub(crate) fn alive(&self) -> bool {
        self.launched && !self.ended
    }

    /// Tracked, alive, not told apart as a decoy and not under fire.
    pub(crate) fn engageable(&self) -> bool {
        self.tracked && !self.busy && !self.discriminated && self.alive()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct UnitState {
    pub free_channels: u32,
    pub rounds: u32,
    pub reloading: bool,
    /// Rounds left to reload from (`None`: without limit).
    pub depot: Option<u32>,
}

impl UnitState {
    /// A channel free and a round left.
    pub(crate) fn free(&self) -> bool {
        self.free_channels > 0 && self.rounds > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Epochs read the state of every threat in a unit's reach: keep it
    /// within half a cache line.
    #[test]
    fn threat_state_fits_in_half_a_line() {
        assert!(std::mem::size_of::<ThreatState>() <= 32);
    }
}
