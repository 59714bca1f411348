//! One-line readings of the common ways a signer's intermediate differs from
//! sigdiff's (issue 7 §3; the patterns are oss-signing.md §2.4–2.5, §10 and
//! cos-signing.md §2.4–2.6, §7). Data-driven and small: each pattern is one
//! detector over the field rows of a diff; the full diagnosis engine is
//! `src/diagnose` (another branch).
//!
//! Rows come from [`crate::diff::align`] with `server` = sigdiff and
//! `client` = the signer. Field texts keep their separators (`?acl`,
//! `&k=v`, `x-oss-a:b\n`); the detectors strip them.

use crate::diff::FieldRow;
use crate::encode::{decode, PlusMeans};
use crate::finding::Finding;

/// One detector: returns the findings it makes (usually zero or one).
type Detect = fn(&Rows<'_>) -> Vec<Finding>;

/// The pattern table, in reporting order.
const PATTERNS: &[(&str, Detect)] = &[
    ("SIG610", header_order),
    ("SIG611", name_case),
    ("SIG616", whitespace),
    ("SIG618", header_set),
    ("SIG612", key_encoding),
    ("SIG613", missing_param),
    ("SIG614", extra_param),
    ("SIG615", empty_value),
    ("SIG617", value_encoding),
    ("SIG619", time_line),
];

/// Every pattern code this module can emit, for documentation and tests.
pub fn codes() -> impl Iterator<Item = &'static str> {
    PATTERNS.iter().map(|(c, _)| *c).chain(["SIG620"])
}

/// Name the mistakes behind the differing rows. When no pattern applies and a
/// row differs, one SIG620 finding names the first differing field.
pub fn diagnose(rows: &[FieldRow]) -> Vec<Finding> {
    let r = Rows::new(rows);
    let mut out: Vec<Finding> = PATTERNS.iter().flat_map(|(_, d)| d(&r)).collect();
    if out.is_empty() {
        if let Some(row) = rows.iter().find(|x| !x.same) {
            let show = |v: &Option<String>| {
                v.as_deref()
                    .map(crate::canonical::escape_visible)
                    .unwrap_or_else(|| "(absent)".into())
            };
            out.push(Finding::new(
                "SIG620",
                Some(&row.name),
                format!(
                    "The signer's {} is `{}` where sigdiff has `{}`.",
                    row.name,
                    show(&row.client),
                    show(&row.server)
                ),
                format!(
                    "签名方的 {} 为 `{}`，sigdiff 为 `{}`。",
                    row.name,
                    show(&row.client),
                    show(&row.server)
                ),
            ));
        }
    }
    out
}

/// A name/value entry of one side (`x-oss-meta-a` / `b`; `acl` / none).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    value: Option<String>,
}

struct Rows<'a> {
    rows: &'a [FieldRow],
    /// Header entries, sigdiff's then the signer's, each in signing order.
    headers: [Vec<Entry>; 2],
    /// Query entries (sub-resources, parameters), likewise.
    query: [Vec<Entry>; 2],
}

/// The text without its separators: `?acl` → `acl`, `x-a:b\n` → `x-a:b`.
fn core(t: &str) -> &str {
    t.trim_start_matches(['?', '&']).trim_end_matches('\n')
}

fn entry(t: &str) -> Entry {
    let t = core(t);
    match t.find([':', '=']) {
        Some(i) => Entry {
            name: t[..i].to_string(),
            value: Some(t[i + 1..].to_string()),
        },
        None => Entry {
            name: t.to_string(),
            value: None,
        },
    }
}

fn decoded(s: &str) -> String {
    decode(s, PlusMeans::Plus, "value")
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}

fn show(s: &str) -> String {
    crate::canonical::escape_visible(s)
}

impl<'a> Rows<'a> {
    fn new(rows: &'a [FieldRow]) -> Self {
        // A V1 parse-back keeps a non-sub-resource parameter inside the value of
        // the one before it (`?acl&prefix=x`): query texts are split at `&` here.
        let side = |prefix: &str, client: bool| -> Vec<Entry> {
            rows.iter()
                .filter(|r| r.name.starts_with(prefix))
                .filter_map(|r| {
                    if client {
                        r.client.as_deref()
                    } else {
                        r.server.as_deref()
                    }
                })
                .flat_map(|t| {
                    if prefix == "query:" {
                        core(t).split('&').map(entry).collect::<Vec<_>>()
                    } else {
                        vec![entry(t)]
                    }
                })
                .collect()
        };
        Rows {
            rows,
            headers: [side("header:", false), side("header:", true)],
            query: [side("query:", false), side("query:", true)],
        }
    }

    fn differs(&self) -> bool {
        self.rows.iter().any(|r| !r.same)
    }

