//! Mutation suites, Wycheproof style (peers-and-pitfalls.md §C.1): for a base
//! request, each test is the base with one change and a `result`:
//!
//! * `valid` — an **invariance**: the signature must stay the base's (header order,
//!   header-name case, query order, `a` vs `a=` where equivalent, surrounding
//!   whitespace of a trimmed header, an unsigned header or parameter, ...);
//! * `invalid` — a **sensitivity**: the signature must change (any character of a
//!   signed field, the method, the time, the secret, the token, ...).
//!
//! Which fields are signed is written down here from the specs (each rule names its
//! section), independently of the signer; [`build_file`] refuses to write a test
//! that sigdiff contradicts, and [`run_file`] re-runs every test against the library.

use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::oss::v1::subresources::SubresourceList;
use crate::scheme::SchemeId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The `schema` value of a mutation file.
pub const SCHEMA: &str = "sigdiff_signature_mutations_v1";

/// One flag's meaning.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    /// `Invariance` or `Sensitivity`.
    #[serde(rename = "bugType")]
    pub bug_type: String,
    /// What a signer that fails the test gets wrong.
    pub description: String,
}

/// One test: a mutated spec and whether the signature must stay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Test {
    /// Test id, unique in the file.
    #[serde(rename = "tcId")]
    pub tc_id: usize,
    /// The mutation.
    pub comment: String,
    /// Flags (keys of the file's `notes`).
    pub flags: Vec<String>,
    /// The mutated JSON request spec (complete).
    pub spec: Value,
    /// `valid`: same signature as the base; `invalid`: a different one.
    pub result: String,
}

/// Tests sharing one base request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TestGroup {
    /// Always `SignatureMutation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The curated case the base comes from (`vectors/<scheme>/<case>`).
    #[serde(rename = "baseCase")]
    pub base_case: String,
    /// The base JSON request spec.
    pub base: Value,
    /// The base's signature.
    #[serde(rename = "baseSignature")]
    pub base_signature: String,
    /// The tests.
    pub tests: Vec<Test>,
}

/// One mutation file (`vectors/mutations/<scheme>.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MutationFile {
    /// The scheme.
    pub algorithm: String,
    /// [`SCHEMA`].
    pub schema: String,
    /// What wrote it.
    #[serde(rename = "generatorVersion")]
    pub generator_version: String,
    /// Number of tests in all groups.
    #[serde(rename = "numberOfTests")]
    pub number_of_tests: usize,
    /// Free text.
    pub header: Vec<String>,
    /// Flag → meaning.
    pub notes: BTreeMap<String, Note>,
    /// The groups.
    #[serde(rename = "testGroups")]
    pub test_groups: Vec<TestGroup>,
}

