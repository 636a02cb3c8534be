//! Regression: a sharded sweep of two fields panicked (exit 101, "index out
//! of bounds" in the heat map, which indexed one shard's points as the
//! whole grid). Each shard now plots what it ran (the other shard's cells
//! grey), and the merged sweep holds every point.

use super::{rampart, scratch};

/// `rampart sweep` of the minimal example over a 2 x 2 grid into `out`,
/// with `extra` arguments (a shard).
fn sweep_2x2(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "sweep",
        "examples/minimal.toml",
        "--vary",
        "raid.drones.count=5,10",
        "--vary",
        "effector.gepard-1.magazine=10,30",
        "--reps",
        "2",
        "--out",
        out.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    rampart(&args)
}

#[test]
fn both_shards_of_a_two_field_sweep_run_and_merge() {
    let dirs: Vec<_> = (0..2).map(|k| scratch(&format!("sharded-{k}"))).collect();
    for (k, dir) in dirs.iter().enumerate() {
        let shard = format!("{k}/2");
        let out = sweep_2x2(dir, &["--shard", &shard]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "shard {shard}: {err}");
        let svg = std::fs::read_to_string(dir.join("heatmap.svg")).expect("a heat map");
        assert!(
            svg.contains("not run here"),
            "shard {shard} greys the other's cells"
        );
    }
    let merged = scratch("sharded-merged");
    let mut args = vec!["merge", "--out", merged.to_str().expect("utf-8")];
    args.extend(dirs.iter().map(|d| d.to_str().expect("utf-8")));
    let out = rampart(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(merged.join("results.json")).expect("merged results"),
    )
    .expect("json");
    assert_eq!(results.as_array().expect("points").len(), 4);
    // The merge draws the figures of the whole grid, from its table in
    // memory: the same bytes as one unsharded sweep's.
    let whole = scratch("sharded-whole");
    assert_eq!(sweep_2x2(&whole, &[]).status.code(), Some(0));
    for file in ["heatmap.svg", "cost-protection.svg", "results.parquet"] {
        let merged_bytes = std::fs::read(merged.join(file)).expect("merged figure");
        let whole_bytes = std::fs::read(whole.join(file)).expect("whole figure");
        assert!(merged_bytes == whole_bytes, "{file} differs");
    }
}

/// Regression: a sweep's IO errors flattened their source into a string.
/// A directory holding an unreadable manifest names the file and the JSON
/// error under it, and exits 2 (bad input, not a fault of ours).
#[test]
fn an_unreadable_manifest_names_the_file_and_its_error() {
    let dir = scratch("bad-manifest");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("manifest.json"), "not json").expect("write");
    let out = rampart(&[
        "sweep",
        "examples/minimal.toml",
        "--vary",
        "raid.drones.count=5",
        "--reps",
        "1",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("manifest.json is not readable: expected"),
        "the file and the source: {err}"
    );
}
