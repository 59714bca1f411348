//! OSS V4's lean verdict (`verify::check`, `oss::v4::check`) computes exactly the
//! signature of the general path (`verify::prepare` + `Prepared::signature`), on
//! drawn header and URL requests, tampered ones, and every V4 option, and
//! refuses exactly what the general path refuses.

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
                prop_assert_eq!(c.computed_signature, Some(p.signature(&secret)));
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
