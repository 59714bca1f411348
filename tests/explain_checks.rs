//! `explain` on realistic error bodies, with and without the request: the entry found,
//! the EC, and every request-specific finding with the values it computes.

use sigdiff::address::Provider;
use sigdiff::explain::checks::{
    corrected_url, cos_bucket_problem, oss_bucket_problem, oss_object_problem,
};
use sigdiff::explain::{explain, explain_with, input, ExplainOptions, Explanation};
use sigdiff::finding::{Lang, Severity};
use sigdiff::Request;

fn req(method: &str, url: &str, headers: &[(&str, &str)]) -> Request {
    Request::from_url(
        method,
        url,
        headers
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    )
    .unwrap()
}

fn run(body: &str, r: Option<&Request>, now: i64) -> Explanation {
    let e = input::read(body, "body", false).unwrap();
    explain_with(&e.error, r, now, &ExplainOptions::from_input(&e))
}

fn finding<'a>(x: &'a Explanation, code: &str) -> &'a sigdiff::Finding {
    x.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", x.findings))
}

fn codes(x: &Explanation) -> Vec<&'static str> {
    x.findings.iter().map(|f| f.code).collect()
}

// oss-signing.md §8 (PicGo#877 shape, 2024+ fields), with a '+' that arrived as a space.
const OSS_SDNM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <RequestId>625A73995C8CDB36362D736C</RequestId>
  <HostId>ljp-blog.oss-cn-beijing.aliyuncs.com</HostId>
  <OSSAccessKeyId>LTAI5tLgdYSXwR2T4y8VL9dz</OSSAccessKeyId>
  <SignatureProvided>X5eag9XWCsd/Cq3QzZjWZMOg F0Y=</SignatureProvided>
  <StringToSign>PUT

image/png
Sat, 16 Apr 2022 07:43:21 GMT
/ljp-blog/1.png</StringToSign>
  <EC>0002-00000040</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000040</RecommendDoc>
</Error>"#;

#[test]
fn oss_signature_does_not_match_with_ec() {
    let x = run(OSS_SDNM, None, 0);
    assert!(x.known);
    assert_eq!(x.provider, Some(Provider::Oss));
    assert_eq!(x.entries, ["oss.signature-does-not-match"]);
    assert_eq!(x.ec.as_deref(), Some("0002-00000040"));
    assert_eq!(
        x.recommend_doc.as_deref(),
        Some("https://api.aliyun.com/troubleshoot?q=0002-00000040")
    );
    assert!(finding(&x, "SIG328").message.contains("StringToSign"));
    assert!(finding(&x, "SIG329").message.contains("MOg F0Y="));
    // The AccessKeyId echoed back is well-formed: no SIG311/SIG312.
    assert!(!codes(&x).iter().any(|c| *c == "SIG311" || *c == "SIG312"));
    // The fields are kept in order.
    assert_eq!(x.fields[0], ("Code".into(), "SignatureDoesNotMatch".into()));
    assert_eq!(x.fields.last().unwrap().0, "RecommendDoc");
}

#[test]
fn oss_signature_does_not_match_with_the_request_checks_the_checklist() {
    // seeds/003 steps 1-3: bucket in the endpoint, a trailing '/', AccessKeyId with a space.
    let r = req(
        "PUT",
        "https://ljp-blog.ljp-blog.oss-cn-beijing.aliyuncs.com//1.png",
        &[
            ("Authorization", "OSS LTAI5tLgdYSXwR2T4y8VL9dz :sig"),
            ("Date", "Sat, 16 Apr 2022 07:43:21 GMT"),
        ],
    );
    let x = run(OSS_SDNM, Some(&r), 0);
    assert!(finding(&x, "SIG317")
        .message
        .contains("`ljp-blog.ljp-blog`"));
    assert!(finding(&x, "SIG319").message.contains("`//1.png`"));
    assert!(finding(&x, "SIG311")
        .message
        .contains("`LTAI5tLgdYSXwR2T4y8VL9dz `"));
    // The server saw the trimmed key: the request and the echo differ.
    assert!(finding(&x, "SIG313")
        .message
        .contains("LTAI5tLgdYSXwR2T4y8VL9dz"));
    assert!(finding(&x, "SIG327").message.contains("oss-v1"));
}

