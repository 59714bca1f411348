//! The one-pass verdict of the usual OSS V4 header request: what
//! [`crate::verify::check`] tries first for `OSS4-HMAC-SHA256` (through
//! [`super::check`]), before the borrowed general canonicalisation.
//!
//! The usual request: the server's options ([`super::V4Options::default`]),
//! a `--bucket` (if any) of unreserved bytes, a virtual-hosted OSS host
//! ([`crate::address::usual_virtual_host`]), a key sent as its own encoding, a
//! plain query (unreserved bytes, one `=` at most per pair), the
//! `Authorization` header exactly as the SDKs write it (§4.1:
//! `OSS4-HMAC-SHA256 Credential=…[,AdditionalHeaders=…],Signature=…`, visible
//! ASCII, the list lower-case, sorted, unique and without `host`), no signed
//! header sent twice, `x-oss-date` present. Everything is borrowed from the
//! request and kept on the stack; the canonical request (§4.3) goes into the
//! per-thread buffer, is hashed, and the StringToSign (§4.4) is signed in parts
//! without being built. Every other request, and every error, gives `None`:
//! the general path then decides (with its errors). tests/oss_v4_check.rs
//! holds the two to each other.

use super::canonical_headers::{default_signed, key8};
use super::canonical_query::CLASS;
use super::canonical_request::header_line;
use super::scope::ScopeRef;
use super::{canonical_uri, signing_key, V4Options};
use crate::address::Provider;
use crate::encode::cmp_ascii_lowercase;
use crate::request::Request;
use crate::scheme::SchemeId;
use crate::secret::Secret;
use crate::verify::{Check, VerifyOptions};
use std::cmp::Ordering;

/// Signed headers taken on the stack (more: the general path).
const MAX_HEADERS: usize = 16;
/// Query pairs taken on the stack.
const MAX_PAIRS: usize = 12;
/// AdditionalHeaders names taken on the stack.
const MAX_LISTED: usize = 6;

/// The StringToSign's first line (§4.4).
const ALGORITHM_LINE: &[u8] = b"OSS4-HMAC-SHA256\n";

/// The `Authorization` value up to the credential, as every SDK writes it (§4.1).
const PREFIX: &str = "OSS4-HMAC-SHA256 Credential=";

/// The `Authorization` header's fields, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth<'a> {
    /// AccessKeyId of the credential.
    pub access_key_id: &'a str,
    /// Its scope.
    pub scope: ScopeRef<'a>,
    /// The scope's text as sent (`date/region/product/terminator`, §4.4).
    pub scope_text: &'a str,
    /// The AdditionalHeaders list, when the field is there.
    pub additional: Option<&'a str>,
    /// The signature as sent.
    pub signature: &'a str,
}

/// Whether every byte is visible ASCII (`!`..=`~`), eight bytes per step.
fn all_graphic(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut words = s.chunks_exact(8);
    let mut bad = 0u64;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        // Seven-bit sums cannot carry into the next byte: a byte is visible
        // when its low seven bits reach 0x21 but not 0x7f and its top bit is clear.
        let h = x & (0x7f * ONES);
        let from = h + (0x80 - 0x21) * ONES;
        let past = h + ONES; // h + (0x80 - 0x7f) per byte
        bad |= !(from & !past & !x) & (0x80 * ONES);
    }
    bad == 0 && words.remainder().iter().all(u8::is_ascii_graphic)
}

