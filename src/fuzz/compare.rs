//! Compare a signer's answer with sigdiff's for one request (issue 7 §3).
//!
//! Fast path: the signer's `authorization` (header schemes) or `url` (URL
//! schemes) is byte-identical to sigdiff's. Otherwise the request the signer
//! would send is verified with sigdiff's verifier (so an equivalent URL with its
//! parameters in another order still agrees), and on a mismatch the signer's
//! intermediate (`string_to_sign` / `canonical_request` / `format_string`) is
//! diffed field by field against sigdiff's and read by [`super::patterns`].

use super::protocol::{Reply, ReplyRef};
use crate::canonical::Stage;
use crate::diff::FieldRow;
use crate::finding::Finding;
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{SignResult, SignedAnswer};
use crate::verify::{verify, VerifyOptions};
use serde::Serialize;

/// One side's answer, as reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The signature (from the reply, or read from its Authorization / URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Authorization header value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// URL to request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// StringToSign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_to_sign: Option<String>,
    /// OSS V4 canonical request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_request: Option<String>,
    /// COS FormatString.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_string: Option<String>,
}

impl Answer {
    /// sigdiff's side.
    pub fn ours(r: &SignResult) -> Answer {
        Answer {
            signature: Some(r.signature.clone()),
            authorization: r.authorization.clone(),
            url: Some(r.url.clone()),
            string_to_sign: Some(r.string_to_sign.clone()),
            canonical_request: r.canonical_request.clone(),
            format_string: r.format_string.clone(),
        }
    }

    /// The signer's side.
    pub fn theirs(r: &Reply) -> Answer {
        Answer {
            signature: r.signature.clone(),
            authorization: r.authorization.clone(),
            url: r.url.clone(),
            string_to_sign: r.string_to_sign.clone(),
            canonical_request: r.canonical_request.clone(),
            format_string: r.format_string.clone(),
        }
    }
}

/// A disagreement on one request.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// Scheme.
    pub scheme: SchemeId,
    /// sigdiff's answer.
    pub ours: Answer,
    /// The signer's answer.
    pub theirs: Answer,
    /// The stage the field diff is of, when the signer sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Field rows: `server` = sigdiff, `client` = the signer (empty without intermediates).
    pub fields: Vec<FieldRow>,
    /// Findings: the named patterns first, then the verifier's.
    pub findings: Vec<Finding>,
}

impl Mismatch {
    /// The codes that name this kind of disagreement (what groups mismatches and
    /// what shrinking preserves): the SIG6xx pattern codes, sorted.
    pub fn kind(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .findings
            .iter()
            .map(|f| f.code)
            .filter(|c| c.starts_with("SIG6"))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// One line: the first pattern's message.
    pub fn headline(&self) -> String {
        self.findings
            .iter()
            .find(|f| f.code.starts_with("SIG6") && f.code != "SIG600")
            .or_else(|| self.findings.first())
            .map(|f| f.message.clone())
            .unwrap_or_else(|| "the signatures differ".to_string())
    }
}

/// The outcome of one request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Same signature (or an equivalent request that verifies).
    Agree,
    /// The signer refused the request (`error` reply) with this message.
    Refused(String),
    /// The signer's answer differs.
    Mismatch(Box<Mismatch>),
}

/// The stage whose intermediate the signer can send for a field diff.
pub fn first_stage(scheme: SchemeId) -> Stage {
    match scheme {
        SchemeId::OssV4 | SchemeId::OssV4Url => Stage::CanonicalRequest,
        SchemeId::Cos | SchemeId::CosUrl => Stage::FormatString,
        _ => Stage::StringToSign,
    }
}

fn intermediate(r: &Reply, stage: Stage) -> Option<&str> {
    match stage {
        Stage::StringToSign => r.string_to_sign.as_deref(),
        Stage::CanonicalRequest => r.canonical_request.as_deref(),
        Stage::FormatString => r.format_string.as_deref(),
    }
}

