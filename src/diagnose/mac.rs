//! Signing a hypothesis cheaply: precomputed key and message states.
//!
//! * OSS V1 (oss-signing.md §1.1): the keyed HMAC-SHA1 state per candidate
//!   secret, and its clones after each field of the server's StringToSign, so a
//!   hypothesis hashes only the text from its first changed field on.
//! * OSS V4 (§4.4, §4.5): SHA-256 states after each field of the server's
//!   CanonicalRequest (a hypothesis hashes its changed tail), and the keyed
//!   HMAC-SHA256 state per (secret, date, region, product): the four-step key
//!   chain runs once per distinct scope.
//! * COS (cos-signing.md §2.1): SHA-1 states after each field of the server's
//!   HttpString, the secret-keyed HMAC-SHA1 state per secret, and the
//!   SignKey-keyed HMAC-SHA1 state per (secret, q-key-time, SignKey form).
//!
//! The last rendered text and its digest are kept, so combinations that share
//! their text edits and differ in the key cost one HMAC each.

use super::splice::{render_from, Fields, Splice};
use crate::oss::v4::signing_key;
use crate::secret::Secret;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use zeroize::Zeroize;

type HmacSha1 = Hmac<Sha1>;
type HmacSha256 = Hmac<Sha256>;

/// Which signature family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// OSS V1: Base64(HMAC-SHA1(secret, StringToSign)).
    V1,
    /// OSS V4: hex(HMAC-SHA256(kSigning, StringToSign(SHA256(CanonicalRequest)))).
    V4,
    /// COS: hex(HMAC-SHA1(hex(HMAC-SHA1(secret, key-time)), StringToSign(SHA1(HttpString)))).
    Cos,
}

/// Strings a key change refers to, interned (so the hot path compares integers).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    strs: Vec<String>,
    map: HashMap<String, u32, Fx>,
}

impl Interner {
    /// The id of `s`, adding it when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.strs.len() as u32;
        self.strs.push(s.to_string());
        self.map.insert(s.to_string(), i);
        i
    }

    /// The string of an id.
    pub fn get(&self, id: u32) -> &str {
        &self.strs[id as usize]
    }
}

/// What a hypothesis changes besides the first-stage text. Every slot is set by
/// at most one hypothesis of a combination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeyMod {
    /// Index into the candidate secrets (0: the first secret given).
    pub secret: Option<u16>,
    /// Index into the forms of the provided signature (0: as received).
    pub target: Option<u16>,
    /// V4: StringToSign timestamp; COS: q-sign-time in the StringToSign.
    pub timestamp: Option<u32>,
    /// V4: StringToSign scope date (the key follows unless `key_date`).
    pub date: Option<u32>,
    /// V4: StringToSign scope region.
    pub region: Option<u32>,
    /// V4: StringToSign scope product.
    pub product: Option<u32>,
    /// V4: signing-key date only.
    pub key_date: Option<u32>,
    /// V4: signing-key region only.
    pub key_region: Option<u32>,
    /// V4: signing-key product only.
    pub key_product: Option<u32>,
    /// COS: the key time SignKey is derived from.
    pub key_time: Option<u32>,
    /// COS: SignKey used as its 20 raw bytes instead of its 40 hex characters.
    pub raw_sign_key: bool,
}

impl KeyMod {
    /// The slots set, one bit each.
    pub fn mask(&self) -> u16 {
        (self.secret.is_some() as u16)
            | (self.target.is_some() as u16) << 1
            | (self.timestamp.is_some() as u16) << 2
            | (self.date.is_some() as u16) << 3
            | (self.region.is_some() as u16) << 4
            | (self.product.is_some() as u16) << 5
            | (self.key_date.is_some() as u16) << 6
            | (self.key_region.is_some() as u16) << 7
            | (self.key_product.is_some() as u16) << 8
            | (self.key_time.is_some() as u16) << 9
            | (self.raw_sign_key as u16) << 10
    }

    /// True when nothing is changed.
    pub fn is_none(&self) -> bool {
        self.mask() == 0
    }

