//! The V4 CanonicalHeaders (oss-signing.md §4.3, §10 items 11, 12, 18).
//!
//! Signed: `content-type`, `content-md5` and every `x-oss-*` header when present,
//! plus the names in AdditionalHeaders; nothing else. Each is `name:value\n`
//! with the name lower-cased, sorted bytewise by name.

use crate::oss::v1::{Duplicates, HeaderValues};
use crate::request::Request;
use std::borrow::Cow;

/// Signed whenever present, without being listed in AdditionalHeaders (§4.3).
pub fn is_default_signed(lower_name: &str) -> bool {
    lower_name.starts_with("x-oss-") || lower_name == "content-type" || lower_name == "content-md5"
}

fn eq_lower(a: &str, lower: &str) -> bool {
    a.len() == lower.len()
        && a.bytes()
            .zip(lower.bytes())
            .all(|(x, y)| x.to_ascii_lowercase() == y)
}

/// `(lower-case name, value)` in signing order. `additional` holds lower-case
/// names; a name that is absent from the request contributes no line (what PY1
/// signs, spec Q8). `host` falls back to the URL's authority when the request
/// has no Host header (the host the request went to).
pub fn canonical_headers(
    req: &Request,
    additional: &[String],
    values: HeaderValues,
    dups: Duplicates,
) -> Vec<(String, String)> {
    lines(req, additional, values, dups)
        .into_iter()
        .map(|l| (l.name.to_ascii_lowercase(), l.value.into_owned()))
        .collect()
}

/// One canonical header, borrowed from the request: the name as sent (written
/// lower-cased) and the value (owned only when repeated values are joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The name as sent; its canonical form is this lower-cased.
    pub name: &'a str,
    /// The value (trimmed per the options, repeated values joined).
    pub value: Cow<'a, str>,
    /// [`key8`] of the name: selection, repeats and order compare it first.
    key: u64,
}

/// The first eight bytes of a name, ASCII-lower-cased, big-endian, zero-padded.
/// Two names whose keys differ order as their lower-cased texts do (a shorter
/// name pads with the smallest byte), so the key decides most comparisons and
/// [`cmp_lower`] only breaks ties.
pub(crate) fn key8(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut k = [0u8; 8];
    match b.get(..8) {
        Some(head) => k.copy_from_slice(head),
        None => k[..b.len()].copy_from_slice(b),
    }
    crate::swar::lower8(u64::from_be_bytes(k))
}

/// `x-oss-` in the top six bytes of a [`key8`].
const X_OSS: u64 = u64::from_be_bytes(*b"x-oss-\0\0");
/// `content-` as a [`key8`].
const CONTENT: u64 = u64::from_be_bytes(*b"content-");

/// Signed whenever present (§4.3), from the name and its [`key8`]: `x-oss-*`,
/// `content-type`, `content-md5` (ASCII case-insensitive).
pub(crate) fn default_signed(n: &str, key: u64) -> bool {
    // The tails compared in place: a byte ORed with 0x20 is a given lower-case
    // letter exactly when it is that letter in either case.
    let b = n.as_bytes();
    (n.len() >= 6 && key & !0xffff == X_OSS)
        || (key == CONTENT
            && match b {
                [_, _, _, _, _, _, _, _, t, y, p, e] => {
                    u32::from_le_bytes([*t, *y, *p, *e]) | 0x2020_2020
                        == u32::from_le_bytes(*b"type")
                }
                [_, _, _, _, _, _, _, _, m, d, five] => {
                    *m | 0x20 == b'm' && *d | 0x20 == b'd' && *five == b'5'
                }
                _ => false,
            })
}

/// [`canonical_headers`] without copying names and values.
pub fn lines<'a, A: AsRef<str>>(
    req: &'a Request,
    additional: &[A],
    values: HeaderValues,
    dups: Duplicates,
) -> Vec<Line<'a>> {
    let mut out: Vec<Line<'a>> = Vec::with_capacity(req.headers.len().min(16));
    for (n, v) in &req.headers {
        let key = key8(n);
        let signed = default_signed(n, key) || additional.iter().any(|a| eq_lower(n, a.as_ref()));
        if !signed {
            continue;
        }
        // §4.3: GO2/JV1/JS trim values; the server sees them after HTTP parsing (§10 item 11).
        let v = match values {
            // Byte-wise `trim_matches([' ', '\t'])` (a test in encode holds them equal).
            HeaderValues::Trim => crate::encode::trim_ows(v),
            HeaderValues::Raw => v.as_str(),
        };
        match out
            .iter_mut()
            .find(|l| l.key == key && l.name.eq_ignore_ascii_case(n))
        {
            // §10 item 12: repeated headers joined with `,` (GO2).
            Some(slot) => match dups {
                Duplicates::Join => {
                    let joined = slot.value.to_mut();
                    joined.push(',');
                    joined.push_str(v);
                }
                Duplicates::First => {}
                Duplicates::Last => slot.value = Cow::Borrowed(v),
            },
            None => out.push(Line {
                name: n,
                value: Cow::Borrowed(v),
                key,
            }),
        }
    }
    if additional.iter().any(|a| a.as_ref() == "host")
        && !out.iter().any(|l| l.name.eq_ignore_ascii_case("host"))
    {
        if let Some(h) = req.authority.as_deref() {
            out.push(Line {
                name: "host",
                value: Cow::Borrowed(h),
                key: key8("host"),
            });
        }
    }
    // §4.3: sorted by (lower-case) name bytewise: by the keys, ties by the names.
    out.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| cmp_lower(a.name, b.name)));
    out
}

