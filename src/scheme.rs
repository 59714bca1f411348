//! The signature schemes, their detection from a request, and the prepared
//! (canonicalised) form the verify engine works on.

use crate::address::{Address, Provider};
use crate::canonical::{Canonical, Stage};
use crate::error::{InputError, Result};
use crate::finding::Finding;
use crate::request::Request;
use crate::secret::Secret;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A signature scheme (DESIGN "Command line").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum SchemeId {
    /// OSS V1 `Authorization: OSS ak:sig`.
    OssV1,
    /// OSS V1 presigned URL.
    OssV1Url,
    /// OSS V4 `Authorization: OSS4-HMAC-SHA256 ...`.
    OssV4,
    /// OSS V4 presigned URL.
    OssV4Url,
    /// OSS PostObject, V1 policy signature.
    OssPost,
    /// OSS PostObject, V4 policy signature.
    OssPostV4,
    /// COS q-sign in the Authorization header.
    Cos,
    /// COS q-sign in the query (per-field or merged `sign=`).
    CosUrl,
    /// COS POST policy.
    CosPost,
}

impl SchemeId {
    /// Every scheme.
    pub const ALL: [SchemeId; 9] = [
        SchemeId::OssV1,
        SchemeId::OssV1Url,
        SchemeId::OssV4,
        SchemeId::OssV4Url,
        SchemeId::OssPost,
        SchemeId::OssPostV4,
        SchemeId::Cos,
        SchemeId::CosUrl,
        SchemeId::CosPost,
    ];

    /// The scheme's name on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemeId::OssV1 => "oss-v1",
            SchemeId::OssV1Url => "oss-v1-url",
            SchemeId::OssV4 => "oss-v4",
            SchemeId::OssV4Url => "oss-v4-url",
            SchemeId::OssPost => "oss-post",
            SchemeId::OssPostV4 => "oss-post-v4",
            SchemeId::Cos => "cos",
            SchemeId::CosUrl => "cos-url",
            SchemeId::CosPost => "cos-post",
        }
    }

    /// Which provider.
    pub fn provider(self) -> Provider {
        match self {
            SchemeId::Cos | SchemeId::CosUrl | SchemeId::CosPost => Provider::Cos,
            _ => Provider::Oss,
        }
    }

    /// Signature carried in the URL rather than a header.
    pub fn is_url(self) -> bool {
        matches!(
            self,
            SchemeId::OssV1Url | SchemeId::OssV4Url | SchemeId::CosUrl
        )
    }

    /// Implemented by this build for sign and verify.
    pub fn is_supported(self) -> bool {
        match self {
            SchemeId::OssV1 | SchemeId::OssV1Url => true,
            SchemeId::OssV4 | SchemeId::OssV4Url => crate::oss::v4::SUPPORTED,
            SchemeId::Cos | SchemeId::CosUrl => crate::cos::SUPPORTED,
            SchemeId::OssPost | SchemeId::OssPostV4 | SchemeId::CosPost => crate::post::SUPPORTED,
        }
    }
}

impl From<SchemeId> for &'static str {
    fn from(s: SchemeId) -> &'static str {
        s.as_str()
    }
}

impl fmt::Display for SchemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchemeId {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self> {
        SchemeId::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = SchemeId::ALL.iter().map(|x| x.as_str()).collect();
                InputError::new(
                    "bad-scheme",
                    format!("unknown scheme `{s}`; known: {}", names.join(", ")),
                )
            })
    }
}

