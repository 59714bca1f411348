//! The V4 signing-key chain and the final HMAC (oss-signing.md §4.5, §1.1).
//!
//! ```text
//! kDate    = HMAC-SHA256("aliyun_v4" + SK, yyyymmdd)
//! kRegion  = HMAC-SHA256(kDate, region)
//! kProduct = HMAC-SHA256(kRegion, product)
//! kSigning = HMAC-SHA256(kProduct, "aliyun_v4_request")
//! ```
//! Deriving the key costs four HMACs; a small per-thread cache keyed by
//! (secret, date, region, product) keeps the keyed HMAC state (inner and outer
//! pads already absorbed), so a cached signature costs one HMAC of the
//! StringToSign and no allocation.

use super::scope::ScopeRef;
use crate::secret::{KeyCache, Secret};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use zeroize::Zeroize;

type HmacSha256 = Hmac<Sha256>;

/// The key prefix (oss-signing.md §4.5: literal `aliyun_v4` + secret, no separator).
pub const KEY_PREFIX: &str = "aliyun_v4";
/// The last input of the chain and the scope terminator (§4.4, §4.5).
pub const TERMINATOR: &str = "aliyun_v4_request";

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    m.update(msg);
    m.finalize().into_bytes().into()
}

/// `kSigning` for a secret and scope inputs (§4.5), uncached.
pub fn derive(secret: &Secret, date: &str, region: &str, product: &str) -> [u8; 32] {
    let mut k0 = String::with_capacity(KEY_PREFIX.len() + secret.expose().len());
    k0.push_str(KEY_PREFIX);
    k0.push_str(secret.expose());
    let mut k = hmac(k0.as_bytes(), date.as_bytes());
    k0.zeroize();
    k = hmac(&k, region.as_bytes());
    k = hmac(&k, product.as_bytes());
    hmac(&k, TERMINATOR.as_bytes())
}

/// Lower-case hex of a SHA-256 sized value into a stack buffer.
pub fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    crate::encode::hex_into(&mut out, bytes);
    out
}

/// The text of a [`hex32`] buffer.
pub fn hex_str(hex: &[u8; 64]) -> &str {
    crate::encode::hex_text(hex)
}

/// `lowercase-hex(SHA256(text))` into a stack buffer (§4.4).
pub fn sha256_hex64(text: &str) -> [u8; 64] {
    hex32(&Sha256::digest(text.as_bytes()).into())
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    crate::encode::hex(bytes)
}

/// `lowercase-hex(SHA256(text))` (the canonical-request hash line, §4.4).
pub fn sha256_hex(text: &str) -> String {
    hex_str(&sha256_hex64(text)).to_string()
}

/// Constant-time equality of two secrets (the caches' key): [`crate::secret::ct_eq`].
pub(crate) fn secret_eq(a: &Secret, b: &Secret) -> bool {
    crate::secret::ct_eq(a.expose(), b.expose())
}

struct Entry {
    secret: Secret,
    date: String,
    region: String,
    product: String,
    mac: HmacSha256,
}

/// Entries per thread; a verify run touches one or two scopes.
const CACHE_SIZE: usize = 8;

thread_local! {
    static CACHE: RefCell<KeyCache<Entry, CACHE_SIZE>> = const { RefCell::new(KeyCache::new()) };
}

/// `hex(HMAC-SHA256(kSigning, string_to_sign))` (§4.5), with the key chain cached
/// per (secret, date, region, product).
pub fn signature(secret: &Secret, date: &str, region: &str, product: &str, sts: &str) -> String {
    hex_str(&signature_parts(
        secret,
        date,
        region,
        product,
        &[sts.as_bytes()],
    ))
    .to_string()
}

/// [`signature`] under the key of `scope`, the StringToSign given as consecutive
/// parts, as lower-case hex in a stack buffer: the signer of the verdicts
/// (`check`, `lean::check`).
pub fn scope_signature(secret: &Secret, scope: &ScopeRef<'_>, parts: &[&[u8]]) -> [u8; 64] {
    signature_parts(secret, scope.date, scope.region, scope.product, parts)
}

/// [`signature`] of a StringToSign given as consecutive parts, as hex in a stack buffer.
pub fn signature_parts(
    secret: &Secret,
    date: &str,
    region: &str,
    product: &str,
    parts: &[&[u8]],
) -> [u8; 64] {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let e = c.get_or_insert(
            |e| {
                e.date == date
                    && e.region == region
                    && e.product == product
                    && secret_eq(&e.secret, secret)
            },
            || {
                let mut key = derive(secret, date, region, product);
                let mac = HmacSha256::new_from_slice(&key).expect("32-byte key");
                key.zeroize();
                Entry {
                    secret: secret.clone(),
                    date: date.to_string(),
                    region: region.to_string(),
                    product: product.to_string(),
                    mac,
                }
            },
        );
        let mut m = e.mac.clone();
        for p in parts {
            m.update(p);
        }
        hex32(&m.finalize().into_bytes().into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // oss-signing.md §9.2 "Signing keys (derived, hex)" and §9.3 (20231203).
    #[test]
    fn spec_signing_keys() {
        let sk = Secret::new("sk");
        for (d, r, p, want) in [
            (
                "20231216",
                "cn-hangzhou",
                "oss",
                "b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f",
            ),
            (
                "20231217",
                "cn-hangzhou",
                "oss",
                "0e11d77e422d3484e84ee6b628fdf2a85f3788e1a597f23116b477efb407e94e",
            ),
            (
                "20231216",
                "cb-123",
                "oss-cloudbox",
                "2050b37df4494279f29cb1af160b9123e6a3208413bac32e41fe003432e6a34d",
            ),
            (
                "20231217",
                "cb-123",
                "oss-cloudbox",
                "905e3d9c7490cd68f31498d364b9031dfc4c713cbd3227bf7a873c0c290aa136",
            ),
        ] {
            assert_eq!(hex(&derive(&sk, d, r, p)), want, "{d}/{r}/{p}");
        }
        assert_eq!(
            hex(&derive(
                &Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"),
                "20231203",
                "cn-hangzhou",
                "oss"
            )),
            "cd78710bb370331da6c492cb4349517e2572cfde284ba9e7badaa84ecd6e43c7"
        );
    }

    #[test]
    fn secret_equality() {
        let s = |x: &str| Secret::new(x);
        for (a, b) in [
            ("", ""),
            ("sk", "sk"),
            (
                "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV",
                "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV",
            ),
            ("12345678", "12345678"),
            ("123456789", "123456789"),
            ("123456789", "123456780"),
            ("12345678", "12345679"),
            ("sk", "sk2"),
            ("sk\0", "sk"),
            ("a", ""),
        ] {
            assert_eq!(
                secret_eq(&s(a), &s(b)),
                crate::secret::ct_eq(a, b),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn u1_signature_cached_and_not() {
        // oss-signing.md §9.2 U1 StringToSign and signature.
        let sts = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";
        let want = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";
        let sk = Secret::new("sk");
        for _ in 0..3 {
            assert_eq!(signature(&sk, "20231216", "cn-hangzhou", "oss", sts), want);
        }
        // A different secret with the same scope must not hit the cached key.
        assert_ne!(
            signature(&Secret::new("sk2"), "20231216", "cn-hangzhou", "oss", sts),
            want
        );
        // Evict everything, then the original still signs right.
        for i in 0..CACHE_SIZE + 2 {
            signature(&sk, &format!("2023121{i}"), "r", "p", sts);
        }
        assert_eq!(signature(&sk, "20231216", "cn-hangzhou", "oss", sts), want);
    }
}
