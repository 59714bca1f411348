//! V4 CanonicalRequest assembly and parse-back (oss-signing.md §4.3).
//!
//! ```text
//! Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders(each `n:v\n`) \n AdditionalHeaders \n HashedPayload
//! ```
//! Fields (each with its separators): `method` (`PUT\n`), `canonical-uri`
//! (`/b/k\n`), `query:<encoded name>` per pair (`a=1`, then `&b=2`, the last
//! one ending in `\n`) or `canonical-query` (`\n`) when there is none,
//! `header:<name>` (`name:value\n`), `additional-headers` (`\n` + list + `\n`:
//! the blank line closing the headers, the list, its line break),
//! `payload-hash` (`UNSIGNED-PAYLOAD`).

use super::canonical_query::Pair;
use crate::canonical::Canonical;

/// The pieces of a canonical request, already canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// HTTP method as sent.
    pub method: &'a str,
    /// Canonical URI.
    pub uri: &'a str,
    /// Canonical query pairs in order (encoded).
    pub query: &'a [Pair],
    /// Canonical headers in order (lower-case names).
    pub headers: &'a [(String, String)],
    /// The AdditionalHeaders line.
    pub additional: &'a str,
    /// `x-oss-content-sha256` or `UNSIGNED-PAYLOAD`.
    pub payload: &'a str,
}

fn with_nl(s: &str) -> String {
    let mut t = String::with_capacity(s.len() + 1);
    t.push_str(s);
    t.push('\n');
    t
}

/// Build the named-field form; `Display` gives the exact bytes.
pub fn build(p: &Parts<'_>) -> Canonical {
    let mut c = Canonical::with_capacity(256, 5 + p.query.len() + p.headers.len());
    c.push("method", with_nl(p.method));
    c.push("canonical-uri", with_nl(p.uri));
    if p.query.is_empty() {
        c.push("canonical-query", "\n");
    }
    let last = p.query.len().saturating_sub(1);
    for (i, (n, v)) in p.query.iter().enumerate() {
        let mut t = String::with_capacity(n.len() + v.as_ref().map_or(0, |v| v.len()) + 2);
        if i > 0 {
            t.push('&');
        }
        t.push_str(n);
        if let Some(v) = v {
            t.push('=');
            t.push_str(v);
        }
        if i == last {
            t.push('\n');
        }
        let mut name = String::with_capacity(6 + n.len());
        name.push_str("query:");
        name.push_str(n);
        c.push(name, t);
    }
    for (n, v) in p.headers {
        let mut t = String::with_capacity(n.len() + v.len() + 2);
        t.push_str(n);
        t.push(':');
        t.push_str(v);
        t.push('\n');
        let mut name = String::with_capacity(7 + n.len());
        name.push_str("header:");
        name.push_str(n);
        c.push(name, t);
    }
    let mut a = String::with_capacity(p.additional.len() + 2);
    a.push('\n');
    a.push_str(p.additional);
    a.push('\n');
    c.push("additional-headers", a);
    c.push("payload-hash", p.payload);
    c
}

