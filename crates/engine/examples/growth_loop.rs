//! Plays NIGHTS nights (seeds 1..=NIGHTS) of examples/night-raid.toml with
//! every raid scaled to about N threats in all, in one workspace, the
//! event log skipped: the loop the studies run. Timed from outside, two
//! sizes with the same threats in all (1,000 x 400 against 10,000 x 40)
//! give the growth of the time per threat with the density of the raid
//! (BENCHMARKS.md, "Cost growth with the size of the raid"); the script
//! `scripts/bench-growth.sh` alternates them and prints the ratios:
//!
//! cargo build --release -p rampart-engine --example growth_loop
//! /usr/bin/time -f %U target/release/examples/growth_loop 1000 400 greedy
//! /usr/bin/time -f %U target/release/examples/growth_loop 10000 40 greedy
//!
//! Usage: growth_loop N NIGHTS greedy|optimal (prints the threats played)

use rampart_engine::{EventLog, GreedyWta, Night, OptimalWta, Policy, Workspace};

#[path = "../benches/common/night_raid.rs"]
mod night_raid;
use night_raid::{night_raid, scaled};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let nights: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(40);
    let optimal = OptimalWta::default();
    let policy: &dyn Policy = match args.get(3).map(String::as_str) {
        Some("optimal") => &optimal,
        _ => &GreedyWta,
    };
    let scenario = scaled(&night_raid(), n);
    let mut workspace = Workspace::new(&scenario);
    let mut threats = 0;
    for seed in 1..=nights {
        let night = Night::assemble(&scenario, seed);
        threats += workspace
            .run(&night, policy, EventLog::Skip)
            .summary
            .threats_launched;
    }
    println!("{threats}");
}
