//! COS q-sign known-answer vectors (cos-signing.md §6: V1–V12, D1–D8), each run
//! through `sign_spec` and, where it is a request, `verify`: the signed request
//! must verify (MATCH), and one changed byte must not (MISMATCH naming the field).
//! Every expected value is quoted from the spec; none comes from sigdiff's output.

use serde_json::{json, Value};
use sigdiff::canonical::Stage;
use sigdiff::cos::{self, CosOptions};
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions, SignResult};
use sigdiff::verify::{verify, Verdict, VerifyOptions, VerifyReport};
use sigdiff::{Request, Secret};

const AK: &str = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q";
const SK: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
const H: &str = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";

fn sign(v: Value) -> SignResult {
    let spec = RequestSpec::from_json(&v.to_string()).unwrap();
    sign_spec(&spec, &SignOptions::default()).unwrap()
}

/// The request `sign` produced, as a client would send it.
fn request_of(r: &SignResult, method: &str) -> Request {
    Request::from_url(method, &r.url, r.headers.clone()).unwrap()
}

fn verify_with(req: &Request, secret: &str, now: i64, client: Option<String>) -> VerifyReport {
    let o = VerifyOptions {
        now,
        secrets: vec![Secret::new(secret)],
        client_string: client,
        ..Default::default()
    };
    verify(req, &o).unwrap()
}

/// Sign → verify is a MATCH; a changed byte in `mutate`'s target is a MISMATCH
/// whose field diff (against the client's own FormatString) names `field`.
fn round_trip(
    r: &SignResult,
    method: &str,
    secret: &str,
    now: i64,
    mutate: impl Fn(&mut Request),
    field: &str,
) {
    let req = request_of(r, method);
    let rep = verify_with(&req, secret, now, None);
    assert_eq!(rep.verdict, Verdict::Match, "{:#?}", rep.findings);
    assert_eq!(
        rep.computed_signature.as_deref(),
        Some(r.signature.as_str())
    );
    let mut bad = req.clone();
    mutate(&mut bad);
    let rep = verify_with(&bad, secret, now, None);
    assert_eq!(rep.verdict, Verdict::Mismatch);
    let rep = verify_with(&bad, secret, now, r.format_string.clone());
    assert_eq!(rep.verdict, Verdict::Mismatch);
    let named: Vec<&str> = rep
        .findings
        .iter()
        .filter(|f| f.code == "SIG003")
        .filter_map(|f| f.field.as_deref())
        .collect();
    assert!(named.contains(&field), "{named:?} lacks {field}");
}

fn bump_header(name: &'static str) -> impl Fn(&mut Request) {
    move |r: &mut Request| {
        let h = r
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap();
        h.1.push('x');
    }
}

fn bump_path(r: &mut Request) {
    let q = r.target.find('?').unwrap_or(r.target.len());
    r.target.insert(q, 'x');
}

fn bump_query_value(r: &mut Request) {
    // First parameter's value gains a byte (`a=b&` → `a=bx&`).
    let q = r.target.find('?').unwrap();
    let amp = r.target[q..].find('&').map_or(r.target.len(), |i| q + i);
    r.target.insert(amp, 'x');
}

// ------------------------------------------------------------------ V1–V5

