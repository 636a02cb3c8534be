//! Numbers for people (regressions from the new-user review): dollars with
//! `$` and separators, the assets hit, why the threats launched differ from
//! the file's counts, what a campaign's "launched" is made of, every file
//! written named on stderr, and a sweep that says how to resume and prints
//! its headline numbers.

use super::{rampart, scratch};

#[test]
fn run_says_what_happened_in_plain_numbers() {
    let out = rampart(&["run", "examples/night-raid.toml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("defender cost      $"), "{text}");
    for line in text.lines().filter(|l| l.contains(" shots ")) {
        assert!(
            line.contains('$') && !line.ends_with(" $"),
            "dollars first: {line}"
        );
    }
    assert!(text.contains("assets hit"), "{text}");
    // Poisson raids: 722 launched tonight against 733 in the file.
    assert!(
        text.contains("the raids' counts add up to 733: a Poisson raid launches a random number"),
        "{text}"
    );
    let money = text
        .lines()
        .find(|l| l.starts_with("defender cost"))
        .expect("a cost line");
    assert!(money.contains(','), "thousands separators: {money}");
}

#[test]
fn a_campaign_accounts_for_every_threat_launched() {
    let args = [
        "campaign",
        "examples/campaign.toml",
        "--reps",
        "2",
        "--nights",
        "4",
    ];
    let out = rampart(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("launched = neutralised (killed or jammed) + leaked + other"),
        "{text}"
    );
    let json = super::success_json(&rampart(&[&args[..], &["--json"]].concat()));
    let total = |k: &str| json["totals"][k]["mean"].as_f64().expect(k);
    let sum = total("neutralised") + total("leaked") + total("other");
    assert!(
        (total("launched") - sum).abs() < 1e-9,
        "{} against {sum}",
        total("launched")
    );
}

#[test]
fn files_written_are_named_and_a_sweep_says_how_to_resume() {
    let dir = scratch("people-sweep");
    let out = rampart(&[
        "sweep",
        "examples/minimal.toml",
        "--vary",
        "raid.drones.count=5,10",
        "--reps",
        "2",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("the same command resumes"), "{err}");
    assert!(err.contains("wrote ") && err.contains("curve.svg"), "{err}");
    assert!(text.contains("raid.drones.count=5: leakers"), "{text}");
    assert!(text.contains("raid.drones.count=10: leakers"), "{text}");
    let mc = scratch("people-mc");
    let out = rampart(&[
        "mc",
        "examples/minimal.toml",
        "--reps",
        "2",
        "--out",
        mc.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrote ") && err.contains("summary.json"),
        "{err}"
    );
}

/// Regression: the saturation probes printed their verdicts as `Holds`,
/// `Breaks` (a Rust debug form); now plain lowercase words, as the JSON.
#[test]
fn saturation_verdicts_are_plain_words() {
    let out = rampart(&[
        "saturate",
        "examples/minimal.toml",
        "--vary",
        "raid.drones.count",
        "--limit",
        "3",
        "--reps",
        "4",
        "--max-reps",
        "8",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(": holds") || err.contains(": breaks") || err.contains(": unclear"),
        "{err}"
    );
    for word in ["Holds", "Breaks", "Unclear"] {
        assert!(!err.contains(word), "{err}");
    }
}
