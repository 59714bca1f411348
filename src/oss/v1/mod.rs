//! OSS V1: HMAC-SHA1 over the StringToSign, in the `Authorization` header or as a
//! presigned URL (oss-signing.md §2, §3).
//!
//! Files: [`string_to_sign`](mod@string_to_sign) (assembly and parse-back), [`canonical_headers`]
//! (CanonicalizedOSSHeaders), [`canonical_resource`] (CanonicalizedResource),
//! [`subresources`] (the sub-resource lists), [`authorization`] (wire formats),
//! [`check`] (the part of `verify::check` that is V1's).

pub mod authorization;
pub mod canonical_headers;
pub mod canonical_resource;
pub mod check;
mod lean;
pub mod string_to_sign;
pub mod subresources;

use crate::address::{Address, Provider};
use crate::canonical::{Canonical, Stage};
use crate::encode::{self, PlusMeans, QueryParam};
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::request::Request;
use crate::scheme::{Prepared, SchemeId, Signed, SigningInput};
use crate::secret::Secret;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;

pub use canonical_headers::{Duplicates, HeaderValues};
pub use canonical_resource::EmptyValues;
pub use subresources::SubresourceList;

/// Which header supplies the Date line (oss-signing.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// `x-oss-date` when present, else `Date` (server; PY1, PY2, JV2, JS).
    #[default]
    XOssDateFirst,
    /// Always `Date` (GO1, JV1).
    DateOnly,
}

/// Every V1 behaviour where SDKs and the server may differ. `Default` is the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct V1Options {
    /// Which sub-resource list (§2.6).
    pub subresources: SubresourceList,
    /// Trim header values or not (§2.4).
    pub header_values: HeaderValues,
    /// Repeated headers (§2.4).
    pub duplicates: Duplicates,
    /// `acl=` written bare or kept (§2.5).
    pub empty_values: EmptyValues,
    /// `x-oss-date` precedence (§2.3).
    pub date_source: DateSource,
    /// What a literal `+` in the query means (§10 item 2: evidently a space).
    pub plus_in_query: PlusMeans,
}

impl Default for V1Options {
    fn default() -> Self {
        V1Options {
            subresources: SubresourceList::Union,
            header_values: HeaderValues::Trim,
            duplicates: Duplicates::Join,
            empty_values: EmptyValues::Bare,
            date_source: DateSource::XOssDateFirst,
            plus_in_query: PlusMeans::Space,
        }
    }
}

/// Header or URL signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Authorization` header; Date line from `x-oss-date`/`Date`.
    Header,
    /// Presigned URL; Date line is `Expires`.
    Url,
}

/// Names of the URL auth parameters, never sub-resources (§3).
pub const URL_AUTH_PARAMS: [&str; 3] = ["OSSAccessKeyId", "Expires", "Signature"];

/// A secret's keyed HMAC-SHA1 state (inner and outer pads absorbed).
struct KeyedMac {
    secret: Secret,
    mac: Hmac<Sha1>,
}

/// Secrets per thread whose keyed state is kept; a run signs with one or two.
const KEYED_MACS: usize = 4;

thread_local! {
    static KEYED: std::cell::RefCell<crate::secret::KeyCache<KeyedMac, KEYED_MACS>> =
        const { std::cell::RefCell::new(crate::secret::KeyCache::new()) };
}

/// `Base64(HMAC-SHA1(secret, string_to_sign))` (oss-signing.md §1.1).
///
/// The keyed HMAC state of the last few secrets is kept per thread (found by a
/// constant-time comparison of the secret), so a signature costs the hash of
/// the StringToSign alone; the result is the same as computing it afresh.
pub fn sign_string(secret: &Secret, string_to_sign: &str) -> String {
    let digest = KEYED.with(|k| {
        let mut k = k.borrow_mut();
        let e = k.get_or_insert(
            |e| same_secret(e.secret.expose().as_bytes(), secret.expose().as_bytes()),
            || KeyedMac {
                secret: secret.clone(),
                mac: Hmac::<Sha1>::new_from_slice(secret.expose().as_bytes())
                    .expect("HMAC takes any key length"),
            },
        );
        let mut mac = e.mac.clone();
        mac.update(string_to_sign.as_bytes());
        mac.finalize().into_bytes()
    });
    // 20 bytes are 28 Base64 characters: encoded on the stack, copied once.
    let mut b64 = [0u8; 28];
    let n = base64::engine::general_purpose::STANDARD
        .encode_slice(digest, &mut b64)
        .expect("28 bytes hold a SHA-1 digest in Base64");
    std::str::from_utf8(&b64[..n])
        .expect("Base64 is ASCII")
        .to_owned()
}

