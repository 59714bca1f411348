//! The error catalogue: every code and message variant of the providers' 403 pages
//! (`../shared/seeds/`), loaded from `catalogue.json`, and the matcher.
//!
//! Matching (one rule, applied to every entry):
//! * a message matches a variant when, after [`normalise`], it equals the variant or
//!   starts with it followed by punctuation (`.`, `:`, `,`, `;`, `!`) — so
//!   "…you provided. Check your key and signing method." matches the seed's
//!   "…you provided." but "Access denied by bucket policy" does not match "Access Denied";
//! * score 3: code and a message variant match; 2: the code matches an entry that is
//!   general for it (no variant matched, or no message was given; a literal code also
//!   matches an entry whose variant is that very word, as COS's `<Message>InvalidAccessKeyId</Message>`);
//!   1: no code was given and a message variant matches;
//! * the best score wins, then the longest variant; ties across providers are all kept.

use crate::address::Provider;
use serde::Deserialize;
use std::sync::OnceLock;

/// A request-specific check an entry asks for (see [`super::checks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Clock skew between the request time and the server's.
    Clock,
    /// Expiry of a signed URL or signature window.
    Expiry,
    /// The endpoint the server names and the corrected URL.
    EndpointRedirect,
    /// The endpoint's shape: a bucket already in it, a trailing `/`, spaces.
    EndpointShape,
    /// AccessKeyId characters.
    AccessKeyId,
    /// Bucket and object naming rules.
    Naming,
    /// Host style: IP, path style, custom domain, acceleration.
    HostStyle,
    /// Which signature fields the request carries.
    SignatureFields,
    /// The server's StringToSign / FormatString in the body.
    ServerString,
    /// STS security token present or not.
    Sts,
    /// Referer header.
    Referer,
    /// CORS headers.
    Cors,
}

/// One catalogue entry: a (provider, code, message pattern) and its explanation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id (`oss.access-denied.endpoint`).
    pub id: String,
    /// Provider.
    pub provider: Provider,
    /// Codes this entry answers to (COS puts several codes' names in the message of `AccessDenied`).
    pub codes: Vec<String>,
    /// Message variants, as the seed quotes them.
    pub messages: Vec<String>,
    /// Used when the code matches but no variant does.
    #[serde(default)]
    pub general: bool,
    /// The seed document and section the text was written from.
    pub source: String,
    /// Request-specific checks that apply.
    pub checks: Vec<Check>,
    /// Cause, English.
    pub cause_en: String,
    /// Cause, Chinese.
    pub cause_zh: String,
    /// Solution, English.
    pub solution_en: String,
    /// Solution, Chinese.
    pub solution_zh: String,
}

#[derive(Deserialize)]
struct File {
    #[allow(dead_code)]
    note: String,
    entries: Vec<Entry>,
}

/// Every entry, in file order.
pub fn entries() -> &'static [Entry] {
    static C: OnceLock<Vec<Entry>> = OnceLock::new();
    C.get_or_init(|| {
        let f: File = serde_json::from_str(include_str!("catalogue.json"))
            .expect("catalogue.json is valid (checked by a unit test)");
        f.entries
    })
}

/// Lower-case, whitespace collapsed, trailing `.` and spaces removed.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    while out.ends_with('.') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Length of the matching variant when `message` (normalised) matches `variant`.
fn variant_match(message: &str, variant: &str) -> Option<usize> {
    let v = normalise(variant);
    if message == v {
        return Some(v.len());
    }
    let rest = message.strip_prefix(v.as_str())?;
    rest.starts_with(['.', ':', ',', ';', '!'])
        .then_some(v.len())
}

/// How an entry matched.
#[derive(Debug, Clone, Copy)]
pub struct Match {
    /// The entry.
    pub entry: &'static Entry,
    /// 3, 2 or 1 (see the module notes).
    pub score: u8,
    /// Length of the matched variant (0 when none).
    pub len: usize,
    /// A message was given and matched one of the entry's variants.
    pub variant: bool,
}

fn is_general(e: &Entry, code: &str) -> bool {
    e.general
        || entries()
            .iter()
            .filter(|o| {
                o.provider == e.provider && o.codes.iter().any(|c| c.eq_ignore_ascii_case(code))
            })
            .count()
            == 1
}

/// Score one entry.
pub fn score(e: &'static Entry, code: Option<&str>, message: Option<&str>) -> Option<Match> {
    let msg = message.map(normalise).filter(|m| !m.is_empty());
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let best_variant = |m: &str| e.messages.iter().filter_map(|v| variant_match(m, v)).max();
    let code_hit = code.is_some_and(|c| e.codes.iter().any(|x| x.eq_ignore_ascii_case(c)));
    match (code, &msg) {
        (Some(c), Some(m)) => {
            if !code_hit {
                return None;
            }
            if let Some(len) = best_variant(m) {
                return Some(Match {
                    entry: e,
                    score: 3,
                    len,
                    variant: true,
                });
            }
            is_general(e, c).then_some(Match {
                entry: e,
                score: 2,
                len: 0,
                variant: false,
            })
        }
        (Some(c), None) => {
            // A code alone: the code's general entry, or (COS) an entry whose variant is that word.
            let as_message = best_variant(&normalise(c));
            if code_hit && is_general(e, c) {
                Some(Match {
                    entry: e,
                    score: 2,
                    len: 0,
                    variant: false,
                })
            } else {
                // len 0: a word that is a code for one provider and a message for the other ties.
                as_message.map(|_| Match {
                    entry: e,
                    score: 2,
                    len: 0,
                    variant: false,
                })
            }
        }
        (None, Some(m)) => best_variant(m).map(|len| Match {
            entry: e,
            score: 1,
            len,
            variant: true,
        }),
        (None, None) => None,
    }
}

