//! The usual case of the COS canonicalisation in one pass over the request, for
//! [`super::sign`] and [`super::lean`] (cos-signing.md §2.1, §2.4–§2.8).
//!
//! It applies when every signed name is *plain* (only unreserved bytes, §2.3: its
//! encoding is itself, so its canonical key is its ASCII lower-case), each key is
//! carried by exactly one candidate (no missing or repeated key: the repeated-name
//! rules then agree, and the raw-key and encoded-key sorts give the same order), a
//! list has at most [`MAX`] keys (verify: unless it is already in order, as the
//! SDKs write it, and then each key is written as it is read), and the path
//! decodes (within [`PATH_MAX`] bytes) to UTF-8. Then the pairs need no
//! per-candidate key buffer, no sort of encoded pairs and no second encoding of
//! the keys: the values are encoded straight into the HttpString. Anything else
//! returns `None` (the text as it was) before any error could arise, and
//! the caller runs the general path (`pairs::selection`, `encode::decode`), which
//! also produces every error. Property tests hold both paths to each other
//! (tests/cos_lean.rs, tests/cos_check.rs; `tests` below for sign).

use super::http_headers::{self, DefaultName, HeaderWhitespace};
use super::http_parameters;
use super::CosOptions;
use crate::encode::{self, Keep, PlusMeans, QueryParam};
use crate::request::Request;
use crate::swar;

/// Most keys per list the fast path takes (stack arrays; longer lists are rare).
pub const MAX: usize = 16;

/// Longest path (encoded bytes) the fast path decodes on the stack.
pub const PATH_MAX: usize = 256;

/// The value of a header as the candidates see it (cos-signing.md §2.5 "Whitespace").
fn header_value(v: &str, ws: HeaderWhitespace) -> &str {
    match ws {
        HeaderWhitespace::Trim => encode::trim_ows(v),
        HeaderWhitespace::Raw => v,
    }
}

/// §2.3: a name that is its own encoding (its canonical key is its lower-case).
fn plain(name: &str) -> bool {
    encode::is_kept(name, Keep::Unreserved)
}

/// §2.6: UriPathname, the percent-decoded path (`+` a space under
/// [`PlusMeans::Space`]; a malformed escape kept literally, as `encode::decode`
/// does), decoded into `buf` when anything changes. `None` when the path is longer
/// than [`PATH_MAX`] with something to decode, or does not decode to UTF-8 (the
/// general path then gives its error).
fn decode_path<'a>(raw: &'a str, plus: PlusMeans, buf: &'a mut [u8; PATH_MAX]) -> Option<&'a str> {
    let space = plus == PlusMeans::Space;
    let b = raw.as_bytes();
    let Some(first) = b.iter().position(|&c| c == b'%' || (space && c == b'+')) else {
        return Some(raw);
    };
    if b.len() > PATH_MAX {
        return None;
    }
    // The bytes before the first one to decode are copied as they are.
    buf[..first].copy_from_slice(&b[..first]);
    let (mut i, mut n) = (first, first);
    while i < b.len() {
        let c = b[i];
        let (byte, used) = match c {
            b'%' => match (
                b.get(i + 1).and_then(|&h| hex_digit(h)),
                b.get(i + 2).and_then(|&l| hex_digit(l)),
            ) {
                (Some(h), Some(l)) => (h << 4 | l, 3),
                _ => (c, 1),
            },
            b'+' if space => (b' ', 1),
            _ => (c, 1),
        };
        buf[n] = byte;
        n += 1;
        i += used;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// [`LIST`]: a byte of a plain lower-case key (§2.3 unreserved, no upper case).
const KEY: u8 = 1;
/// [`LIST`]: the list separator `;` (§1.1).
const SEMI: u8 = 2;

/// What each byte is in a list the fast path reads (0: anything else).
const LIST: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            t[b] = KEY;
        } else if c == b';' {
            t[b] = SEMI;
        }
        b += 1;
    }
    t
};

/// Whether every byte of a list is a [`KEY`] byte or the separator (the [`LIST`]
/// table's non-zero entries), in one branch-free pass the compiler vectorises.
fn list_bytes(b: &[u8]) -> bool {
    !b.iter().fold(false, |bad, &c| {
        let key = c.is_ascii_lowercase()
            | c.is_ascii_digit()
            | (c == b'-')
            | (c == b'_')
            | (c == b'.')
            | (c == b'~');
        bad | !(key | (c == b';'))
    })
}

/// `a.to_ascii_lowercase() == b` for a `b` without upper case (one side
/// lowered), eight bytes at a time ([`swar::lower8`]) when there are eight.
fn lower_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x.to_ascii_lowercase() == *y);
    }
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    let mut i = 0;
    while i + 8 < n {
        if swar::lower8(word(a, i)) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes (overlapping the previous word when `n` is not a multiple of 8).
    swar::lower8(word(a, n - 8)) == word(b, n - 8)
}

