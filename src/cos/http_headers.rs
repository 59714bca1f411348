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
    let n = name.as_bytes();
    // Every default name starts with `h`, `c` or `x` (either case): one test rejects the rest.
    if !matches!(n.first().map(|b| b | 0x20), Some(b'h' | b'c' | b'x')) {
        return false;
    }
    let prefixed = |p: &[u8]| n.len() > p.len() && n[..p.len()].eq_ignore_ascii_case(p);
    // One comparison per name: the four fixed names differ in length.
    let fixed: &[u8] = match n.len() {
        4 => b"host",
        11 => b"content-md5",
        12 => b"content-type",
        14 => b"content-length",
        _ => b"",
    };
    (!fixed.is_empty() && n.eq_ignore_ascii_case(fixed))
        || prefixed(b"x-cos-")
        || prefixed(b"x-ci-")
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