/// The `Authorization` value in the SDKs' exact form (§4.1: `Credential`,
/// then `AdditionalHeaders` if any, then `Signature`, `,` without spaces), all
/// visible ASCII; the credential as [`super::scope::CredentialRef::parse`]
/// takes it (§4.4: five non-empty parts, an eight-digit date). `None` for any
/// other text, which the general parse reads (or rejects).
pub fn exact_auth(value: &str) -> Option<Auth<'_>> {
    let rest = value.strip_prefix(PREFIX)?;
    // Visible ASCII only: every trim of the general parse changes nothing and
    // no part holds a line break.
    if !all_graphic(rest.as_bytes()) {
        return None;
    }
    let find = |s: &str, b: u8| memchr::memchr(b, s.as_bytes());
    let c = find(rest, b',')?;
    let (credential, after) = (&rest[..c], &rest[c + 1..]);
    let (additional, last) = match after.strip_prefix("AdditionalHeaders=") {
        Some(a) => {
            let c = find(a, b',')?;
            (Some(&a[..c]), &a[c + 1..])
        }
        None => (None, after),
    };
    let signature = last.strip_prefix("Signature=")?;
    if signature.is_empty() || find(signature, b',').is_some() {
        return None;
    }
    // `<ak>/<yyyymmdd>/<region>/<product>/<terminator>`: exactly four `/`
    // (none in the eight digits or the terminator), all parts non-empty.
    let a = find(credential, b'/')?;
    let (access_key_id, scope_text) = (&credential[..a], &credential[a + 1..]);
    let date = scope_text.get(..8)?;
    let date_ok = date.bytes().all(|b| b.is_ascii_digit());
    if access_key_id.is_empty() || !date_ok || scope_text.as_bytes().get(8) != Some(&b'/') {
        return None;
    }
    let r = &scope_text[9..];
    let b = find(r, b'/')?;
    let (region, r) = (&r[..b], &r[b + 1..]);
    let c = find(r, b'/')?;
    let (product, terminator) = (&r[..c], &r[c + 1..]);
    let one_more = terminator != signing_key::TERMINATOR && find(terminator, b'/').is_some();
    if region.is_empty() || product.is_empty() || terminator.is_empty() || one_more {
        return None;
    }
    Some(Auth {
        access_key_id,
        scope: ScopeRef {
            date,
            region,
            product,
            terminator,
        },
        scope_text,
        additional,
        signature,
    })
}

/// The names of a received AdditionalHeaders list when it is already its own
/// canonical line (§4.3: lower-case, strictly increasing, no empty element),
/// without `host` (whose value may come from the URL); `None` otherwise.
fn listed(raw: &str) -> Option<([&str; MAX_LISTED], usize)> {
    let mut names = [""; MAX_LISTED];
    let mut n = 0;
    let mut prev: Option<&str> = None;
    for name in raw.split(';') {
        let plain = !name.is_empty() && !name.bytes().any(|b| b.is_ascii_uppercase());
        if !plain || name == "host" || prev.is_some_and(|p| p >= name) {
            return None;
        }
        *names.get_mut(n)? = name;
        n += 1;
        prev = Some(name);
    }
    Some((names, n))
}

/// The signed headers (§4.3) in signing order, each as the [`key8`] of its
/// name and its index in the request, and the raw values of `x-oss-date` and
/// `x-oss-content-sha256`.
struct Headers<'a> {
    order: [(u64, usize); MAX_HEADERS],
    n: usize,
    date: Option<&'a str>,
    payload: Option<&'a str>,
}

impl Headers<'_> {
    /// None selected yet.
    fn new() -> Self {
        Headers {
            order: [(0, 0); MAX_HEADERS],
            n: 0,
            date: None,
            payload: None,
        }
    }
}

/// `x-oss-` in the top six bytes of a [`key8`].
const X_OSS: u64 = u64::from_be_bytes(*b"x-oss-\0\0");

