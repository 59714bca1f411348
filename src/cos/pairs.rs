//! The `key=value` canonicalisation shared by HttpParameters and HttpHeaders
//! (cos-signing.md §2.4, §2.5, §2.8 `canonical()`).
//!
//! Each pair is `(lower(UrlEncode(name)), UrlEncode(value))`, the pairs are sorted,
//! joined with `&`, and the keys joined with `;` make the list (`q-url-param-list`,
//! `q-header-list`). Which names take part is decided by the caller: the list a
//! request carries (verify) or the signer's selection (sign).

use crate::encode;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

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

/// One canonical pair, held as the exact text it contributes after the first
/// position: `&key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    text: String,
    key_end: usize,
    raw: &'a str,
}

impl<'a> Pair<'a> {
    /// The pair for a canonical key and a decoded value; `raw` is the name as
    /// decoded from the request (for [`Sort::RawKey`]).
    pub fn new(key: &str, value: &str, raw: &'a str) -> Pair<'a> {
        let mut text = String::with_capacity(2 + key.len() + value.len() + value.len() / 2);
        text.push('&');
        text.push_str(key);
        let key_end = text.len();
        text.push('=');
        // §2.4: values keep their case and upper-case escapes.
        encode::encode_into(&mut text, value);
        Pair { text, key_end, raw }
    }

    /// `lower(UrlEncode(name))`.
    pub fn key(&self) -> &str {
        &self.text[1..self.key_end]
    }

    /// `UrlEncode(value)`.
    pub fn value(&self) -> &str {
        &self.text[self.key_end + 1..]
    }

    /// `key=value`.
    pub fn kv(&self) -> &str {
        &self.text[1..]
    }

    /// The text as a following pair contributes it (`&key=value`), by value.
    pub fn into_text(self) -> String {
        self.text
    }
}

/// `lower(UrlEncode(name))` (cos-signing.md §2.4: keys are lower-cased *after*
/// encoding, so escapes are lower-case hex: `a/b` → `a%2fb`).
pub fn canonical_key(name: &str) -> String {
    let mut k = String::with_capacity(name.len() + 4);
    canonical_key_into(&mut k, name);
    k
}

/// [`canonical_key`] appended to `out`.
pub fn canonical_key_into(out: &mut String, name: &str) {
    let start = out.len();
    encode_value_into(out, name);
    out[start..].make_ascii_lowercase();
}

/// `UrlEncode(value)` appended to `out` (cos-signing.md §2.3: RFC 3986, every
/// byte but `A-Z a-z 0-9 - _ . ~` as `%XX`, upper-case hex): the shared
/// table-driven encoder.
pub fn encode_value_into(out: &mut String, value: &str) {
    encode::encode_into(out, value);
}

/// Canonical keys in one buffer, de-duplicated, in the order first added: a
/// signer's `q-header-list` / `q-url-param-list` choice before sorting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyList {
    buf: String,
    ends: Vec<usize>,
}

impl KeyList {
    /// An empty list with room for `bytes` bytes of keys and `keys` keys.
    pub fn with_capacity(bytes: usize, keys: usize) -> KeyList {
        KeyList {
            buf: String::with_capacity(bytes),
            ends: Vec::with_capacity(keys),
        }
    }

