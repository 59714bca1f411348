//! The fuzz protocol, both ends: `sign --protocol` (serve) answers any input with
//! one line per non-blank request line and never panics; the harness reads any
//! answer line and compares it with sigdiff's without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigdiff::fuzz::compare::compare;
use sigdiff::fuzz::protocol::Reply;
use sigdiff::sign::{sign_spec, SignOptions};

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    sigdiff::fuzz::serve::serve(data, &mut out, &SignOptions::default()).expect("in-memory I/O");
    let requests = data
        .split(|b| *b == b'\n')
        .filter(|l| std::str::from_utf8(l).map_or(true, |s| !s.trim().is_empty()))
        .count();
    assert_eq!(
        out.iter().filter(|b| **b == b'\n').count(),
        requests,
        "one answer per request"
    );
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(reply) = serde_json::from_str::<Reply>(text) {
        let spec = sigdiff::input::spec::RequestSpec::from_json(
            r#"{"scheme":"oss-v1","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com",
            "credentials":{"access_key_id":"ak","access_key_secret":"sk"},"time":1700000000}"#,
        )
        .unwrap();
        let ours = sign_spec(&spec, &SignOptions::default()).unwrap();
        for s in [sigdiff::SchemeId::OssV1, sigdiff::SchemeId::OssV1Url] {
            let _ = compare(s, &spec, &ours, &reply);
        }
    }
});
