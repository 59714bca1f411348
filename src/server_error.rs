//! The server's error body: OSS XML (and its JSON form), COS XML.
//!
//! OSS (oss-signing.md §8): `Code`, `Message`, `StringToSign`, `StringToSignBytes`
//! (space-separated hex), `CanonicalRequest` (V4), `SignatureProvided`,
//! `OSSAccessKeyId`/`AWSAccessKeyId`, `EC`, `RecommendDoc`, `RequestId`, `HostId`,
//! `Expires`/`ServerTime`, `Endpoint`/`Bucket`. COS (cos-signing.md §5):
//! `StringToSign`, `FormatString` (`&amp;`-escaped), `Resource`, `RequestId`, `TraceId`.

use crate::address::Provider;
use crate::error::{InputError, Result};
use quick_xml::events::Event;
use quick_xml::Reader;

/// A parsed error body: every child element of `<Error>` in order, unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerError {
    /// Child elements `(name, text)`.
    pub fields: Vec<(String, String)>,
}

impl ServerError {
    /// A field's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `Code`.
    pub fn code(&self) -> Option<&str> {
        self.get("Code")
    }

    /// `Message`.
    pub fn message(&self) -> Option<&str> {
        self.get("Message")
    }

    /// Which provider wrote it, from the fields only it uses.
    pub fn provider(&self) -> Option<Provider> {
        if self.get("FormatString").is_some() || self.get("TraceId").is_some() {
            Some(Provider::Cos)
        } else if [
            "StringToSignBytes",
            "OSSAccessKeyId",
            "EC",
            "HostId",
            "RecommendDoc",
        ]
        .iter()
        .any(|n| self.get(n).is_some())
        {
            Some(Provider::Oss)
        } else {
            None
        }
    }

    /// The server's StringToSign: decoded from `StringToSignBytes` when present and
    /// valid (it is byte-exact), else the `StringToSign` text.
    pub fn string_to_sign(&self) -> Option<String> {
        if let Some(b) = self.get("StringToSignBytes").and_then(hex_bytes) {
            if let Ok(s) = String::from_utf8(b) {
                return Some(s);
            }
        }
        self.get("StringToSign").map(str::to_string)
    }

    /// `StringToSign` and the decoded `StringToSignBytes` differ (both present).
    pub fn bytes_disagree(&self) -> Option<usize> {
        let text = self.get("StringToSign")?;
        let bytes = hex_bytes(self.get("StringToSignBytes")?)?;
        crate::diff::first_difference(text.as_bytes(), &bytes)
    }
}

/// `50 55 54 0A ...` (upper or lower case, any whitespace) to bytes.
pub fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 3 + 1);
    for tok in s.split_ascii_whitespace() {
        if tok.len() != 2 {
            return None;
        }
        out.push(u8::from_str_radix(tok, 16).ok()?);
    }
    Some(out)
}

/// Most bytes of an error body sigdiff reads.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// Parse an error body (XML, or OSS's JSON form `{"Error":{...}}`).
pub fn parse(body: &str) -> Result<ServerError> {
    if body.len() > MAX_BODY {
        return Err(InputError::new(
            "bad-error-body",
            format!(
                "the error body is {} bytes; at most {MAX_BODY} are read",
                body.len()
            ),
        ));
    }
    let t = body.trim_start_matches('\u{feff}').trim();
    if t.starts_with('{') {
        return parse_json(t);
    }
    // Tolerate an HTTP response head before the XML (copied from curl -v or a proxy log).
    let start = t.find('<').ok_or_else(|| {
        InputError::new("bad-error-body", "the error body is neither XML nor JSON")
    })?;
    parse_xml(&t[start..])
}

fn parse_json(t: &str) -> Result<ServerError> {
    let v: serde_json::Value = serde_json::from_str(t).map_err(|e| {
        InputError::new(
            "bad-error-body",
            format!("the error body is not valid JSON: {e}"),
        )
        .at(format!("line {}, column {}", e.line(), e.column()))
    })?;
    let obj = v.get("Error").unwrap_or(&v).as_object().ok_or_else(|| {
        InputError::new(
            "bad-error-body",
            "the JSON error body has no `Error` object",
        )
    })?;
    let fields = obj
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect();
    Ok(ServerError { fields })
}

