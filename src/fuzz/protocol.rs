//! The fuzz protocol's messages (DESIGN "Fuzz protocol"): JSON lines on the
//! signer's stdin and stdout, one response per request, in order.
//!
//! ```text
//! → {"type":"hello","protocol":1}
//! ← {"type":"hello","protocol":1,"schemes":["oss-v1","oss-v4-url"]}
//! → {"type":"sign","id":17, ...JSON request spec...}
//! ← {"type":"signed","id":17,"signature":"...","authorization":"...","url":"...", ...}
//! ← {"type":"error","id":17,"message":"..."}      (the signer refuses this input)
//! ```

use crate::input::spec::RequestSpec;
use crate::sign::SignResult;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The protocol version this build speaks.
pub const PROTOCOL: u32 = 1;

/// The harness's greeting, the first line it writes.
pub const HELLO: &str = "{\"type\":\"hello\",\"protocol\":1}";

/// The signer's answer to the greeting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Hello {
    /// Always `hello`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Protocol version (1).
    pub protocol: u32,
    /// Schemes the signer implements (`oss-v1`, `cos-url`, ...).
    #[serde(default)]
    pub schemes: Vec<String>,
}

/// A signer's answer to one `sign` request: `signed` or `error`. Every field but
/// `type` is optional on the wire; the harness checks what each scheme needs
/// (`authorization` for header schemes, `url` for URL schemes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct Reply {
    /// `signed` or `error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Echo of the request's id.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Authorization header value (header schemes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// The full URL to request (URL schemes carry the signature in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Headers to send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<(String, String)>>,
    /// Form uploads: the form fields to post (the signature field among them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Vec<(String, String)>>,
    /// The signer's StringToSign (optional intermediate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_to_sign: Option<String>,
    /// OSS V4 canonical request (optional intermediate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_request: Option<String>,
    /// COS HttpString / FormatString (optional intermediate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_string: Option<String>,
    /// Why the signer refused (`error` replies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Reply {
    /// True for `{"type":"error",...}`.
    pub fn is_error(&self) -> bool {
        self.kind == "error"
    }

    /// The same answer, whatever the id: what non-determinism checks compare.
    pub fn same_answer(&self, other: &Reply) -> bool {
        let strip = |r: &Reply| Reply {
            id: None,
            ..r.clone()
        };
        strip(self) == strip(other)
    }
}

/// The parts of a `signed` reply the harness compares first, borrowed from the
/// line (text with escapes is unescaped into its own string): `type`, an id that
/// is a whole number, `signature`, `authorization` and `url`. Other fields are
/// skipped unread. `None` from [`ReplyRef::parse`] (not such an object, another
/// kind of id, a duplicate field, ...) sends the harness to the full [`Reply`].
#[derive(Debug, Deserialize)]
pub struct ReplyRef<'a> {
    /// `signed` or `error`.
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    /// The request's id, when a whole number.
    #[serde(default)]
    pub id: Option<u64>,
    /// The signature.
    #[serde(default, borrow, deserialize_with = "opt_cow")]
    pub signature: Option<Cow<'a, str>>,
    /// Authorization header value.
    #[serde(default, borrow, deserialize_with = "opt_cow")]
    pub authorization: Option<Cow<'a, str>>,
    /// The full URL to request.
    #[serde(default, borrow, deserialize_with = "opt_cow")]
    pub url: Option<Cow<'a, str>>,
}

/// A string or null, borrowed when it has no escape (serde borrows a `Cow` field,
/// not one inside an `Option`).
fn opt_cow<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);
    Option::<Text<'a>>::deserialize(d).map(|t| t.map(|t| t.0))
}

impl<'a> ReplyRef<'a> {
    /// Read an answer line.
    pub fn parse(line: &'a str) -> Option<ReplyRef<'a>> {
        serde_json::from_str(line).ok()
    }
}

/// Only the `type` of a line, read without allocating the rest.
#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
}

/// The `type` of a JSON line, when it is a JSON object with a string `type`.
pub fn message_type(line: &str) -> Option<String> {
    serde_json::from_str::<TypeOnly<'_>>(line)
        .ok()
        .and_then(|t| t.kind.map(|k| k.into_owned()))
}

/// Append one `sign` request line (without the newline) for `spec` with `id`.
pub fn write_sign(out: &mut Vec<u8>, id: u64, spec: &RequestSpec) {
    out.extend_from_slice(b"{\"type\":\"sign\",\"id\":");
    crate::json::push_u64(out, id);
    let start = out.len();
    // The spec's own id is replaced by the protocol id.
    crate::json::write_spec_with(out, spec, false);
    // `{...}` → `,...}`: splice the spec's fields after the id.
    if out.len() - start <= 2 {
        out.truncate(start);
        out.push(b'}');
    } else {
        out[start] = b',';
    }
}

