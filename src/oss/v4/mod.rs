//! OSS V4 (`OSS4-HMAC-SHA256`): header and presigned URL (oss-signing.md §4, §5).
//!
//! Two stages: the CanonicalRequest (what verify diffs field by field) and the
//! StringToSign over its hash; the signature is an HMAC-SHA256 with a key derived
//! from the secret and the scope (date, region, product).
//!
//! Files: [`canonical_uri`], [`canonical_query`], [`canonical_headers`],
//! [`additional_headers`], [`canonical_request`] (assembly and parse-back),
//! [`scope`] (scope and credential), [`string_to_sign`] (assembly and parse-back),
//! [`signing_key`] (key chain, cached), [`authorization`] (wire formats),
//! [`checks`] (time and lint findings), [`lean`] (the one-pass verdict of the
//! usual header request).

pub mod additional_headers;
pub mod authorization;
pub mod canonical_headers;
pub mod canonical_query;
pub mod canonical_request;
pub mod canonical_uri;
pub mod checks;
pub mod lean;
pub mod scope;
pub mod signing_key;
pub mod string_to_sign;

use crate::address::Address;
use crate::canonical::{Canonical, Stage};
use crate::encode::{PlusMeans, QueryParam};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::oss::v1::{Duplicates, EmptyValues, HeaderValues};
use crate::request::Request;
use crate::scheme::{Alternative, Prepared, SchemeId, Signed, SigningInput};
use crate::secret::{Credentials, Secret};
use serde::{Deserialize, Serialize};

pub use additional_headers::AdditionalOrder;
pub use canonical_query::QueryMode;
pub use scope::{Credential, Scope, ScopeRef};

/// Whether this build signs and verifies OSS V4.
pub const SUPPORTED: bool = true;

/// Where the header form's StringToSign timestamp comes from (§4.2, Q6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum V4Date {
    /// `x-oss-date` only; required (server, docs; GO2, PY1, PY2, JV1, JS).
    #[default]
    XOssDate,
    /// `x-oss-date`, else the literal `Date` header (GO1 header mode, spec Q6).
    DateFallback,
}

/// Every V4 behaviour where SDKs and the server may differ. `Default` is the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct V4Options {
    /// Query canonicalisation: `re-encode` (server; PY1, JV1), `raw-wire` (GO2,
    /// PY2), `locale-compare` (ali-oss) (§4.3, Q2).
    pub query: QueryMode,
    /// Empty values: `bare` (server; all but ali-oss) or `keep-equals` (ali-oss
    /// for `''`) (§4.3, §10 item 6).
    pub empty_values: EmptyValues,
    /// Header values: `trim` (server; GO2, JV1, JS) or `raw` (PY1, PY2) (§4.3).
    pub header_values: HeaderValues,
    /// Repeated headers: `join` (GO2), `first` (GO1), `last` (§10 item 12).
    pub duplicates: Duplicates,
    /// AdditionalHeaders order: `sorted`, `py1` (oss2's first-character sort in
    /// the header text), `as-sent` (§4.3, §10 item 21).
    pub additional_headers_order: AdditionalOrder,
    /// Timestamp source for the header form: `x-oss-date` or `date-fallback` (GO1, Q6).
    pub v4_date: V4Date,
    /// What a literal `+` in the query means (§10 item 2: a space; GO2 too).
    pub plus_in_query: PlusMeans,
}

impl Default for V4Options {
    fn default() -> Self {
        V4Options {
            query: QueryMode::ReEncode,
            empty_values: EmptyValues::Bare,
            header_values: HeaderValues::Trim,
            duplicates: Duplicates::Join,
            additional_headers_order: AdditionalOrder::Sorted,
            v4_date: V4Date::XOssDate,
            plus_in_query: PlusMeans::Space,
        }
    }
}

/// Header or URL signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Authorization` header.
    Header,
    /// Presigned URL.
    Url,
}

/// What a V4 signature is computed from besides the secret and the canonical request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigningContext {
    /// AccessKeyId of the credential.
    pub access_key_id: String,
    /// The StringToSign timestamp line (`x-oss-date`).
    pub timestamp: String,
    /// The scope written into the StringToSign (from the credential).
    pub scope: Scope,
    /// Derive the signing key from this scope instead of `scope` (diagnosis only).
    pub key_scope: Option<Box<Scope>>,
    /// The endpoint's region, when the host names one (for diagnosis).
    pub endpoint_region: Option<String>,
    /// sigdiff's own canonical request and its SHA-256 (lower-case hex):
    /// signing that same text again (verify) reuses the hash.
    pub own_digest: Option<Box<(String, [u8; 64])>>,
}

impl SigningContext {
    /// The scope the signing key is derived from.
    pub fn key(&self) -> &Scope {
        self.key_scope.as_deref().unwrap_or(&self.scope)
    }
}

/// Where the header form's timestamp came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// `x-oss-date` header (or query parameter for URLs).
    XOssDate,
    /// The `Date` header (GO1 fallback).
    DateHeader,
    /// Neither.
    Missing,
}

