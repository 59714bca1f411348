//! Property tests: no input makes a parser or verify panic (the cargo-fuzz targets
//! in fuzz/ do the same with coverage guidance on nightly).

use proptest::prelude::*;
use sigdiff::verify::{verify, VerifyOptions};

fn http_like() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("GET /k HTTP/1.1".to_string()),
        Just("PUT /a%20b?acl HTTP/1.1".to_string()),
        Just("Host: b.oss-cn-hangzhou.aliyuncs.com".to_string()),
        Just("Authorization: OSS ak:sig=".to_string()),
        Just("Date: Sun, 03 Dec 2023 12:12:12 GMT".to_string()),
        Just("x-oss-meta-a:  v ".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ];
    proptest::collection::vec(line, 0..8).prop_map(|v| v.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn raw_http_never_panics(s in http_like()) {
        if let Ok(r) = sigdiff::input::raw_http::parse(&s) {
            let _ = verify(&r, &VerifyOptions::default());
        }
    }

    #[test]
    fn urls_never_panic(path in "[a-zA-Z0-9%/+?&=.~ -]{0,40}", host in prop_oneof![
        Just("b.oss-cn-hangzhou.aliyuncs.com"), Just("oss-cn-hangzhou.aliyuncs.com"), Just("10.0.0.1:80"),
        Just("img.example.com"), Just("b-125.cos.ap-beijing.myqcloud.com")]) {
        let url = format!("https://{host}/{path}");
        if let Ok(r) = sigdiff::Request::from_url("GET", &url, vec![("Authorization".into(), "OSS a:b".into())]) {
            let _ = verify(&r, &VerifyOptions { bucket: Some("b".into()), ..Default::default() });
        }
    }

    #[test]
    fn curl_never_panics(s in "curl( (-[XHdIT]|--[a-z-]{1,10}|'[^']{0,12}'|\"[^\"]{0,12}\"|[a-zA-Z:/.]{1,12})){0,6}") {
        let _ = sigdiff::input::curl::parse(&s);
    }

    #[test]
    fn error_bodies_never_panic(s in "(<[A-Za-z/]{0,8}>|[^<]{0,10}|&[a-z]{0,4};){0,12}") {
        let _ = sigdiff::server_error::parse(&s);
    }

    #[test]
    fn string_to_sign_parse_back_round_trips(s in "(\\PC|\n|x-oss-a:b\n|[?&=]){0,40}") {
        let c = sigdiff::oss::v1::string_to_sign::parse_back(&s, "date", None);
        prop_assert_eq!(c.as_str(), s.as_str());
    }
}

fn auth_header() -> impl Strategy<Value = String> {
    prop_oneof![
        "OSS [a-z]{0,4}:?[A-Za-z0-9+/=]{0,8}",
        "OSS4-HMAC-SHA256( ?(Credential|AdditionalHeaders|Signature)=[a-z0-9/;_-]{0,30},?){0,4}",
        "q-sign-algorithm=sha1(&q-(ak|sign-time|key-time|header-list|url-param-list|signature)=[a-z0-9;%]{0,12}){0,7}",
        "[ -~]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_authorization_never_panics(auth in auth_header(), host in prop_oneof![
        Just("b.oss-cn-hangzhou.aliyuncs.com"), Just("b-1250000000.cos.ap-beijing.myqcloud.com")],
        date in prop_oneof![Just("20231203T121212Z".to_string()), Just("Sun, 03 Dec 2023 12:12:12 GMT".to_string()), "[ -~]{0,20}"]) {
        let headers = vec![("Authorization".to_string(), auth), ("x-oss-date".to_string(), date.clone()), ("Date".to_string(), date)];
        if let Ok(r) = sigdiff::Request::from_url("PUT", &format!("https://{host}/k"), headers) {
            let _ = verify(&r, &VerifyOptions { secrets: vec![sigdiff::Secret::new("sk")], ..Default::default() });
        }
    }

    #[test]
    fn any_signed_query_never_panics(q in "((x-oss-(signature-version|credential|date|expires|signature|additional-headers)|q-(sign-algorithm|ak|sign-time|key-time|header-list|url-param-list|signature)|sign|OSSAccessKeyId|Expires|Signature)=[a-zA-Z0-9%;/+=-]{0,14}&?){1,8}") {
        for host in ["b.oss-cn-hangzhou.aliyuncs.com", "b-1250000000.cos.ap-beijing.myqcloud.com"] {
            if let Ok(r) = sigdiff::Request::from_url("GET", &format!("https://{host}/k?{q}"), vec![]) {
                let _ = verify(&r, &VerifyOptions { secrets: vec![sigdiff::Secret::new("sk")], ..Default::default() });
            }
        }
    }
}