/// Whether two secrets are equal, in constant time for equal lengths.
use crate::secret::ct_eq_bytes as same_secret;

/// The Date line value for the header form, and the header it came from.
pub fn date_line<'a>(req: &'a Request, opts: &V1Options) -> (Option<&'static str>, &'a str) {
    if opts.date_source == DateSource::XOssDateFirst {
        if let Some(v) = req.header("x-oss-date") {
            return (Some("x-oss-date"), v.trim());
        }
    }
    match req.header("date") {
        Some(v) => (Some("date"), v.trim()),
        None => (None, ""),
    }
}

/// Build the StringToSign for a request (oss-signing.md §2.2; §3 for the URL form).
/// Also returns the parsed query (borrowed from the request).
pub fn string_to_sign<'a>(
    req: &'a Request,
    addr: &Address,
    form: Form,
    opts: &V1Options,
) -> Result<(Canonical, Vec<QueryParam<'a>>)> {
    string_to_sign_at(req, addr.bucket.as_deref(), &addr.key, form, opts)
}

/// [`string_to_sign()`] for a bucket and decoded key given directly.
pub fn string_to_sign_at<'a>(
    req: &'a Request,
    bucket: Option<&str>,
    key: &str,
    form: Form,
    opts: &V1Options,
) -> Result<(Canonical, Vec<QueryParam<'a>>)> {
    let query = req.query(opts.plus_in_query)?;
    // Header values as the server sees them: trimmed of optional whitespace (§2.4).
    let hv = |name: &str| -> &'a str {
        match req.header(name) {
            Some(v) if opts.header_values == HeaderValues::Trim => crate::encode::trim_ows(v),
            Some(v) => v,
            None => "",
        }
    };
    let (time_field, time_value) = match form {
        Form::Header => ("date", date_line(req, opts).1),
        Form::Url => (
            "expires",
            query
                .iter()
                .find(|p| p.name == "Expires")
                .and_then(|p| p.value.as_deref())
                .unwrap_or(""),
        ),
    };
    let oss_headers =
        canonical_headers::canonical_oss_headers(&req.headers, opts.header_values, opts.duplicates);
    let resource = canonical_resource::resource_path(bucket, key);
    let subs = canonical_resource::subresources(&query, opts.subresources, opts.empty_values);
    let c = string_to_sign::build(&string_to_sign::Parts {
        verb: &req.method,
        content_md5: hv("content-md5"),
        content_type: hv("content-type"),
        time_field,
        time_value,
        oss_headers: &oss_headers,
        resource: &resource,
        subresources: &subs,
    });
    drop(subs);
    Ok((c, query))
}

/// The StringToSign and the credentials a signed request carries, without the
/// time and lint checks of [`prepare`]: the lean path of [`crate::verify::check`].
/// Returns `(string to sign, AccessKeyId, provided signature)`.
pub fn canonicalise(
    req: &Request,
    bucket: Option<&str>,
    key: &str,
    form: Form,
    opts: &V1Options,
) -> Result<(Canonical, String, String)> {
    let sized = |bytes, fields, names| {
        let mut c = Canonical::with_capacity(bytes, fields);
        c.reserve_names(names);
        c
    };
    match canonicalise_lean(req, bucket, key, form, opts, sized) {
        Some(r) => r,
        None => canonicalise_general(req, bucket, key, form, opts),
    }
}

