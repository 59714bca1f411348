//! The q-sign authorization in the URL: seven per-field query parameters, or the
//! merged `sign=` parameter (cos-signing.md §1.2, §3).

use super::authorization::{self, QAuth, QAuthRef, KEYS};
use super::http_parameters::MERGED_PARAM;
use crate::encode::{self, QueryParam};
use crate::error::{InputError, Result};
use crate::finding::Finding;
use serde::{Deserialize, Serialize};

/// Which URL form the signer writes (cos-signing.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presign {
    /// Seven query parameters `q-sign-algorithm=…&…&q-signature=…` (the documented form).
    #[default]
    PerField,
    /// One `sign=<encoded Authorization>` (Go `SignMerged`, Java `signPrefixMode`, PHP, C, C++).
    Merged,
}

/// How the signer percent-encodes the authorization values in the URL (cos-signing.md §1.2 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlEncoding {
    /// RFC 3986 unreserved kept, `*` → `%2A` (Java `UrlEncoderUtils`; the recommended choice).
    #[default]
    Rfc3986,
    /// JavaScript `encodeURIComponent`: `!*'()` kept (Go `GetPresignedURL`).
    UriComponent,
}

impl UrlEncoding {
    fn encode(self, s: &str) -> String {
        match self {
            UrlEncoding::Rfc3986 => encode::encode(s),
            UrlEncoding::UriComponent => encode::encode_uri_component(s),
        }
    }
}

/// Where the URL signature was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlAuth {
    /// The authorization fields, each decoded once (§1.2: the server URL-decodes
    /// each query value exactly once).
    pub auth: QAuth,
    /// The merged `sign=` form.
    pub merged: bool,
}

/// Does the query carry a URL signature?
pub fn has_url_auth(query: &[QueryParam]) -> bool {
    query
        .iter()
        .any(|p| p.name == "q-signature" || p.name == "q-sign-algorithm" || p.name == MERGED_PARAM)
}

/// Read the authorization from the query: the per-field parameters when
/// `q-signature` is there, else the merged `sign=` parameter.
pub fn read(query: &[QueryParam<'_>], out: &mut Vec<Finding>) -> Result<UrlAuth> {
    let (auth, merged) = read_ref(query, out)?;
    Ok(UrlAuth {
        auth: auth.to_owned(),
        merged,
    })
}

/// [`read`] without copying the fields; `true` for the merged `sign=` form.
pub fn read_ref<'q>(
    query: &'q [QueryParam<'_>],
    out: &mut Vec<Finding>,
) -> Result<(QAuthRef<'q>, bool)> {
    let per_field = query.iter().any(|p| KEYS.contains(&&*p.name));
    if !per_field {
        if let Some(p) = query.iter().find(|p| p.name == MERGED_PARAM) {
            let v = p.value.as_deref().unwrap_or("");
            let auth = authorization::parse_ref(v, "the `sign` URL parameter", out)?;
            return Ok((auth, true));
        }
        return Err(InputError::new(
            "missing-url-auth",
            "the URL has neither the q-sign parameters (`q-sign-algorithm=…&q-signature=…`) nor a `sign=` parameter",
        ));
    }
    let pairs = query
        .iter()
        .filter(|p| KEYS.contains(&&*p.name))
        .map(|p| (&*p.name, p.value.as_deref().unwrap_or("")));
    let auth = QAuthRef::from_pairs(pairs, "the URL", out)?;
    Ok((auth, false))
}

/// The query text to append for `auth` (cos-signing.md §1.2): per-field with each
/// value encoded, or `sign=<encoded whole string>`.
pub fn query_text(auth: &QAuth, form: Presign, enc: UrlEncoding) -> String {
    match form {
        Presign::PerField => {
            let mut s = String::with_capacity(256);
            for (i, (k, v)) in auth.pairs().iter().enumerate() {
                if i > 0 {
                    s.push('&');
                }
                s.push_str(k);
                s.push('=');
                s.push_str(&enc.encode(v));
            }
            s
        }
        Presign::Merged => format!("{MERGED_PARAM}={}", enc.encode(&auth.format())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    fn v6_auth() -> QAuth {
        QAuth {
            algorithm: Some("sha1".into()),
            ak: "QmFzZTY0IGlzIGEgZ*******".into(),
            sign_time: "1622702557;1622706157".into(),
            key_time: "1622702557;1622706157".into(),
            header_list: Some(String::new()),
            url_param_list: Some(String::new()),
            signature: "820975b5a8eccce9455b94d4ebed14d66654bf3c".into(),
        }
    }

    #[test]
    fn v6_go_per_field() {
        // cos-signing.md §6 V6 (Go TestObjectService_GetPresignedURL RawQuery).
        let q = query_text(&v6_auth(), Presign::PerField, UrlEncoding::UriComponent);
        assert_eq!(q, "q-sign-algorithm=sha1&q-ak=QmFzZTY0IGlzIGEgZ*******&q-sign-time=1622702557%3B1622706157&q-key-time=1622702557%3B1622706157&q-header-list=&q-url-param-list=&q-signature=820975b5a8eccce9455b94d4ebed14d66654bf3c");
        let mut f = Vec::new();
        let back = read(&parse_query(&q, PlusMeans::Space).unwrap(), &mut f).unwrap();
        assert_eq!(back.auth, v6_auth());
        assert!(!back.merged && f.is_empty());
        // Java style: `*` → %2A.
        let j = query_text(&v6_auth(), Presign::PerField, UrlEncoding::Rfc3986);
        assert!(j.contains("q-ak=QmFzZTY0IGlzIGEgZ%2A%2A%2A"), "{j}");
    }

    #[test]
    fn v7_go_merged() {
        // cos-signing.md §6 V7 (the `sign=` part of the RawQuery).
        let mut a = v6_auth();
        a.url_param_list = Some("test".into());
        a.signature = "7757e84ed5f8953eafc30afcd2a5d1ad68e00d67".into();
        let q = query_text(&a, Presign::Merged, UrlEncoding::UriComponent);
        assert_eq!(q, "sign=q-sign-algorithm%3Dsha1%26q-ak%3DQmFzZTY0IGlzIGEgZ*******%26q-sign-time%3D1622702557%3B1622706157%26q-key-time%3D1622702557%3B1622706157%26q-header-list%3D%26q-url-param-list%3Dtest%26q-signature%3D7757e84ed5f8953eafc30afcd2a5d1ad68e00d67");
        let mut f = Vec::new();
        let back = read(
            &parse_query(&format!("test=params&{q}"), PlusMeans::Space).unwrap(),
            &mut f,
        )
        .unwrap();
        assert!(back.merged);
        assert_eq!(back.auth, a);
    }

    #[test]
    fn missing() {
        let mut f = Vec::new();
        let q = parse_query("a=1", PlusMeans::Space).unwrap();
        assert_eq!(read(&q, &mut f).unwrap_err().code(), "missing-url-auth");
        let q = parse_query("q-sign-algorithm=sha1&q-ak=a", PlusMeans::Space).unwrap();
        assert_eq!(read(&q, &mut f).unwrap_err().code(), "bad-authorization");
    }
}
