//! Form uploads (issue 8): OSS PostObject V1/V4 and COS POST policy signatures and
//! conditions. Expected values are the specs' vectors (oss-signing.md §9.3 P1, P2;
//! cos-signing.md §6 V11); bodies built here are inputs, never expected values.

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::{json, Value};
use sigdiff::input::spec::RequestSpec;
use sigdiff::post::conditions::{evaluate, Status};
use sigdiff::post::policy::Policy;
use sigdiff::post::{verify_upload, Upload, UploadForm};
use sigdiff::scheme::SchemeId;
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{Verdict, VerifyOptions};
use sigdiff::Secret;
use std::io::Write;

const OSS_AK: &str = "44CF9590006BF252F707";
const OSS_SK: &str = "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV";
const P1_JSON: &str = r#"{"expiration":"2023-12-03T13:12:12.000Z","conditions":[{"bucket":"examplebucket"},["starts-with","$key","user/eric/"],["content-length-range",1,1024]]}"#;
const P1_B64: &str = "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzoxMjoxMi4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci9lcmljLyJdLFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==";
const P1_SIG: &str = "6WpijTDmKwQQfQsdjsdbRGI+eFE=";
const P2_B64: &str = "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzoxMjoxMi4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiNDRDRjk1OTAwMDZCRjI1MkY3MDcvMjAyMzEyMDMvY24taGFuZ3pob3Uvb3NzL2FsaXl1bl92NF9yZXF1ZXN0In0seyJ4LW9zcy1kYXRlIjoiMjAyMzEyMDNUMTIxMjEyWiJ9LFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==";
const P2_SIG: &str = "3b29f960d5e4b6205c205bd52cfb39353d3a620663198a834ef1e642fd5ddaf9";
const P2_CRED: &str = "44CF9590006BF252F707/20231203/cn-hangzhou/oss/aliyun_v4_request";
const OSS_HOST: &str = "examplebucket.oss-cn-hangzhou.aliyuncs.com";
const OSS_NOW: &str = "2023-12-03T12:20:00Z";

const COS_AK: &str = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q";
const COS_SK: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
const V11_B64: &str = "ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9";
const V11_KT: &str = "1567150692;1567157892";
const V11_SIG: &str = "7758dc9a832e9d301dca704cacbf9d9f8172fdef";
const V11_STS: &str = "d5d903b8360468bc81c1311f134989bc8c8b5b89";
const COS_HOST: &str = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com";
const COS_NOW: &str = "1567150700";

// ------------------------------------------------------------------ helpers

fn sigdiff() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    for v in [
        "OSS_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "OSS_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "OSS_SESSION_TOKEN",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "COS_SECRET_KEY",
        "TENCENTCLOUD_SECRET_KEY",
        "COS_SECRET_ID",
        "TENCENTCLOUD_SECRET_ID",
        "COS_SECURITY_TOKEN",
        "TENCENTCLOUD_SESSION_TOKEN",
        "LC_ALL",
        "LANG",
    ] {
        c.env_remove(v);
    }
    c.arg("--color").arg("never");
    c
}

fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Out {
    let o = c.output().unwrap();
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("internal error"),
        "{}",
        out.stderr
    );
    for sk in [OSS_SK, COS_SK] {
        assert!(
            !out.stdout.contains(sk) && !out.stderr.contains(sk),
            "secret printed"
        );
    }
    out
}

/// A multipart body: the fields, then `file` (if any), then `after` fields.
fn body(fields: &[(&str, &str)], file: Option<&[u8]>, after: &[(&str, &str)], nl: &str) -> Vec<u8> {
    let b = "----sigdiffBoundary7MA4";
    let mut out = Vec::new();
    let field = |out: &mut Vec<u8>, k: &str, v: &str| {
        out.extend_from_slice(
            format!("--{b}{nl}Content-Disposition: form-data; name=\"{k}\"{nl}{nl}{v}{nl}")
                .as_bytes(),
        )
    };
    for (k, v) in fields {
        field(&mut out, k, v);
    }
    if let Some(f) = file {
        out.extend_from_slice(
            format!("--{b}{nl}Content-Disposition: form-data; name=\"file\"; filename=\"photo.png\"{nl}Content-Type: image/png{nl}{nl}")
                .as_bytes(),
        );
        out.extend_from_slice(f);
        out.extend_from_slice(nl.as_bytes());
    }
    for (k, v) in after {
        field(&mut out, k, v);
    }
    out.extend_from_slice(format!("--{b}--{nl}").as_bytes());
    out
}

