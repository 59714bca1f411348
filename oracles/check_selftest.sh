#!/usr/bin/env bash
# Run the published known-answer vectors (oracles/selftest.jsonl) through every SDK oracle and
# print vector × SDK → agree / DISAGREE / unsupported.  Exit status is non-zero only when a driver
# crashes or writes malformed output; disagreements are reported, not failed.
# Usage: oracles/check_selftest.sh [--markdown] [--only ID_PREFIX]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py="$root/.oracles/venv/bin/python"
if [[ ! -x "$py" || ! -d "$root/.oracles/node/node_modules" ]]; then
  echo "oracles are not installed: run scripts/setup-oracles.sh first" >&2
  exit 2
fi
exec "$py" "$here/check_selftest.py" --python "$py" --node "${NODE:-node}" "$@"
