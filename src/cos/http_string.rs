//! HttpString (the server's `<FormatString>`): assembly and parse-back
//! (cos-signing.md §2.1, §5).
//!
//! ```text
//! lower(Method) \n UriPathname \n HttpParameters \n HttpHeaders \n
//! ```
//! Fields (each carries its separators, so the concatenation is the exact text):
//! `method` (`get\n`), `path` (`/k\n`), one `query:<key>` per pair (`acl=`, then
//! `&versionid=1`), `query-end` (`\n`), one `header:<key>` per pair, `header-end`
//! (`\n`). `<key>` is the encoded, lower-cased key as it appears in the text.

use super::pairs::{Pair, Selection};
use crate::canonical::Canonical;

/// Where an HttpString is written: a [`Canonical`] (named fields, for sign's
/// stages, reports and diffs) or a bare `String` (the verdict alone). The same
/// assembly writes both, so the bytes are the same.
pub trait Sink {
    /// A field with a fixed name.
    fn field(&mut self, name: &'static str, write: impl FnOnce(&mut String));
    /// A field named `prefix` + `key` (`header:` + `content-type`).
    fn named(&mut self, prefix: &str, key: &str, write: impl FnOnce(&mut String));
}

impl Sink for Canonical {
    fn field(&mut self, name: &'static str, write: impl FnOnce(&mut String)) {
        self.push_with(name, write);
    }
    fn named(&mut self, prefix: &str, key: &str, write: impl FnOnce(&mut String)) {
        self.push_named(prefix, key, write);
    }
}

impl Sink for String {
    fn field(&mut self, _: &'static str, write: impl FnOnce(&mut String)) {
        write(self);
    }
    fn named(&mut self, _: &str, _: &str, write: impl FnOnce(&mut String)) {
        write(self);
    }
}

/// Build the HttpString. `path` is the decoded UriPathname (cos-signing.md §2.6);
/// the pairs are in signing order.
pub fn build(method: &str, path: &str, params: Vec<Pair<'_>>, headers: Vec<Pair<'_>>) -> Canonical {
    let bytes: usize = params
        .iter()
        .chain(&headers)
        .map(|p| p.kv().len() + 1)
        .sum();
    let mut c = Canonical::with_capacity(
        method.len() + path.len() + bytes + 4,
        4 + params.len() + headers.len(),
    );
    assemble(
        &mut c,
        method,
        path,
        params.iter().map(|p| (p.key(), p.kv())),
        headers.iter().map(|p| (p.key(), p.kv())),
    );
    c
}

/// Bytes of the HttpString of these parts (what [`write_selected`] writes).
pub fn selected_len(
    method: &str,
    path: &str,
    params: &Selection<'_>,
    headers: &Selection<'_>,
) -> usize {
    method.len() + path.len() + params.text_len() + headers.text_len() + 4
}

/// [`build`] from the canonicalisation's selections, written straight into the
/// HttpString's buffer.
pub fn build_selected(
    method: &str,
    path: &str,
    params: &Selection<'_>,
    headers: &Selection<'_>,
) -> Canonical {
    let mut c = Canonical::with_capacity(
        selected_len(method, path, params, headers),
        4 + params.len() + headers.len(),
    );
    c.reserve_names(
        params.len() * "query:".len()
            + headers.len() * "header:".len()
            + params.key_bytes()
            + headers.key_bytes(),
    );
    write_selected(&mut c, method, path, params, headers);
    c
}

/// The HttpString of the selections into any [`Sink`].
pub fn write_selected<S: Sink>(
    sink: &mut S,
    method: &str,
    path: &str,
    params: &Selection<'_>,
    headers: &Selection<'_>,
) {
    assemble(
        sink,
        method,
        path,
        params.iter().map(|p| (p.key(), p.kv())),
        headers.iter().map(|p| (p.key(), p.kv())),
    );
}

fn assemble<'p, 'h, S: Sink>(
    sink: &mut S,
    method: &str,
    path: &str,
    params: impl Iterator<Item = (&'p str, &'p str)>,
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) {
    method_and_path(sink, method, path);
    section(sink, "query", params);
    section(sink, "header", headers);
}

/// The HttpString's first two lines, `lower(Method)\n` and `UriPathname\n`
/// (§2.1), as the `method` and `path` fields.
pub(super) fn method_and_path<S: Sink>(sink: &mut S, method: &str, path: &str) {
    // §2.1: lower(Method).
    sink.field("method", |t| {
        let start = t.len();
        t.push_str(method);
        t[start..].make_ascii_lowercase();
        t.push('\n');
    });
    sink.field("path", |t| {
        t.push_str(path);
        t.push('\n');
    });
}

/// `k=v&k2=v2` then `\n` (§2.1: empty sections keep their newline).
fn section<'x, S: Sink>(
    sink: &mut S,
    prefix: &str,
    pairs: impl Iterator<Item = (&'x str, &'x str)>,
) {
    let field_prefix = if prefix == "query" {
        "query:"
    } else {
        "header:"
    };
    for (i, (key, kv)) in pairs.enumerate() {
        sink.named(field_prefix, key, |t| {
            if i > 0 {
                t.push('&');
            }
            t.push_str(kv);
        });
    }
    sink.field(end_name(prefix), |t| t.push('\n'));
}

