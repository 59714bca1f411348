//! HttpParameters and UrlParamList: which query parameters take part
//! (cos-signing.md §2.4).

use super::pairs::KeyList;
use crate::encode::QueryParam;

/// The seven per-field URL auth parameters (cos-signing.md §1.2 form 2), never
/// part of HttpParameters.
pub const AUTH_PARAMS: [&str; 7] = [
    "q-sign-algorithm",
    "q-ak",
    "q-sign-time",
    "q-key-time",
    "q-header-list",
    "q-url-param-list",
    "q-signature",
];

/// The merged form's single parameter (cos-signing.md §1.2 "third form").
pub const MERGED_PARAM: &str = "sign";

/// The security token parameter (cos-signing.md §1.3).
pub const TOKEN: &str = "x-cos-security-token";

/// Is this query parameter part of the URL signature itself? `merged`: the
/// request uses `sign=`.
pub fn is_auth_param(name: &str, merged: bool) -> bool {
    AUTH_PARAMS.contains(&name) || (merged && name == MERGED_PARAM)
}

/// `(decoded name, decoded value)` of every parameter that may be signed; a bare
/// name counts as an empty value (cos-signing.md §2.4 step 1: `/?acl` ≡ `/?acl=`).
pub fn candidates<'a>(
    query: &'a [QueryParam<'_>],
    url_form: bool,
    merged: bool,
) -> Vec<(&'a str, &'a str)> {
    query
        .iter()
        .filter(|p| !(url_form && is_auth_param(&p.name, merged)))
        .map(|p| (&*p.name, p.value.as_deref().unwrap_or("")))
        .collect()
}

/// Signing default: every query parameter (DESIGN "JSON request spec", COS; Go
/// signs `req.URL.Query()`, cos-signing.md §2.4 "Which parameters").
pub fn default_list(cands: &[(&str, &str)]) -> Vec<String> {
    default_keys(cands).to_vec()
}

/// [`default_list`] in one buffer.
pub fn default_keys(cands: &[(&str, &str)]) -> KeyList {
    let mut out = KeyList::with_capacity(cands.iter().map(|(n, _)| n.len() + 2).sum(), cands.len());
    for (n, _) in cands {
        out.push_name(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    #[test]
    fn bare_is_empty_and_auth_skipped() {
        let q = parse_query(
            "acl&q-ak=x&sign=y&versionId=V&q-signature=s",
            PlusMeans::Space,
        )
        .unwrap();
        let c = candidates(&q, true, false);
        assert_eq!(c, vec![("acl", ""), ("sign", "y"), ("versionId", "V")]);
        let c = candidates(&q, true, true);
        assert_eq!(c, vec![("acl", ""), ("versionId", "V")]);
        // Header form: every parameter is a candidate.
        assert_eq!(candidates(&q, false, false).len(), 5);
        assert_eq!(default_list(&c), vec!["acl", "versionid"]);
    }
}