fn note(flag: &str) -> Note {
    let (t, d) = match flag {
        "HeaderOrder" => ("Invariance", "Headers are sorted by name before signing (oss-signing.md §2.4, §4.3; cos-signing.md §2.5): the order they are sent in must not matter."),
        "HeaderNameCase" => ("Invariance", "Header names are case-insensitive and lower-cased for signing (oss-signing.md §2.4, §4.3; cos-signing.md §2.5)."),
        "QueryOrder" => ("Invariance", "Query parameters are sorted before signing (oss-signing.md §2.5, §4.3; cos-signing.md §2.4)."),
        "EmptyValueForm" => ("Invariance", "`a` and `a=` sign the same: OSS writes the bare name for both (oss-signing.md §2.5, §10 item 6), COS writes `a=` for both (cos-signing.md §2.4, §7 item 14)."),
        "HeaderWhitespace" => ("Invariance", "Leading and trailing whitespace of a header value is not part of it: the server sees the value after HTTP parsing (oss-signing.md §2.4, §10 item 11; cos-signing.md §8)."),
        "UnsignedHeader" => ("Invariance", "A header the scheme does not sign must not change the signature (oss-signing.md §2.4, §4.3; cos-signing.md §2.5)."),
        "UnsignedQuery" => ("Invariance", "OSS V1 signs only sub-resources: any other query parameter must not change the signature (oss-signing.md §2.5, §10 item 7)."),
        "AccessKeyIdOutsideSignature" => ("Invariance", "The AccessKeyId travels beside the signature and is not signed (oss-signing.md §2.1, §4.4; cos-signing.md §2.1); OSS V4 URLs sign it inside x-oss-credential (§5)."),
        "ExpiresUnusedInHeaderForm" => ("Invariance", "Header signatures of OSS have no expiry: `expires` must not change them (oss-signing.md §2.2, §4.4)."),
        "UnsignedBucket" => ("Invariance", "COS signs the host only when `host` is in the signed headers (cos-signing.md §2.5, §6 V6)."),
        "KeyByte" => ("Sensitivity", "The object key is signed (oss-signing.md §2.5, §4.3; cos-signing.md §2.6): any change of a character must change the signature."),
        "BucketByte" => ("Sensitivity", "The bucket is signed (in the resource for OSS §2.5/§4.3, in the host for COS §2.7)."),
        "Method" => ("Sensitivity", "The HTTP method is signed (oss-signing.md §2.2, §4.3; cos-signing.md §2.1)."),
        "SignedHeaderByte" => ("Sensitivity", "A signed header's value is signed: any change of a character must change the signature."),
        "SignedHeaderAdded" => ("Sensitivity", "Adding a header the scheme signs (x-oss-*, x-cos-*) must change the signature."),
        "SignedQueryByte" => ("Sensitivity", "A signed query parameter's value is signed (OSS V1: sub-resources §2.5; OSS V4 and COS: every parameter)."),
        "SignedQueryAdded" => ("Sensitivity", "Adding a signed query parameter must change the signature."),
        "Time" => ("Sensitivity", "The signing time is signed (Date line §2.3, x-oss-date §4.4, Expires §3, q-key-time cos-signing.md §2.2)."),
        "Expires" => ("Sensitivity", "The validity of a URL signature (or COS key time) is signed (oss-signing.md §3, §5; cos-signing.md §2.2)."),
        "Secret" => ("Sensitivity", "A different secret must give a different signature."),
        "SecurityToken" => ("Sensitivity", "The STS token is signed (oss-signing.md §2.7, §10 item 16; cos-signing.md §1.3)."),
        "Region" => ("Sensitivity", "OSS V4 signs the region in the scope (oss-signing.md §4.4)."),
        "Product" => ("Sensitivity", "OSS V4 signs the product in the scope (oss-signing.md §4.4, CloudBox)."),
        "AdditionalHeader" => ("Sensitivity", "OSS V4 signs the headers named in AdditionalHeaders (oss-signing.md §4.3)."),
        _ => ("Unknown", "(no description)"),
    };
    Note {
        bug_type: t.to_string(),
        description: d.to_string(),
    }
}

fn headers_of(spec: &Value) -> Vec<(String, String)> {
    serde_json::from_value(spec.get("headers").cloned().unwrap_or(json!([]))).unwrap_or_default()
}

fn query_of(spec: &Value) -> Vec<(String, Option<String>)> {
    serde_json::from_value(spec.get("query").cloned().unwrap_or(json!([]))).unwrap_or_default()
}

/// Replace the character at `pos` (counted in chars) by another one.
fn change_char(s: &str, pos: usize) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i != pos {
                c
            } else if c == 'x' {
                'y'
            } else {
                'x'
            }
        })
        .collect()
}

/// Positions to mutate in a text of `n` chars: first, middle, last.
fn positions(n: usize) -> Vec<usize> {
    let mut v = vec![0, n / 2, n.saturating_sub(1)];
    v.dedup();
    v.retain(|&p| p < n);
    v
}