fn parse_xml(t: &str) -> Result<ServerError> {
    let mut r = Reader::from_str(t);
    let mut depth = 0usize;
    let mut root_ok = false;
    let mut cur: Option<String> = None;
    let mut text = String::new();
    let mut out = ServerError::default();
    loop {
        let pos = r.buffer_position();
        let ev = r.read_event().map_err(|e| {
            InputError::new(
                "bad-error-body",
                format!("malformed XML in the error body: {e}"),
            )
            .at(format!("byte {pos}"))
        })?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                depth += 1;
                if depth == 1 {
                    root_ok = name == "Error";
                } else if depth == 2 {
                    cur = Some(name);
                    text.clear();
                }
            }
            Event::Empty(e) => {
                if depth == 1 {
                    out.fields.push((
                        String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                        String::new(),
                    ));
                } else if depth == 0 {
                    root_ok = e.local_name().as_ref() == b"Error";
                }
            }
            Event::Text(e) if depth == 2 => {
                let s = e.unescape().map_err(|err| {
                    InputError::new(
                        "bad-error-body",
                        format!("bad XML escape in the error body: {err}"),
                    )
                    .at(format!("byte {pos}"))
                })?;
                text.push_str(&s);
            }
            Event::CData(e) if depth == 2 => {
                text.push_str(&String::from_utf8_lossy(&e));
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some(n) = cur.take() {
                        out.fields.push((n, std::mem::take(&mut text)));
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(InputError::new(
            "bad-error-body",
            "the error XML is truncated (unclosed elements)",
        ));
    }
    if !root_ok {
        return Err(InputError::new(
            "bad-error-body",
            "the XML root element is not <Error>",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oss_body() {
        // oss-signing.md §8 (PicGo#877 shape); bytes re-derived from the text.
        let sts = "PUT\n\nimage/png\nSat, 16 Apr 2022 07:43:21 GMT\n/ljp-blog/1.c  环境测试.png";
        let hex: String = sts.bytes().map(|b| format!("{b:02X} ")).collect();
        let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n  <RequestId>625A73995C8CDB36362D736C</RequestId>\n  <HostId>ljp-blog.oss-cn-beijing.aliyuncs.com</HostId>\n  <OSSAccessKeyId>LTAI5tLgdYSXwR2T4y8VL9dz</OSSAccessKeyId>\n  <SignatureProvided>X5eag9XWCsd/Cq3QzZjWZMOgF0Y=</SignatureProvided>\n  <StringToSign>{sts}</StringToSign>\n  <StringToSignBytes>{hex}</StringToSignBytes>\n  <EC>0002-00000040</EC>\n</Error>");
        let e = parse(&xml).unwrap();
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(e.string_to_sign().as_deref(), Some(sts));
        assert_eq!(e.provider(), Some(Provider::Oss));
        assert_eq!(e.bytes_disagree(), None);
    }

    #[test]
    fn cos_body_unescapes() {
        let xml = "<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>SignatureDoesNotMatch</Code>\n\t<FormatString>put\n/\ncors=\ncontent-length=454&amp;host=h\n</FormatString>\n\t<TraceId/>\n</Error>";
        let e = parse(xml).unwrap();
        assert_eq!(
            e.get("FormatString"),
            Some("put\n/\ncors=\ncontent-length=454&host=h\n")
        );
        assert_eq!(e.provider(), Some(Provider::Cos));
    }

    #[test]
    fn json_and_bad() {
        let e = parse("{\"Error\":{\"Code\":\"SignatureDoesNotMatch\",\"EC\":\"0002-00000040\"}}")
            .unwrap();
        assert_eq!(e.get("EC"), Some("0002-00000040"));
        for bad in [
            "<Error><Code>x</Code>",
            "<NotError/>",
            "garbage",
            "{\"Error\": [1]}",
            "<Error><Code>&bogus;</Code></Error>",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "bad-error-body", "{bad}");
        }
    }
}
