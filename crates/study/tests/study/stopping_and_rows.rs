//! The table of replications and stopping a study early.

use std::sync::atomic::{AtomicU64, Ordering};

use parquet::file::reader::{FileReader, SerializedFileReader};
use rampart_study::{
    BLOCK, MonteCarlo, Progress, ReplicationWriter, Shard, Silent, Sweep, SweepError, Vary,
    metric_names,
};

fn minimal() -> rampart_model::Scenario {
    let text = std::fs::read_to_string("../../examples/minimal.toml").expect("example");
    rampart_model::parse_scenario(&text).expect("valid")
}

/// Asks to stop once `after` replications are done.
struct StopAfter {
    after: u64,
    done: AtomicU64,
}

impl Progress for StopAfter {
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    fn stopped(&self) -> bool {
        self.done.load(Ordering::Relaxed) >= self.after
    }
}

#[test]
fn every_replication_is_a_row_in_order_with_its_metrics() {
    let sc = minimal();
    let mc = MonteCarlo {
        scenario: &sc,
        policy: sc.doctrine.policy,
        base_seed: 5,
    };
    let names = metric_names(&sc);
    let mut w = ReplicationWriter::new(Vec::new(), names.clone(), 5).expect("writer");
    let mut rows = Vec::new();
    let result = mc.run_with(40, &Silent, &mut |r, m| {
        w.push(r, m).expect("push");
        rows.push((r, m.to_vec()));
    });
    assert_eq!(result.replications, 40);
    assert_eq!(
        rows.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        (0..40).collect::<Vec<_>>()
    );
    // The same metrics as one replication run alone.
    assert_eq!(rows[7].1, mc.replication(7));
    let bytes = w.finish().expect("finish");
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("replications.parquet");
    std::fs::write(&path, &bytes).expect("write");
    let reader =
        SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("parquet");
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), 40);
    let columns: Vec<String> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(columns[..2], ["replication", "seed"]);
    assert_eq!(columns[2..], names[..]);
}

#[test]
fn a_metric_outside_the_table_is_an_error() {
    let mut w = ReplicationWriter::new(Vec::new(), vec!["b".into()], 1).expect("writer");
    assert!(w.push(0, &[("a".into(), 1.0)]).is_err());
    assert!(w.push(0, &[("c".into(), 1.0)]).is_err());
    // A metric a replication lacks is 0 there.
    assert!(w.push(0, &[]).is_ok());
}

#[test]
fn a_stopped_study_ends_within_the_block_it_is_in() {
    let sc = minimal();
    let mc = MonteCarlo {
        scenario: &sc,
        policy: sc.doctrine.policy,
        base_seed: 5,
    };
    let stop = StopAfter {
        after: 1,
        done: AtomicU64::new(0),
    };
    let result = mc.run(10 * BLOCK, &stop);
    // The replications already started finish; the rest of the block and
    // every later block are skipped.
    assert!(
        (1..BLOCK).contains(&result.replications),
        "{}",
        result.replications
    );
}

#[test]
fn a_stopped_sweep_saves_no_unfinished_point_and_resumes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sweep = Sweep {
        text: std::fs::read_to_string("../../examples/minimal.toml").expect("example"),
        vary: vec![Vary {
            path: "raid.drones.count".into(),
            values: vec!["2".into(), "4".into(), "6".into()],
        }],
        reps: 2 * BLOCK,
        base_seed: 3,
        policy: None,
    };
    // Stops inside the first point: nothing is saved.
    let stop = StopAfter {
        after: 1,
        done: AtomicU64::new(0),
    };
    let err = sweep
        .run(tmp.path(), Shard::WHOLE, &stop, &mut |_| {})
        .expect_err("stopped");
    assert!(matches!(err, SweepError::Stopped { .. }), "{err}");
    assert_eq!(sweep.missing(tmp.path(), Shard::WHOLE), vec![0, 1, 2]);
    assert!(!tmp.path().join("results.parquet").exists());
    let run = sweep
        .run(tmp.path(), Shard::WHOLE, &Silent, &mut |_| {})
        .expect("resumed");
    assert_eq!(run.ran, 3);
}