/// The lean attempt of [`canonicalise`] and [`canonicalise_text`]: the
/// StringToSign into the sink `make` sizes (text bytes, fields, name bytes),
/// and the credentials; `None` when the request needs the general path.
fn canonicalise_lean<S: lean::Sink>(
    req: &Request,
    bucket: Option<&str>,
    key: &str,
    form: Form,
    opts: &V1Options,
    make: impl FnOnce(usize, usize, usize) -> S,
) -> Option<Result<(S, String, String)>> {
    // The URL form (Expires from the query, §3) is the general path's.
    let scan = (form == Form::Header).then(|| lean::Headers::scan(&req.headers));
    let hs = scan.flatten()?;
    let (bytes, names) = lean::capacity(req, &hs, bucket, lean::Key::Decoded(key));
    let mut out = make(bytes, 8 + hs.oss_count(), names);
    lean::assemble(
        req,
        &hs,
        bucket,
        lean::Key::Decoded(key),
        form,
        opts,
        &mut out,
    )?;
    Some(lean_credentials(req, &hs).map(|(ak, sig)| (out, ak, sig)))
}

/// [`canonicalise`] with the StringToSign as bare text (no field table): what
/// [`crate::verify::check`] signs. The same bytes and credentials, the same errors.
pub fn canonicalise_text(
    req: &Request,
    bucket: Option<&str>,
    key: &str,
    form: Form,
    opts: &V1Options,
) -> Result<(String, String, String)> {
    if let Some(r) = canonicalise_lean(req, bucket, key, form, opts, |bytes, _, _| {
        String::with_capacity(bytes)
    }) {
        return r;
    }
    let (c, ak, sig) = canonicalise_general(req, bucket, key, form, opts)?;
    Ok((c.into_string(), ak, sig))
}

/// The header form's `OSS ak:sig` (§2.1), from the first `Authorization` header.
fn lean_credentials(req: &Request, hs: &lean::Headers) -> Result<(String, String)> {
    let v = hs.authorization.map_or("", |i| req.headers[i].1.as_str());
    let a = authorization::parse_header(v)?;
    Ok((a.access_key_id, a.signature))
}

/// [`canonicalise`] through [`string_to_sign_at`] (the general path).
fn canonicalise_general(
    req: &Request,
    bucket: Option<&str>,
    key: &str,
    form: Form,
    opts: &V1Options,
) -> Result<(Canonical, String, String)> {
    let (canonical, query) = string_to_sign_at(req, bucket, key, form, opts)?;
    // Credentials: `OSS ak:sig` (§2.1) or the URL parameters (§3).
    let (ak, sig) = match form {
        Form::Header => {
            let a = authorization::parse_header(req.header("authorization").unwrap_or(""))?;
            (a.access_key_id, a.signature)
        }
        Form::Url => {
            let u = authorization::parse_url(&query)?;
            (u.access_key_id, u.signature)
        }
    };
    Ok((canonical, ak, sig))
}

