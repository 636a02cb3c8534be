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

/// Plays one night of the scenario in `file`: its outcome and its replay.
pub fn play(
    file: &Path,
    set: &[String],
    seed: Option<u64>,
    arg: Option<PolicyArg>,
) -> anyhow::Result<(rampart_engine::Outcome, Replay)> {
    let (_, scenario) = crate::load_scenario(file, set)?;
    let night = Night::assemble(&scenario, seed.unwrap_or(scenario.seed));
    let outcome = rampart_engine::run(&night, policy(arg, &scenario).as_ref());
    let replay = Replay::new(&night, &outcome);
    Ok((outcome, replay))
}

pub fn run(a: &RunArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    crate::check_output_file("--geojson", a.geojson.as_deref())?;
    crate::check_output_file("--kml", a.kml.as_deref())?;
    let (outcome, replay) = play(&a.file, &a.set, a.seed, a.policy)?;
    // Exports are made (and so checked) before anything is written.
    type Export = fn(&Replay) -> Result<String, rampart_report::geo::ExportError>;
    let exports: [(&str, &Option<std::path::PathBuf>, Export); 2] = [
        ("--geojson", &a.geojson, rampart_report::geo::geojson),
        ("--kml", &a.kml, rampart_report::geo::kml),
    ];
    let mut files = Vec::new();
    for (flag, path, export) in exports {
        if let Some(path) = path {
            let text = export(&replay).map_err(|e| BadInput::Message(format!("{flag}: {e}")))?;
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
        crate::write_atomic(&dir.join("events.jsonl"), outcome.events_jsonl().as_bytes())?;
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
        for (fate, n) in &s.by_fate {
            outln!("  {fate:<16} {n}");
        }
        outln!("leakers            {}", s.leakers);
        outln!(
            "drones neutralised {:.1}%",
            100.0 * s.drones_neutralised_fraction
        );
        outln!("shots by effector class:");
        for (kind, sp) in &s.shots_by_effector_class {
            if sp.shots > 0 {
                outln!("  {kind:<18} {:>6} shots  {:>14.0} $", sp.shots, sp.cost);
            }
        }
        outln!("defender cost      {:.0} $", s.defender_cost);
        outln!("attacker cost      {:.0} $", s.attacker_cost);
        outln!(
            "cost exchange      {:.3} defender $ per attacker $",
            s.cost_exchange_ratio
        );
        outln!("damage by asset kind:");
        for (kind, d) in &s.damage_by_asset_kind {
            outln!("  {kind:<16} {d:.2}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
