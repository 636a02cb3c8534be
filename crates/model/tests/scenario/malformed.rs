//! Malformed scenarios: each reports the right place, path and message.
//! Snapshots: run with UPDATE_EXPECT=1 to refresh, then review the diff.

use expect_test::{Expect, expect};
use rampart_model::check_bytes;

/// A valid scenario that the cases below break one way each.
const BASE: &str = r#"[scenario]
name = "base"
duration = "4 h"

[[asset]]
id = "plant"
kind = "power"
position = ["0 km", "0 km"]
value = 10

[[asset]]
id = "clinic"
kind = "hospital"
position = ["2 km", "1 km"]

[[sensor]]
id = "radar"
type = "radar"
position = ["0 km", "2 km"]
range = "60 km"
p_detect = 0.9

[[effector]]
id = "gun-1"
class = "gepard-type"
position = ["0.5 km", "0.5 km"]

[[effector]]
id = "sam"
kind = "medium-sam"
position = ["1 km", "1 km"]
min_range = "1 km"
max_range = "40 km"
max_altitude = "20 km"
engages = ["owa-drone", "cruise-missile"]
channels = 4
magazine = 8
reload_time = "30 min"
interceptor_speed = "1000 m/s"
reaction_time = "10 s"
pk = { owa-drone = 0.9, cruise-missile = 0.8 }
cost_per_shot = "2 M$"

[[threat]]
id = "drone"
class = "shahed-type"

[[launch_site]]
id = "east"
position = ["120 km", "10 km"]

[[raid]]
id = "wave"
threat = "drone"
count = 10
from = ["east"]
end = "1 h"
target = { asset = "plant" }

[doctrine]
policy = "greedy"
"#;

/// Checks that `text` is invalid and that its diagnostics render as `expect`.
pub(crate) fn check(text: &str, expect: Expect) {
    let checked = check_bytes(text.as_bytes());
    let rendered: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.render("s.toml"))
        .collect();
    assert!(checked.scenario.is_none(), "accepted:\n{text}");
    expect.assert_eq(&rendered.join("\n"));
}

/// BASE with the first occurrence of `from` replaced by `to`.
pub(crate) fn broken(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE lacks {from:?}");
    BASE.replacen(from, to, 1)
}

#[test]
fn base_is_valid() {
    let checked = check_bytes(BASE.as_bytes());
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert!(checked.scenario.is_some());
}

// --- files that are not TOML at all ---------------------------------------

#[test]
fn empty_file() {
    check("", expect!["s.toml:1:1: error: the file is empty"]);
}

#[test]
fn whitespace_only_file() {
    check(
        "  \n\n\t\n",
        expect!["s.toml:1:1: error: the file is empty"],
    );
}

#[test]
fn junk_bytes() {
    check(
        "name = \"ok\"\n\u{1}\u{2}\n",
        expect!["s.toml:2:3: error: TOML syntax error: key with no value, expected `=`"],
    );
}

#[test]
fn binary_not_utf8() {
    let mut bytes = b"[scenario]\nname = \"x".to_vec();
    bytes.extend([0xff, 0xfe, 0x00]);
    let checked = check_bytes(&bytes);
    let rendered: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.render("s.toml"))
        .collect();
    expect!["s.toml:2:10: error: the file is not valid UTF-8 text (invalid byte 0xff)"]
        .assert_eq(&rendered.join("\n"));
}

// --- syntax ------------------------------------------------------------------

