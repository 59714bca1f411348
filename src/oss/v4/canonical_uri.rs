//! The V4 CanonicalURI (oss-signing.md §4.3, §1.2, §1.3).
//!
//! `percent-encode("/" + bucket + "/" + key)` with `/` kept; the bucket is
//! included for every addressing style (virtual-hosted, path, CNAME); no bucket
//! gives `/`, a bucket without key `/bucket/`. The key is the decoded key,
//! encoded exactly once.

use crate::encode::{encode_keep_into as encode_into, Keep};

/// Append the canonical URI for a bucket and decoded key to `out`.
pub fn write(out: &mut String, bucket: Option<&str>, key: &str) {
    out.push('/');
    // oss-signing.md §4.3: no bucket → `/`.
    let Some(b) = bucket else { return };
    encode_path_into(out, b);
    out.push('/');
    encode_path_into(out, key);
}

/// The RFC 3986 encoding with `/` kept ([`crate::encode::RFC3986_PATH`], §1.2)
/// appended to `out`, by the table-driven encoder ([`super::pct`]).
fn encode_path_into(out: &mut String, s: &str) {
    encode_into(out, s, Keep::Slash);
}

/// True when `raw` (a key as sent, `+` literal) is the encoding [`write()`]
/// gives its decoding: only unreserved bytes and `/`, and `%XX` escapes with
/// upper-case hex of ASCII bytes that are neither (§1.2, §4.3). Its decoding is
/// then ASCII (never a decoding error) and re-encodes to `raw` byte for byte,
/// so the canonical URI can copy it.
pub fn is_own_encoding(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match OWN[b[i] as usize] {
            // Hex digits are unreserved bytes too.
            0..=15 | KEPT => i += 1,
            PCT => {
                // `%` + an upper-case hex pair below 0x80 naming a byte `write` escapes.
                let (Some(&h), Some(&l)) = (b.get(i + 1), b.get(i + 2)) else {
                    return false;
                };
                let (h, l) = (OWN[h as usize], OWN[l as usize]);
                if h >= 8 || l >= 16 || is_kept(h * 16 + l) {
                    return false;
                }
                i += 3;
            }
            _ => return false,
        }
    }
    true
}

/// [`OWN`]: unreserved or `/` (what the canonical URI keeps, §1.2, §4.3).
const KEPT: u8 = 0x40;
/// [`OWN`]: `%`.
const PCT: u8 = 0x80;
/// [`OWN`]: anything else (`0..=15` are the upper-case hex digits' values).
const OTHER: u8 = 0xff;

/// Per byte: its value as an upper-case hex digit (`0-9`, `A-F`: kept bytes
/// too), else [`KEPT`], [`PCT`] or [`OTHER`].
const OWN: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'F' => b - b'A' + 10,
            b'%' => PCT,
            _ if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') => KEPT,
            _ => OTHER,
        };
        c += 1;
    }
    t
};

/// Unreserved or `/`: what the canonical URI keeps (§1.2, §4.3).
fn is_kept(c: u8) -> bool {
    crate::encode::is_unreserved(c) || c == b'/'
}

/// [`write()`] for a key given as sent when [`is_own_encoding`] holds for it:
/// the bucket is encoded, the key copied.
pub fn write_encoded(out: &mut String, bucket: Option<&str>, key_raw: &str) {
    out.push('/');
    // oss-signing.md §4.3: no bucket → `/`.
    let Some(b) = bucket else { return };
    encode_path_into(out, b);
    out.push('/');
    out.push_str(key_raw);
}

/// The canonical URI as a new string.
pub fn canonical_uri(bucket: Option<&str>, key: &str) -> String {
    let mut s = String::with_capacity(2 + bucket.map_or(0, str::len) + key.len() * 3 / 2);
    write(&mut s, bucket, key);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // §4.3 / §9.2: key `1234+-/123/1.txt` → `/bucket/1234%2B-/123/1.txt`.
        assert_eq!(
            canonical_uri(Some("bucket"), "1234+-/123/1.txt"),
            "/bucket/1234%2B-/123/1.txt"
        );
        // §9.3 E1: UTF-8, space, `+`, `~`.
        assert_eq!(
            canonical_uri(Some("examplebucket"), "a/中文 b+c~d.txt"),
            "/examplebucket/a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt"
        );
        // §9.3 E2 (bucket level) and E3 (service).
        assert_eq!(canonical_uri(Some("examplebucket"), ""), "/examplebucket/");
        assert_eq!(canonical_uri(None, ""), "/");
        // §10 item 8: directory keys keep their trailing slash; `*` is encoded (§10 item 4).
        assert_eq!(canonical_uri(Some("b"), "dir/a*b/"), "/b/dir/a%2Ab/");
    }

    #[test]
    fn own_encodings() {
        for ok in ["", "a/b", "a%20b%2Bc.jpg", "%2A/", "~-_.", "%7F"] {
            assert!(is_own_encoding(ok), "{ok}");
        }
        // Lower-case hex, escaped unreserved bytes and `/`, non-ASCII escapes, `+`,
        // a lone or short `%`, a raw space or non-ASCII byte: not as written.
        for no in [
            "%2a",
            "%41",
            "%2F",
            "%E4%B8%AD",
            "a+b",
            "%",
            "%2",
            "a b",
            "中",
            "%G1",
        ] {
            assert!(!is_own_encoding(no), "{no}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// The copy is what decoding and encoding again give (and the decoding
        /// cannot fail): drawn raw keys of escapes, kept bytes and others.
        #[test]
        fn own_encoding_is_decode_then_write(
            raw in proptest::collection::vec(
                // Mostly escapes and kept bytes: most draws pass `is_own_encoding`.
                proptest::prop_oneof![
                    6 => "%[0-7][0-9A-Fa-f]",
                    2 => "%[0-9A-Fa-f]{2}",
                    6 => "[a-zA-Z0-9/_.~-]{1,3}",
                    1 => "[+ *%]",
                    1 => "[\\u{80}-\\u{3000}]",
                ],
                0..6,
            ),
            bucket in proptest::option::of("[a-z0-9-]{1,6}"),
        ) {
            let raw = raw.concat();
            if is_own_encoding(&raw) {
                let key = crate::encode::decode(&raw, crate::encode::PlusMeans::Plus, "key").unwrap();
                let (mut a, mut b) = (String::new(), String::new());
                write(&mut a, bucket.as_deref(), &key);
                write_encoded(&mut b, bucket.as_deref(), &raw);
                proptest::prop_assert_eq!(a, b);
            }
        }
    }
}
