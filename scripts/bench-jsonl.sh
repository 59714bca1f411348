#!/usr/bin/env bash
# Throughput of `sigdiff sign --jsonl` (issue 2 target: 200k requests/s on one core).
# Generates N typical OSS V1 specs (half header, half presigned URL; a multipart-upload
# PUT with a content type and user metadata), then times the release binary over them.
# Usage: scripts/bench-jsonl.sh [N]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
file="${TMPDIR:-/tmp}/sigdiff-bench-$n.jsonl"
python3 - "$n" >"$file" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({
        "id": i, "scheme": "oss-v1" if i % 2 else "oss-v1-url", "method": "PUT",
        "bucket": "examplebucket", "key": f"photos/2024/img {i}.jpg",
        "endpoint": "oss-cn-hangzhou.aliyuncs.com",
        "query": [["partNumber", str(i % 10000)], ["uploadId", "0004B9894A22E5B1888A1E29F823"]],
        "headers": [["Content-Type", "image/jpeg"], ["x-oss-meta-author", "alice"]],
        "time": 1672223261, "credentials": {"access_key_id": "ak", "access_key_secret": "sk"},
    }))
PY
bash scripts/build-release.sh 2>/dev/null
python3 - "$n" "$file" <<'PY'
import subprocess, sys, time
n, path = int(sys.argv[1]), sys.argv[2]
best = None
for _ in range(5):
    with open(path, "rb") as f:
        t0 = time.perf_counter()
        subprocess.run(["target/release/sigdiff", "sign", "--jsonl", "-"], stdin=f,
                       stdout=subprocess.DEVNULL, check=True)
        t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print(f"sign --jsonl: {n} requests, best of 5: {best:.3f} s = {n / best:,.0f} requests/s")
PY
rm -f "$file"
