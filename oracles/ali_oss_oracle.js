'use strict';
// Oracle driver for the official OSS Node.js SDK (`ali-oss`).
//
// oss-v1      client.authorization(method, client._getResource(...), subres, headers)  (signUtils V1),
//             headers prepared like lib/common/utils/createRequest: x-oss-date (RFC 1123) and
//             x-oss-security-token are added first, the caller's headers are copied over them.
// oss-v1-url  client.signatureUrl(key, options)  (subResource / content-type / x-oss-* options)
// oss-v4      client.authorizationV4(method, {headers, queries}, bucket, key, additionalHeaders)
//             with createRequest's x-oss-date (ISO basic) and x-oss-content-sha256.
// oss-v4-url  client.signatureUrlV4(method, expires, {headers, queries}, key, additionalHeaders)
// The clock (Date / Date.now) is frozen to the spec's time.  No request is ever sent.

const { requireSdk, sdkVersion, clock, Unsupported, parseHttpOrIso, Spec, run } = require('./_common');

const OSS = requireSdk('ali-oss');
const signUtils = requireSdk('ali-oss/lib/common/signUtils');
const dateFormat = requireSdk('dateformat');

const SDK = sdkVersion('ali-oss');

// initOptions warns on every STS client ("It's recommended to set 'refreshSTSToken' ..."): keep stderr quiet.
const realWarn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith("It's recommended to set 'refreshSTSToken'")) return;
  realWarn(...args);
};

// ali-oss has no sub-resource list: each API passes its own `subres`.  The oracle treats a query
// parameter as a sub-resource when it is in the union of the official SDK lists
// (shared/specs/oss-signing.md §2.6); everything else is an ordinary (V1-unsigned) query parameter.
const SUBRESOURCES = new Set(`accessPoint accessPointPolicy acl append asyncFetch bucketArchiveDirectRead bucketInfo callback
callback-var cleanRestoredObject cloudboxes cname comp continuation-token cors delete encryption
endTime group httpsConfig img inventory inventoryId lifecycle link live location logging metaQuery
objectInfo objectMeta partNumber policy policyStatus position processConfiguration publicAccessBlock
qos qosInfo qosRequester redundancyTransition referer regionList replication replicationLocation
replicationProgress requestPayment requesterQosInfo resourceGroup resourcePool resourcePoolBuckets
resourcePoolInfo response-cache-control response-content-disposition response-content-encoding
response-content-language response-content-type response-expires responseHeader restore rtc seal
security-token sequential startTime stat status style styleName symlink tagging transferAcceleration
udf udfApplication udfApplicationLog udfId udfImage udfImageDesc udfName uploadId uploads versionId
versioning versions vip vod vpcip website withHashContext worm wormExtend wormId
x-oss-ac-forward-allow x-oss-ac-source-ip x-oss-ac-subnet-mask x-oss-ac-vpc-id
x-oss-access-point-name x-oss-async-process x-oss-delete x-oss-dir x-oss-enable-md5
x-oss-enable-sha1 x-oss-enable-sha256 x-oss-hash-ctx x-oss-md5-ctx x-oss-process
x-oss-redundancy-transition-taskid x-oss-rename x-oss-request-payer x-oss-target-redundancy-type
x-oss-traffic-limit x-oss-write-get-object-response`.split(/\s+/));

// --- capture intermediates: signUtils calls its helpers through `this.` / the exports object
const captured = {};
for (const fn of ['buildCanonicalString', 'getCanonicalRequest', 'getStringToSign']) {
  const orig = signUtils[fn];
  signUtils[fn] = function wrapped(...args) {
    const r = orig.apply(this, args);
    captured[fn] = r;
    return r;
  };
}
function resetCapture() {
  for (const k of Object.keys(captured)) delete captured[k];
}

function client(spec, v4) {
  if (!spec.endpoint) throw new Unsupported('no endpoint');
  const opts = {
    accessKeyId: spec.ak,
    accessKeySecret: spec.sk,
    endpoint: `${spec.protocol}://${spec.cnameHost || spec.endpoint}`,
    cname: !!spec.cnameHost,
    secure: spec.protocol === 'https',
    authorizationV4: !!v4,
  };
  if (spec.pathStyle) opts.sldEnable = true;
  if (spec.bucket) opts.bucket = spec.bucket;
  if (spec.token) opts.stsToken = spec.token;
  if (spec.region) opts.region = spec.region;
  if (v4) {
    if (!spec.region) throw new Unsupported('V4 needs a region');
    if (spec.product === 'oss-cloudbox') opts.cloudBoxId = spec.region;
    else if (spec.product !== 'oss') throw new Unsupported(`ali-oss only knows the products oss and oss-cloudbox (got ${spec.product})`);
  }
  return new OSS(opts);
}

function noDupHeaders(spec) {
  if (spec.hasDupHeaders()) throw new Unsupported('ali-oss keeps headers in a plain object: repeated headers cannot be expressed');
}
function noDupQuery(spec) {
  if (spec.hasDupQuery()) throw new Unsupported('ali-oss keeps query parameters in a plain object: duplicate names cannot be expressed');
}

