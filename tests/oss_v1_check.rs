//! OSS V1's shortcuts in `verify::check` give the answers of the paths they
//! stand for: `v1::check::virtual_hosted` is `address::locate_raw` wherever it
//! answers (and answers for the typical virtual-hosted request), and
//! `verify::check` on a V1 request is `address::locate`, then
//! `v1::canonicalise_text` (held to the general StringToSign by
//! tests/oss_v1_lean.rs) and each secret's `v1::sign_string`: the same `Check`,
//! the same errors, call after call on one thread (the StringToSign buffer is
//! reused).

mod common;

use proptest::prelude::*;
use sigdiff::address::{locate, locate_raw, HostStyle, Provider};
use sigdiff::encode::PlusMeans;
use sigdiff::oss::v1::{self, Form, V1Options};
use sigdiff::scheme::SchemeId;
use sigdiff::secret::{ct_eq, Credentials};
use sigdiff::verify::{check, Check, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};

fn host() -> impl Strategy<Value = String> {
    let bucket = prop_oneof![
        Just(""),
        Just("examplebucket."),
        Just("a.b."),
        Just("."),
        Just("Ex."),
        Just("b-1."),
    ];
    let label = prop_oneof![
        Just("oss"),
        Just("oss-cn-hangzhou"),
        Just("oss-cn-hangzhou-internal"),
        Just("oss-accelerate"),
        Just("oss-"),
        Just("osss"),
        Just("OSS-cn"),
        Just("cos"),
        Just(""),
    ];
    let suffix = prop_oneof![
        Just(".aliyuncs.com"),
        Just(".aliyuncs.com."),
        Just(".aliyuncs.com:8080"),
        Just(".aliyuncs.com:"),
        Just(".Aliyuncs.com"),
        Just("aliyuncs.com"),
        Just(".myqcloud.com"),
        Just(".example.com"),
        Just(""),
    ];
    prop_oneof![
        (bucket, label, suffix).prop_map(|(b, l, s)| format!("{b}{l}{s}")),
        Just("127.0.0.1:9000".to_string()),
        Just("[::1]".to_string()),
        Just("cdn.example.com".to_string()),
        Just(String::new()),
    ]
}

fn target() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("/"),
        Just("/photos/2024/a%20b.jpg?partNumber=1&uploadId=0004B9"),
        Just("/k%2Bz+y?acl"),
        Just("/b/%FF"),
        Just("/b/a%2"),
        Just("/%E8%85%BE?x-oss-process=a%2Bb"),
        Just("//k"),
        Just("k"),
        Just("?acl"),
        Just(""),
    ]
}

/// A request built field by field (any host, `Host` header or not, any target).
fn request() -> impl Strategy<Value = (Request, Option<String>)> {
    (
        host(),
        prop::option::of(prop_oneof![
            host(),
            Just(" examplebucket.oss-cn-hangzhou.aliyuncs.com\t".to_string()),
        ]),
        target(),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("Content-Type"),
                    Just("Date"),
                    Just("x-oss-date"),
                    Just("X-Oss-Meta-A"),
                    Just("x-oss-meta-b"),
                    Just("Authorization"),
                ],
                prop_oneof![
                    Just("Wed, 28 Dec 2022 10:27:41 GMT"),
                    Just("OSS ak:c2ln"),
                    Just("OSS ak"),
                    Just(" x "),
                    Just(""),
                ],
            ),
            0..6,
        ),
        prop::option::of(prop_oneof![Just("hinted"), Just("")]),
    )
        .prop_map(|(authority, host_header, target, headers, hint)| {
            let mut headers: Vec<(String, String)> = headers
                .into_iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            if let Some(h) = host_header {
                headers.insert(0, ("Host".into(), h));
            }
            let req = Request {
                method: "PUT".into(),
                scheme: "https".into(),
                authority: (!authority.is_empty()).then_some(authority),
                target: target.into(),
                headers,
                body_len: None,
            };
            (req, hint.map(str::to_string))
        })
}

