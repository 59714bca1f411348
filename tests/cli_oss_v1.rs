//! The `sigdiff` binary end to end for OSS V1: every input form, every exit code,
//! bad input, secrets never printed.

use assert_cmd::Command;
use std::io::Write;

const URL: &str = "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/nelson";
const DATE: &str = "Wed, 28 Dec 2022 10:27:41 GMT";
const NOW: &str = "1672223261";
// oss-signing.md §9.1 T2: signature of the request below with secret `sk`.
const T2_AUTH: &str = "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=";

fn bin() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    c.env_remove("OSS_ACCESS_KEY_SECRET")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        .env_remove("OSS_ACCESS_KEY_ID")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .env("LANG", "C")
        .env("NO_COLOR", "1");
    c
}

fn t2_headers(content_type: &str, auth: &str) -> Vec<String> {
    vec![
        "Content-MD5: eB5eJF1ptWaXm4bijSPyxw==".into(),
        format!("Content-Type: {content_type}"),
        "x-oss-meta-author: alice".into(),
        "x-oss-meta-magic: abracadabra".into(),
        format!("x-oss-date: {DATE}"),
        format!("Authorization: {auth}"),
    ]
}

fn raw_http(content_type: &str, auth: &str, eol: &str) -> String {
    let mut s =
        format!("PUT /nelson HTTP/1.1{eol}Host: examplebucket.oss-cn-hangzhou.aliyuncs.com{eol}");
    for h in t2_headers(content_type, auth) {
        s.push_str(&h);
        s.push_str(eol);
    }
    s.push_str(eol);
    s
}

fn tmp(content: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(content).unwrap();
    f
}

fn out(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn curl_style_args_match_exit_0() {
    let mut c = bin();
    c.args(["verify", "--now", NOW, "-X", "PUT"])
        .env("OSS_ACCESS_KEY_SECRET", "sk");
    for h in t2_headers("text/html", T2_AUTH) {
        c.args(["-H", &h]);
    }
    c.arg(URL);
    let (code, stdout, stderr) = out(&mut c);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("verdict: MATCH"), "{stdout}");
    // The computed signature line has no placeholder for the fingerprint a
    // match does not show.
    let line = stdout
        .lines()
        .find(|l| l.starts_with("computed signature: "))
        .expect("a computed signature line");
    assert!(!line.contains('?') && !line.contains("(secret"), "{line}");
}

