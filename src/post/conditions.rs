//! Evaluate a POST policy against the form that was posted: the expiration, every
//! condition, and the signature fields the policy must pin (V4, COS).
//!
//! Rules (oss-signing.md §6.1, §6.2; cos-signing.md §4 step 2):
//! * exact `{"k":"v"}` / `["eq","$k","v"]`: the field equals `v` (values are case-sensitive);
//! * `["starts-with","$k","p"]`: the field begins with `p` (`""` = any value, but present);
//! * `["in","$k",[...]]` / `["not-in","$k",[...]]`: membership;
//! * `["content-length-range",min,max]`: the file's size in bytes, inclusive;
//! * `bucket` is the bucket the request went to, not a form field;
//! * `key` is read after `${filename}` is replaced by the file's name (cos-signing.md §4);
//! * field names are matched ASCII case-insensitively (the OSS docs: the signature
//!   field names are case-insensitive, §6.1; the same is modelled for every field);
//! * COS writes the key time as `q-sign-time` in the policy and `q-key-time` in the form;
//! * OSS V4 policies must pin `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`
//!   (and `x-oss-security-token` with STS) to the form's values (§6.2); COS policies
//!   `q-sign-algorithm`, `q-ak`, `q-sign-time` (cos-signing.md §4 step 2).
//!
//! Each failure carries the server's own wording where the providers document it
//! (shared/seeds/002: "Invalid according to Policy: Policy expired.",
//! "Invalid according to Policy: Policy Condition failed: ..."; cos-signing.md §4:
//! "Condition key q-ak doesn't match the value ...", "You post object request has been
//! expired, expiration time: ... but the time now : ...").

use super::policy::{Condition, ConditionKind, Policy};
use super::UploadForm;
use crate::address::Provider;
use crate::scheme::SchemeId;
use serde::Serialize;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Satisfied.
    Pass,
    /// Not satisfied: the server rejects the upload.
    Fail,
    /// Cannot be decided from the capture (bucket or file size unknown).
    Unchecked,
}

/// The outcome of one check.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionResult {
    /// Index in the policy's `conditions` (None: the expiration or a required field).
    pub index: Option<usize>,
    /// The condition as compact JSON, or `expiration: ...`.
    pub condition: String,
    /// The form field it looks at.
    pub field: Option<String>,
    /// The value found in the form (or the file size, the bucket).
    pub found: Option<String>,
    /// Pass, fail or unchecked.
    pub status: Status,
    /// The finding code a failure reports.
    pub code: Option<&'static str>,
    /// What the server answers, in its words, when it fails.
    pub server_message: Option<String>,
    /// Explanation, English.
    pub detail: String,
    /// Explanation, Chinese.
    pub detail_zh: String,
}

/// Signature fields an OSS V4 policy must pin (oss-signing.md §6.2).
pub const OSS_V4_REQUIRED: [&str; 3] =
    ["x-oss-signature-version", "x-oss-credential", "x-oss-date"];
/// Signature fields a COS policy must pin (cos-signing.md §4 step 2).
pub const COS_REQUIRED: [&str; 3] = ["q-sign-algorithm", "q-ak", "q-sign-time"];

/// The server's words for a failed condition.
pub fn server_words(provider: Provider, c: &Condition) -> String {
    match provider {
        Provider::Oss => format!(
            "Invalid according to Policy: Policy Condition failed: {}",
            c.text
        ),
        Provider::Cos => {
            let value = match &c.kind {
                ConditionKind::Exact { value, .. } => value.clone(),
                ConditionKind::StartsWith { prefix, .. } => prefix.clone(),
                ConditionKind::In { values, .. } | ConditionKind::NotIn { values, .. } => {
                    serde_json::to_string(values).unwrap_or_default()
                }
                ConditionKind::ContentLengthRange { min, max } => format!("[{min}, {max}]"),
            };
            format!(
                "Condition key {} doesn't match the value {value}",
                c.kind.field().unwrap_or("content-length-range")
            )
        }
    }
}

/// The form value a condition on `field` sees.
fn lookup(form: &UploadForm, field: &str, provider: Provider) -> Option<String> {
    let v = form.get(field).map(str::to_string);
    let v = match v {
        // cos-signing.md §4: q-sign-time (policy) = q-key-time (form).
        None if provider == Provider::Cos && field.eq_ignore_ascii_case("q-sign-time") => {
            form.get("q-key-time").map(str::to_string)
        }
        v => v,
    };
    // cos-signing.md §4 step 2: `key` is checked after `${filename}` substitution.
    match (v, &form.file) {
        (Some(k), Some(f)) if field.eq_ignore_ascii_case("key") && k.contains("${filename}") => {
            Some(k.replace("${filename}", f.filename.as_deref().unwrap_or("")))
        }
        (v, _) => v,
    }
}

