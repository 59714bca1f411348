//! The lean V1 StringToSign: one pass over the headers, the query read in place,
//! the text written once into one buffer (oss-signing.md §2.2–§2.6).
//!
//! [`super::sign`] and [`crate::verify::check`] take this path; the general one
//! ([`super::string_to_sign`], which [`super::prepare`] and the reports use)
//! stays as it is, and `tests/oss_v1_lean.rs` holds the two to the same bytes
//! and the same named fields. Rare shapes (many `x-oss-*` headers or
//! sub-resources, query text that does not decode) are left to the general path:
//! [`assemble`] answers `None` for them.

use super::canonical_headers::{Duplicates, HeaderValues};
use super::canonical_resource::EmptyValues;
use super::{DateSource, Form, V1Options};
use crate::canonical::Canonical;
use crate::encode::{decode, trim_ows, PlusMeans};
use crate::request::Request;
use crate::swar::CaseFree;
use std::borrow::Cow;

/// Most `x-oss-*` headers / sub-resources the lean path holds (on the stack).
const MAX_OSS_HEADERS: usize = 16;
const MAX_SUBRESOURCES: usize = 8;

/// Where the signed text goes: a bare `String` (the verdict only needs the bytes)
/// or a [`Canonical`] (sign returns the named fields).
pub(crate) trait Sink {
    /// A field with a static name.
    fn field(&mut self, name: &'static str, write: impl FnOnce(&mut String));
    /// A field named `prefix` + the part of its own text that `write` says
    /// (a range relative to the field's start): `header:` + `x-oss-meta-a`.
    fn self_named(
        &mut self,
        prefix: &'static str,
        write: impl FnOnce(&mut String) -> std::ops::Range<usize>,
    );
}

impl Sink for String {
    #[inline]
    fn field(&mut self, _: &'static str, write: impl FnOnce(&mut String)) {
        write(self);
    }
    #[inline]
    fn self_named(
        &mut self,
        _: &'static str,
        write: impl FnOnce(&mut String) -> std::ops::Range<usize>,
    ) {
        write(self);
    }
}

impl Sink for Canonical {
    #[inline]
    fn field(&mut self, name: &'static str, write: impl FnOnce(&mut String)) {
        self.push_with(name, write);
    }
    #[inline]
    fn self_named(
        &mut self,
        prefix: &'static str,
        write: impl FnOnce(&mut String) -> std::ops::Range<usize>,
    ) {
        self.push_self_named(prefix, write);
    }
}

const DATE: CaseFree = CaseFree::new("date");
const CONTENT_MD5: CaseFree = CaseFree::new("content-md5");
const CONTENT_TYPE: CaseFree = CaseFree::new("content-type");
const AUTHORIZATION: CaseFree = CaseFree::new("authorization");
const X_OSS_DATE: CaseFree = CaseFree::new("x-oss-date");
const X_OSS: CaseFree = CaseFree::new("x-oss-");

/// What one pass over the headers finds: the first of each header the Date,
/// Content-MD5, Content-Type lines and the credentials use (indices into
/// `req.headers`), and the `x-oss-*` headers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Headers {
    pub content_md5: Option<usize>,
    pub content_type: Option<usize>,
    pub date: Option<usize>,
    pub x_oss_date: Option<usize>,
    pub authorization: Option<usize>,
    /// How many `Authorization` headers there are.
    pub authorizations: usize,
    oss: [u16; MAX_OSS_HEADERS],
    oss_len: usize,
    /// Bytes of every header name and value, and of the `x-oss-*` names.
    header_bytes: usize,
    oss_name_bytes: usize,
}

