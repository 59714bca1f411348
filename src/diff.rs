//! Field-by-field comparison of two canonical strings.
//!
//! Rows are aligned by field name (longest common subsequence over the names, so a
//! field missing on one side shows as absent instead of shifting every row), and
//! each differing row names the first differing byte.

use crate::canonical::{escape_visible, Canonical, Stage};
use serde::Serialize;
use std::borrow::Cow;

/// One row of a field diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    /// Field name (`content-type`, `header:x-oss-date`, ...); static names are not copied.
    pub name: Cow<'static, str>,
    /// What the server computes (or reported); `None` when absent on that side.
    pub server: Option<String>,
    /// What the client signed; `None` when absent or unknown.
    pub client: Option<String>,
    /// Both sides present and byte-identical (or no client side to compare).
    pub same: bool,
    /// Byte offset, inside the field text, of the first difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_diff: Option<usize>,
}

impl FieldRow {
    /// Human description of the first difference (`byte 3: 0x20 ' ' vs 0x2B '+'`).
    pub fn describe_difference(&self) -> Option<String> {
        let pos = self.first_diff?;
        let a = self
            .server
            .as_deref()
            .unwrap_or("")
            .as_bytes()
            .get(pos)
            .copied();
        let b = self
            .client
            .as_deref()
            .unwrap_or("")
            .as_bytes()
            .get(pos)
            .copied();
        Some(format!(
            "first difference at byte {pos}: server {} vs client {}",
            describe_byte(a),
            describe_byte(b)
        ))
    }
}

/// `0x0A '\n'`, `0x2B '+'`, `end of field`.
pub fn describe_byte(b: Option<u8>) -> String {
    match b {
        None => "end of field".to_string(),
        Some(b) if b.is_ascii_graphic() => format!("0x{b:02X} '{}'", b as char),
        Some(b) if b < 0x80 => format!("0x{b:02X} '{}'", escape_visible(&(b as char).to_string())),
        Some(b) => format!("0x{b:02X}"),
    }
}

/// Index of the first differing byte, or `None` when equal.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(a.iter().zip(b).take_while(|(x, y)| x == y).count())
}

/// Only the server side: one row per field, all `same`.
pub fn single(server: &Canonical) -> Vec<FieldRow> {
    server
        .fields()
        .map(|f| FieldRow {
            name: f.name_cow(),
            server: Some(f.text.to_string()),
            client: None,
            same: true,
            first_diff: None,
        })
        .collect()
}

/// Align two canonical strings field by field.
pub fn align(server: &Canonical, client: &Canonical) -> Vec<FieldRow> {
    let a: Vec<_> = server.fields().collect();
    let b: Vec<_> = client.fields().collect();
    let (n, m) = (a.len(), b.len());
    // LCS table over names; n and m are small (tens of fields).
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[idx(i, j)] = if a[i].name == b[j].name {
                t[idx(i + 1, j + 1)] + 1
            } else {
                t[idx(i + 1, j)].max(t[idx(i, j + 1)])
            };
        }
    }
    let mut rows = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    let row = |f: &crate::canonical::Field<'_>, s: Option<&str>, c: Option<&str>| {
        let fd = match (s, c) {
            (Some(s), Some(c)) => first_difference(s.as_bytes(), c.as_bytes()),
            _ => Some(0),
        };
        FieldRow {
            name: f.name_cow(),
            server: s.map(str::to_string),
            client: c.map(str::to_string),
            same: fd.is_none(),
            first_diff: fd,
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i].name == b[j].name {
            rows.push(row(&a[i], Some(a[i].text), Some(b[j].text)));
            i += 1;
            j += 1;
        } else if j < m && (i == n || t[idx(i, j + 1)] >= t[idx(i + 1, j)]) {
            rows.push(row(&b[j], None, Some(b[j].text)));
            j += 1;
        } else {
            rows.push(row(&a[i], Some(a[i].text), None));
            i += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(fields: &[(&'static str, &'static str)]) -> Canonical {
        let mut c = Canonical::default();
        for (n, t) in fields {
            c.push(n.to_string(), t);
        }
        c
    }

    #[test]
    fn aligns_missing_field() {
        let s = c(&[
            ("verb", "PUT\n"),
            ("content-type", "text/plain\n"),
            ("resource", "/b/k"),
        ]);
        let k = c(&[("verb", "PUT\n"), ("resource", "/b/k")]);
        let rows = align(&s, &k);
        assert_eq!(rows.len(), 3);
        assert!(rows[0].same && rows[2].same);
        assert!(!rows[1].same);
        assert_eq!(rows[1].client, None);
    }

    #[test]
    fn first_byte() {
        let s = c(&[("resource", "/b/a b")]);
        let k = c(&[("resource", "/b/a+b")]);
        let rows = align(&s, &k);
        assert_eq!(rows[0].first_diff, Some(4));
        assert_eq!(
            rows[0].describe_difference().unwrap(),
            "first difference at byte 4: server 0x20 ' ' vs client 0x2B '+'"
        );
        assert_eq!(describe_byte(Some(b'\n')), "0x0A '\\n'");
    }
}

