//! WTA benchmarks: a size sweep over seeded generated instances, and the 18
//! public instances of Andersen, Pavlikov and Toffolo (2022).
//!
//! Run: `cargo bench -p rampart-wta` (all), or
//! `cargo bench -p rampart-wta -- generated` / `-- public`.
//! Budgets are deterministic work limits, so every run does the same work.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rampart_wta::generate::{Scheme, generate};
use rampart_wta::{Exact, Greedy, LocalSearch, Problem};

/// Work units of the size sweep's local and exact runs (at most).
const SWEEP_WORK: u64 = 30_000_000;
/// Work units of the exact solver on a public instance (about 0.3-1 s on the
/// reference machine, see BENCHMARKS.md).
const PUBLIC_WORK: u64 = 50_000_000;

fn generated(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for &(m, n) in &[
        (10, 10),
        (30, 30),
        (60, 200),
        (100, 100),
        (300, 300),
        (1000, 1000),
    ] {
        let p = generate(Scheme::Ahuja, m, n, 1, 7);
        let size = format!("{m}x{n}");
        group.bench_with_input(BenchmarkId::new("greedy", &size), &p, |b, p| {
            b.iter(|| black_box(p.using(Greedy).solve().expect("valid")))
        });
        let work = SWEEP_WORK.min(200 * (m * n) as u64);
        group.bench_with_input(BenchmarkId::new("local", &size), &p, |b, p| {
            b.iter(|| {
                black_box(
                    p.using(LocalSearch::default())
                        .work_limit(work)
                        .solve()
                        .expect("valid"),
                )
            })
        });
        if m * n <= 100_000 {
            group.bench_with_input(BenchmarkId::new("exact", &size), &p, |b, p| {
                b.iter(|| {
                    black_box(
                        p.using(Exact::default())
                            .work_limit(work)
                            .solve()
                            .expect("valid"),
                    )
                })
            });
        }
    }
    group.finish();
}

fn public_instances() -> Vec<(String, Problem)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/benchmarks/wta/andersen2022");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("public instances not found at {}: skipping", dir.display());
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let mut text = Vec::new();
            lzma_rs::xz_decompress(&mut &bytes[..], &mut text).ok()?;
            let p = rampart_wta::io::read_text(&String::from_utf8(text).ok()?).ok()?;
            let name = path
                .file_name()?
                .to_string_lossy()
                .trim_end_matches(".txt.xz")
                .to_string();
            Some((name, p))
        })
        .collect()
}

fn public(c: &mut Criterion) {
    let mut group = c.benchmark_group("public");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(1))
        .warm_up_time(Duration::from_millis(100));
    for (name, p) in public_instances() {
        group.bench_with_input(BenchmarkId::new("greedy", &name), &p, |b, p| {
            b.iter(|| black_box(p.using(Greedy).solve().expect("valid")))
        });
        group.bench_with_input(BenchmarkId::new("exact", &name), &p, |b, p| {
            b.iter(|| {
                black_box(
                    p.using(Exact::default())
                        .work_limit(PUBLIC_WORK)
                        .solve()
                        .expect("valid"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generated, public);
criterion_main!(benches);
