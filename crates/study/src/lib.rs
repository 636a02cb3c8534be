//! # rampart-study: many nights, and what they say
//!
//! One night is one draw. This crate runs the engine many times and turns
//! the draws into statements with their uncertainty:
//!
//! - [`MonteCarlo`]: replications of one scenario, in parallel, with
//!   streaming statistics of every metric of the engine's summary (mean,
//!   standard deviation, 95% confidence interval, percentiles 5/50/95).
//! - [`Comparison`]: variants on the same seeds (common random numbers) and
//!   paired differences with a plain verdict.
//! - [`Sweep`]: a full-factorial grid of overrides, resumable and shardable.
//! - [`Saturation`]: the smallest value of a field at which a metric breaks
//!   its limit, by stochastic bisection.
//! - [`CampaignStudy`]: many nights of one scenario with stocks, production,
//!   damage and repairs carried over; [`BudgetComparison`] pairs budgets.
//! - [`Hindcast`]: the model against reported nights (the share of drones
//!   neutralised and the drone hits, night by night).
//! - [`Calibration`]: one parameter fitted on reported nights by
//!   hindcasts over a grid of its values, with the leave-one-out error.
//!
//! ```
//! use rampart_study::{MonteCarlo, Silent};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/minimal.toml")).unwrap();
//! let scenario = rampart_model::parse_scenario(&text).unwrap();
//! let mc = MonteCarlo { scenario: &scenario, policy: scenario.doctrine.policy, base_seed: 1 };
//! let result = mc.run(20, &Silent);
//! let leakers = &result.metrics["leakers"];
//! assert_eq!(leakers.n, 20);
//! assert!(leakers.ci95_low <= leakers.mean && leakers.mean <= leakers.ci95_high);
//! // The same study gives the same numbers, to the bit.
//! assert_eq!(mc.run(20, &Silent).metrics, result.metrics);
//! ```
//!
//! Architecture Invariant: replication `r` of a study with base seed `b`
//! plays the night with seed [`replication_seed`]`(b, r)`, whatever else the
//! study does; results are folded in replication order, so the thread count
//! never changes a bit of the output.

mod budgets;
mod calibrate;
mod campaign;
mod grid;
mod hindcast;
pub mod io;
mod metrics;
mod montecarlo;
mod replications;
mod saturate;
pub mod stats;
mod support;
mod sweep;
mod table;

pub use budgets::{BudgetError, budget_texts};
pub use calibrate::{
    Calibration, CalibrationError, CalibrationResult, CalibrationSummary, GridPoint, LeftOut,
};
pub use campaign::{
    BudgetComparison, CampaignResult, CampaignRun, CampaignStudy, DryNight, NightRecord,
    campaign_totals, check_file as check_campaign_file, series,
};
pub use grid::{Manifest, PointResult, Vary, VaryError};
pub use hindcast::{
    Hindcast, HindcastError, HindcastResult, HindcastSummary, ModelNight, NightResult, SHARE_BAND,
};
pub use io::{AtomicFile, fnv1a, write_atomic};
pub use metrics::metrics;
pub use montecarlo::{
    Accumulator, BLOCK, CompareResult, Comparison, EachReplication, McResult, MonteCarlo, Progress,
    Silent, metric_names, replication_seed,
};
pub use replications::{ROWS_PER_GROUP, ReplicationError, ReplicationWriter};
pub use saturate::{
    MAX_PROBES, Probe, Saturation, SaturationResult, SearchOutcome, Verdict, default_range,
    default_tolerance,
};
pub use stats::{Estimate, Level, Stat, Support};
pub use support::support_of;
pub use sweep::{MAX_POINTS, Shard, Sweep, SweepError, SweepRun, csv, merge, with_overrides};
pub use table::{COLUMNS, Table};
