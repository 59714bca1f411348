//! OSS V4 known-answer vectors through the JSON request spec, and sign → verify
//! round trips. Expected values: oss-signing.md §9.2 (U1–U9, official SDK unit
//! tests) and §9.3 (E1–E4, computed by the unmodified PY2 signer).

use serde_json::{json, Value};
use sigdiff::canonical::Stage;
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions, SignResult};
use sigdiff::verify::{verify, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};

/// §9.2 common inputs; `url` picks the query-mode content type.
fn u_spec(url: bool, time: i64) -> Value {
    json!({
        "scheme": if url { "oss-v4-url" } else { "oss-v4" },
        "method": "PUT", "bucket": "bucket", "key": "1234+-/123/1.txt",
        "endpoint": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "product": "oss",
        "headers": if url {
            json!([["x-oss-head1","value"],["abc","value"],["ZAbc","value"],["XYZ","value"],["content-type","application/octet-stream"]])
        } else {
            json!([["x-oss-head1","value"],["abc","value"],["ZAbc","value"],["XYZ","value"],["content-type","text/plain"],["x-oss-content-sha256","UNSIGNED-PAYLOAD"]])
        },
        "query": [["param1","value1"],["+param1","value3"],["|param1","value4"],["+param2",null],["|param2",null],["param2",null]],
        "credentials": {"access_key_id": "ak", "access_key_secret": "sk"},
        "time": time, "expires": 599
    })
}

