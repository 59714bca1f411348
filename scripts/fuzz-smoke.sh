#!/usr/bin/env bash
# cargo-fuzz smoke run (peers-and-pitfalls.md §C.2: a time-boxed run per target in PR CI):
# every target in fuzz/ for FUZZ_SECS seconds (default 10) with libFuzzer's -max_total_time.
#
# Needs a nightly toolchain (cargo-fuzz builds with -Z flags); without one it says so
# and exits 0, so the stable build and tests never need nightly. cargo-fuzz is installed
# from crates.io (`cargo install cargo-fuzz --locked`) only when it is missing; after
# that the binary in ~/.cargo/bin is the cache.
#
# Exit: 0 every target ran clean; non-zero when a target found a crash (libFuzzer exits
# 77 for a crash it reports itself, 70 on a timeout, 71 on out-of-memory; a Rust panic
# aborts) -- the input is in fuzz/artifacts/<target>/, to replay with
# `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`.
# Environment: FUZZ_SECS (per target), FUZZ_TARGETS (space-separated subset).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${FUZZ_SECS:-10}"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz-smoke: no nightly toolchain (rustup toolchain list); skipped"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked
fi

# The crate forbids unsafe code, so AddressSanitizer adds little to a panic hunt and
# doubles build and run time: the smoke run builds without a sanitizer.
build=(cargo +nightly fuzz build --sanitizer none)
t0=$SECONDS
"${build[@]}"
echo "fuzz-smoke: built the targets in $((SECONDS - t0)) s"

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
for t in $targets; do
  mkdir -p "fuzz/corpus/$t"
  echo "== fuzz $t (${secs} s)"
  cargo +nightly fuzz run --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|Done|==[0-9]+==|thread .* panicked|SUMMARY|artifact_prefix|Test unit written)' || true
  status=${PIPESTATUS[0]}
  if [[ $status -ne 0 ]]; then
    echo "fuzz-smoke: target $t failed (exit $status); see fuzz/artifacts/$t/" >&2
    exit "$status"
  fi
done
echo "fuzz-smoke: $(wc -w <<<"$targets") targets clean, ${secs} s each, $((SECONDS - t0)) s in all"