#[test]
fn mismatch_exit_1_names_the_field_with_client_string() {
    // The HTTP library appended a charset after signing (spec §10 item 1).
    let sts = tmp(b"PUT\\neB5eJF1ptWaXm4bijSPyxw==\\ntext/html\\nWed, 28 Dec 2022 10:27:41 GMT\\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\\nx-oss-meta-author:alice\\nx-oss-meta-magic:abracadabra\\n/examplebucket/nelson\n");
    let req = tmp(raw_http("text/html; charset=utf-8", T2_AUTH, "\r\n").as_bytes());
    let (code, stdout, _) = out(bin()
        .args(["verify", "--now", NOW, "--json", "--request"])
        .arg(req.path())
        .arg("--string-to-sign")
        .arg(sts.path())
        .env("OSS_ACCESS_KEY_SECRET", "sk"));
    assert_eq!(code, 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["verdict"], "mismatch");
    assert_eq!(v["scheme"], "oss-v1");
    assert_eq!(v["provided_signature"], "kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
    let bad: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["same"] == false)
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(bad, ["content-type"]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SIG003")
        .unwrap();
    assert_eq!(f["field"], "content-type");
    assert_eq!(f["reproduces"], true);
    for key in ["code", "field", "severity", "reproduces", "message"] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
}

#[test]
fn server_error_body_diff_names_field_and_byte() {
    // The server saw `image/png`, the request as captured says `image/jpeg`.
    let sts = "PUT\n\nimage/png\nWed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/a.png";
    let hex: String = sts.bytes().map(|b| format!("{b:02X} ")).collect();
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n  <RequestId>625A73995C8CDB36362D736C</RequestId>\n  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <OSSAccessKeyId>ak</OSSAccessKeyId>\n  <SignatureProvided>abc=</SignatureProvided>\n  <StringToSign>{sts}</StringToSign>\n  <StringToSignBytes>{hex}</StringToSignBytes>\n  <EC>0002-00000040</EC>\n</Error>\n");
    let err = tmp(body.as_bytes());
    let (code, stdout, stderr) = out(bin()
        .args([
            "verify",
            "--now",
            NOW,
            "-X",
            "PUT",
            "-H",
            "Content-Type: image/jpeg",
            "-H",
            &format!("Date: {DATE}"),
            "-H",
            "Authorization: OSS ak:abc=",
            "--server-error",
        ])
        .arg(err.path())
        .arg("https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a.png"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("✗ content-type"), "{stdout}");
    assert!(stdout.contains("server: image/png\\n"), "{stdout}");
    assert!(stdout.contains("client: image/jpeg\\n"), "{stdout}");
    assert!(
        stdout.contains("first difference at byte 6: server 0x70 'p' vs client 0x6A 'j'"),
        "{stdout}"
    );
    assert!(stdout.contains("SIG005"), "{stdout}");
    assert!(stdout.contains("UNVERIFIED") || stdout.contains("MISMATCH"));
}

#[test]
fn every_input_form_gives_the_same_verdict() {
    let raw = raw_http("text/html", T2_AUTH, "\r\n");
    let lf = raw_http("text/html", T2_AUTH, "\n");
    let verbose: String = format!(
        "*   Trying 1.2.3.4:443...\n{}< HTTP/1.1 200 OK\n",
        raw.lines().map(|l| format!("> {l}\n")).collect::<String>()
    );
    let mut curl = format!("curl -X PUT '{URL}'");
    for h in t2_headers("text/html", T2_AUTH) {
        curl.push_str(&format!(" \\\n  -H '{h}'"));
    }
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://example.com/", "headers": []}},
        {"request": {"method": "PUT", "url": URL, "headers": t2_headers("text/html", T2_AUTH).iter().map(|h| {
            let (k, v) = h.split_once(": ").unwrap();
            serde_json::json!({"name": k, "value": v})
        }).collect::<Vec<_>>()}}
    ]}})
    .to_string();
    let spec = serde_json::json!({"method": "PUT", "url": URL, "headers": t2_headers("text/html", T2_AUTH).iter().map(|h| {
        let (k, v) = h.split_once(": ").unwrap();
        [k, v]
    }).collect::<Vec<_>>()})
    .to_string();
    for (name, text) in [
        ("raw CRLF", raw),
        ("raw LF", lf),
        ("curl -v", verbose),
        ("curl", curl),
        ("har", har),
        ("spec", spec),
    ] {
        let f = tmp(text.as_bytes());
        let (code, stdout, stderr) = out(bin()
            .args(["verify", "--now", NOW, "--json", "--request"])
            .arg(f.path())
            .env("OSS_ACCESS_KEY_SECRET", "sk"));
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
        let v: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
        assert_eq!(v["verdict"], "match", "{name}");
        // stdin too
        let (code, _, _) = out(bin()
            .args(["verify", "--now", NOW, "--request", "-"])
            .write_stdin(text.clone())
            .env("OSS_ACCESS_KEY_SECRET", "sk"));
        assert_eq!(code, 0, "{name} via stdin");
    }
}

#[test]
fn no_secret_still_shows_and_is_unverified() {
    let req = tmp(raw_http("text/html", T2_AUTH, "\n").as_bytes());
    let (code, stdout, _) = out(bin()
        .args(["verify", "--now", NOW, "--request"])
        .arg(req.path()));
    assert_eq!(code, 0);
    assert!(stdout.contains("UNVERIFIED"), "{stdout}");
    assert!(stdout.contains("resource"), "{stdout}");
    assert!(stdout.contains("SIG004"), "{stdout}");
}

