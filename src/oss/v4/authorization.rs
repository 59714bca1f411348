//! V4 credentials on the wire (oss-signing.md §4.1, §5, §10 item 17).
//!
//! Header: `OSS4-HMAC-SHA256 Credential=<ak>/<scope>[,AdditionalHeaders=<h1;h2>],Signature=<hex>`,
//! fields separated by `,` with any whitespace, in any order (PY1 writes `, `
//! and puts AdditionalHeaders last). URL: `x-oss-signature-version`,
//! `x-oss-credential`, `x-oss-date`, `x-oss-expires`, `x-oss-additional-headers`,
//! `x-oss-security-token`, `x-oss-signature`.

use super::scope::{Credential, CredentialRef};
use crate::encode::QueryParam;
use crate::encode::{encode_keep_into as encode_into, Keep};
use crate::error::{InputError, Result};

/// The parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderAuth {
    /// The algorithm token as sent (`OSS4-HMAC-SHA256`).
    pub algorithm: String,
    /// Credential.
    pub credential: Credential,
    /// AdditionalHeaders text as sent, when the field is present.
    pub additional_headers: Option<String>,
    /// Signature as sent.
    pub signature: String,
    /// Field names that are not V4's (`SignedHeaders` from an S3 signer, …).
    pub unknown_fields: Vec<String>,
}

/// `str::trim`, without the Unicode tables when both ends are visible ASCII (the usual case).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `s.split(sep)` for an ASCII separator, found with memchr.
fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(sep, r.as_bytes()) {
            // An ASCII separator: both sides are character boundaries.
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// [`HeaderAuth`] over the header's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderAuthRef<'a> {
    /// The algorithm token as sent (`OSS4-HMAC-SHA256`).
    pub algorithm: &'a str,
    /// Credential.
    pub credential: CredentialRef<'a>,
    /// AdditionalHeaders text as sent, when the field is present.
    pub additional_headers: Option<&'a str>,
    /// Signature as sent.
    pub signature: &'a str,
    /// Field names that are not V4's (`SignedHeaders` from an S3 signer, …).
    pub unknown_fields: Vec<&'a str>,
}

/// Parse the Authorization header value (§4.1).
pub fn parse_header(value: &str) -> Result<HeaderAuth> {
    let a = parse_header_ref(value)?;
    Ok(HeaderAuth {
        algorithm: a.algorithm.to_string(),
        credential: a.credential.to_credential(),
        additional_headers: a.additional_headers.map(str::to_string),
        signature: a.signature.to_string(),
        unknown_fields: a.unknown_fields.iter().map(|f| f.to_string()).collect(),
    })
}

/// [`parse_header`] without copying the fields.
pub fn parse_header_ref(value: &str) -> Result<HeaderAuthRef<'_>> {
    let v = value.trim();
    let err = |what: String| InputError::new("bad-authorization", what).at("Authorization header");
    let (algorithm, rest) = match v.bytes().position(|c| c.is_ascii_whitespace()) {
        Some(i) => (&v[..i], v[i..].trim_start()),
        None => (v, ""),
    };
    let mut credential: Option<&str> = None;
    let mut additional: Option<&str> = None;
    let mut signature: Option<&str> = None;
    let mut unknown = Vec::new();
    for part in split_byte(rest, b',') {
        let part = trim(part);
        if part.is_empty() {
            continue;
        }
        let Some(eq) = memchr::memchr(b'=', part.as_bytes()) else {
            return Err(err(format!(
                "field `{}` has no `=` (expected `Credential=…`, `AdditionalHeaders=…`, `Signature=…` separated by commas)",
                crate::encode::truncate(part, 40)
            )));
        };
        // `=` is ASCII: both sides are character boundaries.
        let (k, val) = (trim(&part[..eq]), trim(&part[eq + 1..]));
        let slot = match k {
            "Credential" => &mut credential,
            "AdditionalHeaders" => &mut additional,
            "Signature" => &mut signature,
            other => {
                unknown.push(other);
                continue;
            }
        };
        if slot.is_some() {
            return Err(err(format!("field `{k}` appears twice")));
        }
        *slot = Some(val);
    }
    let credential = credential.ok_or_else(|| {
        err("no `Credential=` field (OSS: \"Invalid credential in Authorization header.\")".into())
    })?;
    let credential = CredentialRef::parse(credential, "Authorization header, Credential")?;
    let signature = signature.ok_or_else(|| err("no `Signature=` field".into()))?;
    if signature.is_empty() {
        return Err(err("the `Signature=` field is empty".into()));
    }
    Ok(HeaderAuthRef {
        algorithm,
        credential,
        additional_headers: additional,
        signature,
        unknown_fields: unknown,
    })
}