/// Compare the signer's reply with sigdiff's result for `spec`. `Err` is a
/// protocol violation (a `signed` reply without what its scheme needs).
pub fn compare(
    scheme: SchemeId,
    spec: &RequestSpec,
    ours: &SignResult,
    reply: &Reply,
) -> Result<Outcome, String> {
    match reply.kind.as_str() {
        "signed" => {}
        "error" => {
            return Ok(Outcome::Refused(
                reply
                    .message
                    .clone()
                    .unwrap_or_else(|| "(no message)".into()),
            ))
        }
        other => {
            return Err(format!(
                "a reply of type `{}`; expected signed or error",
                crate::encode::truncate(other, 20)
            ))
        }
    }
    if crate::post::is_post(scheme) {
        return post(scheme, ours, reply);
    }
    // Fast path: the very bytes.
    if scheme.is_url() {
        match &reply.url {
            None => return Err(format!("a `signed` reply for {scheme} without `url`")),
            Some(u) if *u == ours.url => return Ok(Outcome::Agree),
            _ => {}
        }
    } else {
        match &reply.authorization {
            None => {
                return Err(format!(
                    "a `signed` reply for {scheme} without `authorization`"
                ))
            }
            Some(a) if Some(a) == ours.authorization.as_ref() => return Ok(Outcome::Agree),
            _ => {}
        }
    }
    Ok(slow(scheme, spec, ours, reply))
}

/// The fast path of [`compare`] on a borrowed reply: true when the signer's
/// `signed` answer is byte-identical to sigdiff's (`url` for URL schemes,
/// `authorization` for header schemes, `signature` for form uploads), so that
/// [`compare`] would answer [`Outcome::Agree`] without verifying anything. False
/// says nothing: the harness then compares the full reply with the full result.
pub fn agrees_fast(ours: &SignedAnswer, reply: &ReplyRef<'_>) -> bool {
    if reply.kind != "signed" {
        return false;
    }
    if crate::post::is_post(ours.scheme) {
        reply.signature.as_deref() == Some(ours.signature.as_str())
    } else if ours.scheme.is_url() {
        reply.url.is_some() && reply.url.as_deref() == ours.url.as_deref()
    } else {
        reply.authorization.is_some()
            && reply.authorization.as_deref() == ours.authorization.as_deref()
    }
}

/// The signature field of a form upload.
pub fn post_signature_field(scheme: SchemeId) -> &'static str {
    match scheme {
        SchemeId::OssPostV4 => crate::post::oss_post::V4_SIGNATURE,
        SchemeId::CosPost => crate::post::cos_post::SIGNATURE_FIELD,
        _ => crate::post::oss_post::V1_SIGNATURE,
    }
}