/// What kind of signed text a string is, recognised from the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextKind {
    /// OSS V1 StringToSign (`VERB\nMD5\nType\nDate\n...`).
    OssV1StringToSign,
    /// OSS V4 CanonicalRequest.
    OssV4CanonicalRequest,
    /// OSS V4 StringToSign (`OSS4-HMAC-SHA256\n...`).
    OssV4StringToSign,
    /// COS HttpString / FormatString (`get\n/path\nparams\nheaders\n`).
    CosFormatString,
    /// COS StringToSign (`sha1\nstart;end\nsha1hex\n`).
    CosStringToSign,
}

impl TextKind {
    /// `oss-v1-string-to-sign`, `cos-format-string`, ...
    pub fn label(self) -> &'static str {
        match self {
            TextKind::OssV1StringToSign => "oss-v1-string-to-sign",
            TextKind::OssV4CanonicalRequest => "oss-v4-canonical-request",
            TextKind::OssV4StringToSign => "oss-v4-string-to-sign",
            TextKind::CosFormatString => "cos-format-string",
            TextKind::CosStringToSign => "cos-string-to-sign",
        }
    }

    /// The stage this kind of text is.
    pub fn stage(self) -> Stage {
        match self {
            TextKind::OssV1StringToSign
            | TextKind::OssV4StringToSign
            | TextKind::CosStringToSign => Stage::StringToSign,
            TextKind::OssV4CanonicalRequest => Stage::CanonicalRequest,
            TextKind::CosFormatString => Stage::FormatString,
        }
    }
}

fn is_upper_method(s: &str) -> bool {
    matches!(
        s,
        "GET" | "PUT" | "POST" | "HEAD" | "DELETE" | "OPTIONS" | "PATCH"
    )
}

/// Recognise the kind of a signed text (oss-signing.md §2.2, §4.3, §4.4; cos-signing.md §2.1).
pub fn recognise(text: &str) -> Option<TextKind> {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = *lines.first()?;
    if first == "OSS4-HMAC-SHA256" {
        return Some(TextKind::OssV4StringToSign);
    }
    if first == "sha1" && lines.get(1).is_some_and(|l| l.contains(';')) {
        return Some(TextKind::CosStringToSign);
    }
    if matches!(
        first,
        "get" | "put" | "post" | "head" | "delete" | "options" | "patch"
    ) {
        return Some(TextKind::CosFormatString);
    }
    if is_upper_method(first) {
        let last = lines.last().copied().unwrap_or("");
        let v4_payload = last == "UNSIGNED-PAYLOAD"
            || (last.len() == 64 && last.bytes().all(|b| b.is_ascii_hexdigit()));
        if v4_payload && lines.get(1).is_some_and(|l| l.starts_with('/')) {
            return Some(TextKind::OssV4CanonicalRequest);
        }
        return Some(TextKind::OssV1StringToSign);
    }
    None
}

/// Cut a recognised text into named fields with the scheme's parse-back.
pub fn parse_kind(kind: TextKind, text: &str) -> Canonical {
    match kind {
        TextKind::OssV1StringToSign => {
            // The fourth line is a unix time for URL signatures (`expires`), else a date.
            let fourth = text.split('\n').nth(3).unwrap_or("");
            let field = if !fourth.is_empty() && fourth.bytes().all(|b| b.is_ascii_digit()) {
                "expires"
            } else {
                "date"
            };
            crate::oss::v1::string_to_sign::parse_back(text, field, None)
        }
        TextKind::OssV4CanonicalRequest | TextKind::OssV4StringToSign => {
            crate::oss::v4::parse_stage(kind.stage(), text, None)
        }
        TextKind::CosFormatString | TextKind::CosStringToSign => {
            crate::cos::parse_stage(kind.stage(), text, None)
        }
    }
}

/// A comparison of two signed texts without any request (`sigdiff diff A B`).
#[derive(Debug, Clone, Serialize)]
pub struct TextDiff {
    /// What the texts are.
    pub kind: TextKind,
    /// Identical to the byte.
    pub same: bool,
    /// Field rows; `server` is the first text, `client` the second.
    pub fields: Vec<FieldRow>,
}

