//! Reading the benchmark's text format and the JSON format, and their errors.

use rampart_wta::io::{ReadError, read_json, read_text, write_json, write_text};

const SMALL: &str = "2 3 1\n10\n20\n30\n0 0 0.5\n0 1 0.6\n0 2 0.7\n1 0 0.1\n1 1 0.2\n1 2 0.3\n";

#[test]
fn text_round_trips() {
    let p = read_text(SMALL).expect("valid");
    assert_eq!(p.weapon_types(), 2);
    assert_eq!(p.targets(), 3);
    assert_eq!(p.pk(1, 2), 0.3);
    assert_eq!(read_text(&write_text(&p)).expect("valid"), p);
    assert_eq!(read_json(&write_json(&p)).expect("valid"), p);
}

#[test]
fn public_benchmark_file_reads() {
    // The shared benchmark folder sits beside the repository (../shared).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/benchmarks/wta/andersen2022/wta_50x100x1.txt.xz");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{} is not here: skipped", path.display());
        return;
    };
    let mut text = Vec::new();
    lzma_rs::xz_decompress(&mut &bytes[..], &mut text).expect("a valid .xz file");
    let p = read_text(&String::from_utf8(text).expect("text")).expect("the public instance reads");
    assert_eq!(
        (p.weapon_types(), p.targets(), p.weapon(0).count),
        (50, 100, 1)
    );
    // Its best-known value: greedy may not beat it.
    let g = p.using(rampart_wta::Greedy).solve().expect("valid");
    assert!(g.objective >= 1734.302257 * (1.0 - 1e-5));
}

fn err(text: &str) -> ReadError {
    read_text(text).expect_err("invalid")
}

#[test]
fn bad_files_say_where() {
    assert_eq!(
        err("").to_string(),
        "line 1: the file ends early: expected a header line `m n mu`"
    );
    assert_eq!(
        err("2 3\n").to_string(),
        "line 1: expected a header `m n mu` (three integers), found 2 fields"
    );
    assert_eq!(
        err("2 x 1\n").to_string(),
        "line 1: expected an integer, found `x` for n (targets)"
    );
    assert_eq!(
        err("2 3 1\n10\n20\n").to_string(),
        "line 3: the file ends early: expected 3 target values, found 2"
    );
    assert_eq!(
        err(&SMALL.replace("0 1 0.6", "0 1 1.6")).to_string(),
        "line 6: probability 1.6 is out of range; expected a number from 0 to 1"
    );
    assert_eq!(
        err(&SMALL.replace("0 1 0.6", "0 7 0.6")).to_string(),
        "line 6: target index 7 is out of range; expected 0 to 2"
    );
    assert_eq!(
        err(&SMALL.replace("0 1 0.6", "0 0 0.6")).to_string(),
        "line 6: probability of weapon type 0 against target 0 is given twice"
    );
    assert_eq!(
        err(&SMALL[..SMALL.len() - 8]).to_string(),
        "line 9: the file ends early: expected 6 probability lines `i j p`, found 5"
    );
    assert_eq!(
        err(&format!("{SMALL}1 1 1\n")).to_string(),
        "line 11: unexpected content after the last probability: `1 1 1`"
    );
    assert_eq!(
        err("99999999 99999999 1\n").to_string(),
        "line 1: m (weapon types) 99999999 is out of range; expected 1 to 1000000"
    );
}

#[test]
fn bad_json_says_where() {
    let e = read_json("{\"weapons\": [], \"targets\": [], \"pk\": [], \"extra\": 1}")
        .expect_err("unknown field");
    assert!(matches!(e, ReadError::Json { line: 1, .. }), "{e}");
    let e = read_json(
        "{\"weapons\": [{\"count\": 1}], \"targets\": [{\"value\": 5}], \"pk\": [[2.0]]}",
    )
    .expect_err("p out of range");
    let cause = std::error::Error::source(&e)
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert!(cause.contains("not in [0, 1]"), "{e}: {cause}");
    // Unknown keys are refused inside the weapon and target objects too.
    let e = read_json("{\"weapons\": [{\"count\": 1}], \"targets\": [{\"value\": 5, \"max_weapon\": 1}], \"pk\": [[0.5]]}")
        .expect_err("typo in a target");
    assert!(e.to_string().contains("max_weapon"), "{e}");
    // Too many copies.
    let e = read_json(
        "{\"weapons\": [{\"count\": 4000000}], \"targets\": [{\"value\": 5}], \"pk\": [[0.5]]}",
    )
    .expect_err("too many copies");
    assert!(matches!(e, ReadError::TooManyCopies { .. }), "{e}");
}