/// Is header `name` signed for this spec (the rules, from the specs)?
fn header_signed(scheme: SchemeId, spec: &Value, name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    match scheme {
        // oss-signing.md §2.2, §2.4: Content-MD5, Content-Type, every x-oss-*; the
        // Date line is a date header only in the header form (§3: Expires in URLs),
        // and x-oss-date wins over Date (§2.3).
        SchemeId::OssV1 | SchemeId::OssV1Url => {
            n == "content-md5"
                || n == "content-type"
                || n.starts_with("x-oss-")
                || (scheme == SchemeId::OssV1
                    && n == "date"
                    && !headers_of(spec)
                        .iter()
                        .any(|(k, _)| k.eq_ignore_ascii_case("x-oss-date")))
        }
        // §4.3: x-oss-*, content-type, content-md5 and the additional headers.
        SchemeId::OssV4 | SchemeId::OssV4Url => {
            n == "content-md5"
                || n == "content-type"
                || n.starts_with("x-oss-")
                || spec
                    .get("additional_headers")
                    .and_then(|a| a.as_array())
                    .is_some_and(|a| {
                        a.iter()
                            .any(|x| x.as_str().is_some_and(|x| x.eq_ignore_ascii_case(&n)))
                    })
        }
        // DESIGN "JSON request spec" (COS): `signed_headers`, else host,
        // content-type/-length/-md5, x-cos-*, x-ci-* (cos-signing.md §2.5, §7 item 15).
        _ => match spec.get("signed_headers").and_then(|a| a.as_array()) {
            Some(a) => a
                .iter()
                .any(|x| x.as_str().is_some_and(|x| x.eq_ignore_ascii_case(&n))),
            None => {
                matches!(
                    n.as_str(),
                    "host" | "content-type" | "content-length" | "content-md5"
                ) || n.starts_with("x-cos-")
                    || n.starts_with("x-ci-")
            }
        },
    }
}

/// Is query parameter `name` signed (oss-signing.md §2.5/§2.6 for V1; every
/// parameter for V4 §4.3 and COS §2.4)?
fn query_signed(scheme: SchemeId, name: &str) -> bool {
    match scheme {
        SchemeId::OssV1 | SchemeId::OssV1Url => SubresourceList::Union.contains(name),
        _ => true,
    }
}

fn has_date_header(spec: &Value) -> bool {
    headers_of(spec)
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("date") || k.eq_ignore_ascii_case("x-oss-date"))
}

struct Builder {
    tests: Vec<(String, Vec<String>, Value, bool)>,
}

impl Builder {
    fn add(&mut self, comment: String, flag: &str, spec: Value, same: bool) {
        self.tests
            .push((comment, vec![flag.to_string()], spec, same));
    }
}

fn with(spec: &Value, key: &str, v: Value) -> Value {
    let mut s = spec.clone();
    s[key] = v;
    s
}

fn headers_value(h: &[(String, String)]) -> Value {
    serde_json::to_value(h).expect("headers serialise")
}

fn query_value(q: &[(String, Option<String>)]) -> Value {
    serde_json::to_value(q).expect("query serialises")
}

