'use strict';
// Shared plumbing for the Node SDK oracles (ali-oss, cos-nodejs-sdk-v5).
// Filter: one JSON request spec per input line, exactly one JSON result line per input line.
// Also freezes the clock: `new Date()` / `Date.now()` return clock.now (ms) while a request is signed.

const path = require('path');
const readline = require('readline');

const NODE_DIR = process.env.SIGDIFF_ORACLE_NODE_DIR ||
  path.join(__dirname, '..', '.oracles', 'node', 'node_modules');

function requireSdk(name) {
  try {
    return require(path.join(NODE_DIR, name));
  } catch (e) {
    return require(name); // NODE_PATH / global fallback
  }
}

function sdkVersion(name) {
  try {
    return `${name}@${requireSdk(`${name}/package.json`).version}`;
  } catch (e) {
    return `${name}@?`;
  }
}

// ---------------------------------------------------------------- frozen clock
const RealDate = Date;
const clock = { now: null };
class FrozenDate extends RealDate {
  constructor(...args) {
    if (args.length === 0 && clock.now !== null) super(clock.now);
    else super(...args);
  }
  static now() {
    return clock.now !== null ? clock.now : RealDate.now();
  }
}
global.Date = FrozenDate;

class Unsupported extends Error {}

// ---------------------------------------------------------------- time helpers
function parseTime(v) {
  if (v === undefined || v === null) throw new Unsupported('no "time" given: the oracles never read the clock');
  if (typeof v === 'number') return Math.trunc(v);
  const s = String(v).trim();
  if (/^-?\d+$/.test(s)) return parseInt(s, 10);
  const ms = RealDate.parse(s);
  if (Number.isNaN(ms)) throw new Error(`bad time ${JSON.stringify(v)}`);
  return Math.trunc(ms / 1000);
}

function parseHttpOrIso(v) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v.trim());
  if (m) return Math.trunc(RealDate.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000);
  const ms = RealDate.parse(v);
  if (Number.isNaN(ms)) throw new Error(`cannot parse date ${JSON.stringify(v)}`);
  return Math.trunc(ms / 1000);
}

function rfc1123(ts) {
  return new RealDate(ts * 1000).toUTCString();
}

// ---------------------------------------------------------------- spec
const OSS_HOST_RE = /^(?:([^.]+)\.)?(oss[-.][^/]*aliyuncs\.com)$/i;
const COS_HOST_RE = /^(?:([^.]+)\.)?(cos[-.][^/]*myqcloud\.com)$/i;

function isIp(h) {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':') || h.startsWith('[');
}

function decode(s, plusIsSpace) {
  return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
}

