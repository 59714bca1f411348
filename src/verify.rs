//! The verify engine: recompute a request's signature, compare it with the one
//! it carries (in constant time), and diff the signed string field by field
//! against the server's view and, when given, the client's own string.

use crate::address::{locate, locate_raw, resolve, Address};
use crate::canonical::{escape_visible, Canonical, Stage};
use crate::diff::{self, FieldRow};
use crate::error::{InputError, Result};
use crate::finding::{Finding, Severity};
use crate::oss::v1::{self, V1Options};
use crate::request::Request;
use crate::scheme::{detect, sign_with, Prepared, SchemeId};
use crate::secret::{ct_eq, ct_eq_bytes, Secret};
use crate::server_error::ServerError;
use serde::Serialize;
use std::borrow::Cow;

/// Everything verify needs besides the request. Time and secrets are inputs.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Reference time for expiry and skew checks (unix seconds).
    pub now: i64,
    /// Bucket for a custom domain (CNAME), or to override the host's.
    pub bucket: Option<String>,
    /// Force a scheme instead of detecting it.
    pub scheme: Option<SchemeId>,
    /// OSS V1 behaviour.
    pub oss_v1: V1Options,
    /// OSS V4 behaviour.
    pub oss_v4: crate::oss::v4::V4Options,
    /// COS behaviour.
    pub cos: crate::cos::CosOptions,
    /// The server's error body.
    pub server_error: Option<ServerError>,
    /// The client's string to sign (from its debug log).
    pub client_string: Option<String>,
    /// Candidate secrets, tried in order.
    pub secrets: Vec<Secret>,
    /// On a mismatch with a secret, search the catalogue of known mistakes for
    /// the ones that reproduce the provided signature ([`crate::diagnose`]).
    pub diagnose: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            now: 0,
            bucket: None,
            scheme: None,
            oss_v1: V1Options::default(),
            oss_v4: crate::oss::v4::V4Options::default(),
            cos: crate::cos::CosOptions::default(),
            server_error: None,
            client_string: None,
            secrets: Vec::new(),
            diagnose: true,
        }
    }
}

/// The outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The provided signature is what the server computes.
    Match,
    /// It is not, or the signed strings differ.
    Mismatch,
    /// No secret: the strings agree as far as they can be compared, the signature is unchecked.
    Unverified,
}

/// Where a column of the field table came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// sigdiff's recomputation from the request.
    Recomputed,
    /// The server's error body.
    ServerError,
    /// The client's log (`--string-to-sign`).
    ClientLog,
    /// The signed text of the winning diagnosis hypothesis.
    Diagnosis,
}

/// A second signed stage (OSS V4 / COS StringToSign): the server's report
/// against sigdiff's recomputation.
#[derive(Debug, Clone, Serialize)]
pub struct StageDiff {
    /// Which stage.
    pub stage: Stage,
    /// Field table: `server` = the error body's, `client` = sigdiff's recomputation.
    pub fields: Vec<FieldRow>,
}

/// The result of verifying one request.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Match, mismatch, or unverified.
    pub verdict: Verdict,
    /// Scheme.
    pub scheme: SchemeId,
    /// AccessKeyId the request names.
    pub access_key_id: String,
    /// Signature the request carries.
    pub provided_signature: String,
    /// Signature sigdiff computes with the (first) secret.
    pub computed_signature: Option<String>,
    /// Fingerprint of the secret used.
    pub secret_fingerprint: Option<String>,
    /// The stage the field table shows.
    pub stage: Stage,
    /// Source of the `server` column.
    pub server_source: Source,
    /// Source of the `client` column, if any.
    pub client_source: Option<Source>,
    /// The server's view of the signed string (exact text).
    pub string_to_sign: String,
    /// Field table.
    pub fields: Vec<FieldRow>,
    /// The second stage's field table, when the error body reports that stage too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_stage: Option<StageDiff>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Addressing.
    pub address: Address,
    /// The diagnosis search, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<DiagnosisSummary>,
}

