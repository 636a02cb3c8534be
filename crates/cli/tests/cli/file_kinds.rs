//! Regression: `rampart validate examples/campaign.toml` failed with "did you
//! mean raid?" (it read every file as a scenario), and `rampart campaign` on
//! a scenario listed eleven unknown keys. A file is told by its top-level
//! table; each command says what it got and what to run instead.

use super::rampart;

#[test]
fn validate_checks_a_campaign_as_a_campaign() {
    let out = rampart(&[
        "validate",
        "examples/campaign.toml",
        "examples/minimal.toml",
        "examples/night-raid.toml",
        "examples/hindcast/country-2025.toml",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("examples/campaign.toml: ok: campaign \"Six months over Aldport\""),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");
}

#[test]
fn a_campaign_with_a_broken_night_scenario_fails_validation() {
    let dir = std::env::temp_dir().join(format!("rampart-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let text = std::fs::read_to_string(super::root().join("examples/campaign.toml"))
        .expect("example")
        .replace(
            "scenario = \"night-raid.toml\"",
            "scenario = \"missing.toml\"",
        );
    let file = dir.join("campaign.toml");
    std::fs::write(&file, text).expect("write");
    let out = rampart(&["validate", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn each_command_says_which_kind_of_file_it_got() {
    let out = rampart(&["campaign", "examples/night-raid.toml", "--reps", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a scenario (one night), not a campaign"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    for cmd in ["run", "mc"] {
        let out = rampart(&[cmd, "examples/campaign.toml"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is a campaign (many nights), not a scenario"),
            "{cmd}: {err}"
        );
    }
}
