//! The `sigdiff` binary on OSS V4: sign (header, URL), verify (request, presigned
//! URL, --server-error with a V4 error body, --string-to-sign with a client's
//! canonical request), exit codes 0/1/2, bad input. Expected values: oss-signing.md §9.2.

use assert_cmd::Command;
use std::io::Write;

const U1_SIG: &str = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";
const U1_CR: &str = "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD";
const U1_STS: &str = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";

fn bin() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    c.env_remove("OSS_ACCESS_KEY_SECRET")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        .env_remove("OSS_ACCESS_KEY_ID")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .env_remove("OSS_SESSION_TOKEN")
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("LANG", "C")
        .arg("--color")
        .arg("never");
    c
}

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    p.to_string_lossy().into_owned()
}

/// U1 as sent (raw HTTP), with the official Authorization.
fn u1_http(auth_sig: &str, content_type: &str) -> String {
    format!(
        "PUT /1234%2B-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2 HTTP/1.1\r\n\
Host: bucket.oss-cn-hangzhou.aliyuncs.com\r\n\
x-oss-head1: value\r\nabc: value\r\nZAbc: value\r\nXYZ: value\r\n\
content-type: {content_type}\r\n\
x-oss-content-sha256: UNSIGNED-PAYLOAD\r\n\
x-oss-date: 20231216T162057Z\r\n\
Date: Sat, 16 Dec 2023 16:20:57 GMT\r\n\
Authorization: OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature={auth_sig}\r\n\r\n"
    )
}

/// The error body is XML: `&` in a canonical query is `&amp;` there.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn sign_header_form_u1() {
    let d = tempfile::tempdir().unwrap();
    let spec = file(
        &d,
        "u1.json",
        r#"{"scheme":"oss-v4","method":"PUT","bucket":"bucket","key":"1234+-/123/1.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com",
      "headers":[["x-oss-head1","value"],["abc","value"],["ZAbc","value"],["XYZ","value"],["content-type","text/plain"],["x-oss-content-sha256","UNSIGNED-PAYLOAD"]],
      "query":[["param1","value1"],["+param1","value3"],["|param1","value4"],["+param2",null],["|param2",null],["param2",null]],
      "credentials":{"access_key_id":"ak"},"time":1702743657}"#,
    );
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args(["sign", "--json", "--request", &spec])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{se}");
    let v: serde_json::Value = serde_json::from_str(so.trim()).unwrap();
    assert_eq!(v["signature"], U1_SIG);
    assert_eq!(v["canonical_request"], U1_CR);
    assert_eq!(v["string_to_sign"], U1_STS);
    assert!(!so.contains("\"sk\""));
}

#[test]
fn sign_presigned_url_u5_with_cli_region_and_verify_it() {
    // §9.2 U5 through curl-style arguments, region from --region, expiry from --expires.
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .env("OSS_ACCESS_KEY_ID", "ak")
        .args([
            "sign", "--scheme", "oss-v4-url", "--time", "1702781677", "--expires", "599",
            "--region", "cn-hangzhou", "-X", "PUT",
            "-H", "x-oss-head1: value", "-H", "abc: value", "-H", "content-type: application/octet-stream",
            "https://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2",
            "--json",
        ])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{se}");
    let v: serde_json::Value = serde_json::from_str(so.trim()).unwrap();
    assert_eq!(
        v["signature"],
        "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"
    );
    let url = v["url"].as_str().unwrap().to_string();
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--now",
            "1702781700",
            "-X",
            "PUT",
            "-H",
            "x-oss-head1: value",
            "-H",
            "content-type: application/octet-stream",
            &url,
        ])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    assert!(so.contains("MATCH"), "{so}");
}

