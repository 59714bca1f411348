# -*- coding: utf-8 -*-
"""Oracle driver for the official OSS Python SDK v1 (`oss2`).

Schemes: oss-v1 (ProviderAuth._sign_request), oss-v1-url (Bucket.sign_url / ProviderAuth._sign_url),
oss-v4 (ProviderAuthV4._sign_request), oss-v4-url (Bucket.sign_url with AuthV4 / ProviderAuthV4._sign_url).
Clock: oss2.utils.http_date, oss2.auth.time.time and oss2.auth.datetime are frozen per request.
"""
import datetime
import os
import re
import sys

sys.dont_write_bytecode = True  # keep oracles/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import Unsupported, parse_http_or_iso_date, rfc1123, run, sdk_version  # noqa: E402

import logging  # noqa: E402
logging.disable(logging.CRITICAL)

import oss2  # noqa: E402
import oss2.auth  # noqa: E402
import oss2.utils  # noqa: E402
from oss2 import http as oss2_http  # noqa: E402
from oss2.credentials import StaticCredentialsProvider  # noqa: E402

SDK = sdk_version('oss2')
_REAL_DATETIME = datetime.datetime
_real_time_module = oss2.auth.time


class _Clock(object):
    now = 0
    date_header = None


def _frozen_http_date(timeval=None):
    if timeval is not None:
        return rfc1123(int(timeval))
    return _Clock.date_header if _Clock.date_header is not None else rfc1123(_Clock.now)


class _FrozenDatetime(_REAL_DATETIME):
    @classmethod
    def utcnow(cls):
        return _REAL_DATETIME.utcfromtimestamp(_Clock.now)

    @classmethod
    def now(cls, tz=None):
        return _REAL_DATETIME.fromtimestamp(_Clock.now, tz)


class _FrozenTime(object):
    def __getattr__(self, name):
        return getattr(_real_time_module, name)

    @staticmethod
    def time():
        return float(_Clock.now)


oss2.utils.http_date = _frozen_http_date
oss2.auth.datetime = _FrozenDatetime
oss2.auth.time = _FrozenTime()


def _provider(spec):
    return StaticCredentialsProvider(spec.ak, spec.sk, spec.token or '')


def _params(spec):
    if spec.has_dup_query():
        raise Unsupported('oss2 passes query parameters as a dict: duplicate names cannot be expressed')
    return dict((k, '' if v is None else v) for k, v in spec.query)


def _headers(spec):
    if spec.has_dup_headers():
        raise Unsupported('oss2 keeps headers in a case-insensitive dict: repeated headers cannot be expressed')
    return oss2.CaseInsensitiveDict(spec.headers)


def _base_url(spec, slash_safe=False):
    if not spec.endpoint:
        raise Unsupported('no endpoint')
    maker = oss2.api._UrlMaker('%s://%s' % (spec.scheme_url, spec.endpoint),
                               getattr(spec, 'cname_host', None) is not None, False)
    return maker(spec.bucket or '', spec.key or '', slash_safe)


def _full_url(base, params):
    if not params:
        return base
    return base + '?' + '&'.join(oss2.auth._param_to_quoted_query(k, v) for k, v in params.items())


def _capture(auth, attr):
    """Wrap a name-mangled private method on the instance and remember its return value."""
    box = {}
    orig = getattr(auth, attr)

    def wrapper(*a, **kw):
        r = orig(*a, **kw)
        box['v'] = r
        return r
    setattr(auth, attr, wrapper)
    return box


def _text(v):
    if v is None:
        return None
    return v.decode('utf-8') if isinstance(v, bytes) else v


def oss_v1(spec):
    _Clock.now = spec.time
    _Clock.date_header = spec.header('Date')
    params = _params(spec)
    req = oss2_http.Request(spec.method, _base_url(spec), params=params, headers=_headers(spec))
    auth = oss2.auth.ProviderAuth(_provider(spec))
    sts = _capture(auth, '_ProviderAuth__get_bytes_to_sign')
    auth._sign_request(req, spec.bucket or '', spec.key or '')
    authz = req.headers['authorization']
    return dict(signature=authz.split(':', 1)[1], authorization=authz,
                url=_full_url(_base_url(spec), req.params), string_to_sign=_text(sts.get('v')))


