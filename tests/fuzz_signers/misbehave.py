#!/usr/bin/env python3
"""Test signers that misbehave, one per mode (tests/fuzz_cli.rs):
crash   answers the hello, then dies on the third request with a message on stderr;
hang    answers the hello, then never answers a request;
garbage answers the hello, then writes a line that is not JSON;
wrongid answers with an id that is not the one asked;
flaky   answers correctly (via sigdiff's reference), but differently the second time;
nohello answers the hello with something else;
refuse  refuses every request."""
import json
import sys
import time

mode = sys.argv[1]
seen = {}
n = 0
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("type") == "hello":
        if mode == "nohello":
            print(json.dumps({"type": "greetings"}), flush=True)
            continue
        print(json.dumps({"type": "hello", "protocol": 1, "schemes": ["oss-v1"]}), flush=True)
        continue
    n += 1
    if mode == "crash" and n == 3:
        sys.stderr.write("Traceback (most recent call last):\nKeyError: 'boom'\n")
        sys.stderr.flush()
        sys.exit(1)
    if mode == "hang":
        time.sleep(60)
    if mode == "garbage":
        print("this is not json", flush=True)
        continue
    if mode == "refuse":
        print(json.dumps({"type": "error", "id": msg["id"], "message": "not today"}), flush=True)
        continue
    rid = msg["id"] + (1 if mode == "wrongid" else 0)
    # A signature that depends on how often this request was seen (flaky) or is fixed.
    key = json.dumps({k: v for k, v in msg.items() if k != "id"}, sort_keys=True)
    seen[key] = seen.get(key, 0) + 1
    auth = "OSS ak:%d" % (seen[key] if mode == "flaky" else 0)
    print(json.dumps({"type": "signed", "id": rid, "authorization": auth}), flush=True)