    /// Entries of both sides paired by lower-case name (first occurrence).
    fn pairs(list: &[Vec<Entry>; 2]) -> Vec<(&Entry, &Entry)> {
        list[0]
            .iter()
            .filter_map(|s| {
                list[1]
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(&s.name))
                    .map(|c| (s, c))
            })
            .collect()
    }
}

fn lower_names(v: &[Entry]) -> Vec<String> {
    v.iter().map(|e| e.name.to_ascii_lowercase()).collect()
}

/// SIG610: the same headers, another order (oss-signing.md §2.4 step 3; §4.3; cos-signing.md §2.5).
fn header_order(r: &Rows<'_>) -> Vec<Finding> {
    let (s, c) = (lower_names(&r.headers[0]), lower_names(&r.headers[1]));
    let (mut ss, mut cs) = (s.clone(), c.clone());
    ss.sort();
    cs.sort();
    if s == c || ss != cs {
        return Vec::new();
    }
    vec![Finding::new(
        "SIG610",
        Some("header:"),
        format!(
            "The signer does not sort the signed headers: it signs them as {} where the order is {} (ascending by lower-case name).",
            c.join(", "),
            s.join(", ")
        ),
        format!(
            "签名方未对参与签名的头部排序：其顺序为 {}，应为 {}（按小写名称升序）。",
            c.join(", "),
            s.join(", ")
        ),
    )]
}

/// SIG611: a header or parameter name signed in another case (oss-signing.md §2.4 step 1; cos-signing.md §2.4).
fn name_case(r: &Rows<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (kind, list) in [("header", &r.headers), ("parameter", &r.query)] {
        if let Some((s, c)) = Rows::pairs(list)
            .into_iter()
            .find(|(s, c)| s.name != c.name)
        {
            out.push(Finding::new(
                "SIG611",
                Some(&format!(
                    "{}:{}",
                    if kind == "header" { "header" } else { "query" },
                    s.name
                )),
                format!(
                    "The signer does not {} {kind} names: it signs `{}` where `{}` is expected.",
                    if s.name.bytes().any(|b| b.is_ascii_uppercase()) {
                        "keep the case of"
                    } else {
                        "lower-case"
                    },
                    show(&c.name),
                    show(&s.name)
                ),
                format!(
                    "签名方{kind}名称大小写不对：签了 `{}`，应为 `{}`。",
                    show(&c.name),
                    show(&s.name)
                ),
            ));
        }
    }
    out
}

/// SIG616: a header value with surrounding whitespace (oss-signing.md §2.4 step 4; cos-signing.md §2.5).
fn whitespace(r: &Rows<'_>) -> Vec<Finding> {
    for (s, c) in Rows::pairs(&r.headers) {
        let (Some(sv), Some(cv)) = (&s.value, &c.value) else {
            continue;
        };
        let (sd, cd) = (decoded(sv), decoded(cv));
        if sd != cd && sd.trim() == cd.trim() {
            let (en, zh) = if cd.len() > sd.len() {
                ("does not trim", "未去掉")
            } else {
                ("trims", "去掉了")
            };
            return vec![Finding::new(
                "SIG616",
                Some(&format!("header:{}", s.name.to_ascii_lowercase())),
                format!(
                    "The signer {en} the whitespace around the value of `{}`: it signs `{}` where `{}` is expected.",
                    s.name,
                    show(cv),
                    show(sv)
                ),
                format!("签名方{zh}头部 `{}` 值首尾的空白：签了 `{}`，应为 `{}`。", s.name, show(cv), show(sv)),
            )];
        }
    }
    Vec::new()
}

/// SIG618: a header signed on one side only (which headers are signed: oss-signing.md §2.4, §4.3; cos-signing.md §2.5).
fn header_set(r: &Rows<'_>) -> Vec<Finding> {
    let has = |v: &[Entry], n: &str| v.iter().any(|e| e.name.eq_ignore_ascii_case(n));
    let missing: Vec<&str> = r.headers[0]
        .iter()
        .filter(|e| !has(&r.headers[1], &e.name))
        .map(|e| e.name.as_str())
        .collect();
    let extra: Vec<&str> = r.headers[1]
        .iter()
        .filter(|e| !has(&r.headers[0], &e.name))
        .map(|e| e.name.as_str())
        .collect();
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(Finding::new(
            "SIG618",
            Some(&format!("header:{}", missing[0].to_ascii_lowercase())),
            format!(
                "The signer does not sign the header(s) {}.",
                missing.join(", ")
            ),
            format!("签名方未签头部 {}。", missing.join(", ")),
        ));
    }
    if !extra.is_empty() {
        out.push(Finding::new(
            "SIG618",
            Some(&format!("header:{}", extra[0].to_ascii_lowercase())),
            format!(
                "The signer signs header(s) {} that are not to be signed.",
                extra.join(", ")
            ),
            format!("签名方签了不应参与签名的头部 {}。", extra.join(", ")),
        ));
    }
    out
}

