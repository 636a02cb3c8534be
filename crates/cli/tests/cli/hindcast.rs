//! `rampart hindcast`: the JSON the issue specifies, bad nights files with
//! their line and column (exit 2), a scenario without `[hindcast]` (exit
//! 2), the same bytes for any thread count, and the HTML report.

use super::*;

const COUNTRY: &str = "examples/hindcast/country-2025.toml";

/// `rampart hindcast SCENARIO --nights NIGHTS` and `more` arguments.
fn hindcast(scenario: &str, nights: &std::path::Path, more: &[&str]) -> Output {
    let nights = nights.to_str().expect("utf-8");
    let mut args = vec!["hindcast", scenario, "--nights", nights];
    args.extend_from_slice(more);
    rampart(&args)
}

fn nights_file(name: &str, rows: &str) -> PathBuf {
    let path = scratch(name);
    std::fs::write(
        &path,
        format!(
            "date,drones,decoys,missiles,ballistic,drones_neutralised,drone_hits,source\n{rows}"
        ),
    )
    .expect("write");
    path
}

#[test]
fn json_has_the_specified_shape_and_honest_intervals() {
    let nights = nights_file(
        "two-nights.csv",
        "2025-09-07,810,400,13,4,747,56,\"a, quoted source\"\n2025-06-06,407,,44,6,368,,x\n",
    );
    let out = hindcast(
        COUNTRY,
        &nights,
        &["--reps", "8", "--threads", "1", "--json"],
    );
    let v = success_json(&out);
    let first = &v["nights"][0];
    assert_eq!(first["date"], "2025-09-07");
    assert_eq!(first["reported"]["drones"], 810);
    assert_eq!(first["reported"]["source"], "a, quoted source");
    assert!(v["nights"][1]["reported"]["decoys"].is_null());
    assert!(v["nights"][1]["reported"]["drone_hits"].is_null());
    for n in v["nights"].as_array().expect("nights") {
        let s = &n["model"]["neutralised_share"];
        let (lo, mean, hi) = (
            s["ci95_low"].as_f64().expect("low"),
            s["mean"].as_f64().expect("mean"),
            s["ci95_high"].as_f64().expect("high"),
        );
        assert!((0.0..=1.0).contains(&lo) && lo <= mean && mean <= hi && hi <= 1.0);
        let h = &n["model"]["drone_hits"];
        assert!(h["ci95_low"].as_f64().expect("low") >= 0.0);
        assert!(n["within_band"].is_boolean());
    }
    assert_eq!(v["summary"]["nights"], 2);
    assert!(v["summary"]["within_band"].is_u64());
    assert!(v["summary"]["mean_abs_share_error"].is_f64());
}