/// Select the signed headers as [`super::canonical_headers::lines`] does under
/// the default options, with `names` the listed ones. `None` when a signed
/// header is sent twice (a join, §10 item 12), a listed one is blank (absent,
/// Q8), or there are many.
fn headers<'a>(req: &'a Request, names: &[&str], h: &mut Headers<'a>) -> Option<()> {
    let all = &req.headers;
    for (i, (n, v)) in all.iter().enumerate() {
        let key = key8(n);
        if !default_signed(n, key) {
            if !names.iter().any(|a| n.eq_ignore_ascii_case(a)) {
                continue;
            }
            // Present means a non-blank value (§4.3); a blank one is left out.
            if trim(v).is_empty() {
                return None;
            }
        } else if key & !0xffff == X_OSS {
            if n.len() == 10 && n.eq_ignore_ascii_case("x-oss-date") {
                h.date = Some(v);
            } else if n.len() == 20 && n.eq_ignore_ascii_case("x-oss-content-sha256") {
                h.payload = Some(v);
            }
        }
        *h.order.get_mut(h.n)? = (key, i);
        h.n += 1;
    }
    // §4.3: sorted by the lower-case name, bytewise (keys first, ties by the names).
    insertion_sort(&mut h.order[..h.n], |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| cmp_ascii_lowercase(&all[a.1].0, &all[b.1].0))
    });
    // A name sent twice (in any case) sorts next to itself: repeated headers
    // are joined (§10 item 12), the general path's business.
    let order = &h.order[..h.n];
    let repeated = order
        .windows(2)
        .any(|w| w[0].0 == w[1].0 && all[w[0].1].0.eq_ignore_ascii_case(&all[w[1].1].0));
    (!repeated).then_some(())
}

