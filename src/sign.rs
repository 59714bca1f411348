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

impl SignResult {
    /// Append this result as one JSON object, byte for byte what
    /// `serde_json::to_writer(out, self)` writes (the tests hold it to that), for
    /// the `sign --jsonl` loop: serde_json scans strings a byte at a time through
    /// many small writes, and escaping is most of what a result line costs
    /// ([`crate::json::write_result`]).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        crate::json::write_result(out, self);
    }
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

/// What a signer's answer is compared with first (the fuzz harness's fast path):
/// the signature and where it is sent. [`sign_answer`] signs exactly as
/// [`sign_spec`] does (the same errors for the same specs) and leaves out what
/// only a full result needs: the stage texts and the header list, and for form
/// uploads the form, the policy view and the check of the form against its policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAnswer {
    /// Scheme.
    pub scheme: SchemeId,
    /// The signature.
    pub signature: String,
    /// Authorization header value (header schemes).
    pub authorization: Option<String>,
    /// The full URL to request (URL schemes only).
    pub url: Option<String>,
}

/// The scheme a spec is signed with, checked.
fn scheme_of(spec: &RequestSpec, opts: &SignOptions) -> Result<SchemeId> {
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
    Ok(scheme)
}

/// Sign a header or URL scheme's spec: the signed request and its host.
fn sign_request(
    spec: &RequestSpec,
    scheme: SchemeId,
    opts: &SignOptions,
) -> Result<(crate::scheme::Signed, String)> {
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
    Ok((signed, addr.host))
}

/// Sign one spec, for a comparison: see [`SignedAnswer`].
pub fn sign_answer(spec: &RequestSpec, opts: &SignOptions) -> Result<SignedAnswer> {
    let scheme = scheme_of(spec, opts)?;
    if crate::post::is_post(scheme) {
        let signature = crate::post::signature_of_spec(spec, scheme, opts)?;
        return Ok(SignedAnswer {
            scheme,
            signature,
            authorization: None,
            url: None,
        });
    }
    let (signed, _) = sign_request(spec, scheme, opts)?;
    let (authorization, url) = if scheme.is_url() {
        (None, Some(signed.request.url()))
    } else {
        (
            signed.request.header("authorization").map(str::to_string),
            None,
        )
    };
    Ok(SignedAnswer {
        scheme,
        signature: signed.signature,
        authorization,
        url,
    })
}

/// Sign one spec.
pub fn sign_spec(spec: &RequestSpec, opts: &SignOptions) -> Result<SignResult> {
    let scheme = scheme_of(spec, opts)?;
    if crate::post::is_post(scheme) {
        return crate::post::sign_spec(spec, scheme, opts);
    }
    let (signed, host) = sign_request(spec, scheme, opts)?;
    let string_to_sign = signed.stage_text(Stage::StringToSign).unwrap_or_default();
    let canonical_request = signed.stage_text(Stage::CanonicalRequest);
    let format_string = signed.stage_text(Stage::FormatString);
    let stages = signed.stages;
    let url = signed.request.url();
    let authorization = signed.request.header("authorization").map(str::to_string);
    let has_host = signed.request.header("host").is_some();
    let mut headers = signed.request.headers;
    if !has_host {
        headers.insert(0, ("Host".to_string(), host));
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn result(text: String, id: Option<serde_json::Value>, none: bool) -> SignResult {
        SignResult {
            id,
            scheme: SchemeId::OssV1Url,
            signature: text.clone(),
            authorization: (!none).then(|| format!("OSS a:{text}")),
            url: format!("https://b.oss-cn-hangzhou.aliyuncs.com/{text}"),
            headers: vec![("Host".into(), text.clone()), (text.clone(), "v".into())],
            string_to_sign: format!("PUT\n\n{text}\n"),
            canonical_request: (!none).then(|| text.clone()),
            format_string: None,
            stages: Vec::new(),
            post: None,
        }
    }

    proptest! {
        // serde_json is the oracle: the line writer must produce its exact bytes
        // for any text (control characters, quotes, backslashes, non-ASCII) and id.
        #[test]
        fn write_json_is_serde_json(text in "(\\PC|[\\x00-\\x1f\\x7f\"\\\\]){0,40}", n in any::<i64>(), f in any::<f64>(), pick in 0u8..5) {
            let id = match pick {
                0 => None,
                1 => Some(serde_json::json!(n)),
                2 => Some(serde_json::json!(text.clone())),
                3 => serde_json::Number::from_f64(f).map(serde_json::Value::Number),
                _ => Some(serde_json::json!({"k": [text.clone(), null, true]})),
            };
            let r = result(text, id, pick % 2 == 0);
            let mut ours = Vec::new();
            r.write_json(&mut ours);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&r).unwrap());
        }
    }

    /// `sign_answer` is `sign_spec`'s answer, and fails where it fails.
    #[test]
    fn sign_answer_is_sign_spec_s_answer() {
        let opts = SignOptions::default();
        let (mut checked, mut refused) = (0, 0);
        for scheme in SchemeId::ALL.into_iter().filter(|s| s.is_supported()) {
            let mut specs = crate::strategy::sample(scheme, 11, 150);
            // Broken specs: the same error from both.
            let good = specs[0].clone();
            let mut broken = Vec::new();
            let mut s = good.clone();
            s.expires = Some(0);
            broken.push(s);
            let mut s = good.clone();
            s.credentials = None;
            broken.push(s);
            let mut s = good.clone();
            s.method = Some("G T".into());
            broken.push(s);
            let mut s = good.clone();
            s.endpoint = None;
            broken.push(s);
            let mut s = good.clone();
            s.scheme = Some("oss-v9".into());
            broken.push(s);
            let mut s = good.clone();
            s.policy = None;
            broken.push(s);
            let mut s = good.clone();
            s.time = Some(crate::input::spec::TimeSpec::Text("soon".into()));
            broken.push(s);
            specs.extend(broken);
            for spec in &specs {
                match (sign_spec(spec, &opts), sign_answer(spec, &opts)) {
                    (Ok(full), Ok(lean)) => {
                        checked += 1;
                        assert_eq!(lean.scheme, full.scheme);
                        assert_eq!(lean.signature, full.signature);
                        if crate::post::is_post(scheme) {
                            assert_eq!((lean.authorization, lean.url), (None, None));
                        } else if scheme.is_url() {
                            assert_eq!(lean.url.as_ref(), Some(&full.url));
                            assert_eq!(lean.authorization, None);
                        } else {
                            assert!(full.authorization.is_some());
                            assert_eq!(lean.authorization, full.authorization);
                            assert_eq!(lean.url, None);
                        }
                    }
                    (Err(a), Err(b)) => {
                        refused += 1;
                        assert_eq!(a, b)
                    }
                    (a, b) => panic!(
                        "{scheme}: sign_spec {:?}, sign_answer {:?}",
                        a.map(|r| r.signature),
                        b.map(|r| r.signature)
                    ),
                }
            }
        }
        assert!(checked > 1000 && refused >= 9 * 5, "{checked} {refused}");
    }
}