/// What the diagnosis search did (its winners are findings with `reproduces: true`).
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosisSummary {
    /// Catalogue entries that apply to the scheme.
    pub entries: usize,
    /// Hypotheses compiled for the request.
    pub hypotheses: usize,
    /// Signatures computed.
    pub evaluations: u64,
    /// Every combination up to the largest size searched was tried.
    pub complete: bool,
    /// The winning combinations (catalogue ids).
    pub winners: Vec<Vec<String>>,
}

impl VerifyReport {
    /// Exit code per DESIGN: 0 match (or unverified without differences), 1 mismatch.
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Mismatch => 1,
            _ => 0,
        }
    }
}

/// The verdict of [`check`]: the signature decision alone. The AccessKeyId and
/// the signature the request carries are borrowed from it when they stand in it
/// as they are (the usual case: no copy on the hot path); [`Check::into_owned`]
/// detaches them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check<'r> {
    /// Match (some secret reproduces the signature), mismatch, or unverified (no secret).
    pub verdict: Verdict,
    /// Scheme.
    pub scheme: SchemeId,
    /// AccessKeyId the request names.
    pub access_key_id: Cow<'r, str>,
    /// Signature the request carries.
    pub provided_signature: Cow<'r, str>,
    /// Signature computed with the first secret (or the one that matched). A
    /// match is the provided text itself, borrowed as that is.
    pub computed_signature: Option<Cow<'r, str>>,
    /// Which of [`VerifyOptions::secrets`] matched.
    pub secret_index: Option<usize>,
}

impl Check<'_> {
    /// The same verdict, owning its texts (free of the request's lifetime).
    pub fn into_owned(self) -> Check<'static> {
        Check {
            verdict: self.verdict,
            scheme: self.scheme,
            access_key_id: Cow::Owned(self.access_key_id.into_owned()),
            provided_signature: Cow::Owned(self.provided_signature.into_owned()),
            computed_signature: self.computed_signature.map(|c| Cow::Owned(c.into_owned())),
            secret_index: self.secret_index,
        }
    }
}

