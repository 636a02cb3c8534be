//! # rampart-engine: one night, event by event
//!
//! Given a validated scenario and a seed, play one night of a raid against a
//! layered defence and tell what happened to every threat, interceptor and
//! asset. It works in two phases, as a tutorial:
//!
//! 1. **Assembly** ([`Night::assemble`]): the raids become threats with
//!    launch times, launch sites, targets and flight paths. Nothing here
//!    changes once the run starts.
//! 2. **Run** ([`run`]): events in time order. Threats move analytically on
//!    straight legs, so coverage entry, intercept points and impact times are
//!    computed, not stepped. At each decision epoch (a new track, a channel
//!    freed, a kill assessed, a reload, a threat coming into range) a
//!    [`Policy`] chooses which shots to take.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/minimal.toml")).unwrap();
//! let scenario = rampart_model::parse_scenario(&text).unwrap();
//! let night = rampart_engine::Night::assemble(&scenario, 7);
//! let outcome = rampart_engine::run(&night, &rampart_engine::GreedyWta);
//! let s = &outcome.summary;
//! assert_eq!(s.threats_launched, 10);
//! assert_eq!(s.by_fate.total(), 10);
//! // The same scenario and seed give the same night, to the byte.
//! let again = rampart_engine::run(&rampart_engine::Night::assemble(&scenario, 7), &rampart_engine::GreedyWta);
//! assert_eq!(outcome.events_jsonl().expect("events serialise"), again.events_jsonl().expect("events serialise"));
//! ```
//!
//! ## Threat evaluation
//!
//! A candidate's value is the damage it would do to its asset (asset value x
//! probability of a hit x lethality of one hit, with an undiscriminated decoy
//! taken for a drone), weighted up as impact nears and down by the chance
//! that the layers still ahead of it kill it: a shot now averts only what
//! they would not. The doctrine's cost rule compares a shot's cost with that
//! value; the WTA policies also subtract the cost of rounds from the value
//! they maximise.
//!
//! ## Decision epochs
//!
//! Each threat has engagement windows, one per unit and pass through its
//! reach. An epoch happens when something changes that could make a shot
//! possible: a new track with a window open, a channel freed on a unit with
//! a window open, a reload, a miss assessed, a window opening (or its
//! intercept point coming into reach) on a free unit.
//! It looks only at what changed and at the threats left pending by earlier
//! epochs, and decides exactly as an epoch that scanned every threat would
//! (the tests keep such a brute-force loop and compare event logs).
//!
//! ## The ordering and determinism contract
//!
//! Architecture Invariant: simulation time is an integer number of
//! milliseconds; events at equal times run in the order they were scheduled
//! (a sequence number breaks ties); no float ever orders events. An epoch
//! runs after the events already queued for its instant, and at most one is
//! pending at a time.
//!
//! Architecture Invariant: every random draw is keyed by (seed, purpose,
//! entity, index) through [`Streams`] (a Philox4x32-10 block); none comes
//! from a shared stream, so two doctrines on one seed see the same raid and
//! the same luck for the same shot (common random numbers).
//!
//! Architecture Invariant: float functions that feed an outcome (`pow`,
//! `exp`, `log`, ...) come from the pure-Rust `libm` crate, so the same seed
//! gives the same bytes on any platform.
//!
//! Architecture Invariant: the engine never reads the clock, the filesystem or
//! the environment.

// Event handlers index parallel per-threat and per-unit arrays.
#![allow(clippy::needless_range_loop)]

mod epoch;
mod flight;
mod ids;
mod index;
mod night;
mod policy;
mod queue;
mod results;
mod rng;
mod sensing;
mod sim;
mod tables;
mod value;
mod whole;
mod workspace;

pub use flight::{Flight, FlightPath, Leg, Legs, radar_horizon};
pub use night::{Night, Threat};
pub use policy::{
    Candidate, Choice, Decision, GreedyWta, Nearest, OptimalWta, Pairing, Policy, Shooter, builtin,
};
pub use results::{Event, EventKind, Fate, FateCounts, Outcome, Spending, Summary, Work};
pub use rng::{Purpose, Streams, pair};
pub use sim::KILL_ASSESSMENT_DELAY;
pub use value::{
    ASSET_RADIUS, LATER_MISS_FLOOR, PRESUMED_CEP, PRESUMED_WARHEAD, URGENCY, damage_per_hit,
    hit_probability,
};
pub use workspace::Workspace;

/// Runs one replication of `night` with `policy`, with its event log.
pub fn run(night: &Night<'_>, policy: &dyn Policy) -> Outcome {
    run_with(night, policy, EventLog::Keep)
}

/// Whether a run keeps its event log (`Outcome::events`). Studies that need
/// only the summary and the fates skip it; nothing else changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventLog {
    Keep,
    Skip,
}

/// Runs one replication of `night` with `policy`, keeping the event log or not.
/// A study that runs many nights of one scenario keeps a [`Workspace`]
/// per thread instead: the same outcomes, without rebuilding the tables
/// and buffers each night.
pub fn run_with(night: &Night<'_>, policy: &dyn Policy, log: EventLog) -> Outcome {
    Workspace::new(night.scenario).run(night, policy, log)
}
