//! Campaign benchmarks: one replication of examples/campaign.toml over a
//! sweep of campaign lengths (seeded, so every run plays the same nights).
//!
//! Run: `cargo bench -p rampart-study --bench campaign`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rampart_model::campaign::{Campaign, check_campaign};
use rampart_study::CampaignStudy;

fn example() -> Campaign {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let text = std::fs::read_to_string(format!("{dir}/campaign.toml")).expect("example");
    check_campaign(&text, &mut |p: &str| {
        std::fs::read_to_string(format!("{dir}/{p}")).map_err(|e| e.to_string())
    })
    .campaign
    .expect("valid example")
}

fn campaign_length(c: &mut Criterion) {
    let campaign = example();
    let mut group = c.benchmark_group("campaign");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for nights in [10u32, 30, 90, 180] {
        group.throughput(Throughput::Elements(u64::from(nights)));
        group.bench_with_input(BenchmarkId::new("nights", nights), &nights, |b, &n| {
            let study = CampaignStudy {
                campaign: &campaign,
                nights: n,
                base_seed: 7,
            };
            b.iter(|| black_box(study.replication(0)));
        });
    }
    group.finish();
}

criterion_group!(benches, campaign_length);
criterion_main!(benches);
