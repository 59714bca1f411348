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
    let b = http_date_bytes(unix);
    // Only ASCII letters, digits, `,`, `:` and spaces are written.
    std::str::from_utf8(&b).unwrap_or_default().to_string()
}

/// [`http_date`] into a stack buffer: IMF-fixdate (RFC 7231 §7.1.1.1,
/// `Wed, 28 Dec 2022 10:27:41 GMT`) written by hand for the diagnosis's
/// per-second time families (1,800 dates per search; `httpdate`'s formatting
/// goes through `fmt`), property-tested against the `httpdate` crate.
pub fn http_date_bytes(unix: i64) -> [u8; 29] {
    const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let c = Civil::of(unix);
    let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    // 1970-01-01 was a Thursday.
    out[..3].copy_from_slice(DAYS[c.days.rem_euclid(7) as usize]);
    out[8..11].copy_from_slice(MONTHS[(c.m - 1) as usize]);
    put_digits(&mut out, 5, 2, c.d);
    put_digits(&mut out, 12, 4, c.y);
    c.put_clock(&mut out, [17, 20, 23]);
    out
}

/// ISO 8601 basic UTC timestamp `yyyymmddTHHMMSSZ` (oss-signing.md §4.2).
pub fn iso_basic(unix: i64) -> String {
    let b = iso_basic_bytes(unix);
    // Only ASCII digits, `T` and `Z` are written.
    std::str::from_utf8(&b).unwrap_or_default().to_string()
}

/// [`iso_basic`] into a stack buffer: the fixed 16-byte format written by hand
/// (civil date from days since the epoch, proleptic Gregorian; property-tested
/// against the `time` crate's formatting).
pub fn iso_basic_bytes(unix: i64) -> [u8; 16] {
    let c = Civil::of(unix);
    let mut out = *b"00000000T000000Z";
    put_digits(&mut out, 0, 4, c.y);
    put_digits(&mut out, 4, 2, c.m);
    put_digits(&mut out, 6, 2, c.d);
    c.put_clock(&mut out, [9, 11, 13]);
    out
}

/// A unix time (clamped to 1970..=9999) cut into its civil UTC fields, for the
/// fixed-width formats written by hand.
struct Civil {
    days: i64,
    secs: i64,
    y: i64,
    m: i64,
    d: i64,
}

impl Civil {
    fn of(unix: i64) -> Self {
        let t = unix.clamp(0, MAX_UNIX);
        let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        Civil {
            days,
            secs,
            y,
            m,
            d,
        }
    }

    /// Hours, minutes and seconds as two digits each, at the given offsets.
    fn put_clock(&self, out: &mut [u8], at: [usize; 3]) {
        put_digits(out, at[0], 2, self.secs / 3600);
        put_digits(out, at[1], 2, self.secs / 60 % 60);
        put_digits(out, at[2], 2, self.secs % 60);
    }
}

/// `v` as `width` decimal digits (zero-padded) at `out[at..at + width]`.
fn put_digits(out: &mut [u8], at: usize, width: usize, mut v: i64) {
    for i in (at..at + width).rev() {
        out[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`, proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (`days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The fixed 16-byte `yyyymmddTHHMMSSZ` read by hand: every digit checked, the
/// month, day (for that month and year), hour, minute and second in range.
/// `None` for anything else (the caller then asks the `time` crate).
fn parse_iso_basic_fixed(s: &str) -> Option<i64> {
    let b: &[u8; 16] = s.as_bytes().try_into().ok()?;
    if b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > month_days || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
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
    // The usual exact form by hand; anything else as the `time` crate reads it.
    if let Some(t) = parse_iso_basic_fixed(s) {
        return Some(t);
    }
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

    proptest::proptest! {
        #[test]
        fn http_date_is_the_crates(t in 0i64..=MAX_UNIX) {
            let by_crate = httpdate::fmt_http_date(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(t as u64),
            );
            proptest::prop_assert_eq!(http_date(t), by_crate);
        }
    }

    #[test]
    fn http_date_edges_are_the_crates() {
        // Epoch, leap days, the turn of centuries, the last second of year 9999.
        for t in [
            0,
            951_782_400,
            951_868_799,
            4_107_542_399,
            1_709_164_800,
            MAX_UNIX,
        ] {
            let by_crate = httpdate::fmt_http_date(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(t as u64),
            );
            assert_eq!(http_date(t), by_crate, "{t}");
        }
        assert_eq!(http_date(-5), http_date(0));
        assert_eq!(http_date(i64::MAX), http_date(MAX_UNIX));
    }

    fn iso_basic_by_the_crate(unix: i64) -> String {
        let f = format_description!("[year][month][day]T[hour][minute][second]Z");
        dt(unix).format(f).unwrap()
    }

    fn parse_iso_basic_by_the_crate(s: &str) -> Option<i64> {
        let f = format_description!("[year][month][day]T[hour][minute][second]Z");
        PrimitiveDateTime::parse(s, f)
            .ok()
            .map(|p| p.assume_utc().unix_timestamp())
    }

    #[test]
    fn iso_basic_edges() {
        for t in [
            0,
            59,
            86_399,
            86_400,
            951_782_400,   // 2000-02-29
            951_868_800,   // 2000-03-01
            4_107_542_400, // 2100-03-01
            1_702_743_657,
            MAX_UNIX,
            MAX_UNIX + 1,
            -1,
        ] {
            assert_eq!(iso_basic(t), iso_basic_by_the_crate(t), "{t}");
            let s = iso_basic(t);
            assert_eq!(parse_iso_basic_fixed(&s), Some(t.clamp(0, MAX_UNIX)), "{s}");
        }
        for s in [
            "20230229T000000Z",
            "21000229T000000Z",
            "20231301T000000Z",
            "20231200T000000Z",
            "20231231T240000Z",
            "20231231T236000Z",
            "20231231T235960Z",
            "2023123lT235959Z",
            "20231231t235959Z",
            "+20231231T235959Z",
            "00000101T000000Z",
            "20240229T000000Z",
        ] {
            assert_eq!(parse_iso_basic(s), parse_iso_basic_by_the_crate(s), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn iso_basic_is_the_crates(t in 0i64..=MAX_UNIX, edit in 0usize..16, b in 0u8..128) {
            let s = iso_basic(t);
            proptest::prop_assert_eq!(&s, &iso_basic_by_the_crate(t));
            proptest::prop_assert_eq!(parse_iso_basic(&s), Some(t));
            // Any one-byte change reads as the crate reads it.
            let mut bytes = s.into_bytes();
            bytes[edit] = b;
            if let Ok(s) = String::from_utf8(bytes) {
                proptest::prop_assert_eq!(parse_iso_basic(&s), parse_iso_basic_by_the_crate(&s), "{}", s);
            }
        }

        #[test]
        fn iso_basic_digits_read_as_the_crate(s in "[0-9]{8}T[0-9]{6}Z") {
            proptest::prop_assert_eq!(parse_iso_basic(&s), parse_iso_basic_by_the_crate(&s), "{}", s);
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
