//! The `sigdiff` binary on COS requests: every input form, every exit code, bad
//! input. Expected signatures are the spec's (cos-signing.md §6); requests built
//! here are inputs, never expected values.

use assert_cmd::Command;
use serde_json::json;
use sigdiff::canonical::Stage;
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions, SignResult};
use sigdiff::Secret;
use std::io::Write;

const AK: &str = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q";
const SK: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
const H: &str = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";
const NOW: &str = "1700000100";

fn sigdiff() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    for v in [
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

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
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
    assert!(
        !out.stdout.contains(SK) && !out.stderr.contains(SK),
        "secret printed"
    );
    out
}

fn sign_lib(v: serde_json::Value) -> SignResult {
    sign_spec(
        &RequestSpec::from_json(&v.to_string()).unwrap(),
        &SignOptions::default(),
    )
    .unwrap()
}

/// A raw HTTP request text from a sign result.
fn raw_http(method: &str, r: &SignResult) -> String {
    let target = r.url.splitn(4, '/').nth(3).unwrap_or("");
    let mut s = format!("{method} /{target} HTTP/1.1\r\n");
    for (k, v) in &r.headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s
}

// cos-signing.md §6 D1 / D3 specs.
fn d1() -> serde_json::Value {
    json!({"scheme": "cos", "method": "GET", "bucket": "examplebucket-1250000000",
        "key": "photos/2024/a b+c~d(1)*!.jpg", "endpoint": "cos.ap-beijing.myqcloud.com",
        "headers": [["Host", H]], "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1700000000, "key_time": "1700000000;1700003600"})
}

#[test]
fn sign_header_form_from_curl_style_args() {
    // cos-signing.md §6 D1 via -H/URL, secret from COS_SECRET_KEY.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["sign", "--scheme", "cos", "--json", "--access-key-id", AK])
        .args(["--time", "1700000000", "--expires", "3600"])
        .args(["-H", &format!("Host: {H}")])
        .arg(format!(
            "https://{H}/photos/2024/a%20b%2Bc~d%281%29%2A%21.jpg"
        )));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert_eq!(v["signature"], "e951f3ee90ac4e34e66d94a4cfebdaa0c3b59b3f");
    assert_eq!(v["authorization"], "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=e951f3ee90ac4e34e66d94a4cfebdaa0c3b59b3f");
    assert_eq!(v["format_string"], "get\n/photos/2024/a b+c~d(1)*!.jpg\n\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n");
    // Human output shows the FormatString block.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["sign", "--scheme", "cos", "--access-key-id", AK])
        .args([
            "--time",
            "1700000000",
            "--key-time",
            "1700000000;1700003600",
        ])
        .arg(format!("https://{H}/a")));
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("FormatString"), "{}", o.stdout);
    assert!(o.stdout.contains("Authorization: q-sign-algorithm=sha1&"));
}

#[test]
fn verify_header_form_match_and_mismatch() {
    // cos-signing.md §6 V1 as raw HTTP: exit 0; a wrong secret: exit 1.
    let http = format!("PUT /exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91) HTTP/1.1\r\nDate: Thu, 16 May 2019 06:45:51 GMT\r\nHost: examplebucket-1250000000.cos.ap-beijing.myqcloud.com\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nContent-MD5: mQ/fVh815F3k6TAUm8m0eg==\r\nx-cos-acl: private\r\nx-cos-grant-read: uin=\"100000000011\"\r\nAuthorization: q-sign-algorithm=sha1&q-ak={AK}&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172\r\n\r\nObjectContent");
    let f = file(&http);
    let req = f.path().to_str().unwrap();
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--request",
        req,
        "--now",
        "1557989200",
    ]));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("MATCH"));
    assert!(o.stdout.contains("header:x-cos-grant-read"));
    let o = run(sigdiff().env("COS_SECRET_KEY", "not-the-key").args([
        "verify",
        "--request",
        req,
        "--now",
        "1557989200",
    ]));
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("MISMATCH") && o.stdout.contains("SIG001"));
    // No secret: unverified, exit 0, the FormatString still shown.
    let o = run(sigdiff().args(["verify", "--request", req, "--now", "1557989200"]));
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("UNVERIFIED"));
    // Expired when checked later: a finding, same verdict.
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--request",
        req,
        "--now",
        "1700000000",
        "--json",
    ]));
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("\"SIG103\""), "{}", o.stdout);
}

