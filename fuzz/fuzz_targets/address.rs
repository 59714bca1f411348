//! Hosts and addressing (virtual-host, path-style, CNAME, IP): never panic, for
//! either provider, with and without a bucket hint.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigdiff::address::{classify_host, resolve, Provider};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (host, path) = text.split_once('/').unwrap_or((text, ""));
    let _ = classify_host(host);
    let url = format!("https://{host}/{path}");
    if let Ok(req) = sigdiff::Request::from_url("GET", &url, vec![]) {
        for p in [Provider::Oss, Provider::Cos] {
            let _ = resolve(&req, p, None);
            let _ = resolve(&req, p, Some("bucket"));
        }
    }
});
