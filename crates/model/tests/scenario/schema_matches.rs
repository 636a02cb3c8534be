//! `rampart schema` output (the same function) validates the examples, and
//! rejects what the validator rejects for shape reasons.

use serde_json::Value;

fn toml_to_json(text: &str) -> Value {
    let table: toml::Table = text.parse().expect("valid TOML");
    serde_json::to_value(table).expect("TOML converts to JSON")
}

fn validator() -> jsonschema::Validator {
    let schema = rampart_model::schema::json_schema();
    jsonschema::draft202012::new(&schema).expect("the schema is itself valid")
}

#[test]
fn schema_validates_both_examples() {
    let v = validator();
    for rel in ["examples/minimal.toml", "examples/night-raid.toml"] {
        let instance = toml_to_json(&crate::read(rel));
        let errors: Vec<String> = v
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
    }
}

#[test]
fn schema_rejects_unknown_keys_missing_units_and_bad_enums() {
    let v = validator();
    let base = crate::read("examples/minimal.toml");
    for (from, to) in [
        ("magazine = 30", "magazin = 30"),
        ("range = \"60 km\"", "range = 60"),
        ("range = \"60 km\"", "range = \"60 kmh\""),
        ("kind = \"power\"", "kind = \"powr\""),
        ("p_detect = 0.9", "p_detect = 1.9"),
        (
            "target = { asset = \"substation\" }",
            "target = { asset = \"substation\", kinds = [\"power\"] }",
        ),
    ] {
        assert!(base.contains(from), "{from}");
        let instance = toml_to_json(&base.replacen(from, to, 1));
        assert!(!v.is_valid(&instance), "schema accepted {to}");
    }
}

#[test]
fn schema_quantity_patterns_accept_every_unit_the_parser_accepts() {
    use rampart_model::units::{Dimension, parse_quantity};
    for d in [
        Dimension::Length,
        Dimension::Speed,
        Dimension::Duration,
        Dimension::Mass,
        Dimension::Money,
        Dimension::Area,
        Dimension::Rate,
        Dimension::Angle,
    ] {
        let schema = serde_json::json!({ "type": "string", "pattern": d.pattern() });
        let v = jsonschema::draft202012::new(&schema).expect("pattern compiles");
        for unit in d.unit_names() {
            for text in [
                format!("12.5 {unit}"),
                format!("-3{unit}"),
                format!("1e3 {unit}"),
            ] {
                assert!(parse_quantity(&text, d).is_ok(), "parser rejects {text}");
                assert!(
                    v.is_valid(&Value::String(text.clone())),
                    "schema rejects {text}"
                );
            }
        }
        assert!(!v.is_valid(&Value::String("12".into())));
    }
}
