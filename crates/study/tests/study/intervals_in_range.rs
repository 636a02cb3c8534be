//! Every interval a study prints stays inside its metric's possible range:
//! every metric of both examples (Monte Carlo) and every series and total
//! of the example campaign, each with a declared support. A metric added
//! without a declared support fails here, before an analyst sees a
//! "[-3.7, 21.7] leakers".

use std::collections::BTreeMap;

use rampart_model::campaign::check_campaign;
use rampart_study::{CampaignStudy, Estimate, MonteCarlo, Silent, Support, support_of};

fn root() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../..").to_string()
}

fn assert_in_range(what: &str, metrics: &BTreeMap<String, Estimate>) {
    assert!(!metrics.is_empty(), "{what}: no metrics");
    for (name, e) in metrics {
        let support = support_of(name);
        assert_ne!(
            support,
            Support::Real,
            "{what}: `{name}` has no declared support"
        );
        let (lo, hi) = support.range().expect("bounded");
        assert!(
            lo <= e.ci95_low && e.ci95_low <= e.ci95_high && e.ci95_high <= hi,
            "{what}: `{name}` [{}, {}] leaves [{lo}, {hi}]",
            e.ci95_low,
            e.ci95_high
        );
        assert!(
            e.ci95_low <= e.mean + 1e-12 && e.mean <= e.ci95_high + 1e-12,
            "{what}: `{name}` mean {} outside [{}, {}]",
            e.mean,
            e.ci95_low,
            e.ci95_high
        );
    }
}

#[test]
fn monte_carlo_of_both_examples() {
    for file in ["examples/minimal.toml", "examples/night-raid.toml"] {
        let text = std::fs::read_to_string(format!("{}/{file}", root())).expect("example");
        let sc = crate::scenario(&text);
        let mc = MonteCarlo {
            scenario: &sc,
            policy: rampart_model::Policy::Greedy,
            base_seed: 7,
        };
        assert_in_range(file, &mc.run(12, &Silent).metrics);
    }
}

#[test]
fn the_example_campaign_night_by_night_and_in_total() {
    let text =
        std::fs::read_to_string(format!("{}/examples/campaign.toml", root())).expect("example");
    let checked = check_campaign(&text, &mut |path: &str| {
        std::fs::read_to_string(format!("{}/examples/{path}", root())).map_err(|e| e.to_string())
    });
    let c = checked.campaign.expect("valid campaign");
    let study = CampaignStudy {
        campaign: &c,
        nights: 12,
        base_seed: 3,
    };
    let result = study.run(4, &Silent);
    assert_in_range("campaign totals", &result.totals);
    for (n, night) in result.nights.iter().enumerate() {
        assert_in_range(&format!("campaign night {}", n + 1), night);
    }
    for (depot, d) in &result.dry {
        if let Some(e) = &d.night {
            let mut one = BTreeMap::new();
            one.insert("night".to_string(), e.clone());
            assert_in_range(&format!("dry night of {depot}"), &one);
        }
    }
}