/// Format the header as the SDKs do (GO2, PY2, JV1, JS: no spaces).
pub fn format_header(credential: &str, additional: &str, signature: &str) -> String {
    let mut s = String::with_capacity(40 + credential.len() + additional.len() + signature.len());
    s.push_str(super::string_to_sign::ALGORITHM);
    s.push_str(" Credential=");
    s.push_str(credential);
    if !additional.is_empty() {
        s.push_str(",AdditionalHeaders=");
        s.push_str(additional);
    }
    s.push_str(",Signature=");
    s.push_str(signature);
    s
}

/// [`format_header`] with the credential written from the AccessKeyId and the scope.
pub fn format_header_parts(
    access_key_id: &str,
    scope: super::scope::ScopeRef<'_>,
    additional: &str,
    signature: &str,
) -> String {
    let mut s = String::with_capacity(
        48 + access_key_id.len() + scope.len() + additional.len() + signature.len(),
    );
    s.push_str(super::string_to_sign::ALGORITHM);
    s.push_str(" Credential=");
    s.push_str(access_key_id);
    s.push('/');
    scope.write(&mut s);
    if !additional.is_empty() {
        s.push_str(",AdditionalHeaders=");
        s.push_str(additional);
    }
    s.push_str(",Signature=");
    s.push_str(signature);
    s
}

/// The presigned-URL parameters (decoded; the first of repeated values).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlAuth {
    /// `x-oss-signature-version`.
    pub version: Option<String>,
    /// `x-oss-credential`, parsed.
    pub credential: Credential,
    /// `x-oss-date`.
    pub date: Option<String>,
    /// `x-oss-expires`.
    pub expires: Option<String>,
    /// `x-oss-additional-headers`.
    pub additional_headers: Option<String>,
    /// `x-oss-signature`.
    pub signature: String,
    /// Auth parameter names sent more than once.
    pub repeated: Vec<&'static str>,
}

/// Names of the URL auth parameters (§5).
pub const URL_PARAMS: [&str; 7] = [
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-additional-headers",
    "x-oss-security-token",
    "x-oss-signature",
];

/// [`UrlAuth`] over the parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlAuthRef<'a> {
    /// `x-oss-signature-version`.
    pub version: Option<&'a str>,
    /// `x-oss-credential`, parsed.
    pub credential: Option<CredentialRef<'a>>,
    /// `x-oss-date`.
    pub date: Option<&'a str>,
    /// `x-oss-expires`.
    pub expires: Option<&'a str>,
    /// `x-oss-additional-headers`.
    pub additional_headers: Option<&'a str>,
    /// `x-oss-signature`.
    pub signature: &'a str,
    /// Auth parameter names sent more than once.
    pub repeated: Vec<&'static str>,
}

/// Read the URL auth parameters (§5). A missing credential or signature is an
/// input error (EC 0002-00000217 / -219); the rest are checked as findings.
pub fn parse_url(query: &[QueryParam]) -> Result<UrlAuth> {
    let u = parse_url_ref(query)?;
    Ok(UrlAuth {
        version: u.version.map(str::to_string),
        credential: u
            .credential
            .map(CredentialRef::to_credential)
            .unwrap_or_default(),
        date: u.date.map(str::to_string),
        expires: u.expires.map(str::to_string),
        additional_headers: u.additional_headers.map(str::to_string),
        signature: u.signature.to_string(),
        repeated: u.repeated,
    })
}

/// [`parse_url`] without copying the values (the credential is always `Some`).
pub fn parse_url_ref<'a>(query: &'a [QueryParam]) -> Result<UrlAuthRef<'a>> {
    let mut repeated = Vec::new();
    let mut get = |name: &'static str| -> Option<&'a str> {
        let mut it = query.iter().filter(|p| p.name == name);
        let first = it.next()?;
        if it.next().is_some() {
            repeated.push(name);
        }
        Some(first.value.as_deref().unwrap_or_default())
    };
    let version = get("x-oss-signature-version");
    let cred = get("x-oss-credential").ok_or_else(|| {
        InputError::new(
            "missing-url-auth",
            "the presigned V4 URL lacks `x-oss-credential` (OSS answers EC 0002-00000217)",
        )
    })?;
    if cred.is_empty() {
        return Err(InputError::new(
            "missing-url-auth",
            "`x-oss-credential` is empty (OSS answers EC 0002-00000218)",
        ));
    }
    let credential = CredentialRef::parse(cred, "query parameter x-oss-credential")?;
    let date = get("x-oss-date");
    let expires = get("x-oss-expires");
    let additional = get("x-oss-additional-headers");
    let signature = get("x-oss-signature").unwrap_or_default();
    if signature.is_empty() {
        return Err(InputError::new(
            "missing-url-auth",
            "the presigned V4 URL lacks `x-oss-signature` (OSS answers EC 0002-00000219)",
        ));
    }
    Ok(UrlAuthRef {
        version,
        credential: Some(credential),
        date,
        expires,
        additional_headers: additional,
        signature,
        repeated,
    })
}

