//! OSS V1 cross-checked against the official SDKs (oss2, alibabacloud-oss-v2, ali-oss),
//! run offline with a frozen clock by the drivers in `oracles/`. Every case must agree
//! with every SDK that can express it, except the documented deviations listed with it.

mod common;

use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions};

const CREDS: &str = r#""credentials":{"access_key_id":"LTAI5tExampleAk","access_key_secret":"ExampleSecretValue0123456789abcd"}"#;
const STS: &str = r#""credentials":{"access_key_id":"STS.NUexample","access_key_secret":"ExampleSecretValue0123456789abcd","security_token":"CAIS+token/with==chars"}"#;
const EP: &str = r#""endpoint":"oss-cn-hangzhou.aliyuncs.com","time":1701605532"#;
const XDATE: &str = r#"["x-oss-date","Sun, 03 Dec 2023 12:12:12 GMT"]"#;

/// A documented SDK deviation: the SDK, why, and the sigdiff options (if any) that
/// reproduce the SDK's behaviour as a named variant.
type Deviation = (&'static str, &'static str, Option<&'static str>);

/// (case, spec, SDKs known to disagree with the server model)
fn cases() -> Vec<(&'static str, String, Vec<Deviation>)> {
    let h = |extra: &str| {
        if extra.is_empty() {
            format!("[{XDATE}]")
        } else {
            format!("[{XDATE},{extra}]")
        }
    };
    vec![
        ("put-object", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"a/b.txt",{EP},"headers":{},{CREDS}}}"#, h(r#"["Content-Type","text/plain"],["Content-MD5","1B2M2Y8AsgTpgAmY7PhCfg=="]"#)), vec![]),
        ("unicode-space-plus-tilde", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket","key":"dir/中文 b+c~d(1).txt",{EP},"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("percent-and-reserved", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket","key":"100% & more?#[x].txt",{EP},"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("meta-headers-mixed-case", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"k",{EP},"headers":{},{CREDS}}}"#, h(r#"["X-OSS-Meta-Zeta","z"],["x-oss-meta-alpha","a"],["X-Oss-Storage-Class","IA"]"#)), vec![]),
        ("acl-bare", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"k",{EP},"query":[["acl",null]],"headers":{},{CREDS}}}"#, h(r#"["x-oss-object-acl","private"]"#)), vec![]),
        ("multipart-part", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"big.bin",{EP},"query":[["uploadId","0004B9894A22E5B1888A1E29F823"],["partNumber","7"]],"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("response-overrides", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket","key":"r.pdf",{EP},"query":[["response-content-disposition","attachment; filename=\"r é.pdf\""],["response-content-type","application/pdf"],["versionId","CAEQNhiBgM0BYiIDc4MGZjZGI2"]],"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("process-style", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket","key":"img.jpg",{EP},"query":[["x-oss-process","image/resize,w_100/quality,q_80"]],"headers":{},{CREDS}}}"#, h("")), vec![("alibabacloud-oss-v2", "its sub-resource list has no x-oss-process and no x-oss-* rule (oss-signing.md §2.6)", Some(r#"{"subresources":"python-v2"}"#))]),
        ("list-objects-unsigned-params", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket",{EP},"query":[["prefix","a/b c/"],["delimiter","/"],["max-keys","100"],["encoding-type","url"]],"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("bucket-info", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket",{EP},"query":[["bucketInfo",null]],"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("service-level", format!(r#"{{"scheme":"oss-v1",{EP},"headers":{},{CREDS}}}"#, h("")), vec![]),
        ("delete-multiple", format!(r#"{{"scheme":"oss-v1","method":"POST","bucket":"examplebucket",{EP},"query":[["delete",null]],"headers":{},{CREDS}}}"#, h(r#"["Content-MD5","XrY7u+Ae7tCTyyK7j1rNww=="],["Content-Type","application/xml"]"#)), vec![]),
        ("sts-header", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"t.txt",{EP},"headers":{},{STS}}}"#, h("")), vec![("alibabacloud-oss-v2", "sends the token as an unsigned `security-token` header (oss-signing.md §2.7, Q5)", None)]),
        ("date-header-only", format!(r#"{{"scheme":"oss-v1","bucket":"examplebucket","key":"k",{EP},{CREDS}}}"#), vec![("ali-oss", "never signs Date: it adds and signs x-oss-date (oss-signing.md §2.3)", None)]),
        ("edge-whitespace-value", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"k",{EP},"headers":{},{CREDS}}}"#, h(r#"["x-oss-meta-a"," padded "]"#)), vec![("oss2", "signs header values untrimmed (oss-signing.md §2.4)", Some(r#"{"header_values":"raw"}"#)), ("alibabacloud-oss-v2", "signs header values untrimmed (oss-signing.md §2.4)", Some(r#"{"header_values":"raw"}"#))]),
        ("url-plain", format!(r#"{{"scheme":"oss-v1-url","bucket":"examplebucket","key":"dl/file name+1.zip",{EP},"expires":600,{CREDS}}}"#), vec![]),
        ("url-sts", format!(r#"{{"scheme":"oss-v1-url","bucket":"examplebucket","key":"a/中文.txt",{EP},"expires":3600,{STS}}}"#), vec![]),
        ("url-put-content-type", format!(r#"{{"scheme":"oss-v1-url","method":"PUT","bucket":"examplebucket","key":"up.png",{EP},"headers":[["Content-Type","image/png"]],"expires":900,{CREDS}}}"#), vec![]),
        ("url-response-override", format!(r#"{{"scheme":"oss-v1-url","bucket":"examplebucket","key":"r.pdf",{EP},"query":[["response-content-disposition","attachment; filename=r.pdf"]],"expires":3600,{CREDS}}}"#), vec![]),
        ("url-versioned", format!(r#"{{"scheme":"oss-v1-url","bucket":"examplebucket","key":"v.txt",{EP},"query":[["versionId","CAEQNhiBgM0BYiIDc4MGZjZGI2"]],"expires":3600,{CREDS}}}"#), vec![]),
        ("url-long-expiry", format!(r#"{{"scheme":"oss-v1-url","bucket":"examplebucket","key":"k",{EP},"expires":604800,{CREDS}}}"#), vec![]),
    ]
}

#[test]
fn oss_v1_agrees_with_official_sdks() {
    if common::oracles_dir().is_none() {
        common::skip_note("oss_v1_agrees_with_official_sdks");
        return;
    }
    let cases = cases();
    let lines: Vec<String> = cases
        .iter()
        .map(|(id, spec, _)| {
            let mut v: serde_json::Value = serde_json::from_str(spec).unwrap();
            v["id"] = serde_json::Value::String(id.to_string());
            v.to_string()
        })
        .collect();
    let mut compared = 0;
    let mut report = Vec::new();
    for driver in ["oss2_oracle.py", "oss_v2_oracle.py", "ali_oss_oracle.js"] {
        let outs = common::run_driver(driver, &lines);
        for ((id, spec, known), out) in cases.iter().zip(outs) {
            assert_eq!(out["id"], *id);
            let sdk = out["sdk"]
                .as_str()
                .unwrap()
                .split(['=', '@'])
                .next()
                .unwrap()
                .to_string();
            if out.get("unsupported").is_some() {
                continue;
            }
            assert!(out.get("error").is_none(), "{driver} {id}: {out}");
            let ours = sign_spec(
                &RequestSpec::from_json(spec).unwrap(),
                &SignOptions::default(),
            )
            .unwrap();
            let theirs = out["signature"].as_str().unwrap();
            let deviation = known.iter().find(|(s, _, _)| *s == sdk);
            match deviation {
                None => assert_eq!(
                    theirs, ours.signature,
                    "{sdk} disagrees on {id}: SDK string {:?}, ours {:?}",
                    out["string_to_sign"], ours.string_to_sign
                ),
                Some((_, why, variant)) => {
                    assert_ne!(
                        theirs, ours.signature,
                        "{sdk} was expected to deviate on {id} ({why}) but agrees: update the case"
                    );
                    let mut line = format!("{id} × {sdk}: disagrees as documented: {why}");
                    if let Some(opts) = variant {
                        // The SDK's behaviour is a named, selectable variant: it must reproduce the SDK.
                        let mut v: serde_json::Value = serde_json::from_str(spec).unwrap();
                        v["options"] = serde_json::from_str(opts).unwrap();
                        let alt = sign_spec(
                            &RequestSpec::from_json(&v.to_string()).unwrap(),
                            &SignOptions::default(),
                        )
                        .unwrap();
                        assert_eq!(
                            theirs, alt.signature,
                            "variant {opts} should reproduce {sdk} on {id}"
                        );
                        line.push_str(&format!("; reproduced by options {opts}"));
                    }
                    report.push(line);
                }
            }
            compared += 1;
        }
    }
    eprintln!(
        "compared {compared} signatures; documented deviations:\n  {}",
        report.join("\n  ")
    );
    assert!(
        compared >= 50,
        "too few comparisons ({compared}): are the drivers declaring everything unsupported?"
    );
}
