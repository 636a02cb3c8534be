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
