//! Raw command-line arguments (clap). Commands turn them into validated
//! settings before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Rampart: what does it take to stop a massed raid of drones and missiles,
/// and when does the defence break?
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and report every problem with file:line:col.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the scenario format (for editor completion).
    Schema(SchemaArgs),
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
