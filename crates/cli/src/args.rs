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
    /// Monte Carlo: many replications of one scenario, with statistics of every metric.
    Mc(McArgs),
    /// Variants of one scenario on the same seeds: paired differences and a verdict.
    Compare(CompareArgs),
    /// A full-factorial grid of overrides, every point a Monte Carlo study (resumable).
    Sweep(SweepArgs),
    /// Join the directories of a sharded sweep into one result.
    Merge(MergeArgs),
    /// Find the smallest value of a field at which a metric breaks its limit.
    Saturate(SaturateArgs),
    /// A campaign: many nights with stocks, production, damage and repairs carried over.
    Campaign(CampaignArgs),
    /// The model against reported nights: drones neutralised and drone hits, night by night.
    Hindcast(HindcastArgs),
    /// Replay a night in the browser: a local web server.
    Serve(ServeArgs),
    /// Weapon-target assignment: solve, generate and benchmark instances.
    #[command(subcommand)]
    Wta(WtaCommand),
}

/// What every study shares: seeds, threads, policy.
#[derive(Debug, clap::Args)]
pub struct StudyCommon {
    /// Base seed of the replications (default: the scenario's seed).
    #[arg(long, value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Fire-decision policy (default: the scenario's doctrine).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// No progress on stderr (neither the bar nor the plain lines printed
    /// every few seconds when stderr is not a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

impl StudyCommon {
    pub fn progress(&self) -> ShowProgress {
        ShowProgress::from_quiet(self.quiet)
    }
}

/// Whether long work reports its progress on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowProgress {
    /// A bar on a terminal, else a plain line every few seconds.
    Shown,
    /// Nothing (`--quiet`).
    Hidden,
}