/// The best entries for a code and message, optionally for one provider. More than one
/// only when providers tie (at most one per provider).
pub fn lookup(code: Option<&str>, message: Option<&str>, provider: Option<Provider>) -> Vec<Match> {
    let mut all: Vec<Match> = entries()
        .iter()
        .filter(|e| provider.is_none_or(|p| p == e.provider))
        .filter_map(|e| score(e, code, message))
        .collect();
    let Some(best) = all.iter().map(|m| (m.score, m.len)).max() else {
        return Vec::new();
    };
    all.retain(|m| (m.score, m.len) == best);
    // One per provider: the first in file order.
    let mut out: Vec<Match> = Vec::new();
    for m in all {
        if !out.iter().any(|o| o.entry.provider == m.entry.provider) {
            out.push(m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_unique_ids_and_full_texts() {
        let mut ids = std::collections::HashSet::new();
        for e in entries() {
            assert!(ids.insert(e.id.as_str()), "duplicate id {}", e.id);
            assert!(!e.codes.is_empty(), "{}", e.id);
            for t in [
                &e.cause_en,
                &e.cause_zh,
                &e.solution_en,
                &e.solution_zh,
                &e.source,
            ] {
                assert!(!t.trim().is_empty(), "{} has an empty text", e.id);
            }
            assert!(
                e.source.contains("seeds/"),
                "{}: source must name a seed",
                e.id
            );
            // zh texts are Chinese, en texts are not.
            assert!(
                e.cause_zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                e.id
            );
            assert!(
                !e.cause_en
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                e.id
            );
            assert!(e.id.starts_with(match e.provider {
                Provider::Oss => "oss.",
                Provider::Cos => "cos.",
            }));
        }
    }

    #[test]
    fn every_variant_finds_its_own_entry() {
        // Data-driven over the catalogue's own seed-quoted strings.
        for e in entries() {
            for v in &e.messages {
                for code in &e.codes {
                    let m = lookup(Some(code), Some(v), Some(e.provider));
                    assert_eq!(m.len(), 1, "{} / {code} / {v}", e.id);
                    assert_eq!(m[0].entry.id, e.id, "{code} / {v}");
                    assert!(m[0].variant);
                    // With a trailing period and odd spacing too.
                    let noisy = format!("  {}. ", v.replace(' ', "  "));
                    assert_eq!(
                        lookup(Some(code), Some(&noisy), Some(e.provider))[0]
                            .entry
                            .id,
                        e.id
                    );
                }
                // The message alone finds it too (maybe alongside the other provider's).
                // (OSS PermanentRedirect and AccessDenied share one message: then either entry.)
                let m = lookup(None, Some(v), None);
                assert!(
                    m.iter()
                        .any(|x| x.entry.provider == e.provider && x.entry.messages.contains(v)),
                    "message only: {v}"
                );
            }
        }
    }

    #[test]
    fn every_code_has_a_general_entry() {
        for e in entries() {
            for c in &e.codes {
                let top: Vec<&str> = entries()
                    .iter()
                    .filter(|o| o.provider == e.provider)
                    .filter_map(|o| score(o, Some(c), None))
                    .map(|m| m.entry.id.as_str())
                    .collect();
                assert_eq!(top.len(), 1, "{} / {c}: general entries {top:?}", e.id);
                // And an unseen message for the code lands on the same one.
                let m = lookup(Some(c), Some("An unseen message."), Some(e.provider));
                assert_eq!(m[0].entry.id, top[0]);
                assert!(!m[0].variant);
            }
        }
    }

    #[test]
    fn prefix_needs_punctuation() {
        assert_eq!(
            variant_match("access denied by bucket policy", "Access Denied"),
            None
        );
        assert_eq!(
            variant_match("the request signature we calculated does not match the signature you provided. check your key and signing method", "The request signature we calculated does not match the signature you provided"),
            Some(77)
        );
        assert_eq!(normalise(" userdisable "), "userdisable");
        // seeds/002: KmsInDebt vs KmsInDebtOverdue, "this object" vs "… because of bucket acl".
        let m = lookup(
            Some("AccessDenied"),
            Some("You have no right to access this object because of bucket acl."),
            Some(Provider::Oss),
        );
        assert_eq!(m[0].entry.id, "oss.access-denied.bucket-acl");
        let m = lookup(
            Some("AccessDenied"),
            Some("You have no right to access this object."),
            Some(Provider::Oss),
        );
        assert_eq!(m[0].entry.id, "oss.access-denied.ram-object");
    }

    #[test]
    fn unknown_and_mismatched() {
        assert!(lookup(Some("NoSuchThing"), Some("Request has expired."), None).is_empty());
        assert!(lookup(None, Some("hello world"), None).is_empty());
        // A known code with an unseen message falls back to the general entry, flagged as no variant.
        let m = lookup(
            Some("AccessDenied"),
            Some("Something new."),
            Some(Provider::Oss),
        );
        assert_eq!(
            (m[0].entry.id.as_str(), m[0].variant),
            ("oss.access-denied", false)
        );
        // Ambiguous without a provider.
        let m = lookup(Some("SignatureDoesNotMatch"), None, None);
        assert_eq!(m.len(), 2);
    }
}
