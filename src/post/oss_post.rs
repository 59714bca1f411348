//! OSS PostObject signatures (oss-signing.md §6).
//!
//! ```text
//! V1: Signature        = Base64(HMAC-SHA1(SK, policy_base64))                     (§6.1)
//! V4: x-oss-signature  = hex(HMAC-SHA256(kSigning(date, region, product), policy_base64))  (§6.2, §4.5)
//! ```
//! The string to sign is the Base64 *text* of the policy, exactly as the `policy`
//! form field carries it. V4 has no canonical request and no `OSS4-HMAC-SHA256\n`
//! wrapper (§6.2). The key chain is the header scheme's ([`crate::oss::v4::signing_key`]).

use crate::secret::Secret;

/// The V1 form field carrying the signature.
pub const V1_SIGNATURE: &str = "Signature";
/// The V1 form field carrying the AccessKeyId.
pub const V1_ACCESS_KEY_ID: &str = "OSSAccessKeyId";
/// V4 form fields (§6.2).
pub const V4_VERSION: &str = "x-oss-signature-version";
/// `<AK>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`, not URL-encoded in a form.
pub const V4_CREDENTIAL: &str = "x-oss-credential";
/// `yyyymmddTHHMMSSZ`.
pub const V4_DATE: &str = "x-oss-date";
/// The hex signature.
pub const V4_SIGNATURE: &str = "x-oss-signature";
/// STS token field, V1 and V4 (oss-signing.md §10 item 16).
pub const SECURITY_TOKEN: &str = "x-oss-security-token";
/// The only V4 algorithm.
pub const V4_ALGORITHM: &str = "OSS4-HMAC-SHA256";

/// V1: `Base64(HMAC-SHA1(SK, policy_base64))` (§6.1).
pub fn v1_signature(secret: &Secret, policy_base64: &str) -> String {
    crate::oss::v1::sign_string(secret, policy_base64)
}

/// V4: `hex(HMAC-SHA256(kSigning, policy_base64))` (§6.2, key chain §4.5).
pub fn v4_signature(
    secret: &Secret,
    date: &str,
    region: &str,
    product: &str,
    policy_base64: &str,
) -> String {
    crate::oss::v4::signing_key::signature(secret, date, region, product, policy_base64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SK: &str = "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV";

    #[test]
    fn p1() {
        // oss-signing.md §9.3 P1.
        let b64 = "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzoxMjoxMi4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci9lcmljLyJdLFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==";
        assert_eq!(
            v1_signature(&Secret::new(SK), b64),
            "6WpijTDmKwQQfQsdjsdbRGI+eFE="
        );
    }

    #[test]
    fn p2() {
        // oss-signing.md §9.3 P2.
        let b64 = "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzoxMjoxMi4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiNDRDRjk1OTAwMDZCRjI1MkY3MDcvMjAyMzEyMDMvY24taGFuZ3pob3Uvb3NzL2FsaXl1bl92NF9yZXF1ZXN0In0seyJ4LW9zcy1kYXRlIjoiMjAyMzEyMDNUMTIxMjEyWiJ9LFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==";
        assert_eq!(
            v4_signature(&Secret::new(SK), "20231203", "cn-hangzhou", "oss", b64),
            "3b29f960d5e4b6205c205bd52cfb39353d3a620663198a834ef1e642fd5ddaf9"
        );
    }
}
