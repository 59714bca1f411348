//! What `explain` reads: an error body (XML, OSS's JSON form, or an HTTP response
//! dump with the body), or a bare code or message typed by the user.

use crate::error::{InputError, Result};
use crate::server_error::{self, ServerError};

/// Longest code or message accepted as literal text.
pub const MAX_LITERAL: usize = 1024;

/// The error to explain and what came with it.
#[derive(Debug, Clone, Default)]
pub struct ErrorInput {
    /// The parsed error fields.
    pub error: ServerError,
    /// Response headers, when an HTTP response dump was given (`Date`, `Server`, `x-oss-ec`, ...).
    pub response_headers: Vec<(String, String)>,
    /// The HTTP status, when a response dump was given.
    pub status: Option<u16>,
    /// Given as a bare code or message, not a body.
    pub literal: bool,
}

impl ErrorInput {
    /// A response header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Read an error from text: XML, JSON, an HTTP response dump, or (when `literal_ok`)
/// a bare code or message. `name` says where the text came from, for messages.
pub fn read(text: &str, name: &str, literal_ok: bool) -> Result<ErrorInput> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err(InputError::new("empty-input", format!("{name} is empty")));
    }
    if t.starts_with("HTTP/") {
        return read_response(t).map_err(|e| e.at(name.to_string()));
    }
    if t.starts_with('<') || t.starts_with('{') {
        let error = server_error::parse(t).map_err(|e| e.at(name.to_string()))?;
        return checked(
            ErrorInput {
                error,
                ..Default::default()
            },
            name,
        );
    }
    if let Some(i) = t.find("<?xml").or_else(|| t.find("<Error")) {
        // `curl -v` output: `< Name: value` response lines, then the body.
        return read_curl_verbose(&t[..i], &t[i..]).map_err(|e| e.at(name.to_string()));
    }
    if !literal_ok {
        return Err(InputError::new(
            "bad-error-body",
            "expected an error body (XML `<Error>…</Error>`, JSON `{\"Error\":{…}}`) or an HTTP response with one",
        )
        .at(name.to_string()));
    }
    literal(t)
}

/// A bare code (`SignatureDoesNotMatch`) or message (`Request has expired.`).
pub fn literal(text: &str) -> Result<ErrorInput> {
    let t = text.trim();
    if t.is_empty() {
        return Err(InputError::new(
            "usage",
            "the error code or message is empty",
        ));
    }
    if t.len() > MAX_LITERAL {
        return Err(InputError::new(
            "usage",
            format!("the error text is {} bytes; a code or message is at most {MAX_LITERAL} (give a file for a body)", t.len()),
        ));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return Err(InputError::new(
            "usage",
            format!(
                "the error text contains the control character {}",
                c.escape_unicode()
            ),
        ));
    }
    // A single identifier-like word is a code; anything else is a message.
    let is_code = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let field = if is_code { "Code" } else { "Message" };
    Ok(ErrorInput {
        error: ServerError {
            fields: vec![(field.to_string(), t.to_string())],
        },
        literal: true,
        ..Default::default()
    })
}

fn checked(e: ErrorInput, name: &str) -> Result<ErrorInput> {
    if e.error.code().is_none() && e.error.message().is_none() {
        return Err(InputError::new(
            "bad-error-body",
            "the error body has neither <Code> nor <Message>: not an OSS/COS error",
        )
        .at(name.to_string()));
    }
    Ok(e)
}

/// `curl -v` output: the `< ` lines before the body are the response head.
fn read_curl_verbose(before: &str, body: &str) -> Result<ErrorInput> {
    let mut headers = Vec::new();
    let mut status = None;
    for l in before.lines() {
        let Some(l) = l.strip_prefix("< ") else {
            continue;
        };
        let l = l.trim_end_matches('\r');
        if l.starts_with("HTTP/") {
            status = l
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u16>().ok());
        } else if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let error = server_error::parse(body)?;
    checked(
        ErrorInput {
            error,
            response_headers: headers,
            status,
            literal: false,
        },
        "the error body",
    )
}

/// `HTTP/1.1 403 Forbidden` + headers + blank line + body. A body-less response
/// (HEAD) may carry the error XML Base64-encoded in `x-oss-err` (oss-signing.md §8).
fn read_response(t: &str) -> Result<ErrorInput> {
    let (head, body) = match t.find("\r\n\r\n") {
        Some(i) => (&t[..i], &t[i + 4..]),
        None => match t.find("\n\n") {
            Some(i) => (&t[..i], &t[i + 2..]),
            None => (t, ""),
        },
    };
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| {
            InputError::new(
                "bad-error-body",
                format!(
                    "bad HTTP status line `{}`",
                    crate::encode::truncate(status_line, 60)
                ),
            )
            .at("line 1")
        })?;
    let mut headers = Vec::new();
    for (i, l) in lines.enumerate() {
        let l = l.trim_end_matches('\r');
        let (n, v) = l.split_once(':').ok_or_else(|| {
            InputError::new(
                "bad-error-body",
                format!(
                    "response header line `{}` has no `:`",
                    crate::encode::truncate(l, 40)
                ),
            )
            .at(format!("line {}", i + 2))
        })?;
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    let body = body.trim();
    let error = if !body.is_empty() {
        server_error::parse(body).map_err(|e| e.at("response body"))?
    } else if let Some(b64) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-oss-err"))
        .map(|(_, v)| v.clone())
    {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| {
                InputError::new("bad-error-body", format!("x-oss-err is not Base64: {e}"))
                    .at("header x-oss-err")
            })?;
        let xml = String::from_utf8(bytes).map_err(|_| {
            InputError::new("bad-error-body", "x-oss-err does not decode to UTF-8")
                .at("header x-oss-err")
        })?;
        server_error::parse(&xml).map_err(|e| e.at("header x-oss-err"))?
    } else {
        return Err(InputError::new(
            "bad-error-body",
            "the HTTP response has no body (and no x-oss-err header) to explain",
        ));
    };
    checked(
        ErrorInput {
            error,
            response_headers: headers,
            status: Some(status),
            literal: false,
        },
        "response body",
    )
}

