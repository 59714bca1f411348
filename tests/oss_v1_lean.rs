//! OSS V1's lean StringToSign (`v1::sign`, `v1::canonicalise`,
//! `v1::canonicalise_text`, and so `verify::check`) is the general one
//! (`v1::string_to_sign_at`, what `v1::prepare` and the reports use): for any
//! request and every V1 option, the same bytes cut into the same named fields,
//! the same credentials, the same errors; `v1::sign` signs and rewrites the
//! request exactly as signing the general string and `set_header` would; and
//! `verify::check` agrees with `verify::prepare` on the signature.

mod common;

use proptest::prelude::*;
use sigdiff::address::{resolve, Provider};
use sigdiff::canonical::Stage;
use sigdiff::encode::PlusMeans;
use sigdiff::oss::v1::{
    self, authorization, DateSource, Duplicates, EmptyValues, Form, HeaderValues, SubresourceList,
    V1Options,
};
use sigdiff::secret::{ct_eq, Credentials};
use sigdiff::verify::{check, prepare, VerifyOptions};
use sigdiff::{Request, Secret};

fn options() -> impl Strategy<Value = V1Options> {
    (any::<[bool; 5]>(), 0usize..8, 0u8..3).prop_map(|(b, list, dups)| V1Options {
        subresources: SubresourceList::ALL[list],
        header_values: if b[0] {
            HeaderValues::Raw
        } else {
            HeaderValues::Trim
        },
        duplicates: match dups {
            0 => Duplicates::Join,
            1 => Duplicates::First,
            _ => Duplicates::Last,
        },
        empty_values: if b[1] {
            EmptyValues::KeepEquals
        } else {
            EmptyValues::Bare
        },
        date_source: if b[2] {
            DateSource::DateOnly
        } else {
            DateSource::XOssDateFirst
        },
        plus_in_query: if b[3] {
            PlusMeans::Plus
        } else {
            PlusMeans::Space
        },
    })
}

fn header() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        Just("Content-Type"),
        Just("content-md5"),
        Just("CONTENT-MD5"),
        Just("Date"),
        Just("x-oss-date"),
        Just("X-Oss-Date"),
        Just("x-oss-meta-a"),
        Just("X-OSS-Meta-A"),
        Just("x-oss-meta-b"),
        Just("x-oss-"),
        Just("x-oss-security-token"),
        Just("X-Oss-Storage-Class"),
        Just("x-ossy"),
        Just("Authorization"),
        Just("Host"),
        Just("Range"),
    ];
    let value = prop_oneof![
        Just(String::new()),
        Just("Wed, 28 Dec 2022 10:27:41 GMT".to_string()),
        Just(" a\t".to_string()),
        Just("\u{b}x\u{3000}".to_string()),
        Just("\u{a0}Wed\u{c}".to_string()),
        Just("x".to_string()),
        Just("\u{b}x".to_string()),
        Just("OSS ak:c2ln".to_string()),
        Just("OSS ak".to_string()),
        Just("image/jpeg".to_string()),
        "[a-zA-Z0-9 ,:=\t]{0,12}",
    ];
    (name, value).prop_map(|(n, v)| (n.to_string(), v))
}

fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("acl"),
        Just("partNumber"),
        Just("uploadId"),
        Just("versionId"),
        Just("x-oss-process"),
        Just("x-oss-foo"),
        Just("response-content-type"),
        Just("security-token"),
        Just("foo"),
        Just("par%74Number"),
        Just("a+b"),
        Just("%FF"),
        Just("Expires"),
        Just(""),
    ];
    let value = prop_oneof![
        Just(None),
        Just(Some("")),
        Just(Some("1")),
        Just(Some("a+b")),
        Just(Some("a%2Bb%20c")),
        Just(Some("%FF")),
        Just(Some("%zz")),
        Just(Some("x=y")),
    ];
    prop::collection::vec((name, value), 0..11).prop_map(|ps| common::query_text(&ps))
}