fn is_required(scheme: SchemeId, field: &str) -> bool {
    let list: &[&str] = match scheme {
        SchemeId::OssPostV4 => &OSS_V4_REQUIRED,
        SchemeId::CosPost => &COS_REQUIRED,
        _ => &[],
    };
    list.iter().any(|r| r.eq_ignore_ascii_case(field))
        || (scheme == SchemeId::OssPostV4 && field.eq_ignore_ascii_case("x-oss-security-token"))
}

/// Evaluate everything. `bucket` is the bucket the upload went to, if known;
/// `now` the reference time (unix seconds).
pub fn evaluate(
    policy: &Policy,
    form: &UploadForm,
    scheme: SchemeId,
    bucket: Option<&str>,
    now: i64,
) -> Vec<ConditionResult> {
    let provider = scheme.provider();
    let mut out = Vec::with_capacity(policy.conditions.len() + 4);
    out.push(expiration(policy, provider, now));
    for c in &policy.conditions {
        out.push(one(c, form, scheme, bucket));
    }
    out.extend(required_fields(policy, form, scheme));
    out
}

fn expiration(policy: &Policy, provider: Provider, now: i64) -> ConditionResult {
    let cond = format!("expiration: {}", policy.expiration);
    let mut r = ConditionResult {
        index: None,
        condition: cond,
        field: Some("expiration".into()),
        found: Some(crate::time::rfc3339(now)),
        status: Status::Pass,
        code: None,
        server_message: None,
        detail: String::new(),
        detail_zh: String::new(),
    };
    match crate::time::parse_rfc3339(&policy.expiration) {
        None => {
            r.status = Status::Fail;
            r.code = Some("SIG508");
            r.detail = format!(
                "The policy's expiration `{}` is not an ISO 8601 UTC time such as 2014-12-01T12:00:00.000Z.",
                crate::canonical::escape_visible(&policy.expiration)
            );
            r.detail_zh = format!(
                "Policy 的 expiration `{}` 不是 ISO 8601 UTC 时间（如 2014-12-01T12:00:00.000Z）。",
                crate::canonical::escape_visible(&policy.expiration)
            );
        }
        Some(exp) if now >= exp => {
            r.status = Status::Fail;
            r.code = Some("SIG502");
            r.server_message = Some(match provider {
                Provider::Oss => "Invalid according to Policy: Policy expired.".to_string(),
                Provider::Cos => format!("You post object request has been expired, expiration time: {exp} but the time now : {now}"),
            });
            r.detail = format!(
                "The policy expired at {} ({} before the reference time {}).",
                policy.expiration,
                crate::oss::v1::human_duration(now - exp),
                crate::time::rfc3339(now)
            );
            r.detail_zh = format!(
                "Policy 已于 {} 过期（早于参考时间 {} {}）。",
                policy.expiration,
                crate::time::rfc3339(now),
                crate::oss::v1::human_duration(now - exp)
            );
        }
        Some(_) => {
            r.detail = format!("valid until {}", policy.expiration);
            r.detail_zh = format!("有效期至 {}", policy.expiration);
        }
    }
    r
}

