//! Sweeps: shards merged equal the unsharded run, and a resumed sweep
//! keeps its points and recomputes none.

use rampart_study::{Shard, Silent, Sweep, Vary, merge};

fn sweep() -> Sweep {
    Sweep {
        text: crate::lone_drone(0.4, 2),
        vary: vec![
            Vary::parse("effector.sam.pk.owa-drone=0.2,0.5,0.8").expect("vary"),
            Vary::parse("effector.sam.magazine=1..2:1").expect("vary"),
        ],
        reps: 30,
        base_seed: 2,
        policy: None,
    }
}

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("file")
}

#[test]
fn shards_merged_equal_the_unsharded_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let s = sweep();
    let whole = tmp.path().join("whole");
    let whole_run = s
        .run(&whole, Shard::WHOLE, &Silent, &mut |_| {})
        .expect("run");
    assert_eq!(whole_run.ran, 6);
    let mut dirs = Vec::new();
    for i in 0..4 {
        let d = tmp.path().join(format!("shard{i}"));
        s.run(&d, Shard { index: i, count: 4 }, &Silent, &mut |_| {})
            .expect("shard");
        dirs.push(d);
    }
    let merged = tmp.path().join("merged");
    let merged_run = merge(&dirs, &merged).expect("merge");
    assert_eq!(merged_run.ran, 6);
    // The table in memory is the one written, the same for both.
    assert_eq!(merged_run, whole_run);
    let written: Vec<rampart_study::PointResult> =
        serde_json::from_str(&read(&whole, "results.json")).expect("results.json");
    assert_eq!(written, whole_run.results);
    for f in [
        "results.csv",
        "results.json",
        "manifest.json",
        "results.parquet",
    ] {
        let bytes = |d: &std::path::Path| std::fs::read(d.join(f)).expect("file");
        assert_eq!(bytes(&whole), bytes(&merged), "{f}");
    }
    let csv = read(&whole, "results.csv");
    assert_eq!(csv.lines().count(), 7);
    assert!(csv.starts_with("point,effector.sam.pk.owa-drone,effector.sam.magazine,"));
    // A missing shard is an error, not a short result.
    let err = merge(&dirs[..3], &tmp.path().join("short")).expect_err("incomplete");
    assert!(err.to_string().contains("incomplete"), "{err}");
}

#[test]
fn a_resumed_sweep_runs_only_the_missing_points() {
    let tmp = tempfile::tempdir().expect("tmp");
    let s = sweep();
    let dir = tmp.path().join("s");
    s.run(&dir, Shard::WHOLE, &Silent, &mut |_| {})
        .expect("run");
    let before = read(&dir, "results.csv");
    // Lose two points, as a kill before their rename would.
    std::fs::remove_file(dir.join("points/000001.json")).expect("rm");
    std::fs::remove_file(dir.join("points/000004.json")).expect("rm");
    let mut ran = Vec::new();
    let n = s
        .run(&dir, Shard::WHOLE, &Silent, &mut |p| ran.push(p.point))
        .expect("resume");
    assert_eq!((n.ran, ran), (2, vec![1, 4]));
    assert_eq!(
        n.results.len(),
        6,
        "the table holds every point, old and new"
    );
    assert_eq!(read(&dir, "results.csv"), before);
    assert_eq!(
        parquet_rows(&dir.join("results.parquet")),
        csv_rows(&before)
    );
    // Another sweep in the same directory is refused.
    let mut other = sweep();
    other.reps = 31;
    let err = other
        .run(&dir, Shard::WHOLE, &Silent, &mut |_| {})
        .expect_err("another sweep");
    assert!(err.to_string().contains("--reps"), "{err}");
}

/// The rows of a Parquet file, every cell as text (null as the empty string).
fn parquet_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let reader =
        SerializedFileReader::new(std::fs::File::open(path).expect("open")).expect("parquet");
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut rows = vec![names];
    for row in reader.get_row_iter(None).expect("rows") {
        let row = row.expect("row");
        rows.push(
            row.get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => String::new(),
                    Field::Long(x) => x.to_string(),
                    Field::Double(x) => x.to_string(),
                    Field::Str(s) => s.clone(),
                    other => panic!("unexpected field {other:?}"),
                })
                .collect(),
        );
    }
    rows
}

fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn the_parquet_table_holds_what_the_csv_holds() {
    let tmp = tempfile::tempdir().expect("tmp");
    // A text column (the policy), and one replication, so the intervals
    // and the standard deviation are not finite: nulls in Parquet.
    // Regression: such a point was written with `null`s that the sweep
    // could not read back.
    let s = Sweep {
        text: crate::lone_drone(0.4, 2),
        vary: vec![
            Vary::parse("doctrine.policy=nearest,greedy").expect("vary"),
            Vary::parse("effector.sam.pk.owa-drone=0.25,0.5").expect("vary"),
            Vary::parse("effector.sam.magazine=1,3").expect("vary"),
        ],
        reps: 1,
        base_seed: 5,
        policy: None,
    };
    let dir = tmp.path().join("s");
    s.run(&dir, Shard::WHOLE, &Silent, &mut |_| {})
        .expect("run");
    let csv = read(&dir, "results.csv");
    let rows = parquet_rows(&dir.join("results.parquet"));
    assert_eq!(rows.len(), 9);
    assert_eq!(rows, csv_rows(&csv));
    assert!(
        rows[1].iter().any(String::is_empty),
        "no null in {:?}",
        rows[1]
    );
    assert_eq!(rows[1][1..4], ["nearest", "0.25", "1"]);
}

/// A big point run in blocks apart (as a cluster does) and put together
/// gives the point of one run, bit for bit.
#[test]
fn a_point_from_blocks_is_the_point_of_one_run() {
    let s = sweep();
    let whole = s.run_point(3, &Silent).expect("point");
    let mut rows = Vec::new();
    for (from, to) in [(0, 7), (7, 8), (8, s.reps)] {
        rows.extend(s.run_block(3, from, to, &Silent).expect("block"));
    }
    assert_eq!(rows.len() as u64, s.reps);
    assert_eq!(s.point_from_rows(3, &rows), whole);
}