function createRequestHeaders(spec, v4, ts) {
  // lib/common/utils/createRequest: defaults first, then copy(params.headers).to(headers)
  const headers = {
    'x-oss-date': dateFormat(new Date(ts * 1000), v4 ? "UTC:yyyymmdd'T'HHMMss'Z'" : "UTC:ddd, dd mmm yyyy HH:MM:ss 'GMT'"),
  };
  if (v4) headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
  if (spec.token) headers['x-oss-security-token'] = spec.token;
  for (const [k, v] of spec.headers) headers[k] = v;
  return headers;
}

function splitQuery(spec) {
  const subres = {};
  const query = {};
  for (const [k, v] of spec.query) {
    if (SUBRESOURCES.has(k)) subres[k] = v;
    else query[k] = v === null ? '' : v;
  }
  return { subres, query };
}

function ossV1(spec) {
  noDupHeaders(spec);
  noDupQuery(spec);
  clock.now = spec.time * 1000;
  resetCapture();
  const c = client(spec, false);
  const headers = createRequestHeaders(spec, false, spec.time);
  const { subres, query } = splitQuery(spec);
  const object = c._objectName(spec.key || '');
  const params = { bucket: spec.bucket || undefined, object: object || undefined, subres, query };
  const authorization = c.authorization(spec.method, c._getResource(params), subres, headers);
  return {
    signature: authorization.slice(authorization.indexOf(':') + 1),
    authorization,
    url: c._getReqUrl(params),
    string_to_sign: captured.buildCanonicalString || null,
  };
}

function ossV1Url(spec) {
  noDupHeaders(spec);
  noDupQuery(spec);
  if (!spec.key) throw new Unsupported('signatureUrl signs objects only (needs a key)');
  clock.now = spec.time * 1000;
  resetCapture();
  const c = client(spec, false);
  const options = { method: spec.method, expires: spec.expires, subResource: {} };
  for (const [k, v] of spec.query) {
    if (!SUBRESOURCES.has(k)) throw new Unsupported(`signatureUrl cannot add the non-sub-resource query parameter ${k} (it signs every query parameter it emits)`);
    options.subResource[k] = v;
  }
  for (const [k, v] of spec.headers) {
    const lk = k.toLowerCase();
    if (lk.startsWith('x-oss-') || lk.startsWith('content-md5') || lk.startsWith('content-type')) options[k] = v;
  }
  const url = c.signatureUrl(spec.key, options);
  const m = /[?&]Signature=([^&]*)/.exec(url);
  return {
    signature: m ? decodeURIComponent(m[1]) : null,
    url,
    string_to_sign: captured.buildCanonicalString || null,
  };
}

function v4Time(spec) {
  const given = spec.header('x-oss-date');
  if (given) {
    try {
      return parseHttpOrIso(given);
    } catch (e) {
      throw new Unsupported(`x-oss-date header ${given} is not a date ali-oss could produce`);
    }
  }
  return spec.time;
}

function v4Queries(spec) {
  noDupQuery(spec);
  const q = {};
  for (const [k, v] of spec.query) q[k] = v; // null -> bare name, '' -> name= (qs strictNullHandling)
  return q;
}

function ossV4(spec) {
  noDupHeaders(spec);
  const ts = v4Time(spec);
  clock.now = ts * 1000;
  resetCapture();
  const c = client(spec, true);
  const headers = createRequestHeaders(spec, true, ts);
  const queries = v4Queries(spec);
  const object = c._objectName(spec.key || '') || undefined;
  const authorization = c.authorizationV4(spec.method, { headers, queries }, spec.bucket || undefined, object,
    spec.additionalHeaders.length ? spec.additionalHeaders : undefined);
  const m = /Signature=([0-9a-f]+)/.exec(authorization);
  return {
    signature: m ? m[1] : null,
    authorization,
    url: c._getReqUrl({ bucket: spec.bucket || undefined, object, query: queries }),
    canonical_request: captured.getCanonicalRequest || null,
    string_to_sign: captured.getStringToSign || null,
  };
}

async function ossV4Url(spec) {
  noDupHeaders(spec);
  clock.now = spec.time * 1000;
  resetCapture();
  const c = client(spec, true);
  const headers = {};
  for (const [k, v] of spec.headers) headers[k] = v;
  const queries = v4Queries(spec);
  const object = c._objectName(spec.key || '') || undefined;
  const url = await c.signatureUrlV4(spec.method, spec.expires, { headers, queries }, object,
    spec.additionalHeaders.length ? spec.additionalHeaders : undefined);
  const m = /[?&]x-oss-signature=([0-9a-f]+)/.exec(url);
  return {
    signature: m ? m[1] : null,
    url,
    canonical_request: captured.getCanonicalRequest || null,
    string_to_sign: captured.getStringToSign || null,
  };
}

run(SDK, 'oss', { 'oss-v1': ossV1, 'oss-v1-url': ossV1Url, 'oss-v4': ossV4, 'oss-v4-url': ossV4Url });
