//! Verify a captured form upload: recompute the signature from the exact Base64
//! policy sent, evaluate every condition, and report (findings SIG500–SIG549).

use super::conditions::{self, ConditionResult, Status};
use super::policy::{compact_json, Policy};
use super::{cos_post, oss_post, PolicyView, UploadForm};
use crate::address::{resolve, Address, Provider};
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::request::Request;
use crate::scheme::SchemeId;
use crate::secret::{ct_eq, Secret};
use crate::verify::{Verdict, VerifyOptions};
use base64::Engine;
use serde::Serialize;

/// A captured upload: the form and, when known, the request line and headers.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The form fields.
    pub form: UploadForm,
    /// The request without its body (host for the bucket), when the capture has one.
    pub request: Option<Request>,
    /// The bucket, when the capture names it otherwise (JSON spec `bucket`).
    pub bucket: Option<String>,
    /// The secret a JSON spec carries (`credentials.access_key_secret`).
    pub secret: Option<Secret>,
}

/// The result of verifying one upload.
#[derive(Debug, Clone, Serialize)]
pub struct PostReport {
    /// Match (signature and every condition), mismatch, or unverified (no secret).
    pub verdict: Verdict,
    /// Scheme.
    pub scheme: SchemeId,
    /// AccessKeyId / SecretId the form names.
    pub access_key_id: String,
    /// The signature the form carries.
    pub provided_signature: String,
    /// The signature sigdiff computes with the (first) secret.
    pub computed_signature: Option<String>,
    /// Fingerprint of the secret used, on a mismatch.
    pub secret_fingerprint: Option<String>,
    /// What is signed: the policy's Base64 text (OSS) or hex(SHA1(policy JSON)) (COS).
    pub string_to_sign: String,
    /// The signing-key inputs: `date/region/product` (OSS V4), the key time (COS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_inputs: Option<String>,
    /// The policy as sent.
    pub policy: PolicyView,
    /// Every check: expiration, each condition, the required signature fields.
    pub conditions: Vec<ConditionResult>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Where the upload went, when the capture says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The bucket the conditions were checked against.
    pub bucket: Option<String>,
}

impl PostReport {
    /// Exit code per DESIGN: 0 match / unverified, 1 mismatch.
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Mismatch => 1,
            _ => 0,
        }
    }
}

/// How the signature is computed, from the form.
enum Key {
    OssV1,
    OssV4 {
        date: String,
        region: String,
        product: String,
    },
    Cos {
        key_time: String,
    },
    /// The inputs are unusable (reported as findings).
    None,
}

fn finding(code: &'static str, field: Option<&str>, en: String, zh: String) -> Finding {
    Finding::new(code, field, en, zh)
}

fn required(
    form: &UploadForm,
    name: &str,
    provider_words: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    match form.get(name) {
        Some(v) if !v.is_empty() => Some(v.to_string()),
        got => {
            let how = if got.is_some() { "empty" } else { "missing" };
            findings.push(finding(
                "SIG506",
                Some(name),
                format!("The form field `{name}` is {how}; {provider_words}."),
                format!(
                    "表单域 `{name}` {}；{provider_words}。",
                    if got.is_some() { "为空" } else { "缺失" }
                ),
            ));
            None
        }
    }
}