def _sign_url(spec, auth, additional=None):
    params = _params(spec)
    headers = _headers(spec)
    if spec.bucket and spec.key:
        bucket = oss2.Bucket(auth, '%s://%s' % (spec.scheme_url, spec.endpoint), spec.bucket,
                             is_cname=getattr(spec, 'cname_host', None) is not None,
                             region=spec.region,
                             cloudbox_id=spec.region if spec.product == 'oss-cloudbox' else None)
        if spec.product not in ('oss', 'oss-cloudbox'):
            raise Unsupported('oss2 only knows the products oss and oss-cloudbox')
        return bucket.sign_url(spec.method, spec.key, spec.expires, headers=headers, params=params,
                               additional_headers=additional)
    # bucket/service level: Bucket.sign_url refuses an empty key; use the signer directly
    req = oss2_http.Request(spec.method, _base_url(spec), params=params, headers=headers,
                            region=spec.region, product=spec.product,
                            cloudbox_id=spec.region if spec.product == 'oss-cloudbox' else None)
    if additional is None:
        return auth._sign_url(req, spec.bucket or '', spec.key or '', spec.expires)
    return auth._sign_url(req, spec.bucket or '', spec.key or '', spec.expires, in_additional_headers=additional)


def _query_value(url, name):
    from urllib.parse import unquote
    q = url.split('?', 1)[1] if '?' in url else ''
    for pair in q.split('&'):
        k, _, v = pair.partition('=')
        if unquote(k) == name:
            return unquote(v)
    return None


def oss_v1_url(spec):
    _Clock.now = spec.time
    _Clock.date_header = None
    auth = oss2.auth.ProviderAuth(_provider(spec))
    sts = _capture(auth, '_ProviderAuth__get_bytes_to_sign')
    url = _sign_url(spec, auth)
    return dict(signature=_query_value(url, 'Signature'), authorization=None, url=url,
                string_to_sign=_text(sts.get('v')))


def _v4_time(spec):
    given = spec.header('x-oss-date')
    if given:
        try:
            return parse_http_or_iso_date(given)
        except Exception:  # noqa: BLE001
            raise Unsupported('x-oss-date header %r is not a date oss2 could produce' % given)
    return spec.time


def _v4_auth(spec):
    if not spec.region:
        raise Unsupported('oss2 V4 needs a region')
    auth = oss2.auth.ProviderAuthV4(_provider(spec))
    cr = _capture(auth, '_ProviderAuthV4__get_canonical_request_bytes')
    sts = _capture(auth, '_ProviderAuthV4__get_string_to_sign_bytes')
    return auth, cr, sts


def oss_v4(spec):
    _Clock.now = _v4_time(spec)
    auth, cr, sts = _v4_auth(spec)
    req = oss2_http.Request(spec.method, _base_url(spec), params=_params(spec), headers=_headers(spec),
                            region=spec.region, product=spec.product,
                            cloudbox_id=spec.region if spec.product == 'oss-cloudbox' else None)
    auth._sign_request(req, spec.bucket or '', spec.key or '',
                       in_additional_headers=spec.additional_headers or None)
    authz = req.headers['authorization']
    m = re.search(r'Signature=([0-9a-f]+)', authz)
    params = dict(req.params)
    return dict(signature=m.group(1) if m else None, authorization=authz,
                url=_full_url(_base_url(spec), params),
                canonical_request=_text(cr.get('v')), string_to_sign=_text(sts.get('v')))


def oss_v4_url(spec):
    _Clock.now = spec.time
    auth, cr, sts = _v4_auth(spec)
    url = _sign_url(spec, auth, additional=spec.additional_headers or None)
    return dict(signature=_query_value(url, 'x-oss-signature'), authorization=None, url=url,
                canonical_request=_text(cr.get('v')), string_to_sign=_text(sts.get('v')))


if __name__ == '__main__':
    run(SDK, 'oss', {'oss-v1': oss_v1, 'oss-v1-url': oss_v1_url, 'oss-v4': oss_v4, 'oss-v4-url': oss_v4_url})
