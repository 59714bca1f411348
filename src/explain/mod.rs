//! `sigdiff explain`: what an OSS or COS error means, why it happened, how to fix it,
//! and what the request itself shows (DESIGN "Data flow", `explain`).
//!
//! * [`catalogue`]: every error code and message variant of the providers' 403 pages
//!   (`../shared/seeds/`), each with cause and solution in English and Chinese;
//! * [`checks`]: request-specific findings (clock skew, expiry, the endpoint a redirect
//!   names, AccessKeyId characters, bucket and object naming, endpoint shape, host
//!   style, signature fields), codes SIG300–SIG349;
//! * [`input`]: reading an error body, an HTTP response dump, or a bare code/message.
//!
//! An error that is not in the catalogue is reported as `known: false` with its parsed
//! fields and no cause: never a guess dressed as a fact.
//!
//! ```
//! use sigdiff::explain::{explain, input};
//! let e = input::read("<Error><Code>AccessDenied</Code><Message>Request has expired.</Message>\
//!   <HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><Expires>2017-02-07T01:30:29.000Z</Expires>\
//!   <ServerTime>2017-02-08T01:55:28.000Z</ServerTime></Error>", "body", false).unwrap();
//! let x = explain(&e.error, None, 0);
//! assert!(x.known);
//! assert_eq!(x.entries, ["oss.access-denied.expired"]);
//! assert!(x.findings.iter().any(|f| f.code == "SIG306"));
//! ```

pub mod catalogue;
pub mod checks;
pub mod input;
mod report;

pub use report::{LocalFinding, Localised};

use crate::address::{classify_host, Provider};
use crate::finding::{Finding, Lang};
use crate::request::Request;
use crate::server_error::ServerError;
use serde::Serialize;

pub use input::ErrorInput;

/// What `explain` says about one error.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The provider, when the input or the match settles it (`null` when both providers' entries are given).
    pub provider: Option<Provider>,
    /// `Code` of the error.
    pub code: Option<String>,
    /// `Message` of the error.
    pub message: Option<String>,
    /// The error is in the catalogue.
    pub known: bool,
    /// Ids of the catalogue entries used (two when the provider is unknown and both match).
    pub entries: Vec<String>,
    /// The seed documents the entries were written from.
    pub sources: Vec<String>,
    /// Cause, English (`None` when unknown).
    pub cause_en: Option<String>,
    /// Cause, Chinese.
    pub cause_zh: Option<String>,
    /// Solution, English.
    pub solution_en: Option<String>,
    /// Solution, Chinese.
    pub solution_zh: Option<String>,
    /// OSS `EC` code (the body's `<EC>`, else the `x-oss-ec` response header).
    pub ec: Option<String>,
    /// OSS `RecommendDoc`.
    pub recommend_doc: Option<String>,
    /// Every parsed field of the error, in order.
    pub fields: Vec<(String, String)>,
    /// Request-specific findings.
    pub findings: Vec<Finding>,
}

impl Explanation {
    /// The cause in a language.
    pub fn cause(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.cause_en.as_deref(),
            Lang::Zh => self.cause_zh.as_deref(),
        }
    }

    /// The solution in a language.
    pub fn solution(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.solution_en.as_deref(),
            Lang::Zh => self.solution_zh.as_deref(),
        }
    }

    /// The CLI exit code: 0 known, 1 unknown.
    pub fn exit_code(&self) -> u8 {
        if self.known {
            0
        } else {
            1
        }
    }
}

/// Settings beyond the error and the request.
#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    /// The provider, when the user knows it (`--provider`).
    pub provider: Option<Provider>,
    /// Response headers from an HTTP response dump (`Date` = the server's time).
    pub response_headers: Vec<(String, String)>,
}

