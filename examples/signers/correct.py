#!/usr/bin/env python3
"""A correct OSS V1 / COS signer speaking the sigdiff fuzz protocol.

Standard library only. Implements, from the specifications (see the comments):
  oss-v1      Authorization: OSS ak:sig             (oss-signing.md §2)
  oss-v1-url  presigned URL ?OSSAccessKeyId&Expires&Signature  (§3)
  cos         Authorization: q-sign-algorithm=sha1&... (cos-signing.md §1, §2)

Protocol (DESIGN "Fuzz protocol"): JSON lines on stdin, one answer per line on
stdout, in order.  Run it under the harness:

    sigdiff fuzz --signer "python3 examples/signers/correct.py"

The buggy examples next to it import this file and replace one function each.
"""
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.parse

SCHEMES = ["oss-v1", "oss-v1-url", "cos"]

# oss-signing.md §2.6: the union of the sub-resource lists (what the server signs).
SUBRESOURCES = set("""
accessPoint accessPointPolicy acl append asyncFetch bucketArchiveDirectRead bucketInfo callback
callback-var cleanRestoredObject cloudboxes cname comp continuation-token cors delete encryption
endTime group httpsConfig img inventory inventoryId lifecycle link live location logging metaQuery
objectInfo objectMeta partNumber policy policyStatus position processConfiguration
publicAccessBlock qos qosInfo qosRequester redundancyTransition referer regionList replication
replicationLocation replicationProgress requestPayment requesterQosInfo resourceGroup resourcePool
resourcePoolBuckets resourcePoolInfo response-cache-control response-content-disposition
response-content-encoding response-content-language response-content-type response-expires
responseHeader restore rtc seal security-token sequential startTime stat status style styleName
symlink tagging transferAcceleration udf udfApplication udfApplicationLog udfId udfImage
udfImageDesc udfName uploadId uploads versionId versioning versions vip vod vpcip website
withHashContext worm wormExtend wormId x-oss-ac-forward-allow x-oss-ac-source-ip
x-oss-ac-subnet-mask x-oss-ac-vpc-id x-oss-access-point-name x-oss-async-process x-oss-delete
x-oss-dir x-oss-enable-md5 x-oss-enable-sha1 x-oss-enable-sha256 x-oss-hash-ctx x-oss-md5-ctx
x-oss-process x-oss-redundancy-transition-taskid x-oss-rename x-oss-request-payer
x-oss-target-redundancy-type x-oss-traffic-limit x-oss-write-get-object-response
""".split())


def enc(s):
    """RFC 3986 percent-encoding, UTF-8, upper-case hex (oss-signing.md §1.2; cos-signing.md §2.3)."""
    return urllib.parse.quote(s, safe="-_.~")


def wire_key(key):
    """The key on the wire (DESIGN "JSON request spec"): nothing on the way may
    normalise it: a leading '/' and the second '/' of '//' as %2F, '.'/'..' segments escaped."""
    out, prev_empty = [], False
    for i, seg in enumerate(key.split("/")):
        if i > 0:
            out.append("%2F" if prev_empty else "/")
        out.append({".": "%2E", "..": "%2E%2E"}.get(seg, None) or enc(seg))
        prev_empty = seg == ""
    return "".join(out)


def http_date(t):
    """RFC 1123 GMT date (oss-signing.md §2.3)."""
    g = time.gmtime(t)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (
        days[g.tm_wday], g.tm_mday, months[g.tm_mon - 1], g.tm_year, g.tm_hour, g.tm_min, g.tm_sec)


def header(headers, name):
    """The first header of that name (case-insensitive), trimmed of spaces and tabs."""
    for k, v in headers:
        if k.lower() == name:
            return v.strip(" \t")
    return None