/// Recompute and compare, nothing else: canonicalise, HMAC with each secret,
/// compare in constant time. No lint or time checks, no field table, no
/// diagnosis, and the server-error / client-string options are not consulted:
/// the hot path for batches, mock servers and CI gates. [`verify`] does the same
/// computation and explains it; both agree on match vs mismatch for the
/// signature itself (a test holds them to it).
pub fn check<'r>(req: &'r Request, opts: &VerifyOptions) -> Result<Check<'r>> {
    let scheme = checked_scheme(req, opts)?;
    if matches!(scheme, SchemeId::OssV4 | SchemeId::OssV4Url) {
        // OSS V4's own lean canonicalisation (no findings, no field table); `None`
        // for the rare requests it leaves to the general path below.
        if let Some(c) = crate::oss::v4::check(req, scheme, opts)? {
            return Ok(c);
        }
    }
    let (input, stage, text, ak, provided) = match scheme {
        SchemeId::OssV1 | SchemeId::OssV1Url => {
            let form = if scheme == SchemeId::OssV1 {
                v1::Form::Header
            } else {
                v1::Form::Url
            };
            // Bucket and key borrowed from the request: no endpoint description
            // needed; the key is decoded straight into the text (OSS keeps `+`).
            // The common virtual-hosted host is read directly, others located.
            let hint = opts.bucket.as_deref();
            let lean = match v1::check::virtual_hosted(req, hint) {
                Some((bucket, key_raw)) => {
                    v1::check::check_raw_key(req, scheme, Some(bucket), key_raw, form, opts)
                }
                None => {
                    let raw = locate_raw(req, scheme.provider(), hint)?;
                    (raw.plus == crate::encode::PlusMeans::Plus)
                        .then(|| {
                            let b = raw.bucket.as_deref();
                            v1::check::check_raw_key(req, scheme, b, raw.key_raw, form, opts)
                        })
                        .flatten()
                }
            };
            // The verdict from the lean text (a per-thread buffer, hashed in place).
            if let Some(c) = lean {
                return c;
            }
            let loc = locate(req, scheme.provider(), hint)?;
            let (b, k) = (loc.bucket.as_deref(), &*loc.key);
            let (text, ak, sig) = v1::canonicalise_text(req, b, k, form, &opts.oss_v1)?;
            (
                crate::scheme::SigningInput::OssV1,
                Stage::StringToSign,
                text,
                ak,
                sig,
            )
        }
        SchemeId::Cos | SchemeId::CosUrl => {
            // The usual header request in one pass (`None`: the general path below).
            if let Some(c) = crate::cos::check(req, scheme, opts) {
                return Ok(c);
            }
            let form = if scheme == SchemeId::Cos {
                crate::cos::Form::Header
            } else {
                crate::cos::Form::Url
            };
            // The address is checked as verify resolves it (the same errors), without the
            // endpoint description; then prepare's canonicalisation without its findings.
            locate(req, scheme.provider(), opts.bucket.as_deref())?;
            let l = crate::cos::lean(req, form, &opts.cos)?;
            (
                crate::scheme::SigningInput::Cos(l.context),
                Stage::StringToSign,
                l.string_to_sign,
                l.access_key_id,
                l.provided_signature,
            )
        }
        _ => {
            // OSS V4: its prepare is the canonicalisation (its checks are cheap next to
            // the HMAC chain); the signed stage is the last one.
            let addr = resolve(req, scheme.provider(), opts.bucket.as_deref())?;
            let p = prepare_scheme(req, addr, scheme, opts)?;
            let (stage, c) = p.stages.into_iter().last().expect("a signed stage");
            (
                p.input,
                stage,
                c.into_string(),
                p.access_key_id,
                p.provided_signature,
            )
        }
    };
    Ok(decide(scheme, ak, provided, &opts.secrets, |s| {
        sign_with(&input, stage, &text, s)
    }))
}

/// A signature as a signer of [`decide`] gives it: its text's bytes (lower-case
/// hex or Base64, ASCII), owned or in a stack buffer.
pub(crate) trait Signature: AsRef<[u8]> {
    /// The text for [`Check::computed_signature`]: a `String` the signer made is
    /// kept as it is; a stack buffer that matched the provided text borrows that
    /// (a match is byte for byte the same: no copy on the hot path), else it is
    /// copied.
    fn into_text<'r>(self, hit: bool, provided: &Cow<'r, str>) -> Cow<'r, str>;
}

impl Signature for String {
    fn into_text<'r>(self, _: bool, _: &Cow<'r, str>) -> Cow<'r, str> {
        Cow::Owned(self)
    }
}

impl<const N: usize> Signature for [u8; N] {
    fn into_text<'r>(self, hit: bool, provided: &Cow<'r, str>) -> Cow<'r, str> {
        match provided {
            Cow::Borrowed(p) if hit => Cow::Borrowed(*p),
            _ => Cow::Owned(String::from_utf8_lossy(&self).into_owned()),
        }
    }
}

/// The verdict of [`check`] from the signature each secret gives (its text:
/// lower-case hex or Base64, ASCII).
pub(crate) fn decide<'r, S: Signature>(
    scheme: SchemeId,
    ak: impl Into<Cow<'r, str>>,
    provided: impl Into<Cow<'r, str>>,
    secrets: &[Secret],
    sign: impl Fn(&Secret) -> S,
) -> Check<'r> {
    let provided = provided.into();
    let mut computed = None;
    let mut secret_index = None;
    for (i, s) in secrets.iter().enumerate() {
        let sig = sign(s);
        // Every secret is tried (no early exit), each comparison in constant time.
        let hit = ct_eq_bytes(sig.as_ref(), provided.as_bytes());
        if (hit && secret_index.is_none()) || i == 0 {
            computed = Some(sig.into_text(hit, &provided));
        }
        if hit && secret_index.is_none() {
            secret_index = Some(i);
        }
    }
    let verdict = match (secrets.is_empty(), secret_index) {
        (true, _) => Verdict::Unverified,
        (false, Some(_)) => Verdict::Match,
        (false, None) => Verdict::Mismatch,
    };
    Check {
        verdict,
        scheme,
        access_key_id: ak.into(),
        provided_signature: provided,
        computed_signature: computed,
        secret_index,
    }
}