#[test]
fn verify_go1_presigned_url_exactly_as_published() {
    // §9.2 U5: GO1's URL, key slashes sent as %2F (§1.3), params in raw-name order.
    let url = "http://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-%2F123%2F1.txt?%2Bparam1=value3&%2Bparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature=a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe&x-oss-signature-version=OSS4-HMAC-SHA256&%7Cparam1=value4&%7Cparam2";
    let base = |secret: &str, now: &str| {
        bin()
            .env("OSS_ACCESS_KEY_SECRET", secret)
            .args([
                "verify",
                "--now",
                now,
                "-X",
                "PUT",
                "-H",
                "x-oss-head1: value",
                "-H",
                "abc: value",
                "-H",
                "content-type: application/octet-stream",
                url,
            ])
            .output()
            .unwrap()
    };
    let o = base("sk", "1702781677");
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    assert!(so.contains("verdict: MATCH"));
    // Wrong secret: exit 1, localised to the secret.
    let o = base("sk2", "1702781677");
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(so.contains("SIG001") && so.contains("SIG242"), "{so}");
    assert!(!so.contains("sk2"));
    // An hour later: expired (SIG205).
    let o = base("sk", "1702785277");
    assert!(out(&o).0.contains("SIG205"));
}

#[test]
fn verify_header_form_exit_codes() {
    let d = tempfile::tempdir().unwrap();
    let good = file(&d, "good.http", &u1_http(U1_SIG, "text/plain"));
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args(["verify", "--now", "1702743657", "--request", &good])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    assert!(so.contains("header:x-oss-date"));
    // JSON: the canonical request is the server column; verdict match.
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--json",
            "--now",
            "1702743657",
            "--request",
            &good,
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(out(&o).0.trim()).unwrap();
    assert_eq!(v["verdict"], "match");
    assert_eq!(v["string_to_sign"], U1_CR);
    assert_eq!(v["stage"], "canonical-request");
    // A changed Content-Type: exit 1.
    let bad = file(&d, "bad.http", &u1_http(U1_SIG, "text/html"));
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args(["verify", "--now", "1702743657", "--request", &bad])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    // Skewed clock: SIG204.
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args(["verify", "--now", "1702753657", "--request", &good])
        .output()
        .unwrap();
    assert!(out(&o).0.contains("SIG204"));
}

#[test]
fn verify_against_v4_server_error_body() {
    // The client signed text/plain; a proxy rewrote Content-Type on the way, so the
    // server's CanonicalRequest (and the request captured at the server side) differ.
    let d = tempfile::tempdir().unwrap();
    let req = file(&d, "sent.http", &u1_http(U1_SIG, "text/plain"));
    let server_cr = U1_CR.replace(
        "content-type:text/plain",
        "content-type:text/plain;charset=utf-8",
    );
    let server_sts = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n0000000000000000000000000000000000000000000000000000000000000000";
    let server_cr = xml_escape(&server_cr);
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n  <RequestId>657DCF4E6B6B2B3934A1B2C3</RequestId>\n  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <OSSAccessKeyId>ak</OSSAccessKeyId>\n  <SignatureProvided>{U1_SIG}</SignatureProvided>\n  <CanonicalRequest>{server_cr}</CanonicalRequest>\n  <StringToSign>{server_sts}</StringToSign>\n  <EC>0002-00000201</EC>\n</Error>\n");
    let err = file(&d, "error.xml", &body);
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--json",
            "--now",
            "1702743657",
            "--request",
            &req,
            "--server-error",
            &err,
        ])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{so}{se}");
    let v: serde_json::Value = serde_json::from_str(so.trim()).unwrap();
    assert_eq!(v["server_source"], "server-error");
    let rows = v["fields"].as_array().unwrap();
    let diff: Vec<&str> = rows
        .iter()
        .filter(|r| r["same"] == false)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(diff, ["header:content-type"]);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"SIG005"), "{codes:?}");
    // The StringToSign digest differs only as a consequence: not reported as SIG240.
    assert!(!codes.contains(&"SIG240"), "{codes:?}");
    assert_eq!(v["second_stage"]["stage"], "string-to-sign");

    // A server StringToSign with another scope region: SIG240 names the scope.
    let cr_hash = "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";
    let body2 = format!("<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>{}</CanonicalRequest><StringToSign>OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-shanghai/oss/aliyun_v4_request\n{cr_hash}</StringToSign><EC>0002-00000201</EC></Error>", xml_escape(U1_CR));
    let err2 = file(&d, "error2.xml", &body2);
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--now",
            "1702743657",
            "--request",
            &req,
            "--server-error",
            &err2,
        ])
        .output()
        .unwrap();
    let (so, _) = out(&o);
    assert!(so.contains("SIG240") && so.contains("[scope]"), "{so}");
}