/// Canonicalise a signed request for verification: parse its credentials, build
/// the StringToSign, and run the time and lint checks against `now`.
pub fn prepare(
    req: &Request,
    addr: Address,
    form: Form,
    opts: &V1Options,
    now: i64,
) -> Result<Prepared> {
    let (canonical, query) = string_to_sign(req, &addr, form, opts)?;
    let mut findings = Vec::new();
    let (scheme, ak, sig) = match form {
        Form::Header => {
            let a = authorization::parse_header(req.header("authorization").unwrap_or(""))?;
            if authorization::has_url_auth(&query) {
                findings.push(Finding::new(
                    "SIG031",
                    None,
                    "The request carries a signature in the URL and in the Authorization header; OSS answers 400 InvalidArgument.",
                    "请求同时在 URL 和 Authorization 头中携带签名，OSS 会返回 400 InvalidArgument。",
                ));
            }
            check_date(req, opts, now, &mut findings);
            (SchemeId::OssV1, a.access_key_id, a.signature)
        }
        Form::Url => {
            let u = authorization::parse_url(&query)?;
            for name in &u.repeated {
                findings.push(Finding::new(
                    "SIG032",
                    Some(&format!("query:{name}")),
                    format!(
                        "`{name}` appears more than once in the URL; OSS uses the first value."
                    ),
                    format!("URL 中 `{name}` 出现多次，OSS 使用第一个值。"),
                ));
            }
            if u.signature_raw.contains('+') {
                findings.push(Finding::new(
                    "SIG033",
                    Some("query:Signature"),
                    "The Signature parameter has a literal '+', which the server reads as a space: percent-encode the Base64 signature (+ as %2B, / as %2F, = as %3D).",
                    "Signature 参数含有未编码的 '+'，服务端会将其读作空格：请对 Base64 签名做 URL 编码（+ 为 %2B，/ 为 %2F，= 为 %3D）。",
                ));
            }
            check_expires(&u.expires, now, &mut findings);
            (SchemeId::OssV1Url, u.access_key_id, u.signature)
        }
    };
    check_access_key_id(&ak, &mut findings);
    lint(req, &query, opts, &mut findings);
    Ok(Prepared {
        scheme,
        address: addr,
        access_key_id: ak,
        provided_signature: sig,
        stages: vec![(Stage::StringToSign, canonical)],
        findings,
        input: SigningInput::OssV1,
        key_hint: None,
    })
}

/// Date checks for the header form (oss-signing.md §2.3, §10 item 14).
fn check_date(req: &Request, opts: &V1Options, now: i64, out: &mut Vec<Finding>) {
    let (src, value) = date_line(req, opts);
    let Some(src) = src else {
        out.push(Finding::new(
            "SIG014",
            Some("date"),
            "Neither Date nor x-oss-date is present; OSS answers 403 AccessDenied (EC 0002-00000503).",
            "请求中既没有 Date 也没有 x-oss-date，OSS 会返回 403 AccessDenied（EC 0002-00000503）。",
        ));
        return;
    };
    if src == "x-oss-date" {
        if let Some(d) = req.header("date") {
            if d.trim() != value {
                out.push(Finding::new(
                    "SIG015",
                    Some("date"),
                    format!("x-oss-date (`{value}`) is signed in the Date line, not Date (`{}`); GO1 and the Java SDK v1 sign Date instead.", d.trim()),
                    format!("Date 行签的是 x-oss-date（`{value}`）而不是 Date（`{}`）；Go SDK v1 与 Java SDK v1 会签 Date。", d.trim()),
                ));
            }
        }
    }
    match crate::time::parse_http_date(value) {
        None => {
            let iso = crate::time::parse_iso_basic(value).is_some();
            let mut f = Finding::new(
                "SIG012",
                Some("date"),
                format!(
                    "{src} `{}` is not an RFC 1123 GMT date like `Sun, 03 Dec 2023 12:12:12 GMT` (two-digit day, `GMT`){}.",
                    crate::canonical::escape_visible(value),
                    if iso { "; an ISO 8601 x-oss-date under V1 is undocumented (spec Q3)" } else { "" }
                ),
                format!("{src} `{}` 不是 RFC 1123 GMT 格式（例如 `Sun, 03 Dec 2023 12:12:12 GMT`）。", crate::canonical::escape_visible(value)),
            );
            if iso {
                f = f.with_severity(Severity::Warning);
            }
            out.push(f);
        }
        Some(t) => check_skew(t, now, src, out),
    }
}

fn check_skew(t: i64, now: i64, src: &str, out: &mut Vec<Finding>) {
    let skew = t - now;
    if skew.abs() > 15 * 60 {
        let dir = if skew > 0 { "ahead of" } else { "behind" };
        let dir_zh = if skew > 0 { "快于" } else { "慢于" };
        out.push(Finding::new(
            "SIG013",
            Some("date"),
            format!("{src} is {} {dir} the reference time {}; OSS allows 15 minutes (403 RequestTimeTooSkewed).", human_duration(skew.abs()), crate::time::rfc3339(now)),
            format!("{src} {dir_zh}参考时间 {} 达 {}；OSS 允许的偏差为 15 分钟（403 RequestTimeTooSkewed）。", crate::time::rfc3339(now), human_duration(skew.abs())),
        ));
    }
}

