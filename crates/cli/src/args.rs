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
    /// Play one night of a scenario and report what happened.
    Run(RunArgs),
    /// Check scenario files and report every problem with file:line:col.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the scenario format (for editor completion).
    Schema(SchemaArgs),
    /// Weapon-target assignment: solve, generate and benchmark instances.
    #[command(subcommand)]
    Wta(WtaCommand),
}

#[derive(Debug, Subcommand)]
pub enum WtaCommand {
    /// Solve one instance (benchmark text format, .txt.xz, or JSON).
    Solve(WtaSolveArgs),
    /// Write a seeded random instance.
    Generate(WtaGenerateArgs),
    /// Solve every instance in a directory and compare with best-known values.
    Bench(WtaBenchArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WtaSolver {
    Greedy,
    Local,
    Exact,
    /// The exact solver (anytime: proven optimal, or incumbent and bound at the limit).
    Auto,
}

/// Which solver, and how long it may run.
#[derive(Debug, clap::Args)]
pub struct WtaBudget {
    #[arg(long, value_enum, default_value_t = WtaSolver::Auto)]
    pub solver: WtaSolver,
    /// Wall-clock limit, such as 1s, 250ms or 2m.
    #[arg(long, value_name = "DURATION", default_value = "1s")]
    pub time_limit: String,
    /// Deterministic budget in units of work: the same file and limit give
    /// the same answer on any machine (the time limit still applies).
    #[arg(long, value_name = "UNITS")]
    pub work_limit: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct WtaSolveArgs {
    /// Instance file: `m n mu` text (optionally .xz-compressed) or .json.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub budget: WtaBudget,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WtaScheme {
    /// Ahuja et al. (2007): V ~ U[25,100], p ~ U[0.6,0.9].
    Ahuja,
    /// Andersen, Pavlikov and Toffolo (2022): integer V ~ U{1..99}, p ~ U(0,1).
    Apt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InstanceFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct WtaGenerateArgs {
    #[arg(long, value_enum, default_value_t = WtaScheme::Ahuja)]
    pub scheme: WtaScheme,
    /// Weapon types.
    #[arg(long, short = 'm')]
    pub weapons: usize,
    /// Targets.
    #[arg(long, short = 'n')]
    pub targets: usize,
    /// Copies of every weapon type.
    #[arg(long, default_value_t = 1)]
    pub copies: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = InstanceFormat::Text)]
    pub format: InstanceFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct WtaBenchArgs {
    /// Directory of instances (searched recursively); best-known.csv is read from it.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// (The budget applies to each instance.)
    #[command(flatten)]
    pub budget: WtaBudget,
    /// Print one JSON object per instance, one per line.
    #[arg(long)]
    pub json: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// First free effector that can reach (the naive baseline).
    Nearest,
    /// Greedy maximum marginal return (rampart-wta).
    Greedy,
    /// Weapon-target assignment by rampart-wta's exact solver.
    Optimal,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Random seed (default: the scenario's seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Fire-decision policy (default: the scenario's doctrine).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// Print one JSON object (the summary).
    #[arg(long)]
    pub json: bool,
    /// Write summary.json and events.jsonl into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