/// Verify one upload. `opts.now` is the reference time, `opts.secrets` the
/// candidate secrets, `opts.scheme` forces a scheme, `opts.bucket` names the
/// bucket of a custom domain. A malformed policy is an input error (exit 2).
pub fn verify_upload(up: &Upload, opts: &VerifyOptions) -> Result<PostReport> {
    let form = &up.form;
    let scheme = match opts.scheme {
        Some(s) if super::is_post(s) => s,
        _ => super::detect(form)?,
    };
    let provider = scheme.provider();
    let mut findings = Vec::new();
    let address = match &up.request {
        Some(r) => resolve(r, provider, opts.bucket.as_deref().or(up.bucket.as_deref())).ok(),
        None => None,
    };
    let bucket = opts
        .bucket
        .clone()
        .or_else(|| address.as_ref().and_then(|a| a.bucket.clone()))
        .or_else(|| up.bucket.clone());

    // The policy, exactly as sent (oss-signing.md §6.1: the Base64 text is signed).
    let policy_text = form.get("policy").unwrap_or("");
    if policy_text.is_empty() {
        return Err(crate::error::InputError::new(
            "bad-policy",
            "the form has signature fields but no `policy` field (OSS: OSSAccessKeyId, policy and Signature go together, else 400 InvalidArgument)",
        )
        .at("form field `policy`"));
    }
    let policy = Policy::from_base64(policy_text, "form field `policy`")?;

    // Signature fields per scheme.
    let (ak, provided, key) = match scheme {
        SchemeId::OssPost => {
            let words = "OSSAccessKeyId, policy and Signature are sent together (else 400 InvalidArgument, oss-signing.md §6.1)";
            let ak = required(form, oss_post::V1_ACCESS_KEY_ID, words, &mut findings);
            let sig = required(form, oss_post::V1_SIGNATURE, words, &mut findings);
            (ak, sig, Key::OssV1)
        }
        SchemeId::OssPostV4 => {
            let words = "OSS V4 forms carry x-oss-signature-version, x-oss-credential, x-oss-date and x-oss-signature (oss-signing.md §6.2)";
            let ver = required(form, oss_post::V4_VERSION, words, &mut findings);
            let cred = required(form, oss_post::V4_CREDENTIAL, words, &mut findings);
            let date = required(form, oss_post::V4_DATE, words, &mut findings);
            let sig = required(form, oss_post::V4_SIGNATURE, words, &mut findings);
            if let Some(v) = &ver {
                if v != oss_post::V4_ALGORITHM {
                    findings.push(finding("SIG510", Some(oss_post::V4_VERSION),
                        format!("x-oss-signature-version is `{}`; OSS V4 forms use OSS4-HMAC-SHA256 (0002-00000701).", crate::canonical::escape_visible(v)),
                        format!("x-oss-signature-version 为 `{}`；OSS V4 表单应为 OSS4-HMAC-SHA256（0002-00000701）。", crate::canonical::escape_visible(v))));
                }
            }
            let mut ak = None;
            let mut key = Key::None;
            if let Some(c) = &cred {
                match crate::oss::v4::Credential::parse(c, "form field `x-oss-credential`") {
                    Ok(cr) => {
                        ak = Some(cr.access_key_id.clone());
                        if cr.scope.terminator != crate::oss::v4::signing_key::TERMINATOR {
                            findings.push(finding("SIG510", Some(oss_post::V4_CREDENTIAL),
                                format!("x-oss-credential ends with `{}`, not aliyun_v4_request (0002-00000710).", cr.scope.terminator),
                                format!("x-oss-credential 以 `{}` 结尾，而不是 aliyun_v4_request（0002-00000710）。", cr.scope.terminator)));
                        }
                        if let Some(d) = &date {
                            match crate::time::parse_iso_basic(d) {
                                None => findings.push(finding(
                                    "SIG509",
                                    Some(oss_post::V4_DATE),
                                    format!(
                                        "x-oss-date `{}` is not yyyymmddTHHMMSSZ.",
                                        crate::canonical::escape_visible(d)
                                    ),
                                    format!(
                                        "x-oss-date `{}` 不是 yyyymmddTHHMMSSZ 格式。",
                                        crate::canonical::escape_visible(d)
                                    ),
                                )),
                                Some(t) => {
                                    if d.get(..8) != Some(cr.scope.date.as_str()) {
                                        findings.push(finding("SIG510", Some(oss_post::V4_CREDENTIAL),
                                            format!("The credential's date {} is not the day of x-oss-date {d}; the signing key must be derived from the same day (oss-signing.md §6.2).", cr.scope.date),
                                            format!("凭证日期 {} 与 x-oss-date {d} 不是同一天；签名密钥必须用同一天派生（oss-signing.md §6.2）。", cr.scope.date)));
                                    }
                                    // §6.2: 15 minutes of skew; valid at most 7 days from x-oss-date (Q9).
                                    if t > opts.now + 900 {
                                        findings.push(finding("SIG509", Some(oss_post::V4_DATE),
                                            format!("x-oss-date {d} is {} after the reference time; the server allows 15 minutes.", crate::oss::v1::human_duration(t - opts.now)),
                                            format!("x-oss-date {d} 比参考时间晚 {}；服务端只允许 15 分钟。", crate::oss::v1::human_duration(t - opts.now))));
                                    } else if opts.now > t + 7 * 86_400 {
                                        findings.push(finding("SIG509", Some(oss_post::V4_DATE),
                                            format!("x-oss-date {d} is {} before the reference time; a V4 form is valid at most 7 days from it.", crate::oss::v1::human_duration(opts.now - t)),
                                            format!("x-oss-date {d} 比参考时间早 {}；V4 表单自 x-oss-date 起最多有效 7 天。", crate::oss::v1::human_duration(opts.now - t))));
                                    }
                                }
                            }
                        }
                        key = Key::OssV4 {
                            date: cr.scope.date,
                            region: cr.scope.region,
                            product: cr.scope.product,
                        };
                    }
                    Err(e) => findings.push(finding(
                        "SIG510",
                        Some(oss_post::V4_CREDENTIAL),
                        format!("{} (0002-00000710).", e.what()),
                        format!("x-oss-credential 格式错误：{}（0002-00000710）。", e.what()),
                    )),
                }
            }
            (ak, sig, key)
        }
        SchemeId::CosPost => {
            let words = "COS forms carry q-sign-algorithm, q-ak, q-key-time and q-signature (cos-signing.md §4 step 6)";
            let alg = required(form, cos_post::ALGORITHM_FIELD, words, &mut findings);
            let ak = required(form, cos_post::AK_FIELD, words, &mut findings);
            let kt = required(form, cos_post::KEY_TIME_FIELD, words, &mut findings);
            let sig = required(form, cos_post::SIGNATURE_FIELD, words, &mut findings);
            if let Some(a) = &alg {
                if a != cos_post::ALGORITHM {
                    findings.push(finding(
                        "SIG515",
                        Some(cos_post::ALGORITHM_FIELD),
                        format!(
                            "q-sign-algorithm is `{}`; COS uses sha1.",
                            crate::canonical::escape_visible(a)
                        ),
                        format!(
                            "q-sign-algorithm 为 `{}`；COS 只支持 sha1。",
                            crate::canonical::escape_visible(a)
                        ),
                    ));
                }
            }
            let mut key = Key::None;
            if let Some(k) = kt {
                match crate::cos::key_time::TimeRange::parse(&k, "q-key-time") {
                    Ok(r) => {
                        if r.end <= r.start || opts.now < r.start || opts.now > r.end {
                            findings.push(finding("SIG515", Some(cos_post::KEY_TIME_FIELD),
                                format!("q-key-time {k} does not cover the reference time {} (cos-signing.md §2.2).", opts.now),
                                format!("q-key-time {k} 不包含参考时间 {}（cos-signing.md §2.2）。", opts.now)));
                        }
                        key = Key::Cos { key_time: k };
                    }
                    Err(e) => findings.push(finding(
                        "SIG515",
                        Some(cos_post::KEY_TIME_FIELD),
                        e.what().to_string(),
                        format!("q-key-time 格式错误：{}", e.what()),
                    )),
                }
            }
            (ak, sig, key)
        }
        other => {
            return Err(crate::error::InputError::new(
                "bad-scheme",
                format!("`{other}` is not a form-upload scheme"),
            ))
        }
    };

    // The string to sign.
    let string_to_sign = match scheme {
        SchemeId::CosPost => cos_post::string_to_sign(&policy.json),
        _ => policy.base64.clone(),
    };
    let key_inputs = match &key {
        Key::OssV4 {
            date,
            region,
            product,
        } => Some(format!("{date}/{region}/{product}")),
        Key::Cos { key_time } => Some(key_time.clone()),
        _ => None,
    };
    let compute = |secret: &Secret, sts: &str| -> Option<String> {
        Some(match &key {
            Key::OssV1 => oss_post::v1_signature(secret, sts),
            Key::OssV4 {
                date,
                region,
                product,
            } => oss_post::v4_signature(secret, date, region, product, sts),
            Key::Cos { key_time } => cos_post::signature(secret, key_time, sts),
            Key::None => return None,
        })
    };

    // Form-level lint.
    for d in form.duplicates() {
        findings.push(finding("SIG513", Some(&d),
            format!("The form field `{d}` is sent more than once; sigdiff reads the first, the server may not."),
            format!("表单域 `{d}` 出现多次；sigdiff 取第一个，服务端未必如此。")));
    }
    if !form.after_file.is_empty() {
        let names = form.after_file.join(", ");
        findings.push(finding("SIG507", Some("file"),
            format!("Form fields after `file` are ignored by the server ({names}); put `file` last (oss-signing.md §6.1; cos-signing.md §4 step 6)."),
            format!("`file` 之后的表单域会被服务端忽略（{names}）；请把 `file` 放在最后。")));
    }
    if form.bare_lf {
        findings.push(finding("SIG514", None,
            "The multipart body's line breaks are bare LF; a browser sends CRLF and the server may answer MalformedPOSTRequest (or the capture was pasted through an editor).".into(),
            "multipart 请求体的换行是单独的 LF；浏览器发送 CRLF，服务端可能返回 MalformedPOSTRequest（或抓包经编辑器粘贴后被改写）。".into()));
    }
    if form.from_body && form.file.is_none() {
        findings.push(finding(
            "SIG506",
            Some("file"),
            "The body has no `file` field; the upload carries no object content.".into(),
            "请求体中没有 `file` 表单域；上传不含对象内容。".into(),
        ));
    }

    // Conditions.
    let results = conditions::evaluate(&policy, form, scheme, bucket.as_deref(), opts.now);
    let mut cond_fail = false;
    for r in &results {
        match (r.status, r.code) {
            (Status::Fail, Some(code)) => {
                cond_fail = true;
                let server = r
                    .server_message
                    .as_ref()
                    .map(|m| format!("Server: {m} — "))
                    .unwrap_or_default();
                let server_zh = r
                    .server_message
                    .as_ref()
                    .map(|m| format!("服务端：{m} — "))
                    .unwrap_or_default();
                findings.push(finding(
                    code,
                    r.field.as_deref(),
                    format!("{server}{}", r.detail),
                    format!("{server_zh}{}", r.detail_zh),
                ));
            }
            (Status::Unchecked, Some(code)) => {
                findings.push(finding(
                    code,
                    r.field.as_deref(),
                    r.detail.clone(),
                    r.detail_zh.clone(),
                ));
            }
            _ => {}
        }
    }
    let lint_fail = findings.iter().any(|f| f.severity == Severity::Error);

    // Signature.
    let provided = provided.unwrap_or_default();
    let mut computed = None;
    let mut fingerprint = None;
    let mut sig_ok = None;
    if opts.secrets.is_empty() {
        findings.push(finding("SIG501", Some("secret"),
            "No secret given: the policy and its conditions are checked, the signature is not (give --secret-env, --secret-file, or the provider's environment variable).".into(),
            "未提供密钥：只检查 Policy 及其条件，不校验签名（请通过 --secret-env、--secret-file 或环境变量提供密钥）。".into()));
    } else if let Some(first) = compute(&opts.secrets[0], &string_to_sign) {
        computed = Some(first);
        let hit = opts
            .secrets
            .iter()
            .position(|s| compute(s, &string_to_sign).is_some_and(|c| ct_eq(&c, &provided)));
        match hit {
            Some(i) => {
                sig_ok = Some(true);
                if i > 0 {
                    let fp = opts.secrets[i].fingerprint();
                    findings.push(Finding::new("SIG035", Some("secret"),
                        format!("Secret #{} ({fp}) produces the provided signature; the first one given does not.", i + 1),
                        format!("第 {} 个密钥（{fp}）可以得到提供的签名，第一个不行。", i + 1)));
                    computed = Some(provided.clone());
                }
            }
            None => {
                sig_ok = Some(false);
                let secret = &opts.secrets[0];
                fingerprint = Some(secret.fingerprint());
                let words = match provider {
                    Provider::Oss => "SignatureDoesNotMatch: \"The request signature we calculated does not match the signature you provided.\"",
                    Provider::Cos => "SignatureDoesNotMatch: \"The Signature you specified is invalid.\"",
                };
                findings.push(finding("SIG500", Some("signature"),
                    format!("The form's signature `{provided}` is not `{}`, which the server computes from the policy as sent with secret {} (server: {words}).", computed.as_deref().unwrap_or(""), secret.fingerprint()),
                    format!("表单签名 `{provided}` 与服务端按所发 Policy 计算的 `{}`（密钥 {}）不一致（服务端：{words}）。", computed.as_deref().unwrap_or(""), secret.fingerprint())));
                diagnose(
                    scheme,
                    &policy,
                    &key,
                    secret,
                    &provided,
                    &compute,
                    &mut findings,
                );
            }
        }
    } else {
        sig_ok = Some(false);
    }

    let verdict = match sig_ok {
        Some(false) => Verdict::Mismatch,
        _ if cond_fail || lint_fail => Verdict::Mismatch,
        Some(true) => Verdict::Match,
        None => Verdict::Unverified,
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(PostReport {
        verdict,
        scheme,
        access_key_id: ak.unwrap_or_default(),
        provided_signature: provided,
        computed_signature: computed,
        secret_fingerprint: fingerprint,
        string_to_sign,
        key_inputs,
        policy: PolicyView::of(&policy),
        conditions: results,
        findings,
        address,
        bucket,
    })
}

/// The signature differs: try the common ways of getting a form signature wrong
/// and report the one that reproduces it (SIG511).
fn diagnose(
    scheme: SchemeId,
    policy: &Policy,
    key: &Key,
    secret: &Secret,
    provided: &str,
    compute: &dyn Fn(&Secret, &str) -> Option<String>,
    findings: &mut Vec<Finding>,
) {
    let json = policy.json_text();
    let compacted = compact_json(&json);
    let mut tries: Vec<(String, &str, &str)> = Vec::new();
    match scheme {
        SchemeId::OssPost | SchemeId::OssPostV4 => {
            tries.push((json.clone(), "the client signed the policy JSON itself instead of its Base64 text (oss-signing.md §6)", "客户端对 Policy JSON 本身签名，而不是对其 Base64 文本签名"));
            if compacted != json {
                tries.push((
                    base64::engine::general_purpose::STANDARD.encode(&compacted),
                    "the client signed the Base64 of a re-serialised (compacted) policy, not the policy it sent (oss-signing.md §6.2: whatever bytes are Base64'd must be exactly what is sent)",
                    "客户端对重新序列化（压缩）后的 Policy 的 Base64 签名，而发送的是另一份 Policy",
                ));
            }
            for (text, en, zh) in tries {
                if compute(secret, &text).is_some_and(|c| ct_eq(&c, provided)) {
                    let mut f = finding(
                        "SIG511",
                        Some("policy"),
                        format!("The provided signature is reproduced when {en}."),
                        format!("当{zh}时，可以得到提供的签名。"),
                    );
                    f.reproduces = true;
                    findings.push(f);
                    return;
                }
            }
        }
        SchemeId::CosPost => {
            let Key::Cos { key_time } = key else { return };
            let b64_sts = cos_post::string_to_sign(policy.base64.as_bytes());
            let raw_key = {
                use hmac::{Hmac, Mac};
                let mut m = Hmac::<sha1::Sha1>::new_from_slice(secret.expose().as_bytes())
                    .expect("HMAC takes any key length");
                m.update(key_time.as_bytes());
                m.finalize().into_bytes().to_vec()
            };
            let sts = cos_post::string_to_sign(&policy.json);
            let with_raw_key =
                |s: &str| crate::cos::key_time::hmac_sha1_hex(&raw_key, s.as_bytes());
            let cands: [(String, &str, &str); 4] = [
                (compute(secret, &b64_sts).unwrap_or_default(), "the StringToSign is SHA1 of the Base64 text instead of the raw policy JSON (cos-signing.md §4 step 4)", "StringToSign 取的是 Base64 文本的 SHA1，而不是原始 Policy JSON 的 SHA1"),
                (with_raw_key(&sts), "the SignKey is used as its 20 raw bytes instead of its 40-character hex text (cos-signing.md §2.1)", "SignKey 以 20 字节原始值而不是 40 位十六进制文本作为密钥"),
                (with_raw_key(&b64_sts), "both: SHA1 of the Base64 text, and the raw-bytes SignKey", "同时：对 Base64 文本取 SHA1，且 SignKey 用原始字节"),
                (compute(secret, &json).unwrap_or_default(), "the policy JSON itself is signed instead of its SHA1 hex (cos-signing.md §4 step 4)", "直接对 Policy JSON 签名，而不是对其 SHA1 十六进制签名"),
            ];
            for (sig, en, zh) in cands {
                if ct_eq(&sig, provided) {
                    let mut f = finding(
                        "SIG511",
                        Some("policy"),
                        format!("The provided signature is reproduced when {en}."),
                        format!("当{zh}时，可以得到提供的签名。"),
                    );
                    f.reproduces = true;
                    findings.push(f);
                    return;
                }
            }
        }
        _ => {}
    }
}
