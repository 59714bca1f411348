//! The RFC 3986 encoding V4 signs with (oss-signing.md §1.2, §4.3), table-driven
//! and written straight into the output buffer: `A-Z a-z 0-9 - _ . ~` stay
//! (and `/` in the canonical URI), every other UTF-8 byte becomes `%XX` with
//! upper-case hex. Byte for byte what [`crate::encode::encode_into`] (the
//! [`crate::encode::RFC3986`] set) and [`crate::encode::encode_path`] give; a
//! property test holds them together.

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
    let m = keep.mask();
    s.bytes().all(|b| KEEP[b as usize] & m != 0)
}

/// Append the encoding of `s` to `out`: runs of kept bytes copied at once,
/// every other byte as `%XX`.
pub fn encode_into(out: &mut String, s: &str, keep: Keep) {
    let m = keep.mask();
    let b = s.as_bytes();
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if KEEP[c as usize] & m != 0 {
            continue;
        }
        // `run..i`, when not empty, is kept bytes, all ASCII: both ends are char
        // boundaries (after the loop too: `run..` is then kept bytes or empty).
        if run < i {
            out.push_str(&s[run..i]);
        }
        out.push('%');
        out.push(char::from(HEX[(c >> 4) as usize]));
        out.push(char::from(HEX[(c & 15) as usize]));
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn enc(s: &str, keep: Keep) -> String {
        let mut o = String::new();
        encode_into(&mut o, s, keep);
        o
    }

    #[test]
    fn spec_examples() {
        // oss-signing.md §4.3 / §9.3 E1.
        assert_eq!(enc("1234+-/123/1.txt", Keep::Slash), "1234%2B-/123/1.txt");
        assert_eq!(
            enc("a/中文 b+c~d.txt", Keep::Slash),
            "a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt"
        );
        assert_eq!(enc("a/b*", Keep::Unreserved), "a%2Fb%2A");
        for b in 0u8..=127 {
            let s = (b as char).to_string();
            assert_eq!(enc(&s, Keep::Unreserved), crate::encode::encode(&s), "{b}");
            assert_eq!(enc(&s, Keep::Slash), crate::encode::encode_path(&s), "{b}");
            assert_eq!(
                is_kept(&s, Keep::Unreserved),
                crate::encode::is_unreserved(b)
            );
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_shared_encoder(s in any::<String>(), pre in "[a-z%/]{0,3}") {
            let mut o = pre.clone();
            encode_into(&mut o, &s, Keep::Unreserved);
            prop_assert_eq!(&o[pre.len()..], crate::encode::encode(&s));
            prop_assert_eq!(enc(&s, Keep::Slash), crate::encode::encode_path(&s));
            prop_assert_eq!(is_kept(&s, Keep::Unreserved), crate::encode::encode(&s) == s);
            prop_assert_eq!(is_kept(&s, Keep::Slash), crate::encode::encode_path(&s) == s);
        }
    }
}
