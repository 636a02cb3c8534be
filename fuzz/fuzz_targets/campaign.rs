//! Fuzzes the campaign reader: parser, decoder and cross-checks against the
//! bundled example scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NIGHT: &str = include_str!("../../examples/minimal.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked =
        rampart_model::campaign::check_campaign(text, &mut |_path: &str| Ok(NIGHT.to_string()));
    if checked.campaign.is_none() {
        assert!(!checked.diagnostics.is_empty());
    }
    if let Some(c) = &checked.campaign {
        // What a campaign plays must be in range.
        assert!(c.nights >= 1);
        for n in 1..=c.nights.min(400) {
            let _ = c.raids.scale(n);
            for d in &c.defender {
                let _ = d.arrivals(n);
            }
        }
    }
    for d in &checked.diagnostics {
        let _ = d.render("fuzz.toml");
    }
});
