//! Browser form uploads: OSS PostObject (V1, V4) and COS POST Object policy
//! signatures, and the policy conditions the server checks (oss-signing.md §6;
//! cos-signing.md §4).
//!
//! A form upload carries no Authorization header and no URL signature: the
//! `policy` form field (Base64 of a JSON document) and the signature fields are
//! in the `multipart/form-data` body. So this module has its own entry points:
//!
//! * [`sign_spec`]: a JSON request spec with `policy` (object or Base64 text) and
//!   `form` → the form fields to post;
//! * [`verify_upload`]: a captured upload ([`capture::read`]: raw HTTP with the
//!   body, a HAR entry, or a JSON spec with `form`) → signature recomputed from
//!   the exact Base64 policy sent, every condition evaluated, findings SIG500–SIG549;
//! * [`explain::explain_policy_error`]: the servers' Post Policy error messages
//!   mapped to the checks here (for `sigdiff explain`).
//!
//! Files: [`policy`] (parse/encode), [`conditions`] (evaluation), [`oss_post`],
//! [`cos_post`] (signatures), [`multipart`] (body), [`capture`] (inputs),
//! [`explain`] (error messages), [`verify`] (the report).

pub mod capture;
pub mod conditions;
pub mod cos_post;
pub mod explain;
pub mod multipart;
pub mod oss_post;
pub mod policy;
pub mod verify;

use crate::address::resolve;
use crate::canonical::{Canonical, Stage};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{SignOptions, SignResult};
use policy::{Policy, PolicyOrigin};
use serde::Serialize;

pub use explain::{explain_policy_error, PolicyErrorHint, PolicyErrorKind};
pub use verify::{verify_upload, PostReport, Upload};

/// Whether this build signs and verifies the POST schemes.
pub const SUPPORTED: bool = true;

/// True for `oss-post`, `oss-post-v4`, `cos-post`.
pub fn is_post(s: SchemeId) -> bool {
    matches!(
        s,
        SchemeId::OssPost | SchemeId::OssPostV4 | SchemeId::CosPost
    )
}

/// The uploaded file, as far as the capture tells.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FileInfo {
    /// `filename` of the part.
    pub filename: Option<String>,
    /// Size in bytes, when the capture has the content.
    pub size: Option<u64>,
    /// The part's Content-Type.
    pub content_type: Option<String>,
}

/// The form fields of an upload, in order, the file apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UploadForm {
    /// Text fields `(name, value)` in the order sent (the file excluded).
    pub fields: Vec<(String, String)>,
    /// The `file` field.
    pub file: Option<FileInfo>,
    /// Names of fields sent after the file (the server ignores them, oss-signing.md §6.1).
    pub after_file: Vec<String>,
    /// The body's framing used bare LF line breaks.
    pub bare_lf: bool,
    /// The form came from a real body (so a missing `file` is a finding).
    pub from_body: bool,
}

impl UploadForm {
    /// First value of a field, name matched ASCII case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Names sent more than once (case-insensitively), each once.
    pub fn duplicates(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let mut dup = Vec::new();
        for (n, _) in &self.fields {
            let l = n.to_ascii_lowercase();
            if seen.contains(&l) {
                if !dup.contains(&l) {
                    dup.push(l);
                }
            } else {
                seen.push(l);
            }
        }
        dup
    }

    /// From `(name, value)` pairs (JSON `form`, HAR params): a field named `file`
    /// is the file, its value the content (its length the size).
    pub fn from_pairs(pairs: &[(String, String)]) -> UploadForm {
        let mut f = UploadForm::default();
        for (n, v) in pairs {
            if n.eq_ignore_ascii_case("file") && f.file.is_none() {
                f.file = Some(FileInfo {
                    filename: None,
                    size: Some(v.len() as u64),
                    content_type: None,
                });
            } else {
                if f.file.is_some() {
                    f.after_file.push(n.clone());
                }
                f.fields.push((n.clone(), v.clone()));
            }
        }
        f
    }

    /// From a parsed multipart body. Text fields must be UTF-8.
    pub fn from_multipart(m: multipart::Multipart) -> Result<UploadForm> {
        let mut f = UploadForm {
            bare_lf: m.bare_lf,
            from_body: true,
            ..Default::default()
        };
        for p in m.parts {
            // The file part: named `file` (oss-signing.md §6.1; cos-signing.md §4 step 6).
            if p.name.eq_ignore_ascii_case("file") && f.file.is_none() {
                f.file = Some(FileInfo {
                    filename: p.filename,
                    size: Some(p.data.len() as u64),
                    content_type: p.content_type,
                });
                continue;
            }
            let v = String::from_utf8(p.data).map_err(|_| {
                InputError::new(
                    "invalid-utf8",
                    format!("the value of form field `{}` is not UTF-8", p.name),
                )
                .at(format!("body byte {}", p.offset))
            })?;
            if f.file.is_some() {
                f.after_file.push(p.name.clone());
            }
            f.fields.push((p.name, v));
        }
        Ok(f)
    }
}