/// The mutations of one base spec: (comment, flags, spec, signature stays).
fn mutate(scheme: SchemeId, base: &Value) -> Vec<(String, Vec<String>, Value, bool)> {
    let mut b = Builder { tests: Vec::new() };
    let headers = headers_of(base);
    let query = query_of(base);
    let dup = |names: Vec<String>| {
        names
            .iter()
            .enumerate()
            .any(|(i, n)| names[..i].contains(n))
    };
    let hnames: Vec<String> = headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    let qnames: Vec<String> = query.iter().map(|(k, _)| k.clone()).collect();

    // ---- invariance
    if headers.len() >= 2 && !dup(hnames.clone()) {
        let mut h = headers.clone();
        h.reverse();
        b.add(
            "headers in reverse order".into(),
            "HeaderOrder",
            with(base, "headers", headers_value(&h)),
            true,
        );
    }
    if !headers.is_empty() {
        for (label, f) in [
            ("upper", str::to_ascii_uppercase as fn(&str) -> String),
            ("lower", str::to_ascii_lowercase),
        ] {
            let h: Vec<_> = headers.iter().map(|(k, v)| (f(k), v.clone())).collect();
            if h != headers {
                b.add(
                    format!("every header name in {label} case"),
                    "HeaderNameCase",
                    with(base, "headers", headers_value(&h)),
                    true,
                );
            }
        }
        // Host stays as is: sigdiff resolves the bucket from it before any trimming.
        let h: Vec<_> = headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("host") {
                    (k.clone(), v.clone())
                } else {
                    (k.clone(), format!("  {v}\t "))
                }
            })
            .collect();
        if h != headers {
            b.add(
                "spaces and a tab around every header value but Host".into(),
                "HeaderWhitespace",
                with(base, "headers", headers_value(&h)),
                true,
            );
        }
    }
    if query.len() >= 2 && !dup(qnames.clone()) {
        let mut q = query.clone();
        q.reverse();
        b.add(
            "query parameters in reverse order".into(),
            "QueryOrder",
            with(base, "query", query_value(&q)),
            true,
        );
    }
    for (i, (k, v)) in query.iter().enumerate() {
        let other = match v.as_deref() {
            None => Some(String::new()),
            Some("") => None,
            Some(_) => continue,
        };
        let mut q = query.clone();
        q[i].1 = other.clone();
        let form = if other.is_some() {
            format!("`{k}=`")
        } else {
            format!("bare `{k}`")
        };
        b.add(
            format!("query parameter `{k}` written as {form}"),
            "EmptyValueForm",
            with(base, "query", query_value(&q)),
            true,
        );
    }
    {
        let mut h = headers.clone();
        h.push(("User-Agent".into(), "sigdiff-mutation/1.0".into()));
        b.add(
            "an unsigned User-Agent header added".into(),
            "UnsignedHeader",
            with(base, "headers", headers_value(&h)),
            true,
        );
    }
    if matches!(scheme, SchemeId::OssV1 | SchemeId::OssV1Url) {
        let mut q = query.clone();
        q.push(("sigdiff-unsigned".into(), Some("1".into())));
        b.add(
            "a non-sub-resource query parameter added".into(),
            "UnsignedQuery",
            with(base, "query", query_value(&q)),
            true,
        );
    }
    {
        let mut s = base.clone();
        let ak = s["credentials"]["access_key_id"]
            .as_str()
            .unwrap_or("")
            .to_string();
        s["credentials"]["access_key_id"] = json!(format!("{ak}X"));
        b.add(
            "AccessKeyId changed".into(),
            "AccessKeyIdOutsideSignature",
            s,
            scheme != SchemeId::OssV4Url,
        );
    }
    if matches!(scheme, SchemeId::OssV1 | SchemeId::OssV4) {
        let e = base.get("expires").and_then(Value::as_i64).unwrap_or(3600);
        b.add(
            "expires changed by one second".into(),
            "ExpiresUnusedInHeaderForm",
            with(base, "expires", json!(e + 1)),
            true,
        );
    }

    // ---- sensitivity
    let key = base
        .get("key")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let n = key.chars().count();
    for p in positions(n) {
        b.add(
            format!("object key character {p} changed"),
            "KeyByte",
            with(base, "key", json!(change_char(&key, p))),
            false,
        );
    }
    // COS signs the bucket only through the Host header it derives; a spec that
    // gives its own Host keeps that one (cos-signing.md §2.7), so skip it there.
    let given_host = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    let cos = matches!(scheme, SchemeId::Cos | SchemeId::CosUrl);
    if let Some(bucket) = base
        .get("bucket")
        .and_then(Value::as_str)
        .filter(|_| !(cos && given_host))
    {
        let host_signed = !matches!(scheme, SchemeId::Cos | SchemeId::CosUrl)
            || header_signed(scheme, base, "host");
        b.add(
            "bucket name character 0 changed".into(),
            if host_signed {
                "BucketByte"
            } else {
                "UnsignedBucket"
            },
            with(base, "bucket", json!(change_char(bucket, 0))),
            !host_signed,
        );
    }
    {
        let m = base.get("method").and_then(Value::as_str).unwrap_or("GET");
        let other = if m == "GET" { "PUT" } else { "GET" };
        b.add(
            format!("method {m} → {other}"),
            "Method",
            with(base, "method", json!(other)),
            false,
        );
    }
    for (i, (k, v)) in headers.iter().enumerate() {
        let lk = k.to_ascii_lowercase();
        // Dates get their own mutation below; Host names the bucket (covered above).
        if !header_signed(scheme, base, k) || matches!(lk.as_str(), "date" | "x-oss-date" | "host")
        {
            continue;
        }
        let chars = v.trim().chars().count();
        let lead = v.chars().count() - v.trim_start().chars().count();
        let ps = if chars == 0 { vec![] } else { positions(chars) };
        for p in ps {
            let mut h = headers.clone();
            h[i].1 = change_char(v, p + lead);
            b.add(
                format!("signed header `{k}` value character {p} changed"),
                "SignedHeaderByte",
                with(base, "headers", headers_value(&h)),
                false,
            );
        }
        if chars == 0 {
            let mut h = headers.clone();
            h[i].1 = "x".into();
            b.add(
                format!("empty signed header `{k}` given a value"),
                "SignedHeaderByte",
                with(base, "headers", headers_value(&h)),
                false,
            );
        }
    }
    for (i, (k, v)) in headers.iter().enumerate() {
        // A date header: one second later (a valid date, so only the time moves).
        let lk = k.to_ascii_lowercase();
        if (lk == "date" || lk == "x-oss-date") && header_signed(scheme, base, k) {
            if let Some(pos) = v.rfind(|c: char| c.is_ascii_digit()) {
                let mut s = v.clone();
                let d = s.as_bytes()[pos] - b'0';
                s.replace_range(pos..pos + 1, &((d + 1) % 10).to_string());
                let mut h = headers.clone();
                h[i].1 = s;
                b.add(
                    format!("signed `{k}` header's last digit changed"),
                    "Time",
                    with(base, "headers", headers_value(&h)),
                    false,
                );
            }
        }
    }
    {
        let mut h = headers.clone();
        let name = match scheme.provider() {
            crate::address::Provider::Oss => "x-oss-meta-sigdiff-mutation",
            crate::address::Provider::Cos => "x-cos-meta-sigdiff-mutation",
        };
        h.push((name.into(), "1".into()));
        let signed = header_signed(scheme, base, name);
        b.add(
            format!("header `{name}` added"),
            if signed {
                "SignedHeaderAdded"
            } else {
                "UnsignedHeader"
            },
            with(base, "headers", headers_value(&h)),
            !signed,
        );
    }
    for (i, (k, v)) in query.iter().enumerate() {
        if !query_signed(scheme, k) || dup(qnames.clone()) {
            continue;
        }
        match v.as_deref() {
            Some(v) if !v.is_empty() => {
                for p in positions(v.chars().count()) {
                    let mut q = query.clone();
                    q[i].1 = Some(change_char(v, p));
                    b.add(
                        format!("signed query parameter `{k}` value character {p} changed"),
                        "SignedQueryByte",
                        with(base, "query", query_value(&q)),
                        false,
                    );
                }
            }
            _ => {
                let mut q = query.clone();
                q[i].1 = Some("x".into());
                b.add(
                    format!("signed query parameter `{k}` given the value `x`"),
                    "SignedQueryByte",
                    with(base, "query", query_value(&q)),
                    false,
                );
            }
        }
    }
    {
        let (name, val) = match scheme {
            SchemeId::OssV1 | SchemeId::OssV1Url if !qnames.iter().any(|n| n == "acl") => {
                ("acl", None)
            }
            SchemeId::OssV1 | SchemeId::OssV1Url => ("tagging", None),
            _ => ("x-sigdiff-mutation", Some("1".to_string())),
        };
        let mut q = query.clone();
        q.push((name.into(), val));
        b.add(
            format!("signed query parameter `{name}` added"),
            "SignedQueryAdded",
            with(base, "query", query_value(&q)),
            false,
        );
    }
    let fixed_time = match scheme {
        SchemeId::OssV1 | SchemeId::OssV4 | SchemeId::OssV4Url => has_date_header(base),
        SchemeId::Cos | SchemeId::CosUrl => base.get("key_time").is_some(),
        _ => false,
    };
    if !fixed_time {
        if let Some(t) = base.get("time").and_then(Value::as_i64) {
            b.add(
                "signing time one second later".into(),
                "Time",
                with(base, "time", json!(t + 1)),
                false,
            );
        }
    }
    let expiry_signed = match scheme {
        SchemeId::OssV1Url | SchemeId::OssV4Url => true,
        SchemeId::Cos | SchemeId::CosUrl => base.get("key_time").is_none(),
        _ => false,
    };
    if expiry_signed {
        let e = base.get("expires").and_then(Value::as_i64).unwrap_or(3600);
        b.add(
            "expires one second longer".into(),
            "Expires",
            with(base, "expires", json!(e + 1)),
            false,
        );
    }
    {
        let mut s = base.clone();
        let sk = s["credentials"]["access_key_secret"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let n = sk.chars().count();
        s["credentials"]["access_key_secret"] = json!(change_char(&sk, n.saturating_sub(1)));
        b.add("secret's last character changed".into(), "Secret", s, false);
    }
    {
        let mut s = base.clone();
        let tok = s["credentials"]["security_token"]
            .as_str()
            .map(str::to_string);
        let (comment, t) = match tok {
            Some(t) if !t.is_empty() => (
                "security token's first character changed",
                change_char(&t, 0),
            ),
            _ => (
                "a security token added",
                "CAIS+mutation/token==".to_string(),
            ),
        };
        s["credentials"]["security_token"] = json!(t);
        b.add(comment.into(), "SecurityToken", s, false);
    }
    if matches!(scheme, SchemeId::OssV4 | SchemeId::OssV4Url) {
        let region = base
            .get("region")
            .and_then(Value::as_str)
            .unwrap_or("cn-hangzhou");
        let other = if region == "cn-shanghai" {
            "cn-beijing"
        } else {
            "cn-shanghai"
        };
        b.add(
            format!("region {region} → {other}"),
            "Region",
            with(base, "region", json!(other)),
            false,
        );
        let product = base.get("product").and_then(Value::as_str).unwrap_or("oss");
        let other = if product == "oss" {
            "oss-cloudbox"
        } else {
            "oss"
        };
        b.add(
            format!("product {product} → {other}"),
            "Product",
            with(base, "product", json!(other)),
            false,
        );
        if let Some((k, _)) = headers
            .iter()
            .find(|(k, _)| !header_signed(scheme, base, k))
        {
            let mut a: Vec<String> = serde_json::from_value(
                base.get("additional_headers").cloned().unwrap_or(json!([])),
            )
            .unwrap_or_default();
            a.push(k.to_ascii_lowercase());
            b.add(
                format!("unsigned header `{k}` named in AdditionalHeaders"),
                "AdditionalHeader",
                with(base, "additional_headers", json!(a)),
                false,
            );
        }
    }
    b.tests
}

