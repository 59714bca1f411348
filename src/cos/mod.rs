//! Tencent Cloud COS q-sign (sha1): `Authorization` header and presigned URL
//! (cos-signing.md §1–§3), sign and verify.
//!
//! The stages, one small pure function each:
//!
//! | file | stage |
//! |---|---|
//! | [`key_time`] | KeyTime / SignTime, SignKey (§2.1, §2.2) |
//! | [`pairs`] | the shared `lower(enc(k))=enc(v)` pairs, sort, lists (§2.4, §2.5, §2.8) |
//! | [`http_parameters`] | which query parameters (§2.4) |
//! | [`http_headers`] | which headers, their values, Host (§2.5, §2.7) |
//! | [`http_string`] | HttpString (the server's FormatString) and its parse-back (§2.1, §5) |
//! | [`string_to_sign`] | StringToSign and the signature (§2.1) |
//! | [`authorization`] | the seven-field q-sign string (§1.1) |
//! | [`presign`] | the string in the URL: per-field or merged `sign=` (§1.2) |
//! | [`checks`] | time windows, coverage and lint findings (§2.2, §3, §7) |
//!
//! Verify signs exactly what `q-header-list` and `q-url-param-list` name; sign
//! chooses the lists (DESIGN defaults or `signed_headers`) and then runs the very
//! same canonicalisation, so what `sign` writes `verify` accepts.

pub mod authorization;
pub mod checks;
mod fast;
pub mod http_headers;
pub mod http_parameters;
pub mod http_string;
pub mod key_time;
pub mod pairs;
pub mod presign;
pub mod string_to_sign;

use crate::address::{Address, Provider};
use crate::canonical::{Canonical, Stage};
use crate::encode::{self, PlusMeans, QueryParam};
use crate::error::{InputError, Result};
use crate::finding::Finding;
use crate::input::spec::RequestSpec;
use crate::request::Request;
use crate::scheme::{Prepared, SchemeId, Signed, SigningInput};
use crate::secret::{Credentials, Secret};
use authorization::{QAuth, QAuthRef};
use key_time::TimeRange;
use serde::{Deserialize, Serialize};

pub use http_headers::HeaderWhitespace;
pub use pairs::{Repeated, Sort};
pub use presign::{Presign, UrlEncoding};

/// Whether this build signs and verifies COS.
pub const SUPPORTED: bool = true;

/// Whether the signer covers the security token (cos-signing.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenSigning {
    /// In q-header-list / q-url-param-list (Go, Python, C++ presign; DESIGN).
    #[default]
    Signed,
    /// Sent but not listed (Java, PHP, JS/Node, Android, .NET).
    Unsigned,
}

/// Every COS behaviour where SDKs and the server may differ. `Default` is the server's
/// (or, for sign-only choices, the recommended one). Keys for `--opt KEY=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CosOptions {
    /// Pair order: `encoded-key` (server, most SDKs) or `raw-key` (JS/Node, C, iOS) (§2.4, Q1).
    pub sort: Sort,
    /// A name sent more than once: `all` (Go), `first`, `last` (§2.4, Q2).
    pub repeated: Repeated,
    /// Header values: `trim` (what the server sees) or `raw` (§2.5, Q8).
    pub header_whitespace: HeaderWhitespace,
    /// A literal `+` in the path: `space` (the COS server, §7 item 2) or `plus`.
    pub plus_in_path: PlusMeans,
    /// A literal `+` in the query: `space` (form decoding, §2.4) or `plus`.
    pub plus_in_query: PlusMeans,
    /// Sign only: URL form `per-field` (seven parameters) or `merged` (`sign=`) (§1.2).
    pub presign: Presign,
    /// Sign only: URL value encoding `rfc3986` (Java) or `uri-component` (Go) (§1.2).
    pub url_encoding: UrlEncoding,
    /// Sign only: the security token `signed` or `unsigned` (§1.3).
    pub token: TokenSigning,
}

impl Default for CosOptions {
    fn default() -> Self {
        CosOptions {
            sort: Sort::EncodedKey,
            repeated: Repeated::All,
            header_whitespace: HeaderWhitespace::Trim,
            plus_in_path: PlusMeans::Space,
            plus_in_query: PlusMeans::Space,
            presign: Presign::PerField,
            url_encoding: UrlEncoding::Rfc3986,
            token: TokenSigning::Signed,
        }
    }
}

