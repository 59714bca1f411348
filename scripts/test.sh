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

echo "== cargo doc (the public API's docs build without warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --quiet

echo "== cargo test"
# Property tests explore new cases on a developer's machine; CI runs a fixed seed so
# that a red run is reproducible (override with PROPTEST_RNG_SEED).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261123}"
SIGDIFF_ORACLES="$PWD/.oracles" cargo test --locked --all-targets
cargo test --locked --doc

echo "== release binary (scripts/build-release.sh: static, non-PIE on Linux/glibc) on the README example"
bash scripts/build-release.sh
set +e
OSS_ACCESS_KEY_SECRET=sk target/release/sigdiff verify --now 2022-12-28T10:30:00Z \
  --request examples/oss-v1-charset/request.http --server-error examples/oss-v1-charset/error.xml \
  >"${TMPDIR:-/tmp}/sigdiff-release-smoke.txt"
rc=$?
set -e
# The README's worked example: a mismatch (exit 1) whose content-type field is the culprit.
if [[ $rc != 1 ]] || ! grep -q "SIG003 \[content-type\]" "${TMPDIR:-/tmp}/sigdiff-release-smoke.txt"; then
  echo "release binary: expected exit 1 and SIG003 on content-type, got exit $rc" >&2
  cat "${TMPDIR:-/tmp}/sigdiff-release-smoke.txt" >&2
  exit 1
fi

# cargo-fuzz smoke run, only where a nightly toolchain is present (the stable build and
# tests above never need it): every fuzz/ target for FUZZ_SECS seconds (default 10).
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "== cargo fuzz (smoke)"
  bash scripts/fuzz-smoke.sh
fi
