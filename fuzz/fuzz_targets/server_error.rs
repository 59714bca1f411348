//! Server error bodies (XML and JSON): never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(e) = sigdiff::server_error::parse(text) {
            let _ = e.string_to_sign();
            let _ = e.bytes_disagree();
        }
    }
});
