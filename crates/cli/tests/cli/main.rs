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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

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
