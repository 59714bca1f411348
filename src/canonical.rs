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
use std::sync::OnceLock;

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

/// A field name: a static string, or a range of the dynamic-names buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Static(&'static str),
    Buf(u32, u32),
}

/// One named piece of a canonical string: a name and a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    name: Name,
    start: usize,
    end: usize,
}

/// A field seen through its canonical string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// Field name, e.g. `content-type`, `header:x-oss-meta-a`, `query:acl`.
    pub name: &'a str,
    /// The exact text this field contributes, separators included
    /// (`text/html\n`, `x-oss-meta-a:b\n`, `?acl`, `&uploadId=1`).
    pub text: &'a str,
    /// The name, when it is a `'static` string (lets reports keep it without copying).
    pub static_name: Option<&'static str>,
}

impl Field<'_> {
    /// The name as an owned-or-static string (copies only dynamic names).
    pub fn name_cow(&self) -> Cow<'static, str> {
        match self.static_name {
            Some(n) => Cow::Borrowed(n),
            None => Cow::Owned(self.name.to_string()),
        }
    }
}

/// A canonical string as an ordered list of named fields over one buffer: one
/// allocation for the text, one for the field table, one for all dynamic names
/// (`header:x-oss-meta-a`) together.
///
/// A *deferred* canonical ([`Canonical::deferred`]) holds only the text; its
/// fields are cut from that text the first time anything asks for them. A
/// signer on a hot path hands back its stages that way: the text it had to
/// write anyway, with no field table until a report or a diff wants one.
#[derive(Debug, Clone, Default)]
pub struct Canonical {
    text: String,
    spans: Vec<Span>,
    names: String,
    /// Set for a deferred canonical: how to cut the text, and the cut once made.
    deferred: Option<Deferred>,
}

/// The fields of a deferred [`Canonical`], cut on first use.
#[derive(Debug, Clone)]
struct Deferred {
    cut: fn(&str) -> Canonical,
    fields: OnceLock<Box<Canonical>>,
}

impl PartialEq for Canonical {
    /// Same text cut into the same named fields (however the names are stored).
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.field_count() == other.field_count()
            && self.fields().zip(other.fields()).all(|(a, b)| a == b)
    }
}

impl Eq for Canonical {}

impl Canonical {
    /// An empty canonical string with room for `bytes` bytes and `fields` fields.
    pub fn with_capacity(bytes: usize, fields: usize) -> Self {
        Canonical {
            text: String::with_capacity(bytes),
            spans: Vec::with_capacity(fields),
            names: String::new(),
            deferred: None,
        }
    }

    /// The canonical string `text`, its fields cut by `cut(&text)` the first
    /// time a field accessor ([`Canonical::fields`], [`Canonical::field`],
    /// [`Canonical::field_count`], [`Canonical::get`], [`Canonical::field_at`],
    /// `==`, `Serialize`) or a `push` needs them; the text accessors
    /// (`Display`, [`Canonical::as_str`], [`Canonical::len`],
    /// [`Canonical::into_string`]) never cut. `cut` must give back exactly
    /// `text` cut into fields (a scheme's parse-back of the stage); should it
    /// give other bytes, the text is kept whole as one field named `text`
    /// rather than shown as fields it does not have.
    pub fn deferred(text: String, cut: fn(&str) -> Canonical) -> Self {
        Canonical {
            text,
            spans: Vec::new(),
            names: String::new(),
            deferred: Some(Deferred {
                cut,
                fields: OnceLock::new(),
            }),
        }
    }

    /// The canonical with its field table: itself, or its deferred fields, cut now
    /// if they were not yet.
    #[inline]
    fn cut(&self) -> &Canonical {
        match &self.deferred {
            None => self,
            Some(d) => self.cut_deferred(d),
        }
    }

    #[cold]
    #[inline(never)]
    fn cut_deferred<'s>(&'s self, d: &'s Deferred) -> &'s Canonical {
        d.fields.get_or_init(|| {
            let c = (d.cut)(&self.text);
            if c.text == self.text && c.deferred.is_none() {
                Box::new(c)
            } else {
                let mut whole = Canonical::with_capacity(self.text.len(), 1);
                whole.push("text", &self.text);
                Box::new(whole)
            }
        })
    }

    /// Turn a deferred canonical into an ordinary one before it is appended to.
    #[inline]
    fn undefer(&mut self) {
        if self.deferred.is_some() {
            self.undefer_now();
        }
    }

    #[cold]
    #[inline(never)]
    fn undefer_now(&mut self) {
        let cut = self.cut().clone();
        *self = cut;
    }

