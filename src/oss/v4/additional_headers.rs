//! The V4 AdditionalHeaders list (oss-signing.md §4.1, §4.3; Q8; §10 items 17, 21).
//!
//! Signer (GO2, PY2, JV1, JS): lower-case, de-duplicate, drop default-signed names
//! (`x-oss-*`, `content-type`, `content-md5`), keep only headers present in the
//! request, sort. Verifier: read the list the request carries and check those rules.

use super::canonical_headers::is_default_signed;
use crate::request::Request;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The order of the AdditionalHeaders list on the wire and in the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdditionalOrder {
    /// Fully sorted everywhere; a received list is sorted for the canonical
    /// request (server model; GO2, PY2, JV1, JS).
    #[default]
    Sorted,
    /// PY1 (oss2): the Authorization header lists the names sorted by their
    /// first character only (`sort(key=lambda x: x[0])`) and does not drop names
    /// absent from the request; the canonical request and the URL parameter are
    /// fully sorted (§4.3, §10 item 21). Verifies like `sorted`.
    Py1,
    /// The canonical request uses a received list exactly as sent (the
    /// alternative server hypothesis; signs like `sorted`).
    AsSent,
}

/// Is the header present with a non-empty value (GO2/PY2 rule, §4.3)? `host`
/// is present whenever the request has a host.
fn present(req: &Request, lower: &str) -> bool {
    if lower == "host" {
        return req.host().is_some_and(|h| !h.is_empty());
    }
    req.header_values(lower).any(|v| !v.trim().is_empty())
}

/// The list a signer writes for the requested names (§4.3), fully sorted.
pub fn select(requested: &[String], req: &Request) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(requested.len());
    for r in requested {
        let l = r.trim().to_ascii_lowercase();
        if l.is_empty() || is_default_signed(&l) || !present(req, &l) || out.contains(&l) {
            continue;
        }
        out.push(l);
    }
    out.sort();
    out
}

/// Whether [`select`] gives `requested` back unchanged: every name already
/// lower-case and trimmed (visible ASCII at both ends), not default-signed,
/// present in the request, and the names strictly increasing (sorted, no
/// repeats). The signer's usual case, decided without copying a name.
pub fn already_selected(requested: &[String], req: &Request) -> bool {
    let plain = |n: &str| {
        let b = n.as_bytes();
        b.first().is_some_and(u8::is_ascii_graphic)
            && b.last().is_some_and(u8::is_ascii_graphic)
            && !b.iter().any(u8::is_ascii_uppercase)
    };
    requested.windows(2).all(|w| w[0] < w[1])
        && requested
            .iter()
            .all(|n| plain(n) && !is_default_signed(n) && present(req, n))
}

/// PY1 (oss2) header form: the requested names lower-cased, default-signed ones
/// dropped but *not* filtered by presence, in the order requested and then
/// stably sorted by their first character only (`sort(key=lambda x: x[0])`).
/// Returns (the Authorization header's order, the fully sorted canonical list).
pub fn select_py1(requested: &[String]) -> (Vec<String>, Vec<String>) {
    let mut order: Vec<String> = requested
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty() && !is_default_signed(l))
        .collect();
    order.sort_by_key(|s| s.bytes().next());
    let mut sorted = order.clone();
    sorted.sort();
    (order, sorted)
}

/// A received list, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Received {
    /// The text as sent.
    pub raw: String,
    /// Names as sent, split on `;`.
    pub names: Vec<String>,
    /// Some element is empty (`host;`, or the whole list `AdditionalHeaders=`).
    pub has_empty: bool,
    /// The names as sent are not lower-case, sorted and unique.
    pub not_canonical: bool,
    /// Names (lower-case) that are default-signed anyway.
    pub default_signed: Vec<String>,
    /// Names (lower-case) not present in the request.
    pub absent: Vec<String>,
    /// Lower-case names for the canonical headers.
    pub lower: Vec<String>,
    /// The canonical request's AdditionalHeaders line.
    pub line: String,
}

/// The names of a received list as the canonical request lists them (§4.3):
/// the non-empty elements, trimmed, lower-cased, sorted, de-duplicated (borrowed
/// unless a name had upper-case letters). Also whether the lower-cased names
/// were strictly increasing as sent (sorting and de-duplicating changed nothing).
pub fn canonical_names(raw: &str) -> (Vec<Cow<'_, str>>, bool) {
    let mut lower: Vec<Cow<'_, str>> = raw
        .split(';')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            if n.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(n.to_ascii_lowercase())
            } else {
                Cow::Borrowed(n)
            }
        })
        .collect();
    let sorted_unique = lower.windows(2).all(|w| w[0] < w[1]);
    if !sorted_unique {
        lower.sort();
        lower.dedup();
    }
    (lower, sorted_unique)
}

/// The canonical request's AdditionalHeaders line for a received list (§4.3).
fn line_of<'a>(raw: &'a str, lower: &[Cow<'a, str>], order: AdditionalOrder) -> Cow<'a, str> {
    match (order, lower) {
        (AdditionalOrder::AsSent, _) => Cow::Borrowed(raw),
        (_, []) => Cow::Borrowed(""),
        (_, [one]) => one.clone(),
        _ => Cow::Owned(lower.join(";")),
    }
}

/// What the canonical request takes from a received list, without the checks
/// of [`receive`]: the names that contribute header lines (absent ones dropped,
/// Q8, as PY1 signs them) and the AdditionalHeaders line. The same as
/// [`receive`]'s `lower` without its `absent`, and its `line`.
pub fn canonical<'a>(
    raw: &'a str,
    req: &Request,
    order: AdditionalOrder,
) -> (Vec<Cow<'a, str>>, Cow<'a, str>) {
    let (mut lower, _) = canonical_names(raw);
    let line = line_of(raw, &lower, order);
    lower.retain(|n| is_default_signed(n) || present(req, n));
    (lower, line)
}

