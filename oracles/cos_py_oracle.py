# -*- coding: utf-8 -*-
"""Oracle driver for the official COS Python SDK (`cos-python-sdk-v5`).

cos:     qcloud_cos.cos_auth.CosS3Auth applied to a requests.Request, exactly as
         CosS3Client.get_auth does (no prepare(): requests would add Content-Length: 0).
cos-url: the same Authorization turned into a URL the way CosS3Client.get_presigned_url does
         (urlencode of the seven q-* pairs, then '&' + urlencode(Params)).

Inputs are mapped onto the SDK so that it signs the spec's header set: only headers in the signed
set (spec `signed_headers`, default host + content-type/-length/-md5 + x-cos-* + x-ci-*) are
handed to CosS3Auth, Host is passed explicitly (sign_host=False, so the SDK's
urlparse().hostname is never used), the token goes in x-cos-security-token (header for cos,
query parameter for cos-url: both signed).  Time: CosS3Auth signs `now-60;now+expire`, so
time.time is frozen to key_time.start+60 and expire = key_time.end - (start+60).
"""
import logging
import os
import sys

sys.dont_write_bytecode = True  # keep oracles/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import Unsupported, run, sdk_version  # noqa: E402

import requests  # noqa: E402
from six.moves.urllib.parse import quote, urlencode  # noqa: E402

import qcloud_cos.cos_auth as cos_auth  # noqa: E402
from qcloud_cos import CosConfig  # noqa: E402

SDK = sdk_version('cos-python-sdk-v5')

_real_time = cos_auth.time


class _Clock(object):
    now = 0


class _FrozenTime(object):
    def __getattr__(self, name):
        return getattr(_real_time, name)

    @staticmethod
    def time():
        return float(_Clock.now)


cos_auth.time = _FrozenTime()


class _Capture(logging.Handler):
    def __init__(self):
        logging.Handler.__init__(self, logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


_cap = _Capture()
_log = logging.getLogger('qcloud_cos.cos_auth')
_log.setLevel(logging.DEBUG)
_log.propagate = False
_log.addHandler(_cap)
for _name in ('qcloud_cos', 'qcloud_cos.cos_client', 'urllib3', 'requests'):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

SDK_SIGNABLE = set([
    "cache-control", "content-disposition", "content-encoding", "content-type", "content-md5",
    "content-length", "expect", "expires", "host", "if-match", "if-modified-since", "if-none-match",
    "if-unmodified-since", "origin", "range", "transfer-encoding", "pic-operations"])


def _sdk_signs(name):
    n = name.lower()
    return n in SDK_SIGNABLE or n.startswith('x-cos-') or n.startswith('x-ci-')


def _signed_set(spec, headers):
    if spec.signed_headers is not None:
        return set(h.lower() for h in spec.signed_headers)
    s = set(['host'])
    for k, _ in headers:
        n = k.lower()
        if n in ('content-type', 'content-length', 'content-md5') or n.startswith('x-cos-') or n.startswith('x-ci-'):
            s.add(n)
    return s


def _prepare(spec, url_mode):
    if spec.sign_time != spec.key_time:
        raise Unsupported('CosS3Auth always signs q-sign-time == q-key-time')
    if spec.has_dup_headers():
        raise Unsupported('cos-python-sdk-v5 takes headers as a dict: repeated headers cannot be expressed')
    if spec.has_dup_query():
        raise Unsupported('cos-python-sdk-v5 takes Params as a dict: duplicate parameters cannot be expressed')
    try:
        start, end = [int(x) for x in spec.key_time.split(';')]
    except ValueError:
        raise Unsupported('key_time %r is not "start;end"' % spec.key_time)
    headers = list(spec.headers)
    params = [(k, '' if v is None else v) for k, v in spec.query]
    if spec.token:
        if url_mode:
            params.append(('x-cos-security-token', spec.token))
        else:
            headers.append(('x-cos-security-token', spec.token))
    signed = _signed_set(spec, headers)
    if spec.token and not url_mode:
        signed.add('x-cos-security-token')
    if 'host' in signed and not any(k.lower() == 'host' for k, _ in headers):
        headers.append(('Host', spec.host()))
    for name in sorted(signed):
        if not _sdk_signs(name):
            raise Unsupported('CosS3Auth (filter_headers) never signs the header %r' % name)
    to_sign = dict((k, v) for k, v in headers if k.lower() in signed)
    return start, end, to_sign, dict(params)


def _path(spec):
    key = spec.key or ''
    if spec.path_style and spec.bucket:
        key = spec.bucket + '/' + key
    return key


def _conf(spec):
    if not spec.endpoint:
        raise Unsupported('no endpoint')
    return CosConfig(Endpoint=spec.endpoint, SecretId=spec.ak, SecretKey=spec.sk, Token=spec.token,
                     Scheme=spec.scheme_url)


def _base_url(conf, spec):
    key = _path(spec)
    bucket = None if (spec.path_style or not spec.bucket) else spec.bucket
    if getattr(spec, 'cname_host', None):
        conf._domain = spec.cname_host
        bucket = None
    if key:
        return conf.uri(bucket=bucket, path=key)
    return conf.uri(bucket=bucket)


def _sign(spec, url_mode):
    start, end, headers, params = _prepare(spec, url_mode)
    conf = _conf(spec)
    url = _base_url(conf, spec)
    _Clock.now = start + 60
    expire = end - (start + 60)
    del _cap.records[:]
    r = requests.Request(spec.method, url, headers=headers, params=params)
    auth = cos_auth.CosS3Auth(conf, _path(spec), params, expire, sign_host=False)
    authz = auth(r).headers['Authorization']
    fmt = sts = None
    for m in _cap.records:
        if m.startswith('format str: '):
            fmt = m[len('format str: '):]
        elif m.startswith('str_to_sign: '):
            sts = m[len('str_to_sign: '):]
    sig = authz.rsplit('q-signature=', 1)[1]
    return url, params, authz, sig, fmt, sts


def cos(spec):
    url, params, authz, sig, fmt, sts = _sign(spec, False)
    if params:
        url = url + '?' + '&'.join('%s=%s' % (quote(k, ''), quote(v, '')) for k, v in params.items())
    return dict(signature=sig, authorization=authz, url=url, format_string=fmt, string_to_sign=sts)


def cos_url(spec):
    url, params, authz, sig, fmt, sts = _sign(spec, True)
    # CosS3Client.get_presigned_url
    sign = urlencode(dict([item.split('=', 1) for item in authz.split('&')]))
    url = url + '?' + sign
    if params:
        url = url + '&' + urlencode(params)
    return dict(signature=sig, authorization=None, url=url, format_string=fmt, string_to_sign=sts)


if __name__ == '__main__':
    run(SDK, 'cos', {'cos': cos, 'cos-url': cos_url})