/// The keys a request's `q-header-list` / `q-url-param-list` names (verify), each
/// with the value of the one candidate carrying it.
struct Listed<'a> {
    keys: [&'a str; MAX],
    values: [&'a str; MAX],
    /// Bit `i`: `keys[i]` has a value.
    found: u32,
    /// Bit `n` (63 for 63 and longer): some key is `n` bytes long.
    lens: u64,
    len: usize,
    /// The keys came strictly ascending (as every SDK writes them): they are
    /// already in signing order and distinct.
    ascending: bool,
}

impl<'a> Listed<'a> {
    /// No keys yet.
    fn new() -> Self {
        Listed {
            keys: [""; MAX],
            values: [""; MAX],
            found: 0,
            lens: 0,
            len: 0,
            ascending: true,
        }
    }

    /// §1.1: the `;`-separated entries, empty ones dropped, de-duplicated (as
    /// `pairs::parse_list`), of a list whose every byte is a [`KEY`] byte or `;`
    /// ([`list_bytes`], checked by the caller: an upper-case letter or an escape
    /// leaves the list to the general path). `None` for more than [`MAX`] keys.
    /// Since every key is plain, only a plain name can canonicalise to one, and
    /// then its key is its lower-case.
    fn parse(&mut self, text: &'a str) -> Option<()> {
        let mut rest = text;
        while let Some(i) = swar::find_byte(rest.as_bytes(), b';') {
            // `;` is ASCII: both ends are char boundaries.
            self.add(&rest[..i])?;
            rest = &rest[i + 1..];
        }
        self.add(rest)
    }

    /// One entry of the list: skipped when empty or already there.
    fn add(&mut self, e: &'a str) -> Option<()> {
        if e.is_empty() {
            return Some(());
        }
        if self.len > 0 && self.ascending && e <= self.keys[self.len - 1] {
            self.ascending = false;
        }
        // Ascending keys are distinct; otherwise look.
        if !self.ascending && self.keys[..self.len].contains(&e) {
            return Some(());
        }
        if self.len == MAX {
            return None;
        }
        self.keys[self.len] = e;
        self.lens |= len_bit(e);
        self.len += 1;
        Some(())
    }

    /// Whether a name this long may canonicalise to a listed key (a key and the
    /// plain name it matches have the same length).
    fn may_hold(&self, name: &str) -> bool {
        self.lens & len_bit(name) != 0
    }

    /// A candidate `(name, value)`: its value goes to the key its name
    /// canonicalises to (§2.4, §2.5: `lower(UrlEncode(name))`), if listed. The
    /// keys are plain and lower-case, so that key is listed exactly when one
    /// equals the name ignoring ASCII case. `None` when the key already has a
    /// value (a repeated name).
    fn offer(&mut self, name: &str, value: &'a str) -> Option<()> {
        let hit = self.keys[..self.len]
            .iter()
            .position(|k| lower_eq(name.as_bytes(), k.as_bytes()));
        if let Some(i) = hit {
            if self.found & (1 << i) != 0 {
                return None;
            }
            self.found |= 1 << i;
            self.values[i] = value;
        }
        Some(())
    }

    /// The indices of the keys in signing order: §2.8 sorts by (key, value); the
    /// keys differ, so by key. `None` when a listed key has no candidate (it
    /// would be signed as `key=`, which the general path handles).
    fn order(&self) -> Option<Order> {
        if self.found != (1u32 << self.len) - 1 {
            return None;
        }
        let mut o = Order {
            at: [0; MAX],
            len: self.len,
        };
        for (i, a) in o.at[..self.len].iter_mut().enumerate() {
            *a = i as u8;
        }
        if !self.ascending {
            // Insertion sort (a handful of keys).
            let p = &mut o.at[..self.len];
            for i in 1..p.len() {
                let mut j = i;
                while j > 0 && self.keys[p[j - 1] as usize] > self.keys[p[j] as usize] {
                    p.swap(j - 1, j);
                    j -= 1;
                }
            }
        }
        Some(o)
    }

    /// §2.4 / §2.5: `key=UrlEncode(value)` joined with `&` in `order`, then `\n`
    /// (an empty section keeps its newline).
    fn write(&self, out: &mut String, order: &Order) {
        for (n, &i) in order.at[..order.len].iter().enumerate() {
            if n > 0 {
                out.push('&');
            }
            out.push_str(self.keys[i as usize]);
            out.push('=');
            // §2.4: values keep their case and upper-case escapes.
            encode::encode_into(out, self.values[i as usize]);
        }
        out.push('\n');
    }
}

/// [`Listed::lens`]' bit for a text's length.
fn len_bit(t: &str) -> u64 {
    1 << t.len().min(63)
}

/// Positions in a [`Listed`], in signing order.
struct Order {
    at: [u8; MAX],
    len: usize,
}

/// The names a signer picks (sign: the DESIGN defaults, every parameter) with
/// their values, all plain, at most [`MAX`].
///
/// The four fixed default names (`http_headers::DefaultName::Fixed`) are held
/// apart, by their place in key order ([`fixed_rank`]): their keys are known,
/// so their part of the list and their `key=` are written from tables
/// ([`FIXED_LIST`], [`FIXED_PAIR`]). Every other name (`x-cos-*`, `x-ci-*`,
/// every parameter) sorts after them (§2.4 step 5: an `x-` key follows
/// `content-*` and `host`) and among itself by key.
struct Picked<'a> {
    /// The other names, in the order picked (`None` past `len`: no name to
    /// fill the array with, so it starts as zeros).
    pairs: [Option<(&'a str, &'a str)>; MAX],
    len: usize,
    /// Names picked, the fixed ones included.
    picked: usize,
    /// [`Picked::raw_len`], counted as the names are picked.
    raw: usize,
    /// Bytes of the other names, one separator each.
    other_keys: usize,
    /// Bit `i`: `pairs[i]`'s name has upper case (its key is its lower-case);
    /// the other names are their keys already.
    upper: u32,
    /// Positions in `pairs` in signing order ([`Picked::sort`]).
    order: [u8; MAX],
    /// Bit `r`: the fixed name of rank `r` was picked, its value in `fixed_values[r]`.
    fixed: u8,
    fixed_values: [&'a str; 4],
}

/// The place of a fixed default name's key (`http_headers::DefaultName::Fixed`)
/// in key order: `content-length` < `content-md5` < `content-type` < `host` <
/// every `x-cos-*` / `x-ci-*` name (the four differ in length).
fn fixed_rank(key: &str) -> u8 {
    match key.len() {
        14 => 0,
        11 => 1,
        12 => 2,
        _ => 3,
    }
}

/// [`Picked::fixed`]'s bit for `host`.
const HOST_BIT: u8 = 1 << 3;

/// §2.4 / §2.5: each fixed key by rank with the `&` that precedes it (dropped
/// for the first pair) and its `=` (a unit test holds them to [`fixed_rank`]).
const FIXED_PAIR: [&str; 4] = [
    "&content-length=",
    "&content-md5=",
    "&content-type=",
    "&host=",
];

/// §2.4 step 5: the fixed keys a [`Picked::fixed`] set holds, in key order
/// joined with `;` (a unit test holds them to [`FIXED_PAIR`]).
const FIXED_LIST: [&str; 16] = [
    "",
    "content-length",
    "content-md5",
    "content-length;content-md5",
    "content-type",
    "content-length;content-type",
    "content-md5;content-type",
    "content-length;content-md5;content-type",
    "host",
    "content-length;host",
    "content-md5;host",
    "content-length;content-md5;host",
    "content-type;host",
    "content-length;content-type;host",
    "content-md5;content-type;host",
    "content-length;content-md5;content-type;host",
];

impl Default for Picked<'_> {
    fn default() -> Self {
        Picked {
            pairs: [None; MAX],
            len: 0,
            picked: 0,
            raw: 0,
            other_keys: 0,
            upper: 0,
            order: [0; MAX],
            fixed: 0,
            fixed_values: [""; 4],
        }
    }
}

