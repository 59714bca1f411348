//! The V4 CanonicalQueryString (oss-signing.md §4.3, §5, §10 items 2, 3, 6, 20; Q2).
//!
//! Server view (and PY1, JV1): **all** parameters, name and value decoded then
//! RFC 3986-encoded (§1.2), sorted bytewise by the encoded name, `&`-joined, an
//! empty value written as the bare name. SDK variants are selectable
//! ([`QueryMode`], [`EmptyValues`]).

use crate::encode::{parse_query, PlusMeans, QueryParam};
use crate::error::Result;
use crate::oss::v1::EmptyValues;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How the canonical query is built from the wire query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueryMode {
    /// Decode, RFC 3986-encode, sort by encoded name (server model; PY1, JV1).
    #[default]
    ReEncode,
    /// Copy the wire text (a raw `+` becomes `%20`), sort without re-encoding (GO2, PY2).
    RawWire,
    /// Sort the *decoded* names with `String.prototype.localeCompare`, then encode
    /// (ali-oss; the collation here is an approximation of ICU's root order).
    LocaleCompare,
}

/// One canonical pair: encoded name, encoded value (`None`: bare name).
pub type Pair = (String, Option<String>);

/// The canonical pairs in signing order. `skip` names (decoded) are left out
/// (the URL form's `x-oss-signature`, §5).
pub fn pairs(params: &[QueryParam], mode: QueryMode, empty: EmptyValues, skip: &str) -> Vec<Pair> {
    let q = Query::new(params, mode, empty, skip);
    q.iter()
        .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
        .collect()
}

/// One canonical pair of a [`Query`]: name and value ranges of its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    name: (usize, usize),
    value: Option<(usize, usize)>,
}

/// The canonical pairs over one buffer (what [`pairs`] returns, without an
/// allocation per name and value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    buf: String,
    spans: Vec<Span>,
}

impl Query {
    /// The canonical pairs in signing order (see [`pairs`]).
    pub fn new(params: &[QueryParam], mode: QueryMode, empty: EmptyValues, skip: &str) -> Query {
        let bytes: usize = params
            .iter()
            .map(|p| p.raw_name.len() + p.raw_value.map_or(0, str::len))
            .sum();
        let mut q = Query {
            buf: String::with_capacity(bytes + bytes / 2 + 8),
            spans: Vec::with_capacity(params.len()),
        };
        let kept = params.iter().filter(|p| p.name != skip);
        match mode {
            QueryMode::ReEncode | QueryMode::LocaleCompare => {
                let write = |q: &mut Query, p: &QueryParam| {
                    let name = q.put(|b| encode_value_into(b, &p.name));
                    let value = match p.value.as_deref() {
                        None => None,
                        // §4.3: empty value ⇒ bare name (§10 item 6).
                        Some("") if empty == EmptyValues::Bare => None,
                        Some(v) => Some(q.put(|b| encode_value_into(b, v))),
                    };
                    q.spans.push(Span { name, value });
                };
                if mode == QueryMode::LocaleCompare {
                    // JS: qs.stringify sorts the unencoded keys with localeCompare (§4.3).
                    let mut ps: Vec<&QueryParam> = kept.collect();
                    ps.sort_by(|a, b| locale_compare(&a.name, &b.name));
                    for p in ps {
                        write(&mut q, p);
                    }
                } else {
                    for p in kept {
                        write(&mut q, p);
                    }
                    // §4.3: sorted by the encoded name, bytewise (values break ties).
                    q.sort();
                }
            }
            QueryMode::RawWire => {
                // GO2 v4.go: RawQuery with `+` → `%20`, split without decoding, sorted.
                for p in kept {
                    let name = q.put(|b| plus_as_space(b, p.raw_name));
                    let value = match p.raw_value {
                        None | Some("") => None,
                        Some(v) => Some(q.put(|b| plus_as_space(b, v))),
                    };
                    q.spans.push(Span { name, value });
                }
                q.sort();
            }
        }
        q
    }

