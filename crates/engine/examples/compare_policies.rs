//! Shows how the three built-in fire-decision policies compare on one
//! scenario over many seeds, under common random numbers: every policy sees
//! the same raid and the same luck for the same shot on each seed.
//!
//! Usage: cargo run --release -p rampart-engine --example compare_policies -- FILE SEEDS
//! (defaults: examples/night-raid.toml, 100 seeds)

use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, run};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = args
        .get(1)
        .map_or("examples/night-raid.toml", String::as_str);
    let seeds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let text = std::fs::read_to_string(file).expect("readable scenario");
    let scenario = rampart_model::parse_scenario(&text).expect("valid scenario");
    let policies: [&dyn Policy; 3] = [
        &Nearest,
        &GreedyWta,
        &OptimalWta {
            work_limit: 200_000,
        },
    ];
    let mut leakers = [0.0f64; 3];
    let mut neutralised = [0.0f64; 3];
    let mut cost = [0.0f64; 3];
    // Paired differences against nearest, for a confidence interval.
    let mut diffs: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for seed in 0..seeds {
        let night = Night::assemble(&scenario, seed);
        let mut this = [0.0f64; 3];
        for (k, p) in policies.iter().enumerate() {
            let s = run(&night, *p).summary;
            this[k] = s.leakers as f64;
            leakers[k] += s.leakers as f64;
            neutralised[k] += s.drones_neutralised_fraction;
            cost[k] += s.defender_cost;
        }
        for k in 0..3 {
            diffs[k].push(this[k] - this[0]);
        }
    }
    let n = seeds as f64;
    println!("{file}, {seeds} seeds");
    println!(
        "{:<8} {:>10} {:>12} {:>16} {:>24}",
        "policy", "leakers", "neutralised", "defender M$", "leakers - nearest (99%)"
    );
    for (k, p) in policies.iter().enumerate() {
        let mean_d = diffs[k].iter().sum::<f64>() / n;
        let var = diffs[k].iter().map(|d| (d - mean_d).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        let hw = 2.576 * (var / n).sqrt();
        println!(
            "{:<8} {:>10.2} {:>11.2}% {:>16.1} {:>15.2} +/- {:.2}",
            p.name(),
            leakers[k] / n,
            100.0 * neutralised[k] / n,
            cost[k] / n / 1e6,
            mean_d,
            hw
        );
    }
}