/// The header form's StringToSign timestamp (§4.2, §4.6; Q6).
pub fn header_timestamp<'a>(req: &'a Request, opts: &V4Options) -> (TimeSource, &'a str) {
    if let Some(v) = req.header("x-oss-date") {
        return (TimeSource::XOssDate, v.trim());
    }
    if opts.v4_date == V4Date::DateFallback {
        if let Some(v) = req.header("date") {
            return (TimeSource::DateHeader, v.trim());
        }
    }
    (TimeSource::Missing, "")
}

/// `yyyymmdd` of a timestamp line: ISO basic's first 8 characters, or the day of
/// an RFC 1123 date (GO1, Q6).
pub fn timestamp_day(ts: &str) -> Option<String> {
    if crate::time::parse_iso_basic(ts).is_some() {
        return Some(ts[..8].to_string());
    }
    crate::time::parse_http_date(ts).map(crate::time::ymd)
}

/// The payload line: `x-oss-content-sha256` if present, else `UNSIGNED-PAYLOAD` (§4.3).
fn payload(req: &Request) -> &str {
    req.header("x-oss-content-sha256")
        .map(str::trim)
        .unwrap_or("UNSIGNED-PAYLOAD")
}

/// Build both stages for a request whose credential parts are known: the
/// CanonicalRequest (§4.3), then the StringToSign over its hash (§4.4). Also
/// returns `hex(SHA256(CanonicalRequest))`.
#[allow(clippy::too_many_arguments)]
fn stages<A: AsRef<str>>(
    req: &Request,
    addr: &Address,
    q: &canonical_query::Query,
    additional: &[A],
    additional_line: &str,
    timestamp: &str,
    scope: ScopeRef<'_>,
    opts: &V4Options,
) -> (Canonical, Canonical, [u8; 64]) {
    let headers = canonical_headers::lines(req, additional, opts.header_values, opts.duplicates);
    let cr = canonical_request::build_from(&canonical_request::Borrowed {
        method: &req.method,
        bucket: addr.bucket.as_deref(),
        key: canonical_request::UriKey::Decoded(&addr.key),
        query: q,
        headers: &headers,
        additional: additional_line,
        payload: payload(req),
    });
    let digest = signing_key::sha256_hex64(cr.as_str());
    let sts = string_to_sign::build_ref(timestamp, scope, signing_key::hex_str(&digest));
    (cr, sts, digest)
}

fn query_of<'a>(req: &'a Request, opts: &V4Options) -> Result<Vec<QueryParam<'a>>> {
    req.query(opts.plus_in_query)
}

/// The canonical query of a request (what [`query_of`] and
/// [`canonical_query::Query::new`] give, errors included), without the
/// parameter list when the query needs no decoding.
fn canonical_query_of(
    req: &Request,
    opts: &V4Options,
    skip: &str,
) -> Result<canonical_query::Query> {
    canonical_query::Query::from_raw(
        // `Request::raw_query` (the text after the first `?`), by a byte scan.
        req.target
            .bytes()
            .position(|b| b == b'?')
            .map(|i| &req.target[i + 1..]),
        opts.plus_in_query,
        opts.query,
        opts.empty_values,
        skip,
    )
}

/// Canonicalise a signed request for verification: parse its credentials, build
/// the canonical request and StringToSign, and run the time and lint checks against `now`.
pub fn prepare(
    req: &Request,
    addr: Address,
    form: Form,
    opts: &V4Options,
    now: i64,
) -> Result<Prepared> {
    let query = query_of(req, opts)?;
    let mut findings = Vec::new();
    let (scheme, credential, signature, timestamp, additional_raw, skip) = match form {
        Form::Header => {
            let a = authorization::parse_header(req.header("authorization").unwrap_or(""))?;
            checks::algorithm(&a.algorithm, "algorithm", &mut findings);
            checks::unknown_fields(&a.unknown_fields, &mut findings);
            let (src, ts) = header_timestamp(req, opts);
            checks::header_time(req, src, ts, &a.credential.scope.date, now, &mut findings);
            checks::content_sha256(req, &mut findings);
            (
                SchemeId::OssV4,
                a.credential,
                a.signature,
                ts.to_string(),
                a.additional_headers,
                "",
            )
        }
        Form::Url => {
            let u = authorization::parse_url(&query)?;
            checks::algorithm(
                u.version.as_deref().unwrap_or(""),
                "query:x-oss-signature-version",
                &mut findings,
            );
            checks::repeated(&u.repeated, &mut findings);
            checks::url_time(
                u.date.as_deref(),
                u.expires.as_deref(),
                &u.credential.scope.date,
                now,
                &mut findings,
            );
            (
                SchemeId::OssV4Url,
                u.credential,
                u.signature,
                u.date.unwrap_or_default(),
                u.additional_headers,
                "x-oss-signature",
            )
        }
    };
    checks::credential(&credential, addr.endpoint.region.as_deref(), &mut findings);
    checks::signature_format(&signature, &mut findings);
    let (lower, line) = match &additional_raw {
        Some(raw) => {
            let mut r = additional_headers::receive(raw, req, opts.additional_headers_order);
            checks::additional(&r, form, &mut findings);
            // Absent names contribute no header line (Q8, as PY1 signs them).
            let absent = std::mem::take(&mut r.absent);
            r.lower.retain(|n| !absent.contains(n));
            (r.lower, r.line)
        }
        None => (Vec::new(), String::new()),
    };
    checks::query_form(&query, opts, skip, &mut findings);
    checks::signed_headers(req, &lower, &mut findings);
    let q = canonical_query::Query::new(&query, opts.query, opts.empty_values, skip);
    let (cr, sts, digest) = stages(
        req,
        &addr,
        &q,
        &lower,
        &line,
        &timestamp,
        credential.scope.borrow(),
        opts,
    );
    let ctx = SigningContext {
        access_key_id: credential.access_key_id.clone(),
        timestamp,
        scope: credential.scope,
        key_scope: None,
        endpoint_region: addr.endpoint.region.clone(),
        own_digest: Some(Box::new((cr.as_str().to_string(), digest))),
    };
    Ok(Prepared {
        scheme,
        address: addr,
        access_key_id: credential.access_key_id,
        provided_signature: signature,
        stages: vec![(Stage::CanonicalRequest, cr), (Stage::StringToSign, sts)],
        findings,
        input: SigningInput::OssV4(ctx),
        key_hint: None,
    })
}