    /// Merge two changes; `None` when both set one slot.
    pub fn merge(&self, o: &KeyMod) -> Option<KeyMod> {
        let (a, b) = (self.mask(), o.mask());
        if a & b != 0 {
            return None;
        }
        if b == 0 {
            return Some(*self);
        }
        if a == 0 {
            return Some(*o);
        }
        Some(KeyMod {
            secret: self.secret.or(o.secret),
            target: self.target.or(o.target),
            timestamp: self.timestamp.or(o.timestamp),
            date: self.date.or(o.date),
            region: self.region.or(o.region),
            product: self.product.or(o.product),
            key_date: self.key_date.or(o.key_date),
            key_region: self.key_region.or(o.key_region),
            key_product: self.key_product.or(o.key_product),
            key_time: self.key_time.or(o.key_time),
            raw_sign_key: self.raw_sign_key || o.raw_sign_key,
        })
    }
}

/// The server-side values a [`KeyMod`] slot falls back to.
#[derive(Debug, Clone, Default)]
pub struct Base {
    /// V4 timestamp / COS sign time.
    pub timestamp: u32,
    /// V4 scope date.
    pub date: u32,
    /// V4 scope region.
    pub region: u32,
    /// V4 scope product.
    pub product: u32,
    /// V4 scope terminator (as written).
    pub terminator: String,
    /// COS key time.
    pub key_time: u32,
}

/// The key caches and the interner hash with rustc's FxHash (`rustc-hash`):
/// small integer keys and short strings, no HashDoS exposure (the keys come from
/// one request the user gave).
type Fx = rustc_hash::FxBuildHasher;

/// V4 key and StringToSign prefix: (secret, timestamp, date, region, product, key date, key region, key product).
type V4Key = (u16, u32, u32, u32, u32, u32, u32, u32);

/// Hash states of the server text with some splices applied ("outer" part of a
/// combination), after each field from the end of those splices on: the rest
/// of a combination whose splices all come later hashes only its own tail.
struct Outer {
    id: u64,
    last_end: usize,
    /// Rendered text from the outer's first field on.
    text: String,
    first: usize,
    /// Byte offset in `text` of server field `j` (for `j >= last_end`) minus the server's.
    delta: isize,
    v1: Vec<Option<Vec<HmacSha1>>>,
    h256: Vec<Sha256>,
    h1: Vec<Sha1>,
}

/// Where the rendered text of the current combination starts hashing from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    /// The server's prefix states.
    Server,
    /// Outer slot `i`.
    Outer(usize),
}

/// Everything the search signs with; see the module documentation.
pub struct Engine {
    kind: Kind,
    fields: Fields,
    secrets: Vec<Secret>,
    targets: Vec<Option<Vec<u8>>>,
    strs: Interner,
    base: Base,
    v1_states: Vec<Option<Vec<HmacSha1>>>,
    h256: Vec<Sha256>,
    h1: Vec<Sha1>,
    server_hex: String,
    v4_keys: HashMap<(u16, u32, u32, u32), HmacSha256, Fx>,
    v4_sts: HashMap<V4Key, HmacSha256, Fx>,
    cos_secret: Vec<Option<HmacSha1>>,
    cos_keys: HashMap<(u16, u32, bool), HmacSha1, Fx>,
    outers: [Option<Outer>; 2],
    outer_next: usize,
    buf: String,
    sts: String,
    hexb: [u8; 64],
    hexn: usize,
    memo: Option<[u32; 3]>,
    memo_at: usize,
    memo_src: Src,
    /// Signatures computed so far.
    pub evaluations: u64,
    /// Work done so far: 64-byte blocks hashed, plus the fixed blocks of each
    /// signature (key pads, StringToSign, finalisation).
    pub work: u64,
    last_v4: Option<(V4Key, HmacSha256)>,
    last_cos: Option<((u16, u32, bool), HmacSha1)>,
}

fn hex_into(out: &mut String, bytes: &[u8]) {
    let mut b = [0u8; 64];
    let n = hex_bytes(&mut b, bytes);
    out.clear();
    out.push_str(crate::encode::hex_text(&b[..n]));
}