/// Header or URL signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Authorization` header.
    Header,
    /// Query parameters (per-field or merged `sign=`).
    Url,
}

/// What a COS signature is computed from besides the secret and the signed text:
/// the exact `q-key-time` (SignKey) and `q-sign-time` (StringToSign line 2) texts
/// (cos-signing.md §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigningContext {
    /// `q-key-time`.
    pub key_time: String,
    /// `q-sign-time`.
    pub sign_time: String,
    /// sigdiff's own HttpString and its SHA-1 (lower-case hex), so signing that
    /// same text again (the usual case in verify) does not hash it twice.
    known: Option<(String, [u8; 40])>,
}

impl SigningContext {
    /// A context for these key and sign times.
    pub fn new(key_time: impl Into<String>, sign_time: impl Into<String>) -> Self {
        SigningContext {
            key_time: key_time.into(),
            sign_time: sign_time.into(),
            known: None,
        }
    }

    /// `hex(SHA1(text))`, from the cache when `text` is sigdiff's own HttpString.
    fn format_string_sha1(&self, text: &str) -> [u8; 40] {
        match &self.known {
            Some((t, h)) if t == text => *h,
            _ => string_to_sign::sha1_hex40(text),
        }
    }
}

/// Everything canonicalisation produced for one request.
struct Canon {
    http_string: Canonical,
    /// `hex(SHA1(HttpString))`.
    digest: [u8; 40],
    string_to_sign: Canonical,
}

/// What a request signs under given lists: the listed headers and parameters as
/// pairs in signing order, and the decoded path.
struct Parts<'a, 'r> {
    headers: pairs::Selection<'a>,
    params: pairs::Selection<'a>,
    path: std::borrow::Cow<'r, str>,
}

/// Pick the listed pairs of the candidates and decode the path (cos-signing.md
/// §2.4–§2.6, §2.8): the one canonicalisation sign, prepare and [`lean`] share.
fn select_parts<'a, 'r, K: pairs::Keys + ?Sized>(
    req: &'r Request,
    hc: &[(&'a str, &'a str)],
    pc: &[(&'a str, &'a str)],
    header_list: &K,
    param_list: &K,
    opts: &CosOptions,
) -> Result<Parts<'a, 'r>> {
    let headers = pairs::selection(hc, header_list, opts.repeated, opts.sort);
    let params = pairs::selection(pc, param_list, opts.repeated, opts.sort);
    // §2.6: UriPathname is the percent-decoded path as sent (path-style: bucket included).
    let path = encode::decode(req.raw_path(), opts.plus_in_path, "request path")?;
    Ok(Parts {
        headers,
        params,
        path,
    })
}

/// HttpString and StringToSign as named fields (cos-signing.md §2.1, §2.8).
fn canon(method: &str, parts: &Parts<'_, '_>, sign_time: &str) -> Canon {
    canon_of(
        http_string::build_selected(method, &parts.path, &parts.params, &parts.headers),
        sign_time,
    )
}

/// [`Canon`] from a built HttpString.
fn canon_of(http_string: Canonical, sign_time: &str) -> Canon {
    // §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
    let digest = string_to_sign::sha1_hex40(http_string.as_str());
    let string_to_sign = string_to_sign::from_digest(sign_time, key_time::hex_str(&digest));
    Canon {
        http_string,
        digest,
        string_to_sign,
    }
}

/// [`Canon`] from an HttpString's text, both stages held as text and cut into
/// fields only when asked (`Canonical::deferred`, with the parse-backs of
/// [`http_string`] and [`string_to_sign`]: the same fields as [`canon_of`] when
/// the text is what `fast::sign_parts` writes).
fn canon_deferred(http_string: String, sign_time: &str) -> Canon {
    // §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
    let digest = string_to_sign::sha1_hex40(&http_string);
    let string_to_sign = string_to_sign::text(sign_time, key_time::hex_str(&digest));
    Canon {
        http_string: Canonical::deferred(http_string, http_string::cut),
        digest,
        string_to_sign: Canonical::deferred(string_to_sign, string_to_sign::parse_back),
    }
}

fn query_of<'a>(req: &'a Request, opts: &CosOptions) -> Result<Vec<QueryParam<'a>>> {
    req.query(opts.plus_in_query)
}

