//! A workspace: what a study keeps from one night to the next of one
//! scenario, so that each night does not rebuild it. The doctrine tables,
//! the engagement windows of each flight path (relative to launch) and
//! every buffer of the run are worked out or grown once; a night then
//! costs its events, not its setup.
//!
//! Architecture Invariant: a workspace changes no outcome. A night run in
//! a workspace, whatever ran in it before, writes the same bytes as the
//! same night run alone (`tests/engine/workspace.rs` proves it night by
//! night). What it keeps is a function of the scenario alone.

use rampart_model::Scenario;

use crate::EventLog;
use crate::night::Night;
use crate::policy::Policy;
use crate::results::Outcome;
use crate::sim::{self, Kept};

/// Runs nights of one scenario, keeping tables, path windows and buffers
/// from one to the next. One per thread: a study gives each worker its own.
///
/// ```
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../examples/minimal.toml")).unwrap();
/// # let scenario = rampart_model::parse_scenario(&text).unwrap();
/// use rampart_engine::{EventLog, GreedyWta, Night, Workspace};
/// let mut ws = Workspace::new(&scenario);
/// for seed in 0..3 {
///     let night = Night::assemble(&scenario, seed);
///     let outcome = ws.run(&night, &GreedyWta, EventLog::Skip);
///     assert_eq!(outcome.summary.seed, seed);
/// }
/// ```
#[derive(Debug)]
pub struct Workspace<'s> {
    scenario: &'s Scenario,
    kept: Option<Kept>,
}

impl<'s> Workspace<'s> {
    /// An empty workspace for nights of `scenario`.
    pub fn new(scenario: &'s Scenario) -> Self {
        Workspace {
            scenario,
            kept: None,
        }
    }

    /// Runs `night` with `policy`, as [`crate::run_with`] does. A night of
    /// another scenario (another `Scenario` value, even an equal one) runs
    /// with fresh tables and buffers and leaves the workspace as it was.
    pub fn run(&mut self, night: &Night<'_>, policy: &dyn Policy, log: EventLog) -> Outcome {
        let mut outcome = if std::ptr::eq(night.scenario, self.scenario) {
            let kept = self.kept.take().unwrap_or_else(|| Kept::new(self.scenario));
            let (outcome, kept) = sim::run(night, policy, log, kept);
            self.kept = Some(kept);
            outcome
        } else {
            sim::run(night, policy, log, Kept::new(night.scenario)).0
        };
        outcome.summary.policy = policy.name().to_string();
        outcome
    }
}
