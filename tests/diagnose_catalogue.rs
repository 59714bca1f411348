//! Diagnosis by reproduction: for every catalogue entry, a client makes that
//! mistake — the library's own signer signs a changed request, or the correct
//! signed text is changed the way the mistake changes it and signed with the
//! library's primitives — and the search must name exactly that entry.
//! Also: combinations of two and three mistakes, and a request no mistake
//! explains. Expected values are never pasted from sigdiff's own output: each
//! case is built from the mistake's description.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sigdiff::diagnose::{diagnose, entries, DiagnoseOptions, Diagnosis};
use sigdiff::encode::encode;
use sigdiff::input::spec::RequestSpec;
use sigdiff::oss::v4::{signing_key, string_to_sign as v4sts};
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::time::{http_date, iso_basic};
use sigdiff::verify::{prepare, VerifyOptions};
use sigdiff::{Request, Secret};
use std::collections::BTreeSet;

const SK: &str = "sk-0123456789abcdef";
const SK2: &str = "another-secret-987";
const AK: &str = "LTAIexampleak";
/// Sun, 03 Dec 2023 12:12:12 GMT.
const T: i64 = 1701605532;

const V1H: &str =
    r#""scheme":"oss-v1","method":"PUT","bucket":"b","endpoint":"oss-cn-hangzhou.aliyuncs.com""#;
const V1U: &str = r#""scheme":"oss-v1-url","method":"GET","bucket":"b","endpoint":"oss-cn-hangzhou.aliyuncs.com""#;
const V4H: &str =
    r#""scheme":"oss-v4","method":"PUT","bucket":"b","endpoint":"oss-cn-hangzhou.aliyuncs.com""#;
const V4U: &str = r#""scheme":"oss-v4-url","method":"GET","bucket":"b","endpoint":"oss-cn-hangzhou.aliyuncs.com""#;
const CH: &str = r#""scheme":"cos","method":"PUT","bucket":"b-1250000000","endpoint":"cos.ap-beijing.myqcloud.com""#;
const CU: &str = r#""scheme":"cos-url","method":"GET","bucket":"b-1250000000","endpoint":"cos.ap-beijing.myqcloud.com""#;