/// SIG612: the object key encoded differently (V1 signs the raw key: oss-signing.md §2.5;
/// V4 encodes it once: §4.3; COS signs the decoded path: cos-signing.md §2.6).
fn key_encoding(r: &Rows<'_>) -> Vec<Finding> {
    for row in r.rows.iter().filter(|x| !x.same) {
        if !matches!(&*row.name, "resource" | "canonical-uri" | "path") {
            continue;
        }
        let (Some(s), Some(c)) = (&row.server, &row.client) else {
            continue;
        };
        let (s, c) = (core(s), core(c));
        let verb = if decoded(c) == s {
            "percent-encodes"
        } else if decoded(s) == c {
            "does not percent-encode"
        } else if decoded(s) == decoded(c) {
            "encodes differently"
        } else {
            continue;
        };
        return vec![Finding::new(
            "SIG612",
            Some(&row.name),
            format!(
                "The signer {verb} the object key in the {}: it signs `{}` where `{}` is expected.",
                row.name,
                show(c),
                show(s)
            ),
            format!(
                "签名方对 {} 中对象名的编码不对：签了 `{}`，应为 `{}`。",
                row.name,
                show(c),
                show(s)
            ),
        )];
    }
    Vec::new()
}

fn param_word(name: &str) -> &'static str {
    if crate::oss::v1::subresources::SubresourceList::Union.contains(name) {
        "sub-resource"
    } else {
        "parameter"
    }
}

/// SIG613: a sub-resource / parameter sigdiff signs and the signer does not (oss-signing.md §2.5–2.6; cos-signing.md §2.4).
fn missing_param(r: &Rows<'_>) -> Vec<Finding> {
    let missing: Vec<&Entry> = r.query[0]
        .iter()
        .filter(|s| {
            !r.query[1]
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&s.name))
        })
        .collect();
    let Some(first) = missing.first() else {
        return Vec::new();
    };
    let names: Vec<&str> = missing.iter().map(|e| e.name.as_str()).collect();
    vec![Finding::new(
        "SIG613",
        Some(&format!("query:{}", first.name)),
        format!(
            "The signer does not sign the {} {}.",
            param_word(&first.name),
            names.join(", ")
        ),
        format!("签名方未签子资源/参数 {}。", names.join(", ")),
    )]
}

/// SIG614: a parameter the signer signs and sigdiff does not (V1 signs only sub-resources: oss-signing.md §2.5).
fn extra_param(r: &Rows<'_>) -> Vec<Finding> {
    let extra: Vec<&Entry> = r.query[1]
        .iter()
        .filter(|c| {
            !r.query[0]
                .iter()
                .any(|s| s.name.eq_ignore_ascii_case(&c.name))
        })
        .collect();
    let Some(first) = extra.first() else {
        return Vec::new();
    };
    let names: Vec<&str> = extra.iter().map(|e| e.name.as_str()).collect();
    vec![Finding::new(
        "SIG614",
        Some(&format!("query:{}", first.name)),
        format!(
            "The signer signs {}, which is not signed (for OSS V1 only sub-resources are).",
            names.join(", ")
        ),
        format!(
            "签名方签了不参与签名的参数 {}（OSS V1 只签子资源）。",
            names.join(", ")
        ),
    )]
}

/// SIG615: `k=` against bare `k` (OSS V1: empty ⇒ bare name, oss-signing.md §2.5; COS: `k=`, cos-signing.md §2.4).
fn empty_value(r: &Rows<'_>) -> Vec<Finding> {
    for (s, c) in Rows::pairs(&r.query) {
        let form = |e: &Entry| match &e.value {
            None => e.name.clone(),
            Some(v) => format!("{}={v}", e.name),
        };
        let empty = |e: &Entry| e.value.as_deref().is_none_or(str::is_empty);
        if empty(s) && empty(c) && s.value != c.value {
            return vec![Finding::new(
                "SIG615",
                Some(&format!("query:{}", s.name)),
                format!(
                    "The signer writes `{}` for an empty value where `{}` is expected.",
                    show(&form(c)),
                    show(&form(s))
                ),
                format!(
                    "签名方对空值写成 `{}`，应为 `{}`。",
                    show(&form(c)),
                    show(&form(s))
                ),
            )];
        }
    }
    Vec::new()
}

