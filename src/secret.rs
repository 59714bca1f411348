//! Secrets: held, used, never shown. Output shows a fingerprint only.

use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// An access key secret. `Debug` and `Display` print its fingerprint, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret bytes, for HMAC keys only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `len=40 sha256:1a2b3c4d`: enough to tell two secrets apart, useless to an attacker.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    /// True when the value has whitespace or control characters at either end.
    pub fn has_edge_whitespace(&self) -> bool {
        self.0.trim() != self.0
    }
}

/// Fingerprint of any sensitive text (length and the first 8 hex digits of SHA-256).
pub fn fingerprint(s: &str) -> String {
    let h = Sha256::digest(s.as_bytes());
    format!(
        "len={} sha256:{:02x}{:02x}{:02x}{:02x}",
        s.chars().count(),
        h[0],
        h[1],
        h[2],
        h[3]
    )
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.fingerprint())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fingerprint())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// A small per-thread cache of secret-derived HMAC states (the V1 keyed state,
/// the COS SignKey, the V4 signing key): at most `N` entries, replaced round
/// robin once full. Callers find entries by comparing the secret with
/// [`ct_eq`], so a lookup leaks nothing about it.
#[derive(Debug)]
pub struct KeyCache<T, const N: usize> {
    entries: Vec<T>,
    next: usize,
}

impl<T, const N: usize> KeyCache<T, N> {
    /// An empty cache (usable in a `const` thread-local initialiser).
    pub const fn new() -> Self {
        KeyCache {
            entries: Vec::new(),
            next: 0,
        }
    }

    /// The first entry `hit` accepts, else the one `make` builds, stored first.
    pub fn get_or_insert(&mut self, hit: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> &T {
        if let Some(i) = self.entries.iter().position(hit) {
            return &self.entries[i];
        }
        let e = make();
        let i = if self.entries.len() < N {
            self.entries.push(e);
            self.entries.len() - 1
        } else {
            let i = self.next % N;
            self.next = self.next.wrapping_add(1);
            self.entries[i] = e;
            i
        };
        &self.entries[i]
    }
}

impl<T, const N: usize> Default for KeyCache<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Compare two signatures in constant time (for equal lengths): the XOR of
/// every eight-byte word OR-ed together, one constant-time test of the total
/// at the end (no early exit, no branch on the bytes).
pub fn ct_eq(a: &str, b: &str) -> bool {
    ct_eq_bytes(a.as_bytes(), b.as_bytes())
}

/// [`ct_eq`] on bytes (raw MAC tags): the lengths are public, the contents are
/// compared eight bytes at a time with one data-independent fold, then one
/// constant-time test of the accumulated difference.
pub fn ct_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Whole words read in place (no copy per chunk), then the short tail.
    let (wa, wb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (wa.remainder(), wb.remainder());
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().expect("eight bytes"));
    let diff = wa
        .zip(wb)
        .fold(0u64, |acc, (x, y)| acc | (word(x) ^ word(y)));
    let tail = ra.iter().zip(rb).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    bool::from((diff | u64::from(tail)).ct_eq(&0))
}

/// Credentials for one signing identity.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// AccessKeyId / SecretId.
    pub access_key_id: String,
    /// AccessKeySecret / SecretKey.
    pub secret: Secret,
    /// STS security token, when the credentials are temporary.
    pub security_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_cache_keeps_n_and_replaces_round_robin() {
        let mut c: KeyCache<u32, 3> = KeyCache::new();
        let mut made = 0;
        let mut get = |c: &mut KeyCache<u32, 3>, v: u32| {
            *c.get_or_insert(
                |e| *e == v,
                || {
                    made += 1;
                    v
                },
            )
        };
        for v in [1, 2, 3, 1, 2, 3] {
            assert_eq!(get(&mut c, v), v);
        }
        // Three built, the repeats found.
        assert_eq!(c.entries, [1, 2, 3]);
        // Full: 4 replaces the first slot, 5 the second, then 6 the third.
        get(&mut c, 4);
        assert_eq!(c.entries, [4, 2, 3]);
        get(&mut c, 5);
        get(&mut c, 6);
        assert_eq!(c.entries, [4, 5, 6]);
        get(&mut c, 7);
        assert_eq!(c.entries, [7, 5, 6]);
        assert_eq!(made, 7);
    }

    #[test]
    fn ct_eq_is_equality() {
        let sig = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";
        assert!(ct_eq(sig, sig) && ct_eq("", ""));
        for i in 0..sig.len() {
            // One byte changed anywhere (first, middle, last word) is a difference.
            let mut b = sig.as_bytes().to_vec();
            b[i] ^= 1;
            assert!(!ct_eq(sig, std::str::from_utf8(&b).unwrap()), "{i}");
            assert!(!ct_eq(sig, &sig[..i]) && ct_eq(&sig[..i], &sig[..i]), "{i}");
        }
        assert!(!ct_eq("abc", "abd") && !ct_eq("abcdefghi", "abcdefghj"));
    }

    #[test]
    fn ct_eq_bytes_is_equality_on_raw_tags() {
        // A 20-byte HMAC-SHA1 tag (two full words and a 4-byte tail), every bit.
        let tag: Vec<u8> = (0u8..20).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        assert!(ct_eq_bytes(&tag, &tag.clone()) && ct_eq_bytes(&[], &[]));
        for i in 0..tag.len() * 8 {
            let mut b = tag.clone();
            b[i / 8] ^= 1 << (i % 8);
            assert!(!ct_eq_bytes(&tag, &b), "bit {i}");
        }
        assert!(!ct_eq_bytes(&tag, &tag[..19]) && !ct_eq_bytes(&tag[..0], &tag[..1]));
    }

    #[test]
    fn never_prints_value() {
        let s = Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV");
        let shown = format!("{s} {s:?}");
        assert!(!shown.contains("Otxrz"), "{shown}");
        assert!(shown.contains("len=40 sha256:"), "{shown}");
        assert_ne!(
            Secret::new("a").fingerprint(),
            Secret::new("b").fingerprint()
        );
    }

    #[test]
    fn ct() {
        assert!(ct_eq("abc", "abc"));
        assert!(!ct_eq("abc", "abd"));
        assert!(!ct_eq("abc", "ab"));
    }
}