class Req:
    """The request a spec describes: host, wire path, wire query, headers."""

    def __init__(self, spec):
        self.method = spec.get("method") or "GET"
        self.bucket = spec.get("bucket")
        self.key = spec.get("key") or ""
        endpoint = spec["endpoint"]
        self.query = [(k, v) for k, v in (spec.get("query") or [])]
        self.headers = [(k, v) for k, v in (spec.get("headers") or [])]
        if self.bucket is None:
            self.host, self.path = endpoint, "/" + wire_key(self.key)
        elif spec.get("style") == "path":
            self.host, self.path = endpoint, "/%s/%s" % (enc(self.bucket), wire_key(self.key))
        else:
            self.host, self.path = "%s.%s" % (self.bucket, endpoint), "/" + wire_key(self.key)
        creds = spec.get("credentials") or {}
        self.ak = creds.get("access_key_id") or ""
        self.sk = creds.get("access_key_secret") or ""
        self.token = creds.get("security_token") or None
        self.time = int(spec["time"])
        self.expires = int(spec.get("expires") or 3600)

    def wire_query(self, extra=()):
        parts = []
        for k, v in list(self.query) + list(extra):
            parts.append(enc(k) if v is None else "%s=%s" % (enc(k), enc(v)))
        return "&".join(parts)

    def url(self, extra=()):
        q = self.wire_query(extra)
        return "https://%s%s%s" % (self.host, self.path, "?" + q if q else "")


# ---------------------------------------------------------------- OSS V1

def oss_headers(headers):
    """CanonicalizedOSSHeaders (oss-signing.md §2.4): x-oss-* names lower-cased,
    values trimmed, repeated headers joined with ',', sorted by name."""
    merged = {}
    order = []
    for k, v in headers:
        name = k.lower()
        if not name.startswith("x-oss-"):
            continue
        v = v.strip(" \t")
        if name in merged:
            merged[name] += "," + v
        else:
            merged[name] = v
            order.append(name)
    return [(n, merged[n]) for n in sort_headers(order)]


def sort_headers(names):
    return sorted(names)


def resource_key(key):
    """The key in the CanonicalizedResource: raw, decoded (oss-signing.md §2.5)."""
    return key


def subresource(name, value):
    """One sub-resource: an empty value is written as the bare name (§2.5)."""
    return name if value is None or value == "" else "%s=%s" % (name, value)


def canonical_resource(req, query):
    """CanonicalizedResource (oss-signing.md §2.5): /bucket/key?sub-resources sorted by name."""
    res = "/" if req.bucket is None else "/%s/%s" % (req.bucket, resource_key(req.key))
    subs = sorted([(k, v) for k, v in query if k in SUBRESOURCES], key=lambda kv: kv[0])
    if subs:
        res += "?" + "&".join(subresource(k, v) for k, v in subs)
    return res


def v1_string_to_sign(req, headers, date_line, query):
    """StringToSign (oss-signing.md §2.2)."""
    return "".join([
        req.method, "\n",
        header(headers, "content-md5") or "", "\n",
        header(headers, "content-type") or "", "\n",
        date_line, "\n",
        "".join("%s:%s\n" % (n, v) for n, v in oss_headers(headers)),
        canonical_resource(req, query),
    ])


def hmac_sha1_b64(key, text):
    return base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha1).digest()).decode()


def sign_oss_v1(req):
    headers = list(req.headers)
    if header(headers, "date") is None and header(headers, "x-oss-date") is None:
        headers.append(("Date", http_date(req.time)))
    if req.token and header(headers, "x-oss-security-token") is None:
        headers.append(("x-oss-security-token", req.token))
    date_line = header(headers, "x-oss-date")
    if date_line is None:
        date_line = header(headers, "date") or ""
    sts = v1_string_to_sign(req, headers, date_line, req.query)
    sig = hmac_sha1_b64(req.sk, sts)
    auth = "OSS %s:%s" % (req.ak, sig)
    return {"signature": sig, "authorization": auth, "url": req.url(),
            "headers": [["Host", req.host]] + [list(h) for h in headers] + [["Authorization", auth]],
            "string_to_sign": sts}