/// `str::trim`, without the Unicode tables when both ends are visible ASCII.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// A stable insertion sort (the lists are short and mostly in order already).
fn insertion_sort<T: Copy>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &x) == Ordering::Greater {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// One canonical query pair, borrowed from the wire: name and value (`None`: bare).
type Pair<'a> = (&'a str, Option<&'a str>);

/// The canonical pairs of a plain raw query (unreserved bytes, `&`, one `=` at
/// most per pair: its own decoding and encoding, §1.2, §4.3) in signing order,
/// as [`super::canonical_query::Query::from_raw`] gives them under the default
/// options with nothing skipped but empty names, written into `out`: their
/// number, or `None` for any other query (or more pairs than `out` holds).
fn pairs<'a>(raw: Option<&'a str>, out: &mut [Pair<'a>; MAX_PAIRS]) -> Option<usize> {
    let Some(raw) = raw else {
        return Some(0);
    };
    let mut n = 0;
    // One segment `raw[start..end]`, its `=` at `eq` if any.
    let mut push = |start: usize, eq: Option<usize>, end: usize| {
        // Plain bytes are ASCII: every offset is a character boundary.
        let (name, value) = match eq {
            Some(e) => (&raw[start..e], Some(&raw[e + 1..end])),
            None => (&raw[start..end], None),
        };
        // Empty segments and names are left out (the header form skips ``);
        // §4.3: an empty value is the bare name (§10 item 6).
        if !name.is_empty() {
            *out.get_mut(n)? = (name, value.filter(|v| !v.is_empty()));
            n += 1;
        }
        Some(())
    };
    let (mut start, mut eq) = (0, None);
    for (i, &c) in raw.as_bytes().iter().enumerate() {
        match CLASS[c as usize] {
            1 => {}
            3 if eq.is_none() => eq = Some(i),
            2 => {
                push(start, eq, i)?;
                start = i + 1;
                eq = None;
            }
            _ => return None,
        }
    }
    push(start, eq, raw.len())?;
    // §4.3: sorted by the encoded name, bytewise (values break ties).
    insertion_sort(&mut out[..n], |a, b| {
        (a.0.as_bytes(), a.1.map(str::as_bytes)).cmp(&(b.0.as_bytes(), b.1.map(str::as_bytes)))
    });
    Some(n)
}

/// The verdict of [`crate::verify::check`] for a usual V4 header request (see
/// the module documentation); `None` for every other request.
pub fn check<'r>(req: &'r Request, scheme: SchemeId, opts: &VerifyOptions) -> Option<Check<'r>> {
    if scheme != SchemeId::OssV4 || opts.oss_v4 != V4Options::default() {
        return None;
    }
    let (raw_path, raw_query) = req.split_target();
    // The first `Host` and `Authorization` headers in one pass (what
    // `Request::host` and `Request::header` find).
    let (mut host, mut authorization) = (None, None);
    for (n, v) in &req.headers {
        match n.len() {
            4 if host.is_none() && n.eq_ignore_ascii_case("host") => host = Some(v),
            13 if authorization.is_none() && n.eq_ignore_ascii_case("authorization") => {
                authorization = Some(v)
            }
            _ => {}
        }
    }
    let host = host
        .map(|h| crate::encode::trim_ows(h))
        .or(req.authority.as_deref())?;
    // The address as `locate_raw` finds it: the host names the bucket (§1.3),
    // `--bucket` takes its place.
    let bucket = crate::address::usual_virtual_host(host, Provider::Oss)?;
    let bucket = match opts.bucket.as_deref() {
        // Written into the canonical URI encoded with `/` kept (§4.3): as it is
        // when it holds nothing else.
        Some(hint)
            if hint
                .bytes()
                .all(|c| crate::encode::is_unreserved(c) || c == b'/') =>
        {
            hint
        }
        Some(_) => return None,
        None => bucket,
    };
    let key_raw = raw_path.strip_prefix('/')?;
    // §1.2, §4.3: a key sent as its own encoding is copied into the canonical URI.
    if !canonical_uri::is_own_encoding(key_raw) {
        return None;
    }
    let mut query = [("", None); MAX_PAIRS];
    let nq = pairs(raw_query, &mut query)?;
    let auth = exact_auth(authorization?)?;
    let (names, nn) = match auth.additional {
        Some(raw) => listed(raw)?,
        None => ([""; MAX_LISTED], 0),
    };
    let mut hs = Headers::new();
    headers(req, &names[..nn], &mut hs)?;
    // §4.2: the StringToSign timestamp is x-oss-date (the default options).
    let timestamp = trim(hs.date?);
    if timestamp.bytes().any(|b| b == b'\n') {
        return None;
    }
    // §4.3: the payload line.
    let payload = hs.payload.map_or("UNSIGNED-PAYLOAD", trim);
    let scope = auth.scope;
    let digest = crate::scratch::with_text(|text| {
        // §4.3: Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
        // AdditionalHeaders \n HashedPayload. The bucket (lower-case letters,
        // digits, `.`, `-`) and the key are their own encodings.
        for part in [&req.method, "\n/", bucket, "/", key_raw, "\n"] {
            text.push_str(part);
        }
        write_query(text, &query[..nq]);
        // §4.3: values trimmed of spaces and tabs (§10 item 11).
        for &(_, i) in &hs.order[..hs.n] {
            let (n, v) = &req.headers[i];
            header_line(text, n, crate::encode::trim_ows(v));
        }
        // The list is its own canonical line (`listed`).
        for part in ["\n", auth.additional.unwrap_or(""), "\n", payload] {
            text.push_str(part);
        }
        signing_key::sha256_hex64(text)
    });
    // §4.4: ALGORITHM \n timestamp \n scope \n hex(SHA256(CanonicalRequest)),
    // signed with the key of the credential's scope (§4.5).
    let parts: [&[u8]; 6] = [
        ALGORITHM_LINE,
        timestamp.as_bytes(),
        b"\n",
        auth.scope_text.as_bytes(),
        b"\n",
        &digest,
    ];
    let sign = |secret: &Secret| signing_key::scope_signature(secret, &scope, &parts);
    Some(crate::verify::decide(
        scheme,
        auth.access_key_id,
        auth.signature,
        &opts.secrets,
        sign,
    ))
}

