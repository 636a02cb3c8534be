//! The typed list of metrics names every number of the run summary, as the
//! summary's own JSON does: checked against that JSON, flattened by dotted
//! path (the way the metrics were once reflected), on both examples, the
//! minimal one, every policy and several seeds.

use rampart_engine::{Night, builtin};
use rampart_model::Policy;
use rampart_study::metrics;

/// The summary's JSON, every number by dotted path, less the seed (an
/// identifier), plus `leak_fraction` and `any_hit.KIND`.
fn reflected(summary: &rampart_engine::Summary) -> Vec<(String, f64)> {
    fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, f64)>) {
        match v {
            serde_json::Value::Number(n) => {
                out.push((prefix.to_string(), n.as_f64().expect("a number")))
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&path, v, out);
                }
            }
            serde_json::Value::String(_) => {}
            other => panic!("{prefix}: a summary field that is not a number: {other}"),
        }
    }
    let mut v = serde_json::to_value(summary).expect("json");
    v.as_object_mut().expect("an object").remove("seed");
    let mut out = Vec::new();
    flatten("", &v, &mut out);
    let launched = summary.threats_launched as f64;
    out.push((
        "leak_fraction".into(),
        if launched > 0.0 {
            summary.leakers as f64 / launched
        } else {
            0.0
        },
    ));
    for (kind, damage) in &summary.damage_by_asset_kind {
        out.push((
            format!("any_hit.{kind}"),
            f64::from(u8::from(*damage > 0.0)),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_number_of_the_summary_is_a_metric_and_nothing_else() {
    for file in [
        "night-raid.toml",
        "minimal.toml",
        "hindcast/country-2025.toml",
    ] {
        let text = std::fs::read_to_string(format!("../../examples/{file}")).expect("example");
        let scenario = rampart_model::parse_scenario(&text).expect("valid");
        for policy in [Policy::Nearest, Policy::Greedy, Policy::Optimal] {
            for seed in [1, 2, 3] {
                let night = Night::assemble(&scenario, seed);
                let summary = rampart_engine::run(&night, builtin(policy).as_ref()).summary;
                let typed = metrics(&summary);
                let want = reflected(&summary);
                let names =
                    |m: &[(String, f64)]| m.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
                assert_eq!(names(&typed), names(&want), "{file} {policy:?} {seed}");
                for ((name, a), (_, b)) in typed.iter().zip(&want) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{file} {policy:?} {seed} {name}");
                }
                assert!(!typed.iter().any(|(n, _)| n == "seed"));
            }
        }
    }
}
