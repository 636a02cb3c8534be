"""compare, sweep, saturate and campaign mirror the CLI: the same JSON, and
for sweeps the same directory, byte for byte."""

import pytest

import rampart


def test_compare_matches_the_cli(cli, minimal):
    got = rampart.compare(minimal, {"nearest": {"doctrine.policy": "nearest"}},
                          reps=30, metric="leakers", seed=2)
    want = cli("compare", "examples/minimal.toml", "--variant",
               "nearest=doctrine.policy=nearest", "--reps", 30, "--seed", 2, "--json", "-q")
    assert got == want
    assert got["verdicts"]


def test_compare_refuses_a_metric_typo_before_any_work(minimal):
    with pytest.raises(ValueError, match="did you mean `leakers`"):
        rampart.compare(minimal, {"n": {"doctrine.policy": "nearest"}}, reps=5, metric="leaker")


def test_sweep_writes_the_cli_directory(cli, minimal, tmp_path):
    vary = {"raid.drones.count": [5, 10], "effector.gepard-1.magazine": [10, 30]}
    r = rampart.sweep(minimal, vary, reps=3, out=tmp_path / "py", seed=4)
    assert r.ran == 4 and r.table.num_rows == 4
    cli("sweep", "examples/minimal.toml", "--vary", "raid.drones.count=5,10",
        "--vary", "effector.gepard-1.magazine=10,30", "--reps", 3, "--seed", 4,
        "--out", tmp_path / "cli", "-q", parse_json=False)
    for f in ["results.parquet", "results.csv", "results.json", "manifest.json",
              "heatmap.svg", "cost-protection.svg"]:
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
    # Run again: it resumes, nothing left to run.
    again = rampart.sweep(minimal, vary, reps=3, out=tmp_path / "py", seed=4)
    assert again.ran == 0


def test_saturate_matches_the_cli(cli, minimal):
    got = rampart.saturate(minimal, "raid.drones.count", limit=3.0, range=(1, 40),
                           reps=20, max_reps=40, seed=6)
    want = cli("saturate", "examples/minimal.toml", "--vary", "raid.drones.count",
               "--limit", 3, "--range", "1..40", "--reps", 20, "--max-reps", 40,
               "--seed", 6, "--json", "-q")
    assert got == want


def test_campaign_matches_the_cli(cli, root):
    got = rampart.campaign(root / "examples" / "campaign.toml", reps=3, nights=4, seed=8)
    want = cli("campaign", "examples/campaign.toml", "--reps", 3, "--nights", 4,
               "--seed", 8, "--json", "-q")
    assert got == want


def test_campaign_refuses_a_scenario(root):
    with pytest.raises(ValueError, match="not a campaign"):
        rampart.campaign(root / "examples" / "minimal.toml", reps=2)


def test_compare_without_variants_takes_the_scenarios_own(cli, night):
    got = rampart.compare(night, reps=4, seed=1)
    want = cli("compare", "examples/night-raid.toml", "--reps", 4, "--seed", 1, "--json", "-q")
    assert got == want
    assert len(got["variants"]) == 3


def test_saturate_with_the_default_range_matches_the_cli(cli, minimal):
    got = rampart.saturate(minimal, "raid.drones.count", limit=3.0, reps=10, max_reps=20, seed=3)
    want = cli("saturate", "examples/minimal.toml", "--vary", "raid.drones.count",
               "--limit", 3, "--reps", 10, "--max-reps", 20, "--seed", 3, "--json", "-q")
    assert got == want


def test_campaign_with_overrides_matches_set(cli, root):
    got = rampart.campaign(root / "examples" / "campaign.toml", reps=2, nights=3, seed=5,
                           overrides={"campaign.nights": 3})
    want = cli("campaign", "examples/campaign.toml", "--reps", 2, "--nights", 3, "--seed", 5,
               "--set", "campaign.nights=3", "--json", "-q")
    assert got == want


def test_a_range_as_vary_takes_it_gives_the_cli_manifest(cli, minimal, tmp_path):
    rampart.sweep(minimal, {"raid.drones.count": "2..6:2"}, reps=2, out=tmp_path / "py")
    cli("sweep", "examples/minimal.toml", "--vary", "raid.drones.count=2..6:2", "--reps", 2,
        "--out", tmp_path / "cli", "-q", parse_json=False)
    for f in ["manifest.json", "results.parquet"]:
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f


def test_campaign_budgets_match_the_cli(cli, root):
    got = rampart.campaign(root / "examples" / "campaign.toml", reps=2, nights=3, seed=5,
                           budgets={"drones": {"defender.interceptor-drones.per_month": 1200}})
    want = cli("campaign", "examples/campaign.toml", "--reps", 2, "--nights", 3, "--seed", 5,
               "--budget-variant", "drones=defender.interceptor-drones.per_month=1200",
               "--json", "-q")
    assert got == want
    assert got["variants"] == ["base", "drones"]
    with pytest.raises(ValueError, match="not procurement"):
        rampart.campaign(root / "examples" / "campaign.toml", reps=2,
                         budgets={"x": {"campaign.nights": 3}})