/// Expires checks for the URL form (oss-signing.md §3).
fn check_expires(expires: &str, now: i64, out: &mut Vec<Finding>) {
    let Ok(n) = expires.trim().parse::<i64>() else {
        out.push(Finding::new(
            "SIG011",
            Some("expires"),
            format!(
                "Expires `{}` is not a unix time in seconds.",
                crate::canonical::escape_visible(expires)
            ),
            format!(
                "Expires `{}` 不是秒级 Unix 时间戳。",
                crate::canonical::escape_visible(expires)
            ),
        ));
        return;
    };
    if expires.trim().len() >= 13 {
        out.push(Finding::new(
            "SIG011",
            Some("expires"),
            format!("Expires `{n}` has {} digits: it looks like milliseconds ({}); OSS wants unix seconds.", expires.trim().len(), crate::time::rfc3339(n / 1000)),
            format!("Expires `{n}` 有 {} 位，看起来是毫秒（{}）；OSS 需要秒级 Unix 时间戳。", expires.trim().len(), crate::time::rfc3339(n / 1000)),
        ));
        return;
    }
    if n < now {
        out.push(Finding::new(
            "SIG010",
            Some("expires"),
            format!("The URL expired at {} ({} before the reference time); OSS answers 403 AccessDenied \"Request has expired.\" before checking the signature.", crate::time::rfc3339(n), human_duration(now - n)),
            format!("URL 已于 {} 过期（早于参考时间 {}）；OSS 在校验签名前即返回 403 AccessDenied \"Request has expired.\"。", crate::time::rfc3339(n), human_duration(now - n)),
        ));
    }
}

/// `1h 2m 3s`.
pub fn human_duration(secs: i64) -> String {
    let (d, h, m, s) = (
        secs / 86400,
        secs % 86400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let mut out = String::new();
    for (v, u) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if v > 0 || (u == "s" && out.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("{v}{u}"));
        }
    }
    out
}

/// AccessKeyId characters: `[0-9a-zA-Z._=]` (seeds 000/001 InvalidAccessKeyId).
fn check_access_key_id(ak: &str, out: &mut Vec<Finding>) {
    if let Some(c) = ak
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '=')))
    {
        out.push(Finding::new(
            "SIG030",
            Some("access-key-id"),
            format!("The AccessKeyId contains `{}`; OSS accepts only [0-9a-zA-Z] and `._=` (InvalidAccessKeyId). A copy-paste space or line break?", crate::canonical::escape_visible(&c.to_string())),
            format!("AccessKeyId 含有 `{}`；OSS 只接受 [0-9a-zA-Z] 与 `._=`（InvalidAccessKeyId）。是否复制时带入了空格或换行？", crate::canonical::escape_visible(&c.to_string())),
        ));
    }
}

