//! HttpHeaders and HeaderList: which headers take part, and their values
//! (cos-signing.md §2.5, §2.7).

use super::pairs::KeyList;
use crate::request::Request;
use serde::{Deserialize, Serialize};

/// Header value whitespace (cos-signing.md §2.5 "Whitespace", §9 Q8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderWhitespace {
    /// Leading/trailing spaces and tabs removed: what the server sees after HTTP
    /// parsing (Java, flare).
    #[default]
    Trim,
    /// Exactly as given (Go, Python, JS).
    Raw,
}

/// `(name as sent, value)` of every header, values trimmed per `ws`; when the
/// request has no `Host` header, the URL authority stands in for it
/// (cos-signing.md §2.7: sign exactly the Host that goes on the wire, port included).
pub fn candidates(req: &Request, ws: HeaderWhitespace) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(req.headers.len() + 1);
    let mut has_host = false;
    for (n, v) in &req.headers {
        has_host |= n.eq_ignore_ascii_case("host");
        let v = match ws {
            // Spaces and tabs at either end (`trim_ows` is `trim_matches([' ', '\t'])`, byte-wise).
            HeaderWhitespace::Trim => crate::encode::trim_ows(v),
            HeaderWhitespace::Raw => v.as_str(),
        };
        out.push((n.as_str(), v));
    }
    if !has_host {
        if let Some(a) = req.authority.as_deref() {
            out.push(("host", a));
        }
    }
    out
}

/// The headers signed by default: `host`, and `content-type`, `content-length`,
/// `content-md5`, every `x-cos-*` / `x-ci-*` when present (DESIGN "JSON request
/// spec", COS: what a bucket in strict signature mode needs, cos-signing.md §7 item 15).
pub fn signed_by_default(name: &str) -> bool {
    default_kind(name).is_some()
}

/// How a header name is signed by default ([`default_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultName {
    /// One of the four fixed names; its canonical key (lower-case, plain).
    Fixed(&'static str),
    /// An `x-cos-*` / `x-ci-*` name.
    Prefixed,
}

/// [`signed_by_default`], saying which rule takes the name (`None`: not signed
/// by default).
pub fn default_kind(name: &str) -> Option<DefaultName> {
    let n = name.as_bytes();
    // The first 16 bytes lower-cased in one block (zero-padded): every default
    // name fits, and so do both prefixes of a longer one.
    let mut b = [0u8; 16];
    let k = n.len().min(16);
    b[..k].copy_from_slice(&n[..k]);
    for c in &mut b {
        *c = c.to_ascii_lowercase();
    }
    let w = u128::from_le_bytes(b);
    // One comparison per name: the four fixed names differ in length.
    let fixed: &'static str = match n.len() {
        4 => "host",
        11 => "content-md5",
        12 => "content-type",
        14 => "content-length",
        _ => "",
    };
    if !fixed.is_empty() && w == padded(fixed.as_bytes()) {
        return Some(DefaultName::Fixed(fixed));
    }
    let prefixed = |p: &[u8]| n.len() > p.len() && w & mask(p.len()) == padded(p);
    (prefixed(b"x-cos-") || prefixed(b"x-ci-")).then_some(DefaultName::Prefixed)
}

/// `s` (at most 16 bytes) as the little-endian `u128` of its zero-padded bytes.
const fn padded(s: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    let mut i = 0;
    while i < s.len() {
        b[i] = s[i];
        i += 1;
    }
    u128::from_le_bytes(b)
}

/// The low `len` bytes of a `u128` (`len` < 16).
const fn mask(len: usize) -> u128 {
    (1u128 << (8 * len)) - 1
}

/// The default signed list for the candidates (encoded, lower-cased, de-duplicated).
pub fn default_list(cands: &[(&str, &str)]) -> Vec<String> {
    default_keys(cands).to_vec()
}

/// [`default_list`] in one buffer.
pub fn default_keys(cands: &[(&str, &str)]) -> KeyList {
    let mut out = KeyList::with_capacity(
        cands.iter().map(|(n, _)| n.len()).sum::<usize>() + 8,
        cands.len() + 1,
    );
    for (n, _) in cands {
        if signed_by_default(n) {
            out.push_name(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        for n in [
            "Host",
            "content-type",
            "Content-Length",
            "CONTENT-MD5",
            "x-cos-acl",
            "X-CI-Foo",
        ] {
            assert!(signed_by_default(n), "{n}");
        }
        for n in [
            "date",
            "user-agent",
            "x-cos-",
            "x-oss-meta-a",
            "range",
            "hosts",
            "content-md",
            "content-typo",
            "",
        ] {
            assert!(!signed_by_default(n), "{n}");
        }
    }

    /// [`signed_by_default`] by the letter of the DESIGN rule.
    fn by_the_letter(name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        ["host", "content-type", "content-length", "content-md5"].contains(&n.as_str())
            || (n.starts_with("x-cos-") && n.len() > 6)
            || (n.starts_with("x-ci-") && n.len() > 5)
    }

    proptest::proptest! {
        #[test]
        fn defaults_are_the_rule(
            name in "(?i)(host|content-(type|length|md5)|x-cos-|x-ci-)?[a-zA-Z0-9\\x00\\r-]{0,3}|[a-z-]{0,20}|.{0,18}"
        ) {
            proptest::prop_assert_eq!(signed_by_default(&name), by_the_letter(&name), "{:?}", name);
            if let Some(DefaultName::Fixed(key)) = default_kind(&name) {
                proptest::prop_assert_eq!(key, name.to_ascii_lowercase());
            }
        }
    }

    #[test]
    fn host_from_authority_and_trim() {
        let r = Request::from_url(
            "GET",
            "http://b-1.cos.ap-beijing.myqcloud.com:8080/k",
            vec![("x-cos-meta-a".into(), "  v \t".into())],
        )
        .unwrap();
        let c = candidates(&r, HeaderWhitespace::Trim);
        assert_eq!(
            c,
            vec![
                ("x-cos-meta-a", "v"),
                ("host", "b-1.cos.ap-beijing.myqcloud.com:8080")
            ]
        );
        assert_eq!(candidates(&r, HeaderWhitespace::Raw)[0].1, "  v \t");
        assert_eq!(default_list(&c), vec!["x-cos-meta-a", "host"]);
    }
}
