//! Every input form, parsed into one [`Request`] model (DESIGN "Data flow").
//!
//! * [`raw_http`]: request line + headers (CRLF or LF, or `curl -v`'s `> ` lines);
//! * [`curl`]: a saved `curl` command line;
//! * [`har`]: a HAR file from a browser's developer tools;
//! * [`spec`]: the JSON request spec (DESIGN "JSON request spec").
//!
//! [`parse`] recognises the form from the text itself.

pub mod curl;
pub mod har;
pub mod raw_http;
pub mod spec;

use crate::error::{InputError, Result};
use crate::request::Request;

/// Most bytes of one input file.
pub const MAX_INPUT: usize = 16 * 1024 * 1024;

/// One parsed input.
#[derive(Debug, Clone)]
pub enum Input {
    /// A request as sent.
    Request(Request),
    /// A JSON request spec.
    Spec(Box<spec::RequestSpec>),
}

/// Which form an input text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Raw HTTP.
    RawHttp,
    /// curl command line.
    Curl,
    /// HAR (JSON with `log.entries`).
    Har,
    /// JSON request spec.
    Spec,
}

/// Recognise the form of an input text.
pub fn sniff(text: &str) -> Form {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        if t.contains("\"log\"") && t.contains("\"entries\"") {
            Form::Har
        } else {
            Form::Spec
        }
    } else if t.starts_with("curl ") || t.starts_with("$ curl ") || t.starts_with("curl\t") {
        Form::Curl
    } else {
        Form::RawHttp
    }
}

/// Bytes to text, naming the first invalid byte.
pub fn utf8(bytes: &[u8], name: &str) -> Result<String> {
    if bytes.len() > MAX_INPUT {
        return Err(InputError::new(
            "input-too-large",
            format!(
                "{name} is {} bytes; at most {MAX_INPUT} are read",
                bytes.len()
            ),
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        InputError::new("invalid-utf8", format!("{name} is not valid UTF-8"))
            .at(format!("{name} byte {at} (line {line})"))
    })
}

/// Parse an input file of any form. `entry` picks one HAR entry (1-based).
/// Each result is labelled (`request.http`, `capture.har entry 3`).
pub fn parse(bytes: &[u8], name: &str, entry: Option<usize>) -> Result<Vec<(String, Input)>> {
    let text = utf8(bytes, name)?;
    if text.trim().is_empty() {
        return Err(InputError::new("empty-input", format!("{name} is empty")));
    }
    match sniff(&text) {
        Form::Har => har::parse(&text, entry)
            .map(|v| {
                v.into_iter()
                    .map(|(i, r)| (format!("{name} entry {i}"), Input::Request(r)))
                    .collect()
            })
            .map_err(|e| e.at(name.to_string())),
        Form::Spec => {
            let s = spec::RequestSpec::from_json(&text).map_err(|e| e.at(name.to_string()))?;
            Ok(vec![(name.to_string(), Input::Spec(Box::new(s)))])
        }
        Form::Curl => {
            let r = curl::parse(&text).map_err(|e| e.at(name.to_string()))?;
            Ok(vec![(name.to_string(), Input::Request(r))])
        }
        Form::RawHttp => {
            let r = raw_http::parse(&text).map_err(|e| e.at(name.to_string()))?;
            Ok(vec![(name.to_string(), Input::Request(r))])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff("{\"log\":{\"entries\":[]}}"), Form::Har);
        assert_eq!(sniff(" {\"method\":\"GET\"}"), Form::Spec);
        assert_eq!(sniff("curl -X PUT http://h/"), Form::Curl);
        assert_eq!(sniff("GET / HTTP/1.1\r\n"), Form::RawHttp);
    }

    #[test]
    fn invalid_utf8_named() {
        let e = utf8(b"GET / HTTP/1.1\nHost: \xff\n", "req.http").unwrap_err();
        assert_eq!(e.code(), "invalid-utf8");
        assert!(e.to_string().contains("byte 21 (line 2)"), "{e}");
    }
}
