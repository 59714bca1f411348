//! proptest strategies over the JSON request spec, biased toward the pitfalls the
//! specs list (oss-signing.md §10, cos-signing.md §7, peers-and-pitfalls.md §B):
//! unicode, reserved characters, `+`, `~`, `%`, `//`, a leading `/`, empty keys,
//! empty and bare query values, sub-resources, `response-*` overrides, header-name
//! case, surrounding whitespace, duplicates, long values, STS tokens with `+/=`,
//! time edges.
//!
//! Public so that Rust users can drive their own signers with the same cases in
//! their proptests; `sigdiff fuzz` and `sigdiff vectors generate` use them too.
//! [`sample`] draws a deterministic list from a seed.
//!
//! The strategies draw straight from the runner's RNG ([`draw_spec`]) instead of
//! composing proptest's unions, tuples and regex strategies: a composed spec built
//! a value tree of some hundred nodes per draw (about 30 µs), most of it shrinking
//! state that a fuzz run never uses. Shrinking is structural instead ([`spec`]'s
//! value tree): drop a header or a parameter, the token, the additional headers,
//! the path style, the method, then empty or halve the key and the values.

use crate::cos::{
    CosOptions, HeaderWhitespace, Presign, Repeated, Sort, TokenSigning, UrlEncoding,
};
use crate::encode::PlusMeans;
use crate::input::spec::{CredentialsSpec, RequestSpec, StyleSpec, TimeSpec};
use crate::scheme::SchemeId;
use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The random source of a draw: a uniform choice in `0..n` (n > 0).
fn below(r: &mut TestRng, n: usize) -> usize {
    // Lemire's multiply-shift: no division, bias below 2^-32 for these small n.
    ((u128::from(r.next_u64()) * n as u128) >> 64) as usize
}

/// An index drawn with the given weights (not all zero).
fn weighted(r: &mut TestRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = below(r, total as usize) as u32;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// True with probability `p`.
fn chance(r: &mut TestRng, p: f64) -> bool {
    (r.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) < p
}

/// A length in `lo..=hi`.
fn len(r: &mut TestRng, lo: usize, hi: usize) -> usize {
    lo + below(r, hi - lo + 1)
}

/// An element of `items` (not empty).
fn pick<'a, T>(r: &mut TestRng, items: &'a [T]) -> &'a T {
    &items[below(r, items.len())]
}

/// Push `n` bytes of the ASCII `alphabet` (at most 128 bytes) to `out`.
fn push_ascii(r: &mut TestRng, out: &mut String, alphabet: &[u8], n: usize) {
    out.reserve(n);
    let k = alphabet.len() as u128;
    let mut left = n;
    while left > 0 {
        // Eight characters per 64 random bits: each multiply-shift takes the next
        // base-k digit of the fraction x / 2^64 (at most 7 bits of 64 per digit).
        let mut x = r.next_u64();
        for _ in 0..left.min(8) {
            let m = u128::from(x) * k;
            out.push(alphabet[(m >> 64) as usize] as char);
            x = m as u64;
        }
        left = left.saturating_sub(8);
    }
}

/// `n` characters of `alphabet`.
fn ascii(r: &mut TestRng, alphabet: &[u8], lo: usize, hi: usize) -> String {
    let mut s = String::new();
    let n = len(r, lo, hi);
    push_ascii(r, &mut s, alphabet, n);
    s
}

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const LOWER_DIGIT: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DIGIT: &[u8] = b"0123456789";
/// `[a-z0-9._-]`: a plain path segment.
const SEGMENT: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789._-";
/// `[a-zA-Z0-9 +~%!*'()&=;:@,$ _.-]`: the reserved and sub-delimiter characters
/// the encoders disagree on.
const RESERVED: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 +~%!*'()&=;:@,$_.-";
/// `[a-zA-Z0-9._-]`.
const TOKEN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
/// `[a-zA-Z0-9/=+._-]`: Base64-ish header values.
const B64ISH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/=+._-";
/// `[ -~]`: printable ASCII.
const PRINTABLE: &[u8] = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Visible characters (no control, format, surrogate, private-use or unassigned
/// code point, like the regex class `\PC`), by block: ASCII, Latin-1 with the
/// no-break space, combining marks, Greek, Cyrillic, the Unicode spaces and
/// separators (U+2000–U+200A, U+2028, U+2029), CJK punctuation with the ideographic
/// space, kana, CJK ideographs, Hangul, full-width forms, and 4-byte emoji and
/// CJK Extension B ideographs.
const VISIBLE: &[(u32, u32)] = &[
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0xFF),
    (0x300, 0x36F),
    (0x3B1, 0x3C9),
    (0x410, 0x44F),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x20AC, 0x20AC),
    (0x3000, 0x3003),
    (0x3041, 0x3096),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF01, 0xFF5E),
    (0x1F600, 0x1F64F),
    (0x20000, 0x2A6DF),
];

/// `lo..=hi` visible characters, any script.
fn visible(r: &mut TestRng, lo: usize, hi: usize) -> String {
    let n = len(r, lo, hi);
    let mut s = String::with_capacity(n * 3);
    for _ in 0..n {
        let (a, b) = *pick(r, VISIBLE);
        let c = a + below(r, (b - a + 1) as usize) as u32;
        s.push(char::from_u32(c).unwrap_or('?'));
    }
    s
}

/// An object key: mostly tricky, sometimes plain or empty (bucket level).
fn draw_key(r: &mut TestRng) -> String {
    match weighted(r, &[3, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1]) {
        0 => {
            // [a-z0-9]{1,8}(/[a-z0-9._-]{1,8}){0,2}
            let mut s = ascii(r, LOWER_DIGIT, 1, 8);
            for _ in 0..below(r, 3) {
                s.push('/');
                let n = len(r, 1, 8);
                push_ascii(r, &mut s, SEGMENT, n);
            }
            s
        }
        1 => "a/中文 b+c~d.txt".into(),
        2 => "dir/".into(),
        3 => "/leading-slash".into(),
        4 => "a//double".into(),
        5 => "100% done &more=1;x?.txt".into(),
        6 => "a b+c~d(1)*!'.jpg".into(),
        7 => "./dot/../seg".into(),
        8 => String::new(),
        9 => ascii(r, RESERVED, 1, 24),
        10 => visible(r, 1, 6),
        _ => ascii(r, LOWER, 200, 260),
    }
}

/// A query value: `None` is a bare name (`?acl`), `Some("")` an empty value.
fn draw_query_value(r: &mut TestRng) -> Option<String> {
    match weighted(r, &[3, 2, 2, 1, 1, 1]) {
        0 => Some(ascii(r, TOKEN, 1, 12)),
        1 => None,
        2 => Some(String::new()),
        3 => Some("a b+c/d=e&f~g".into()),
        4 => Some("attachment; filename=\"r é.pdf\"".into()),
        _ => Some(visible(r, 0, 8)),
    }
}