fn request() -> impl Strategy<Value = (Request, Option<String>)> {
    (
        prop_oneof![
            Just("examplebucket.oss-cn-hangzhou.aliyuncs.com"),
            Just("oss-cn-hangzhou.aliyuncs.com"),
            Just("cdn.example.com"),
            Just("127.0.0.1:9000"),
        ],
        prop_oneof![
            Just("/"),
            Just("/photos/2024/a%20b.jpg"),
            Just("/b/k%2Bz+y"),
            Just("/b/%FF"),
            Just("/b/%"),
            Just("/b/a%2"),
            Just("/b/%E8%85%BE%e8%85%be+%2b%2F/"),
            Just("/b/%%41%4g%C3"),
        ],
        prop::option::of(query()),
        prop::collection::vec(header(), 0..20),
        any::<bool>(),
    )
        .prop_map(|(host, path, q, headers, hint)| {
            let url = match q {
                Some(q) => format!("http://{host}{path}?{q}"),
                None => format!("http://{host}{path}"),
            };
            let r = Request::from_url("PUT", &url, headers).unwrap();
            let bucket = (hint || host.starts_with("cdn")).then(|| "hinted".to_string());
            (r, bucket)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn lean_string_to_sign_is_the_general_one(
        (req, hint) in request(),
        opts in options(),
        url in any::<bool>(),
    ) {
        let Ok(addr) = resolve(&req, Provider::Oss, hint.as_deref()) else {
            return Ok(());
        };
        let form = if url { Form::Url } else { Form::Header };
        let (b, k) = (addr.bucket.as_deref(), addr.key.as_str());
        let general = v1::string_to_sign_at(&req, b, k, form, &opts).map(|(c, q)| {
            let creds = match form {
                Form::Header => authorization::parse_header(req.header("authorization").unwrap_or(""))
                    .map(|a| (a.access_key_id, a.signature)),
                Form::Url => authorization::parse_url(&q).map(|u| (u.access_key_id, u.signature)),
            };
            (c, creds)
        });
        let lean = v1::canonicalise(&req, b, k, form, &opts);
        let text = v1::canonicalise_text(&req, b, k, form, &opts);
        match (general, lean, text) {
            (Ok((c, Ok(creds))), Ok(l), Ok(t)) => {
                prop_assert_eq!(&l.0, &c);
                prop_assert_eq!(l.0.as_str(), t.0.as_str());
                prop_assert_eq!((&l.1, &l.2), (&creds.0, &creds.1));
                prop_assert_eq!((&t.1, &t.2), (&creds.0, &creds.1));
            }
            (Ok((_, Err(e))), Err(a), Err(b)) | (Err(e), Err(a), Err(b)) => {
                prop_assert_eq!(a.to_string(), e.to_string());
                prop_assert_eq!(b.to_string(), e.to_string());
            }
            (g, l, t) => prop_assert!(
                false,
                "general {:?} lean {:?} text {:?}",
                g.map(|x| x.0.to_string()),
                l.map(|x| x.0.to_string()),
                t.map(|x| x.0)
            ),
        }
    }

    #[test]
    fn lean_sign_is_general_sign(
        (req, _) in request(),
        opts in options(),
        token in any::<bool>(),
    ) {
        let Ok(addr) = resolve(&req, Provider::Oss, Some("b")) else {
            return Ok(());
        };
        let creds = Credentials {
            access_key_id: "ak".into(),
            secret: Secret::new("sk"),
            security_token: token.then(|| "tok".to_string()),
        };
        let time = 1_672_223_261;
        let signed = v1::sign(req.clone(), &addr, Form::Header, &creds, time, 60, &opts);
        // The general path, step by step (oss-signing.md §2.8).
        let mut want = req;
        if want.header("date").is_none() && want.header("x-oss-date").is_none() {
            want.headers.push(("Date".into(), sigdiff::time::http_date(time)));
        }
        if token && want.header("x-oss-security-token").is_none() {
            want.headers.push(("x-oss-security-token".into(), "tok".into()));
        }
        match (v1::string_to_sign(&want, &addr, Form::Header, &opts), signed) {
            (Ok((c, _)), Ok(s)) => {
                let sig = v1::sign_string(&creds.secret, c.as_str());
                want.set_header("Authorization", authorization::format_header("ak", &sig));
                prop_assert_eq!(&s.signature, &sig);
                prop_assert_eq!(&s.request, &want);
                prop_assert_eq!(s.stages.len(), 1);
                prop_assert_eq!(s.stages[0].0, Stage::StringToSign);
                prop_assert_eq!(&s.stages[0].1, &c);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "general {:?} sign {:?}", a.map(|x| x.0.to_string()), b.map(|s| s.signature)),
        }
    }

    #[test]
    fn check_agrees_with_prepare(
        (req, hint) in request(),
        opts in options(),
        signed in any::<bool>(),
    ) {
        let mut req = req;
        let mut did_sign = false;
        if signed {
            if let Some(s) = common::v1_signed(&req, hint.as_deref(), &opts) {
                req = s;
                did_sign = true;
            }
        }
        let o = VerifyOptions {
            now: 1_672_223_261,
            bucket: hint,
            scheme: Some(sigdiff::scheme::SchemeId::OssV1),
            oss_v1: opts,
            secrets: vec![Secret::new("other"), Secret::new("sk")],
            diagnose: false,
            ..Default::default()
        };
        match (check(&req, &o), prepare(&req, &o)) {
            (Ok(c), Ok(p)) => {
                prop_assert_eq!(&c.access_key_id, &p.access_key_id);
                prop_assert_eq!(&c.provided_signature, &p.provided_signature);
                let sigs: Vec<String> = o.secrets.iter().map(|s| p.signature(s)).collect();
                let hit = sigs.iter().position(|s| ct_eq(s, &p.provided_signature));
                prop_assert_eq!(c.secret_index, hit);
                prop_assert_eq!(c.computed_signature.as_deref(), Some(sigs[hit.unwrap_or(0)].as_str()));
                if did_sign {
                    // What sign wrote, check accepts (with the second secret).
                    prop_assert_eq!(hit, Some(1));
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.code(), b.code()),
            (a, b) => prop_assert!(false, "check {:?} prepare {:?}", a.map(|c| c.verdict), b.map(|p| p.scheme)),
        }
    }
}

/// `HMAC-SHA1` by the `hmac` crate, no cache (oss-signing.md §1.1).
fn uncached(secret: &str, text: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The per-thread keyed-HMAC cache of `v1::sign_string` never changes a
    /// signature: secrets interleaved, repeated and past the cache's size (four),
    /// including ones that share a prefix or differ only in length.
    #[test]
    fn sign_string_cache_is_invisible(
        picks in prop::collection::vec((0usize..7, "[a-z\n]{0,70}"), 1..40),
    ) {
        let secrets = ["sk", "sk2", "s", "", "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV", "sk ", &"k".repeat(80)];
        for (i, text) in &picks {
            let got = v1::sign_string(&Secret::new(secrets[*i]), text);
            prop_assert_eq!(got, uncached(secrets[*i], text));
        }
    }
}

#[test]
fn t1_through_the_cache() {
    // oss-signing.md §9.1 T1 (Content-MD5 erratum applied), signed after other
    // secrets filled the cache, then again.
    let s = "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson";
    let sk = Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV");
    for other in ["a", "b", "c", "d", "e"] {
        v1::sign_string(&Secret::new(other), s);
        assert_eq!(v1::sign_string(&sk, s), "26NBxoKdsyly4EDv6inkoDft/yA=");
    }
}