    /// [`Query::new`] of the request's raw query (`None`: no `?`) parsed with
    /// `plus` ([`crate::encode::parse_query`]), errors included. A query of
    /// unreserved bytes with one `=` at most per pair (the common case) is its
    /// own decoding and its own encoding (§1.2, §4.3): its pairs are copied
    /// as sent, without the parameter list. Any other query, and the
    /// locale-compare order, go through the parameter list.
    pub fn from_raw(
        raw: Option<&str>,
        plus: PlusMeans,
        mode: QueryMode,
        empty: EmptyValues,
        skip: &str,
    ) -> Result<Query> {
        let Some(raw) = raw else {
            return Ok(Query::default());
        };
        if mode != QueryMode::LocaleCompare {
            if let Some(q) = Query::plain_pairs(raw, mode, empty, skip) {
                return Ok(q);
            }
        }
        Ok(Query::new(&parse_query(raw, plus)?, mode, empty, skip))
    }

    /// The pairs of a plain query (unreserved bytes, `&`, one `=` at most per
    /// pair: its own decoding and encoding, §1.2, §4.3), copied as sent, in one
    /// pass over it; `None` at the first byte that makes it not plain.
    fn plain_pairs(raw: &str, mode: QueryMode, empty: EmptyValues, skip: &str) -> Option<Query> {
        let mut q = Query {
            buf: String::with_capacity(raw.len()),
            spans: Vec::with_capacity(4),
        };
        let b = raw.as_bytes();
        // The current segment starts at `start`; `eq` is its `=`, if any.
        let (mut start, mut eq) = (0, None);
        for i in 0..=b.len() {
            // The end of the text closes the last segment as a `&` would.
            match b.get(i).map_or(2, |&c| CLASS[c as usize]) {
                1 => continue,
                3 if eq.is_none() => {
                    eq = Some(i);
                    continue;
                }
                2 => {}
                _ => return None,
            }
            // `plain` bytes are ASCII: every offset is a character boundary.
            let (seg_start, seg_eq) = (start, eq);
            start = i + 1;
            eq = None;
            // Empty segments are skipped (as parse_query does).
            if seg_start == i {
                continue;
            }
            let (n, v) = match seg_eq {
                Some(e) => (&raw[seg_start..e], Some(&raw[e + 1..i])),
                None => (&raw[seg_start..i], None),
            };
            if n == skip {
                continue;
            }
            let name = q.put(|b| b.push_str(n));
            let value = match v {
                None => None,
                // §4.3: empty value ⇒ bare name (§10 item 6); GO2 always.
                Some("") if empty == EmptyValues::Bare || mode == QueryMode::RawWire => None,
                Some(v) => Some(q.put(|b| b.push_str(v))),
            };
            q.spans.push(Span { name, value });
        }
        // §4.3: sorted by the encoded name, bytewise (values break ties).
        q.sort();
        Some(q)
    }

    fn put(&mut self, write: impl FnOnce(&mut String)) -> (usize, usize) {
        let start = self.buf.len();
        write(&mut self.buf);
        (start, self.buf.len())
    }

    fn get<'b>(buf: &'b str, s: &Span) -> (&'b str, Option<&'b str>) {
        (&buf[s.name.0..s.name.1], s.value.map(|v| &buf[v.0..v.1]))
    }

    fn sort(&mut self) {
        // Bytes compare as the texts do (without the texts' boundary checks).
        let buf = self.buf.as_bytes();
        let key = |s: &Span| (&buf[s.name.0..s.name.1], s.value.map(|v| &buf[v.0..v.1]));
        // Already in order (a single pair, or a client that sorted): nothing to move.
        if !self.spans.is_sorted_by(|a, b| key(a) <= key(b)) {
            self.spans.sort_by(|a, b| key(a).cmp(&key(b)));
        }
    }

    /// `(encoded name, encoded value)` in signing order; `None`: bare name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Option<&str>)> + '_ {
        self.spans.iter().map(|s| Self::get(&self.buf, s))
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Bytes of the pairs' names and values.
    pub fn text_len(&self) -> usize {
        self.buf.len()
    }
}

