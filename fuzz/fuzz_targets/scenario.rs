//! Fuzzes the scenario reader: parser, decoder and cross-checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = rampart_model::check_bytes(data);
    if checked.scenario.is_none() {
        assert!(checked.errors().next().is_some());
    }
    for d in &checked.diagnostics {
        let _ = d.render("fuzz.toml");
    }
});