/// Things the server or a proxy will normalise, or that signers disagree on.
fn lint(req: &Request, query: &[QueryParam], opts: &V1Options, out: &mut Vec<Finding>) {
    for (idx, (n, v)) in req.headers.iter().enumerate() {
        let signed = canonical_headers::is_oss_header(n)
            || n.eq_ignore_ascii_case("content-type")
            || n.eq_ignore_ascii_case("content-md5");
        if !signed {
            continue;
        }
        let edge = crate::encode::trim_ows(v) != v;
        // Byte scan (a substring search sets up a searcher per call; this runs per header).
        let runs =
            v.as_bytes().windows(2).any(|w| w == b"  " || w[0] == b'\t') || v.ends_with('\t');
        // Report a repeated header once, at its second occurrence.
        let dup = req.headers[..idx]
            .iter()
            .filter(|(m, _)| m.eq_ignore_ascii_case(n))
            .count()
            == 1;
        if !(edge || runs || dup) {
            continue;
        }
        let lower = n.to_ascii_lowercase();
        let field = if lower == "content-type" || lower == "content-md5" {
            lower.clone()
        } else {
            format!("header:{lower}")
        };
        if edge {
            out.push(Finding::new(
                "SIG020",
                Some(&field),
                format!("Header `{n}` has leading or trailing whitespace (`{}`); the server signs the trimmed value, PY1/PY2/JV2/GO1 sign it as is.", crate::canonical::escape_visible(v)),
                format!("头部 `{n}` 的值首尾有空白（`{}`）；服务端按去掉空白后的值签名，PY1/PY2/JV2/GO1 则原样签名。", crate::canonical::escape_visible(v)),
            ));
        }
        if runs {
            out.push(Finding::new(
                "SIG027",
                Some(&field),
                format!("Header `{n}` holds runs of spaces or tabs; an old OSS doc says they are collapsed (spec Q4), and proxies may do so."),
                format!("头部 `{n}` 含有连续空格或制表符；旧版 OSS 文档称会合并（规范 Q4），代理也可能如此处理。"),
            ));
        }
        if dup {
            out.push(Finding::new(
                "SIG021",
                Some(&field),
                format!("Header `{n}` is sent more than once; the server joins the values with `,` (GO2 does too), GO1 signs only the first, ali-oss the last."),
                format!("头部 `{n}` 出现多次；服务端以 `,` 合并（GO2 同），GO1 只签第一个，ali-oss 签最后一个。"),
            ));
        }
    }
    let path = req.raw_path();
    if path.contains('+') {
        out.push(Finding::new(
            "SIG022",
            Some("resource"),
            "The path has a literal '+'. OSS reads it as '+', but HTTP libraries and proxies may turn it into a space: send it as %2B.",
            "路径中有未编码的 '+'。OSS 按 '+' 处理，但 HTTP 库或代理可能将其变成空格：请编码为 %2B。",
        ));
    }
    let mut ignored = Vec::new();
    for p in query {
        if URL_AUTH_PARAMS.contains(&&*p.name) {
            continue;
        }
        let (signed, missing) = subresources::classify(&p.name, opts.subresources);
        if signed {
            if p.raw_value.is_some_and(|v| v.contains('+'))
                && opts.plus_in_query == PlusMeans::Space
            {
                out.push(Finding::new(
                    "SIG023",
                    Some(&format!("query:{}", p.name)),
                    format!("The value of `{}` has a literal '+', read as a space in the signed string; send %2B for a plus.", p.name),
                    format!("`{}` 的值中有未编码的 '+'，签名时被当作空格；若要表示加号请用 %2B。", p.name),
                ));
            }
            if !missing.is_empty() {
                out.push(Finding::new(
                    "SIG025",
                    Some(&format!("query:{}", p.name)),
                    format!("`{}` is signed as a sub-resource here, but these SDK lists leave it out: {}.", p.name, missing.join(", ")),
                    format!("`{}` 在此作为子资源参与签名，但以下 SDK 的列表不包含它：{}。", p.name, missing.join(", ")),
                ));
            }
            if p.value.as_deref() == Some("") && opts.empty_values == EmptyValues::Bare {
                out.push(Finding::new(
                    "SIG026",
                    Some(&format!("query:{}", p.name)),
                    format!(
                        "`{}=` is signed as the bare name `{}` (the Java SDK v1 signs `{}=`).",
                        p.name, p.name, p.name
                    ),
                    format!(
                        "`{}=` 以裸名称 `{}` 参与签名（Java SDK v1 会签 `{}=`）。",
                        p.name, p.name, p.name
                    ),
                ));
            }
        } else {
            ignored.push(p.name.to_string());
        }
    }
    if !ignored.is_empty() {
        out.push(Finding::new(
            "SIG024",
            None,
            format!(
                "Not sub-resources, so not signed under V1: {}.",
                ignored.join(", ")
            ),
            format!("以下参数不是子资源，V1 不签名：{}。", ignored.join(", ")),
        ));
    }
}

