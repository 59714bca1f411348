//! The `key=value` canonicalisation shared by HttpParameters and HttpHeaders
//! (cos-signing.md §2.4, §2.5, §2.8 `canonical()`).
//!
//! Each pair is `(lower(UrlEncode(name)), UrlEncode(value))`, the pairs are sorted,
//! joined with `&`, and the keys joined with `;` make the list (`q-url-param-list`,
//! `q-header-list`). Which names take part is decided by the caller: the list a
//! request carries (verify) or the signer's selection (sign).

use crate::encode;
use serde::{Deserialize, Serialize};

/// Sort order of the pairs (cos-signing.md §2.4 "Sort", §9 Q1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// Byte order of the encoded, lower-cased key (Go, Python, Java, C++, PHP, flare).
    #[default]
    EncodedKey,
    /// Order of the lower-cased *raw* key, before encoding (JS/Node `obj2str`, C, iOS);
    /// the lists stay in encoded-key order (Node `getObjectKeys(obj, true)`, D7).
    RawKey,
}

/// A name that appears more than once (cos-signing.md §2.4 "Duplicate keys", §9 Q2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repeated {
    /// Every value signed, sorted, the key repeated in the list (Go `valuesSignMap`).
    #[default]
    All,
    /// First value only (PHP headers).
    First,
    /// Last value wins (Python/Java/JS maps).
    Last,
}

/// One canonical pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// `lower(UrlEncode(name))`.
    pub key: String,
    /// `UrlEncode(value)`, case kept.
    pub value: String,
    /// Lower-cased raw name (for [`Sort::RawKey`]).
    pub raw_lower: String,
}

/// `lower(UrlEncode(name))` (cos-signing.md §2.4: keys are lower-cased *after*
/// encoding, so escapes are lower-case hex: `a/b` → `a%2fb`).
pub fn canonical_key(name: &str) -> String {
    let mut k = encode::encode(name);
    k.make_ascii_lowercase();
    k
}

/// Build the pair for a decoded name and value (cos-signing.md §2.4: values keep
/// their case and upper-case escapes).
pub fn pair(name: &str, value: &str) -> Pair {
    Pair {
        key: canonical_key(name),
        value: encode::encode(value),
        raw_lower: name.to_ascii_lowercase(),
    }
}

/// Sort pairs by key then value (cos-signing.md §2.8 "sort enc by (key, value) bytewise").
pub fn sort(pairs: &mut [Pair], order: Sort) {
    match order {
        Sort::EncodedKey => {
            pairs.sort_by(|a, b| (a.key.as_str(), &a.value).cmp(&(b.key.as_str(), &b.value)))
        }
        Sort::RawKey => pairs.sort_by(|a, b| {
            (a.raw_lower.as_str(), &a.value).cmp(&(b.raw_lower.as_str(), &b.value))
        }),
    }
}

/// What [`select`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selected {
    /// The pairs in signing order.
    pub pairs: Vec<Pair>,
    /// Listed keys no candidate has: signed as `key=` (server behaviour undocumented).
    pub missing: Vec<String>,
    /// Listed keys that several candidates carry.
    pub repeated: Vec<String>,
}

/// Pick the candidates `(decoded name, decoded value)` whose canonical key is in
/// `listed` (lower-case, de-duplicated), apply the repeated-name rule, and sort.
pub fn select<'a>(
    candidates: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    listed: &[String],
    repeated: Repeated,
    order: Sort,
) -> Selected {
    let mut out = Selected {
        pairs: Vec::with_capacity(listed.len()),
        ..Default::default()
    };
    let mut scratch = String::new();
    for key in listed {
        let start = out.pairs.len();
        let mut found = 0usize;
        for (n, v) in candidates.clone() {
            scratch.clear();
            encode::encode_into(&mut scratch, n);
            scratch.make_ascii_lowercase();
            if scratch != *key {
                continue;
            }
            found += 1;
            let p = pair(n, v);
            match repeated {
                Repeated::All => out.pairs.push(p),
                Repeated::First if out.pairs.len() == start => out.pairs.push(p),
                Repeated::First => {}
                Repeated::Last if out.pairs.len() == start => out.pairs.push(p),
                Repeated::Last => out.pairs[start] = p,
            }
        }
        if found == 0 {
            out.missing.push(key.clone());
            out.pairs.push(Pair {
                key: key.clone(),
                value: String::new(),
                raw_lower: key.clone(),
            });
        } else if found > 1 {
            out.repeated.push(key.clone());
        }
    }
    sort(&mut out.pairs, order);
    out
}

