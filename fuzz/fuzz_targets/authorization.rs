//! The Authorization header of every scheme (V1 `OSS ak:sig`, V4
//! `OSS4-HMAC-SHA256 Credential=...`, COS `q-sign-algorithm=...`) and the URL
//! signature parameters of each: never panic; a V1 header that parses formats
//! back to the same text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigdiff::encode::{parse_query, PlusMeans};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(a) = sigdiff::oss::v1::authorization::parse_header(text) {
        let _ = a;
    }
    let _ = sigdiff::oss::v4::authorization::parse_header(text);
    let mut findings = Vec::new();
    if let Ok(q) = sigdiff::cos::authorization::parse(text, "Authorization", &mut findings) {
        // Formatting what was read never panics, and reads back the same fields.
        let again = q.format();
        let mut f2 = Vec::new();
        let q2 = sigdiff::cos::authorization::parse(&again, "Authorization", &mut f2)
            .expect("a formatted q-sign string parses");
        assert_eq!(q2.format(), again, "format/parse round trip");
    }
    for plus in [PlusMeans::Space, PlusMeans::Plus] {
        if let Ok(q) = parse_query(text, plus) {
            let _ = sigdiff::oss::v1::authorization::parse_url(&q);
            let _ = sigdiff::oss::v4::authorization::parse_url(&q);
            let _ = sigdiff::cos::presign::read(&q, &mut findings);
        }
    }
    // The whole request path: detection and verify with the header.
    if let Ok(req) = sigdiff::Request::from_url(
        "GET",
        "https://b.oss-cn-hangzhou.aliyuncs.com/k",
        vec![
            ("Authorization".into(), text.into()),
            ("Date".into(), "Tue, 14 Nov 2023 22:13:20 GMT".into()),
        ],
    ) {
        let _ = sigdiff::verify::verify(&req, &sigdiff::verify::VerifyOptions::default());
    }
});
