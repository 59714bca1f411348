//! The q-sign Authorization string: seven `key=value` pairs joined by `&`
//! (cos-signing.md §1.1), parsed and formatted.

use crate::error::{InputError, Result};
use crate::finding::Finding;

/// The seven keys in their fixed order (cos-signing.md §1.1).
pub const KEYS: [&str; 7] = [
    "q-sign-algorithm",
    "q-ak",
    "q-sign-time",
    "q-key-time",
    "q-header-list",
    "q-url-param-list",
    "q-signature",
];

/// The q-sign string from the seven values in [`KEYS`] order (cos-signing.md §1.1).
pub fn format_fields(values: &[&str; 7]) -> String {
    let mut s = String::with_capacity(100 + values.iter().map(|p| p.len()).sum::<usize>());
    for (p, v) in PREFIXES.iter().zip(values) {
        s.push_str(p);
        s.push_str(v);
    }
    s
}

/// The q-sign string as a signer writes it (cos-signing.md §1.1): the seven
/// fields in their fixed order with `q-sign-algorithm=sha1`, up to and
/// including `&q-signature=` (the signature, the last field, is appended once
/// computed). The lists are written by `header_list` and `param_list` straight
/// into place; `param_list` `None` is the empty list. The same text as
/// [`format_fields`] with those values (a unit test holds them together).
pub fn write_signer_fields<P: FnOnce(&mut String)>(
    out: &mut String,
    (ak, sign_time, key_time): (&str, &str, &str),
    header_list: impl FnOnce(&mut String),
    param_list: Option<P>,
) {
    out.push_str(SHA1_AK);
    out.push_str(ak);
    out.push_str(PREFIXES[2]);
    out.push_str(sign_time);
    out.push_str(PREFIXES[3]);
    out.push_str(key_time);
    out.push_str(PREFIXES[4]);
    header_list(out);
    match param_list {
        Some(p) => {
            out.push_str(PREFIXES[5]);
            p(out);
            out.push_str(PREFIXES[6]);
        }
        None => out.push_str(NO_PARAMS_SIGNATURE),
    }
}

/// [`PREFIXES`] 0 and 1 with the algorithm between them.
const SHA1_AK: &str = "q-sign-algorithm=sha1&q-ak=";

/// [`PREFIXES`] 5 and 6 with the empty list between them.
const NO_PARAMS_SIGNATURE: &str = "&q-url-param-list=&q-signature=";

/// What precedes each value in the q-sign string: its key from [`KEYS`] and `=`,
/// after the `&` that ends the previous field (a unit test holds them to [`KEYS`]).
const PREFIXES: [&str; 7] = [
    "q-sign-algorithm=",
    "&q-ak=",
    "&q-sign-time=",
    "&q-key-time=",
    "&q-header-list=",
    "&q-url-param-list=",
    "&q-signature=",
];

/// Position of a q-sign key in [`KEYS`].
fn key_index(k: &str) -> Option<usize> {
    Some(match k {
        "q-sign-algorithm" => 0,
        "q-ak" => 1,
        "q-sign-time" => 2,
        "q-key-time" => 3,
        "q-header-list" => 4,
        "q-url-param-list" => 5,
        "q-signature" => 6,
        _ => return None,
    })
}

/// `str::trim`, without the Unicode tables when both ends are visible ASCII (the usual case).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// The `&`-separated parts of a q-sign string, each trimmed, empty ones skipped,
/// with their 1-based position (for messages).
fn segments(v: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = v.as_bytes();
    let (mut start, mut n) = (0usize, 0usize);
    std::iter::from_fn(move || loop {
        if start > b.len() {
            return None;
        }
        let end = memchr::memchr(b'&', &b[start..]).map_or(b.len(), |p| start + p);
        // `&` is ASCII: both ends are character boundaries.
        let seg = trim(&v[start..end]);
        start = end + 1;
        n += 1;
        if !seg.is_empty() {
            return Some((n, seg));
        }
    })
}

/// `key=value` at the first `=`, both trimmed.
fn split_kv(seg: &str) -> Option<(&str, &str)> {
    let i = memchr::memchr(b'=', seg.as_bytes())?;
    Some((trim(&seg[..i]), trim(&seg[i + 1..])))
}

