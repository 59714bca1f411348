//! HAR files: never panic; what parses can be verified without panicking either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sigdiff::input::parse(data, "fuzz.har", None);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(entries) = sigdiff::input::har::parse(text, None) {
            for (_, req) in entries.iter().take(4) {
                let _ = sigdiff::verify::verify(req, &sigdiff::verify::VerifyOptions::default());
            }
        }
    }
});