/// Lower-case hex of `bytes` (at most 32) into `out`; returns the length.
fn hex_bytes(out: &mut [u8; 64], bytes: &[u8]) -> usize {
    let bytes = &bytes[..bytes.len().min(32)];
    crate::encode::hex_into(out, bytes);
    2 * bytes.len()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

impl Engine {
    /// An engine over the server's first-stage text. `targets` are the forms of
    /// the provided signature (index 0 as received); `secrets` the candidate keys.
    pub fn new(
        kind: Kind,
        fields: Fields,
        secrets: Vec<Secret>,
        targets: &[String],
        strs: Interner,
        base: Base,
    ) -> Engine {
        use base64::Engine as _;
        let targets = targets
            .iter()
            .map(|t| match kind {
                // §1.1: V1 is standard Base64 of the 20-byte HMAC-SHA1.
                Kind::V1 => base64::engine::general_purpose::STANDARD
                    .decode(t.as_bytes())
                    .ok()
                    .filter(|b| b.len() == 20),
                // §1.1: V4 is 64 lower-case hex; cos-signing.md §2.1: COS 40.
                Kind::V4 => unhex(t).filter(|b| b.len() == 32 && !t.contains(char::is_uppercase)),
                Kind::Cos => unhex(t).filter(|b| b.len() == 20 && !t.contains(char::is_uppercase)),
            })
            .collect();
        let mut h256 = Vec::new();
        let mut h1 = Vec::new();
        let mut server_hex = String::new();
        match kind {
            Kind::V4 => {
                let mut h = Sha256::new();
                for (_, t) in &fields.items {
                    h256.push(h.clone());
                    h.update(t.as_bytes());
                }
                h256.push(h.clone());
                hex_into(&mut server_hex, &h.finalize());
            }
            Kind::Cos => {
                let mut h = Sha1::new();
                for (_, t) in &fields.items {
                    h1.push(h.clone());
                    h.update(t.as_bytes());
                }
                h1.push(h.clone());
                hex_into(&mut server_hex, &h.finalize());
            }
            Kind::V1 => {}
        }
        let n = secrets.len();
        Engine {
            kind,
            fields,
            secrets,
            targets,
            strs,
            base,
            v1_states: vec![None; n],
            h256,
            h1,
            server_hex,
            v4_keys: HashMap::default(),
            v4_sts: HashMap::default(),
            cos_secret: vec![None; n],
            cos_keys: HashMap::default(),
            outers: [None, None],
            outer_next: 0,
            buf: String::with_capacity(512),
            sts: String::with_capacity(160),
            hexb: [0; 64],
            hexn: 0,
            memo: None,
            memo_at: 0,
            memo_src: Src::Server,
            evaluations: 0,
            work: 0,
            last_v4: None,
            last_cos: None,
        }
    }

    /// Is there any target the engine can compare with?
    pub fn has_target(&self) -> bool {
        self.targets.iter().any(Option::is_some)
    }

    fn v1_states(&mut self, k: usize) -> &[HmacSha1] {
        if self.v1_states[k].is_none() {
            let mut m = HmacSha1::new_from_slice(self.secrets[k].expose().as_bytes())
                .expect("HMAC takes any key length");
            let mut v = Vec::with_capacity(self.fields.len() + 1);
            for (_, t) in &self.fields.items {
                v.push(m.clone());
                m.update(t.as_bytes());
            }
            v.push(m);
            self.v1_states[k] = Some(v);
        }
        self.v1_states[k].as_deref().expect("set above")
    }

    /// The outer slot for `id`, built on first use.
    fn outer(&mut self, id: u64, splices: &[&Splice]) -> usize {
        if let Some(i) = self
            .outers
            .iter()
            .position(|o| o.as_ref().is_some_and(|o| o.id == id))
        {
            return i;
        }
        let mut text = String::new();
        let first = render_from(&self.fields, splices, &mut text);
        let last_end = splices
            .iter()
            .map(|s| s.end as usize)
            .max()
            .unwrap_or(first);
        let f = &self.fields;
        let delta = text.len() as isize - (f.text.len() - f.offsets[first]) as isize;
        let pos = |j: usize| ((f.offsets[j] - f.offsets[first]) as isize + delta) as usize;
        let mut o = Outer {
            id,
            last_end,
            first,
            delta,
            text,
            v1: vec![None; self.secrets.len()],
            h256: Vec::new(),
            h1: Vec::new(),
        };
        match self.kind {
            Kind::V4 => {
                let mut h = self.h256[first].clone();
                h.update(&o.text.as_bytes()[..pos(last_end)]);
                for j in last_end..f.len() {
                    o.h256.push(h.clone());
                    h.update(f.items[j].1.as_bytes());
                }
                o.h256.push(h);
            }
            Kind::Cos => {
                let mut h = self.h1[first].clone();
                h.update(&o.text.as_bytes()[..pos(last_end)]);
                for j in last_end..f.len() {
                    o.h1.push(h.clone());
                    h.update(f.items[j].1.as_bytes());
                }
                o.h1.push(h);
            }
            Kind::V1 => {}
        }
        let slot = self.outer_next;
        self.outer_next = (slot + 1) % self.outers.len();
        self.outers[slot] = Some(o);
        slot
    }

    /// V1: the outer slot's HMAC states under secret `k`, built on first use.
    fn outer_v1(&mut self, slot: usize, k: usize) -> &[HmacSha1] {
        let need = self.outers[slot]
            .as_ref()
            .is_some_and(|o| o.v1[k].is_none());
        if need {
            let first = self.outers[slot].as_ref().expect("slot").first;
            let mut m = self.v1_states(k)[first].clone();
            let f = &self.fields;
            let o = self.outers[slot].as_mut().expect("slot");
            let pos = |j: usize| ((f.offsets[j] - f.offsets[first]) as isize + o.delta) as usize;
            m.update(&o.text.as_bytes()[..pos(o.last_end)]);
            let mut v = Vec::with_capacity(f.len() + 1 - o.last_end);
            for j in o.last_end..f.len() {
                v.push(m.clone());
                m.update(f.items[j].1.as_bytes());
            }
            v.push(m);
            o.v1[k] = Some(v);
        }
        self.outers[slot]
            .as_ref()
            .and_then(|o| o.v1[k].as_deref())
            .expect("built above")
    }

    fn v4_sts_state(
        &mut self,
        s: u16,
        ts: u32,
        d: u32,
        r: u32,
        p: u32,
        k: (u32, u32, u32),
    ) -> &HmacSha256 {
        let key = (s, ts, d, r, p, k.0, k.1, k.2);
        if !self.v4_sts.contains_key(&key) {
            let Engine {
                v4_keys,
                secrets,
                strs,
                ..
            } = self;
            let km = v4_keys.entry((s, k.0, k.1, k.2)).or_insert_with(|| {
                // §4.5: the key chain, derived once per (secret, date, region, product).
                let mut kk = signing_key::derive(
                    &secrets[s as usize],
                    strs.get(k.0),
                    strs.get(k.1),
                    strs.get(k.2),
                );
                let m = HmacSha256::new_from_slice(&kk).expect("32-byte key");
                kk.zeroize();
                m
            });
            // §4.4: StringToSign = algorithm \n timestamp \n scope \n hex(SHA256(CR)):
            // everything before the digest is absorbed once per key and scope.
            let mut m = km.clone();
            m.update(b"OSS4-HMAC-SHA256\n");
            m.update(self.strs.get(ts).as_bytes());
            m.update(b"\n");
            m.update(self.strs.get(d).as_bytes());
            m.update(b"/");
            m.update(self.strs.get(r).as_bytes());
            m.update(b"/");
            m.update(self.strs.get(p).as_bytes());
            m.update(b"/");
            m.update(self.base.terminator.as_bytes());
            m.update(b"\n");
            self.v4_sts.insert(key, m);
        }
        &self.v4_sts[&key]
    }

    fn cos_key(&mut self, s: u16, kt: u32, raw: bool) -> &HmacSha1 {
        if self.cos_secret[s as usize].is_none() {
            self.cos_secret[s as usize] = Some(
                HmacSha1::new_from_slice(self.secrets[s as usize].expose().as_bytes())
                    .expect("HMAC takes any key length"),
            );
        }
        let Engine {
            cos_keys,
            cos_secret,
            strs,
            ..
        } = self;
        cos_keys.entry((s, kt, raw)).or_insert_with(|| {
            // cos-signing.md §2.1: SignKey = hex(HMAC-SHA1(SecretKey, KeyTime)); the
            // second HMAC is keyed by its hex text (or, the mistake, its raw bytes).
            let mut m = cos_secret[s as usize].clone().expect("set above");
            m.update(strs.get(kt).as_bytes());
            let mut raw_key: [u8; 20] = m.finalize().into_bytes().into();
            let mac = if raw {
                HmacSha1::new_from_slice(&raw_key)
            } else {
                let mut h = String::with_capacity(40);
                hex_into(&mut h, &raw_key);
                let r = HmacSha1::new_from_slice(h.as_bytes());
                h.zeroize();
                r
            }
            .expect("HMAC takes any key length");
            raw_key.zeroize();
            mac
        })
    }

    fn compare(&self, target: Option<u16>, tag: &[u8]) -> bool {
        match self.targets.get(target.unwrap_or(0) as usize) {
            Some(Some(t)) => crate::secret::ct_eq_bytes(t, tag),
            _ => false,
        }
    }

    /// Render the current combination (when its text changed) and return where
    /// hashing starts from.
    fn prepare_text(
        &mut self,
        text_id: [u32; 3],
        outer: Option<(u64, &[&Splice])>,
        rest: &[&Splice],
    ) -> bool {
        if self.memo == Some(text_id) {
            return false;
        }
        self.memo = Some(text_id);
        let mut buf = std::mem::take(&mut self.buf);
        match outer {
            Some((id, os))
                if !os.is_empty()
                    && rest.first().is_none_or(|r| {
                        r.start as usize >= os.iter().map(|s| s.end as usize).max().unwrap_or(0)
                    }) =>
            {
                let slot = self.outer(id, os);
                self.memo_at = render_from(&self.fields, rest, &mut buf);
                self.memo_src = Src::Outer(slot);
            }
            _ => {
                // Merge both parts in field order.
                let mut refs: Vec<&Splice> = Vec::with_capacity(8);
                if let Some((_, os)) = outer {
                    refs.extend(os.iter().copied());
                }
                refs.extend(rest.iter().copied());
                refs.sort_by_key(|s| (s.start, s.end));
                self.memo_at = render_from(&self.fields, &refs, &mut buf);
                self.memo_src = Src::Server;
            }
        }
        self.buf = buf;
        true
    }

    fn digest_start(&self) -> usize {
        match self.memo_src {
            Src::Server => self.memo_at,
            Src::Outer(slot) => {
                let o = self.outers[slot].as_ref().expect("slot");
                self.memo_at - o.last_end
            }
        }
    }

    /// Does this combination reproduce its target signature?
    ///
    /// `outer` is a part of the combination (its id and splices) whose splices
    /// all come before those of `rest`, the other part (sorted); when that
    /// holds, the outer's hash states are reused and only the rest's tail is
    /// hashed. `text_id` names the combination's text edits: equal ids mean
    /// equal text, so the previous rendering and digest are reused.
    pub fn eval(
        &mut self,
        text_id: [u32; 3],
        outer: Option<(u64, &[&Splice])>,
        rest: &[&Splice],
        k: &KeyMod,
    ) -> bool {
        self.evaluations += 1;
        let fresh = self.prepare_text(text_id, outer, rest);
        // Blocks: the text tail (V1 always; V4/COS when it changed), the
        // StringToSign and the outer HMAC.
        let tail = if fresh || self.kind == Kind::V1 {
            self.buf.len() as u64 / 64 + 1
        } else {
            0
        };
        self.work += tail + if self.kind == Kind::V1 { 1 } else { 3 };
        let secret = k.secret.unwrap_or(0);
        match self.kind {
            Kind::V1 => {
                let at = self.digest_start();
                let buf = std::mem::take(&mut self.buf);
                let mut m = match self.memo_src {
                    Src::Server => self.v1_states(secret as usize)[at].clone(),
                    Src::Outer(slot) => self.outer_v1(slot, secret as usize)[at].clone(),
                };
                m.update(buf.as_bytes());
                self.buf = buf;
                let tag = m.finalize().into_bytes();
                self.compare(k.target, &tag)
            }
            Kind::V4 => {
                if fresh {
                    let at = self.digest_start();
                    let d = if self.memo_src == Src::Server && self.memo_at == self.fields.len() {
                        None
                    } else {
                        let mut h = match self.memo_src {
                            Src::Server => self.h256[at].clone(),
                            Src::Outer(slot) => {
                                self.outers[slot].as_ref().expect("slot").h256[at].clone()
                            }
                        };
                        h.update(self.buf.as_bytes());
                        Some(h.finalize())
                    };
                    match d {
                        Some(d) => {
                            let n = hex_bytes(&mut self.hexb, &d);
                            self.hexn = n;
                        }
                        None => {
                            self.hexb[..64].copy_from_slice(self.server_hex.as_bytes());
                            self.hexn = 64;
                        }
                    }
                }
                let b = &self.base;
                let ts = k.timestamp.unwrap_or(b.timestamp);
                let d = k.date.unwrap_or(b.date);
                let r = k.region.unwrap_or(b.region);
                let p = k.product.unwrap_or(b.product);
                let kk = (
                    k.key_date.unwrap_or(d),
                    k.key_region.unwrap_or(r),
                    k.key_product.unwrap_or(p),
                );
                let key = (secret, ts, d, r, p, kk.0, kk.1, kk.2);
                let mut m = match &self.last_v4 {
                    Some((k2, st)) if *k2 == key => st.clone(),
                    _ => {
                        let st = self.v4_sts_state(secret, ts, d, r, p, kk).clone();
                        self.last_v4 = Some((key, st.clone()));
                        st
                    }
                };
                m.update(&self.hexb[..self.hexn]);
                let tag = m.finalize().into_bytes();
                self.compare(k.target, &tag)
            }
            Kind::Cos => {
                if fresh {
                    let at = self.digest_start();
                    if self.memo_src == Src::Server && self.memo_at == self.fields.len() {
                        self.hexb[..40].copy_from_slice(self.server_hex.as_bytes());
                        self.hexn = 40;
                    } else {
                        let mut h = match self.memo_src {
                            Src::Server => self.h1[at].clone(),
                            Src::Outer(slot) => {
                                self.outers[slot].as_ref().expect("slot").h1[at].clone()
                            }
                        };
                        h.update(self.buf.as_bytes());
                        let d = h.finalize();
                        self.hexn = hex_bytes(&mut self.hexb, &d);
                    }
                }
                // cos-signing.md §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
                let st = k.timestamp.unwrap_or(self.base.timestamp);
                let mut sts = std::mem::take(&mut self.sts);
                sts.clear();
                sts.push_str("sha1\n");
                sts.push_str(self.strs.get(st));
                sts.push('\n');
                sts.push_str(
                    std::str::from_utf8(&self.hexb[..self.hexn]).expect("hex digits are ASCII"),
                );
                sts.push('\n');
                let kt = k.key_time.unwrap_or(self.base.key_time);
                let ck = (secret, kt, k.raw_sign_key);
                let mut m = match &self.last_cos {
                    Some((k2, st)) if *k2 == ck => st.clone(),
                    _ => {
                        let st = self.cos_key(secret, kt, k.raw_sign_key).clone();
                        self.last_cos = Some((ck, st.clone()));
                        st
                    }
                };
                m.update(sts.as_bytes());
                self.sts = sts;
                let tag = m.finalize().into_bytes();
                self.compare(k.target, &tag)
            }
        }
    }

    /// The full first-stage text of a combination (for the report).
    pub fn text_of(&self, splices: &[&Splice]) -> String {
        let mut out = String::new();
        let at = render_from(&self.fields, splices, &mut out);
        let mut s = self.fields.text[..self.fields.offsets[at]].to_string();
        s.push_str(&out);
        s
    }

    /// The interned strings.
    pub fn strs(&self) -> &Interner {
        &self.strs
    }
}