/// Find the scheme from the credentials the request carries.
pub fn detect(req: &Request) -> Result<SchemeId> {
    if let Some(auth) = req.header("authorization") {
        let a = auth.trim_start();
        if a.starts_with("OSS4-HMAC-SHA256") {
            return Ok(SchemeId::OssV4);
        }
        if a.starts_with("OSS ") {
            return Ok(SchemeId::OssV1);
        }
        if a.starts_with("q-sign-algorithm=") || a.contains("q-signature=") {
            return Ok(SchemeId::Cos);
        }
        if a.starts_with("OSS2 ") {
            return Err(InputError::new(
                "unsupported-scheme",
                "OSS V2 (`OSS2 ...`) signatures are recognised but not supported; use V1 or V4",
            ));
        }
        if a.starts_with("AWS4-HMAC-SHA256") || a.starts_with("AWS ") {
            return Err(InputError::new("unsupported-scheme", "this is an S3-compatible (AWS) signature; sigdiff covers the OSS and COS native schemes"));
        }
        return Err(InputError::new(
            "bad-authorization",
            format!("unrecognised Authorization header `{}…`: expected `OSS `, `OSS4-HMAC-SHA256 ` or `q-sign-algorithm=`", crate::encode::truncate(a, 20)),
        ));
    }
    if let Some(q) = req.raw_query() {
        // Auth parameter names are plain ASCII: compare the raw names, no decoding.
        let has = |n: &str| q.split('&').any(|p| p.split('=').next() == Some(n));
        if has("x-oss-signature-version") || has("x-oss-credential") || has("x-oss-signature") {
            return Ok(SchemeId::OssV4Url);
        }
        if has("OSSAccessKeyId") || has("Signature") {
            return Ok(SchemeId::OssV1Url);
        }
        if has("q-sign-algorithm") || has("q-signature") || has("sign") {
            return Ok(SchemeId::CosUrl);
        }
    }
    Err(InputError::new(
        "no-signature",
        "the request carries no signature: no Authorization header and no signature parameters in the URL (give --scheme to only show what would be signed)",
    ))
}

/// What the signature is computed from, once canonicalised.
#[derive(Debug, Clone)]
pub enum SigningInput {
    /// OSS V1: Base64(HMAC-SHA1(secret, string_to_sign)).
    OssV1,
    /// OSS V4: scope, date and key chain inputs.
    OssV4(crate::oss::v4::SigningContext),
    /// COS: key time and sign time.
    Cos(crate::cos::SigningContext),
}

/// Another value a client may have used for a signing input: tried when the
/// signed strings agree but the signatures differ, to localise the mistake
/// (scope, signing-key inputs) before blaming the secret.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// The field it concerns (`scope`, `date`, `signing-key:region`, ...).
    pub field: String,
    /// What differs, in English (completes "The provided signature is reproduced when ...").
    pub en: String,
    /// The same in Chinese.
    pub zh: String,
    /// The signing input with the change.
    pub input: SigningInput,
}

/// The signature of a stage text under a signing input.
pub fn sign_with(input: &SigningInput, stage: Stage, text: &str, secret: &Secret) -> String {
    match input {
        SigningInput::OssV1 => crate::oss::v1::sign_string(secret, text),
        SigningInput::OssV4(ctx) => crate::oss::v4::sign_text(ctx, stage, text, secret),
        SigningInput::Cos(ctx) => crate::cos::sign_text(ctx, stage, text, secret),
    }
}

/// What signing a request produced (every scheme).
#[derive(Debug, Clone)]
pub struct Signed {
    /// The signature.
    pub signature: String,
    /// The request with its credentials added (Authorization header or URL parameters).
    pub request: Request,
    /// The signed stages, most detailed first (V1: StringToSign; V4: CanonicalRequest
    /// then StringToSign; COS: FormatString then StringToSign).
    pub stages: Vec<(Stage, Canonical)>,
}

impl Signed {
    /// A stage's exact text.
    pub fn stage_text(&self, s: Stage) -> Option<String> {
        self.stages
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, c)| c.as_str().to_owned())
    }
}

/// A request canonicalised under one scheme: what verify and diagnose work on.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The scheme.
    pub scheme: SchemeId,
    /// Where the request went.
    pub address: Address,
    /// AccessKeyId / SecretId the request names.
    pub access_key_id: String,
    /// The signature the request carries (decoded from the URL when needed).
    pub provided_signature: String,
    /// Diffable stages, most detailed first (V1: StringToSign).
    pub stages: Vec<(Stage, Canonical)>,
    /// Findings from canonicalisation and pre-checks (time, lint).
    pub findings: Vec<Finding>,
    /// What the signature is computed from.
    pub input: SigningInput,
    /// Scheme-specific words (en, zh) added to SIG002 when the signed strings agree
    /// but the signature does not (e.g. COS: the key time feeds the signing key).
    pub key_hint: Option<(&'static str, &'static str)>,
}