/// The canonical request (§4.3) and the StringToSign (§4.4) of a header request
/// [`super::sign`] signs, as exact texts, for the usual request: the server's
/// options, a plain query, no repeated signed header, `listed` (the sorted
/// AdditionalHeaders names, `line` their line) without `host`, and texts that
/// the stages' parse-backs ([`super::canonical_request::parse_back`],
/// [`super::string_to_sign::parse_back`]) cut into the fields the general
/// assembly names: no line break in a signed header's value, the timestamp or
/// the scope, no `:` in a signed header's name, a payload line. `None` for every other
/// request (the general assembly then writes the stages).
pub(crate) fn sign_stages(
    req: &Request,
    addr: &crate::address::Address,
    listed: &[String],
    line: &str,
    timestamp: &str,
    scope: ScopeRef<'_>,
    opts: &V4Options,
) -> Option<(String, String)> {
    if *opts != V4Options::default() {
        return None;
    }
    let mut names = [""; MAX_LISTED];
    for (slot, n) in names.iter_mut().zip(listed) {
        *slot = n;
    }
    if listed.len() > MAX_LISTED || listed.iter().any(|n| n == "host") {
        return None;
    }
    let mut query = [("", None); MAX_PAIRS];
    let nq = pairs(req.split_target().1, &mut query)?;
    let mut hs = Headers::new();
    headers(req, &names[..listed.len()], &mut hs)?;
    let has = |t: &str, c: u8| crate::swar::has_byte(t.as_bytes(), c);
    if has(timestamp, b'\n') || scope.parts().iter().any(|p| has(p, b'\n')) {
        return None;
    }
    let payload = hs.payload.map_or("UNSIGNED-PAYLOAD", trim);
    // An empty payload line is no field of the parse-back.
    if payload.is_empty() {
        return None;
    }
    // Room for the whole text (the key's encoding may still grow it).
    let headers_len: usize = hs.order[..hs.n]
        .iter()
        .map(|&(_, i)| req.headers[i].0.len() + req.headers[i].1.len() + 2)
        .sum();
    let room = req.method.len()
        + addr.bucket.as_deref().map_or(0, str::len)
        + addr.key.len() * 3 / 2
        + req.target.len()
        + headers_len
        + line.len()
        + payload.len()
        + 8;
    let cr = {
        let mut cr = String::with_capacity(room);
        let text = &mut cr;
        text.push_str(&req.method);
        text.push('\n');
        // §4.3: the decoded key encoded once (as the general assembly writes it).
        canonical_uri::write(text, addr.bucket.as_deref(), &addr.key);
        text.push('\n');
        write_query(text, &query[..nq]);
        for &(_, i) in &hs.order[..hs.n] {
            let (n, v) = &req.headers[i];
            if has(n, b':') {
                return None;
            }
            header_line(text, n, crate::encode::trim_ows(v));
        }
        for part in ["\n", line, "\n", payload] {
            text.push_str(part);
        }
        // Line breaks only where the assembly puts them: method, URI, query,
        // each header, the blank line and the list's (the payload line is
        // the last field whatever it holds).
        let breaks = text.len() - payload.len();
        // (memchr's vectorised count.)
        let breaks = memchr::memchr_iter(b'\n', &text.as_bytes()[..breaks]).count();
        if breaks != hs.n + 5 {
            return None;
        }
        cr
    };
    let digest = signing_key::sha256_hex64(&cr);
    // §4.4: ALGORITHM \n timestamp \n scope \n hex(SHA256(CanonicalRequest)).
    let mut sts = String::with_capacity(ALGORITHM_LINE.len() + timestamp.len() + scope.len() + 66);
    sts.push_str(super::string_to_sign::ALGORITHM);
    sts.push('\n');
    sts.push_str(timestamp);
    sts.push('\n');
    scope.write(&mut sts);
    sts.push('\n');
    sts.push_str(signing_key::hex_str(&digest));
    Some((cr, sts))
}