    /// One key per candidate name, in order, duplicates kept: index `i` is the
    /// canonical key of `names[i]` (computed once for selection and the checks).
    pub fn per_name<'n>(names: impl ExactSizeIterator<Item = &'n str> + Clone) -> KeyList {
        let bytes = names.clone().map(|n| n.len()).sum::<usize>();
        let mut out = KeyList::with_capacity(bytes + bytes / 4 + 4, names.len());
        for n in names {
            canonical_key_into(&mut out.buf, n);
            out.ends.push(out.buf.len());
        }
        out
    }

    /// Add the canonical key of a (decoded) name, unless the list has it.
    pub fn push_name(&mut self, name: &str) {
        let start = self.buf.len();
        canonical_key_into(&mut self.buf, name);
        if self.position_in(&self.buf.as_bytes()[start..]).is_some() {
            self.buf.truncate(start);
        } else {
            self.ends.push(self.buf.len());
        }
    }

    /// Add a key as it is (already canonical), unless the list has it.
    pub fn push_key(&mut self, key: &str) {
        if !self.contains(key) {
            self.buf.push_str(key);
            self.ends.push(self.buf.len());
        }
    }

    /// Drop a key.
    pub fn remove(&mut self, key: &str) {
        let keys: Vec<String> = self
            .iter()
            .filter(|k| *k != key)
            .map(str::to_string)
            .collect();
        if keys.len() == self.len() {
            return;
        }
        self.buf.clear();
        self.ends.clear();
        for k in keys {
            self.push_key(&k);
        }
    }

    /// The i-th key.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Is this key listed?
    pub fn contains(&self, key: &str) -> bool {
        self.position_in(key.as_bytes()).is_some()
    }

    /// Index of `key` among the listed keys: lengths compared first, bytes only
    /// when they match (no per-key string slicing).
    fn position_in(&self, key: &[u8]) -> Option<usize> {
        let b = self.buf.as_bytes();
        let mut start = 0;
        for (i, &end) in self.ends.iter().enumerate() {
            if end - start == key.len() && b.get(start..end) == Some(key) {
                return Some(i);
            }
            start = end;
        }
        None
    }

    /// The keys in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    /// The keys as Strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

/// A list of canonical keys as [`selection`] and the checks read it.
pub trait Keys {
    /// Number of keys.
    fn key_count(&self) -> usize;
    /// The i-th key (`i < key_count()`).
    fn key_at(&self, i: usize) -> &str;
    /// Is this key listed?
    fn has_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }
    /// Index of the first listed `key`.
    fn find(&self, key: &str) -> Option<usize> {
        (0..self.key_count()).position(|i| self.key_at(i) == key)
    }
}

impl<L: AsRef<str>> Keys for [L] {
    fn key_count(&self) -> usize {
        self.len()
    }
    fn key_at(&self, i: usize) -> &str {
        self[i].as_ref()
    }
}

impl<L: AsRef<str>> Keys for Vec<L> {
    fn key_count(&self) -> usize {
        self.len()
    }
    fn key_at(&self, i: usize) -> &str {
        self[i].as_ref()
    }
}

impl Keys for KeyList {
    fn key_count(&self) -> usize {
        self.len()
    }
    fn key_at(&self, i: usize) -> &str {
        self.get(i)
    }
    fn find(&self, key: &str) -> Option<usize> {
        self.position_in(key.as_bytes())
    }
}

/// The pair for a decoded name and value.
pub fn pair<'a>(name: &'a str, value: &str) -> Pair<'a> {
    Pair::new(&canonical_key(name), value, name)
}

/// What the sort rules look at in a pair.
trait SortKey {
    fn key(&self) -> &str;
    fn value(&self) -> &str;
    fn raw(&self) -> &str;
}

impl SortKey for Pair<'_> {
    fn key(&self) -> &str {
        Pair::key(self)
    }
    fn value(&self) -> &str {
        Pair::value(self)
    }
    fn raw(&self) -> &str {
        self.raw
    }
}

impl SortKey for PairRef<'_> {
    fn key(&self) -> &str {
        PairRef::key(self)
    }
    fn value(&self) -> &str {
        PairRef::value(self)
    }
    fn raw(&self) -> &str {
        self.raw
    }
}

fn cmp(a: &impl SortKey, b: &impl SortKey, order: Sort) -> Ordering {
    match order {
        // §2.8: "sort enc by (key, value) bytewise".
        Sort::EncodedKey => (a.key(), a.value()).cmp(&(b.key(), b.value())),
        // JS `obj2str`: lower-cased raw key, before encoding.
        Sort::RawKey => a
            .raw()
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.raw().bytes().map(|c| c.to_ascii_lowercase()))
            .then_with(|| a.value().cmp(b.value())),
    }
}