/// A q-sign authorization, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QAuth {
    /// `q-sign-algorithm` (always `sha1`); `None` when absent.
    pub algorithm: Option<String>,
    /// `q-ak`: SecretId.
    pub ak: String,
    /// `q-sign-time`: the time in StringToSign line 2.
    pub sign_time: String,
    /// `q-key-time`: the time SignKey is derived from.
    pub key_time: String,
    /// `q-header-list`; `None` when absent.
    pub header_list: Option<String>,
    /// `q-url-param-list`; `None` when absent.
    pub url_param_list: Option<String>,
    /// `q-signature`: 40 lower-case hex.
    pub signature: String,
}

impl QAuth {
    /// The exact string (cos-signing.md §1.1), as sent in the header or, encoded,
    /// in the URL. Absent lists are written empty (the pair is always present).
    pub fn format(&self) -> String {
        format_fields(&[
            self.algorithm.as_deref().unwrap_or("sha1"),
            &self.ak,
            &self.sign_time,
            &self.key_time,
            self.header_list.as_deref().unwrap_or(""),
            self.url_param_list.as_deref().unwrap_or(""),
            &self.signature,
        ])
    }

    /// `(key, value)` pairs in the fixed order (for the per-field URL form).
    pub fn pairs(&self) -> [(&'static str, &str); 7] {
        [
            (KEYS[0], self.algorithm.as_deref().unwrap_or("sha1")),
            (KEYS[1], &self.ak),
            (KEYS[2], &self.sign_time),
            (KEYS[3], &self.key_time),
            (KEYS[4], self.header_list.as_deref().unwrap_or("")),
            (KEYS[5], self.url_param_list.as_deref().unwrap_or("")),
            (KEYS[6], &self.signature),
        ]
    }

    /// Fill from `(key, value)` pairs (header string split, or URL parameters
    /// decoded). The first of repeated keys is used. `place` says where the
    /// fields came from, for messages (`the Authorization header`, `the URL`).
    pub fn from_pairs<'a>(
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
        place: &str,
        out: &mut Vec<Finding>,
    ) -> Result<QAuth> {
        QAuthRef::from_pairs(pairs, place, out).map(|a| a.to_owned())
    }
}

/// A [`QAuth`] over borrowed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QAuthRef<'a> {
    /// `q-sign-algorithm` (always `sha1`); `None` when absent.
    pub algorithm: Option<&'a str>,
    /// `q-ak`: SecretId.
    pub ak: &'a str,
    /// `q-sign-time`: the time in StringToSign line 2.
    pub sign_time: &'a str,
    /// `q-key-time`: the time SignKey is derived from.
    pub key_time: &'a str,
    /// `q-header-list`; `None` when absent.
    pub header_list: Option<&'a str>,
    /// `q-url-param-list`; `None` when absent.
    pub url_param_list: Option<&'a str>,
    /// `q-signature`: 40 lower-case hex.
    pub signature: &'a str,
}

impl<'a> QAuthRef<'a> {
    /// An owned [`QAuth`].
    pub fn to_owned(self) -> QAuth {
        QAuth {
            algorithm: self.algorithm.map(str::to_string),
            ak: self.ak.to_string(),
            sign_time: self.sign_time.to_string(),
            key_time: self.key_time.to_string(),
            header_list: self.header_list.map(str::to_string),
            url_param_list: self.url_param_list.map(str::to_string),
            signature: self.signature.to_string(),
        }
    }

