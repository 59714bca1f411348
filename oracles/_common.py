# -*- coding: utf-8 -*-
"""Shared plumbing for the Python SDK oracles (oss2, alibabacloud-oss-v2, cos-python-sdk-v5).

Every driver is a filter: one JSON request spec per input line (see DESIGN.md, "JSON request
spec"), exactly one JSON result line per input line, flushed.  Nothing here touches the network.
"""
import datetime
import email.utils
import ipaddress
import json
import re
import sys
import traceback
from importlib import metadata
from urllib.parse import unquote, unquote_plus, urlsplit


class Unsupported(Exception):
    """The SDK cannot express this input."""


def sdk_version(dist):
    try:
        return '%s==%s' % (dist, metadata.version(dist))
    except metadata.PackageNotFoundError:  # pragma: no cover
        return '%s==?' % dist


# ----------------------------------------------------------------------------- time

def parse_time(value):
    """unix seconds (int/float/str of digits) or RFC 3339 -> int unix seconds."""
    if value is None:
        raise Unsupported('no "time" given: the oracles never read the clock')
    if isinstance(value, bool):
        raise ValueError('bad time %r' % (value,))
    if isinstance(value, (int, float)):
        return int(value)
    s = str(value).strip()
    if re.fullmatch(r'-?\d+', s):
        return int(s)
    if s.endswith('Z') or s.endswith('z'):
        s = s[:-1] + '+00:00'
    dt = datetime.datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


def rfc1123(ts):
    return email.utils.formatdate(ts, usegmt=True)


