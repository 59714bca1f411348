#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this).
# Installs what the tests need (official SDK oracles into .oracles/), then
# checks formatting and lints, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== oracles (official SDKs, local venv and node_modules)"
bash scripts/setup-oracles.sh

echo "== cargo fmt"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

echo "== cargo test"
SIGDIFF_ORACLES="$PWD/.oracles" cargo test --locked --all-targets
cargo test --locked --doc
