//! KeyTime / SignTime (`<start>;<end>` in unix seconds) and the SignKey derived
//! from the key time (cos-signing.md §2.1, §2.2).

use crate::error::{InputError, Result};
use crate::oss::v4::signing_key::secret_eq;
use crate::secret::{KeyCache, Secret};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use std::cell::RefCell;
use zeroize::Zeroize;

type HmacSha1 = Hmac<Sha1>;

/// A parsed `<start>;<end>` window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// Start, unix seconds.
    pub start: i64,
    /// End, unix seconds.
    pub end: i64,
}

impl TimeRange {
    /// `time;time+expires`: the default key time (DESIGN "JSON request spec", COS).
    pub fn from_expires(time: i64, expires: i64) -> TimeRange {
        TimeRange {
            start: time,
            end: time.saturating_add(expires),
        }
    }

    /// Parse `start;end` exactly: decimal digits, one `;`, no spaces
    /// (cos-signing.md §1.1). `what` names the field for the error (`q-key-time`).
    pub fn parse(text: &str, what: &str) -> Result<TimeRange> {
        match Self::parse_digits(text) {
            Some(r) => Ok(r),
            None => Self::parse_general(text, what),
        }
    }

    /// The well-formed case in one pass: `1-18 digits ; 1-18 digits` (18 digits
    /// cannot overflow an i64). `None` for anything else, which
    /// [`TimeRange::parse_general`] then rejects with its message.
    fn parse_digits(text: &str) -> Option<TimeRange> {
        let b = text.as_bytes();
        let semi = memchr::memchr(b';', b)?;
        let num = |d: &[u8]| -> Option<i64> {
            if d.is_empty() || d.len() > 18 {
                return None;
            }
            d.iter().try_fold(0i64, |v, &c| {
                c.is_ascii_digit().then(|| v * 10 + i64::from(c - b'0'))
            })
        };
        Some(TimeRange {
            start: num(&b[..semi])?,
            end: num(&b[semi + 1..])?,
        })
    }

    /// Whether [`TimeRange::parse_digits`] takes `text` (and so [`TimeRange::parse`]
    /// does), without forming the values: `1-18 digits ; 1-18 digits`.
    pub(super) fn well_formed(text: &str) -> bool {
        let b = text.as_bytes();
        let Some(semi) = crate::swar::find_byte(b, b';') else {
            return false;
        };
        let digits = |d: &[u8]| (1..=18).contains(&d.len()) && crate::swar::all_digits(d);
        digits(&b[..semi]) && digits(&b[semi + 1..])
    }

    /// [`TimeRange::parse`] by the letter of the rule, with the error for each way
    /// the text can be wrong.
    fn parse_general(text: &str, what: &str) -> Result<TimeRange> {
        let bad = |why: &str| {
            InputError::new(
                "bad-key-time",
                format!(
                    "{what} `{}` is not `<start>;<end>` in unix seconds: {why}",
                    crate::encode::truncate(&crate::canonical::escape_visible(text), 60)
                ),
            )
            .at(what.to_string())
        };
        let (s, e) = text.split_once(';').ok_or_else(|| bad("no `;`"))?;
        let num = |x: &str, which: &str| -> Result<i64> {
            if x.is_empty() || x.len() > 18 || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("the {which} is not a decimal number")));
            }
            x.parse::<i64>()
                .map_err(|_| bad(&format!("the {which} is out of range")))
        };
        Ok(TimeRange {
            start: num(s, "start")?,
            end: num(e, "end")?,
        })
    }
}

impl TimeRange {
    /// `start;end` (the same text as `Display`, without the formatting machinery).
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(24);
        crate::encode::push_decimal(&mut s, self.start);
        s.push(';');
        crate::encode::push_decimal(&mut s, self.end);
        s
    }
}