impl Prepared {
    /// The stage the HMAC is taken over (the last one).
    pub fn signed_stage(&self) -> &Canonical {
        &self.stages.last().expect("at least one stage").1
    }

    /// A stage by kind.
    pub fn stage(&self, s: Stage) -> Option<&Canonical> {
        self.stages.iter().find(|(k, _)| *k == s).map(|(_, c)| c)
    }

    /// The signature this request should carry under `secret`.
    pub fn signature(&self, secret: &Secret) -> String {
        self.sign_text(
            self.stages.last().expect("stage").0,
            self.signed_stage().as_str(),
            secret,
        )
    }

    /// The signature for a stage text other than sigdiff's own (a client's string
    /// from its log, or the server's reported one), under the same scheme context.
    pub fn sign_text(&self, stage: Stage, text: &str, secret: &Secret) -> String {
        sign_with(&self.input, stage, text, secret)
    }

    /// Signing inputs a client may have used instead (empty for schemes without any).
    pub fn alternatives(&self) -> Vec<Alternative> {
        match &self.input {
            SigningInput::OssV4(ctx) => crate::oss::v4::alternatives(ctx),
            _ => Vec::new(),
        }
    }

    /// Cut a stage text from elsewhere into this scheme's named fields.
    pub fn parse_stage(&self, stage: Stage, text: &str) -> Canonical {
        let hint = self.stage(stage);
        match self.scheme {
            SchemeId::OssV1Url => crate::oss::v1::string_to_sign::parse_back(text, "expires", hint),
            SchemeId::OssV4 | SchemeId::OssV4Url => crate::oss::v4::parse_stage(stage, text, hint),
            SchemeId::Cos | SchemeId::CosUrl => crate::cos::parse_stage(stage, text, hint),
            _ => crate::oss::v1::string_to_sign::parse_back(text, "date", hint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str, h: &[(&str, &str)]) -> Request {
        Request::from_url(
            "GET",
            url,
            h.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn detects() {
        assert_eq!(
            detect(&req("http://h/", &[("Authorization", "OSS a:b")])).unwrap(),
            SchemeId::OssV1
        );
        assert_eq!(
            detect(&req(
                "http://h/",
                &[("authorization", "OSS4-HMAC-SHA256 Credential=x")]
            ))
            .unwrap(),
            SchemeId::OssV4
        );
        assert_eq!(
            detect(&req(
                "http://h/",
                &[("Authorization", "q-sign-algorithm=sha1&q-ak=x")]
            ))
            .unwrap(),
            SchemeId::Cos
        );
        assert_eq!(
            detect(&req(
                "http://h/k?OSSAccessKeyId=a&Expires=1&Signature=x",
                &[]
            ))
            .unwrap(),
            SchemeId::OssV1Url
        );
        assert_eq!(
            detect(&req(
                "http://h/k?x-oss-signature-version=OSS4-HMAC-SHA256",
                &[]
            ))
            .unwrap(),
            SchemeId::OssV4Url
        );
        assert_eq!(
            detect(&req("http://h/k?q-sign-algorithm=sha1", &[])).unwrap(),
            SchemeId::CosUrl
        );
        assert_eq!(
            detect(&req("http://h/k", &[])).unwrap_err().code(),
            "no-signature"
        );
        assert_eq!(
            detect(&req("http://h/k", &[("Authorization", "Basic x")]))
                .unwrap_err()
                .code(),
            "bad-authorization"
        );
    }

    #[test]
    fn names_round_trip() {
        for s in SchemeId::ALL {
            assert_eq!(s.as_str().parse::<SchemeId>().unwrap(), s);
        }
        assert!("oss-v9".parse::<SchemeId>().is_err());
    }
}
