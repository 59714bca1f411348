//! Raw HTTP request text: request line and headers, CRLF or LF, optionally the
//! `> `-prefixed lines `curl -v` prints. Parsed with `httparse`.

use crate::error::{InputError, Result};
use crate::request::{Request, MAX_HEADERS};

/// Keep only the request lines of a `curl -v` transcript (`> ` prefix).
fn strip_curl_verbose(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    if !lines.iter().any(|l| l.starts_with("> ")) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for l in lines {
        if let Some(rest) = l.strip_prefix("> ") {
            out.push_str(rest.trim_end_matches('\r'));
            out.push_str("\r\n");
        } else if l == ">" || l == "> \r" {
            out.push_str("\r\n");
        }
    }
    Some(out)
}

/// Parse raw HTTP request text.
pub fn parse(text: &str) -> Result<Request> {
    let owned;
    let mut text = text
        .trim_start_matches('\u{feff}')
        .trim_start_matches(['\r', '\n']);
    if let Some(s) = strip_curl_verbose(text) {
        owned = s;
        text = &owned;
    }
    // A pasted request often lacks the blank line that ends the head.
    let has_end = text.contains("\r\n\r\n") || text.contains("\n\n");
    let mut buf = text.as_bytes().to_vec();
    if !has_end {
        let t = text.trim_end_matches([' ', '\t']);
        buf = t.as_bytes().to_vec();
        if !t.ends_with('\n') {
            buf.extend_from_slice(b"\r\n");
        }
        buf.extend_from_slice(b"\r\n");
    }
    let mut hdrs = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut hdrs);
    let status = req.parse(&buf).map_err(|e| {
        let what = match e {
            httparse::Error::TooManyHeaders => {
                format!("the request has more than {MAX_HEADERS} headers")
            }
            httparse::Error::Version => {
                "the request line does not end in HTTP/1.0 or HTTP/1.1 (truncated?)".to_string()
            }
            httparse::Error::Token => "bad method or header name".to_string(),
            httparse::Error::HeaderName => {
                "a header name has characters HTTP does not allow".to_string()
            }
            httparse::Error::HeaderValue => {
                "a header value has characters HTTP does not allow".to_string()
            }
            httparse::Error::NewLine => "a line break is malformed".to_string(),
            other => format!("malformed HTTP: {other}"),
        };
        InputError::new("bad-http", what).at("the request head")
    })?;
    let head_len = match status {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => {
            return Err(InputError::new(
                "truncated-http",
                "the HTTP request head is truncated (no complete request line and headers)",
            ));
        }
    };
    let method = req.method.unwrap_or("GET").to_string();
    let path = req.path.unwrap_or("/");
    let mut headers = Vec::with_capacity(req.headers.len());
    for (i, h) in req.headers.iter().enumerate() {
        let v = std::str::from_utf8(h.value).map_err(|_| {
            InputError::new(
                "invalid-utf8",
                format!("the value of header `{}` is not UTF-8", h.name),
            )
            .at(format!("header {}", i + 1))
        })?;
        headers.push((h.name.to_string(), v.to_string()));
    }
    let body_len = if has_end {
        Some((text.len().saturating_sub(head_len)) as u64)
    } else {
        None
    };
    let mut r = if path.starts_with("http://") || path.starts_with("https://") {
        Request::from_url(&method, path, headers)?
    } else {
        if !path.starts_with('/') {
            return Err(InputError::new(
                "bad-http",
                format!(
                    "request target `{}` is neither a path nor an absolute URL",
                    crate::encode::truncate(path, 60)
                ),
            )
            .at("line 1"));
        }
        let r = Request {
            method,
            scheme: "https".to_string(),
            authority: None,
            target: path.to_string(),
            headers,
            body_len: None,
        };
        if r.header("host").is_none() {
            return Err(InputError::new(
                "no-host",
                "the request has no Host header (needed to find the bucket)",
            ));
        }
        r.check_headers()?;
        r
    };
    r.body_len = body_len.filter(|n| *n > 0);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf() {
        let r = parse("PUT /a%20b.txt?acl HTTP/1.1\r\nHost: b.oss-cn-hangzhou.aliyuncs.com\r\nContent-Type:  text/plain \r\n\r\n").unwrap();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.target, "/a%20b.txt?acl");
        assert_eq!(r.header("content-type"), Some("text/plain"));
        let r = parse("GET / HTTP/1.1\nHost: h\nX-Oss-Date: d").unwrap();
        assert_eq!(r.headers.len(), 2);
    }

    #[test]
    fn curl_verbose() {
        let t = "*   Trying 1.2.3.4:443...\n> GET /k HTTP/1.1\n> Host: b.oss-cn-hangzhou.aliyuncs.com\n> User-Agent: curl/8.0\n> Authorization: OSS ak:sig\n>\n< HTTP/1.1 403 Forbidden\n< Server: AliyunOSS\n";
        let r = parse(t).unwrap();
        assert_eq!(r.header("authorization"), Some("OSS ak:sig"));
        assert!(r.header("server").is_none());
    }

    #[test]
    fn absolute_form() {
        let r = parse("GET http://b.oss-cn-hangzhou.aliyuncs.com/k HTTP/1.1\n\n").unwrap();
        assert_eq!(r.host(), Some("b.oss-cn-hangzhou.aliyuncs.com"));
    }

    #[test]
    fn bad() {
        assert_eq!(parse("PUT /x HTT").unwrap_err().code(), "bad-http");
        assert_eq!(
            parse("GET /x HTTP/1.1\nNo Colon Here\n\n")
                .unwrap_err()
                .code(),
            "bad-http"
        );
        assert_eq!(parse("GET /x HTTP/1.1\n\n").unwrap_err().code(), "no-host");
        let many: String = (0..300).map(|i| format!("X-H{i}: v\n")).collect();
        let e = parse(&format!("GET / HTTP/1.1\nHost: h\n{many}\n")).unwrap_err();
        assert!(e.to_string().contains("more than 256 headers"), "{e}");
    }
}
