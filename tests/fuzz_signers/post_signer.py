#!/usr/bin/env python3
"""An oss-post (PostObject V1) signer for tests/fuzz_cli.rs, in two modes:
compact     the policy object compacted as sigdiff does (whitespace outside strings
            removed, everything else byte for byte): correct;
reserialize the policy object parsed and written again with json.dumps: `\\u00e9`
            and `\\/` escapes come out as the characters, so the bytes differ."""
import base64
import hashlib
import hmac
import json
import sys

mode = sys.argv[1]


def compact(text):
    out, in_str, esc = [], False, False
    for c in text:
        if in_str:
            out.append(c)
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif c not in " \t\r\n":
            out.append(c)
    return "".join(out)


def policy_b64(raw, given_b64):
    if given_b64:
        return raw
    if mode == "reserialize":
        text = json.dumps(raw, separators=(",", ":"), ensure_ascii=False)
    else:
        text = compact(raw)
    return base64.b64encode(text.encode()).decode()


def raw_policy(line):
    """The policy object's exact text in the request line (json.loads loses it)."""
    i = line.index('"policy":') + len('"policy":')
    dec = json.JSONDecoder()
    _, end = dec.raw_decode(line, i)
    return line[i:end]


for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("type") == "hello":
        print(json.dumps({"type": "hello", "protocol": 1, "schemes": ["oss-post"]}), flush=True)
        continue
    p = msg["policy"]
    given_b64 = isinstance(p, str)
    if not given_b64 and mode == "compact":
        p = raw_policy(line)
    b64 = policy_b64(p, given_b64)
    secret = msg["credentials"]["access_key_secret"].encode()
    sig = base64.b64encode(hmac.new(secret, b64.encode(), hashlib.sha1).digest()).decode()
    print(json.dumps({"type": "signed", "id": msg["id"], "signature": sig,
                      "string_to_sign": b64}), flush=True)