/// Detect (or take) the scheme, rejecting what verify cannot take.
fn checked_scheme(req: &Request, opts: &VerifyOptions) -> Result<SchemeId> {
    let scheme = match opts.scheme {
        Some(s) => s,
        None => detect(req)?,
    };
    if !scheme.is_supported() {
        return Err(InputError::new(
            "unsupported-scheme",
            format!("scheme `{scheme}` is recognised but not supported by this build yet"),
        ));
    }
    if crate::post::is_post(scheme) {
        return Err(InputError::new(
            "form-upload",
            format!("scheme `{scheme}` is a form upload, verified from its body: give the raw POST with its multipart body, a HAR entry, or a JSON spec with `form` (library: post::verify_upload)"),
        ));
    }
    Ok(scheme)
}

/// Canonicalise a request under its scheme.
pub fn prepare(req: &Request, opts: &VerifyOptions) -> Result<Prepared> {
    let scheme = checked_scheme(req, opts)?;
    let addr: Address = resolve(req, scheme.provider(), opts.bucket.as_deref())?;
    let mut findings = Vec::new();
    if addr.style == crate::address::HostStyle::Cname && addr.endpoint.provider.is_none() {
        findings.push(Finding::new(
            "SIG040",
            None,
            format!(
                "Host `{}` is not a known endpoint: addressed as a custom domain of bucket `{}`.",
                addr.host,
                addr.bucket.as_deref().unwrap_or("")
            ),
            format!(
                "主机 `{}` 不是已知 Endpoint：按 Bucket `{}` 的自定义域名处理。",
                addr.host,
                addr.bucket.as_deref().unwrap_or("")
            ),
        ));
    }
    let mut p = prepare_scheme(req, addr, scheme, opts)?;
    p.findings.splice(0..0, findings);
    Ok(p)
}

fn prepare_scheme(
    req: &Request,
    addr: Address,
    scheme: SchemeId,
    opts: &VerifyOptions,
) -> Result<Prepared> {
    Ok(match scheme {
        SchemeId::OssV1 => v1::prepare(req, addr, v1::Form::Header, &opts.oss_v1, opts.now)?,
        SchemeId::OssV1Url => v1::prepare(req, addr, v1::Form::Url, &opts.oss_v1, opts.now)?,
        SchemeId::OssV4 => crate::oss::v4::prepare(
            req,
            addr,
            crate::oss::v4::Form::Header,
            &opts.oss_v4,
            opts.now,
        )?,
        SchemeId::OssV4Url => {
            crate::oss::v4::prepare(req, addr, crate::oss::v4::Form::Url, &opts.oss_v4, opts.now)?
        }
        SchemeId::Cos => {
            crate::cos::prepare(req, addr, crate::cos::Form::Header, &opts.cos, opts.now)?
        }
        SchemeId::CosUrl => {
            crate::cos::prepare(req, addr, crate::cos::Form::Url, &opts.cos, opts.now)?
        }
        _ => unreachable!("checked by is_supported"),
    })
}

/// Normalise a string pasted from a log: literal `\n` escapes become line
/// breaks when the text has none, CRLF becomes LF, and (for stages that do not
/// end in a newline) trailing line breaks added by editors are dropped.
pub fn normalise_pasted(text: &str, stage_ends_with_newline: bool) -> String {
    let mut s = text.replace("\r\n", "\n");
    if !s.trim_end().contains('\n') && s.contains("\\n") {
        s = s.replace("\\n", "\n");
    }
    if !stage_ends_with_newline {
        while s.ends_with('\n') {
            s.pop();
        }
    }
    s
}