/// Compare two signed texts: recognise their kind (from either), align them field by field.
pub fn diff_texts(a: &str, b: &str) -> crate::error::Result<TextDiff> {
    let kind = recognise(a).or_else(|| recognise(b)).ok_or_else(|| {
        crate::error::InputError::new(
            "unrecognised-text",
            "neither text looks like a string to sign, canonical request or FormatString of OSS V1, OSS V4 or COS",
        )
    })?;
    if let (Some(ka), Some(kb)) = (recognise(a), recognise(b)) {
        if ka != kb {
            return Err(crate::error::InputError::new(
                "different-kinds",
                format!("the two texts are of different kinds ({ka:?} and {kb:?}): compare like with like"),
            ));
        }
    }
    let (ca, cb) = (parse_kind(kind, a), parse_kind(kind, b));
    let fields = align(&ca, &cb);
    Ok(TextDiff {
        kind,
        same: a == b,
        fields,
    })
}

/// The texts an error body offers, by kind.
fn from_error_body(text: &str) -> Option<Vec<(TextKind, String)>> {
    let t = text.trim_start();
    if !(t.starts_with('<') || t.starts_with('{') || t.starts_with("HTTP/")) {
        return None;
    }
    let e = crate::server_error::parse(text).ok()?;
    let mut out = Vec::new();
    for (name, s) in [
        ("FormatString", e.get("FormatString").map(str::to_string)),
        (
            "CanonicalRequest",
            e.get("CanonicalRequest").map(str::to_string),
        ),
        ("StringToSign", e.string_to_sign()),
    ] {
        let _ = name;
        if let Some(s) = s {
            if let Some(k) = recognise(&s) {
                out.push((k, s));
            }
        }
    }
    Some(out)
}

/// `sigdiff diff`: compare two pasted texts. Either may be an error body (its
/// StringToSign, CanonicalRequest or FormatString of the other text's kind is used);
/// pasted text is normalised (literal `\n` escapes, CRLF, an editor's final newline).
pub fn diff_pasted(a: &str, b: &str) -> crate::error::Result<TextDiff> {
    let norm = |s: &str| {
        let k = recognise(s.trim_start());
        crate::verify::normalise_pasted(
            s,
            k == Some(TextKind::CosFormatString) || k == Some(TextKind::CosStringToSign),
        )
    };
    let pick =
        |body: Vec<(TextKind, String)>, want: Option<TextKind>| -> crate::error::Result<String> {
            body.iter()
                .find(|(k, _)| Some(*k) == want)
                .or_else(|| body.first())
                .map(|(_, s)| s.clone())
                .ok_or_else(|| {
                    crate::error::InputError::new(
                        "no-signed-text",
                        "the error body has no StringToSign, CanonicalRequest or FormatString",
                    )
                })
        };
    let (ea, eb) = (from_error_body(a), from_error_body(b));
    let (ta, tb) = match (ea, eb) {
        (Some(x), Some(y)) => {
            let ta = pick(x, None)?;
            let tb = pick(y, recognise(&ta))?;
            (ta, tb)
        }
        (Some(x), None) => {
            let tb = norm(b);
            (pick(x, recognise(&tb))?, tb)
        }
        (None, Some(y)) => {
            let ta = norm(a);
            let tb = pick(y, recognise(&ta))?;
            (ta, tb)
        }
        (None, None) => (norm(a), norm(b)),
    };
    diff_texts(&ta, &tb)
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn recognises_kinds() {
        assert_eq!(
            recognise("PUT\n\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\n/b/k"),
            Some(TextKind::OssV1StringToSign)
        );
        assert_eq!(
            recognise("GET\n/bucket/k\n\nx-oss-date:1\n\n\nUNSIGNED-PAYLOAD"),
            Some(TextKind::OssV4CanonicalRequest)
        );
        assert_eq!(recognise("OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nabc"), Some(TextKind::OssV4StringToSign));
        assert_eq!(
            recognise("get\n/k\n\nhost=h\n"),
            Some(TextKind::CosFormatString)
        );
        assert_eq!(
            recognise("sha1\n1;2\nabc\n"),
            Some(TextKind::CosStringToSign)
        );
        assert_eq!(recognise("hello"), None);
    }

    #[test]
    fn v1_texts_diff_by_field() {
        // oss-signing.md §9.1 T9 string, with the client's Content-Type differing.
        let a = "GET\n\napplication/octet-stream\n1699808204\nx-oss-head1:value\n/bucket/key?versionId=v";
        let b = "GET\n\n\n1699808204\nx-oss-head1:value\n/bucket/key?versionId=v";
        let d = diff_texts(a, b).unwrap();
        assert_eq!(d.kind, TextKind::OssV1StringToSign);
        let bad: Vec<&str> = d
            .fields
            .iter()
            .filter(|r| !r.same)
            .map(|r| &*r.name)
            .collect();
        assert_eq!(bad, ["content-type"]);
        assert_eq!(d.fields[3].name, "expires");
        assert!(diff_texts("hello", "world").is_err());
        assert_eq!(
            diff_texts(a, "sha1\n1;2\nx\n").unwrap_err().code(),
            "different-kinds"
        );
    }
}