/// Append `name=value` (both RFC 3986-encoded, §1.2) to a query being built.
pub fn push_param(q: &mut String, name: &str, value: &str) {
    if !q.is_empty() {
        q.push('&');
    }
    encode_into(q, name, Keep::Unreserved);
    q.push('=');
    encode_into(q, value, Keep::Unreserved);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    const SIG: &str = "4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f";

    #[test]
    fn header_any_spacing_and_order() {
        // §9.2 U4 (SDK form), the doc's `, ` form, PY1's order, and odd spacing.
        let forms = [
            format!("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature={SIG}"),
            format!("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=abc;zabc, Signature={SIG}"),
            format!("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature={SIG}, AdditionalHeaders=abc;zabc"),
            format!("  OSS4-HMAC-SHA256\tSignature = {SIG} ,AdditionalHeaders= abc;zabc ,  Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request ,"),
        ];
        for f in &forms {
            let a = parse_header(f).unwrap();
            assert_eq!(a.algorithm, "OSS4-HMAC-SHA256");
            assert_eq!(a.credential.access_key_id, "ak");
            assert_eq!(a.credential.scope.date, "20231216");
            assert_eq!(a.additional_headers.as_deref(), Some("abc;zabc"));
            assert_eq!(a.signature, SIG);
        }
        assert_eq!(
            format_header(
                "ak/20231216/cn-hangzhou/oss/aliyun_v4_request",
                "abc;zabc",
                SIG
            ),
            forms[0]
        );
        let a = parse_header(&format!(
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,SignedHeaders=host,Signature={SIG}"
        ))
        .unwrap();
        assert_eq!(a.unknown_fields, ["SignedHeaders"]);
        assert_eq!(a.additional_headers, None);
    }

    #[test]
    fn header_errors() {
        for (bad, code) in [
            ("OSS4-HMAC-SHA256", "bad-authorization"),
            ("OSS4-HMAC-SHA256 Signature=abc", "bad-authorization"),
            (
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request",
                "bad-authorization",
            ),
            (
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=",
                "bad-authorization",
            ),
            ("OSS4-HMAC-SHA256 Credential=ak,Signature=abc", "bad-credential"),
            ("OSS4-HMAC-SHA256 Credential ak/x", "bad-authorization"),
            (
                "OSS4-HMAC-SHA256 Credential=a/20231216/r/oss/aliyun_v4_request,Credential=b/20231216/r/oss/aliyun_v4_request,Signature=x",
                "bad-authorization",
            ),
        ] {
            assert_eq!(parse_header(bad).unwrap_err().code(), code, "{bad}");
        }
    }

    #[test]
    fn url_params() {
        // §9.2 U7 GO1 URL query.
        let q = parse_query("%2Bparam1=value3&%2Bparam2&param1=value1&param2&x-oss-additional-headers=abc%3Bzabc&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T033009Z&x-oss-expires=599&x-oss-signature=6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7&x-oss-signature-version=OSS4-HMAC-SHA256&%7Cparam1=value4&%7Cparam2", PlusMeans::Space).unwrap();
        let u = parse_url(&q).unwrap();
        assert_eq!(u.credential.scope.region, "cn-hangzhou");
        assert_eq!(u.additional_headers.as_deref(), Some("abc;zabc"));
        assert_eq!(u.expires.as_deref(), Some("599"));
        assert_eq!(u.version.as_deref(), Some("OSS4-HMAC-SHA256"));
        let q = parse_query("x-oss-date=1", PlusMeans::Space).unwrap();
        assert!(parse_url(&q)
            .unwrap_err()
            .to_string()
            .contains("0002-00000217"));
        let q = parse_query(
            "x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request",
            PlusMeans::Space,
        )
        .unwrap();
        assert!(parse_url(&q)
            .unwrap_err()
            .to_string()
            .contains("0002-00000219"));
        let q = parse_query("x-oss-credential=ak&x-oss-signature=x", PlusMeans::Space).unwrap();
        assert_eq!(parse_url(&q).unwrap_err().code(), "bad-credential");
    }
}
