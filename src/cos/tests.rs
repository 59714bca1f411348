//! `sign`'s one-pass canonicalisation ([`super::fast`]) against the general path:
//! for any request, form, token and options, the same signed request, signature
//! and stages (texts and field names), or the same error.

use super::*;
use crate::address::{resolve, Provider};
use proptest::prelude::*;

const HOST: &str = "b-1250000000.cos.ap-beijing.myqcloud.com";

fn request() -> impl Strategy<Value = (String, Vec<(String, String)>)> {
    let seg = prop_oneof![
        Just("/"),
        Just("a"),
        Just("Z"),
        Just("+"),
        Just("~"),
        Just("%20"),
        Just("%2F"),
        Just("%2b"),
        Just("%E8%85%BE"),
        Just("%zz"),
        Just("%"),
        Just("%FF"),
        Just("("),
        Just("%0A"),
    ];
    let param = (
        prop_oneof![
            Just("acl"),
            Just("versionId"),
            Just("A%2Fb"),
            Just("x+y"),
            Just("k"),
            Just("K"),
            Just("x-cos-security-token"),
            Just("%FF"),
        ],
        prop_oneof![
            Just(None),
            Just(Some("")),
            Just(Some("v")),
            Just(Some("a%20B+c")),
            Just(Some("1%3B2"))
        ],
    );
    let header = (
        prop_oneof![
            Just("Host"),
            Just("host"),
            Just("content-type"),
            Just("CONTENT-TYPE"),
            Just("Content-MD5"),
            Just("Content-Length"),
            Just("x-cos-meta-A"),
            Just("X-COS-META-a"),
            Just("x-cos-acl"),
            Just("x-ci-b"),
            Just("X-Cos-Security-Token"),
            Just("User-Agent"),
            Just("x-cos-*"),
            Just("x-cos-é"),
        ],
        prop_oneof![
            Just("v"),
            Just(" padded\t"),
            Just("a/b c"),
            Just("腾讯"),
            Just(""),
            Just(HOST)
        ],
    );
    (
        prop::collection::vec(seg, 0..6),
        prop::collection::vec(param, 0..4),
        prop::collection::vec(header, 0..6),
    )
        .prop_map(|(path, query, headers)| {
            let mut target = format!("/{}", path.concat());
            let q: Vec<String> = query
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={v}"),
                    None => k.to_string(),
                })
                .collect();
            if !q.is_empty() {
                target.push('?');
                target.push_str(&q.join("&"));
            }
            let h = headers
                .into_iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            (target, h)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn fast_sign_is_the_general_sign(
        (target, headers) in request(),
        url in any::<bool>(),
        token in any::<bool>(),
        spec_headers in prop_oneof![
            Just(None),
            Just(Some(vec!["host".to_string()])),
            Just(Some(vec![]))
        ],
        opts in crate::strategy::cos_options(),
    ) {
        let Ok(req) = Request::from_url("PUT", &format!("https://{HOST}{target}"), headers) else {
            return Ok(());
        };
        let Ok(addr) = resolve(&req, Provider::Cos, None) else {
            return Ok(());
        };
        let creds = Credentials {
            access_key_id: "AKID".into(),
            secret: Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
            security_token: token.then(|| "tok en/+".to_string()),
        };
        let spec = RequestSpec {
            signed_headers: spec_headers,
            ..RequestSpec::default()
        };
        let form = if url { Form::Url } else { Form::Header };
        let run = |fast| {
            sign_with(req.clone(), &addr, form, &creds, (1_700_000_000, 3600), &spec, &opts, fast)
        };
        match (run(true), run(false)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.signature, &b.signature);
                prop_assert_eq!(&a.request, &b.request);
                prop_assert_eq!(&a.stages, &b.stages);
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a.code(), b.code());
                prop_assert_eq!(a.to_string(), b.to_string());
            }
            (a, b) => prop_assert!(false, "fast {:?} vs general {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }
}

/// The typical request (the bench's, cos-signing.md §6 D3 shape) takes the fast
/// path on both sides, so the property above and tests/cos_lean.rs test it.
#[test]
fn typical_request_takes_the_fast_path() {
    let req = Request::from_url(
        "PUT",
        &format!("https://{HOST}/photos/2024/a%20b.jpg?versionId=v1&acl"),
        vec![
            ("Host".into(), HOST.into()),
            ("Content-Type".into(), "image/jpeg".into()),
            ("Content-MD5".into(), "mQ/fVh815F3k6TAUm8m0eg==".into()),
            ("x-cos-meta-author".into(), "Zhang San".into()),
            ("User-Agent".into(), "bench".into()),
        ],
    )
    .unwrap();
    let opts = CosOptions::default();
    let query = query_of(&req, &opts).unwrap();
    let (http_string, (hl, pl)) = fast::sign_parts(&req, req.raw_path(), &query, &opts, |lists| {
        let (mut hl, mut pl) = (String::new(), String::new());
        lists.header_into(&mut hl);
        lists.param_into(&mut pl);
        (hl, pl)
    })
    .expect("fast sign");
    assert_eq!(hl, "content-md5;content-type;host;x-cos-meta-author");
    assert_eq!(pl, "acl;versionid");
    let text = fast::lean_text(
        &req,
        &query,
        false,
        false,
        "content-md5;content-type;host;x-cos-meta-author",
        "acl;versionid",
        &opts,
    )
    .expect("fast lean");
    assert_eq!(text, http_string.as_str());
    // cos-signing.md §2.1, §2.4–§2.6 by hand.
    assert_eq!(
        text,
        format!("put\n/photos/2024/a b.jpg\nacl=&versionid=v1\ncontent-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=image%2Fjpeg&host={HOST}&x-cos-meta-author=Zhang%20San\n")
    );
}

/// A list of [`fast::MAX`] keys, the fixed default names counted, takes the fast
/// path; one more does not (the general path signs it, the same way).
#[test]
fn fast_path_takes_at_most_max_keys() {
    let addr_of = |req: &Request| resolve(req, Provider::Cos, None).unwrap();
    let creds = Credentials {
        access_key_id: "AKID".into(),
        secret: Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
        security_token: None,
    };
    let opts = CosOptions::default();
    for named in [fast::MAX - 2, fast::MAX - 1] {
        // Host and Content-Type, then `named` x-cos-* headers.
        let mut headers = vec![
            ("Host".to_string(), HOST.to_string()),
            ("Content-Type".to_string(), "text/plain".to_string()),
        ];
        headers.extend((0..named).map(|i| (format!("x-cos-meta-{i:02}"), "v".to_string())));
        let req = Request::from_url("PUT", &format!("https://{HOST}/k"), headers).unwrap();
        let fast = fast::sign_parts(&req, req.raw_path(), &[], &opts, |_| ()).is_some();
        assert_eq!(fast, named + 2 <= fast::MAX, "{named}");
        let addr = addr_of(&req);
        let spec = RequestSpec::default();
        let run = |fast| {
            let t = (1_700_000_000, 3600);
            sign_with(
                req.clone(),
                &addr,
                Form::Header,
                &creds,
                t,
                &spec,
                &opts,
                fast,
            )
            .unwrap()
        };
        let (a, b) = (run(true), run(false));
        assert_eq!(a.request, b.request);
        assert_eq!(a.stages, b.stages);
    }
}