/// Sign a request in place (oss-signing.md §2.8 procedure; §3 for URLs).
///
/// Header form: adds `Date` (from `time`) unless `Date` or `x-oss-date` is given,
/// and `x-oss-security-token` for STS; URL form: adds `OSSAccessKeyId`, `Expires`
/// (`time + expires`), `security-token`, then `Signature`, all percent-encoded.
pub fn sign(
    mut req: Request,
    addr: &Address,
    form: Form,
    creds: &crate::secret::Credentials,
    time: i64,
    expires: i64,
    opts: &V1Options,
) -> Result<Signed> {
    debug_assert_eq!(addr.provider, Provider::Oss);
    match form {
        Form::Header => {
            // One header scan answers whether Date / x-oss-date are there; it is
            // redone only when a header is added.
            let mut scan = lean::Headers::scan(&req.headers);
            let has_date = match &scan {
                Some(hs) => hs.date.is_some() || hs.x_oss_date.is_some(),
                None => req.header("date").is_some() || req.header("x-oss-date").is_some(),
            };
            if !has_date {
                req.headers
                    .push(("Date".into(), crate::time::http_date(time)));
                scan = lean::Headers::scan(&req.headers);
            }
            if let Some(tok) = &creds.security_token {
                if req.header("x-oss-security-token").is_none() {
                    req.headers
                        .push(("x-oss-security-token".into(), tok.clone()));
                    scan = lean::Headers::scan(&req.headers);
                }
            }
            let bucket = addr.bucket.as_deref();
            let lean = scan.and_then(|hs| {
                let (bytes, names) =
                    lean::capacity(&req, &hs, bucket, lean::Key::Decoded(&addr.key));
                let mut c = Canonical::with_capacity(bytes, 8 + hs.oss_count());
                c.reserve_names(names);
                lean::assemble(
                    &req,
                    &hs,
                    bucket,
                    lean::Key::Decoded(&addr.key),
                    form,
                    opts,
                    &mut c,
                )
                .map(|()| (c, hs.authorization, hs.authorizations))
            });
            let (c, auth_at, auths) = match lean {
                Some(l) => l,
                None => (string_to_sign(&req, addr, form, opts)?.0, None, 2),
            };
            let sig = sign_string(&creds.secret, c.as_str());
            let value = authorization::format_header(&creds.access_key_id, &sig);
            // `set_header`, with the scan's answer of where Authorization is.
            match (auths, auth_at) {
                (0, _) => req.headers.push(("Authorization".to_string(), value)),
                (1, Some(i)) => req.headers[i].1 = value,
                _ => req.set_header("Authorization", value),
            }
            Ok(Signed {
                signature: sig,
                request: req,
                stages: vec![(Stage::StringToSign, c)],
            })
        }
        Form::Url => {
            // §3: OSSAccessKeyId, Expires (absolute seconds), security-token, appended
            // to the target in place.
            append_query(&mut req.target, "OSSAccessKeyId=");
            encode::encode_into(&mut req.target, &creds.access_key_id);
            req.target.push_str("&Expires=");
            encode::push_decimal(&mut req.target, time.saturating_add(expires));
            if let Some(tok) = &creds.security_token {
                req.target.push_str("&security-token=");
                encode::encode_into(&mut req.target, tok);
            }
            let (c, _) = string_to_sign(&req, addr, form, opts)?;
            let sig = sign_string(&creds.secret, c.as_str());
            req.target.push_str("&Signature=");
            encode::encode_into(&mut req.target, &sig);
            Ok(Signed {
                signature: sig,
                request: req,
                stages: vec![(Stage::StringToSign, c)],
            })
        }
    }
}

/// Append `k=v&...` to a request target's query.
pub fn append_query(target: &mut String, extra: &str) {
    if target.contains('?') {
        if !target.ends_with('?') && !target.ends_with('&') {
            target.push('&');
        }
    } else {
        target.push('?');
    }
    target.push_str(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(3661), "1h 1m 1s");
        assert_eq!(human_duration(86400 * 2 + 60), "2d 1m");
    }

    #[test]
    fn t1_signature() {
        // oss-signing.md §9.1 T1 (Content-MD5 erratum applied).
        let s = "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson";
        assert_eq!(
            sign_string(&Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"), s),
            "26NBxoKdsyly4EDv6inkoDft/yA="
        );
    }
}
