//! JSON lines written by hand: a request spec (the fuzz protocol's `sign` line)
//! and a sign result (its `signed` line, and each `sign --jsonl` output line),
//! byte for byte what `serde_json` writes for them (the tests check that over
//! drawn cases of every scheme and adversarial text), with strings escaped
//! eight bytes at a time. serde_json looks up every byte of a
//! string in its escape table; the request and answer lines are mostly long
//! strings (keys, header values, policies, stage texts) on the fuzz loop's path.

use crate::input::spec::{RequestSpec, StyleSpec, TimeSpec};
use crate::sign::SignResult;

/// True when some byte of `x` is `"`, `\` or below 0x20 (what JSON escapes).
#[inline]
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_0x20 = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below_0x20 | has_zero(x ^ (ONES * u64::from(b'"'))) | has_zero(x ^ (ONES * u64::from(b'\\'))))
        != 0
}

/// The pieces of `s` escaped as serde_json escapes a string's contents: `"` and
/// `\` with a backslash, `\b \t \n \f \r`, other control characters as `\u00XX`,
/// everything else (non-ASCII included) as is. Escapes sit at ASCII bytes, so
/// every piece is whole UTF-8.
#[inline]
fn escape_pieces(s: &str, mut emit: impl FnMut(&str)) {
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011",
        "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
        "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if i + 8 <= b.len() {
            let x = u64::from_le_bytes(b[i..i + 8].try_into().expect("eight bytes"));
            if !needs_escape(x) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        while i < end {
            let esc = match b[i] {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                c if c < 0x20 => CONTROL[usize::from(c)],
                _ => {
                    i += 1;
                    continue;
                }
            };
            emit(&s[start..i]);
            emit(esc);
            i += 1;
            start = i;
        }
    }
    emit(&s[start..]);
}

/// `s` as a JSON string literal, the bytes serde_json writes for it.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    escape_pieces(s, |p| out.extend_from_slice(p.as_bytes()));
    out.push(b'"');
}

/// [`push_str`] onto a `String`.
pub fn push_json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    escape_pieces(s, |p| out.push_str(p));
    out.push('"');
}

fn push_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn push_i64(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(crate::encode::Decimal::of_i64(n).as_bytes());
}

/// A whole number in decimal.
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(crate::encode::Decimal::of_u64(n).as_bytes());
}

fn push_pairs(out: &mut Vec<u8>, pairs: &[(String, String)]) {
    out.push(b'[');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_str(out, k);
        out.push(b',');
        push_str(out, v);
        out.push(b']');
    }
    out.push(b']');
}

fn push_opt_list(out: &mut Vec<u8>, list: Option<&[String]>) {
    let Some(list) = list else {
        out.extend_from_slice(b"null");
        return;
    };
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, s);
    }
    out.push(b']');
}

fn push_serde<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    serde_json::to_writer(&mut *out, v).expect("a value serialises");
}

/// `spec` as serde_json writes it (`serde_json::to_writer(out, spec)`).
pub fn write_spec(out: &mut Vec<u8>, spec: &RequestSpec) {
    write_spec_with(out, spec, true)
}

