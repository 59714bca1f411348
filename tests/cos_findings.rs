//! Each COS finding fires on the request feature it names (cos-signing.md §1–§3, §7).

use sigdiff::verify::{prepare, VerifyOptions};
use sigdiff::Request;

const H: &str = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";

fn auth(sign_time: &str, key_time: &str, headers: &str, params: &str) -> String {
    format!("q-sign-algorithm=sha1&q-ak=AKID&q-sign-time={sign_time}&q-key-time={key_time}&q-header-list={headers}&q-url-param-list={params}&q-signature=0123456789abcdef0123456789abcdef01234567")
}

fn codes_for(
    target: &str,
    headers: &[(&str, &str)],
    now: i64,
) -> Vec<(&'static str, Option<String>)> {
    let req = Request::from_url(
        "GET",
        &format!("https://{H}{target}"),
        headers
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    )
    .unwrap();
    let o = VerifyOptions {
        now,
        ..Default::default()
    };
    prepare(&req, &o)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| (f.code, f.field))
        .collect()
}

fn has(c: &[(&'static str, Option<String>)], code: &str, field: Option<&str>) -> bool {
    c.iter()
        .any(|(k, f)| *k == code && (field.is_none() || f.as_deref() == field))
}

const OK: &str = "1700000000;1700003600";
const NOW: i64 = 1700000100;

#[test]
fn clean_request_has_no_findings() {
    let a = auth(OK, OK, "host", "acl");
    let c = codes_for("/k?acl", &[("Host", H), ("Authorization", &a)], NOW);
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn algorithm_signature_and_ak() {
    let a = auth(OK, OK, "host", "")
        .replace("sha1", "sha256")
        .replace("q-ak=AKID", "q-ak= AKID");
    let a = a.replace(
        "0123456789abcdef0123456789abcdef01234567",
        "0123456789ABCDEF0123456789ABCDEF01234567",
    );
    let c = codes_for("/k", &[("Host", H), ("Authorization", &a)], NOW);
    assert!(has(&c, "SIG100", Some("algorithm")), "{c:?}");
    assert!(has(&c, "SIG119", Some("signature")), "{c:?}");
    assert!(has(&c, "SIG116", Some("authorization")), "{c:?}");
    let empty_ak = auth(OK, OK, "host", "").replace("q-ak=AKID", "q-ak=");
    let c = codes_for("/k", &[("Host", H), ("Authorization", &empty_ak)], NOW);
    assert!(has(&c, "SIG121", Some("access-key-id")), "{c:?}");
}

#[test]
fn time_windows() {
    // q-key-time ≠ q-sign-time.
    let c = codes_for(
        "/k",
        &[
            ("Host", H),
            (
                "Authorization",
                &auth("1700000050;1700000900", OK, "host", ""),
            ),
        ],
        NOW,
    );
    assert!(has(&c, "SIG101", Some("sign-time")), "{c:?}");
    // Start in the future, expired, end before start, milliseconds.
    let c = codes_for(
        "/k",
        &[("Host", H), ("Authorization", &auth(OK, OK, "host", ""))],
        1699999000,
    );
    assert!(has(&c, "SIG102", Some("sign-time")), "{c:?}");
    let c = codes_for(
        "/k",
        &[("Host", H), ("Authorization", &auth(OK, OK, "host", ""))],
        1700009999,
    );
    assert!(has(&c, "SIG103", Some("sign-time")), "{c:?}");
    let back = "1700003600;1700000000";
    let c = codes_for(
        "/k",
        &[
            ("Host", H),
            ("Authorization", &auth(back, back, "host", "")),
        ],
        NOW,
    );
    assert!(has(&c, "SIG104", None), "{c:?}");
    let ms = "1700000000000;1700003600000";
    let c = codes_for(
        "/k",
        &[("Host", H), ("Authorization", &auth(ms, ms, "host", ""))],
        NOW,
    );
    assert!(has(&c, "SIG105", None), "{c:?}");
}

#[test]
fn coverage_of_the_lists() {
    let a = auth(OK, OK, "host;x-cos-meta-gone", "acl;absent");
    let c = codes_for(
        "/k?acl&extra=1",
        &[
            ("Host", H),
            ("Content-Type", "text/plain"),
            ("x-cos-security-token", "t"),
            ("Authorization", &a),
        ],
        NOW,
    );
    assert!(has(&c, "SIG106", Some("header:content-type")), "{c:?}");
    assert!(
        has(&c, "SIG113", Some("header:x-cos-security-token")),
        "{c:?}"
    );
    assert!(has(&c, "SIG107", Some("query:extra")), "{c:?}");
    assert!(has(&c, "SIG108", Some("header:x-cos-meta-gone")), "{c:?}");
    assert!(has(&c, "SIG109", Some("query:absent")), "{c:?}");
    // Host not signed at all.
    let c = codes_for(
        "/k",
        &[("Host", H), ("Authorization", &auth(OK, OK, "", ""))],
        NOW,
    );
    assert!(has(&c, "SIG106", Some("header:host")), "{c:?}");
}

#[test]
fn lists_with_upper_case_and_repeats() {
    let a = auth(OK, OK, "Host;x-cos-a", "");
    let c = codes_for(
        "/k",
        &[
            ("Host", H),
            ("x-cos-a", "1"),
            ("X-Cos-A", "2"),
            ("Authorization", &a),
        ],
        NOW,
    );
    assert!(has(&c, "SIG110", Some("q-header-list")), "{c:?}");
    assert!(has(&c, "SIG118", Some("header:x-cos-a")), "{c:?}");
}

#[test]
fn plus_port_whitespace_and_both_places() {
    let a = auth(OK, OK, "host;x-cos-meta-a", "v");
    let c = codes_for(
        "/a+b?v=1+2&q-signature=x",
        &[
            ("Host", &format!("{H}:8080")),
            ("x-cos-meta-a", " padded "),
            ("Authorization", &a),
        ],
        NOW,
    );
    assert!(has(&c, "SIG111", Some("path")), "{c:?}");
    assert!(has(&c, "SIG112", Some("query:v")), "{c:?}");
    assert!(has(&c, "SIG114", Some("header:host")), "{c:?}");
    assert!(has(&c, "SIG020", Some("header:x-cos-meta-a")), "{c:?}");
    assert!(has(&c, "SIG117", None), "{c:?}");
}

#[test]
fn sort_rule_matters_and_malformed_strings() {
    let a = auth(OK, OK, "host", "a%2fb;a.b");
    let c = codes_for(
        "/k?a%2Fb=1&a.b=2",
        &[("Host", H), ("Authorization", &a)],
        NOW,
    );
    assert!(has(&c, "SIG120", None), "{c:?}");
    let odd = format!(
        "q-ak=AKID&{}",
        auth(OK, OK, "host", "").replacen("q-ak=AKID&", "", 1)
    )
    .replace(
        "&q-url-param-list=",
        "&q-url-param-list=&x-extra=1&q-url-param-list=",
    );
    let c = codes_for("/k", &[("Host", H), ("Authorization", &odd)], NOW);
    assert!(has(&c, "SIG115", Some("authorization")), "{c:?}");
    let spaced = auth(OK, OK, "host", "").replace("&q-ak", "& q-ak");
    let c = codes_for("/k", &[("Host", H), ("Authorization", &spaced)], NOW);
    assert!(has(&c, "SIG116", Some("authorization")), "{c:?}");
}