/// What `verify::check` answered for a V1 request before its shortcuts: the
/// address located, the StringToSign of `canonicalise_text`, every secret tried.
fn reference(req: &Request, o: &VerifyOptions) -> sigdiff::error::Result<Check<'static>> {
    let loc = locate(req, Provider::Oss, o.bucket.as_deref())?;
    let (text, ak, provided) = v1::canonicalise_text(
        req,
        loc.bucket.as_deref(),
        &loc.key,
        Form::Header,
        &o.oss_v1,
    )?;
    let sigs: Vec<String> = o
        .secrets
        .iter()
        .map(|s| v1::sign_string(s, &text))
        .collect();
    let hit = sigs.iter().position(|s| ct_eq(s, &provided));
    Ok(Check {
        verdict: match (o.secrets.is_empty(), hit) {
            (true, _) => Verdict::Unverified,
            (false, Some(_)) => Verdict::Match,
            (false, None) => Verdict::Mismatch,
        },
        scheme: SchemeId::OssV1,
        access_key_id: ak.into(),
        provided_signature: provided.into(),
        computed_signature: sigs.get(hit.unwrap_or(0)).map(|s| s.clone().into()),
        secret_index: hit,
    })
}

fn verify_options(hint: Option<String>, opts: V1Options, secrets: usize) -> VerifyOptions {
    VerifyOptions {
        now: 1_672_223_261,
        bucket: hint,
        scheme: Some(SchemeId::OssV1),
        oss_v1: opts,
        secrets: [Secret::new("other"), Secret::new("sk")][..secrets].to_vec(),
        diagnose: false,
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn virtual_hosted_is_locate_raw((req, hint) in request()) {
        let got = v1::check::virtual_hosted(&req, hint.as_deref());
        let want = locate_raw(&req, Provider::Oss, hint.as_deref());
        if let Some((bucket, key_raw)) = got {
            let want = want.expect("locate_raw takes what the shortcut takes");
            prop_assert_eq!(want.style, HostStyle::VirtualHosted);
            prop_assert_eq!(want.bucket.as_deref(), Some(bucket));
            prop_assert_eq!(want.key_raw, key_raw);
            prop_assert_eq!(want.plus, PlusMeans::Plus);
        }
    }

    #[test]
    fn check_is_locate_then_canonicalise_text(
        (req, hint) in request(),
        signed in any::<bool>(),
        secrets in 0usize..3,
        trim in any::<bool>(),
    ) {
        let opts = V1Options {
            header_values: if trim { v1::HeaderValues::Trim } else { v1::HeaderValues::Raw },
            ..V1Options::default()
        };
        let mut req = req;
        if signed {
            if let Some(s) = common::v1_signed(&req, hint.as_deref(), &opts) {
                req = s;
            }
        }
        let o = verify_options(hint, opts, secrets);
        match (check(&req, &o), reference(&req, &o)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "check {:?} reference {:?}", a, b.map(|c| c.verdict)),
        }
    }
}

#[test]
fn typical_request_takes_the_shortcut() {
    let req = Request::from_url(
        "PUT",
        "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/photos/2024/a%20b.jpg?partNumber=1",
        vec![],
    )
    .unwrap();
    assert_eq!(
        v1::check::virtual_hosted(&req, None),
        Some(("examplebucket", "photos/2024/a%20b.jpg"))
    );
    assert_eq!(
        v1::check::virtual_hosted(&req, Some("other")),
        Some(("other", "photos/2024/a%20b.jpg"))
    );
}

#[test]
fn long_and_short_texts_in_turn() {
    // The per-thread StringToSign buffer: a long text (past what is kept), then
    // short ones, then long again; each verdict as the reference gives it.
    let addr_url = "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/k";
    for len in [30_000, 0, 5, 30_000, 1] {
        let req = Request::from_url(
            "PUT",
            addr_url,
            vec![
                ("Date".into(), "Wed, 28 Dec 2022 10:27:41 GMT".into()),
                ("x-oss-meta-a".into(), "v".repeat(len)),
            ],
        )
        .unwrap();
        let addr = sigdiff::address::resolve(&req, Provider::Oss, None).unwrap();
        let creds = Credentials {
            access_key_id: "ak".into(),
            secret: Secret::new("sk"),
            security_token: None,
        };
        let opts = V1Options::default();
        let s = v1::sign(req, &addr, Form::Header, &creds, 0, 60, &opts).unwrap();
        let o = verify_options(None, opts, 2);
        let c = check(&s.request, &o).unwrap();
        assert_eq!(c.verdict, Verdict::Match);
        assert_eq!(c, reference(&s.request, &o).unwrap());
    }
}