fn raw_post(host: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=----sigdiffBoundary7MA4\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn p1_fields(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("key", key),
        ("policy", P1_B64),
        ("OSSAccessKeyId", OSS_AK),
        ("Signature", P1_SIG),
    ]
}

fn p2_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("key", "user/a.png"),
        ("policy", P2_B64),
        ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
        ("x-oss-credential", P2_CRED),
        ("x-oss-date", "20231203T121212Z"),
        ("x-oss-signature", P2_SIG),
    ]
}

fn v11_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("key", "folder/subfolder/${filename}"),
        ("acl", "default"),
        ("Content-Type", "image/png"),
        ("success_action_redirect", "https://my.website/done"),
        ("x-cos-server-side-encryption", "AES256"),
        ("policy", V11_B64),
        ("q-sign-algorithm", "sha1"),
        ("q-ak", COS_AK),
        ("q-key-time", V11_KT),
        ("q-signature", V11_SIG),
    ]
}

fn verify_json(args: &[&str], req: &[u8], env: (&str, &str)) -> (i32, Value, String) {
    let f = file(req);
    let o = run(sigdiff()
        .env(env.0, env.1)
        .args(["verify", "--json"])
        .args(args)
        .args(["--request", f.path().to_str().unwrap()]));
    let v = serde_json::from_str(o.stdout.trim()).unwrap_or(Value::Null);
    (o.code, v, o.stderr)
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

// ------------------------------------------------------------------ vectors

#[test]
fn p1_sign_from_object_and_from_base64() {
    // serde_json's maps sort keys: the object goes into the spec text as written.
    for policy in [P1_JSON.to_string(), format!("\"{P1_B64}\"")] {
        let spec = format!(
            r#"{{"scheme": "oss-post", "bucket": "examplebucket", "endpoint": "oss-cn-hangzhou.aliyuncs.com",
            "time": "2023-12-03T12:12:12Z", "policy": {policy}, "form": [["key", "user/eric/a.txt"]],
            "credentials": {{"access_key_id": "{OSS_AK}", "access_key_secret": "{OSS_SK}"}}}}"#
        );
        let r = sign_spec(
            &RequestSpec::from_json(&spec).unwrap(),
            &SignOptions::default(),
        )
        .unwrap();
        assert_eq!(r.signature, P1_SIG);
        assert_eq!(r.string_to_sign, P1_B64);
        let p = r.post.as_ref().unwrap();
        assert_eq!(p.policy.json, P1_JSON);
        assert_eq!(p.policy.base64, P1_B64);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let names: Vec<&str> = p.form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["key", "policy", "OSSAccessKeyId", "Signature"]);
        assert_eq!(r.url, "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/");
    }
}