    /// Room for `bytes` more bytes of dynamic field names ([`Canonical::push_named`]).
    pub fn reserve_names(&mut self, bytes: usize) {
        self.undefer();
        self.names.reserve(bytes);
    }

    /// Append a field.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, text: impl AsRef<str>) {
        self.push_with(name, |s| s.push_str(text.as_ref()));
    }

    /// Append a field followed by a line break.
    pub fn push_line(&mut self, name: impl Into<Cow<'static, str>>, text: &str) {
        self.push_with(name, |s| {
            s.push_str(text);
            s.push('\n');
        });
    }

    /// Append a field whose text `write` writes straight into the buffer.
    pub fn push_with(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        write: impl FnOnce(&mut String),
    ) {
        self.undefer();
        let name = match name.into() {
            Cow::Borrowed(n) => Name::Static(n),
            Cow::Owned(n) => self.intern(&["", &n]),
        };
        self.push_span(name, write);
    }

    /// Append a field named `prefix` + `name` (`header:` + `x-oss-meta-a`) without
    /// allocating the name on its own: it goes into the shared names buffer.
    pub fn push_named(&mut self, prefix: &str, name: &str, write: impl FnOnce(&mut String)) {
        self.undefer();
        let name = self.intern(&[prefix, name]);
        self.push_span(name, write);
    }

    /// Append a field named `prefix` + a part of its own text: `write` writes the
    /// text and returns where the name is in it (relative to the field's start),
    /// e.g. `header:` + the `x-oss-meta-a` of `x-oss-meta-a:1\n`. The name is not
    /// built on its own: it is copied once into the shared names buffer.
    pub fn push_self_named(
        &mut self,
        prefix: &str,
        write: impl FnOnce(&mut String) -> std::ops::Range<usize>,
    ) {
        self.undefer();
        let start = self.text.len();
        let r = write(&mut self.text);
        let at = self.names.len();
        self.names.push_str(prefix);
        self.names
            .push_str(&self.text[start + r.start..start + r.end]);
        self.spans.push(Span {
            name: Name::Buf(at as u32, self.names.len() as u32),
            start,
            end: self.text.len(),
        });
    }

    fn intern(&mut self, parts: &[&str]) -> Name {
        let start = self.names.len();
        for p in parts {
            self.names.push_str(p);
        }
        // Field names are short; a canonical string over 4 GiB of names is not one.
        Name::Buf(start as u32, self.names.len() as u32)
    }

    fn push_span(&mut self, name: Name, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        self.spans.push(Span {
            name,
            start,
            end: self.text.len(),
        });
    }

    fn name_of(&self, s: &Span) -> &str {
        match s.name {
            Name::Static(n) => n,
            Name::Buf(a, b) => &self.names[a as usize..b as usize],
        }
    }

    /// Cut leading lines of `text` into fields named `names` (each keeps its `\n`),
    /// for the parse-back of line-based stages. Returns the text after the last
    /// full line, or `None` when the text ended first (a short last line, if any,
    /// becomes the next field; nothing is lost: the fields still concatenate to
    /// the input read so far).
    pub fn push_lines<'t>(&mut self, text: &'t str, names: &[&'static str]) -> Option<&'t str> {
        let mut rest = text;
        for name in names {
            match rest.find('\n') {
                Some(i) => {
                    self.push(*name, &rest[..=i]);
                    rest = &rest[i + 1..];
                }
                None => {
                    if !rest.is_empty() {
                        self.push(*name, rest);
                    }
                    return None;
                }
            }
        }
        Some(rest)
    }

    /// The fields in signing order.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = Field<'_>> + '_ {
        let c = self.cut();
        c.spans.iter().map(|s| c.field_of(s))
    }

    fn field_of(&self, s: &Span) -> Field<'_> {
        Field {
            name: self.name_of(s),
            text: &self.text[s.start..s.end],
            static_name: match s.name {
                Name::Static(n) => Some(n),
                Name::Buf(..) => None,
            },
        }
    }

    /// The i-th field.
    pub fn field(&self, i: usize) -> Option<Field<'_>> {
        let c = self.cut();
        c.spans.get(i).map(|s| c.field_of(s))
    }

    /// Number of fields.
    pub fn field_count(&self) -> usize {
        self.cut().spans.len()
    }

    /// The text of the first field with this name.
    pub fn get(&self, name: &str) -> Option<&str> {
        let c = self.cut();
        c.spans
            .iter()
            .find(|s| c.name_of(s) == name)
            .map(|s| &c.text[s.start..s.end])
    }

    /// The exact signed text, consuming the field table.
    pub fn into_string(self) -> String {
        self.text
    }

    /// The exact signed text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Total length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True when there are no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The field that holds byte offset `pos` of the whole text, and the offset inside it.
    pub fn field_at(&self, pos: usize) -> Option<(Field<'_>, usize)> {
        let c = self.cut();
        c.spans
            .iter()
            .find(|s| pos >= s.start && pos < s.end)
            .map(|s| (c.field_of(s), pos - s.start))
    }
}

