//! `rampart run FILE`

use std::process::ExitCode;

use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, builtin};

use crate::BadInput;
use crate::args::{PolicyArg, RunArgs};

pub fn run(a: &RunArgs) -> anyhow::Result<ExitCode> {
    let (_, scenario) = crate::load_scenario(&a.file)?;
    let seed = a.seed.unwrap_or(scenario.seed);
    let policy: Box<dyn Policy> = match a.policy {
        Some(PolicyArg::Nearest) => Box::new(Nearest),
        Some(PolicyArg::Greedy) => Box::new(GreedyWta),
        Some(PolicyArg::Optimal) => Box::new(OptimalWta::default()),
        None => builtin(scenario.doctrine.policy),
    };
    let night = Night::assemble(&scenario, seed);
    let outcome = rampart_engine::run(&night, policy.as_ref());
    let summary_json = serde_json::to_string_pretty(&outcome.summary)?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|source| BadInput::Output {
            path: dir.clone(),
            source,
        })?;
        crate::write_atomic(
            &dir.join("summary.json"),
            format!("{summary_json}\n").as_bytes(),
        )?;
        crate::write_atomic(&dir.join("events.jsonl"), outcome.events_jsonl().as_bytes())?;
    }
    if a.json {
        println!("{}", serde_json::to_string(&outcome.summary)?);
    } else {
        let s = &outcome.summary;
        println!("{} (seed {}, policy {})", s.scenario, s.seed, s.policy);
        println!("threats launched   {}", s.threats_launched);
        for (fate, n) in &s.by_fate {
            println!("  {fate:<16} {n}");
        }
        println!("leakers            {}", s.leakers);
        println!(
            "drones neutralised {:.1}%",
            100.0 * s.drones_neutralised_fraction
        );
        println!("shots by effector class:");
        for (kind, sp) in &s.shots_by_effector_class {
            if sp.shots > 0 {
                println!("  {kind:<18} {:>6} shots  {:>14.0} $", sp.shots, sp.cost);
            }
        }
        println!("defender cost      {:.0} $", s.defender_cost);
        println!("attacker cost      {:.0} $", s.attacker_cost);
        println!(
            "cost exchange      {:.3} defender $ per attacker $",
            s.cost_exchange_ratio
        );
        println!("damage by asset kind:");
        for (kind, d) in &s.damage_by_asset_kind {
            println!("  {kind:<16} {d:.2}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