/// Sort pairs in signing order.
pub fn sort(pairs: &mut [Pair<'_>], order: Sort) {
    pairs.sort_by(|a, b| cmp(a, b, order));
}

/// True when `pairs` are already in `order` (so the other rule would not change them).
pub fn is_sorted(pairs: &[Pair<'_>], order: Sort) -> bool {
    pairs
        .windows(2)
        .all(|w| cmp(&w[0], &w[1], order) != Ordering::Greater)
}

/// What [`select`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selected<'a> {
    /// The pairs in signing order.
    pub pairs: Vec<Pair<'a>>,
    /// Listed keys no candidate has: signed as `key=` (server behaviour undocumented).
    pub missing: Vec<String>,
    /// Listed keys that several candidates carry.
    pub repeated: Vec<String>,
}

/// Where a selected pair's raw name (for [`Sort::RawKey`]) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw<'a> {
    /// The candidate's decoded name.
    Name(&'a str),
    /// A listed key no candidate has (index into the list): the key itself.
    Listed(usize),
}

/// One pair of a [`Selection`]: `&key=value` at `start..end` of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot<'a> {
    start: usize,
    key_end: usize,
    end: usize,
    raw: Raw<'a>,
}

/// The selected pairs over one buffer, in signing order: what [`select`] finds,
/// without an allocation per pair (the canonicalisation's own path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection<'a> {
    buf: String,
    slots: Vec<Slot<'a>>,
    /// Listed keys no candidate has: signed as `key=` (server behaviour undocumented).
    pub missing: Vec<String>,
    /// Listed keys that several candidates carry.
    pub repeated: Vec<String>,
}

/// A pair seen through its [`Selection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairRef<'s> {
    text: &'s str,
    key_end: usize,
    raw: &'s str,
}

impl<'s> PairRef<'s> {
    /// `lower(UrlEncode(name))`.
    pub fn key(&self) -> &'s str {
        &self.text[1..self.key_end]
    }

    /// `UrlEncode(value)`.
    pub fn value(&self) -> &'s str {
        &self.text[self.key_end + 1..]
    }

    /// `key=value`.
    pub fn kv(&self) -> &'s str {
        &self.text[1..]
    }

    /// The name the raw-key sort looks at.
    pub fn raw(&self) -> &'s str {
        self.raw
    }
}

impl<'a> Selection<'a> {
    fn view<'s>(buf: &'s str, s: &Slot<'a>) -> PairRef<'s>
    where
        'a: 's,
    {
        let text = &buf[s.start..s.end];
        let key_end = s.key_end - s.start;
        let raw = match s.raw {
            Raw::Name(n) => n,
            Raw::Listed(_) => &text[1..key_end],
        };
        PairRef { text, key_end, raw }
    }

