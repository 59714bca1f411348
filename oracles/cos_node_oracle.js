'use strict';
// Oracle driver for the official COS Node.js SDK (`cos-nodejs-sdk-v5`), util.getAuth.
//
// cos      util.getAuth({SecretId, SecretKey, KeyTime, Method, Query, Headers, Pathname})
// cos-url  the same Authorization put into a URL the way COS.getObjectUrl does
//          (raw Authorization, q-url-param-list re-encoded, then '&' + util.obj2str(Query)).
// Input mapping (same as cos_py_oracle.py): only the headers in the signed set (spec
// `signed_headers`, default host + content-type/-length/-md5 + x-cos-* + x-ci-*) are handed to
// getAuth, Host explicitly (ForceSignHost false so getAuth never invents one), the token as
// x-cos-security-token (header for cos, query parameter for cos-url; signed either way).
// The FormatString and StringToSign are read off the SDK's own sha1/hmac calls.

const crypto = require('crypto');
const { requireSdk, sdkVersion, clock, Unsupported, Spec, run } = require('./_common');

const util = requireSdk('cos-nodejs-sdk-v5/sdk/util');
const SDK = sdkVersion('cos-nodejs-sdk-v5');

// the header names getSignHeaderObj keeps (plus anything containing x-cos- / x-ci-)
const NODE_SIGNABLE = new Set(['cache-control', 'content-disposition', 'content-encoding', 'content-length',
  'content-md5', 'content-type', 'expect', 'expires', 'host', 'if-match', 'if-modified-since', 'if-none-match',
  'if-unmodified-since', 'origin', 'range', 'transfer-encoding', 'pic-operations']);

function nodeSigns(name) {
  const n = name.toLowerCase();
  return n.indexOf('x-cos-') > -1 || n.indexOf('x-ci-') > -1 || NODE_SIGNABLE.has(n);
}

function signedSet(spec, headers) {
  if (spec.signedHeaders !== null) return new Set(spec.signedHeaders.map(h => h.toLowerCase()));
  const s = new Set(['host']);
  for (const [k] of headers) {
    const n = k.toLowerCase();
    if (['content-type', 'content-length', 'content-md5'].includes(n) || n.startsWith('x-cos-') || n.startsWith('x-ci-')) s.add(n);
  }
  return s;
}

function capture(fn) {
  // record what getAuth feeds to sha1 (FormatString) and to the second HMAC (StringToSign)
  const realHash = crypto.createHash;
  const realHmac = crypto.createHmac;
  const seen = { hash: [], hmac: [] };
  crypto.createHash = function (alg, ...rest) {
    const h = realHash.call(crypto, alg, ...rest);
    const upd = h.update.bind(h);
    h.update = (data, enc) => { seen.hash.push(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)); return upd(data, enc); };
    return h;
  };
  crypto.createHmac = function (alg, key, ...rest) {
    const h = realHmac.call(crypto, alg, key, ...rest);
    const upd = h.update.bind(h);
    h.update = (data, enc) => { seen.hmac.push(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)); return upd(data, enc); };
    return h;
  };
  try {
    return { value: fn(), seen };
  } finally {
    crypto.createHash = realHash;
    crypto.createHmac = realHmac;
  }
}

function prepare(spec, urlMode) {
  if (spec.signTime !== spec.keyTime) throw new Unsupported('util.getAuth always signs q-sign-time == q-key-time');
  if (spec.hasDupHeaders()) throw new Unsupported('getAuth takes Headers as an object: repeated headers cannot be expressed');
  if (spec.hasDupQuery()) throw new Unsupported('getAuth takes Query as an object: duplicate parameters cannot be expressed');
  const headers = spec.headers.slice();
  const query = spec.query.map(([k, v]) => [k, v === null ? '' : v]);
  if (spec.token) {
    if (urlMode) query.push(['x-cos-security-token', spec.token]);
    else headers.push(['x-cos-security-token', spec.token]);
  }
  const signed = signedSet(spec, headers);
  if (spec.token && !urlMode) signed.add('x-cos-security-token');
  if (signed.has('host') && !headers.some(([k]) => k.toLowerCase() === 'host')) headers.push(['Host', spec.host()]);
  for (const n of [...signed].sort()) {
    if (!nodeSigns(n)) throw new Unsupported(`util.getAuth (getSignHeaderObj) never signs the header ${JSON.stringify(n)}`);
  }
  const H = {};
  for (const [k, v] of headers) if (signed.has(k.toLowerCase())) H[k] = v;
  const Q = {};
  for (const [k, v] of query) Q[k] = v;
  let pathname = `/${spec.key || ''}`;
  if (spec.pathStyle && spec.bucket) pathname = `/${spec.bucket}/${spec.key || ''}`;
  return { H, Q, pathname };
}

function sign(spec, urlMode) {
  const { H, Q, pathname } = prepare(spec, urlMode);
  const [start] = spec.keyTime.split(';');
  clock.now = parseInt(start, 10) * 1000; // not used when KeyTime is given, frozen anyway
  const { value: authorization, seen } = capture(() => util.getAuth({
    SecretId: spec.ak,
    SecretKey: spec.sk,
    KeyTime: spec.keyTime,
    Method: spec.method,
    Query: Q,
    Headers: H,
    Pathname: pathname,
    ForceSignHost: false,
  }));
  const signature = authorization.slice(authorization.lastIndexOf('q-signature=') + 'q-signature='.length);
  return {
    authorization,
    signature,
    Q,
    format_string: seen.hash.length ? seen.hash[0] : null,
    string_to_sign: seen.hmac.length >= 2 ? seen.hmac[1] : null,
  };
}

function baseUrl(spec) {
  const key = spec.pathStyle && spec.bucket ? `${spec.bucket}/${spec.key || ''}` : (spec.key || '');
  return `${spec.protocol}://${spec.host()}/${util.camSafeUrlEncode(key).replace(/%2F/g, '/')}`;
}

function cos(spec) {
  const r = sign(spec, false);
  const qs = util.obj2str(r.Q);
  return {
    signature: r.signature,
    authorization: r.authorization,
    url: baseUrl(spec) + (qs ? `?${qs}` : ''),
    format_string: r.format_string,
    string_to_sign: r.string_to_sign,
  };
}

function cosUrl(spec) {
  const r = sign(spec, true);
  // base.js getObjectUrl: "兼容万象url qUrlParamList需要再encode一次"
  const m = r.authorization.match(/q-url-param-list.*?(?=&)/g)[0];
  const enc = `q-url-param-list=${encodeURIComponent(m.replace(/q-url-param-list=/, '')).toLowerCase()}`;
  let url = `${baseUrl(spec)}?${r.authorization.replace(m, enc)}`;
  const qs = util.obj2str(r.Q);
  if (qs) url += `&${qs}`;
  return { signature: r.signature, url, format_string: r.format_string, string_to_sign: r.string_to_sign };
}

run(SDK, 'cos', { cos, 'cos-url': cosUrl });
