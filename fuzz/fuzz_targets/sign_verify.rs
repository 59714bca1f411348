//! Round trip, structure-aware: the fuzz input seeds the public proptest
//! strategies (src/strategy.rs), so every case is a pitfall-biased request of
//! one scheme, form uploads included; what sigdiff signs, sigdiff verifies
//! (`sigdiff::strategy::round_trip`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sigdiff::scheme::SchemeId;

fuzz_target!(|data: &[u8]| {
    if data.len() < 17 {
        return;
    }
    let schemes: Vec<SchemeId> = SchemeId::ALL
        .into_iter()
        .filter(|s| s.is_supported())
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
    if let Err(e) = sigdiff::strategy::round_trip(&spec) {
        panic!("{e}: {}", serde_json::to_string(&spec).unwrap());
    }
});