#[test]
fn verify_seven_param_url() {
    // cos-signing.md §6 D2 signature as a per-field presigned URL (values encoded).
    let url = format!("https://{H}/?prefix=dir%2Fsub%20dir%2F&delimiter=%2F&max-keys=10&encoding-type=url&q-sign-algorithm=sha1&q-ak={AK}&q-sign-time=1700000000%3B1700003600&q-key-time=1700000000%3B1700003600&q-header-list=host&q-url-param-list=delimiter%3Bencoding-type%3Bmax-keys%3Bprefix&q-signature=6cb32b6e1a47b21b43cb0bf345d4200f49347e56");
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["verify", "--now", NOW])
        .arg(&url));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("scheme: cos-url"), "{}", o.stdout);
    assert!(o.stdout.contains("query:prefix"));
    // The raw `;` (Node/Android style, not re-encoded) reads the same.
    let raw = url.replace("%3B", ";");
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["verify", "--now", NOW])
        .arg(&raw));
    assert_eq!(o.code, 0, "{}", o.stdout);
    // An extra parameter the list does not cover: still a match, with a warning.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["verify", "--now", NOW, "--json"])
        .arg(format!("{url}&x-unsigned=1")));
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("\"SIG107\""), "{}", o.stdout);
}

#[test]
fn verify_merged_sign_url() {
    // cos-signing.md §6 V7 (Go SignMerged); the Go test's sk.
    let url = "https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/test.jpg?test=params&sign=q-sign-algorithm%3Dsha1%26q-ak%3DQmFzZTY0IGlzIGEgZ*******%26q-sign-time%3D1622702557%3B1622706157%26q-key-time%3D1622702557%3B1622706157%26q-header-list%3D%26q-url-param-list%3Dtest%26q-signature%3D7757e84ed5f8953eafc30afcd2a5d1ad68e00d67";
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", "ZfbOA78asKUYBcXFrJD0a1I*******")
        .args(["verify", "-X", "PUT", "--now", "1622702600"])
        .arg(url));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("MATCH") && o.stdout.contains("query:test"));
    // The parameter changed after signing: exit 1.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", "ZfbOA78asKUYBcXFrJD0a1I*******")
        .args(["verify", "-X", "PUT", "--now", "1622702600"])
        .arg(url.replace("test=params", "test=paramz")));
    assert_eq!(o.code, 1);
}

#[test]
fn token_in_header_and_in_query() {
    for (scheme, place) in [("cos", "header"), ("cos-url", "query")] {
        let o = run(sigdiff()
            .env("COS_SECRET_KEY", SK)
            .args(["sign", "--scheme", scheme, "--json", "--access-key-id", AK])
            .args(["--security-token", "tok+en/1", "--time", "1700000000"])
            .arg(format!("https://{H}/k?acl")));
        assert_eq!(o.code, 0, "{}", o.stderr);
        let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
        let fs = v["format_string"].as_str().unwrap();
        assert!(fs.contains("x-cos-security-token=tok%2Ben%2F1"), "{fs}");
        let url = v["url"].as_str().unwrap();
        let headers: Vec<(String, String)> = serde_json::from_value(v["headers"].clone()).unwrap();
        if place == "header" {
            assert!(headers.iter().any(|(k, _)| k == "x-cos-security-token"));
            assert!(v["authorization"]
                .as_str()
                .unwrap()
                .contains("x-cos-security-token"));
        } else {
            assert!(url.contains("x-cos-security-token=tok%2Ben%2F1"), "{url}");
            assert!(
                url.contains("q-url-param-list=acl%3Bx-cos-security-token"),
                "{url}"
            );
        }
        // And it verifies, as sent.
        let r = SignResult {
            id: None,
            scheme: scheme.parse().unwrap(),
            signature: String::new(),
            authorization: None,
            url: url.to_string(),
            headers,
            string_to_sign: String::new(),
            canonical_request: None,
            format_string: None,
            stages: vec![],
            post: None,
        };
        let f = file(&raw_http("GET", &r));
        let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
            "verify",
            "--now",
            NOW,
            "--request",
            f.path().to_str().unwrap(),
        ]));
        assert_eq!(o.code, 0, "{scheme}: {}", o.stdout);
    }
    // Unsigned token (Java/PHP/JS style): a match plus SIG113.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args([
            "sign",
            "--scheme",
            "cos-url",
            "--json",
            "--access-key-id",
            AK,
        ])
        .args([
            "--security-token",
            "tok",
            "--time",
            "1700000000",
            "--opt",
            "token=unsigned",
        ])
        .arg(format!("https://{H}/k")));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args(["verify", "--now", NOW, "--json"])
        .arg(v["url"].as_str().unwrap()));
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("\"SIG113\""), "{}", o.stdout);
}