#[test]
fn verify_with_client_canonical_request_from_its_log() {
    // The client's log shows it did not encode `+` in the URI (a hand-written signer).
    let d = tempfile::tempdir().unwrap();
    let client_cr = U1_CR.replace("/bucket/1234%2B-/123/1.txt", "/bucket/1234+-/123/1.txt");
    let log = file(&d, "client-cr.txt", &format!("{client_cr}\n"));
    let req = file(
        &d,
        "sent.http",
        &u1_http(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "text/plain",
        ),
    );
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--now",
            "1702743657",
            "--request",
            &req,
            "--string-to-sign",
            &log,
        ])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{so}{se}");
    assert!(
        so.contains("SIG003") && so.contains("canonical-uri"),
        "{so}"
    );
    // The same text as the server's: exit 0 with the right signature.
    let log = file(&d, "client-ok.txt", U1_CR);
    let req = file(&d, "ok.http", &u1_http(U1_SIG, "text/plain"));
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "verify",
            "--now",
            "1702743657",
            "--request",
            &req,
            "--string-to-sign",
            &log,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).0);
}

#[test]
fn bad_input_is_exit_2_with_a_message() {
    let url = "https://bucket.oss-cn-hangzhou.aliyuncs.com/k";
    for (auth, needle) in [
        ("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request", "Signature"),
        ("OSS4-HMAC-SHA256 Signature=abc", "Credential"),
        ("OSS4-HMAC-SHA256 Credential=ak/2023-12-16/cn-hangzhou/oss/aliyun_v4_request,Signature=abc", "yyyymmdd"),
        ("OSS4-HMAC-SHA256 Credential=ak/20231216/oss/aliyun_v4_request,Signature=abc", "credential"),
        ("OSS4-HMAC-SHA256 Credential", "="),
    ] {
        let o = bin()
            .env("OSS_ACCESS_KEY_SECRET", "sk")
            .args(["verify", "--now", "1702743657", "-H", &format!("Authorization: {auth}"), "-H", "x-oss-date: 20231216T162057Z", url])
            .output()
            .unwrap();
        let (so, se) = out(&o);
        assert_eq!(o.status.code(), Some(2), "{auth}: {so}{se}");
        assert!(se.starts_with("sigdiff: error: ") && se.contains(needle), "{auth}: {se}");
        assert!(!se.contains("panicked") && !se.contains("internal error"), "{se}");
    }
    // Presigned URL without x-oss-signature.
    let o = bin()
        .args(["verify", "--now", "1702743657", "https://bucket.oss-cn-hangzhou.aliyuncs.com/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231216%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("0002-00000219"));
    // Signing with a malformed x-oss-date header, or without any region.
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "sign",
            "--scheme",
            "oss-v4",
            "--time",
            "1702743657",
            "-H",
            "x-oss-date: yesterday",
            url,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("x-oss-date"));
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "sign",
            "--scheme",
            "oss-v4",
            "--time",
            "1702743657",
            "--bucket",
            "b",
            "https://img.example.com/k",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("region"));
    // A V4 URL valid for more than 7 days.
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args([
            "sign",
            "--scheme",
            "oss-v4-url",
            "--time",
            "1702743657",
            "--expires",
            "604801",
            url,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("604800"));
}

#[test]
fn malformed_x_oss_date_in_verify_is_a_finding() {
    let d = tempfile::tempdir().unwrap();
    let req = file(
        &d,
        "r.http",
        &u1_http(U1_SIG, "text/plain").replace(
            "x-oss-date: 20231216T162057Z",
            "x-oss-date: Sat, 16 Dec 2023 16:20:57 GMT",
        ),
    );
    let o = bin()
        .env("OSS_ACCESS_KEY_SECRET", "sk")
        .args(["verify", "--now", "1702743657", "--request", &req])
        .output()
        .unwrap();
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(so.contains("SIG203") && so.contains("RFC 1123"), "{so}");
}