impl fmt::Display for Canonical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Canonical {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        #[derive(Serialize)]
        struct F<'a> {
            name: &'a str,
            text: &'a str,
        }
        let mut seq = ser.serialize_seq(Some(self.field_count()))?;
        for f in self.fields() {
            seq.serialize_element(&F {
                name: f.name,
                text: f.text,
            })?;
        }
        seq.end()
    }
}

/// `prefix` + `name` as a field name (`header:` + `x-oss-meta-a`), without the
/// formatting machinery (this is on the hot path).
pub fn field_name(prefix: &str, name: &str) -> Cow<'static, str> {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    Cow::Owned(s)
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
        assert_eq!(
            c.field_at(9).unwrap(),
            (
                Field {
                    name: "query:acl",
                    text: "?acl",
                    static_name: Some("query:acl"),
                },
                1
            )
        );
        assert_eq!(c.get("resource"), Some("/b/k"));
        let mut d = Canonical::default();
        d.push_line("verb", "GET");
        d.push_with("resource", |s| s.push_str("/b/k"));
        d.push("query:acl", "?acl");
        assert_eq!(d, c);
        assert!(c.field_at(12).is_none());
    }

    /// The cut of `display_is_exact_bytes`'s string, counting its calls.
    static CUTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    fn cut_example(text: &str) -> Canonical {
        CUTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut c = Canonical::default();
        let rest = c.push_lines(text, &["verb"]).unwrap_or("");
        let (resource, query) = rest.split_at(rest.find('?').unwrap_or(rest.len()));
        c.push("resource", resource);
        if !query.is_empty() {
            c.push_named("query:", &query[1..], |t| t.push_str(query));
        }
        c
    }

    #[test]
    fn deferred_fields_are_cut_once_on_first_use() {
        use std::sync::atomic::Ordering::SeqCst;
        let mut eager = Canonical::default();
        eager.push("verb", "GET\n");
        eager.push("resource", "/b/k");
        eager.push_named("query:", "acl", |t| t.push_str("?acl"));
        let before = CUTS.load(SeqCst);
        let d = Canonical::deferred("GET\n/b/k?acl".to_string(), cut_example);
        // The text accessors never cut.
        assert_eq!(
            (d.to_string(), d.as_str(), d.len()),
            (eager.to_string(), eager.as_str(), 12)
        );
        assert_eq!(CUTS.load(SeqCst), before);
        // The field accessors see the cut, made once.
        assert_eq!(d, eager);
        assert_eq!(d.field_count(), 3);
        assert_eq!(d.get("query:acl"), Some("?acl"));
        assert_eq!(d.field_at(9), eager.field_at(9));
        assert_eq!(d.field(1), eager.field(1));
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            serde_json::to_string(&eager).unwrap()
        );
        assert_eq!(CUTS.load(SeqCst), before + 1);
        // A clone keeps the cut; appending turns it into an ordinary canonical.
        let mut more = d.clone();
        more.push("extra", "!");
        eager.push("extra", "!");
        assert_eq!(more, eager);
        assert_eq!(CUTS.load(SeqCst), before + 1);
        // A fresh deferred one appended to before any field was read.
        let mut fresh = Canonical::deferred("GET\n/b/k?acl".to_string(), cut_example);
        fresh.push("extra", "!");
        assert_eq!(fresh, eager);
        assert_eq!(fresh.into_string(), "GET\n/b/k?acl!");
    }

    #[test]
    fn deferred_cut_of_other_bytes_keeps_the_text_whole() {
        let wrong = |_: &str| {
            let mut c = Canonical::default();
            c.push("verb", "PUT\n");
            c
        };
        let d = Canonical::deferred("GET\n/b".to_string(), wrong);
        assert_eq!(d.as_str(), "GET\n/b");
        let fields: Vec<_> = d.fields().map(|f| (f.name, f.text)).collect();
        assert_eq!(fields, [("text", "GET\n/b")]);
    }

    #[test]
    fn visible() {
        assert_eq!(escape_visible("a\tb\n\u{200B}"), "a\\tb\\n\\u{200B}");
        assert_eq!(block_visible("GET\n\nx "), "GET\\n\n\\n\nx ⟵");
    }
}
