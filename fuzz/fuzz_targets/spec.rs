//! JSON request specs: never panic; a spec that signs must verify (round trip).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigdiff::sign::{sign_spec, SignOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = sigdiff::input::spec::RequestSpec::from_json(text) else {
        return;
    };
    let Ok(r) = sign_spec(
        &spec,
        &SignOptions {
            now: 1_700_000_000,
            ..Default::default()
        },
    ) else {
        return;
    };
    let method = spec.method.clone().unwrap_or_else(|| "GET".into());
    let req =
        sigdiff::Request::from_url(&method, &r.url, r.headers.clone()).expect("signed URL parses");
    let secret = spec
        .credentials()
        .expect("signed, so it has a secret")
        .secret;
    let opts = sigdiff::verify::VerifyOptions {
        now: 1_700_000_000,
        secrets: vec![secret],
        ..Default::default()
    };
    let rep = sigdiff::verify::verify(&req, &opts).expect("what sign produced verifies");
    assert_eq!(
        rep.verdict,
        sigdiff::verify::Verdict::Match,
        "sign/verify round trip"
    );
});
