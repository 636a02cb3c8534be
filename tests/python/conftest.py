"""Fixtures of the Python package's tests: the repository, the CLI binary
(RAMPART_BIN, default target/debug/rampart) to compare against, and a
helper that runs it."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def cli():
    binary = os.environ.get("RAMPART_BIN", str(ROOT / "target" / "debug" / "rampart"))
    if not os.path.exists(binary):
        pytest.fail(f"the CLI is missing: {binary} (cargo build -p rampart-cli)")

    def run(*args, parse_json=True, code=0):
        out = subprocess.run(
            [binary, *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert out.returncode == code, out.stderr
        return json.loads(out.stdout) if parse_json else out

    return run


@pytest.fixture(scope="session")
def night(root):
    import rampart

    return rampart.Scenario.from_file(root / "examples" / "night-raid.toml")


@pytest.fixture(scope="session")
def minimal(root):
    import rampart

    return rampart.Scenario.from_file(root / "examples" / "minimal.toml")
