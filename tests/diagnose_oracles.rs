//! SDK behaviours in the diagnosis catalogue, checked against the official SDKs
//! (oracles/README.md): an SDK signs a request whose signature the server model
//! does not accept, the request goes out with the SDK's signature, and the
//! search must name the SDK behaviour that explains it.
//!
//! Needs `SIGDIFF_ORACLES` (scripts/setup-oracles.sh); skipped with a note otherwise.

mod common;

use serde_json::{json, Value};
use sigdiff::diagnose::{diagnose, DiagnoseOptions};
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{prepare, VerifyOptions};
use sigdiff::{Request, Secret};

const SK: &str = "sk-oracle-0123456789";

fn spec(v: Value) -> Value {
    let mut v = v;
    v["credentials"] =
        json!({"access_key_id": "ak", "access_key_secret": SK, "security_token": null});
    v["time"] = json!(1701605532);
    v
}

/// `(driver, spec, entry the diagnosis must name)`.
fn cases() -> Vec<(&'static str, Value, &'static str)> {
    let oss = |scheme: &str| {
        json!({"id": scheme, "scheme": scheme, "method": "GET", "bucket": "examplebucket", "key": "k.bin",
               "endpoint": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "headers": [], "query": []})
    };
    let mut v = Vec::new();
    // Deviation 2: oss2 and alibabacloud-oss-v2 sign x-oss-* values untrimmed (V1).
    let mut s = oss("oss-v1");
    s["headers"] = json!([
        ["x-oss-meta-author", " alice "],
        ["x-oss-date", "Sun, 03 Dec 2023 12:12:12 GMT"]
    ]);
    v.push(("oss2_oracle.py", spec(s.clone()), "sdk:header_values=raw"));
    v.push(("oss_v2_oracle.py", spec(s), "sdk:header_values=raw"));
    // alibabacloud-oss-v2's sub-resource list lacks x-oss-traffic-limit (spec §2.6).
    let mut s = oss("oss-v1");
    s["query"] = json!([["x-oss-traffic-limit", "100"]]);
    v.push(("oss_v2_oracle.py", spec(s), "sdk:subresources=python-v2"));
    // ali-oss V4: `''` written `name=` (E2), names sorted with localeCompare (pitfall 20).
    let mut s = oss("oss-v4");
    s["key"] = json!("");
    s["query"] = json!([["continuation-token", ""], ["list-type", "2"]]);
    v.push(("ali_oss_oracle.js", spec(s), "sdk:empty_values=keep-equals"));
    let mut s = oss("oss-v4");
    s["query"] = json!([["B", "1"], ["a", "2"]]);
    v.push(("ali_oss_oracle.js", spec(s), "sdk:query=locale-compare"));
    // cos-nodejs-sdk-v5 sorts the raw keys (cos-signing.md §6 D7).
    let s = json!({"id": "d7", "scheme": "cos", "method": "GET", "bucket": "examplebucket-1250000000", "key": "k",
                   "endpoint": "cos.ap-beijing.myqcloud.com", "query": [["a/b", "1"], ["a.b", "2"]], "headers": [],
                   "key_time": "1701605532;1701609132", "signed_headers": ["host"]});
    v.push(("cos_node_oracle.js", spec(s), "sdk:sort=raw-key"));
    v
}

#[test]
fn sdk_signatures_are_diagnosed_by_name() {
    if common::oracles_dir().is_none() {
        common::skip_note("sdk_signatures_are_diagnosed_by_name");
        return;
    }
    for (driver, s, entry) in cases() {
        let out = &common::run_driver(driver, &[s.to_string()])[0];
        let sdk_sig = out["signature"]
            .as_str()
            .unwrap_or_else(|| panic!("{driver}: {out}"))
            .to_string();
        // The request as sigdiff's server model signs it, carrying the SDK's signature instead.
        let rs = RequestSpec::from_json(&s.to_string()).unwrap();
        let r = sign_spec(&rs, &SignOptions::default()).unwrap();
        assert_ne!(
            r.signature, sdk_sig,
            "{driver} {entry}: the SDK agrees with the server model here"
        );
        let mut req =
            Request::from_url(rs.method.as_deref().unwrap(), &r.url, r.headers.clone()).unwrap();
        for h in req
            .headers
            .iter_mut()
            .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        {
            h.1 = h.1.replace(&r.signature, &sdk_sig);
        }
        let p = prepare(&req, &VerifyOptions::default()).unwrap();
        let d = diagnose(
            &req,
            &p,
            &[Secret::new(SK)],
            &p.provided_signature,
            &DiagnoseOptions::default(),
        );
        let found: Vec<Vec<String>> = d
            .winners
            .iter()
            .map(|w| {
                w.hypotheses
                    .iter()
                    .chain(w.equivalents.iter().flatten())
                    .cloned()
                    .collect()
            })
            .collect();
        assert_eq!(d.winners.len(), 1, "{driver} {entry}: {found:?}");
        assert_eq!(
            d.winners[0].hypotheses.len(),
            1,
            "{driver} {entry}: {found:?}"
        );
        assert!(
            found[0].iter().any(|i| i == entry),
            "{driver}: {entry} not in {found:?}"
        );
    }
}
