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
