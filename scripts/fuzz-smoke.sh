#!/usr/bin/env bash
# cargo-fuzz smoke run (peers-and-pitfalls.md §C.2: a time-boxed run per target in PR CI):
# every target in fuzz/ for FUZZ_SECS seconds (default 10) with libFuzzer's -max_total_time.
#
# Needs a nightly toolchain (cargo-fuzz builds with -Z flags); without one it says so
# and exits 0, so the stable build and tests never need nightly. cargo-fuzz is installed
# from crates.io (`cargo install cargo-fuzz --locked`) only when it is missing; after
# that the binary in ~/.cargo/bin is the cache.
#
# Exit: 0 every target ran clean; 1 when a target failed: `cargo fuzz run` exited
# non-zero (libFuzzer exits 77 for a crash it reports itself, 70 on a timeout, 71 on
# out-of-memory; a Rust panic aborts) or wrote a file into fuzz/artifacts/<target>/
# during this run. Every target runs; each failure is named with its artifact, to
# replay with `cargo +nightly fuzz run --sanitizer none <target> <artifact>`.
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
log=$(mktemp)
marker=$(mktemp)
trap 'rm -f "$log" "$marker"' EXIT
failed=()
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== fuzz $t (${secs} s)"
  touch "$marker"
  # The whole output goes to a file and the exit status is taken directly (not through
  # a pipeline, where `|| true` or pipefail would hide it); only a few lines are shown.
  status=0
  cargo +nightly fuzz run --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
    >"$log" 2>&1 || status=$?
  # Written during this run (new, or an old name written again): a crash, timeout or OOM input.
  mapfile -t new < <(find "fuzz/artifacts/$t" -type f -newer "$marker" | sort)
  if [[ $status -eq 0 && ${#new[@]} -eq 0 ]]; then
    grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs)' "$log" || true
    continue
  fi
  # Failed: show the panic message and libFuzzer's summary (not the whole log).
  awk 'p { print; p = 0 } /^thread .* panicked/ { print; p = 1 }
       /^(==[0-9]+== ?ERROR|SUMMARY|Error:|error(\[|:))/ || /Test unit written/' "$log" | head -n 20 || true
  if [[ ${#new[@]} -eq 0 ]]; then
    echo "fuzz-smoke: FAILED: target $t exited with status $status and wrote no artifact; last lines:" >&2
    tail -n 15 "$log" >&2
  else
    for a in "${new[@]}"; do
      echo "fuzz-smoke: FAILED: target $t (exit $status): artifact $a" >&2
      echo "fuzz-smoke:   replay: cargo +nightly fuzz run --sanitizer none $t $a" >&2
    done
  fi
  failed+=("$t")
done
if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzz-smoke: ${#failed[@]} of $(wc -w <<<"$targets") targets FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: $(wc -w <<<"$targets") targets clean, ${secs} s each, $((SECONDS - t0)) s in all"