/// Which POST scheme a form's signature fields belong to.
pub fn detect(form: &UploadForm) -> Result<SchemeId> {
    let has = |n: &str| form.get(n).is_some();
    if has(oss_post::V4_SIGNATURE) || has(oss_post::V4_VERSION) || has(oss_post::V4_CREDENTIAL) {
        return Ok(SchemeId::OssPostV4);
    }
    if has(cos_post::SIGNATURE_FIELD) || has(cos_post::AK_FIELD) || has(cos_post::ALGORITHM_FIELD) {
        return Ok(SchemeId::CosPost);
    }
    if has(oss_post::V1_SIGNATURE) || has(oss_post::V1_ACCESS_KEY_ID) {
        return Ok(SchemeId::OssPost);
    }
    Err(InputError::new(
        "no-signature",
        "the form carries no signature fields (OSSAccessKeyId/Signature, x-oss-signature-version/x-oss-credential/x-oss-signature, or q-ak/q-signature): an anonymous upload, nothing to verify",
    ))
}

/// The AccessKeyId / SecretId a form names.
pub fn access_key_id(form: &UploadForm, scheme: SchemeId) -> Option<String> {
    match scheme {
        SchemeId::OssPost => form.get(oss_post::V1_ACCESS_KEY_ID).map(str::to_string),
        SchemeId::OssPostV4 => form
            .get(oss_post::V4_CREDENTIAL)
            .map(|c| c.split('/').next().unwrap_or("").to_string()),
        SchemeId::CosPost => form.get(cos_post::AK_FIELD).map(str::to_string),
        _ => None,
    }
}

/// The policy bytes and what was encoded (part of sign and verify output).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    /// What was Base64-encoded.
    pub origin: PolicyOrigin,
    /// The same in words.
    pub encoded: &'static str,
    /// The JSON bytes as text.
    pub json: String,
    /// Their length in bytes.
    pub json_bytes: usize,
    /// The Base64 text (the `policy` form field).
    pub base64: String,
    /// `expiration` as written.
    pub expiration: String,
}

impl PolicyView {
    /// The view of a policy.
    pub fn of(p: &Policy) -> PolicyView {
        PolicyView {
            origin: p.origin,
            encoded: p.origin.describe(),
            json: p.json_text(),
            json_bytes: p.json.len(),
            base64: p.base64.clone(),
            expiration: p.expiration.clone(),
        }
    }
}

