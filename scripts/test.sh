#!/usr/bin/env bash
# Runs every test of the workspace. Anything a test needs beyond the Rust
# toolchain (a browser, a server) is installed and started here, first.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is required: install Rust from https://rustup.rs" >&2
  exit 1
fi

cargo test --workspace --locked

# Interoperability: our Parquet read by a reader we did not write (DuckDB),
# from a virtual environment of its own under target/.
venv=target/interop-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check duckdb==2.0.1
cargo build --locked -p rampart-cli
"$venv/bin/python" tests/interop/parquet_duckdb.py target/debug/rampart

# The Python package: its wheel built with maturin (abi3, debug profile:
# quick to build, and the same numbers as the CLI built alike), installed
# into a virtual environment of its own under target/, then its pytest
# suite, which compares it with the CLI, runs a Dask cluster of two worker
# processes and executes the quickstart notebook.
pyvenv=target/python-venv
if [ ! -x "$pyvenv/bin/python" ]; then
  python3 -m venv "$pyvenv"
fi
"$pyvenv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
rm -f target/wheels/rampart-*.whl
"$pyvenv/bin/maturin" build --quiet --locked -m crates/python/Cargo.toml --profile dev -o target/wheels
"$pyvenv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/rampart-*.whl
RAMPART_BIN="$PWD/target/debug/rampart" "$pyvenv/bin/python" -m pytest -q -p no:cacheprovider tests/python

# Browser tests: the replay page and the HTML report in headless Chromium
# (Debian's package), driven by playwright-core from npm. Screenshots are
# kept in target/browser-artifacts/.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=10)?"yes":"no")' 2>/dev/null || echo no)
if [ "$node_ok" != yes ]; then
  echo "the browser tests need Node.js 20.10 or later with npm (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
(cd tests/browser && npm ci --silent --no-audit --no-fund && RAMPART_BIN="$PWD/../../target/debug/rampart" node --test --test-concurrency=1)