/// `spec` as serde_json writes it, its `id` left out unless `with_id`.
pub fn write_spec_with(out: &mut Vec<u8>, spec: &RequestSpec, with_id: bool) {
    out.push(b'{');
    if let (Some(id), true) = (&spec.id, with_id) {
        out.extend_from_slice(b"\"id\":");
        push_serde(out, id);
        out.push(b',');
    }
    out.extend_from_slice(b"\"scheme\":");
    push_opt_str(out, spec.scheme.as_deref());
    out.extend_from_slice(b",\"method\":");
    push_opt_str(out, spec.method.as_deref());
    out.extend_from_slice(b",\"bucket\":");
    push_opt_str(out, spec.bucket.as_deref());
    out.extend_from_slice(b",\"key\":");
    push_opt_str(out, spec.key.as_deref());
    out.extend_from_slice(b",\"endpoint\":");
    push_opt_str(out, spec.endpoint.as_deref());
    out.extend_from_slice(b",\"style\":");
    out.extend_from_slice(match spec.style {
        None => b"null",
        Some(StyleSpec::VirtualHosted) => b"\"virtual-hosted\"",
        Some(StyleSpec::Path) => b"\"path\"",
        Some(StyleSpec::Cname) => b"\"cname\"",
    });
    out.extend_from_slice(b",\"url\":");
    push_opt_str(out, spec.url.as_deref());
    out.extend_from_slice(b",\"query\":[");
    for (i, (k, v)) in spec.query.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_str(out, k);
        out.push(b',');
        push_opt_str(out, v.as_deref());
        out.push(b']');
    }
    out.extend_from_slice(b"],\"headers\":");
    push_pairs(out, &spec.headers);
    out.extend_from_slice(b",\"credentials\":");
    match &spec.credentials {
        None => out.extend_from_slice(b"null"),
        Some(c) => {
            out.extend_from_slice(b"{\"access_key_id\":");
            push_opt_str(out, c.access_key_id.as_deref());
            out.extend_from_slice(b",\"access_key_secret\":");
            push_opt_str(out, c.access_key_secret.as_deref());
            out.extend_from_slice(b",\"security_token\":");
            push_opt_str(out, c.security_token.as_deref());
            out.push(b'}');
        }
    }
    out.extend_from_slice(b",\"time\":");
    match &spec.time {
        None => out.extend_from_slice(b"null"),
        Some(TimeSpec::Unix(n)) => push_i64(out, *n),
        Some(TimeSpec::Text(s)) => push_str(out, s),
    }
    out.extend_from_slice(b",\"expires\":");
    match spec.expires {
        None => out.extend_from_slice(b"null"),
        Some(n) => push_i64(out, n),
    }
    out.extend_from_slice(b",\"region\":");
    push_opt_str(out, spec.region.as_deref());
    out.extend_from_slice(b",\"product\":");
    push_opt_str(out, spec.product.as_deref());
    out.extend_from_slice(b",\"additional_headers\":");
    push_opt_list(out, spec.additional_headers.as_deref());
    out.extend_from_slice(b",\"key_time\":");
    push_opt_str(out, spec.key_time.as_deref());
    out.extend_from_slice(b",\"sign_time\":");
    push_opt_str(out, spec.sign_time.as_deref());
    out.extend_from_slice(b",\"signed_headers\":");
    push_opt_list(out, spec.signed_headers.as_deref());
    out.extend_from_slice(b",\"options\":");
    match &spec.options {
        None => out.extend_from_slice(b"null"),
        Some(v) => push_serde(out, v),
    }
    if let Some(p) = &spec.policy {
        out.extend_from_slice(b",\"policy\":");
        out.extend_from_slice(p.get().as_bytes());
    }
    if !spec.form.is_empty() {
        out.extend_from_slice(b",\"form\":");
        push_pairs(out, &spec.form);
    }
    out.push(b'}');
}

