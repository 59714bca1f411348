//! URLs and addressing: any URL, detected and verified, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(url) = std::str::from_utf8(data) {
        if let Ok(req) = sigdiff::Request::from_url("GET", url, vec![]) {
            let _ = sigdiff::verify::verify(&req, &sigdiff::verify::VerifyOptions::default());
            let _ = sigdiff::address::resolve(&req, sigdiff::address::Provider::Oss, Some("b"));
            let _ = sigdiff::address::resolve(&req, sigdiff::address::Provider::Cos, None);
        }
    }
});