#[test]
fn unclosed_string() {
    check(
        &broken("name = \"base\"", "name = \"base"),
        expect![[r#"s.toml:2:13: error: TOML syntax error: invalid basic string, expected `"`"#]],
    );
}

#[test]
fn unquoted_quantity() {
    check(
        &broken("duration = \"4 h\"", "duration = 4 h"),
        expect![
            "s.toml:3:12: error: TOML syntax error: string values must be quoted, expected literal string"
        ],
    );
}

#[test]
fn unclosed_array() {
    check(
        &broken("from = [\"east\"]", "from = [\"east\""),
        expect![[r#"
        s.toml:57:1: error: TOML syntax error: missing comma between array elements, expected `,`
        s.toml:58:1: error: TOML syntax error: missing comma between array elements, expected `,`
        s.toml:60:1: error: TOML syntax error: missing comma between array elements, expected `,`
        s.toml:61:1: error: TOML syntax error: missing comma between array elements, expected `,`"#]],
    );
}

#[test]
fn duplicate_key_in_table() {
    check(
        &broken("value = 10", "value = 10\nvalue = 11"),
        expect!["s.toml:10:1: error: TOML syntax error: duplicate key `value`"],
    );
}

// --- structure ---------------------------------------------------------------

#[test]
fn missing_scenario_table() {
    check(
        &broken("[scenario]\nname = \"base\"\nduration = \"4 h\"\n", ""),
        expect![[r#"
        s.toml:1:1: error: scenario: missing required key `scenario`
            help: start the file with a [scenario] table: name and duration"#]],
    );
}

#[test]
fn missing_duration() {
    check(
        &broken("duration = \"4 h\"\n", ""),
        expect![[r#"
        s.toml:1:1: error: scenario.duration: missing required key `duration`
            help: Length of the simulated night. (a duration with a unit, such as "90 s")"#]],
    );
}

#[test]
fn unknown_top_level_table() {
    check(
        &format!("{BASE}\n[[effectors]]\nid = \"x\"\n"),
        expect![[r#"
        s.toml:63:3: error: effectors: unknown key `effectors`
            help: did you mean `effector`?"#]],
    );
}

#[test]
fn unknown_key_with_suggestion() {
    check(
        &broken("magazine = 8", "magazin = 8"),
        expect![[r#"
        s.toml:37:1: error: effector[1].magazin: unknown key `magazin`
            help: did you mean `magazine`?"#]],
    );
}

#[test]
fn unknown_key_without_suggestion() {
    check(
        &broken("p_detect = 0.9", "p_detect = 0.9\ncolour = \"red\""),
        expect![[r#"
        s.toml:22:1: error: sensor[0].colour: unknown key `colour`
            help: expected one of: id, type, count, position, positions, area, mast_height, range, reference_rcs, scan_period, p_detect, max_altitude"#]],
    );
}

#[test]
fn single_table_where_array_of_tables_expected() {
    check(
        &broken("[[launch_site]]", "[launch_site]"),
        expect![[r#"
        s.toml:48:1: error: launch_site: expected an array of tables: write [[launch_site]], not [launch_site], found a single table
        s.toml:56:9: error: raid[0].from[0]: unknown launch site `east`
            help: no launch site is defined"#]],
    );
}

#[test]
fn missing_asset_kind() {
    check(
        &broken("kind = \"hospital\"\n", ""),
        expect![[r#"
        s.toml:11:1: error: asset[1].kind: missing required key `kind`
            help: What the asset is. (one of hospital, power, water, heating, residential, government, industrial, military, other)"#]],
    );
}

#[test]
fn effector_without_kind_or_class() {
    check(
        &broken("kind = \"medium-sam\"\n", ""),
        expect![[r#"
        s.toml:28:1: error: effector[1].kind: missing required key `kind`
            help: give kind, or name a catalogue class with `class = ...`"#]],
    );
}

#[test]
fn effector_missing_field_without_catalogue() {
    check(
        &broken("magazine = 8\n", ""),
        expect![[r#"
        s.toml:28:1: error: effector[1].magazine: missing required key `magazine`
            help: give it, or name a catalogue class with `class = ...`"#]],
    );
}

#[test]
fn no_placement() {
    check(
        &broken("position = [\"0 km\", \"2 km\"]\n", ""),
        expect![[r#"
            s.toml:16:1: error: sensor[0].position: missing required key `position`
                help: give position = [east, north], positions = [[...], ...] or area = { center, radius }"#]],
    );
}

#[test]
fn two_placements() {
    check(
        &broken(
            "position = [\"0 km\", \"2 km\"]",
            "position = [\"0 km\", \"2 km\"]\narea = { center = [\"0 km\", \"0 km\"], radius = \"5 km\" }",
        ),
        expect!["s.toml:20:8: error: sensor[0].area: give only one of position, area"],
    );
}

#[test]
fn positions_do_not_match_count() {
    check(
        &broken(
            "position = [\"0.5 km\", \"0.5 km\"]",
            "count = 3\npositions = [[\"0 km\", \"0 km\"], [\"1 km\", \"0 km\"]]",
        ),
        expect![
            "s.toml:27:13: error: effector[0].positions: count = 3 but 2 positions are listed; expected one position per unit"
        ],
    );
}

#[test]
fn position_with_three_coordinates() {
    check(
        &broken(
            "position = [\"0 km\", \"0 km\"]",
            "position = [\"0 km\", \"0 km\", \"0 m\"]",
        ),
        expect![[
            r#"s.toml:8:12: error: asset[0].position: expected a position [east, north], such as ["12 km", "-3.5 km"], found an array of 3 items"#
        ]],
    );
}

// --- types -------------------------------------------------------------------

#[test]
fn string_where_integer_expected() {
    check(
        &broken("channels = 4", "channels = \"four\""),
        expect![[
            r#"s.toml:36:12: error: effector[1].channels: expected an integer >= 1, found the string "four""#
        ]],
    );
}

#[test]
fn float_where_integer_expected() {
    check(
        &broken("count = 10", "count = 10.5"),
        expect![
            "s.toml:55:9: error: raid[0].count: expected an integer >= 1, found the number 10.5"
        ],
    );
}

#[test]
fn integer_where_string_expected() {
    check(
        &broken("name = \"base\"", "name = 42"),
        expect!["s.toml:2:8: error: scenario.name: expected a string, found the integer 42"],
    );
}

#[test]
fn probability_as_percentage_string() {
    check(
        &broken("p_detect = 0.9", "p_detect = \"90%\""),
        expect![[
            r#"s.toml:21:12: error: sensor[0].p_detect: expected a probability from 0 to 1 (write percentages as fractions: 0.7, not "70%"), found the string "90%""#
        ]],
    );
}

#[test]
fn unknown_enum_value_with_suggestion() {
    check(
        &broken("kind = \"power\"", "kind = \"powr\""),
        expect![[r#"
        s.toml:7:8: error: asset[0].kind: unknown value `powr`; expected one of hospital, power, water, heating, residential, government, industrial, military, other
            help: did you mean `power`?"#]],
    );
}

#[test]
fn unknown_policy() {
    check(
        &broken("policy = \"greedy\"", "policy = \"best\""),
        expect![
            "s.toml:61:10: error: doctrine.policy: unknown value `best`; expected one of nearest, greedy, optimal"
        ],
    );
}

#[test]
fn table_where_value_expected() {
    check(
        &broken("value = 10", "value = { amount = 10 }"),
        expect!["s.toml:9:9: error: asset[0].value: expected a number, found a table"],
    );
}

// --- units -------------------------------------------------------------------

#[test]
fn quantity_without_unit() {
    check(
        &broken("range = \"60 km\"", "range = 60"),
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `60` has no unit; expected a length such as "2.5 km"
            help: units that fit: m, km, ft, nmi"#]],
    );
}

#[test]
fn quantity_string_without_unit() {
    check(
        &broken("range = \"60 km\"", "range = \"60\""),
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `60` has no unit; expected a length such as "2.5 km"
            help: units that fit: m, km, ft, nmi"#]],
    );
}

#[test]
fn unit_of_another_dimension() {
    check(
        &broken("range = \"60 km\"", "range = \"60 s\""),
        expect![
            "s.toml:20:9: error: sensor[0].range: `60 s` is not a length: `s` is a unit of duration; expected one of m, km, ft, nmi"
        ],
    );
}

#[test]
fn unit_with_wrong_case() {
    check(
        &broken(
            "interceptor_speed = \"1000 m/s\"",
            "interceptor_speed = \"1000 M/S\"",
        ),
        expect![[r#"
        s.toml:39:21: error: effector[1].interceptor_speed: `1000 M/S` is not a speed: unit `M/S` is not one of m/s, km/h, kn, mph
            help: did you mean "1000 m/s"?"#]],
    );
}

#[test]
fn unit_misspelt() {
    check(
        &broken("duration = \"4 h\"", "duration = \"4 hours\""),
        expect![[r#"
        s.toml:3:12: error: scenario.duration: `4 hours` is not a duration: unit `hours` is not one of ms, s, min, h, d
            help: did you mean "4 h"?"#]],
    );
}

#[test]
fn money_without_currency() {
    check(
        &broken("cost_per_shot = \"2 M$\"", "cost_per_shot = \"2 M\""),
        expect![[r#"
        s.toml:42:17: error: effector[1].cost_per_shot: `2 M` is not a cost: unit `M` is not one of $, k$, M$, B$
            help: did you mean "2 M$"?"#]],
    );
}

#[test]
fn quantity_that_is_not_a_number() {
    check(
        &broken("reload_time = \"30 min\"", "reload_time = \"soon\""),
        expect![[
            r#"s.toml:38:15: error: effector[1].reload_time: `soon` is not a quantity; expected a number then a unit, such as "90 s""#
        ]],
    );
}

// --- values out of range -------------------------------------------------------

#[test]
fn probability_above_one() {
    check(
        &broken("p_detect = 0.9", "p_detect = 1.5"),
        expect![
            "s.toml:21:12: error: sensor[0].p_detect: 1.5 is out of range; expected a probability from 0 to 1"
        ],
    );
}

#[test]
fn negative_probability_in_map() {
    check(
        &broken("cruise-missile = 0.8", "cruise-missile = -0.1"),
        expect![
            "s.toml:41:42: error: effector[1].pk.cruise-missile: -0.1 is out of range; expected a probability from 0 to 1"
        ],
    );
}

#[test]
fn min_range_above_max_range() {
    check(
        &broken("min_range = \"1 km\"", "min_range = \"50 km\""),
        expect![[
            r#"s.toml:32:13: error: effector[1].min_range: min_range ("50 km") is above max_range ("40 km"); expected min_range <= max_range"#
        ]],
    );
}

#[test]
fn zero_speed() {
    check(
        &broken(
            "interceptor_speed = \"1000 m/s\"",
            "interceptor_speed = \"0 m/s\"",
        ),
        expect![[
            r#"s.toml:39:21: error: effector[1].interceptor_speed: "0 m/s" is out of range; expected a speed of more than zero"#
        ]],
    );
}

#[test]
fn negative_threat_speed_override() {
    check(
        &broken(
            "class = \"shahed-type\"",
            "class = \"shahed-type\"\nspeed = \"-185 km/h\"",
        ),
        expect![[
            r#"s.toml:47:9: error: threat[0].speed: "-185 km/h" is out of range; expected a speed of more than zero"#
        ]],
    );
}

#[test]
fn zero_count() {
    check(
        &broken("count = 10", "count = 0"),
        expect![
            "s.toml:55:9: error: raid[0].count: 0 is out of range; expected an integer from 1 to 10000000"
        ],
    );
}

#[test]
fn huge_count() {
    check(
        &broken("count = 10", "count = 99999999999"),
        expect![
            "s.toml:55:9: error: raid[0].count: 99999999999 is out of range; expected an integer from 1 to 10000000"
        ],
    );
}

#[test]
fn negative_value() {
    check(
        &broken("value = 10", "value = -10"),
        expect!["s.toml:9:9: error: asset[0].value: -10 is out of range; expected a number > 0"],
    );
}

#[test]
fn latitude_out_of_range() {
    check(
        &broken(
            "duration = \"4 h\"",
            "duration = \"4 h\"\norigin = { lat = 95.0, lon = 10.0 }",
        ),
        expect![
            "s.toml:4:18: error: scenario.origin.lat: 95 is out of range; expected a number from -90 to 90"
        ],
    );
}

#[test]
fn raid_ends_after_the_night() {
    check(
        &broken("end = \"1 h\"", "end = \"5 h\""),
        expect![[
            r#"s.toml:57:7: error: raid[0].end: "5 h" is out of range; expected a time within the scenario duration (4 h)"#
        ]],
    );
}

#[test]
fn raid_starts_after_it_ends() {
    check(
        &broken("end = \"1 h\"", "start = \"2 h\"\nend = \"1 h\""),
        expect![[
            r#"s.toml:57:9: error: raid[0].start: start ("2 h") is above end ("1 h"); expected start <= end"#
        ]],
    );
}

#[test]
fn tracking_k_above_n() {
    check(
        &format!("{BASE}\n[tracking]\nk = 4\nn = 3\n"),
        expect!["s.toml:64:5: error: tracking.k: k (4) is above n (3); expected k <= n"],
    );
}

// --- ids and references -----------------------------------------------------------

#[test]
fn duplicate_asset_id() {
    check(
        &broken("id = \"clinic\"", "id = \"plant\""),
        expect![
            "s.toml:12:6: error: asset[1].id: duplicate asset id `plant` (first defined at line 6)"
        ],
    );
}

#[test]
fn id_with_spaces() {
    check(
        &broken("id = \"clinic\"", "id = \"the clinic\""),
        expect![[
            r#"s.toml:12:6: error: asset[1].id: invalid id "the clinic"; expected letters, digits, '-', '_' and '.' only"#
        ]],
    );
}

#[test]
fn dangling_launch_site() {
    check(
        &broken("from = [\"east\"]", "from = [\"eats\"]"),
        expect![[r#"
        s.toml:56:9: error: raid[0].from[0]: unknown launch site `eats`
            help: did you mean `east`?"#]],
    );
}

#[test]
fn dangling_threat_class() {
    check(
        &broken("threat = \"drone\"", "threat = \"dron\""),
        expect![[r#"
        s.toml:54:10: error: raid[0].threat: unknown threat class `dron`
            help: did you mean `drone`?"#]],
    );
}

#[test]
fn unknown_catalogue_class() {
    check(
        &broken("class = \"gepard-type\"", "class = \"gepard\""),
        expect![[r#"
        s.toml:25:9: error: effector[0].class: unknown catalogue class `gepard`
            help: did you mean `gepard-type`?"#]],
    );
}

#[test]
fn raid_target_asset_does_not_exist() {
    check(
        &broken(
            "target = { asset = \"plant\" }",
            "target = { asset = \"plnat\" }",
        ),
        expect![[r#"
        s.toml:58:20: error: raid[0].target.asset: unknown asset `plnat`
            help: did you mean `plant`?"#]],
    );
}

#[test]
fn raid_target_kind_not_present() {
    check(
        &broken(
            "target = { asset = \"plant\" }",
            "target = { kinds = [\"water\"] }",
        ),
        expect![[r#"
            s.toml:58:10: error: raid[0].target: raid `wave` targets assets of kind water, and the scenario has none
                help: asset kinds present: hospital, power"#]],
    );
}

#[test]
fn raid_target_with_both_forms() {
    check(
        &broken(
            "target = { asset = \"plant\" }",
            "target = { asset = \"plant\", kinds = [\"power\"] }",
        ),
        expect!["s.toml:58:10: error: raid[0].target: give exactly one of asset, kinds"],
    );
}

#[test]
fn pk_for_unknown_threat() {
    check(
        &broken("owa-drone = 0.9", "owa-drones = 0.9"),
        expect![[r#"
        s.toml:41:8: error: effector[1].pk.owa-drones: unknown threat kind or class `owa-drones`
            help: did you mean `owa-drone`?"#]],
    );
}

#[test]
fn effector_that_can_engage_nothing() {
    check(
        &broken(
            "engages = [\"owa-drone\", \"cruise-missile\"]",
            "engages = [\"ballistic-missile\"]",
        ),
        expect![[r#"
            s.toml:28:1: error: effector[1]: effector `sam` can engage none of the threats the raids launch: `drone` (owa-drone, gnss)
                help: check engages and pk against the threat kinds and ids the raids use"#]],
    );
}

/// Interceptor drones (300 km/h) cannot catch jet drones (400 km/h).
#[test]
fn interceptor_drones_against_jets_only() {
    check(
        &format!(
            "{}\n[[effector]]\nid = \"team\"\nclass = \"interceptor-drone\"\nposition = [\"0 km\", \"0 km\"]\n",
            broken("class = \"shahed-type\"", "class = \"jet-shahed-type\"")
        ),
        expect![[r#"
            s.toml:63:1: error: effector[2]: effector `team` can catch none of the threats the raids launch: `drone` (owa-drone, gnss)
                help: an interceptor drone catches only threats slower than its interceptor_speed"#]],
    );
}

#[test]
fn jammer_that_can_defeat_nothing() {
    check(
        &format!(
            "{BASE}\n[[effector]]\nid = \"ew\"\nclass = \"ew-jammer\"\nposition = [\"0 km\", \"0 km\"]\np_defeat = {{ cruise-missile = 0.5 }}\n"
        ),
        expect![[r#"
            s.toml:63:1: error: effector[2]: jammer `ew` can defeat none of the threats the raids launch: `drone` (owa-drone, gnss)
                help: only GNSS-guided threats named in p_defeat can be jammed"#]],
    );
}

#[test]
fn shooter_key_on_a_jammer() {
    check(
        &format!(
            "{BASE}\n[[effector]]\nid = \"ew\"\nclass = \"ew-jammer\"\nposition = [\"0 km\", \"0 km\"]\nmagazine = 4\n"
        ),
        expect![
            "s.toml:67:12: error: effector[2].magazine: `magazine` does not apply to a jammer (it fires no rounds)"
        ],
    );
}

#[test]
fn rate_without_poisson() {
    check(
        &broken("end = \"1 h\"", "end = \"1 h\"\nrate = \"10 /h\""),
        expect![[
            r#"s.toml:58:8: error: raid[0].rate: `rate` does not apply to arrival = "uniform" (rate is for "poisson" only)"#
        ]],
    );
}

#[test]
fn reserve_for_unknown_effector_class() {
    check(
        &format!(
            "{BASE}\n[[doctrine.reserve]]\neffector = \"long-range-sams\"\nkeep = 2\nthreats = [\"ballistic-missile\"]\n"
        ),
        expect![[r#"
            s.toml:64:12: error: doctrine.reserve[0].effector: unknown effector kind, class or id `long-range-sams`
                help: did you mean `long-range-sam`?"#]],
    );
}

#[test]
fn several_problems_reported_at_once_in_file_order() {
    let text = broken("range = \"60 km\"", "range = 60")
        .replacen("magazine = 8", "magazin = 8", 1)
        .replacen("from = [\"east\"]", "from = [\"west\"]", 1)
        .replacen("p_detect = 0.9", "p_detect = 2", 1);
    check(
        &text,
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `60` has no unit; expected a length such as "2.5 km"
            help: units that fit: m, km, ft, nmi
        s.toml:21:12: error: sensor[0].p_detect: 2 is out of range; expected a probability from 0 to 1
        s.toml:37:1: error: effector[1].magazin: unknown key `magazin`
            help: did you mean `magazine`?
        s.toml:56:9: error: raid[0].from[0]: unknown launch site `west`
            help: known: east"#]],
    );
}

// --- regressions found in review ---------------------------------------------------

#[test]
fn duration_rounding_to_zero_milliseconds() {
    check(
        &broken("duration = \"4 h\"", "duration = \"0.3 ms\""),
        expect![[
            r#"s.toml:3:12: error: scenario.duration: "0.3 ms" is out of range; expected a duration of at least 1 ms (times are whole milliseconds)"#
        ]],
    );
}

#[test]
fn empty_asset_list() {
    let text = BASE
        .replacen("[[asset]]\nid = \"plant\"\nkind = \"power\"\nposition = [\"0 km\", \"0 km\"]\nvalue = 10\n", "", 1)
        .replacen("[[asset]]\nid = \"clinic\"\nkind = \"hospital\"\nposition = [\"2 km\", \"1 km\"]\n", "", 1)
        .replacen("[scenario]", "asset = []\n\n[scenario]", 1)
        .replacen("target = { asset = \"plant\" }", "target = \"any\"", 1);
    check(
        &text,
        expect![[r#"
        s.toml:1:9: error: asset: the scenario has no assets to protect
            help: add at least one [[asset]]"#]],
    );
}

#[test]
fn nautical_miles_are_not_metres() {
    check(
        &broken("range = \"60 km\"", "range = \"60 NM\""),
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `60 NM` is not a length: unit `NM` is not one of m, km, ft, nmi
            help: did you mean "60 nmi"?"#]],
    );
}

#[test]
fn decimal_comma() {
    check(
        &broken("range = \"60 km\"", "range = \"4,5 km\""),
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `4,5 km` is not a quantity; expected a number then a unit, such as "2.5 km"
            help: did you mean "4.5 km"?"#]],
    );
}

#[test]
fn underscores_must_separate_digits() {
    check(
        &broken("range = \"60 km\"", "range = \"_6__0_ km\""),
        expect![[
            r#"s.toml:20:9: error: sensor[0].range: `_6__0_ km` is not a quantity; expected a number then a unit, such as "2.5 km""#
        ]],
    );
}

#[test]
fn kind_conflicting_with_class() {
    check(
        &broken(
            "class = \"gepard-type\"",
            "class = \"gepard-type\"\nkind = \"jammer\"",
        ),
        expect![[r#"
        s.toml:26:8: error: effector[0].kind: kind "jammer" conflicts with class `gepard-type`, which is a gun
            help: drop `kind` (the class sets it) or pick a class of that kind"#]],
    );
}

#[test]
fn effector_id_that_is_a_kind_name() {
    check(
        &broken("id = \"gun-1\"", "id = \"gun\""),
        expect![
            "s.toml:24:6: error: effector[0].id: id `gun` is also the name of an effector kind; choose another id"
        ],
    );
}

#[test]
fn threat_id_that_is_a_kind_name() {
    check(
        &broken("id = \"drone\"", "id = \"decoy\"").replacen(
            "threat = \"drone\"",
            "threat = \"decoy\"",
            1,
        ),
        expect![
            "s.toml:45:6: error: threat[0].id: id `decoy` is also the name of a threat kind; choose another id"
        ],
    );
}

#[test]
fn unknown_class_still_reports_field_errors() {
    check(
        &broken(
            "class = \"gepard-type\"",
            "class = \"gepard\"\nmagazine = -3\nchannels = \"x\"",
        ),
        expect![[r#"
            s.toml:25:9: error: effector[0].class: unknown catalogue class `gepard`
                help: did you mean `gepard-type`?
            s.toml:26:12: error: effector[0].magazine: -3 is out of range; expected an integer from 0 to 10000000
            s.toml:27:12: error: effector[0].channels: expected an integer >= 1, found the string "x""#]],
    );
}

#[test]
fn raid_window_error_does_not_hide_dangling_references() {
    check(
        &broken("threat = \"drone\"", "threat = \"dorne\"")
            .replacen("from = [\"east\"]", "from = [\"eats\"]", 1)
            .replacen("end = \"1 h\"", "start = \"50 min\"\nend = \"40 min\"", 1),
        expect![[r#"
            s.toml:54:10: error: raid[0].threat: unknown threat class `dorne`
                help: did you mean `drone`?
            s.toml:56:9: error: raid[0].from[0]: unknown launch site `eats`
                help: did you mean `east`?
            s.toml:57:9: error: raid[0].start: start ("50 min") is above end ("40 min"); expected start <= end"#]],
    );
}

#[test]
fn bad_fire_mode_does_not_hide_dangling_threats() {
    check(
        &format!("{BASE}\n[[doctrine.fire]]\nthreats = [\"cruise-misile\"]\nmode = \"burst\"\n"),
        expect![[r#"
            s.toml:64:12: error: doctrine.fire[0].threats[0]: unknown threat kind or class `cruise-misile`
                help: did you mean `cruise-missile`?
            s.toml:65:8: error: doctrine.fire[0].mode: unknown value `burst`; expected one of shoot-look-shoot, salvo"#]],
    );
}

#[test]
fn empty_route() {
    check(
        &broken("end = \"1 h\"", "end = \"1 h\"\nroute = []"),
        expect![[
            r#"s.toml:58:9: error: raid[0].route: `route` is empty; expected at least one waypoint (or write route = "direct")"#
        ]],
    );
}

#[test]
fn target_keyword_in_wrong_case() {
    check(
        &broken("target = { asset = \"plant\" }", "target = \"Any\""),
        expect![[r#"
        s.toml:58:10: error: raid[0].target: unknown value `Any`; expected one of any, { asset = "id" }, { kinds = [...] }
            help: did you mean `any`?"#]],
    );
}

#[test]
fn invalid_id_does_not_cascade_into_dangling_references() {
    check(
        &broken("id = \"plant\"", "id = \"pl ant\"").replacen(
            "asset = \"plant\"",
            "asset = \"pl ant\"",
            1,
        ),
        expect![[
            r#"s.toml:6:6: error: asset[0].id: invalid id "pl ant"; expected letters, digits, '-', '_' and '.' only"#
        ]],
    );
}

#[test]
fn too_many_units_in_one_declaration() {
    check(
        &broken(
            "position = [\"0.5 km\", \"0.5 km\"]",
            "count = 10000000\nposition = [\"0.5 km\", \"0.5 km\"]",
        ),
        expect![
            "s.toml:26:9: error: effector[0].count: 10000000 is out of range; expected an integer from 0 to 100000"
        ],
    );
}

#[test]
fn duplicate_key_is_named() {
    check(
        &broken("p_detect = 0.9", "p_detect = 0.9\np_detect = 0.8"),
        expect!["s.toml:22:1: error: TOML syntax error: duplicate key `p_detect`"],
    );
}

#[test]
fn columns_after_a_byte_order_mark_and_tabs() {
    let text = format!("\u{feff}{}", broken("range = \"60 km\"", "\trange = 60"));
    check(
        &text,
        expect![[r#"
        s.toml:20:10: error: sensor[0].range: `60` has no unit; expected a length such as "2.5 km"
            help: units that fit: m, km, ft, nmi"#]],
    );
}

#[test]
fn crlf_line_endings() {
    let text = broken("range = \"60 km\"", "range = 60").replace('\n', "\r\n");
    check(
        &text,
        expect![[r#"
        s.toml:20:9: error: sensor[0].range: `60` has no unit; expected a length such as "2.5 km"
            help: units that fit: m, km, ft, nmi"#]],
    );
}

#[test]
fn bom_only_file_is_empty() {
    check("\u{feff}", expect!["s.toml:1:1: error: the file is empty"]);
}

mod valid_variants {
    use super::*;

    fn valid(text: &str) -> rampart_model::Scenario {
        let checked = check_bytes(text.as_bytes());
        let rendered: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| d.render("s.toml"))
            .collect();
        assert!(rendered.is_empty(), "{}", rendered.join("\n"));
        checked.scenario.expect("valid")
    }

    #[test]
    fn crlf_bom_and_dotted_keys_are_fine() {
        let text = format!(
            "\u{feff}{}",
            broken(
                "duration = \"4 h\"",
                "duration = \"4 h\"\norigin.lat = 47.0\norigin.lon = -30.0"
            )
            .replace('\n', "\r\n")
        );
        let s = valid(&text);
        assert_eq!(s.origin.map(|o| o.lat), Some(47.0));
    }

    #[test]
    fn inline_array_of_tables_equals_double_brackets() {
        let text = broken(
            "[[launch_site]]\nid = \"east\"\nposition = [\"120 km\", \"10 km\"]\n",
            "",
        )
        .replacen(
            "[scenario]",
            "launch_site = [{ id = \"east\", position = [\"120 km\", \"10 km\"] }]\n\n[scenario]",
            1,
        );
        let s = valid(&text);
        assert_eq!(s.launch_sites[0].position.east, 120_000.0);
    }

    #[test]
    fn poisson_without_rate_takes_count_over_window() {
        let s = valid(&broken(
            "end = \"1 h\"",
            "end = \"1 h\"\narrival = \"poisson\"",
        ));
        assert_eq!(
            s.raids[0].arrival,
            rampart_model::Arrival::Poisson {
                rate: 10.0 / 3600.0
            }
        );
    }

    #[test]
    fn a_threat_may_take_the_name_of_its_own_class() {
        let s = valid(&broken("id = \"drone\"", "id = \"shahed-type\"").replacen(
            "threat = \"drone\"",
            "threat = \"shahed-type\"",
            1,
        ));
        assert_eq!(s.threats[0].id, "shahed-type");
    }
}

#[test]
fn an_outline_needs_three_positions() {
    check(
        &broken(
            "duration = \"4 h\"",
            "duration = \"4 h\"\noutline = [[\"0 km\", \"0 km\"], [\"1 km\", \"0 km\"]]",
        ),
        expect![
            "s.toml:4:11: error: scenario.outline: `outline` has 2 position(s); expected at least 3"
        ],
    );
}

mod campaigns {
    use rampart_model::campaign::check_campaign;

    fn diagnostics(text: &str) -> Vec<String> {
        diagnostics_with(text, "count = 10")
    }

    /// With the minimal scenario's raid of `count` (a `count = N` line).
    fn diagnostics_with(text: &str, count: &str) -> Vec<String> {
        let night = crate::read("examples/minimal.toml").replace("count = 10", count);
        check_campaign(text, &mut |_| Ok(night.clone()))
            .diagnostics
            .iter()
            .map(|d| d.render("c.toml"))
            .collect()
    }

    const OK: &str = "[campaign]\nname = \"c\"\nscenario = \"minimal.toml\"\nnights = 30\n";

    #[test]
    fn a_repeated_depot_is_found_where_it_is_repeated() {
        let text = format!(
            "{OK}[[defender]]\nid = \"gepard-1\"\nstock = 1\n[[defender]]\nid = \"gepard-1\"\nstock = 2\n"
        );
        expect_test::expect![[r#"
            [
                "c.toml:9:6: error: defender[1].id: duplicate defender id `gepard-1` (first defined at line 6)",
            ]
        "#]]
        .assert_debug_eq(&diagnostics(&text));
    }

    #[test]
    fn a_night_too_large_for_memory_is_refused() {
        let text = format!("{OK}[raids]\nnightly = 1\nstrike = {{ every = 2, scale = 1.5 }}\n");
        assert!(diagnostics_with(&text, "count = 400000").is_empty());
        let d = diagnostics_with(&text, "count = 500000");
        assert_eq!(
            d,
            [
                "c.toml:5:1: error: raids: a night of up to 1250000 threats is out of range; expected at most 1000000 threats a night"
            ]
        );
    }

    #[test]
    fn production_is_a_rate_or_a_schedule_not_both() {
        let both = format!(
            "{OK}[[defender]]\nid = \"gepard-1\"\nstock = 1\nper_month = 3\nproduction = [1, 2]\n"
        );
        let d = diagnostics(&both);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains("defender[0].production")
                && d[0].contains("give only one of per_month, production"),
            "{d:?}"
        );
        let bad = format!(
            "{OK}[[defender]]\nid = \"gepard-1\"\nstock = 1\nproduction = [1, -2, \"x\"]\n"
        );
        let d = diagnostics(&bad);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].contains("production[1]") && d[1].contains("production[2]"),
            "{d:?}"
        );
    }

    #[test]
    fn stocks_beyond_a_billion_are_refused() {
        let text = format!("{OK}[[attacker]]\nid = \"shahed-type\"\nstockpile = 99999999999\n");
        let d = diagnostics(&text);
        assert!(
            d[0].contains("attacker[0].stockpile") && d[0].contains("out of range"),
            "{d:?}"
        );
    }
}

#[test]
fn a_variant_must_name_real_fields_and_stay_valid() {
    let text = format!(
        "{BASE}\n[[variant]]\nid = \"v\"\nset = {{ \"raid.wave.cuont\" = 5 }}\n\n[[variant]]\nid = \"w\"\nset = {{ \"raid.wave.count\" = 0 }}\n\n[[variant]]\nid = \"v\"\nset = {{ \"doctrine.policy\" = \"nearest\" }}\n"
    );
    check(
        &text,
        expect![[r#"
            s.toml:65:9: error: variant[0].set."raid.wave.cuont": `raid.wave.cuont`: no key `cuont` here (did you mean `count`?); expected one of: id, threat, count, from, start, end, arrival, rate, route, target, altitudes, dive
            s.toml:69:7: error: variant[1].set: with these settings the scenario is not valid: raid[0].count: 0 is out of range; expected an integer from 1 to 10000000
            s.toml:72:6: error: variant[2].id: duplicate variant id `v` (first defined at line 64)"#]],
    );
}
