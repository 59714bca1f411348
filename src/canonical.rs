//! The string that gets signed, held as named fields.
//!
//! A [`Canonical`] is the string-to-sign (OSS V1), the canonical request (OSS V4)
//! or the HttpString (COS) cut into named fields. Each field keeps its exact bytes
//! *including* its separators, so `Display` of a `Canonical` is the exact signed
//! text, and a later stage (diff, diagnosis, mutation) can address any one field.
//!
//! Field names follow one convention across schemes: OSS V1 `verb`, `content-md5`,
//! `content-type`, `date`, `expires`, `header:<lower-name>`, `resource`,
//! `query:<name>`; OSS V4 `method`, `canonical-uri`, `query:<name>`,
//! `header:<lower-name>`, `additional-headers`, `payload-hash`; COS `method`,
//! `path`, `query:<lower-name>`, `header:<lower-name>`.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// Which kind of signed text this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// OSS V1 StringToSign; OSS V4 / COS StringToSign (the second stage).
    StringToSign,
    /// OSS V4 CanonicalRequest.
    CanonicalRequest,
    /// COS HttpString, called FormatString in the server's error body.
    FormatString,
}

impl Stage {
    /// The name the servers use for this stage in their error bodies.
    pub fn server_name(self) -> &'static str {
        match self {
            Stage::StringToSign => "StringToSign",
            Stage::CanonicalRequest => "CanonicalRequest",
            Stage::FormatString => "FormatString",
        }
    }
}

/// One named piece of a canonical string, with its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Field name, e.g. `content-type`, `header:x-oss-meta-a`, `query:acl`
    /// (borrowed when constant, so building a canonical string allocates less).
    pub name: Cow<'static, str>,
    /// The exact text this field contributes, separators included
    /// (`text/html\n`, `x-oss-meta-a:b\n`, `?acl`, `&uploadId=1`).
    pub text: Cow<'static, str>,
}

impl Field {
    /// A new field.
    pub fn new(name: impl Into<Cow<'static, str>>, text: impl Into<Cow<'static, str>>) -> Self {
        Field {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A canonical string as an ordered list of fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Canonical {
    /// The fields in signing order; their concatenation is the signed text.
    pub fields: Vec<Field>,
}

impl Canonical {
    /// Append a field.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, text: impl Into<Cow<'static, str>>) {
        self.fields.push(Field::new(name, text));
    }

    /// The first field with this name.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Total length in bytes.
    pub fn len(&self) -> usize {
        self.fields.iter().map(|f| f.text.len()).sum()
    }

    /// True when there are no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Write the exact bytes into `out` (reuses its allocation).
    pub fn write_to(&self, out: &mut String) {
        out.clear();
        out.reserve(self.len());
        for f in &self.fields {
            out.push_str(&f.text);
        }
    }

    /// The field that holds byte offset `pos` of the whole text.
    pub fn field_at(&self, pos: usize) -> Option<(&Field, usize)> {
        let mut start = 0;
        for f in &self.fields {
            if pos < start + f.text.len() {
                return Some((f, pos - start));
            }
            start += f.text.len();
        }
        None
    }
}

impl fmt::Display for Canonical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for field in &self.fields {
            f.write_str(&field.text)?;
        }
        Ok(())
    }
}

/// Make invisible characters visible on one line: `\n`, `\r`, `\t`, `\\`, and
/// `\u{XXXX}` for other control, zero-width and non-breaking characters.
pub fn escape_visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if is_invisible(c) => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// As [`escape_visible`] but keeps line breaks (each shown as `\n` then a real
/// newline), for printing a whole string-to-sign as a block.
pub fn block_visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\n\n");
        }
        out.push_str(&escape_visible(line));
        if line.ends_with(' ') {
            out.push('⟵');
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00A0}' | '\u{200B}'
                ..='\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{FEFF}' | '\u{3000}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_exact_bytes() {
        let mut c = Canonical::default();
        c.push("verb", "GET\n");
        c.push("resource", "/b/k");
        c.push("query:acl", "?acl");
        assert_eq!(c.to_string(), "GET\n/b/k?acl");
        assert_eq!(c.len(), 12);
        assert_eq!(c.field_at(5).unwrap().0.name, "resource");
        assert_eq!(c.field_at(9).unwrap().0.name, "query:acl");
        assert!(c.field_at(12).is_none());
    }

    #[test]
    fn visible() {
        assert_eq!(escape_visible("a\tb\n\u{200B}"), "a\\tb\\n\\u{200B}");
        assert_eq!(block_visible("GET\n\nx "), "GET\\n\n\\n\nx ⟵");
    }
}