fn signature_of(spec: &Value) -> Result<String> {
    let s: RequestSpec = serde_json::from_value(spec.clone())
        .map_err(|e| InputError::new("bad-spec", format!("not a JSON request spec: {e}")))?;
    Ok(super::sign_case(&s)?.signature)
}

/// Build the mutation file of `scheme` from base specs `(case name, spec)`.
/// Fails when sigdiff contradicts a test (a signer bug or a wrong rule here).
pub fn build_file(scheme: SchemeId, bases: &[(String, Value)]) -> Result<MutationFile> {
    let mut groups = Vec::new();
    let mut flags = std::collections::BTreeSet::new();
    let mut id = 0;
    for (case, base) in bases {
        let base_sig = signature_of(base).map_err(|e| e.at(format!("mutation base `{case}`")))?;
        let mut tests = Vec::new();
        for (comment, fl, spec, same) in mutate(scheme, base) {
            id += 1;
            let sig = signature_of(&spec)
                .map_err(|e| e.at(format!("mutation `{comment}` of `{case}`")))?;
            if (sig == base_sig) != same {
                return Err(InputError::new(
                    "mutation-contradicted",
                    format!(
                        "{scheme} `{case}`: {comment}: the signature {} but the rule says it must {}",
                        if sig == base_sig { "stays" } else { "changes" },
                        if same { "stay" } else { "change" }
                    ),
                ));
            }
            flags.extend(fl.iter().cloned());
            tests.push(Test {
                tc_id: id,
                comment,
                flags: fl,
                spec,
                result: if same { "valid" } else { "invalid" }.to_string(),
            });
        }
        groups.push(TestGroup {
            kind: "SignatureMutation".into(),
            base_case: format!("{scheme}/{case}"),
            base: base.clone(),
            base_signature: base_sig,
            tests,
        });
    }
    Ok(MutationFile {
        algorithm: scheme.to_string(),
        schema: SCHEMA.into(),
        generator_version: format!("sigdiff {} (vectors build)", env!("CARGO_PKG_VERSION")),
        number_of_tests: id,
        header: vec![
            "Signature mutation tests. Sign `base`, then each test's `spec`:".into(),
            "`valid` = the signature must equal baseSignature (invariance);".into(),
            "`invalid` = it must differ (sensitivity). See vectors/README.md.".into(),
        ],
        notes: flags
            .into_iter()
            .map(|f| {
                let n = note(&f);
                (f, n)
            })
            .collect(),
        test_groups: groups,
    })
}

