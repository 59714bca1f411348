//! V4 StringToSign assembly and parse-back (oss-signing.md §4.4).
//!
//! ```text
//! OSS4-HMAC-SHA256 \n <x-oss-date> \n <scope> \n hex(SHA256(CanonicalRequest))
//! ```
//! Fields: `algorithm` (`OSS4-HMAC-SHA256\n`), `date` (`20231216T162057Z\n`),
//! `scope` (`20231216/cn-hangzhou/oss/aliyun_v4_request\n`),
//! `canonical-request-hash` (64 hex digits, no line break).

use super::scope::ScopeRef;
use crate::canonical::Canonical;

/// The only algorithm OSS accepts (§4.1).
pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";

/// Build the named-field form.
pub fn build(timestamp: &str, scope: &str, cr_hash: &str) -> Canonical {
    assemble(timestamp, scope.len(), |t| t.push_str(scope), cr_hash)
}

/// [`build`] with the scope written from its parts.
pub fn build_ref(timestamp: &str, scope: ScopeRef<'_>, cr_hash: &str) -> Canonical {
    assemble(timestamp, scope.len(), |t| scope.write(t), cr_hash)
}

fn assemble(
    timestamp: &str,
    scope_len: usize,
    scope: impl FnOnce(&mut String),
    cr_hash: &str,
) -> Canonical {
    let mut c = Canonical::with_capacity(
        ALGORITHM.len() + timestamp.len() + scope_len + cr_hash.len() + 3,
        4,
    );
    c.push_line("algorithm", ALGORITHM);
    c.push_line("date", timestamp);
    c.push_with("scope", |t| {
        scope(t);
        t.push('\n');
    });
    c.push("canonical-request-hash", cr_hash);
    c
}

/// The exact text, without building fields (the signing hot path).
pub fn text(timestamp: &str, scope: &str, cr_hash: &str) -> String {
    let mut s =
        String::with_capacity(ALGORITHM.len() + timestamp.len() + scope.len() + cr_hash.len() + 3);
    s.push_str(ALGORITHM);
    s.push('\n');
    s.push_str(timestamp);
    s.push('\n');
    s.push_str(scope);
    s.push('\n');
    s.push_str(cr_hash);
    s
}

/// Cut a StringToSign into the same fields; the concatenation is always the input.
pub fn parse_back(text: &str) -> Canonical {
    let mut c = Canonical::default();
    let Some(rest) = c.push_lines(text, &["algorithm", "date", "scope"]) else {
        return c;
    };
    c.push("canonical-request-hash", rest);
    c
}

/// The scope line of a StringToSign text, if it has one.
pub fn scope_of(text: &str) -> Option<&str> {
    let mut nl = memchr::memchr_iter(b'\n', text.as_bytes());
    let start = nl.nth(1)? + 1;
    // `\n` is ASCII: the cuts are character boundaries.
    Some(match nl.next() {
        Some(end) => &text[start..end],
        None => &text[start..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u1_string_to_sign() {
        // oss-signing.md §9.2 U1 StringToSign (derived).
        let want = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4";
        let c = build(
            "20231216T162057Z",
            "20231216/cn-hangzhou/oss/aliyun_v4_request",
            "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4",
        );
        assert_eq!(c.to_string(), want);
        assert_eq!(
            text(
                "20231216T162057Z",
                "20231216/cn-hangzhou/oss/aliyun_v4_request",
                "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4"
            ),
            want
        );
        assert_eq!(parse_back(want), c);
        assert_eq!(
            scope_of(want),
            Some("20231216/cn-hangzhou/oss/aliyun_v4_request")
        );
        for t in [
            "",
            "a",
            "a\nb",
            "a\nb\n",
            "a\nb\nc",
            "a\nb\nc\nd\ne",
            "\n\n\n",
        ] {
            assert_eq!(scope_of(t), t.split('\n').nth(2), "{t:?}");
        }
        for t in ["", "OSS4", "OSS4-HMAC-SHA256\n2023", "a\nb\nc\n"] {
            assert_eq!(parse_back(t).to_string(), t);
        }
    }
}