impl<'a> Picked<'a> {
    /// `None` when the name is not plain or the list is full.
    fn push(&mut self, name: &'a str, value: &'a str) -> Option<()> {
        // §2.3: a plain lower-case name is its own key; a plain name with upper
        // case is lower-cased when written.
        if !name.bytes().all(|c| LIST[c as usize] == KEY) {
            if !plain(name) {
                return None;
            }
            self.upper |= 1 << self.len;
        }
        if self.picked == MAX {
            return None;
        }
        self.pairs[self.len] = Some((name, value));
        self.len += 1;
        self.picked += 1;
        self.raw += name.len() + value.len() + 2;
        self.other_keys += name.len() + 1;
        Some(())
    }

    /// A fixed default name's key (`http_headers::DefaultName::Fixed`); `None`
    /// when the list is full or that key was picked already (two names share
    /// it: the repeated-name rules then apply).
    fn push_fixed(&mut self, key: &'a str, value: &'a str) -> Option<()> {
        let r = fixed_rank(key);
        if self.fixed & (1 << r) != 0 || self.picked == MAX {
            return None;
        }
        self.fixed |= 1 << r;
        self.picked += 1;
        self.raw += FIXED_PAIR[usize::from(r)].len() + value.len();
        self.fixed_values[usize::from(r)] = value;
        Some(())
    }

