//! proptest strategies over the JSON request spec, biased toward the pitfalls the
//! specs list (oss-signing.md §10, cos-signing.md §7, peers-and-pitfalls.md §B):
//! unicode, reserved characters, `+`, `~`, `%`, `//`, a leading `/`, empty keys,
//! empty and bare query values, sub-resources, `response-*` overrides, header-name
//! case, surrounding whitespace, duplicates, long values, STS tokens with `+/=`,
//! time edges.
//!
//! Public so that Rust users can drive their own signers with the same cases in
//! their proptests; `sigdiff fuzz` and `sigdiff vectors generate` use them too.
//! [`sample`] draws a deterministic list from a seed.

use crate::input::spec::{CredentialsSpec, RequestSpec, StyleSpec, TimeSpec};
use crate::scheme::SchemeId;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A regex strategy compiled once. (A `&str` used as a strategy compiles its regex
/// again on every draw, about 100 µs per spec; compiled once, it draws the very
/// same values from the same RNG.)
fn re(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).expect("a valid pattern")
}

/// Object keys: mostly tricky, sometimes plain or empty (bucket level).
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => re("[a-z0-9]{1,8}(/[a-z0-9._-]{1,8}){0,2}"),
        2 => Just("a/中文 b+c~d.txt".to_string()),
        1 => Just("dir/".to_string()),
        1 => Just("/leading-slash".to_string()),
        1 => Just("a//double".to_string()),
        1 => Just("100% done &more=1;x?.txt".to_string()),
        1 => Just("a b+c~d(1)*!'.jpg".to_string()),
        1 => Just("./dot/../seg".to_string()),
        1 => Just(String::new()),
        2 => re("[a-zA-Z0-9 +~%!*'()&=;:@,$ _.-]{1,24}"),
        1 => re("\\PC{1,6}"),
        1 => re("[a-z]{200,260}"),
    ]
}

fn query_value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => re("[a-zA-Z0-9._-]{1,12}").prop_map(Some),
        2 => Just(None),
        2 => Just(Some(String::new())),
        1 => Just(Some("a b+c/d=e&f~g".to_string())),
        1 => Just(Some("attachment; filename=\"r é.pdf\"".to_string())),
        1 => re("\\PC{0,8}").prop_map(Some),
    ]
}

fn query_name(scheme: SchemeId) -> BoxedStrategy<String> {
    let common = prop_oneof![
        Just("prefix".to_string()),
        Just("max-keys".to_string()),
        Just("response-content-type".to_string()),
        Just("response-content-disposition".to_string()),
        Just("versionId".to_string()),
        re("[a-z][a-z0-9-]{0,8}"),
        Just("+param".to_string()),
        Just("|param".to_string()),
        Just("a.b".to_string()),
        Just("a/b".to_string()),
        Just("Mixed-Case".to_string()),
    ];
    match scheme {
        SchemeId::OssV1 | SchemeId::OssV1Url => prop_oneof![
            2 => common,
            // oss-signing.md §2.6: the sub-resource lists (the union, and names in only some lists).
            2 => proptest::sample::select(crate::oss::v1::subresources::UNION).prop_map(str::to_string),
            1 => proptest::sample::select(crate::oss::v1::subresources::COMMON).prop_map(str::to_string),
        ]
        .boxed(),
        _ => common.boxed(),
    }
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => re("[a-zA-Z0-9/=+._-]{1,16}"),
        1 => Just(" padded ".to_string()),
        1 => Just("two  spaces".to_string()),
        1 => Just(String::new()),
        1 => Just("uin=\"100000000011\"".to_string()),
        1 => re("[ -~]{0,40}"),
        1 => re("[a-z]{300,400}"),
    ]
}

fn header_name(scheme: SchemeId) -> BoxedStrategy<String> {
    let prefix = match scheme.provider() {
        crate::address::Provider::Oss => "x-oss-",
        crate::address::Provider::Cos => "x-cos-",
    };
    let p1 = prefix.to_string();
    let p2 = prefix.to_string();
    prop_oneof![
        3 => re("[a-z][a-z0-9]{0,7}").prop_map(move |s| format!("{p1}meta-{s}")),
        1 => re("[a-z][a-z0-9]{0,7}").prop_map(move |s| format!("{}meta-{s}", p2.to_ascii_uppercase())),
        1 => Just(format!("{prefix}storage-class")),
        1 => Just(format!("{prefix}acl")),
        1 => Just("Content-Type".to_string()),
        1 => Just("content-md5".to_string()),
        1 => Just("Cache-Control".to_string()),
        1 => Just("abc".to_string()),
        1 => Just("ZAbc".to_string()),
    ]
    .boxed()
}

fn headers(scheme: SchemeId) -> impl Strategy<Value = Vec<(String, String)>> {
    let content_type = prop_oneof![
        Just("text/plain".to_string()),
        Just("text/plain; charset=utf-8".to_string()),
        Just("application/octet-stream".to_string()),
        Just("image/jpeg".to_string()),
        Just("application/x-www-form-urlencoded".to_string()),
    ];
    (
        proptest::option::weighted(0.5, content_type),
        proptest::option::weighted(0.2, Just("1B2M2Y8AsgTpgAmY7PhCfg==".to_string())),
        proptest::collection::vec((header_name(scheme), header_value()), 0..5),
    )
        .prop_map(|(ct, md5, mut rest)| {
            let mut h = Vec::new();
            if let Some(ct) = ct {
                rest.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                h.push(("Content-Type".to_string(), ct));
            }
            if let Some(m) = md5 {
                rest.retain(|(n, _)| !n.eq_ignore_ascii_case("content-md5"));
                h.push(("Content-MD5".to_string(), m));
            }
            h.extend(rest);
            h
        })
}

