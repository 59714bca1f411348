//! Percent-encoding and -decoding shared by every scheme.
//!
//! One encoder serves both the canonical forms and the wire URLs sigdiff builds, so
//! the two always agree (the rusty-s3 rule). The set is RFC 3986 "unreserved":
//! `A-Z a-z 0-9 - _ . ~` stay, every other UTF-8 byte becomes `%XX` with upper-case
//! hex (oss-signing.md §1.2, cos-signing.md §2.3).

use crate::error::{InputError, Result};
use percent_encoding::{percent_decode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// Everything but RFC 3986 unreserved characters (oss-signing.md §1.2; cos-signing.md §2.3).
pub const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// As [`RFC3986`] but keeping `/` (the OSS V4 canonical URI, oss-signing.md §4.3).
pub const RFC3986_PATH: &AsciiSet = &RFC3986.remove(b'/');

/// The JavaScript `encodeURIComponent` set: RFC 3986 unreserved plus `!*'()` kept
/// (the Go COS SDK's presigned-URL encoding, cos-signing.md §1.2).
pub const URI_COMPONENT: &AsciiSet = &RFC3986
    .remove(b'!')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encode like JavaScript's `encodeURIComponent` (see [`URI_COMPONENT`]).
pub fn encode_uri_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, URI_COMPONENT).to_string()
}

/// Percent-encode with the RFC 3986 unreserved set; `/` is encoded.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4 + 4);
    encode_into(&mut out, s);
    out
}

/// RFC 3986 unreserved: `A-Z a-z 0-9 - _ . ~` (the [`RFC3986`] set's complement).
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Append the RFC 3986 encoding of `s` to `out` (allocation-free when `out` has
/// room): [`encode_keep_into`] keeping the unreserved bytes, which a property
/// test holds to the `percent-encoding` crate with the [`RFC3986`] set.
#[inline]
pub fn encode_into(out: &mut String, s: &str) {
    encode_keep_into(out, s, Keep::Unreserved);
}

/// Percent-encode keeping `/` literal.
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4 + 4);
    encode_keep_into(&mut out, s, Keep::Slash);
    out
}

/// Bit 1: unreserved (§1.2). Bit 2: unreserved or `/` (the canonical URI, §4.3).
const KEEP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        // RFC 3986 unreserved: `A-Z a-z 0-9 - _ . ~` (oss-signing.md §1.2).
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            t[b] = 3;
        } else if c == b'/' {
            t[b] = 2;
        }
        b += 1;
    }
    t
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Which bytes stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Unreserved only (query names and values, §4.3).
    Unreserved,
    /// Unreserved and `/` (the canonical URI, §4.3).
    Slash,
}

impl Keep {
    fn mask(self) -> u8 {
        match self {
            Keep::Unreserved => 1,
            Keep::Slash => 2,
        }
    }
}

/// True when `s` is its own encoding under `keep`.
pub fn is_kept(s: &str, keep: Keep) -> bool {
    kept_prefix(s.as_bytes(), keep.mask()) == s.len()
}

