//! The V4 scope and credential (oss-signing.md §4.4).
//!
//! ```text
//! Scope      = <yyyymmdd>/<region>/<product>/aliyun_v4_request
//! Credential = <AccessKeyId>/<Scope>
//! ```

use super::signing_key::TERMINATOR;
use crate::error::{InputError, Result};

/// The product of ordinary OSS requests (§4.4).
pub const PRODUCT_OSS: &str = "oss";
/// The product of CloudBox requests; the region is then the CloudBox ID (§4.4).
pub const PRODUCT_CLOUDBOX: &str = "oss-cloudbox";

/// The four parts of a scope, as written (nothing normalised).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `yyyymmdd`.
    pub date: String,
    /// Region id (`cn-hangzhou`) or CloudBox ID.
    pub region: String,
    /// `oss` or `oss-cloudbox`.
    pub product: String,
    /// Must be `aliyun_v4_request`.
    pub terminator: String,
}

impl Scope {
    /// A scope with the standard terminator.
    pub fn new(date: &str, region: &str, product: &str) -> Scope {
        Scope {
            date: date.to_string(),
            region: region.to_string(),
            product: product.to_string(),
            terminator: TERMINATOR.to_string(),
        }
    }

    /// `date/region/product/terminator` (§4.4).
    pub fn text(&self) -> String {
        self.borrow().text()
    }

    /// Read `date/region/product/terminator`; `None` unless exactly four non-empty parts.
    pub fn parse(text: &str) -> Option<Scope> {
        ScopeRef::parse(text).map(ScopeRef::to_scope)
    }

    /// The parts, borrowed.
    pub fn borrow(&self) -> ScopeRef<'_> {
        ScopeRef {
            date: &self.date,
            region: &self.region,
            product: &self.product,
            terminator: &self.terminator,
        }
    }
}

/// A [`Scope`] over borrowed text (no allocation to read or write one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeRef<'a> {
    /// `yyyymmdd`.
    pub date: &'a str,
    /// Region id or CloudBox ID.
    pub region: &'a str,
    /// `oss` or `oss-cloudbox`.
    pub product: &'a str,
    /// Must be `aliyun_v4_request`.
    pub terminator: &'a str,
}

impl<'a> ScopeRef<'a> {
    /// A scope with the standard terminator.
    pub fn new(date: &'a str, region: &'a str, product: &'a str) -> ScopeRef<'a> {
        ScopeRef {
            date,
            region,
            product,
            terminator: TERMINATOR,
        }
    }

    /// Read `date/region/product/terminator`; `None` unless exactly four non-empty parts.
    pub fn parse(text: &'a str) -> Option<ScopeRef<'a>> {
        // Exactly three `/` (ASCII: the cuts are character boundaries), found
        // by one byte loop (a scope is short: memchr's setup costs more).
        let mut cuts = [0usize; 3];
        let mut n = 0;
        for (i, &c) in text.as_bytes().iter().enumerate() {
            if c == b'/' {
                *cuts.get_mut(n)? = i;
                n += 1;
            }
        }
        if n != 3 {
            return None;
        }
        let [a, b, c] = cuts;
        let s = ScopeRef {
            date: &text[..a],
            region: &text[a + 1..b],
            product: &text[b + 1..c],
            terminator: &text[c + 1..],
        };
        if s.parts().iter().any(|p| p.is_empty()) {
            return None;
        }
        Some(s)
    }

    /// The four parts in order.
    pub fn parts(&self) -> [&'a str; 4] {
        [self.date, self.region, self.product, self.terminator]
    }

    /// Length of the text.
    pub fn len(&self) -> usize {
        self.parts().iter().map(|p| p.len()).sum::<usize>() + 3
    }

    /// Never empty (the separators are always there).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Append `date/region/product/terminator` (§4.4).
    pub fn write(&self, out: &mut String) {
        for (i, p) in self.parts().iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(p);
        }
    }

    /// `date/region/product/terminator` (§4.4).
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.len());
        self.write(&mut s);
        s
    }

    /// An owned [`Scope`].
    pub fn to_scope(self) -> Scope {
        Scope {
            date: self.date.to_string(),
            region: self.region.to_string(),
            product: self.product.to_string(),
            terminator: self.terminator.to_string(),
        }
    }
}

/// `AccessKeyId/Scope` parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credential {
    /// AccessKeyId.
    pub access_key_id: String,
    /// The scope.
    pub scope: Scope,
}