#[test]
fn wrong_secret_when_strings_agree_shows_fingerprint_not_secret() {
    let sts = tmp(b"PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson");
    let req = tmp(raw_http("text/html", T2_AUTH, "\n").as_bytes());
    let secret = "TheWrongSecretValue1234";
    let (code, stdout, stderr) = out(bin()
        .args(["verify", "--now", NOW, "--secret-env", "MY_SK", "--request"])
        .arg(req.path())
        .arg("--string-to-sign")
        .arg(sts.path())
        .env("MY_SK", secret));
    assert_eq!(code, 1);
    assert!(stdout.contains("SIG002"), "{stdout}");
    assert!(stdout.contains("len=23 sha256:"), "{stdout}");
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
}

#[test]
fn secret_file_with_several_credentials() {
    let f = tmp(b"# team keys\nother:NotIt\nak:sk\n");
    let req = tmp(raw_http("text/html", T2_AUTH, "\n").as_bytes());
    let (code, stdout, _) = out(bin()
        .args(["verify", "--now", NOW, "--request"])
        .arg(req.path())
        .arg("--secret-file")
        .arg(f.path()));
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("NotIt"));
}

#[test]
fn presigned_url_checks_time() {
    // §9.1 T6 URL: valid before Expires, expired after.
    let url = "http://bucket.oss-cn-hangzhou.aliyuncs.com/key?Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId";
    let (code, stdout, _) = out(bin()
        .args(["verify", "--now", "1699807000", url])
        .env("OSS_ACCESS_KEY_SECRET", "sk"));
    assert_eq!(code, 0, "{stdout}");
    let (_, stdout, _) = out(bin()
        .args(["verify", "--now", "1699817420", "--json", url])
        .env("OSS_ACCESS_KEY_SECRET", "sk"));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "SIG010"),
        "{stdout}"
    );
    // 13-digit Expires.
    let (_, stdout, _) = out(bin().args(["verify", "--now", "1699807000", "--json", "http://bucket.oss-cn-hangzhou.aliyuncs.com/key?Expires=1699807420000&OSSAccessKeyId=ak&Signature=x"]));
    assert!(stdout.contains("SIG011"), "{stdout}");
}

#[test]
fn date_checks() {
    let (_, stdout, _) = out(bin().args([
        "verify",
        "--json",
        "--now",
        "1672229261",
        "-H",
        &format!("Date: {DATE}"),
        "-H",
        "Authorization: OSS ak:x",
        URL,
    ]));
    assert!(stdout.contains("SIG013"), "skew: {stdout}");
    let (_, stdout, _) = out(bin().args([
        "verify",
        "--json",
        "--now",
        NOW,
        "-H",
        "Date: 2022-12-28 10:27:41",
        "-H",
        "Authorization: OSS ak:x",
        URL,
    ]));
    assert!(stdout.contains("SIG012"), "format: {stdout}");
    let (_, stdout, _) = out(bin().args([
        "verify",
        "--json",
        "--now",
        NOW,
        "-H",
        "Authorization: OSS ak:x",
        URL,
    ]));
    assert!(stdout.contains("SIG014"), "missing: {stdout}");
}

#[test]
fn sign_prints_authorization_headers_and_visible_string() {
    let (code, stdout, stderr) = out(bin()
        .args([
            "sign",
            "--scheme",
            "oss-v1",
            "--access-key-id",
            "ak",
            "--secret-env",
            "K",
            "-X",
            "PUT",
            "-H",
            "Content-MD5: eB5eJF1ptWaXm4bijSPyxw==",
            "-H",
            "Content-Type: text/html",
            "-H",
            "x-oss-meta-author: alice",
            "-H",
            "x-oss-meta-magic: abracadabra",
            "-H",
            &format!("x-oss-date: {DATE}"),
            URL,
        ])
        .env("K", "sk"));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("Authorization: {T2_AUTH}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("    Host: examplebucket.oss-cn-hangzhou.aliyuncs.com"),
        "{stdout}"
    );
    assert!(stdout.contains("    text/html\\n"), "{stdout}");
    assert!(!stdout.contains("sk\n"));
}