impl Headers {
    /// Scan once; `None` when there are more `x-oss-*` headers than the lean path holds.
    pub fn scan(headers: &[(String, String)]) -> Option<Headers> {
        let mut h = Headers {
            content_md5: None,
            content_type: None,
            date: None,
            x_oss_date: None,
            authorization: None,
            authorizations: 0,
            oss: [0; MAX_OSS_HEADERS],
            oss_len: 0,
            header_bytes: 0,
            oss_name_bytes: 0,
        };
        for (i, (n, v)) in headers.iter().enumerate() {
            h.header_bytes += n.len() + v.len() + 2;
            let first = |slot: &mut Option<usize>| {
                if slot.is_none() {
                    *slot = Some(i);
                }
            };
            // Case-insensitive names (RFC 9110 §5.1), told apart by length first.
            let b = n.as_bytes();
            // A name that is one of these four is not an `x-oss-*` one.
            match b.len() {
                4 if DATE.is(b) => first(&mut h.date),
                11 if CONTENT_MD5.is(b) => first(&mut h.content_md5),
                12 if CONTENT_TYPE.is(b) => first(&mut h.content_type),
                13 if AUTHORIZATION.is(b) => {
                    first(&mut h.authorization);
                    h.authorizations += 1;
                }
                6.. if X_OSS.matches(b) => {
                    if b.len() == 10 && X_OSS_DATE.is(b) {
                        first(&mut h.x_oss_date);
                    }
                    if h.oss_len == MAX_OSS_HEADERS || i > u16::MAX as usize {
                        return None;
                    }
                    h.oss[h.oss_len] = i as u16;
                    h.oss_len += 1;
                    h.oss_name_bytes += n.len();
                }
                _ => {}
            }
        }
        Some(h)
    }
}

impl Headers {
    /// How many `x-oss-*` headers there are.
    pub fn oss_count(&self) -> usize {
        self.oss_len
    }
}

/// One sub-resource: decoded name and value (`None` is written bare).
type Sub<'a> = (&'a str, Option<&'a str>);

/// Insert `sub` into the sorted `out[..n]`, after equal names: a stable sort by
/// name, bytewise (§2.5 "Sort key").
#[inline]
fn insert_sorted<'a>(out: &mut [Sub<'a>], n: usize, sub: Sub<'a>) {
    let mut at = n;
    while at > 0 && out[at - 1].0.as_bytes() > sub.0.as_bytes() {
        out[at] = out[at - 1];
        at -= 1;
    }
    out[at] = sub;
}

/// The sub-resources of the raw query, sorted; `None` when there are too many,
/// or a name or value does not decode (the general path reports it).
/// Names and values that hold nothing to decode are borrowed from the query;
/// the others are decoded into `decoded`, which then holds them.
fn subresources<'a>(
    raw_query: Option<&'a str>,
    opts: &V1Options,
    decoded: &'a mut Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>,
    out: &mut [Sub<'a>; MAX_SUBRESOURCES],
) -> Option<usize> {
    let Some(q) = raw_query else { return Some(0) };
    let space = opts.plus_in_query == PlusMeans::Space;
    // The end of the segment at the start of `b`: the first `&`, unless a byte
    // that needs decoding (`%`, and `+` when it means a space) comes first.
    let stop = |b: &[u8]| {
        if space {
            memchr::memchr3(b'&', b'%', b'+', b)
        } else {
            memchr::memchr2(b'&', b'%', b)
        }
    };
    // §2.5: an empty value is written as the bare name (server; JV1 keeps `=`).
    let bare = |v: Option<&'a str>| match (v, opts.empty_values) {
        (Some(""), EmptyValues::Bare) => None,
        (v, _) => v,
    };
    let mut n = 0;
    // While there is nothing to decode, every name and value is the query's own
    // text; at the first byte to decode, the decoding pass below starts over.
    let mut rest = q;
    let plain = loop {
        let (seg, next) = match stop(rest.as_bytes()) {
            Some(i) if rest.as_bytes()[i] != b'&' => break false,
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        // Empty segments (`a&&b`) are skipped, as `parse_query` does.
        if !seg.is_empty() {
            let (name, value) = match memchr::memchr(b'=', seg.as_bytes()) {
                Some(i) => (&seg[..i], Some(&seg[i + 1..])),
                None => (seg, None),
            };
            // §2.6: only names in the chosen list are signed. (Too many already:
            // the decoding pass would find them too.)
            if opts.subresources.contains(name) {
                if n == MAX_SUBRESOURCES {
                    return None;
                }
                insert_sorted(out, n, (name, bare(value)));
                n += 1;
            }
        }
        match next {
            Some(r) => rest = r,
            None => break true,
        }
    };
    if plain {
        return Some(n);
    }
    n = 0;
    // Every parameter is decoded, signed or not, as the general path's
    // `parse_query` does: one that fails is its error to report.
    for seg in q.split('&').filter(|s| !s.is_empty()) {
        let (rn, rv) = match memchr::memchr(b'=', seg.as_bytes()) {
            Some(i) => (&seg[..i], Some(&seg[i + 1..])),
            None => (seg, None),
        };
        let name = decode(rn, opts.plus_in_query, "").ok()?;
        let value = match rv {
            Some(v) => Some(decode(v, opts.plus_in_query, "").ok()?),
            None => None,
        };
        if opts.subresources.contains(&name) {
            if decoded.len() == MAX_SUBRESOURCES {
                return None;
            }
            decoded.push((name, value));
        }
    }
    let decoded: &'a [(Cow<'a, str>, Option<Cow<'a, str>>)] = decoded;
    for (name, value) in decoded {
        insert_sorted(out, n, (name, bare(value.as_deref())));
        n += 1;
    }
    Some(n)
}

