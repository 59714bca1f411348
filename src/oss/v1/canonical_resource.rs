//! V1 CanonicalizedResource (oss-signing.md §2.5, §2.6).
//!
//! `/` (service), `/bucket/` (bucket), `/bucket/key` (object; the decoded key, not
//! percent-encoded), then `?` and the sub-resources sorted by name, `&`-joined,
//! decoded values, an empty value written as the bare name.

use super::subresources::SubresourceList;
use crate::encode::QueryParam;
use serde::{Deserialize, Serialize};

/// How an empty sub-resource value is written (oss-signing.md §2.5, §10 item 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyValues {
    /// `acl` even when the URL says `acl=` (server; PY1, JS, GO2).
    #[default]
    Bare,
    /// `acl=` when the URL says `acl=` (JV1 for non-null empty strings).
    KeepEquals,
}

/// `/`, `/bucket/` or `/bucket/key` (oss-signing.md §2.5 step 2).
pub fn resource_path(bucket: Option<&str>, key: &str) -> String {
    match bucket {
        None => "/".to_string(),
        Some(b) => {
            let mut s = String::with_capacity(b.len() + key.len() + 2);
            s.push('/');
            s.push_str(b);
            s.push('/');
            s.push_str(key);
            s
        }
    }
}

/// The sub-resources of a query, sorted by name (stable for repeated names),
/// as `(name, value)` where `None` is written bare.
pub fn subresources<'a>(
    query: &'a [QueryParam<'_>],
    list: SubresourceList,
    empty: EmptyValues,
) -> Vec<(&'a str, Option<&'a str>)> {
    let mut out: Vec<(&str, Option<&str>)> = query
        .iter()
        .filter(|p| list.contains(&p.name))
        .map(|p| {
            let v = match (p.value.as_deref(), empty) {
                (Some(""), EmptyValues::Bare) => None,
                (v, _) => v,
            };
            (&*p.name, v)
        })
        .collect();
    // Sort by name only, bytewise (§2.5 "Sort key").
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{parse_query, PlusMeans};

    #[test]
    fn paths() {
        assert_eq!(resource_path(None, ""), "/");
        assert_eq!(resource_path(Some("b"), ""), "/b/");
        assert_eq!(resource_path(Some("b"), "a b/c"), "/b/a b/c");
    }

    #[test]
    fn t4_filters_non_subresources() {
        // oss-signing.md §9.1 T4: `?resourceGroup&non-resousce=null` -> `?resourceGroup`.
        let q = parse_query("resourceGroup&non-resousce=null", PlusMeans::Space).unwrap();
        assert_eq!(
            subresources(&q, SubresourceList::Union, EmptyValues::Bare),
            vec![("resourceGroup", None)]
        );
    }

    #[test]
    fn sorted_decoded_bare() {
        let q = parse_query(
            "uploadId=x%2By&acl=&prefix=p&partNumber=1",
            PlusMeans::Space,
        )
        .unwrap();
        assert_eq!(
            subresources(&q, SubresourceList::Union, EmptyValues::Bare),
            vec![
                ("acl", None),
                ("partNumber", Some("1")),
                ("uploadId", Some("x+y"))
            ]
        );
        assert_eq!(
            subresources(&q, SubresourceList::Union, EmptyValues::KeepEquals)[0],
            ("acl", Some(""))
        );
    }
}
