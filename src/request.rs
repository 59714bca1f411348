//! The request model: one shape for every input form.
//!
//! A [`Request`] is the request *as sent*: method, scheme, host, the raw request
//! target (path and query, still percent-encoded), and the headers in order with
//! their exact names and values. Nothing is normalised here; each scheme derives
//! its canonical view from these raw parts.

use crate::error::{InputError, Result};

/// Most headers sigdiff accepts in one request.
pub const MAX_HEADERS: usize = 256;
/// Longest header line (name + value) sigdiff accepts.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Longest URL sigdiff accepts.
pub const MAX_URL_BYTES: usize = 64 * 1024;

/// An HTTP request as it was (or will be) sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// The method exactly as sent (`PUT`).
    pub method: String,
    /// `http` or `https`.
    pub scheme: String,
    /// Host and optional port from the URL (absolute form); the `Host` header wins when both exist.
    pub authority: Option<String>,
    /// Path and query as sent, percent-encoded, starting with `/` (`/a%20b.txt?acl`).
    pub target: String,
    /// Headers in order, names and values as sent.
    pub headers: Vec<(String, String)>,
    /// Body length when known.
    pub body_len: Option<u64>,
}

impl Request {
    /// Build from a method, an absolute URL and headers; validates the URL.
    pub fn from_url(method: &str, url: &str, headers: Vec<(String, String)>) -> Result<Request> {
        let (scheme, authority, target) = split_url(url)?;
        let r = Request {
            method: method.to_string(),
            scheme,
            authority: Some(authority),
            target,
            headers,
            body_len: None,
        };
        r.check_headers()?;
        Ok(r)
    }

    /// Reject header sets no server would take (too many, too long, bad names).
    pub fn check_headers(&self) -> Result<()> {
        if self.headers.len() > MAX_HEADERS {
            return Err(InputError::new(
                "too-many-headers",
                format!(
                    "the request has {} headers; at most {MAX_HEADERS} are accepted",
                    self.headers.len()
                ),
            ));
        }
        for (i, (n, v)) in self.headers.iter().enumerate() {
            if n.len() + v.len() > MAX_HEADER_BYTES {
                return Err(InputError::new(
                    "huge-header",
                    format!(
                        "header `{}` is {} bytes long; at most {MAX_HEADER_BYTES} are accepted",
                        crate::encode::truncate(n, 40),
                        n.len() + v.len()
                    ),
                )
                .at(format!("header {}", i + 1)));
            }
            if n.is_empty() || !n.bytes().all(is_tchar) {
                return Err(InputError::new(
                    "bad-header-name",
                    format!(
                        "header name `{}` is not a valid HTTP token",
                        crate::encode::truncate(&n.escape_debug().to_string(), 40)
                    ),
                )
                .at(format!("header {}", i + 1)));
            }
        }
        Ok(())
    }

    /// The raw path (before `?`).
    pub fn raw_path(&self) -> &str {
        self.split_target().0
    }

    /// The raw query (after the first `?`), if any.
    pub fn raw_query(&self) -> Option<&str> {
        self.split_target().1
    }

    /// The target cut at its first `?`: the raw path and the raw query, if any
    /// (`memchr`: every verdict path reads these).
    pub fn split_target(&self) -> (&str, Option<&str>) {
        let t = self.target.as_str();
        match memchr::memchr(b'?', t.as_bytes()) {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        }
    }