fn one(
    c: &Condition,
    form: &UploadForm,
    scheme: SchemeId,
    bucket: Option<&str>,
) -> ConditionResult {
    let provider = scheme.provider();
    let mut r = ConditionResult {
        index: Some(c.index),
        condition: c.text.clone(),
        field: c.kind.field().map(str::to_string),
        found: None,
        status: Status::Pass,
        code: None,
        server_message: None,
        detail: String::new(),
        detail_zh: String::new(),
    };
    let esc = crate::canonical::escape_visible;
    // The value under test.
    let (value, what): (Option<String>, String) = match &c.kind {
        ConditionKind::ContentLengthRange { .. } => {
            r.field = Some("file".into());
            (
                form.file
                    .as_ref()
                    .and_then(|f| f.size)
                    .map(|n| n.to_string()),
                "file size".into(),
            )
        }
        k if k.field().is_some_and(|f| f.eq_ignore_ascii_case("bucket")) => {
            (bucket.map(str::to_string), "bucket".into())
        }
        k => (
            lookup(form, k.field().unwrap_or(""), provider),
            format!("`{}`", k.field().unwrap_or("")),
        ),
    };
    r.found = value.clone();
    let Some(v) = value else {
        match what.as_str() {
            "file size" => {
                r.status = Status::Unchecked;
                r.code = Some("SIG512");
                r.detail =
                    "The file's size is not in the capture; content-length-range is not checked."
                        .into();
                r.detail_zh = "抓包中没有文件大小，未检查 content-length-range。".into();
                if form.file.is_none() && form.from_body {
                    r.status = Status::Fail;
                    r.code = Some("SIG506");
                    r.detail =
                        "The form has no `file` field to measure against content-length-range."
                            .into();
                    r.detail_zh = "表单没有 `file` 表单域，无法检查 content-length-range。".into();
                }
            }
            "bucket" => {
                r.status = Status::Unchecked;
                r.detail = "The bucket is not known from the capture (no host); the bucket condition is not checked.".into();
                r.detail_zh = "从抓包中无法得知 Bucket（无主机名），未检查 bucket 条件。".into();
            }
            _ => {
                r.status = Status::Fail;
                r.code = Some(if is_required(scheme, r.field.as_deref().unwrap_or("")) {
                    "SIG505"
                } else {
                    "SIG503"
                });
                r.server_message = Some(server_words(provider, c));
                r.detail = format!(
                    "The policy constrains `{}` but the form has no such field.",
                    r.field.as_deref().unwrap_or("")
                );
                r.detail_zh = format!(
                    "Policy 约束了 `{}`，但表单中没有该表单域。",
                    r.field.as_deref().unwrap_or("")
                );
            }
        }
        return r;
    };
    let (ok, en, zh) = match &c.kind {
        ConditionKind::Exact { value, .. } => (
            &v == value,
            format!(
                "{what} is `{}`, the policy requires `{}`",
                esc(&v),
                esc(value)
            ),
            format!("{what} 为 `{}`，Policy 要求 `{}`", esc(&v), esc(value)),
        ),
        ConditionKind::StartsWith { prefix, .. } => (
            v.starts_with(prefix.as_str()),
            format!(
                "{what} is `{}`, which does not start with `{}`",
                esc(&v),
                esc(prefix)
            ),
            format!("{what} 为 `{}`，不以 `{}` 开头", esc(&v), esc(prefix)),
        ),
        ConditionKind::In { values, .. } => (
            values.iter().any(|x| x == &v),
            format!(
                "{what} is `{}`, not one of {}",
                esc(&v),
                serde_json::to_string(values).unwrap_or_default()
            ),
            format!(
                "{what} 为 `{}`，不在 {} 之中",
                esc(&v),
                serde_json::to_string(values).unwrap_or_default()
            ),
        ),
        ConditionKind::NotIn { values, .. } => (
            !values.iter().any(|x| x == &v),
            format!(
                "{what} is `{}`, which the policy forbids ({})",
                esc(&v),
                serde_json::to_string(values).unwrap_or_default()
            ),
            format!(
                "{what} 为 `{}`，Policy 禁止该值（{}）",
                esc(&v),
                serde_json::to_string(values).unwrap_or_default()
            ),
        ),
        ConditionKind::ContentLengthRange { min, max } => {
            let n: u64 = v.parse().unwrap_or(0);
            (
                (*min..=*max).contains(&n),
                format!("the file is {n} bytes, outside content-length-range {min}..={max}"),
                format!("文件大小为 {n} 字节，不在 content-length-range {min}..={max} 之内"),
            )
        }
    };
    if ok {
        return r;
    }
    r.status = Status::Fail;
    r.code = Some(match (&c.kind, r.field.as_deref()) {
        (ConditionKind::ContentLengthRange { .. }, _) => "SIG504",
        (_, Some(f)) if is_required(scheme, f) => "SIG505",
        _ => "SIG503",
    });
    r.server_message = Some(server_words(provider, c));
    r.detail = format!("{}: {en}.", c.text);
    r.detail_zh = format!("{}：{zh}。", c.text);
    r
}

/// The signature fields the policy must pin, checked for presence (their values
/// are checked as ordinary conditions).
fn required_fields(policy: &Policy, form: &UploadForm, scheme: SchemeId) -> Vec<ConditionResult> {
    let mut names: Vec<&str> = match scheme {
        SchemeId::OssPostV4 => OSS_V4_REQUIRED.to_vec(),
        SchemeId::CosPost => COS_REQUIRED.to_vec(),
        _ => Vec::new(),
    };
    if scheme == SchemeId::OssPostV4 && form.get("x-oss-security-token").is_some() {
        names.push("x-oss-security-token");
    }
    let mut out = Vec::new();
    for n in names {
        if policy.exact_values(n).next().is_some() {
            continue;
        }
        let want = lookup(form, n, scheme.provider()).unwrap_or_else(|| "...".into());
        let shape = serde_json::json!({ n: want }).to_string();
        out.push(ConditionResult {
            index: None,
            condition: format!("(required) {shape}"),
            field: Some(n.to_string()),
            found: None,
            status: Status::Fail,
            code: Some("SIG505"),
            server_message: None,
            detail: format!(
                "The policy has no exact condition on `{n}`; {} requires one matching the form: add {shape}.",
                match scheme {
                    SchemeId::CosPost => "COS",
                    _ => "OSS V4",
                }
            ),
            detail_zh: format!(
                "Policy 中没有对 `{n}` 的精确匹配条件；{} 要求与表单一致的条件：请加入 {shape}。",
                match scheme {
                    SchemeId::CosPost => "COS",
                    _ => "OSS V4",
                }
            ),
        });
    }
    out
}
