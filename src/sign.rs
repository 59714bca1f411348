//! The sign pipeline: JSON request spec → request with credentials → result.
//!
//! Signing reuses the verifier's canonicalisation on the request it is about to
//! send, so what `sign` produces is by construction what `verify` accepts.

use crate::address::resolve;
use crate::canonical::{Canonical, Stage};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::oss::v1::{self, V1Options};
use crate::scheme::SchemeId;
use serde::Serialize;

/// Defaults for specs that leave things out.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Signing instant when the spec has no `time` (the caller's clock).
    pub now: i64,
    /// Scheme when the spec has none.
    pub scheme: Option<SchemeId>,
    /// OSS V1 behaviour (a spec's `options` object overrides single fields).
    pub oss_v1: V1Options,
    /// OSS V4 behaviour.
    pub oss_v4: crate::oss::v4::V4Options,
    /// COS behaviour.
    pub cos: crate::cos::CosOptions,
    /// Bucket for a custom domain, when the spec has a `url` on one.
    pub bucket: Option<String>,
}

/// One sign result (DESIGN "Result").
#[derive(Debug, Clone, Serialize)]
pub struct SignResult {
    /// Echo of the spec's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    /// Scheme.
    pub scheme: SchemeId,
    /// The signature.
    pub signature: String,
    /// Authorization header value (header schemes).
    pub authorization: Option<String>,
    /// The full URL to request.
    pub url: String,
    /// Every header to send, Host and Authorization included.
    pub headers: Vec<(String, String)>,
    /// StringToSign (exact text).
    pub string_to_sign: String,
    /// OSS V4 canonical request.
    pub canonical_request: Option<String>,
    /// COS HttpString.
    pub format_string: Option<String>,
    /// The signed stages as named fields.
    #[serde(skip)]
    pub stages: Vec<(Stage, Canonical)>,
    /// Form uploads (`oss-post`, `oss-post-v4`, `cos-post`): the form fields to post
    /// and the policy bytes (`form`, `policy` in JSON; absent for other schemes).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub post: Option<crate::post::PostSignOutput>,
}

/// Overlay a spec's `options` on defaults of type `T`.
pub fn overlay<T: Serialize + serde::de::DeserializeOwned + Clone>(
    base: &T,
    over: Option<&serde_json::Value>,
) -> Result<T> {
    let Some(over) = over else {
        return Ok(base.clone());
    };
    let mut v = serde_json::to_value(base).expect("options serialise");
    if let (Some(dst), Some(src)) = (v.as_object_mut(), over.as_object()) {
        for (k, x) in src {
            if !dst.contains_key(k) {
                return Err(InputError::new(
                    "bad-spec",
                    format!(
                        "unknown option `{k}`; known: {}",
                        dst.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
                .at("field `options`"));
            }
            dst.insert(k.clone(), x.clone());
        }
    } else {
        return Err(
            InputError::new("bad-spec", "`options` must be an object").at("field `options`")
        );
    }
    serde_json::from_value(v).map_err(|e| {
        InputError::new("bad-spec", format!("bad option value: {e}")).at("field `options`")
    })
}

/// Sign one spec.
pub fn sign_spec(spec: &RequestSpec, opts: &SignOptions) -> Result<SignResult> {
    let scheme = spec
        .scheme_id()
        .map_err(|e| e.at("field `scheme`"))?
        .or(opts.scheme)
        .ok_or_else(|| {
            InputError::new(
                "no-scheme",
                "no scheme: give `scheme` in the spec or --scheme",
            )
        })?;
    if !scheme.is_supported() {
        return Err(InputError::new(
            "unsupported-scheme",
            format!("scheme `{scheme}` is recognised but not supported by this build yet"),
        ));
    }
    if crate::post::is_post(scheme) {
        return crate::post::sign_spec(spec, scheme, opts);
    }
    let time = spec.time_or(opts.now)?;
    let expires = spec.expires.unwrap_or(3600);
    if expires <= 0 {
        return Err(InputError::new(
            "bad-spec",
            format!("`expires` must be positive seconds, got {expires}"),
        )
        .at("field `expires`"));
    }
    let creds = spec.credentials()?;
    let (req, hint) = spec.to_request(scheme.provider())?;
    let bucket = hint.or_else(|| opts.bucket.clone());
    let addr = resolve(&req, scheme.provider(), bucket.as_deref())?;
    let signed = match scheme {
        SchemeId::OssV1 | SchemeId::OssV1Url => {
            let o: V1Options = overlay(&opts.oss_v1, spec.options.as_ref())?;
            let form = if scheme == SchemeId::OssV1 {
                v1::Form::Header
            } else {
                v1::Form::Url
            };
            v1::sign(req, &addr, form, &creds, time, expires, &o)?
        }
        SchemeId::OssV4 | SchemeId::OssV4Url => {
            let o: crate::oss::v4::V4Options = overlay(&opts.oss_v4, spec.options.as_ref())?;
            let form = if scheme == SchemeId::OssV4 {
                crate::oss::v4::Form::Header
            } else {
                crate::oss::v4::Form::Url
            };
            crate::oss::v4::sign(req, &addr, form, &creds, time, expires, spec, &o)?
        }
        SchemeId::Cos | SchemeId::CosUrl => {
            let o: crate::cos::CosOptions = overlay(&opts.cos, spec.options.as_ref())?;
            let form = if scheme == SchemeId::Cos {
                crate::cos::Form::Header
            } else {
                crate::cos::Form::Url
            };
            crate::cos::sign(req, &addr, form, &creds, time, expires, spec, &o)?
        }
        _ => unreachable!("checked by is_supported"),
    };
    let string_to_sign = signed.stage_text(Stage::StringToSign).unwrap_or_default();
    let canonical_request = signed.stage_text(Stage::CanonicalRequest);
    let format_string = signed.stage_text(Stage::FormatString);
    let stages = signed.stages;
    let url = signed.request.url();
    let authorization = signed.request.header("authorization").map(str::to_string);
    let has_host = signed.request.header("host").is_some();
    let mut headers = signed.request.headers;
    if !has_host {
        headers.insert(0, ("Host".to_string(), addr.host));
    }
    Ok(SignResult {
        id: spec.id.clone(),
        scheme,
        authorization,
        url,
        headers,
        string_to_sign,
        canonical_request,
        format_string,
        stages,
        signature: signed.signature,
        post: None,
    })
}
