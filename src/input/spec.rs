//! The JSON request spec (DESIGN "JSON request spec"): one format for
//! `sign --jsonl`, the vectors and the fuzz protocol.

use crate::address::{classify_host, Provider};
use crate::encode;
use crate::error::{InputError, Result};
use crate::request::Request;
use crate::scheme::SchemeId;
use crate::secret::{Credentials, Secret};
use serde::{Deserialize, Serialize};

/// Credentials in a spec.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct CredentialsSpec {
    /// AccessKeyId / SecretId.
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// AccessKeySecret / SecretKey.
    #[serde(default)]
    pub access_key_secret: Option<String>,
    /// STS token.
    #[serde(default)]
    pub security_token: Option<String>,
}

/// A time: unix seconds or an RFC 3339 / RFC 1123 string.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum TimeSpec {
    /// Unix seconds.
    Unix(i64),
    /// Text.
    Text(String),
}

// A number or a string, read without serde's buffering of untagged enums (this is
// on the `sign --jsonl` hot path).
impl<'de> Deserialize<'de> for TimeSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TimeSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("unix seconds or a time string")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> std::result::Result<TimeSpec, E> {
                Ok(TimeSpec::Unix(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> std::result::Result<TimeSpec, E> {
                i64::try_from(n)
                    .map(TimeSpec::Unix)
                    .map_err(|_| E::custom(format!("unix time {n} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<TimeSpec, E> {
                Ok(TimeSpec::Text(s.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl TimeSpec {
    /// To unix seconds.
    pub fn unix(&self) -> Result<i64> {
        match self {
            TimeSpec::Unix(n) => crate::time::unix_in_range(*n),
            TimeSpec::Text(s) => crate::time::parse_time_arg(s),
        }
    }
}

/// How the bucket is addressed when the spec gives `bucket` + `endpoint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum StyleSpec {
    /// `<bucket>.<endpoint>` (default, unless the endpoint is an IP).
    #[default]
    VirtualHosted,
    /// `<endpoint>/<bucket>/<key>`.
    Path,
    /// `endpoint` is a custom domain bound to `bucket`.
    Cname,
}

/// One JSON request spec.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct RequestSpec {
    /// Echoed back in results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    /// Scheme name (`oss-v1`, ...).
    #[serde(default)]
    pub scheme: Option<String>,
    /// HTTP method (default GET).
    #[serde(default)]
    pub method: Option<String>,
    /// Logical bucket.
    #[serde(default)]
    pub bucket: Option<String>,
    /// Logical (decoded) key.
    #[serde(default)]
    pub key: Option<String>,
    /// Endpoint host (`oss-cn-hangzhou.aliyuncs.com`), or a custom domain with `style: cname`.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Addressing style.
    #[serde(default)]
    pub style: Option<StyleSpec>,
    /// Wire URL instead of bucket/key/endpoint/query.
    #[serde(default)]
    pub url: Option<String>,
    /// `[[name, value|null], ...]`: null is a bare name.
    #[serde(default)]
    pub query: Vec<(String, Option<String>)>,
    /// `[[name, value], ...]`, sent exactly as given.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Credentials.
    #[serde(default)]
    pub credentials: Option<CredentialsSpec>,
    /// Signing instant.
    #[serde(default)]
    pub time: Option<TimeSpec>,
    /// Seconds of validity (default 3600).
    #[serde(default)]
    pub expires: Option<i64>,
    /// OSS V4 region.
    #[serde(default)]
    pub region: Option<String>,
    /// OSS V4 product (`oss`, `oss-cloudbox`).
    #[serde(default)]
    pub product: Option<String>,
    /// OSS V4 additional headers.
    #[serde(default)]
    pub additional_headers: Option<Vec<String>>,
    /// COS key time `start;end`.
    #[serde(default)]
    pub key_time: Option<String>,
    /// COS sign time.
    #[serde(default)]
    pub sign_time: Option<String>,
    /// COS signed headers.
    #[serde(default)]
    pub signed_headers: Option<Vec<String>>,
    /// Per-scheme behaviour options (e.g. `{"subresources": "go-v2"}` for OSS V1).
    #[serde(default)]
    pub options: Option<serde_json::Value>,
    /// Form uploads: the POST policy, a JSON object (sigdiff compacts it and
    /// Base64-encodes the result) or its Base64 text exactly as sent (a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Box<serde_json::value::RawValue>>,
    /// Form uploads: form fields `[[name, value], ...]` in order (a `file` field's
    /// value is the file content).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<(String, String)>,
}

impl RequestSpec {
    /// Parse one spec from JSON text.
    pub fn from_json(text: &str) -> Result<RequestSpec> {
        serde_json::from_str(text).map_err(|e| {
            InputError::new("bad-spec", format!("not a valid JSON request spec: {e}")).at(format!(
                "line {}, column {}",
                e.line(),
                e.column()
            ))
        })
    }

    /// The scheme, parsed.
    pub fn scheme_id(&self) -> Result<Option<SchemeId>> {
        self.scheme.as_deref().map(str::parse).transpose()
    }

    /// Signing instant, or `default` (the caller's clock).
    pub fn time_or(&self, default: i64) -> Result<i64> {
        match &self.time {
            Some(t) => t.unix().map_err(|e| e.at("field `time`")),
            None => Ok(default),
        }
    }

    /// Credentials, with a secret.
    pub fn credentials(&self) -> Result<Credentials> {
        let none = CredentialsSpec::default();
        let c = self.credentials.as_ref().unwrap_or(&none);
        let secret = c.access_key_secret.clone().ok_or_else(|| {
            InputError::new(
                "no-secret",
                "the spec has no `credentials.access_key_secret`",
            )
        })?;
        Ok(Credentials {
            access_key_id: c.access_key_id.clone().unwrap_or_default(),
            secret: Secret::new(secret),
            security_token: c.security_token.clone().filter(|t| !t.is_empty()),
        })
    }

    /// The request the spec describes, without any credentials added, and the
    /// bucket to resolve a custom domain with.
    pub fn to_request(&self, provider: Provider) -> Result<(Request, Option<String>)> {
        let method = self.method.clone().unwrap_or_else(|| "GET".to_string());
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(InputError::new(
                "bad-spec",
                format!(
                    "method `{}` is not an HTTP method",
                    crate::encode::truncate(&method, 20)
                ),
            )
            .at("field `method`"));
        }
        if let Some(url) = &self.url {
            let mut r = Request::from_url(&method, url, self.headers.clone())
                .map_err(|e| e.at("field `url`"))?;
            if !self.query.is_empty() {
                crate::oss::v1::append_query(&mut r.target, &wire_query(&self.query));
            }
            return Ok((r, self.bucket.clone()));
        }
        let endpoint = self.endpoint.as_deref().ok_or_else(|| {
            InputError::new(
                "bad-spec",
                "the spec needs `url`, or `endpoint` (with `bucket`/`key`)",
            )
        })?;
        let endpoint = endpoint
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let (names_bucket, ip) = crate::address::host_shape(endpoint);
        if names_bucket && self.bucket.is_some() && self.style != Some(StyleSpec::Cname) {
            return Err(InputError::new(
                "bad-spec",
                format!("endpoint `{endpoint}` already names a bucket; give the bare endpoint (e.g. `{}`)", classify_host(endpoint).endpoint.unwrap_or_default()),
            )
            .at("field `endpoint`"));
        }
        let _ = provider;
        let key = self.key.as_deref().unwrap_or_default();
        let style = match (self.style, ip) {
            (Some(s), _) => s,
            (None, true) => StyleSpec::Path,
            (None, false) => StyleSpec::VirtualHosted,
        };
        // Host and target built straight into their buffers (the hot path of
        // `sign --jsonl` and the fuzz harness).
        let wire_len = |t: &str| t.len() + t.len() / 2 + 8;
        let mut target = String::with_capacity(
            wire_len(key)
                + self
                    .query
                    .iter()
                    .map(|(k, v)| wire_len(k) + v.as_deref().map_or(0, wire_len))
                    .sum::<usize>(),
        );
        target.push('/');
        let host = match (&self.bucket, style) {
            (Some(b), StyleSpec::VirtualHosted) => {
                let mut h = String::with_capacity(b.len() + 1 + endpoint.len());
                h.push_str(b);
                h.push('.');
                h.push_str(endpoint);
                h
            }
            (Some(b), StyleSpec::Path) => {
                encode::encode_into(&mut target, b);
                target.push('/');
                endpoint.to_string()
            }
            (None, _) | (Some(_), StyleSpec::Cname) => endpoint.to_string(),
        };
        wire_key_into(&mut target, key);
        if !self.query.is_empty() {
            target.push('?');
            wire_query_into(&mut target, &self.query);
        }
        let r = Request {
            method,
            scheme: "https".to_string(),
            authority: Some(host),
            target,
            headers: self.headers.clone(),
            body_len: None,
        };
        r.check_headers()?;
        let hint = if style == StyleSpec::Cname {
            self.bucket.clone()
        } else {
            None
        };
        Ok((r, hint))
    }
}

/// Encode an object key for the wire so that nothing on the way can normalise it:
/// RFC 3986 per segment (`+` as `%2B`), a leading `/` and the second `/` of `//`
/// as `%2F`, `.` and `..` segments as `%2E` (DESIGN "JSON request spec").
pub fn wire_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 8);
    wire_key_into(&mut out, key);
    out
}

/// [`wire_key`] appended to `out`.
pub fn wire_key_into(out: &mut String, key: &str) {
    let mut prev_empty = false;
    for (i, seg) in key.split('/').enumerate() {
        if i > 0 {
            out.push_str(if prev_empty { "%2F" } else { "/" });
        }
        match seg {
            "." => out.push_str("%2E"),
            ".." => out.push_str("%2E%2E"),
            s => encode::encode_into(out, s),
        }
        prev_empty = seg.is_empty();
    }
}

/// `k=v&bare&k2=` with RFC 3986 encoding.
pub fn wire_query(q: &[(String, Option<String>)]) -> String {
    let mut out = String::new();
    wire_query_into(&mut out, q);
    out
}

/// [`wire_query`] appended to `out`.
pub fn wire_query_into(out: &mut String, q: &[(String, Option<String>)]) {
    for (i, (k, v)) in q.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode::encode_into(out, k);
        if let Some(v) = v {
            out.push('=');
            encode::encode_into(out, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{decode, PlusMeans};

    #[test]
    fn wire_keys_round_trip() {
        for (k, w) in [
            ("a/中文 b+c~d.txt", "a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt"),
            ("/lead", "%2Flead"),
            ("a//b", "a/%2Fb"),
            ("dir/", "dir/"),
            ("./x/../y", "%2E/x/%2E%2E/y"),
            ("", ""),
        ] {
            assert_eq!(wire_key(k), w);
            assert_eq!(decode(w, PlusMeans::Plus, "k").unwrap(), k);
        }
    }

    #[test]
    fn builds_requests() {
        let s = RequestSpec::from_json(r#"{"method":"PUT","bucket":"b","key":"a b","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",null],["x","1 2"]]}"#).unwrap();
        let (r, _) = s.to_request(Provider::Oss).unwrap();
        assert_eq!(
            r.url(),
            "https://b.oss-cn-hangzhou.aliyuncs.com/a%20b?acl&x=1%202"
        );
        let s = RequestSpec::from_json(r#"{"bucket":"b","key":"k","endpoint":"10.0.0.1:8080"}"#)
            .unwrap();
        assert_eq!(
            s.to_request(Provider::Oss).unwrap().0.url(),
            "https://10.0.0.1:8080/b/k"
        );
        let s =
            RequestSpec::from_json(r#"{"bucket":"b","endpoint":"b.oss-cn-hangzhou.aliyuncs.com"}"#)
                .unwrap();
        assert!(s
            .to_request(Provider::Oss)
            .unwrap_err()
            .to_string()
            .contains("already names a bucket"));
        assert_eq!(
            RequestSpec::from_json("{\"query\": 5}").unwrap_err().code(),
            "bad-spec"
        );
        let s = RequestSpec::from_json(r#"{"method":"G T","url":"http://h/"}"#).unwrap();
        assert_eq!(s.to_request(Provider::Oss).unwrap_err().code(), "bad-spec");
    }

    #[test]
    fn time_forms() {
        let t =
            |j: &str| RequestSpec::from_json(&format!(r#"{{"time":{j}}}"#)).map(|s| s.time_or(0));
        assert_eq!(t("1672223261").unwrap().unwrap(), 1672223261);
        assert_eq!(t(r#""2022-12-28T10:27:41Z""#).unwrap().unwrap(), 1672223261);
        assert_eq!(
            t(r#""Wed, 28 Dec 2022 10:27:41 GMT""#).unwrap().unwrap(),
            1672223261
        );
        // Milliseconds, negatives and nonsense are refused with the field named.
        assert_eq!(t("1672223261000").unwrap().unwrap_err().code(), "bad-time");
        assert_eq!(t("-1").unwrap().unwrap_err().code(), "bad-time");
        assert!(t("18446744073709551615").is_err());
        assert!(t("1.5").is_err());
        assert!(t("[1]").is_err());
        assert_eq!(t(r#""soon""#).unwrap().unwrap_err().code(), "bad-time");
    }
}