/// The verdict alone ([`crate::verify::check`]'s OSS V4 path): the request
/// canonicalised as [`prepare`] does it, with nothing else. Borrowed parsing, no
/// findings, no field table: the canonical request is written into one buffer
/// by the same assembly ([`canonical_request::text_from`]), hashed, and the
/// StringToSign signed in parts with the cached key (§4.3–§4.5). `None` when the
/// timestamp or the scope holds a line break: the StringToSign's scope line is
/// then not the credential's and the general path ([`prepare`]) decides.
pub fn check<'r>(
    req: &'r Request,
    scheme: SchemeId,
    opts: &crate::verify::VerifyOptions,
) -> Result<Option<crate::verify::Check<'r>>> {
    // The usual header request in one pass ([`lean`]; `None`: the borrowed path below).
    if let Some(c) = lean::check(req, scheme, opts) {
        return Ok(Some(c));
    }
    let o = &opts.oss_v4;
    // The key as sent: copied into the canonical URI when it is its own encoding
    // (§1.2, §4.3), else decoded (the same error as `locate`) and encoded again.
    let loc = crate::address::locate_raw(req, scheme.provider(), opts.bucket.as_deref())?;
    let decoded;
    let key = if canonical_uri::is_own_encoding(loc.key_raw) {
        canonical_request::UriKey::Encoded(loc.key_raw)
    } else {
        decoded = crate::encode::decode(loc.key_raw, loc.plus, "object key (request path)")?;
        canonical_request::UriKey::Decoded(&decoded)
    };
    let params;
    let (credential, provided, timestamp, additional, q) = match scheme {
        SchemeId::OssV4 => {
            let q = canonical_query_of(req, o, "")?;
            let a = authorization::parse_header_ref(req.header("authorization").unwrap_or(""))?;
            let ts = header_timestamp(req, o).1;
            (a.credential, a.signature, ts, a.additional_headers, q)
        }
        _ => {
            params = query_of(req, o)?;
            let u = authorization::parse_url_ref(&params)?;
            let Some(c) = u.credential else {
                return Ok(None);
            };
            // §5: the URL form's canonical query leaves out x-oss-signature.
            let q =
                canonical_query::Query::new(&params, o.query, o.empty_values, "x-oss-signature");
            (
                c,
                u.signature,
                u.date.unwrap_or_default(),
                u.additional_headers,
                q,
            )
        }
    };
    let scope = credential.scope;
    // Byte scans: these texts are short (memchr's setup costs more).
    let has_break = |t: &str| t.bytes().any(|b| b == b'\n');
    if has_break(timestamp) || scope.parts().iter().any(|p| has_break(p)) {
        return Ok(None);
    }
    let (names, line) = match additional {
        Some(raw) => additional_headers::canonical(raw, req, o.additional_headers_order),
        None => (Vec::new(), std::borrow::Cow::Borrowed("")),
    };
    let headers = canonical_headers::lines(req, &names, o.header_values, o.duplicates);
    // One buffer per thread for the canonical request, then the StringToSign.
    let verdict = crate::scratch::with_text(|text| {
        canonical_request::text_from(
            text,
            &canonical_request::Borrowed {
                method: &req.method,
                bucket: loc.bucket.as_deref(),
                key,
                query: &q,
                headers: &headers,
                additional: &line,
                payload: payload(req),
            },
        );
        let digest = signing_key::sha256_hex64(text);
        // §4.4: ALGORITHM \n timestamp \n scope \n hex(SHA256(CanonicalRequest)).
        text.clear();
        for part in [
            string_to_sign::ALGORITHM,
            "\n",
            timestamp,
            "\n",
            scope.date,
            "/",
            scope.region,
            "/",
            scope.product,
            "/",
            scope.terminator,
            "\n",
            signing_key::hex_str(&digest),
        ] {
            text.push_str(part);
        }
        let sts = &*text;
        // Signed with the key of the scope it names (the credential's).
        let sign =
            |secret: &Secret| signing_key::scope_signature(secret, &scope, &[sts.as_bytes()]);
        crate::verify::decide(
            scheme,
            credential.access_key_id.to_string(),
            provided.to_string(),
            &opts.secrets,
            sign,
        )
    });
    Ok(Some(verdict))
}