#[test]
fn sign_json_and_url_form() {
    let (code, stdout, _) = out(bin()
        .args([
            "sign",
            "--json",
            "--scheme",
            "oss-v1-url",
            "--access-key-id",
            "ak",
            "--secret-env",
            "K",
            "--time",
            "1699804604",
            "--security-token",
            "token",
            "http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?versionId=versionId",
        ])
        .env("K", "sk"));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // §9.1 T7.
    assert_eq!(v["signature"], "jzKYRrM5y6Br0dRFPaTGOsbrDhY=");
    assert_eq!(v["authorization"], serde_json::Value::Null);
    assert!(v["url"]
        .as_str()
        .unwrap()
        .ends_with("Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D"));
}

#[test]
fn sign_jsonl_batch_goes_on_after_a_bad_line() {
    let input = concat!(
        r#"{"id":1,"scheme":"oss-v1","bucket":"examplebucket","endpoint":"oss-cn-hangzhou.aliyuncs.com","time":"2023-12-03T12:12:12Z","credentials":{"access_key_id":"44CF9590006BF252F707","access_key_secret":"OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"},"query":[["prefix","a/"]]}"#,
        "\n",
        r#"{"id":2,"scheme":"oss-v1","bucket":"b"}"#,
        "\nnot json\n",
        r#"{"id":"x","scheme":"oss-v1","endpoint":"oss-cn-hangzhou.aliyuncs.com","time":"2023-12-03T12:12:12Z","credentials":{"access_key_id":"44CF9590006BF252F707","access_key_secret":"OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"}}"#,
        "\n"
    );
    let (code, stdout, _) = out(bin().args(["sign", "--jsonl", "-"]).write_stdin(input));
    assert_eq!(code, 2, "a bad line makes the batch exit 2");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    // §9.3 D3 and D4.
    assert_eq!(
        lines[0]["authorization"],
        "OSS 44CF9590006BF252F707:gTs2CC27IX6BI9iYzbJH3LFaG1I="
    );
    assert_eq!(lines[1]["id"], 2);
    assert!(lines[1]["error"]["message"].is_string());
    assert!(lines[2]["error"]["code"].is_string());
    assert_eq!(lines[3]["id"], "x");
    assert_eq!(
        lines[3]["authorization"],
        "OSS 44CF9590006BF252F707:AGVwHsJHVPnJoxa36RDmfrkqdqg="
    );
}