impl ShowProgress {
    pub fn from_quiet(quiet: bool) -> ShowProgress {
        if quiet {
            ShowProgress::Hidden
        } else {
            ShowProgress::Shown
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct McArgs {
    /// The scenario file (TOML) to play.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Number of replications.
    #[arg(long, default_value_t = 1000, value_parser = at_least_one)]
    pub reps: u64,
    #[command(flatten)]
    pub common: StudyCommon,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write summary.json and metrics.csv to this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report of the study.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct HindcastArgs {
    /// A scenario with a [hindcast] table naming the raids of each column.
    #[arg(value_name = "SCENARIO")]
    pub file: PathBuf,
    /// The reported nights: date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source.
    #[arg(long, value_name = "NIGHTS.csv")]
    pub nights: PathBuf,
    /// Replications per night.
    #[arg(long, default_value_t = 200, value_parser = at_least_one)]
    pub reps: u64,
    #[command(flatten)]
    pub common: StudyCommon,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write hindcast.json and hindcast.csv to this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report: model against reported, night by night.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Calibrate one field on the nights: PATH=VALUES as for `sweep --vary`
    /// (0,0.2,0.4 or 0..1:0.1). Plays every night at every value, fits the
    /// value with the smallest mean share error, and reports the
    /// leave-one-out error (each night predicted from the others); the
    /// nights are then shown at the fitted value.
    #[arg(long, value_name = "PATH=VALUES")]
    pub calibrate: Option<String>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The scenario file (TOML) whose variants are compared.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A variant: NAME=PATH=VALUE[,PATH=VALUE...], such as
    /// nearest=doctrine.policy=nearest, or the NAME of a [[variant]] of the
    /// file. With one variant, the file as it is ("base") is compared with
    /// it; with several, each with the first. Without any: the file as it
    /// is, then each of its [[variant]] tables.
    #[arg(long = "variant", value_name = "NAME[=OVERRIDES]")]
    pub variants: Vec<String>,
    /// The metric of the verdict.
    #[arg(long, default_value = "leakers")]
    pub metric: String,
    /// Replications per variant, on common seeds.
    #[arg(long, default_value_t = 1000, value_parser = at_least_one)]
    pub reps: u64,
    #[command(flatten)]
    pub common: StudyCommon,
    /// Print exactly one JSON object: every variant's metrics, the paired differences and the verdicts.
    #[arg(long)]
    pub json: bool,
    /// Write compare.json to this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report of the study.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (TOML) to sweep.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// PATH=VALUES, VALUES a list (0,10,20) or a range (100..2000:100); repeat for a grid.
    #[arg(long = "vary", value_name = "PATH=VALUES", required = true)]
    pub vary: Vec<String>,
    /// Replications per point.
    #[arg(long, default_value_t = 100, value_parser = at_least_one)]
    pub reps: u64,
    #[command(flatten)]
    pub common: StudyCommon,
    /// The sweep's directory: run again with the same command to resume.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write a self-contained HTML report of the study.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Run only the points whose index is i modulo n ("i/n").
    #[arg(long, value_name = "i/n", value_parser = shard)]
    pub shard: Option<rampart_study::Shard>,
    /// The metric of the plots.
    #[arg(long, default_value = "leakers")]
    pub metric: String,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard directories of one sweep.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// Directory of the sweep: its manifest, one file per finished point, the results and plots.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The metric of the plots and of the headline.
    #[arg(long, default_value = "leakers")]
    pub metric: String,
}

#[derive(Debug, clap::Args)]
pub struct SaturateArgs {
    /// The scenario file (TOML) whose breaking point is sought.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The numeric field to grow, such as raid.drones-north.count.
    #[arg(long, value_name = "PATH")]
    pub vary: String,
    /// The metric, such as leakers or any_hit.hospital.
    #[arg(long, default_value = "leakers")]
    pub metric: String,
    /// The limit: the defence holds while the metric's mean is at most this.
    #[arg(long)]
    pub limit: f64,
    /// The values to search, FROM..TO (default: 0 or 1 to four times the file's value).
    #[arg(long, value_name = "FROM..TO")]
    pub range: Option<String>,
    /// Stop when the bracket is this narrow (non-integer fields).
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Replications of a probe at first; doubled while its interval straddles the limit.
    #[arg(long, default_value_t = 50, value_parser = at_least_one)]
    pub reps: u64,
    /// The most replications of one probe.
    #[arg(long, default_value_t = 800)]
    pub max_reps: u64,
    #[command(flatten)]
    pub common: StudyCommon,
    /// Print exactly one JSON object: the probes, the overload point and its interval.
    #[arg(long)]
    pub json: bool,
    /// Write saturation.json and saturation.svg to this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report of the study.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
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
    /// Solver: greedy, local search, exact (branch and bound), or auto (the anytime exact solver).
    #[arg(long, value_enum, default_value_t = WtaSolver::Auto)]
    pub solver: WtaSolver,
    /// Wall-clock limit, such as 1s, 250ms or 2m. Without --work-limit it
    /// alone ends the solve, however fast the machine.
    #[arg(long, value_name = "DURATION", default_value = "1s")]
    pub time_limit: String,
    /// Deterministic budget in units of work: the same file and limit give
    /// the same answer on any machine (the time limit still applies).
    #[arg(long, value_name = "UNITS")]
    pub work_limit: Option<u64>,
    /// Threads for the exact solver (auto, exact): a portfolio of exact
    /// solvers, the others' local searches with seeds of their own and more
    /// patience, the best answer kept. Deterministic under a work limit,
    /// whatever the threads' timing.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threads: usize,
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
    /// How the instance is drawn: Ahuja et al. 2007, or Andersen, Pavlikov and Toffolo 2022.
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
    /// Random seed of the instance.
    #[arg(long, default_value_t = 1, value_parser = seed, allow_negative_numbers = true)]
    pub seed: u64,
    /// Output format: the benchmark's text format or JSON.
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
    #[arg(long, value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Fire-decision policy (default: the scenario's doctrine).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// Print one JSON object (the summary).
    #[arg(long)]
    pub json: bool,
    /// Write summary.json, events.jsonl and replay.json into this directory
    /// (`rampart serve DIR` replays it).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report of the night.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Write tracks and fates as GeoJSON (needs the scenario's origin).
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
    /// Write tracks and fates as KML (needs the scenario's origin).
    #[arg(long, value_name = "FILE")]
    pub kml: Option<PathBuf>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct CampaignArgs {
    /// Campaign file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Nights to play (default: the file's).
    #[arg(long)]
    pub nights: Option<u32>,
    /// Replications of the whole campaign.
    #[arg(long, default_value_t = 20, value_parser = at_least_one)]
    pub reps: u64,
    /// Base seed (default: the file's, else the scenario's).
    #[arg(long, value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// No progress on stderr (neither the bar nor the plain lines printed
    /// every few seconds when stderr is not a terminal).
    #[arg(long, short)]
    pub quiet: bool,
    /// A budget: NAME=PATH=VALUE[,PATH=VALUE...] on the campaign file, such as
    /// drones=defender.interceptor-drones.per_month=1200,defender.lr-sam.per_month=2.
    /// With one budget, the file as it is is the first, named `base`.
    #[arg(long = "budget-variant", value_name = "NAME=OVERRIDES")]
    pub budget_variants: Vec<String>,
    /// The campaign total the budget verdict is about.
    #[arg(long, default_value = "civilian_damage")]
    pub metric: String,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write campaign.json, nights.csv and the plots (SVG) to this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A run directory (`rampart run --out DIR`) or a scenario file, whose
    /// night is played first.
    #[arg(value_name = "RUN_DIR|FILE")]
    pub target: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. The default keeps the page on this machine.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Random seed, for a scenario file (default: the scenario's seed).
    #[arg(long, value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Fire-decision policy, for a scenario file (default: the scenario's doctrine).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// Change a field before anything runs: PATH=VALUE, with the paths of
    /// `--vary` (repeatable), such as raid.drones.count=40.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// A count of replications: at least one.
fn at_least_one(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("at least one replication is needed".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number of replications, at least 1".into()),
    }
}

/// A seed: a number from 0 to 2^64-1.
/// `i/n`: shard i of n, 0 <= i < n.
fn shard(text: &str) -> Result<rampart_study::Shard, String> {
    let expected = || format!("`{text}`: expected a shard i/n with 0 <= i < n, such as 0/4");
    let (i, n) = text.split_once('/').ok_or_else(expected)?;
    let (Ok(index), Ok(count)) = (i.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
        return Err(expected());
    };
    rampart_study::Shard::new(index, count).map_err(|_| expected())
}

fn seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| "a seed is a number from 0 to 2^64-1 (18446744073709551615)".into())
}
