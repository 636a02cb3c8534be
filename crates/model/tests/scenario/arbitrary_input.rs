//! Whatever the bytes, reading never panics and always explains itself.
//! Raise the number of cases with PROPTEST_CASES for a long run.

use proptest::prelude::*;
use rampart_model::check_bytes;

fn assert_explained(bytes: &[u8]) {
    let checked = check_bytes(bytes);
    if checked.scenario.is_none() {
        assert!(
            checked.errors().next().is_some(),
            "invalid without an error"
        );
    }
    for d in &checked.diagnostics {
        assert!(d.location.line >= 1 && d.location.column >= 1);
        let _ = d.render("fuzz.toml");
    }
}

/// Arbitrary TOML values, rendered as text: deep, wide, any types.
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(toml::Value::Integer),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(toml::Value::Float),
        any::<bool>().prop_map(toml::Value::Boolean),
        "[ -~]{0,12}".prop_map(toml::Value::String),
        prop::sample::select(vec![
            "12 km",
            "185 km/h",
            "90 s",
            "-1 km",
            "0.5",
            "1e400 m",
            "4.5 M$",
            "x",
            "",
            "0 dBsm",
            "shahed-type",
            "patriot-type",
            "power",
            "radar",
            "poisson",
            "direct",
            "any",
        ])
        .prop_map(|s| toml::Value::String(s.to_string())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(toml::Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "scenario",
            "name",
            "duration",
            "asset",
            "id",
            "kind",
            "position",
            "sensor",
            "type",
            "range",
            "p_detect",
            "effector",
            "class",
            "count",
            "area",
            "center",
            "radius",
            "raid",
            "threat",
            "from",
            "end",
            "start",
            "launch_site",
            "doctrine",
            "fire",
            "reserve",
            "pk",
            "engages",
            "target",
            "kinds",
            "route",
            "positions",
            "origin",
            "lat",
            "lon",
            "tracking",
            "k",
            "n",
            "cost_rule",
            "p_defeat",
            "magazine",
            "min_range",
            "max_range",
        ])
        .prop_map(String::from),
        "[a-z_]{1,8}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_explained(&bytes);
    }

    #[test]
    fn arbitrary_toml_documents_never_panic(doc in prop::collection::btree_map(key(), toml_value(), 0..8)) {
        let table: toml::Table = doc.into_iter().collect();
        let text = toml::to_string(&table).unwrap_or_default();
        assert_explained(text.as_bytes());
    }

    #[test]
    fn mutated_examples_never_panic(cut in 0usize..4000, insert in "[ -~\n]{0,16}") {
        let base = crate::read("examples/minimal.toml");
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        assert_explained(text.as_bytes());
    }
}

#[test]
fn hostile_shapes_get_clear_errors() {
    // Deep nesting.
    let deep = format!("a = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_explained(deep.as_bytes());
    let deep_tables = format!("a = {}", "{b=".repeat(50_000));
    assert_explained(deep_tables.as_bytes());
    // A file over the size limit is refused before parsing.
    let big = vec![b'#'; rampart_model::MAX_FILE_BYTES + 1];
    let checked = check_bytes(&big);
    assert!(matches!(
        checked.diagnostics[0].kind,
        rampart_model::DiagnosticKind::TooLarge { .. }
    ));
    // Long lines, NUL bytes, a lone BOM.
    assert_explained(&vec![b'a'; 1 << 20]);
    assert_explained(b"\0\0\0");
    assert_explained("\u{feff}".as_bytes());
}
