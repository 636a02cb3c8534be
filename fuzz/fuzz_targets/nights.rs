//! Fuzzes the reader of reported nights (`rampart hindcast --nights`): it
//! never panics, every error has a place inside the text, and every night
//! it accepts is one the study can play.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match rampart_model::nights::parse_nights(text) {
        Ok(nights) => {
            assert!(!nights.is_empty());
            for n in &nights {
                assert!(n.drones > 0);
                assert!(n.drones_neutralised <= n.drones);
                assert!(n.decoys.is_none_or(|d| d <= n.drones));
                assert!((0.0..=1.0).contains(&n.neutralised_share()));
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines = text.lines().count().max(1) + 1;
            for e in &errors {
                assert!(e.line >= 1 && e.line <= lines, "{e} in {lines} lines");
                assert!(e.column >= 1);
            }
        }
    }
});
