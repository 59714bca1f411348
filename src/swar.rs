//! Byte tests eight bytes at a time in one `u64` ("SIMD within a register"),
//! for the short texts of the one-pass paths (header names, q-sign fields,
//! lists), where a call into a vectorised search costs more than the search.
//! Each function is held to its byte-by-byte meaning by a property test below.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `b[i..i + 8]` as a little-endian word (byte `i` lowest).
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Bit 7 of each byte of `x` that is zero, and perhaps of bytes above a zero
/// byte (the borrow runs upwards): the lowest set bit always marks the first
/// zero byte, and no bit is set when there is none.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGH
}

/// Position of the first `c` in `b`.
#[inline]
pub(crate) fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    let pattern = u64::from(c) * ONES;
    let mut i = 0;
    while i + 8 <= b.len() {
        let z = zero_bytes(word(b, i) ^ pattern);
        if z != 0 {
            return Some(i + (z.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&x| x == c).map(|p| i + p)
}

/// Position of the first `c` or `d` in `b` (the lowest bit of either word's
/// [`zero_bytes`] marks a true match, the lower of the two the first).
#[inline]
pub(crate) fn find_either(b: &[u8], c: u8, d: u8) -> Option<usize> {
    let (pc, pd) = (u64::from(c) * ONES, u64::from(d) * ONES);
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let z = zero_bytes(w ^ pc) | zero_bytes(w ^ pd);
        if z != 0 {
            return Some(i + (z.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&x| x == c || x == d).map(|p| i + p)
}

/// Whether every byte of `b` is an ASCII digit (a word at a time, the last
/// word overlapping the one before it).
#[inline]
pub(crate) fn all_digits(b: &[u8]) -> bool {
    let digits8 = |x: u64| {
        // Seven-bit sums cannot carry into the next byte: bit 7 of each tells
        // `b'0' <= byte <= b'9'` for a byte below 0x80.
        let low = x & !HIGH;
        let from_0 = low + (0x80 - u64::from(b'0')) * ONES;
        let past_9 = low + (0x7f - u64::from(b'9')) * ONES;
        from_0 & !past_9 & !x & HIGH == HIGH
    };
    if b.len() < 8 {
        return b.iter().all(u8::is_ascii_digit);
    }
    let mut i = 0;
    while i + 8 < b.len() {
        if !digits8(word(b, i)) {
            return false;
        }
        i += 8;
    }
    digits8(word(b, b.len() - 8))
}

/// Whether `b` holds the byte `c`.
#[inline]
pub(crate) fn has_byte(b: &[u8], c: u8) -> bool {
    find_byte(b, c).is_some()
}

/// `to_ascii_lowercase` of each of the eight bytes of `x` at once: an upper-case
/// ASCII letter (`0x41..=0x5a`) gains `0x20`, every other byte (`0x80..` included)
/// stays. Each byte's low seven bits plus a constant below `0x80` cannot carry
/// into the next byte, so bit 7 of each sum tells one byte's comparison.
#[inline]
pub(crate) fn lower8(x: u64) -> u64 {
    let low = x & !HIGH;
    // Bit 7 set: the low seven bits are at least `A` (0x41) / more than `Z` (0x5a).
    let from_a = low + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low + (0x7f - u64::from(b'Z')) * ONES;
    let upper = from_a & !past_z & !x & HIGH;
    x | (upper >> 2)
}

/// A lower-case text of 4 to 16 bytes (a header name or prefix), matched
/// ignoring ASCII case (RFC 9110 §5.1 for names) by two
/// (perhaps overlapping) loads of 4 or 8 bytes: a byte of the name OR-ed with
/// `0x20` where the text has a letter (so exactly its two cases match) and
/// compared as it is elsewhere.
pub(crate) struct CaseFree {
    key: &'static str,
    /// Load width (4 or 8) and where the two loads start.
    width: usize,
    at: [usize; 2],
    /// The text's bytes and the case masks at those loads.
    want: [u64; 2],
    mask: [u64; 2],
}

impl CaseFree {
    pub(crate) const fn new(key: &'static str) -> CaseFree {
        let k = key.as_bytes();
        assert!(k.len() >= 4 && k.len() <= 16, "4 to 16 bytes");
        let width = if k.len() >= 8 { 8 } else { 4 };
        let at = [0, k.len() - width];
        let mut want = [0u64; 2];
        let mut mask = [0u64; 2];
        let mut w = 0;
        while w < 2 {
            let mut i = 0;
            while i < width {
                let c = k[at[w] + i];
                assert!(!c.is_ascii_uppercase(), "a lower-case text");
                want[w] |= (c as u64) << (8 * i);
                if c.is_ascii_lowercase() {
                    mask[w] |= 0x20 << (8 * i);
                }
                i += 1;
            }
            w += 1;
        }
        CaseFree {
            key,
            width,
            at,
            want,
            mask,
        }
    }

    /// The first `key.len()` bytes of `n` (it has at least that many) are
    /// `key` ignoring ASCII case.
    #[inline]
    pub(crate) fn matches(&self, n: &[u8]) -> bool {
        let load = |at: usize| -> u64 {
            match self.width {
                8 => u64::from_le_bytes(n[at..at + 8].try_into().unwrap_or_default()),
                _ => u64::from(u32::from_le_bytes(
                    n[at..at + 4].try_into().unwrap_or_default(),
                )),
            }
        };
        (0..2).all(|w| load(self.at[w]) | self.mask[w] == self.want[w])
    }

    /// The text.
    pub(crate) const fn key(&self) -> &'static str {
        self.key
    }

    /// `n` is the text, ignoring ASCII case.
    #[inline]
    pub(crate) fn is(&self, n: &[u8]) -> bool {
        n.len() == self.key.len() && self.matches(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts with runs of one byte, so that every position and word offset is drawn.
    fn texts() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(prop_oneof![Just(b'&'), Just(b'a'), any::<u8>()], 0..40)
    }

    proptest! {
        #[test]
        fn find_byte_is_position(b in texts(), c in prop_oneof![Just(b'&'), any::<u8>()]) {
            prop_assert_eq!(find_byte(&b, c), b.iter().position(|&x| x == c));
        }

        #[test]
        fn find_either_is_position(
            b in texts(),
            c in prop_oneof![Just(b'&'), any::<u8>()],
            d in prop_oneof![Just(b'a'), any::<u8>()],
        ) {
            prop_assert_eq!(find_either(&b, c, d), b.iter().position(|&x| x == c || x == d));
        }

        #[test]
        fn all_digits_is_all_ascii_digits(
            b in proptest::collection::vec(prop_oneof![Just(b'0'), Just(b'9'), Just(b'5'), any::<u8>()], 0..30),
        ) {
            prop_assert_eq!(all_digits(&b), b.iter().all(u8::is_ascii_digit));
        }

        #[test]
        fn has_byte_is_contains(b in texts(), c in prop_oneof![Just(b'&'), any::<u8>()]) {
            prop_assert_eq!(has_byte(&b, c), b.contains(&c));
        }

        #[test]
        fn lower8_is_ascii_lowercase(x in any::<u64>()) {
            let want = u64::from_le_bytes(x.to_le_bytes().map(|b| b.to_ascii_lowercase()));
            prop_assert_eq!(lower8(x), want);
        }
    }

    #[test]
    fn has_byte_at_every_place() {
        for c in [b'\n', b':', 0, 0x80, 0xff] {
            for len in 0..20 {
                for at in 0..=len {
                    let mut t = vec![b'a'; len];
                    if at < len {
                        t[at] = c;
                    }
                    for fill in [0u8, b'a', c.wrapping_add(1), c.wrapping_sub(1), 0xff] {
                        let mut u = t.clone();
                        u.iter_mut().filter(|b| **b == b'a').for_each(|b| *b = fill);
                        assert_eq!(has_byte(&u, c), u.contains(&c), "{u:?} {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn case_free_is_eq_ignore_ascii_case() {
        let keys = [
            "host",
            "date",
            "x-ci-",
            "x-oss-",
            "content-md5",
            "authorization",
            "content-length",
        ];
        for key in keys {
            let c = CaseFree::new(key);
            assert_eq!(c.key(), key);
            let upper = key.to_ascii_uppercase();
            for n in [
                key,
                upper.as_str(),
                &key[..key.len() - 1],
                &format!("{key}x"),
            ] {
                assert_eq!(c.is(n.as_bytes()), n.eq_ignore_ascii_case(key), "{key} {n}");
            }
            // Every name differing from the key in one bit of one byte, and as a prefix.
            for at in 0..key.len() {
                for bit in 0..8 {
                    let mut b = key.as_bytes().to_vec();
                    b[at] ^= 1 << bit;
                    let same = b.eq_ignore_ascii_case(key.as_bytes());
                    assert_eq!(c.is(&b), same, "{key} {b:?}");
                    b.extend_from_slice(b"-rest");
                    assert_eq!(c.matches(&b), same, "{key} {b:?}");
                }
            }
        }
    }

    #[test]
    fn digits_at_every_place() {
        for len in 0..20 {
            let all = vec![b'7'; len];
            assert!(all_digits(&all), "{len}");
            for at in 0..len {
                for c in [b'/', b':', 0x80 | b'0', 0xb9, b'a', 0] {
                    let mut t = all.clone();
                    t[at] = c;
                    assert!(!all_digits(&t), "{len} {at} {c}");
                }
            }
        }
    }

    #[test]
    fn first_of_two_in_one_word() {
        // A match right above another: the borrow must not hide the first.
        assert_eq!(find_byte(b"xx&&xxxxxx", b'&'), Some(2));
        assert_eq!(find_byte(b"\x01\x00xxxxxx", 0), Some(1));
        assert_eq!(find_byte(b"xxxxxxxx&", b'&'), Some(8));
    }
}
