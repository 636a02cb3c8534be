//! # rampart-report: what a night or a study looks like
//!
//! - [`Replay`]: one night, ready to draw: the region, every threat's track
//!   cut where its flight ended, the event log and the summary. The browser
//!   replay (`rampart serve`) and the HTML reports read it.
//! - [`html`]: self-contained HTML reports (inline CSS and SVG, no script,
//!   no network) of a night; [`studies`]: of the studies; [`campaign`]: of
//!   campaigns, with their plots.
//! - [`geo`]: tracks and fates as GeoJSON and KML when the scenario has a
//!   geodetic origin.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/minimal.toml")).unwrap();
//! let scenario = rampart_model::parse_scenario(&text).unwrap();
//! let night = rampart_engine::Night::assemble(&scenario, 7);
//! let outcome = rampart_engine::run(&night, &rampart_engine::GreedyWta);
//! let replay = rampart_report::Replay::new(&night, &outcome);
//! assert_eq!(replay.threats.len() as u64, outcome.summary.threats_launched);
//! let page = rampart_report::html::night_report(&replay);
//! assert!(page.contains("data-metric=\"/leakers\""));
//! // minimal.toml has no geodetic origin: no map export, and a clear error.
//! assert!(rampart_report::geo::geojson(&replay).is_err());
//! ```
//!
//! Architecture Invariant: nothing here reads the clock or the environment;
//! the same replay gives the same bytes.

pub mod campaign;
pub mod geo;
pub mod hindcast;
pub mod html;
mod map;
pub mod plot;
mod replay;
pub mod studies;
pub mod sweep_figures;

pub use replay::{
    FORMAT, Replay, ReplayAsset, ReplayEffector, ReplaySensor, ReplaySite, ReplayThreat,
};