/// Parameter names every scheme gets: overrides, a version, reserved characters,
/// mixed case; `None` stands for a random `[a-z][a-z0-9-]{0,8}`.
const QUERY_NAMES: &[Option<&str>] = &[
    Some("prefix"),
    Some("max-keys"),
    Some("response-content-type"),
    Some("response-content-disposition"),
    Some("versionId"),
    None,
    Some("+param"),
    Some("|param"),
    Some("a.b"),
    Some("a/b"),
    Some("Mixed-Case"),
];

fn draw_query_name(r: &mut TestRng, scheme: SchemeId) -> String {
    let common = |r: &mut TestRng| match *pick(r, QUERY_NAMES) {
        Some(n) => n.to_string(),
        None => {
            let mut s = ascii(r, LOWER, 1, 1);
            let n = below(r, 9);
            push_ascii(r, &mut s, b"abcdefghijklmnopqrstuvwxyz0123456789-", n);
            s
        }
    };
    match scheme {
        SchemeId::OssV1 | SchemeId::OssV1Url => match weighted(r, &[2, 2, 1]) {
            0 => common(r),
            // oss-signing.md §2.6: the sub-resource lists (the union, and names in only some lists).
            1 => pick(r, crate::oss::v1::subresources::UNION).to_string(),
            _ => pick(r, crate::oss::v1::subresources::COMMON).to_string(),
        },
        _ => common(r),
    }
}

fn draw_header_value(r: &mut TestRng) -> String {
    match weighted(r, &[4, 1, 1, 1, 1, 1, 1]) {
        0 => ascii(r, B64ISH, 1, 16),
        1 => " padded ".into(),
        2 => "two  spaces".into(),
        3 => String::new(),
        4 => "uin=\"100000000011\"".into(),
        5 => ascii(r, PRINTABLE, 0, 40),
        _ => ascii(r, LOWER, 300, 400),
    }
}

fn draw_header_name(r: &mut TestRng, scheme: SchemeId) -> String {
    let prefix = match scheme.provider() {
        crate::address::Provider::Oss => "x-oss-",
        crate::address::Provider::Cos => "x-cos-",
    };
    match weighted(r, &[3, 1, 1, 1, 1, 1, 1, 1, 1]) {
        i @ (0 | 1) => {
            let mut s = if i == 0 {
                format!("{prefix}meta-")
            } else {
                format!("{}META-", prefix.to_ascii_uppercase())
            };
            push_ascii(r, &mut s, LOWER, 1);
            let n = below(r, 8);
            push_ascii(r, &mut s, LOWER_DIGIT, n);
            s
        }
        2 => format!("{prefix}storage-class"),
        3 => format!("{prefix}acl"),
        4 => "Content-Type".into(),
        5 => "content-md5".into(),
        6 => "Cache-Control".into(),
        7 => "abc".into(),
        _ => "ZAbc".into(),
    }
}

const CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/plain; charset=utf-8",
    "application/octet-stream",
    "image/jpeg",
    "application/x-www-form-urlencoded",
];

fn draw_headers(r: &mut TestRng, scheme: SchemeId) -> Vec<(String, String)> {
    let ct = chance(r, 0.5).then(|| pick(r, CONTENT_TYPES).to_string());
    let md5 = chance(r, 0.2);
    let n = below(r, 5);
    let mut h = Vec::with_capacity(n + 2);
    if let Some(ct) = ct {
        h.push(("Content-Type".to_string(), ct));
    }
    if md5 {
        h.push((
            "Content-MD5".to_string(),
            "1B2M2Y8AsgTpgAmY7PhCfg==".to_string(),
        ));
    }
    let fixed = h.len();
    for _ in 0..n {
        let name = draw_header_name(r, scheme);
        let value = draw_header_value(r);
        // One Content-Type and one Content-MD5 at most: the ones drawn first.
        if !h[..fixed]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            h.push((name, value));
        }
    }
    h
}

fn draw_credentials(r: &mut TestRng) -> CredentialsSpec {
    let ak = ascii(r, ALNUM, 8, 24);
    let sk = ascii(r, ALNUM, 16, 40);
    let token = chance(r, 0.25).then(|| {
        if chance(r, 0.5) {
            ascii(r, ALNUM, 16, 40)
        } else {
            "CAIS+token/with==chars".to_string()
        }
    });
    CredentialsSpec {
        access_key_id: Some(ak),
        access_key_secret: Some(sk),
        security_token: token,
    }
}

fn range(r: &mut TestRng, lo: i64, hi: i64) -> i64 {
    lo + below(r, (hi - lo) as usize) as i64
}

/// Unix times: around now, and at day boundaries (V4 scope dates).
fn draw_time(r: &mut TestRng) -> i64 {
    match weighted(r, &[3, 1, 1]) {
        0 => range(r, 1_600_000_000, 1_900_000_000),
        1 => range(r, 19_000, 21_000) * 86_400,
        _ => range(r, 19_000, 21_000) * 86_400 - 1,
    }
}

fn draw_bucket(r: &mut TestRng, provider: crate::address::Provider) -> String {
    match provider {
        // [a-z0-9][a-z0-9-]{1,14}[a-z0-9]
        crate::address::Provider::Oss => {
            let mut s = ascii(r, LOWER_DIGIT, 1, 1);
            let n = len(r, 1, 14);
            push_ascii(r, &mut s, b"abcdefghijklmnopqrstuvwxyz0123456789-", n);
            push_ascii(r, &mut s, LOWER_DIGIT, 1);
            s
        }
        // [a-z0-9][a-z0-9-]{1,10}[a-z0-9]-125[0-9]{7}
        crate::address::Provider::Cos => {
            let mut s = ascii(r, LOWER_DIGIT, 1, 1);
            let n = len(r, 1, 10);
            push_ascii(r, &mut s, b"abcdefghijklmnopqrstuvwxyz0123456789-", n);
            push_ascii(r, &mut s, LOWER_DIGIT, 1);
            s.push_str("-125");
            push_ascii(r, &mut s, DIGIT, 7);
            s
        }
    }
}

const OSS_ENDPOINTS: &[&str] = &[
    "oss-cn-hangzhou.aliyuncs.com",
    "oss-cn-beijing-internal.aliyuncs.com",
    "oss-ap-southeast-1.aliyuncs.com",
];
const COS_ENDPOINTS: &[&str] = &[
    "cos.ap-beijing.myqcloud.com",
    "cos.ap-guangzhou.myqcloud.com",
];