/// The object key, decoded, or as sent in the path (decoded as it is written).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key<'k> {
    /// Already decoded.
    Decoded(&'k str),
    /// Percent-encoded, `+` a plus (OSS paths, oss-signing.md §1.3).
    Raw(&'k str),
}

/// Append the decoded `raw` (percent-decoding as `percent_encoding::percent_decode`
/// does: `%` and two hex digits is a byte, any other `%` stays; `+` kept); `None`
/// when it is not UTF-8, or escapes non-ASCII bytes and is too long for the
/// stack (the general path decodes and reports it).
fn push_decoded(s: &mut String, raw: &str) -> Option<()> {
    let b = raw.as_bytes();
    let Some(first) = memchr::memchr(b'%', b) else {
        s.push_str(raw);
        return Some(());
    };
    // Escapes of ASCII bytes (`%20`, `%2F`: the usual ones) are characters of
    // their own, the text between them is `raw`'s: written straight into `s`
    // with nothing to validate. An escape of a non-ASCII byte (part of a UTF-8
    // sequence, or not) takes the byte buffer below.
    let hex = |c: u8| char::from(c).to_digit(16);
    let mark = s.len();
    // `i` is at a `%`; `from` is where the text not yet written starts.
    let (mut i, mut from) = (first, 0);
    let ascii = loop {
        let escape = match (b.get(i + 1), b.get(i + 2)) {
            (Some(&h), Some(&l)) => hex(h).zip(hex(l)),
            _ => None,
        };
        let mut next = i + 1;
        if let Some((h, l)) = escape {
            let byte = (h * 16 + l) as u8;
            if !byte.is_ascii() {
                break false;
            }
            s.push_str(&raw[from..i]);
            s.push(char::from(byte));
            next = i + 3;
            from = next;
        }
        match memchr::memchr(b'%', &b[next.min(b.len())..]) {
            Some(d) => i = next + d,
            None => break true,
        }
    };
    if ascii {
        s.push_str(&raw[from..]);
        return Some(());
    }
    s.truncate(mark);
    let mut buf = [0u8; 256];
    if b.len() > buf.len() {
        return None;
    }
    buf[..first].copy_from_slice(&b[..first]);
    let (mut i, mut n) = (first, first);
    while i < b.len() {
        let c = b[i];
        if c == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                buf[n] = (h * 16 + l) as u8;
                n += 1;
                i += 3;
                continue;
            }
        }
        buf[n] = c;
        n += 1;
        i += 1;
    }
    s.push_str(std::str::from_utf8(&buf[..n]).ok()?);
    Some(())
}

/// `str::trim`, answered from the two end bytes when neither can start or end
/// white space (`char::is_whitespace`: ASCII space, `\t \n \x0B \x0C \r`, or a
/// non-ASCII character).
pub(super) fn trim(v: &str) -> &str {
    let ws = |c: u8| c >= 0x80 || matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    match v.as_bytes() {
        [first, .., last] if !ws(*first) && !ws(*last) => v,
        _ => v.trim(),
    }
}

/// `a` and `b` compared lower-cased, bytewise (the order of §2.4): bytes that
/// are equal are equal lower-cased, so only the first pair that differs
/// lower-cased decides, else the shorter name comes first.
use crate::encode::cmp_ascii_lowercase as lower_cmp;