/// `k1=v1&k2=v2` (the HttpParameters / HttpHeaders line without its `\n`).
pub fn join(pairs: &[Pair]) -> String {
    let mut s = String::with_capacity(pairs.iter().map(|p| p.key.len() + p.value.len() + 2).sum());
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(&p.key);
        s.push('=');
        s.push_str(&p.value);
    }
    s
}

/// `k1;k2` in encoded-key order whatever the pair order (cos-signing.md §2.4 step 5;
/// Node keeps this order even when it sorts the pairs on the raw key, D7).
pub fn list(pairs: &[Pair]) -> String {
    let mut keys: Vec<&str> = pairs.iter().map(|p| p.key.as_str()).collect();
    keys.sort_unstable();
    keys.join(";")
}

/// Split a `q-header-list` / `q-url-param-list` value into its entries: empty
/// entries dropped, lower-cased (cos-signing.md §1.1), de-duplicated in order.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in text.split(';').filter(|e| !e.is_empty()) {
        let e = e.to_ascii_lowercase();
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lower_values_keep_case() {
        // cos-signing.md §2.4 and pitfall 5: `a/b` → `a%2fb`, values `%2F`.
        let p = pair("a/b", "dir/Sub");
        assert_eq!((p.key.as_str(), p.value.as_str()), ("a%2fb", "dir%2FSub"));
        // D6: `Key~Tilde=v~*'()!` → `key~tilde=v~%2A%27%28%29%21`.
        let p = pair("Key~Tilde", "v~*'()!");
        assert_eq!(join(&[p]), "key~tilde=v~%2A%27%28%29%21");
    }

    #[test]
    fn d2_parameters() {
        // cos-signing.md §6 D2.
        let q = [
            ("prefix", "dir/sub dir/"),
            ("delimiter", "/"),
            ("max-keys", "10"),
            ("encoding-type", "url"),
        ];
        let listed = parse_list("prefix;delimiter;max-keys;encoding-type");
        let s = select(q.iter().copied(), &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(
            join(&s.pairs),
            "delimiter=%2F&encoding-type=url&max-keys=10&prefix=dir%2Fsub%20dir%2F"
        );
        assert_eq!(list(&s.pairs), "delimiter;encoding-type;max-keys;prefix");
        assert!(s.missing.is_empty());
    }

    #[test]
    fn d7_sort_orders() {
        // cos-signing.md §6 D7: encoded-key `a%2fb=1&a.b=2`, raw-key `a.b=2&a%2fb=1`,
        // the list `a%2fb;a.b` either way.
        let q = [("a/b", "1"), ("a.b", "2")];
        let listed = parse_list("a%2fb;a.b");
        let enc = select(q.iter().copied(), &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(join(&enc.pairs), "a%2fb=1&a.b=2");
        let raw = select(q.iter().copied(), &listed, Repeated::All, Sort::RawKey);
        assert_eq!(join(&raw.pairs), "a.b=2&a%2fb=1");
        assert_eq!(list(&raw.pairs), "a%2fb;a.b");
    }

    #[test]
    fn repeated_and_missing() {
        // §2.4: Go signs every value sorted (`k=v1&k=v2`); maps keep one.
        let q = [("k", "2"), ("K", "1"), ("x", "y")];
        let listed = parse_list("k;absent");
        let all = select(q.iter().copied(), &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(join(&all.pairs), "absent=&k=1&k=2");
        assert_eq!(all.missing, vec!["absent"]);
        assert_eq!(all.repeated, vec!["k"]);
        let first = select(
            q.iter().copied(),
            &listed,
            Repeated::First,
            Sort::EncodedKey,
        );
        assert_eq!(join(&first.pairs), "absent=&k=2");
        let last = select(q.iter().copied(), &listed, Repeated::Last, Sort::EncodedKey);
        assert_eq!(join(&last.pairs), "absent=&k=1");
    }

    #[test]
    fn lists() {
        assert_eq!(parse_list(""), Vec::<String>::new());
        assert_eq!(
            parse_list("Host;;host;x-cos-acl"),
            vec!["host", "x-cos-acl"]
        );
    }
}