fn draw_endpoint(r: &mut TestRng, provider: crate::address::Provider) -> &'static str {
    match provider {
        crate::address::Provider::Oss => OSS_ENDPOINTS[below(r, OSS_ENDPOINTS.len())],
        crate::address::Provider::Cos => COS_ENDPOINTS[below(r, COS_ENDPOINTS.len())],
    }
}

/// Draw one spec for `scheme` from `r`: what [`spec`] draws, without a value tree.
pub fn draw_spec(scheme: SchemeId, r: &mut TestRng) -> RequestSpec {
    if crate::post::is_post(scheme) {
        draw_post_spec(scheme, r)
    } else {
        draw_request_spec(scheme, r)
    }
}

/// A header or URL scheme's spec.
fn draw_request_spec(scheme: SchemeId, r: &mut TestRng) -> RequestSpec {
    let provider = scheme.provider();
    let method = ["GET", "PUT", "POST", "HEAD", "DELETE"][weighted(r, &[4, 3, 1, 1, 1])];
    let bucket = chance(r, 0.95).then(|| draw_bucket(r, provider));
    let key = draw_key(r);
    let endpoint = draw_endpoint(r, provider);
    let style = (weighted(r, &[6, 1]) == 1).then_some(StyleSpec::Path);
    let nq = below(r, 4);
    let query = (0..nq)
        .map(|_| (draw_query_name(r, scheme), draw_query_value(r)))
        .collect();
    let headers = draw_headers(r, scheme);
    let credentials = draw_credentials(r);
    let time = draw_time(r);
    let expires = match below(r, 4) {
        0 => 60,
        1 => 3600,
        2 => 604_800,
        _ => range(r, 1, 86_400),
    };
    let additional = chance(r, 0.3).then(|| {
        let n = len(r, 1, 2);
        (0..n)
            .map(|_| pick(r, &["host", "abc", "ZAbc", "cache-control"]).to_string())
            .collect::<Vec<_>>()
    });
    RequestSpec {
        scheme: Some(scheme.as_str().to_string()),
        method: Some(method.to_string()),
        key: Some(if bucket.is_none() { String::new() } else { key }),
        bucket,
        endpoint: Some(endpoint.to_string()),
        style,
        query,
        headers,
        credentials: Some(credentials),
        time: Some(TimeSpec::Unix(time)),
        expires: Some(expires),
        additional_headers: if matches!(scheme, SchemeId::OssV4 | SchemeId::OssV4Url) {
            additional
        } else {
            None
        },
        ..Default::default()
    }
}

/// One POST policy condition (oss-signing.md §6.1; cos-signing.md §4 step 2).
#[derive(Debug, Clone)]
enum Cond {
    /// `{"name":"value"}`.
    Exact(String, String),
    /// `["eq","$name","value"]`.
    Eq(String, String),
    /// `["starts-with","$name","prefix"]`.
    StartsWith(String, String),
    /// `["content-length-range",lo,hi]`.
    Range(u64, u64),
}

/// A JSON string literal; with `escaped`, every non-ASCII character as `\uXXXX`
/// (UTF-16 pairs above U+FFFF) and `/` as `\/`: the same string, other bytes.
fn json_str(s: &str, escaped: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s, escaped);
    out
}

/// [`json_str`] appended to `out`.
fn push_json_str(out: &mut String, s: &str, escaped: bool) {
    if !escaped {
        crate::json::push_json_string(out, s);
        return;
    }
    let mut plain = String::with_capacity(s.len() + 2);
    crate::json::push_json_string(&mut plain, s);
    out.reserve(plain.len() + 16);
    for c in plain.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[usize::from((*u >> shift) & 0xF)] as char);
                    }
                }
            }
        }
    }
}

/// A whole number in decimal, appended to `out`.
fn push_decimal(out: &mut String, n: u64) {
    out.push_str(crate::encode::Decimal::of_u64(n).as_str());
}

/// The policy document's text: `expiration` first, then `conditions`, compact or
/// with a space after each `:` and `,` (never a line break: the spec is one line).
fn policy_text(expiration: &str, conds: &[Cond], escaped: bool, spaced: bool) -> String {
    let (colon, comma) = if spaced { (": ", ", ") } else { (":", ",") };
    let mut t = String::with_capacity(64 + 48 * conds.len());
    t.push_str("{\"expiration\"");
    t.push_str(colon);
    push_json_str(&mut t, expiration, escaped);
    t.push_str(comma);
    t.push_str("\"conditions\"");
    t.push_str(colon);
    t.push('[');
    // `"$name"`: the name's literal with a `$` after the opening quote.
    let dollar = |t: &mut String, n: &str| {
        let at = t.len() + 1;
        push_json_str(t, n, escaped);
        t.insert(at, '$');
    };
    for (i, c) in conds.iter().enumerate() {
        if i > 0 {
            t.push_str(comma);
        }
        match c {
            Cond::Exact(n, v) => {
                t.push('{');
                push_json_str(&mut t, n, escaped);
                t.push_str(colon);
                push_json_str(&mut t, v, escaped);
                t.push('}');
            }
            Cond::Eq(n, v) | Cond::StartsWith(n, v) => {
                t.push_str(if matches!(c, Cond::Eq(..)) {
                    "[\"eq\""
                } else {
                    "[\"starts-with\""
                });
                t.push_str(comma);
                dollar(&mut t, n);
                t.push_str(comma);
                push_json_str(&mut t, v, escaped);
                t.push(']');
            }
            Cond::Range(lo, hi) => {
                t.push_str("[\"content-length-range\"");
                t.push_str(comma);
                push_decimal(&mut t, *lo);
                t.push_str(comma);
                push_decimal(&mut t, *hi);
                t.push(']');
            }
        }
    }
    t.push_str("]}");
    t
}

fn raw(text: String) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(text).expect("valid JSON")
}

