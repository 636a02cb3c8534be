//! # rampart-model: the scenario language
//!
//! A Rampart scenario is a TOML file that describes one night: the assets to
//! protect, the sensors and effectors that defend them, the threat classes,
//! the raid waves and the doctrine. This crate reads such a file into a
//! [`Scenario`], or explains everything that is wrong with it.
//!
//! ```
//! let text = r#"
//! [scenario]
//! name = "doc example"
//! duration = "2 h"
//!
//! [[asset]]
//! id = "plant"
//! kind = "power"
//! position = ["0 km", "0 km"]
//!
//! [[sensor]]
//! id = "radar"
//! type = "radar"
//! position = ["0 km", "0 km"]
//! range = "80 km"
//! p_detect = 0.9
//!
//! [[effector]]
//! id = "guns"
//! class = "mobile-fire-group"
//! count = 4
//! area = { center = ["0 km", "0 km"], radius = "3 km" }
//!
//! [[launch_site]]
//! id = "east"
//! position = ["150 km", "0 km"]
//!
//! [[raid]]
//! id = "wave"
//! threat = "shahed-type"
//! count = 10
//! from = ["east"]
//! end = "30 min"
//! "#;
//! let scenario = rampart_model::parse_scenario(text).expect("valid");
//! assert_eq!(scenario.effectors.len(), 4);
//! assert_eq!(scenario.effectors[0].id, "guns#1");
//! assert!((scenario.threats[0].speed - 185.0 / 3.6).abs() < 1e-9);
//!
//! let bad = text.replace("\"80 km\"", "80");
//! let err = rampart_model::parse_scenario(&bad).unwrap_err();
//! assert_eq!(err.diagnostics[0].path, "sensor[0].range");
//! ```
//!
//! Reading never panics and never stops at the first problem: every
//! diagnostic carries a line and column, the field path, what was found and
//! what was expected, and a "did you mean" where one fits.
//!
//! Architecture Invariant: this crate does no IO beyond text; callers read files.

pub mod campaign;
mod decode;
mod diag;
pub mod nights;
pub mod overrides;
mod read;
pub mod scenario;
pub mod schema;
pub mod spec;
pub mod units;

pub use decode::{
    CATALOGUE_TOML, Checked, MAX_FILE_BYTES, MAX_UNITS, ScenarioError, check_bytes, file_too_large,
    parse_scenario, spread,
};
pub use diag::{Diagnostic, DiagnosticKind, Location, Severity, suggest};
pub use scenario::*;