/// Write the StringToSign of a header- or URL-form request into `out`, with the
/// same bytes and field names as [`super::string_to_sign_at`]. `None`: a shape
/// left to the general path (nothing useful has been written then).
pub(crate) fn assemble<S: Sink>(
    req: &Request,
    hs: &Headers,
    bucket: Option<&str>,
    key: Key<'_>,
    form: Form,
    opts: &V1Options,
    out: &mut S,
) -> Option<()> {
    if form == Form::Url {
        // The URL form (Expires from the query, §3) stays on the general path.
        return None;
    }
    let mut subs: [Sub<'_>; MAX_SUBRESOURCES] = [("", None); MAX_SUBRESOURCES];
    let mut decoded = Vec::new();
    let nsubs = subresources(req.raw_query(), opts, &mut decoded, &mut subs)?;
    let subs = &subs[..nsubs];
    let value = |i: Option<usize>| -> &str {
        match i {
            Some(i) => {
                let v = req.headers[i].1.as_str();
                // §2.4: header values as the server sees them, trimmed (SDKs may not).
                match opts.header_values {
                    HeaderValues::Trim => trim_ows(v),
                    HeaderValues::Raw => v,
                }
            }
            None => "",
        }
    };
    // §2.3: the Date line is x-oss-date when present (server), else Date.
    let date_idx = match opts.date_source {
        DateSource::XOssDateFirst => hs.x_oss_date.or(hs.date),
        DateSource::DateOnly => hs.date,
    };
    let date = date_idx.map_or("", |i| trim(&req.headers[i].1));
    // §2.2: VERB \n Content-MD5 \n Content-Type \n Date \n.
    let line = |s: &mut String, v: &str| {
        s.push_str(v);
        s.push('\n');
    };
    out.field("verb", |s| line(s, &req.method));
    out.field("content-md5", |s| line(s, value(hs.content_md5)));
    out.field("content-type", |s| line(s, value(hs.content_type)));
    out.field("date", |s| line(s, date));
    // §2.4: x-oss-* headers, lower-cased, sorted bytewise, repeated ones joined
    // (or first / last per the options), each `name:value\n`.
    let mut oss = hs.oss;
    let oss = &mut oss[..hs.oss_len];
    for i in 1..oss.len() {
        // Insertion sort, stable: repeated names keep their order.
        let mut j = i;
        while j > 0
            && lower_cmp(
                &req.headers[oss[j - 1] as usize].0,
                &req.headers[oss[j] as usize].0,
            )
            .is_gt()
        {
            oss.swap(j - 1, j);
            j -= 1;
        }
    }
    let hv = |i: u16| -> &str {
        let v = req.headers[i as usize].1.as_str();
        match opts.header_values {
            HeaderValues::Trim => trim_ows(v),
            HeaderValues::Raw => v,
        }
    };
    let mut k = 0;
    while k < oss.len() {
        let name = req.headers[oss[k] as usize].0.as_str();
        let mut end = k + 1;
        while end < oss.len() && req.headers[oss[end] as usize].0.eq_ignore_ascii_case(name) {
            end += 1;
        }
        let group = &oss[k..end];
        out.self_named("header:", |s| {
            let start = s.len();
            s.push_str(name);
            s[start..].make_ascii_lowercase();
            let name_end = s.len() - start;
            s.push(':');
            match opts.duplicates {
                Duplicates::Join => {
                    for (m, &i) in group.iter().enumerate() {
                        if m > 0 {
                            s.push(',');
                        }
                        s.push_str(hv(i));
                    }
                }
                Duplicates::First => s.push_str(hv(group[0])),
                Duplicates::Last => s.push_str(hv(group[group.len() - 1])),
            }
            s.push('\n');
            0..name_end
        });
        k = end;
    }
    // §2.5: `/`, `/bucket/` or `/bucket/key`, the key decoded.
    let mut key_ok = true;
    out.field("resource", |s| match bucket {
        None => s.push('/'),
        Some(b) => {
            s.push('/');
            s.push_str(b);
            s.push('/');
            match key {
                Key::Decoded(k) => s.push_str(k),
                Key::Raw(k) => key_ok = push_decoded(s, k).is_some(),
            }
        }
    });
    if !key_ok {
        return None;
    }
    for (i, (n, v)) in subs.iter().enumerate() {
        out.self_named("query:", |s| {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(n);
            if let Some(v) = v {
                s.push('=');
                s.push_str(v);
            }
            1..1 + n.len()
        });
    }
    Some(())
}

/// Room for the StringToSign of `req` (text bytes, at least) and for its
/// dynamic field names (`header:` and `query:` names).
pub(crate) fn capacity(
    req: &Request,
    hs: &Headers,
    bucket: Option<&str>,
    key: Key<'_>,
) -> (usize, usize) {
    let key = match key {
        Key::Decoded(k) | Key::Raw(k) => k,
    };
    let text = req.method.len()
        + hs.header_bytes
        + bucket.map_or(0, str::len)
        + key.len()
        + req.target.len()
        + 8;
    let names = hs.oss_name_bytes + 7 * hs.oss_len + req.target.len() + 6 * MAX_SUBRESOURCES;
    (text, names)
}