/// A form upload's spec (`oss-post`, `oss-post-v4`, `cos-post`): a policy (a JSON
/// object compacted by the signer, or Base64 text to sign as given, with spaces,
/// line breaks, `\u` escapes, non-ASCII values) and the form fields it constrains.
fn draw_post_spec(scheme: SchemeId, r: &mut TestRng) -> RequestSpec {
    let provider = scheme.provider();
    let meta = match provider {
        crate::address::Provider::Oss => "x-oss-meta-",
        crate::address::Provider::Cos => "x-cos-meta-",
    };
    let bucket = draw_bucket(r, provider);
    let endpoint = draw_endpoint(r, provider);
    let key = draw_key(r);
    let credentials = draw_credentials(r);
    let time = draw_time(r);
    let expires = match below(r, 3) {
        0 => 3600,
        1 => 60,
        _ => range(r, 1, 86_400),
    };
    let mut conds = Vec::new();
    let mut form: Vec<(String, String)> = Vec::new();
    if chance(r, 0.6) {
        conds.push(Cond::Exact("bucket".into(), bucket.clone()));
    }
    if chance(r, 0.9) {
        form.push(("key".into(), key.clone()));
        match below(r, 4) {
            0 => {
                let n = below(r, key.chars().count() + 1);
                conds.push(Cond::StartsWith(
                    "key".into(),
                    key.chars().take(n).collect(),
                ));
            }
            1 => conds.push(Cond::Eq("key".into(), key.clone())),
            2 => conds.push(Cond::Exact("key".into(), key.clone())),
            _ => {}
        }
    }
    if chance(r, 0.4) {
        let hi = range(r, 1, 1 << 30) as u64;
        conds.push(Cond::Range(below(r, 2) as u64, hi));
    }
    if chance(r, 0.3) {
        let v = pick(r, &["200", "201", "204"]).to_string();
        conds.push(Cond::Exact("success_action_status".into(), v.clone()));
        form.push(("success_action_status".into(), v));
    }
    if chance(r, 0.3) {
        let ct = pick(r, CONTENT_TYPES).to_string();
        conds.push(Cond::StartsWith(
            "Content-Type".into(),
            ct.split('/').next().unwrap_or("").to_string(),
        ));
        form.push(("Content-Type".into(), ct));
    }
    for _ in 0..below(r, 3) {
        let mut name = meta.to_string();
        push_ascii(r, &mut name, LOWER, 1);
        let n = below(r, 6);
        push_ascii(r, &mut name, LOWER_DIGIT, n);
        let value = match below(r, 4) {
            0 => visible(r, 1, 6),
            1 => " padded ".to_string(),
            _ => ascii(r, TOKEN, 0, 12),
        };
        if chance(r, 0.7) {
            conds.push(Cond::Exact(name.clone(), value.clone()));
        }
        form.push((name, value));
    }
    // The signature fields a form carries, in the policy too.
    let ak = credentials.access_key_id.clone().unwrap_or_default();
    let mut key_time = None;
    match scheme {
        SchemeId::OssPostV4 => {
            if chance(r, 0.3) {
                // A given x-oss-date is what is signed (its day makes the scope).
                let d = crate::time::iso_basic(time + range(r, -86_400, 86_400));
                form.push(("x-oss-date".into(), d));
            }
            if chance(r, 0.5) {
                conds.push(Cond::Exact(
                    "x-oss-signature-version".into(),
                    "OSS4-HMAC-SHA256".into(),
                ));
            }
        }
        SchemeId::CosPost => {
            if chance(r, 0.4) {
                let start = time - below(r, 600) as i64;
                key_time = Some(format!("{start};{}", time + expires));
            }
            if chance(r, 0.5) {
                conds.push(Cond::Exact("q-sign-algorithm".into(), "sha1".into()));
                conds.push(Cond::Exact("q-ak".into(), ak));
            }
        }
        _ => {}
    }
    if chance(r, 0.2) {
        // Shuffled: the order of conditions is the signer's to keep.
        for i in (1..conds.len()).rev() {
            conds.swap(i, below(r, i + 1));
        }
    }
    let mut expiration = crate::time::rfc3339(time + expires);
    if chance(r, 0.5) {
        expiration = expiration.replace('Z', ".000Z");
    }
    let escaped = chance(r, 0.15);
    let policy = match weighted(r, &[5, 3, 2]) {
        // The object, compacted by the signer.
        0 => policy_text(&expiration, &conds, escaped, chance(r, 0.3)),
        // Base64 of compact or spaced text: to sign exactly as given.
        1 => json_str(
            &base64_text(&policy_text(&expiration, &conds, escaped, chance(r, 0.5))),
            false,
        ),
        // Base64 of a document with line breaks and indentation.
        _ => {
            let t = policy_text(&expiration, &conds, escaped, true)
                .replace("[{", "[\n    {")
                .replace("\"conditions\"", "\n  \"conditions\"");
            json_str(&base64_text(&t), false)
        }
    };
    if chance(r, 0.5) {
        form.push(("file".into(), ascii(r, PRINTABLE, 0, 32)));
    }
    RequestSpec {
        scheme: Some(scheme.as_str().to_string()),
        method: Some("POST".into()),
        bucket: Some(bucket),
        endpoint: Some(endpoint.to_string()),
        credentials: Some(credentials),
        time: Some(TimeSpec::Unix(time)),
        expires: Some(expires),
        key_time,
        policy: Some(raw(policy)),
        form,
        ..Default::default()
    }
}

fn base64_text(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
}

/// A value that shrinks by variants: [`Shrink::simpler`] gives the first simpler
/// variant at index `from` or later (and its index), each strictly simpler than
/// the value, so shrinking ends.
pub(crate) trait Shrink: Clone + std::fmt::Debug {
    fn simpler(&self, from: usize) -> Option<(usize, Self)>;
}

/// The value tree of these strategies: the value drawn, shrunk by its variants.
/// `simplify` (the current value still fails) keeps the candidate and tries the
/// variant at the same index of it (removing header 0 again removes the next one);
/// `complicate` (the candidate passes) drops it and tries the next index. A pass
/// that kept something is followed by another from index 0, until a pass keeps
/// nothing.
#[derive(Debug, Clone)]
pub(crate) struct Shrinking<T> {
    kept: T,
    candidate: Option<(usize, T)>,
    kept_in_pass: bool,
    done: bool,
}

impl<T: Shrink> Shrinking<T> {
    pub(crate) fn new(value: T) -> Self {
        Shrinking {
            kept: value,
            candidate: None,
            kept_in_pass: false,
            done: false,
        }
    }

    fn next_from(&mut self, from: usize) -> bool {
        let mut found = self.kept.simpler(from);
        if found.is_none() && self.kept_in_pass && from > 0 {
            self.kept_in_pass = false;
            found = self.kept.simpler(0);
        }
        self.done = found.is_none();
        self.candidate = found;
        !self.done
    }
}

impl<T: Shrink> ValueTree for Shrinking<T> {
    type Value = T;

    fn current(&self) -> T {
        self.candidate.as_ref().map_or(&self.kept, |c| &c.1).clone()
    }

    fn simplify(&mut self) -> bool {
        if self.done {
            return false;
        }
        let from = match self.candidate.take() {
            Some((i, v)) => {
                self.kept = v;
                self.kept_in_pass = true;
                i
            }
            None => 0,
        };
        self.next_from(from)
    }

