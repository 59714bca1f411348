//! The V4 CanonicalURI (oss-signing.md §4.3, §1.2, §1.3).
//!
//! `percent-encode("/" + bucket + "/" + key)` with `/` kept; the bucket is
//! included for every addressing style (virtual-hosted, path, CNAME); no bucket
//! gives `/`, a bucket without key `/bucket/`. The key is the decoded key,
//! encoded exactly once.

use crate::encode::{encode_keep_into as encode_into, Keep};

/// Append the canonical URI for a bucket and decoded key to `out`.
pub fn write(out: &mut String, bucket: Option<&str>, key: &str) {
    out.push('/');
    // oss-signing.md §4.3: no bucket → `/`.
    let Some(b) = bucket else { return };
    encode_path_into(out, b);
    out.push('/');
    encode_path_into(out, key);
}

/// The RFC 3986 encoding with `/` kept ([`crate::encode::RFC3986_PATH`], §1.2)
/// appended to `out`, by the table-driven encoder ([`super::pct`]).
fn encode_path_into(out: &mut String, s: &str) {
    encode_into(out, s, Keep::Slash);
}

/// The canonical URI as a new string.
pub fn canonical_uri(bucket: Option<&str>, key: &str) -> String {
    let mut s = String::with_capacity(2 + bucket.map_or(0, str::len) + key.len() * 3 / 2);
    write(&mut s, bucket, key);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // §4.3 / §9.2: key `1234+-/123/1.txt` → `/bucket/1234%2B-/123/1.txt`.
        assert_eq!(
            canonical_uri(Some("bucket"), "1234+-/123/1.txt"),
            "/bucket/1234%2B-/123/1.txt"
        );
        // §9.3 E1: UTF-8, space, `+`, `~`.
        assert_eq!(
            canonical_uri(Some("examplebucket"), "a/中文 b+c~d.txt"),
            "/examplebucket/a/%E4%B8%AD%E6%96%87%20b%2Bc~d.txt"
        );
        // §9.3 E2 (bucket level) and E3 (service).
        assert_eq!(canonical_uri(Some("examplebucket"), ""), "/examplebucket/");
        assert_eq!(canonical_uri(None, ""), "/");
        // §10 item 8: directory keys keep their trailing slash; `*` is encoded (§10 item 4).
        assert_eq!(canonical_uri(Some("b"), "dir/a*b/"), "/b/dir/a%2Ab/");
    }
}
