//! A captured `multipart/form-data` body (RFC 7578, framing of RFC 2046 §5.1.1),
//! read into its parts with their exact bytes and byte offsets.
//!
//! Sans-IO over one in-memory buffer. The delicate grammars are delegated: the
//! `Content-Type` media type and its `boundary` parameter to the `mime` crate, each
//! part's header block to `httparse::parse_headers`; the boundary is searched with
//! `memchr::memmem`. What is left here is the framing, which is also where a
//! diagnostic tool must be lenient and precise: a capture whose CRLFs became LFs
//! (pasted from a log) is still read, and reported ([`Multipart::bare_lf`]).

use crate::error::{InputError, Result};
use memchr::memmem;

/// Most parts read from one body.
pub const MAX_PARTS: usize = 1000;
/// Most headers in one part.
const MAX_PART_HEADERS: usize = 32;

/// One part of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// `name` of its Content-Disposition.
    pub name: String,
    /// `filename`, when the part is a file.
    pub filename: Option<String>,
    /// Its own Content-Type header.
    pub content_type: Option<String>,
    /// Byte offset of the part's content in the body.
    pub offset: usize,
    /// The content, exact.
    pub data: Vec<u8>,
}

/// A parsed body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Multipart {
    /// The parts in order.
    pub parts: Vec<Part>,
    /// The line breaks of the framing are bare LF (a capture pasted through an editor?).
    pub bare_lf: bool,
    /// The closing delimiter (`--boundary--`) is missing.
    pub unterminated: bool,
}

fn bad(what: impl Into<String>) -> InputError {
    InputError::new("bad-multipart", what)
}

/// The boundary of a `multipart/form-data` Content-Type (RFC 2046 §5.1.1: 1..70 characters).
pub fn boundary(content_type: &str) -> Result<String> {
    let m: mime::Mime = content_type.trim().parse().map_err(|e| {
        bad(format!(
            "Content-Type `{}` is not a media type: {e}",
            crate::encode::truncate(content_type, 80)
        ))
        .at("header Content-Type")
    })?;
    if m.type_() != mime::MULTIPART || m.subtype() != mime::FORM_DATA {
        return Err(bad(format!(
            "Content-Type is `{}/{}`; a form upload is multipart/form-data",
            m.type_(),
            m.subtype()
        ))
        .at("header Content-Type"));
    }
    let b = m
        .get_param(mime::BOUNDARY)
        .map(|b| b.as_str().to_string())
        .ok_or_else(|| bad("Content-Type has no `boundary` parameter").at("header Content-Type"))?;
    if b.is_empty() || b.len() > 70 {
        return Err(bad(format!(
            "the boundary is {} characters long; RFC 2046 allows 1 to 70",
            b.len()
        ))
        .at("header Content-Type"));
    }
    Ok(b)
}

/// Split `form-data; name="a"; filename="b"` into its type and parameters.
/// Quoted values may hold `;` and `\"`; names are lower-cased.
fn disposition(v: &str) -> (String, Vec<(String, String)>) {
    let mut params = Vec::new();
    let mut chars = v.chars().peekable();
    let mut kind = String::new();
    while let Some(&c) = chars.peek() {
        if c == ';' {
            break;
        }
        kind.push(c);
        chars.next();
    }
    while chars.peek().is_some() {
        chars.next(); // ';'
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ';' {
                break;
            }
            name.push(c);
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => break,
                        c => value.push(c),
                    }
                }
                while let Some(&c) = chars.peek() {
                    if c == ';' {
                        break;
                    }
                    chars.next();
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ';' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim_end().to_string();
            }
        }
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() {
            params.push((name, value));
        }
    }
    (kind.trim().to_ascii_lowercase(), params)
}

/// Parse a body given its Content-Type header value.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Multipart> {
    let b = boundary(content_type)?;
    parse_with_boundary(&b, body)
}