#[test]
fn v1_upload_doc() {
    // cos-signing.md §6 V1 (all seven headers signed, `date` included).
    let r = sign(json!({
        "scheme": "cos", "method": "PUT", "bucket": "examplebucket-1250000000",
        "key": "exampleobject(腾讯云)", "endpoint": "cos.ap-beijing.myqcloud.com",
        "headers": [["Date", "Thu, 16 May 2019 06:45:51 GMT"], ["Host", H],
            ["Content-Type", "text/plain"], ["Content-Length", "13"],
            ["Content-MD5", "mQ/fVh815F3k6TAUm8m0eg=="], ["x-cos-acl", "private"],
            ["x-cos-grant-read", "uin=\"100000000011\""]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1557989151, "key_time": "1557989151;1557996351",
        "signed_headers": ["content-length", "content-md5", "content-type", "date", "host", "x-cos-acl", "x-cos-grant-read"]
    }));
    assert_eq!(r.signature, "3b8851a11a569213c17ba8fa7dcf2abec6935172");
    assert_eq!(r.authorization.as_deref(), Some("q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172"));
    assert_eq!(
        r.string_to_sign,
        "sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n"
    );
    assert_eq!(r.format_string.as_deref(), Some("put\n/exampleobject(腾讯云)\n\ncontent-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-acl=private&x-cos-grant-read=uin%3D%22100000000011%22\n"));
    round_trip(
        &r,
        "PUT",
        SK,
        1557989200,
        bump_header("x-cos-acl"),
        "header:x-cos-acl",
    );
    round_trip(
        &r,
        "PUT",
        SK,
        1557989200,
        bump_header("Date"),
        "header:date",
    );
}

#[test]
fn v2_download_doc() {
    // cos-signing.md §6 V2.
    let r = sign(json!({
        "scheme": "cos", "method": "GET", "bucket": "examplebucket-1250000000",
        "key": "exampleobject(腾讯云)", "endpoint": "cos.ap-beijing.myqcloud.com",
        "query": [["response-content-type", "application/octet-stream"], ["response-cache-control", "max-age=600"]],
        "headers": [["Date", "Thu, 16 May 2019 06:55:53 GMT"], ["Host", H]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1557989753, "key_time": "1557989753;1557996953", "signed_headers": ["date", "host"]
    }));
    assert_eq!(r.signature, "01681b8c9d798a678e43b685a9f1bba0f6c0e012");
    assert_eq!(r.authorization.as_deref(), Some("q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989753;1557996953&q-key-time=1557989753;1557996953&q-header-list=date;host&q-url-param-list=response-cache-control;response-content-type&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012"));
    assert!(r
        .string_to_sign
        .contains("54ecfe22f59d3514fdc764b87a32d8133ea611e6"));
    round_trip(
        &r,
        "GET",
        SK,
        1557989800,
        bump_query_value,
        "query:response-content-type",
    );
}

#[test]
fn v3_v4_old_doc() {
    // cos-signing.md §6 V3 (x-cos-* signed by default) and V4 (`range` chosen).
    let r = sign(json!({
        "scheme": "cos", "method": "PUT", "url": "https://bucket1-1254000000.cos.ap-beijing.myqcloud.com/testfile2",
        "headers": [["Host", "bucket1-1254000000.cos.ap-beijing.myqcloud.com"],
            ["x-cos-content-sha1", "7b502c3a1f48c8609ae212cdfb639dee39673f5e"], ["x-cos-storage-class", "nearline"]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1417773892, "key_time": "1417773892;1417853898"
    }));
    assert_eq!(r.signature, "84f5be2187452d2fe276dbdca932143ef8161145");
    assert!(r
        .authorization
        .unwrap_or_default()
        .contains("&q-header-list=host;x-cos-content-sha1;x-cos-storage-class&"));
    let r4 = sign(json!({
        "scheme": "cos", "method": "GET", "url": "https://bucket1-1254000000.cos.ap-beijing.myqcloud.com/testfile",
        "headers": [["Host", "bucket1-1254000000.cos.ap-beijing.myqcloud.com"], ["Range", "bytes=0-3"]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1417773892, "key_time": "1417773892;1417853898", "signed_headers": ["host", "range"]
    }));
    assert_eq!(r4.signature, "4b6cbab14ce01381c29032423481ebffd514e8be");
    assert_eq!(r4.format_string.as_deref(), Some("get\n/testfile\n\nhost=bucket1-1254000000.cos.ap-beijing.myqcloud.com&range=bytes%3D0-3\n"));
    round_trip(
        &r4,
        "GET",
        SK,
        1417773900,
        bump_header("Range"),
        "header:range",
    );
    round_trip(&r4, "GET", SK, 1417773900, bump_path, "path");
}

#[test]
fn v5_go_test() {
    // cos-signing.md §6 V5 (Go TestNewAuthorization, typo header kept).
    let r = sign(json!({
        "scheme": "cos", "method": "PUT", "bucket": "testbucket-125000000", "key": "testfile2",
        "endpoint": "cos.ap-guangzhou.myqcloud.com",
        "headers": [["Host", "testbucket-125000000.cos.ap-guangzhou.myqcloud.com"],
            ["x-cos-content-sha1", "db8ac1c259eb89d4a131b253bacfca5f319d54f2"], ["x-cos-stroage-class", "nearline"]],
        "credentials": {"access_key_id": "QmFzZTY0IGlzIGEgZ2VuZXJp", "access_key_secret": "AKIDZfbOA78asKUYBcXFrJD0a1ICvR98JM"},
        "time": 1480932292, "key_time": "1480932292;1481012292"
    }));
    assert_eq!(r.authorization.as_deref(), Some("q-sign-algorithm=sha1&q-ak=QmFzZTY0IGlzIGEgZ2VuZXJp&q-sign-time=1480932292;1481012292&q-key-time=1480932292;1481012292&q-header-list=host;x-cos-content-sha1;x-cos-stroage-class&q-url-param-list=&q-signature=ce4ac0ecbcdb30538b3fee0a97cc6389694ce53a"));
    round_trip(
        &r,
        "PUT",
        "AKIDZfbOA78asKUYBcXFrJD0a1ICvR98JM",
        1480932300,
        bump_header("x-cos-stroage-class"),
        "header:x-cos-stroage-class",
    );
}

// ------------------------------------------------------------------ V6, V7: presigned URLs

const GO_AK: &str = "QmFzZTY0IGlzIGEgZ*******";
const GO_SK: &str = "ZfbOA78asKUYBcXFrJD0a1I*******";

fn query_of(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

#[test]
fn v6_go_presigned_per_field() {
    // cos-signing.md §6 V6: signHost=false (nothing signed), Go encodeURIComponent.
    let r = sign(json!({
        "scheme": "cos-url", "method": "PUT", "bucket": "examplebucket-1250000000", "key": "test.jpg",
        "endpoint": "cos.ap-guangzhou.myqcloud.com",
        "credentials": {"access_key_id": GO_AK, "access_key_secret": GO_SK},
        "time": 1622702557, "key_time": "1622702557;1622706157", "signed_headers": [],
        "options": {"url_encoding": "uri-component"}
    }));
    assert_eq!(r.format_string.as_deref(), Some("put\n/test.jpg\n\n\n"));
    assert_eq!(query_of(&r.url), "q-sign-algorithm=sha1&q-ak=QmFzZTY0IGlzIGEgZ*******&q-sign-time=1622702557%3B1622706157&q-key-time=1622702557%3B1622706157&q-header-list=&q-url-param-list=&q-signature=820975b5a8eccce9455b94d4ebed14d66654bf3c");
    assert!(r.url.contains("/test.jpg?"));
    round_trip(&r, "PUT", GO_SK, 1622702600, bump_path, "path");
}

#[test]
fn v7_go_presigned_merged() {
    // cos-signing.md §6 V7: `test=params`, SignMerged.
    let r = sign(json!({
        "scheme": "cos-url", "method": "PUT", "bucket": "examplebucket-1250000000", "key": "test.jpg",
        "endpoint": "cos.ap-guangzhou.myqcloud.com", "query": [["test", "params"]],
        "credentials": {"access_key_id": GO_AK, "access_key_secret": GO_SK},
        "time": 1622702557, "key_time": "1622702557;1622706157", "signed_headers": [],
        "options": {"url_encoding": "uri-component", "presign": "merged"}
    }));
    assert_eq!(
        r.format_string.as_deref(),
        Some("put\n/test.jpg\ntest=params\n\n")
    );
    assert_eq!(query_of(&r.url), "test=params&sign=q-sign-algorithm%3Dsha1%26q-ak%3DQmFzZTY0IGlzIGEgZ*******%26q-sign-time%3D1622702557%3B1622706157%26q-key-time%3D1622702557%3B1622706157%26q-header-list%3D%26q-url-param-list%3Dtest%26q-signature%3D7757e84ed5f8953eafc30afcd2a5d1ad68e00d67");
    round_trip(&r, "PUT", GO_SK, 1622702600, bump_query_value, "query:test");
}

// ------------------------------------------------------------------ V8–V10: C++ AuthTool (path used verbatim)

#[test]
fn v8_v10_cpp_stages() {
    // cos-signing.md §6 V8–V10: in_uri `xxxx` has no leading slash, so these run
    // through the stage functions rather than a request.
    use cos::pairs::{parse_list, select, Repeated, Sort};
    let ctx = cos::SigningContext::new("1502493430;1502573430", "1502493430;1502573430");
    let secret = Secret::new("secret_key_test");
    assert_eq!(
        cos::key_time::sign_key(&secret, &ctx.key_time),
        "a757ca590ad495044c4292f970c0cac23e3fe5a6"
    );
    let headers = [
        ("host", "hostname_test"),
        ("x-cos-meta-xx", "meta_test"),
        ("unsigned_header", "x"),
    ];
    let params = [
        ("first_param", "first_value"),
        ("second_param", "second_value"),
    ];
    let hl = parse_list("host;x-cos-meta-xx");
    let hs = select(&headers, &hl, Repeated::All, Sort::EncodedKey);
    let pl = parse_list("first_param;second_param");
    let ps = select(&params, &pl, Repeated::All, Sort::EncodedKey);
    let v8 = cos::http_string::build("GET", "xxxx", ps.pairs, hs.pairs.clone()).to_string();
    assert_eq!(v8, "get\nxxxx\nfirst_param=first_value&second_param=second_value\nhost=hostname_test&x-cos-meta-xx=meta_test\n");
    assert_eq!(
        cos::string_to_sign::sha1_hex(&v8),
        "3ef34f01e1514e418d038d0f910c9dfed64a83d4"
    );
    assert_eq!(
        cos::sign_text(&ctx, Stage::FormatString, &v8, &secret),
        "7686473b75487163d6e204d3c68e5c3b74e06164"
    );
    let v9 = cos::http_string::build("GET", "xxxx", vec![], hs.pairs).to_string();
    assert_eq!(
        cos::sign_text(&ctx, Stage::FormatString, &v9, &secret),
        "8e196637993353bdff2466e0d34034130c9a2aca"
    );
    let v10 = cos::http_string::build("GET", "xxxx", vec![], vec![]).to_string();
    assert_eq!(v10, "get\nxxxx\n\n\n");
    assert_eq!(
        cos::sign_text(&ctx, Stage::FormatString, &v10, &secret),
        "122c75ad3f7c230b8cc88f4f38410b9d3d347997"
    );
}

// ------------------------------------------------------------------ V11: POST policy primitives

#[test]
fn v11_post_policy_primitives() {
    // cos-signing.md §6 V11: SignKey from the key time, StringToSign = SHA1 of the
    // decoded policy JSON, signature with the hex SignKey. (The cos-post scheme
    // itself is not part of this build; the primitives are shared.)
    use base64::Engine;
    let b64 = "ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9";
    let policy = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(policy.len(), 555);
    let key = cos::key_time::sign_key(&Secret::new(SK), "1567150692;1567157892");
    assert_eq!(key, "39acc8c9f34ba5b19bce4e965b370cd3f62d2fba");
    let sts = cos::string_to_sign::sha1_hex(&policy);
    assert_eq!(sts, "d5d903b8360468bc81c1311f134989bc8c8b5b89");
    assert_eq!(
        cos::string_to_sign::signature(&key, &sts),
        "7758dc9a832e9d301dca704cacbf9d9f8172fdef"
    );
}

// ------------------------------------------------------------------ V12: encoder

#[test]
fn v12_encoder_table() {
    // cos-signing.md §2.3 / V12 (Java UrlEncoderUtilsTest.testEncode): the one
    // encoder; keys are then lower-cased, values are not.
    let input = "! \"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let want = "%21%20%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~";
    let p = cos::pairs::pair(input, input);
    assert_eq!(p.value(), want);
    assert_eq!(p.key(), want.to_ascii_lowercase());
    assert_eq!(
        cos::pairs::pair("腾讯云", "腾讯云").value(),
        "%E8%85%BE%E8%AE%AF%E4%BA%91"
    );
}

// ------------------------------------------------------------------ D1–D6

struct D {
    method: &'static str,
    key: &'static str,
    query: Value,
    headers: Value,
    format_string: &'static str,
    lists: &'static str,
    signature: &'static str,
    mutate: fn(&mut Request),
    field: &'static str,
}

fn d_spec(d: &D, scheme: &str) -> Value {
    json!({
        "scheme": scheme, "method": d.method, "bucket": "examplebucket-1250000000", "key": d.key,
        "endpoint": "cos.ap-beijing.myqcloud.com", "query": d.query, "headers": d.headers,
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1700000000, "key_time": "1700000000;1700003600"
    })
}

fn d_vectors() -> Vec<(&'static str, D)> {
    vec![
        ("D1", D {
            method: "GET", key: "photos/2024/a b+c~d(1)*!.jpg", query: json!([]),
            headers: json!([["Host", H]]),
            format_string: "get\n/photos/2024/a b+c~d(1)*!.jpg\n\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
            lists: "&q-header-list=host&q-url-param-list=&",
            signature: "e951f3ee90ac4e34e66d94a4cfebdaa0c3b59b3f",
            mutate: bump_path, field: "path",
        }),
        ("D2", D {
            method: "GET", key: "",
            query: json!([["prefix", "dir/sub dir/"], ["delimiter", "/"], ["max-keys", "10"], ["encoding-type", "url"]]),
            headers: json!([["Host", H]]),
            format_string: "get\n/\ndelimiter=%2F&encoding-type=url&max-keys=10&prefix=dir%2Fsub%20dir%2F\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
            lists: "&q-header-list=host&q-url-param-list=delimiter;encoding-type;max-keys;prefix&",
            signature: "6cb32b6e1a47b21b43cb0bf345d4200f49347e56",
            mutate: bump_query_value, field: "query:prefix",
        }),
        ("D3", D {
            method: "PUT", key: "中文/文件.txt", query: json!([]),
            headers: json!([["Host", H], ["Content-Length", "0"], ["Content-Type", "text/plain; charset=utf-8"], ["x-cos-meta-Author", "Zhang San"], ["X-COS-ACL", "private"]]),
            format_string: "put\n/中文/文件.txt\n\ncontent-length=0&content-type=text%2Fplain%3B%20charset%3Dutf-8&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-acl=private&x-cos-meta-author=Zhang%20San\n",
            lists: "&q-header-list=content-length;content-type;host;x-cos-acl;x-cos-meta-author&q-url-param-list=&",
            signature: "6ad99dd617824f3ee5e1dd4c60f5898a01b52f0d",
            mutate: |r| bump_header("content-type")(r), field: "header:content-type",
        }),
        ("D4", D {
            method: "GET", key: "k",
            query: json!([["acl", ""], ["versionId", "MTg0NDUxNTc1NjIzMTQ1MDAwODg"], ["response-content-disposition", "attachment; filename=\"a b.txt\""]]),
            headers: json!([["Host", H]]),
            format_string: "get\n/k\nacl=&response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionid=MTg0NDUxNTc1NjIzMTQ1MDAwODg\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
            lists: "&q-header-list=host&q-url-param-list=acl;response-content-disposition;versionid&",
            signature: "0e32c1436b1ef23ce2864d9593be703813705dd1",
            mutate: bump_query_value, field: "query:acl",
        }),
        ("D5", D {
            method: "POST", key: "k", query: json!([["uploads", ""]]),
            headers: json!([["Host", H], ["Content-Length", "0"], ["Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="]]),
            format_string: "post\n/k\nuploads=\ncontent-length=0&content-md5=1B2M2Y8AsgTpgAmY7PhCfg%3D%3D&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
            lists: "&q-header-list=content-length;content-md5;host&q-url-param-list=uploads&",
            signature: "d9bcb11156742c61b435e21768a39b5e99deeb31",
            mutate: |r| bump_header("content-md5")(r), field: "header:content-md5",
        }),
        ("D6", D {
            method: "GET", key: "a", query: json!([["Key~Tilde", "v~*'()!"]]),
            headers: json!([["Host", H]]),
            format_string: "get\n/a\nkey~tilde=v~%2A%27%28%29%21\nhost=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
            lists: "&q-header-list=host&q-url-param-list=key~tilde&",
            signature: "9f266601164269ffcc174c0858061e346cb9cc64",
            mutate: bump_query_value, field: "query:key~tilde",
        }),
    ]
}

#[test]
fn d1_d6_header_form() {
    // cos-signing.md §6 D1–D6 (official Python CosS3Auth, also Node for D1/D2/D4–D6).
    for (name, d) in d_vectors() {
        let r = sign(d_spec(&d, "cos"));
        assert_eq!(r.format_string.as_deref(), Some(d.format_string), "{name}");
        assert_eq!(r.signature, d.signature, "{name}");
        assert!(
            r.authorization.as_deref().unwrap_or("").contains(d.lists),
            "{name}: {:?}",
            r.authorization
        );
        round_trip(&r, d.method, SK, 1700000100, d.mutate, d.field);
    }
}

#[test]
fn d1_d6_url_forms() {
    // Same signatures as presigned URLs: per-field (Java and Go encodings) and merged.
    for (name, d) in d_vectors() {
        for opts in [
            json!({}),
            json!({"url_encoding": "uri-component"}),
            json!({"presign": "merged"}),
            json!({"presign": "merged", "url_encoding": "uri-component"}),
        ] {
            let mut spec = d_spec(&d, "cos-url");
            spec["options"] = opts.clone();
            let r = sign(spec);
            assert_eq!(r.signature, d.signature, "{name} {opts}");
            assert!(r.authorization.is_none());
            round_trip(&r, d.method, SK, 1700000100, d.mutate, d.field);
        }
    }
}

// ------------------------------------------------------------------ D7, D8

#[test]
fn d7_sort_variant() {
    // cos-signing.md §6 D7: encoded-key sort (Python) vs raw-key sort (Node).
    let base = json!({
        "scheme": "cos", "method": "GET", "url": "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/k",
        "query": [["a/b", "1"], ["a.b", "2"]],
        "credentials": {"access_key_id": "AKID", "access_key_secret": "SK"},
        "time": 1700000000, "key_time": "1700000000;1700003600", "signed_headers": []
    });
    let enc = sign(base.clone());
    assert_eq!(
        enc.format_string.as_deref(),
        Some("get\n/k\na%2fb=1&a.b=2\n\n")
    );
    assert!(enc
        .string_to_sign
        .contains("53d4a8214f76b7502fe150ac83960b3d7ea3cd15"));
    assert_eq!(enc.signature, "a0d9bc8dca3ab475cab5af749e397251b6d2b506");
    let mut raw_spec = base;
    raw_spec["options"] = json!({"sort": "raw-key"});
    let raw = sign(raw_spec);
    assert_eq!(
        raw.format_string.as_deref(),
        Some("get\n/k\na.b=2&a%2fb=1\n\n")
    );
    assert!(raw
        .string_to_sign
        .contains("fd3f56498b452105c5d3a5f195ad46a369ea26b1"));
    assert_eq!(raw.signature, "1939a3ec4f5e760296de2e2ec6860fb196d53fd2");
    for r in [&enc, &raw] {
        assert!(r
            .authorization
            .as_deref()
            .unwrap()
            .contains("&q-url-param-list=a%2fb;a.b&"));
    }
    // verify: the default (server model) accepts the encoded-key signature, the
    // raw-key one only with the variant, and says the sort order matters here.
    let req = request_of(&raw, "GET");
    let rep = verify_with(&req, "SK", 1700000100, None);
    assert_eq!(rep.verdict, Verdict::Mismatch);
    assert!(rep.findings.iter().any(|f| f.code == "SIG120"));
    let o = VerifyOptions {
        now: 1700000100,
        secrets: vec![Secret::new("SK")],
        cos: CosOptions {
            sort: cos::Sort::RawKey,
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(verify(&req, &o).unwrap().verdict, Verdict::Match);
    let rep = verify_with(&request_of(&enc, "GET"), "SK", 1700000100, None);
    assert_eq!(rep.verdict, Verdict::Match);
}

#[test]
fn d8_key_time_differs_from_sign_time() {
    // cos-signing.md §6 D8: SignKey from q-key-time, StringToSign from q-sign-time.
    let r = sign(json!({
        "scheme": "cos", "method": "GET", "bucket": "examplebucket-1250000000",
        "key": "photos/2024/a b+c~d(1)*!.jpg", "endpoint": "cos.ap-beijing.myqcloud.com",
        "headers": [["Host", H]],
        "credentials": {"access_key_id": AK, "access_key_secret": SK},
        "time": 1700000000, "key_time": "1700000000;1700003600", "sign_time": "1700000100;1700000400"
    }));
    assert_eq!(r.signature, "d8652911deb1db4eeca0e0b8bfac6c60db840cac");
    let auth = r.authorization.clone().unwrap();
    assert!(auth.contains("q-sign-time=1700000100;1700000400&q-key-time=1700000000;1700003600"));
    let req = request_of(&r, "GET");
    let rep = verify_with(&req, SK, 1700000200, None);
    assert_eq!(rep.verdict, Verdict::Match);
    assert!(rep.findings.iter().any(|f| f.code == "SIG101"));
    // Swapping the two times (Go's reading) breaks it.
    let swapped = auth.replace(
        "q-sign-time=1700000100;1700000400",
        "q-sign-time=1700000000;1700003600",
    );
    let mut bad = req.clone();
    bad.set_header("Authorization", &swapped);
    assert_eq!(
        verify_with(&bad, SK, 1700000200, None).verdict,
        Verdict::Mismatch
    );
}
