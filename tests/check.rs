//! `verify::check` (the lean verdict) agrees with `verify::verify` (the full
//! report) on every curated vector, with the right secret, a wrong one, several
//! secrets, and a tampered signature.

use sigdiff::scheme::SchemeId;
use sigdiff::secret::Secret;
use sigdiff::vectors::{find_cases, sign_case, Case};
use sigdiff::verify::{check, verify, Verdict, VerifyOptions};
use sigdiff::Request;
use std::path::PathBuf;

fn signed_requests() -> Vec<(String, SchemeId, Request, Secret, Option<String>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut out = Vec::new();
    for dir in find_cases(&root).unwrap() {
        let case = Case::load(&dir).unwrap();
        if sigdiff::post::is_post(case.scheme) {
            continue;
        }
        let r = sign_case(&case.spec).unwrap();
        let method = case.spec.method.clone().unwrap_or_else(|| "GET".into());
        let req = Request::from_url(&method, &r.url, r.headers.clone()).unwrap();
        let creds = case.spec.credentials().unwrap();
        // CNAME cases name their bucket out of band.
        let bucket = case.spec.bucket.clone();
        out.push((case.name(&root), case.scheme, req, creds.secret, bucket));
    }
    assert!(out.len() >= 300, "only {} vectors", out.len());
    out
}

fn opts(secrets: Vec<Secret>, scheme: SchemeId, bucket: Option<String>) -> VerifyOptions {
    VerifyOptions {
        now: 1_700_000_000,
        secrets,
        scheme: Some(scheme),
        bucket,
        diagnose: false,
        ..Default::default()
    }
}

#[test]
fn check_agrees_with_verify_on_every_vector() {
    let mut matched = 0;
    for (name, scheme, req, secret, bucket) in signed_requests() {
        let o = opts(vec![secret.clone()], scheme, bucket.clone());
        let full = match verify(&req, &o) {
            Ok(r) => r,
            // A case verify cannot take (e.g. a custom-domain case without its bucket)
            // must be refused by check too.
            Err(_) => {
                assert!(
                    check(&req, &o).is_err(),
                    "{name}: check took what verify refused"
                );
                continue;
            }
        };
        let c = check(&req, &o).unwrap();
        assert_eq!(c.verdict, full.verdict, "{name}");
        assert_eq!(c.scheme, full.scheme, "{name}");
        assert_eq!(c.provided_signature, full.provided_signature, "{name}");
        assert_eq!(
            c.computed_signature.as_deref(),
            full.computed_signature.as_deref(),
            "{name}"
        );
        if c.verdict == Verdict::Match {
            matched += 1;
            assert_eq!(c.secret_index, Some(0), "{name}");
        }

        // A wrong secret first, the right one second: both say match, via secret #2.
        let wrong = Secret::new("not-the-secret");
        let o2 = opts(vec![wrong.clone(), secret.clone()], scheme, bucket.clone());
        let c2 = check(&req, &o2).unwrap();
        assert_eq!(c2.verdict, verify(&req, &o2).unwrap().verdict, "{name}");
        if c.verdict == Verdict::Match {
            assert_eq!(c2.secret_index, Some(1), "{name}");
        }

        // Only a wrong secret: mismatch; no secret: unverified.
        let o3 = opts(vec![wrong], scheme, bucket.clone());
        assert_eq!(
            check(&req, &o3).unwrap().verdict,
            Verdict::Mismatch,
            "{name}"
        );
        assert_eq!(
            verify(&req, &o3).unwrap().verdict,
            Verdict::Mismatch,
            "{name}"
        );
        let o4 = opts(vec![], scheme, bucket);
        assert_eq!(
            check(&req, &o4).unwrap().verdict,
            Verdict::Unverified,
            "{name}"
        );
    }
    // Most vectors sign with the server's defaults, so they verify with them.
    assert!(matched >= 250, "only {matched} vectors matched");
}

#[test]
fn tampered_request_is_a_mismatch_for_both() {
    let mut n = 0;
    for (name, scheme, mut req, secret, bucket) in signed_requests() {
        let o = opts(vec![secret], scheme, bucket);
        if check(&req, &o).map(|c| c.verdict) != Ok(Verdict::Match) {
            continue;
        }
        // Change the method: every scheme signs it.
        req.method = if req.method == "GET" { "HEAD" } else { "GET" }.into();
        let c = check(&req, &o).unwrap();
        assert_eq!(c.verdict, Verdict::Mismatch, "{name}");
        assert_eq!(
            verify(&req, &o).unwrap().verdict,
            Verdict::Mismatch,
            "{name}"
        );
        n += 1;
    }
    assert!(n >= 250);
}