/// Byte classes of [`plain`]: 1 unreserved (§1.2), 2 `&`, 3 `=`, 0 anything else.
pub(crate) const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            1
        } else if c == b'&' {
            2
        } else if c == b'=' {
            3
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The number of `&`-separated segments when `raw` holds unreserved bytes
/// (§1.2), `&`, and one `=` at most between two `&` alone: text that decoding
/// (either meaning of `+`: there is none) and re-encoding leave as it is.
#[cfg(test)]
fn plain(raw: &str) -> Option<usize> {
    let (mut segments, mut eq) = (1, false);
    for &b in raw.as_bytes() {
        match CLASS[b as usize] {
            1 => {}
            2 => {
                segments += 1;
                eq = false;
            }
            3 if !eq => eq = true,
            _ => return None,
        }
    }
    Some(segments)
}

/// The RFC 3986 encoding (§1.2), by the table-driven encoder ([`super::pct`],
/// which agrees with the shared [`crate::encode::encode_into`]).
fn encode_value_into(out: &mut String, s: &str) {
    crate::encode::encode_into(out, s);
}

/// Wire text with `+` written as `%20` (GO2).
fn plus_as_space(out: &mut String, s: &str) {
    for (i, part) in s.split('+').enumerate() {
        if i > 0 {
            out.push_str("%20");
        }
        out.push_str(part);
    }
}

/// True when wire text is already in the §1.2 form the re-encoding produces:
/// only unreserved bytes and `%XX` (upper-case hex) escapes of bytes that must
/// be escaped. Allocation-free.
pub fn is_canonical_raw(raw: &str) -> bool {
    let unreserved = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
    let hex = |x: u8| match x {
        b'0'..=b'9' => Some(x - b'0'),
        b'A'..=b'F' => Some(x - b'A' + 10),
        _ => None,
    };
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if unreserved(b[i]) {
            i += 1;
            continue;
        }
        if b[i] != b'%' {
            return false;
        }
        match (
            b.get(i + 1).and_then(|&x| hex(x)),
            b.get(i + 2).and_then(|&x| hex(x)),
        ) {
            (Some(h), Some(l)) if !unreserved(h * 16 + l) => i += 3,
            _ => return false,
        }
    }
    true
}