#[test]
fn oss_expired_url_computes_how_late() {
    // oss-signing.md §3 (johnlui/AliyunOSS#20).
    let body = "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message><RequestId>58997C5F6E8B1C3A4D2E0F11</RequestId><HostId>ws-img-test.oss-cn-hangzhou.aliyuncs.com</HostId><Expires>2017-02-07T01:30:29.000Z</Expires><ServerTime>2017-02-08T01:55:28.000Z</ServerTime></Error>";
    let x = run(body, None, 0);
    assert_eq!(x.entries, ["oss.access-denied.expired"]);
    let f = finding(&x, "SIG306");
    assert_eq!(f.severity, Severity::Error);
    // 2017-02-08T01:55:28 - 2017-02-07T01:30:29 = 1 day 24 min 59 s.
    assert!(
        f.message
            .contains("1d 24m 59s before the server's time (<ServerTime>)"),
        "{}",
        f.message
    );
    // No request: nothing about the request's clock.
    assert!(!codes(&x).contains(&"SIG305"));
}

#[test]
fn expires_in_the_url_checked_against_server_time() {
    let body = "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><ServerTime>2017-02-08T01:55:28.000Z</ServerTime></Error>";
    // Expires 1486517728 = ServerTime - 1 h.
    let r = req("GET", "https://b.oss-cn-hangzhou.aliyuncs.com/a.jpg?OSSAccessKeyId=ak&Expires=1486515328&Signature=s", &[]);
    let x = run(body, Some(&r), 0);
    assert!(
        finding(&x, "SIG306").message.contains("1h before"),
        "{:?}",
        x.findings
    );
    // Milliseconds: seeds/002 "Invalid date (should be seconds since epoch)."
    let body = "<Error><Code>AccessDenied</Code><Message>Invalid date (should be seconds since epoch).</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    let r = req("GET", "https://b.oss-cn-hangzhou.aliyuncs.com/a.jpg?OSSAccessKeyId=ak&Expires=1606281461607&Signature=s", &[]);
    let x = run(body, Some(&r), 0);
    assert_eq!(x.entries, ["oss.access-denied.invalid-date"]);
    assert!(finding(&x, "SIG308").message.contains("13 digits"));
    let r = req("GET", "https://b.oss-cn-hangzhou.aliyuncs.com/a.jpg?OSSAccessKeyId=ak&Expires=tomorrow&Signature=s", &[]);
    assert!(finding(&run(body, Some(&r), 0), "SIG308")
        .message
        .contains("`tomorrow`"));
}

const REDIRECT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>PermanentRedirect</Code>
  <Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message>
  <RequestId>56EA1234567890ABCDEF3EE6</RequestId>
  <HostId>my-oss-bucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <Bucket>my-oss-bucket</Bucket>
  <Endpoint>oss-cn-qingdao.aliyuncs.com</Endpoint>
</Error>"#;

#[test]
fn permanent_redirect_builds_the_corrected_url() {
    let x = run(REDIRECT, None, 0);
    assert_eq!(x.entries, ["oss.permanent-redirect"]);
    let f = finding(&x, "SIG309");
    assert!(
        f.message
            .ends_with("Use: https://my-oss-bucket.oss-cn-qingdao.aliyuncs.com/"),
        "{}",
        f.message
    );
    assert!(f.message_zh.contains("oss-cn-qingdao.aliyuncs.com"));
    // With the request: its path and query are kept, path style is turned into virtual-hosted.
    let r = req(
        "GET",
        "http://oss-cn-hangzhou.aliyuncs.com/my-oss-bucket/dir/a%20b.txt?versionId=1",
        &[],
    );
    let f = finding(&run(REDIRECT, Some(&r), 0), "SIG309")
        .message
        .clone();
    assert!(
        f.ends_with(
            "Use: http://my-oss-bucket.oss-cn-qingdao.aliyuncs.com/dir/a%20b.txt?versionId=1"
        ),
        "{f}"
    );
    let r = req(
        "GET",
        "https://my-oss-bucket.oss-cn-hangzhou.aliyuncs.com/k?acl",
        &[],
    );
    let f = finding(&run(REDIRECT, Some(&r), 0), "SIG309")
        .message
        .clone();
    assert!(
        f.ends_with("Use: https://my-oss-bucket.oss-cn-qingdao.aliyuncs.com/k?acl"),
        "{f}"
    );
    assert_eq!(
        corrected_url(None, "b", "https://oss-cn-beijing.aliyuncs.com/"),
        "https://b.oss-cn-beijing.aliyuncs.com/"
    );
}