/// The q-sign fields a request carries in `form` (the `Authorization` header, or
/// the URL's per-field or merged parameters), `true` for the merged `sign=` form;
/// findings on how they are written go to `findings`.
fn read_auth<'q>(
    req: &'q Request,
    query: &'q [QueryParam<'_>],
    form: Form,
    findings: &mut Vec<Finding>,
) -> Result<(QAuthRef<'q>, bool)> {
    let both = || {
        Finding::new(
            "SIG117",
            None,
            "The request carries a q-sign signature both in the Authorization header and in the URL; COS does not document which wins and no SDK sends both (cos-signing.md §7 item 20).",
            "请求同时在 Authorization 头和 URL 中携带 q-sign 签名；COS 未说明以哪个为准，任何 SDK 都不会这样发送。",
        )
    };
    match form {
        Form::Header => {
            let v = req.header("authorization").ok_or_else(|| {
                InputError::new(
                    "bad-authorization",
                    "the request has no Authorization header",
                )
            })?;
            let a = authorization::parse_ref(v, "the Authorization header", findings)?;
            if presign::has_url_auth(query) {
                findings.push(both());
            }
            Ok((a, false))
        }
        Form::Url => {
            let (a, merged) = presign::read_ref(query, findings)?;
            if req.header("authorization").is_some() {
                findings.push(both());
            }
            Ok((a, merged))
        }
    }
}

/// Canonicalise a signed request for verification: read its q-sign fields from
/// the header or the URL, rebuild HttpString and StringToSign over exactly what
/// the lists name, and run the time and coverage checks against `now`.
pub fn prepare(
    req: &Request,
    addr: Address,
    form: Form,
    opts: &CosOptions,
    now: i64,
) -> Result<Prepared> {
    let query = query_of(req, opts)?;
    let mut findings: Vec<Finding> = Vec::new();
    let (auth, merged) = read_auth(req, &query, form, &mut findings)?;
    let scheme = match form {
        Form::Header => SchemeId::Cos,
        Form::Url => SchemeId::CosUrl,
    };
    // §1.1: both times are `<start>;<end>` in unix seconds; anything else is unreadable input.
    let sign_range = TimeRange::parse(auth.sign_time, "q-sign-time")?;
    let key_range = TimeRange::parse(auth.key_time, "q-key-time")?;
    checks::fields(&auth, &mut findings);
    checks::times(&auth, sign_range, key_range, now, &mut findings);
    checks::list_case(&auth, &mut findings);
    // Verify signs exactly what the lists name (issue 3 item 2; cos-signing.md §2.4, §2.5).
    let header_list = pairs::parse_list_borrowed(auth.header_list.unwrap_or(""));
    let param_list = pairs::parse_list_borrowed(auth.url_param_list.unwrap_or(""));
    let url_form = form == Form::Url;
    let hc = http_headers::candidates(req, opts.header_whitespace);
    let pc = http_parameters::candidates(&query, url_form, merged);
    let parts = select_parts(req, &hc, &pc, &header_list, &param_list, opts)?;
    let hkeys = pairs::KeyList::per_name(hc.iter().map(|(n, _)| *n));
    let pkeys = pairs::KeyList::per_name(pc.iter().map(|(n, _)| *n));
    checks::coverage(
        &hc,
        &pc,
        (&hkeys, &pkeys),
        &header_list,
        &param_list,
        &parts.headers,
        &parts.params,
        &mut findings,
    );
    checks::sort_matters(&parts.params, &parts.headers, opts.sort, &mut findings);
    let c = canon(&req.method, &parts, auth.sign_time);
    checks::lint(
        req.raw_path(),
        query
            .iter()
            .filter(|p| !(url_form && http_parameters::is_auth_param(&p.name, merged))),
        &param_list,
        &hc,
        &req.headers,
        &header_list,
        &mut findings,
    );
    let known = Some((c.http_string.as_str().to_string(), c.digest));
    drop(header_list);
    drop(param_list);
    Ok(Prepared {
        scheme,
        address: addr,
        access_key_id: auth.ak.to_string(),
        provided_signature: auth.signature.to_string(),
        stages: vec![
            (Stage::FormatString, c.http_string),
            (Stage::StringToSign, c.string_to_sign),
        ],
        findings,
        input: SigningInput::Cos(SigningContext {
            key_time: auth.key_time.to_string(),
            sign_time: auth.sign_time.to_string(),
            known,
        }),
        key_hint: Some((
            "For COS the signing key is HMAC-SHA1(SecretKey, q-key-time): the SecretKey, the SecretId or the q-key-time is wrong (cos-signing.md §5 \"if those match the key or key time is wrong\").",
            "COS 的签名密钥为 HMAC-SHA1(SecretKey, q-key-time)：SecretKey、SecretId 或 q-key-time 有误。",
        )),
    })
}

