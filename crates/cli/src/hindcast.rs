//! `rampart hindcast`: arguments in, a `rampart-study` hindcast, the model
//! against the reported nights out.

use std::process::ExitCode;

use rampart_study::{Hindcast, HindcastResult};

use crate::BadInput;
use crate::args::HindcastArgs;
use crate::study::{Bar, out_dir, policy_or, with_threads};

pub fn hindcast(a: &HindcastArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    if a.reps == 0 {
        return Err(BadInput::Usage("--reps must be at least 1").into());
    }
    let (_, scenario) = crate::load_scenario(&a.file)?;
    let text = std::fs::read_to_string(&a.nights).map_err(|source| BadInput::Read {
        path: a.nights.clone(),
        source,
    })?;
    let nights = rampart_model::nights::parse_nights(&text).map_err(|errors| {
        let shown = a.nights.display();
        BadInput::Message(
            errors
                .iter()
                .map(|e| format!("{shown}:{e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let study = Hindcast {
        scenario: &scenario,
        policy: policy_or(a.common.policy, scenario.doctrine.policy),
        base_seed: a.common.seed.unwrap_or(scenario.seed),
    };
    // Every night must be playable before any is played.
    for n in &nights {
        study
            .night_scenario(n)
            .map_err(|e| BadInput::Message(format!("{}: {e}", a.file.display())))?;
    }
    let bar = Bar::new(a.reps * nights.len() as u64, "replications");
    let result = with_threads(a.common.threads, || study.run(&nights, a.reps, &bar))?
        .map_err(|e| BadInput::Message(format!("{}: {e}", a.file.display())))?;
    drop(bar);
    let json = serde_json::to_string_pretty(&result)?;
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        crate::write_atomic(&dir.join("hindcast.json"), format!("{json}\n").as_bytes())?;
        crate::write_atomic(&dir.join("hindcast.csv"), csv(&result).as_bytes())?;
    }
    if let Some(path) = &a.report {
        let page = rampart_report::hindcast::hindcast(&scenario.name, &result);
        crate::write_atomic(path, page.as_bytes())?;
    }
    let text = if a.json {
        format!("{json}\n")
    } else {
        table(&result)
    };
    crate::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn csv(r: &HindcastResult) -> String {
    let mut out = String::from(
        "date,reported_share,model_share,share_low,share_high,reported_hits,model_hits,hits_low,hits_high,within_band\n",
    );
    for n in &r.nights {
        let (s, h) = (&n.model.neutralised_share, &n.model.drone_hits);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            csv_cell(&n.date),
            n.reported_share,
            s.mean,
            s.ci95_low,
            s.ci95_high,
            n.reported["drone_hits"]
                .as_u64()
                .map_or(String::new(), |x| x.to_string()),
            h.mean,
            h.ci95_low,
            h.ci95_high,
            n.within_band
        ));
    }
    out
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn table(r: &HindcastResult) -> String {
    let mut out = format!(
        "{:<12} {:>9} {:>24} {:>9} {:>24} {:>7}\n",
        "night", "reported", "model share [95%]", "hits", "model hits [95%]", "band"
    );
    for n in &r.nights {
        let (s, h) = (&n.model.neutralised_share, &n.model.drone_hits);
        out.push_str(&format!(
            "{:<12} {:>9} {:>24} {:>9} {:>24} {:>7}\n",
            n.date,
            format!("{:.1}%", n.reported_share * 100.0),
            format!(
                "{:.1}% [{:.1}, {:.1}]",
                s.mean * 100.0,
                s.ci95_low * 100.0,
                s.ci95_high * 100.0
            ),
            n.reported["drone_hits"]
                .as_u64()
                .map_or("?".into(), |x| x.to_string()),
            format!("{:.1} [{:.1}, {:.1}]", h.mean, h.ci95_low, h.ci95_high),
            if n.within_band { "yes" } else { "no" }
        ));
    }
    out.push_str(&format!(
        "{} of {} nights within the band; mean absolute error of the share {:.1} points ({} replications a night, policy {}, base seed {})\n",
        r.summary.within_band,
        r.summary.nights,
        r.summary.mean_abs_share_error * 100.0,
        r.summary.replications,
        r.summary.policy,
        r.summary.base_seed
    ));
    out
}