/// Append one `sign` request line (without the newline) for a spec already
/// serialised as a JSON object (`{...}`, without an `id`).
pub fn write_sign_body(out: &mut Vec<u8>, id: u64, body: &[u8]) {
    out.extend_from_slice(b"{\"type\":\"sign\",\"id\":");
    crate::json::push_u64(out, id);
    match body {
        [b'{', b'}'] | [] => out.push(b'}'),
        [b'{', rest @ ..] => {
            out.push(b',');
            out.extend_from_slice(rest);
        }
        other => {
            out.push(b',');
            out.extend_from_slice(other);
        }
    }
}

/// Append one `signed` reply line (without the newline) for a sign result.
pub fn write_signed(out: &mut Vec<u8>, r: &SignResult) {
    out.extend_from_slice(b"{\"type\":\"signed\"");
    let start = out.len();
    crate::json::write_result(out, r);
    out[start] = b',';
}

/// Append one `error` reply line (without the newline).
pub fn write_error(out: &mut Vec<u8>, id: Option<&serde_json::Value>, message: &str) {
    let v = serde_json::json!({"type": "error", "id": id, "message": message});
    serde_json::to_writer(&mut *out, &v).expect("json serialises");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_line_carries_type_id_and_spec() {
        let spec =
            RequestSpec::from_json(r#"{"id":"x","scheme":"oss-v1","method":"GET"}"#).unwrap();
        let mut out = Vec::new();
        write_sign(&mut out, 17, &spec);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["type"], "sign");
        assert_eq!(v["id"], 17);
        assert_eq!(v["scheme"], "oss-v1");
        let mut out = Vec::new();
        write_sign(&mut out, 3, &RequestSpec::default());
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["id"], 3);
        assert_eq!(
            message_type(std::str::from_utf8(&out).unwrap()).as_deref(),
            Some("sign")
        );
        assert_eq!(message_type("[1]"), None);
        assert_eq!(message_type("{\"type\":5}"), None);
    }

    #[test]
    fn lean_reply_reads_what_the_full_one_does() {
        let line = r#"{"type":"signed","id":7,"signature":"s\/ig","authorization":"OSS a:b","url":"https://h/k?a=1","headers":[["Host","h"]],"string_to_sign":"x","form":[["a","b"]],"policy":{"json":"{}"}}"#;
        let full: Reply = serde_json::from_str(line).unwrap();
        let lean = ReplyRef::parse(line).unwrap();
        assert_eq!(lean.kind, full.kind);
        assert_eq!(Some(serde_json::Value::from(lean.id.unwrap())), full.id);
        assert_eq!(lean.signature.as_deref(), Some("s/ig"));
        assert_eq!(lean.signature.as_deref(), full.signature.as_deref());
        assert_eq!(lean.authorization.as_deref(), full.authorization.as_deref());
        assert_eq!(lean.url.as_deref(), full.url.as_deref());
        // Borrowed where the text has no escape.
        assert!(matches!(lean.authorization, Some(Cow::Borrowed(_))));
        let bare = ReplyRef::parse(r#"{"type":"error","message":"no"}"#).unwrap();
        assert_eq!((bare.kind.as_ref(), bare.id), ("error", None));
        // Anything else: the full reply decides.
        for other in [
            r#"{"type":"signed","id":"7"}"#,
            r#"{"type":"signed","id":7.0}"#,
            r#"{"type":"signed","id":-1}"#,
            r#"{"type":"signed","id":1,"url":"a","url":"b"}"#,
            r#"{"id":1}"#,
            r#"[1]"#,
            "not json",
        ] {
            assert!(ReplyRef::parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn replies_compare_without_id() {
        let a: Reply =
            serde_json::from_str(r#"{"type":"signed","id":1,"authorization":"OSS a:b"}"#).unwrap();
        let b: Reply =
            serde_json::from_str(r#"{"type":"signed","id":2,"authorization":"OSS a:b"}"#).unwrap();
        let c: Reply =
            serde_json::from_str(r#"{"type":"signed","id":2,"authorization":"OSS a:c"}"#).unwrap();
        assert!(a.same_answer(&b));
        assert!(!a.same_answer(&c));
        let e: Reply = serde_json::from_str(r#"{"type":"error","id":2,"message":"no"}"#).unwrap();
        assert!(e.is_error());
    }
}