/// What the verdict alone needs from a signed request ([`lean`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lean {
    /// `q-key-time` and `q-sign-time`.
    pub context: SigningContext,
    /// The StringToSign text (the stage the HMAC is taken over).
    pub string_to_sign: String,
    /// `q-ak`.
    pub access_key_id: String,
    /// `q-signature`.
    pub provided_signature: String,
}

impl Lean {
    /// The signature this request should carry under `secret` (cos-signing.md §2.1).
    pub fn signature(&self, secret: &Secret) -> String {
        sign_text(
            &self.context,
            Stage::StringToSign,
            &self.string_to_sign,
            secret,
        )
    }
}

/// [`prepare`] for the verdict alone (`verify::check`): the same reading of the
/// q-sign fields, the same canonicalisation and the same errors, but no findings
/// (time, coverage, lint), no field table and no endpoint description: the
/// HttpString is written into one plain buffer and only its digest is kept.
pub fn lean(req: &Request, form: Form, opts: &CosOptions) -> Result<Lean> {
    let query = query_of(req, opts)?;
    // Findings are not wanted here; the Vec stays unallocated unless one is made.
    let mut unused = Vec::new();
    let (auth, merged) = read_auth(req, &query, form, &mut unused)?;
    // §1.1: both times are `<start>;<end>` in unix seconds (the same errors as prepare;
    // the key time is usually the same text, read once).
    TimeRange::parse(auth.sign_time, "q-sign-time")?;
    if auth.key_time != auth.sign_time {
        TimeRange::parse(auth.key_time, "q-key-time")?;
    }
    // Verify signs exactly what the lists name (issue 3 item 2; cos-signing.md §2.4, §2.5).
    let (hl, pl) = (
        auth.header_list.unwrap_or(""),
        auth.url_param_list.unwrap_or(""),
    );
    let url_form = form == Form::Url;
    let text = match fast::lean_text(req, &query, url_form, merged, hl, pl, opts) {
        Some(text) => text,
        None => {
            let header_list = pairs::parse_list_borrowed(hl);
            let param_list = pairs::parse_list_borrowed(pl);
            let hc = http_headers::candidates(req, opts.header_whitespace);
            let pc = http_parameters::candidates(&query, url_form, merged);
            let parts = select_parts(req, &hc, &pc, &header_list, &param_list, opts)?;
            let mut text = String::with_capacity(http_string::selected_len(
                &req.method,
                &parts.path,
                &parts.params,
                &parts.headers,
            ));
            http_string::write_selected(
                &mut text,
                &req.method,
                &parts.path,
                &parts.params,
                &parts.headers,
            );
            text
        }
    };
    // §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
    let digest = string_to_sign::sha1_hex40(&text);
    Ok(Lean {
        context: SigningContext::new(auth.key_time, auth.sign_time),
        string_to_sign: string_to_sign::text(auth.sign_time, key_time::hex_str(&digest)),
        access_key_id: auth.ak.to_string(),
        provided_signature: auth.signature.to_string(),
    })
}