/// One failing mutation test.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Test id.
    #[serde(rename = "tcId")]
    pub tc_id: usize,
    /// The test's comment.
    pub comment: String,
    /// What went wrong.
    pub problem: String,
}

/// The result of running one mutation file.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    /// The file.
    pub file: String,
    /// Scheme.
    pub algorithm: String,
    /// Tests run.
    pub tests: usize,
    /// Failures.
    pub failures: Vec<Failure>,
}

/// Run every test of a mutation file against the library.
pub fn run_file(path: &Path) -> Result<FileResult> {
    let text = super::read_text(path)?;
    let loc = || format!("`{}`", path.display());
    let f: MutationFile = serde_json::from_str(&text).map_err(|e| {
        InputError::new("bad-mutations", format!("not a mutation file: {e}")).at(loc())
    })?;
    if f.schema != SCHEMA {
        return Err(InputError::new(
            "bad-mutations",
            format!("schema `{}`, expected `{SCHEMA}`", f.schema),
        )
        .at(loc()));
    }
    let mut out = FileResult {
        file: path.display().to_string(),
        algorithm: f.algorithm.clone(),
        tests: 0,
        failures: Vec::new(),
    };
    for g in &f.test_groups {
        let base =
            signature_of(&g.base).map_err(|e| e.at(format!("{} base `{}`", loc(), g.base_case)))?;
        if base != g.base_signature {
            out.failures.push(Failure {
                tc_id: 0,
                comment: format!("base `{}`", g.base_case),
                problem: format!("base signature {base}, file says {}", g.base_signature),
            });
        }
        for t in &g.tests {
            out.tests += 1;
            let same = match t.result.as_str() {
                "valid" => true,
                "invalid" => false,
                r => {
                    return Err(InputError::new(
                        "bad-mutations",
                        format!("tcId {}: result `{r}` (valid or invalid)", t.tc_id),
                    )
                    .at(loc()))
                }
            };
            let sig = match signature_of(&t.spec) {
                Ok(s) => s,
                Err(e) => {
                    out.failures.push(Failure {
                        tc_id: t.tc_id,
                        comment: t.comment.clone(),
                        problem: format!("cannot sign: {e}"),
                    });
                    continue;
                }
            };
            if (sig == g.base_signature) != same {
                out.failures.push(Failure {
                    tc_id: t.tc_id,
                    comment: t.comment.clone(),
                    problem: if same {
                        format!(
                            "the signature changed ({sig}, base {}): must be invariant",
                            g.base_signature
                        )
                    } else {
                        "the signature did not change: must be sensitive".to_string()
                    },
                });
            }
        }
    }
    if out.tests != f.number_of_tests {
        out.failures.push(Failure {
            tc_id: 0,
            comment: "numberOfTests".into(),
            problem: format!("file says {}, has {}", f.number_of_tests, out.tests),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_changes() {
        assert_eq!(change_char("abc", 1), "axc");
        assert_eq!(change_char("x中", 0), "y中");
        assert_eq!(change_char("x中", 1), "xx");
        assert_eq!(positions(1), [0]);
        assert_eq!(positions(5), [0, 2, 4]);
        assert!(positions(0).is_empty());
    }

    #[test]
    fn signed_header_rules() {
        let s = json!({"headers": [["x-oss-date", "d"]]});
        assert!(!header_signed(SchemeId::OssV1, &s, "Date"));
        assert!(header_signed(SchemeId::OssV1, &json!({}), "Date"));
        assert!(!header_signed(SchemeId::OssV1Url, &json!({}), "Date"));
        assert!(header_signed(
            SchemeId::OssV4,
            &json!({"additional_headers": ["Range"]}),
            "range"
        ));
        assert!(!header_signed(
            SchemeId::Cos,
            &json!({"signed_headers": ["host"]}),
            "x-cos-acl"
        ));
        assert!(header_signed(SchemeId::Cos, &json!({}), "X-COS-ACL"));
        assert!(!query_signed(SchemeId::OssV1, "prefix"));
        assert!(query_signed(SchemeId::OssV1, "acl"));
    }
}
