'use strict';
// Oracle driver for ali-oss PostObject signatures (issue 8), offline:
//   oss-post     client.calculatePostSignature(policy)        -> {policy (Base64), Signature}
//   oss-post-v4  client.signPostObjectPolicyV4(policy, date)  -> hex signature (region from the client)
// Input, one JSON object per line:
//   {"id": ..., "scheme": "oss-post"|"oss-post-v4", "policy": "<policy JSON text>",
//    "access_key_id": "...", "access_key_secret": "...", "region": "cn-hangzhou", "time": <unix seconds>}
// Output, one line per input line, in order:
//   {"id", "sdk", "scheme", "policy": "<Base64 the SDK encodes>", "signature": "..."}  or {"id", "sdk", "scheme", "error": "..."}
// ali-oss re-serialises the policy with JSON.stringify(JSON.parse(text)) (lib/common/utils/policy2Str)
// before Base64: the "policy" it returns is what it signed.

const { requireSdk, sdkVersion } = require('./_common');
const readline = require('readline');

const OSS = requireSdk('ali-oss');
const { policy2Str } = requireSdk('ali-oss/lib/common/utils/policy2Str');
const SDK = sdkVersion('ali-oss');

function sign(raw) {
  const client = new OSS({
    accessKeyId: raw.access_key_id,
    accessKeySecret: raw.access_key_secret,
    region: `oss-${raw.region || 'cn-hangzhou'}`,
  });
  if (raw.scheme === 'oss-post') {
    const r = client.calculatePostSignature(raw.policy);
    return { policy: r.policy, signature: r.Signature };
  }
  if (raw.scheme === 'oss-post-v4') {
    const signature = client.signPostObjectPolicyV4(raw.policy, new Date(raw.time * 1000));
    return { policy: Buffer.from(policy2Str(raw.policy), 'utf8').toString('base64'), signature };
  }
  throw new Error(`scheme ${raw.scheme} not supported by this driver`);
}

(async () => {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) {
    let raw = {};
    let res;
    try {
      raw = JSON.parse(line);
      res = { id: raw.id, sdk: SDK, scheme: raw.scheme, ...sign(raw) };
    } catch (e) {
      res = { id: raw.id === undefined ? null : raw.id, sdk: SDK, scheme: raw.scheme || null, error: `${e.name}: ${e.message}` };
    }
    process.stdout.write(`${JSON.stringify(res)}\n`);
  }
})();