#[test]
fn p2_sign_v4() {
    let spec = json!({"scheme": "oss-post-v4", "bucket": "examplebucket", "endpoint": "oss-cn-hangzhou.aliyuncs.com",
        "time": "2023-12-03T12:12:12Z", "policy": P2_B64,
        "credentials": {"access_key_id": OSS_AK, "access_key_secret": OSS_SK}});
    let r = sign_spec(
        &RequestSpec::from_json(&spec.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap();
    assert_eq!(r.signature, P2_SIG);
    let form = &r.post.as_ref().unwrap().form;
    let get = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(get("x-oss-signature-version"), Some("OSS4-HMAC-SHA256"));
    assert_eq!(get("x-oss-credential"), Some(P2_CRED));
    assert_eq!(get("x-oss-date"), Some("20231203T121212Z"));
    assert_eq!(get("x-oss-signature"), Some(P2_SIG));
    // No endpoint: the region comes from the policy's x-oss-credential.
    let spec = json!({"scheme": "oss-post-v4", "time": "2023-12-03T12:12:12Z", "policy": P2_B64,
        "credentials": {"access_key_id": OSS_AK, "access_key_secret": OSS_SK}});
    let r = sign_spec(
        &RequestSpec::from_json(&spec.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap();
    assert_eq!(r.signature, P2_SIG);
    assert_eq!(r.url, "");
}

#[test]
fn v11_sign_cos() {
    let spec = json!({"scheme": "cos-post", "policy": V11_B64, "key_time": V11_KT,
        "credentials": {"access_key_id": COS_AK, "access_key_secret": COS_SK}});
    let r = sign_spec(
        &RequestSpec::from_json(&spec.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap();
    assert_eq!(r.signature, V11_SIG);
    assert_eq!(r.string_to_sign, V11_STS);
    let p = r.post.as_ref().unwrap();
    assert_eq!(p.policy.json_bytes, 555);
    let tail: Vec<(&str, &str)> = p
        .form
        .iter()
        .skip(1)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            ("q-sign-algorithm", "sha1"),
            ("q-ak", COS_AK),
            ("q-key-time", V11_KT),
            ("q-signature", V11_SIG)
        ]
    );
    // With STS the token field is added.
    let spec = json!({"scheme": "cos-post", "policy": V11_B64, "key_time": V11_KT,
        "credentials": {"access_key_id": COS_AK, "access_key_secret": COS_SK, "security_token": "tok"}});
    let r = sign_spec(
        &RequestSpec::from_json(&spec.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap();
    assert!(r
        .post
        .unwrap()
        .form
        .contains(&("x-cos-security-token".into(), "tok".into())));
}

// ------------------------------------------------------------------ verify (CLI)

#[test]
fn verify_p1_multipart_crlf_match_and_binary_file() {
    let req = raw_post(
        OSS_HOST,
        &body(
            &p1_fields("user/eric/${filename}"),
            Some(b"\x00\xff\xfe png"),
            &[],
            "\r\n",
        ),
    );
    let (code, v, err) = verify_json(&["--now", OSS_NOW], &req, ("OSS_ACCESS_KEY_SECRET", OSS_SK));
    assert_eq!(code, 0, "{v} {err}");
    assert_eq!(v["verdict"], "match");
    assert_eq!(v["scheme"], "oss-post");
    assert_eq!(v["conditions"][2]["found"], "user/eric/photo.png");
    assert!(codes(&v).is_empty(), "{v}");
}

#[test]
fn verify_p2_v4_match_and_wrong_secret() {
    let req = raw_post(OSS_HOST, &body(&p2_fields(), Some(b"data"), &[], "\r\n"));
    let (code, v, _) = verify_json(&["--now", OSS_NOW], &req, ("OSS_ACCESS_KEY_SECRET", OSS_SK));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["scheme"], "oss-post-v4");
    assert_eq!(v["key_inputs"], "20231203/cn-hangzhou/oss");
    let (code, v, _) = verify_json(
        &["--now", OSS_NOW],
        &req,
        ("OSS_ACCESS_KEY_SECRET", "wrong"),
    );
    assert_eq!(code, 1);
    assert!(codes(&v).contains(&"SIG500".to_string()), "{v}");
}

#[test]
fn verify_v11_cos_match_and_q_ak_mismatch() {
    let req = raw_post(COS_HOST, &body(&v11_fields(), Some(b"img"), &[], "\r\n"));
    let (code, v, _) = verify_json(&["--now", COS_NOW], &req, ("COS_SECRET_KEY", COS_SK));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["string_to_sign"], V11_STS);
    assert_eq!(v["computed_signature"], V11_SIG);
    // The form names another SecretId: the policy's q-ak condition fails, in COS's words.
    let mut f = v11_fields();
    f[7] = ("q-ak", "AKIDother");
    let req = raw_post(COS_HOST, &body(&f, Some(b"img"), &[], "\r\n"));
    let (code, v, _) = verify_json(&["--now", COS_NOW], &req, ("COS_SECRET_KEY", COS_SK));
    assert_eq!(code, 1);
    let f505 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SIG505")
        .unwrap();
    assert!(
        f505["message"].as_str().unwrap().contains(&format!(
            "Condition key q-ak doesn't match the value {COS_AK}"
        )),
        "{f505}"
    );
}

#[test]
fn verify_har_and_json_spec() {
    let params: Vec<Value> = p1_fields("user/eric/x.txt")
        .into_iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .chain([json!({"name": "file", "fileName": "x.txt", "contentType": "text/plain"})])
        .collect();
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://www.example.com/", "headers": []}},
        {"request": {"method": "POST", "url": format!("https://{OSS_HOST}/"), "headers": [],
          "postData": {"mimeType": "multipart/form-data; boundary=x", "params": params}}}]}});
    let (code, v, _) = verify_json(
        &["--now", OSS_NOW],
        har.to_string().as_bytes(),
        ("OSS_ACCESS_KEY_SECRET", OSS_SK),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "match");
    // The HAR has no file content: content-length-range is reported unchecked.
    assert!(codes(&v).contains(&"SIG512".to_string()), "{v}");
    // The form fields as a JSON spec (with the secret in it).
    let spec = json!({"scheme": "oss-post", "bucket": "examplebucket",
        "form": p1_fields("user/eric/x.txt").into_iter().chain([("file", "hello")]).collect::<Vec<_>>(),
        "credentials": {"access_key_secret": OSS_SK}});
    let (code, v, _) = verify_json(&["--now", OSS_NOW], spec.to_string().as_bytes(), ("X", "y"));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "match");
    // Without a secret: unverified, exit 0.
    let spec = json!({"form": p1_fields("user/eric/x.txt").into_iter().chain([("file", "hello")]).collect::<Vec<_>>(), "bucket": "examplebucket"});
    let (code, v, _) = verify_json(&["--now", OSS_NOW], spec.to_string().as_bytes(), ("X", "y"));
    assert_eq!(
        (code, v["verdict"].as_str()),
        (0, Some("unverified")),
        "{v}"
    );
    assert!(codes(&v).contains(&"SIG501".to_string()));
}