impl ExplainOptions {
    /// Options carrying what an [`ErrorInput`] brought besides the body.
    pub fn from_input(i: &ErrorInput) -> Self {
        ExplainOptions {
            provider: None,
            response_headers: i.response_headers.clone(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Explain an error, with the request that caused it when known. `now` is the
/// reference time when neither the body nor the response gives the server's.
pub fn explain(err: &ServerError, req: Option<&Request>, now: i64) -> Explanation {
    explain_with(err, req, now, &ExplainOptions::default())
}

/// [`explain`] with options.
pub fn explain_with(
    err: &ServerError,
    req: Option<&Request>,
    now: i64,
    opts: &ExplainOptions,
) -> Explanation {
    let provider = detect_provider(err, req, opts);
    let code = err
        .code()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let message = err
        .message()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    let matches = catalogue::lookup(code.as_deref(), message.as_deref(), provider);
    let known = !matches.is_empty();
    let mut findings = Vec::new();
    if !known {
        findings.push(Finding::new(
            "SIG300",
            None,
            format!(
                "{} is not in sigdiff's catalogue{}: no cause is given; the parsed fields are shown as they are.",
                describe(code.as_deref(), message.as_deref()),
                provider.map(|p| format!(" for {}", p.name())).unwrap_or_default()
            ),
            format!(
                "{} 不在 sigdiff 的错误目录中{}：不给出原因，仅原样列出解析到的字段。",
                describe(code.as_deref(), message.as_deref()),
                provider.map(|p| format!("（{}）", p.name())).unwrap_or_default()
            ),
        ));
    } else if matches.iter().all(|m| !m.variant) && message.is_some() && code.is_some() {
        // seeds: each code lists its message variants; an unseen one gets the code's general text.
        let m = message.as_deref().unwrap_or_default();
        findings.push(Finding::new(
            "SIG301",
            Some("message"),
            format!("The message `{}` is not one of the catalogued variants of {}: the code's general explanation is given.", crate::encode::truncate(m, 120), code.as_deref().unwrap_or("")),
            format!("消息 `{}` 不在 {} 已收录的消息变体中：给出的是该错误码的通用解释。", crate::encode::truncate(m, 120), code.as_deref().unwrap_or("")),
        ));
    }
    if matches.len() > 1 {
        findings.push(Finding::new(
            "SIG302",
            None,
            "Nothing in the input says which provider answered (no OSS- or COS-only field, header or host): both OSS's and COS's explanations are given. Give the request, the full body, or --provider to choose.",
            "输入中没有能判断云厂商的信息（无 OSS 或 COS 特有的字段、响应头或域名）：同时给出 OSS 与 COS 的解释。提供请求、完整的错误响应或 --provider 即可确定。",
        ));
    }
    let resolved = provider.or_else(|| (matches.len() == 1).then(|| matches[0].entry.provider));
    let joined = |f: fn(&catalogue::Entry) -> &str| -> Option<String> {
        match matches.as_slice() {
            [] => None,
            [one] => Some(f(one.entry).to_string()),
            many => Some(
                many.iter()
                    .map(|m| format!("{}: {}", m.entry.provider.name(), f(m.entry)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    };
    let mut tags: Vec<catalogue::Check> = Vec::new();
    for c in matches.iter().flat_map(|m| m.entry.checks.iter().copied()) {
        if !tags.contains(&c) {
            tags.push(c);
        }
    }
    findings.extend(checks::run(
        &checks::Ctx {
            err,
            req,
            now,
            provider: resolved,
            code: code.as_deref(),
            response_date: opts.header("date"),
        },
        &tags,
    ));
    Explanation {
        provider: resolved,
        code,
        message,
        known,
        entries: matches.iter().map(|m| m.entry.id.clone()).collect(),
        sources: matches.iter().map(|m| m.entry.source.clone()).collect(),
        cause_en: joined(|e| &e.cause_en),
        cause_zh: joined(|e| &e.cause_zh),
        solution_en: joined(|e| &e.solution_en),
        solution_zh: joined(|e| &e.solution_zh),
        ec: err
            .get("EC")
            .or_else(|| opts.header("x-oss-ec"))
            .map(str::to_string),
        recommend_doc: err.get("RecommendDoc").map(str::to_string),
        fields: err.fields.clone(),
        findings,
    }
}

fn describe(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!("`{c}` (`{}`)", crate::encode::truncate(m, 80)),
        (Some(c), None) => format!("`{c}`"),
        (None, Some(m)) => format!("`{}`", crate::encode::truncate(m, 80)),
        (None, None) => "this error".to_string(),
    }
}

/// The provider: `--provider`, then the body's own fields, the response headers,
/// the body's `HostId`, the request's host, the request's signature.
pub fn detect_provider(
    err: &ServerError,
    req: Option<&Request>,
    opts: &ExplainOptions,
) -> Option<Provider> {
    if let Some(p) = opts.provider {
        return Some(p);
    }
    if let Some(p) = err.provider() {
        return Some(p);
    }
    // oss-signing.md §8: `Server: AliyunOSS`, `x-oss-request-id`; cos-signing.md §5: x-cos-request-id / x-cos-trace-id.
    if opts.header("x-oss-request-id").is_some()
        || opts.header("x-oss-ec").is_some()
        || opts
            .header("server")
            .is_some_and(|s| s.contains("AliyunOSS"))
    {
        return Some(Provider::Oss);
    }
    if opts.header("x-cos-request-id").is_some()
        || opts.header("x-cos-trace-id").is_some()
        || opts
            .header("server")
            .is_some_and(|s| s.to_ascii_lowercase().contains("tencent-cos"))
    {
        return Some(Provider::Cos);
    }
    if let Some(p) = err.get("HostId").and_then(|h| classify_host(h).provider) {
        return Some(p);
    }
    let req = req?;
    if let Some(p) = req.host().and_then(|h| classify_host(h).provider) {
        return Some(p);
    }
    crate::scheme::detect(req).ok().map(|s| s.provider())
}
