//! Regression: a typo in `--metric` (`leaker`) blamed the scenario and
//! listed 66 names. Now `saturate`, `compare` and `sweep` refuse it before
//! any work, exit 2, with "no metric `leaker`; did you mean `leakers`?".

use super::{rampart, scratch};

#[test]
fn a_misspelt_metric_gets_a_did_you_mean_from_every_study() {
    let dir = scratch("metric-typo");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "saturate",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count",
            "--limit",
            "3",
        ],
        vec![
            "compare",
            "examples/minimal.toml",
            "--variant",
            "n=doctrine.policy=nearest",
        ],
        vec![
            "sweep",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count=5,10",
            "--out",
            dir.to_str().expect("utf-8"),
        ],
    ];
    for mut args in cases {
        args.extend(["--metric", "leaker", "--reps", "2"]);
        let out = rampart(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("no metric `leaker`; did you mean `leakers`?"),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("scenario"),
            "{args:?} blames the scenario: {err}"
        );
    }
    assert!(!dir.join("manifest.json").exists(), "nothing ran");
}