/// Append the encoding of `s` to `out`, table-driven: runs of kept bytes copied
/// at once, every other UTF-8 byte as `%XX` with upper-case hex. The one encoder
/// behind the canonical forms (OSS V4 §4.3, COS §2.3) and the wire URLs; a
/// property test holds it to `percent_encoding` with the [`RFC3986`] sets.
pub fn encode_keep_into(out: &mut String, s: &str, keep: Keep) {
    let m = keep.mask();
    let b = s.as_bytes();
    // Kept bytes are the usual case: room for all of them at once.
    out.reserve(b.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        i += kept_prefix(&b[i..], m);
        let Some(&c) = b.get(i) else { break };
        // `run..i`, when not empty, is kept bytes, all ASCII: both ends are char
        // boundaries (after the loop too: `run..` is then kept bytes or empty).
        if run < i {
            out.push_str(&s[run..i]);
        }
        let at = 3 * usize::from(c);
        out.push_str(&ESCAPES[at..at + 3]);
        i += 1;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// How many leading bytes of `b` are kept under mask `m`: eight table looks
/// and one test per eight bytes, then byte by byte.
fn kept_prefix(b: &[u8], m: u8) -> usize {
    let k = |c: u8| KEEP[usize::from(c)];
    let mut n = 0;
    for w in b.chunks_exact(8) {
        let all = k(w[0]) & k(w[1]) & k(w[2]) & k(w[3]) & k(w[4]) & k(w[5]) & k(w[6]) & k(w[7]);
        if all & m == 0 {
            break;
        }
        n += 8;
    }
    n + b[n..].iter().take_while(|&&c| k(c) & m != 0).count()
}

/// `%XX` (upper-case hex) for every byte value, three bytes each.
const ESCAPES: &str = {
    const BYTES: [u8; 768] = {
        let mut t = [0u8; 768];
        let mut b = 0;
        while b < 256 {
            t[3 * b] = b'%';
            t[3 * b + 1] = HEX[b >> 4];
            t[3 * b + 2] = HEX[b & 15];
            b += 1;
        }
        t
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("escapes are ASCII"),
    }
};

/// How a literal `+` in percent-encoded text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlusMeans {
    /// `+` is a literal plus sign (RFC 3986 paths; OSS object keys).
    Plus,
    /// `+` is a space (HTML form encoding; COS paths, query values).
    Space,
}

/// Percent-decode `raw` into UTF-8 text. `what` names the part for error messages.
///
/// Malformed escapes (`%G1`, a lone `%`) are kept literally, as servers do; bytes
/// that are not valid UTF-8 after decoding are an error naming the byte offset.
/// Borrows `raw` when there is nothing to decode.
pub fn decode<'a>(raw: &'a str, plus: PlusMeans, what: &str) -> Result<Cow<'a, str>> {
    // One scan decides whether there is anything to decode (the common case: no).
    let space = plus == PlusMeans::Space;
    let (mut pct, mut needs_plus) = (false, false);
    for b in raw.bytes() {
        pct |= b == b'%';
        needs_plus |= space && b == b'+';
    }
    if !needs_plus && !pct {
        return Ok(Cow::Borrowed(raw));
    }
    let replaced;
    let src: &str = if needs_plus {
        replaced = raw.replace('+', " ");
        &replaced
    } else {
        raw
    };
    let mut decoded: Vec<u8> = Vec::with_capacity(src.len());
    decoded.extend(percent_decode(src.as_bytes()));
    String::from_utf8(decoded).map(Cow::Owned).map_err(|e| {
        InputError::new(
            "invalid-utf8",
            format!(
                "{what} decodes to bytes that are not UTF-8 (byte {} of the decoded text)",
                e.utf8_error().valid_up_to()
            ),
        )
        .at(what.to_string())
    })
}

/// True when `raw` is exactly what [`encode`] (or [`encode_path`] if `keep_slash`)
/// produces for its decoded text: no lower-case escapes, nothing left unencoded.
pub fn is_canonical(raw: &str, keep_slash: bool) -> bool {
    match decode(raw, PlusMeans::Plus, "text") {
        Ok(d) => {
            let again = if keep_slash {
                encode_path(&d)
            } else {
                encode(&d)
            };
            again == raw
        }
        Err(_) => false,
    }
}

/// One query parameter as it appeared on the wire, and decoded. Borrows from the
/// query text unless decoding changed something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam<'a> {
    /// The name as sent (still percent-encoded).
    pub raw_name: &'a str,
    /// The value as sent; `None` when there was no `=` (`?acl`).
    pub raw_value: Option<&'a str>,
    /// The decoded name.
    pub name: Cow<'a, str>,
    /// The decoded value; `None` for a bare name.
    pub value: Option<Cow<'a, str>>,
}

/// Split a raw query string (without the leading `?`) into parameters, decoding
/// each name and value once. Empty segments (`a&&b`) are skipped.
pub fn parse_query(raw: &str, plus: PlusMeans) -> Result<Vec<QueryParam<'_>>> {
    let mut out = Vec::with_capacity(raw.bytes().filter(|b| *b == b'&').count() + 1);
    for (i, seg) in raw.split('&').enumerate() {
        if seg.is_empty() {
            continue;
        }
        let (rn, rv) = match seg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (seg, None),
        };
        let loc = || format!("query parameter {} `{}`", i + 1, truncate(rn, 40));
        let name = decode(rn, plus, "query parameter name").map_err(|e| e.at(loc()))?;
        let value = match rv {
            Some(v) => Some(decode(v, plus, "query parameter value").map_err(|e| e.at(loc()))?),
            None => None,
        };
        out.push(QueryParam {
            raw_name: rn,
            raw_value: rv,
            name,
            value,
        });
    }
    Ok(out)
}