#[test]
fn access_denied_endpoint_variant_and_missing_endpoint() {
    // seeds/003: the AccessDenied form of the redirect, with <Endpoint>.
    let body = "<Error>\n  <Code>AccessDenied</Code>\n  <Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message>\n  <RequestId>56EA3EE6</RequestId>\n  <HostId>my-oss-bucket-a.aliyuncs.com</HostId>\n  <Bucket>my-oss-bucket-a</Bucket>\n  <Endpoint>oss-cn-shenzhen.aliyuncs.com</Endpoint>\n</Error>";
    let x = run(body, None, 0);
    assert_eq!(x.entries, ["oss.access-denied.endpoint"]);
    assert!(finding(&x, "SIG309")
        .message
        .contains("https://my-oss-bucket-a.oss-cn-shenzhen.aliyuncs.com/"));
    let body = "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    assert_eq!(
        finding(&run(body, None, 0), "SIG310").severity,
        Severity::Info
    );
}

#[test]
fn cos_request_time_too_skewed_computes_the_skew() {
    // seeds/004: Code AccessDenied, Message RequestTimeTooSkewed; the response Date is the server's time.
    let resp = "HTTP/1.1 403 Forbidden\r\nServer: tencent-cos\r\nDate: Thu, 16 Nov 2023 10:00:00 GMT\r\nx-cos-request-id: NjU1NjFhNjBfYjJ\r\n\r\n<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>AccessDenied</Code>\n\t<Message>RequestTimeTooSkewed</Message>\n\t<RequestId>NjU1NjFhNjBfYjJ</RequestId>\n\t<TraceId>OGVmYzZiMmQz</TraceId>\n</Error>";
    // q-sign-time starts 20 min (1200 s) after the server's 1700128800.
    let r = req(
        "GET",
        "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a.txt",
        &[("Authorization", "q-sign-algorithm=sha1&q-ak=AKIDexample&q-sign-time=1700130000;1700133600&q-key-time=1700130000;1700133600&q-header-list=host&q-url-param-list=&q-signature=0123")],
    );
    let x = run(resp, Some(&r), 0);
    assert_eq!(x.provider, Some(Provider::Cos));
    assert_eq!(x.entries, ["cos.request-time-too-skewed"]);
    let f = finding(&x, "SIG303");
    assert!(
        f.message
            .contains("is 20m ahead of the server's time (response Date) 2023-11-16T10:00:00Z"),
        "{}",
        f.message
    );
    // Within the limit: 5 minutes.
    let r = req(
        "GET",
        "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a.txt",
        &[("Date", "Thu, 16 Nov 2023 09:55:00 GMT")],
    );
    let x = run(resp, Some(&r), 0);
    assert!(finding(&x, "SIG304").message.contains("5m behind"));
    // No request: the skew cannot be computed, and sigdiff says so.
    assert!(codes(&run(resp, None, 0)).contains(&"SIG305"));
}

#[test]
fn cos_request_expired_reads_q_sign_time() {
    let body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><TraceId>x</TraceId></Error>";
    let r = req("GET", "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a.txt?q-sign-algorithm=sha1&q-ak=AKIDexample&q-sign-time=1700000000%3B1700003600&q-key-time=1700000000%3B1700003600&q-header-list=host&q-url-param-list=&q-signature=0123", &[]);
    let x = run(body, Some(&r), 1700007200);
    assert_eq!(x.entries, ["cos.request-expired"]);
    let f = finding(&x, "SIG306");
    assert_eq!(f.field.as_deref(), Some("q-sign-time"));
    assert!(
        f.message.contains("1h before the reference time"),
        "{}",
        f.message
    );
    // A window that starts after the server's time.
    let x = run(body, Some(&r), 1699990000);
    assert!(codes(&x).contains(&"SIG307"));
}

