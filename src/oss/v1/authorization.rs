//! V1 credentials on the wire: `Authorization: OSS ak:sig` (oss-signing.md §2.1) and
//! the presigned URL parameters `OSSAccessKeyId`, `Expires`, `Signature` (§3).

use crate::encode::QueryParam;
use crate::error::{InputError, Result};

/// `OSS <AccessKeyId>:<Signature>` parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderAuth {
    /// AccessKeyId.
    pub access_key_id: String,
    /// Base64 signature as sent.
    pub signature: String,
}

/// Parse the Authorization header value (oss-signing.md §2.1).
pub fn parse_header(value: &str) -> Result<HeaderAuth> {
    // `str::trim` (answered from the end bytes when they are not white space).
    let v = super::lean::trim(value);
    let rest = v.strip_prefix("OSS ").ok_or_else(|| {
        InputError::new(
            "bad-authorization",
            "the Authorization header does not start with `OSS ` (OSS V1)",
        )
    })?;
    // The first `:` (a byte loop: the value is short).
    let colon = rest.bytes().position(|c| c == b':');
    let (ak, sig) = colon.map(|i| (&rest[..i], &rest[i + 1..])).ok_or_else(|| {
        InputError::new(
            "bad-authorization",
            "the Authorization header has no `:` between AccessKeyId and signature (OSS answers 400 InvalidArgument, EC 0002-00000062)",
        )
    })?;
    if sig.is_empty() {
        return Err(InputError::new(
            "bad-authorization",
            "the Authorization header has an empty signature after `:` (OSS answers EC 0002-00000065)",
        ));
    }
    Ok(HeaderAuth {
        access_key_id: super::lean::trim(ak).to_string(),
        signature: super::lean::trim(sig).to_string(),
    })
}

/// Format the header value.
pub fn format_header(access_key_id: &str, signature: &str) -> String {
    let mut v = String::with_capacity(5 + access_key_id.len() + signature.len());
    v.push_str("OSS ");
    v.push_str(access_key_id);
    v.push(':');
    v.push_str(signature);
    v
}

/// The presigned URL parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlAuth {
    /// `OSSAccessKeyId` (first occurrence).
    pub access_key_id: String,
    /// `Expires` as sent (first occurrence).
    pub expires: String,
    /// `Signature`, decoded (first occurrence).
    pub signature: String,
    /// `Signature` as it was on the wire, still encoded.
    pub signature_raw: String,
    /// Names of the auth parameters sent more than once (the server uses the first).
    pub repeated: Vec<&'static str>,
}

/// Does this query carry a V1 URL signature?
pub fn has_url_auth(query: &[QueryParam]) -> bool {
    query
        .iter()
        .any(|p| p.name == "OSSAccessKeyId" || p.name == "Signature")
}

/// Read the V1 URL auth parameters (oss-signing.md §3: the first of repeated values is used).
pub fn parse_url(query: &[QueryParam]) -> Result<UrlAuth> {
    let mut repeated = Vec::new();
    let mut first = |name: &'static str| -> Result<&QueryParam<'_>> {
        let mut it = query.iter().filter(|p| p.name == name);
        let p = it.next().ok_or_else(|| {
            InputError::new(
                "missing-url-auth",
                format!(
                    "the presigned URL lacks the `{name}` parameter (OSS answers 403 AccessDenied)"
                ),
            )
        })?;
        if it.next().is_some() {
            repeated.push(name);
        }
        Ok(p)
    };
    let ak = first("OSSAccessKeyId")?
        .value
        .as_deref()
        .unwrap_or_default()
        .to_string();
    let expires = first("Expires")?
        .value
        .as_deref()
        .unwrap_or_default()
        .to_string();
    let sig = first("Signature")?;
    Ok(UrlAuth {
        access_key_id: ak,
        expires,
        signature: sig.value.as_deref().unwrap_or_default().to_string(),
        signature_raw: sig.raw_value.unwrap_or_default().to_string(),
        repeated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    #[test]
    fn header_forms() {
        let a = parse_header("OSS 44CF9590006BF252F707:26NBxoKdsyly4EDv6inkoDft/yA=").unwrap();
        assert_eq!(a.access_key_id, "44CF9590006BF252F707");
        assert_eq!(a.signature, "26NBxoKdsyly4EDv6inkoDft/yA=");
        assert!(parse_header("OSS ak")
            .unwrap_err()
            .to_string()
            .contains("0002-00000062"));
        assert!(parse_header("OSS ak:")
            .unwrap_err()
            .to_string()
            .contains("0002-00000065"));
        assert_eq!(
            parse_header("Bearer x").unwrap_err().code(),
            "bad-authorization"
        );
    }

    #[test]
    fn url_params() {
        // oss-signing.md §9.1 T6.
        let q = parse_query("Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId&Expires=1", PlusMeans::Space).unwrap();
        let u = parse_url(&q).unwrap();
        assert_eq!(u.signature, "dcLTea+Yh9ApirQ8o8dOPqtvJXQ=");
        assert_eq!(u.expires, "1699807420");
        assert_eq!(u.repeated, vec!["Expires"]);
        let q = parse_query("Expires=1&OSSAccessKeyId=ak", PlusMeans::Space).unwrap();
        assert_eq!(parse_url(&q).unwrap_err().code(), "missing-url-auth");
    }
}