/// Read and check a received list (§4.1: non-empty, no empty element; §4.3 rules).
pub fn receive(raw: &str, req: &Request, order: AdditionalOrder) -> Received {
    let names: Vec<String> = raw.split(';').map(|s| s.trim().to_string()).collect();
    let has_empty = names.iter().any(|n| n.is_empty());
    let (lower, sorted_unique) = canonical_names(raw);
    let not_canonical = !has_empty
        && (!sorted_unique
            || names
                .iter()
                .any(|n| n.bytes().any(|b| b.is_ascii_uppercase())));
    let line = line_of(raw, &lower, order).into_owned();
    let lower: Vec<String> = lower.into_iter().map(Cow::into_owned).collect();
    let default_signed = lower
        .iter()
        .filter(|n| is_default_signed(n))
        .cloned()
        .collect();
    let absent = lower
        .iter()
        .filter(|n| !is_default_signed(n) && !present(req, n))
        .cloned()
        .collect();
    Received {
        raw: raw.to_string(),
        names,
        has_empty,
        not_canonical,
        default_signed,
        absent,
        lower,
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Request {
        Request::from_url(
            "PUT",
            "http://bucket.oss-cn-hangzhou.aliyuncs.com/k",
            vec![
                ("x-oss-head1".into(), "value".into()),
                ("abc".into(), "value".into()),
                ("ZAbc".into(), "value".into()),
                ("XYZ".into(), "value".into()),
                ("content-type".into(), "text/plain".into()),
            ],
        )
        .unwrap()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn u4_selection() {
        // oss-signing.md §9.2 U4: both requested lists give `abc;zabc`.
        let r = req();
        assert_eq!(select(&s(&["ZAbc", "abc"]), &r).join(";"), "abc;zabc");
        assert_eq!(
            select(&s(&["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"]), &r).join(";"),
            "abc;zabc"
        );
        // U7's second variant order.
        assert_eq!(
            select(&s(&["x-oss-no-exist", "abc", "x-oss-head1", "ZAbc"]), &r).join(";"),
            "abc;zabc"
        );
        // Host is present through the URL authority (§9.3 E4 asks for `host`).
        assert_eq!(select(&s(&["Host", "missing"]), &r), s(&["host"]));
    }

    #[test]
    fn already_selected_is_select_unchanged() {
        let r = req();
        let names = [
            "abc",
            "zabc",
            "ZAbc",
            "range",
            "xyz",
            "x-oss-head1",
            "content-type",
            " abc",
            "",
        ];
        // Every list of up to three of these names, in every order drawn.
        for a in names {
            for b in names {
                for c in names {
                    for list in [vec![a], vec![a, b], vec![a, b, c]] {
                        let list = s(&list);
                        // (For these ASCII names the two say the same.)
                        assert_eq!(
                            already_selected(&list, &r),
                            select(&list, &r) == list,
                            "{list:?}"
                        );
                    }
                }
            }
        }
        assert!(already_selected(&s(&["abc", "zabc"]), &r));
        assert!(!already_selected(&s(&["zabc", "abc"]), &r));
        assert!(already_selected(&[], &r));
    }

    #[test]
    fn py1_first_char_order() {
        // oracles/README.md deviation 3 (an oss2 run): ["abb","aaz"] is written
        // `abb;aaz` in the Authorization header, the canonical list is `aaz;abb`.
        let (h, c) = select_py1(&s(&["abb", "aaz", "x-oss-meta-a"]));
        assert_eq!(h.join(";"), "abb;aaz");
        assert_eq!(c.join(";"), "aaz;abb");
    }

    #[test]
    fn receive_checks() {
        let r = req();
        let x = receive("abc;zabc", &r, AdditionalOrder::Sorted);
        assert!(!x.has_empty && !x.not_canonical && x.absent.is_empty());
        assert_eq!(x.line, "abc;zabc");
        let x = receive("ZAbc;abc;x-oss-head1;range", &r, AdditionalOrder::Sorted);
        assert!(x.not_canonical);
        assert_eq!(x.default_signed, s(&["x-oss-head1"]));
        assert_eq!(x.absent, s(&["range"]));
        assert_eq!(x.line, "abc;range;x-oss-head1;zabc");
        assert_eq!(
            receive("ZAbc;abc", &r, AdditionalOrder::AsSent).line,
            "ZAbc;abc"
        );
        // The canonical request's view agrees with the checked one.
        for raw in [
            "abc;zabc",
            "ZAbc;abc;x-oss-head1;range",
            "zabc;abc;abc",
            "range",
            "Range",
            "",
            "host;",
            " abc ; ;XYZ",
            "b;a;c;a",
        ] {
            for order in [
                AdditionalOrder::Sorted,
                AdditionalOrder::Py1,
                AdditionalOrder::AsSent,
            ] {
                let x = receive(raw, &r, order);
                let (kept, line) = canonical(raw, &r, order);
                let want: Vec<&String> = x.lower.iter().filter(|n| !x.absent.contains(n)).collect();
                let got: Vec<&str> = kept.iter().map(|n| &**n).collect();
                assert_eq!(got, want, "{raw:?} {order:?}");
                assert_eq!(line, x.line, "{raw:?} {order:?}");
            }
        }
        // §4.1: `AdditionalHeaders=` and `host;` (EC 0002-00000209/210).
        assert!(receive("", &r, AdditionalOrder::Sorted).has_empty);
        assert!(receive("host;", &r, AdditionalOrder::Sorted).has_empty);
    }
}
