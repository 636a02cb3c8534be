//! `rampart hindcast`: arguments in, a `rampart-study` hindcast, the model
//! against the reported nights out.

use std::process::ExitCode;

use rampart_study::{Calibration, CalibrationSummary, Hindcast, HindcastResult, Vary};

use crate::BadInput;
use crate::args::HindcastArgs;
use crate::progress::Bar;
use crate::study::{out_dir, policy_or, with_threads};

pub fn hindcast(a: &HindcastArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    if a.reps == 0 {
        return Err(BadInput::Usage("--reps must be at least 1").into());
    }
    let (source, scenario) = crate::load_scenario(&a.file, &a.set)?;
    let vary = a
        .calibrate
        .as_deref()
        .map(|v| Vary::parse(v).map_err(crate::invalid("--calibrate")))
        .transpose()?;
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
            .map_err(crate::invalid(a.file.display().to_string()))?;
    }
    let (result, calibration) = match &vary {
        None => {
            let bar = Bar::new(
                a.reps * nights.len() as u64,
                "replications",
                a.common.progress(),
            );
            let result = with_threads(a.common.threads, || study.run(&nights, a.reps, &bar))?
                .map_err(crate::invalid(a.file.display().to_string()))?;
            (result, None)
        }
        Some(vary) => {
            let calibration = Calibration {
                text: &source,
                vary,
                policy: study.policy,
                base_seed: study.base_seed,
            };
            let total = a.reps * (nights.len() * vary.values.len()) as u64;
            let bar = Bar::new(total, "replications", a.common.progress());
            let c = with_threads(a.common.threads, || calibration.run(&nights, a.reps, &bar))?
                .map_err(crate::invalid(a.file.display().to_string()))?;
            (c.fitted, Some(c.summary))
        }
    };
    let json = serde_json::to_string_pretty(&json_value(&result, calibration.as_ref())?)?;
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        crate::write_atomic(&dir.join("hindcast.json"), format!("{json}\n").as_bytes())?;
        crate::write_atomic(&dir.join("hindcast.csv"), csv(&result).as_bytes())?;
    }
    if let Some(path) = &a.report {
        let page =
            rampart_report::hindcast::hindcast(&scenario.name, &result, calibration.as_ref());
        crate::write_atomic(path, page.as_bytes())?;
    }
    let text = if a.json {
        format!("{json}\n")
    } else {
        let mut text = table(&result);
        if let Some(c) = &calibration {
            text.push_str(&calibration_table(c));
        }
        text
    };
    crate::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The result's JSON, with the calibration (if any) beside its nights and summary.
fn json_value(
    r: &HindcastResult,
    calibration: Option<&CalibrationSummary>,
) -> anyhow::Result<serde_json::Value> {
    let mut v = serde_json::to_value(r)?;
    if let (Some(c), Some(map)) = (calibration, v.as_object_mut()) {
        map.insert("calibration".into(), serde_json::to_value(c)?);
    }
    Ok(v)
}

fn calibration_table(c: &CalibrationSummary) -> String {
    let mut out = format!("\ncalibration of {}\n", c.path);
    out.push_str(&format!(
        "{:>12} {:>22} {:>14}\n",
        "value", "mean abs share error", "within band"
    ));
    for g in &c.grid {
        out.push_str(&format!(
            "{:>12} {:>22} {:>14}\n",
            g.value,
            format!("{:.2} points", g.mean_abs_share_error * 100.0),
            g.within_band
        ));
    }
    out.push_str(&format!(
        "fitted on all nights: {} (in-sample error {:.2} points; the nights above are shown at it)\n\n",
        c.fitted,
        c.fitted_error * 100.0
    ));
    out.push_str(&format!(
        "{:<12} {:>18} {:>9} {:>10} {:>10} {:>7}\n",
        "left out", "fitted on others", "reported", "predicted", "error", "band"
    ));
    for l in &c.leave_one_out {
        out.push_str(&format!(
            "{:<12} {:>18} {:>9} {:>10} {:>10} {:>7}\n",
            l.date,
            l.fitted,
            format!("{:.1}%", l.reported_share * 100.0),
            format!("{:.1}%", l.model_share * 100.0),
            format!("{:.2} pt", l.abs_error * 100.0),
            if l.within_band { "yes" } else { "no" }
        ));
    }
    out.push_str(&format!(
        "leave-one-out mean absolute error of the share: {:.2} points; {} of {} nights within the band when predicted from the others\n",
        c.leave_one_out_error * 100.0,
        c.leave_one_out_within_band,
        c.leave_one_out.len()
    ));
    out
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