fn e_spec(extra: Value) -> Value {
    let mut v = json!({
        "endpoint": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "time": 1701605532,
        "bucket": "examplebucket", "key": "a/中文 b+c~d.txt", "method": "GET", "scheme": "oss-v4",
        "credentials": {"access_key_id": "44CF9590006BF252F707", "access_key_secret": "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"},
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn sign(v: &Value) -> SignResult {
    let spec = RequestSpec::from_json(&v.to_string()).unwrap();
    sign_spec(&spec, &SignOptions::default()).unwrap()
}

fn with(mut v: Value, k: &str, x: Value) -> Value {
    v[k] = x;
    v
}

fn stage(r: &SignResult, s: Stage) -> String {
    r.stages
        .iter()
        .find(|(k, _)| *k == s)
        .unwrap()
        .1
        .to_string()
}

const U1_CR: &str = "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD";

#[test]
fn u1_header() {
    let r = sign(&u_spec(false, 1702743657));
    assert_eq!(r.authorization.as_deref(), Some("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"));
    assert_eq!(r.canonical_request.as_deref(), Some(U1_CR));
    assert_eq!(r.string_to_sign, "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4");
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "x-oss-date" && v == "20231216T162057Z"));
}

#[test]
fn u2_header_cloudbox() {
    let v = with(
        with(u_spec(false, 1702743657), "region", json!("cb-123")),
        "product",
        json!("oss-cloudbox"),
    );
    let r = sign(&v);
    assert_eq!(r.authorization.as_deref(), Some("OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43"));
    assert_eq!(r.canonical_request.as_deref(), Some(U1_CR));
}

#[test]
fn u3_header_sts() {
    let mut v = u_spec(false, 1702784856);
    v["credentials"]["security_token"] = json!("token");
    let r = sign(&v);
    assert_eq!(
        r.signature,
        "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"
    );
    assert_eq!(r.canonical_request.as_deref(), Some("PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231217T034736Z\nx-oss-head1:value\nx-oss-security-token:token\n\n\nUNSIGNED-PAYLOAD"));
    assert!(r
        .string_to_sign
        .ends_with("\n69494678fb11579d4ee12996e2796d9e2ba43c34aa4c723c4aec018f3d6b86b8"));
}

#[test]
fn u4_header_additional_headers_both_variants() {
    for list in [
        json!(["ZAbc", "abc"]),
        json!(["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"]),
    ] {
        let r = sign(&with(u_spec(false, 1702747512), "additional_headers", list));
        assert_eq!(r.authorization.as_deref(), Some("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"));
        assert_eq!(r.canonical_request.as_deref(), Some("PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\nabc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD"));
        assert!(r
            .string_to_sign
            .ends_with("\n16b86004ed2cc3406dd7a13081bd940ef6a5ad49e508da2d4fdf84e8a5dd2145"));
    }
}

#[test]
fn u5_url() {
    let r = sign(&u_spec(true, 1702781677));
    assert_eq!(
        r.signature,
        "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"
    );
    assert_eq!(r.canonical_request.as_deref(), Some("PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256\ncontent-type:application/octet-stream\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD"));
    assert_eq!(r.string_to_sign, "OSS4-HMAC-SHA256\n20231217T025437Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\n48814c11f278d51662015bf2f896b66ca10b6de0187ed8d952e341bbce0aa336");
    assert!(r.authorization.is_none());
    // The wire URL carries the §5 parameters in the shared RFC 3986 encoding.
    for p in [
        "x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request",
        "x-oss-date=20231217T025437Z",
        "x-oss-expires=599",
        "x-oss-signature-version=OSS4-HMAC-SHA256",
        "x-oss-signature=a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe",
    ] {
        assert!(r.url.contains(p), "{p} not in {}", r.url);
    }
    assert!(r
        .url
        .starts_with("https://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?"));
}

#[test]
fn u6_url_sts() {
    let mut v = u_spec(true, 1702785388);
    v["credentials"]["security_token"] = json!("token");
    let r = sign(&v);
    assert_eq!(
        r.signature,
        "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5"
    );
    assert!(r
        .string_to_sign
        .ends_with("\n458705026c021c95dd317d008cff79df19ce99bf2b241d1ecb20f4d65bb851a5"));
    assert!(r.url.contains("&x-oss-security-token=token&"));
}

#[test]
fn u7_url_additional_headers() {
    for list in [
        json!(["ZAbc", "abc"]),
        json!(["x-oss-no-exist", "abc", "x-oss-head1", "ZAbc"]),
    ] {
        let r = sign(&with(u_spec(true, 1702783809), "additional_headers", list));
        assert_eq!(
            r.signature,
            "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7"
        );
        assert_eq!(r.canonical_request.as_deref(), Some("PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-additional-headers=abc%3Bzabc&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T033009Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256\nabc:value\ncontent-type:application/octet-stream\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD"));
        assert!(r
            .string_to_sign
            .ends_with("\ne06541af14a8dc30dd12d3b75557af47f405e37784a76eae1a844c3426777df9"));
        assert!(r.url.contains("x-oss-additional-headers=abc%3Bzabc"));
    }
}

#[test]
fn u8_u9_url_cloudbox() {
    for (t, sig) in [
        (
            1702781677,
            "07284191b9b4978ac3520cd39ee2dea2747eda454089359371ff463a6c7ba20f",
        ),
        (
            1702783809,
            "16782cc8a7a554523db055eb804b508522e7e370073108ad88ee2f47496701dd",
        ),
    ] {
        let mut v = u_spec(true, t);
        v["region"] = json!("cb-123");
        v["product"] = json!("oss-cloudbox");
        v["additional_headers"] = json!(["abc", "zabc"]);
        let r = sign(&v);
        assert_eq!(r.signature, sig);
        assert!(r.url.contains(
            "x-oss-credential=ak%2F20231217%2Fcb-123%2Foss-cloudbox%2Faliyun_v4_request"
        ));
    }
}

#[test]
fn e1_header_sts_unicode_key() {
    let mut v = e_spec(
        json!({"query": [["versionId","CAEQNhiBgM0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjY0ZTc2NzQ1"],["response-content-disposition","attachment; filename=\"a b.txt\""]]}),
    );
    v["credentials"]["security_token"] = json!("CAIS+token/with=chars");
    let r = sign(&v);
    assert_eq!(r.authorization.as_deref(), Some("OSS4-HMAC-SHA256 Credential=44CF9590006BF252F707/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=89477eb4708341038f05a02bb8169057eea1bfd3ae7f045e30e3e4e7f2f8c959"));
    assert_eq!(r.canonical_request.as_deref(), Some("GET\n/examplebucket/a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt\nresponse-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionId=CAEQNhiBgM0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjY0ZTc2NzQ1\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231203T121212Z\nx-oss-security-token:CAIS+token/with=chars\n\n\nUNSIGNED-PAYLOAD"));
    assert!(r
        .string_to_sign
        .ends_with("\ne5c1bcb25469731c0bf1bdd17e3439853b36032d8a0344d079b5234a70c59b74"));
}

#[test]
fn e2_header_bucket_listing() {
    let r = sign(&e_spec(
        json!({"key": "", "query": [["list-type","2"],["prefix","a/b/"],["delimiter","/"],["max-keys","100"],["encoding-type","url"],["continuation-token",""]]}),
    ));
    assert_eq!(
        r.signature,
        "3c05398d472d0bec6f9c8d55e6f1547291b89321c501dd274db96694106e0a24"
    );
    assert_eq!(r.canonical_request.as_deref(), Some("GET\n/examplebucket/\ncontinuation-token&delimiter=%2F&encoding-type=url&list-type=2&max-keys=100&prefix=a%2Fb%2F\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231203T121212Z\n\n\nUNSIGNED-PAYLOAD"));
    assert!(r
        .string_to_sign
        .ends_with("\n0a01edb319f1bc766bae4ef420dd2648521bde147ffe93e88b964d5dc9ddfeaf"));
}

#[test]
fn e3_header_service_region_from_endpoint() {
    // No `region`: derived from the endpoint (issue 4 item 1).
    let mut v = e_spec(json!({"key": ""}));
    v.as_object_mut().unwrap().remove("bucket");
    v.as_object_mut().unwrap().remove("region");
    let r = sign(&v);
    assert_eq!(
        r.signature,
        "8dd11e579f4e07ee5d788ef1ec7e76e3cd71b24cf344f161548ce549a915c75e"
    );
    assert_eq!(r.canonical_request.as_deref(), Some("GET\n/\n\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231203T121212Z\n\n\nUNSIGNED-PAYLOAD"));
    assert!(r
        .string_to_sign
        .ends_with("\nb071141e00901d65d0811c1193564d306f4dd5bc7403d3717e3690cf47058aff"));
}

#[test]
fn e4_url_host_additional() {
    let r = sign(&e_spec(
        json!({"scheme": "oss-v4-url", "method": "PUT", "expires": 3600,
        "headers": [["Content-Type","text/plain"],["Host","examplebucket.oss-cn-hangzhou.aliyuncs.com"]],
        "additional_headers": ["host"]}),
    ));
    assert_eq!(
        r.signature,
        "f710fa79cdf0727be19846957fa2163b31cf470fdea3aff24fa4d04aa771cb9b"
    );
    assert_eq!(stage(&r, Stage::CanonicalRequest), "PUT\n/examplebucket/a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt\nx-oss-additional-headers=host&x-oss-credential=44CF9590006BF252F707%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=3600&x-oss-signature-version=OSS4-HMAC-SHA256\ncontent-type:text/plain\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n\nhost\nUNSIGNED-PAYLOAD");
    assert!(r
        .string_to_sign
        .ends_with("\n61a1bb106c8d71dac414ffed730013614247c6858824c8bea783cb1a093d7ddf"));
}

// ------------------------------------------------------------ sign → verify

fn request_of(r: &SignResult, method: &str) -> Request {
    Request::from_url(method, &r.url, r.headers.clone()).unwrap()
}

fn vopts(now: i64, secret: &str) -> VerifyOptions {
    VerifyOptions {
        now,
        secrets: vec![Secret::new(secret)],
        ..Default::default()
    }
}

fn all_vectors() -> Vec<(Value, &'static str, i64)> {
    let mut v3 = u_spec(false, 1702784856);
    v3["credentials"]["security_token"] = json!("token");
    let mut v6 = u_spec(true, 1702785388);
    v6["credentials"]["security_token"] = json!("token");
    let e4 = e_spec(
        json!({"scheme": "oss-v4-url", "method": "PUT", "expires": 3600,
        "headers": [["Content-Type","text/plain"],["Host","examplebucket.oss-cn-hangzhou.aliyuncs.com"]],
        "additional_headers": ["host"]}),
    );
    vec![
        (u_spec(false, 1702743657), "PUT", 1702743657),
        (v3, "PUT", 1702784856),
        (
            with(
                u_spec(false, 1702747512),
                "additional_headers",
                json!(["ZAbc", "abc"]),
            ),
            "PUT",
            1702747512,
        ),
        (u_spec(true, 1702781677), "PUT", 1702781677),
        (v6, "PUT", 1702785388),
        (
            with(
                u_spec(true, 1702783809),
                "additional_headers",
                json!(["ZAbc", "abc"]),
            ),
            "PUT",
            1702783809,
        ),
        (
            e_spec(json!({"key": "", "query": [["prefix","a/b/"],["continuation-token",""]]})),
            "GET",
            1701605532,
        ),
        (e4, "PUT", 1701605532),
    ]
}

#[test]
fn sign_then_verify_matches() {
    for (v, method, now) in all_vectors() {
        let r = sign(&v);
        let secret = v["credentials"]["access_key_secret"].as_str().unwrap();
        let rep = verify(&request_of(&r, method), &vopts(now + 60, secret)).unwrap();
        assert_eq!(rep.verdict, Verdict::Match, "{v}: {:#?}", rep.findings);
        assert_eq!(
            rep.computed_signature.as_deref(),
            Some(r.signature.as_str())
        );
        assert_eq!(rep.string_to_sign, r.canonical_request.clone().unwrap());
        assert!(
            rep.findings
                .iter()
                .all(|f| f.severity != sigdiff::Severity::Error),
            "{v}: {:#?}",
            rep.findings
        );
    }
}

#[test]
fn one_mutated_byte_is_a_mismatch_naming_the_field() {
    // U4 signed, then one signed header value changed on the way.
    let r = sign(&with(
        u_spec(false, 1702747512),
        "additional_headers",
        json!(["ZAbc", "abc"]),
    ));
    let mut req = request_of(&r, "PUT");
    for (k, v) in &mut req.headers {
        if k == "abc" {
            *v = "valuE".into();
        }
    }
    let o = VerifyOptions {
        client_string: r.canonical_request.clone(),
        ..vopts(1702747512, "sk")
    };
    let rep = verify(&req, &o).unwrap();
    assert_eq!(rep.verdict, Verdict::Mismatch);
    let row = rep.fields.iter().find(|f| !f.same).unwrap();
    assert_eq!(row.name, "header:abc");
    assert_eq!(row.first_diff, Some(8));
    assert!(rep
        .findings
        .iter()
        .any(|f| f.code == "SIG003" && f.field.as_deref() == Some("header:abc")));

    // A query byte changed in a presigned URL (U5).
    let r = sign(&u_spec(true, 1702781677));
    let req =
        Request::from_url("PUT", &r.url.replace("value1", "value2"), r.headers.clone()).unwrap();
    let o = VerifyOptions {
        client_string: r.canonical_request.clone(),
        ..vopts(1702781677, "sk")
    };
    let rep = verify(&req, &o).unwrap();
    assert_eq!(rep.verdict, Verdict::Mismatch);
    assert_eq!(
        rep.fields.iter().find(|f| !f.same).unwrap().name,
        "query:param1"
    );
}

#[test]
fn wrong_secret_is_localised_to_the_secret() {
    let r = sign(&u_spec(false, 1702743657));
    let o = VerifyOptions {
        client_string: r.canonical_request.clone(),
        ..vopts(1702743657, "not-sk")
    };
    let rep = verify(&request_of(&r, "PUT"), &o).unwrap();
    assert_eq!(rep.verdict, Verdict::Mismatch);
    let codes: Vec<&str> = rep.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&"SIG002") && codes.contains(&"SIG242"),
        "{codes:?}"
    );
}