/// What signing a form produced, besides the common sign result.
#[derive(Debug, Clone, Serialize)]
pub struct PostSignOutput {
    /// The form fields to post, in order (`file` last when given).
    pub form: Vec<(String, String)>,
    /// The policy bytes and what was encoded.
    pub policy: PolicyView,
    /// Conditions the produced form does not meet (the server would reject it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The spec's `policy`: a JSON object (serialised by sigdiff) or the Base64 text as sent.
pub fn policy_of_spec(spec: &RequestSpec) -> Result<Option<Policy>> {
    let Some(raw) = &spec.policy else {
        return Ok(None);
    };
    let t = raw.get().trim_start();
    if t.starts_with('"') {
        let s: String = serde_json::from_str(raw.get()).map_err(|e| {
            InputError::new("bad-policy", format!("`policy` is not a JSON string: {e}"))
                .at("field `policy`")
        })?;
        Policy::from_base64(&s, "field `policy`").map(Some)
    } else if t.starts_with('{') {
        Policy::from_object_text(raw.get(), "field `policy`").map(Some)
    } else {
        Err(InputError::new(
            "bad-policy",
            format!(
                "`policy` must be the policy object or its Base64 text (a string), not `{}`",
                crate::encode::truncate(t, 20)
            ),
        )
        .at("field `policy`"))
    }
}

fn is_sig_field(n: &str) -> bool {
    [
        "policy",
        "file",
        oss_post::V1_ACCESS_KEY_ID,
        oss_post::V1_SIGNATURE,
        oss_post::V4_VERSION,
        oss_post::V4_CREDENTIAL,
        oss_post::V4_DATE,
        oss_post::V4_SIGNATURE,
        oss_post::SECURITY_TOKEN,
        cos_post::ALGORITHM_FIELD,
        cos_post::AK_FIELD,
        cos_post::KEY_TIME_FIELD,
        cos_post::SIGNATURE_FIELD,
        cos_post::SECURITY_TOKEN,
    ]
    .iter()
    .any(|x| x.eq_ignore_ascii_case(n))
}

/// Sign a POST spec: the form fields to post (DESIGN "JSON request spec";
/// oss-signing.md §6; cos-signing.md §4 step 6).
///
/// The spec needs `policy` and credentials. The spec's own `form` fields come first
/// (a signature field given there is replaced, except `x-oss-date` and `q-key-time`,
/// which are used as given), then `policy` and the signature fields, then `file`.
/// `url` / `endpoint` + `bucket` give the URL to post to (optional). OSS V4: the
/// region is `region`, else the endpoint's, else the policy's `x-oss-credential`;
/// COS: the key time is `key_time`, else `time;time+expires`.
pub fn sign_spec(spec: &RequestSpec, scheme: SchemeId, opts: &SignOptions) -> Result<SignResult> {
    let FormSigned {
        policy,
        time,
        addr,
        url,
        host,
        form,
        signature,
        string_to_sign,
        field,
    } = sign_form(spec, scheme, opts)?;
    // Check the produced form against its own policy: a failing condition is
    // signed all the same (test inputs may want that) but reported.
    let view = UploadForm::from_pairs(&form);
    let bucket = addr
        .as_ref()
        .and_then(|a| a.bucket.clone())
        .or(spec.bucket.clone());
    let warnings = conditions::evaluate(&policy, &view, scheme, bucket.as_deref(), time)
        .into_iter()
        .filter(|r| r.status == conditions::Status::Fail)
        .map(|r| {
            format!(
                "{} {}{}",
                r.code.unwrap_or(""),
                r.detail,
                r.server_message
                    .map(|m| format!(" (server: \"{m}\")"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mut c = Canonical::with_capacity(string_to_sign.len(), 1);
    c.push(field, &string_to_sign);
    Ok(SignResult {
        id: spec.id.clone(),
        scheme,
        signature,
        authorization: None,
        url,
        headers: host
            .map(|h| vec![("Host".to_string(), h)])
            .unwrap_or_default(),
        string_to_sign,
        canonical_request: None,
        format_string: None,
        stages: vec![(Stage::StringToSign, c)],
        post: Some(PostSignOutput {
            form,
            policy: PolicyView::of(&policy),
            warnings,
        }),
    })
}

/// The signature of a POST spec: what [`sign_spec`] signs (and the same errors),
/// without the policy view and the check of the form against its policy.
pub fn signature_of_spec(
    spec: &RequestSpec,
    scheme: SchemeId,
    opts: &SignOptions,
) -> Result<String> {
    sign_form(spec, scheme, opts).map(|s| s.signature)
}

/// A signed form, before it is checked against its policy.
struct FormSigned {
    policy: Policy,
    time: i64,
    addr: Option<crate::address::Address>,
    url: String,
    host: Option<String>,
    form: Vec<(String, String)>,
    signature: String,
    string_to_sign: String,
    field: &'static str,
}

fn sign_form(spec: &RequestSpec, scheme: SchemeId, opts: &SignOptions) -> Result<FormSigned> {
    let policy = policy_of_spec(spec)?.ok_or_else(|| {
        InputError::new(
            "bad-spec",
            format!("scheme `{scheme}` signs a policy: give `policy` (the JSON object, or its Base64 text exactly as sent)"),
        )
        .at("field `policy`")
    })?;
    let time = spec.time_or(opts.now)?;
    let expires = spec.expires.unwrap_or(3600);
    let creds = spec.credentials()?;
    if creds.access_key_id.is_empty() {
        return Err(InputError::new(
            "bad-spec",
            "a form upload names its AccessKeyId in the form: give `credentials.access_key_id`",
        )
        .at("field `credentials`"));
    }
    // Where the form is posted: `POST /` to the bucket host (oss-signing.md §6.1).
    let (url, host, addr) = if spec.url.is_some() || spec.endpoint.is_some() {
        // The address part of the spec only (what `to_request` reads), not the
        // policy and form fields, which may be large.
        let s = RequestSpec {
            method: Some("POST".into()),
            url: spec.url.clone(),
            endpoint: spec.endpoint.clone(),
            bucket: spec.bucket.clone(),
            style: spec.style,
            headers: spec.headers.clone(),
            ..RequestSpec::default()
        };
        let (mut req, hint) = s.to_request(scheme.provider())?;
        if spec.url.is_some() {
            req.target = "/".into();
        }
        let addr = resolve(
            &req,
            scheme.provider(),
            hint.or(opts.bucket.clone()).as_deref(),
        )?;
        (req.url(), Some(addr.host.clone()), Some(addr))
    } else {
        (String::new(), None, None)
    };
    let given = |n: &str| {
        spec.form
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let mut form: Vec<(String, String)> = spec
        .form
        .iter()
        .filter(|(k, _)| !is_sig_field(k))
        .cloned()
        .collect();
    form.push(("policy".into(), policy.base64.clone()));
    let token = creds.security_token.clone();
    let (signature, string_to_sign, field) = match scheme {
        SchemeId::OssPost => {
            let sig = oss_post::v1_signature(&creds.secret, &policy.base64);
            form.push((
                oss_post::V1_ACCESS_KEY_ID.into(),
                creds.access_key_id.clone(),
            ));
            form.push((oss_post::V1_SIGNATURE.into(), sig.clone()));
            if let Some(t) = token {
                form.push((oss_post::SECURITY_TOKEN.into(), t));
            }
            (sig, policy.base64.clone(), "policy")
        }
        SchemeId::OssPostV4 => {
            let date = given(oss_post::V4_DATE).unwrap_or_else(|| crate::time::iso_basic(time));
            let day = crate::oss::v4::timestamp_day(&date).ok_or_else(|| {
                InputError::new(
                    "bad-spec",
                    format!(
                        "the form's x-oss-date `{}` is not yyyymmddTHHMMSSZ",
                        crate::canonical::escape_visible(&date)
                    ),
                )
                .at("field `form`")
            })?;
            let from_policy = policy
                .exact_values(oss_post::V4_CREDENTIAL)
                .next()
                .and_then(|c| crate::oss::v4::Credential::parse(c, "policy").ok())
                .map(|c| c.scope.region);
            let region = spec
                .region
                .clone()
                .filter(|r| !r.trim().is_empty())
                .or_else(|| addr.as_ref().and_then(|a| a.endpoint.region.clone()))
                .or(from_policy)
                .ok_or_else(|| {
                    InputError::new(
                        "bad-spec",
                        "OSS V4 needs a region: give `region`, an OSS `endpoint`, or an x-oss-credential condition in the policy",
                    )
                    .at("field `region`")
                })?;
            let product = spec
                .product
                .clone()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| crate::oss::v4::scope::PRODUCT_OSS.into());
            let scope = crate::oss::v4::Scope::new(&day, &region, &product);
            let sig =
                oss_post::v4_signature(&creds.secret, &day, &region, &product, &policy.base64);
            form.push((oss_post::V4_VERSION.into(), oss_post::V4_ALGORITHM.into()));
            form.push((
                oss_post::V4_CREDENTIAL.into(),
                format!("{}/{}", creds.access_key_id, scope.text()),
            ));
            form.push((oss_post::V4_DATE.into(), date));
            if let Some(t) = token {
                form.push((oss_post::SECURITY_TOKEN.into(), t));
            }
            form.push((oss_post::V4_SIGNATURE.into(), sig.clone()));
            (sig, policy.base64.clone(), "policy")
        }
        SchemeId::CosPost => {
            let kt = spec
                .key_time
                .clone()
                .or_else(|| given(cos_post::KEY_TIME_FIELD))
                .unwrap_or_else(|| {
                    crate::cos::key_time::TimeRange::from_expires(time, expires).to_string()
                });
            crate::cos::key_time::TimeRange::parse(&kt, "key_time")?;
            let sts = cos_post::string_to_sign(&policy.json);
            let sig = cos_post::signature(&creds.secret, &kt, &sts);
            form.push((cos_post::ALGORITHM_FIELD.into(), cos_post::ALGORITHM.into()));
            form.push((cos_post::AK_FIELD.into(), creds.access_key_id.clone()));
            form.push((cos_post::KEY_TIME_FIELD.into(), kt));
            form.push((cos_post::SIGNATURE_FIELD.into(), sig.clone()));
            if let Some(t) = token {
                form.push((cos_post::SECURITY_TOKEN.into(), t));
            }
            (sig, sts, "policy-sha1")
        }
        other => {
            return Err(InputError::new(
                "bad-scheme",
                format!("`{other}` is not a form-upload scheme"),
            ))
        }
    };
    if let Some(f) = given("file") {
        form.push(("file".into(), f));
    }
    Ok(FormSigned {
        policy,
        time,
        addr,
        url,
        host,
        form,
        signature,
        string_to_sign,
        field,
    })
}
