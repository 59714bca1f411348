//! Time formats the schemes use. Pure: the clock is always an argument.
//!
//! * RFC 1123 GMT (`Sun, 22 Nov 2015 08:16:38 GMT`): OSS V1 `Date` (oss-signing.md §2.3).
//! * ISO 8601 basic (`20231203T121212Z`): OSS V4 `x-oss-date` (oss-signing.md §4.2).
//! * Unix seconds: OSS V1 `Expires`, COS key times (cos-signing.md §2.2).

use crate::error::{InputError, Result};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Largest accepted unix time (year 9999), so formatting can never fail.
pub const MAX_UNIX: i64 = 253_402_300_799;

fn dt(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix.clamp(0, MAX_UNIX)).expect("clamped to a valid range")
}

/// RFC 1123 date in GMT, day always two digits (oss-signing.md §2.3).
pub fn http_date(unix: i64) -> String {
    // httpdate formats IMF-fixdate (RFC 7231 §7.1.1.1) quickly; it covers years up to 9999.
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.clamp(0, MAX_UNIX) as u64);
    httpdate::fmt_http_date(t)
}

/// ISO 8601 basic UTC timestamp `yyyymmddTHHMMSSZ` (oss-signing.md §4.2).
pub fn iso_basic(unix: i64) -> String {
    let f = format_description!("[year][month][day]T[hour][minute][second]Z");
    dt(unix).format(f).expect("static format")
}

/// `yyyymmdd` of a unix time (the V4 scope date, oss-signing.md §4.4).
pub fn ymd(unix: i64) -> String {
    let f = format_description!("[year][month][day]");
    dt(unix).format(f).expect("static format")
}

/// Parse an RFC 1123 GMT date exactly as OSS requires it; `None` when malformed.
pub fn parse_http_date(s: &str) -> Option<i64> {
    // httpdate also accepts the obsolete RFC 850 and asctime forms: only IMF-fixdate
    // is an RFC 1123 date here. IMF-fixdate is exactly 29 bytes and the other two
    // never are (RFC 850 has at least 30, asctime 24); httpdate reads IMF-fixdate
    // strictly (fixed positions, `GMT`, digits, and a weekday that must agree with
    // the date), so a 29-byte text it accepts is the date formatted back: no
    // re-formatting on this path, which runs on every V1 verify.
    if s.len() != 29 {
        return None;
    }
    let t = httpdate::parse_http_date(s).ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// Parse `yyyymmddTHHMMSSZ`; `None` when malformed.
pub fn parse_iso_basic(s: &str) -> Option<i64> {
    let f = format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(s, f)
        .ok()
        .map(|p| p.assume_utc().unix_timestamp())
}

/// ISO 8601 extended (RFC 3339) to unix seconds; `None` when malformed.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|d| d.unix_timestamp())
}

/// RFC 3339 rendering of a unix time (for reports).
pub fn rfc3339(unix: i64) -> String {
    dt(unix).format(&Rfc3339).expect("valid")
}

/// Unix seconds within the range sigdiff accepts (milliseconds are refused).
pub fn unix_in_range(n: i64) -> Result<i64> {
    if (0..=MAX_UNIX).contains(&n) {
        return Ok(n);
    }
    Err(InputError::new(
        "bad-time",
        format!(
            "unix time {n} is out of range (0..={MAX_UNIX}); milliseconds are not accepted here"
        ),
    ))
}

/// Read a time given by a user: unix seconds, RFC 3339, RFC 1123 or ISO basic.
pub fn parse_time_arg(s: &str) -> Result<i64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return unix_in_range(n);
    }
    parse_rfc3339(t)
        .or_else(|| parse_http_date(t))
        .or_else(|| parse_iso_basic(t))
        .ok_or_else(|| {
            InputError::new(
                "bad-time",
                format!(
                    "cannot read time `{}`: give unix seconds, RFC 3339 (2023-12-03T12:12:12Z), RFC 1123 (Sun, 03 Dec 2023 12:12:12 GMT) or 20231203T121212Z",
                    crate::encode::truncate(t, 60)
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        // oss-signing.md §9.1 T2: x-oss-date Wed, 28 Dec 2022 10:27:41 GMT = 1672223261.
        assert_eq!(http_date(1672223261), "Wed, 28 Dec 2022 10:27:41 GMT");
        // §9.2 U1: 1702743657 -> 20231216T162057Z.
        assert_eq!(iso_basic(1702743657), "20231216T162057Z");
        assert_eq!(ymd(1702743657), "20231216");
        assert_eq!(
            parse_http_date("Wed, 28 Dec 2022 10:27:41 GMT"),
            Some(1672223261)
        );
        assert_eq!(parse_iso_basic("20231216T162057Z"), Some(1702743657));
        assert_eq!(parse_http_date("Wed, 28 Dec 2022 10:27:41 +0800"), None);
        assert_eq!(parse_http_date("Wed, 8 Dec 2022 10:27:41 GMT"), None);
    }

    #[test]
    fn accepted_http_dates_format_back_exactly() {
        // parse_http_date skips the format-back check on the grounds that a 29-byte
        // text httpdate accepts is its own IMF-fixdate: hold it to that.
        assert_eq!(parse_http_date("Thu, 28 Dec 2022 10:27:41 GMT"), None); // wrong weekday
        assert_eq!(parse_http_date("Wed, 28 Dec 2022 10:27:41 gmt"), None);
        assert_eq!(parse_http_date("Wed, 28 dec 2022 10:27:41 GMT"), None);
        assert_eq!(parse_http_date("Wed, 28 Dec 2022 24:27:41 GMT"), None);
        assert_eq!(parse_http_date("Wed,  28 Dec 2022 10:27:41 GMT"), None);
        assert_eq!(parse_http_date("Wednesday, 28-Dec-22 10:27:41 GMT"), None);
        assert_eq!(parse_http_date("Wed Dec 28 10:27:41 2022"), None);
    }

    proptest::proptest! {
        #[test]
        fn http_date_round_trip(t in 0i64..253_402_300_799, edit in 0usize..29, b in 0u8..128) {
            let text = http_date(t);
            proptest::prop_assert_eq!(parse_http_date(&text), Some(t));
            // Any one-byte change is either refused or another exact IMF-fixdate.
            let mut bytes = text.into_bytes();
            bytes[edit] = b;
            if let Ok(s) = String::from_utf8(bytes) {
                if let Some(u) = parse_http_date(&s) {
                    proptest::prop_assert_eq!(http_date(u), s);
                }
            }
        }
    }

    #[test]
    fn time_args() {
        assert_eq!(parse_time_arg("1701605532").unwrap(), 1701605532);
        assert_eq!(parse_time_arg("2023-12-03T12:12:12Z").unwrap(), 1701605532);
        assert_eq!(
            parse_time_arg("Sun, 03 Dec 2023 12:12:12 GMT").unwrap(),
            1701605532
        );
        assert_eq!(parse_time_arg("20231203T121212Z").unwrap(), 1701605532);
        assert_eq!(
            parse_time_arg("1701605532000").unwrap_err().code(),
            "bad-time"
        );
        assert_eq!(parse_time_arg("yesterday").unwrap_err().code(), "bad-time");
    }
}
