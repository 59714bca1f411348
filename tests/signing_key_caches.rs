//! The per-thread signing-key caches (COS SignKey, cos-signing.md §2.1; OSS V4 key
//! chain, oss-signing.md §4.5) never change a result: several secrets, key times
//! and scopes go through the same cache, interleaved and past its size, and every
//! signature equals the one computed without any cache (the `hmac` crate over the
//! spec's formulas), while the official vectors keep matching.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;
use sigdiff::address::{resolve, Provider};
use sigdiff::canonical::Stage;
use sigdiff::cos::{self, CosOptions};
use sigdiff::input::spec::RequestSpec;
use sigdiff::oss::v4::{self, signing_key, V4Options};
use sigdiff::secret::Credentials;
use sigdiff::verify::{verify, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hmac1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha1>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

fn hmac256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// cos-signing.md §2.1 without sigdiff: hex(HMAC-SHA1(hex(HMAC-SHA1(SK, KeyTime)), StringToSign)).
fn cos_reference(sk: &str, key_time: &str, sts: &str) -> String {
    let sign_key = hex(&hmac1(sk.as_bytes(), key_time.as_bytes()));
    hex(&hmac1(sign_key.as_bytes(), sts.as_bytes()))
}

/// oss-signing.md §4.5 without sigdiff.
fn v4_reference(sk: &str, date: &str, region: &str, product: &str, sts: &str) -> String {
    let mut k = hmac256(format!("aliyun_v4{sk}").as_bytes(), date.as_bytes());
    for part in [region, product, "aliyun_v4_request"] {
        k = hmac256(&k, part.as_bytes());
    }
    hex(&hmac256(&k, sts.as_bytes()))
}

const COS_SK: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
const COS_SK2: &str = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHl0";
/// cos-signing.md §6 V1: key time, StringToSign, signature.
const V1_KT: &str = "1557989151;1557996351";
const V1_STS: &str = "sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n";
const V1_SIG: &str = "3b8851a11a569213c17ba8fa7dcf2abec6935172";

fn cos_request() -> Request {
    Request::from_url(
        "PUT",
        "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a%20b.jpg?acl",
        vec![
            ("Content-Type".into(), "image/jpeg".into()),
            ("x-cos-meta-a".into(), "b".into()),
        ],
    )
    .unwrap()
}

#[test]
fn cos_sign_key_cache_two_secrets_many_key_times() {
    let req = cos_request();
    let addr = resolve(&req, Provider::Cos, None).unwrap();
    let opts = CosOptions::default();
    // More (secret, key time) pairs than the cache holds, visited three times.
    let key_times: Vec<String> = (0..6)
        .map(|i| format!("{};{}", 1_700_000_000 + i, 1_700_003_600 + i))
        .collect();
    for round in 0..3 {
        for kt in &key_times {
            for (sk, other) in [(COS_SK, COS_SK2), (COS_SK2, COS_SK)] {
                let creds = Credentials {
                    access_key_id: "AKID".into(),
                    secret: Secret::new(sk),
                    security_token: None,
                };
                let spec = RequestSpec {
                    key_time: Some(kt.clone()),
                    ..Default::default()
                };
                let s = cos::sign(
                    req.clone(),
                    &addr,
                    cos::Form::Header,
                    &creds,
                    1_700_000_000,
                    3600,
                    &spec,
                    &opts,
                )
                .unwrap();
                let sts = s.stage_text(Stage::StringToSign).unwrap();
                assert_eq!(
                    s.signature,
                    cos_reference(sk, kt, &sts),
                    "round {round} {kt}"
                );
                let now = 1_700_000_100;
                let with = |secret: &str| {
                    verify(
                        &s.request,
                        &VerifyOptions {
                            now,
                            secrets: vec![Secret::new(secret)],
                            ..Default::default()
                        },
                    )
                    .unwrap()
                };
                let good = with(sk);
                assert_eq!(good.verdict, Verdict::Match, "round {round} {kt}");
                assert_eq!(with(other).verdict, Verdict::Mismatch, "round {round} {kt}");
            }
        }
        // The official vector, by the FormatString and the StringToSign stages.
        let ctx = cos::SigningContext::new(V1_KT, V1_KT);
        let sk = Secret::new(COS_SK);
        assert_eq!(
            cos::sign_text(&ctx, Stage::StringToSign, V1_STS, &sk),
            V1_SIG
        );
        assert_ne!(
            cos::sign_text(&ctx, Stage::StringToSign, V1_STS, &Secret::new(COS_SK2)),
            V1_SIG
        );
    }
}

/// oss-signing.md §9.2 U1.
const U1_STS: &str = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";
const U1_SIG: &str = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";

#[test]
fn v4_key_chain_cache_two_secrets_many_scopes() {
    let scopes: Vec<(String, &str, &str)> = (10..16)
        .flat_map(|d| {
            [
                (format!("202312{d}"), "cn-hangzhou", "oss"),
                (format!("202312{d}"), "cb-123", "oss-cloudbox"),
            ]
        })
        .collect();
    for round in 0..3 {
        for (date, region, product) in &scopes {
            for sk in ["sk", "sk2"] {
                let got = signing_key::signature(&Secret::new(sk), date, region, product, U1_STS);
                assert_eq!(
                    got,
                    v4_reference(sk, date, region, product, U1_STS),
                    "round {round} {date}/{region}/{product}"
                );
            }
        }
        let u1 =
            signing_key::signature(&Secret::new("sk"), "20231216", "cn-hangzhou", "oss", U1_STS);
        assert_eq!(u1, U1_SIG);
        let other = signing_key::signature(
            &Secret::new("sk2"),
            "20231216",
            "cn-hangzhou",
            "oss",
            U1_STS,
        );
        assert_ne!(other, U1_SIG);
    }
}

#[test]
fn v4_sign_and_verify_through_the_cache() {
    for round in 0..2 {
        for (day, time) in [("20231203", 1701605532i64), ("20231204", 1701691932)] {
            for (sk, other) in [("sk", "sk2"), ("sk2", "sk")] {
                let spec = RequestSpec::from_json(&format!(
                    r#"{{"scheme":"oss-v4","method":"GET","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","time":{time},
                    "credentials":{{"access_key_id":"ak","access_key_secret":"{sk}"}}}}"#
                ))
                .unwrap();
                let creds = spec.credentials().unwrap();
                let (req, _) = spec.to_request(Provider::Oss).unwrap();
                let addr = resolve(&req, Provider::Oss, None).unwrap();
                let s = v4::sign(
                    req,
                    &addr,
                    v4::Form::Header,
                    &creds,
                    time,
                    3600,
                    &spec,
                    &V4Options::default(),
                )
                .unwrap();
                let sts = s.stage_text(Stage::StringToSign).unwrap();
                assert_eq!(
                    s.signature,
                    v4_reference(sk, day, "cn-hangzhou", "oss", &sts),
                    "round {round} {day} {sk}"
                );
                let with = |secret: &str| {
                    verify(
                        &s.request,
                        &VerifyOptions {
                            now: time,
                            secrets: vec![Secret::new(secret)],
                            ..Default::default()
                        },
                    )
                    .unwrap()
                    .verdict
                };
                assert_eq!(with(sk), Verdict::Match);
                assert_eq!(with(other), Verdict::Mismatch);
            }
        }
    }
}