#[test]
fn cos_access_forbidden_cors() {
    let body = "<Error><Code>AccessDenied</Code><Message>AccessForbidden</Message><Resource>/a.txt</Resource><RequestId>r</RequestId><TraceId>t</TraceId></Error>";
    let r = req(
        "OPTIONS",
        "https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/a.txt",
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "PUT"),
        ],
    );
    let x = run(body, Some(&r), 0);
    assert_eq!(x.entries, ["cos.access-forbidden"]);
    let f = finding(&x, "SIG334");
    assert!(
        f.message
            .contains("Origin `https://app.example.com`, method `PUT`"),
        "{}",
        f.message
    );
    assert!(x.solution(Lang::Zh).unwrap().contains("跨域访问CORS设置"));
}

#[test]
fn oss_json_error_form() {
    // oss-signing.md §8: GO2 parses {"Error":{...}} (OSS Vectors).
    let body = r#"{"Error":{"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match the signature you provided. Check your key and signing method.","RequestId":"65A1B2C3D4E5F60718293A4B","SignatureProvided":"abc","EC":"0002-00000040"}}"#;
    let x = run(body, None, 0);
    assert!(x.known);
    assert_eq!(x.provider, Some(Provider::Oss));
    assert_eq!(x.ec.as_deref(), Some("0002-00000040"));
}

#[test]
fn cos_signature_body_from_the_spec() {
    // cos-signing.md §5 real capture.
    let body = "<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>SignatureDoesNotMatch</Code>\n\t<Message>The Signature you specified is invalid.</Message>\n\t<StringToSign>sha1\n1666158568;1666218568\n488ab174d5f7a6ec0966aeeb82600e185114d7d1\n</StringToSign>\n\t<FormatString>put\n/\ncors=\ncontent-length=454&amp;host=test-app-1251021022.cos.ap-guangzhou.myqcloud.com\n</FormatString>\n\t<Resource>/</Resource>\n\t<RequestId>NjM0ZjhmZThf</RequestId>\n\t<TraceId>OGVmYzZiMmQz</TraceId>\n</Error>";
    let x = run(body, None, 0);
    assert_eq!(x.entries, ["cos.signature-does-not-match"]);
    assert!(finding(&x, "SIG328").message.contains("FormatString"));
}

#[test]
fn unknown_code_is_not_guessed() {
    let body = "<Error><Code>QcloudApiRoleNotExist</Code><Message>Qcloud api role not exist, need create role</Message><RequestId>r</RequestId><TraceId>t</TraceId></Error>";
    let x = run(body, None, 0);
    assert!(!x.known);
    assert_eq!(
        (x.cause_en.as_deref(), x.solution_zh.as_deref()),
        (None, None)
    );
    assert!(x.entries.is_empty());
    assert_eq!(x.fields.len(), 4);
    assert_eq!(codes(&x), ["SIG300"]);
    assert_eq!(x.exit_code(), 1);
    // A catalogued message under a code that does not go with it is unknown too.
    let x = run("<Error><Code>NoSuchKey</Code><Message>Request has expired.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>", None, 0);
    assert!(!x.known);
}

#[test]
fn unseen_message_of_a_known_code_says_so() {
    let x = run("<Error><Code>AccessDenied</Code><Message>The bucket policy evaluation failed for another reason.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>", None, 0);
    assert!(x.known);
    assert_eq!(x.entries, ["oss.access-denied"]);
    assert!(codes(&x).contains(&"SIG301"));
}

#[test]
fn ambiguous_provider_gives_both() {
    let e = input::literal("Request has expired").unwrap();
    let x = explain(&e.error, None, 0);
    assert_eq!(x.provider, None);
    assert_eq!(
        x.entries,
        ["oss.access-denied.expired", "cos.request-expired"]
    );
    assert!(x
        .cause_en
        .as_deref()
        .unwrap()
        .starts_with("Alibaba Cloud OSS: "));
    assert!(x
        .cause_en
        .as_deref()
        .unwrap()
        .contains("\nTencent Cloud COS: "));
    assert!(codes(&x).contains(&"SIG302"));
    // The request's host settles it.
    let r = req(
        "GET",
        "https://b-1250000000.cos.ap-beijing.myqcloud.com/k",
        &[],
    );
    let x = explain(&e.error, Some(&r), 0);
    assert_eq!((x.provider, x.entries.len()), (Some(Provider::Cos), 1));
}