/// A form upload (`oss-post`, `oss-post-v4`, `cos-post`): the signer's signature
/// (`signature`, else the signature field of its `form`) against sigdiff's; on a
/// mismatch its `string_to_sign` against sigdiff's (the policy's Base64 text for
/// OSS, the SHA-1 of the policy bytes for COS).
fn post(scheme: SchemeId, ours: &SignResult, reply: &Reply) -> Result<Outcome, String> {
    let field = post_signature_field(scheme);
    let Some(theirs_sig) = reply.signature.clone().or_else(|| {
        reply.form.as_ref().and_then(|f| {
            f.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(field))
                .map(|(_, v)| v.clone())
        })
    }) else {
        return Err(format!(
            "a `signed` reply for {scheme} without `signature` (or a `form` with `{field}`)"
        ));
    };
    if theirs_sig == ours.signature {
        return Ok(Outcome::Agree);
    }
    let mut theirs = Answer::theirs(reply);
    theirs.signature = Some(theirs_sig.clone());
    let mut mismatch = Mismatch {
        scheme,
        ours: Answer::ours(ours),
        theirs,
        stage: None,
        fields: Vec::new(),
        findings: vec![Finding::new(
            "SIG600",
            None,
            format!(
                "The signer's signature `{theirs_sig}` is not sigdiff's `{}`.",
                ours.signature
            ),
            format!(
                "签名方的签名 `{theirs_sig}` 与 sigdiff 的 `{}` 不同。",
                ours.signature
            ),
        )],
    };
    let name = if scheme == SchemeId::CosPost {
        "policy-sha1"
    } else {
        "policy"
    };
    match &reply.string_to_sign {
        Some(sts) if *sts == ours.string_to_sign => {
            mismatch.stage = Some(Stage::StringToSign);
            mismatch.fields = vec![FieldRow {
                name: name.into(),
                server: Some(ours.string_to_sign.clone()),
                client: Some(sts.clone()),
                same: true,
                first_diff: None,
            }];
            mismatch.findings.push(Finding::new(
                "SIG621",
                Some("signature"),
                "The signer's StringToSign is sigdiff's, yet the signature differs: the signing key, the HMAC or the encoding of the result (Base64 / hex) is wrong.".to_string(),
                "签名方的 StringToSign 与 sigdiff 一致，但签名不同：签名密钥、HMAC 或结果编码（Base64/十六进制）有误。".to_string(),
            ));
        }
        Some(sts) => {
            let first_diff = ours
                .string_to_sign
                .bytes()
                .zip(sts.bytes())
                .position(|(a, b)| a != b)
                .or(Some(ours.string_to_sign.len().min(sts.len())));
            mismatch.stage = Some(Stage::StringToSign);
            // OSS signs the policy's Base64 text: the documents themselves, decoded,
            // show what differs (compaction, escapes, key order).
            let decoded = |t: &str| {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(t)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            };
            if scheme != SchemeId::CosPost {
                if let (Some(a), Some(b)) = (decoded(&ours.string_to_sign), decoded(sts)) {
                    if a != b {
                        let first_diff = a
                            .bytes()
                            .zip(b.bytes())
                            .position(|(x, y)| x != y)
                            .or(Some(a.len().min(b.len())));
                        mismatch.fields.push(FieldRow {
                            name: "policy-json".into(),
                            server: Some(a),
                            client: Some(b),
                            same: false,
                            first_diff,
                        });
                    }
                }
            }
            mismatch.fields.push(FieldRow {
                name: name.into(),
                server: Some(ours.string_to_sign.clone()),
                client: Some(sts.clone()),
                same: false,
                first_diff,
            });
            mismatch
                .findings
                .extend(super::patterns::diagnose(&mismatch.fields));
        }
        None => mismatch.findings.push(Finding::new(
            "SIG607",
            None,
            "The signer sent no `string_to_sign`: send it in the reply to get a field-by-field diff.".to_string(),
            "签名方未返回中间结果：在回复中附上它即可逐字段比较。",
        )),
    }
    Ok(Outcome::Mismatch(Box::new(mismatch)))
}