    /// The pairs in signing order.
    pub fn iter<'s>(&'s self) -> impl ExactSizeIterator<Item = PairRef<'s>> + use<'s, 'a> {
        self.slots.iter().map(|s| Self::view(&self.buf, s))
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Bytes of the `&`-joined pairs.
    pub fn text_len(&self) -> usize {
        self.slots
            .iter()
            .map(|s| s.end - s.start)
            .sum::<usize>()
            .saturating_sub(1)
    }

    /// True when the pairs are already in `order`.
    pub fn is_sorted(&self, order: Sort) -> bool {
        self.slots
            .windows(2)
            .all(|w| Self::cmp_slots(&self.buf, &w[0], &w[1], order) != Ordering::Greater)
    }

    /// Bytes of the keys (for sizing a field-name table).
    pub fn key_bytes(&self) -> usize {
        self.slots.iter().map(|s| s.key_end - s.start - 1).sum()
    }

    /// [`cmp`] of two slots, reading the buffer directly for the encoded-key rule.
    fn cmp_slots(buf: &str, a: &Slot<'a>, b: &Slot<'a>, order: Sort) -> Ordering {
        match order {
            // §2.8: "sort enc by (key, value) bytewise".
            Sort::EncodedKey => {
                let t = buf.as_bytes();
                t[a.start + 1..a.key_end]
                    .cmp(&t[b.start + 1..b.key_end])
                    .then_with(|| t[a.key_end + 1..a.end].cmp(&t[b.key_end + 1..b.end]))
            }
            Sort::RawKey => cmp(&Self::view(buf, a), &Self::view(buf, b), order),
        }
    }

    fn sort(&mut self, order: Sort) {
        let buf = &self.buf;
        self.slots.sort_by(|a, b| Self::cmp_slots(buf, a, b, order));
    }

    /// `k1=v1&k2=v2` in `order` (for messages: the other sort rule's text).
    pub fn join_sorted(&self, order: Sort) -> String {
        let mut v: Vec<PairRef<'_>> = self.iter().collect();
        v.sort_by(|a, b| cmp(a, b, order));
        let mut s = String::with_capacity(self.text_len());
        for (i, p) in v.iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            s.push_str(p.kv());
        }
        s
    }

    /// `k1;k2` in encoded-key order whatever the pair order (see [`list`]).
    pub fn list(&self) -> String {
        let mut s = String::with_capacity(self.list_len());
        self.list_into(&mut s);
        s
    }

    /// Bytes of [`Selection::list`].
    pub fn list_len(&self) -> usize {
        self.key_bytes() + self.slots.len().saturating_sub(1)
    }

    /// [`Selection::list`] appended to `s`.
    pub fn list_into(&self, s: &mut String) {
        if self.is_sorted(Sort::EncodedKey) {
            for (i, p) in self.iter().enumerate() {
                if i > 0 {
                    s.push(';');
                }
                s.push_str(p.key());
            }
            return;
        }
        let mut keys: Vec<&str> = self.iter().map(|p| p.key()).collect();
        keys.sort_unstable();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                s.push(';');
            }
            s.push_str(k);
        }
    }
}

/// Pick the candidates `(decoded name, decoded value)` whose canonical key is in
/// `listed` (lower-case, de-duplicated), apply the repeated-name rule, and sort
/// (cos-signing.md §2.4, §2.5, §2.8). One pass: each candidate's key is encoded
/// straight into the pairs buffer, kept when listed (its value encoded after it)
/// and dropped otherwise; no per-pair allocation.
pub fn selection<'a, K: Keys + ?Sized>(
    candidates: &[(&'a str, &'a str)],
    listed: &K,
    repeated: Repeated,
    order: Sort,
) -> Selection<'a> {
    let n_listed = listed.key_count();
    let guess: usize = candidates
        .iter()
        .map(|(n, v)| n.len() + v.len() + 2)
        .sum::<usize>()
        + (0..n_listed)
            .map(|i| listed.key_at(i).len() + 2)
            .sum::<usize>();
    let mut out = Selection {
        buf: String::with_capacity(guess + guess / 4),
        slots: Vec::with_capacity(n_listed),
        ..Default::default()
    };
    // Per listed key: how many candidates carry it, and where its pair is.
    const INLINE: usize = 16;
    let mut inline = [(0usize, 0usize); INLINE];
    let mut heap = Vec::new();
    let slots: &mut [(usize, usize)] = if n_listed <= INLINE {
        &mut inline[..n_listed]
    } else {
        heap.resize(n_listed, (0usize, 0usize));
        &mut heap
    };
    // Long lists: one hash lookup per candidate instead of a scan (first index wins).
    let index: Option<std::collections::HashMap<&str, usize>> = (n_listed > 32).then(|| {
        let mut m = std::collections::HashMap::with_capacity(n_listed);
        for i in 0..n_listed {
            m.entry(listed.key_at(i)).or_insert(i);
        }
        m
    });
    for &(n, v) in candidates {
        let start = out.buf.len();
        out.buf.push('&');
        // §2.4: the key is lower(UrlEncode(name)).
        canonical_key_into(&mut out.buf, n);
        let key_end = out.buf.len();
        let key = &out.buf[start + 1..key_end];
        let found = match &index {
            Some(m) => m.get(key).copied(),
            None => listed.find(key),
        };
        let Some(i) = found else {
            out.buf.truncate(start);
            continue;
        };
        out.buf.push('=');
        // §2.4: values keep their case and upper-case escapes.
        encode_value_into(&mut out.buf, v);
        let slot = Slot {
            start,
            key_end,
            end: out.buf.len(),
            raw: Raw::Name(n),
        };
        let (count, at) = &mut slots[i];
        *count += 1;
        match repeated {
            Repeated::All => out.slots.push(slot),
            _ if *count == 1 => {
                *at = out.slots.len();
                out.slots.push(slot);
            }
            Repeated::First => out.buf.truncate(start),
            Repeated::Last => out.slots[*at] = slot,
        }
    }
    for (i, (count, _)) in slots.iter().enumerate() {
        let key = listed.key_at(i);
        if *count == 0 {
            out.missing.push(key.to_string());
            let start = out.buf.len();
            out.buf.push('&');
            out.buf.push_str(key);
            let key_end = out.buf.len();
            out.buf.push('=');
            out.slots.push(Slot {
                start,
                key_end,
                end: out.buf.len(),
                raw: Raw::Listed(i),
            });
        } else if *count > 1 {
            out.repeated.push(key.to_string());
        }
    }
    out.sort(order);
    out
}