impl Credential {
    /// `ak/date/region/product/aliyun_v4_request`.
    pub fn text(&self) -> String {
        format!("{}/{}", self.access_key_id, self.scope.text())
    }

    /// Parse a credential (§4.1, §5); `where_` names its origin for the error.
    pub fn parse(text: &str, where_: &str) -> Result<Credential> {
        CredentialRef::parse(text, where_).map(CredentialRef::to_credential)
    }
}

/// A [`Credential`] over borrowed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialRef<'a> {
    /// AccessKeyId.
    pub access_key_id: &'a str,
    /// The scope.
    pub scope: ScopeRef<'a>,
}

impl<'a> CredentialRef<'a> {
    /// An owned [`Credential`].
    pub fn to_credential(self) -> Credential {
        Credential {
            access_key_id: self.access_key_id.to_string(),
            scope: self.scope.to_scope(),
        }
    }

    /// [`Credential::parse`] without copying the parts.
    pub fn parse(text: &'a str, where_: &str) -> Result<CredentialRef<'a>> {
        let t = text.trim();
        let bad = |why: &str| {
            InputError::new(
                "bad-credential",
                format!(
                    "the V4 credential `{}` {why}; expected `<AccessKeyId>/<yyyymmdd>/<region>/<product>/aliyun_v4_request` (OSS: \"Invalid credential\")",
                    crate::encode::truncate(t, 120)
                ),
            )
            .at(where_.to_string())
        };
        // The first `/` (ASCII: a character boundary), by a byte scan.
        let slash = t
            .bytes()
            .position(|c| c == b'/')
            .ok_or_else(|| bad("has no `/`"))?;
        let (ak, rest) = (&t[..slash], &t[slash + 1..]);
        if ak.is_empty() {
            return Err(bad("has an empty AccessKeyId"));
        }
        // A byte count: the credential is short (memchr's setup costs more).
        let n = rest.bytes().filter(|&b| b == b'/').count() + 1;
        if n != 4 {
            return Err(bad(&format!("has {} `/`-separated parts, not 5", n + 1)));
        }
        let scope = ScopeRef::parse(rest).ok_or_else(|| bad("has an empty part"))?;
        if scope.date.len() != 8 || !scope.date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!(
                "has date `{}`, not yyyymmdd",
                crate::encode::truncate(scope.date, 20)
            )));
        }
        Ok(CredentialRef {
            access_key_id: ak,
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_text_and_parse() {
        // oss-signing.md §9.2 U1 / U2 scopes.
        let s = Scope::new("20231216", "cn-hangzhou", PRODUCT_OSS);
        assert_eq!(s.text(), "20231216/cn-hangzhou/oss/aliyun_v4_request");
        assert_eq!(Scope::parse(&s.text()), Some(s));
        assert_eq!(
            Scope::new("20231216", "cb-123", PRODUCT_CLOUDBOX).text(),
            "20231216/cb-123/oss-cloudbox/aliyun_v4_request"
        );
        assert_eq!(Scope::parse("a/b/c"), None);
        assert_eq!(Scope::parse("a//c/d"), None);
        assert_eq!(Scope::parse("a/b/c/d/e"), None);
    }

    #[test]
    fn credentials() {
        let c = Credential::parse(
            " ak/20231217/cn-hangzhou/oss/aliyun_v4_request ",
            "Authorization",
        )
        .unwrap();
        assert_eq!(c.access_key_id, "ak");
        assert_eq!(c.scope.region, "cn-hangzhou");
        assert_eq!(c.text(), "ak/20231217/cn-hangzhou/oss/aliyun_v4_request");
        // A wrong terminator parses (the verifier reports it as a finding).
        assert_eq!(
            Credential::parse("ak/20231217/cn-hangzhou/oss/aws4_request", "x")
                .unwrap()
                .scope
                .terminator,
            "aws4_request"
        );
        for bad in [
            "ak",
            "/20231217/cn-hangzhou/oss/aliyun_v4_request",
            "ak/20231217/cn-hangzhou/aliyun_v4_request",
            "ak/20231217/cn-hangzhou/oss/aliyun_v4_request/x",
            "ak/2023-12-17/cn-hangzhou/oss/aliyun_v4_request",
            "ak/20231217//oss/aliyun_v4_request",
        ] {
            let e = Credential::parse(bad, "Authorization").unwrap_err();
            assert_eq!(e.code(), "bad-credential", "{bad}");
            assert_eq!(e.location(), Some("Authorization"));
        }
    }
}