/// The lean verdict of a COS request ([`crate::verify::check`]'s COS arm) in one
/// pass for the usual shape: the `Authorization` header form, no bucket given,
/// a virtual-hosted COS host, the q-sign string exactly as every SDK writes it,
/// lists the one-pass canonicalisation (`fast`) takes.
/// The HttpString goes into one buffer per thread; the StringToSign is hashed
/// in parts, never built. The same signature, key id and verdict as
/// `address::locate` + [`lean`] + `Lean::signature`; `None` for every other
/// request and for every error, which that general path then decides (with
/// its errors). tests/cos_check.rs holds the two to each other.
pub fn check<'r>(
    req: &'r Request,
    scheme: SchemeId,
    opts: &crate::verify::VerifyOptions,
) -> Option<crate::verify::Check<'r>> {
    if scheme != SchemeId::Cos || opts.bucket.is_some() {
        return None;
    }
    // The target cut once at its first `?`.
    let (raw_path, raw_query) = req.split_target();
    // The address as `locate` checks it: the host names the bucket, the path starts with `/`.
    let usual = |h| crate::address::usual_virtual_host(h, Provider::Cos).is_some();
    if !req.host().is_some_and(usual) || !raw_path.starts_with('/') {
        return None;
    }
    // `query_of`.
    let query = match raw_query {
        Some(q) => encode::parse_query(q, opts.cos.plus_in_query).ok()?,
        None => Vec::new(),
    };
    // §1.1: the seven fields in their fixed order (read as `read_auth` reads them).
    let auth = authorization::exact(req.header("authorization")?)?;
    // §1.1: both times are `<start>;<end>` in unix seconds.
    if !TimeRange::well_formed(auth.sign_time)
        || (auth.key_time != auth.sign_time && !TimeRange::well_formed(auth.key_time))
    {
        return None;
    }
    // Verify signs exactly what the lists name (issue 3 item 2; cos-signing.md §2.4,
    // §2.5); the path decoding to UTF-8 also answers `locate`'s key check.
    let lists = (
        auth.header_list.unwrap_or(""),
        auth.url_param_list.unwrap_or(""),
    );
    let form = (false, false);
    let digest = crate::scratch::with_text(|text| {
        let built = fast::lean_text_into(text, req, raw_path, &query, form, lists, &opts.cos);
        // §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
        built.map(|()| string_to_sign::sha1_hex40(text))
    })?;
    // Both borrowed from the request (no copy).
    Some(crate::verify::decide(
        scheme,
        auth.ak,
        auth.signature,
        &opts.secrets,
        |secret| {
            // §2.1: Signature = hex(HMAC-SHA1(SignKey, StringToSign)), SignKey from q-key-time.
            let st = auth.sign_time.as_bytes();
            let parts: [&[u8]; 5] = [b"sha1\n", st, b"\n", &digest, b"\n"];
            key_time::signature_parts(secret, auth.key_time, &parts)
        },
    ))
}

/// The headers to sign, as canonical keys: `signed_headers` from the spec, else
/// the DESIGN defaults; the token header is added when it is to be signed.
fn header_list_for(
    cands: &[(&str, &str)],
    spec: &RequestSpec,
    form: Form,
    token: bool,
    opts: &CosOptions,
) -> Result<pairs::KeyList> {
    let mut list = match &spec.signed_headers {
        Some(names) => {
            let keys = pairs::KeyList::per_name(cands.iter().map(|(n, _)| *n));
            let mut out = pairs::KeyList::with_capacity(
                names.iter().map(|n| n.len() + 4).sum(),
                names.len() + 1,
            );
            // An empty name (`--sign-headers ''`) signs nothing, like `[]`.
            for n in names.iter().filter(|n| !n.trim().is_empty()) {
                let k = pairs::canonical_key(n.trim());
                if !keys.contains(&k) {
                    return Err(InputError::new(
                        "bad-spec",
                        format!("`signed_headers` names `{n}`, which the request does not carry; add it to `headers`"),
                    )
                    .at("field `signed_headers`"));
                }
                out.push_key(&k);
            }
            out
        }
        None => http_headers::default_keys(cands),
    };
    // §1.3 / DESIGN: the token header is signed (unless the caller asks otherwise).
    let tk = http_parameters::TOKEN;
    if form == Form::Header && token {
        match opts.token {
            TokenSigning::Signed => list.push_key(tk),
            TokenSigning::Unsigned => list.remove(tk),
        }
    }
    Ok(list)
}

/// Sign a request (cos-signing.md §2.8 procedure; §1.2 for URLs).
///
/// Adds `Host` (the exact wire host, port included) when absent, and the token
/// as `x-cos-security-token` (header for [`Form::Header`], query parameter for
/// [`Form::Url`]), signed unless `opts.token` says otherwise. `key_time` defaults
/// to `time;time+expires`, `sign_time` to `key_time`. Headers: `spec.signed_headers`
/// or the DESIGN defaults; every query parameter is signed.
#[allow(clippy::too_many_arguments)]
pub fn sign(
    req: Request,
    addr: &Address,
    form: Form,
    creds: &Credentials,
    time: i64,
    expires: i64,
    spec: &RequestSpec,
    opts: &CosOptions,
) -> Result<Signed> {
    sign_with(req, addr, form, creds, (time, expires), spec, opts, true)
}

