//! Round trip, structure-aware: the fuzz input seeds the public proptest
//! strategies (src/strategy.rs), so every case is a pitfall-biased request of
//! one scheme; what sigdiff signs, sigdiff verifies (sign → verify matches).
#![no_main]
use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sigdiff::scheme::SchemeId;
use sigdiff::sign::{sign_spec, SignOptions};

fuzz_target!(|data: &[u8]| {
    if data.len() < 17 {
        return;
    }
    let schemes: Vec<SchemeId> = SchemeId::ALL
        .into_iter()
        .filter(|s| s.is_supported())
        // The strategies generate header/URL schemes; POST policies are not generated.
        .filter(|s| !matches!(s, SchemeId::OssPost | SchemeId::OssPostV4 | SchemeId::CosPost))
        .collect();
    let scheme = schemes[data[0] as usize % schemes.len()];
    let mut seed = [0u8; 16];
    seed.copy_from_slice(&data[1..17]);
    let mut runner = TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::XorShift, &seed),
    );
    let spec = sigdiff::strategy::spec(scheme)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let r = sign_spec(&spec, &SignOptions::default()).expect("generated specs sign");
    let method = spec.method.clone().unwrap_or_else(|| "GET".into());
    let req =
        sigdiff::Request::from_url(&method, &r.url, r.headers.clone()).expect("signed URL parses");
    let now = spec.time_or(0).unwrap();
    let secret = spec.credentials().unwrap().secret;
    let opts = sigdiff::verify::VerifyOptions {
        now,
        secrets: vec![secret],
        ..Default::default()
    };
    let rep = sigdiff::verify::verify(&req, &opts).expect("what sign produced verifies");
    assert_eq!(
        rep.verdict,
        sigdiff::verify::Verdict::Match,
        "{}",
        serde_json::to_string(&spec).unwrap()
    );
});