def sign_oss_v1_url(req):
    """Presigned URL (oss-signing.md §3): the Date line is Expires; security-token is a sub-resource."""
    expires = str(req.time + req.expires)
    extra = [("OSSAccessKeyId", req.ak), ("Expires", expires)]
    if req.token:
        extra.append(("security-token", req.token))
    sts = v1_string_to_sign(req, req.headers, expires, req.query + extra)
    sig = hmac_sha1_b64(req.sk, sts)
    return {"signature": sig, "url": req.url(extra + [("Signature", sig)]),
            "headers": [["Host", req.host]] + [list(h) for h in req.headers],
            "string_to_sign": sts}


# ---------------------------------------------------------------- COS

def cos_signed_by_default(name):
    """Headers signed by default (DESIGN "JSON request spec", COS)."""
    n = name.lower()
    return (n in ("host", "content-type", "content-length", "content-md5")
            or (n.startswith("x-cos-") and len(n) > 6) or (n.startswith("x-ci-") and len(n) > 5))


def cos_pairs(items):
    """(lower(enc(key)), enc(value)) sorted by (key, value); the list of keys (cos-signing.md §2.4, §2.8)."""
    pairs = sorted((enc(k).lower(), enc(v)) for k, v in items)
    return "&".join("%s=%s" % kv for kv in pairs), ";".join(sorted(k for k, _ in pairs))


def sign_cos(req):
    headers = [("Host", req.host)] + list(req.headers)
    if req.token and header(headers, "x-cos-security-token") is None:
        headers.append(("x-cos-security-token", req.token))
    key_time = "%d;%d" % (req.time, req.time + req.expires)
    http_headers, header_list = cos_pairs(
        (k, v.strip(" \t")) for k, v in headers if cos_signed_by_default(k))
    http_params, param_list = cos_pairs((k, v or "") for k, v in req.query)
    # §2.6: UriPathname is the decoded path (path-style: the bucket included).
    path = urllib.parse.unquote(req.path)
    fmt = "%s\n%s\n%s\n%s\n" % (req.method.lower(), path, http_params, http_headers)
    sts = "sha1\n%s\n%s\n" % (key_time, hashlib.sha1(fmt.encode()).hexdigest())
    sign_key = hmac.new(req.sk.encode(), key_time.encode(), hashlib.sha1).hexdigest()
    sig = hmac.new(sign_key.encode(), sts.encode(), hashlib.sha1).hexdigest()
    auth = ("q-sign-algorithm=sha1&q-ak=%s&q-sign-time=%s&q-key-time=%s&q-header-list=%s"
            "&q-url-param-list=%s&q-signature=%s" % (req.ak, key_time, key_time, header_list, param_list, sig))
    return {"signature": sig, "authorization": auth, "url": req.url(),
            "headers": [list(h) for h in headers] + [["Authorization", auth]],
            "format_string": fmt, "string_to_sign": sts}


SIGNERS = {"oss-v1": sign_oss_v1, "oss-v1-url": sign_oss_v1_url, "cos": sign_cos}


def answer(msg):
    kind = msg.get("type")
    if kind == "hello":
        return {"type": "hello", "protocol": 1, "schemes": SCHEMES}
    if kind != "sign":
        return {"type": "error", "id": msg.get("id"), "message": "unknown message type %r" % kind}
    scheme = msg.get("scheme")
    if scheme not in SIGNERS:
        return {"type": "error", "id": msg.get("id"), "message": "scheme %r not supported" % scheme}
    out = {"type": "signed", "id": msg.get("id")}
    out.update(SIGNERS[scheme](Req(msg)))
    return out


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = {}
        try:
            msg = json.loads(line)
            reply = answer(msg)
        except Exception as e:  # a refusal, not a crash: the harness counts it
            reply = {"type": "error", "id": msg.get("id") if isinstance(msg, dict) else None,
                     "message": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