def iso_basic(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')


def parse_http_or_iso_date(value):
    """RFC 1123 (`Wed, 28 Dec 2022 10:27:41 GMT`) or ISO 8601 basic (`20231216T162057Z`) -> unix seconds."""
    v = value.strip()
    m = re.fullmatch(r'(\d{8}T\d{6})Z', v)
    if m:
        return int(datetime.datetime.strptime(m.group(1), '%Y%m%dT%H%M%S')
                   .replace(tzinfo=datetime.timezone.utc).timestamp())
    dt = email.utils.parsedate_to_datetime(v)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


# ----------------------------------------------------------------------------- spec

OSS_HOST_RE = re.compile(r'^(?:(?P<bucket>[^.]+)\.)?(?P<endpoint>oss[-.][^/]*aliyuncs\.com)$', re.I)
COS_HOST_RE = re.compile(r'^(?:(?P<bucket>[^.]+)\.)?(?P<endpoint>cos[-.][^/]*myqcloud\.com)$', re.I)


def _is_ip(host):
    try:
        ipaddress.ip_address(host.strip('[]'))
        return True
    except ValueError:
        return False


class Spec(object):
    """A normalised JSON request spec."""

    def __init__(self, raw, family):
        if not isinstance(raw, dict):
            raise ValueError('input line is not a JSON object')
        self.raw = raw
        self.family = family  # 'oss' or 'cos'
        self.id = raw.get('id')
        self.scheme = raw.get('scheme')
        self.method = (raw.get('method') or 'GET').upper()
        creds = raw.get('credentials') or {}
        self.ak = creds.get('access_key_id')
        self.sk = creds.get('access_key_secret')
        self.token = creds.get('security_token') or None
        if not self.ak or self.sk is None:
            raise ValueError('credentials.access_key_id / access_key_secret missing')
        self.time = parse_time(raw.get('time'))
        self.expires = int(raw.get('expires', 3600) if raw.get('expires') is not None else 3600)
        self.headers = [(str(k), '' if v is None else str(v)) for k, v in (raw.get('headers') or [])]
        self.bucket = raw.get('bucket') or None
        self.key = raw.get('key') or ''
        self.endpoint = raw.get('endpoint') or None
        self.query = [(str(k), None if v is None else str(v)) for k, v in (raw.get('query') or [])]
        self.scheme_url = 'http'
        self.path_style = False
        if raw.get('url'):
            self._from_url(raw['url'])
        if self.endpoint and '://' in self.endpoint:
            p = urlsplit(self.endpoint)
            self.scheme_url = p.scheme or 'http'
            self.endpoint = p.netloc
        self.product = raw.get('product') or 'oss'
        self.region = raw.get('region') or self._derive_region()
        self.additional_headers = list(raw.get('additional_headers') or [])
        # COS
        self.key_time = raw.get('key_time') or '%d;%d' % (self.time, self.time + self.expires)
        self.sign_time = raw.get('sign_time') or self.key_time
        self.signed_headers = raw.get('signed_headers')

    # -- url form
    def _from_url(self, url):
        p = urlsplit(url)
        self.scheme_url = p.scheme or 'http'
        host = (p.hostname or '').lower()
        if p.port:
            host_port = '%s:%d' % (host, p.port)
        else:
            host_port = host
        raw_path = p.path or '/'
        if self.family == 'cos':
            path = unquote_plus(raw_path)
        else:
            path = unquote(raw_path)
        ep_re = OSS_HOST_RE if self.family == 'oss' else COS_HOST_RE
        given_ep = (self.endpoint or '').lower()
        if given_ep and '://' in given_ep:
            given_ep = urlsplit(given_ep).netloc
        m = ep_re.match(host)
        if _is_ip(host) or (given_ep and host_port == given_ep) or (m and not m.group('bucket')):
            # path style: first segment is the bucket
            self.endpoint = self.endpoint or host_port
            self.path_style = True
            segs = path.lstrip('/').split('/', 1)
            self.bucket = segs[0] or None
            self.key = segs[1] if len(segs) > 1 else ''
        elif given_ep and host_port.endswith('.' + given_ep):
            self.bucket = host_port[:-(len(given_ep) + 1)]
            self.key = path[1:] if path.startswith('/') else path
        elif m:
            self.bucket = m.group('bucket')
            self.endpoint = m.group('endpoint') + (':%d' % p.port if p.port else '')
            self.key = path[1:] if path.startswith('/') else path
        else:
            # CNAME: needs bucket from the spec
            if not self.bucket:
                raise Unsupported('CNAME host %r needs "bucket" in the spec' % host)
            self.endpoint = self.endpoint or host_port
            self.key = path[1:] if path.startswith('/') else path
            self.cname_host = host_port
        self.query = []
        if p.query:
            for pair in p.query.split('&'):
                if pair == '':
                    continue
                k, eq, v = pair.partition('=')
                dec = unquote_plus if self.family == 'cos' else unquote
                self.query.append((dec(k), dec(v) if eq else None))

    def _derive_region(self):
        ep = (self.endpoint or '').split(':')[0]
        if self.family == 'oss':
            m = re.match(r'^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$', ep)
            return m.group(1) if m else None
        m = re.match(r'^cos\.([a-z0-9-]+)\.myqcloud\.com$', ep)
        return m.group(1) if m else None

    # -- helpers
    def header(self, name):
        """Last value of a header (case-insensitive) or None."""
        v = None
        for k, val in self.headers:
            if k.lower() == name.lower():
                v = val
        return v

    def has_dup_headers(self):
        names = [k.lower() for k, _ in self.headers]
        return len(names) != len(set(names))

    def has_dup_query(self):
        names = [k for k, _ in self.query]
        return len(names) != len(set(names))

    def host(self):
        h = getattr(self, 'cname_host', None)
        if h:
            return h
        if not self.endpoint:
            raise Unsupported('no endpoint')
        if self.bucket and not self.path_style:
            return '%s.%s' % (self.bucket, self.endpoint)
        return self.endpoint


def result(spec_or_id, sdk, scheme, **fields):
    out = {'id': spec_or_id, 'sdk': sdk, 'scheme': scheme}
    for f in ('signature', 'authorization', 'url', 'string_to_sign', 'canonical_request', 'format_string'):
        out[f] = fields.get(f)
    return out


def run(sdk, family, handlers):
    """Main loop: handlers = {scheme: fn(spec) -> dict of result fields}."""
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            # still one line out per line in
            out.write(json.dumps({'id': None, 'sdk': sdk, 'scheme': None, 'error': 'empty input line'}) + '\n')
            out.flush()
            continue
        rid = None
        scheme = None
        try:
            raw = json.loads(line)
            if isinstance(raw, dict):
                rid = raw.get('id')
                scheme = raw.get('scheme')
            fn = handlers.get(scheme)
            if fn is None:
                raise Unsupported('scheme %r not supported by %s' % (scheme, sdk))
            spec = Spec(raw, family)
            fields = fn(spec)
            res = result(rid, sdk, scheme, **fields)
        except Unsupported as e:
            res = {'id': rid, 'sdk': sdk, 'scheme': scheme, 'unsupported': str(e)}
        except Exception as e:  # noqa: BLE001 - report, never crash
            tb = traceback.extract_tb(e.__traceback__)
            where = ('%s:%d' % (tb[-1].filename.rsplit('/', 1)[-1], tb[-1].lineno)) if tb else ''
            res = {'id': rid, 'sdk': sdk, 'scheme': scheme,
                   'error': '%s: %s (%s)' % (type(e).__name__, e, where)}
        out.write(json.dumps(res, ensure_ascii=False) + '\n')
        out.flush()