/// `k=v&k2` text of canonical pairs.
pub fn text(pairs: &[Pair]) -> String {
    let mut s = String::new();
    for (i, (n, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(n);
        if let Some(v) = v {
            s.push('=');
            s.push_str(v);
        }
    }
    s
}

/// ICU root collation class and weight of an ASCII character (primary level):
/// whitespace, then punctuation and symbols in CLDR order, digits, letters
/// case-insensitively; everything non-ASCII after, by code point.
fn primary(c: char) -> (u8, u32) {
    const PUNCT: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
    if c.is_ascii_whitespace() {
        (0, c as u32)
    } else if let Some(i) = PUNCT.find(c) {
        (1, i as u32)
    } else if c.is_ascii_digit() {
        (2, c as u32)
    } else if c.is_ascii_alphabetic() {
        (3, c.to_ascii_lowercase() as u32)
    } else {
        (4, c as u32)
    }
}

/// An approximation of JavaScript's `a.localeCompare(b)` under ICU's root
/// locale (oss-signing.md §10 item 20): primary weights first, then lower case
/// before upper case, then code points.
pub fn locale_compare(a: &str, b: &str) -> Ordering {
    let pa = a.chars().map(primary);
    let pb = b.chars().map(primary);
    pa.cmp(pb)
        .then_with(|| {
            // Tertiary: lower case sorts before upper case.
            let ta = a.chars().map(|c| c.is_ascii_uppercase());
            let tb = b.chars().map(|c| c.is_ascii_uppercase());
            ta.cmp(tb)
        })
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    fn q(raw: &str) -> Vec<QueryParam<'_>> {
        parse_query(raw, PlusMeans::Space).unwrap()
    }

    #[test]
    fn query_is_pairs_in_one_buffer() {
        let ps = q("b=2&a=x+y&a=%2f&c&d=&e=%7e*&x-oss-signature=s&%E4%B8%AD=1");
        for mode in [
            QueryMode::ReEncode,
            QueryMode::RawWire,
            QueryMode::LocaleCompare,
        ] {
            for empty in [EmptyValues::Bare, EmptyValues::KeepEquals] {
                let old = pairs(&ps, mode, empty, "x-oss-signature");
                let new = Query::new(&ps, mode, empty, "x-oss-signature");
                let got: Vec<Pair> = new
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
                    .collect();
                assert_eq!(got, old, "{mode:?} {empty:?}");
                assert_eq!(new.len(), old.len());
            }
        }
        assert_eq!(
            text(&pairs(&ps, QueryMode::RawWire, EmptyValues::Bare, "")),
            "%E4%B8%AD=1&a=%2f&a=x%20y&b=2&c&d&e=%7e*&x-oss-signature=s"
        );
        assert_eq!(
            text(&pairs(
                &ps,
                QueryMode::ReEncode,
                EmptyValues::Bare,
                "x-oss-signature"
            )),
            "%E4%B8%AD=1&a=%2F&a=x%20y&b=2&c&d&e=~%2A"
        );
    }

    #[test]
    fn u1_query() {
        // oss-signing.md §4.3 / §9.2 U1 (wire query as GO1 sends it).
        let ps = q("%2Bparam1=value3&%2Bparam2&param1=value1&param2&%7Cparam1=value4&%7Cparam2");
        let want = "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2";
        for mode in [
            QueryMode::ReEncode,
            QueryMode::RawWire,
            QueryMode::LocaleCompare,
        ] {
            assert_eq!(
                text(&pairs(&ps, mode, EmptyValues::Bare, "x-oss-signature")),
                want,
                "{mode:?}"
            );
        }
    }

    #[test]
    fn e2_query_slashes_and_empty() {
        // oss-signing.md §9.3 E2: `/` → `%2F`, empty `continuation-token=` bare.
        let ps = q("list-type=2&prefix=a%2Fb%2F&delimiter=%2F&max-keys=100&encoding-type=url&continuation-token=");
        let want = "continuation-token&delimiter=%2F&encoding-type=url&list-type=2&max-keys=100&prefix=a%2Fb%2F";
        assert_eq!(
            text(&pairs(&ps, QueryMode::ReEncode, EmptyValues::Bare, "")),
            want
        );
        // ali-oss writes `name=` for an empty string (README "oss/E2 × ali-oss").
        assert!(text(&pairs(
            &ps,
            QueryMode::ReEncode,
            EmptyValues::KeepEquals,
            ""
        ))
        .starts_with("continuation-token=&"));
    }

    #[test]
    fn sorted_after_encoding() {
        // §4.3: names `a.` and `a/`: encoded order `a%2F` < `a.`.
        let ps = q("a.=1&a%2F=2");
        assert_eq!(
            text(&pairs(&ps, QueryMode::ReEncode, EmptyValues::Bare, "")),
            "a%2F=2&a.=1"
        );
    }

    #[test]
    fn raw_wire_differs_on_non_canonical_input() {
        // Q2: lower-case escapes and unencoded `*` survive in the raw copy only.
        let ps = q("k=a%2fb*&s=x+y");
        assert_eq!(
            text(&pairs(&ps, QueryMode::ReEncode, EmptyValues::Bare, "")),
            "k=a%2Fb%2A&s=x%20y"
        );
        assert_eq!(
            text(&pairs(&ps, QueryMode::RawWire, EmptyValues::Bare, "")),
            "k=a%2fb*&s=x%20y"
        );
    }

    #[test]
    fn locale_order() {
        // §10 item 20. Expected order from node v20.20 (ICU, en-US):
        // `[...].sort((a, b) => a.localeCompare(b))`.
        let mut v = vec![
            "b", "B", "a", "A0", "a.", "a/", "a:", "a0", "_x", "-x", "+p", "|p", "~p", "$p", "%p",
            "a b", "z",
        ];
        v.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(
            v,
            [
                "_x", "-x", "%p", "+p", "|p", "~p", "$p", "a", "a b", "a:", "a.", "a/", "a0", "A0",
                "b", "B", "z"
            ]
        );
        let ps = q("b=1&A=2");
        assert_eq!(
            text(&pairs(&ps, QueryMode::LocaleCompare, EmptyValues::Bare, "")),
            "A=2&b=1"
        );
        assert_eq!(
            text(&pairs(&ps, QueryMode::ReEncode, EmptyValues::Bare, "")),
            "A=2&b=1"
        );
        let ps = q("B=1&a=2");
        assert_eq!(
            text(&pairs(&ps, QueryMode::LocaleCompare, EmptyValues::Bare, "")),
            "a=2&B=1"
        );
        assert_eq!(
            text(&pairs(&ps, QueryMode::ReEncode, EmptyValues::Bare, "")),
            "B=1&a=2"
        );
    }

    #[test]
    fn canonical_raw_scan() {
        for (t, want) in [
            ("a%2Fb", true),
            ("a%2fb", false),
            ("a*b", false),
            ("a+b", false),
            ("%41", false),
            ("%7E", false),
            ("~", true),
            ("%E4%B8%AD", true),
            ("%", false),
            ("%2", false),
            ("", true),
        ] {
            assert_eq!(is_canonical_raw(t), want, "{t}");
            // Agrees with the shared (allocating) check.
            assert_eq!(crate::encode::is_canonical(t, false), want, "{t}");
        }
    }

    #[test]
    fn plain_classes() {
        for b in 0..=255u8 {
            let want = match b {
                b'&' => 2,
                b'=' => 3,
                _ if crate::encode::is_unreserved(b) => 1,
                _ => 0,
            };
            assert_eq!(CLASS[b as usize], want, "{b}");
        }
        assert_eq!(plain("a=b&c&=d&&"), Some(5));
        assert_eq!(plain("a=b=c"), None);
        assert_eq!(plain("a+b"), None);
    }

    proptest::proptest! {
        #[test]
        fn from_raw_is_new_of_parse_query(
            raw in proptest::option::of(proptest::prop_oneof![
                // Plain queries (the copied ones), and any others.
                "([aZ09._~-]|=|&|x-oss-signature){0,12}",
                "([a-zA-Z0-9._~=&+*/ -]|%[0-9a-fA-F]{0,2}|\u{e9}|x-oss-signature){0,12}",
            ]),
            opt in 0u8..24,
        ) {
            let plus = if opt & 1 == 0 { PlusMeans::Space } else { PlusMeans::Plus };
            let empty = if opt & 2 == 0 { EmptyValues::Bare } else { EmptyValues::KeepEquals };
            let skip = if opt & 4 == 0 { "" } else { "x-oss-signature" };
            let mode = [QueryMode::ReEncode, QueryMode::RawWire, QueryMode::LocaleCompare][opt as usize / 8];
            let fast = Query::from_raw(raw.as_deref(), plus, mode, empty, skip);
            let general = match raw.as_deref() {
                Some(r) => parse_query(r, plus).map(|ps| Query::new(&ps, mode, empty, skip)),
                None => Ok(Query::new(&[], mode, empty, skip)),
            };
            match (fast, general) {
                (Ok(a), Ok(b)) => {
                    proptest::prop_assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
                    proptest::prop_assert_eq!(a.text_len(), b.text_len());
                }
                (Err(a), Err(b)) => proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}")),
                (a, b) => proptest::prop_assert!(false, "{:?} vs {:?}", a, b),
            }
        }
    }

    #[test]
    fn skips_signature() {
        let ps = q("x-oss-signature=abc&x-oss-date=1");
        assert_eq!(
            text(&pairs(
                &ps,
                QueryMode::ReEncode,
                EmptyValues::Bare,
                "x-oss-signature"
            )),
            "x-oss-date=1"
        );
    }
}