/// A header value without its optional whitespace (RFC 9110 §5.5: spaces and tabs at
/// either end), byte-wise: the hot paths of every scheme trim every signed header.
pub fn trim_ows(v: &str) -> &str {
    let b = v.as_bytes();
    let ows = |c: &u8| *c == b' ' || *c == b'\t';
    let start = b.iter().position(|c| !ows(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ows(c)).map_or(start, |i| i + 1);
    // Both ends sit next to ASCII bytes, so they are char boundaries.
    &v[start..end]
}

/// Shorten text for messages (on a char boundary), adding `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The decimal text of an integer (the bytes `Display` writes), formed on the
/// stack: the one integer formatter of the hot paths (Expires, KeyTime, ids and
/// numbers in the hand-written JSON lines), without the formatting machinery.
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    buf: [u8; 21],
    start: usize,
}

impl Decimal {
    /// `v` in decimal.
    pub fn of_u64(v: u64) -> Decimal {
        Decimal::digits(v, false)
    }

    /// `n` in decimal, `-` first when negative.
    pub fn of_i64(n: i64) -> Decimal {
        Decimal::digits(n.unsigned_abs(), n < 0)
    }

    fn digits(mut v: u64, negative: bool) -> Decimal {
        // u64::MAX has 20 digits; an i64's magnitude at most 19, plus the sign.
        let mut buf = [b'-'; 21];
        let mut start = buf.len();
        loop {
            start -= 1;
            buf[start] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if negative {
            start -= 1;
        }
        Decimal { buf, start }
    }

    /// The text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and `-` are ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// The two lower-case hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [H[i >> 4], H[i & 15]];
        i += 1;
    }
    t
};

/// Lower-case hex of `bytes` into the first `2 * bytes.len()` bytes of `out`:
/// the text form of every digest and key the schemes sign with (oss-signing.md
/// §4.4, §4.5; cos-signing.md §2.1). The one hex encoder of the crate.
pub fn hex_into(out: &mut [u8], bytes: &[u8]) {
    for (o, b) in out.chunks_exact_mut(2).zip(bytes) {
        o.copy_from_slice(&HEX_PAIRS[*b as usize]);
    }
}

/// Lower-case hex of `bytes` as a `String`.
pub fn hex(bytes: &[u8]) -> String {
    let mut b = vec![0u8; bytes.len() * 2];
    hex_into(&mut b, bytes);
    String::from_utf8(b).unwrap_or_default()
}

/// The text of a buffer [`hex_into`] wrote (only `0-9a-f`).
pub fn hex_text(hex: &[u8]) -> &str {
    std::str::from_utf8(hex).unwrap_or_default()
}

/// Append a decimal integer (see [`Decimal`]).
pub fn push_decimal(out: &mut String, n: i64) {
    out.push_str(Decimal::of_i64(n).as_str());
}

