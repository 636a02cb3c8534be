//! `rampart run FILE`

use std::path::Path;
use std::process::ExitCode;

use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, builtin};
use rampart_report::Replay;

use crate::BadInput;
use crate::args::{PolicyArg, RunArgs};

/// The policy chosen on the command line, else the scenario's.
pub fn policy(arg: Option<PolicyArg>, scenario: &rampart_model::Scenario) -> Box<dyn Policy> {
    match arg {
        Some(PolicyArg::Nearest) => Box::new(Nearest),
        Some(PolicyArg::Greedy) => Box::new(GreedyWta),
        Some(PolicyArg::Optimal) => Box::new(OptimalWta::default()),
        None => builtin(scenario.doctrine.policy),
    }
}

/// One night played: its outcome, its replay, and the scenario's own
/// count of threats (the raids' `count`s).
pub struct Played {
    pub outcome: rampart_engine::Outcome,
    pub replay: Replay,
    pub file_count: u64,
}

/// Plays one night of the scenario in `file`.
pub fn play(
    file: &Path,
    set: &[String],
    seed: Option<u64>,
    arg: Option<PolicyArg>,
) -> anyhow::Result<Played> {
    let (_, scenario) = crate::load_scenario(file, set)?;
    let night = Night::assemble(&scenario, seed.unwrap_or(scenario.seed));
    let outcome = rampart_engine::run(&night, policy(arg, &scenario).as_ref());
    let replay = Replay::new(&night, &outcome);
    Ok(Played {
        outcome,
        replay,
        file_count: scenario.threats_launched(),
    })
}

pub fn run(a: &RunArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    crate::check_output_file("--geojson", a.geojson.as_deref())?;
    crate::check_output_file("--kml", a.kml.as_deref())?;
    let Played {
        outcome,
        replay,
        file_count,
    } = play(&a.file, &a.set, a.seed, a.policy)?;
    // Exports are made (and so checked) before anything is written.
    type Export = fn(&Replay) -> Result<String, rampart_report::geo::ExportError>;
    let exports: [(&str, &Option<std::path::PathBuf>, Export); 2] = [
        ("--geojson", &a.geojson, rampart_report::geo::geojson),
        ("--kml", &a.kml, rampart_report::geo::kml),
    ];
    let mut files = Vec::new();
    for (flag, path, export) in exports {
        if let Some(path) = path {
            let text = export(&replay).map_err(crate::invalid(flag))?;
            files.push((path, text));
        }
    }
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
        crate::write_atomic(
            &dir.join("events.jsonl"),
            outcome.events_jsonl()?.as_bytes(),
        )?;
        crate::write_atomic(
            &dir.join("replay.json"),
            serde_json::to_string(&replay)?.as_bytes(),
        )?;
    }
    for (path, text) in files {
        crate::write_atomic(path, text.as_bytes())?;
    }
    if let Some(path) = &a.report {
        crate::write_atomic(path, rampart_report::html::night_report(&replay).as_bytes())?;
    }
    if a.json {
        outln!("{}", serde_json::to_string(&outcome.summary)?);
    } else {
        let s = &outcome.summary;
        outln!("{} (seed {}, policy {})", s.scenario, s.seed, s.policy);
        outln!("threats launched   {}", s.threats_launched);
        if s.threats_launched != file_count {
            outln!(
                "  (the raids' counts add up to {file_count}: a Poisson raid launches a random number, {} tonight)",
                s.threats_launched
            );
        }
        let mut fates: Vec<(&str, u64)> = s.by_fate.iter().collect();
        fates.sort_unstable();
        for (fate, n) in fates {
            outln!("  {fate:<16} {n}");
        }
        outln!("leakers            {}", s.leakers);
        outln!(
            "drones killed or jammed {:.1}% (of the drones and decoys launched)",
            100.0 * s.drones_neutralised_fraction
        );
        let jammed = s.by_fate.jammed;
        if jammed > 0 {
            outln!("jammers defeated   {jammed} threats");
        }
        outln!("shots by effector class:");
        for (kind, sp) in &s.shots_by_effector_class {
            if sp.shots > 0 {
                outln!(
                    "  {kind:<18} {:>6} shots  {:>16}",
                    rampart_report::html::thousands(sp.shots as f64, 0),
                    rampart_report::html::dollars(sp.cost)
                );
            }
        }
        outln!(
            "defender cost      {}",
            rampart_report::html::dollars(s.defender_cost)
        );
        outln!(
            "attacker cost      {}",
            rampart_report::html::dollars(s.attacker_cost)
        );
        outln!(
            "cost exchange      {:.3} defender $ per attacker $",
            s.cost_exchange_ratio
        );
        outln!("damage by asset kind (1 = one asset destroyed):");
        for (kind, d) in &s.damage_by_asset_kind {
            outln!("  {kind:<16} {d:.2}");
        }
        let hit: Vec<(&String, &f64)> = s
            .damage_by_asset
            .iter()
            .filter(|(_, d)| **d > 0.0)
            .collect();
        if hit.is_empty() {
            outln!("assets hit: none");
        } else {
            outln!("assets hit (share destroyed):");
            for (asset, d) in hit {
                outln!("  {asset:<24} {:.0}%", d * 100.0);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