/// Pick the candidates `(decoded name, decoded value)` whose canonical key is in
/// `listed` (lower-case, de-duplicated), apply the repeated-name rule, and sort:
/// [`selection`] with each pair as its own [`Pair`].
pub fn select<'a>(
    candidates: &[(&'a str, &'a str)],
    listed: &'a [String],
    repeated: Repeated,
    order: Sort,
) -> Selected<'a> {
    let s = selection(candidates, listed, repeated, order);
    let pairs = s
        .slots
        .iter()
        .map(|sl| Pair {
            text: s.buf[sl.start..sl.end].to_string(),
            key_end: sl.key_end - sl.start,
            raw: match sl.raw {
                Raw::Name(n) => n,
                Raw::Listed(i) => &listed[i],
            },
        })
        .collect();
    Selected {
        pairs,
        missing: s.missing,
        repeated: s.repeated,
    }
}

/// `k1=v1&k2=v2` (the HttpParameters / HttpHeaders line without its `\n`).
pub fn join(pairs: &[Pair<'_>]) -> String {
    let mut s = String::with_capacity(pairs.iter().map(|p| p.text.len()).sum());
    for p in pairs {
        s.push_str(&p.text);
    }
    if !s.is_empty() {
        s.remove(0);
    }
    s
}

/// `k1;k2` in encoded-key order whatever the pair order (cos-signing.md §2.4 step 5;
/// Node keeps this order even when it sorts the pairs on the raw key, D7).
pub fn list(pairs: &[Pair<'_>]) -> String {
    let mut keys: Vec<&str> = pairs.iter().map(|p| p.key()).collect();
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

/// As [`parse_list`], borrowing each entry that is already lower-case (the
/// usual case). One pass over the bytes: `;` splits, upper-case is noted on the way.
pub fn parse_list_borrowed(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    let mut add = |start: usize, end: usize, upper: bool| {
        if end == start {
            return;
        }
        // `;` is ASCII: both ends are char boundaries.
        let raw = &text[start..end];
        let e = if upper {
            Cow::Owned(raw.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw)
        };
        // Lengths first: distinct keys rarely share one.
        if !out
            .iter()
            .any(|x| x.len() == e.len() && x.as_bytes() == e.as_bytes())
        {
            if out.capacity() == 0 {
                out.reserve(text.len() / 8 + 1);
            }
            out.push(e);
        }
    };
    let (mut start, mut upper) = (0usize, false);
    for (i, &c) in text.as_bytes().iter().enumerate() {
        if c == b';' {
            add(start, i, upper);
            start = i + 1;
            upper = false;
        } else {
            upper |= c.is_ascii_uppercase();
        }
    }
    add(start, text.len(), upper);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lower_values_keep_case() {
        // cos-signing.md §2.4 and pitfall 5: `a/b` → `a%2fb`, values `%2F`.
        let p = pair("a/b", "dir/Sub");
        assert_eq!((p.key(), p.value()), ("a%2fb", "dir%2FSub"));
        // D6: `Key~Tilde=v~*'()!` → `key~tilde=v~%2A%27%28%29%21`.
        assert_eq!(
            join(&[pair("Key~Tilde", "v~*'()!")]),
            "key~tilde=v~%2A%27%28%29%21"
        );
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
        let s = select(&q, &listed, Repeated::All, Sort::EncodedKey);
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
        let enc = select(&q, &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(join(&enc.pairs), "a%2fb=1&a.b=2");
        assert!(!is_sorted(&enc.pairs, Sort::RawKey));
        let raw = select(&q, &listed, Repeated::All, Sort::RawKey);
        assert_eq!(join(&raw.pairs), "a.b=2&a%2fb=1");
        assert_eq!(list(&raw.pairs), "a%2fb;a.b");
    }

    #[test]
    fn key_prefix_sorts_before_longer_key() {
        // (key, value) order, not `key=value` text order: `a` before `a-b`.
        let q = [("a-b", "1"), ("a", "2")];
        let listed = parse_list("a;a-b");
        let s = select(&q, &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(join(&s.pairs), "a=2&a-b=1");
    }

    #[test]
    fn repeated_and_missing() {
        // §2.4: Go signs every value sorted (`k=v1&k=v2`); maps keep one.
        let q = [("k", "2"), ("K", "1"), ("x", "y")];
        let listed = parse_list("k;absent");
        let all = select(&q, &listed, Repeated::All, Sort::EncodedKey);
        assert_eq!(join(&all.pairs), "absent=&k=1&k=2");
        assert_eq!(all.missing, vec!["absent"]);
        assert_eq!(all.repeated, vec!["k"]);
        let first = select(&q, &listed, Repeated::First, Sort::EncodedKey);
        assert_eq!(join(&first.pairs), "absent=&k=2");
        let last = select(&q, &listed, Repeated::Last, Sort::EncodedKey);
        assert_eq!(join(&last.pairs), "absent=&k=1");
    }

    #[test]
    fn selection_is_select_in_one_buffer() {
        // Every rule through both paths: the per-pair `select` (diagnosis) and the
        // one-buffer `selection` (canonicalisation) give the same pairs, lists and texts.
        let q = [
            ("a/b", "1"),
            ("a.b", "2"),
            ("K", "x y"),
            ("k", "*"),
            ("Z", ""),
        ];
        let listed = parse_list("a%2fb;a.b;k;z;absent");
        for order in [Sort::EncodedKey, Sort::RawKey] {
            for rep in [Repeated::All, Repeated::First, Repeated::Last] {
                let old = select(&q, &listed, rep, order);
                let new = selection(&q, &parse_list_borrowed("a%2Fb;a.b;K;z;absent"), rep, order);
                let got: Vec<(&str, &str)> = new.iter().map(|p| (p.key(), p.value())).collect();
                let want: Vec<(&str, &str)> =
                    old.pairs.iter().map(|p| (p.key(), p.value())).collect();
                assert_eq!(got, want, "{order:?} {rep:?}");
                assert_eq!(new.list(), list(&old.pairs));
                assert_eq!(new.text_len(), join(&old.pairs).len());
                assert_eq!(new.join_sorted(order), join(&old.pairs));
                assert_eq!((&new.missing, &new.repeated), (&old.missing, &old.repeated));
                assert_eq!(
                    new.is_sorted(Sort::RawKey),
                    is_sorted(&old.pairs, Sort::RawKey)
                );
            }
        }
        assert_eq!(
            parse_list_borrowed("Host;;host;x-cos-acl"),
            vec!["host", "x-cos-acl"]
        );
    }

    /// The selection by the letter of §2.4 / §2.8, one [`Pair`] (shared encoder)
    /// per candidate: the reference the one-pass [`selection`] is held to.
    fn reference<'a>(
        cands: &[(&'a str, &'a str)],
        listed: &[String],
        rep: Repeated,
        order: Sort,
    ) -> (Vec<(String, String)>, Vec<String>, Vec<String>) {
        let mut pairs: Vec<Pair<'a>> = Vec::new();
        let (mut missing, mut repeated) = (Vec::new(), Vec::new());
        for k in listed {
            let mut hits: Vec<Pair<'a>> = cands
                .iter()
                .filter(|(n, _)| encode::encode(n).to_ascii_lowercase() == *k)
                .map(|(n, v)| pair(n, v))
                .collect();
            if hits.len() > 1 {
                repeated.push(k.clone());
            }
            match (hits.len(), rep) {
                (0, _) => {
                    missing.push(k.clone());
                    pairs.push(Pair::new(k, "", ""));
                }
                (_, Repeated::All) => pairs.append(&mut hits),
                (_, Repeated::First) => pairs.push(hits.swap_remove(0)),
                (_, Repeated::Last) => pairs.push(hits.pop().expect("one")),
            }
        }
        sort(&mut pairs, order);
        let kv = pairs
            .iter()
            .map(|p| (p.key().to_string(), p.value().to_string()))
            .collect();
        (kv, missing, repeated)
    }

    proptest::proptest! {
        #[test]
        fn table_encoder_is_the_shared_encoder(s in "\\PC{0,12}|[ -~]{0,24}") {
            let mut out = String::from("x");
            encode_value_into(&mut out, &s);
            proptest::prop_assert_eq!(&out[1..], encode::encode(&s));
            let mut k = String::new();
            canonical_key_into(&mut k, &s);
            proptest::prop_assert_eq!(k, encode::encode(&s).to_ascii_lowercase());
        }

        #[test]
        fn one_pass_selection_is_the_reference(
            cands in proptest::collection::vec(("[aAbB/~ é+*-]{0,3}", "[a-zA-Z0-9 /=%é]{0,4}"), 0..7),
            listed in "[aAbB;%2fF~ -]{0,12}",
            rep in proptest::prop_oneof![proptest::strategy::Just(Repeated::All), proptest::strategy::Just(Repeated::First), proptest::strategy::Just(Repeated::Last)],
            raw in proptest::bool::ANY,
        ) {
            let order = if raw { Sort::RawKey } else { Sort::EncodedKey };
            let c: Vec<(&str, &str)> = cands.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let l = parse_list(&listed);
            let got = selection(&c, &parse_list_borrowed(&listed), rep, order);
            let (want, missing, repeated) = reference(&c, &l, rep, order);
            let kv: Vec<(String, String)> = got.iter().map(|p| (p.key().to_string(), p.value().to_string())).collect();
            if order == Sort::EncodedKey {
                proptest::prop_assert_eq!(&kv, &want);
            } else {
                // Raw-key ties between different keys keep no fixed order: compare as sets,
                // and the order itself through the sort rule.
                let (mut a, mut b) = (kv.clone(), want.clone());
                a.sort();
                b.sort();
                proptest::prop_assert_eq!(a, b);
                proptest::prop_assert!(got.is_sorted(Sort::RawKey));
            }
            proptest::prop_assert_eq!(&got.missing, &missing);
            proptest::prop_assert_eq!(&got.repeated, &repeated);
            proptest::prop_assert_eq!(parse_list_borrowed(&listed), l);
        }
    }

    #[test]
    fn key_list() {
        let mut l = KeyList::default();
        for n in ["Host", "a/b", "HOST", "x-cos-acl"] {
            l.push_name(n);
        }
        l.push_key("a%2fb");
        l.push_key("x-cos-security-token");
        assert_eq!(
            l.to_vec(),
            ["host", "a%2fb", "x-cos-acl", "x-cos-security-token"]
        );
        assert!(l.has_key("a%2fb") && !l.has_key("a/b"));
        l.remove("a%2fb");
        l.remove("absent");
        assert_eq!(l.to_vec(), ["host", "x-cos-acl", "x-cos-security-token"]);
        assert_eq!((l.key_count(), l.key_at(1)), (3, "x-cos-acl"));
        // The same selection whether the list is a KeyList or Strings.
        let q = [("X-Cos-Acl", "private"), ("Host", "h")];
        let a = selection(&q, &l, Repeated::All, Sort::EncodedKey);
        let b = selection(&q, &l.to_vec(), Repeated::All, Sort::EncodedKey);
        assert_eq!(a, b);
        assert_eq!(a.missing, ["x-cos-security-token"]);
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