#[test]
fn naming_rules() {
    // seeds/003 "Bucket nomenclature" / "Object nomenclature".
    for ok in ["abc", "my-bucket-01", &"a".repeat(63)] {
        assert_eq!(oss_bucket_problem(ok), None, "{ok}");
    }
    for bad in [
        "ab",
        &"a".repeat(64),
        "My-bucket",
        "my_bucket",
        "-bucket",
        "bucket-",
        "my.bucket",
    ] {
        assert!(oss_bucket_problem(bad).is_some(), "{bad}");
    }
    assert_eq!(cos_bucket_problem("examplebucket-1250000000"), None);
    for bad in [
        "examplebucket",
        "examplebucket-",
        "-1250000000",
        "bucket-12a",
    ] {
        assert!(cos_bucket_problem(bad).is_some(), "{bad}");
    }
    assert_eq!(oss_object_problem("a/b.txt"), None);
    assert!(oss_object_problem("/a").is_some());
    assert!(oss_object_problem("\\a").is_some());
    assert!(oss_object_problem(&"x".repeat(1024)).is_some());
    assert_eq!(oss_object_problem(&"x".repeat(1023)), None);
    // Through explain: a path-style request names the bucket in the path.
    let r = req(
        "GET",
        "https://oss-cn-hangzhou.aliyuncs.com/Bad_Bucket/%2Fkey",
        &[],
    );
    let x = run(OSS_SDNM, Some(&r), 0);
    assert!(finding(&x, "SIG314").message.contains("`Bad_Bucket`"));
    assert!(finding(&x, "SIG316").message.contains("`/key`"));
    let r = req(
        "GET",
        "https://examplebucket.cos.ap-beijing.myqcloud.com/k",
        &[],
    );
    let x = run("<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><TraceId>t</TraceId></Error>", Some(&r), 0);
    assert!(finding(&x, "SIG315").message.contains("`examplebucket`"));
}

#[test]
fn host_style_and_shape() {
    // seeds/002 SecondLevelDomainForbidden: path style / IP is an error there.
    let body = "<Error><Code>SecondLevelDomainForbidden</Code><Message>Please use virtual hosted style to access.</Message><HostId>oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    let r = req(
        "GET",
        "https://oss-cn-hangzhou.aliyuncs.com/examplebucket/destfolder/example.txt",
        &[],
    );
    let x = run(body, Some(&r), 0);
    let f = finding(&x, "SIG321");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .ends_with("https://examplebucket.oss-cn-hangzhou.aliyuncs.com/destfolder/example.txt"),
        "{}",
        f.message
    );
    let r = req("GET", "http://10.0.0.1/examplebucket/k", &[]);
    assert!(finding(&run(body, Some(&r), 0), "SIG321")
        .message
        .contains("an IP address"));
    // A custom domain for NonStandardHostForbidden.
    let body = "<Error><Code>NonStandardHostForbidden</Code><Message>Your host is invalid. Please use Open Storage Service standard host.</Message><HostId>img.example.com</HostId></Error>";
    assert!(codes(&run(body, None, 0)).contains(&"SIG322"));
    // A scheme inside the host (a mis-joined endpoint), from the Host header of raw HTTP.
    let r =
        sigdiff::input::raw_http::parse("GET /k HTTP/1.1\r\nHost: bucket.http\r\n\r\n").unwrap();
    assert!(codes(&run(OSS_SDNM, Some(&r), 0)).contains(&"SIG320"));
    // The bucket doubled in the path.
    let r = req(
        "GET",
        "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/examplebucket/k",
        &[],
    );
    assert!(codes(&run(OSS_SDNM, Some(&r), 0)).contains(&"SIG318"));
}

