//! COS POST Object signature (cos-signing.md §4).
//!
//! ```text
//! SignKey      = hex(HMAC-SHA1(SecretKey, KeyTime))                 (step 3)
//! StringToSign = hex(SHA1(policy JSON bytes))                       (step 4: the raw JSON, not the Base64)
//! Signature    = hex(HMAC-SHA1(SignKey as its hex text, StringToSign))  (step 5)
//! ```
//! The SignKey is the header scheme's ([`crate::cos::key_time::sign_key`]).

use crate::cos::key_time::{hex_lower, hmac_sha1_hex, sign_key};
use crate::secret::Secret;
use sha1::{Digest, Sha1};
use zeroize::Zeroize;

/// Form fields (cos-signing.md §4 step 6).
pub const ALGORITHM_FIELD: &str = "q-sign-algorithm";
/// SecretId.
pub const AK_FIELD: &str = "q-ak";
/// KeyTime `start;end`.
pub const KEY_TIME_FIELD: &str = "q-key-time";
/// The hex signature.
pub const SIGNATURE_FIELD: &str = "q-signature";
/// STS token.
pub const SECURITY_TOKEN: &str = "x-cos-security-token";
/// The only algorithm.
pub const ALGORITHM: &str = "sha1";

/// `hex(SHA1(policy JSON bytes))` (step 4).
pub fn string_to_sign(policy_json: &[u8]) -> String {
    hex_lower(&Sha1::digest(policy_json))
}

/// `hex(HMAC-SHA1(hex(HMAC-SHA1(SK, KeyTime)), StringToSign))` (steps 3, 5).
pub fn signature(secret: &Secret, key_time: &str, string_to_sign: &str) -> String {
    let mut key = sign_key(secret, key_time);
    let sig = hmac_sha1_hex(key.as_bytes(), string_to_sign.as_bytes());
    key.zeroize();
    sig
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// cos-signing.md §6 V11, the `policy` form field.
    pub const V11_POLICY: &str = "ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9";

    #[test]
    fn v11() {
        let json = base64::engine::general_purpose::STANDARD
            .decode(V11_POLICY)
            .unwrap();
        assert_eq!(json.len(), 555);
        let sts = string_to_sign(&json);
        assert_eq!(sts, "d5d903b8360468bc81c1311f134989bc8c8b5b89");
        // Hashing the Base64 text instead is the documented mistake.
        assert_eq!(
            string_to_sign(V11_POLICY.as_bytes()),
            "2d648489162ced74c5258e71818fdf0e6532f12c"
        );
        let sk = Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
        assert_eq!(
            sign_key(&sk, "1567150692;1567157892"),
            "39acc8c9f34ba5b19bce4e965b370cd3f62d2fba"
        );
        assert_eq!(
            signature(&sk, "1567150692;1567157892", &sts),
            "7758dc9a832e9d301dca704cacbf9d9f8172fdef"
        );
    }
}
