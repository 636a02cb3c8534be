"""Scenarios from files, from text and with overrides; invalid input raises
ScenarioError whose diagnostics are `rampart validate`'s."""

import pytest

import rampart

BAD = """[scenario]
name = "x"
duration = "1 h"

[[asset]]
id = "a"
kindd = "military"
"""


def test_from_file_and_properties(night, root):
    assert night.name
    assert night.file == str(root / "examples" / "night-raid.toml")
    assert isinstance(night.seed, int)
    assert "[scenario]" in night.text
    assert rampart.Scenario.from_str(night.text).name == night.name


def test_diagnostics_are_those_of_validate(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    with pytest.raises(rampart.ScenarioError) as info:
        rampart.Scenario.from_file(path)
    got = info.value.diagnostics
    out = cli("validate", path, "--format", "json", parse_json=False, code=2)
    import json

    want = json.loads(out.stdout)["files"][0]["diagnostics"]
    assert [(d.line, d.column, d.path, d.message, d.severity) for d in got] == [
        (d["line"], d["column"], d["path"], d["message"], d["severity"]) for d in want
    ]
    assert any(d.hint for d in got)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(got[0])


def test_from_str_names_its_source():
    with pytest.raises(rampart.ScenarioError) as info:
        rampart.Scenario.from_str(BAD, "mine.toml")
    assert info.value.diagnostics[0].rendered.startswith("mine.toml:")


def test_overrides_change_fields_and_refuse_typos(minimal):
    changed = minimal.with_overrides({"raid.drones.count": 40})
    assert "count = 40" in changed.text
    with pytest.raises(ValueError, match="did you mean `count`"):
        minimal.with_overrides({"raid.drones.cont": 40})
    with pytest.raises(ValueError):
        minimal.with_overrides({"raid.drones.count": "many"})


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        rampart.Scenario.from_file(tmp_path / "none.toml")


def test_warnings_of_a_valid_scenario_are_those_of_validate(cli, root, tmp_path):
    """A scenario without sensors is valid, with a warning (validate's)."""
    text = (root / "examples" / "minimal.toml").read_text()
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line.strip() == "[[sensor]]"
        if not skipping:
            kept.append(line)
    no_sensor = "\n".join(kept) + "\n"
    path = tmp_path / "blind.toml"
    path.write_text(no_sensor)
    s = rampart.Scenario.from_file(path)
    out = cli("validate", path, "--format", "json", parse_json=False)
    import json

    want = json.loads(out.stdout)["files"][0]["diagnostics"]
    assert want, "the file should draw a warning"
    assert [(d.line, d.path, d.message, d.severity) for d in s.warnings] == [
        (d["line"], d["path"], d["message"], d["severity"]) for d in want
    ]
    assert {d.severity for d in s.warnings} == {"warning"}


def test_a_campaign_file_is_not_a_scenario(root):
    with pytest.raises(ValueError, match="is a campaign"):
        rampart.Scenario.from_file(root / "examples" / "campaign.toml")


def test_overrides_give_the_numbers_of_set(cli, minimal):
    """with_overrides and `--set` change the scenario alike."""
    changed = minimal.with_overrides({"raid.drones.count": 25, "doctrine.policy": "nearest"})
    got = rampart.mc(changed, reps=20, seed=2).statistics
    want = cli("mc", "examples/minimal.toml", "--set", "raid.drones.count=25",
               "--set", "doctrine.policy=nearest", "--reps", 20, "--seed", 2, "--json", "-q")
    assert got == want