    /// See [`QAuth::from_pairs`].
    pub fn from_pairs(
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
        place: &str,
        out: &mut Vec<Finding>,
    ) -> Result<QAuthRef<'a>> {
        let mut c = Collected::default();
        for (k, v) in pairs {
            c.add(k, v);
        }
        Self::from_collected(c, place, out)
    }

    /// The fields [`Collected`] gathered: errors for missing ones, one finding for
    /// the oddities.
    fn from_collected(
        c: Collected<'a>,
        place: &str,
        out: &mut Vec<Finding>,
    ) -> Result<QAuthRef<'a>> {
        let Collected {
            got,
            unknown,
            repeated,
            reordered,
            ..
        } = c;
        let need = |i: usize| -> Result<&'a str> {
            got[i].ok_or_else(|| {
                InputError::new(
                    "bad-authorization",
                    format!("the q-sign authorization in {place} has no `{}` (cos-signing.md §1.1 needs all seven fields)", KEYS[i]),
                )
                .at(place.to_string())
            })
        };
        let signature = need(6)?;
        if signature.is_empty() {
            return Err(InputError::new(
                "bad-authorization",
                format!("the q-sign authorization in {place} has an empty `q-signature`"),
            )
            .at(place.to_string()));
        }
        let a = QAuthRef {
            algorithm: got[0],
            ak: need(1)?,
            sign_time: need(2)?,
            key_time: need(3)?,
            header_list: got[4],
            url_param_list: got[5],
            signature,
        };
        let mut problems = Vec::new();
        for i in [0usize, 4, 5] {
            if got[i].is_none() {
                problems.push(format!("`{}` is missing", KEYS[i]));
            }
        }
        if !repeated.is_empty() {
            problems.push(format!(
                "repeated (the first is used): {}",
                repeated.join(", ")
            ));
        }
        if !unknown.is_empty() {
            problems.push(format!(
                "unknown fields: {}",
                unknown
                    .iter()
                    .map(|u| crate::encode::truncate(u, 30))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if reordered {
            problems.push("the fields are not in the documented order".to_string());
        }
        if !problems.is_empty() {
            out.push(Finding::new(
                "SIG115",
                Some("authorization"),
                format!("The q-sign authorization in {place}: {}. Every SDK writes exactly `q-sign-algorithm&q-ak&q-sign-time&q-key-time&q-header-list&q-url-param-list&q-signature` (cos-signing.md §1.1).", problems.join("; ")),
                format!("{place} 中的 q-sign 授权串：{}。所有 SDK 都严格按 q-sign-algorithm、q-ak、q-sign-time、q-key-time、q-header-list、q-url-param-list、q-signature 的顺序输出。", problems.join("；")),
            ));
        }
        Ok(a)
    }
}

/// The q-sign pairs read so far, in order: the first value of each key, what
/// was repeated or unknown, whether the order was broken.
#[derive(Default)]
struct Collected<'a> {
    got: [Option<&'a str>; 7],
    unknown: Vec<String>,
    repeated: Vec<String>,
    last: usize,
    reordered: bool,
}

impl<'a> Collected<'a> {
    fn add(&mut self, k: &str, v: &'a str) {
        match key_index(k) {
            Some(i) if self.got[i].is_none() => {
                self.got[i] = Some(v);
                self.reordered |= i < self.last;
                self.last = i;
            }
            Some(_) => self.repeated.push(k.to_string()),
            None => self.unknown.push(k.to_string()),
        }
    }
}

/// Parse the `Authorization` header value (or the decoded `sign=` parameter).
pub fn parse(value: &str, place: &str, out: &mut Vec<Finding>) -> Result<QAuth> {
    parse_ref(value, place, out).map(QAuthRef::to_owned)
}

/// The string exactly as every SDK writes it (cos-signing.md §1.1): the seven
/// `key=value` fields in their fixed order joined by `&`, nothing else, only
/// visible ASCII (so nothing to trim), a non-empty `q-signature`. What
/// [`parse_ref`] reads from such a string, with no finding; `None` for anything
/// else, which the general reading then decides (with its findings and errors).
pub(super) fn exact(v: &str) -> Option<QAuthRef<'_>> {
    // Visible ASCII is `0x21..=0x7e`: one branch-free pass over the bytes.
    if v.bytes()
        .fold(false, |bad, b| bad | (b.wrapping_sub(0x21) > 0x5d))
    {
        return None;
    }
    // §1.1: each field starts with its [`PREFIXES`] entry (the `&` ending the
    // previous value, the key, `=`), the value runs to the next `&`; written out
    // field by field so that every prefix is a constant compared in place.
    let rest = v.strip_prefix(PREFIXES[0])?;
    let (algorithm, rest) = field(rest, PREFIXES[1])?;
    let (ak, rest) = field(rest, PREFIXES[2])?;
    let (sign_time, rest) = field(rest, PREFIXES[3])?;
    let (key_time, rest) = field(rest, PREFIXES[4])?;
    let (header_list, rest) = field(rest, PREFIXES[5])?;
    let (url_param_list, signature) = field(rest, PREFIXES[6])?;
    if signature.is_empty() || crate::swar::find_byte(signature.as_bytes(), b'&').is_some() {
        return None;
    }
    Some(QAuthRef {
        algorithm: Some(algorithm),
        ak,
        sign_time,
        key_time,
        header_list: Some(header_list),
        url_param_list: Some(url_param_list),
        signature,
    })
}

