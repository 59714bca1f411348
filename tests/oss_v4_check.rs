//! OSS V4's lean verdict (`verify::check`, `oss::v4::check`) computes exactly the
//! signature of the general path (`verify::prepare` + `Prepared::signature`), on
//! drawn header and URL requests, tampered ones, and every V4 option, and
//! refuses exactly what the general path refuses.

mod common;

use proptest::prelude::*;
use sigdiff::oss::v1::{Duplicates, EmptyValues, HeaderValues};
use sigdiff::oss::v4::{AdditionalOrder, QueryMode, V4Date, V4Options};
use sigdiff::scheme::SchemeId;
use sigdiff::verify::{check, prepare, VerifyOptions};
use sigdiff::{Request, Secret};

fn options(i: u8) -> V4Options {
    let mut o = V4Options::default();
    if i & 1 != 0 {
        o.query = if i & 16 != 0 {
            QueryMode::LocaleCompare
        } else {
            QueryMode::RawWire
        };
    }
    if i & 2 != 0 {
        o.additional_headers_order = if i & 16 != 0 {
            AdditionalOrder::AsSent
        } else {
            AdditionalOrder::Py1
        };
        o.empty_values = EmptyValues::KeepEquals;
    }
    if i & 4 != 0 {
        o.header_values = HeaderValues::Raw;
        o.duplicates = Duplicates::First;
        o.v4_date = V4Date::DateFallback;
    }
    if i & 8 != 0 {
        o.duplicates = Duplicates::Last;
    }
    o
}

