//! `sigdiff explain` end to end: exit codes 0/1/2, `--json` shape, `--lang zh`,
//! every ERROR and REQUEST form, bad input.

use assert_cmd::Command;
use std::io::Write;

fn bin() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    c.env("LANG", "C").env_remove("LC_ALL").env("NO_COLOR", "1");
    c
}

fn tmp(content: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".xml").tempfile().unwrap();
    f.write_all(content.as_bytes()).unwrap();
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

const EXPIRED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Request has expired.</Message>\n  <RequestId>58997C5F6E8B1C3A4D2E0F11</RequestId>\n  <HostId>ws-img-test.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <Expires>2017-02-07T01:30:29.000Z</Expires>\n  <ServerTime>2017-02-08T01:55:28.000Z</ServerTime>\n</Error>\n";

#[test]
fn known_body_exit_0_text() {
    let f = tmp(EXPIRED);
    let (code, stdout, stderr) = out(bin().args(["explain"]).arg(f.path()));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("AccessDenied  [Alibaba Cloud OSS]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cause:\n    The request has expired"),
        "{stdout}"
    );
    assert!(stdout.contains("SIG306 error"), "{stdout}");
}

#[test]
fn json_shape_and_order() {
    let f = tmp(EXPIRED);
    let (code, stdout, _) = out(bin().args(["explain", "--json"]).arg(f.path()));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["provider"], "oss");
    assert_eq!(v["code"], "AccessDenied");
    assert_eq!(v["message"], "Request has expired.");
    assert_eq!(v["known"], true);
    assert!(v["cause"].as_str().unwrap().contains("expired"));
    assert!(v["solution"].as_str().unwrap().contains("Expires"));
    let f0 = &v["findings"][0];
    assert_eq!(
        (f0["code"].as_str(), f0["severity"].as_str()),
        (Some("SIG306"), Some("error"))
    );
    assert!(f0.get("message_zh").is_none(), "one language only");
    // The documented keys come first, in order.
    let keys = [
        "\"provider\"",
        "\"code\"",
        "\"message\"",
        "\"known\"",
        "\"cause\"",
        "\"solution\"",
        "\"findings\"",
    ];
    let pos: Vec<usize> = keys.iter().map(|k| stdout.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{stdout}");
}

#[test]
fn lang_zh() {
    let f = tmp(EXPIRED);
    let (code, stdout, _) = out(bin()
        .args(["--lang", "zh", "explain", "--json"])
        .arg(f.path()));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["cause"], "请求已过期：签名 URL 的 Expires 早于服务端时间（响应中的 <Expires> 与 <ServerTime> 给出了两者）。");
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("已于"));
    let (_, text, _) = out(bin().args(["explain", "--lang", "zh"]).arg(f.path()));
    assert!(
        text.contains("原因:") && text.contains("解决方案:"),
        "{text}"
    );
    // LANG picks Chinese too.
    let (_, text, _) = out(bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["explain", "UserDisable"]));
    assert!(text.contains("账号被禁用"), "{text}");
}