#[test]
fn region_with_oss_prefix_is_reported_and_localised() {
    // Signed with `oss-cn-hangzhou` in the scope (a user mistake, §10 item 15).
    let r = sign(&with(
        u_spec(false, 1702743657),
        "region",
        json!("oss-cn-hangzhou"),
    ));
    assert!(r
        .authorization
        .as_deref()
        .unwrap()
        .contains("/oss-cn-hangzhou/oss/"));
    let rep = verify(&request_of(&r, "PUT"), &vopts(1702743657, "sk")).unwrap();
    assert!(rep.findings.iter().any(|f| f.code == "SIG200"));
    // The client signed with the prefixed region but wrote the bare one in the credential.
    let auth = r
        .authorization
        .clone()
        .unwrap()
        .replace("/oss-cn-hangzhou/", "/cn-hangzhou/");
    let mut req = request_of(&r, "PUT");
    req.set_header("Authorization", &auth);
    let rep = verify(&req, &vopts(1702743657, "sk")).unwrap();
    assert_eq!(rep.verdict, Verdict::Mismatch);
    let f = rep
        .findings
        .iter()
        .find(|f| f.code == "SIG241")
        .expect("SIG241");
    assert!(f.reproduces);
    assert_eq!(f.field.as_deref(), Some("signing-key:region"));
}
