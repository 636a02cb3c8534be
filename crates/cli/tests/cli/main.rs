//! End-to-end tests of the `rampart` binary: exit codes, output, files.

use std::path::PathBuf;
use std::process::{Command, Output};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// Asserts that a command succeeded and printed exactly one JSON object.
fn success_json(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

mod closed_pipe;
mod file_kinds;
mod hindcast;
mod metric_names;
mod people_output;
mod replications_and_seeds;
mod set_flag;
mod sharded_sweep;

mod validate_exit_codes {
    use super::*;

    #[test]
    fn valid_examples_exit_zero() {
        let out = rampart(&[
            "validate",
            "examples/minimal.toml",
            "examples/night-raid.toml",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("examples/night-raid.toml: ok"), "{stdout}");
    }

    #[test]
    fn invalid_file_exits_two_with_located_diagnostics() {
        let path = scratch("bad.toml");
        let text = std::fs::read_to_string(root().join("examples/minimal.toml"))
            .expect("example")
            .replace("range = \"60 km\"", "range = 60")
            .replace("magazine = 30", "magazin = 30");
        std::fs::write(&path, text).expect("write");
        let shown = path.display().to_string();
        let out = rampart(&["validate", &shown]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("{shown}:22:9: error: sensor[0].range")),
            "{stderr}"
        );
        assert!(stderr.contains("did you mean `magazine`?"), "{stderr}");
        assert!(stderr.contains("2 error(s)"), "{stderr}");
    }

    #[test]
    fn unreadable_file_exits_two() {
        let out = rampart(&["validate", "no/such/file.toml"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the file"));
    }

    #[test]
    fn junk_bytes_exit_two_without_panic() {
        let path = scratch("junk.toml");
        std::fs::write(&path, [0u8, 159, 146, 150, 255, 10, 91, 91]).expect("write");
        let out = rampart(&["validate", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not valid UTF-8"), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }

    #[test]
    fn json_format_is_one_parseable_object() {
        let out = rampart(&["validate", "--format", "json", "examples/minimal.toml"]);
        assert_eq!(out.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["files"][0]["valid"], serde_json::Value::Bool(true));
    }

    #[test]
    fn oversized_file_is_refused_before_reading_it_all() {
        let path = scratch("huge.toml");
        std::fs::write(&path, vec![b'#'; rampart_model::MAX_FILE_BYTES + 10]).expect("write");
        let out = rampart(&["validate", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("scenario files are limited to"));
    }

    #[test]
    fn usage_errors_exit_two() {
        let out = rampart(&["validate"]);
        assert_eq!(out.status.code(), Some(2));
    }
}

mod schema_output {
    use super::*;

    #[test]
    fn schema_prints_json_schema() {
        let out = rampart(&["schema"]);
        assert_eq!(out.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(v["properties"]["effector"].is_object());
    }

    #[test]
    fn schema_out_writes_the_whole_file() {
        let path = scratch("schema.json");
        let out = rampart(&["schema", "--out", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(0));
        let written = std::fs::read(&path).expect("written");
        let printed = rampart(&["schema"]).stdout;
        assert_eq!(written, printed);
    }

    #[test]
    fn unwritable_output_exits_two_and_leaves_nothing_behind() {
        let dir = scratch("no-such-dir");
        let target = dir.join("schema.json");
        let out = rampart(&["schema", "--out", &target.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
        assert!(!dir.exists());
    }
}

mod wta_commands {
    use super::*;

    const SMALL: &str = "2 3 1\n10\n20\n30\n0 0 0.5\n0 1 0.6\n0 2 0.7\n1 0 0.1\n1 1 0.2\n1 2 0.3\n";

    #[test]
    fn solve_json_is_one_object_whose_assignment_recomputes() {
        let path = scratch("small.txt");
        std::fs::write(&path, SMALL).expect("write");
        let out = rampart(&["wta", "solve", &path.display().to_string(), "--json"]);
        let v = success_json(&out);
        for key in [
            "solver",
            "status",
            "objective",
            "lower_bound",
            "elapsed_ms",
            "assignment",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["status"], "optimal");
        // Recompute the objective from the pairs.
        let p = rampart_wta::io::read_text(SMALL).expect("valid");
        let mut survive = [10.0, 20.0, 30.0];
        for pair in v["assignment"].as_array().expect("list") {
            let (i, j) = (
                pair[0].as_u64().expect("i") as usize,
                pair[1].as_u64().expect("j") as usize,
            );
            survive[j] *= 1.0 - p.pk(i, j);
        }
        let total: f64 = survive.iter().sum();
        assert!((total - v["objective"].as_f64().expect("number")).abs() < 1e-9);
    }

    #[test]
    fn bad_instance_exits_two_with_the_line() {
        let path = scratch("bad.txt");
        std::fs::write(&path, SMALL.replace("0 2 0.7", "0 2 7")).expect("write");
        let out = rampart(&["wta", "solve", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("line 7: probability 7 is out of range"),
            "{stderr}"
        );
        let truncated = scratch("truncated.txt");
        std::fs::write(&truncated, &SMALL[..20]).expect("write");
        let out = rampart(&["wta", "solve", &truncated.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("ends early"));
    }

    #[test]
    fn generate_then_bench_a_directory() {
        let dir = scratch("bench-dir");
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("gen_6x8x2.txt");
        let out = rampart(&[
            "wta",
            "generate",
            "--scheme",
            "apt",
            "-m",
            "6",
            "-n",
            "8",
            "--copies",
            "2",
            "--seed",
            "7",
            "--out",
            &file.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0));
        let p = rampart_wta::io::read_text(&std::fs::read_to_string(&file).expect("written"))
            .expect("valid");
        assert_eq!(
            (p.weapon_types(), p.targets(), p.weapon(0).count),
            (6, 8, 2)
        );
        std::fs::write(
            dir.join("best-known.csv"),
            "instance,best_lower_bound,best_upper_bound\ngen_6x8x2,0,1000\n",
        )
        .expect("csv");
        let out = rampart(&[
            "wta",
            "bench",
            &dir.display().to_string(),
            "--time-limit",
            "200ms",
            "--json",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one line");
        assert_eq!(line["instance"], "gen_6x8x2");
        assert_eq!(line["best_known_upper"], 1000.0);
        assert!(
            line["objective"].as_f64().expect("number") <= line["greedy"].as_f64().expect("number")
        );
    }

    /// Two threads under a work limit: the same answer twice, as good as
    /// one thread's; no threads at all is bad input.
    #[test]
    fn threads_give_a_portfolio_and_zero_is_refused() {
        let path = scratch("threads.txt");
        std::fs::write(&path, SMALL).expect("write");
        let file = path.display().to_string();
        let solve = |threads: &str| {
            success_json(&rampart(&[
                "wta",
                "solve",
                &file,
                "--json",
                "--work-limit",
                "100000",
                "--threads",
                threads,
            ]))
        };
        let one = solve("1");
        let two = solve("2");
        assert_eq!(two["assignment"], solve("2")["assignment"]);
        assert!(
            two["objective"].as_f64().expect("number")
                <= one["objective"].as_f64().expect("number")
        );
        let out = rampart(&["wta", "solve", &file, "--threads", "0"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--threads must be at least 1"));
    }

    #[test]
    fn bad_time_limit_exits_two() {
        let out = rampart(&["wta", "solve", "x.txt", "--time-limit", "soon"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("invalid duration"));
    }
}

mod run_command {
    use super::*;

    #[test]
    fn json_summary_has_the_documented_keys_and_out_writes_both_files() {
        let dir = scratch("run-out");
        let out = rampart(&[
            "run",
            "examples/minimal.toml",
            "--seed",
            "3",
            "--json",
            "--out",
            &dir.display().to_string(),
        ]);
        let v = success_json(&out);
        for key in [
            "threats_launched",
            "by_fate",
            "leakers",
            "shots_by_effector_class",
            "defender_cost",
            "attacker_cost",
            "cost_exchange_ratio",
            "damage_by_asset_kind",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        for fate in [
            "killed",
            "jammed",
            "leaked_hit",
            "leaked_missed",
            "decoy_expired",
            "airborne",
        ] {
            assert!(v["by_fate"].get(fate).is_some(), "missing by_fate.{fate}");
        }
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("summary.json")).expect("summary.json"))
                .expect("json");
        assert_eq!(summary, v);
        let events = std::fs::read_to_string(dir.join("events.jsonl")).expect("events.jsonl");
        assert!(events.lines().count() >= 10);
        for line in events.lines() {
            let _: serde_json::Value = serde_json::from_str(line).expect("one JSON per line");
        }
        // The same seed gives the same bytes.
        let again = rampart(&["run", "examples/minimal.toml", "--seed", "3", "--json"]);
        assert_eq!(again.stdout, out.stdout);
    }

    #[test]
    fn invalid_scenario_exits_two() {
        let path = scratch("bad-run.toml");
        std::fs::write(&path, "[scenario]\nname = \"x\"\n").expect("write");
        let out = rampart(&["run", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("missing required key `duration`"));
    }
}

mod reports_and_exports {
    use super::*;

    #[test]
    fn run_writes_the_report_the_replay_and_both_exports() {
        let dir = scratch("exports");
        std::fs::create_dir_all(&dir).expect("dir");
        let d = |f: &str| dir.join(f).display().to_string();
        let out = rampart(&[
            "run",
            "examples/night-raid.toml",
            "--json",
            "--out",
            &d("run"),
            "--report",
            &d("night.html"),
            "--geojson",
            &d("night.geojson"),
            "--kml",
            &d("night.kml"),
        ]);
        let summary = success_json(&out);
        let page = std::fs::read_to_string(dir.join("night.html")).expect("report");
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains(&format!(
            "data-metric=\"/leakers\" data-value=\"{}\"",
            summary["leakers"]
        )));
        let replay: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("run/replay.json")).expect("replay"))
                .expect("json");
        assert_eq!(replay["summary"], summary);
        assert_eq!(
            replay["threats"].as_array().map(Vec::len),
            summary["threats_launched"].as_u64().map(|n| n as usize)
        );
        let geojson: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("night.geojson")).expect("geojson"))
                .expect("json");
        assert_eq!(geojson["type"], "FeatureCollection");
        assert!(
            std::fs::read_to_string(dir.join("night.kml"))
                .expect("kml")
                .contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\">")
        );
    }

    #[test]
    fn an_export_without_an_origin_is_bad_input_and_writes_nothing() {
        let dir = scratch("no-origin");
        std::fs::create_dir_all(&dir).expect("dir");
        let report = dir.join("never.html");
        let out = rampart(&[
            "run",
            "examples/minimal.toml",
            "--geojson",
            &dir.join("never.geojson").display().to_string(),
            "--report",
            &report.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--geojson: scenario `minimal` has no geodetic origin"),
            "{stderr}"
        );
        assert!(!report.exists() && !dir.join("never.geojson").exists());
    }

    /// Every number of `page` is the number at its pointer in `json`, to the bit.
    fn numbers_match(page: &str, json: &serde_json::Value) -> usize {
        let shown = rampart_report::html::shown_numbers(page);
        for (pointer, value) in &shown {
            let want = json
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{pointer} is not in the result"));
            assert_eq!(*value, want.to_string(), "{pointer}");
        }
        shown.len()
    }

    #[test]
    fn every_study_writes_a_report_with_the_numbers_of_its_result() {
        let dir = scratch("study-reports");
        std::fs::create_dir_all(&dir).expect("dir");
        let d = |f: &str| dir.join(f).display().to_string();
        let file = "examples/minimal.toml";
        let cases: [(&str, Vec<&str>); 3] = [
            ("mc", vec!["mc", file, "--reps", "12", "--json"]),
            (
                "compare",
                vec![
                    "compare",
                    file,
                    "--reps",
                    "12",
                    "--json",
                    "--variant",
                    "nearest=doctrine.policy=nearest",
                    "--variant",
                    "greedy=doctrine.policy=greedy",
                ],
            ),
            (
                "saturate",
                vec![
                    "saturate",
                    file,
                    "--vary",
                    "raid.drones.count",
                    "--metric",
                    "leakers",
                    "--limit",
                    "1",
                    "--range",
                    "1..80",
                    "--reps",
                    "8",
                    "--max-reps",
                    "16",
                    "--json",
                ],
            ),
        ];
        for (name, mut args) in cases {
            let report = d(&format!("{name}.html"));
            args.extend(["--report", report.as_str()]);
            let json = success_json(&rampart(&args));
            let page = std::fs::read_to_string(&report).expect("report");
            assert!(page.contains("<h2>The scenario at a glance</h2>"), "{name}");
            let n = numbers_match(&page, &json);
            assert!(n >= 10, "{name}: {n} numbers");
        }
        let out = rampart(&[
            "sweep",
            file,
            "--vary",
            "raid.drones.count=5,10",
            "--vary",
            "effector.gepard-1.magazine=10,30",
            "--reps",
            "4",
            "--out",
            &d("sweep"),
            "--report",
            &d("sweep.html"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let results: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("sweep/results.json")).expect("json"))
                .expect("json");
        let page = std::fs::read_to_string(dir.join("sweep.html")).expect("report");
        assert_eq!(numbers_match(&page, &results), 4 * 4);
        assert!(page.contains("Heat map of leakers"));
    }

    #[test]
    fn a_report_into_a_missing_directory_is_refused_before_the_study_runs() {
        let missing = scratch("no-such-dir").join("r.html");
        let out = rampart(&[
            "mc",
            "examples/night-raid.toml",
            "--reps",
            "100000",
            "--report",
            &missing.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--report") && stderr.contains("does not exist"),
            "{stderr}"
        );
    }

    #[test]
    fn serve_refuses_a_replay_that_is_not_whole() {
        let dir = scratch("half-run");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("replay.json"), r#"{"format":1,"threats":[]}"#).expect("write");
        let out = rampart(&["serve", &dir.display().to_string(), "--port", "0"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a replay"));
    }

    #[test]
    fn serve_refuses_a_directory_without_a_replay() {
        let dir = scratch("empty-run");
        std::fs::create_dir_all(&dir).expect("dir");
        let out = rampart(&["serve", &dir.display().to_string(), "--port", "0"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("replay.json"));
    }
}

mod studies {
    use super::*;

    #[test]
    fn compare_takes_the_variants_named_in_the_file() {
        let path = scratch("with-variants.toml");
        let text = std::fs::read_to_string(root().join("examples/minimal.toml")).expect("example")
            + "\n[[variant]]\nid = \"short\"\nset = { \"effector.gepard-1.magazine\" = 2 }\n\n[[variant]]\nid = \"nearest\"\nset = { \"doctrine.policy\" = \"nearest\" }\n";
        std::fs::write(&path, text).expect("write");
        let file = path.display().to_string();
        let all = success_json(&rampart(&["compare", &file, "--reps", "8", "--json"]));
        assert_eq!(
            all["variants"],
            serde_json::json!(["base", "short", "nearest"])
        );
        let one = success_json(&rampart(&[
            "compare",
            &file,
            "--reps",
            "8",
            "--json",
            "--variant",
            "short",
        ]));
        assert_eq!(one["variants"], serde_json::json!(["base", "short"]));
        // The same numbers either way: same seeds, same variants.
        assert_eq!(one["metrics"]["short"], all["metrics"]["short"]);
        let out = rampart(&["compare", &file, "--variant", "shrot"]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no [[variant]] `shrot`") && stderr.contains("short, nearest"),
            "{stderr}"
        );
    }

    fn sweep_args(out: &str) -> Vec<String> {
        [
            "sweep",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count=5..60:5",
            "--reps",
            "100",
            "--threads",
            "2",
            "--out",
            out,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn points(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir.join("points"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .count()
            })
            .unwrap_or(0)
    }

    /// A sweep killed with SIGKILL midway and started again with the same
    /// command gives the same files as a run never interrupted.
    #[test]
    fn a_sweep_killed_midway_and_restarted_equals_an_uninterrupted_one() {
        let whole = scratch("sweep-whole");
        let killed = scratch("sweep-killed");
        let _ = std::fs::remove_dir_all(&whole);
        let _ = std::fs::remove_dir_all(&killed);
        let w = whole.display().to_string();
        let k = killed.display().to_string();
        let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(sweep_args(&w))
            .current_dir(root())
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(sweep_args(&k))
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        let start = std::time::Instant::now();
        while points(&killed) < 3 && start.elapsed() < std::time::Duration::from_secs(120) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let done = points(&killed);
        assert!((3..12).contains(&done), "killed after {done} of 12 points");
        assert!(!killed.join("results.csv").exists());
        let out = rampart(
            &sweep_args(&k)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains(&format!("{} point(s) of 12 in this run", 12 - done)),
            "{said}"
        );
        for f in ["results.csv", "results.json", "manifest.json", "curve.svg"] {
            assert_eq!(
                std::fs::read(whole.join(f)).expect("whole"),
                std::fs::read(killed.join(f)).expect("killed"),
                "{f}"
            );
        }
        // No temporary file is left behind.
        let stray = std::fs::read_dir(killed.join("points"))
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().ends_with(".json"))
            .count();
        assert!(stray <= 1, "{stray} temporary files");
    }

    #[test]
    fn mc_json_is_the_same_for_one_and_two_threads() {
        let run = |t: &str| {
            rampart(&[
                "mc",
                "examples/minimal.toml",
                "--reps",
                "300",
                "--threads",
                t,
                "--json",
            ])
        };
        let (a, b) = (run("1"), run("2"));
        let v = success_json(&a);
        assert_eq!(a.stdout, b.stdout);
        assert_eq!(v["replications"], 300);
        assert!(v["metrics"]["leakers"]["ci95_low"].is_number());
    }

    #[test]
    fn a_wrong_path_is_bad_input_with_a_suggestion() {
        let out = rampart(&[
            "sweep",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.cuont=1,2",
            "--out",
            &scratch("bad-sweep").display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("did you mean `count`"), "{err}");
        let out = rampart(&[
            "compare",
            "examples/minimal.toml",
            "--variant",
            "n=doctrine.policy=nearst",
            "--reps",
            "10",
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("did you mean `nearest`"), "{err}");
    }

    #[test]
    fn compare_gives_a_verdict() {
        let out = rampart(&[
            "compare",
            "examples/minimal.toml",
            "--variant",
            "nearest=doctrine.policy=nearest",
            "--variant",
            "greedy=doctrine.policy=greedy",
            "--reps",
            "100",
            "--json",
        ]);
        let v = success_json(&out);
        let verdict = v["verdicts"][0].as_str().expect("verdict");
        assert!(verdict.starts_with("greedy"), "{verdict}");
        assert!(v["differences"]["greedy"]["leakers"]["mean"].is_number());
    }
}

mod campaigns {
    use super::*;

    fn race(dir: &std::path::Path, extra: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("dir");
        std::fs::copy(
            root().join("tests/fixtures/stock-race.toml"),
            dir.join("stock-race.toml"),
        )
        .expect("copy");
        let path = dir.join("race.toml");
        std::fs::write(
            &path,
            format!(
                "[campaign]\nname = \"race\"\nscenario = \"stock-race.toml\"\nnights = 14\n\n[[attacker]]\nid = \"shahed-type\"\nstockpile = 1000\n\n[raids]\nnightly = 1.0\n\n[[defender]]\nid = \"battery\"\nstock = 95\nper_month = 30\n{extra}"
            ),
        )
        .expect("write");
        path
    }

    #[test]
    fn the_output_is_the_same_for_one_and_three_threads_and_the_report_matches_it() {
        let dir = scratch("campaign");
        let file = race(&dir, "").display().to_string();
        let report = dir.join("race.html").display().to_string();
        let run = |threads: &str| {
            rampart(&[
                "campaign",
                &file,
                "--reps",
                "6",
                "--json",
                "--threads",
                threads,
                "--report",
                &report,
            ])
        };
        let one = run("1");
        let json = success_json(&one);
        assert_eq!(run("3").stdout, one.stdout);
        // The hand calculation of the dry night holds in every replication.
        assert_eq!(json["dry"]["battery"]["ran_dry"], 6);
        assert_eq!(json["dry"]["battery"]["night"]["mean"], 11.0);
        let page = std::fs::read_to_string(&report).expect("report");
        let shown = rampart_report::html::shown_numbers(&page);
        assert!(shown.len() > 10);
        for (pointer, value) in &shown {
            let want = json.pointer(pointer).unwrap_or_else(|| panic!("{pointer}"));
            assert_eq!(*value, want.to_string(), "{pointer}");
        }
        assert!(page.contains("Stocks over time") && page.contains("Leak rate over time"));
    }

    #[test]
    fn the_example_is_the_same_for_one_and_three_threads() {
        let dir = scratch("campaign-example");
        let run = |threads: &str| {
            let out = dir.join(format!("out-{threads}"));
            let o = rampart(&[
                "campaign",
                "examples/campaign.toml",
                "--nights",
                "12",
                "--reps",
                "3",
                "--json",
                "--threads",
                threads,
                "--out",
                &out.display().to_string(),
            ]);
            let files: Vec<Vec<u8>> = ["campaign.json", "nights.csv", "stocks.svg"]
                .iter()
                .map(|f| std::fs::read(out.join(f)).expect("file"))
                .collect();
            (o, files)
        };
        let (one, files_one) = run("1");
        let json = success_json(&one);
        let (three, files_three) = run("3");
        assert_eq!(one.stdout, three.stdout);
        assert_eq!(files_one, files_three);
        // Replications differ: the leak on the massed raid has a spread.
        assert!(json["nights"][9]["leaked"]["sd"].as_f64().expect("sd") > 0.0);
    }

    #[test]
    fn out_of_range_options_and_budgets_that_change_the_campaign_are_refused() {
        for args in [
            vec!["--nights", "100001"],
            vec!["--reps", "0"],
            vec!["--budget-variant", "long=campaign.nights=400"],
        ] {
            let mut all = vec!["campaign", "examples/campaign.toml"];
            all.extend(args.iter());
            let out = rampart(&all);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
        }
    }

    #[test]
    fn a_budget_that_buys_more_rounds_leaks_less_and_says_so() {
        let dir = scratch("budgets");
        let file = race(&dir, "").display().to_string();
        let out = rampart(&[
            "campaign",
            &file,
            "--reps",
            "4",
            "--json",
            "--metric",
            "leaked",
            "--budget-variant",
            "more=defender.battery.per_month=300",
        ]);
        let v = success_json(&out);
        let verdict = v["verdicts"][0].as_str().expect("verdict");
        assert!(
            verdict.starts_with("more gives") && verdict.contains("less `leaked`"),
            "{verdict}"
        );
        assert!(verdict.contains("per campaign"), "{verdict}");
    }

    #[test]
    fn a_bad_campaign_is_located_and_exits_two() {
        let dir = scratch("bad-campaign");
        let file = race(&dir, "\n[raids.strike]\nevery = 0\nscale = 1\n");
        let text = std::fs::read_to_string(&file)
            .expect("read")
            .replace("id = \"battery\"", "id = \"batery\"")
            .replace("[raids]\nnightly = 1.0\n", "");
        std::fs::write(&file, text).expect("write");
        let out = rampart(&["campaign", &file.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("race.toml:"), "{stderr}");
        assert!(stderr.contains("did you mean `battery`?"), "{stderr}");
        assert!(stderr.contains("raids.strike.every"), "{stderr}");
        // A bad budget path is named too.
        let file = race(&dir, "");
        let out = rampart(&[
            "campaign",
            &file.display().to_string(),
            "--budget-variant",
            "x=defender.battery.per_mnth=3",
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `per_month`?"));
    }
}