class Spec {
  constructor(raw, family) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('input line is not a JSON object');
    this.raw = raw;
    this.family = family;
    this.id = raw.id;
    this.scheme = raw.scheme;
    this.method = (raw.method || 'GET').toUpperCase();
    const c = raw.credentials || {};
    this.ak = c.access_key_id;
    this.sk = c.access_key_secret;
    this.token = c.security_token || null;
    if (!this.ak || this.sk === undefined || this.sk === null) throw new Error('credentials.access_key_id / access_key_secret missing');
    this.time = parseTime(raw.time);
    this.expires = raw.expires === undefined || raw.expires === null ? 3600 : parseInt(raw.expires, 10);
    this.headers = (raw.headers || []).map(([k, v]) => [String(k), v === null || v === undefined ? '' : String(v)]);
    this.bucket = raw.bucket || null;
    this.key = raw.key || '';
    this.endpoint = raw.endpoint || null;
    this.query = (raw.query || []).map(([k, v]) => [String(k), v === null || v === undefined ? null : String(v)]);
    this.protocol = 'http';
    this.pathStyle = false;
    this.cnameHost = null;
    if (raw.url) this.fromUrl(raw.url);
    if (this.endpoint && this.endpoint.includes('://')) {
      const u = new URL(this.endpoint);
      this.protocol = u.protocol.replace(':', '');
      this.endpoint = u.host;
    }
    this.product = raw.product || 'oss';
    this.region = raw.region || this.deriveRegion();
    this.additionalHeaders = raw.additional_headers || [];
    this.keyTime = raw.key_time || `${this.time};${this.time + this.expires}`;
    this.signTime = raw.sign_time || this.keyTime;
    this.signedHeaders = raw.signed_headers === undefined ? null : raw.signed_headers;
  }

  fromUrl(url) {
    const u = new URL(url);
    this.protocol = u.protocol.replace(':', '');
    const host = u.hostname.toLowerCase();
    const hostPort = u.port ? `${host}:${u.port}` : host;
    const rawPath = u.pathname || '/';
    const p = decode(rawPath, this.family === 'cos');
    const re = this.family === 'oss' ? OSS_HOST_RE : COS_HOST_RE;
    let givenEp = (this.endpoint || '').toLowerCase();
    if (givenEp.includes('://')) givenEp = new URL(givenEp).host;
    const m = re.exec(host);
    const stripSlash = s => (s.startsWith('/') ? s.slice(1) : s);
    if (isIp(host) || (givenEp && hostPort === givenEp) || (m && !m[1])) {
      this.endpoint = this.endpoint || hostPort;
      this.pathStyle = true;
      const segs = p.replace(/^\/+/, '').split('/');
      this.bucket = segs[0] || null;
      this.key = segs.slice(1).join('/');
    } else if (givenEp && hostPort.endsWith(`.${givenEp}`)) {
      this.bucket = hostPort.slice(0, -(givenEp.length + 1));
      this.key = stripSlash(p);
    } else if (m) {
      this.bucket = m[1];
      this.endpoint = m[2] + (u.port ? `:${u.port}` : '');
      this.key = stripSlash(p);
    } else {
      if (!this.bucket) throw new Unsupported(`CNAME host ${host} needs "bucket" in the spec`);
      this.endpoint = this.endpoint || hostPort;
      this.key = stripSlash(p);
      this.cnameHost = hostPort;
    }
    this.query = [];
    const q = u.search ? u.search.slice(1) : '';
    if (q) {
      for (const pair of q.split('&')) {
        if (pair === '') continue;
        const i = pair.indexOf('=');
        const plus = this.family === 'cos';
        if (i < 0) this.query.push([decode(pair, plus), null]);
        else this.query.push([decode(pair.slice(0, i), plus), decode(pair.slice(i + 1), plus)]);
      }
    }
  }

  deriveRegion() {
    const ep = (this.endpoint || '').split(':')[0];
    if (this.family === 'oss') {
      const m = /^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(ep);
      return m ? m[1] : null;
    }
    const m = /^cos\.([a-z0-9-]+)\.myqcloud\.com$/.exec(ep);
    return m ? m[1] : null;
  }

  header(name) {
    let v = null;
    for (const [k, val] of this.headers) if (k.toLowerCase() === name.toLowerCase()) v = val;
    return v;
  }

  hasDupHeaders() {
    const n = this.headers.map(([k]) => k.toLowerCase());
    return new Set(n).size !== n.length;
  }

  hasDupQuery() {
    const n = this.query.map(([k]) => k);
    return new Set(n).size !== n.length;
  }

  host() {
    if (this.cnameHost) return this.cnameHost;
    if (!this.endpoint) throw new Unsupported('no endpoint');
    if (this.bucket && !this.pathStyle) return `${this.bucket}.${this.endpoint}`;
    return this.endpoint;
  }
}

const FIELDS = ['signature', 'authorization', 'url', 'string_to_sign', 'canonical_request', 'format_string'];

async function run(sdk, family, handlers) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  const write = obj => new Promise(resolve => {
    if (!process.stdout.write(`${JSON.stringify(obj)}\n`)) process.stdout.once('drain', resolve);
    else resolve();
  });
  for await (const line of rl) {
    let id = null;
    let scheme = null;
    let res;
    try {
      if (!line.trim()) throw new Error('empty input line');
      const raw = JSON.parse(line);
      if (raw && typeof raw === 'object') {
        id = raw.id === undefined ? null : raw.id;
        scheme = raw.scheme === undefined ? null : raw.scheme;
      }
      const fn = handlers[scheme];
      if (!fn) throw new Unsupported(`scheme ${JSON.stringify(scheme)} not supported by ${sdk}`);
      const spec = new Spec(raw, family);
      const out = await fn(spec);
      res = { id, sdk, scheme };
      for (const f of FIELDS) res[f] = out[f] === undefined ? null : out[f];
    } catch (e) {
      if (e instanceof Unsupported) res = { id, sdk, scheme, unsupported: e.message };
      else res = { id, sdk, scheme, error: `${e.name}: ${e.message}` };
    } finally {
      clock.now = null;
    }
    await write(res);
  }
}

module.exports = { requireSdk, sdkVersion, clock, Unsupported, parseHttpOrIso, rfc1123, Spec, run, RealDate };
