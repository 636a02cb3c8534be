//! Integration tests of the scenario language, one binary, modules named by behaviour.

mod arbitrary_input;
mod catalogue_and_docs;
mod city_targets;
mod examples_validate;
mod flight_profiles;
mod hindcast_table;
mod jam_resistance;
mod malformed;
mod schema_matches;

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
