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
use super::{canonical_uri, signing_key, string_to_sign, V4Options};
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

/// The `Authorization` value up to the credential, as every SDK writes it (§4.1).
const PREFIX: &str = "OSS4-HMAC-SHA256 Credential=";

/// The `Authorization` header's fields, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth<'a> {
    /// AccessKeyId of the credential.
    pub access_key_id: &'a str,
    /// Its scope.
    pub scope: ScopeRef<'a>,
    /// The AdditionalHeaders list, when the field is there.
    pub additional: Option<&'a str>,
    /// The signature as sent.
    pub signature: &'a str,
}

/// The `Authorization` value in the SDKs' exact form (§4.1: `Credential`,
/// then `AdditionalHeaders` if any, then `Signature`, `,` without spaces), all
/// visible ASCII; the credential as [`super::scope::CredentialRef::parse`]
/// takes it (§4.4: five non-empty parts, an eight-digit date). `None` for any
/// other text, which the general parse reads (or rejects).
pub fn exact_auth(value: &str) -> Option<Auth<'_>> {
    let rest = value.strip_prefix(PREFIX)?;
    // Visible ASCII only: every trim of the general parse changes nothing and
    // no part holds a line break. A fold, no early exit (vectorised).
    if !rest.bytes().fold(true, |ok, c| ok & c.is_ascii_graphic()) {
        return None;
    }
    let comma = |s: &str| s.bytes().position(|c| c == b',');
    let c = comma(rest)?;
    let (credential, after) = (&rest[..c], &rest[c + 1..]);
    let (additional, last) = match after.strip_prefix("AdditionalHeaders=") {
        Some(a) => {
            let c = comma(a)?;
            (Some(&a[..c]), &a[c + 1..])
        }
        None => (None, after),
    };
    let signature = last.strip_prefix("Signature=")?;
    if signature.is_empty() || comma(signature).is_some() {
        return None;
    }
    // `<ak>/<yyyymmdd>/<region>/<product>/<terminator>`: exactly four `/`.
    let mut cuts = [0usize; 4];
    let mut n = 0;
    for (i, &b) in credential.as_bytes().iter().enumerate() {
        if b == b'/' {
            *cuts.get_mut(n)? = i;
            n += 1;
        }
    }
    if n != 4 {
        return None;
    }
    let [a, b, c, d] = cuts;
    let access_key_id = &credential[..a];
    let scope = ScopeRef {
        date: &credential[a + 1..b],
        region: &credential[b + 1..c],
        product: &credential[c + 1..d],
        terminator: &credential[d + 1..],
    };
    let date_ok = scope.date.len() == 8 && scope.date.bytes().all(|b| b.is_ascii_digit());
    if access_key_id.is_empty() || scope.parts().iter().any(|p| p.is_empty()) || !date_ok {
        return None;
    }
    Some(Auth {
        access_key_id,
        scope,
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

/// One signed header: the [`key8`] of its name, the name as sent, the value trimmed.
#[derive(Debug, Clone, Copy, Default)]
struct Line<'a> {
    key: u64,
    name: &'a str,
    value: &'a str,
}

/// The signed headers (§4.3) in signing order, and the raw values of
/// `x-oss-date` and `x-oss-content-sha256`.
struct Headers<'a> {
    lines: [Line<'a>; MAX_HEADERS],
    n: usize,
    date: Option<&'a str>,
    payload: Option<&'a str>,
}

/// `x-oss-` in the top six bytes of a [`key8`].
const X_OSS: u64 = u64::from_be_bytes(*b"x-oss-\0\0");

/// Select the signed headers as [`super::canonical_headers::lines`] does under
/// the default options (values trimmed of spaces and tabs, §4.3, §10 item 11),
/// with `names` the listed ones. `None` when a signed header is sent twice (a
/// join, §10 item 12), a listed one is blank (absent, Q8), or there are many.
fn headers<'a>(req: &'a Request, names: &[&str]) -> Option<Headers<'a>> {
    let mut h = Headers {
        lines: [Line::default(); MAX_HEADERS],
        n: 0,
        date: None,
        payload: None,
    };
    for (n, v) in &req.headers {
        let key = key8(n);
        let default = default_signed(n, key);
        if !default {
            if !names.iter().any(|a| n.eq_ignore_ascii_case(a)) {
                continue;
            }
            // Present means a non-blank value (§4.3); a blank one is left out.
            if v.trim().is_empty() {
                return None;
            }
        }
        let seen = &h.lines[..h.n];
        if seen
            .iter()
            .any(|l| l.key == key && l.name.eq_ignore_ascii_case(n))
        {
            return None;
        }
        if key & !0xffff == X_OSS {
            if n.eq_ignore_ascii_case("x-oss-date") {
                h.date = Some(v);
            } else if n.eq_ignore_ascii_case("x-oss-content-sha256") {
                h.payload = Some(v);
            }
        }
        *h.lines.get_mut(h.n)? = Line {
            key,
            name: n,
            value: crate::encode::trim_ows(v),
        };
        h.n += 1;
    }
    // §4.3: sorted by the lower-case name, bytewise (keys first, ties by the names).
    let order = |a: &Line, b: &Line| {
        a.key
            .cmp(&b.key)
            .then_with(|| cmp_ascii_lowercase(a.name, b.name))
    };
    insertion_sort(&mut h.lines[..h.n], order);
    Some(h)
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
/// options with nothing skipped but empty names; `None` for any other query.
fn pairs(raw: Option<&str>) -> Option<([Pair<'_>; MAX_PAIRS], usize)> {
    let mut out: [Pair<'_>; MAX_PAIRS] = [("", None); MAX_PAIRS];
    let mut n = 0;
    let Some(raw) = raw else {
        return Some((out, 0));
    };
    let b = raw.as_bytes();
    let (mut start, mut eq) = (0, None);
    for i in 0..=b.len() {
        // The end of the text closes the last segment as a `&` would.
        match b.get(i).map_or(2, |&c| CLASS[c as usize]) {
            1 => continue,
            3 if eq.is_none() => {
                eq = Some(i);
                continue;
            }
            2 => {}
            _ => return None,
        }
        // Plain bytes are ASCII: every offset is a character boundary.
        let (s, e) = (start, eq);
        start = i + 1;
        eq = None;
        let (name, value) = match e {
            Some(e) => (&raw[s..e], Some(&raw[e + 1..i])),
            None => (&raw[s..i], None),
        };
        // Empty segments and names are left out (the header form skips ``).
        if name.is_empty() {
            continue;
        }
        // §4.3: an empty value is the bare name (§10 item 6).
        let value = value.filter(|v| !v.is_empty());
        *out.get_mut(n)? = (name, value);
        n += 1;
    }
    // §4.3: sorted by the encoded name, bytewise (values break ties).
    insertion_sort(&mut out[..n], |a, b| {
        (a.0.as_bytes(), a.1.map(str::as_bytes)).cmp(&(b.0.as_bytes(), b.1.map(str::as_bytes)))
    });
    Some((out, n))
}

/// The verdict of [`crate::verify::check`] for a usual V4 header request (see
/// the module documentation); `None` for every other request.
pub fn check(req: &Request, scheme: SchemeId, opts: &VerifyOptions) -> Option<Check> {
    if scheme != SchemeId::OssV4 || opts.oss_v4 != V4Options::default() {
        return None;
    }
    let (raw_path, raw_query) = req.split_target();
    // The address as `locate_raw` finds it: the host names the bucket (§1.3),
    // `--bucket` takes its place.
    let bucket = crate::address::usual_virtual_host(req.host()?, Provider::Oss)?;
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
    let (query, nq) = pairs(raw_query)?;
    let auth = exact_auth(req.header("authorization")?)?;
    let (names, nn) = match auth.additional {
        Some(raw) => listed(raw)?,
        None => ([""; MAX_LISTED], 0),
    };
    let hs = headers(req, &names[..nn])?;
    // §4.2: the StringToSign timestamp is x-oss-date (the default options).
    let timestamp = hs.date?.trim();
    if timestamp.contains('\n') {
        return None;
    }
    // §4.3: the payload line.
    let payload = hs.payload.map_or("UNSIGNED-PAYLOAD", str::trim);
    let scope = auth.scope;
    let digest = crate::scratch::with_text(|text| {
        // §4.3: Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
        // AdditionalHeaders \n HashedPayload. The bucket (lower-case letters,
        // digits, `.`, `-`) and the key are their own encodings.
        for part in [&req.method, "\n/", bucket, "/", key_raw, "\n"] {
            text.push_str(part);
        }
        for (i, (n, v)) in query[..nq].iter().enumerate() {
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
        for l in &hs.lines[..hs.n] {
            header_line(text, l.name, l.value);
        }
        // The list is its own canonical line (`listed`).
        for part in ["\n", auth.additional.unwrap_or(""), "\n", payload] {
            text.push_str(part);
        }
        signing_key::sha256_hex64(text)
    });
    // §4.4: ALGORITHM \n timestamp \n scope \n hex(SHA256(CanonicalRequest)),
    // signed with the key of the credential's scope (§4.5).
    let sign = |secret: &Secret| {
        let sig = signing_key::signature_parts(
            secret,
            scope.date,
            scope.region,
            scope.product,
            &[
                string_to_sign::ALGORITHM.as_bytes(),
                b"\n",
                timestamp.as_bytes(),
                b"\n",
                scope.date.as_bytes(),
                b"/",
                scope.region.as_bytes(),
                b"/",
                scope.product.as_bytes(),
                b"/",
                scope.terminator.as_bytes(),
                b"\n",
                &digest,
            ],
        );
        signing_key::hex_str(&sig).to_string()
    };
    Some(crate::verify::decide(
        scheme,
        auth.access_key_id.to_string(),
        auth.signature.to_string(),
        &opts.secrets,
        sign,
    ))
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
    fn own_canonical_lists() {
        assert_eq!(listed("range").map(|l| l.1), Some(1));
        assert_eq!(listed("abc;zabc").map(|l| (l.0[1], l.1)), Some(("zabc", 2)));
        for other in ["", "b;a", "a;a", "A", "a;", ";a", "host", "a;b;c;d;e;f;g"] {
            assert!(listed(other).is_none(), "{other}");
        }
    }

    #[test]
    fn plain_pairs_sorted() {
        let (p, n) = pairs(Some("versionId=CAEQ&acl&=x&&b=&a=2&a=1")).unwrap();
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
        assert_eq!(pairs(None).unwrap().1, 0);
        assert!(pairs(Some("a=b=c")).is_none() && pairs(Some("a%20b")).is_none());
    }
}
