//! Engine benchmarks: one replication of examples/night-raid.toml per
//! policy, the events handled per second, and the cost growth with the
//! number of threats in the raid (100 to 30,000).
//!
//! Run: `cargo bench -p rampart-engine` (or `-- night-raid`, `-- events`,
//! `-- growth`). Figures go to BENCHMARKS.md with machine, date and command.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rampart_engine::{EventLog, GreedyWta, Nearest, Night, OptimalWta, Policy, Workspace, run};

#[path = "common/night_raid.rs"]
mod night_raid;
use night_raid::{night_raid, scaled};

fn policies() -> [&'static dyn Policy; 3] {
    const OPTIMAL: OptimalWta = OptimalWta {
        work_limit: 200_000,
    };
    [&Nearest, &GreedyWta, &OPTIMAL]
}

/// One night (assembly and run) of the example, per policy.
fn one_night(c: &mut Criterion) {
    let scenario = night_raid();
    let mut group = c.benchmark_group("night-raid");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    for p in policies() {
        group.bench_function(BenchmarkId::new("replication", p.name()), |b| {
            b.iter(|| black_box(run(&Night::assemble(&scenario, 20250709), p)))
        });
    }
    // As a study plays its nights: in a workspace kept from night to night,
    // without the event log.
    for p in policies() {
        let mut ws = Workspace::new(&scenario);
        group.bench_function(BenchmarkId::new("in-workspace", p.name()), |b| {
            b.iter(|| black_box(ws.run(&Night::assemble(&scenario, 20250709), p, EventLog::Skip)))
        });
    }
    group.finish();
}

/// The same nights, counted in queue events handled: criterion reports
/// events per second.
fn events(c: &mut Criterion) {
    let scenario = night_raid();
    let mut group = c.benchmark_group("events");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    for p in policies() {
        let night = Night::assemble(&scenario, 20250709);
        let work = run(&night, p).work;
        group.throughput(Throughput::Elements(work.queue_events));
        group.bench_function(BenchmarkId::new("run", p.name()), |b| {
            b.iter(|| black_box(run(&night, p)))
        });
    }
    group.finish();
}

/// The night-raid with every raid scaled so that about `n` threats fly.
/// Time per threat should not grow with the raid: criterion's throughput
/// (threats per second) should stay flat from 100 to 30,000.
fn growth(c: &mut Criterion) {
    let base = night_raid();
    let mut group = c.benchmark_group("growth");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in [100u64, 300, 1_000, 3_000, 10_000, 30_000] {
        let s = scaled(&base, n);
        group.throughput(Throughput::Elements(s.threats_launched()));
        for p in [&GreedyWta as &dyn Policy, &OptimalWta::default()] {
            group.bench_with_input(BenchmarkId::new(p.name(), n), &s, |b, s| {
                b.iter(|| black_box(run(&Night::assemble(s, 1), p)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, one_night, events, growth);
criterion_main!(benches);