/// Byte-wise order of two texts as if ASCII-lower-cased (a prefix first), without
/// lower-casing them: the canonical-key order of OSS V1 `x-oss-` headers
/// (oss-signing.md §2.4), OSS V4 canonical headers (§4.3) and COS HttpHeaders
/// (cos-signing.md §2.4). Bytes are lower-cased only where they differ.
pub fn cmp_ascii_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
            if x != y {
                return x.cmp(&y);
            }
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmp_ascii_lowercase_is_the_order_of_the_lowered_texts() {
        let words = [
            "", "a", "A", "ab", "aB", "Ab", "b", "x-oss-a", "X-OSS-B", "x-oss-", "_", "Z", "z~",
        ];
        for a in words {
            for b in words {
                let want = a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
                assert_eq!(cmp_ascii_lowercase(a, b), want, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn hex_is_lower_case_two_digits_per_byte() {
        let all: Vec<u8> = (0..=255u8).collect();
        let want: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), want);
        let mut buf = [b'!'; 8];
        hex_into(&mut buf, &[0xab, 0x01]);
        assert_eq!(hex_text(&buf), "ab01!!!!");
    }

    proptest::proptest! {
        // The table encoder against the percent_encoding crate with the RFC 3986 sets.
        #[test]
        fn table_encoder_is_percent_encoding(
            s in proptest::prop_oneof![
                proptest::prelude::any::<String>(),
                // Long kept runs with a few others: the eight-byte skip and its tail.
                "[a-zA-Z0-9._~-]{0,30}[/+ %é=]?[a-zA-Z0-9._~/-]{0,20}[ ]?",
            ],
            pre in "[a-z%/]{0,3}",
        ) {
            let mut o = pre.clone();
            encode_into(&mut o, &s);
            proptest::prop_assert_eq!(&o[pre.len()..], percent_encoding::utf8_percent_encode(&s, RFC3986).to_string());
            proptest::prop_assert_eq!(encode_path(&s), percent_encoding::utf8_percent_encode(&s, RFC3986_PATH).to_string());
            proptest::prop_assert_eq!(is_kept(&s, Keep::Unreserved), encode(&s) == s);
            proptest::prop_assert_eq!(is_kept(&s, Keep::Slash), encode_path(&s) == s);
        }
    }

    #[test]
    fn table_encoder_spec_examples() {
        // oss-signing.md §4.3 / §9.3 E1.
        assert_eq!(encode_path("1234+-/123/1.txt"), "1234%2B-/123/1.txt");
        assert_eq!(
            encode_path("a/中文 b+c~d.txt"),
            "a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt"
        );
        assert_eq!(encode("a/b*"), "a%2Fb%2A");
        for b in 0u8..=127 {
            assert_eq!(
                is_kept(&(b as char).to_string(), Keep::Unreserved),
                is_unreserved(b)
            );
        }
    }

    #[test]
    fn push_decimal_is_display() {
        for n in [0, 7, -7, 10, 1_672_226_861, i64::MAX, i64::MIN] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        for v in [0, 9, 10, u64::MAX, i64::MAX as u64 + 1] {
            assert_eq!(Decimal::of_u64(v).as_str(), v.to_string());
        }
    }

    #[test]
    fn trim_ows_is_trim_matches_space_tab() {
        for v in [
            "",
            " ",
            "\t \t",
            " a ",
            "\ta\tb\t",
            "a",
            " \u{3000}x\u{00a0} ",
            "\r a \n",
            "é ",
        ] {
            assert_eq!(trim_ows(v), v.trim_matches([' ', '\t']), "{v:?}");
        }
    }

    // cos-signing.md §2.3 / V12: Java UrlEncoderUtilsTest.testEncode.
    #[test]
    fn v12_encode_table() {
        let input = "! \"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
        let want = "%21%20%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~";
        assert_eq!(encode(input), want);
        assert_eq!(encode("腾讯云"), "%E8%85%BE%E8%AE%AF%E4%BA%91");
    }

    #[test]
    fn unreserved_is_the_sets_complement() {
        for b in 0u8..=127 {
            let kept = encode(&(b as char).to_string()).len() == 1;
            assert_eq!(is_unreserved(b), kept, "byte {b}");
        }
    }

    #[test]
    fn uri_component_keeps_marks() {
        // cos-signing.md §1.2 (Go `encodeURIComponent`): `;` -> %3B, `*` literal.
        assert_eq!(
            encode_uri_component("a=1&b*'()!~;/ %"),
            "a%3D1%26b*'()!~%3B%2F%20%25"
        );
    }

    #[test]
    fn path_keeps_slash() {
        // oss-signing.md §4.3: key `1234+-/123/1.txt` -> `/bucket/1234%2B-/123/1.txt`.
        assert_eq!(
            encode_path("/bucket/1234+-/123/1.txt"),
            "/bucket/1234%2B-/123/1.txt"
        );
    }

    #[test]
    fn decode_plus_modes() {
        assert_eq!(decode("a+b%20c", PlusMeans::Plus, "x").unwrap(), "a+b c");
        assert_eq!(decode("a+b%20c", PlusMeans::Space, "x").unwrap(), "a b c");
        assert_eq!(decode("%zz%", PlusMeans::Plus, "x").unwrap(), "%zz%");
        let e = decode("ok%FF", PlusMeans::Plus, "object key").unwrap_err();
        assert_eq!(e.code(), "invalid-utf8");
        assert!(e.to_string().contains("byte 2"), "{e}");
    }

    #[test]
    fn query_bare_and_empty() {
        let q = parse_query("acl&k=&a%20b=c%2Bd&&x=1=2", PlusMeans::Plus).unwrap();
        assert_eq!(q.len(), 4);
        assert_eq!(q[0].value, None);
        assert_eq!(q[1].value.as_deref(), Some(""));
        assert_eq!(q[2].name, "a b");
        assert_eq!(q[2].value.as_deref(), Some("c+d"));
        assert_eq!(q[3].value.as_deref(), Some("1=2"));
    }

    #[test]
    fn canonical_check() {
        assert!(is_canonical("a%20b", false));
        assert!(!is_canonical("a%2fb", false));
        assert!(!is_canonical("a*b", false));
        assert!(is_canonical("a/b", true));
    }
}
