//! COS's one-pass verdict (`cos::check`, the first thing `verify::check`'s COS
//! arm tries) is the general path's (`verify::prepare` + `Prepared::signature`,
//! and `verify::verify`'s verdict): on drawn hosts (virtual-hosted, path style,
//! upper case, ports, IPs, other providers, unknown ones, a `Host` header that
//! differs from the URL), paths, queries, headers, q-sign strings (exact, spaced,
//! reordered, incomplete), lists, times, bucket hints and every COS option. When
//! `cos::check` answers, the general path gives the same key id, signatures and
//! verdict; when the general path refuses a request, `cos::check` leaves it alone
//! and `verify::check` gives the general path's error.

mod common;

use proptest::prelude::*;
use sigdiff::address::{resolve, Provider};
use sigdiff::cos::{self, CosOptions, Form};
use sigdiff::input::spec::RequestSpec;
use sigdiff::scheme::SchemeId;
use sigdiff::secret::Credentials;
use sigdiff::verify::{check, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};

const SECRET: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";

fn host() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        8 => Just("b-1250000000.cos.ap-beijing.myqcloud.com"),
        1 => Just("b-1250000000.cos-internal.ap-beijing.myqcloud.com"),
        1 => Just("b-1250000000.cos.ap-guangzhou.tencentcos.cn"),
        1 => Just("B-1250000000.cos.ap-beijing.myqcloud.com"),
        1 => Just("b-1250000000.cos.ap-beijing.myqcloud.com:8080"),
        1 => Just("b-1250000000.cos.ap-beijing.myqcloud.com."),
        1 => Just("b-1250000000.cos.accelerate.myqcloud.com"),
        1 => Just(".cos.ap-beijing.myqcloud.com"),
        1 => Just("cos.ap-beijing.myqcloud.com"),
        1 => Just("b.cosx.ap-beijing.myqcloud.com"),
        1 => Just("b.oss-cn-hangzhou.aliyuncs.com"),
        1 => Just("10.0.0.1"),
        1 => Just("img.example.com"),
        1 => Just("a.b.myqcloud.com"),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("/"),
            Just("a"),
            Just("Z"),
            Just("+"),
            Just("%20"),
            Just("%2F"),
            Just("%E8%85%BE"),
            Just("%zz"),
            Just("%FF"),
        ],
        0..5,
    )
    .prop_map(|p| format!("/{}", p.concat()))
}

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("acl"),
                Just("versionId"),
                Just("A%2Fb"),
                Just("k"),
                Just("K"),
                Just("q-signature"),
            ],
            prop_oneof![
                Just(None),
                Just(Some("")),
                Just(Some("v")),
                Just(Some("a%20B+c")),
                Just(Some("%FF")),
            ],
        ),
        0..3,
    )
    .prop_map(|q| common::query_text(&q))
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("Host"),
                Just("content-type"),
                Just("Content-Length"),
                Just("x-cos-meta-A"),
                Just("X-COS-META-a"),
                Just("User-Agent"),
            ],
            prop_oneof![
                Just("v".to_string()),
                Just(" padded\t".to_string()),
                Just("a/b c".to_string()),
                Just("腾讯".to_string()),
                Just(String::new()),
                host().prop_map(str::to_string),
            ],
        ),
        0..5,
    )
    .prop_map(|h| {
        h.into_iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    })
}

/// A `q-header-list` / `q-url-param-list`: often empty or `host` (so that the
/// one-pass path is taken), else drawn.
fn list() -> impl Strategy<Value = String> {
    let drawn = prop::collection::vec(
        prop_oneof![
            Just("host"),
            Just("content-type"),
            Just("x-cos-meta-a"),
            Just("X-Cos-Acl"),
            Just("absent"),
            Just("acl"),
            Just("versionid"),
            Just("k"),
            Just("a%2fb"),
            Just(""),
        ],
        0..4,
    )
    .prop_map(|l| l.join(";"));
    prop_oneof![
        2 => Just(String::new()),
        1 => Just("host".to_string()),
        1 => Just("k;acl".to_string()),
        3 => drawn,
    ]
}

/// A q-sign string: exact (as SDKs write it) or changed in one of the ways
/// captures and hand-written clients change it.
fn auth_text(hl: &str, pl: &str, times: &str, sig: &str, how: u8) -> String {
    let exact = format!("q-sign-algorithm=sha1&q-ak=AKID&q-sign-time={times}&q-key-time={times}&q-header-list={hl}&q-url-param-list={pl}&q-signature={sig}");
    match how {
        0..=3 => exact,
        4 => exact.replace('&', " & "),
        5 => exact.replace("q-ak=AKID&", "") + "&q-ak=AKID",
        6 => exact.replace("&q-signature=", "&q-signature-x="),
        _ => exact.replace("q-key-time=", "q-key-time=1;2&q-key-time="),
    }
}

fn options(cos: CosOptions, bucket: bool) -> VerifyOptions {
    VerifyOptions {
        now: 1_700_000_100,
        secrets: vec![Secret::new("other"), Secret::new(SECRET)],
        cos,
        bucket: bucket.then(|| "hint-1250000000".to_string()),
        diagnose: false,
        ..Default::default()
    }
}