/// Whether a command-line ERROR argument names a file rather than being a code or
/// message: one word with a path separator or a file extension (a message has spaces;
/// a code has neither). The caller also treats any existing file as a path.
pub fn is_path_like(arg: &str) -> bool {
    let a = arg.trim();
    if a.is_empty()
        || a.chars().any(char::is_whitespace)
        || a.starts_with('<')
        || a.starts_with('{')
    {
        return false;
    }
    let lower = a.to_ascii_lowercase();
    a.contains('/')
        || a.contains('\\')
        || [".xml", ".json", ".txt", ".http", ".log", ".har"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// The one request of a parsed REQUEST argument (`--entry` already applied). A JSON
/// spec is turned into the request it describes for `provider`.
pub fn one_request(
    inputs: Vec<(String, crate::input::Input)>,
    name: &str,
    provider: crate::address::Provider,
) -> Result<crate::request::Request> {
    use crate::input::Input;
    let n = inputs.len();
    let mut it = inputs.into_iter();
    let (label, first) = match (it.next(), n) {
        (Some(x), 1) => x,
        (None, _) => {
            return Err(InputError::new(
                "empty-input",
                format!("{name} holds no OSS/COS request"),
            ))
        }
        _ => {
            return Err(InputError::new(
                "usage",
                format!("{name} holds {n} requests; choose one with --entry N"),
            ))
        }
    };
    match first {
        Input::Request(r) => Ok(r),
        Input::Spec(s) => {
            let p = s
                .scheme_id()
                .ok()
                .flatten()
                .map(|x| x.provider())
                .unwrap_or(provider);
            s.to_request(p).map(|(r, _)| r).map_err(|e| e.at(label))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_like() {
        assert!(is_path_like("err.xml"));
        assert!(is_path_like("./x"));
        assert!(is_path_like("dir/body"));
        assert!(!is_path_like("SignatureDoesNotMatch"));
        assert!(!is_path_like("Request has expired."));
        // The CORS message has a `/` but also spaces.
        assert!(!is_path_like(
            "CORSResponse: request method / Access-Control-Request-Method"
        ));
        assert!(!is_path_like("<Error/>"));
    }

    #[test]
    fn literals() {
        let e = read("SignatureDoesNotMatch", "arg", true).unwrap();
        assert_eq!(e.error.code(), Some("SignatureDoesNotMatch"));
        assert!(e.literal);
        let e = read("Request has expired", "arg", true).unwrap();
        assert_eq!(
            (e.error.code(), e.error.message()),
            (None, Some("Request has expired"))
        );
        assert_eq!(read("a\u{7}b c", "arg", true).unwrap_err().code(), "usage");
        assert_eq!(read("   ", "arg", true).unwrap_err().code(), "empty-input");
        assert_eq!(
            read("SignatureDoesNotMatch", "f.xml", false)
                .unwrap_err()
                .code(),
            "bad-error-body"
        );
    }

    #[test]
    fn curl_verbose() {
        let t = "*   Trying 1.2.3.4:443...\n> GET /k HTTP/1.1\n> Host: b.oss-cn-hangzhou.aliyuncs.com\n>\n< HTTP/1.1 403 Forbidden\n< Server: AliyunOSS\n< Date: Wed, 08 Feb 2017 01:55:28 GMT\n<\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>\n* Connection #0 left intact\n";
        let e = read(t, "curl.txt", false).unwrap();
        assert_eq!(e.status, Some(403));
        assert_eq!(e.header("server"), Some("AliyunOSS"));
        assert_eq!(e.error.code(), Some("AccessDenied"));
    }

    #[test]
    fn http_dump_and_x_oss_err() {
        let dump = "HTTP/1.1 403 Forbidden\r\nServer: AliyunOSS\r\nDate: Wed, 08 Feb 2017 01:55:28 GMT\r\n\r\n<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>";
        let e = read(dump, "resp.txt", true).unwrap();
        assert_eq!(e.status, Some(403));
        assert_eq!(e.header("date"), Some("Wed, 08 Feb 2017 01:55:28 GMT"));
        assert_eq!(e.error.message(), Some("Request has expired."));
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD
            .encode("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        let head = format!("HTTP/1.1 403 Forbidden\nx-oss-err: {b64}\n\n");
        assert_eq!(
            read(&head, "h", true).unwrap().error.code(),
            Some("SignatureDoesNotMatch")
        );
        for bad in [
            "HTTP/1.1 403 Forbidden\r\nServer: AliyunOSS\r\n\r\n",
            "HTTP/1.1 xyz\r\n\r\n<Error><Code>A</Code></Error>",
            "HTTP/1.1 403 Forbidden\r\nno colon here\r\n\r\n<Error><Code>A</Code></Error>",
            "<Error><RequestId>1</RequestId></Error>",
            "<html><body>nginx</body></html>",
            "<Error><Code>x</Code>",
        ] {
            assert_eq!(
                read(bad, "f", true).unwrap_err().code(),
                "bad-error-body",
                "{bad}"
            );
        }
    }
}