/// [`sign`]; `fast`: whether the one-pass canonicalisation ([`fast`]) may be
/// used (the tests hold it to the general path).
#[allow(clippy::too_many_arguments)]
fn sign_with(
    mut req: Request,
    addr: &Address,
    form: Form,
    creds: &Credentials,
    (time, expires): (i64, i64),
    spec: &RequestSpec,
    opts: &CosOptions,
    fast: bool,
) -> Result<Signed> {
    let default_key_time;
    let key_time: &str = match &spec.key_time {
        Some(k) => {
            TimeRange::parse(k, "key_time").map_err(|e| e.at("field `key_time`"))?;
            k
        }
        None => {
            default_key_time = TimeRange::from_expires(time, expires).stack_text();
            default_key_time.as_str()
        }
    };
    let sign_time: &str = match &spec.sign_time {
        Some(s) => {
            TimeRange::parse(s, "sign_time").map_err(|e| e.at("field `sign_time`"))?;
            s
        }
        None => key_time,
    };
    if !req.headers.iter().any(|(n, _)| http_headers::is_host(n)) {
        req.headers
            .insert(0, ("Host".to_string(), addr.host.clone()));
    }
    let token = creds.security_token.as_deref();
    if let Some(tok) = token {
        match form {
            Form::Header => {
                if req.header(http_parameters::TOKEN).is_none() {
                    req.headers
                        .push((http_parameters::TOKEN.to_string(), tok.to_string()));
                }
            }
            Form::Url => {
                let mut extra = String::with_capacity(tok.len() + 24);
                extra.push_str(http_parameters::TOKEN);
                extra.push('=');
                encode::encode_into(&mut extra, tok);
                crate::oss::v1::append_query(&mut req.target, &extra);
            }
        }
    }
    // The target cut once at its first `?`: the query (`query_of`) and the
    // path the one-pass canonicalisation decodes.
    let (raw_path, raw_query) = req.split_target();
    let query = match raw_query {
        Some(q) => encode::parse_query(q, opts.plus_in_query)?,
        None => Vec::new(),
    };
    // What the request is to carry, up to the signature (the last field, §1.1),
    // written from the lists where they are chosen.
    let ak = &creds.access_key_id;
    let carry = |lists: Lists<'_>| -> String {
        match form {
            Form::Header => {
                // §1.1: the seven fields in their fixed order, each written in place;
                // the signature (the last) is appended once computed.
                let mut value = String::with_capacity(
                    100 + ak.len() + sign_time.len() + key_time.len() + lists.len() + 40,
                );
                authorization::write_signer_fields(
                    &mut value,
                    (ak, sign_time, key_time),
                    |v| lists.header_into(v),
                    lists
                        .has_params()
                        .then_some(|v: &mut String| lists.param_into(v)),
                );
                value
            }
            // Both lists in one buffer, the header list first; the URL text is written
            // once the signature is known.
            Form::Url => {
                let mut both = String::with_capacity(lists.len() + 1);
                lists.header_into(&mut both);
                both.push('&');
                lists.param_into(&mut both);
                both
            }
        }
    };
    // The DESIGN default lists, the token signed: the one-pass canonicalisation
    // when the request is the usual case, else the general one.
    let fast = match (&spec.signed_headers, opts.token) {
        (None, TokenSigning::Signed) if fast => {
            fast::sign_parts(&req, raw_path, &query, opts, |l| carry(Lists::Fast(l)))
        }
        _ => None,
    };
    let (c, mut carried) = match fast {
        Some((http_string, carried)) => (canon_deferred(http_string, sign_time), carried),
        None => {
            let hc = http_headers::candidates(&req, opts.header_whitespace);
            let header_list = header_list_for(&hc, spec, form, token.is_some(), opts)?;
            let pc = http_parameters::candidates(&query, false, false);
            // DESIGN: every query parameter is signed.
            let mut param_list = http_parameters::default_keys(&pc);
            if opts.token == TokenSigning::Unsigned {
                param_list.remove(http_parameters::TOKEN);
            }
            let parts = select_parts(&req, &hc, &pc, &header_list, &param_list, opts)?;
            let c = canon(&req.method, &parts, sign_time);
            // §2.4 step 5: the lists in encoded-key order, in one buffer.
            let mut lists =
                String::with_capacity(parts.headers.list_len() + parts.params.list_len());
            parts.headers.list_into(&mut lists);
            let header_list_end = lists.len();
            parts.params.list_into(&mut lists);
            let carried = carry(Lists::Text(&lists, header_list_end));
            (c, carried)
        }
    };
    drop(query);
    // §2.1: Signature = hex(HMAC-SHA1(SignKey, StringToSign)), SignKey from q-key-time.
    let sig = key_time::signature(
        &creds.secret,
        key_time,
        c.string_to_sign.as_str().as_bytes(),
    );
    let sig = key_time::hex_str(&sig);
    let signature = sig.to_string();
    match form {
        Form::Header => {
            carried.push_str(sig);
            if req.header("authorization").is_none() {
                req.headers.push(("Authorization".to_string(), carried));
            } else {
                req.set_header("Authorization", carried);
            }
        }
        Form::Url => {
            // `carried` is `<header list>&<param list>`: neither holds a `&`.
            let (header_list, param_list) = carried.split_once('&').unwrap_or((&carried, ""));
            let auth = QAuth {
                algorithm: Some("sha1".to_string()),
                ak: creds.access_key_id.clone(),
                sign_time: sign_time.to_string(),
                key_time: key_time.to_string(),
                header_list: Some(header_list.to_string()),
                url_param_list: Some(param_list.to_string()),
                signature: signature.clone(),
            };
            crate::oss::v1::append_query(
                &mut req.target,
                &presign::query_text(&auth, opts.presign, opts.url_encoding),
            )
        }
    }
    Ok(Signed {
        signature,
        request: req,
        stages: vec![
            (Stage::FormatString, c.http_string),
            (Stage::StringToSign, c.string_to_sign),
        ],
    })
}