    /// `pairs[i]` (`i` below `len`).
    fn pair(&self, i: usize) -> (&'a str, &'a str) {
        self.pairs[i].unwrap_or_default()
    }

    /// `pairs[i]`'s key (the lower-case of its name, §2.3) appended to `out`.
    #[inline]
    fn key_into(&self, out: &mut String, i: usize) {
        let start = out.len();
        out.push_str(self.pair(i).0);
        if self.upper & (1 << i) != 0 {
            out[start..].make_ascii_lowercase();
        }
    }

    /// Sort the other names by canonical key (the lower-case name, §2.4 step 5
    /// and §2.8) into `order`; `None` when two names share a key (the
    /// repeated-name rules then apply).
    fn sort(&mut self) -> Option<()> {
        use crate::encode::cmp_ascii_lowercase as cmp_lower;
        use std::cmp::Ordering;
        let len = self.len;
        let Picked { pairs, order, .. } = self;
        let name = |i: usize| pairs[i].unwrap_or_default().0;
        for (i, o) in order[..len].iter_mut().enumerate() {
            *o = i as u8;
        }
        let o = &mut order[..len];
        for i in 1..o.len() {
            let mut j = i;
            while j > 0 {
                let (a, b) = (usize::from(o[j - 1]), usize::from(o[j]));
                match cmp_lower(name(a), name(b)) {
                    Ordering::Greater => o.swap(j - 1, j),
                    Ordering::Equal => return None,
                    Ordering::Less => break,
                }
                j -= 1;
            }
        }
        Some(())
    }

    /// §2.4 step 5: the keys joined with `;` (the list), appended to `out`: the
    /// fixed ones first.
    fn list_into(&self, out: &mut String) {
        out.push_str(FIXED_LIST[usize::from(self.fixed)]);
        for (n, &i) in self.order[..self.len].iter().enumerate() {
            if n > 0 || self.fixed != 0 {
                out.push(';');
            }
            self.key_into(out, usize::from(i));
        }
    }

    /// §2.4 / §2.5: `key=UrlEncode(value)` joined with `&`, then `\n`, each
    /// key (the lower-case name, §2.3) written straight into the text: the
    /// fixed ones first.
    fn write(&self, out: &mut String) {
        let mut fixed = self.fixed;
        let mut first = true;
        while fixed != 0 {
            let r = fixed.trailing_zeros() as usize;
            fixed &= fixed - 1;
            let pair = FIXED_PAIR[r];
            out.push_str(if first { &pair[1..] } else { pair });
            first = false;
            // §2.4: values keep their case and upper-case escapes.
            encode::encode_into(out, self.fixed_values[r]);
        }
        for &i in &self.order[..self.len] {
            if !first {
                out.push('&');
            }
            first = false;
            let i = usize::from(i);
            self.key_into(out, i);
            out.push('=');
            // §2.4: values keep their case and upper-case escapes.
            encode::encode_into(out, self.pair(i).1);
        }
        out.push('\n');
    }

    /// Bytes of the `&`-joined pairs before the values are encoded (each
    /// pair's key, value, `=` and `&`).
    fn raw_len(&self) -> usize {
        self.raw
    }

    /// Bytes of the names, one separator each.
    fn key_bytes(&self) -> usize {
        FIXED_LIST[usize::from(self.fixed)].len() + 1 + self.other_keys
    }
}

