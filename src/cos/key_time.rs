//! KeyTime / SignTime (`<start>;<end>` in unix seconds) and the SignKey derived
//! from the key time (cos-signing.md §2.1, §2.2).

use crate::error::{InputError, Result};
use crate::secret::Secret;
use hmac::{Hmac, Mac};
use sha1::Sha1;

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

impl std::fmt::Display for TimeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{};{}", self.start, self.end)
    }
}

/// Lower-case hex of `bytes` (cos-signing.md §2.1: every output is lowercase hex).
pub fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut v = Vec::with_capacity(bytes.len() * 2 + 1);
    for b in bytes {
        v.push(HEX[(b >> 4) as usize]);
        v.push(HEX[(b & 15) as usize]);
    }
    String::from_utf8(v).expect("hex digits are ASCII")
}

/// `hex(HMAC-SHA1(key, msg))`.
pub fn hmac_sha1_hex(key: &[u8], msg: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    hex_lower(&mac.finalize().into_bytes())
}

/// SignKey = `hex_lower(HMAC-SHA1(SecretKey, KeyTime))` (cos-signing.md §2.1). The
/// key time is the exact `q-key-time` text.
pub fn sign_key(secret: &Secret, key_time: &str) -> String {
    hmac_sha1_hex(secret.expose().as_bytes(), key_time.as_bytes())
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
    fn parses_ranges() {
        let r = TimeRange::parse("1557989151;1557996351", "q-key-time").unwrap();
        assert_eq!((r.start, r.end), (1557989151, 1557996351));
        assert_eq!(r.to_string(), "1557989151;1557996351");
        for bad in ["", "1;", ";2", "1,2", "a;b", "1 ;2", "-1;2", "1;2;3"] {
            let e = TimeRange::parse(bad, "q-key-time").unwrap_err();
            assert_eq!(e.code(), "bad-key-time", "{bad}");
            assert!(e.to_string().contains("q-key-time"), "{e}");
        }
    }
}