/// `q-header-list` and `q-url-param-list` as sign chose them.
enum Lists<'l> {
    /// The one-pass selections, written out where they are needed.
    Fast(&'l fast::Lists<'l>),
    /// Both lists in one buffer, the header list first, and where it ends.
    Text(&'l str, usize),
}

impl Lists<'_> {
    /// `q-header-list` appended to `out`.
    fn header_into(&self, out: &mut String) {
        match self {
            Lists::Fast(l) => l.header_into(out),
            Lists::Text(t, end) => out.push_str(&t[..*end]),
        }
    }

    /// `q-url-param-list` appended to `out`.
    fn param_into(&self, out: &mut String) {
        match self {
            Lists::Fast(l) => l.param_into(out),
            Lists::Text(t, end) => out.push_str(&t[*end..]),
        }
    }

    /// Whether `q-url-param-list` names anything.
    fn has_params(&self) -> bool {
        match self {
            Lists::Fast(l) => l.has_params(),
            Lists::Text(t, end) => *end < t.len(),
        }
    }

    /// Bytes of both lists (at least).
    fn len(&self) -> usize {
        match self {
            Lists::Fast(l) => l.len(),
            Lists::Text(t, _) => t.len(),
        }
    }
}

/// The signature over a stage text under `ctx`: for [`Stage::FormatString`] the
/// text is an HttpString (the server's `<FormatString>` or a client's) and the
/// StringToSign is built from it and the sign time; for [`Stage::StringToSign`]
/// the text is signed as is (cos-signing.md §2.1).
pub fn sign_text(ctx: &SigningContext, stage: Stage, text: &str, secret: &Secret) -> String {
    let sig = match stage {
        Stage::FormatString => {
            // §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
            let digest = ctx.format_string_sha1(text);
            key_time::signature_parts(
                secret,
                &ctx.key_time,
                &[b"sha1\n", ctx.sign_time.as_bytes(), b"\n", &digest, b"\n"],
            )
        }
        _ => key_time::signature(secret, &ctx.key_time, text.as_bytes()),
    };
    key_time::hex_str(&sig).to_string()
}

/// Cut a stage text into named fields (see [`http_string`], [`string_to_sign`]).
pub fn parse_stage(stage: Stage, text: &str, hint: Option<&Canonical>) -> Canonical {
    match stage {
        Stage::FormatString => http_string::parse_back(text, hint),
        Stage::StringToSign => string_to_sign::parse_back(text),
        Stage::CanonicalRequest => {
            let mut c = Canonical::default();
            c.push("text", text);
            c
        }
    }
}

#[cfg(test)]
mod tests;
