//! `--set PATH=VALUE` on run, mc, compare, sweep, saturate, campaign and
//! serve: the field changes before anything runs; a misspelt path gets the
//! same "did you mean" as `--vary` and exit 2.

use super::{rampart, scratch, success_json};

#[test]
fn a_set_field_changes_every_command_s_night() {
    let set = ["--set", "raid.drones.count=3"];
    let run = success_json(&rampart(&[
        "run",
        "examples/minimal.toml",
        set[0],
        set[1],
        "--json",
    ]));
    assert_eq!(run["threats_launched"], 3);
    let mc = success_json(&rampart(&[
        "mc",
        "examples/minimal.toml",
        set[0],
        set[1],
        "--reps",
        "2",
        "--json",
    ]));
    assert_eq!(mc["metrics"]["threats_launched"]["mean"], 3.0);
    let compare = success_json(&rampart(&[
        "compare",
        "examples/minimal.toml",
        set[0],
        set[1],
        "--variant",
        "n=doctrine.policy=nearest",
        "--metric",
        "threats_launched",
        "--reps",
        "2",
        "--json",
    ]));
    for v in ["base", "n"] {
        assert_eq!(
            compare["metrics"][v]["threats_launched"]["mean"], 3.0,
            "{v}"
        );
    }
    let dir = scratch("set-sweep");
    let out = rampart(&[
        "sweep",
        "examples/minimal.toml",
        set[0],
        set[1],
        "--vary",
        "effector.gepard-1.magazine=10,20",
        "--reps",
        "2",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).expect("results"))
            .expect("json");
    for p in results.as_array().expect("points") {
        assert_eq!(p["metrics"]["threats_launched"]["mean"], 3.0);
    }
    let campaign = success_json(&rampart(&[
        "campaign",
        "examples/campaign.toml",
        "--set",
        "campaign.nights=3",
        "--reps",
        "2",
        "--json",
    ]));
    assert_eq!(campaign["nights"].as_array().expect("nights").len(), 3);
}

#[test]
fn a_misspelt_set_path_gets_did_you_mean_on_every_command() {
    let scenario_cases: &[&[&str]] = &[
        &["run", "examples/minimal.toml"],
        &["mc", "examples/minimal.toml", "--reps", "2"],
        &[
            "compare",
            "examples/minimal.toml",
            "--variant",
            "n=doctrine.policy=nearest",
        ],
        &[
            "sweep",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count=5",
            "--out",
            "/nonexistent/never",
        ],
        &[
            "saturate",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count",
            "--limit",
            "3",
        ],
        &["serve", "examples/minimal.toml", "--port", "0"],
    ];
    for args in scenario_cases {
        let mut args = args.to_vec();
        args.extend(["--set", "raid.drones.cuont=3"]);
        let out = rampart(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("did you mean `count`?"), "{args:?}: {err}");
    }
    let out = rampart(&[
        "campaign",
        "examples/campaign.toml",
        "--set",
        "campaign.nigths=3",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean `nights`?"), "{err}");
}
