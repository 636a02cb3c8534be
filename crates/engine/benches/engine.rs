//! Engine benchmarks: one replication of examples/night-raid.toml per policy,
//! and the cost growth with the number of threats in one raid.
//!
//! Run: `cargo bench -p rampart-engine` (or `-- night-raid` / `-- growth`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rampart_engine::{GreedyWta, Nearest, Night, OptimalWta, Policy, run};
use rampart_model::Scenario;

fn night_raid() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/night-raid.toml"
    );
    let text = std::fs::read_to_string(path).expect("example");
    rampart_model::parse_scenario(&text).expect("valid")
}

fn one_night(c: &mut Criterion) {
    let scenario = night_raid();
    let mut group = c.benchmark_group("night-raid");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    let policies: [&dyn Policy; 3] = [&Nearest, &GreedyWta, &OptimalWta::default()];
    for p in policies {
        group.bench_function(BenchmarkId::new("replication", p.name()), |b| {
            b.iter(|| black_box(run(&Night::assemble(&scenario, 20250709), p)))
        });
    }
    group.finish();
}

/// The night-raid with every raid scaled so that about `n` threats fly.
fn scaled(base: &Scenario, n: u64) -> Scenario {
    let mut s = base.clone();
    let total = base.threats_launched() as f64;
    for r in &mut s.raids {
        r.count = ((f64::from(r.count) * n as f64 / total).round() as u32).max(1);
        // Poisson raids: scale the rate with the count.
        if let rampart_model::Arrival::Poisson { rate } = &mut r.arrival {
            *rate *= n as f64 / total;
        }
    }
    s
}

fn growth(c: &mut Criterion) {
    let base = night_raid();
    let mut group = c.benchmark_group("growth");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in [100u64, 300, 1_000, 3_000, 10_000] {
        let s = scaled(&base, n);
        group.throughput(Throughput::Elements(s.threats_launched()));
        group.bench_with_input(BenchmarkId::new("greedy", n), &s, |b, s| {
            b.iter(|| black_box(run(&Night::assemble(s, 1), &GreedyWta)))
        });
    }
    group.finish();
}

criterion_group!(benches, one_night, growth);
criterion_main!(benches);
