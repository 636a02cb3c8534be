//! Regression: a closed pipe on standard output (`rampart mc ... | head -1`,
//! `rampart validate FILE | true`) was a panic, exit 101 ("failed printing
//! to stdout: Broken pipe"). Now every command ends quietly with exit 0,
//! as ripgrep does.

use std::process::{Command, Stdio};

use super::root;

/// Runs `rampart args` with its standard output a pipe whose reading end
/// is closed at once, before the program has anything to print.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_printing_command_ends_quietly_on_a_closed_pipe() {
    let cases: &[&[&str]] = &[
        &["validate", "examples/minimal.toml"],
        &["validate", "examples/minimal.toml", "--format", "json"],
        &["run", "examples/minimal.toml"],
        &["run", "examples/minimal.toml", "--json"],
        &["mc", "examples/minimal.toml", "--reps", "20"],
        &["mc", "examples/minimal.toml", "--reps", "20", "--json"],
        &[
            "compare",
            "examples/minimal.toml",
            "--reps",
            "20",
            "--variant",
            "nearest=doctrine.policy=nearest",
        ],
        &["schema"],
    ];
    for args in cases {
        let (code, err) = with_closed_stdout(args);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}