/// Verify one request.
pub fn verify(req: &Request, opts: &VerifyOptions) -> Result<VerifyReport> {
    let mut p = prepare(req, opts)?;
    let mut findings = std::mem::take(&mut p.findings);
    let stage = p.stages[0].0;
    let ours = &p.stages[0].1;
    let ends_nl = matches!(stage, Stage::FormatString);

    // Server column: the server's own report when given, else our recomputation.
    let mut reported: Option<Canonical> = None;
    if let Some(se) = &opts.server_error {
        if let Some(at) = se.bytes_disagree() {
            findings.push(Finding::new(
                "SIG006",
                None,
                format!(
                    "StringToSign and StringToSignBytes differ from byte {at}; the bytes are used."
                ),
                format!("StringToSign 与 StringToSignBytes 从第 {at} 字节起不同；以字节为准。"),
            ));
        }
        let text = match stage {
            Stage::StringToSign => se.string_to_sign(),
            other => se.get(other.server_name()).map(str::to_string),
        };
        if let Some(t) = text {
            let server = p.parse_stage(stage, &normalise_pasted(&t, ends_nl));
            if server.as_str() != ours.as_str() {
                let rows = diff::align(&server, ours);
                let first = rows.iter().find(|r| !r.same);
                let (field, detail) = match first {
                    Some(r) => (
                        Some(r.name.clone()),
                        r.describe_difference().unwrap_or_default(),
                    ),
                    None => (None, String::new()),
                };
                findings.push(Finding::new(
                    "SIG005",
                    field.as_deref(),
                    format!(
                        "The server's {} differs from what sigdiff computes for the request as given (field {}: {}): the request was changed on the way (proxy, CDN, HTTP library), or the capture is not the request the server saw.",
                        stage.server_name(),
                        field.as_deref().unwrap_or("?"),
                        detail
                    ),
                    format!(
                        "服务端的 {} 与 sigdiff 按所给请求计算的不同（字段 {}）：请求在途中被修改（代理、CDN、HTTP 库），或抓取的并非服务端收到的请求。",
                        stage.server_name(),
                        field.as_deref().unwrap_or("?")
                    ),
                ));
            }
            reported = Some(server);
        }
    }
    let server_source = if reported.is_some() {
        Source::ServerError
    } else {
        Source::Recomputed
    };
    let server: &Canonical = reported.as_ref().unwrap_or(ours);

    // Second stage (two-stage schemes: OSS V4, COS): the server's report of it
    // against sigdiff's, so that a scope or timestamp difference is named.
    let second_stage = second_stage_diff(&p, opts, server, ours, &mut findings);

    // Client column: the client's own string, or the request as given when the server reported its own.
    let client_log = opts
        .client_string
        .as_ref()
        .map(|cs| p.parse_stage(stage, &normalise_pasted(cs, ends_nl)));
    let (client, client_source): (Option<&Canonical>, Option<Source>) =
        match (&client_log, &reported) {
            (Some(c), _) => (Some(c), Some(Source::ClientLog)),
            (None, Some(_)) => (Some(ours), Some(Source::Recomputed)),
            (None, None) => (None, None),
        };
    let fields = match client {
        Some(c) => diff::align(server, c),
        None => diff::single(server),
    };
    let differs = fields.iter().any(|r| !r.same);
    let mut field_findings = Vec::new();
    for r in fields.iter().filter(|r| !r.same) {
        let s = r
            .server
            .as_deref()
            .map(escape_visible)
            .unwrap_or_else(|| "(absent)".into());
        let c = r
            .client
            .as_deref()
            .map(escape_visible)
            .unwrap_or_else(|| "(absent)".into());
        field_findings.push(Finding::new(
            "SIG003",
            Some(&r.name),
            format!(
                "{}: server `{s}`, client `{c}`; {}.",
                r.name,
                r.describe_difference().unwrap_or_default()
            ),
            format!("{}：服务端 `{s}`，客户端 `{c}`。", r.name),
        ));
    }

    let server_text = server.as_str();
    let mut computed = None;
    let mut fingerprint = None;
    let mut diagnosis: Option<crate::diagnose::Diagnosis> = None;
    let verdict;
    if opts.secrets.is_empty() {
        findings.push(Finding::new(
            "SIG004",
            Some("secret"),
            "No secret given: the signed string is shown and compared; give one (--secret-env, --secret-file, or the provider's environment variable) to check the signature.",
            "未提供密钥：只展示并比较待签名字符串；请通过 --secret-env、--secret-file 或环境变量提供密钥以校验签名。",
        ));
        verdict = if differs {
            Verdict::Mismatch
        } else {
            Verdict::Unverified
        };
    } else {
        let mut matched = None;
        for (i, s) in opts.secrets.iter().enumerate() {
            let sig = p.sign_text(stage, server_text, s);
            if i == 0 {
                computed = Some(sig.clone());
            }
            if ct_eq(&sig, &p.provided_signature) && matched.is_none() {
                matched = Some(i);
            }
        }
        match matched {
            Some(i) => {
                if i > 0 {
                    let fp = opts.secrets[i].fingerprint();
                    findings.push(Finding::new(
                        "SIG035",
                        Some("secret"),
                        format!("Secret #{} ({fp}) produces the provided signature; the first one given does not.", i + 1),
                        format!("第 {} 个密钥（{fp}）可以得到提供的签名，第一个不行。", i + 1),
                    ));
                    fingerprint = Some(fp);
                    computed = Some(p.provided_signature.clone());
                }
                verdict = if differs {
                    Verdict::Mismatch
                } else {
                    Verdict::Match
                };
            }
            None => {
                verdict = Verdict::Mismatch;
                let secret = &opts.secrets[0];
                // The fingerprint is shown only where it helps: on a mismatch.
                fingerprint = Some(secret.fingerprint());
                findings.push(Finding::new(
                    "SIG001",
                    None,
                    format!(
                        "The provided signature `{}` is not the one the server computes (`{}`) with secret {}.",
                        p.provided_signature,
                        computed.as_deref().unwrap_or(""),
                        secret.fingerprint()
                    ),
                    format!("提供的签名 `{}` 与服务端计算的 `{}`（密钥 {}）不一致。", p.provided_signature, computed.as_deref().unwrap_or(""), secret.fingerprint()),
                ));
                if !differs {
                    localise(&p, stage, server_text, secret, &mut findings);
                }
                if opts.diagnose {
                    let dopts = crate::diagnose::DiagnoseOptions {
                        oss_v1: opts.oss_v1,
                        oss_v4: opts.oss_v4,
                        cos: opts.cos,
                        ..Default::default()
                    };
                    diagnosis = Some(crate::diagnose::diagnose(
                        req,
                        &p,
                        &opts.secrets,
                        &p.provided_signature,
                        &dopts,
                    ));
                }
                if let Some(c) = client {
                    let client_sig = p.sign_text(stage, c.as_str(), secret);
                    let reproduces = ct_eq(&client_sig, &p.provided_signature);
                    if !differs {
                        let mut f = Finding::new(
                            "SIG002",
                            Some("secret"),
                            format!(
                                "The client signed exactly the server's string, yet the signatures differ: the secret (here {}) or the AccessKeyId `{}` is wrong.",
                                secret.fingerprint(),
                                p.access_key_id
                            ),
                            format!("客户端签名的字符串与服务端完全一致，但签名不同：密钥（{}）或 AccessKeyId `{}` 错误。", secret.fingerprint(), p.access_key_id),
                        );
                        if let Some((en, zh)) = &p.key_hint {
                            f.message.push(' ');
                            f.message.push_str(en);
                            f.message_zh.push_str(zh);
                        }
                        findings.push(f);
                    } else if reproduces {
                        for f in &mut field_findings {
                            f.reproduces = true;
                        }
                    }
                }
                if secret.has_edge_whitespace() {
                    let trimmed = Secret::new(secret.expose().trim());
                    let mut f = Finding::new(
                        "SIG034",
                        Some("secret"),
                        "The secret has leading or trailing whitespace (a copied line break?).",
                        "密钥首尾含有空白（复制时带入了换行？）。",
                    );
                    if ct_eq(
                        &p.sign_text(stage, server_text, &trimmed),
                        &p.provided_signature,
                    ) {
                        f.reproduces = true;
                        f.message
                            .push_str(" Without it the signature matches: trim the secret.");
                        f.message_zh.push_str(" 去掉空白后签名一致：请修剪密钥。");
                        f.severity = Severity::Error;
                    }
                    findings.push(f);
                }
            }
        }
    }
    findings.extend(field_findings);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    // Diagnosis winners go first; the client column shows the winner's text
    // when the client's own string was not given.
    let mut fields = fields;
    let mut client_source = client_source;
    if let Some(d) = &diagnosis {
        let fs = d.findings();
        if d.winners.is_empty() {
            findings.extend(fs);
        } else {
            findings.splice(0..0, fs);
            if opts.client_string.is_none() {
                let c = p.parse_stage(stage, &d.winners[0].client_text);
                fields = diff::align(server, &c);
                client_source = Some(Source::Diagnosis);
            }
        }
    }
    let diagnosis = diagnosis.map(|d| DiagnosisSummary {
        entries: d.entries,
        hypotheses: d.hypotheses,
        evaluations: d.evaluations,
        complete: d.complete,
        winners: d.winners.into_iter().map(|w| w.hypotheses).collect(),
    });
    // The server column's text, moved out rather than copied.
    let string_to_sign = match reported {
        Some(r) => r.into_string(),
        None => std::mem::take(&mut p.stages[0].1).into_string(),
    };
    Ok(VerifyReport {
        verdict,
        scheme: p.scheme,
        access_key_id: p.access_key_id,
        provided_signature: p.provided_signature,
        computed_signature: computed,
        secret_fingerprint: fingerprint,
        stage,
        server_source,
        client_source,
        string_to_sign,
        fields,
        second_stage,
        findings,
        address: p.address,
        diagnosis,
    })
}