/// `{base, rest, "time": T}` with the client's secret.
fn spec(base: &str, rest: &str, secret: &str) -> RequestSpec {
    let sep = if rest.is_empty() { "" } else { "," };
    let json = format!(
        r#"{{{base}{sep}{rest},"credentials":{{"access_key_id":"{AK}","access_key_secret":{}}}}}"#,
        serde_json::to_string(secret).unwrap()
    );
    let mut s = RequestSpec::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    if s.time.is_none() {
        s = RequestSpec::from_json(&json.replacen('{', &format!(r#"{{"time":{T},"#), 1)).unwrap();
    }
    s
}

/// The request the client sends after signing `base + rest` with `secret`.
fn signed_by(base: &str, rest: &str, secret: &str) -> Request {
    let s = spec(base, rest, secret);
    let r = sign_spec(&s, &SignOptions::default()).unwrap();
    Request::from_url(s.method.as_deref().unwrap_or("GET"), &r.url, r.headers).unwrap()
}

fn signed(base: &str, rest: &str) -> Request {
    signed_by(base, rest, SK)
}

fn set_header(mut r: Request, name: &str, v: Option<&str>) -> Request {
    r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(v) = v {
        r.headers.insert(0, (name.to_string(), v.to_string()));
    }
    r
}

/// Replace text in the Authorization header (the q-sign or V4 credential fields).
fn edit_auth(mut r: Request, from: &str, to: &str) -> Request {
    let a = r
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .expect("Authorization");
    assert!(a.1.contains(from), "{} lacks {from}", a.1);
    a.1 = a.1.replace(from, to);
    r
}

fn edit_target(mut r: Request, from: &str, to: &str) -> Request {
    assert!(r.target.contains(from), "{} lacks {from}", r.target);
    r.target = r.target.replacen(from, to, 1);
    r
}

/// Put another signature where the request carries its own.
fn replace_sig(mut r: Request, old: &str, new: &str) -> Request {
    if let Some(a) = r
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    {
        assert!(a.1.contains(old));
        a.1 = a.1.replace(old, new);
        return r;
    }
    let (eo, en) = (encode(old), encode(new));
    edit_target(r, &eo, &en)
}

/// The client signed `f(correct first-stage text)` instead of the correct text.
fn resign(r: Request, f: impl Fn(&str) -> String) -> Request {
    let p = prepare(&r, &VerifyOptions::default()).unwrap();
    let (stage, c) = &p.stages[0];
    let text = f(c.as_str());
    assert_ne!(text, c.as_str(), "the mistake must change the text:\n{c}");
    let sig = p.sign_text(*stage, &text, &Secret::new(SK));
    replace_sig(r, &p.provided_signature, &sig)
}

fn run(r: &Request, secrets: &[&str]) -> Diagnosis {
    let p = prepare(r, &VerifyOptions::default()).unwrap();
    let s: Vec<Secret> = secrets.iter().map(|x| Secret::new(*x)).collect();
    diagnose(
        r,
        &p,
        &s,
        &p.provided_signature,
        &DiagnoseOptions::default(),
    )
}

fn matches_entry(id: &str, entry: &str) -> bool {
    id == entry || id.starts_with(&format!("{entry}:")) || id.starts_with(&format!("{entry}="))
}

/// Exactly one winner, a single hypothesis, and it is `entry` (or an
/// equivalent of it: another id that gives the very same signed input).
fn assert_identifies(label: &str, entry: &str, d: &Diagnosis) {
    let all: Vec<_> = d
        .winners
        .iter()
        .map(|w| (&w.hypotheses, &w.equivalents))
        .collect();
    assert_eq!(
        d.winners.len(),
        1,
        "{label}: expected one winner for {entry}, got {all:?}"
    );
    let w = &d.winners[0];
    assert_eq!(w.hypotheses.len(), 1, "{label}: {all:?}");
    let ids: Vec<&String> = w.hypotheses.iter().chain(w.equivalents[0].iter()).collect();
    assert!(
        ids.iter().any(|i| matches_entry(i, entry)),
        "{label}: {entry} not among {ids:?}"
    );
    assert!(w.finding.reproduces && w.finding.hypotheses == w.hypotheses);
    assert!(w.finding.code.starts_with("SIG4"), "{}", w.finding.code);
}

type Build = Box<dyn Fn() -> (Request, Vec<&'static str>)>;

fn only(r: Request) -> (Request, Vec<&'static str>) {
    (r, vec![SK])
}

/// `(entry, label, build)`: the request the mistaken client sends and the secrets given.
fn cases() -> Vec<(&'static str, &'static str, Build)> {
    let mut v: Vec<(&'static str, &'static str, Build)> = Vec::new();
    macro_rules! case {
        ($e:literal, $l:literal, $b:expr) => {
            v.push(($e, $l, Box::new($b)));
        };
    }
    // ---------------------------------------------------------------- content
    for (label, base) in [("v1", V1H), ("v1-url", V1U), ("v4", V4H), ("v4-url", V4U)] {
        let b = base.to_string();
        let b2 = b.clone();
        v.push((
            "content-type.charset-added",
            label,
            Box::new(move || {
                // The client signed text/plain; its HTTP library sent a charset too.
                let r = signed(
                    &b,
                    r#""key":"k.bin","headers":[["Content-Type","text/plain"]]"#,
                );
                only(set_header(
                    r,
                    "Content-Type",
                    Some("text/plain; charset=utf-8"),
                ))
            }),
        ));
        v.push((
            "content-type.signed-empty",
            label,
            Box::new(move || {
                let r = signed(&b2, r#""key":"k.bin""#);
                only(set_header(
                    r,
                    "Content-Type",
                    Some("application/x-www-form-urlencoded"),
                ))
            }),
        ));
    }
    for (label, base) in [("cos", CH), ("cos-url", CU)] {
        let b = base.to_string();
        let b2 = b.clone();
        v.push(("content-type.charset-added", label, Box::new(move || {
            // Signed `content-type` listed; the library then appended the charset.
            let r = signed(&b, r#""key":"k.bin","headers":[["Content-Type","text/plain"]],"signed_headers":["host","content-type"]"#);
            only(set_header(r, "Content-Type", Some("text/plain; charset=utf-8")))
        })));
        v.push(("content-type.signed-empty", label, Box::new(move || {
            // Listed with an empty value at signing time (cos-signing.md §7.6).
            let r = signed(&b2, r#""key":"k.bin","headers":[["Content-Type","text/plain"]],"signed_headers":["host","content-type"]"#);
            only(resign(r, |t| t.replace("content-type=text%2Fplain", "content-type=")))
        })));
    }
    case!("content-type.charset-variant", "v1", || {
        let r = signed(
            V1H,
            r#""key":"k.bin","headers":[["Content-Type","text/plain;charset=UTF-8"]]"#,
        );
        only(set_header(
            r,
            "Content-Type",
            Some("text/plain; charset=utf-8"),
        ))
    });
    case!("content-type.from-extension", "v1", || {
        let r = signed(
            V1H,
            r#""key":"photos/a.png","headers":[["Content-Type","image/png"]]"#,
        );
        only(set_header(r, "Content-Type", Some("text/plain")))
    });
    case!("content-type.from-extension", "v4", || {
        let r = signed(
            V4H,
            r#""key":"photos/a.png","headers":[["Content-Type","image/png"]]"#,
        );
        only(set_header(r, "Content-Type", None))
    });
    case!("content-type.form-default", "v1", || {
        let r = signed(
            V1H,
            r#""key":"k.bin","headers":[["Content-Type","application/x-www-form-urlencoded"]]"#,
        );
        only(set_header(r, "Content-Type", Some("text/plain")))
    });
    case!("content-type.octet-default", "cos", || {
        let r = signed(
            CH,
            r#""key":"k.bin","headers":[["Content-Type","text/plain"]]"#,
        );
        only(resign(r, |t| {
            t.replace(
                "content-type=text%2Fplain",
                "content-type=application%2Foctet-stream",
            )
        }))
    });
    case!("content-md5.signed-empty", "v1", || {
        let r = signed(V1H, r#""key":"k.bin""#);
        only(set_header(
            r,
            "Content-MD5",
            Some("eB5eJF1ptWaXm4bijSPyxw=="),
        ))
    });
    case!("content-md5.signed-empty", "v4", || {
        let r = signed(V4H, r#""key":"k.bin""#);
        only(set_header(
            r,
            "Content-MD5",
            Some("eB5eJF1ptWaXm4bijSPyxw=="),
        ))
    });
    // ---------------------------------------------------------------- time
    case!("date.x-oss-date-added", "v1", || {
        let r = signed(V1H, r#""key":"k""#);
        only(set_header(r, "x-oss-date", Some(&http_date(T + 5))))
    });
    case!("date.iso-format", "v1", || {
        let r = signed(V1H, r#""key":"k""#);
        only(resign(r, |t| t.replace(&http_date(T), &iso_basic(T))))
    });
    case!("date.local-as-gmt", "v1", || {
        // Local time of UTC+08:00 formatted as GMT; the library sent the real Date.
        let r = signed(V1H, &format!(r#""key":"k","time":{}"#, T + 8 * 3600));
        only(set_header(r, "Date", Some(&http_date(T))))
    });
    case!("date.local-as-gmt", "v4", || {
        let r = signed(V4H, &format!(r#""key":"k","time":{}"#, T - 5 * 3600 - 1800));
        only(set_header(r, "x-oss-date", Some(&iso_basic(T))))
    });
    case!("date.local-as-gmt", "cos", || {
        let r = signed(
            CH,
            &format!(r#""key":"k","key_time":"{};{}""#, T + 3600, T + 7200),
        );
        only(edit_auth(
            r,
            &format!("{};{}", T + 3600, T + 7200),
            &format!("{};{}", T, T + 3600),
        ))
    });
    case!("date.skew", "v1", || {
        let r = signed(V1H, &format!(r#""key":"k","time":{}"#, T + 37));
        only(set_header(r, "Date", Some(&http_date(T))))
    });
    case!("date.skew", "v1-far", || {
        // Alone, the whole ±15-minute window is searched.
        let r = signed(V1H, &format!(r#""key":"k","time":{}"#, T - 899));
        only(set_header(r, "Date", Some(&http_date(T))))
    });
    case!("date.skew", "v1-url", || {
        let r = signed(V1U, &format!(r#""key":"k","time":{}"#, T - 3));
        only(edit_target(
            r,
            &format!("Expires={}", T - 3 + 3600),
            &format!("Expires={}", T + 3600),
        ))
    });
    case!("date.skew", "v4", || {
        let r = signed(V4H, &format!(r#""key":"k","time":{}"#, T + 2));
        only(set_header(r, "x-oss-date", Some(&iso_basic(T))))
    });
    case!("date.skew", "cos-url", || {
        let r = signed(
            CU,
            &format!(r#""key":"k","key_time":"{};{}""#, T + 1, T + 3601),
        );
        let from = encode(&format!("{};{}", T + 1, T + 3601));
        let to = encode(&format!("{};{}", T, T + 3600));
        let r = edit_target(r, &from, &to);
        only(edit_target(r, &from, &to))
    });
    case!("expires.milliseconds", "v1-url", || {
        let r = signed(V1U, r#""key":"k""#);
        let e = T + 3600;
        only(resign(r, |t| {
            t.replace(&format!("\n{e}\n"), &format!("\n{e}000\n"))
        }))
    });
    case!("expires.milliseconds", "cos", || {
        let r = signed(
            CH,
            &format!(r#""key":"k","key_time":"{}000;{}000""#, T, T + 3600),
        );
        only(edit_auth(
            r,
            &format!("{T}000;{}000", T + 3600),
            &format!("{T};{}", T + 3600),
        ))
    });
    case!("key-time.start-backdated", "cos", || {
        // Python/PHP back-date the start by 60 s; this client sent the other window.
        let r = signed(
            CH,
            &format!(r#""key":"k","key_time":"{};{}""#, T - 60, T + 3600),
        );
        only(edit_auth(
            r,
            &format!("{};{}", T - 60, T + 3600),
            &format!("{};{}", T, T + 3600),
        ))
    });
    // ---------------------------------------------------------------- key, bucket, path
    case!("key.encoded", "v1", || {
        let r = signed(V1H, r#""key":"dir/a b.txt""#);
        only(resign(r, |t| {
            t.replace("/b/dir/a b.txt", "/b/dir/a%20b.txt")
        }))
    });
    case!("key.encoded", "cos", || {
        let r = signed(CH, r#""key":"dir/a b.txt""#);
        only(resign(r, |t| {
            t.replace("\n/dir/a b.txt\n", "\n/dir/a%20b.txt\n")
        }))
    });
    case!("key.encoded-twice", "v4", || {
        let r = signed(V4H, r#""key":"dir/a b.txt""#);
        only(resign(r, |t| {
            t.replace("/b/dir/a%20b.txt", "/b/dir/a%2520b.txt")
        }))
    });
    case!("key.encoded-twice", "v1", || {
        let r = signed(V1H, r#""key":"dir/a b.txt""#);
        only(resign(r, |t| {
            t.replace("/b/dir/a b.txt", "/b/dir/a%2520b.txt")
        }))
    });
    case!("key.not-encoded", "v4-url", || {
        let r = signed(V4U, r#""key":"dir/a b.txt""#);
        only(resign(r, |t| {
            t.replace("/b/dir/a%20b.txt", "/b/dir/a b.txt")
        }))
    });
    case!("key.plus-as-space", "v1", || {
        let r = signed(V1H, r#""key":"a+b.txt""#);
        only(resign(r, |t| t.replace("/b/a+b.txt", "/b/a b.txt")))
    });
    case!("key.space-as-plus", "cos", || {
        let r = signed(CH, r#""key":"a b.txt""#);
        only(resign(r, |t| t.replace("\n/a b.txt\n", "\n/a+b.txt\n")))
    });
    case!("key.space-as-plus", "v4", || {
        let r = signed(V4H, r#""key":"a b.txt""#);
        only(resign(r, |t| t.replace("/b/a%20b.txt", "/b/a%2Bb.txt")))
    });
    case!("key.leading-slash-kept", "v1", || {
        let r = signed(V1H, r#""key":"k.txt""#);
        only(resign(r, |t| t.replace("/b/k.txt", "/b//k.txt")))
    });
    case!("key.leading-slash-stripped", "v4", || {
        // The key really starts with `/` (sent as %2F); the client dropped it.
        let r = signed(V4H, r#""key":"/k.txt""#);
        only(resign(r, |t| t.replace("/b//k.txt", "/b/k.txt")))
    });
    case!("bucket.doubled", "v1", || {
        let r = signed(V1H, r#""key":"k.txt""#);
        only(resign(r, |t| t.replace("/b/k.txt", "/b/b/k.txt")))
    });
    case!("bucket.missing", "v4", || {
        let r = signed(V4H, r#""key":"k.txt""#);
        only(resign(r, |t| t.replace("\n/b/k.txt\n", "\n/k.txt\n")))
    });
    case!("bucket.missing", "cos-path-style", || {
        // Path-style COS: UriPathname is the whole path; the client signed the key only.
        let r = signed(
            CH,
            r#""url":"https://cos.ap-beijing.myqcloud.com/b-1250000000/k.txt""#,
        );
        only(resign(r, |t| {
            t.replace("\n/b-1250000000/k.txt\n", "\n/k.txt\n")
        }))
    });
    // ---------------------------------------------------------------- query
    case!("query.left-out", "v1", || {
        let r = signed(
            V1H,
            r#""key":"k","query":[["uploadId","u1"],["partNumber","2"]]"#,
        );
        only(resign(r, |t| {
            t.replace("?partNumber=2&uploadId=u1", "?partNumber=2")
        }))
    });
    case!("query.left-out", "v4-url", || {
        // The STS token parameter added after signing.
        let r = signed(V4U, r#""key":"k","query":[["x-oss-security-token","tok"]]"#);
        only(resign(r, |t| t.replace("&x-oss-security-token=tok", "")))
    });
    case!("query.left-out", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["versionId","v1"],["acl",null]]"#);
        only(resign(r, |t| t.replace("&versionid=v1", "")))
    });
    case!("query.signed-extra", "v1", || {
        let r = signed(V1H, r#""key":"k","query":[["prefix","p"],["acl",null]]"#);
        only(resign(r, |t| t.replace("/b/k?acl", "/b/k?acl&prefix=p")))
    });
    case!("query.signed-extra", "cos-url", || {
        // Signed a parameter that is not in q-url-param-list (added to the URL later).
        let r = signed(CU, r#""key":"k""#);
        let r = edit_target(r, "?", "?x=1&");
        only(resign(r, |t| t.replace("\n\n", "\nx=1\n")))
    });
    case!("query.equals-form", "v1", || {
        let r = signed(V1H, r#""key":"k","query":[["acl",""]]"#);
        only(resign(r, |t| t.replace("/b/k?acl", "/b/k?acl=")))
    });
    case!("query.equals-form", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["acl",null]]"#);
        only(resign(r, |t| t.replace("\nacl=\n", "\nacl\n")))
    });
    case!("query.value-form", "v1", || {
        let r = signed(V1H, r#""key":"k","query":[["uploadId","x y"]]"#);
        only(resign(r, |t| t.replace("uploadId=x y", "uploadId=x%20y")))
    });
    case!("query.value-form", "v4", || {
        let r = signed(V4H, r#""key":"k","query":[["prefix","a/b"]]"#);
        only(resign(r, |t| t.replace("prefix=a%2Fb", "prefix=a/b")))
    });
    case!("query.value-encoded-twice", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["prefix","a/b"]]"#);
        only(resign(r, |t| t.replace("prefix=a%2Fb", "prefix=a%252Fb")))
    });
    case!("query.sorted-before-encoding", "v4", || {
        // `a.b` < `a/b` raw, but `a%2Fb` < `a.b` encoded (oss-signing.md §4.3).
        let r = signed(V4H, r#""key":"k","query":[["a.b","1"],["a/b","2"]]"#);
        only(resign(r, |t| t.replace("a%2Fb=2&a.b=1", "a.b=1&a%2Fb=2")))
    });
    case!("query.key-escapes-upper", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["a/b","1"]]"#);
        only(resign(r, |t| t.replace("a%2fb=1", "a%2Fb=1")))
    });
    case!("query.value-escapes-lower", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["prefix","a/b"]]"#);
        only(resign(r, |t| t.replace("prefix=a%2Fb", "prefix=a%2fb")))
    });
    case!("query.key-case", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["versionId","v1"]]"#);
        only(resign(r, |t| t.replace("versionid=v1", "versionId=v1")))
    });
    case!("query-order.unsorted", "v1", || {
        let r = signed(V1H, r#""key":"k","query":[["uploadId","u"],["acl",null]]"#);
        only(resign(r, |t| {
            t.replace("?acl&uploadId=u", "?uploadId=u&acl")
        }))
    });
    case!("query-order.unsorted", "cos", || {
        let r = signed(CH, r#""key":"k","query":[["b","2"],["a","1"]]"#);
        only(resign(r, |t| t.replace("a=1&b=2", "b=2&a=1")))
    });
    // ---------------------------------------------------------------- headers
    case!("header.left-out", "v1", || {
        let r = signed(V1H, r#""key":"k""#);
        only(set_header(r, "x-oss-meta-added-later", Some("1")))
    });
    case!("header.left-out", "v4", || {
        let r = signed(V4H, r#""key":"k""#);
        only(set_header(r, "x-oss-storage-class", Some("IA")))
    });
    case!("header.left-out", "cos", || {
        let r = signed(CH, r#""key":"k","headers":[["x-cos-acl","private"]]"#);
        only(resign(r, |t| t.replace("&x-cos-acl=private", "")))
    });
    case!("header.signed-extra", "cos", || {
        let r = signed(
            CH,
            r#""key":"k","headers":[["x-cos-meta-z","1"]],"signed_headers":["host"]"#,
        );
        only(resign(r, |t| {
            format!("{}&x-cos-meta-z=1\n", &t[..t.len() - 1])
        }))
    });
    case!("header.name-case", "v1", || {
        let r = signed(
            V1H,
            r#""key":"k","headers":[["X-Oss-Meta-Author","alice"]]"#,
        );
        only(resign(r, |t| {
            t.replace("x-oss-meta-author:", "X-Oss-Meta-Author:")
        }))
    });
    case!("header.inner-spaces-collapsed", "v4", || {
        let r = signed(V4H, r#""key":"k","headers":[["x-oss-meta-note","a  b"]]"#);
        only(resign(r, |t| {
            t.replace("x-oss-meta-note:a  b", "x-oss-meta-note:a b")
        }))
    });
    case!("header-order.unsorted", "v1", || {
        let r = signed(
            V1H,
            r#""key":"k","headers":[["x-oss-meta-b","2"],["x-oss-meta-a","1"]]"#,
        );
        only(resign(r, |t| {
            t.replace(
                "x-oss-meta-a:1\nx-oss-meta-b:2\n",
                "x-oss-meta-b:2\nx-oss-meta-a:1\n",
            )
        }))
    });
    case!("header.host-port", "cos", || {
        // Python's hostname: the port dropped from the signed Host.
        let r = signed(
            CH,
            r#""url":"https://b-1250000000.cos.ap-beijing.myqcloud.com:8443/k""#,
        );
        only(resign(r, |t| {
            t.replace("myqcloud.com%3A8443", "myqcloud.com")
        }))
    });
    case!("header.host-port", "v4", || {
        let r = signed(
            V4H,
            r#""url":"https://b.oss-cn-hangzhou.aliyuncs.com:8443/k","additional_headers":["host"]"#,
        );
        only(resign(r, |t| {
            t.replace("aliyuncs.com:8443\n", "aliyuncs.com\n")
        }))
    });
    case!("header.host-unlisted", "v4", || {
        let r = signed(V4H, r#""key":"k""#);
        only(resign(r, |t| {
            t.replace(
                "\nx-oss-content-sha256:",
                "\nhost:b.oss-cn-hangzhou.aliyuncs.com\nx-oss-content-sha256:",
            )
        }))
    });
    case!("security-token.placement", "v1", || {
        let r = signed(V1H, r#""key":"k""#);
        let r = set_header(r, "x-oss-security-token", Some("tok"));
        // The client signed the token as the URL form does: a sub-resource.
        only(resign(r, |t| {
            t.replace("x-oss-security-token:tok\n", "")
                .replace("/b/k", "/b/k?security-token=tok")
        }))
    });
    // ---------------------------------------------------------------- V4 scope, payload, AdditionalHeaders
    case!("scope.signed-with", "v4", || {
        // Signed with region `oss-cn-hangzhou` but wrote `cn-hangzhou` into the credential.
        let r = signed(V4H, r#""key":"k","region":"oss-cn-hangzhou""#);
        only(edit_auth(r, "/oss-cn-hangzhou/", "/cn-hangzhou/"))
    });
    case!("signing-key.derived-with", "v4", || {
        let r = signed(V4H, r#""key":"k""#);
        only(v4_resign(r, "cn-hangzhou", "oss-cn-hangzhou", "20231203"))
    });
    case!("scope.written-with", "v4", || {
        let r = signed(V4H, r#""key":"k""#);
        only(v4_resign(r, "oss-cn-hangzhou", "cn-hangzhou", "20231203"))
    });
    case!("scope.signed-with", "v4-url-date", || {
        // The scope date of the day after, in StringToSign and key.
        let r = signed(V4U, r#""key":"k""#);
        let r = v4_resign_date(r, "20231204");
        only(r)
    });
    case!("payload-hash.unsigned", "v4", || {
        let r = signed(
            V4H,
            r#""key":"k","headers":[["x-oss-content-sha256","UNSIGNED-PAYLOAD"]]"#,
        );
        let h = "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e";
        let r = set_header(r, "x-oss-content-sha256", Some(h));
        only(resign(r, move |t| {
            let i = t.rfind('\n').unwrap();
            format!("{}\nUNSIGNED-PAYLOAD", &t[..i])
        }))
    });
    case!("payload-hash.empty-body", "v4", || {
        let r = signed(V4H, r#""key":"k""#);
        only(resign(r, |t| {
            let i = t.rfind('\n').unwrap();
            format!(
                "{}\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                &t[..i]
            )
        }))
    });
    case!("additional-headers.unsorted", "v4", || {
        let r = signed(
            V4H,
            r#""key":"k","headers":[["zz","1"],["aa","2"]],"additional_headers":["aa","zz"]"#,
        );
        let r = edit_auth(r, "AdditionalHeaders=aa;zz", "AdditionalHeaders=zz;aa");
        only(resign(r, |t| t.replace("\naa;zz\n", "\nzz;aa\n")))
    });
    case!("sdk:additional_headers_order=py1", "v4-py1", || {
        // The Authorization lists `b;abb;aaz`; oss2's first-character sort gives `abb;aaz;b`.
        let r = signed(
            V4H,
            r#""key":"k","headers":[["b","1"],["abb","2"],["aaz","3"]],"additional_headers":["aaz","abb","b"]"#,
        );
        let r = edit_auth(
            r,
            "AdditionalHeaders=aaz;abb;b",
            "AdditionalHeaders=b;abb;aaz",
        );
        only(resign(r, |t| t.replace("\naaz;abb;b\n", "\nabb;aaz;b\n")))
    });
    case!("additional-headers.line-empty", "v4", || {
        let r = signed(V4H, r#""key":"k","additional_headers":["host"]"#);
        only(resign(r, |t| t.replace("\n\nhost\n", "\n\n\n")))
    });
    case!("additional-headers.lines-missing", "v4-url", || {
        let r = signed(V4U, r#""key":"k","additional_headers":["host"]"#);
        only(resign(r, |t| {
            t.replace("host:b.oss-cn-hangzhou.aliyuncs.com\n", "")
        }))
    });
    case!("additional-headers.not-signed", "v4", || {
        let r = signed(
            V4H,
            r#""key":"k","headers":[["range","bytes=0-1"]],"additional_headers":["range"]"#,
        );
        only(resign(r, |t| {
            t.replace("range:bytes=0-1\n", "")
                .replace("\n\nrange\n", "\n\n\n")
        }))
    });
    // ---------------------------------------------------------------- COS key
    case!("sign-key.raw-bytes", "cos", || {
        let r = signed(CH, r#""key":"k""#);
        only(cos_resign(r, |kt, st, http| {
            let raw = hmac_sha1(SK.as_bytes(), kt.as_bytes());
            hex(&hmac_sha1(
                &raw,
                sigdiff::cos::string_to_sign::text(st, &sha1_hex(http)).as_bytes(),
            ))
        }))
    });
    case!("key-time.from-sign-time", "cos", || {
        let r = signed(
            CH,
            &format!(
                r#""key":"k","key_time":"{};{}","sign_time":"{};{}""#,
                T,
                T + 3600,
                T + 10,
                T + 3600
            ),
        );
        only(cos_resign(r, |_kt, st, http| {
            let key = sigdiff::cos::key_time::sign_key(&Secret::new(SK), st);
            sigdiff::cos::string_to_sign::signature(
                &key,
                &sigdiff::cos::string_to_sign::text(st, &sha1_hex(http)),
            )
        }))
    });
    case!("sign-time.from-key-time", "cos", || {
        let r = signed(
            CH,
            &format!(
                r#""key":"k","key_time":"{};{}","sign_time":"{};{}""#,
                T,
                T + 3600,
                T + 10,
                T + 3600
            ),
        );
        only(cos_resign(r, |kt, _st, http| {
            let key = sigdiff::cos::key_time::sign_key(&Secret::new(SK), kt);
            sigdiff::cos::string_to_sign::signature(
                &key,
                &sigdiff::cos::string_to_sign::text(kt, &sha1_hex(http)),
            )
        }))
    });
    // ---------------------------------------------------------------- credentials
    case!("secret.whitespace", "v1-newline", || only(signed_by(
        V1H,
        r#""key":"k""#,
        &format!("{SK}\n")
    )));
    case!("secret.whitespace", "cos-space", || only(signed_by(
        CH,
        r#""key":"k""#,
        &format!("{SK} ")
    )));
    case!("secret.whitespace", "v4-given-with-newline", || {
        // The user pasted the secret with a line break; the client had it clean.
        (
            signed(V4H, r#""key":"k""#),
            vec![Box::leak(format!("{SK}\r\n").into_boxed_str())],
        )
    });
    case!("secret.other-credential", "v4", || (
        signed_by(V4H, r#""key":"k""#, SK2),
        vec![SK, SK2]
    ));
    case!("access-key-id.swapped", "v1-url", || only(signed_by(
        V1U,
        r#""key":"k""#,
        AK
    )));
    // ---------------------------------------------------------------- signature in the URL
    case!("signature.plus-read-as-space", "v1-url", || {
        let (r, sig) = v1_url_with_plus();
        only(edit_target(
            r,
            &encode(&sig),
            &encode(&sig).replace("%2B", "+"),
        ))
    });
    case!("signature.encoded-twice", "v1-url", || {
        let (r, sig) = v1_url_with_plus();
        only(edit_target(
            r,
            &encode(&sig),
            &encode(&sig).replace('%', "%25"),
        ))
    });
    // ---------------------------------------------------------------- SDK behaviours (library signer with the option)
    case!("sdk:header_values=raw", "v1", || {
        only(sdk(
            V1H,
            r#""key":"k","headers":[["x-oss-meta-a"," padded "]]"#,
            r#"{"header_values":"raw"}"#,
        ))
    });
    case!("sdk:header_values=raw", "v4", || {
        only(sdk(
            V4H,
            r#""key":"k","headers":[["x-oss-meta-a","padded "]]"#,
            r#"{"header_values":"raw"}"#,
        ))
    });
    case!("sdk:duplicates=first", "v1", || {
        only(sdk(
            V1H,
            r#""key":"k","headers":[["x-oss-meta-a","1"],["x-oss-meta-a","2"]]"#,
            r#"{"duplicates":"first"}"#,
        ))
    });
    case!("sdk:duplicates=last", "v4", || {
        only(sdk(
            V4H,
            r#""key":"k","headers":[["x-oss-meta-a","1"],["x-oss-meta-a","2"]]"#,
            r#"{"duplicates":"last"}"#,
        ))
    });
    case!("sdk:empty_values=keep-equals", "v4", || {
        only(sdk(
            V4H,
            r#""key":"k","query":[["continuation-token",""],["a","1"]]"#,
            r#"{"empty_values":"keep-equals"}"#,
        ))
    });
    case!("sdk:date_source=date-only", "v1", || {
        only(sdk(
            V1H,
            &format!(
                r#""key":"k","headers":[["Date","{}"],["x-oss-date","{}"]]"#,
                http_date(T),
                http_date(T + 1)
            ),
            r#"{"date_source":"date-only"}"#,
        ))
    });
    case!("sdk:plus_in_query=plus", "v1", || {
        // A raw `+` in a sub-resource value: the server reads a space, alibabacloud-oss-v2 a plus.
        only(sdk(
            V1H,
            r#""url":"https://b.oss-cn-hangzhou.aliyuncs.com/k?uploadId=a+b""#,
            r#"{"plus_in_query":"plus"}"#,
        ))
    });
    case!("sdk:query=raw-wire", "v4", || {
        only(sdk(
            V4H,
            r#""url":"https://b.oss-cn-hangzhou.aliyuncs.com/k?prefix=a%2fb""#,
            r#"{"query":"raw-wire"}"#,
        ))
    });
    case!("sdk:query=locale-compare", "v4", || {
        // `B` < `a` bytewise; localeCompare puts `a` first.
        only(sdk(
            V4H,
            r#""key":"k","query":[["B","1"],["a","2"]]"#,
            r#"{"query":"locale-compare"}"#,
        ))
    });
    case!("sdk:v4_date=date-fallback", "v4", || {
        only(sdk(V4H, r#""key":"k""#, r#"{"v4_date":"date-fallback"}"#))
    });
    case!("sdk:sort=raw-key", "cos", || {
        // cos-signing.md §6 D7: `a/b` and `a.b`.
        only(sdk(
            CH,
            r#""key":"k","query":[["a/b","1"],["a.b","2"]]"#,
            r#"{"sort":"raw-key"}"#,
        ))
    });
    case!("sdk:repeated=first", "cos", || {
        only(sdk(
            CH,
            r#""key":"k","query":[["x","1"],["x","2"]]"#,
            r#"{"repeated":"first"}"#,
        ))
    });
    case!("sdk:repeated=last", "cos", || {
        only(sdk(
            CH,
            r#""key":"k","headers":[["x-cos-meta-a","1"],["x-cos-meta-a","2"]]"#,
            r#"{"repeated":"last"}"#,
        ))
    });
    case!("sdk:header_whitespace=raw", "cos", || {
        only(sdk(
            CH,
            r#""key":"k","headers":[["x-cos-meta-a"," v "]]"#,
            r#"{"header_whitespace":"raw"}"#,
        ))
    });
    case!("sdk:plus_in_path=plus", "cos", || {
        only(sdk(
            CH,
            r#""url":"https://b-1250000000.cos.ap-beijing.myqcloud.com/a+b.txt""#,
            r#"{"plus_in_path":"plus"}"#,
        ))
    });
    v
}

/// Signed by the library with SDK `options`, verified with the server's.
fn sdk(base: &str, rest: &str, options: &str) -> Request {
    signed(base, &format!(r#"{rest},"options":{options}"#))
}

fn hmac_sha1(k: &[u8], m: &[u8]) -> Vec<u8> {
    let mut h = Hmac::<Sha1>::new_from_slice(k).unwrap();
    h.update(m);
    h.finalize().into_bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sha1_hex(s: &str) -> String {
    sigdiff::cos::string_to_sign::sha1_hex(s)
}

/// COS: the signature computed by `f(key_time, sign_time, HttpString)`.
fn cos_resign(r: Request, f: impl Fn(&str, &str, &str) -> String) -> Request {
    let p = prepare(&r, &VerifyOptions::default()).unwrap();
    let a = r.header("authorization").unwrap().to_string();
    let get = |k: &str| {
        a.split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let sig = f(
        &get("q-key-time"),
        &get("q-sign-time"),
        p.stages[0].1.as_str(),
    );
    replace_sig(r, &p.provided_signature, &sig)
}

/// V4: StringToSign with scope region `sts_region`, key derived with `key_region`.
fn v4_resign(r: Request, sts_region: &str, key_region: &str, day: &str) -> Request {
    let p = prepare(&r, &VerifyOptions::default()).unwrap();
    let cr = p.stages[0].1.as_str();
    let ts = r.header("x-oss-date").unwrap().to_string();
    let scope = format!("{day}/{sts_region}/oss/aliyun_v4_request");
    let sts = v4sts::text(&ts, &scope, &signing_key::sha256_hex(cr));
    let sig = signing_key::signature(&Secret::new(SK), day, key_region, "oss", &sts);
    replace_sig(r, &p.provided_signature, &sig)
}

/// V4 URL: StringToSign scope and key with another date.
fn v4_resign_date(r: Request, day: &str) -> Request {
    let p = prepare(&r, &VerifyOptions::default()).unwrap();
    let cr = p.stages[0].1.as_str();
    let ts = iso_basic(T);
    let scope = format!("{day}/cn-hangzhou/oss/aliyun_v4_request");
    let sts = v4sts::text(&ts, &scope, &signing_key::sha256_hex(cr));
    let sig = signing_key::signature(&Secret::new(SK), day, "cn-hangzhou", "oss", &sts);
    replace_sig(r, &p.provided_signature, &sig)
}

/// A V1 URL whose Base64 signature holds a `+` (about one in three does).
fn v1_url_with_plus() -> (Request, String) {
    for i in 0..200 {
        let r = signed(V1U, &format!(r#""key":"k{i}""#));
        let p = prepare(&r, &VerifyOptions::default()).unwrap();
        if p.provided_signature.contains('+') {
            return (r, p.provided_signature.clone());
        }
    }
    panic!("no signature with `+` in 200 tries");
}

#[test]
fn every_entry_identified() {
    let mut failures = Vec::new();
    for (entry, label, build) in cases() {
        let (r, secrets) = build();
        let d = run(&r, &secrets);
        if let Err(e) = std::panic::catch_unwind(|| assert_identifies(label, entry, &d)) {
            failures.push(format!(
                "{entry} ({label}): {}",
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_entry_has_a_case() {
    let mut tested: BTreeSet<&str> = cases().iter().map(|(e, _, _)| *e).collect();
    // Its own test, one case per SDK list: every_subresource_list_is_an_sdk_hypothesis.
    tested.insert("sdk:subresources");
    let all: BTreeSet<&str> = entries().map(|(id, _, _)| id).collect();
    let missing: Vec<_> = all.difference(&tested).collect();
    assert!(
        missing.is_empty(),
        "catalogue entries without a case: {missing:?}"
    );
    let unknown: Vec<_> = tested.difference(&all).collect();
    assert!(unknown.is_empty(), "cases for unknown entries: {unknown:?}");
}

#[test]
fn every_subresource_list_is_an_sdk_hypothesis() {
    // oss-signing.md §2.6: a name the union signs but a given SDK list does not.
    use sigdiff::oss::v1::SubresourceList;
    let mut tried = 0;
    for list in SubresourceList::ALL.into_iter().skip(1) {
        let Some(name) = [
            "x-oss-traffic-limit",
            "versionId",
            "callback",
            "img",
            "udf",
            "tagging",
            "worm",
            "seal",
            "x-oss-dir",
            "regionList",
            "continuation-token",
            "accessPoint",
        ]
        .into_iter()
        .find(|n| !list.contains(n)) else {
            continue;
        };
        let r = sdk(
            V1H,
            &format!(r#""key":"k","query":[["{name}","1"]]"#),
            &format!(r#"{{"subresources":"{}"}}"#, list.label()),
        );
        let d = run(&r, &[SK]);
        assert_identifies(list.label(), "sdk:subresources", &d);
        let w = &d.winners[0];
        let ids: Vec<&String> = w.hypotheses.iter().chain(&w.equivalents[0]).collect();
        assert!(
            ids.iter()
                .any(|i| **i == format!("sdk:subresources={}", list.label())),
            "{ids:?}"
        );
        tried += 1;
    }
    assert!(tried >= 5, "only {tried} lists tried");
}

#[test]
fn two_mistakes_combined() {
    // Charset added by the library AND an x-oss-* header added after signing.
    let r = signed(
        V1H,
        r#""key":"k","headers":[["Content-Type","text/plain"]]"#,
    );
    let r = set_header(r, "Content-Type", Some("text/plain; charset=utf-8"));
    let r = set_header(r, "x-oss-meta-late", Some("1"));
    let d = run(&r, &[SK]);
    assert!(!d.winners.is_empty(), "no winner");
    assert!(d.winners.iter().all(|w| w.hypotheses.len() == 2));
    let w = d
        .winners
        .iter()
        .find(|w| {
            w.hypotheses
                .iter()
                .any(|h| h == "content-type.charset-added")
        })
        .expect("charset among winners");
    assert!(
        w.hypotheses
            .iter()
            .any(|h| h == "header.left-out:x-oss-meta-late"),
        "{:?}",
        w.hypotheses
    );
    assert_eq!(w.finding.code, "SIG402");
    assert!(w.finding.reproduces);

    // V4: signed with region `oss-cn-hangzhou` and without a header added later.
    let r = signed(V4H, r#""key":"k","region":"oss-cn-hangzhou""#);
    let r = edit_auth(r, "/oss-cn-hangzhou/", "/cn-hangzhou/");
    let r = set_header(r, "x-oss-meta-late", Some("1"));
    let d = run(&r, &[SK]);
    let ids: Vec<_> = d.winners.iter().map(|w| w.hypotheses.clone()).collect();
    assert!(
        ids.iter().any(|h| h.len() == 2
            && h.contains(&"scope.signed-with:region=oss-cn-hangzhou".to_string())
            && h.contains(&"header.left-out:x-oss-meta-late".to_string())),
        "{ids:?}"
    );

    // COS: per-second skew with a parameter left out.
    let r = signed(
        CH,
        &format!(
            r#""key":"k","query":[["versionId","v"]],"key_time":"{};{}""#,
            T + 4,
            T + 3604
        ),
    );
    let r = edit_auth(
        r,
        &format!("{};{}", T + 4, T + 3604),
        &format!("{};{}", T, T + 3600),
    );
    let r = resign_keep_key(r);
    let d = run(&r, &[SK]);
    let ids: Vec<_> = d.winners.iter().map(|w| w.hypotheses.clone()).collect();
    assert!(
        ids.iter().any(|h| h.contains(&"date.skew:+4s".to_string())),
        "{ids:?}"
    );
}

/// COS: the client left `versionId` out of its HttpString, signing with the
/// (shifted) key time it wrote first: recompute with the window +4 s.
fn resign_keep_key(r: Request) -> Request {
    cos_resign(r, |kt, st, http| {
        let shift = |s: &str| {
            let (a, b) = s.split_once(';').unwrap();
            format!(
                "{};{}",
                a.parse::<i64>().unwrap() + 4,
                b.parse::<i64>().unwrap() + 4
            )
        };
        let (kt, st) = (shift(kt), shift(st));
        let http = http.replace("versionid=v", "");
        let key = sigdiff::cos::key_time::sign_key(&Secret::new(SK), &kt);
        sigdiff::cos::string_to_sign::signature(
            &key,
            &sigdiff::cos::string_to_sign::text(&st, &sha1_hex(&http)),
        )
    })
}

#[test]
fn three_mistakes_combined() {
    // Charset, a header added later, and the secret read with its line break.
    let r = signed_by(
        V1H,
        r#""key":"k","headers":[["Content-Type","text/plain"]]"#,
        &format!("{SK}\n"),
    );
    let r = set_header(r, "Content-Type", Some("text/plain; charset=utf-8"));
    let r = set_header(r, "x-oss-meta-late", Some("1"));
    let d = run(&r, &[SK]);
    assert!(
        !d.winners.is_empty(),
        "no winner ({} signatures, complete {})",
        d.evaluations,
        d.complete
    );
    assert!(d.winners.iter().all(|w| w.hypotheses.len() == 3));
    let mut h = d.winners[0].hypotheses.clone();
    h.sort();
    assert_eq!(
        h,
        [
            "content-type.charset-added",
            "header.left-out:x-oss-meta-late",
            "secret.whitespace:trailing-newline"
        ]
    );
}

#[test]
fn nothing_reproduces_a_foreign_signature() {
    for base in [V1H, V4H, CH] {
        let r = signed_by(
            base,
            r#""key":"k","headers":[["Content-Type","text/plain"]]"#,
            "an-unrelated-secret",
        );
        let d = run(&r, &[SK]);
        assert!(
            d.winners.is_empty(),
            "{base}: {:?}",
            d.winners[0].hypotheses
        );
        assert!(d.complete && d.hypotheses > 100 && d.evaluations > d.hypotheses as u64);
        let f = d.findings();
        assert_eq!(f[0].code, "SIG400");
        assert!(!f[0].reproduces);
        // verify still reports the mismatch and the field table.
        let rep = sigdiff::verify::verify(
            &r,
            &VerifyOptions {
                secrets: vec![Secret::new(SK)],
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(rep.verdict, sigdiff::verify::Verdict::Mismatch);
        assert!(!rep.fields.is_empty());
        assert!(rep.findings.iter().any(|f| f.code == "SIG001"));
        assert!(rep.findings.iter().any(|f| f.code == "SIG400"));
        assert!(rep.findings.iter().all(|f| !f.reproduces));
        assert_ne!(rep.client_source, Some(sigdiff::verify::Source::Diagnosis));
    }
}

/// The work budget bounds pairs and triples (singles always run in full) and
/// is reported: SIG401 and `complete: false` when it cuts the search short.
#[test]
fn the_budget_cuts_pairs_and_triples_short() {
    let r = signed_by(
        V1H,
        r#""key":"k","headers":[["Content-Type","text/plain"]]"#,
        "an-unrelated-secret",
    );
    let p = prepare(&r, &VerifyOptions::default()).unwrap();
    let secrets = [Secret::new(SK)];
    let with = |budget: u64| {
        let o = DiagnoseOptions {
            budget,
            ..Default::default()
        };
        diagnose(&r, &p, &secrets, &p.provided_signature, &o)
    };
    let full = with(DiagnoseOptions::default().budget);
    assert!(full.complete && full.winners.is_empty());
    let cut = with(1);
    assert!(
        !cut.complete,
        "a budget of one unit cannot finish the pairs"
    );
    // Every single is still signed, and then far fewer combinations than in full.
    assert!(cut.evaluations >= cut.hypotheses as u64);
    assert!(cut.evaluations < full.evaluations);
    let codes: Vec<&str> = cut.findings().iter().map(|f| f.code).collect();
    assert_eq!(codes, ["SIG400", "SIG401"]);
}

#[test]
fn verify_puts_the_winner_first_and_shows_its_text() {
    let r = signed(
        V1H,
        r#""key":"k","headers":[["Content-Type","text/plain"]]"#,
    );
    let r = set_header(r, "Content-Type", Some("text/plain; charset=utf-8"));
    let o = VerifyOptions {
        secrets: vec![Secret::new(SK)],
        ..Default::default()
    };
    let rep = sigdiff::verify::verify(&r, &o).unwrap();
    let f = &rep.findings[0];
    assert!(f.reproduces);
    assert_eq!(f.hypotheses, ["content-type.charset-added"]);
    assert_eq!(f.field.as_deref(), Some("content-type"));
    assert_eq!(f.code, "SIG410");
    assert!(
        f.message.contains("text/plain") && f.message.contains("Fix:"),
        "{}",
        f.message
    );
    assert!(!f.message_zh.is_empty());
    assert_eq!(rep.client_source, Some(sigdiff::verify::Source::Diagnosis));
    let row = rep
        .fields
        .iter()
        .find(|x| x.name == "content-type")
        .unwrap();
    assert_eq!(row.server.as_deref(), Some("text/plain; charset=utf-8\n"));
    assert_eq!(row.client.as_deref(), Some("text/plain\n"));
    // Switched off: no search, no diagnosis column.
    let rep = sigdiff::verify::verify(
        &r,
        &VerifyOptions {
            diagnose: false,
            ..o
        },
    )
    .unwrap();
    assert!(rep.findings.iter().all(|f| f.hypotheses.is_empty()));
    assert!(rep.diagnosis.is_none());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[ -~\u{4e2d}\u{00e9}]{0,12}").unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, rng_seed: proptest::test_runner::RngSeed::Fixed(5), ..ProptestConfig::default() })]
        /// Whatever the request and however it was changed after signing, the
        /// search returns (no panic), and a winner's text differs from the server's.
        #[test]
        fn diagnose_never_panics(scheme in 0usize..6, key in text(), hv in text(), qn in "[a-zA-Z+/.%]{1,6}", qv in text(), late in text()) {
            let base = [V1H, V1U, V4H, V4U, CH, CU][scheme];
            let rest = format!(
                r#""key":{},"headers":[["x-oss-meta-a",{}],["x-cos-meta-a",{}],["Content-Type","text/plain"]],"query":[[{},{}]]"#,
                serde_json::to_string(&format!("k/{key}")).unwrap(),
                serde_json::to_string(&hv).unwrap(),
                serde_json::to_string(&hv).unwrap(),
                serde_json::to_string(&qn).unwrap(),
                serde_json::to_string(&qv).unwrap()
            );
            let Ok(s) = std::panic::catch_unwind(|| spec(base, &rest, SK)) else { return Ok(()) };
            let Ok(r) = sign_spec(&s, &SignOptions::default()) else { return Ok(()) };
            let Ok(req) = Request::from_url(s.method.as_deref().unwrap_or("GET"), &r.url, r.headers) else { return Ok(()) };
            let req = set_header(req, "x-oss-meta-late", Some(&late));
            let req = set_header(req, "Content-Type", Some(&format!("text/plain; {late}")));
            let Ok(p) = prepare(&req, &VerifyOptions::default()) else { return Ok(()) };
            let d = diagnose(&req, &p, &[Secret::new(SK), Secret::new(" x ")], &p.provided_signature, &DiagnoseOptions::default());
            for w in &d.winners {
                prop_assert!(w.finding.reproduces);
                prop_assert!(!w.hypotheses.is_empty() && w.hypotheses.len() <= 3);
            }
        }
    }
}