/// Which of the headers the header form's signing looks at the request
/// already carries (`Request::header(name).is_some()` for each), in one pass:
/// names are told apart by their length first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Present {
    x_oss_date: bool,
    date: bool,
    content_sha256: bool,
    security_token: bool,
    authorization: bool,
}

impl Present {
    fn of(req: &Request) -> Present {
        let mut p = Present::default();
        for (n, _) in &req.headers {
            let is = |name: &str| n.eq_ignore_ascii_case(name);
            match n.len() {
                4 => p.date |= is("date"),
                10 => p.x_oss_date |= is("x-oss-date"),
                13 => p.authorization |= is("authorization"),
                20 => {
                    p.content_sha256 |= is("x-oss-content-sha256");
                    p.security_token |= is("x-oss-security-token");
                }
                _ => {}
            }
        }
        p
    }
}

/// The region to sign with: the spec's, else the endpoint's (§4.4; DESIGN "JSON request spec").
fn region_for<'a>(spec: &'a RequestSpec, addr: &'a Address) -> Result<&'a str> {
    match spec.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Ok(r),
        None => addr.endpoint.region.as_deref().ok_or_else(|| {
            InputError::new(
                "bad-spec",
                format!(
                    "OSS V4 needs a region and host `{}` names none: give `region` (e.g. cn-hangzhou; CloudBox: the CloudBox ID)",
                    addr.host
                ),
            )
            .at("field `region`")
        }),
    }
}

/// Sign a request (oss-signing.md §4.6 procedure; §5 for URLs).
///
/// Header form: adds `x-oss-date` (from `time`, unless given),
/// `x-oss-content-sha256: UNSIGNED-PAYLOAD` (unless given) and
/// `x-oss-security-token` (STS), then `Authorization`. URL form: adds
/// `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires`
/// (= `expires`), `x-oss-additional-headers` (if any), `x-oss-security-token`,
/// then `x-oss-signature`, all RFC 3986-encoded. The region is `spec.region`,
/// else the endpoint's; the product `spec.product`, else `oss`. A region with
/// the `oss-` prefix is signed as given (verify reports it, SIG200).
#[allow(clippy::too_many_arguments)]
pub fn sign(
    req: Request,
    addr: &Address,
    form: Form,
    creds: &Credentials,
    time: i64,
    expires: i64,
    spec: &RequestSpec,
    opts: &V4Options,
) -> Result<Signed> {
    sign_with(req, addr, form, creds, (time, expires), spec, opts, true)
}