#[test]
fn signature_fields_sts_referer() {
    // seeds/002: query-string authentication needs all three.
    let body = "<Error><Code>AccessDenied</Code><Message>Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    let r = req(
        "GET",
        "https://b.oss-cn-hangzhou.aliyuncs.com/k?OSSAccessKeyId=ak&Signature=s",
        &[],
    );
    let f = finding(&run(body, Some(&r), 0), "SIG325").message.clone();
    assert!(f.contains("lacks Expires"), "{f}");
    // Anonymous.
    let body = "<Error><Code>AccessDenied</Code><Message>Anonymous user has no right to access this object.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    let r = req("GET", "https://b.oss-cn-hangzhou.aliyuncs.com/k", &[]);
    assert!(codes(&run(body, Some(&r), 0)).contains(&"SIG324"));
    // STS token errors without a token.
    let body = "<Error><Code>SecurityTokenExpired</Code><Message>The security token you provided has expired.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    assert!(codes(&run(body, Some(&r), 0)).contains(&"SIG330"));
    let r2 = req(
        "GET",
        "https://b.oss-cn-hangzhou.aliyuncs.com/k",
        &[("x-oss-security-token", "CAIS")],
    );
    assert!(finding(&run(body, Some(&r2), 0), "SIG331")
        .message
        .contains("header x-oss-security-token"));
    // Referer.
    let body = "<Error><Code>AccessDenied</Code><Message>You are denied by bucket referer policy.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    assert!(codes(&run(body, Some(&r), 0)).contains(&"SIG332"));
    let r3 = req(
        "GET",
        "https://b.oss-cn-hangzhou.aliyuncs.com/k",
        &[("Referer", "https://evil.example/")],
    );
    assert!(finding(&run(body, Some(&r3), 0), "SIG333")
        .message
        .contains("https://evil.example/"));
}

#[test]
fn access_key_id_characters_from_the_echo() {
    // seeds/000 non-acceptable characters; the server echoes the id it got.
    let body = "<Error><Code>InvalidAccessKeyId</Code><Message>The OSS Access Key Id contains non-acceptable characters, which accepts only alphanumeric characters[0-9a-zA-Z] and several special characters[._=]</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><OSSAccessKeyId>LTAI\"abc</OSSAccessKeyId></Error>";
    let x = run(body, None, 0);
    assert_eq!(x.entries, ["oss.invalid-access-key-id.characters"]);
    assert!(finding(&x, "SIG312").message.contains("contains `\"`"));
    let r = req(
        "GET",
        "https://b.oss-cn-hangzhou.aliyuncs.com/k?OSSAccessKeyId=LTAIabc%0D&Expires=1&Signature=s",
        &[],
    );
    assert!(finding(&run(body, Some(&r), 0), "SIG311")
        .message
        .contains("\\r"));
}

proptest::proptest! {
    // Nothing the user can type or paste makes explain panic.
    #[test]
    fn never_panics(text in ".{0,300}", code in "[A-Za-z]{0,20}", msg in ".{0,80}", host in "[a-z0-9.-]{1,40}", path in "/[a-zA-Z0-9%/._+-]{0,40}", q in "[a-zA-Z0-9%=&;._-]{0,60}") {
        if let Ok(e) = input::read(&text, "t", true) {
            let _ = explain(&e.error, None, 0);
        }
        let body = format!("<Error><Code>{code}</Code><Message>{}</Message><Endpoint>{host}</Endpoint><Expires>{msg}</Expires><ServerTime>{msg}</ServerTime><OSSAccessKeyId>{msg}</OSSAccessKeyId></Error>", msg.replace(['&', '<'], ""));
        if let Ok(e) = input::read(&body, "t", false) {
            if let Ok(r) = Request::from_url("GET", &format!("https://{host}{path}?{q}"), vec![("Date".into(), msg.clone())]) {
                for c in ["PermanentRedirect", "RequestTimeTooSkewed", "SignatureDoesNotMatch", "SecondLevelDomainForbidden"] {
                    let mut e2 = e.error.clone();
                    e2.fields[0].1 = c.to_string();
                    let _ = explain(&e2, Some(&r), 0);
                }
                let _ = explain(&e.error, Some(&r), i64::MAX / 2);
            }
        }
    }
}

#[test]
fn extreme_times_do_not_overflow() {
    let body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><TraceId>x</TraceId></Error>";
    let r = req("GET", "https://b-1250000000.cos.ap-beijing.myqcloud.com/k?q-sign-time=-9223372036854775808%3B-9223372036854775807&q-key-time=9223372036854775807%3B9223372036854775807", &[]);
    let x = run(body, Some(&r), 1_700_000_000);
    assert!(codes(&x).contains(&"SIG306"));
    assert!(codes(&x).contains(&"SIG307"));
    let r = req("GET", "https://b.oss-cn-hangzhou.aliyuncs.com/k?x-oss-date=20231203T121212Z&x-oss-expires=9223372036854775807", &[]);
    let body = "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    assert!(!codes(&run(body, Some(&r), 1_700_000_000)).contains(&"SIG306"));
}
