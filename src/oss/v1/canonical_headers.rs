//! V1 CanonicalizedOSSHeaders (oss-signing.md §2.4).
//!
//! Every `x-oss-*` header, name lower-cased, value trimmed (the server sees values
//! after HTTP parsing), repeated headers joined with `,`, sorted bytewise by name,
//! each emitted as `name:value\n`.

use serde::{Deserialize, Serialize};

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

/// `(lower-case name, value)` pairs in signing order.
pub fn canonical_oss_headers(
    headers: &[(String, String)],
    values: HeaderValues,
    dups: Duplicates,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, v) in headers.iter().filter(|(n, _)| is_oss_header(n)) {
        let name = n.to_ascii_lowercase();
        let v = match values {
            HeaderValues::Trim => v.trim_matches([' ', '\t']),
            HeaderValues::Raw => v.as_str(),
        };
        match out.iter_mut().find(|(m, _)| *m == name) {
            Some(slot) => match dups {
                Duplicates::Join => {
                    slot.1.push(',');
                    slot.1.push_str(v);
                }
                Duplicates::First => {}
                Duplicates::Last => slot.1 = v.to_string(),
            },
            None => out.push((name, v.to_string())),
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

    #[test]
    fn t1_headers() {
        // oss-signing.md §9.1 T1: mixed-case names, sorted.
        let got = canonical_oss_headers(
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
            canonical_oss_headers(&hs, HeaderValues::Trim, Duplicates::Join),
            h(&[("x-oss-meta-a", "1,2"), ("x-oss-meta-b", "")])
        );
        assert_eq!(
            canonical_oss_headers(&hs, HeaderValues::Raw, Duplicates::First),
            h(&[("x-oss-meta-a", " 1 "), ("x-oss-meta-b", "")])
        );
        assert_eq!(
            canonical_oss_headers(&hs, HeaderValues::Trim, Duplicates::Last)[0].1,
            "2"
        );
    }
}