/// [`sign`]; `fast`: whether the header form's stages may be written in one
/// pass ([`lean::sign_stages`]); the tests hold the two to each other.
#[allow(clippy::too_many_arguments)]
fn sign_with(
    mut req: Request,
    addr: &Address,
    form: Form,
    creds: &Credentials,
    (time, expires): (i64, i64),
    spec: &RequestSpec,
    opts: &V4Options,
    fast: bool,
) -> Result<Signed> {
    let region = region_for(spec, addr)?;
    let product = spec
        .product
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(scope::PRODUCT_OSS);
    let requested: &[String] = spec.additional_headers.as_deref().unwrap_or(&[]);
    match form {
        Form::Header => {
            // The headers sign asks about, found in one pass (`Request::header`
            // of each; none of them is added below but these three).
            let has = Present::of(&req);
            // §4.2: x-oss-date (ISO basic) unless the caller gave one; GO1 signs Date (Q6).
            let src = if has.x_oss_date {
                TimeSource::XOssDate
            } else if opts.v4_date == V4Date::DateFallback && has.date {
                TimeSource::DateHeader
            } else {
                TimeSource::Missing
            };
            // Where sigdiff wrote x-oss-date itself (then it is well-formed by construction).
            let mut own_date = None;
            match src {
                TimeSource::Missing if opts.v4_date == V4Date::DateFallback => req
                    .headers
                    .push(("Date".into(), crate::time::http_date(time))),
                TimeSource::Missing => {
                    own_date = Some(req.headers.len());
                    req.headers
                        .push(("x-oss-date".into(), crate::time::iso_basic(time)))
                }
                _ => {}
            }
            if !has.content_sha256 {
                req.headers
                    .push(("x-oss-content-sha256".into(), "UNSIGNED-PAYLOAD".into()));
            }
            if let Some(tok) = &creds.security_token {
                if !has.security_token {
                    req.headers
                        .push(("x-oss-security-token".into(), tok.clone()));
                }
            }
            // The only x-oss-date when sigdiff wrote it (what `header_timestamp` finds).
            let ts = match own_date {
                Some(i) => req.headers[i].1.as_str(),
                None => header_timestamp(&req, opts).1,
            };
            let day: std::borrow::Cow<'_, str> = match ts.get(..8) {
                // §4.4: the scope date is the day of x-oss-date.
                Some(d) if own_date.is_some() => d.into(),
                _ => timestamp_day(ts)
                    .ok_or_else(|| {
                        InputError::new(
                            "bad-spec",
                            format!(
                                "the given x-oss-date `{}` is not yyyymmddTHHMMSSZ",
                                crate::canonical::escape_visible(ts)
                            ),
                        )
                        .at("field `headers`")
                    })?
                    .into(),
            };
            let py1;
            let sorted;
            let (listed, canon): (&[String], &[String]) =
                if opts.additional_headers_order == AdditionalOrder::Py1 {
                    py1 = additional_headers::select_py1(requested);
                    (&py1.0, &py1.1)
                } else if fast && additional_headers::already_selected(requested, &req) {
                    // The requested names are the list itself: nothing to copy.
                    (requested, requested)
                } else {
                    sorted = additional_headers::select(requested, &req);
                    (&sorted, &sorted)
                };
            let scope = ScopeRef::new(&day, region, product);
            // §4.3: the names `;`-joined (a single name is its own line).
            let line: std::borrow::Cow<'_, str> = match canon {
                [one] => one.as_str().into(),
                _ => canon.join(";").into(),
            };
            // The usual request's stages as their texts alone, cut into fields
            // when asked (`None`: the general assembly below).
            let lean = fast
                .then(|| lean::sign_stages(&req, addr, canon, &line, ts, scope, opts))
                .flatten();
            let (cr, sts) = match lean {
                Some((cr, sts)) => (
                    Canonical::deferred(cr, canonical_request::parse_back),
                    Canonical::deferred(sts, string_to_sign::parse_back),
                ),
                None => {
                    let q = canonical_query_of(&req, opts, "")?;
                    let (cr, sts, _) = stages(&req, addr, &q, canon, &line, ts, scope, opts);
                    (cr, sts)
                }
            };
            let sig = signing_key::signature_parts(
                &creds.secret,
                scope.date,
                scope.region,
                scope.product,
                &[sts.as_str().as_bytes()],
            );
            let sig = signing_key::hex_str(&sig).to_string();
            let value = authorization::format_header_parts(
                &creds.access_key_id,
                scope,
                &if listed == canon {
                    line
                } else {
                    listed.join(";").into()
                },
                &sig,
            );
            if !has.authorization {
                req.headers.push(("Authorization".to_string(), value));
            } else {
                req.set_header("Authorization", &value);
            }
            Ok(Signed {
                signature: sig,
                request: req,
                stages: vec![(Stage::CanonicalRequest, cr), (Stage::StringToSign, sts)],
            })
        }
        Form::Url => {
            // §5: x-oss-expires is a duration, 1..604800.
            if !(1..=604_800).contains(&expires) {
                return Err(InputError::new(
                    "bad-spec",
                    format!(
                        "`expires` is {expires}: a V4 URL is valid for 1..604800 seconds (7 days)"
                    ),
                )
                .at("field `expires`"));
            }
            let ts = crate::time::iso_basic(time);
            let scope = ScopeRef::new(&ts[..8], region, product);
            let canon = additional_headers::select(requested, &req);
            let mut extra = String::with_capacity(256);
            let mut credential = String::with_capacity(creds.access_key_id.len() + 1 + scope.len());
            credential.push_str(&creds.access_key_id);
            credential.push('/');
            scope.write(&mut credential);
            authorization::push_param(
                &mut extra,
                "x-oss-signature-version",
                string_to_sign::ALGORITHM,
            );
            authorization::push_param(&mut extra, "x-oss-credential", &credential);
            authorization::push_param(&mut extra, "x-oss-date", &ts);
            authorization::push_param(&mut extra, "x-oss-expires", &expires.to_string());
            if !canon.is_empty() {
                authorization::push_param(&mut extra, "x-oss-additional-headers", &canon.join(";"));
            }
            if let Some(tok) = &creds.security_token {
                authorization::push_param(&mut extra, "x-oss-security-token", tok);
            }
            crate::oss::v1::append_query(&mut req.target, &extra);
            let q = canonical_query_of(&req, opts, "x-oss-signature")?;
            let (cr, sts, _) = stages(&req, addr, &q, &canon, &canon.join(";"), &ts, scope, opts);
            let sig = signing_key::signature_parts(
                &creds.secret,
                scope.date,
                scope.region,
                scope.product,
                &[sts.as_str().as_bytes()],
            );
            let sig = signing_key::hex_str(&sig).to_string();
            let mut tail = String::with_capacity(80);
            authorization::push_param(&mut tail, "x-oss-signature", &sig);
            crate::oss::v1::append_query(&mut req.target, &tail);
            Ok(Signed {
                signature: sig,
                request: req,
                stages: vec![(Stage::CanonicalRequest, cr), (Stage::StringToSign, sts)],
            })
        }
    }
}