    /// The query parameters, decoded once (`plus` says what a literal `+` means).
    pub fn query(
        &self,
        plus: crate::encode::PlusMeans,
    ) -> Result<Vec<crate::encode::QueryParam<'_>>> {
        match self.raw_query() {
            Some(q) => crate::encode::parse_query(q, plus),
            None => Ok(Vec::new()),
        }
    }

    /// Values of every header with this name (ASCII case-insensitive), in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The host the request went to: the `Host` header, else the URL authority.
    pub fn host(&self) -> Option<&str> {
        // The server sees the value without surrounding whitespace (RFC 9110 §5.5).
        self.header("host")
            .map(crate::encode::trim_ows)
            .or(self.authority.as_deref())
    }

    /// The full URL (scheme, host, target).
    pub fn url(&self) -> String {
        let host = self.host().unwrap_or("");
        let mut u = String::with_capacity(self.scheme.len() + 3 + host.len() + self.target.len());
        u.push_str(&self.scheme);
        u.push_str("://");
        u.push_str(host);
        u.push_str(&self.target);
        u
    }

    /// Set a header, replacing every existing one of that name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        if let Some(pos) = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            self.headers[pos].1 = value;
            let mut i = pos + 1;
            while i < self.headers.len() {
                if self.headers[i].0.eq_ignore_ascii_case(name) {
                    self.headers.remove(i);
                } else {
                    i += 1;
                }
            }
        } else {
            self.headers.push((name.to_string(), value));
        }
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Split an absolute URL into scheme, authority and the raw target, validated by
/// the `url` crate but keeping the target exactly as written (no normalisation).
pub fn split_url(url: &str) -> Result<(String, String, String)> {
    let url = url.trim();
    if url.len() > MAX_URL_BYTES {
        return Err(InputError::new(
            "bad-url",
            format!(
                "the URL is {} bytes long; at most {MAX_URL_BYTES} are accepted",
                url.len()
            ),
        ));
    }
    let parsed = url::Url::parse(url).map_err(|e| {
        InputError::new(
            "bad-url",
            format!("malformed URL `{}`: {e}", crate::encode::truncate(url, 80)),
        )
    })?;
    let scheme = parsed.scheme().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(InputError::new(
            "bad-url",
            format!("URL scheme `{scheme}` is not http or https"),
        ));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| InputError::new("bad-url", "the URL has no host"))?;
    let rest = &url[scheme.len() + 3..];
    let end_auth = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority_raw = &rest[..end_auth];
    let authority = authority_raw
        .rsplit('@')
        .next()
        .unwrap_or(authority_raw)
        .to_string();
    if authority.is_empty() {
        return Err(InputError::new("bad-url", "the URL has no host"));
    }
    let _ = host;
    let mut target = rest[end_auth..].split('#').next().unwrap_or("").to_string();
    if target.is_empty() || target.starts_with('?') {
        target.insert(0, '/');
    }
    if let Some(c) = target.chars().find(|c| c.is_control() || *c == ' ') {
        return Err(InputError::new(
            "bad-url",
            format!(
                "the URL contains an unencoded {} character; encode it (%20 for a space)",
                crate::canonical::escape_visible(&c.to_string())
            ),
        ));
    }
    Ok((scheme, authority, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_target_raw() {
        let r = Request::from_url(
            "GET",
            "https://b.oss-cn-hangzhou.aliyuncs.com/a%2Fb/../c?acl&x=%2b#frag",
            vec![],
        )
        .unwrap();
        assert_eq!(r.target, "/a%2Fb/../c?acl&x=%2b");
        assert_eq!(r.raw_path(), "/a%2Fb/../c");
        assert_eq!(r.raw_query(), Some("acl&x=%2b"));
        assert_eq!(r.host(), Some("b.oss-cn-hangzhou.aliyuncs.com"));
        let r = Request::from_url("GET", "http://127.0.0.1:9000?acl", vec![]).unwrap();
        assert_eq!(r.target, "/?acl");
        assert_eq!(r.authority.as_deref(), Some("127.0.0.1:9000"));
    }

    #[test]
    fn bad_urls() {
        for u in ["not a url", "ftp://x/y", "https:///nohost", "https://h/a b"] {
            let e = Request::from_url("GET", u, vec![]).unwrap_err();
            assert_eq!(e.code(), "bad-url", "{u}: {e}");
        }
    }

    #[test]
    fn header_limits() {
        let h = vec![("X".repeat(10), "v".repeat(MAX_HEADER_BYTES))];
        assert_eq!(
            Request::from_url("GET", "http://h/", h).unwrap_err().code(),
            "huge-header"
        );
        let h = vec![("bad name".to_string(), "v".to_string())];
        assert_eq!(
            Request::from_url("GET", "http://h/", h).unwrap_err().code(),
            "bad-header-name"
        );
    }

    #[test]
    fn host_header_is_trimmed() {
        let r = Request::from_url(
            "GET",
            "http://h/",
            vec![("Host".into(), "  b.oss-cn-hangzhou.aliyuncs.com \t".into())],
        )
        .unwrap();
        assert_eq!(r.host(), Some("b.oss-cn-hangzhou.aliyuncs.com"));
    }

    #[test]
    fn set_header_replaces_all() {
        let mut r = Request::from_url(
            "GET",
            "http://h/",
            vec![("date".into(), "a".into()), ("Date".into(), "b".into())],
        )
        .unwrap();
        r.set_header("DATE", "c");
        assert_eq!(r.headers, vec![("date".to_string(), "c".to_string())]);
    }
}