#[test]
fn the_same_bytes_for_one_and_two_threads() {
    let nights = nights_file("threads.csv", "2025-11-19,476,,48,1,442,34,s\n");
    let run = |threads: &str| {
        let out = hindcast(
            COUNTRY,
            &nights,
            &["--reps", "6", "--threads", threads, "--json"],
        );
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_bad_nights_file_exits_two_with_line_and_column() {
    let nights = nights_file("bad.csv", "2025-01-01,x1,,,,5,,s\n");
    let out = hindcast(COUNTRY, &nights, &["--reps", "2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:2:12:"), "{err}");
    assert!(err.contains("is not a count"), "{err}");
}

#[test]
fn a_scenario_without_a_hindcast_table_exits_two() {
    let nights = nights_file("one.csv", "2025-01-01,10,,,,5,,s\n");
    let out = hindcast("examples/minimal.toml", &nights, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[hindcast]"), "{err}");
}

#[test]
fn the_report_plots_model_against_reported() {
    let nights = nights_file("report.csv", "2025-09-07,810,400,13,4,747,56,s\n");
    let page = scratch("hindcast.html");
    let out = hindcast(
        COUNTRY,
        &nights,
        &["--reps", "4", "--report", page.to_str().expect("utf-8")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("report written");
    assert!(html.contains("<svg") && html.contains("reported") && html.contains("2025-09-07"));
}

/// Regression: zero replications was a panic (an empty accumulator).
#[test]
fn zero_replications_exit_two() {
    let nights = nights_file("zero.csv", "2025-01-01,10,,,,5,,s\n");
    let out = hindcast(COUNTRY, &nights, &["--reps", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reps"));
}

/// Regression: a date with a comma (quoted in the input) is quoted in
/// hindcast.csv, so every row keeps its ten cells.
#[test]
fn the_csv_output_quotes_what_needs_it() {
    let nights = nights_file("comma.csv", "\"7, Sept 2025\",810,400,13,4,747,56,s\n");
    let dir = scratch("hindcast-out");
    let out = hindcast(
        COUNTRY,
        &nights,
        &["--reps", "2", "--out", dir.to_str().expect("utf-8")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.join("hindcast.csv")).expect("written");
    let row = csv.lines().nth(1).expect("a row");
    assert!(row.starts_with("\"7, Sept 2025\","), "{row}");
    assert_eq!(row.matches(',').count(), 10, "{row}");
}

/// The nights' absolute share errors in a hindcast's JSON.
fn share_errors(v: &serde_json::Value) -> Vec<f64> {
    v["nights"]
        .as_array()
        .expect("nights")
        .iter()
        .map(|n| {
            let model = n["model"]["neutralised_share"]["mean"]
                .as_f64()
                .expect("mean");
            (model - n["reported_share"].as_f64().expect("share")).abs()
        })
        .collect()
}

/// The calibration against brute force: each value played alone (a
/// one-value grid is a plain hindcast at that value), the fitted value
/// and every leave-one-out choice recomputed from those runs by hand.
#[test]
fn calibration_fits_and_leaves_one_out_as_brute_force_does() {
    let nights = nights_file(
        "calibrate.csv",
        "2025-07-04,539,,11,7,478,63,s\n2025-07-09,728,420,13,6,711,,s\n2025-11-19,476,,48,1,442,34,s\n",
    );
    let path = "threat.shahed.jam_resistance";
    let values = ["0", "0.9"];
    let alone: Vec<serde_json::Value> = values
        .iter()
        .map(|v| {
            let set = format!("{path}={v}");
            success_json(&hindcast(
                COUNTRY,
                &nights,
                &["--reps", "6", "--json", "--calibrate", &set],
            ))
        })
        .collect();
    let errors: Vec<Vec<f64>> = alone.iter().map(share_errors).collect();
    let grid = format!("{path}={}", values.join(","));
    let page = scratch("calibrate.html");
    let v = success_json(&hindcast(
        COUNTRY,
        &nights,
        &[
            "--reps",
            "6",
            "--json",
            "--calibrate",
            &grid,
            "--report",
            page.to_str().expect("utf-8"),
        ],
    ));
    let html = std::fs::read_to_string(&page).expect("report written");
    assert!(
        html.contains("Leave one out") && html.contains(path),
        "report"
    );
    let c = &v["calibration"];
    assert_eq!(c["path"], path);
    let mean = |v: usize, nights: &[usize]| {
        nights.iter().map(|&n| errors[v][n]).sum::<f64>() / nights.len() as f64
    };
    let best = |nights: &[usize]| {
        if mean(1, nights) < mean(0, nights) {
            1
        } else {
            0
        }
    };
    let fitted = best(&[0, 1, 2]);
    assert_eq!(c["fitted"], values[fitted]);
    // The nights shown are those of the fitted value, to the bit.
    assert_eq!(v["nights"], alone[fitted]["nights"]);
    let mut loo = 0.0;
    for out in 0..3 {
        let others: Vec<usize> = (0..3).filter(|&n| n != out).collect();
        let chosen = best(&others);
        let row = &c["leave_one_out"][out];
        assert_eq!(row["fitted"], values[chosen], "night {out}");
        assert_eq!(row["abs_error"].as_f64(), Some(errors[chosen][out]));
        loo += errors[chosen][out] / 3.0;
    }
    let reported = c["leave_one_out_error"].as_f64().expect("error");
    assert!((reported - loo).abs() < 1e-12, "{reported} against {loo}");
    assert_eq!(c["grid"].as_array().expect("grid").len(), 2);
}

#[test]
fn calibration_of_a_misspelt_field_or_of_one_night_exits_two() {
    let nights = nights_file(
        "calibrate-bad.csv",
        "2025-07-04,539,,11,7,478,63,s\n2025-11-19,476,,48,1,442,34,s\n",
    );
    let out = hindcast(
        COUNTRY,
        &nights,
        &[
            "--reps",
            "2",
            "--calibrate",
            "threat.shahed.jam_resistanse=0,1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `jam_resistance`"), "{err}");
    let one = nights_file("calibrate-one.csv", "2025-07-04,539,,11,7,478,63,s\n");
    let out = hindcast(
        COUNTRY,
        &one,
        &[
            "--reps",
            "2",
            "--calibrate",
            "threat.shahed.jam_resistance=0,1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least two nights"));
}