/// `cos::check` and `verify::check` against the general path.
fn agree(req: &Request, o: &VerifyOptions) -> Result<bool, TestCaseError> {
    let scheme = o.scheme.unwrap_or(SchemeId::Cos);
    common::agree_with_general(req, o, cos::check(req, scheme, o), "cos::check", true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn one_pass_check_is_the_general_path(
        host in host(),
        path in path(),
        query in query(),
        headers in headers(),
        header_list in list(),
        param_list in list(),
        times in prop_oneof![4 => Just("1700000000;1700003600"), 1 => Just("1700000000;x"), 1 => Just("1;2;3")],
        how in 0u8..8,
        bucket in prop::bool::weighted(0.2),
        scheme in prop_oneof![4 => Just(None), 1 => Just(Some(SchemeId::Cos)), 1 => Just(Some(SchemeId::CosUrl))],
        present in any::<bool>(),
        opts in sigdiff::strategy::cos_options(),
    ) {
        // Half the time the lists name what the request carries, last first (so
        // that the one-pass path has to sort them).
        let names = |it: &mut dyn Iterator<Item = String>| {
            let mut v: Vec<String> = it.map(|n| n.to_ascii_lowercase()).collect();
            v.reverse();
            v.join(";")
        };
        let (header_list, param_list) = if present {
            let hl = names(&mut headers.iter().map(|(n, _)| n.clone()).chain(std::iter::once("host".to_string())));
            let pl = names(&mut query.split('&').filter(|kv| !kv.is_empty()).map(|kv| kv.split('=').next().unwrap_or("").to_string()));
            (hl, pl)
        } else {
            (header_list, param_list)
        };
        let auth = auth_text(&header_list, &param_list, times, "0123456789abcdef0123456789abcdef01234567", how);
        let target = if query.is_empty() { path } else { format!("{path}?{query}") };
        let mut h = headers;
        h.push(("Authorization".into(), auth));
        let Ok(req) = Request::from_url("PUT", &format!("https://{host}{target}"), h) else {
            return Ok(());
        };
        let mut o = options(opts, bucket);
        o.scheme = scheme;
        agree(&req, &o)?;
    }

    #[test]
    fn one_pass_check_takes_what_sign_writes(
        host in host(),
        path in path(),
        query in query(),
        headers in headers(),
        token in any::<bool>(),
        opts in sigdiff::strategy::cos_options(),
    ) {
        let target = if query.is_empty() { path } else { format!("{path}?{query}") };
        let Ok(req) = Request::from_url("GET", &format!("https://{host}{target}"), headers) else {
            return Ok(());
        };
        let Ok(addr) = resolve(&req, Provider::Cos, None) else {
            return Ok(());
        };
        let creds = Credentials {
            access_key_id: "AKID".into(),
            secret: Secret::new(SECRET),
            security_token: token.then(|| "tok en/+".to_string()),
        };
        let Ok(s) = cos::sign(req, &addr, Form::Header, &creds, 1_700_000_000, 3600, &RequestSpec::default(), &opts) else {
            return Ok(());
        };
        let o = options(opts, false);
        agree(&s.request, &o)?;
        if let Ok(c) = check(&s.request, &o) {
            prop_assert_eq!(c.verdict, Verdict::Match);
            prop_assert_eq!(c.secret_index, Some(1));
        }
    }
}

/// The usual request (benches/fixtures `cos()`) takes the one-pass path, and a
/// tampered signature is a mismatch there too.
#[test]
fn the_usual_request_takes_the_one_pass_path() {
    let req = Request::from_url(
        "PUT",
        "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/photos/2024/a%20b.jpg",
        vec![
            ("Content-Type".into(), "image/jpeg".into()),
            ("x-cos-meta-author".into(), "Zhang San".into()),
        ],
    )
    .unwrap();
    let addr = resolve(&req, Provider::Cos, None).unwrap();
    let creds = Credentials {
        access_key_id: "AKID".into(),
        secret: Secret::new(SECRET),
        security_token: None,
    };
    let opts = CosOptions::default();
    let s = cos::sign(
        req,
        &addr,
        Form::Header,
        &creds,
        1_700_000_000,
        3600,
        &RequestSpec::default(),
        &opts,
    )
    .unwrap();
    let o = options(opts, false);
    assert!(agree(&s.request, &o).unwrap(), "one-pass path not taken");
    let c = cos::check(&s.request, SchemeId::Cos, &o).unwrap();
    assert_eq!(c.verdict, Verdict::Match);
    assert_eq!(c.computed_signature.as_deref(), Some(s.signature.as_str()));
    let mut bad = s.request.clone();
    let a = bad
        .header("authorization")
        .unwrap()
        .replace("q-signature=", "q-signature=0");
    bad.set_header("Authorization", a);
    assert!(agree(&bad, &o).unwrap());
    assert_eq!(
        cos::check(&bad, SchemeId::Cos, &o).unwrap().verdict,
        Verdict::Mismatch
    );
}