#[test]
fn server_error_shows_the_differing_pair() {
    // The client signed `Content-Type: text/plain`; its HTTP library sent
    // `text/plain; charset=utf-8` (cos-signing.md §5 capture, §7 item 6). The
    // server's FormatString/StringToSign are those of §6 D3.
    let mut spec = json!({"scheme": "cos", "method": "PUT", "bucket": "examplebucket-1250000000",
        "key": "中文/文件.txt", "endpoint": "cos.ap-beijing.myqcloud.com",
        "headers": [["Host", H], ["Content-Length", "0"], ["Content-Type", "text/plain"],
            ["x-cos-meta-Author", "Zhang San"], ["X-COS-ACL", "private"]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1700000000, "key_time": "1700000000;1700003600"});
    let client = sign_lib(spec.clone());
    spec["headers"][2][1] = json!("text/plain; charset=utf-8");
    let _ = spec;
    let body = "<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>SignatureDoesNotMatch</Code>\n\t<Message>The Signature you specified is invalid.</Message>\n\t<StringToSign>sha1\n1700000000;1700003600\n9394d65fcff7b9165f226577cfb7eb9da4525aa2\n</StringToSign>\n\t<FormatString>put\n/中文/文件.txt\n\ncontent-length=0&amp;content-type=text%2Fplain%3B%20charset%3Dutf-8&amp;host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&amp;x-cos-acl=private&amp;x-cos-meta-author=Zhang%20San\n</FormatString>\n\t<Resource>/中文/文件.txt</Resource>\n\t<RequestId>NjM0ZjhmZThfNDgzNjQwMGJfMTMwZWFfNDhmODEyZg==</RequestId>\n\t<TraceId>OGVmYzZiMmQz</TraceId>\n</Error>\n";
    let e = file(body);
    let req = file(&raw_http("PUT", &client));
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--now",
        NOW,
        "--request",
        req.path().to_str().unwrap(),
        "--server-error",
        e.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("server: the server's error body"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("✗ header:content-type"), "{}", o.stdout);
    assert!(o
        .stdout
        .contains("server: &content-type=text%2Fplain%3B%20charset%3Dutf-8"));
    assert!(o.stdout.contains("client: &content-type=text%2Fplain"));
    // Signed, the server's FormatString gives §6 D3's signature.
    assert!(o
        .stdout
        .contains("computed signature: 6ad99dd617824f3ee5e1dd4c60f5898a01b52f0d"));
    assert!(!o.stdout.contains("[format-string-sha1]"), "{}", o.stdout);
    // The JSON report names the field in a SIG003 finding.
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--json",
        "--now",
        NOW,
        "--request",
        req.path().to_str().unwrap(),
        "--server-error",
        e.path().to_str().unwrap(),
    ]));
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    let fields: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SIG003")
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["header:content-type"]);
}

