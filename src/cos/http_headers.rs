//! HttpHeaders and HeaderList: which headers take part, and their values
//! (cos-signing.md §2.5, §2.7).

use super::pairs::KeyList;
use crate::request::Request;
use crate::swar::CaseFree;
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

/// Whether a header name is `Host` (ASCII case-insensitive, as `Request::header`
/// compares), by one masked four-byte load.
pub fn is_host(name: &str) -> bool {
    HOST.is(name.as_bytes())
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
#[inline]
pub fn default_kind(name: &str) -> Option<DefaultName> {
    let n = name.as_bytes();
    // One test per name: the four fixed names differ in length (each test
    // written out, so that its loads and masks are constants).
    let fixed = match n.len() {
        4 => HOST.matches(n).then_some(HOST.key()),
        11 => CONTENT_MD5.matches(n).then_some(CONTENT_MD5.key()),
        12 => CONTENT_TYPE.matches(n).then_some(CONTENT_TYPE.key()),
        14 => CONTENT_LENGTH.matches(n).then_some(CONTENT_LENGTH.key()),
        _ => None,
    };
    if let Some(key) = fixed {
        return Some(DefaultName::Fixed(key));
    }
    let prefixed = |p: &CaseFree| n.len() > p.key().len() && p.matches(n);
    (prefixed(&X_COS) || prefixed(&X_CI)).then_some(DefaultName::Prefixed)
}

static HOST: CaseFree = CaseFree::new("host");
static CONTENT_MD5: CaseFree = CaseFree::new("content-md5");
static CONTENT_TYPE: CaseFree = CaseFree::new("content-type");
static CONTENT_LENGTH: CaseFree = CaseFree::new("content-length");
static X_COS: CaseFree = CaseFree::new("x-cos-");
static X_CI: CaseFree = CaseFree::new("x-ci-");

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

    #[test]
    fn is_host_is_eq_ignore_ascii_case() {
        for n in [
            "host", "Host", "HOST", "hOsT", "hosts", "hos", "", "h0st", "Hest", "(ost",
        ] {
            assert_eq!(is_host(n), n.eq_ignore_ascii_case("host"), "{n}");
        }
        // Every four-byte name differing from `host` in one bit of one byte.
        for at in 0..4 {
            for bit in 0..8 {
                let mut b = *b"host";
                b[at] ^= 1 << bit;
                let n = String::from_utf8_lossy(&b).into_owned();
                assert_eq!(is_host(&n), n.eq_ignore_ascii_case("host"), "{n:?}");
            }
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
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn near_misses_are_the_rule(
            name in proptest::sample::select(vec!["host", "Content-MD5", "content-type", "CONTENT-LENGTH", "x-cos-a", "X-Ci-b1"]),
            at in 0usize..16,
            bit in 0u8..7,
        ) {
            // One bit of one byte of a default name flipped (the other case of a
            // letter, `\r` for `-`, its neighbours), staying ASCII.
            let mut b = name.as_bytes().to_vec();
            let at = at % b.len();
            b[at] ^= 1 << bit;
            let name = String::from_utf8(b).unwrap_or_default();
            proptest::prop_assert_eq!(signed_by_default(&name), by_the_letter(&name), "{:?}", name);
        }

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
