//! Campaigns: exact stock accounting, a dry night that arithmetic predicts,
//! and the same bytes for any thread count.

use rampart_model::campaign::{Campaign, check_campaign};
use rampart_study::{CampaignStudy, Silent};

fn campaign(text: &str) -> Campaign {
    campaign_with(text, &|night| night.to_string())
}

/// A campaign whose night scenario is changed by `edit` as it is loaded.
fn campaign_with(text: &str, edit: &dyn Fn(&str) -> String) -> Campaign {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let checked = check_campaign(text, &mut |path: &str| {
        std::fs::read_to_string(format!("{root}/{path}"))
            .map(|t| edit(&t))
            .map_err(|e| e.to_string())
    });
    match checked.campaign {
        Some(c) => c,
        None => panic!("invalid campaign: {:?}", checked.diagnostics),
    }
}

fn study(c: &Campaign, base_seed: u64) -> CampaignStudy<'_> {
    CampaignStudy {
        campaign: c,
        nights: c.nights,
        base_seed,
    }
}

const RACE: &str = r#"
[campaign]
name = "race"
scenario = "tests/fixtures/stock-race.toml"
nights = 14

[[attacker]]
id = "shahed-type"
stockpile = 1000000

[raids]
nightly = 1.0

[[defender]]
id = "battery"
stock = 95
per_month = 30
"#;

#[test]
fn the_depot_runs_dry_on_the_night_arithmetic_says() {
    let c = campaign(RACE);
    let run = study(&c, 1).replication(0);
    // By hand: 95 rounds, one more before each night, ten drones a night each
    // killed by one round. After night n the depot holds 95 + n - 10 n while
    // that is not negative: 5 after night 10. Night 11 starts with 6 rounds
    // for 10 drones, so it ends dry, and 4 drones leak.
    let mut stock: i64 = 95;
    let mut dry = None;
    for night in &run.nights {
        let n = night.night;
        stock += 1;
        let fired = stock.min(10);
        stock -= fired;
        if stock == 0 && dry.is_none() {
            dry = Some(n);
        }
        assert_eq!(night.shots["battery"], fired as u64, "night {n}");
        assert_eq!(night.leaked, 10 - fired as u64, "night {n}");
        assert_eq!(night.stock_after["battery"], stock as u64, "night {n}");
    }
    assert_eq!(dry, Some(11));
    assert_eq!(run.dry_night["battery"], Some(11));
}

/// The stock identity, night by night and unit by unit.
fn check_accounts(run: &rampart_study::CampaignRun) {
    for night in &run.nights {
        for (depot, &before) in &night.stock_before {
            let arrivals = night.arrivals[depot];
            let shots = night.shots[depot];
            let after = night.stock_after[depot];
            assert_eq!(
                before + arrivals - shots,
                after,
                "night {}: {depot}: {before} + {arrivals} - {shots} != {after}",
                night.night
            );
            let units = &night.supply[depot];
            let supplied: u64 = units.iter().map(|&(s, _)| u64::from(s)).sum();
            assert_eq!(supplied, before + arrivals, "the whole stock is issued");
            for &(supply, fired) in units {
                assert!(fired <= u64::from(supply), "a unit fired beyond its supply");
            }
            assert_eq!(units.iter().map(|u| u.1).sum::<u64>(), shots);
        }
    }
}

/// examples/campaign.toml, cut to `nights`.
fn example(nights: u32) -> Campaign {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/examples/campaign.toml"))
        .expect("example")
        .replace("nights = 180", &format!("nights = {nights}"))
        .replace(
            "scenario = \"night-raid.toml\"",
            "scenario = \"examples/night-raid.toml\"",
        );
    campaign(&text)
}

#[test]
fn stocks_add_up_every_night_for_every_interceptor_type() {
    let c = example(40);
    let run = study(&c, 3).replication(0);
    assert_eq!(run.nights.len(), 40);
    check_accounts(&run);
    // The campaign is a race: some interceptor type is used up in 40 nights.
    assert!(
        run.dry_night.values().any(Option::is_some),
        "{:?}",
        run.dry_night
    );
    // Arrivals by hand: medium SAMs, 96 rounds, 16 a month and 32 in month 2.
    let mr: Vec<u64> = run.nights.iter().map(|n| n.arrivals["mr-sam"]).collect();
    for (k, &got) in mr.iter().enumerate() {
        let n = k as u64 + 1;
        let want = 16 * n / 30 - 16 * (n - 1) / 30 + if n == 31 { 32 } else { 0 };
        assert_eq!(got, want, "mr-sam arrivals before night {n}");
    }
    assert_eq!(run.nights[0].stock_before["mr-sam"], 96);
    // What flies leaves the stockpile: 3,000 Shaheds, 1,500 then 1,650 a month.
    let mut shaheds: u64 = 3000;
    for n in &run.nights {
        let (m, j) = ((n.night - 1) / 30, u64::from((n.night - 1) % 30 + 1));
        let rate = [1500u64, 1650, 1800][m as usize];
        shaheds += rate * j / 30 - rate * (j - 1) / 30;
        shaheds -= n.launched.get("shahed").copied().unwrap_or(0);
        assert_eq!(n.stockpile["shahed"], shaheds, "night {}", n.night);
    }
}

#[test]
fn a_reserve_keeps_rounds_back_as_the_stock_runs_down() {
    // The stock race with a doctrine that keeps 5 rounds for cruise missiles:
    // the battery never fires its last 5 rounds at drones, so the depot
    // never runs dry, and the drones it cannot afford leak.
    let c = campaign_with(RACE, &|night| {
        format!(
            "{night}\n[[doctrine.reserve]]\neffector = \"battery\"\nkeep = 5\nthreats = [\"cruise-missile\"]\n"
        )
    });
    let run = study(&c, 1).replication(0);
    let mut stock: i64 = 95;
    for night in &run.nights {
        stock += 1;
        let fired = (stock - 5).clamp(0, 10);
        stock -= fired;
        assert_eq!(
            night.shots["battery"], fired as u64,
            "night {}",
            night.night
        );
        assert_eq!(night.leaked, 10 - fired as u64, "night {}", night.night);
    }
    assert_eq!(run.dry_night["battery"], None);
    assert!(run.nights.iter().all(|n| n.stock_after["battery"] >= 5));
}

#[test]
fn a_campaign_is_bit_identical_for_any_thread_count() {
    // The example's first twelve nights: random launch times, targets, kills
    // and losses, and a massed raid on night 10.
    let c = example(12);
    let study = study(&c, 9);
    let a = study.replication(0);
    let b = study.replication(1);
    assert_ne!(a.nights, b.nights, "replications differ");
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let result = pool.install(|| study.run(5, &Silent));
        serde_json::to_string(&result).expect("json")
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
}