/// Signature over a stage text: a (possibly foreign) canonical request is hashed
/// into a StringToSign with `ctx`'s timestamp and scope; a StringToSign is signed
/// as is, with the key derived from the scope it names (else `ctx`'s).
pub fn sign_text(ctx: &SigningContext, stage: Stage, text: &str, secret: &Secret) -> String {
    let sig = match stage {
        Stage::CanonicalRequest => {
            let digest = match &ctx.own_digest {
                Some(d) if d.0 == text => d.1,
                _ => signing_key::sha256_hex64(text),
            };
            let k = ctx.key();
            let s = ctx.scope.borrow();
            // §4.4: ALGORITHM \n timestamp \n scope \n hex(SHA256(CanonicalRequest)).
            signing_key::signature_parts(
                secret,
                &k.date,
                &k.region,
                &k.product,
                &[
                    string_to_sign::ALGORITHM.as_bytes(),
                    b"\n",
                    ctx.timestamp.as_bytes(),
                    b"\n",
                    s.date.as_bytes(),
                    b"/",
                    s.region.as_bytes(),
                    b"/",
                    s.product.as_bytes(),
                    b"/",
                    s.terminator.as_bytes(),
                    b"\n",
                    &digest,
                ],
            )
        }
        _ => {
            let k = string_to_sign::scope_of(text)
                .and_then(ScopeRef::parse)
                .unwrap_or_else(|| ctx.key().borrow());
            signing_key::signature_parts(secret, k.date, k.region, k.product, &[text.as_bytes()])
        }
    };
    signing_key::hex_str(&sig).to_string()
}

/// Cut a stage text into named fields.
pub fn parse_stage(stage: Stage, text: &str, _hint: Option<&Canonical>) -> Canonical {
    match stage {
        Stage::CanonicalRequest => canonical_request::parse_back(text),
        Stage::StringToSign => string_to_sign::parse_back(text),
        Stage::FormatString => {
            let mut c = Canonical::default();
            c.push("text", text);
            c
        }
    }
}

fn shift_day(day: &str, by: i64) -> Option<String> {
    let t = crate::time::parse_iso_basic(&format!("{day}T000000Z"))?;
    Some(crate::time::ymd(t + by * 86_400))
}

