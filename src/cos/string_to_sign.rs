//! StringToSign and the final signature (cos-signing.md §2.1).
//!
//! ```text
//! sha1 \n SignTime \n hex(SHA1(HttpString)) \n
//! ```
//! Fields: `algorithm` (`sha1\n`), `sign-time`, `format-string-sha1`.

use super::key_time::{hex20, hex_str, hmac_sha1_hex};
use crate::canonical::Canonical;
use sha1::{Digest, Sha1};

/// `hex_lower(SHA1(text))` into a stack buffer.
pub fn sha1_hex40(text: &str) -> [u8; 40] {
    hex20(&Sha1::digest(text.as_bytes()).into())
}

/// `hex_lower(SHA1(text))`.
pub fn sha1_hex(text: &str) -> String {
    hex_str(&sha1_hex40(text)).to_string()
}

/// Build the StringToSign from the sign time and the HttpString's exact text.
pub fn build(sign_time: &str, http_string: &str) -> Canonical {
    from_digest(sign_time, hex_str(&sha1_hex40(http_string)))
}

/// Build the StringToSign from the sign time and `hex(SHA1(HttpString))`.
pub fn from_digest(sign_time: &str, format_string_sha1: &str) -> Canonical {
    let mut c = Canonical::with_capacity(8 + sign_time.len() + format_string_sha1.len(), 3);
    c.push("algorithm", "sha1\n");
    c.push_line("sign-time", sign_time);
    c.push_line("format-string-sha1", format_string_sha1);
    c
}

/// The StringToSign text itself (`sha1\n<time>\n<digest>\n`).
pub fn text(sign_time: &str, format_string_sha1: &str) -> String {
    let mut s = String::with_capacity(8 + sign_time.len() + format_string_sha1.len());
    s.push_str("sha1\n");
    s.push_str(sign_time);
    s.push('\n');
    s.push_str(format_string_sha1);
    s.push('\n');
    s
}

/// Signature = `hex(HMAC-SHA1(SignKey as its 40 hex characters, StringToSign))`
/// (cos-signing.md §2.1 "Critical detail": the key is the hex *text*).
pub fn signature(sign_key_hex: &str, string_to_sign: &str) -> String {
    hmac_sha1_hex(sign_key_hex.as_bytes(), string_to_sign.as_bytes())
}

/// Cut a StringToSign (the server's `<StringToSign>`, a client log) into fields.
pub fn parse_back(text: &str) -> Canonical {
    let mut c = Canonical::default();
    let Some(rest) = c.push_lines(text, &["algorithm", "sign-time", "format-string-sha1"]) else {
        return c;
    };
    if !rest.is_empty() {
        c.push("trailing", rest);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_string_to_sign_and_signature() {
        // cos-signing.md §6 V1.
        let hs = "put\n/exampleobject(腾讯云)\n\ncontent-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-acl=private&x-cos-grant-read=uin%3D%22100000000011%22\n";
        assert_eq!(sha1_hex(hs), "8b2751e77f43a0995d6e9eb9477f4b685cca4172");
        let sts = build("1557989151;1557996351", hs);
        assert_eq!(
            sts.to_string(),
            "sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n"
        );
        assert_eq!(
            signature("eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f", &sts.to_string()),
            "3b8851a11a569213c17ba8fa7dcf2abec6935172"
        );
        assert_eq!(parse_back(&sts.to_string()), sts);
    }

    #[test]
    fn parse_back_partial() {
        // cos-signing.md §5 sample StringToSign.
        let s = "sha1\n1666158568;1666218568\n488ab174d5f7a6ec0966aeeb82600e185114d7d1\n";
        let c = parse_back(s);
        assert_eq!(c.get("sign-time").unwrap(), "1666158568;1666218568\n");
        assert_eq!(c.to_string(), s);
        for t in ["", "sha1", "sha1\n1;2", "sha1\n1;2\nab\nxx"] {
            assert_eq!(parse_back(t).to_string(), t);
        }
    }
}
