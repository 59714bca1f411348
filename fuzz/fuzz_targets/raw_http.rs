//! Raw HTTP (and curl -v transcripts): never panic; what parses can be verified
//! without panicking either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(req) = sigdiff::input::raw_http::parse(text) {
            let _ = sigdiff::verify::verify(&req, &sigdiff::verify::VerifyOptions::default());
        }
    }
});