/// Change a signed request the way captures and clients do.
fn tamper(req: &mut Request, how: u8, text: &str) {
    match how % 8 {
        0 => {}
        1 => req.set_header("x-oss-date", format!("{text}\n20231203T121212Z")),
        2 => {
            let a = req.header("authorization").unwrap_or("").to_string();
            let a = match a.find(",Signature=") {
                Some(i) => format!("{},AdditionalHeaders={text}{}", &a[..i], &a[i..]),
                None => a,
            };
            req.set_header("Authorization", &a);
        }
        3 => req
            .headers
            .push(("X-Oss-Meta-A".into(), format!(" {text} "))),
        4 => req.headers.push(("Range".into(), text.to_string())),
        5 => req
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("x-oss-date")),
        6 => {
            let a = req
                .header("authorization")
                .unwrap_or("")
                .replace("/oss/", &format!("/{text}/"));
            req.set_header("Authorization", &a);
            req.target = req.target.replace("%2Foss%2F", &format!("%2F{text}%2F"));
        }
        _ => req
            .headers
            .push(("Date".into(), "Sun, 03 Dec 2023 12:12:12 GMT".into())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lean_check_is_the_general_signature(
        spec in prop_oneof![sigdiff::strategy::spec(SchemeId::OssV4), sigdiff::strategy::spec(SchemeId::OssV4Url)],
        how in 0u8..8,
        text in "[a-zA-Z;\n -]{0,8}",
        opt in 0u8..32,
    ) {
        let Ok(r) = sigdiff::sign::sign_spec(&spec, &sigdiff::sign::SignOptions::default()) else {
            return Ok(());
        };
        let method = spec.method.as_deref().unwrap_or("GET");
        let mut req = Request::from_url(method, &r.url, r.headers.clone()).unwrap();
        tamper(&mut req, how, &text);
        let secret = spec.credentials().unwrap().secret;
        let o = VerifyOptions {
            now: 1_700_000_000,
            secrets: vec![secret.clone(), Secret::new("other")],
            oss_v4: options(opt),
            bucket: spec.bucket.clone(),
            diagnose: false,
            ..Default::default()
        };
        let (lean, general) = (check(&req, &o), prepare(&req, &o));
        match (lean, general) {
            (Ok(c), Ok(p)) => {
                prop_assert!(matches!(c.scheme, SchemeId::OssV4 | SchemeId::OssV4Url));
                let want = p.signature(&secret);
                prop_assert_eq!(c.computed_signature.as_deref(), Some(want.as_str()));
                prop_assert_eq!(c.provided_signature, p.provided_signature.clone());
                prop_assert_eq!(c.access_key_id, p.access_key_id.clone());
                prop_assert_eq!(
                    c.secret_index.is_some(),
                    sigdiff::secret::ct_eq(&p.signature(&secret), &p.provided_signature)
                        || sigdiff::secret::ct_eq(&p.signature(&Secret::new("other")), &p.provided_signature)
                );
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.code(), b.code()),
            (a, b) => prop_assert!(false, "check {:?} vs prepare {:?}", a.map(|c| c.verdict), b.map(|p| p.scheme)),
        }
    }
}

mod lean {
    //! `oss::v4::lean::check` (the one-pass verdict `verify::check` tries first)
    //! against the general path on requests drawn around the usual one: hosts,
    //! keys, queries, header names in any case, repeated and blank headers,
    //! AdditionalHeaders lists, Authorization texts as SDKs and hand-written
    //! clients write them, bucket hints. Where the one-pass path answers, the
    //! general path gives the same key id, signatures and verdict; where the
    //! general path refuses, it does not answer.

    use super::*;
    use sigdiff::address::{resolve, Provider};
    use sigdiff::input::spec::RequestSpec;
    use sigdiff::oss::v4::{self, Form};
    use sigdiff::secret::Credentials;

    const SECRET: &str = "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV";
    const TIME: i64 = 1_701_605_532;

    fn host() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            8 => Just("examplebucket.oss-cn-hangzhou.aliyuncs.com"),
            1 => Just("b-1.oss-cn-hangzhou-internal.aliyuncs.com"),
            1 => Just("b.oss.aliyuncs.com"),
            1 => Just("B.oss-cn-hangzhou.aliyuncs.com"),
            1 => Just("b.oss-cn-hangzhou.aliyuncs.com:8080"),
            1 => Just("b.oss-cn-hangzhou.aliyuncs.com."),
            1 => Just("oss-cn-hangzhou.aliyuncs.com"),
            1 => Just("b.cos.ap-beijing.myqcloud.com"),
            1 => Just("b.ossx.aliyuncs.com"),
            1 => Just("img.example.com"),
            1 => Just("10.0.0.1"),
        ]
    }

    fn path() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                12 => Just("a"),
                6 => Just("/"),
                3 => Just("Z~-_."),
                3 => Just("%20"),
                3 => Just("%2B"),
                1 => Just("+"),
                1 => Just("%2F"),
                1 => Just("%2a"),
                1 => Just("%E4%B8%AD"),
                1 => Just("%zz"),
                1 => Just("*"),
            ],
            0..5,
        )
        .prop_map(|p| format!("/{}", p.concat()))
    }

    fn query() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                prop_oneof![
                    3 => Just("acl"),
                    3 => Just("versionId"),
                    3 => Just("a"),
                    2 => Just("B"),
                    1 => Just(""),
                    1 => Just("A%2Fb"),
                    1 => Just("x-oss-signature"),
                ],
                prop_oneof![
                    4 => Just(None),
                    2 => Just(Some("")),
                    4 => Just(Some("v")),
                    4 => Just(Some("CAEQNhiBgM0BYiIDc4MGZj")),
                    1 => Just(Some("a%20b")),
                    1 => Just(Some("a+b")),
                    1 => Just(Some("x=y")),
                ],
            ),
            0..4,
        )
        .prop_map(|q| {
            q.iter()
                .map(|(n, v)| match v {
                    Some(v) => format!("{n}={v}"),
                    None => n.to_string(),
                })
                .collect::<Vec<_>>()
                .join("&")
        })
    }

    fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
        prop::collection::vec(
            (
                prop_oneof![
                    3 => Just("Content-Type"),
                    3 => Just("content-md5"),
                    3 => Just("x-oss-meta-a"),
                    2 => Just("X-OSS-META-B"),
                    1 => Just("X-Oss-Meta-A"),
                    3 => Just("Range"),
                    1 => Just("range"),
                    3 => Just("User-Agent"),
                    1 => Just("Host"),
                    1 => Just("x-oss-content-sha256"),
                    2 => Just("Content-Length"),
                ],
                prop_oneof![
                    4 => Just("v"),
                    1 => Just(" padded\t"),
                    1 => Just(""),
                    1 => Just(" "),
                    1 => Just("中文"),
                    1 => Just("a,b"),
                    1 => Just("examplebucket.oss-cn-hangzhou.aliyuncs.com"),
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

    fn additional() -> impl Strategy<Value = Option<Vec<String>>> {
        prop::option::of(prop::collection::vec(
            prop_oneof![
                Just("range"),
                Just("Range"),
                Just("user-agent"),
                Just("host"),
                Just("x-oss-meta-a"),
                Just("content-length"),
                Just("absent"),
            ]
            .prop_map(str::to_string),
            0..4,
        ))
    }

    /// Change a signed request the way captures and hand-written clients do.
    fn tamper(req: &mut Request, how: u8) {
        let auth = req.header("authorization").unwrap_or("").to_string();
        let set = |req: &mut Request, a: String| req.set_header("Authorization", a);
        match how {
            0..=7 => {}
            8 => set(req, auth.replace(',', ", ")),
            9 => {
                // PY1: AdditionalHeaders after the signature.
                if let (Some(i), Some(j)) =
                    (auth.find(",AdditionalHeaders="), auth.find(",Signature="))
                {
                    if i < j {
                        set(req, format!("{}{}{}", &auth[..i], &auth[j..], &auth[i..j]));
                    }
                }
            }
            10 => set(
                req,
                auth.replace("AdditionalHeaders=", "AdditionalHeaders=Range;"),
            ),
            11 => set(req, auth.replace("Signature=", "Signature=0")),
            12 => set(req, format!("{auth} ")),
            13 => set(req, auth.replace("/oss/", "//")),
            14 => set(req, auth.replace("Credential=", "Credential=x/")),
            15 => req.set_header("x-oss-date", "20231203T121212Z\n"),
            16 => req
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("x-oss-date")),
            17 => req
                .headers
                .push(("x-oss-date".into(), "20231203T121212Z".into())),
            18 => req.headers.push(("RANGE".into(), "bytes=1-2".into())),
            19 => req.headers.push(("range".into(), " ".into())),
            20 => set(
                req,
                auth.replace("Signature=", "AdditionalHeaders=range,Signature="),
            ),
            21 => set(req, auth.replace("OSS4-HMAC-SHA256 ", "OSS4-HMAC-SHA256  ")),
            22 => set(req, auth.replace(",Signature=", ",X=1,Signature=")),
            23 => req.set_header("x-oss-date", " 20231203T121212Z "),
            _ => {
                // A listed header sent blank (absent, Q8).
                req.set_header("Range", if how == 24 { " " } else { "\t" });
                if !auth.contains("AdditionalHeaders=") {
                    set(
                        req,
                        auth.replace(",Signature=", ",AdditionalHeaders=range,Signature="),
                    );
                }
            }
        }
    }

    /// `lean::check` and `verify::check` against the general path; whether the
    /// one-pass path answered.
    fn agree(req: &Request, o: &VerifyOptions) -> Result<bool, TestCaseError> {
        let fast = v4::lean::check(req, SchemeId::OssV4, o);
        common::agree_with_general(req, o, fast, "lean::check", false)
    }

    fn options(bucket: u8) -> VerifyOptions {
        VerifyOptions {
            now: TIME,
            secrets: vec![Secret::new("other"), Secret::new(SECRET)],
            bucket: match bucket {
                0 => Some("hint".into()),
                1 => Some("a b".into()),
                _ => None,
            },
            scheme: Some(SchemeId::OssV4),
            diagnose: false,
            ..Default::default()
        }
    }

    /// The request signed by sigdiff (or, when it cannot be, given a
    /// hand-written Authorization header and x-oss-date).
    fn signed(req: Request, list: Option<Vec<String>>, token: bool) -> Request {
        let spec = RequestSpec {
            region: Some("cn-hangzhou".into()),
            additional_headers: list,
            ..Default::default()
        };
        let creds = Credentials {
            access_key_id: "LTAI5tExampleAK".into(),
            secret: Secret::new(SECRET),
            security_token: token.then(|| "CAIS+token/with=chars".to_string()),
        };
        let s = resolve(&req, Provider::Oss, None).ok().and_then(|addr| {
            v4::sign(
                req.clone(),
                &addr,
                Form::Header,
                &creds,
                TIME,
                3600,
                &spec,
                &Default::default(),
            )
            .ok()
        });
        match s {
            Some(s) => s.request,
            None => {
                let mut r = req;
                r.headers
                    .push(("x-oss-date".into(), "20231203T121212Z".into()));
                r.headers.push((
                    "Authorization".into(),
                    "OSS4-HMAC-SHA256 Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=00".into(),
                ));
                r
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn one_pass_check_is_the_general_path(
            host in host(),
            path in path(),
            query in query(),
            headers in headers(),
            list in additional(),
            token in any::<bool>(),
            how in 0u8..26,
            bucket in 0u8..12,
            repeats in prop::bool::weighted(0.2),
        ) {
            // Mostly one header per name (a repeated signed one is the general path's).
            let mut headers = headers;
            if !repeats {
                let mut seen = Vec::new();
                headers.retain(|(n, _)| {
                    let l = n.to_ascii_lowercase();
                    let new = !seen.contains(&l);
                    seen.push(l);
                    new
                });
            }
            let target = if query.is_empty() { path } else { format!("{path}?{query}") };
            let Ok(req) = Request::from_url("PUT", &format!("https://{host}{target}"), headers) else {
                return Ok(());
            };
            let mut req = signed(req, list, token);
            tamper(&mut req, how);
            agree(&req, &options(bucket))?;
        }
    }

    /// The bench's request (benches/fixtures `oss_v4()`) takes the one-pass path
    /// and matches; a tampered signature is a mismatch there too.
    #[test]
    fn the_usual_request_takes_the_one_pass_path() {
        let req = Request::from_url(
            "PUT",
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/photos/2023/12/a%20b%2Bc.jpg?versionId=CAEQNhiBgM0BYiIDc4MGZj&acl",
            vec![
                ("Content-Type".into(), "image/jpeg".into()),
                ("Content-MD5".into(), "eB5eJF1ptWaXm4bijSPyxw==".into()),
                ("x-oss-meta-author".into(), "alice".into()),
                ("Range".into(), "bytes=0-99".into()),
            ],
        )
        .unwrap();
        let req = signed(req, Some(vec!["range".into()]), true);
        let o = options(9);
        assert!(agree(&req, &o).unwrap(), "one-pass path not taken");
        let c = v4::lean::check(&req, SchemeId::OssV4, &o).unwrap();
        assert_eq!(c.verdict, sigdiff::verify::Verdict::Match);
        assert_eq!(c.secret_index, Some(1));
        let mut bad = req.clone();
        tamper(&mut bad, 11);
        assert!(agree(&bad, &o).unwrap());
        assert_eq!(
            v4::lean::check(&bad, SchemeId::OssV4, &o).unwrap().verdict,
            sigdiff::verify::Verdict::Mismatch
        );
    }
}