/// SIG617: a value encoded differently (V1 signs decoded values: oss-signing.md §2.5;
/// V4 / COS encode once, RFC 3986, upper-case hex: §1.2, cos-signing.md §2.3).
fn value_encoding(r: &Rows<'_>) -> Vec<Finding> {
    for (kind, list) in [("query", &r.query), ("header", &r.headers)] {
        for (s, c) in Rows::pairs(list) {
            let (Some(sv), Some(cv)) = (&s.value, &c.value) else {
                continue;
            };
            if sv != cv && !sv.is_empty() && !cv.is_empty() && decoded(sv) == decoded(cv) {
                return vec![Finding::new(
                    "SIG617",
                    Some(&format!("{kind}:{}", s.name)),
                    format!(
                        "The signer encodes the value of `{}` differently: it signs `{}` where `{}` is expected.",
                        s.name,
                        show(cv),
                        show(sv)
                    ),
                    format!("签名方对 `{}` 的值编码不同：签了 `{}`，应为 `{}`。", s.name, show(cv), show(sv)),
                )];
            }
        }
    }
    Vec::new()
}

/// SIG619: the Date / Expires line (oss-signing.md §2.3, §3).
fn time_line(r: &Rows<'_>) -> Vec<Finding> {
    if !r.differs() {
        return Vec::new();
    }
    r.rows
        .iter()
        .filter(|x| !x.same && matches!(&*x.name, "date" | "expires"))
        .take(1)
        .map(|row| {
            let s = row.server.as_deref().map(core).unwrap_or("");
            let c = row.client.as_deref().map(core).unwrap_or("");
            Finding::new(
                "SIG619",
                Some(&row.name),
                format!(
                    "The signer signs `{}` as the {} line where `{}` is expected.",
                    show(c),
                    row.name,
                    show(s)
                ),
                format!(
                    "签名方的 {} 行为 `{}`，应为 `{}`。",
                    row.name,
                    show(c),
                    show(s)
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oss::v1::string_to_sign::parse_back;

    fn v1(server: &str, client: &str) -> Vec<Finding> {
        let (s, c) = (
            parse_back(server, "date", None),
            parse_back(client, "date", None),
        );
        diagnose(&crate::diff::align(&s, &c))
    }

    fn codes_of(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|x| x.code).collect()
    }

    #[test]
    fn names_each_pattern() {
        let base = "GET\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a b?acl&uploadId=1";
        let f = v1(
            base,
            "GET\n\n\nD\nx-oss-b:2\nx-oss-a:1\n/b/a b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG610"]);
        assert!(f[0].message.contains("does not sort"), "{}", f[0].message);
        let f = v1(
            base,
            "GET\n\n\nD\nX-OSS-A:1\nx-oss-b:2\n/b/a b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG611"]);
        let f = v1(
            base,
            "GET\n\n\nD\nx-oss-a: 1\nx-oss-b:2\n/b/a b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG616"]);
        assert!(f[0].message.contains("does not trim"));
        let f = v1(
            base,
            "GET\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a%20b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG612"]);
        assert!(f[0].message.contains("percent-encodes the object key"));
        let f = v1(base, "GET\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a b?uploadId=1");
        assert_eq!(codes_of(&f), ["SIG613"]);
        assert!(
            f[0].message.contains("sub-resource acl"),
            "{}",
            f[0].message
        );
        let f = v1(
            base,
            "GET\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a b?acl=&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG615"]);
        assert!(f[0].message.contains("`acl=`"));
        let f = v1(
            base,
            "GET\n\n\nE\nx-oss-a:1\nx-oss-b:2\n/b/a b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG619"]);
        let f = v1(base, "GET\n\n\nD\nx-oss-a:1\n/b/a b?acl&uploadId=1");
        assert_eq!(codes_of(&f), ["SIG618"]);
        let f = v1(
            base,
            "GET\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a b?acl&prefix=x&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG614"]);
        let f = v1(
            base,
            "PUT\n\n\nD\nx-oss-a:1\nx-oss-b:2\n/b/a b?acl&uploadId=1",
        );
        assert_eq!(codes_of(&f), ["SIG620"]);
        assert_eq!(f[0].field.as_deref(), Some("verb"));
        assert!(v1(base, base).is_empty());
    }

    #[test]
    fn cos_value_encoding_and_case() {
        let s = crate::cos::parse_stage(
            crate::Stage::FormatString,
            "get\n/k\nacl=&prefix=a%2Fb\nhost=h\n",
            None,
        );
        let c = crate::cos::parse_stage(
            crate::Stage::FormatString,
            "get\n/k\nacl=&prefix=a/b\nhost=h\n",
            None,
        );
        assert_eq!(codes_of(&diagnose(&crate::diff::align(&s, &c))), ["SIG617"]);
        let c = crate::cos::parse_stage(
            crate::Stage::FormatString,
            "get\n/k\nacl=&prefix=a%2Fb\nHost=h\n",
            None,
        );
        assert_eq!(codes_of(&diagnose(&crate::diff::align(&s, &c))), ["SIG611"]);
    }
}
