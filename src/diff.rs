//! Field-by-field comparison of two canonical strings.
//!
//! Rows are aligned by field name (longest common subsequence over the names, so a
//! field missing on one side shows as absent instead of shifting every row), and
//! each differing row names the first differing byte.

use crate::canonical::{escape_visible, Canonical};
use serde::Serialize;

/// One row of a field diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    /// Field name (`content-type`, `header:x-oss-date`, ...).
    pub name: String,
    /// What the server computes (or reported); `None` when absent on that side.
    pub server: Option<String>,
    /// What the client signed; `None` when absent or unknown.
    pub client: Option<String>,
    /// Both sides present and byte-identical (or no client side to compare).
    pub same: bool,
    /// Byte offset, inside the field text, of the first difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_diff: Option<usize>,
}

impl FieldRow {
    /// Human description of the first difference (`byte 3: 0x20 ' ' vs 0x2B '+'`).
    pub fn describe_difference(&self) -> Option<String> {
        let pos = self.first_diff?;
        let a = self
            .server
            .as_deref()
            .unwrap_or("")
            .as_bytes()
            .get(pos)
            .copied();
        let b = self
            .client
            .as_deref()
            .unwrap_or("")
            .as_bytes()
            .get(pos)
            .copied();
        Some(format!(
            "first difference at byte {pos}: server {} vs client {}",
            describe_byte(a),
            describe_byte(b)
        ))
    }
}

/// `0x0A '\n'`, `0x2B '+'`, `end of field`.
pub fn describe_byte(b: Option<u8>) -> String {
    match b {
        None => "end of field".to_string(),
        Some(b) if b.is_ascii_graphic() => format!("0x{b:02X} '{}'", b as char),
        Some(b) if b < 0x80 => format!("0x{b:02X} '{}'", escape_visible(&(b as char).to_string())),
        Some(b) => format!("0x{b:02X}"),
    }
}

/// Index of the first differing byte, or `None` when equal.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(a.iter().zip(b).take_while(|(x, y)| x == y).count())
}

/// Only the server side: one row per field, all `same`.
pub fn single(server: &Canonical) -> Vec<FieldRow> {
    server
        .fields
        .iter()
        .map(|f| FieldRow {
            name: f.name.to_string(),
            server: Some(f.text.to_string()),
            client: None,
            same: true,
            first_diff: None,
        })
        .collect()
}

/// Align two canonical strings field by field.
pub fn align(server: &Canonical, client: &Canonical) -> Vec<FieldRow> {
    let a = &server.fields;
    let b = &client.fields;
    let (n, m) = (a.len(), b.len());
    // LCS table over names; n and m are small (tens of fields).
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[idx(i, j)] = if a[i].name == b[j].name {
                t[idx(i + 1, j + 1)] + 1
            } else {
                t[idx(i + 1, j)].max(t[idx(i, j + 1)])
            };
        }
    }
    let mut rows = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    let row = |name: &str, s: Option<&str>, c: Option<&str>| {
        let fd = match (s, c) {
            (Some(s), Some(c)) => first_difference(s.as_bytes(), c.as_bytes()),
            _ => Some(0),
        };
        FieldRow {
            name: name.to_string(),
            server: s.map(str::to_string),
            client: c.map(str::to_string),
            same: fd.is_none(),
            first_diff: fd,
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i].name == b[j].name {
            rows.push(row(&a[i].name, Some(&a[i].text), Some(&b[j].text)));
            i += 1;
            j += 1;
        } else if j < m && (i == n || t[idx(i, j + 1)] >= t[idx(i + 1, j)]) {
            rows.push(row(&b[j].name, None, Some(&b[j].text)));
            j += 1;
        } else {
            rows.push(row(&a[i].name, Some(&a[i].text), None));
            i += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(fields: &[(&'static str, &'static str)]) -> Canonical {
        let mut c = Canonical::default();
        for (n, t) in fields {
            c.push(*n, *t);
        }
        c
    }

    #[test]
    fn aligns_missing_field() {
        let s = c(&[
            ("verb", "PUT\n"),
            ("content-type", "text/plain\n"),
            ("resource", "/b/k"),
        ]);
        let k = c(&[("verb", "PUT\n"), ("resource", "/b/k")]);
        let rows = align(&s, &k);
        assert_eq!(rows.len(), 3);
        assert!(rows[0].same && rows[2].same);
        assert!(!rows[1].same);
        assert_eq!(rows[1].client, None);
    }

    #[test]
    fn first_byte() {
        let s = c(&[("resource", "/b/a b")]);
        let k = c(&[("resource", "/b/a+b")]);
        let rows = align(&s, &k);
        assert_eq!(rows[0].first_diff, Some(4));
        assert_eq!(
            rows[0].describe_difference().unwrap(),
            "first difference at byte 4: server 0x20 ' ' vs client 0x2B '+'"
        );
        assert_eq!(describe_byte(Some(b'\n')), "0x0A '\\n'");
    }
}