#[test]
fn verify_human_output_words() {
    let req = raw_post(
        OSS_HOST,
        &body(
            &p1_fields("other/a.txt"),
            Some(b""),
            &[("x-oss-meta-a", "1")],
            "\n",
        ),
    );
    let f = file(&req);
    let o = run(sigdiff().env("OSS_ACCESS_KEY_SECRET", OSS_SK).args([
        "verify",
        "--now",
        "2023-12-03T14:00:00Z",
        "--request",
        f.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 1, "{}", o.stdout);
    for want in [
        "verdict: MISMATCH",
        "Invalid according to Policy: Policy expired.",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\",\"$key\",\"user/eric/\"]",
        "the file is 0 bytes, outside content-length-range 1..=1024",
        "SIG507",
        "SIG514",
    ] {
        assert!(o.stdout.contains(want), "missing {want}:\n{}", o.stdout);
    }
}

// ------------------------------------------------------------------ sign (CLI)

#[test]
fn sign_cli_text_and_json() {
    let spec = format!(
        r#"{{"scheme": "oss-post", "bucket": "examplebucket", "endpoint": "oss-cn-hangzhou.aliyuncs.com",
        "time": "2023-12-03T12:12:12Z", "policy": {P1_JSON},
        "form": [["key", "user/eric/a.txt"], ["file", "hello"]],
        "credentials": {{"access_key_id": "{OSS_AK}"}}}}"#
    );
    let f = file(spec.as_bytes());
    let o = run(sigdiff().env("OSS_ACCESS_KEY_SECRET", OSS_SK).args([
        "sign",
        "--request",
        f.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Form fields to post"), "{}", o.stdout);
    assert!(o.stdout.contains(&format!("Signature: {P1_SIG}")));
    assert!(o.stdout.contains("compacted by sigdiff"));
    let o = run(sigdiff().env("OSS_ACCESS_KEY_SECRET", OSS_SK).args([
        "sign",
        "--json",
        "--request",
        f.path().to_str().unwrap(),
    ]));
    let v: Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert_eq!(v["policy"]["origin"], "object-compacted");
    assert_eq!(v["form"].as_array().unwrap().last().unwrap()[0], "file");
    // --scheme on the command line, COS, through --jsonl.
    let line = json!({"id": 7, "policy": V11_B64, "key_time": V11_KT,
        "credentials": {"access_key_id": COS_AK, "access_key_secret": COS_SK}});
    let f = file(format!("{line}\n").as_bytes());
    let o = run(sigdiff().args([
        "sign",
        "--scheme",
        "cos-post",
        "--jsonl",
        f.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stdout);
    let v: Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert_eq!(v["signature"], V11_SIG);
    assert_eq!(v["id"], 7);
}

#[test]
fn sign_warns_when_the_form_breaks_its_policy() {
    let spec = json!({"scheme": "oss-post", "bucket": "examplebucket", "endpoint": "oss-cn-hangzhou.aliyuncs.com",
        "time": "2023-12-03T12:12:12Z", "policy": P1_B64, "form": [["key", "elsewhere/a.txt"]],
        "credentials": {"access_key_id": OSS_AK, "access_key_secret": OSS_SK}});
    let r = sign_spec(
        &RequestSpec::from_json(&spec.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap();
    assert_eq!(r.signature, P1_SIG);
    let w = &r.post.unwrap().warnings;
    assert!(w.iter().any(|x| x.starts_with("SIG503")), "{w:?}");
}

// ------------------------------------------------------------------ malformed input: exit 2

#[test]
fn malformed_policies_exit_2() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let cases: Vec<(String, &str)> = vec![
        ("eyJ-eA==".to_string(), "URL-safe"),
        ("eyJleA".to_string(), "multiple of 4"),
        (b64("{\"expiration\":"), "not valid JSON"),
        (b64("[1,2]"), "must be a JSON object"),
        (
            b64(r#"{"expiration":1,"conditions":[]}"#),
            "`expiration` must be a string",
        ),
        (
            b64(r#"{"expiration":"2030-01-01T00:00:00Z","conditions":[["eq","$key",1]]}"#),
            "conditions[0]",
        ),
    ];
    for (policy, want) in &cases {
        // verify: the form fields as JSON
        let spec =
            json!({"form": [["policy", policy], ["OSSAccessKeyId", "ak"], ["Signature", "x"]]});
        let f = file(spec.to_string().as_bytes());
        let o = run(sigdiff().args([
            "verify",
            "--now",
            OSS_NOW,
            "--request",
            f.path().to_str().unwrap(),
        ]));
        assert_eq!(o.code, 2, "{policy}: {}", o.stdout);
        assert!(
            o.stderr.contains(want) && o.stderr.contains("policy"),
            "{want}: {}",
            o.stderr
        );
        // verify: a multipart body
        let req = raw_post(
            OSS_HOST,
            &body(
                &[
                    ("policy", policy),
                    ("OSSAccessKeyId", "ak"),
                    ("Signature", "x"),
                ],
                Some(b"x"),
                &[],
                "\r\n",
            ),
        );
        let f = file(&req);
        let o = run(sigdiff().args([
            "verify",
            "--now",
            OSS_NOW,
            "--request",
            f.path().to_str().unwrap(),
        ]));
        assert_eq!(o.code, 2, "{policy}: {}", o.stdout);
        assert!(o.stderr.contains(want), "{want}: {}", o.stderr);
        // sign: the Base64 string in the spec
        let spec = json!({"scheme": "oss-post", "policy": policy, "credentials": {"access_key_id": "ak", "access_key_secret": "sk"}});
        let f = file(spec.to_string().as_bytes());
        let o = run(sigdiff().args(["sign", "--request", f.path().to_str().unwrap()]));
        assert_eq!(o.code, 2);
        assert!(
            o.stderr.contains(want) && o.stderr.contains("field `policy`"),
            "{want}: {}",
            o.stderr
        );
    }
    // sign: a policy object of the wrong shape, and a policy of the wrong JSON type.
    for (policy, want) in [
        (
            json!({"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", "1", 5]]}),
            "non-negative integer",
        ),
        (
            json!({"expiration": "2030-01-01T00:00:00Z", "conditions": "x"}),
            "`conditions` must be an array",
        ),
        (json!(42), "must be the policy object or its Base64 text"),
    ] {
        let spec = json!({"scheme": "cos-post", "policy": policy, "credentials": {"access_key_id": "ak", "access_key_secret": "sk"}});
        let f = file(spec.to_string().as_bytes());
        let o = run(sigdiff().args(["sign", "--request", f.path().to_str().unwrap()]));
        assert_eq!(o.code, 2);
        assert!(o.stderr.contains(want), "{want}: {}", o.stderr);
    }
    // A malformed body names where.
    let req = raw_post(OSS_HOST, b"--other\r\n\r\n");
    let f = file(&req);
    let o = run(sigdiff().args(["verify", "--request", f.path().to_str().unwrap()]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("delimiter") && o.stderr.contains("body byte"),
        "{}",
        o.stderr
    );
    // A post scheme without a body.
    let o = run(sigdiff().args([
        "verify",
        "--scheme",
        "oss-post",
        &format!("https://{OSS_HOST}/"),
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("form upload"), "{}", o.stderr);
}

// ------------------------------------------------------------------ every condition kind

const ALL_KINDS: &str = r#"{"expiration":"2030-01-01T00:00:00.000Z","conditions":[
  {"bucket":"examplebucket"},
  {"acl":"private"},
  ["eq","$success_action_status","201"],
  ["starts-with","$key","user/"],
  ["in","$content-type",["image/png","image/jpeg"]],
  ["not-in","$cache-control",["no-cache"]],
  ["content-length-range",1,10]]}"#;

fn form(pairs: &[(&str, &str)], size: Option<u64>) -> UploadForm {
    let mut f = UploadForm::from_pairs(
        &pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>(),
    );
    f.file = size.map(|n| sigdiff::post::FileInfo {
        filename: Some("a.png".into()),
        size: Some(n),
        content_type: None,
    });
    f
}

fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("ACL", "private"), // field names are case-insensitive
        ("success_action_status", "201"),
        ("key", "user/${filename}"),
        ("Content-Type", "image/png"),
        ("Cache-Control", "max-age=1"),
    ]
}

#[test]
fn every_condition_kind_passes_and_fails() {
    let p = Policy::from_object_text(ALL_KINDS, "policy").unwrap();
    let now = 1_700_000_000;
    let r = evaluate(
        &p,
        &form(&good(), Some(5)),
        SchemeId::OssPost,
        Some("examplebucket"),
        now,
    );
    assert!(r.iter().all(|x| x.status == Status::Pass), "{r:#?}");
    // One mutation per condition; each fails exactly that condition.
    #[allow(clippy::type_complexity)]
    let cases: Vec<(
        usize,
        Vec<(&str, &str)>,
        Option<u64>,
        Option<&str>,
        i64,
        &str,
    )> = vec![
        (0, good(), Some(5), Some("elsewhere"), now, "SIG503"),
        (
            1,
            vec![("acl", "public-read")],
            Some(5),
            Some("examplebucket"),
            now,
            "SIG503",
        ),
        (
            2,
            vec![("success_action_status", "200")],
            Some(5),
            Some("examplebucket"),
            now,
            "SIG503",
        ),
        (
            3,
            vec![("key", "other/x")],
            Some(5),
            Some("examplebucket"),
            now,
            "SIG503",
        ),
        (
            4,
            vec![("content-type", "text/html")],
            Some(5),
            Some("examplebucket"),
            now,
            "SIG503",
        ),
        (
            5,
            vec![("cache-control", "no-cache")],
            Some(5),
            Some("examplebucket"),
            now,
            "SIG503",
        ),
        (6, vec![], Some(11), Some("examplebucket"), now, "SIG504"),
        (6, vec![], Some(0), Some("examplebucket"), now, "SIG504"),
        (
            usize::MAX,
            vec![],
            Some(5),
            Some("examplebucket"),
            1_900_000_000,
            "SIG502",
        ),
    ];
    for (idx, changes, size, bucket, t, code) in cases {
        let mut fields = good();
        for (k, v) in &changes {
            let i = fields
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(k))
                .unwrap();
            fields[i].1 = v;
        }
        let r = evaluate(&p, &form(&fields, size), SchemeId::OssPost, bucket, t);
        let failed: Vec<_> = r.iter().filter(|x| x.status == Status::Fail).collect();
        assert_eq!(failed.len(), 1, "{idx}: {failed:#?}");
        assert_eq!(failed[0].code, Some(code));
        if idx != usize::MAX {
            assert_eq!(failed[0].index, Some(idx));
            assert!(failed[0]
                .server_message
                .as_deref()
                .unwrap()
                .starts_with("Invalid according to Policy: Policy Condition failed: "));
        } else {
            assert_eq!(
                failed[0].server_message.as_deref(),
                Some("Invalid according to Policy: Policy expired.")
            );
        }
    }
    // A missing field fails its condition; an unknown bucket / file size is unchecked.
    let r = evaluate(&p, &form(&good()[1..], None), SchemeId::OssPost, None, now);
    assert_eq!(r[2].status, Status::Fail); // acl absent
    assert_eq!(r[1].status, Status::Unchecked); // bucket
    assert_eq!(r[7].status, Status::Unchecked); // no file in a form given as pairs
    let mut no_file = form(&good(), None);
    no_file.from_body = true;
    let r = evaluate(&p, &no_file, SchemeId::OssPost, None, now);
    assert_eq!((r[7].status, r[7].code), (Status::Fail, Some("SIG506"))); // a body without a file
                                                                          // COS wording.
    let r = evaluate(
        &p,
        &form(&[("acl", "x")], Some(5)),
        SchemeId::CosPost,
        Some("examplebucket"),
        now,
    );
    assert!(r.iter().any(|x| x.server_message.as_deref()
        == Some("Condition key acl doesn't match the value private")));
    let r = evaluate(
        &p,
        &form(&good(), Some(5)),
        SchemeId::CosPost,
        Some("examplebucket"),
        1_900_000_000,
    );
    assert!(r[0].server_message.as_deref().unwrap().starts_with("You post object request has been expired, expiration time: 1893456000 but the time now : 1900000000"));
}

#[test]
fn required_signature_fields_in_the_policy() {
    // A V4 form whose policy pins nothing: three SIG505 (plus the token with STS).
    let p = Policy::from_object_text(
        r#"{"expiration":"2030-01-01T00:00:00Z","conditions":[]}"#,
        "p",
    )
    .unwrap();
    let f = form(
        &[
            ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
            ("x-oss-credential", P2_CRED),
            ("x-oss-date", "20231203T121212Z"),
            ("x-oss-security-token", "t"),
        ],
        Some(1),
    );
    let r = evaluate(&p, &f, SchemeId::OssPostV4, None, 0);
    let req: Vec<_> = r
        .iter()
        .filter(|x| x.code == Some("SIG505"))
        .map(|x| x.field.clone().unwrap())
        .collect();
    assert_eq!(
        req,
        [
            "x-oss-signature-version",
            "x-oss-credential",
            "x-oss-date",
            "x-oss-security-token"
        ]
    );
    // COS: q-sign-time in the policy is compared with the form's q-key-time.
    let p = Policy::from_object_text(r#"{"expiration":"2030-01-01T00:00:00Z","conditions":[{"q-sign-algorithm":"sha1"},{"q-ak":"a"},{"q-sign-time":"1;2"}]}"#, "p").unwrap();
    let ok = form(
        &[
            ("q-sign-algorithm", "sha1"),
            ("q-ak", "a"),
            ("q-key-time", "1;2"),
        ],
        Some(1),
    );
    assert!(evaluate(&p, &ok, SchemeId::CosPost, None, 0)
        .iter()
        .all(|x| x.status != Status::Fail));
    let bad = form(
        &[
            ("q-sign-algorithm", "sha1"),
            ("q-ak", "a"),
            ("q-key-time", "1;3"),
        ],
        Some(1),
    );
    let r = evaluate(&p, &bad, SchemeId::CosPost, None, 0);
    let f = r.iter().find(|x| x.status == Status::Fail).unwrap();
    assert_eq!(f.code, Some("SIG505"));
    assert_eq!(
        f.server_message.as_deref(),
        Some("Condition key q-sign-time doesn't match the value 1;2")
    );
}

// ------------------------------------------------------------------ diagnosis

#[test]
fn cos_mistakes_are_reproduced() {
    use sha1::{Digest, Sha1};
    // A client that hashed the Base64 text instead of the JSON (cos-signing.md §6 V11 note).
    let wrong_sts = hex(&Sha1::digest(V11_B64.as_bytes()));
    assert_eq!(wrong_sts, "2d648489162ced74c5258e71818fdf0e6532f12c");
    let sk = Secret::new(COS_SK);
    let wrong_sig = sigdiff::post::cos_post::signature(&sk, V11_KT, &wrong_sts);
    let mut f = v11_fields();
    f[9] = ("q-signature", &wrong_sig);
    let up = Upload {
        form: form(&f, Some(3)),
        bucket: Some("examplebucket-1250000000".into()),
        ..Default::default()
    };
    let o = VerifyOptions {
        now: 1567150700,
        secrets: vec![sk],
        ..Default::default()
    };
    let r = verify_upload(&up, &o).unwrap();
    assert_eq!(r.verdict, Verdict::Mismatch);
    let f511 = r
        .findings
        .iter()
        .find(|f| f.code == "SIG511")
        .expect("SIG511");
    assert!(
        f511.reproduces && f511.message.contains("SHA1 of the Base64 text"),
        "{f511:?}"
    );
}

#[test]
fn oss_signing_the_json_is_reproduced() {
    let sk = Secret::new(OSS_SK);
    let wrong = sigdiff::post::oss_post::v1_signature(&sk, P1_JSON);
    let mut f = p1_fields("user/eric/a");
    f[3] = ("Signature", &wrong);
    let up = Upload {
        form: form(&f, Some(3)),
        bucket: Some("examplebucket".into()),
        ..Default::default()
    };
    let o = VerifyOptions {
        now: 1701605532,
        secrets: vec![Secret::new("nope"), sk],
        ..Default::default()
    };
    // The mistake is diagnosed with the first secret: give the right one alone.
    let r = verify_upload(
        &up,
        &VerifyOptions {
            secrets: o.secrets[1..].to_vec(),
            ..o.clone()
        },
    )
    .unwrap();
    let f511 = r
        .findings
        .iter()
        .find(|f| f.code == "SIG511")
        .expect("SIG511");
    assert!(f511.message.contains("policy JSON itself"), "{f511:?}");
    // And a second secret that matches is named (SIG035).
    let mut ok = p1_fields("user/eric/a");
    ok[3] = ("Signature", P1_SIG);
    let up = Upload {
        form: form(&ok, Some(3)),
        bucket: Some("examplebucket".into()),
        ..Default::default()
    };
    let r = verify_upload(&up, &o).unwrap();
    assert_eq!(r.verdict, Verdict::Match);
    assert!(r.findings.iter().any(|f| f.code == "SIG035"));
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

// ------------------------------------------------------------------ explain tie-in

#[test]
fn explain_points_to_the_checks() {
    let h = sigdiff::post::explain_policy_error(
        "Invalid according to Policy: Policy Condition failed: [\"eq\",\"$key\",\"a\"]",
    )
    .unwrap();
    assert!(h.codes.contains(&"SIG503"));
    assert!(
        sigdiff::post::explain_policy_error("Invalid according to Policy: Policy expired.")
            .unwrap()
            .codes
            .contains(&"SIG502")
    );
}

// ------------------------------------------------------------------ never a panic

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn multipart_never_panics(b in proptest::collection::vec(prop_oneof![
        Just(b"--b".to_vec()), Just(b"\r\n".to_vec()), Just(b"\n".to_vec()), Just(b"--".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"".to_vec()), Just(b"\"; filename=\"".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..6)], 0..30)) {
        let body: Vec<u8> = b.concat();
        let _ = sigdiff::post::multipart::parse_with_boundary("b", &body);
        let _ = sigdiff::post::capture::read(&raw_post(OSS_HOST, &body), "x", None);
    }

    #[test]
    fn policy_never_panics(s in "[A-Za-z0-9+/=_\\-\n%{}\"]{0,40}", raw in proptest::collection::vec(any::<u8>(), 0..60)) {
        let _ = Policy::from_base64(&s, "p");
        use base64::Engine;
        let _ = Policy::from_base64(&base64::engine::general_purpose::STANDARD.encode(&raw), "p");
        let _ = Policy::from_object_text(&String::from_utf8_lossy(&raw), "p");
    }

    #[test]
    fn policy_json_shapes_never_panic(conds in proptest::collection::vec(prop_oneof![
        Just(json!({"k": "v"})), Just(json!(["eq", "$k", "v"])), Just(json!(["starts-with", "$k", 1])),
        Just(json!(["in", "$k", ["a", 2]])), Just(json!(["content-length-range", 5, 1])), Just(json!([])),
        Just(json!(null)), Just(json!({"a": {"b": 1}})), Just(json!(["content-length-range", 1.5, 2]))], 0..5),
        exp in prop_oneof![Just(json!("2030-01-01T00:00:00Z")), Just(json!("nonsense")), Just(json!(5))]) {
        let text = json!({"expiration": exp, "conditions": conds}).to_string();
        if let Ok(p) = Policy::from_object_text(&text, "p") {
            let _ = evaluate(&p, &form(&[("k", "v")], Some(1)), SchemeId::CosPost, None, 0);
        }
    }
}
