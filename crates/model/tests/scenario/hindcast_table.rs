//! The `[hindcast]` table: raid ids per column, each raid once.

use expect_test::expect;
use rampart_model::check_bytes;

use crate::malformed::{broken, check};

fn with_hindcast(table: &str) -> String {
    broken(
        "[doctrine]\n",
        &format!("[hindcast]\n{table}\n\n[doctrine]\n"),
    )
}

#[test]
fn the_table_names_raids_by_column() {
    let s = check_bytes(with_hindcast("drones = [\"wave\"]").as_bytes())
        .scenario
        .expect("valid");
    let h = s.hindcast.expect("the table");
    assert_eq!(h.drones, vec!["wave".to_string()]);
    assert!(h.decoys.is_empty() && h.missiles.is_empty() && h.ballistic.is_empty());
}

#[test]
fn unknown_and_repeated_raids() {
    check(
        &with_hindcast("drones = [\"wav\"]"),
        expect![[r#"
        s.toml:61:11: error: hindcast.drones[0]: unknown raid `wav`
            help: did you mean `wave`?"#]],
    );
    check(
        &with_hindcast("drones = [\"wave\", \"wave\"]"),
        expect![
            "s.toml:61:19: error: hindcast.drones[1]: raid `wave` is named twice in [hindcast] (first at `hindcast.drones[0]`); a raid carries one column, once"
        ],
    );
    check(
        &with_hindcast("drones = [\"wave\"]\ndecoys = [\"wave\"]"),
        expect![
            "s.toml:62:11: error: hindcast.decoys[0]: raid `wave` is named twice in [hindcast] (first at `hindcast.drones[0]`); a raid carries one column, once"
        ],
    );
}

#[test]
fn a_baseline_raid_must_carry_a_column() {
    let s = check_bytes(with_hindcast("drones = [\"wave\"]\nbaseline = [\"wave\"]").as_bytes())
        .scenario
        .expect("valid");
    assert_eq!(
        s.hindcast.expect("the table").baseline,
        vec!["wave".to_string()]
    );
    check(
        &with_hindcast("baseline = [\"wave\"]"),
        expect![
            "s.toml:61:13: error: hindcast.baseline[0]: raid `wave` is a [hindcast] baseline but carries no column; name it in drones, decoys, missiles or ballistic too"
        ],
    );
}