/// Diff the server's second stage (its `StringToSign` for OSS V4 and COS) against
/// sigdiff's. When the first stages differ, the last field of the second stage
/// (the first stage's digest) differs as a consequence and is not reported again.
fn second_stage_diff(
    p: &Prepared,
    opts: &VerifyOptions,
    server_first: &Canonical,
    ours_first: &Canonical,
    findings: &mut Vec<Finding>,
) -> Option<StageDiff> {
    let se = opts.server_error.as_ref()?;
    let (stage, ours) = p.stages.get(1)?;
    let text = match stage {
        Stage::StringToSign => se.string_to_sign(),
        other => se.get(other.server_name()).map(str::to_string),
    }?;
    let theirs = p.parse_stage(*stage, &normalise_pasted(&text, false));
    let fields = diff::align(&theirs, ours);
    let first_same = server_first.as_str() == ours_first.as_str();
    let digest = ours.fields().last().map(|f| f.name);
    for r in fields.iter().filter(|r| !r.same) {
        if !first_same && Some(&*r.name) == digest {
            continue;
        }
        let show = |x: &Option<String>| {
            x.as_deref()
                .map(escape_visible)
                .unwrap_or_else(|| "(absent)".into())
        };
        findings.push(Finding::new(
            "SIG240",
            Some(&r.name),
            format!(
                "The server's {} has {} `{}` where sigdiff computes `{}` from the request.",
                stage.server_name(),
                r.name,
                show(&r.server),
                show(&r.client)
            ),
            format!(
                "服务端 {} 的 {} 为 `{}`，而 sigdiff 按请求计算为 `{}`。",
                stage.server_name(),
                r.name,
                show(&r.server),
                show(&r.client)
            ),
        ));
    }
    Some(StageDiff {
        stage: *stage,
        fields,
    })
}