/// `r` as serde_json writes it (`serde_json::to_writer(out, r)`).
pub fn write_result(out: &mut Vec<u8>, r: &SignResult) {
    out.push(b'{');
    if let Some(id) = &r.id {
        out.extend_from_slice(b"\"id\":");
        push_serde(out, id);
        out.push(b',');
    }
    out.extend_from_slice(b"\"scheme\":");
    push_str(out, r.scheme.as_str());
    out.extend_from_slice(b",\"signature\":");
    push_str(out, &r.signature);
    out.extend_from_slice(b",\"authorization\":");
    push_opt_str(out, r.authorization.as_deref());
    out.extend_from_slice(b",\"url\":");
    push_str(out, &r.url);
    out.extend_from_slice(b",\"headers\":");
    push_pairs(out, &r.headers);
    out.extend_from_slice(b",\"string_to_sign\":");
    push_str(out, &r.string_to_sign);
    out.extend_from_slice(b",\"canonical_request\":");
    push_opt_str(out, r.canonical_request.as_deref());
    out.extend_from_slice(b",\"format_string\":");
    push_opt_str(out, r.format_string.as_deref());
    if let Some(p) = &r.post {
        out.extend_from_slice(b",\"form\":");
        push_pairs(out, &p.form);
        let v = &p.policy;
        out.extend_from_slice(b",\"policy\":{\"origin\":");
        push_serde(out, &v.origin);
        out.extend_from_slice(b",\"encoded\":");
        push_str(out, v.encoded);
        out.extend_from_slice(b",\"json\":");
        push_str(out, &v.json);
        out.extend_from_slice(b",\"json_bytes\":");
        push_u64(out, v.json_bytes as u64);
        out.extend_from_slice(b",\"base64\":");
        push_str(out, &v.base64);
        out.extend_from_slice(b",\"expiration\":");
        push_str(out, &v.expiration);
        out.push(b'}');
        if !p.warnings.is_empty() {
            out.extend_from_slice(b",\"warnings\":");
            push_opt_list(out, Some(&p.warnings));
        }
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::SchemeId;
    use crate::sign::{sign_spec, SignOptions};

    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xA0, 0x2028, 0x4E2D, 0x1F600]) {
            all.push(char::from_u32(c).unwrap());
        }
        let mut cases: Vec<String> = vec![String::new(), all.clone()];
        // Every escape at every offset of an eight-byte window, and runs around it.
        for c in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\u{7f}", "é", "/"] {
            for pre in 0..17 {
                for post in [0, 1, 7, 8, 9] {
                    cases.push(format!("{}{c}{}", "a".repeat(pre), "b".repeat(post)));
                }
            }
        }
        cases.push(all.repeat(3));
        for s in &cases {
            let mut out = Vec::new();
            push_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
            let mut text = String::from("x");
            push_json_string(&mut text, s);
            assert_eq!(text, format!("x{}", serde_json::to_string(s).unwrap()));
        }
    }

    #[test]
    fn numbers() {
        for n in [0, 1, -1, 9, 10, 1_700_000_000, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            push_i64(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        for n in [0, 7, 10, 99, 100, u64::MAX] {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    /// The same bytes as serde_json for drawn specs and results of every scheme,
    /// and for specs with every field set.
    #[test]
    fn specs_and_results_as_serde_json_writes_them() {
        let mut specs = Vec::new();
        for scheme in SchemeId::ALL.into_iter().filter(|s| s.is_supported()) {
            specs.extend(crate::strategy::sample(scheme, 3, 60));
        }
        let full = RequestSpec::from_json(
            r#"{"id":{"a":[1,"x"]},"scheme":"cos","method":"PUT","bucket":"b","key":"k\"\\\n","endpoint":"e",
            "style":"cname","url":"https://h/p?q","query":[["a",null],["b",""]],"headers":[["H","v\t"]],
            "credentials":{"access_key_id":"ak","access_key_secret":"sk","security_token":"t"},
            "time":"2022-12-28T10:27:41Z","expires":-5,"region":"r","product":"p","additional_headers":["host"],
            "key_time":"1;2","sign_time":"1;2","signed_headers":[],"options":{"x":[true,null,1.5]},
            "policy":{"expiration":"2030-01-01T00:00:00Z","conditions":[]},"form":[["f","\u0001"]]}"#,
        )
        .unwrap();
        specs.push(full);
        for style in [StyleSpec::VirtualHosted, StyleSpec::Path, StyleSpec::Cname] {
            specs.push(RequestSpec {
                style: Some(style),
                id: Some(serde_json::json!(3)),
                ..Default::default()
            });
        }
        let mut results = 0;
        for spec in &specs {
            let mut out = Vec::new();
            write_spec(&mut out, spec);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(spec).unwrap()
            );
            if let Ok(mut r) = sign_spec(spec, &SignOptions::default()) {
                for id in [None, Some(serde_json::json!("x\"y"))] {
                    r.id = id;
                    let mut out = Vec::new();
                    write_result(&mut out, &r);
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        serde_json::to_string(&r).unwrap()
                    );
                    results += 1;
                }
            }
        }
        assert!(results > 900, "{results}");
    }
}