/// Verify the request the signer would send, and diff its intermediate.
fn slow(scheme: SchemeId, spec: &RequestSpec, ours: &SignResult, reply: &Reply) -> Outcome {
    let method = spec.method.as_deref().unwrap_or("GET");
    let stage = first_stage(scheme);
    let (url, headers) = if scheme.is_url() {
        (reply.url.clone().unwrap_or_default(), ours.headers.clone())
    } else {
        let auth = reply.authorization.clone().unwrap_or_default();
        let mut h: Vec<(String, String)> = ours
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
            .cloned()
            .collect();
        h.push(("Authorization".to_string(), auth));
        (ours.url.clone(), h)
    };
    let mut theirs = Answer::theirs(reply);
    let mut mismatch = Mismatch {
        scheme,
        ours: Answer::ours(ours),
        theirs: theirs.clone(),
        stage: None,
        fields: Vec::new(),
        findings: Vec::new(),
    };
    let secret = spec
        .credentials
        .as_ref()
        .and_then(|c| c.access_key_secret.clone())
        .unwrap_or_default();
    let opts = VerifyOptions {
        now: spec.time_or(0).unwrap_or(0),
        scheme: Some(scheme),
        secrets: vec![crate::Secret::new(secret)],
        client_string: intermediate(reply, stage).map(str::to_string),
        ..Default::default()
    };
    let rep = crate::Request::from_url(method, &url, headers).and_then(|req| verify(&req, &opts));
    let rep = match rep {
        Ok(r) => r,
        Err(e) => {
            let what = if scheme.is_url() {
                "URL"
            } else {
                "Authorization header"
            };
            mismatch.findings.push(Finding::new(
                "SIG606",
                Some(if scheme.is_url() {
                    "url"
                } else {
                    "authorization"
                }),
                format!("sigdiff cannot read the signer's {what}: {e}"),
                format!("sigdiff 无法读取签名方的 {what}：{e}"),
            ));
            return Outcome::Mismatch(Box::new(mismatch));
        }
    };
    if rep.computed_signature.as_deref() == Some(rep.provided_signature.as_str()) {
        // A different text, the same signature for the same request: equivalent.
        return Outcome::Agree;
    }
    theirs.signature = Some(rep.provided_signature.clone());
    mismatch.theirs = theirs;
    mismatch.findings.push(Finding::new(
        "SIG600",
        None,
        format!(
            "The signer's signature `{}` is not sigdiff's `{}`.",
            rep.provided_signature, ours.signature
        ),
        format!(
            "签名方的签名 `{}` 与 sigdiff 的 `{}` 不同。",
            rep.provided_signature, ours.signature
        ),
    ));
    if opts.client_string.is_some() {
        mismatch.stage = Some(stage);
        mismatch.fields = rep.fields.clone();
        let named = super::patterns::diagnose(&rep.fields);
        if named.is_empty() {
            // The strings agree: the difference is after them (key, HMAC, encoding of the result).
            mismatch.findings.push(Finding::new(
                "SIG621",
                Some("signature"),
                format!(
                    "The signer's {} is sigdiff's, yet the signature differs: the signing key, the HMAC or the encoding of the result (Base64 / hex) is wrong.",
                    stage.server_name()
                ),
                format!(
                    "签名方的 {} 与 sigdiff 一致，但签名不同：签名密钥、HMAC 或结果编码（Base64/十六进制）有误。",
                    stage.server_name()
                ),
            ));
        }
        mismatch.findings.extend(named);
        // The verifier's second-stage and signing-key findings (SIG240-242); its
        // request lints concern sigdiff's own request and are left out.
        mismatch.findings.extend(
            rep.findings
                .into_iter()
                .filter(|f| matches!(f.code, "SIG240" | "SIG241" | "SIG242")),
        );
    } else {
        mismatch.findings.push(Finding::new(
            "SIG607",
            None,
            format!(
                "The signer sent no `{}`: send it in the reply to get a field-by-field diff.",
                match stage {
                    Stage::StringToSign => "string_to_sign",
                    Stage::CanonicalRequest => "canonical_request",
                    Stage::FormatString => "format_string",
                }
            ),
            "签名方未返回中间结果：在回复中附上它即可逐字段比较。",
        ));
    }
    Outcome::Mismatch(Box::new(mismatch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::{sign_spec, SignOptions};

    fn spec() -> RequestSpec {
        RequestSpec::from_json(
            r#"{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"a b",
            "endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",null]],
            "headers":[["x-oss-meta-b","2"],["x-oss-meta-a","1"]],
            "credentials":{"access_key_id":"ak","access_key_secret":"sk"},"time":1700000000}"#,
        )
        .unwrap()
    }

    fn reply_from(r: &SignResult) -> Reply {
        let mut v = Vec::new();
        super::super::protocol::write_signed(&mut v, r);
        serde_json::from_slice(&v).unwrap()
    }

    /// The fast path agrees exactly when `compare` agrees on the very bytes.
    #[test]
    fn fast_path_is_compare_s_fast_path() {
        use crate::sign::sign_answer;
        let opts = SignOptions::default();
        for scheme in SchemeId::ALL.into_iter().filter(|s| s.is_supported()) {
            for s in crate::strategy::sample(scheme, 5, 20) {
                let ours = sign_spec(&s, &opts).unwrap();
                let lean = sign_answer(&s, &opts).unwrap();
                let mut line = Vec::new();
                super::super::protocol::write_signed(&mut line, &ours);
                let line = String::from_utf8(line).unwrap();
                let reply = ReplyRef::parse(&line).unwrap();
                assert!(agrees_fast(&lean, &reply), "{scheme}");
                assert!(matches!(
                    compare(scheme, &s, &ours, &reply_from(&ours)),
                    Ok(Outcome::Agree)
                ));
                // One byte off in what is compared: not the fast path (and a mismatch).
                let field = if crate::post::is_post(scheme) {
                    "signature"
                } else if scheme.is_url() {
                    "url"
                } else {
                    "authorization"
                };
                let mut v: serde_json::Value = serde_json::from_str(&line).unwrap();
                let text = v[field].as_str().unwrap().to_string();
                v[field] = format!("{}x", text).into();
                if crate::post::is_post(scheme) {
                    v["form"] = serde_json::Value::Null;
                }
                let bad = v.to_string();
                assert!(
                    !agrees_fast(&lean, &ReplyRef::parse(&bad).unwrap()),
                    "{scheme}"
                );
                // (A URL one byte longer may still verify: its last parameter need not be signed.)
                if !scheme.is_url() {
                    let full: Reply = serde_json::from_str(&bad).unwrap();
                    assert!(
                        matches!(compare(scheme, &s, &ours, &full), Ok(Outcome::Mismatch(_))),
                        "{scheme}"
                    );
                }
                // Without the field, or an error reply: never the fast path.
                v[field] = serde_json::Value::Null;
                assert!(!agrees_fast(
                    &lean,
                    &ReplyRef::parse(&v.to_string()).unwrap()
                ));
                let err = r#"{"type":"error","id":1,"message":"no"}"#;
                assert!(!agrees_fast(&lean, &ReplyRef::parse(err).unwrap()));
            }
        }
    }

    #[test]
    fn agrees_with_itself_and_names_unsorted_headers() {
        let s = spec();
        let ours = sign_spec(&s, &SignOptions::default()).unwrap();
        let reply = reply_from(&ours);
        assert!(matches!(
            compare(SchemeId::OssV1, &s, &ours, &reply),
            Ok(Outcome::Agree)
        ));
        // A signer that keeps the headers in the order given.
        let sts = ours.string_to_sign.replace(
            "x-oss-meta-a:1\nx-oss-meta-b:2\n",
            "x-oss-meta-b:2\nx-oss-meta-a:1\n",
        );
        assert_ne!(sts, ours.string_to_sign);
        let sig = crate::oss::v1::sign_string(&crate::Secret::new("sk"), &sts);
        let bad = Reply {
            authorization: Some(format!("OSS ak:{sig}")),
            string_to_sign: Some(sts),
            ..reply.clone()
        };
        let Ok(Outcome::Mismatch(m)) = compare(SchemeId::OssV1, &s, &ours, &bad) else {
            panic!("expected a mismatch")
        };
        assert_eq!(m.kind(), ["SIG600", "SIG610"]);
        assert!(m.headline().contains("does not sort"), "{}", m.headline());
        assert!(m.fields.iter().any(|r| !r.same));
        // Without the intermediate: a mismatch, and the advice to send it.
        let bare = Reply {
            string_to_sign: None,
            ..bad
        };
        let Ok(Outcome::Mismatch(m)) = compare(SchemeId::OssV1, &s, &ours, &bare) else {
            panic!("expected a mismatch")
        };
        assert_eq!(m.kind(), ["SIG600", "SIG607"]);
    }

    #[test]
    fn equivalent_url_agrees_and_protocol_needs_fields() {
        let mut s = spec();
        s.scheme = Some("oss-v1-url".into());
        let ours = sign_spec(&s, &SignOptions::default()).unwrap();
        let reply = reply_from(&ours);
        // The same parameters in another order: the server accepts it.
        let (base, q) = ours.url.split_once('?').unwrap();
        let mut parts: Vec<&str> = q.split('&').collect();
        parts.reverse();
        let other = Reply {
            url: Some(format!("{base}?{}", parts.join("&"))),
            ..reply.clone()
        };
        assert_ne!(other.url.as_ref(), Some(&ours.url));
        assert!(matches!(
            compare(SchemeId::OssV1Url, &s, &ours, &other),
            Ok(Outcome::Agree)
        ));
        let none = Reply {
            url: None,
            ..reply.clone()
        };
        assert!(compare(SchemeId::OssV1Url, &s, &ours, &none)
            .unwrap_err()
            .contains("without `url`"));
        let refused = Reply {
            kind: "error".into(),
            message: Some("no".into()),
            ..Default::default()
        };
        assert!(
            matches!(compare(SchemeId::OssV1Url, &s, &ours, &refused), Ok(Outcome::Refused(m)) if m == "no")
        );
        let odd = Reply {
            kind: "hello".into(),
            ..Default::default()
        };
        assert!(compare(SchemeId::OssV1Url, &s, &ours, &odd).is_err());
        let garbled = Reply {
            url: Some("not a url".into()),
            ..reply
        };
        let Ok(Outcome::Mismatch(m)) = compare(SchemeId::OssV1Url, &s, &ours, &garbled) else {
            panic!("expected a mismatch")
        };
        assert_eq!(m.kind(), ["SIG606"]);
    }

    #[test]
    fn form_uploads_compare_signatures_and_policies() {
        for scheme in [SchemeId::OssPost, SchemeId::OssPostV4, SchemeId::CosPost] {
            let s = crate::strategy::sample(scheme, 4, 1).remove(0);
            let ours = sign_spec(&s, &SignOptions::default()).unwrap();
            let reply = reply_from(&ours);
            assert!(reply.form.is_some());
            assert!(matches!(
                compare(scheme, &s, &ours, &reply),
                Ok(Outcome::Agree)
            ));
            // The signature read from the form when `signature` is absent.
            let from_form = Reply {
                signature: None,
                ..reply.clone()
            };
            assert!(matches!(
                compare(scheme, &s, &ours, &from_form),
                Ok(Outcome::Agree)
            ));
            let neither = Reply {
                signature: None,
                form: None,
                ..reply.clone()
            };
            assert!(compare(scheme, &s, &ours, &neither)
                .unwrap_err()
                .contains("without `signature`"));
            // Another policy text signed: the field diff names the policy.
            let other = Reply {
                signature: Some("c2lnbmVk".into()),
                string_to_sign: Some(format!("{}x", ours.string_to_sign)),
                form: None,
                ..reply.clone()
            };
            let Ok(Outcome::Mismatch(m)) = compare(scheme, &s, &ours, &other) else {
                panic!("expected a mismatch")
            };
            assert_eq!(m.kind(), ["SIG600", "SIG620"], "{scheme}");
            assert!(m.fields[0].name.starts_with("policy") && !m.fields[0].same);
            assert_eq!(m.fields[0].first_diff, Some(ours.string_to_sign.len()));
            // The same StringToSign, another signature: the key or the HMAC.
            let key = Reply {
                string_to_sign: Some(ours.string_to_sign.clone()),
                ..other.clone()
            };
            let Ok(Outcome::Mismatch(m)) = compare(scheme, &s, &ours, &key) else {
                panic!("expected a mismatch")
            };
            assert_eq!(m.kind(), ["SIG600", "SIG621"]);
            let bare = Reply {
                string_to_sign: None,
                ..other
            };
            let Ok(Outcome::Mismatch(m)) = compare(scheme, &s, &ours, &bare) else {
                panic!("expected a mismatch")
            };
            assert_eq!(m.kind(), ["SIG600", "SIG607"]);
        }
    }
}