use crate::encode::cmp_ascii_lowercase as cmp_lower;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The selection before [`key8`] (each name tested and ordered through its
    /// lower-cased bytes): what [`lines`] is held to.
    fn reference(
        req: &Request,
        additional: &[String],
        values: HeaderValues,
        dups: Duplicates,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (n, v) in &req.headers {
            let lower = n.to_ascii_lowercase();
            if !is_default_signed(&lower) && !additional.contains(&lower) {
                continue;
            }
            let v = match values {
                HeaderValues::Trim => v.trim_matches([' ', '\t']),
                HeaderValues::Raw => v.as_str(),
            };
            match out.iter_mut().find(|(m, _)| *m == lower) {
                Some(slot) => match dups {
                    Duplicates::Join => {
                        slot.1.push(',');
                        slot.1.push_str(v);
                    }
                    Duplicates::First => {}
                    Duplicates::Last => slot.1 = v.to_string(),
                },
                None => out.push((lower, v.to_string())),
            }
        }
        if additional.iter().any(|a| a == "host") && !out.iter().any(|(n, _)| n == "host") {
            if let Some(h) = &req.authority {
                out.push(("host".into(), h.clone()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn default_signed_is_the_lower_case_rule() {
        for base in [
            "content-type",
            "Content-MD5",
            "x-oss-meta-a",
            "content-md",
            "Content-Types",
        ] {
            for at in 0..base.len() {
                for c in 0..128u8 {
                    let mut b = base.as_bytes().to_vec();
                    b[at] = c;
                    let n = String::from_utf8(b).unwrap();
                    assert_eq!(
                        default_signed(&n, key8(&n)),
                        is_default_signed(&n.to_ascii_lowercase()),
                        "{n:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn key8_is_the_lower_case_head() {
        assert_eq!(key8("X-Oss-Date"), u64::from_be_bytes(*b"x-oss-da"));
        assert_eq!(key8("Host"), u64::from_be_bytes(*b"host\0\0\0\0"));
    }

    proptest! {
        #[test]
        fn lines_are_the_reference_selection(
            headers in proptest::collection::vec((
                prop_oneof![
                    proptest::sample::select(vec![
                        "x-oss-date", "X-Oss-Meta-A", "x-oss-meta-a", "X-OSS-", "x-oss", "x-oss-meta-a\u{e9}",
                        "Content-Type", "content-md5", "CONTENT-MD5", "content-md5x", "content-typ",
                        "Content-Types", "content-", "Range", "range", "Host", "abc", "zabc", "x-oss-security-token",
                        "x-oss-content-sha256", "Date",
                    ]).prop_map(str::to_string),
                    "[a-zA-Z-]{0,12}",
                ],
                "[ a\t]{0,2}[a-z]{0,2}[ \t]{0,2}",
            ), 0..10),
            additional in proptest::sample::subsequence(vec!["abc", "host", "range", "x-oss-meta-a", "zabc", "content-"], 0..4),
            opt in 0u8..6,
        ) {
            // Unvalidated names too (non-ASCII, empty): the selection never relies on them being tokens.
            let r = Request {
                method: "PUT".into(),
                scheme: "http".into(),
                authority: Some("bucket.oss-cn-hangzhou.aliyuncs.com".into()),
                target: "/k".into(),
                headers,
                body_len: None,
            };
            let add: Vec<String> = additional.iter().map(|a| a.to_string()).collect();
            let values = if opt & 1 == 0 { HeaderValues::Trim } else { HeaderValues::Raw };
            let dups = [Duplicates::Join, Duplicates::First, Duplicates::Last][opt as usize / 2];
            prop_assert_eq!(canonical_headers(&r, &add, values, dups), reference(&r, &add, values, dups));
        }
    }

    fn req(h: &[(&str, &str)]) -> Request {
        Request::from_url(
            "PUT",
            "http://bucket.oss-cn-hangzhou.aliyuncs.com/k",
            h.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn u4_headers() {
        // oss-signing.md §9.2 U4: abc and zabc added; XYZ unsigned.
        let r = req(&[
            ("x-oss-head1", "value"),
            ("abc", "value"),
            ("ZAbc", "value"),
            ("XYZ", "value"),
            ("content-type", "text/plain"),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ("x-oss-date", "20231216T172512Z"),
            ("Date", "Sat, 16 Dec 2023 17:25:12 GMT"),
        ]);
        let add = vec!["abc".to_string(), "zabc".to_string()];
        let got: String = canonical_headers(&r, &add, HeaderValues::Trim, Duplicates::Join)
            .iter()
            .map(|(n, v)| format!("{n}:{v}\n"))
            .collect();
        assert_eq!(got, "abc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n");
        // Without AdditionalHeaders (U1): only the default-signed ones.
        let got = canonical_headers(&r, &[], HeaderValues::Trim, Duplicates::Join);
        assert_eq!(
            got.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            [
                "content-type",
                "x-oss-content-sha256",
                "x-oss-date",
                "x-oss-head1"
            ]
        );
    }

    #[test]
    fn host_from_authority_and_values() {
        let r = req(&[("x-oss-meta-a", " 1 "), ("X-Oss-Meta-A", "2")]);
        let got = canonical_headers(
            &r,
            &["host".to_string(), "range".to_string()],
            HeaderValues::Trim,
            Duplicates::Join,
        );
        assert_eq!(
            got,
            vec![
                (
                    "host".to_string(),
                    "bucket.oss-cn-hangzhou.aliyuncs.com".to_string()
                ),
                ("x-oss-meta-a".to_string(), "1,2".to_string())
            ]
        );
        let got = canonical_headers(&r, &[], HeaderValues::Raw, Duplicates::First);
        assert_eq!(got[0].1, " 1 ");
        assert!(is_default_signed("content-md5") && !is_default_signed("host"));
    }
}
