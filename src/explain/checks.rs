//! Request-specific checks for `explain`: what the error body, the response and the
//! request (when given) allow to say for certain. Every finding here is a fact about
//! the input, with the values it was computed from; codes SIG300–SIG349.
//!
//! Three checks always run because they only speak when something is wrong (AccessKeyId
//! characters, bucket/object naming, endpoint shape); the others run when the matched
//! catalogue entry asks for them ([`Check`]).

use super::catalogue::Check;
use crate::address::{classify_host, host_without_port, resolve, Provider};
use crate::canonical::escape_visible;
use crate::encode::truncate;
use crate::finding::{Finding, Severity};
use crate::oss::v1::human_duration;
use crate::request::Request;
use crate::server_error::ServerError;
use crate::time::{parse_http_date, parse_iso_basic, parse_rfc3339, rfc3339};

/// Largest clock difference OSS and COS accept: 15 minutes (seeds/000 RequestTimeTooSkewed
/// "超过OSS服务器当前时间15分钟"; seeds/004 "时间偏差超过15分钟").
pub const MAX_SKEW: i64 = 15 * 60;

/// What the checks look at.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The error.
    pub err: &'a ServerError,
    /// The request, when given.
    pub req: Option<&'a Request>,
    /// Reference time when the server's is not in the input.
    pub now: i64,
    /// The provider, when known.
    pub provider: Option<Provider>,
    /// The error code.
    pub code: Option<&'a str>,
    /// The response's `Date` header, when an HTTP response was given.
    pub response_date: Option<&'a str>,
}

/// Run the checks: the always-on ones, then those `tags` ask for.
pub fn run(ctx: &Ctx, tags: &[Check]) -> Vec<Finding> {
    let mut out = Vec::new();
    access_key_id(ctx, &mut out);
    naming(ctx, &mut out);
    endpoint_shape(ctx, &mut out);
    for t in tags {
        match t {
            Check::Clock => clock(ctx, &mut out),
            Check::Expiry => expiry(ctx, &mut out),
            Check::EndpointRedirect => redirect(ctx, &mut out),
            Check::HostStyle => host_style(ctx, &mut out),
            Check::SignatureFields => signature_fields(ctx, &mut out),
            Check::ServerString => server_string(ctx, &mut out),
            Check::Sts => sts(ctx, &mut out),
            Check::Referer => referer(ctx, &mut out),
            Check::Cors => cors(ctx, &mut out),
            // Always on (above).
            Check::EndpointShape | Check::AccessKeyId | Check::Naming => {}
        }
    }
    out
}

// ------------------------------------------------------------------ helpers

/// Query parameters, names and values percent-decoded (a `+` stays `+`).
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    req.raw_query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (dec(k), dec(v)),
            None => (dec(p), String::new()),
        })
        .collect()
}

fn qget<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A time in any form the servers write: RFC 3339 (`ServerTime`), RFC 1123, ISO basic, unix seconds.
pub fn parse_any_time(s: &str) -> Option<i64> {
    let t = s.trim();
    parse_rfc3339(t)
        .or_else(|| parse_http_date(t))
        .or_else(|| parse_iso_basic(t))
        .or_else(|| {
            t.parse::<i64>()
                .ok()
                .filter(|n| (0..=crate::time::MAX_UNIX).contains(n))
        })
}

/// The server's time and where it came from.
struct ServerClock {
    t: i64,
    en: &'static str,
    zh: &'static str,
}

fn server_time(ctx: &Ctx) -> ServerClock {
    // oss-signing.md §3: the expired-URL body carries <ServerTime>; §8: GO2 reads the response Date.
    if let Some(t) = ctx.err.get("ServerTime").and_then(parse_any_time) {
        return ServerClock {
            t,
            en: "the server's time (<ServerTime>)",
            zh: "服务端时间（<ServerTime>）",
        };
    }
    if let Some(t) = ctx.response_date.and_then(parse_http_date) {
        return ServerClock {
            t,
            en: "the server's time (response Date)",
            zh: "服务端时间（响应 Date 头）",
        };
    }
    ServerClock {
        t: ctx.now,
        en: "the reference time (--now or this machine's clock)",
        zh: "参考时间（--now 或本机时钟）",
    }
}