impl TimeRange {
    /// [`TimeRange::text`] formed on the stack (no allocation): the end's digits
    /// written backwards from the buffer's end, then `;`, then the start's.
    pub fn stack_text(&self) -> TimeText {
        /// `n` in decimal ending just before `at`; where it starts.
        fn put(buf: &mut [u8; 41], mut at: usize, n: i64) -> usize {
            let mut v = n.unsigned_abs();
            // Two digits per step.
            while v >= 100 {
                let d = (v % 100) as usize * 2;
                v /= 100;
                at -= 2;
                buf[at..at + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
            }
            if v >= 10 {
                let d = v as usize * 2;
                at -= 2;
                buf[at..at + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
            } else {
                at -= 1;
                buf[at] = b'0' + v as u8;
            }
            if n < 0 {
                at -= 1;
                buf[at] = b'-';
            }
            at
        }
        let mut buf = [0u8; 41];
        let semi = put(&mut buf, 41, self.end) - 1;
        buf[semi] = b';';
        let start = put(&mut buf, semi, self.start);
        TimeText { buf, start }
    }
}

/// `00`, `01`, … `99`: the two decimal digits of each number below 100.
const DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// `start;end` on the stack ([`TimeRange::stack_text`]): two i64 of at most
/// 20 bytes each and the `;`, at the end of the buffer.
#[derive(Debug, Clone, Copy)]
pub struct TimeText {
    buf: [u8; 41],
    start: usize,
}

impl TimeText {
    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, `-` and `;` are ever written.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

impl std::fmt::Display for TimeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{};{}", self.start, self.end)
    }
}

/// Lower-case hex of a SHA-1 sized digest into a stack buffer (cos-signing.md
/// §2.1: every output is lowercase hex).
pub fn hex20(bytes: &[u8; 20]) -> [u8; 40] {
    let mut out = [0u8; 40];
    crate::encode::hex_into(&mut out, bytes);
    out
}

/// The text of a [`hex20`] buffer.
pub fn hex_str(hex: &[u8; 40]) -> &str {
    crate::encode::hex_text(hex)
}

/// Lower-case hex of `bytes` (cos-signing.md §2.1: every output is lowercase hex).
pub fn hex_lower(bytes: &[u8]) -> String {
    crate::encode::hex(bytes)
}

fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    let mut mac = HmacSha1::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// `hex(HMAC-SHA1(key, msg))`.
pub fn hmac_sha1_hex(key: &[u8], msg: &[u8]) -> String {
    hex_str(&hex20(&hmac_sha1(key, msg))).to_string()
}

/// SignKey = `hex_lower(HMAC-SHA1(SecretKey, KeyTime))` (cos-signing.md §2.1). The
/// key time is the exact `q-key-time` text. Uncached; see [`signature`].
pub fn sign_key(secret: &Secret, key_time: &str) -> String {
    hmac_sha1_hex(secret.expose().as_bytes(), key_time.as_bytes())
}

/// One cached SignKey: the HMAC-SHA1 state keyed with the SignKey's 40 hex
/// characters (inner and outer pads absorbed), for one (secret, key time).
struct Entry {
    secret: Secret,
    key_time: String,
    mac: HmacSha1,
}

/// Entries per thread; a verify run touches one or two key times.
const CACHE_SIZE: usize = 8;

thread_local! {
    static CACHE: RefCell<KeyCache<Entry, CACHE_SIZE>> = const { RefCell::new(KeyCache::new()) };
}

/// Signature = `hex(HMAC-SHA1(SignKey as its 40 hex characters, StringToSign))`
/// (cos-signing.md §2.1 "Critical detail": the key is the hex *text*), with
/// SignKey = `hex(HMAC-SHA1(SecretKey, KeyTime))` (§2.1) derived once per
/// (secret, key time) and kept per thread as a keyed HMAC state, so a cached
/// signature costs one HMAC of the StringToSign. The result is the same as
/// [`super::string_to_sign::signature`] over [`sign_key`].
pub fn signature(secret: &Secret, key_time: &str, string_to_sign: &[u8]) -> [u8; 40] {
    signature_parts(secret, key_time, &[string_to_sign])
}

/// [`signature`] of a StringToSign given as consecutive parts (no need to join them).
pub fn signature_parts(secret: &Secret, key_time: &str, parts: &[&[u8]]) -> [u8; 40] {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let e = c.get_or_insert(
            |e| e.key_time == key_time && secret_eq(&e.secret, secret),
            || {
                let mut key = hex20(&hmac_sha1(secret.expose().as_bytes(), key_time.as_bytes()));
                let mac = HmacSha1::new_from_slice(&key).expect("HMAC takes any key length");
                key.zeroize();
                Entry {
                    secret: secret.clone(),
                    key_time: key_time.to_string(),
                    mac,
                }
            },
        );
        let mut m = e.mac.clone();
        for p in parts {
            m.update(p);
        }
        hex20(&m.finalize().into_bytes().into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_sign_key() {
        // cos-signing.md §6 V1.
        assert_eq!(
            sign_key(
                &Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
                "1557989151;1557996351"
            ),
            "eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f"
        );
        // §6 D1–D6 common SignKey.
        assert_eq!(
            sign_key(
                &Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
                "1700000000;1700003600"
            ),
            "552178a693a0d230b84a4f15c143bc3c2cb3d9c0"
        );
    }

    #[test]
    fn cached_signature_matches_uncached_per_secret_and_key_time() {
        // cos-signing.md §6 V1: SignKey, StringToSign and signature.
        let sk = Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
        let v1_sts = "sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n";
        let v1_sig = "3b8851a11a569213c17ba8fa7dcf2abec6935172";
        let other = Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHl0");
        let kt2 = "1700000000;1700003600";
        let uncached =
            |s: &Secret, kt: &str| crate::cos::string_to_sign::signature(&sign_key(s, kt), v1_sts);
        for round in 0..3 {
            // Same key time, two secrets; same secret, two key times: four entries,
            // each the uncached value, in any order and on repeated hits.
            for (s, kt) in [
                (&sk, "1557989151;1557996351"),
                (&other, "1557989151;1557996351"),
                (&sk, kt2),
                (&other, kt2),
            ] {
                let got = signature(s, kt, v1_sts.as_bytes());
                assert_eq!(hex_str(&got), uncached(s, kt), "round {round}");
            }
            assert_eq!(
                hex_str(&signature(&sk, "1557989151;1557996351", v1_sts.as_bytes())),
                v1_sig
            );
            assert_ne!(
                hex_str(&signature(
                    &other,
                    "1557989151;1557996351",
                    v1_sts.as_bytes()
                )),
                v1_sig
            );
        }
        // Evict everything; the original still signs right.
        for i in 0..CACHE_SIZE + 2 {
            signature(&sk, &format!("{i};{}", i + 1), b"x");
        }
        assert_eq!(
            hex_str(&signature(&sk, "1557989151;1557996351", v1_sts.as_bytes())),
            v1_sig
        );
    }

    proptest::proptest! {
        #[test]
        fn stack_text_is_display(start in proptest::prelude::any::<i64>(), end in proptest::prelude::any::<i64>()) {
            let r = TimeRange { start, end };
            let t = r.stack_text();
            proptest::prop_assert_eq!(t.as_str(), r.to_string());
            proptest::prop_assert_eq!(r.text(), r.to_string());
        }

        #[test]
        fn digit_fast_path_is_the_general_rule(
            text in "[0-9]{0,20};[0-9]{0,20}|[0-9;]{0,8}|[0-9 ;a-]{0,12}|.{0,12}"
        ) {
            // The fast path accepts only what the general rule accepts, with the same values.
            proptest::prop_assert_eq!(TimeRange::well_formed(&text), TimeRange::parse_digits(&text).is_some());
            match TimeRange::parse_digits(&text) {
                Some(r) => proptest::prop_assert_eq!(Ok(r), TimeRange::parse_general(&text, "t").map_err(|e| e.to_string())),
                None => proptest::prop_assert!(TimeRange::parse_general(&text, "t").is_err()),
            }
        }
    }

    #[test]
    fn parses_ranges() {
        let r = TimeRange::parse("1557989151;1557996351", "q-key-time").unwrap();
        assert_eq!((r.start, r.end), (1557989151, 1557996351));
        assert_eq!(r.to_string(), "1557989151;1557996351");
        for (a, b) in [
            (0, 1),
            (-5, i64::MAX),
            (i64::MIN, 7),
            (1557989151, 1557996351),
        ] {
            let t = TimeRange { start: a, end: b };
            assert_eq!(t.text(), t.to_string());
        }
        for bad in ["", "1;", ";2", "1,2", "a;b", "1 ;2", "-1;2", "1;2;3"] {
            let e = TimeRange::parse(bad, "q-key-time").unwrap_err();
            assert_eq!(e.code(), "bad-key-time", "{bad}");
            assert!(e.to_string().contains("q-key-time"), "{e}");
        }
    }
}
