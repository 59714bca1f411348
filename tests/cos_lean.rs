//! `cos::lean` (the verdict alone, `verify::check`'s COS path) is `cos::prepare`
//! without its findings: for any request, both fail with the same error or give
//! the same StringToSign, q-ak, q-signature and recomputed signature; and what
//! `cos::sign` writes, `lean` accepts. Requests vary in path, query, header names
//! and values, the lists the signature names, and every COS option.

mod common;

use proptest::prelude::*;
use sigdiff::address::{resolve, Provider};
use sigdiff::cos::{self, CosOptions, Form};
use sigdiff::input::spec::RequestSpec;
use sigdiff::secret::{ct_eq, Credentials};
use sigdiff::{Request, Secret};

const HOST: &str = "b-1250000000.cos.ap-beijing.myqcloud.com";

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
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
            Just("%FF"),
            Just("("),
        ],
        0..6,
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
                Just("x+y"),
                Just("k"),
                Just("K"),
                Just("sign"),
                Just("q-ak")
            ],
            prop_oneof![
                Just(None),
                Just(Some("")),
                Just(Some("v")),
                Just(Some("a%20B+c")),
                Just(Some("%FF")),
                Just(Some("1%3B2"))
            ],
        ),
        0..4,
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
                Just("x-cos-acl"),
                Just("User-Agent"),
                Just("Date"),
                Just("x*y"),
            ],
            prop_oneof![
                Just("v"),
                Just(" padded\t"),
                Just("a/b c"),
                Just("腾讯"),
                Just(""),
                Just(HOST)
            ],
        ),
        0..6,
    )
    .prop_map(|h| {
        h.into_iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    })
}

fn list() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("host"),
            Just("content-type"),
            Just("x-cos-meta-a"),
            Just("X-Cos-Acl"),
            Just("absent"),
            Just("acl"),
            Just("versionid"),
            Just("q-ak"),
            Just("sign"),
            Just("a%2fb"),
            Just("x y"),
            Just("k"),
            Just(""),
            Just("x%2ay"),
        ],
        0..5,
    )
    .prop_map(|l| l.join(";"))
}

fn auth_text(header_list: &str, param_list: &str, times: &str, sig: &str) -> String {
    format!("q-sign-algorithm=sha1&q-ak=AKID&q-sign-time={times}&q-key-time={times}&q-header-list={header_list}&q-url-param-list={param_list}&q-signature={sig}")
}

fn agree(req: &Request, form: Form, opts: &CosOptions) -> Result<(), TestCaseError> {
    let secret = Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
    // prepare only carries the address along: any COS address does.
    let addr = resolve(
        &Request::from_url("GET", &format!("https://{HOST}/k"), vec![]).unwrap(),
        Provider::Cos,
        None,
    )
    .unwrap();
    let full = cos::prepare(req, addr, form, opts, 1_700_000_100);
    let lean = cos::lean(req, form, opts);
    match (full, lean) {
        (Ok(p), Ok(l)) => {
            prop_assert_eq!(p.signed_stage().as_str(), l.string_to_sign.as_str());
            prop_assert_eq!(&p.access_key_id, &l.access_key_id);
            prop_assert_eq!(&p.provided_signature, &l.provided_signature);
            prop_assert_eq!(p.signature(&secret), l.signature(&secret));
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.code(), b.code());
            prop_assert_eq!(a.to_string(), b.to_string());
        }
        (a, b) => prop_assert!(
            false,
            "prepare {:?} vs lean {:?}",
            a.map(|_| ()),
            b.map(|_| ())
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lean_is_prepare_without_findings(
        path in path(),
        query in query(),
        headers in headers(),
        header_list in list(),
        param_list in list(),
        times in prop_oneof![Just("1700000000;1700003600"), Just("1700000000;x"), Just("1;2;3")],
        url in any::<bool>(),
        opts in sigdiff::strategy::cos_options(),
    ) {
        let auth = auth_text(&header_list, &param_list, times, "0123456789abcdef0123456789abcdef01234567");
        let mut target = path;
        let mut h = headers;
        let form = if url {
            // Per-field parameters (names and values as a signer writes them).
            let enc = |s: &str| sigdiff::encode::encode(s);
            let mut q: Vec<String> = if query.is_empty() { vec![] } else { vec![query] };
            for kv in auth.split('&') {
                let (k, v) = kv.split_once('=').unwrap();
                q.push(format!("{k}={}", enc(v)));
            }
            target.push('?');
            target.push_str(&q.join("&"));
            Form::Url
        } else {
            if !query.is_empty() {
                target.push('?');
                target.push_str(&query);
            }
            h.push(("Authorization".into(), auth));
            Form::Header
        };
        let Ok(req) = Request::from_url("PUT", &format!("https://{HOST}{target}"), h) else {
            return Ok(());
        };
        agree(&req, form, &opts)?;
    }

    #[test]
    fn what_sign_writes_lean_accepts(
        path in path(),
        query in query(),
        headers in headers(),
        url in any::<bool>(),
        token in any::<bool>(),
        opts in sigdiff::strategy::cos_options(),
    ) {
        let target = if query.is_empty() { path } else { format!("{path}?{}", query) };
        let Ok(req) = Request::from_url("GET", &format!("https://{HOST}{target}"), headers) else {
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
        let form = if url { Form::Url } else { Form::Header };
        let Ok(s) = cos::sign(req, &addr, form, &creds, 1_700_000_000, 3600, &RequestSpec::default(), &opts) else {
            return Ok(());
        };
        agree(&s.request, form, &opts)?;
        if form == Form::Url && (query.contains("q-ak") || query.contains("sign")) {
            // The request already carried URL auth names: the signed URL is ambiguous
            // (both refuse or both read it; checked above).
            return Ok(());
        }
        let l = cos::lean(&s.request, form, &opts).unwrap();
        prop_assert!(ct_eq(&l.signature(&creds.secret), &s.signature));
        prop_assert_eq!(&l.provided_signature, &s.signature);
    }
}