/// COS `q-sign-time` / `q-key-time` from the Authorization header or the URL (cos-signing.md §1).
fn cos_window(req: &Request, q: &[(String, String)], name: &str) -> Option<(i64, i64)> {
    let raw = req
        .header("authorization")
        .and_then(|a| {
            a.split('&')
                .find_map(|p| {
                    p.trim()
                        .strip_prefix(name)
                        .and_then(|r| r.strip_prefix('='))
                })
                .map(str::to_string)
        })
        .or_else(|| qget(q, name).map(str::to_string))
        .or_else(|| {
            // The merged `sign=` form carries the whole Authorization string.
            qget(q, "sign").and_then(|s| {
                s.split('&')
                    .find_map(|p| p.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
                    .map(str::to_string)
            })
        })?;
    let (a, b) = raw.split_once(';')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

fn dur(secs: i64) -> String {
    human_duration(secs.saturating_abs())
}

// ------------------------------------------------------------------ clock

/// The request's own time and where it came from.
fn request_time(req: &Request, q: &[(String, String)]) -> Option<(i64, String)> {
    // oss-signing.md §2.3: x-oss-date, when present, is the signed time; else Date.
    for h in ["x-oss-date", "date", "x-cos-date"] {
        if let Some(v) = req.header(h) {
            if let Some(t) = parse_http_date(v.trim()).or_else(|| parse_iso_basic(v.trim())) {
                return Some((t, format!("header {h}")));
            }
        }
    }
    // oss-signing.md §5: V4 URL x-oss-date.
    if let Some(t) = qget(q, "x-oss-date").and_then(parse_iso_basic) {
        return Some((t, "URL x-oss-date".into()));
    }
    // cos-signing.md §2.2: the start of q-sign-time is the signing instant.
    cos_window(req, q, "q-sign-time").map(|(s, _)| (s, "q-sign-time start".into()))
}

fn clock(ctx: &Ctx, out: &mut Vec<Finding>) {
    let st = server_time(ctx);
    let rt = ctx
        .req
        .and_then(|r| request_time(r, &query_pairs(r)))
        .or_else(|| {
            ctx.err
                .get("RequestTime")
                .and_then(parse_any_time)
                .map(|t| (t, "<RequestTime>".to_string()))
        });
    let Some((rt, src)) = rt else {
        // Only worth saying when the skew is the question (a signed URL has no request time).
        if !matches!(ctx.code, Some(c) if c.eq_ignore_ascii_case("RequestTimeTooSkewed"))
            && !ctx
                .err
                .message()
                .is_some_and(|m| m.contains("RequestTimeTooSkewed"))
        {
            return;
        }
        out.push(Finding::new(
            "SIG305",
            Some("date"),
            format!("The request's time is not known (no request given, or it has no Date / x-oss-date): give the request to compute the skew against {} {}.", st.en, rfc3339(st.t)),
            format!("未知请求时间（未提供请求，或请求中没有 Date / x-oss-date）：提供请求即可计算其与{} {} 的偏差。", st.zh, rfc3339(st.t)),
        ));
        return;
    };
    let skew = rt.saturating_sub(st.t);
    let (dir, dir_zh) = if skew > 0 {
        ("ahead of", "快于")
    } else {
        ("behind", "慢于")
    };
    if skew.saturating_abs() > MAX_SKEW {
        // seeds/000, 003: OSS uses GMT; a whole number of hours is a time zone sent as GMT.
        let hours = skew.saturating_abs() >= 3600
            && matches!(skew.saturating_abs() % 3600, 0..=120 | 3480..=3599);
        let tz_en = if hours {
            " A whole number of hours: a local time was probably sent as GMT (check the time zone)."
        } else {
            ""
        };
        let tz_zh = if hours {
            "相差整数小时：很可能把本地时间当作 GMT 发送了（请检查时区）。"
        } else {
            ""
        };
        out.push(Finding::new(
            "SIG303",
            Some("date"),
            format!(
                "The request time {} ({src}) is {} {dir} {} {}; the limit is 15 minutes.{tz_en}",
                rfc3339(rt),
                dur(skew),
                st.en,
                rfc3339(st.t)
            ),
            format!(
                "请求时间 {}（{src}）{dir_zh}{} {} 达 {}；允许的偏差为 15 分钟。{tz_zh}",
                rfc3339(rt),
                st.zh,
                rfc3339(st.t),
                dur(skew)
            ),
        ));
    } else {
        out.push(Finding::new(
            "SIG304",
            Some("date"),
            format!(
                "The request time {} ({src}) is {} {dir} {} {}: within the 15 minutes allowed.",
                rfc3339(rt),
                dur(skew),
                st.en,
                rfc3339(st.t)
            ),
            format!(
                "请求时间 {}（{src}）{dir_zh}{} {} {}：在允许的 15 分钟以内。",
                rfc3339(rt),
                st.zh,
                rfc3339(st.t),
                dur(skew)
            ),
        ));
    }
}

// ------------------------------------------------------------------ expiry

fn expired(out: &mut Vec<Finding>, field: &str, what: &str, end: i64, st: &ServerClock) {
    out.push(Finding::new(
        "SIG306",
        Some(field),
        format!(
            "{what} ended at {}, {} before {} {}.",
            rfc3339(end),
            dur(st.t.saturating_sub(end)),
            st.en,
            rfc3339(st.t)
        ),
        format!(
            "{what} 已于 {} 结束，比{} {} 早 {}。",
            rfc3339(end),
            st.zh,
            rfc3339(st.t),
            dur(st.t.saturating_sub(end))
        ),
    ));
}

fn expiry(ctx: &Ctx, out: &mut Vec<Finding>) {
    let st = server_time(ctx);
    // oss-signing.md §3: the expired-URL body carries <Expires> and <ServerTime>.
    let mut done = false;
    if let Some(e) = ctx.err.get("Expires").and_then(parse_any_time) {
        if e < st.t {
            expired(
                out,
                "expires",
                "The signature's validity (<Expires>)",
                e,
                &st,
            );
            done = true;
        }
    }
    let Some(req) = ctx.req else { return };
    let q = query_pairs(req);
    if let Some(v) = qget(&q, "Expires") {
        // seeds/002 "Invalid date (should be seconds since epoch)."
        let t = v.trim();
        match t.parse::<i64>() {
            Ok(n) if t.len() < 13 && n >= 0 => {
                if n < st.t && !done {
                    expired(out, "expires", "The URL's Expires", n, &st);
                }
            }
            Ok(n) => out.push(Finding::new(
                "SIG308",
                Some("expires"),
                format!(
                    "Expires `{n}` has {} digits: milliseconds ({}) where OSS wants unix seconds.",
                    t.len(),
                    rfc3339(n / 1000)
                ),
                format!(
                    "Expires `{n}` 有 {} 位：是毫秒（{}），而 OSS 需要秒级 Unix 时间戳。",
                    t.len(),
                    rfc3339(n / 1000)
                ),
            )),
            Err(_) => out.push(Finding::new(
                "SIG308",
                Some("expires"),
                format!(
                    "Expires `{}` is not a unix time in seconds (seconds since 1970-01-01 UTC).",
                    escape_visible(&truncate(v, 40))
                ),
                format!(
                    "Expires `{}` 不是秒级 Unix 时间戳（自 1970-01-01 UTC 起的秒数）。",
                    escape_visible(&truncate(v, 40))
                ),
            )),
        }
    }
    // oss-signing.md §5: V4 URL validity = x-oss-date + x-oss-expires.
    if let (Some(d), Some(x)) = (
        qget(&q, "x-oss-date").and_then(parse_iso_basic),
        qget(&q, "x-oss-expires").and_then(|x| x.trim().parse::<i64>().ok()),
    ) {
        if d.saturating_add(x) < st.t && !done {
            expired(
                out,
                "x-oss-expires",
                "The URL's validity (x-oss-date + x-oss-expires)",
                d.saturating_add(x),
                &st,
            );
        }
    }
    // cos-signing.md §3: the window is q-sign-time (and the key's q-key-time).
    for (name, label) in [
        ("q-sign-time", "The signature's q-sign-time"),
        ("q-key-time", "The key's q-key-time"),
    ] {
        if let Some((s, e)) = cos_window(req, &q, name) {
            if e < st.t {
                expired(out, name, label, e, &st);
            } else if s > st.t {
                // cos-signing.md §3: SDKs sign with start = now - 60 because the server rejects a future start.
                out.push(Finding::new(
                    "SIG307",
                    Some(name),
                    format!(
                        "{label} starts at {}, {} after {} {}: the signature is not valid yet.",
                        rfc3339(s),
                        dur(s.saturating_sub(st.t)),
                        st.en,
                        rfc3339(st.t)
                    ),
                    format!(
                        "{label} 开始于 {}，晚于{} {} 达 {}：签名尚未生效。",
                        rfc3339(s),
                        st.zh,
                        rfc3339(st.t),
                        dur(s.saturating_sub(st.t))
                    ),
                ));
            }
        }
    }
}

// ------------------------------------------------------------------ redirect

/// The URL to use instead: the request's path and query on `<bucket>.<endpoint>`.
pub fn corrected_url(req: Option<&Request>, bucket: &str, endpoint: &str) -> String {
    let endpoint = endpoint
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let scheme = req
        .map(|r| r.scheme.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("https");
    let target = match req {
        None => "/".to_string(),
        Some(r) => {
            let ep = r.host().map(classify_host);
            let path_style = ep
                .as_ref()
                .is_some_and(|e| e.bucket.is_none() && (e.provider.is_some() || e.ip));
            if path_style {
                // Path style: drop the bucket segment (oss-signing.md §1.3).
                let t = &r.target[1.min(r.target.len())..];
                match t.find(['/', '?']) {
                    Some(i) if t.as_bytes()[i] == b'/' => t[i..].to_string(),
                    Some(i) => format!("/{}", &t[i..]),
                    None => "/".to_string(),
                }
            } else {
                r.target.clone()
            }
        }
    };
    format!("{scheme}://{bucket}.{endpoint}{target}")
}

fn request_bucket(ctx: &Ctx) -> Option<String> {
    let req = ctx.req?;
    let p = ctx
        .provider
        .or_else(|| req.host().and_then(|h| classify_host(h).provider))?;
    resolve(req, p, None).ok()?.bucket
}

fn redirect(ctx: &Ctx, out: &mut Vec<Finding>) {
    let used = ctx.req.and_then(|r| r.host()).or(ctx.err.get("HostId"));
    let Some(endpoint) = ctx
        .err
        .get("Endpoint")
        .map(str::trim)
        .filter(|e| !e.is_empty())
    else {
        // seeds/003: "If the endpoint is not shown in the error returned, … OSS console … Overview".
        out.push(Finding::new(
            "SIG310",
            Some("endpoint"),
            "The error names no <Endpoint>: look the bucket's endpoint up on its overview page in the console (public and internal domain names).",
            "错误响应中没有 <Endpoint>：请在控制台该 Bucket 的概览页查看其访问域名（外网与内网）。",
        ));
        return;
    };
    let bucket = ctx
        .err
        .get("Bucket")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_string)
        .or_else(|| request_bucket(ctx))
        .or_else(|| ctx.err.get("HostId").and_then(|h| classify_host(h).bucket));
    let url = corrected_url(ctx.req, bucket.as_deref().unwrap_or("<bucket>"), endpoint);
    let used_en = used
        .map(|h| format!("; the request went to `{}`", escape_visible(h)))
        .unwrap_or_default();
    let used_zh = used
        .map(|h| format!("；请求发往了 `{}`", escape_visible(h)))
        .unwrap_or_default();
    // seeds/002 PermanentRedirect, seeds/003 "<Endpoint> … is the correct endpoint".
    out.push(Finding::new(
        "SIG309",
        Some("endpoint"),
        format!(
            "The server names the endpoint `{endpoint}` for bucket `{}`{used_en}. Use: {url}",
            bucket.as_deref().unwrap_or("?")
        ),
        format!(
            "服务端指明 Bucket `{}` 的 Endpoint 为 `{endpoint}`{used_zh}。请改用：{url}",
            bucket.as_deref().unwrap_or("?")
        ),
    ));
}

// ------------------------------------------------------------------ AccessKeyId

/// The AccessKeyId a request names (OSS V1/V4 header or URL, COS q-ak), raw.
pub fn request_access_key_id(req: &Request) -> Option<String> {
    let q = query_pairs(req);
    if let Some(a) = req.header("authorization") {
        let a = a.trim_start();
        if let Some(rest) = a.strip_prefix("OSS ") {
            // oss-signing.md §2.1: `OSS <AccessKeyId>:<Signature>`.
            return rest.rsplit_once(':').map(|(ak, _)| ak.to_string());
        }
        if let Some(i) = a.find("Credential=") {
            // oss-signing.md §4.1.
            let c = &a[i + "Credential=".len()..];
            return c.split(['/', ',']).next().map(str::to_string);
        }
        if let Some(v) = a.split('&').find_map(|p| p.strip_prefix("q-ak=")) {
            return Some(v.to_string());
        }
    }
    if let Some(v) = qget(&q, "OSSAccessKeyId") {
        return Some(v.to_string());
    }
    if let Some(v) = qget(&q, "x-oss-credential") {
        return v.split('/').next().map(str::to_string);
    }
    qget(&q, "q-ak").map(str::to_string)
}

fn access_key_id(ctx: &Ctx, out: &mut Vec<Finding>) {
    let body = ctx
        .err
        .get("OSSAccessKeyId")
        .or(ctx.err.get("AWSAccessKeyId"));
    let from_req = ctx.req.and_then(request_access_key_id);
    let mut seen: Vec<&str> = Vec::new();
    for (ak, src_en, src_zh) in [
        (from_req.as_deref(), "the request's", "请求中的"),
        (
            body,
            "the server's echo (<OSSAccessKeyId>)",
            "服务端回显（<OSSAccessKeyId>）中的",
        ),
    ] {
        let Some(ak) = ak else { continue };
        if seen.contains(&ak) {
            continue;
        }
        seen.push(ak);
        // peers-and-pitfalls.md §B #5: spaces from copy-paste, `\r` (EC 0002-00000206).
        if ak.chars().any(|c| c.is_whitespace()) {
            out.push(Finding::new(
                "SIG311",
                Some("access-key-id"),
                format!("{} AccessKeyId `{}` contains whitespace or a line break: copied with spaces, or read from a file with a CRLF line end. Trim it.", capitalise(src_en), escape_visible(ak)),
                format!("{src_zh} AccessKeyId `{}` 含有空白或换行：复制时带入了空格，或从 CRLF 结尾的文件中读取。请去掉首尾空白。", escape_visible(ak)),
            ));
        } else if ctx.provider != Some(Provider::Cos) {
            // seeds/000-002 InvalidAccessKeyId: "accepts only … [0-9a-zA-Z] and … [._=]".
            if let Some(c) = ak
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '=')))
            {
                out.push(Finding::new(
                    "SIG312",
                    Some("access-key-id"),
                    format!("{} AccessKeyId `{}` contains `{}`; OSS accepts only [0-9a-zA-Z] and `._=`.", capitalise(src_en), escape_visible(ak), escape_visible(&c.to_string())),
                    format!("{src_zh} AccessKeyId `{}` 含有 `{}`；OSS 只接受 [0-9a-zA-Z] 与 `._=`。", escape_visible(ak), escape_visible(&c.to_string())),
                ));
            }
        }
    }
    if let (Some(r), Some(b)) = (from_req.as_deref(), body) {
        if r != b {
            out.push(Finding::new(
                "SIG313",
                Some("access-key-id"),
                format!("The request names AccessKeyId `{}` but the server saw `{}`: something between changed it (a proxy, an encoding step, trimming).", escape_visible(r), escape_visible(b)),
                format!("请求中的 AccessKeyId 为 `{}`，而服务端收到的是 `{}`：中间环节（代理、编码、去空白）改变了它。", escape_visible(r), escape_visible(b)),
            ));
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ------------------------------------------------------------------ naming

/// Why an OSS bucket name is invalid, if it is (seeds/003 "Bucket nomenclature": lower-case
/// letters, digits and hyphens, starting with a letter or digit, 3–63 bytes; no trailing hyphen).
pub fn oss_bucket_problem(b: &str) -> Option<(&'static str, &'static str)> {
    if b.len() < 3 || b.len() > 63 {
        return Some((
            "it must be 3 to 63 characters long",
            "长度必须为 3 到 63 个字符",
        ));
    }
    if !b
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        return Some((
            "it may contain only lower-case letters, digits and hyphens",
            "只能包含小写字母、数字和短横线",
        ));
    }
    if b.starts_with('-') || b.ends_with('-') {
        return Some((
            "it must not start or end with a hyphen",
            "不能以短横线开头或结尾",
        ));
    }
    None
}

/// Why a COS bucket name is not `<name>-<appid>`, if it is not (cos-signing.md §2.7:
/// hosts `<bucket>-<appid>.cos.<region>.myqcloud.com`; §6 APPID 1250000000).
pub fn cos_bucket_problem(b: &str) -> Option<(&'static str, &'static str)> {
    match b.rsplit_once('-') {
        Some((name, appid)) if !name.is_empty() && !appid.is_empty() && appid.bytes().all(|c| c.is_ascii_digit()) => None,
        _ => Some(("a COS bucket is `<name>-<appid>` (e.g. examplebucket-1250000000); the APPID suffix is missing or not numeric", "COS 存储桶名称格式为 `<name>-<appid>`（例如 examplebucket-1250000000）；缺少 APPID 后缀或其不是数字")),
    }
}

/// Why an OSS object name is invalid, if it is (seeds/003 "Object nomenclature": UTF-8,
/// 1 to 1,023 bytes, not starting with `/` or `\`).
pub fn oss_object_problem(k: &str) -> Option<(&'static str, &'static str)> {
    if k.starts_with('/') || k.starts_with('\\') {
        return Some((
            "it must not start with `/` or `\\`",
            "不能以 `/` 或 `\\` 开头",
        ));
    }
    if k.len() > 1023 {
        return Some((
            "it must be at most 1,023 bytes of UTF-8",
            "UTF-8 编码后不能超过 1023 字节",
        ));
    }
    None
}

fn naming(ctx: &Ctx, out: &mut Vec<Finding>) {
    let (provider, bucket, key) = match ctx.req {
        Some(req) => {
            let Some(p) = ctx
                .provider
                .or_else(|| req.host().and_then(|h| classify_host(h).provider))
            else {
                return;
            };
            match resolve(req, p, None) {
                Ok(a) => (p, a.bucket, Some(a.key)),
                Err(_) => return,
            }
        }
        None => match (ctx.provider, ctx.err.get("Bucket")) {
            (Some(p), Some(b)) => (p, Some(b.trim().to_string()), None),
            _ => return,
        },
    };
    if let Some(b) = bucket.as_deref() {
        let problem = match provider {
            Provider::Oss => oss_bucket_problem(b).map(|p| ("SIG314", p)),
            Provider::Cos => cos_bucket_problem(b).map(|p| ("SIG315", p)),
        };
        if let Some((code, (en, zh))) = problem {
            out.push(Finding::new(
                code,
                Some("bucket"),
                format!("Bucket name `{}` is invalid: {en}.", escape_visible(b)),
                format!("Bucket 名称 `{}` 不合规：{zh}。", escape_visible(b)),
            ));
        }
    }
    if provider == Provider::Oss {
        if let Some((en, zh)) = key
            .as_deref()
            .filter(|k| !k.is_empty())
            .and_then(oss_object_problem)
        {
            let k = key.as_deref().unwrap_or_default();
            out.push(Finding::new(
                "SIG316",
                Some("key"),
                format!(
                    "Object name `{}` is invalid: {en}.",
                    escape_visible(&truncate(k, 80))
                ),
                format!(
                    "Object 名称 `{}` 不合规：{zh}。",
                    escape_visible(&truncate(k, 80))
                ),
            ));
        }
    }
}

// ------------------------------------------------------------------ endpoint shape

fn endpoint_shape(ctx: &Ctx, out: &mut Vec<Finding>) {
    let req_host = ctx.req.and_then(|r| r.host());
    let hosts: Vec<(&str, &str, &str)> = [
        req_host.map(|h| (h, "the request's host", "请求的主机名")),
        ctx.err
            .get("HostId")
            .map(|h| (h, "the server's <HostId>", "服务端 <HostId>")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut flagged = false;
    for (h, en, zh) in hosts {
        if flagged {
            break;
        }
        // seeds/003 SignatureDoesNotMatch step 1: no spaces around the endpoint; a scheme or `/` inside a host is a mis-joined endpoint.
        let lower = h.to_ascii_lowercase();
        let labels: Vec<&str> = host_without_port(&lower).split('.').collect();
        if h.chars().any(char::is_whitespace)
            || lower.contains("%20")
            || lower.contains('/')
            || lower.contains("http:")
            || lower.contains("https:")
            || labels.iter().any(|l| *l == "http" || *l == "https")
        {
            out.push(Finding::new(
                "SIG320",
                Some("host"),
                format!("{} `{}` is malformed (a space, a scheme such as `http://` or a `/` inside it): the endpoint was configured with extra text. Configure the bare endpoint, e.g. `oss-cn-hangzhou.aliyuncs.com`, and the scheme separately.", capitalise(en), escape_visible(h)),
                format!("{zh} `{}` 格式错误（含空格、`http://` 之类的协议头或 `/`）：配置 Endpoint 时带入了多余内容。请只配置 Endpoint 本身（例如 `oss-cn-hangzhou.aliyuncs.com`），协议另行设置。", escape_visible(h)),
            ));
            flagged = true;
            continue;
        }
        let ep = classify_host(h);
        if let (Some(b), Some(e)) = (ep.bucket.as_deref(), ep.endpoint.as_deref()) {
            // Bucket names have no dots (seeds/003 naming), so `x.y.<endpoint>` holds a bucket twice.
            if b.contains('.') {
                out.push(Finding::new(
                    "SIG317",
                    Some("host"),
                    format!("{} `{}` has `{b}` in front of the endpoint `{e}`: the configured endpoint already contained a bucket (seeds/003: `http://my-bucket.oss-cn-hangzhou.aliyuncs.com` is not an endpoint). Configure `{e}` alone.", capitalise(en), escape_visible(h)),
                    format!("{zh} `{}` 在 Endpoint `{e}` 前有 `{b}`：配置的 Endpoint 已带有 Bucket（`http://my-bucket.oss-cn-hangzhou.aliyuncs.com` 不是合法的 Endpoint）。请只配置 `{e}`。", escape_visible(h)),
                ));
                flagged = true;
            }
        }
    }
    let Some(req) = ctx.req else { return };
    let path = req.raw_path();
    if path.starts_with("//") {
        // seeds/003 step 1: "whether there is unnecessary `/` behind the endpoint".
        out.push(Finding::new(
            "SIG319",
            Some("path"),
            format!("The path `{}` starts with `//`: the endpoint was probably configured with a trailing `/`, and the object name now starts with `/`.", escape_visible(&truncate(path, 60))),
            format!("路径 `{}` 以 `//` 开头：Endpoint 很可能配置了末尾的 `/`，导致 Object 名以 `/` 开头。", escape_visible(&truncate(path, 60))),
        ));
    }
    if let Some(b) = req.host().and_then(|h| classify_host(h).bucket) {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        let first = percent_encoding::percent_decode_str(first).decode_utf8_lossy();
        if !b.contains('.') && first == b && path.trim_start_matches('/').contains('/') {
            // peers-and-pitfalls.md §B #7: bucket doubled (virtual-hosted and path style at once).
            out.push(Finding::new(
                "SIG318",
                Some("path"),
                format!("The bucket `{b}` is in the host and again as the first path segment: the object signed and read is `{b}/…`. If the object is not really under a `{b}/` prefix, drop that segment."),
                format!("Bucket `{b}` 既在主机名中，又是路径的第一段：签名与访问的对象为 `{b}/…`。若对象并不在 `{b}/` 前缀下，请去掉这一段。"),
            ));
        }
    }
}

// ------------------------------------------------------------------ host style

fn host_style(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(h) = ctx.req.and_then(|r| r.host()).or(ctx.err.get("HostId")) else {
        return;
    };
    let ep = classify_host(h);
    let path_style = ep.ip || (ep.provider.is_some() && ep.bucket.is_none());
    if path_style {
        let bucket = request_bucket(ctx).or_else(|| ctx.err.get("Bucket").map(str::to_string));
        let suggestion = match (&bucket, &ep.endpoint) {
            (Some(b), Some(e)) => corrected_url(ctx.req, b, e),
            (Some(b), None) => format!("https://{b}.oss-<region>.aliyuncs.com/…"),
            _ => "https://<bucket>.<endpoint>/<object>".to_string(),
        };
        let kind = if ep.ip {
            ("an IP address", "IP 地址")
        } else {
            (
                "a bare endpoint (path style)",
                "不带 Bucket 的 Endpoint（路径风格）",
            )
        };
        // seeds/002 SecondLevelDomainForbidden: every request but GetService uses BucketName.Endpoint.
        let mut f = Finding::new(
            "SIG321",
            Some("host"),
            format!("The host `{}` is {}: OSS wants the bucket in the host name (`<bucket>.<endpoint>`). Use: {suggestion}", escape_visible(h), kind.0),
            format!("主机名 `{}` 是{}：OSS 要求使用带 Bucket 的域名（`<bucket>.<endpoint>`）。请改用：{suggestion}", escape_visible(h), kind.1),
        );
        if ctx.code == Some("SecondLevelDomainForbidden") {
            f = f.with_severity(Severity::Error);
        }
        out.push(f);
    } else if ep.provider.is_none() {
        // seeds/002 NonStandardHostForbidden, CnameDenied.
        out.push(Finding::new(
            "SIG322",
            Some("host"),
            format!("The host `{}` is not a standard endpoint but a custom domain: it must be bound (CNAME) to the bucket, and to no other bucket.", escape_visible(h)),
            format!("主机名 `{}` 不是标准 Endpoint，而是自定义域名：它必须绑定（CNAME）到该 Bucket，且未绑定到其他 Bucket。", escape_visible(h)),
        ));
    }
    if ep.accelerate {
        // seeds/002 TransferAccelerationDisabled.
        out.push(Finding::new(
            "SIG323",
            Some("host"),
            format!("The host `{}` is a transfer-acceleration endpoint: the bucket must have transfer acceleration enabled.", escape_visible(h)),
            format!("主机名 `{}` 是传输加速域名：该 Bucket 必须已开启传输加速。", escape_visible(h)),
        ));
    }
}

// ------------------------------------------------------------------ signature fields

fn signature_fields(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(req) = ctx.req else { return };
    let q = query_pairs(req);
    // seeds/002: "Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters."
    let v1 = ["Signature", "Expires", "OSSAccessKeyId"];
    let present: Vec<&str> = v1
        .iter()
        .copied()
        .filter(|n| qget(&q, n).is_some())
        .collect();
    if !present.is_empty() && present.len() < 3 {
        let missing: Vec<&str> = v1
            .iter()
            .copied()
            .filter(|n| !present.contains(n))
            .collect();
        out.push(Finding::new(
            "SIG325",
            Some("query"),
            format!("The URL has {} but lacks {}: a V1 signed URL needs all of Signature, Expires and OSSAccessKeyId.", present.join(", "), missing.join(", ")),
            format!("URL 中有 {}，但缺少 {}：V1 签名 URL 必须同时包含 Signature、Expires 和 OSSAccessKeyId。", present.join("、"), missing.join("、")),
        ));
    }
    let url_sig = ["Signature", "x-oss-signature", "q-signature", "sign"]
        .iter()
        .find(|n| qget(&q, n).is_some());
    if let (Some(n), Some(_)) = (url_sig, req.header("authorization")) {
        // oss-signing.md §3: signature both in URL and header → 400 InvalidArgument.
        out.push(Finding::new(
            "SIG326",
            Some("authorization"),
            format!("The request carries a signature both in the URL (`{n}`) and in the Authorization header; send one."),
            format!("请求同时在 URL（`{n}`）和 Authorization 头中携带签名；只能保留一处。"),
        ));
    }
    match crate::scheme::detect(req) {
        Ok(s) => {
            let (en, zh) = if s.is_url() { ("URL parameters", "URL 参数") } else { ("the Authorization header", "Authorization 头") };
            out.push(Finding::new(
                "SIG327",
                Some("authorization"),
                format!("The request is signed with {s} in {en}."),
                format!("请求使用 {s} 签名，签名位于{zh}中。"),
            ));
        }
        Err(e) if e.code() == "no-signature" => out.push(Finding::new(
            "SIG324",
            Some("authorization"),
            "The request carries no signature (no Authorization header, no signature parameters): the server treats it as anonymous.",
            "请求未携带签名（没有 Authorization 头，也没有签名参数）：服务端将其视为匿名请求。",
        )),
        Err(e) => out.push(Finding::new(
            "SIG327",
            Some("authorization"),
            format!("The request's signature is not one sigdiff reads: {e}"),
            format!("请求中的签名不是 sigdiff 能识别的形式：{e}"),
        )),
    }
}

// ------------------------------------------------------------------ server string

fn server_string(ctx: &Ctx, out: &mut Vec<Finding>) {
    // peers-and-pitfalls.md §B.2: the server's own string, to diff without a secret.
    let have: Vec<&str> = [
        "StringToSign",
        "StringToSignBytes",
        "CanonicalRequest",
        "FormatString",
    ]
    .into_iter()
    .filter(|n| ctx.err.get(n).is_some())
    .collect();
    if !have.is_empty() {
        out.push(Finding::new(
            "SIG328",
            Some("string-to-sign"),
            format!("The error carries the server's {}: `sigdiff verify --server-error ERROR.xml --request REQUEST` diffs it field by field against the request (no secret needed to find the field).", have.join(", ")),
            format!("错误响应带有服务端的 {}：`sigdiff verify --server-error ERROR.xml --request REQUEST` 可将其与请求逐字段比较（无需密钥即可找出不一致的字段）。", have.join("、")),
        ));
    }
    if let Some(s) = ctx.err.get("SignatureProvided").filter(|s| s.contains(' ')) {
        // peers-and-pitfalls.md §B #12: a Base64 `+` not encoded in the URL arrives as a space.
        out.push(Finding::new(
            "SIG329",
            Some("signature"),
            format!("<SignatureProvided> `{}` contains a space: a `+` of the Base64 signature was not URL-encoded (%2B) and arrived as a space. Encode the signature in the URL.", escape_visible(s)),
            format!("<SignatureProvided> `{}` 含有空格：Base64 签名中的 `+` 未做 URL 编码（%2B），到达服务端时变成了空格。请对 URL 中的签名进行编码。", escape_visible(s)),
        ));
    }
}

// ------------------------------------------------------------------ STS, referer, CORS

fn sts(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(req) = ctx.req else { return };
    let q = query_pairs(req);
    // oss-signing.md §2.7, §3, §5; cos-signing.md §1.3.
    let place = [
        "x-oss-security-token",
        "x-cos-security-token",
        "x-ci-security-token",
        "security-token",
    ]
    .iter()
    .find_map(|h| req.header(h).map(|_| format!("header {h}")))
    .or_else(|| {
        [
            "security-token",
            "x-oss-security-token",
            "x-cos-security-token",
        ]
        .iter()
        .find_map(|n| qget(&q, n).map(|_| format!("URL parameter {n}")))
    });
    match place {
        Some(p) => out.push(Finding::new(
            "SIG331",
            Some("security-token"),
            format!(
                "The request carries an STS security token ({p}): it uses temporary credentials."
            ),
            format!("请求携带 STS SecurityToken（{p}）：使用的是临时访问凭证。"),
        )),
        None if matches!(
            ctx.code,
            Some(
                "InvalidSecurityToken"
                    | "AccessKeyIdAndSecurityTokenNotMatch"
                    | "SecurityTokenExpired"
            )
        ) =>
        {
            out.push(Finding::new(
                "SIG330",
                Some("security-token"),
                "The error is about an STS security token but the request carries none (x-oss-security-token header, or security-token URL parameter): was it dropped on the way?",
                "错误与 STS SecurityToken 有关，但请求中没有（x-oss-security-token 头或 security-token URL 参数）：是否在传递中丢失？",
            ));
        }
        None => {}
    }
}

fn referer(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(req) = ctx.req else { return };
    match req.header("referer") {
        // seeds/002 referer policy: "是否允许空Referer".
        None => out.push(Finding::new(
            "SIG332",
            Some("header:referer"),
            "The request has no Referer header: a bucket whose hotlink protection does not allow an empty Referer rejects it.",
            "请求没有 Referer 头：若 Bucket 的防盗链设置不允许空 Referer，请求会被拒绝。",
        )),
        Some(r) => out.push(Finding::new(
            "SIG333",
            Some("header:referer"),
            format!("The request's Referer is `{}`: it must match the bucket's Referer whitelist.", escape_visible(&truncate(r, 120))),
            format!("请求的 Referer 为 `{}`：它必须匹配 Bucket 的 Referer 白名单。", escape_visible(&truncate(r, 120))),
        )),
    }
}

fn cors(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(req) = ctx.req else { return };
    // seeds/000-002 AccessForbidden: Origin, Access-Control-Request-Method, Access-Control-Request-Headers.
    let method = req
        .header("access-control-request-method")
        .unwrap_or(&req.method);
    let hdrs = req.header("access-control-request-headers").unwrap_or("-");
    match req.header("origin") {
        Some(o) => out.push(Finding::new(
            "SIG334",
            Some("header:origin"),
            format!("A CORS rule must allow Origin `{}`, method `{}` and headers `{}`.", escape_visible(o), escape_visible(method), escape_visible(hdrs)),
            format!("CORS 规则须允许 Origin `{}`、方法 `{}` 及请求头 `{}`。", escape_visible(o), escape_visible(method), escape_visible(hdrs)),
        )),
        None => out.push(Finding::new(
            "SIG334",
            Some("header:origin"),
            format!("The request as given has no Origin header (the browser adds it); reproduce with curl -H 'Origin: <your site>' -X {} to test the CORS rules.", escape_visible(method)),
            format!("所给请求没有 Origin 头（浏览器会自动添加）；可用 curl -H 'Origin: <你的站点>' -X {} 复现并检查 CORS 规则。", escape_visible(method)),
        )),
    }
}