#[test]
fn client_format_string_and_key_hint() {
    // The client signed the *encoded* path (cos-signing.md §7 item 1); its log
    // shows its HttpString. The diff names `path` and says it reproduces.
    let good = sign_lib(d1());
    let client_fs = "get\n/photos/2024/a%20b%2Bc~d%281%29%2A%21.jpg\n\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n";
    let ctx = sigdiff::cos::SigningContext::new("1700000000;1700003600", "1700000000;1700003600");
    let bad_sig = sigdiff::cos::sign_text(&ctx, Stage::FormatString, client_fs, &Secret::new(SK));
    let auth = good
        .authorization
        .clone()
        .unwrap()
        .replace(&good.signature, &bad_sig);
    let mut r = good.clone();
    for h in r.headers.iter_mut() {
        if h.0 == "Authorization" {
            h.1 = auth.clone();
        }
    }
    let req = file(&raw_http("GET", &r));
    let log = file(client_fs);
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--now",
        NOW,
        "--request",
        req.path().to_str().unwrap(),
        "--string-to-sign",
        log.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stdout.contains("client: the client's log"));
    assert!(o.stdout.contains("✗ path"), "{}", o.stdout);
    assert!(o.stdout.contains("SIG003 [path]") && o.stdout.contains("reproduces"));
    // Same string, wrong key: SIG002 says the key or the key time.
    let good_req = file(&raw_http("GET", &good));
    let log = file(good.format_string.as_deref().unwrap());
    let o = run(sigdiff().env("COS_SECRET_KEY", "wrong").args([
        "verify",
        "--now",
        NOW,
        "--request",
        good_req.path().to_str().unwrap(),
        "--string-to-sign",
        log.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("SIG002") && o.stdout.contains("q-key-time"),
        "{}",
        o.stdout
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let base = format!("GET /k HTTP/1.1\r\nHost: {H}\r\nAuthorization: ");
    for (auth, needle) in [
        ("q-sign-algorithm=sha1&garbage", "has no `=`"),
        (
            "q-sign-algorithm=sha1&q-ak=a&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=",
            "no `q-signature`",
        ),
        (
            "q-sign-algorithm=sha1&q-ak=a&q-sign-time=1;2&q-key-time=soon;later&q-header-list=&q-url-param-list=&q-signature=abc",
            "q-key-time `soon;later` is not `<start>;<end>`",
        ),
        (
            "q-sign-algorithm=sha1&q-ak=a&q-sign-time=17000000&q-key-time=1;2&q-header-list=&q-url-param-list=&q-signature=abc",
            "q-sign-time",
        ),
    ] {
        let f = file(&format!("{base}{auth}\r\n\r\n"));
        let o = run(sigdiff()
            .env("COS_SECRET_KEY", SK)
            .args(["verify", "--request", f.path().to_str().unwrap()]));
        assert_eq!(o.code, 2, "{auth}: {}", o.stdout);
        assert!(o.stderr.contains("sigdiff: error:"), "{}", o.stderr);
        assert!(o.stderr.contains(needle), "{auth}: {}", o.stderr);
    }
    // URL without any auth parameter but forced to cos-url.
    let o = run(sigdiff()
        .args(["verify", "--scheme", "cos-url"])
        .arg(format!("https://{H}/k?a=1")));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("q-sign parameters"), "{}", o.stderr);
    // Sign: a bad key time and a signed header that is not sent.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args([
            "sign",
            "--scheme",
            "cos",
            "--access-key-id",
            AK,
            "--key-time",
            "now",
        ])
        .arg(format!("https://{H}/k")));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("key_time"), "{}", o.stderr);
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", SK)
        .args([
            "sign",
            "--scheme",
            "cos",
            "--access-key-id",
            AK,
            "--sign-headers",
            "host,range",
        ])
        .arg(format!("https://{H}/k")));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("`range`"), "{}", o.stderr);
    // A COS error body that is not XML.
    let e = file("<Error><Code>x</Code>");
    let f = file(&raw_http("GET", &sign_lib(d1())));
    let o = run(sigdiff().args([
        "verify",
        "--request",
        f.path().to_str().unwrap(),
        "--server-error",
        e.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 2);
}

#[test]
fn server_string_to_sign_with_another_sign_time() {
    // The server's FormatString equals ours (§6 D1), but its StringToSign carries
    // a different time: the q-sign-time it read is not the one we sent.
    let r = sign_lib(d1());
    let body = "<Error><Code>SignatureDoesNotMatch</Code><StringToSign>sha1\n1700000000;1700009999\n85242757732a6a6e22d3b43b644b9c64e5aed16a\n</StringToSign><FormatString>get\n/photos/2024/a b+c~d(1)*!.jpg\n\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n</FormatString></Error>";
    let e = file(body);
    let req = file(&raw_http("GET", &r));
    let o = run(sigdiff().env("COS_SECRET_KEY", SK).args([
        "verify",
        "--json",
        "--now",
        NOW,
        "--request",
        req.path().to_str().unwrap(),
        "--server-error",
        e.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stdout);
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SIG240" && f["field"] == "sign-time"));
}

#[test]
fn cli_options_reproduce_go_presigned_urls() {
    // cos-signing.md §6 V6/V7 via `--opt`: Go's encodeURIComponent flavour,
    // per-field and merged, nothing signed but the parameter.
    let base = [
        "sign",
        "--scheme",
        "cos-url",
        "--json",
        "-X",
        "PUT",
        "--access-key-id",
        "QmFzZTY0IGlzIGEgZ*******",
        "--time",
        "1622702557",
        "--key-time",
        "1622702557;1622706157",
        "--sign-headers",
        "",
        "--opt",
        "url_encoding=uri-component",
    ];
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", "ZfbOA78asKUYBcXFrJD0a1I*******")
        .args(base)
        .arg("https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/test.jpg"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert!(v["url"].as_str().unwrap().ends_with("/test.jpg?q-sign-algorithm=sha1&q-ak=QmFzZTY0IGlzIGEgZ*******&q-sign-time=1622702557%3B1622706157&q-key-time=1622702557%3B1622706157&q-header-list=&q-url-param-list=&q-signature=820975b5a8eccce9455b94d4ebed14d66654bf3c"), "{}", v["url"]);
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", "ZfbOA78asKUYBcXFrJD0a1I*******")
        .args(base)
        .args(["--opt", "presign=merged"])
        .arg(
            "https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/test.jpg?test=params",
        ));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert!(v["url"].as_str().unwrap().ends_with("/test.jpg?test=params&sign=q-sign-algorithm%3Dsha1%26q-ak%3DQmFzZTY0IGlzIGEgZ*******%26q-sign-time%3D1622702557%3B1622706157%26q-key-time%3D1622702557%3B1622706157%26q-header-list%3D%26q-url-param-list%3Dtest%26q-signature%3D7757e84ed5f8953eafc30afcd2a5d1ad68e00d67"), "{}", v["url"]);
    // An unknown value for a COS option is a usage error.
    let o = run(sigdiff()
        .env("COS_SECRET_KEY", "x")
        .args([
            "sign",
            "--scheme",
            "cos",
            "--access-key-id",
            "a",
            "--opt",
            "sort=random",
        ])
        .arg("https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/k"));
    assert_eq!(o.code, 2);
}