#[test]
fn literal_code_and_message() {
    let (code, stdout, _) = out(bin().args(["explain", "SignatureDoesNotMatch", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // Both providers answer with this code: provider null, both explained, SIG302 says so.
    assert_eq!(v["provider"], serde_json::Value::Null);
    assert_eq!(v["findings"][0]["code"], "SIG302");
    let (code, stdout, _) = out(bin().args([
        "explain",
        "Request has expired",
        "--provider",
        "cos",
        "--json",
    ]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (v["provider"].as_str(), v["entries"][0].as_str()),
        (Some("cos"), Some("cos.request-expired"))
    );
}

#[test]
fn unknown_exit_1_with_fields() {
    let f = tmp("<Error><Code>QcloudApiRoleNotExist</Code><Message>Qcloud api role not exist, need create role</Message><TraceId>t</TraceId></Error>");
    let (code, stdout, _) = out(bin().args(["explain", "--json"]).arg(f.path()));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["known"], false);
    assert_eq!(v["cause"], serde_json::Value::Null);
    assert_eq!(v["solution"], serde_json::Value::Null);
    assert_eq!(
        v["fields"][0],
        serde_json::json!(["Code", "QcloudApiRoleNotExist"])
    );
    let (code, stdout, _) = out(bin().args(["explain", "NoSuchThing"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("Not in the catalogue"), "{stdout}");
}

#[test]
fn bad_input_exit_2() {
    let cases: Vec<(tempfile::NamedTempFile, &str)> = vec![
        (tmp("<Error><Code>AccessDenied</Code>"), "truncated"),
        (
            tmp("<html><body>502 Bad Gateway</body></html>"),
            "not <Error>",
        ),
        (
            tmp("<Error><RequestId>x</RequestId></Error>"),
            "neither <Code> nor <Message>",
        ),
        (tmp("{\"Error\": 3"), "not valid JSON"),
        (
            tmp("GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
            "expected an error body",
        ),
        (tmp(""), "is empty"),
    ];
    for (f, want) in &cases {
        let (code, stdout, stderr) = out(bin().args(["explain"]).arg(f.path()));
        assert_eq!(code, 2, "{want}: {stdout}{stderr}");
        assert!(stderr.contains(want), "{want}: {stderr}");
        // Where: the file is named.
        assert!(stderr.contains(f.path().to_str().unwrap()), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
    for args in [
        vec!["explain", "missing/err.xml"],
        vec!["explain", "AccessDenied", "--provider", "aws"],
        vec!["explain", "AccessDenied", "--now", "yesterday"],
        vec!["explain", "AccessDenied", "no-such-request.http"],
        vec!["explain", "AccessDenied", "https://"],
        vec!["explain", ""],
    ] {
        let (code, _, stderr) = out(bin().args(&args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("sigdiff: error: "), "{args:?}: {stderr}");
    }
}

#[test]
fn stdin_and_http_response() {
    let resp = "HTTP/1.1 403 Forbidden\r\nServer: AliyunOSS\r\nDate: Wed, 08 Feb 2017 01:55:28 GMT\r\nx-oss-ec: 0002-00000040\r\n\r\n<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>";
    let req = tmp("GET /a.txt HTTP/1.1\r\nHost: b.oss-cn-hangzhou.aliyuncs.com\r\nDate: Wed, 08 Feb 2017 09:55:28 GMT\r\nAuthorization: OSS ak:sig\r\n\r\n");
    let (code, stdout, stderr) = out(bin()
        .args(["explain", "-", "--json"])
        .arg(req.path())
        .write_stdin(resp));
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["ec"], "0002-00000040");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SIG303")
        .expect("SIG303");
    assert!(f["message"].as_str().unwrap().contains("8h ahead"), "{f}");
}

#[test]
fn request_forms() {
    let redirect = tmp("<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><HostId>bkt.oss-cn-hangzhou.aliyuncs.com</HostId><Endpoint>oss-cn-qingdao.aliyuncs.com</Endpoint></Error>");
    let want = "https://bkt.oss-cn-qingdao.aliyuncs.com/a/b.txt";
    let curl = tmp("curl -X GET 'https://bkt.oss-cn-hangzhou.aliyuncs.com/a/b.txt'");
    let spec = tmp(
        r#"{"method":"GET","bucket":"bkt","key":"a/b.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com"}"#,
    );
    let url = "https://oss-cn-hangzhou.aliyuncs.com/bkt/a/b.txt".to_string();
    for r in [
        curl.path().to_str().unwrap().to_string(),
        spec.path().to_str().unwrap().to_string(),
        url,
    ] {
        let (code, stdout, stderr) = out(bin()
            .args(["explain", "--json"])
            .arg(redirect.path())
            .arg(&r));
        assert_eq!(code, 0, "{r}: {stderr}");
        assert!(stdout.contains(want), "{r}: {stdout}");
    }
}

#[test]
fn help_lists_explain() {
    let (code, stdout, _) = out(bin().args(["explain", "--help"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("ERROR") && stdout.contains("REQUEST") && stdout.contains("--provider")
    );
}
