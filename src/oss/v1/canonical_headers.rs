//! V1 CanonicalizedOSSHeaders (oss-signing.md §2.4).
//!
//! Every `x-oss-*` header, name lower-cased, value trimmed (the server sees values
//! after HTTP parsing), repeated headers joined with `,`, sorted bytewise by name,
//! each emitted as `name:value\n`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How header values are taken (oss-signing.md §2.4 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderValues {
    /// Leading/trailing whitespace removed (server view; GO2, JS, JV1).
    #[default]
    Trim,
    /// Exactly as given (PY1, PY2, JV2, GO1).
    Raw,
}

/// What happens to a header sent more than once (oss-signing.md §2.4, §10 item 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Duplicates {
    /// Values joined with `,` (RFC 7230 §3.2.2; GO2).
    #[default]
    Join,
    /// First value only (GO1).
    First,
    /// Last value wins (JS: header object).
    Last,
}

/// Is this header part of CanonicalizedOSSHeaders?
pub fn is_oss_header(name: &str) -> bool {
    name.len() >= 6 && name.as_bytes()[..6].eq_ignore_ascii_case(b"x-oss-")
}

/// `(lower-case name, value)` pairs in signing order. Borrows from the request
/// unless a name needs lower-casing or values are joined.
pub fn canonical_oss_headers(
    headers: &[(String, String)],
    values: HeaderValues,
    dups: Duplicates,
) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let mut out: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    for (n, v) in headers.iter().filter(|(n, _)| is_oss_header(n)) {
        let name: Cow<'_, str> = if n.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(n.to_ascii_lowercase())
        } else {
            Cow::Borrowed(n)
        };
        let v = match values {
            HeaderValues::Trim => crate::encode::trim_ows(v),
            HeaderValues::Raw => v.as_str(),
        };
        match out.iter_mut().find(|(m, _)| *m == name) {
            Some(slot) => match dups {
                Duplicates::Join => {
                    let joined = slot.1.to_mut();
                    joined.push(',');
                    joined.push_str(v);
                }
                Duplicates::First => {}
                Duplicates::Last => slot.1 = Cow::Borrowed(v),
            },
            None => out.push((name, Cow::Borrowed(v))),
        }
    }
    // Sort by name, bytewise (names are ASCII): §2.4 step 3.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn coh(hs: &[(String, String)], v: HeaderValues, d: Duplicates) -> Vec<(String, String)> {
        canonical_oss_headers(hs, v, d)
            .into_iter()
            .map(|(a, b)| (a.into_owned(), b.into_owned()))
            .collect()
    }

    #[test]
    fn t1_headers() {
        // oss-signing.md §9.1 T1: mixed-case names, sorted.
        let got = coh(
            &h(&[
                ("X-OSS-Meta-Author", "foo@bar.com"),
                ("X-OSS-Magic", "abracadabra"),
                ("Content-Type", "text/html"),
            ]),
            HeaderValues::Trim,
            Duplicates::Join,
        );
        assert_eq!(
            got,
            h(&[
                ("x-oss-magic", "abracadabra"),
                ("x-oss-meta-author", "foo@bar.com")
            ])
        );
    }

    #[test]
    fn trims_and_joins() {
        let hs = h(&[
            ("x-oss-meta-a", " 1 "),
            ("X-Oss-Meta-A", "2"),
            ("x-oss-meta-b", ""),
        ]);
        assert_eq!(
            coh(&hs, HeaderValues::Trim, Duplicates::Join),
            h(&[("x-oss-meta-a", "1,2"), ("x-oss-meta-b", "")])
        );
        assert_eq!(
            coh(&hs, HeaderValues::Raw, Duplicates::First),
            h(&[("x-oss-meta-a", " 1 "), ("x-oss-meta-b", "")])
        );
        assert_eq!(coh(&hs, HeaderValues::Trim, Duplicates::Last)[0].1, "2");
    }
}
