//! A JSON Schema (draft 2020-12) of the scenario format, generated from
//! [`crate::spec`], for editors such as Taplo / Even Better TOML.

use serde_json::{Map, Value, json};

use crate::spec::{ROOT, TableSpec, Ty};
use crate::units::Dimension;

/// The JSON Schema of a scenario file.
pub fn json_schema() -> Value {
    let mut root = table(&ROOT);
    if let Value::Object(m) = &mut root {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        m.insert(
            "$id".into(),
            json!("https://rampart.invalid/schema/scenario.json"),
        );
        m.insert("title".into(), json!("Rampart scenario"));
    }
    root
}

fn table(spec: &TableSpec) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for key in spec.keys {
        let mut v = ty(&key.ty);
        if let Value::Object(m) = &mut v {
            m.insert("description".into(), json!(key.doc));
        }
        props.insert(key.name.into(), v);
        if key.required {
            required.push(json!(key.name));
        }
    }
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    if !spec.doc.is_empty() {
        m.insert("description".into(), json!(spec.doc));
    }
    m.insert("properties".into(), Value::Object(props));
    m.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        m.insert("required".into(), Value::Array(required));
    }
    Value::Object(m)
}

fn quantity(d: Dimension) -> Value {
    json!({
        "type": "string",
        "pattern": d.pattern(),
        "examples": [d.example()],
    })
}

fn point() -> Value {
    json!({
        "type": "array",
        "prefixItems": [quantity(Dimension::Length), quantity(Dimension::Length)],
        "items": false,
        "minItems": 2,
    })
}

fn ty(t: &Ty) -> Value {
    match t {
        Ty::Str => json!({ "type": "string", "minLength": 1 }),
        Ty::Int { min } => json!({ "type": "integer", "minimum": min }),
        Ty::Number => json!({ "type": "number" }),
        Ty::Probability => json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Quantity(d) => quantity(*d),
        Ty::Point => point(),
        Ty::Enum(names) => json!({ "enum": names }),
        Ty::Table(spec) => table(spec),
        Ty::ArrayOfTables(spec) => json!({ "type": "array", "items": table(spec) }),
        Ty::ListOfStr => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::ListOfInt { min } => json!({
            "type": "array",
            "minItems": 1,
            "items": { "type": "integer", "minimum": min },
        }),
        Ty::ListOfEnum(names) => json!({ "type": "array", "items": { "enum": names } }),
        Ty::ListOfPoints => json!({ "type": "array", "items": point() }),
        Ty::ListOfQuantity(d) => json!({ "type": "array", "minItems": 1, "items": quantity(*d) }),
        Ty::Settings => json!({
            "type": "object",
            "minProperties": 1,
            "additionalProperties": { "type": ["string", "number", "integer"] },
        }),
        Ty::Weights => json!({
            "type": "object",
            "minProperties": 1,
            "additionalProperties": { "type": "number", "exclusiveMinimum": 0 },
        }),
        Ty::ProbabilityMap => json!({
            "type": "object",
            "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1 },
        }),
        Ty::Route => json!({
            "oneOf": [
                { "const": "direct" },
                { "type": "array", "items": point() },
            ]
        }),
        Ty::Target => {
            let mut asset_only = table(&crate::spec::TARGET);
            let chosen = asset_only.clone();
            if let Value::Object(m) = &mut asset_only {
                m.insert("required".into(), json!(["asset"]));
            }
            let any_of_the_rest = json!({ "anyOf": [
                { "required": ["kinds"] }, { "required": ["city"] }, { "required": ["cities"] },
            ] });
            json!({
                "oneOf": [
                    { "const": "any" },
                    { "allOf": [asset_only, { "not": any_of_the_rest.clone() }] },
                    { "allOf": [
                        chosen,
                        any_of_the_rest,
                        { "not": { "required": ["asset"] } },
                        { "not": { "required": ["city", "cities"] } },
                    ] },
                ]
            })
        }
    }
}