/// Cut a canonical request (a server's `<CanonicalRequest>` or a client's log)
/// into the same named fields. Never fails: a truncated text yields the fields
/// it has, and the concatenation is always the input.
pub fn parse_back(text: &str) -> Canonical {
    let mut c = Canonical::default();
    let mut rest = text;
    // Take one line including its `\n`; `None` when no line break is left.
    fn line<'a>(rest: &mut &'a str) -> Option<&'a str> {
        let i = rest.find('\n')?;
        let (l, r) = rest.split_at(i + 1);
        *rest = r;
        Some(l)
    }
    for name in ["method", "canonical-uri"] {
        match line(&mut rest) {
            Some(l) => c.push(name, l),
            None => {
                if !rest.is_empty() {
                    c.push(name, rest);
                }
                return c;
            }
        }
    }
    let Some(q) = line(&mut rest) else {
        if !rest.is_empty() {
            c.push("canonical-query", rest);
        }
        return c;
    };
    if q == "\n" {
        c.push("canonical-query", q);
    } else {
        let body = &q[..q.len() - 1];
        let n = body.split('&').count();
        for (i, seg) in body.split('&').enumerate() {
            let name = seg.split('=').next().unwrap_or("");
            let mut t = String::with_capacity(seg.len() + 2);
            if i > 0 {
                t.push('&');
            }
            t.push_str(seg);
            if i == n - 1 {
                t.push('\n');
            }
            c.push(format!("query:{name}"), t);
        }
    }
    // Header lines until the blank line that closes them.
    loop {
        if rest.starts_with('\n') || rest.is_empty() {
            break;
        }
        match line(&mut rest) {
            Some(l) => {
                let name = l.split(':').next().unwrap_or("").trim_end_matches('\n');
                c.push(format!("header:{}", name.to_ascii_lowercase()), l);
            }
            None => {
                let name = rest.split(':').next().unwrap_or("");
                c.push(format!("header:{}", name.to_ascii_lowercase()), rest);
                return c;
            }
        }
    }
    if rest.is_empty() {
        return c;
    }
    // `\n` + list + `\n`.
    let after_blank = &rest[1..];
    match after_blank.find('\n') {
        Some(i) => {
            c.push("additional-headers", &rest[..i + 2]);
            rest = &rest[i + 2..];
        }
        None => {
            c.push("additional-headers", rest);
            return c;
        }
    }
    if !rest.is_empty() {
        c.push("payload-hash", rest);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// oss-signing.md §9.2 U4 canonical request (derived, reproduces the official signature).
    const U4: &str = "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\nabc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD";
    /// §9.3 E3 (no query, no additional headers).
    const E3: &str = "GET\n/\n\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231203T121212Z\n\n\nUNSIGNED-PAYLOAD";

    fn sv(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn u4_exact_bytes_and_round_trip() {
        let q: Vec<Pair> = vec![
            ("%2Bparam1".into(), Some("value3".into())),
            ("%2Bparam2".into(), None),
            ("%7Cparam1".into(), Some("value4".into())),
            ("%7Cparam2".into(), None),
            ("param1".into(), Some("value1".into())),
            ("param2".into(), None),
        ];
        let h = sv(&[
            ("abc", "value"),
            ("content-type", "text/plain"),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ("x-oss-date", "20231216T172512Z"),
            ("x-oss-head1", "value"),
            ("zabc", "value"),
        ]);
        let c = build(&Parts {
            method: "PUT",
            uri: "/bucket/1234%2B-/123/1.txt",
            query: &q,
            headers: &h,
            additional: "abc;zabc",
            payload: "UNSIGNED-PAYLOAD",
        });
        assert_eq!(c.to_string(), U4);
        assert_eq!(parse_back(U4), c);
        let names: Vec<&str> = c.fields().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "method",
                "canonical-uri",
                "query:%2Bparam1",
                "query:%2Bparam2",
                "query:%7Cparam1",
                "query:%7Cparam2",
                "query:param1",
                "query:param2",
                "header:abc",
                "header:content-type",
                "header:x-oss-content-sha256",
                "header:x-oss-date",
                "header:x-oss-head1",
                "header:zabc",
                "additional-headers",
                "payload-hash"
            ]
        );
    }

    #[test]
    fn e3_empty_query_round_trip() {
        let h = sv(&[
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ("x-oss-date", "20231203T121212Z"),
        ]);
        let c = build(&Parts {
            method: "GET",
            uri: "/",
            query: &[],
            headers: &h,
            additional: "",
            payload: "UNSIGNED-PAYLOAD",
        });
        assert_eq!(c.to_string(), E3);
        assert_eq!(parse_back(E3), c);
        assert_eq!(c.get("canonical-query").unwrap(), "\n");
        assert_eq!(c.get("additional-headers").unwrap(), "\n\n");
    }

    #[test]
    fn no_headers_at_all() {
        let c = build(&Parts {
            method: "GET",
            uri: "/b/k",
            query: &[("a".into(), None)],
            headers: &[],
            additional: "",
            payload: "UNSIGNED-PAYLOAD",
        });
        assert_eq!(c.to_string(), "GET\n/b/k\na\n\n\nUNSIGNED-PAYLOAD");
        assert_eq!(parse_back(&c.to_string()), c);
    }

    #[test]
    fn truncated_texts_keep_their_bytes() {
        for t in [
            "",
            "GET",
            "GET\n/b",
            "GET\n/b\na=1",
            "GET\n/b\na=1\nx-oss-date:1",
            "GET\n/b\n\nx:1\n",
            "GET\n/b\n\n\nhost",
            &U4[..U4.len() - 5],
        ] {
            assert_eq!(parse_back(t).to_string(), t, "{t:?}");
        }
    }
}