#[test]
fn bad_input_exit_2_with_clear_message_never_a_panic() {
    let huge = format!("GET / HTTP/1.1\nHost: b.oss-cn-hangzhou.aliyuncs.com\nX-Big: {}\nAuthorization: OSS a:b\n\n", "v".repeat(70_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("no authorization", b"GET /k HTTP/1.1\nHost: b.oss-cn-hangzhou.aliyuncs.com\n\n".to_vec(), "no signature"),
        ("truncated", b"PUT /x HTT".to_vec(), "HTTP"),
        ("invalid utf-8", b"GET /k HTTP/1.1\nHost: b.oss-cn-hangzhou.aliyuncs.com\nAuthorization: OSS a:\xff\n\n".to_vec(), "UTF-8"),
        ("not oss", b"GET /k HTTP/1.1\nHost: www.example.com\nAuthorization: OSS a:b\nDate: x\n\n".to_vec(), "not a known"),
        ("huge header", huge.into_bytes(), "bytes long"),
        ("malformed authorization", b"GET /k HTTP/1.1\nHost: b.oss-cn-hangzhou.aliyuncs.com\nAuthorization: OSS nocolon\n\n".to_vec(), "0002-00000062"),
        ("empty", b"   \n".to_vec(), "empty"),
        ("bad json", b"{\"method\": 5}".to_vec(), "JSON request spec"),
    ];
    for (name, bytes, needle) in cases {
        let f = tmp(&bytes);
        let (code, stdout, stderr) = out(bin().args(["verify", "--request"]).arg(f.path()));
        assert_eq!(code, 2, "{name}: {stdout}{stderr}");
        assert!(stderr.starts_with("sigdiff: error: "), "{name}: {stderr}");
        assert!(stderr.contains(needle), "{name}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{name}: {stderr}"
        );
    }
    for url in ["not a url", "https://b.oss-cn-hangzhou.aliyuncs.com/a b"] {
        let (code, _, stderr) = out(bin().args(["verify", "-H", "Authorization: OSS a:b", url]));
        assert_eq!(code, 2, "{url}");
        assert!(stderr.contains("URL"), "{stderr}");
    }
    // Usage errors are exit 2 too.
    let (code, _, _) = out(bin().args(["verify", "--frobnicate"]));
    assert_eq!(code, 2);
    let (code, _, stderr) = out(bin().args(["verify", "--request", "/nonexistent/file"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/file"));
}

#[test]
fn chinese_messages() {
    let req = tmp(raw_http("text/html", T2_AUTH, "\n").as_bytes());
    let (_, stdout, _) = out(bin()
        .args(["verify", "--lang", "zh", "--now", NOW, "--request"])
        .arg(req.path()));
    assert!(stdout.contains("未提供密钥"), "{stdout}");
}

#[test]
fn verify_jsonl_batch() {
    // Line 1: §9.1 T2 as sent (matches); line 2: the same with a changed header (mismatch);
    // line 3: not JSON (error object, batch goes on).
    let mk = |ct: &str| {
        serde_json::json!({"method": "PUT", "url": URL, "credentials": {"access_key_secret": "sk"},
            "headers": t2_headers(ct, T2_AUTH).iter().map(|h| { let (k, v) = h.split_once(": ").unwrap(); [k, v] }).collect::<Vec<_>>()})
        .to_string()
    };
    let input = format!("{}\n{}\n{{oops\n", mk("text/html"), mk("text/plain"));
    let (code, stdout, _) = out(bin()
        .args(["verify", "--now", NOW, "--json", "--jsonl", "-"])
        .write_stdin(input));
    assert_eq!(code, 2, "an error line makes the batch exit 2: {stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["verdict"], "match");
    assert_eq!(lines[1]["verdict"], "mismatch");
    assert!(
        lines[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 3"),
        "{}",
        lines[2]
    );
}

#[test]
fn diff_command_with_error_body_and_log() {
    // The server's side from an error body, the client's from an SDK log with escaped newlines.
    let sts = "PUT\n\nimage/png\nSat, 16 Apr 2022 07:43:21 GMT\n/ljp-blog/1.c  环境测试.png";
    let hex: String = sts.bytes().map(|b| format!("{b:02X} ")).collect();
    let body = tmp(format!("<Error><Code>SignatureDoesNotMatch</Code><StringToSign>{sts}</StringToSign><StringToSignBytes>{hex}</StringToSignBytes></Error>").as_bytes());
    let log = tmp(
        "PUT\\n\\nimage/png\\nSat, 16 Apr 2022 07:43:21 GMT\\n/ljp-blog/1.c%20%20环境测试.png\n"
            .as_bytes(),
    );
    let (code, stdout, stderr) = out(bin().arg("diff").arg(body.path()).arg(log.path()));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("✗ resource"), "{stdout}");
    assert!(
        stdout.contains("first difference at byte 13: server 0x20 ' ' vs client 0x25 '%'"),
        "{stdout}"
    );
    let (code, stdout, _) = out(bin()
        .args(["diff", "--json"])
        .arg(log.path())
        .arg(log.path()));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["kind"], "oss-v1-string-to-sign");
    let junk = tmp(b"hello world");
    let (code, _, stderr) = out(bin().arg("diff").arg(junk.path()).arg(junk.path()));
    assert_eq!(code, 2, "{stderr}");
}