/// The HttpString of a signed request over exactly what its lists name (verify,
/// `lean`): `None` outside the fast path's case. `url_form`, `merged`: the auth
/// parameters are not candidates (§1.2).
pub(super) fn lean_text(
    req: &Request,
    query: &[QueryParam<'_>],
    url_form: bool,
    merged: bool,
    header_list: &str,
    param_list: &str,
    opts: &CosOptions,
) -> Option<String> {
    let mut text = String::new();
    let lists = (header_list, param_list);
    let raw_path = req.raw_path();
    lean_text_into(
        &mut text,
        req,
        raw_path,
        query,
        (url_form, merged),
        lists,
        opts,
    )?;
    Some(text)
}

/// [`lean_text`] appended to `out` (a reused buffer), which is untouched when
/// the answer is `None`. `raw_path` is `req.raw_path()`; `(url_form, merged)`
/// and `(header_list, param_list)` as in [`lean_text`].
#[allow(clippy::too_many_arguments)]
pub(super) fn lean_text_into(
    out: &mut String,
    req: &Request,
    raw_path: &str,
    query: &[QueryParam<'_>],
    (url_form, merged): (bool, bool),
    (header_list, param_list): (&str, &str),
    opts: &CosOptions,
) -> Option<()> {
    let start = out.len();
    // The values are not known yet: room for the rest, each pair's value guessed.
    out.reserve(
        req.method.len() + raw_path.len() + 2 * (header_list.len() + param_list.len()) + 64,
    );
    // The HttpString (§2.1: `lower(Method) \n UriPathname \n HttpParameters \n
    // HttpHeaders \n`), the same bytes as `http_string::write_selected`.
    method_and_path(out, &req.method, raw_path, opts.plus_in_path)?;
    out.push('\n');
    // §2.4: every parameter but the signature's own (as `http_parameters::candidates`).
    let params = || {
        query
            .iter()
            .filter(move |p| !(url_form && http_parameters::is_auth_param(&p.name, merged)))
            .map(|p| (&*p.name, p.value.as_deref().unwrap_or("")))
    };
    // §2.5 / §2.7: every header a candidate, its value as the server reads it; the
    // URL authority stands in for a missing Host (as `http_headers::candidates`).
    let ws = opts.header_whitespace;
    let headers = || req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let done = section(out, param_list, params, |v| v, None).and_then(|()| {
        let host = req.authority.as_deref();
        section(out, header_list, headers, |v| header_value(v, ws), host)
    });
    if done.is_none() {
        out.truncate(start);
    }
    done
}

/// How [`in_list_order`] ended.
enum Section {
    /// The section is written.
    Written,
    /// The list is not strictly ascending: [`Listed`] sorts it.
    Unsorted,
    /// Outside the fast path's case: the general path decides.
    Refused,
}

/// One section of the HttpString (§2.4 parameters, §2.5 headers) appended to
/// `out`: `key=UrlEncode(value)` joined with `&`, then `\n`, over exactly the
/// keys `list` names, each with the value (`value` of it) of its one candidate
/// (`cands`: names and raw values). `host`: the value for a listed `host` that
/// no candidate carries (§2.7). `None` (and `out` as it was) outside the fast
/// path's case.
fn section<'v, I>(
    out: &mut String,
    list: &str,
    cands: impl Fn() -> I,
    value: impl Fn(&'v str) -> &'v str,
    host: Option<&'v str>,
) -> Option<()>
where
    I: Iterator<Item = (&'v str, &'v str)>,
{
    if !list_bytes(list.as_bytes()) {
        return None;
    }
    match in_list_order(out, list, &cands, &value, host) {
        Section::Written => Some(()),
        Section::Refused => None,
        Section::Unsorted => {
            let mut l = Listed::new();
            l.parse(list)?;
            let mut has_host = false;
            for (n, v) in cands() {
                has_host |= n.eq_ignore_ascii_case("host");
                if l.may_hold(n) {
                    l.offer(n, value(v))?;
                }
            }
            if !has_host {
                if let Some(a) = host {
                    l.offer("host", a)?;
                }
            }
            let order = l.order()?;
            l.write(out, &order);
            Some(())
        }
    }
}

/// [`section`] for a list as every SDK writes it: its keys (every byte a
/// [`KEY`] byte or `;`, checked by the caller) strictly ascending, so already
/// in §2.8's order and distinct. Each key is written as it is reached, with the
/// value of its one candidate: a name equal to the key ignoring ASCII case (the
/// key is plain and lower-case: only a plain name canonicalises to it, and then
/// its key is its lower-case, §2.3). A key with no candidate (and no `host`
/// stand-in) or with two is [`Section::Refused`]; a key not above the one
/// before it is [`Section::Unsorted`]. Either way `out` is left as it was.
fn in_list_order<'v, I>(
    out: &mut String,
    list: &str,
    cands: &impl Fn() -> I,
    value: &impl Fn(&'v str) -> &'v str,
    host: Option<&'v str>,
) -> Section
where
    I: Iterator<Item = (&'v str, &'v str)>,
{
    let start = out.len();
    let mut prev = "";
    let mut rest = list;
    loop {
        let (key, more) = match swar::find_byte(rest.as_bytes(), b';') {
            // `;` is ASCII: both ends are char boundaries.
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        // §1.1: empty entries name nothing.
        if !key.is_empty() {
            if key <= prev {
                out.truncate(start);
                return Section::Unsorted;
            }
            let mut found = None;
            for (n, v) in cands() {
                if lower_eq(n.as_bytes(), key.as_bytes()) && found.replace(v).is_some() {
                    // A repeated name: the repeated-name rules apply.
                    out.truncate(start);
                    return Section::Refused;
                }
            }
            let v = match (found, host) {
                (Some(v), _) => value(v),
                (None, Some(h)) if key == "host" => h,
                _ => {
                    out.truncate(start);
                    return Section::Refused;
                }
            };
            if !prev.is_empty() {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            // §2.4: values keep their case and upper-case escapes.
            encode::encode_into(out, v);
            prev = key;
        }
        match more {
            Some(m) => rest = m,
            None => break,
        }
    }
    // An empty section keeps its newline.
    out.push('\n');
    Section::Written
}

/// §2.6: UriPathname (as [`decode_path`]) appended to `out`: the raw text between
/// escapes copied as it is, an escape decoding to ASCII pushed as its character.
/// An escape decoding to a non-ASCII byte (which must be checked to be UTF-8)
/// goes through [`decode_path`]. `None` when that refuses the path.
fn push_path(out: &mut String, raw: &str, plus: PlusMeans) -> Option<()> {
    // The bytes that may decode: `%`, and `+` under [`PlusMeans::Space`]
    // (otherwise `%` twice: nothing else is looked for).
    let plus_byte = if plus == PlusMeans::Space { b'+' } else { b'%' };
    let b = raw.as_bytes();
    let start = out.len();
    let mut run = 0;
    let mut i = 0;
    while let Some(at) = swar::find_either(&b[i..], b'%', plus_byte) {
        i += at;
        let c = b[i];
        let decoded = if c == b'%' {
            match (
                b.get(i + 1).and_then(|&h| hex_digit(h)),
                b.get(i + 2).and_then(|&l| hex_digit(l)),
            ) {
                (Some(h), Some(l)) => h << 4 | l,
                // A malformed escape is kept literally.
                _ => {
                    i += 1;
                    continue;
                }
            }
        } else {
            b' '
        };
        if !decoded.is_ascii() {
            out.truncate(start);
            let mut buf = [0u8; PATH_MAX];
            out.push_str(decode_path(raw, plus, &mut buf)?);
            return Some(());
        }
        // `run..i` ends before an ASCII byte: both ends are char boundaries.
        out.push_str(&raw[run..i]);
        out.push(char::from(decoded));
        i += if c == b'%' { 3 } else { 1 };
        run = i;
    }
    out.push_str(&raw[run..]);
    Some(())
}

/// The value of one hex digit (either case).
fn hex_digit(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|d| d as u8)
}

/// The two selections [`sign_parts`] makes: `q-header-list` and
/// `q-url-param-list`, written out where they are needed.
pub(super) struct Lists<'a> {
    headers: Picked<'a>,
    /// `None` for a request without query parameters (the usual case: no table).
    params: Option<Picked<'a>>,
}

impl Lists<'_> {
    /// `q-header-list` (§2.4 step 5: the keys in order joined with `;`) appended to `out`.
    pub fn header_into(&self, out: &mut String) {
        self.headers.list_into(out);
    }

    /// `q-url-param-list`, the same way.
    pub fn param_into(&self, out: &mut String) {
        if let Some(p) = &self.params {
            p.list_into(out);
        }
    }

    /// Whether `q-url-param-list` names anything (every parameter is picked).
    pub fn has_params(&self) -> bool {
        self.params.as_ref().is_some_and(|p| p.picked > 0)
    }

    /// Bytes of both lists.
    pub fn len(&self) -> usize {
        self.headers.key_bytes() + self.params.as_ref().map_or(0, Picked::key_bytes)
    }
}

/// Sign's canonicalisation with the DESIGN default lists (the headers
/// `http_headers::signed_by_default` picks, every query parameter): the
/// HttpString text (cut into fields by `http_string::parse_back` as is: the
/// method and path hold no line break, the keys are plain, the values encoded),
/// and what `with_lists` makes of the lists (they stay where they are: no copy
/// of the selections). `raw_path` is `req.raw_path()`. `None` outside the fast
/// path's case.
pub(super) fn sign_parts<R>(
    req: &Request,
    raw_path: &str,
    query: &[QueryParam<'_>],
    opts: &CosOptions,
    with_lists: impl FnOnce(&Lists<'_>) -> R,
) -> Option<(String, R)> {
    let mut lists = Lists {
        headers: Picked::default(),
        params: None,
    };
    let hs = &mut lists.headers;
    for (n, v) in &req.headers {
        // The value as the candidates see it, for the names picked.
        let ws = opts.header_whitespace;
        match http_headers::default_kind(n) {
            Some(DefaultName::Fixed(key)) => hs.push_fixed(key, header_value(v, ws))?,
            Some(DefaultName::Prefixed) => hs.push(n, header_value(v, ws))?,
            None => {}
        }
    }
    // §2.7: the Host that goes on the wire.
    if hs.fixed & HOST_BIT == 0 {
        if let Some(a) = req.authority.as_deref() {
            hs.push_fixed("host", a)?;
        }
    }
    hs.sort()?;
    if !query.is_empty() {
        let ps = lists.params.insert(Picked::default());
        for p in query {
            // §2.4 step 1: a bare name is an empty value.
            ps.push(&p.name, p.value.as_deref().unwrap_or(""))?;
        }
        ps.sort()?;
    }
    let params_len = lists.params.as_ref().map_or(0, Picked::raw_len);
    let mut text = String::with_capacity(
        req.method.len() + req.target.len() + 4 + lists.headers.raw_len() + params_len + 32,
    );
    method_and_path(&mut text, &req.method, raw_path, opts.plus_in_path)?;
    // The stage is cut into fields by `http_string::parse_back`, which takes the
    // first two lines for method and path: neither may hold a line break.
    let line_break = memchr::memrchr(b'\n', text.as_bytes());
    if line_break != Some(req.method.len()) || req.method.contains('\n') {
        return None;
    }
    text.push('\n');
    match &lists.params {
        Some(ps) => ps.write(&mut text),
        // An empty section keeps its newline.
        None => text.push('\n'),
    }
    lists.headers.write(&mut text);
    let r = with_lists(&lists);
    Some((text, r))
}

/// The HttpString's first line and its second up to the line break (§2.1:
/// `lower(Method) \n UriPathname`) appended to `out` (`None`, `out` as it was,
/// when [`push_path`] refuses the path).
fn method_and_path(out: &mut String, method: &str, raw_path: &str, plus: PlusMeans) -> Option<()> {
    let start = out.len();
    // The usual methods as constants, each line written whole (no lower-casing
    // in place, which reads back what was just written).
    match method {
        "PUT" => out.push_str("put\n"),
        "GET" => out.push_str("get\n"),
        "POST" => out.push_str("post\n"),
        "HEAD" => out.push_str("head\n"),
        "DELETE" => out.push_str("delete\n"),
        _ => {
            out.push_str(method);
            out[start..].make_ascii_lowercase();
            out.push('\n');
        }
    }
    if push_path(out, raw_path, plus).is_none() {
        out.truncate(start);
        return None;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn lower_eq_is_ascii_lowercase(
            a in "[a-zA-Z0-9\\x00-\\x7fé-]{0,40}",
            at in 0usize..40,
            to in "[a-zA-Z\\r@\\[-]",
        ) {
            // `b` a lower-case key: `a` lowered, perhaps with one character changed.
            let lowered = a.to_ascii_lowercase();
            proptest::prop_assert!(lower_eq(a.as_bytes(), lowered.as_bytes()));
            let mut chars: Vec<char> = lowered.chars().collect();
            if let Some(c) = chars.get_mut(at) {
                *c = to.to_ascii_lowercase().chars().next().unwrap_or('-');
            }
            let b: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(lower_eq(a.as_bytes(), b.as_bytes()), lowered == b);
        }
    }

    /// [`in_list_order`] over `(name, value)` candidates, `out` starting as `x`.
    fn in_order(list: &str, cands: &[(&str, &str)], host: Option<&str>) -> (String, &'static str) {
        let mut out = String::from("x");
        let all = || cands.iter().copied();
        let how = match in_list_order(&mut out, list, &all, &|v| v.trim(), host) {
            Section::Written => "written",
            Section::Unsorted => "unsorted",
            Section::Refused => "refused",
        };
        (out, how)
    }

    #[test]
    fn sections_in_list_order() {
        let cands = [
            ("Host", "h.example"),
            ("X-Cos-A", " 1 2 "),
            ("content-type", "a/b"),
        ];
        let written = |t: &str| (format!("x{t}"), "written");
        // Each key with its one candidate's value (trimmed, encoded), in list order.
        assert_eq!(
            in_order("content-type;host;x-cos-a", &cands, None),
            written("content-type=a%2Fb&host=h.example&x-cos-a=1%202\n")
        );
        // Empty entries name nothing; an empty list keeps its newline.
        assert_eq!(
            in_order(";host;;", &cands, None),
            written("host=h.example\n")
        );
        assert_eq!(in_order("", &cands, None), written("\n"));
        // The stand-in for a listed `host` that no candidate carries, and only then.
        let no_host = &cands[1..];
        assert_eq!(
            in_order("host", no_host, Some("a:1")),
            written("host=a%3A1\n")
        );
        assert_eq!(
            in_order("host", &cands, Some("a:1")),
            written("host=h.example\n")
        );
        // Not ascending (a repeat included): left to `Listed`, `out` untouched.
        for list in [
            "host;content-type",
            "host;host",
            "content-type;content-type",
        ] {
            assert_eq!(
                in_order(list, &cands, None),
                ("x".into(), "unsorted"),
                "{list}"
            );
        }
        // A key with no candidate, or with two: refused, `out` untouched.
        let twice = [("x-cos-a", "1"), ("X-COS-A", "2")];
        assert_eq!(
            in_order("content-md5", &cands, None),
            ("x".into(), "refused")
        );
        assert_eq!(in_order("host", no_host, None), ("x".into(), "refused"));
        assert_eq!(in_order("x-cos-a", &twice, None), ("x".into(), "refused"));
        // A key that is not plain lower-case (an escape: its name's key would be
        // `x%252dcos`; upper case) leaves the section to the general path, even
        // when a name equals it ignoring case, sorted or not.
        let odd = [("x%2dcos", "v"), ("Host", "h")];
        for list in ["x%2dcos", "Host", "host;x%2dcos", "x%2dcos;host"] {
            let mut out = String::from("x");
            let all = || odd.iter().copied();
            assert_eq!(section(&mut out, list, all, |v| v, None), None, "{list}");
            assert_eq!(out, "x", "{list}");
        }
    }

    #[test]
    fn list_bytes_is_the_table() {
        // Every byte alone, and each inside a run long enough for the vector loop.
        for c in 0..=255u8 {
            let want = LIST[usize::from(c)] != 0;
            assert_eq!(list_bytes(&[c]), want, "{c:#x}");
            for at in [0, 7, 16, 31, 40] {
                let mut run = vec![b'a'; 41];
                run[at] = c;
                assert_eq!(list_bytes(&run), want, "{c:#x} at {at}");
            }
        }
        assert!(list_bytes(b""));
    }

    #[test]
    fn fixed_tables_are_the_key_order() {
        let keys = ["content-length", "content-md5", "content-type", "host"];
        for (r, k) in keys.iter().enumerate() {
            assert_eq!(usize::from(fixed_rank(k)), r, "{k}");
            assert_eq!(FIXED_PAIR[r], format!("&{k}="));
            assert_eq!(1 << r == HOST_BIT, *k == "host");
            // Every other default name (`x-cos-*`, `x-ci-*`) sorts after the fixed ones.
            for b in ["x-ci-a", "x-cos-a", "x-"] {
                assert!(*k < b, "{k} {b}");
            }
        }
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        for (set, list) in FIXED_LIST.iter().enumerate() {
            let want: Vec<&str> = (0..4)
                .filter(|r| set & (1 << r) != 0)
                .map(|r| keys[r])
                .collect();
            assert_eq!(*list, want.join(";"), "{set}");
        }
    }

    #[test]
    fn picked_lengths_are_what_is_written() {
        // Values needing no encoding: the pairs are written at their raw length.
        let mut p = Picked::default();
        p.push_fixed("host", "h.example").unwrap();
        p.push("X-Cos-Acl", "private").unwrap();
        p.push_fixed("content-md5", "abc").unwrap();
        p.push("x-ci-b", "").unwrap();
        p.sort().unwrap();
        let (mut list, mut pairs) = (String::new(), String::new());
        p.list_into(&mut list);
        p.write(&mut pairs);
        assert_eq!(list, "content-md5;host;x-ci-b;x-cos-acl");
        assert_eq!(
            pairs,
            "content-md5=abc&host=h.example&x-ci-b=&x-cos-acl=private\n"
        );
        // A separator counted per pair: the pairs' `&`s and their `\n`, the
        // list's `;`s and one more.
        assert_eq!(p.raw_len(), pairs.len());
        assert_eq!(p.key_bytes(), list.len() + 1);
    }

    #[test]
    fn path_decoding_is_encode_decode() {
        for raw in [
            "/a%20b",
            "/a+b",
            "/%zz",
            "/%2",
            "/%",
            "/%E8%85%BE",
            "/%FF",
            "/%2b+",
            "/plain",
            "/a%2Fb%E8%85%BE+%41%",
            "%C3%A9%20%FFx",
        ] {
            for plus in [PlusMeans::Space, PlusMeans::Plus] {
                let mut buf = [0u8; PATH_MAX];
                let got = decode_path(raw, plus, &mut buf);
                let want = encode::decode(raw, plus, "request path").ok();
                assert_eq!(got, want.as_deref(), "{raw} {plus:?}");
                // Appended after what the buffer holds, or nothing at all.
                let mut out = String::from("x");
                let pushed = push_path(&mut out, raw, plus).map(|()| &out[1..]);
                assert_eq!(pushed, want.as_deref(), "{raw} {plus:?}");
            }
        }
    }
}