    fn complicate(&mut self) -> bool {
        match self.candidate.take() {
            Some((i, _)) if !self.done => self.next_from(i + 1),
            _ => false,
        }
    }
}

/// A strategy that draws with `draw` from the runner's RNG and shrinks with [`Shrink`].
#[derive(Clone)]
struct Drawn<F>(F);

impl<F> std::fmt::Debug for Drawn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sigdiff::strategy::Drawn")
    }
}

impl<T: Shrink, F: Fn(&mut TestRng) -> T> Strategy for Drawn<F> {
    type Tree = Shrinking<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(Shrinking::new((self.0)(runner.rng())))
    }
}

/// The first `n / 2` characters (`None` below two characters).
fn halve(s: &str) -> Option<String> {
    let n = s.chars().count();
    (n >= 2).then(|| s.chars().take(n / 2).collect())
}

impl Shrink for String {
    fn simpler(&self, from: usize) -> Option<(usize, Self)> {
        (from..2).find_map(|i| {
            match i {
                0 => (!self.is_empty()).then(String::new),
                _ => halve(self),
            }
            .map(|v| (i, v))
        })
    }
}

impl Shrink for i64 {
    fn simpler(&self, _: usize) -> Option<(usize, Self)> {
        None
    }
}

/// One way to simplify a spec, in the order tried.
#[derive(Debug, Clone, Copy)]
enum Op {
    DropHeader(usize),
    DropParam(usize),
    DropToken,
    DropAdditional,
    DropStyle,
    MethodGet,
    EmptyKey,
    HalveKey,
    EmptyHeaderValue(usize),
    HalveHeaderValue(usize),
    EmptyParamValue(usize),
    HalveParamValue(usize),
    DropField(usize),
    DropCondition(usize),
    DropKeyTime,
    EmptyFieldValue(usize),
    HalveFieldValue(usize),
}

/// A spec's policy: the exact text of its expiration and of each condition, and
/// whether it was Base64 text.
fn policy_parts(s: &RequestSpec) -> Option<(String, Vec<String>, bool)> {
    use base64::Engine;
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct Parts<'a> {
        #[serde(borrow)]
        expiration: &'a RawValue,
        #[serde(borrow)]
        conditions: Vec<&'a RawValue>,
    }
    let text = s.policy.as_ref()?.get();
    let (json, b64) = if text.starts_with('"') {
        let t: String = serde_json::from_str(text).ok()?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(t).ok()?;
        (String::from_utf8(bytes).ok()?, true)
    } else {
        (text.to_string(), false)
    };
    let p: Parts<'_> = serde_json::from_str(&json).ok()?;
    Some((
        p.expiration.get().to_string(),
        p.conditions.iter().map(|c| c.get().to_string()).collect(),
        b64,
    ))
}

fn ops(s: &RequestSpec) -> Vec<Op> {
    let (h, q) = (s.headers.len(), s.query.len());
    let mut v = Vec::with_capacity(6 + 3 * (h + q));
    v.extend((0..h).map(Op::DropHeader));
    v.extend((0..q).map(Op::DropParam));
    v.extend([
        Op::DropToken,
        Op::DropAdditional,
        Op::DropStyle,
        Op::MethodGet,
        Op::EmptyKey,
        Op::HalveKey,
    ]);
    for i in 0..h {
        v.extend([Op::EmptyHeaderValue(i), Op::HalveHeaderValue(i)]);
    }
    for i in 0..q {
        v.extend([Op::EmptyParamValue(i), Op::HalveParamValue(i)]);
    }
    // Form uploads.
    let f = s.form.len();
    let c = policy_parts(s).map_or(0, |p| p.1.len());
    v.extend((0..f).map(Op::DropField));
    v.extend((0..c).map(Op::DropCondition));
    v.push(Op::DropKeyTime);
    for i in 0..f {
        v.extend([Op::EmptyFieldValue(i), Op::HalveFieldValue(i)]);
    }
    v
}

/// `s` simplified by `op`, when that changes it.
fn apply(s: &RequestSpec, op: Op) -> Option<RequestSpec> {
    let mut t = s.clone();
    match op {
        Op::DropHeader(i) => {
            t.headers.remove(i);
        }
        Op::DropParam(i) => {
            t.query.remove(i);
        }
        Op::DropToken => {
            t.credentials.as_mut()?.security_token.take()?;
        }
        Op::DropAdditional => {
            t.additional_headers.take()?;
        }
        Op::DropStyle => {
            t.style.take()?;
        }
        Op::MethodGet => {
            // A form upload is a POST whatever the spec says.
            if t.policy.is_some() || t.method.as_deref().is_none_or(|m| m == "GET") {
                return None;
            }
            t.method = Some("GET".into());
        }
        Op::EmptyKey => {
            let k = t.key.as_mut()?;
            if t.bucket.is_none() || k.is_empty() {
                return None;
            }
            k.clear();
        }
        Op::HalveKey => {
            let k = t.key.as_mut()?;
            *k = halve(k)?;
        }
        Op::EmptyHeaderValue(i) => {
            let v = &mut t.headers[i].1;
            if v.is_empty() {
                return None;
            }
            v.clear();
        }
        Op::HalveHeaderValue(i) => {
            let v = &mut t.headers[i].1;
            *v = halve(v)?;
        }
        Op::EmptyParamValue(i) => {
            let v = t.query[i].1.as_mut()?;
            if v.is_empty() {
                return None;
            }
            v.clear();
        }
        Op::HalveParamValue(i) => {
            let v = t.query[i].1.as_mut()?;
            *v = halve(v)?;
        }
        Op::DropField(i) => {
            t.form.remove(i);
        }
        Op::DropCondition(i) => {
            // The other conditions keep their bytes (escapes, inner spaces).
            let (expiration, mut conds, b64) = policy_parts(&t)?;
            conds.remove(i);
            let text = format!(
                "{{\"expiration\":{expiration},\"conditions\":[{}]}}",
                conds.join(",")
            );
            t.policy = Some(raw(if b64 {
                json_str(&base64_text(&text), false)
            } else {
                text
            }));
        }
        Op::DropKeyTime => {
            t.key_time.take()?;
        }
        Op::EmptyFieldValue(i) => {
            let v = &mut t.form[i].1;
            if v.is_empty() {
                return None;
            }
            v.clear();
        }
        Op::HalveFieldValue(i) => {
            let v = &mut t.form[i].1;
            *v = halve(v)?;
        }
    }
    Some(t)
}

impl Shrink for RequestSpec {
    fn simpler(&self, from: usize) -> Option<(usize, Self)> {
        ops(self)
            .into_iter()
            .enumerate()
            .skip(from)
            .find_map(|(i, op)| apply(self, op).map(|v| (i, v)))
    }
}

