# -*- coding: utf-8 -*-
"""Oracle driver for the official OSS Python SDK v2 (`alibabacloud-oss-v2`).

Uses the signer classes directly: alibabacloud_oss_v2.signer.SignerV1 / SignerV4 with a
SigningContext whose signing_time (and expiration_time for presigning) is fixed, on an HttpRequest
built the way the SDK client builds it (_client.build_request_context: URL from _build_url, query
by urlencode(..., quote_via=quote), x-oss-date header -> signing time).
Schemes: oss-v1, oss-v1-url, oss-v4, oss-v4-url.
"""
import datetime
import os
import sys
from urllib.parse import quote, unquote

sys.dont_write_bytecode = True  # keep oracles/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import Unsupported, parse_http_or_iso_date, run, sdk_version  # noqa: E402

from alibabacloud_oss_v2.credentials import Credentials  # noqa: E402
from alibabacloud_oss_v2.signer import SignerV1, SignerV4  # noqa: E402
from alibabacloud_oss_v2.types import HttpRequest, SigningContext  # noqa: E402

SDK = sdk_version('alibabacloud-oss-v2')
UTC = datetime.timezone.utc


def _dt(ts):
    return datetime.datetime.fromtimestamp(ts, UTC)


def _url(spec):
    """Same shape as alibabacloud_oss_v2._client._build_url (virtual-host style) + the query encoding."""
    if not spec.endpoint:
        raise Unsupported('no endpoint')
    cname = getattr(spec, 'cname_host', None)
    if cname:
        base = '%s://%s/%s' % (spec.scheme_url, cname, quote(spec.key or ''))
    elif spec.bucket:
        base = '%s://%s.%s/%s' % (spec.scheme_url, spec.bucket, spec.endpoint, quote(spec.key or ''))
    else:
        base = '%s://%s/' % (spec.scheme_url, spec.endpoint)
    # urlencode(params, quote_via=quote): name=value with safe='' ; a bare name (None) the SDK
    # would send as ''.  Duplicates are kept (the signer parses the URL text).
    parts = ['%s=%s' % (quote(k, safe=''), quote(v if v is not None else '', safe='')) for k, v in spec.query]
    return base + ('?' + '&'.join(parts) if parts else '')


def _request(spec):
    if spec.has_dup_headers():
        raise Unsupported('alibabacloud-oss-v2 keeps headers in a case-insensitive dict: repeated headers cannot be expressed')
    return HttpRequest(method=spec.method, url=_url(spec), headers=dict(spec.headers))


def _ctx(spec, req):
    ctx = SigningContext(
        product=spec.product,
        region=spec.region,
        bucket=spec.bucket,
        key=spec.key if spec.key else None,
        request=req,
        credentials=Credentials(spec.ak, spec.sk, spec.token),
    )
    if spec.additional_headers:
        ctx.additional_headers = set(spec.additional_headers)
    return ctx


def _signing_time(spec, use_date=False):
    # the client: `oss_date = request.headers.get('x-oss-date')` -> serde.deserialize_httptime(oss_date).
    # V1 header: a caller-given Date header also fixes the clock (SignerV1 rewrites Date from it).
    given = spec.header('x-oss-date') or (spec.header('Date') if use_date else None)
    if given:
        try:
            return _dt(parse_http_or_iso_date(given))
        except Exception:  # noqa: BLE001
            raise Unsupported('x-oss-date header %r cannot be parsed into a signing time' % given)
    return _dt(spec.time)


def _qv(url, name):
    q = url.split('?', 1)[1] if '?' in url else ''
    for pair in q.split('&'):
        k, _, v = pair.partition('=')
        if unquote(k) == name:
            return unquote(v)
    return None


def oss_v1(spec):
    req = _request(spec)
    ctx = _ctx(spec, req)
    ctx.signing_time = _signing_time(spec, use_date=True)
    SignerV1().sign(ctx)
    authz = req.headers.get('Authorization')
    return dict(signature=authz.split(':', 1)[1], authorization=authz, url=req.url,
                string_to_sign=ctx.string_to_sign)


def oss_v1_url(spec):
    req = _request(spec)
    ctx = _ctx(spec, req)
    ctx.auth_method_query = True
    ctx.signing_time = _dt(spec.time)
    ctx.expiration_time = _dt(spec.time + spec.expires)
    SignerV1().sign(ctx)
    return dict(signature=_qv(req.url, 'Signature'), authorization=None, url=req.url,
                string_to_sign=ctx.string_to_sign)


class _CapturingSignerV4(SignerV4):
    canonical_request = None

    def _calc_canonical_request(self, signing_ctx, additional_headers=None):
        cr = super(_CapturingSignerV4, self)._calc_canonical_request(signing_ctx, additional_headers)
        self.canonical_request = cr
        return cr


def oss_v4(spec):
    if not spec.region:
        raise Unsupported('V4 needs a region')
    req = _request(spec)
    ctx = _ctx(spec, req)
    ctx.signing_time = _signing_time(spec)
    signer = _CapturingSignerV4()
    signer.sign(ctx)
    authz = req.headers.get('Authorization')
    return dict(signature=authz.rsplit('Signature=', 1)[1], authorization=authz, url=req.url,
                canonical_request=signer.canonical_request, string_to_sign=ctx.string_to_sign)


def oss_v4_url(spec):
    if not spec.region:
        raise Unsupported('V4 needs a region')
    req = _request(spec)
    ctx = _ctx(spec, req)
    ctx.auth_method_query = True
    ctx.signing_time = _dt(spec.time)
    ctx.expiration_time = _dt(spec.time + spec.expires)
    signer = _CapturingSignerV4()
    signer.sign(ctx)
    return dict(signature=_qv(req.url, 'x-oss-signature'), authorization=None, url=req.url,
                canonical_request=signer.canonical_request, string_to_sign=ctx.string_to_sign)


if __name__ == '__main__':
    run(SDK, 'oss', {'oss-v1': oss_v1, 'oss-v1-url': oss_v1_url, 'oss-v4': oss_v4, 'oss-v4-url': oss_v4_url})
