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
use subtle::ConstantTimeEq;
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
    map: HashMap<String, u32>,
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
    /// True when nothing is changed.
    pub fn is_none(&self) -> bool {
        *self == KeyMod::default()
    }

    /// Merge two changes; `None` when both set one slot.
    pub fn merge(&self, o: &KeyMod) -> Option<KeyMod> {
        fn m<T: Copy>(a: Option<T>, b: Option<T>) -> Result<Option<T>, ()> {
            match (a, b) {
                (Some(_), Some(_)) => Err(()),
                (x, None) | (None, x) => Ok(x),
            }
        }
        let r = (|| -> Result<KeyMod, ()> {
            if self.raw_sign_key && o.raw_sign_key {
                return Err(());
            }
            Ok(KeyMod {
                secret: m(self.secret, o.secret)?,
                target: m(self.target, o.target)?,
                timestamp: m(self.timestamp, o.timestamp)?,
                date: m(self.date, o.date)?,
                region: m(self.region, o.region)?,
                product: m(self.product, o.product)?,
                key_date: m(self.key_date, o.key_date)?,
                key_region: m(self.key_region, o.key_region)?,
                key_product: m(self.key_product, o.key_product)?,
                key_time: m(self.key_time, o.key_time)?,
                raw_sign_key: self.raw_sign_key || o.raw_sign_key,
            })
        })();
        r.ok()
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
    v4_keys: HashMap<(u16, u32, u32, u32), HmacSha256>,
    cos_secret: Vec<Option<HmacSha1>>,
    cos_keys: HashMap<(u16, u32, bool), HmacSha1>,
    buf: String,
    sts: String,
    hex: String,
    memo: Option<[u32; 3]>,
    memo_at: usize,
    /// Signatures computed so far.
    pub evaluations: u64,
}

fn hex_into(out: &mut String, bytes: &[u8]) {
    const H: &[u8; 16] = b"0123456789abcdef";
    out.clear();
    for b in bytes {
        out.push(H[(b >> 4) as usize] as char);
        out.push(H[(b & 15) as usize] as char);
    }
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
            v4_keys: HashMap::new(),
            cos_secret: vec![None; n],
            cos_keys: HashMap::new(),
            buf: String::with_capacity(512),
            sts: String::with_capacity(160),
            hex: String::with_capacity(64),
            memo: None,
            memo_at: 0,
            evaluations: 0,
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

    fn v4_key(&mut self, s: u16, d: u32, r: u32, p: u32) -> &HmacSha256 {
        let Engine {
            v4_keys,
            secrets,
            strs,
            ..
        } = self;
        v4_keys.entry((s, d, r, p)).or_insert_with(|| {
            // §4.5: the key chain, derived once per (secret, date, region, product).
            let mut k =
                signing_key::derive(&secrets[s as usize], strs.get(d), strs.get(r), strs.get(p));
            let m = HmacSha256::new_from_slice(&k).expect("32-byte key");
            k.zeroize();
            m
        })
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
            Some(Some(t)) => t.len() == tag.len() && bool::from(t.as_slice().ct_eq(tag)),
            _ => false,
        }
    }

    /// Does this combination reproduce its target signature? `text_id` names
    /// the combination's text edits (the hypotheses that carry splices): equal
    /// ids mean equal text, so the previous rendering and digest are reused.
    pub fn eval(&mut self, text_id: [u32; 3], splices: &[&Splice], k: &KeyMod) -> bool {
        self.evaluations += 1;
        let fresh = self.memo != Some(text_id);
        if fresh {
            self.memo = Some(text_id);
            let mut buf = std::mem::take(&mut self.buf);
            self.memo_at = render_from(&self.fields, splices, &mut buf);
            self.buf = buf;
        }
        let at = self.memo_at;
        let secret = k.secret.unwrap_or(0);
        match self.kind {
            Kind::V1 => {
                let buf = std::mem::take(&mut self.buf);
                let mut m = self.v1_states(secret as usize)[at].clone();
                m.update(buf.as_bytes());
                self.buf = buf;
                let tag = m.finalize().into_bytes();
                self.compare(k.target, &tag)
            }
            Kind::V4 => {
                if fresh {
                    if splices.is_empty() {
                        self.hex.clone_from(&self.server_hex);
                    } else {
                        let mut h = self.h256[at].clone();
                        h.update(self.buf.as_bytes());
                        let d = h.finalize();
                        hex_into(&mut self.hex, &d);
                    }
                }
                let b = &self.base;
                let ts = k.timestamp.unwrap_or(b.timestamp);
                let d = k.date.unwrap_or(b.date);
                let r = k.region.unwrap_or(b.region);
                let p = k.product.unwrap_or(b.product);
                let (kd, kr, kp) = (
                    k.key_date.unwrap_or(d),
                    k.key_region.unwrap_or(r),
                    k.key_product.unwrap_or(p),
                );
                // §4.4: StringToSign = algorithm \n timestamp \n scope \n hex(SHA256(CR)).
                let mut sts = std::mem::take(&mut self.sts);
                sts.clear();
                sts.push_str("OSS4-HMAC-SHA256\n");
                sts.push_str(self.strs.get(ts));
                sts.push('\n');
                for (i, part) in [d, r, p].into_iter().enumerate() {
                    if i > 0 {
                        sts.push('/');
                    }
                    sts.push_str(self.strs.get(part));
                }
                sts.push('/');
                sts.push_str(&self.base.terminator);
                sts.push('\n');
                sts.push_str(&self.hex);
                let mut m = self.v4_key(secret, kd, kr, kp).clone();
                m.update(sts.as_bytes());
                self.sts = sts;
                let tag = m.finalize().into_bytes();
                self.compare(k.target, &tag)
            }
            Kind::Cos => {
                if fresh {
                    if splices.is_empty() {
                        self.hex.clone_from(&self.server_hex);
                    } else {
                        let mut h = self.h1[at].clone();
                        h.update(self.buf.as_bytes());
                        let d = h.finalize();
                        hex_into(&mut self.hex, &d);
                    }
                }
                // cos-signing.md §2.1: StringToSign = sha1 \n SignTime \n hex(SHA1(HttpString)) \n.
                let st = k.timestamp.unwrap_or(self.base.timestamp);
                let mut sts = std::mem::take(&mut self.sts);
                sts.clear();
                sts.push_str("sha1\n");
                sts.push_str(self.strs.get(st));
                sts.push('\n');
                sts.push_str(&self.hex);
                sts.push('\n');
                let kt = k.key_time.unwrap_or(self.base.key_time);
                let mut m = self.cos_key(secret, kt, k.raw_sign_key).clone();
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