/// The canonical query line (§4.3): the pairs `&`-joined, then `\n`.
fn write_query(text: &mut String, pairs: &[Pair<'_>]) {
    for (i, (n, v)) in pairs.iter().enumerate() {
        if i > 0 {
            text.push('&');
        }
        text.push_str(n);
        if let Some(v) = v {
            text.push('=');
            text.push_str(v);
        }
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_authorization() {
        // §4.1 as GO2/PY2/JV1/JS write it (the §9.2 U1 credential).
        let a = exact_auth("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=e21d").unwrap();
        assert_eq!(a.access_key_id, "ak");
        assert_eq!(a.scope.region, "cn-hangzhou");
        assert_eq!(a.additional, Some("abc;zabc"));
        assert_eq!(a.signature, "e21d");
        let a = exact_auth(
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e2",
        )
        .unwrap();
        assert_eq!((a.additional, a.signature), (None, "e2"));
        // PY1's `, ` and its AdditionalHeaders last, spaces, missing or empty
        // parts, a bad date: the general parse's business.
        for other in [
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e2,AdditionalHeaders=a",
            "OSS4-HMAC-SHA256  Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request",
            "OSS4-HMAC-SHA256 Credential=/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/2023121/cn-hangzhou/oss/aliyun_v4_request,Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/20231216//oss/aliyun_v4_request,Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request/x,Signature=e2",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e2 ",
        ] {
            assert_eq!(exact_auth(other), None, "{other}");
        }
    }

    #[test]
    fn visible_ascii_and_the_algorithm_line() {
        for c in 0..=255u8 {
            for at in [0, 5, 8, 13] {
                let mut t = *b"abcdefghijklmnop";
                t[at] = c;
                assert_eq!(all_graphic(&t), c.is_ascii_graphic(), "{c} at {at}");
            }
        }
        assert_eq!(
            ALGORITHM_LINE,
            format!("{}\n", super::super::string_to_sign::ALGORITHM).as_bytes()
        );
    }

    #[test]
    fn own_canonical_lists() {
        assert_eq!(listed("range").map(|l| l.1), Some(1));
        assert_eq!(listed("abc;zabc").map(|l| (l.0[1], l.1)), Some(("zabc", 2)));
        for other in ["", "b;a", "a;a", "A", "a;", ";a", "host", "a;b;c;d;e;f;g"] {
            assert!(listed(other).is_none(), "{other}");
        }
    }

    #[test]
    fn plain_pairs_sorted() {
        let mut p = [("", None); MAX_PAIRS];
        let n = pairs(Some("versionId=CAEQ&acl&=x&&b=&a=2&a=1"), &mut p).unwrap();
        assert_eq!(
            &p[..n],
            [
                ("a", Some("1")),
                ("a", Some("2")),
                ("acl", None),
                ("b", None),
                ("versionId", Some("CAEQ"))
            ]
        );
        assert_eq!(pairs(None, &mut p), Some(0));
        assert_eq!(pairs(Some("a=b=c"), &mut p), None);
        assert_eq!(pairs(Some("a%20b"), &mut p), None);
        let (many, most) = ("a&".repeat(MAX_PAIRS + 1), "a&".repeat(MAX_PAIRS));
        let mut q = [("", None); MAX_PAIRS];
        assert_eq!(pairs(Some(&many), &mut q), None);
        assert_eq!(pairs(Some(&most), &mut q), Some(MAX_PAIRS));
    }

    mod sign {
        //! [`super::super::sign_stages`] (what `v4::sign` hands back as texts,
        //! cut into fields on first use) against the general assembly, on
        //! drawn header requests: the same signature and request, the same
        //! stage texts, and the deferred stages' fields (cut by the
        //! parse-backs) equal to the eagerly built ones.

        use super::super::super::{sign_with, Form, V4Options};
        use crate::address::{resolve, Provider};
        use crate::input::spec::RequestSpec;
        use crate::secret::{Credentials, Secret};
        use crate::Request;
        use proptest::prelude::*;

        fn pick<T: Clone + std::fmt::Debug + 'static>(v: Vec<T>) -> impl Strategy<Value = T> {
            proptest::sample::select(v)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn one_pass_stages_are_the_general_ones(
                host in pick(vec![
                    "examplebucket.oss-cn-hangzhou.aliyuncs.com",
                    "examplebucket.oss-cn-hangzhou.aliyuncs.com",
                    "examplebucket.oss-cn-hangzhou.aliyuncs.com",
                    "oss-cn-hangzhou.aliyuncs.com",
                    "img.example.com",
                ]),
                path in proptest::collection::vec(pick(vec!["a", "/", "%20", "+", "%E4%B8%AD", "~", "*"]), 0..4),
                query in proptest::collection::vec(
                    (pick(vec!["acl", "acl", "versionId", "versionId", "B", "", "a%2F", "x", "x"]),
                     pick(vec![None, None, Some(""), Some("v"), Some("v"), Some("v"), Some("a+b"), Some("x=y"), Some("%41")])),
                    0..4,
                ),
                headers in proptest::collection::vec(
                    (pick(vec!["Content-Type", "content-md5", "x-oss-meta-a", "X-OSS-META-B", "Range",
                               "User-Agent", "x-oss-date", "X-Oss-Content-Sha256", "x-oss-a:b", "Host"]),
                     pick(vec!["v", "v", "v", " padded\t", "", "a\nb", "中文", "20231203T121212Z", "a:b"])),
                    0..6,
                ),
                list in proptest::option::of(proptest::collection::vec(
                    pick(vec!["range", "range", "Range", "user-agent", "user-agent", "host", "absent", "a\nb", "a:b", "x-oss-meta-a"]),
                    0..4,
                )),
                token in any::<bool>(),
                region in pick(vec!["cn-hangzhou", "cn-hangzhou", "a\nb"]),
                fast_opts in proptest::bool::weighted(0.8),
                repeats in proptest::bool::weighted(0.2),
            ) {
                // Mostly one header per name (a repeated signed one is the general path's).
                let mut headers = headers;
                if !repeats {
                    let mut seen = Vec::new();
                    headers.retain(|(n, _)| {
                        let l = n.to_ascii_lowercase();
                        let new = !seen.contains(&l);
                        seen.push(l);
                        new
                    });
                }
                let target: String = format!("/{}", path.concat());
                let q: Vec<String> = query
                    .iter()
                    .map(|(n, v)| match v {
                        Some(v) => format!("{n}={v}"),
                        None => n.to_string(),
                    })
                    .collect();
                let url = match q.is_empty() {
                    true => format!("https://{host}{target}"),
                    false => format!("https://{host}{target}?{}", q.join("&")),
                };
                let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
                let Ok(req) = Request::from_url("PUT", &url, headers) else {
                    return Ok(());
                };
                let Ok(addr) = resolve(&req, Provider::Oss, Some("examplebucket")) else {
                    return Ok(());
                };
                let spec = RequestSpec {
                    region: Some(region.to_string()),
                    additional_headers: list.map(|l| l.iter().map(|n| n.to_string()).collect()),
                    ..Default::default()
                };
                let creds = Credentials {
                    access_key_id: "LTAI5tExampleAK".into(),
                    secret: Secret::new("sk"),
                    security_token: token.then(|| "CAIS+token/with=chars".to_string()),
                };
                let opts = match fast_opts {
                    true => V4Options::default(),
                    false => V4Options { header_values: crate::oss::v1::HeaderValues::Raw, ..Default::default() },
                };
                let sign = |fast| {
                    sign_with(req.clone(), &addr, Form::Header, &creds, (1_701_605_532, 3600), &spec, &opts, fast)
                };
                match (sign(true), sign(false)) {
                    (Ok(a), Ok(b)) => {
                        prop_assert_eq!(&a.signature, &b.signature);
                        prop_assert_eq!(&a.request, &b.request);
                        prop_assert_eq!(a.stages.len(), b.stages.len());
                        for ((sa, ca), (sb, cb)) in a.stages.iter().zip(&b.stages) {
                            prop_assert_eq!(sa, sb);
                            prop_assert_eq!(ca.as_str(), cb.as_str());
                            let fa: Vec<_> = ca.fields().map(|f| (f.name.to_string(), f.text.to_string())).collect();
                            let fb: Vec<_> = cb.fields().map(|f| (f.name.to_string(), f.text.to_string())).collect();
                            prop_assert_eq!(fa, fb);
                            prop_assert_eq!(ca, cb);
                        }
                    }
                    (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => prop_assert!(false, "fast {:?} vs general {:?}", a.map(|s| s.signature), b.map(|s| s.signature)),
                }
            }
        }
    }
}