/// Every COS server-model and SDK option (cos-signing.md §2.3, §2.4, §3.2,
/// §7): what the lean and fast COS paths are held to the general one under.
pub fn cos_options() -> impl Strategy<Value = CosOptions> {
    (
        any::<[bool; 8]>(),
        prop_oneof![
            Just(Repeated::All),
            Just(Repeated::First),
            Just(Repeated::Last)
        ],
    )
        .prop_map(|(b, repeated)| CosOptions {
            sort: if b[0] { Sort::RawKey } else { Sort::EncodedKey },
            repeated,
            header_whitespace: if b[1] {
                HeaderWhitespace::Raw
            } else {
                HeaderWhitespace::Trim
            },
            plus_in_path: if b[2] {
                PlusMeans::Plus
            } else {
                PlusMeans::Space
            },
            plus_in_query: if b[3] {
                PlusMeans::Plus
            } else {
                PlusMeans::Space
            },
            presign: if b[4] {
                Presign::Merged
            } else {
                Presign::PerField
            },
            url_encoding: if b[5] {
                UrlEncoding::UriComponent
            } else {
                UrlEncoding::Rfc3986
            },
            token: if b[6] {
                TokenSigning::Unsigned
            } else {
                TokenSigning::Signed
            },
        })
}

/// Object keys: mostly tricky, sometimes plain or empty (bucket level).
pub fn key() -> impl Strategy<Value = String> {
    Drawn(draw_key)
}

/// Unix times: around now, and at day boundaries (V4 scope dates).
pub fn time() -> impl Strategy<Value = i64> {
    Drawn(draw_time)
}

/// A JSON request spec for `scheme` that sigdiff can sign.
pub fn spec(scheme: SchemeId) -> BoxedStrategy<RequestSpec> {
    Drawn(move |r: &mut TestRng| draw_spec(scheme, r)).boxed()
}

/// Case `value` as a value tree that shrinks like [`spec`]'s (for a value drawn
/// with [`draw_spec`]).
pub fn shrinking(value: RequestSpec) -> impl ValueTree<Value = RequestSpec> {
    Shrinking::new(value)
}

/// Sign `spec` with sigdiff and verify what it signed (a form upload's form with
/// [`crate::post::verify_upload`]): `Err` says what did not round-trip. The
/// property the `sign_verify` fuzz target and the tests check on drawn specs.
pub fn round_trip(spec: &RequestSpec) -> std::result::Result<(), String> {
    let r = crate::sign::sign_spec(spec, &crate::sign::SignOptions::default())
        .map_err(|e| format!("does not sign: {e}"))?;
    let now = spec.time_or(0).map_err(|e| e.to_string())?;
    let secret = spec.credentials().map_err(|e| e.to_string())?.secret;
    let scheme = spec.scheme_id().map_err(|e| e.to_string())?;
    let opts = crate::verify::VerifyOptions {
        now,
        scheme,
        secrets: vec![secret.clone()],
        ..Default::default()
    };
    if let Some(post) = &r.post {
        let request = (!r.url.is_empty())
            .then(|| crate::Request::from_url("POST", &r.url, r.headers.clone()))
            .transpose()
            .map_err(|e| format!("the form's URL does not parse: {e}"))?;
        let up = crate::post::Upload {
            form: crate::post::UploadForm::from_pairs(&post.form),
            request,
            bucket: spec.bucket.clone(),
            secret: Some(secret),
        };
        let rep = crate::post::verify_upload(&up, &opts).map_err(|e| e.to_string())?;
        if rep.computed_signature.as_deref() != Some(r.signature.as_str())
            || rep.provided_signature != r.signature
            || rep.string_to_sign != r.string_to_sign
        {
            return Err(format!(
                "form upload signed {} over {:?}, verified {:?} over {:?}",
                r.signature, r.string_to_sign, rep.computed_signature, rep.string_to_sign
            ));
        }
        return Ok(());
    }
    let method = spec.method.as_deref().unwrap_or("GET");
    let req = crate::Request::from_url(method, &r.url, r.headers.clone())
        .map_err(|e| format!("the signed URL does not parse: {e}"))?;
    let rep = crate::verify::verify(&req, &opts).map_err(|e| e.to_string())?;
    if rep.verdict != crate::verify::Verdict::Match {
        return Err(format!("verifies as {:?}", rep.verdict));
    }
    Ok(())
}