fn credentials() -> impl Strategy<Value = CredentialsSpec> {
    (
        re("[A-Za-z0-9]{8,24}"),
        re("[A-Za-z0-9]{16,40}"),
        proptest::option::weighted(
            0.25,
            prop_oneof![
                re("[A-Za-z0-9]{16,40}"),
                Just("CAIS+token/with==chars".to_string())
            ],
        ),
    )
        .prop_map(|(ak, sk, tok)| CredentialsSpec {
            access_key_id: Some(ak),
            access_key_secret: Some(sk),
            security_token: tok,
        })
}

/// Unix times: around now, and at day boundaries (V4 scope dates).
pub fn time() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => 1_600_000_000i64..1_900_000_000,
        1 => (19_000i64..21_000).prop_map(|d| d * 86_400),
        1 => (19_000i64..21_000).prop_map(|d| d * 86_400 - 1),
    ]
}

/// A JSON request spec for `scheme` that sigdiff can sign.
pub fn spec(scheme: SchemeId) -> BoxedStrategy<RequestSpec> {
    let provider = scheme.provider();
    let endpoint = match provider {
        crate::address::Provider::Oss => prop_oneof![
            Just("oss-cn-hangzhou.aliyuncs.com"),
            Just("oss-cn-beijing-internal.aliyuncs.com"),
            Just("oss-ap-southeast-1.aliyuncs.com"),
        ]
        .boxed(),
        crate::address::Provider::Cos => prop_oneof![
            Just("cos.ap-beijing.myqcloud.com"),
            Just("cos.ap-guangzhou.myqcloud.com")
        ]
        .boxed(),
    };
    let bucket = match provider {
        crate::address::Provider::Oss => re("[a-z0-9][a-z0-9-]{1,14}[a-z0-9]").boxed(),
        crate::address::Provider::Cos => re("[a-z0-9][a-z0-9-]{1,10}[a-z0-9]-125[0-9]{7}").boxed(),
    };
    let method = prop_oneof![4 => Just("GET"), 3 => Just("PUT"), 1 => Just("POST"), 1 => Just("HEAD"), 1 => Just("DELETE")];
    let style = prop_oneof![6 => Just(None), 1 => Just(Some(StyleSpec::Path))];
    (
        method,
        proptest::option::weighted(0.95, bucket),
        key(),
        endpoint,
        style,
        proptest::collection::vec((query_name(scheme), query_value()), 0..4),
        headers(scheme),
        credentials(),
        time(),
        prop_oneof![Just(60i64), Just(3600), Just(604_800), 1i64..86_400],
        proptest::option::weighted(
            0.3,
            proptest::collection::vec(
                prop_oneof![
                    Just("host"),
                    Just("abc"),
                    Just("ZAbc"),
                    Just("cache-control")
                ],
                1..3,
            ),
        ),
    )
        .prop_map(
            move |(
                method,
                bucket,
                key,
                endpoint,
                style,
                query,
                headers,
                creds,
                time,
                expires,
                addl,
            )| {
                let key = if bucket.is_none() { String::new() } else { key };
                RequestSpec {
                    scheme: Some(scheme.as_str().to_string()),
                    method: Some(method.to_string()),
                    bucket,
                    key: Some(key),
                    endpoint: Some(endpoint.to_string()),
                    style,
                    query,
                    headers,
                    credentials: Some(creds),
                    time: Some(TimeSpec::Unix(time)),
                    expires: Some(expires),
                    additional_headers: if matches!(scheme, SchemeId::OssV4 | SchemeId::OssV4Url) {
                        addl.map(|v| v.into_iter().map(str::to_string).collect())
                    } else {
                        None
                    },
                    ..Default::default()
                }
            },
        )
        .boxed()
}

/// Draw `count` specs for `scheme` deterministically from `seed`: the same seed
/// gives the same specs on every machine.
pub fn sample(scheme: SchemeId, seed: u64, count: usize) -> Vec<RequestSpec> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(scheme as u64).to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let s = spec(scheme);
    (0..count)
        .filter_map(|_| s.new_tree(&mut runner).ok().map(|t| t.current()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::{sign_spec, SignOptions};

    #[test]
    fn samples_are_deterministic() {
        let a = sample(SchemeId::OssV1, 7, 20);
        let b = sample(SchemeId::OssV1, 7, 20);
        let c = sample(SchemeId::OssV1, 8, 20);
        let ser = |v: &[RequestSpec]| serde_json::to_string(v).unwrap();
        assert_eq!(ser(&a), ser(&b));
        assert_ne!(ser(&a), ser(&c));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Every generated spec signs, and what is signed verifies.
        #[test]
        fn generated_specs_sign_and_verify(s in prop_oneof![
            spec(SchemeId::OssV1), spec(SchemeId::OssV1Url), spec(SchemeId::OssV4),
            spec(SchemeId::OssV4Url), spec(SchemeId::Cos), spec(SchemeId::CosUrl)]) {
            let r = sign_spec(&s, &SignOptions::default()).unwrap();
            let req = crate::Request::from_url(s.method.as_deref().unwrap_or("GET"), &r.url, r.headers.clone()).unwrap();
            let now = s.time_or(0).unwrap();
            let secret = crate::Secret::new(s.credentials.as_ref().unwrap().access_key_secret.clone().unwrap());
            let opts = crate::verify::VerifyOptions { now, secrets: vec![secret], ..Default::default() };
            let rep = crate::verify::verify(&req, &opts).unwrap();
            prop_assert_eq!(rep.verdict, crate::verify::Verdict::Match, "{}", serde_json::to_string(&s).unwrap());
        }
    }
}