/// The signed strings agree but the signature does not: try the other signing
/// inputs the scheme knows of (scope, signing-key date / region / product, the
/// timestamp) before concluding that the secret is wrong.
fn localise(p: &Prepared, stage: Stage, text: &str, secret: &Secret, findings: &mut Vec<Finding>) {
    let alts = p.alternatives();
    if alts.is_empty() {
        return;
    }
    let hit = alts.iter().find(|a| {
        ct_eq(
            &sign_with(&a.input, stage, text, secret),
            &p.provided_signature,
        )
    });
    match hit {
        Some(a) => {
            let mut f = Finding::new(
                "SIG241",
                Some(&a.field),
                format!("The provided signature is reproduced when {}.", a.en),
                format!("当{}时，可以得到提供的签名。", a.zh),
            );
            f.reproduces = true;
            findings.push(f);
        }
        None => findings.push(Finding::new(
            "SIG242",
            Some("secret"),
            format!(
                "The signed strings agree, and none of {} variations of the scope and signing-key inputs (date, region, product, timestamp) reproduces the signature: the secret (here {}) or the AccessKeyId `{}` is wrong.",
                alts.len(),
                secret.fingerprint(),
                p.access_key_id
            ),
            format!(
                "待签名字符串一致，且 {} 种 scope 与签名密钥输入（日期、区域、产品、时间戳）的变化都无法得到提供的签名：密钥（{}）或 AccessKeyId `{}` 错误。",
                alts.len(),
                secret.fingerprint(),
                p.access_key_id
            ),
        )),
    }
}

