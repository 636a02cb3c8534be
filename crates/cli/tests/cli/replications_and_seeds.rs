//! Regressions from the new-user review: `--reps 0` exited 0 with an empty
//! table, `--reps 1` printed `[-inf, inf]`, `--seed -5` got clap's "unexpected
//! argument", a seed was reported as a metric (mean 9.7e18), and four
//! `--vary` flags overflowed the grid's size. Each is now refused with exit
//! 2 and a plain message, or printed honestly.

use super::{rampart, scratch};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn zero_replications_are_refused_by_every_study() {
    let dir = scratch("zero-reps");
    let dir = dir.to_str().expect("utf-8");
    let cases: &[&[&str]] = &[
        &["mc", "examples/minimal.toml"],
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
            "raid.drones.count=5,10",
            "--out",
            dir,
        ],
        &[
            "saturate",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count",
            "--limit",
            "3",
        ],
        &["campaign", "examples/campaign.toml"],
    ];
    for args in cases {
        let mut args = args.to_vec();
        args.extend(["--reps", "0"]);
        let out = rampart(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("at least one replication"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn one_replication_prints_its_value_and_no_interval() {
    let out = rampart(&["mc", "examples/minimal.toml", "--reps", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("inf"), "{text}");
    assert!(text.contains("none (1 replication)"), "{text}");
}

#[test]
fn a_negative_seed_gets_a_plain_message() {
    for cmd in ["mc", "run"] {
        let out = rampart(&[cmd, "examples/minimal.toml", "--seed", "-5"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("a seed is a number from 0 to 2^64-1"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn the_seed_is_not_a_metric() {
    let out = rampart(&["mc", "examples/minimal.toml", "--reps", "3", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let metrics = v["metrics"].as_object().expect("metrics");
    assert!(!metrics.contains_key("seed"));
    assert!(metrics.contains_key("leakers"));
}

#[test]
fn a_grid_beyond_the_limit_is_refused_before_any_work() {
    let dir = scratch("huge-grid");
    let big = "raid.drones.count=1..100000:1";
    let mag = "effector.gepard-1.magazine=1..100000:1";
    let out = rampart(&[
        "sweep",
        "examples/minimal.toml",
        "--vary",
        big,
        "--vary",
        big,
        "--vary",
        mag,
        "--vary",
        mag,
        "--reps",
        "1",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("more than the limit"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("manifest.json").exists());
}

/// `--shard` is read by the CLI (`i/n`); the study only checks `i < n`.
#[test]
fn a_shard_beyond_its_count_is_refused() {
    for bad in ["2/2", "0/0", "1", "a/b"] {
        let out = rampart(&[
            "sweep",
            "examples/minimal.toml",
            "--vary",
            "raid.drones.count=1,2",
            "--shard",
            bad,
            "--out",
            "target/never-written",
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&out).contains("expected a shard i/n with 0 <= i < n"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}
