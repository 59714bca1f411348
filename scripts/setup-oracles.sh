#!/usr/bin/env bash
# Install the official-SDK signature oracles (see oracles/README.md) into .oracles/:
#   .oracles/venv  python venv with the exact pins of oracles/requirements.txt
#                  (oss2, alibabacloud-oss-v2, cos-python-sdk-v5 + dependencies)
#   .oracles/node  npm ci of oracles/package.json + oracles/package-lock.json
#                  (ali-oss, cos-nodejs-sdk-v5)
# Idempotent: when the stamp (hash of the pin files + interpreter versions) matches and the
# installed versions check out, nothing is reinstalled.  Prints one summary line on success;
# on failure prints the tail of .oracles/setup.log and exits non-zero.
# Environment: PYTHON (default python3), NODE (default node), NPM (default npm),
#              ORACLES_FORCE=1 to reinstall.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec_dir="$root/oracles"
dest="$root/.oracles"
venv="$dest/venv"
node_dir="$dest/node"
log="$dest/setup.log"
stamp="$dest/stamp"
PYTHON="${PYTHON:-python3}"
NODE="${NODE:-node}"
NPM="${NPM:-npm}"

mkdir -p "$dest"
: >"$log"

fail() {
  echo "setup-oracles: $*" >&2
  if [[ -s "$log" ]]; then
    echo "--- last lines of $log ---" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || fail "$PYTHON not found (need python3 >= 3.8 with venv + pip)"
command -v "$NODE" >/dev/null 2>&1 || fail "$NODE not found (need node >= 16)"
command -v "$NPM" >/dev/null 2>&1 || fail "$NPM not found"

py_ver="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
node_ver="$("$NODE" --version)"
want="$(cat "$spec_dir/requirements.txt" "$spec_dir/package.json" "$spec_dir/package-lock.json" \
        | sha256sum | cut -d' ' -f1) py=$py_ver node=$node_ver"

# Versions actually installed, as "name==version" lines (both ecosystems), compared to the pins.
installed_ok() {
  [[ -x "$venv/bin/python" && -d "$node_dir/node_modules" ]] || return 1
  "$venv/bin/python" - "$spec_dir/requirements.txt" <<'PY' >>"$log" 2>&1 || return 1
import sys, re
from importlib import metadata
bad = []
for line in open(sys.argv[1]):
    line = line.split('#', 1)[0].strip()
    if not line:
        continue
    name, ver = re.split(r'==', line, 1)
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        have = None
    if have != ver:
        bad.append('%s: want %s have %s' % (name, ver, have))
if bad:
    print('python pins not satisfied: ' + '; '.join(bad))
    sys.exit(1)
PY
  "$NODE" -e '
    const path = require("path");
    const want = require(process.argv[1]).dependencies;
    for (const [n, v] of Object.entries(want)) {
      let have = null;
      try { have = require(path.join(process.argv[2], n, "package.json")).version; } catch (e) {}
      if (have !== v) { console.log(`node pin not satisfied: ${n} want ${v} have ${have}`); process.exit(1); }
    }' "$spec_dir/package.json" "$node_dir/node_modules" >>"$log" 2>&1 || return 1
  return 0
}

if [[ "${ORACLES_FORCE:-0}" != 1 && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && installed_ok; then
  echo "oracles: up to date in .oracles (python $py_ver, node $node_ver)"
  exit 0
fi

# ---- python
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv" >>"$log" 2>&1 \
    || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
"$venv/bin/python" -m pip install -q -r "$spec_dir/requirements.txt" >>"$log" 2>&1 \
  || fail "pip install -r oracles/requirements.txt failed"

# ---- node
mkdir -p "$node_dir"
cp "$spec_dir/package.json" "$spec_dir/package-lock.json" "$node_dir/"
( cd "$node_dir" && "$NPM" ci --no-audit --no-fund --loglevel=error ) >>"$log" 2>&1 \
  || fail "npm ci in .oracles/node failed"

installed_ok || fail "installed versions do not match the pins"
echo "$want" >"$stamp"
echo "oracles: installed in .oracles: $(grep -E '^(oss2|alibabacloud-oss-v2|cos_python_sdk_v5)==' "$spec_dir/requirements.txt" | tr '\n' ' ')ali-oss@$("$NODE" -p 'require(process.argv[1]).dependencies["ali-oss"]' "$spec_dir/package.json") cos-nodejs-sdk-v5@$("$NODE" -p 'require(process.argv[1]).dependencies["cos-nodejs-sdk-v5"]' "$spec_dir/package.json")"