/// Signing inputs a client may have used instead of the credential's (diagnosis,
/// issue 4: scope, signing-key inputs date / region / product, StringToSign date).
pub fn alternatives(ctx: &SigningContext) -> Vec<Alternative> {
    let s = &ctx.scope;
    let mut out = Vec::new();
    let mut push_part = |part: &str, cur: &str, alt: String| {
        if alt.is_empty() || alt == cur {
            return;
        }
        let with = |mut sc: Scope| {
            match part {
                "date" => sc.date = alt.clone(),
                "region" => sc.region = alt.clone(),
                _ => sc.product = alt.clone(),
            }
            sc
        };
        // Both the key and the StringToSign scope from `alt`: the client signed
        // consistently but wrote another value into the credential.
        let mut both = ctx.clone();
        both.scope = with(s.clone());
        both.key_scope = None;
        out.push(Alternative {
            field: format!("signing-key:{part}"),
            en: format!("the client signed with {part} `{alt}` (signing key and StringToSign scope) but the credential says `{cur}`"),
            zh: format!("客户端以 {part} `{alt}` 计算签名（签名密钥与 StringToSign 的 scope），而凭证中写的是 `{cur}`"),
            input: SigningInput::OssV4(both),
        });
        let mut key = ctx.clone();
        key.key_scope = Some(Box::new(with(s.clone())));
        out.push(Alternative {
            field: format!("signing-key:{part}"),
            en: format!("the client derived the signing key with {part} `{alt}` while its StringToSign scope says `{cur}`"),
            zh: format!("客户端以 {part} `{alt}` 派生签名密钥，而其 StringToSign 的 scope 为 `{cur}`"),
            input: SigningInput::OssV4(key),
        });
        let mut sc = ctx.clone();
        sc.key_scope = Some(Box::new(s.clone()));
        sc.scope = with(s.clone());
        out.push(Alternative {
            field: "scope".to_string(),
            en: format!("the client wrote {part} `{alt}` into its StringToSign scope while the key and the credential use `{cur}`"),
            zh: format!("客户端在 StringToSign 的 scope 中写入 {part} `{alt}`，而签名密钥与凭证使用 `{cur}`"),
            input: SigningInput::OssV4(sc),
        });
    };
    let mut days = Vec::new();
    if let Some(d) = timestamp_day(&ctx.timestamp) {
        days.push(d);
    }
    days.extend(shift_day(&s.date, -1));
    days.extend(shift_day(&s.date, 1));
    for d in days {
        push_part("date", &s.date, d);
    }
    let mut regions = Vec::new();
    if let Some(r) = &ctx.endpoint_region {
        regions.push(r.clone());
    }
    match s.region.strip_prefix("oss-") {
        Some(r) => regions.push(r.to_string()),
        None => regions.push(format!("oss-{}", s.region)),
    }
    for r in regions {
        push_part("region", &s.region, r);
    }
    let other = if s.product == scope::PRODUCT_CLOUDBOX {
        scope::PRODUCT_OSS
    } else {
        scope::PRODUCT_CLOUDBOX
    };
    push_part("product", &s.product, other.to_string());
    // The StringToSign timestamp a second or two off x-oss-date (clock read twice).
    if let Some(t) = crate::time::parse_iso_basic(&ctx.timestamp) {
        for d in [-2i64, -1, 1, 2] {
            let mut c = ctx.clone();
            c.timestamp = crate::time::iso_basic(t + d);
            out.push(Alternative {
                field: "date".to_string(),
                en: format!(
                    "the client's StringToSign timestamp is `{}`, {d:+} s off the x-oss-date it sent (`{}`)",
                    c.timestamp, ctx.timestamp
                ),
                zh: format!(
                    "客户端 StringToSign 中的时间为 `{}`，与其发送的 x-oss-date（`{}`）相差 {d:+} 秒",
                    c.timestamp, ctx.timestamp
                ),
                input: SigningInput::OssV4(c),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const U1_CR: &str = "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD";
    const U1_STS: &str = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";
    const U1_SIG: &str = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";

    fn u1_ctx() -> SigningContext {
        SigningContext {
            access_key_id: "ak".into(),
            timestamp: "20231216T162057Z".into(),
            scope: Scope::new("20231216", "cn-hangzhou", "oss"),
            key_scope: None,
            endpoint_region: Some("cn-hangzhou".into()),
            own_digest: None,
        }
    }

    #[test]
    fn present_is_header_lookup() {
        let names = [
            "Date",
            "x-oss-date",
            "X-OSS-DATE",
            "Authorization",
            "x-oss-content-sha256",
            "X-Oss-Security-Token",
            "x-oss-datE1",
            "dat",
            "Host",
        ];
        for i in 0..names.len() {
            for j in 0..names.len() {
                let req = Request::from_url(
                    "GET",
                    "https://b.oss-cn-hangzhou.aliyuncs.com/k",
                    vec![(names[i].into(), "v".into()), (names[j].into(), "".into())],
                )
                .unwrap();
                let has = |n: &str| req.header(n).is_some();
                let want = Present {
                    x_oss_date: has("x-oss-date"),
                    date: has("date"),
                    content_sha256: has("x-oss-content-sha256"),
                    security_token: has("x-oss-security-token"),
                    authorization: has("authorization"),
                };
                assert_eq!(Present::of(&req), want, "{} {}", names[i], names[j]);
            }
        }
    }

    #[test]
    fn sign_text_both_stages() {
        // oss-signing.md §9.2 U1: a foreign canonical request and StringToSign.
        let sk = Secret::new("sk");
        let ctx = u1_ctx();
        assert_eq!(sign_text(&ctx, Stage::CanonicalRequest, U1_CR, &sk), U1_SIG);
        assert_eq!(sign_text(&ctx, Stage::StringToSign, U1_STS, &sk), U1_SIG);
        // The StringToSign's own scope wins over the context's (U2's scope, U2's signature).
        let u2 = U1_STS.replace("cn-hangzhou/oss/", "cb-123/oss-cloudbox/");
        assert_eq!(
            sign_text(&ctx, Stage::StringToSign, &u2, &sk),
            "94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43"
        );
        // A key-only override changes the signature, a scope override too.
        let mut k = ctx.clone();
        k.key_scope = Some(Box::new(Scope::new("20231216", "cb-123", "oss-cloudbox")));
        assert_ne!(sign_text(&k, Stage::CanonicalRequest, U1_CR, &sk), U1_SIG);
    }

    #[test]
    fn parse_stage_round_trips() {
        for (st, t) in [
            (Stage::CanonicalRequest, U1_CR),
            (Stage::StringToSign, U1_STS),
        ] {
            let c = parse_stage(st, t, None);
            assert_eq!(c.to_string(), t);
            assert!(c.field_count() >= 4);
        }
        assert_eq!(
            parse_stage(Stage::StringToSign, U1_STS, None)
                .get("scope")
                .unwrap(),
            "20231216/cn-hangzhou/oss/aliyun_v4_request\n"
        );
    }

    #[test]
    fn alternatives_cover_scope_key_and_timestamp() {
        let alts = alternatives(&u1_ctx());
        let fields: Vec<&str> = alts.iter().map(|a| a.field.as_str()).collect();
        for f in [
            "signing-key:date",
            "signing-key:region",
            "signing-key:product",
            "scope",
            "date",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        // One of them is U2's key (CloudBox product and region change together is not
        // generated, but the product flip is): every alternative signs differently.
        let sk = Secret::new("sk");
        for a in &alts {
            let SigningInput::OssV4(c) = &a.input else {
                panic!()
            };
            assert_ne!(
                sign_text(c, Stage::CanonicalRequest, U1_CR, &sk),
                U1_SIG,
                "{}",
                a.en
            );
        }
    }

    #[test]
    fn timestamp_days() {
        assert_eq!(
            timestamp_day("20231216T162057Z").as_deref(),
            Some("20231216")
        );
        assert_eq!(
            timestamp_day("Sat, 16 Dec 2023 23:59:59 GMT").as_deref(),
            Some("20231216")
        );
        assert_eq!(timestamp_day("20231216"), None);
    }

    fn spec(json: &str) -> RequestSpec {
        RequestSpec::from_json(json).unwrap()
    }

    fn sign_and_verify(
        s: &RequestSpec,
        o: &V4Options,
        verify_opts: &V4Options,
    ) -> crate::verify::VerifyReport {
        let so = crate::sign::SignOptions {
            oss_v4: *o,
            ..Default::default()
        };
        let r = crate::sign::sign_spec(s, &so).unwrap();
        let req = Request::from_url(
            s.method.as_deref().unwrap_or("GET"),
            &r.url,
            r.headers.clone(),
        )
        .unwrap();
        crate::verify::verify(
            &req,
            &crate::verify::VerifyOptions {
                now: 1702743657,
                oss_v4: *verify_opts,
                secrets: vec![Secret::new("sk")],
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn go1_date_fallback() {
        // Q6: GO1 signs the literal Date header when there is no x-oss-date.
        let s = spec(
            r#"{"scheme":"oss-v4","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","time":1702743657,"credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#,
        );
        let o = V4Options {
            v4_date: V4Date::DateFallback,
            ..Default::default()
        };
        let rep = sign_and_verify(&s, &o, &o);
        assert_eq!(rep.verdict, crate::verify::Verdict::Match);
        assert!(rep.findings.iter().any(|f| f.code == "SIG216"));
        let rep = sign_and_verify(&s, &o, &V4Options::default());
        assert!(rep.findings.iter().any(|f| f.code == "SIG202"));
        assert_eq!(rep.verdict, crate::verify::Verdict::Mismatch);
    }

    #[test]
    fn py1_header_order_verifies_like_sorted() {
        // oracles/README.md deviation 3: oss2 writes AdditionalHeaders=abb;aaz.
        let s = spec(
            r#"{"scheme":"oss-v4","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","time":1702743657,
            "headers":[["abb","1"],["aaz","2"]],"additional_headers":["abb","aaz"],"credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#,
        );
        let py1 = V4Options {
            additional_headers_order: AdditionalOrder::Py1,
            ..Default::default()
        };
        let rep = sign_and_verify(&s, &py1, &V4Options::default());
        assert_eq!(rep.verdict, crate::verify::Verdict::Match);
        assert!(rep.findings.iter().any(|f| f.code == "SIG211"));
        let canon = rep
            .fields
            .iter()
            .find(|f| f.name == "additional-headers")
            .unwrap();
        assert_eq!(canon.server.as_deref(), Some("\naaz;abb\n"));
        // Under the as-sent hypothesis the server would sign `abb;aaz`: a mismatch.
        let as_sent = V4Options {
            additional_headers_order: AdditionalOrder::AsSent,
            ..Default::default()
        };
        let rep = sign_and_verify(&s, &py1, &as_sent);
        assert_eq!(rep.verdict, crate::verify::Verdict::Mismatch);
    }

    #[test]
    fn query_modes_disagree_only_on_non_canonical_wire() {
        // Q2: `%2f` and `*` on the wire.
        let s = spec(
            r#"{"scheme":"oss-v4","url":"https://b.oss-cn-hangzhou.aliyuncs.com/k?prefix=a%2fb&x=*","time":1702743657,"credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#,
        );
        let raw = V4Options {
            query: QueryMode::RawWire,
            ..Default::default()
        };
        let rep = sign_and_verify(&s, &raw, &raw);
        assert_eq!(rep.verdict, crate::verify::Verdict::Match);
        let rep = sign_and_verify(&s, &raw, &V4Options::default());
        assert_eq!(rep.verdict, crate::verify::Verdict::Mismatch);
        assert!(rep.findings.iter().any(|f| f.code == "SIG212"));
        let s = spec(
            r#"{"scheme":"oss-v4","url":"https://b.oss-cn-hangzhou.aliyuncs.com/k?prefix=a%2Fb&x=%2A","time":1702743657,"credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#,
        );
        let rep = sign_and_verify(&s, &raw, &V4Options::default());
        assert_eq!(rep.verdict, crate::verify::Verdict::Match);
    }

    #[test]
    fn options_serde_names() {
        let v = serde_json::to_value(V4Options::default()).unwrap();
        assert_eq!(v["query"], "re-encode");
        assert_eq!(v["additional_headers_order"], "sorted");
        assert_eq!(v["v4_date"], "x-oss-date");
        let o: V4Options = serde_json::from_value(serde_json::json!({"query": "locale-compare", "empty_values": "keep-equals", "additional_headers_order": "py1", "v4_date": "date-fallback"})).unwrap();
        assert_eq!(o.query, QueryMode::LocaleCompare);
    }
}