/// Draw `count` specs for `scheme` deterministically from `seed`: the same seed
/// gives the same specs on every machine.
pub fn sample(scheme: SchemeId, seed: u64, count: usize) -> Vec<RequestSpec> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(scheme as u64).to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let s = spec(scheme);
    (0..count)
        .filter_map(|_| s.new_tree(&mut runner).ok().map(|t| t.current()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy text as first written (serde_json and format!): the text
    /// written by hand is the same, so a seed draws the same cases.
    fn policy_text_reference(
        expiration: &str,
        conds: &[Cond],
        escaped: bool,
        spaced: bool,
    ) -> String {
        fn q(s: &str, escaped: bool) -> String {
            let plain = serde_json::to_string(s).unwrap();
            if !escaped {
                return plain;
            }
            let mut out = String::new();
            for c in plain.chars() {
                match c {
                    '/' => out.push_str("\\/"),
                    c if c.is_ascii() => out.push(c),
                    c => {
                        let mut units = [0u16; 2];
                        for u in c.encode_utf16(&mut units) {
                            out.push_str(&format!("\\u{u:04x}"));
                        }
                    }
                }
            }
            out
        }
        let (colon, comma) = if spaced { (": ", ", ") } else { (":", ",") };
        let q = |s: &str| q(s, escaped);
        let items: Vec<String> = conds
            .iter()
            .map(|c| match c {
                Cond::Exact(n, v) => format!("{{{}{colon}{}}}", q(n), q(v)),
                Cond::Eq(n, v) => format!("[\"eq\"{comma}{}{comma}{}]", q(&format!("${n}")), q(v)),
                Cond::StartsWith(n, v) => format!(
                    "[\"starts-with\"{comma}{}{comma}{}]",
                    q(&format!("${n}")),
                    q(v)
                ),
                Cond::Range(lo, hi) => format!("[\"content-length-range\"{comma}{lo}{comma}{hi}]"),
            })
            .collect();
        format!(
            "{{\"expiration\"{colon}{}{comma}\"conditions\"{colon}[{}]}}",
            q(expiration),
            items.join(comma)
        )
    }

    #[test]
    fn policy_text_is_the_reference_text() {
        let mut r = TestRng::from_seed(RngAlgorithm::XorShift, &[7; 16]);
        let mut texts = 0;
        for round in 0..400 {
            let mut conds = Vec::new();
            for _ in 0..below(&mut r, 6) {
                let n = visible(&mut r, 0, 6);
                let v = if chance(&mut r, 0.3) {
                    ascii(&mut r, PRINTABLE, 0, 20)
                } else {
                    visible(&mut r, 0, 10)
                };
                conds.push(match below(&mut r, 4) {
                    0 => Cond::Exact(n, v),
                    1 => Cond::Eq(n, v),
                    2 => Cond::StartsWith(n, v),
                    _ => Cond::Range(r.next_u64() >> below(&mut r, 64), u64::MAX >> (round % 64)),
                });
            }
            conds.push(Cond::Exact(
                "k\u{1}\"\\/\u{1F600}".into(),
                "\u{7f}\u{2028}é".into(),
            ));
            let exp = visible(&mut r, 0, 30);
            for escaped in [false, true] {
                for spaced in [false, true] {
                    assert_eq!(
                        policy_text(&exp, &conds, escaped, spaced),
                        policy_text_reference(&exp, &conds, escaped, spaced)
                    );
                    texts += 1;
                }
            }
        }
        assert_eq!(texts, 1600);
    }

    #[test]
    fn samples_are_deterministic() {
        let a = sample(SchemeId::OssV1, 7, 20);
        let b = sample(SchemeId::OssV1, 7, 20);
        let c = sample(SchemeId::OssV1, 8, 20);
        let ser = |v: &[RequestSpec]| serde_json::to_string(v).unwrap();
        assert_eq!(ser(&a), ser(&b));
        assert_ne!(ser(&a), ser(&c));
    }

    /// The share of `specs` with each pitfall feature ([`crate::vectors::features`]
    /// and a few more about lengths, characters and times).
    fn shares(specs: &[RequestSpec]) -> std::collections::BTreeMap<String, f64> {
        let mut n: std::collections::BTreeMap<String, f64> = Default::default();
        for s in specs {
            let mut f = crate::vectors::features(s);
            let key = s.key.as_deref().unwrap_or("");
            let texts = || {
                std::iter::once(key)
                    .chain(s.query.iter().filter_map(|(_, v)| v.as_deref()))
                    .chain(s.headers.iter().map(|(_, v)| v.as_str()))
            };
            if texts().any(|t| t.chars().any(|c| c.len_utf8() == 4)) {
                f.push("4-byte-utf8".into());
            }
            if texts().any(|t| t.chars().any(|c| c.is_whitespace() && !c.is_ascii())) {
                f.push("unicode-space".into());
            }
            if key.len() >= 200 {
                f.push("long-key".into());
            }
            if s.headers.iter().any(|(_, v)| v.len() >= 300) {
                f.push("long-header-value".into());
            }
            if s.query
                .iter()
                .any(|(k, _)| k.bytes().any(|b| b.is_ascii_uppercase()))
            {
                f.push("upper-case-param".into());
            }
            if s.query.iter().any(|(k, _)| k.starts_with(['+', '|'])) {
                f.push("reserved-param-name".into());
            }
            if s.headers
                .iter()
                .any(|(k, _)| k.to_ascii_lowercase().starts_with("x-") && k.starts_with('X'))
            {
                f.push("upper-case-prefix".into());
            }
            if s.headers.iter().any(|(_, v)| v.contains('"')) {
                f.push("quoted-header-value".into());
            }
            if s.credentials
                .as_ref()
                .and_then(|c| c.security_token.as_deref())
                .is_some_and(|t| t.contains(['+', '/', '=']))
            {
                f.push("sts-token-base64".into());
            }
            match s.time {
                Some(TimeSpec::Unix(t)) if t % 86_400 == 0 => f.push("midnight".into()),
                Some(TimeSpec::Unix(t)) if t % 86_400 == 86_399 => {
                    f.push("second-before-midnight".into())
                }
                _ => {}
            }
            if s.method.as_deref() != Some("GET") {
                f.push("not-get".into());
            }
            for x in f {
                *n.entry(x).or_default() += 1.0 / specs.len() as f64;
            }
        }
        n
    }

    #[test]
    fn the_draws_are_biased_toward_the_pitfalls() {
        let at_least: &[(&str, f64)] = &[
            ("unicode", 0.25),
            ("4-byte-utf8", 0.04),
            ("unicode-space", 0.03),
            ("space", 0.3),
            ("plus", 0.25),
            ("tilde", 0.2),
            ("percent", 0.05),
            ("double-slash", 0.04),
            ("leading-slash", 0.04),
            ("trailing-slash", 0.04),
            ("dot-segment", 0.04),
            ("bucket-level", 0.04),
            ("service-level", 0.03),
            ("bare-param", 0.2),
            ("empty-param", 0.2),
            ("duplicate-param", 0.04),
            ("response-override", 0.15),
            ("upper-case-param", 0.2),
            ("reserved-param-name", 0.14),
            ("sts-token", 0.18),
            ("sts-token-base64", 0.08),
            ("duplicate-header", 0.06),
            ("mixed-case-header", 0.2),
            ("upper-case-prefix", 0.1),
            ("header-whitespace", 0.22),
            ("empty-header", 0.12),
            ("quoted-header-value", 0.14),
            ("long-key", 0.04),
            ("long-header-value", 0.12),
            ("midnight", 0.14),
            ("second-before-midnight", 0.14),
            ("long-expiry", 0.18),
            ("path-style", 0.09),
            ("not-get", 0.45),
        ];
        let mut all = Vec::new();
        for scheme in [SchemeId::OssV1, SchemeId::OssV4Url, SchemeId::Cos] {
            all.extend(sample(scheme, 11, 2000));
        }
        let got = shares(&all);
        for (f, min) in at_least {
            let share = got.get(*f).copied().unwrap_or(0.0);
            assert!(
                share >= *min,
                "{f}: {share:.3} of the cases, expected at least {min} ({got:.3?})"
            );
        }
        // V4 gets additional headers; V1 every sub-resource name of every list.
        let v4 = shares(&sample(SchemeId::OssV4, 12, 1000));
        assert!(v4["additional-headers"] > 0.2, "{v4:?}");
        let v1 = sample(SchemeId::OssV1, 13, 4000);
        for name in crate::oss::v1::subresources::UNION {
            assert!(
                v1.iter().any(|s| s.query.iter().any(|(k, _)| k == name)),
                "sub-resource {name} never drawn"
            );
        }
        assert!(shares(&v1)["sub-resource"] > 0.4);
    }

    /// The minimal spec proptest's runner finds for a property failing on `fails`.
    fn minimal(scheme: SchemeId, fails: impl Fn(&RequestSpec) -> bool) -> RequestSpec {
        let mut runner = TestRunner::new_with_rng(
            Config {
                failure_persistence: None,
                cases: 5000,
                ..Config::default()
            },
            TestRng::from_seed(RngAlgorithm::ChaCha, &[5; 32]),
        );
        match runner.run(&spec(scheme), |s| {
            prop_assert!(!fails(&s));
            Ok(())
        }) {
            Err(proptest::test_runner::TestError::Fail(_, s)) => s,
            other => panic!("the property never failed: {other:?}"),
        }
    }

    #[test]
    fn shrinking_finds_a_minimal_spec() {
        // Fails whenever: everything optional goes.
        let m = minimal(SchemeId::OssV4, |_| true);
        assert!(m.headers.is_empty() && m.query.is_empty(), "{m:?}");
        assert_eq!(m.method.as_deref(), Some("GET"));
        assert!(m.key.as_deref().unwrap().is_empty(), "{m:?}");
        assert!(m.additional_headers.is_none() && m.style.is_none(), "{m:?}");
        assert!(m.credentials.unwrap().security_token.is_none());
        // Two headers out of order: exactly two headers are left, with short values.
        let m = minimal(SchemeId::OssV1, |s| {
            let names: Vec<String> = s.headers.iter().map(|h| h.0.to_ascii_lowercase()).collect();
            names.windows(2).any(|w| w[0] > w[1])
        });
        assert_eq!(m.headers.len(), 2, "{m:?}");
        assert!(m.headers.iter().all(|h| h.1.len() <= 1), "{m:?}");
        assert!(m.query.is_empty(), "{m:?}");
        // A space in the key: the key keeps a space and little else.
        let m = minimal(SchemeId::Cos, |s| {
            s.key.as_deref().unwrap_or("").contains(' ')
        });
        let key = m.key.unwrap();
        assert!(key.contains(' ') && key.chars().count() <= 3, "{key:?}");
        assert!(m.headers.is_empty() && m.query.is_empty());
        // A bare parameter: one parameter, no value.
        let m = minimal(SchemeId::OssV1Url, |s| {
            s.query.iter().any(|q| q.1.is_none())
        });
        assert_eq!(m.query.len(), 1, "{m:?}");
        assert!(m.query[0].1.is_none());
    }

    #[test]
    fn the_value_tree_simplifies_and_complicates() {
        let s = sample(SchemeId::OssV1, 3, 50)
            .into_iter()
            .find(|s| s.headers.len() >= 2)
            .unwrap();
        let n = s.headers.len();
        let mut t = shrinking(s);
        assert_eq!(t.current().headers.len(), n);
        // First simplification drops header 0; passing it, the next drops header 1.
        assert!(t.simplify());
        assert_eq!(t.current().headers.len(), n - 1);
        let second = t.current().headers[0].clone();
        assert!(t.complicate());
        assert_eq!(t.current().headers.len(), n - 1);
        assert_ne!(t.current().headers[0], second);
        // Always failing: it ends, each step strictly simpler.
        let mut steps = 0;
        while t.simplify() {
            steps += 1;
            assert!(steps < 10_000);
        }
        assert!(t.current().headers.is_empty());
        assert!(!t.complicate());
    }

    #[test]
    fn form_uploads_round_trip_with_their_pitfalls() {
        let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
        let n = 600;
        for scheme in [SchemeId::OssPost, SchemeId::OssPostV4, SchemeId::CosPost] {
            for s in sample(scheme, 21, n) {
                if let Err(e) = round_trip(&s) {
                    panic!("{e}: {}", serde_json::to_string(&s).unwrap());
                }
                let p = s.policy.as_ref().unwrap().get();
                let (json, b64) = policy_parts(&s).map(|(_, c, b)| (c, b)).unwrap();
                let mut f = |name, yes: bool| *seen.entry(name).or_default() += usize::from(yes);
                f("base64", b64);
                f("object", !b64);
                f("escaped", p.contains("\\u") || p.contains("\\/"));
                f("spaced", !b64 && p.contains("\": "));
                f("no-conditions", json.is_empty());
                f("many-conditions", json.len() >= 4);
                f("unicode-field", s.form.iter().any(|(_, v)| !v.is_ascii()));
                f("file", s.form.iter().any(|(k, _)| k == "file"));
                f(
                    "token",
                    s.credentials.as_ref().unwrap().security_token.is_some(),
                );
                f("x-oss-date", s.form.iter().any(|(k, _)| k == "x-oss-date"));
                f("key_time", s.key_time.is_some());
            }
        }
        let total = 3 * n;
        for (name, min) in [
            ("base64", total / 5),
            ("object", total / 3),
            ("escaped", total / 40),
            ("spaced", total / 20),
            ("no-conditions", total / 100),
            ("many-conditions", total / 10),
            ("unicode-field", total / 20),
            ("file", total / 3),
            ("token", total / 8),
            ("x-oss-date", n / 6),
            ("key_time", n / 5),
        ] {
            assert!(
                seen[name] >= min,
                "{name}: {} of {total} ({seen:?})",
                seen[name]
            );
        }
        // The round trip can fail: a spec sigdiff cannot sign.
        let mut bad = sample(SchemeId::CosPost, 1, 1).remove(0);
        bad.key_time = Some("later".into());
        assert!(round_trip(&bad).unwrap_err().starts_with("does not sign"));
    }

    #[test]
    fn form_uploads_shrink_by_fields_and_conditions() {
        // A property failing on any `x-oss-meta-` field: one such field is left,
        // the other fields and every condition go, the policy stays a policy.
        let m = minimal(SchemeId::OssPost, |s| {
            s.form.iter().any(|(k, _)| k.starts_with("x-oss-meta-"))
        });
        assert_eq!(m.form.len(), 1, "{m:?}");
        assert!(m.form[0].1.chars().count() <= 1, "{m:?}");
        assert!(policy_parts(&m).unwrap().1.is_empty(), "{m:?}");
        assert_eq!(m.method.as_deref(), Some("POST"));
        round_trip(&m).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Every generated spec signs, and what is signed verifies.
        #[test]
        fn generated_specs_sign_and_verify(s in prop_oneof![
            spec(SchemeId::OssV1), spec(SchemeId::OssV1Url), spec(SchemeId::OssV4),
            spec(SchemeId::OssV4Url), spec(SchemeId::Cos), spec(SchemeId::CosUrl),
            spec(SchemeId::OssPost), spec(SchemeId::OssPostV4), spec(SchemeId::CosPost)]) {
            let r = round_trip(&s);
            prop_assert!(r.is_ok(), "{}: {}", r.unwrap_err(), serde_json::to_string(&s).unwrap());
        }
    }
}