fn end_name(prefix: &str) -> &'static str {
    if prefix == "query" {
        "query-end"
    } else {
        "header-end"
    }
}

/// [`parse_back`] without a hint: the cutter of an HttpString held as text
/// (`Canonical::deferred`).
pub fn cut(text: &str) -> Canonical {
    parse_back(text, None)
}

/// Cut an HttpString from elsewhere (the server's `<FormatString>`, already
/// XML-unescaped; a client's log) into the same fields. `hint` (sigdiff's own
/// HttpString) lets a path holding a line break be cut where sigdiff cut it.
/// Text after the fourth line, if any, becomes a `trailing` field.
pub fn parse_back(text: &str, hint: Option<&Canonical>) -> Canonical {
    let mut c = Canonical::default();
    let mut rest = text;
    // method
    match rest.find('\n') {
        Some(i) => {
            c.push("method", &rest[..=i]);
            rest = &rest[i + 1..];
        }
        None => {
            c.push("method", rest);
            return c;
        }
    }
    // path: prefer sigdiff's own cut when the text has it.
    let cut = hint
        .and_then(|h| h.get("path"))
        .filter(|p| rest.starts_with(*p))
        .map(|p| p.len())
        .or_else(|| rest.find('\n').map(|i| i + 1));
    match cut {
        Some(n) => {
            c.push("path", &rest[..n]);
            rest = &rest[n..];
        }
        None => {
            c.push("path", rest);
            return c;
        }
    }
    for prefix in ["query", "header"] {
        let (line, ended) = match rest.find('\n') {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        if !line.is_empty() {
            for (i, seg) in line.split('&').enumerate() {
                let key = seg.split_once('=').map_or(seg, |(k, _)| k);
                let t = if i == 0 {
                    seg.to_string()
                } else {
                    format!("&{seg}")
                };
                c.push(format!("{prefix}:{key}"), t);
            }
        }
        if !ended {
            return c;
        }
        c.push(end_name(prefix), "\n");
        rest = &rest[line.len() + 1..];
    }
    if !rest.is_empty() {
        c.push("trailing", rest);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::super::pairs::pair;
    use super::*;

    #[test]
    fn v2_exact_bytes() {
        // cos-signing.md §6 V2.
        let params = vec![
            pair("response-cache-control", "max-age=600"),
            pair("response-content-type", "application/octet-stream"),
        ];
        let headers = vec![
            pair("date", "Thu, 16 May 2019 06:55:53 GMT"),
            pair(
                "host",
                "examplebucket-1250000000.cos.ap-beijing.myqcloud.com",
            ),
        ];
        let c = build("GET", "/exampleobject(腾讯云)", params, headers);
        let want = "get\n/exampleobject(腾讯云)\nresponse-cache-control=max-age%3D600&response-content-type=application%2Foctet-stream\ndate=Thu%2C%2016%20May%202019%2006%3A55%3A53%20GMT&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n";
        assert_eq!(c.to_string(), want);
        let names: Vec<&str> = c.fields().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "method",
                "path",
                "query:response-cache-control",
                "query:response-content-type",
                "query-end",
                "header:date",
                "header:host",
                "header-end"
            ]
        );
        assert_eq!(parse_back(want, None), c);
        assert_eq!(parse_back(want, Some(&c)), c);
    }

    #[test]
    fn build_selected_is_build() {
        use super::super::pairs::{select, selection, Repeated, Sort};
        let q = [("b", "2"), ("A", "x/y")];
        let h = [("Host", "h:80"), ("x-cos-meta-a", "v w")];
        let (ql, hl) = (
            vec!["a".to_string(), "b".to_string()],
            vec!["host".to_string(), "x-cos-meta-a".to_string()],
        );
        let old = build(
            "PUT",
            "/k",
            select(&q, &ql, Repeated::All, Sort::EncodedKey).pairs,
            select(&h, &hl, Repeated::All, Sort::EncodedKey).pairs,
        );
        let new = build_selected(
            "PUT",
            "/k",
            &selection(&q, &ql, Repeated::All, Sort::EncodedKey),
            &selection(&h, &hl, Repeated::All, Sort::EncodedKey),
        );
        assert_eq!(new, old);
        assert_eq!(
            new.as_str(),
            "put\n/k\na=x%2Fy&b=2\nhost=h%3A80&x-cos-meta-a=v%20w\n"
        );
    }

    #[test]
    fn empty_sections() {
        // cos-signing.md §2.1: `get\n/exampleobject\n\n\n`; V10 path used verbatim.
        let c = build("GET", "/exampleobject", vec![], vec![]);
        assert_eq!(c.to_string(), "get\n/exampleobject\n\n\n");
        assert_eq!(parse_back("get\n/exampleobject\n\n\n", None), c);
        assert_eq!(
            build("GET", "xxxx", vec![], vec![]).to_string(),
            "get\nxxxx\n\n\n"
        );
    }

    #[test]
    fn server_sample_and_truncation() {
        // cos-signing.md §5 sample (XML-unescaped).
        let s = "put\n/\ncors=\ncontent-length=454&content-md5=DfuiC7IOBwIeiVanWPG%2FKg%3D%3D&content-type=application%2Fxml%3B%20charset%3Dutf-8&date=Wed%2C%2019%20Oct%202022%2005%3A49%3A28%20GMT&host=test-app-1251021022.cos.ap-guangzhou.myqcloud.com\n";
        let c = parse_back(s, None);
        assert_eq!(c.to_string(), s);
        assert_eq!(c.get("query:cors").unwrap(), "cors=");
        assert_eq!(
            c.get("header:content-type").unwrap(),
            "&content-type=application%2Fxml%3B%20charset%3Dutf-8"
        );
        for t in [
            "get",
            "get\n/k",
            "get\n/k\na=1",
            "get\n/k\n\nhost=h",
            "get\n/k\n\n\nextra",
        ] {
            assert_eq!(parse_back(t, None).to_string(), t);
        }
        assert_eq!(
            parse_back("get\n/k\n\n\nextra", None)
                .fields()
                .last()
                .unwrap()
                .name,
            "trailing"
        );
    }

    #[test]
    fn path_with_newline_uses_hint() {
        let ours = build("GET", "/a\nb", vec![], vec![pair("host", "h")]);
        let text = ours.to_string();
        assert_eq!(parse_back(&text, Some(&ours)), ours);
    }
}
