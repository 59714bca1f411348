//! A hypothesis as edits of the server's signed text: splices over its named
//! fields. Two hypotheses combine when their splices touch different fields;
//! a combination is rendered by copying the server's fields and writing each
//! splice in place.

use crate::canonical::Canonical;

/// Replace the server's fields `start..end` with `text` (`start == end`: insert).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Splice {
    /// First replaced field.
    pub start: u16,
    /// One past the last replaced field.
    pub end: u16,
    /// The client's text for that range (its separators included).
    pub text: String,
    /// The client's field names in that range (for messages).
    pub names: Vec<String>,
}

/// The server's signed text, cut into fields, with byte offsets.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `(name, text)` of each field.
    pub items: Vec<(String, String)>,
    /// Byte offset where field `i` starts; the last entry is the total length.
    pub offsets: Vec<usize>,
    /// The whole text.
    pub text: String,
}

impl Fields {
    /// From a canonical string.
    pub fn of(c: &Canonical) -> Fields {
        let mut items = Vec::with_capacity(c.field_count());
        let mut offsets = Vec::with_capacity(c.field_count() + 1);
        let mut at = 0;
        for f in c.fields() {
            offsets.push(at);
            at += f.text.len();
            items.push((f.name.to_string(), f.text.to_string()));
        }
        offsets.push(at);
        Fields {
            items,
            offsets,
            text: c.as_str().to_string(),
        }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The server's text of fields `a..b`.
    pub fn range_text(&self, a: u16, b: u16) -> &str {
        &self.text[self.offsets[a as usize]..self.offsets[b as usize]]
    }
}

/// Largest middle section aligned field by field; beyond it the middle is one splice.
const LCS_MAX_CELLS: usize = 40_000;

/// The splices that turn `server` into `client`: common leading and trailing
/// fields are kept, the middle is aligned by a longest common subsequence of
/// `(name, text)`, and every run of unaligned fields becomes one splice.
pub fn diff(server: &Fields, client: &Canonical) -> Vec<Splice> {
    let c: Vec<(&str, &str)> = client.fields().map(|f| (f.name, f.text)).collect();
    let s: Vec<(&str, &str)> = server
        .items
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let mut pre = 0;
    while pre < s.len() && pre < c.len() && s[pre] == c[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < s.len() - pre && suf < c.len() - pre && s[s.len() - 1 - suf] == c[c.len() - 1 - suf]
    {
        suf += 1;
    }
    let sm = &s[pre..s.len() - suf];
    let cm = &c[pre..c.len() - suf];
    if sm.is_empty() && cm.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mk = |a: usize, b: usize, cs: &[(&str, &str)]| Splice {
        start: a as u16,
        end: b as u16,
        text: cs.iter().map(|(_, t)| *t).collect(),
        names: cs.iter().map(|(n, _)| n.to_string()).collect(),
    };
    if sm.len() * cm.len() > LCS_MAX_CELLS || sm.is_empty() || cm.is_empty() {
        out.push(mk(pre, pre + sm.len(), cm));
        return out;
    }
    // LCS table over the middle.
    let (n, m) = (sm.len(), cm.len());
    let mut t = vec![0u16; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * (m + 1) + j] = if sm[i] == cm[j] {
                t[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut si, mut cj) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && sm[i] == cm[j] {
            if si < i || cj < j {
                out.push(mk(pre + si, pre + i, &cm[cj..j]));
            }
            i += 1;
            j += 1;
            si = i;
            cj = j;
        } else if j < m && (i == n || t[i * (m + 1) + j + 1] >= t[(i + 1) * (m + 1) + j]) {
            j += 1;
        } else {
            i += 1;
        }
    }
    if si < n || cj < m {
        out.push(mk(pre + si, pre + n, &cm[cj..m]));
    }
    out
}

/// Replace every occurrence of `old` by `new` in the server fields that hold it.
pub fn replace_all(server: &Fields, old: &str, new: &str) -> Vec<Splice> {
    if old.is_empty() {
        return Vec::new();
    }
    server
        .items
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| t.contains(old))
        .map(|(i, (n, t))| Splice {
            start: i as u16,
            end: i as u16 + 1,
            text: t.replace(old, new),
            names: vec![n.clone()],
        })
        .collect()
}

/// Do two splice sets touch different fields (and never insert at the same place)?
pub fn disjoint(a: &[Splice], b: &[Splice]) -> bool {
    a.iter().all(|x| {
        b.iter().all(|y| {
            let (x0, x1, y0, y1) = (x.start, x.end, y.start, y.end);
            if x0 == x1 && y0 == y1 {
                return x0 != y0;
            }
            if x0 == x1 {
                return !(y0 < x0 && x0 < y1);
            }
            if y0 == y1 {
                return !(x0 < y0 && y0 < x1);
            }
            x1 <= y0 || y1 <= x0
        })
    })
}

/// Write the text from the first splice's field onwards, with every splice
/// applied, into `out`; returns the index of that first field. `splices` must be
/// sorted by `(start, end)` and disjoint.
pub fn render_from(server: &Fields, splices: &[&Splice], out: &mut String) -> usize {
    out.clear();
    let Some(first) = splices.first() else {
        return server.len();
    };
    let mut pos = first.start;
    for s in splices {
        out.push_str(server.range_text(pos, s.start));
        out.push_str(&s.text);
        pos = s.end;
    }
    out.push_str(server.range_text(pos, server.len() as u16));
    first.start as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(fields: &[(&str, &str)]) -> Canonical {
        let mut c = Canonical::default();
        for (n, t) in fields {
            c.push(n.to_string(), *t);
        }
        c
    }

    fn apply(server: &Fields, sp: &[Splice]) -> String {
        let mut refs: Vec<&Splice> = sp.iter().collect();
        refs.sort_by_key(|s| (s.start, s.end));
        let mut out = String::new();
        let at = render_from(server, &refs, &mut out);
        format!("{}{}", &server.text[..server.offsets[at]], out)
    }

    #[test]
    fn diff_round_trips() {
        let s = canon(&[
            ("a", "1\n"),
            ("b", "2\n"),
            ("c", "3\n"),
            ("d", "4\n"),
            ("e", "5"),
        ]);
        let fs = Fields::of(&s);
        for c in [
            canon(&[
                ("a", "1\n"),
                ("b", "X\n"),
                ("c", "3\n"),
                ("d", "Y\n"),
                ("e", "5"),
            ]),
            canon(&[("a", "1\n"), ("c", "3\n"), ("d", "4\n"), ("e", "5")]),
            canon(&[
                ("a", "1\n"),
                ("b", "2\n"),
                ("x", "9\n"),
                ("c", "3\n"),
                ("d", "4\n"),
                ("e", "5"),
            ]),
            canon(&[
                ("d", "4\n"),
                ("a", "1\n"),
                ("b", "2\n"),
                ("c", "3\n"),
                ("e", "5"),
            ]),
            canon(&[("z", "")]),
        ] {
            let sp = diff(&fs, &c);
            assert_eq!(apply(&fs, &sp), c.as_str());
        }
        // Two separated changes give two splices.
        let c = canon(&[
            ("a", "1\n"),
            ("b", "X\n"),
            ("c", "3\n"),
            ("d", "Y\n"),
            ("e", "5"),
        ]);
        assert_eq!(diff(&fs, &c).len(), 2);
        assert!(diff(&fs, &s).is_empty());
    }

    #[test]
    fn disjointness() {
        let sp = |a: u16, b: u16| Splice {
            start: a,
            end: b,
            text: String::new(),
            names: vec![],
        };
        assert!(disjoint(&[sp(1, 2)], &[sp(2, 3)]));
        assert!(!disjoint(&[sp(1, 3)], &[sp(2, 3)]));
        assert!(!disjoint(&[sp(2, 2)], &[sp(2, 2)]));
        assert!(disjoint(&[sp(2, 2)], &[sp(2, 3)]));
        assert!(!disjoint(&[sp(2, 2)], &[sp(1, 3)]));
    }
}
