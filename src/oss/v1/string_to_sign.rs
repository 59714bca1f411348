//! V1 StringToSign assembly and parse-back (oss-signing.md §2.2, §3).
//!
//! ```text
//! VERB \n Content-MD5 \n Content-Type \n Date|Expires \n CanonicalizedOSSHeaders CanonicalizedResource
//! ```
//! No trailing newline. Fields: `verb`, `content-md5`, `content-type`, `date` or
//! `expires`, `header:<name>` each, `resource`, `query:<name>` each.

use crate::canonical::Canonical;
use std::borrow::Cow;

/// The pieces of a V1 string to sign, already canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// HTTP method as sent.
    pub verb: &'a str,
    /// Content-MD5 value or empty.
    pub content_md5: &'a str,
    /// Content-Type value or empty.
    pub content_type: &'a str,
    /// `date` (header form) or `expires` (URL form).
    pub time_field: &'static str,
    /// The Date / x-oss-date / Expires value.
    pub time_value: &'a str,
    /// Canonical `x-oss-*` headers, sorted.
    pub oss_headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
    /// `/`, `/bucket/` or `/bucket/key`.
    pub resource: &'a str,
    /// Sub-resources, sorted.
    pub subresources: &'a [(&'a str, Option<&'a str>)],
}

/// Build the named-field form; `Display` gives the exact bytes.
pub fn build(p: &Parts<'_>) -> Canonical {
    let bytes = p.verb.len()
        + p.content_md5.len()
        + p.content_type.len()
        + p.time_value.len()
        + p.resource.len()
        + 4
        + p.oss_headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
        + p.subresources
            .iter()
            .map(|(n, v)| n.len() + v.map_or(0, str::len) + 2)
            .sum::<usize>();
    let mut c = Canonical::with_capacity(bytes, 6 + p.oss_headers.len() + p.subresources.len());
    c.reserve_names(
        p.oss_headers
            .iter()
            .map(|(n, _)| n.len() + 7)
            .sum::<usize>()
            + p.subresources
                .iter()
                .map(|(n, _)| n.len() + 6)
                .sum::<usize>(),
    );
    c.push_line("verb", p.verb);
    c.push_line("content-md5", p.content_md5);
    c.push_line("content-type", p.content_type);
    c.push_line(p.time_field, p.time_value);
    for (n, v) in p.oss_headers {
        c.push_named("header:", n, |t| {
            t.push_str(n);
            t.push(':');
            t.push_str(v);
            t.push('\n');
        });
    }
    c.push("resource", p.resource);
    for (i, (n, v)) in p.subresources.iter().enumerate() {
        c.push_named("query:", n, |t| {
            t.push(if i == 0 { '?' } else { '&' });
            t.push_str(n);
            if let Some(v) = v {
                t.push('=');
                t.push_str(v);
            }
        });
    }
    c
}

/// Cut a V1 string to sign (from a server error body or a client log) into the
/// same named fields. `time_field` is `date` or `expires`; `hint` (sigdiff's own
/// view of the request) helps split the resource where a key holds `?` or `&`.
pub fn parse_back(text: &str, time_field: &'static str, hint: Option<&Canonical>) -> Canonical {
    let mut c = Canonical::default();
    let Some(mut rest) = c.push_lines(text, &["verb", "content-md5", "content-type", time_field])
    else {
        return c;
    };
    // Header lines: `name:value\n` where name is an x-oss- header (never starts with '/').
    while let Some(i) = rest.find('\n') {
        let line = &rest[..i];
        let Some((name, _)) = line.split_once(':') else {
            break;
        };
        if name.starts_with('/') || !name.to_ascii_lowercase().starts_with("x-oss-") {
            break;
        }
        c.push(format!("header:{}", name.to_ascii_lowercase()), &rest[..=i]);
        rest = &rest[i + 1..];
    }
    // Resource: prefer sigdiff's own resource path when the text starts with it.
    let split = hint
        .and_then(|h| h.get("resource"))
        .filter(|r| {
            rest.starts_with(r) && matches!(rest.as_bytes().get(r.len()), None | Some(b'?'))
        })
        .map(|r| r.len())
        .or_else(|| rest.find('?'))
        .unwrap_or(rest.len());
    c.push("resource", &rest[..split]);
    let mut sub = &rest[split..];
    if sub.is_empty() {
        return c;
    }
    // Sub-resources: split on '&' but only before a name that is a sub-resource
    // in some list (values are decoded and may hold '&').
    let list = super::subresources::SubresourceList::Union;
    let mut first = true;
    while !sub.is_empty() {
        let body = &sub[1..];
        let mut end = body.len();
        let mut search = 0;
        while let Some(j) = body[search..].find('&') {
            let at = search + j;
            let after = &body[at + 1..];
            let name = after.split(['=', '&']).next().unwrap_or("");
            if list.contains(name) || name.starts_with("x-oss-") {
                end = at;
                break;
            }
            search = at + 1;
        }
        let seg = &sub[..end + 1];
        let name = seg[1..].split('=').next().unwrap_or("");
        c.push(format!("query:{name}"), seg);
        sub = &sub[end + 1..];
        let _ = first;
        first = false;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t1_exact_bytes() {
        // oss-signing.md §9.1 T1 (with the Content-MD5 erratum).
        let hs = vec![
            (Cow::Borrowed("x-oss-magic"), Cow::Borrowed("abracadabra")),
            (
                Cow::Borrowed("x-oss-meta-author"),
                Cow::Borrowed("foo@bar.com"),
            ),
        ];
        let p = Parts {
            verb: "PUT",
            content_md5: "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=",
            content_type: "text/html",
            time_field: "date",
            time_value: "Thu, 17 Nov 2005 18:49:58 GMT",
            oss_headers: &hs,
            resource: "/oss-example/nelson",
            subresources: &[],
        };
        let c = build(&p);
        assert_eq!(
            c.to_string(),
            "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson"
        );
        assert_eq!(parse_back(&c.to_string(), "date", None), c);
    }

    #[test]
    fn parse_back_with_subresources() {
        // oss-signing.md §9.1 T9 string to sign (a value holding '; ' and '=').
        let s = "GET\n\napplication/octet-stream\n1699808204\nx-oss-head1:value\n/bucket/key?response-content-disposition=attachment; filename=example.txt&security-token=token&versionId=versionId";
        let c = parse_back(s, "expires", None);
        assert_eq!(c.to_string(), s);
        let names: Vec<&str> = c.fields().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "verb",
                "content-md5",
                "content-type",
                "expires",
                "header:x-oss-head1",
                "resource",
                "query:response-content-disposition",
                "query:security-token",
                "query:versionId"
            ]
        );
    }

    #[test]
    fn parse_back_value_with_ampersand() {
        let s = "GET\n\n\n1\n/b/k?response-content-disposition=a&b=c&versionId=1";
        let c = parse_back(s, "expires", None);
        assert_eq!(
            c.get("query:response-content-disposition").unwrap(),
            "?response-content-disposition=a&b=c"
        );
        assert_eq!(c.to_string(), s);
    }

    #[test]
    fn parse_back_truncated() {
        // A string cut short: the fields present, nothing invented.
        let c = parse_back("GET\n\n", "date", None);
        assert_eq!(c.to_string(), "GET\n\n");
        assert_eq!(
            c.fields().map(|f| f.name).collect::<Vec<_>>(),
            ["verb", "content-md5"]
        );
        let c = parse_back("GET\n\ntext/pl", "date", None);
        assert_eq!(c.get("content-type"), Some("text/pl"));
    }
}