/// One value of [`exact`]'s string: `rest` up to its first `&`, and what follows
/// the `next` prefix there (`None` without a `&`, or with another text after it).
#[inline(always)]
fn field<'a>(rest: &'a str, next: &'static str) -> Option<(&'a str, &'a str)> {
    let end = crate::swar::find_byte(rest.as_bytes(), b'&')?;
    // `&` is ASCII: both ends are char boundaries.
    let (value, tail) = rest.split_at(end);
    Some((value, tail.strip_prefix(next)?))
}

/// [`parse`] without copying the fields.
pub fn parse_ref<'a>(value: &'a str, place: &str, out: &mut Vec<Finding>) -> Result<QAuthRef<'a>> {
    match exact(value) {
        Some(a) => Ok(a),
        None => parse_general(value, place, out),
    }
}

/// [`parse_ref`] by the general rules: any order, repeats, unknown fields and
/// whitespace, each noted as a finding.
fn parse_general<'a>(value: &'a str, place: &str, out: &mut Vec<Finding>) -> Result<QAuthRef<'a>> {
    let v = trim(value);
    if v.is_empty() {
        return Err(
            InputError::new("bad-authorization", format!("{place} is empty")).at(place.to_string()),
        );
    }
    // A vectorised scan (the smallest byte) for control bytes and spaces first (the usual answer is none).
    let low = v.bytes().min().is_some_and(|b| b <= b' ');
    if low && v.bytes().any(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
        out.push(Finding::new(
            "SIG116",
            Some("authorization"),
            format!("The q-sign authorization in {place} contains whitespace; it has none (cos-signing.md §1.1), and the JS/Node SDK rejects such a string."),
            format!("{place} 中的 q-sign 授权串含有空白字符；正确的授权串不含空白（JS/Node SDK 会拒绝）。"),
        ));
    }
    // Every part must be `key=value`: the first that is not is the error (whatever
    // was read before it is dropped); the fields are read in the same pass.
    let mut c = Collected::default();
    for (i, seg) in segments(v) {
        if let Some((k, v)) = split_kv(seg) {
            c.add(k, v);
            continue;
        }
        return Err(InputError::new(
            "bad-authorization",
            format!(
                "malformed q-sign authorization: part {i} `{}` has no `=` (expected `q-sign-algorithm=sha1&q-ak=...&q-signature=...`)",
                crate::encode::truncate(&crate::canonical::escape_visible(seg), 40)
            ),
        )
        .at(place.to_string()));
    }
    QAuthRef::from_collected(c, place, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172";

    #[test]
    fn v1_round_trip() {
        // cos-signing.md §6 V1 Authorization.
        let mut f = Vec::new();
        let a = parse(V1, "the Authorization header", &mut f).unwrap();
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(a.ak, "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q");
        assert_eq!(a.key_time, "1557989151;1557996351");
        assert_eq!(a.url_param_list.as_deref(), Some(""));
        assert_eq!(a.signature, "3b8851a11a569213c17ba8fa7dcf2abec6935172");
        assert_eq!(a.format(), V1);
    }

    #[test]
    fn prefixes_are_the_keys() {
        for (i, (p, k)) in PREFIXES.iter().zip(KEYS).enumerate() {
            let sep = if i == 0 { "" } else { "&" };
            assert_eq!(*p, format!("{sep}{k}="));
        }
    }

    #[test]
    fn signer_fields_are_the_fields() {
        assert_eq!(SHA1_AK, format!("{}sha1{}", PREFIXES[0], PREFIXES[1]));
        assert_eq!(
            NO_PARAMS_SIGNATURE,
            format!("{}{}", PREFIXES[5], PREFIXES[6])
        );
        for params in [None, Some("acl;versionid")] {
            let mut got = String::new();
            let header_list = |o: &mut String| o.push_str("host;x-cos-acl");
            let param_list = params.map(|p| move |o: &mut String| o.push_str(p));
            write_signer_fields(&mut got, ("ak", "1;2", "3;4"), header_list, param_list);
            got.push_str("sig");
            let want = [
                "sha1",
                "ak",
                "1;2",
                "3;4",
                "host;x-cos-acl",
                params.unwrap_or(""),
                "sig",
            ];
            assert_eq!(got, format_fields(&want));
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let mut f = Vec::new();
        for (bad, needle) in [
            ("", "empty"),
            ("q-sign-algorithm=sha1&garbage", "has no `=`"),
            (
                "q-sign-algorithm=sha1&q-ak=a&q-sign-time=1;2&q-key-time=1;2",
                "`q-signature`",
            ),
            (
                "q-ak=a&q-sign-time=1;2&q-key-time=1;2&q-signature=",
                "empty `q-signature`",
            ),
            ("q-ak=a&q-sign-time=1;2&q-signature=x", "`q-key-time`"),
        ] {
            let e = parse(bad, "the Authorization header", &mut f).unwrap_err();
            assert_eq!(e.code(), "bad-authorization");
            assert!(e.to_string().contains(needle), "{bad}: {e}");
        }
    }

    #[test]
    fn oddities_are_findings() {
        let mut f = Vec::new();
        let a = parse(
            "q-ak=a&q-sign-algorithm=sha1&q-sign-time=1;2&q-key-time=1;2&q-signature=ab&q-ak=b&x=1",
            "h",
            &mut f,
        )
        .unwrap();
        assert_eq!(a.ak, "a");
        assert_eq!(a.header_list, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "SIG115");
        for needle in ["q-header-list", "repeated", "unknown", "order"] {
            assert!(f[0].message.contains(needle), "{}", f[0].message);
        }
        let mut f = Vec::new();
        parse(&V1.replace("&q-ak", "& q-ak"), "h", &mut f).unwrap();
        assert_eq!(f[0].code, "SIG116");
    }

    fn segment() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            prop_oneof![
                Just("q-sign-algorithm"),
                Just("q-ak"),
                Just("q-sign-time"),
                Just("q-key-time"),
                Just("q-header-list"),
                Just("q-url-param-list"),
                Just("q-signature"),
                Just("q-akx"),
                Just(" q-ak"),
                Just(""),
            ],
            prop_oneof![
                Just(Some("")),
                Just(Some("sha1")),
                Just(Some("1;2")),
                Just(Some("a=b")),
                Just(Some("host;x-cos-acl")),
                Just(Some(" v")),
                Just(Some("v\t")),
                Just(Some("\u{3000}v")),
                Just(Some("&")),
                Just(None),
            ],
        )
            .prop_map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k.to_string(),
            })
    }

    proptest::proptest! {
        #[test]
        fn exact_shape_is_the_general_reading(
            fields in proptest::collection::vec(segment(), 0..9),
            values in proptest::collection::vec("[a-z0-9;=]{0,3}|[a-z &\t]{0,3}", 7),
            in_order in proptest::bool::ANY,
            tail in proptest::option::of(segment()),
        ) {
            // Random segments, or the seven keys in order with random values (and
            // perhaps one more segment).
            let v = if in_order {
                let mut v = KEYS.iter().zip(&values).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
                if let Some(t) = &tail {
                    v.push('&');
                    v.push_str(t);
                }
                v
            } else {
                fields.join("&")
            };
            let mut f = Vec::new();
            let general = parse_general(&v, "h", &mut f);
            if let Some(a) = exact(&v) {
                proptest::prop_assert_eq!(general.ok(), Some(a));
                proptest::prop_assert!(f.is_empty(), "{:?}", f);
            } else if in_order
                && tail.is_none()
                && !values[6].is_empty()
                && values.iter().all(|v| !v.contains([' ', '&', '\t']))
            {
                proptest::prop_assert!(false, "the exact shape missed {}", v);
            }
        }
    }

    #[test]
    fn sdk_strings_take_the_exact_reading() {
        assert!(exact(V1).is_some());
        assert!(exact(&V1.replace("&q-ak", "& q-ak")).is_none());
    }
}