/// Parse a body with a known boundary. Errors name the byte offset in the body.
pub fn parse_with_boundary(boundary: &str, body: &[u8]) -> Result<Multipart> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let finder = memmem::Finder::new(delim);
    let mut out = Multipart::default();
    // The first delimiter: at the start, or after a line break (a preamble is allowed).
    let mut pos = None;
    let mut from = 0;
    while let Some(i) = finder.find(&body[from..]) {
        let at = from + i;
        if at == 0 || body[at - 1] == b'\n' {
            pos = Some(at);
            break;
        }
        from = at + 1;
    }
    let mut pos = pos.ok_or_else(|| {
        bad(format!(
            "the body has no `--{}` delimiter line: the Content-Type's boundary is not the one the body uses",
            crate::encode::truncate(boundary, 70)
        ))
        .at("body byte 0")
    })?;
    loop {
        pos += delim.len();
        if body[pos..].starts_with(b"--") {
            return Ok(out);
        }
        // Transport padding, then the line break.
        while pos < body.len() && (body[pos] == b' ' || body[pos] == b'\t') {
            pos += 1;
        }
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            out.bare_lf = true;
            pos += 1;
        } else if pos >= body.len() {
            out.unterminated = true;
            return Ok(out);
        } else {
            return Err(
                bad("a delimiter line does not end in a line break").at(format!("body byte {pos}"))
            );
        }
        if out.parts.len() >= MAX_PARTS {
            return Err(bad(format!("the body has more than {MAX_PARTS} parts"))
                .at(format!("body byte {pos}")));
        }
        // The part's header block.
        let mut hdrs = [httparse::EMPTY_HEADER; MAX_PART_HEADERS];
        let (head_len, headers) = match httparse::parse_headers(&body[pos..], &mut hdrs) {
            Ok(httparse::Status::Complete((n, h))) => (n, h),
            Ok(httparse::Status::Partial) => {
                return Err(bad(format!(
                    "part {} has no blank line after its headers (truncated body?)",
                    out.parts.len() + 1
                ))
                .at(format!("body byte {pos}")))
            }
            Err(e) => {
                return Err(bad(format!(
                    "the headers of part {} are malformed: {e}",
                    out.parts.len() + 1
                ))
                .at(format!("body byte {pos}")))
            }
        };
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for h in headers.iter() {
            let v = std::str::from_utf8(h.value).map_err(|_| {
                bad(format!(
                    "header `{}` of part {} is not UTF-8",
                    h.name,
                    out.parts.len() + 1
                ))
                .at(format!("body byte {pos}"))
            })?;
            if h.name.eq_ignore_ascii_case("content-disposition") {
                let (kind, params) = disposition(v);
                if kind != "form-data" {
                    return Err(bad(format!(
                        "part {} has Content-Disposition `{}`, not form-data",
                        out.parts.len() + 1,
                        crate::encode::truncate(&kind, 30)
                    ))
                    .at(format!("body byte {pos}")));
                }
                for (k, v) in params {
                    match k.as_str() {
                        "name" => name = Some(v),
                        "filename" => filename = Some(v),
                        _ => {}
                    }
                }
            } else if h.name.eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_string());
            }
        }
        let name = name.ok_or_else(|| {
            bad(format!(
                "part {} has no Content-Disposition `name`",
                out.parts.len() + 1
            ))
            .at(format!("body byte {pos}"))
        })?;
        let start = pos + head_len;
        // The content ends at the line break before the next delimiter.
        let mut end = None;
        let mut from = start;
        while let Some(i) = finder.find(&body[from..]) {
            let at = from + i;
            if at > start && body[at - 1] == b'\n' {
                let cut = if at >= start + 2 && body[at - 2] == b'\r' {
                    at - 2
                } else {
                    out.bare_lf = true;
                    at - 1
                };
                end = Some((cut, at));
                break;
            }
            from = at + 1;
        }
        match end {
            Some((cut, next)) => {
                out.parts.push(Part {
                    name,
                    filename,
                    content_type,
                    offset: start,
                    data: body[start..cut].to_vec(),
                });
                pos = next;
            }
            None => {
                // No closing delimiter: keep what there is, say so.
                let mut data = &body[start..];
                if data.ends_with(b"\r\n") {
                    data = &data[..data.len() - 2];
                } else if data.ends_with(b"\n") {
                    data = &data[..data.len() - 1];
                }
                out.parts.push(Part {
                    name,
                    filename,
                    content_type,
                    offset: start,
                    data: data.to_vec(),
                });
                out.unterminated = true;
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";

    fn body(sep: &str) -> Vec<u8> {
        let b = "------WebKitFormBoundary7MA4YWxkTrZu0gW";
        format!(
            "preamble{sep}{b}{sep}Content-Disposition: form-data; name=\"key\"{sep}{sep}user/eric/${{filename}}{sep}{b}{sep}Content-Disposition: form-data; name=\"policy\"{sep}{sep}eyJ9{sep}{b}{sep}Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\";c.txt\"{sep}Content-Type: text/plain{sep}{sep}hello{sep}world{sep}{b}--{sep}"
        )
        .into_bytes()
    }

    #[test]
    fn reads_parts_crlf_and_lf() {
        for (sep, lf) in [("\r\n", false), ("\n", true)] {
            let m = parse(CT, &body(sep)).unwrap();
            assert_eq!(m.bare_lf, lf);
            assert!(!m.unterminated);
            assert_eq!(m.parts.len(), 3);
            assert_eq!(m.parts[0].name, "key");
            assert_eq!(m.parts[0].data, b"user/eric/${filename}");
            assert_eq!(m.parts[1].data, b"eyJ9");
            let f = &m.parts[2];
            assert_eq!(f.filename.as_deref(), Some("a \"b\";c.txt"));
            assert_eq!(f.content_type.as_deref(), Some("text/plain"));
            assert_eq!(f.data, format!("hello{sep}world").as_bytes());
        }
    }

    #[test]
    fn quoted_boundary_and_errors() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"a b\"").unwrap(),
            "a b"
        );
        for (ct, want) in [
            ("text/plain", "not a media type"),
            ("application/json", "multipart/form-data"),
            ("multipart/form-data", "no `boundary`"),
        ] {
            let e = boundary(ct).unwrap_err().to_string();
            assert!(e.contains(want) || ct == "text/plain", "{ct}: {e}");
        }
        let e = parse("multipart/form-data; boundary=zzz", &body("\r\n")).unwrap_err();
        assert!(e.to_string().contains("no `--zzz` delimiter"), "{e}");
        let e = parse(
            CT,
            b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nX: y\r\n\r\nv\r\n",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("no Content-Disposition `name`"),
            "{e}"
        );
        let e = parse(CT, b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=a\r\n").unwrap_err();
        assert!(e.to_string().contains("no blank line"), "{e}");
        // No closing delimiter: parts kept, flagged.
        let m = parse(CT, b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n").unwrap();
        assert!(m.unterminated);
        assert_eq!(m.parts[0].data, b"v");
    }
}