/// Render a canonical string's fields (for callers that want their own table).
pub fn fields_of(c: &Canonical) -> Vec<FieldRow> {
    diff::single(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decide_borrows_a_match_and_owns_the_rest() {
        let secrets = [Secret::new("one"), Secret::new("two")];
        // Each secret "signs" as its own text; the request carries `provided`.
        let run = |provided: Cow<'static, str>| {
            decide(SchemeId::Cos, "ak", provided, &secrets, |s: &Secret| {
                <[u8; 3]>::try_from(s.expose().as_bytes()).unwrap()
            })
        };
        let m = run(Cow::Borrowed("two"));
        assert_eq!((m.verdict, m.secret_index), (Verdict::Match, Some(1)));
        assert!(matches!(m.computed_signature, Some(Cow::Borrowed("two"))));
        // Owned provided text: the match is a copy of the same text.
        let o = run(Cow::Owned("two".into()));
        assert!(matches!(&o.computed_signature, Some(Cow::Owned(t)) if t == "two"));
        // No match: the first secret's signature, owned.
        let n = run(Cow::Borrowed("three"));
        assert_eq!((n.verdict, n.secret_index), (Verdict::Mismatch, None));
        assert!(matches!(&n.computed_signature, Some(Cow::Owned(t)) if t == "one"));
        let none = decide(SchemeId::Cos, "ak", "x", &[], |_: &Secret| [0u8; 3]);
        assert_eq!(
            (none.verdict, none.computed_signature),
            (Verdict::Unverified, None)
        );
        // A signer's own String is kept as it is, matched or not.
        let owned = decide(SchemeId::OssV1, "ak", "two", &secrets, |s: &Secret| {
            s.expose().to_string()
        });
        assert_eq!(
            (owned.verdict, owned.secret_index),
            (Verdict::Match, Some(1))
        );
        assert!(matches!(&owned.computed_signature, Some(Cow::Owned(t)) if t == "two"));
    }
}
