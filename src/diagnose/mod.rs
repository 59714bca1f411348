//! Diagnosis by reproduction (DESIGN "Data flow": diagnose): when the provided
//! signature does not match, find the known client mistakes and SDK behaviours
//! that reproduce it exactly.
//!
//! 1. [`catalogue`] lists the mistakes as data; each entry's generator turns it
//!    into concrete hypotheses for the request at hand, rendered through the
//!    scheme's [`model`] (the library's own canonicalisation of a changed
//!    request, address, options or model).
//! 2. Each hypothesis is compiled into [`splice`]s of the server's signed text
//!    plus a key change ([`mac::KeyMod`]); no-ops are dropped and hypotheses
//!    that give the same signed input are merged (equivalent explanations).
//! 3. The search signs singles, then pairs, then triples of compatible
//!    hypotheses (different fields, disjoint splices, no key slot set twice;
//!    at most one time hypothesis; time zones combine in pairs only, per-second
//!    skew in pairs within ±120 s and alone over the whole ±15 minutes —
//!    [`ctx::Tier`]), stopping after the first size
//!    that reproduces the signature and reporting every combination of that size.
//!    Signing reuses precomputed key and message states ([`mac`]), so a
//!    hypothesis costs about one message hash.
//!
//! ```
//! use sigdiff::{diagnose::{diagnose, DiagnoseOptions}, verify::{prepare, VerifyOptions}, Request, Secret};
//! // A V1 request signed without the `; charset=utf-8` its HTTP library then added.
//! let sts = "PUT\n\ntext/plain\nSun, 03 Dec 2023 12:12:12 GMT\n/b/k.txt";
//! let sig = sigdiff::oss::v1::sign_string(&Secret::new("sk"), sts);
//! let req = Request::from_url("PUT", "https://b.oss-cn-hangzhou.aliyuncs.com/k.txt", vec![
//!     ("Date".into(), "Sun, 03 Dec 2023 12:12:12 GMT".into()),
//!     ("Content-Type".into(), "text/plain; charset=utf-8".into()),
//!     ("Authorization".into(), format!("OSS ak:{sig}")),
//! ]).unwrap();
//! let p = prepare(&req, &VerifyOptions::default()).unwrap();
//! let d = diagnose(&req, &p, &[Secret::new("sk")], &p.provided_signature, &DiagnoseOptions::default());
//! assert_eq!(d.winners[0].hypotheses, ["content-type.charset-added"]);
//! ```

pub mod catalogue;
pub mod ctx;
pub mod mac;
pub mod mime;
pub mod model;
pub mod splice;

use crate::canonical::escape_visible;
use crate::cos::CosOptions;
use crate::finding::Finding;
use crate::oss::v1::V1Options;
use crate::oss::v4::V4Options;
use crate::request::Request;
use crate::scheme::{Prepared, SigningInput};
use crate::secret::Secret;
use catalogue::{Entry, CATALOGUE};
use ctx::{Ctx, Instance, SecretForm, Tier};
use mac::{Base, Engine, Interner, KeyMod};
use serde::Serialize;
use splice::{Fields, Splice};

/// Work (64-byte hash blocks, see [`mac::Engine::work`]) the search may do in
/// pairs and triples before it stops; singles always run in full. One unit
/// costs about 85–100 ns on the reference machine, so the search stays under
/// 250 ms on one core for any request (`benches/diagnose.rs`).
pub const DEFAULT_BUDGET: u64 = 2_200_000;

/// Search options. The scheme options are the server model the request was
/// prepared with (the same as verify's).
#[derive(Debug, Clone)]
pub struct DiagnoseOptions {
    /// OSS V1 server model.
    pub oss_v1: V1Options,
    /// OSS V4 server model.
    pub oss_v4: V4Options,
    /// COS server model.
    pub cos: CosOptions,
    /// Largest combination tried (1..=3).
    pub max_combination: usize,
    /// Most work units spent on pairs and triples (see [`DEFAULT_BUDGET`]).
    pub budget: u64,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        DiagnoseOptions {
            oss_v1: V1Options::default(),
            oss_v4: V4Options::default(),
            cos: CosOptions::default(),
            max_combination: 3,
            budget: DEFAULT_BUDGET,
        }
    }
}

/// A combination of hypotheses that reproduces the provided signature exactly.
#[derive(Debug, Clone, Serialize)]
pub struct Winner {
    /// The hypotheses combined (catalogue ids, `entry` or `entry:arg`).
    pub hypotheses: Vec<String>,
    /// For each hypothesis, other ids that give the very same signed input.
    pub equivalents: Vec<Vec<String>>,
    /// The field of the first hypothesis (canonical field naming).
    pub field: String,
    /// The first-stage text the client signed under this combination.
    pub client_text: String,
    /// The finding to report (`reproduces: true`).
    pub finding: Finding,
}

/// The outcome of a search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnosis {
    /// Winning combinations, all of the smallest size that reproduces.
    pub winners: Vec<Winner>,
    /// Catalogue entries that apply to the scheme.
    pub entries: usize,
    /// Distinct hypotheses compiled for this request.
    pub hypotheses: usize,
    /// Signatures computed.
    pub evaluations: u64,
    /// Work in hash blocks (what the budget counts).
    pub work: u64,
    /// Every combination up to the largest size searched was tried.
    pub complete: bool,
}

impl Diagnosis {
    /// Findings: one per winner, or SIG400 (nothing reproduces) and SIG401 (budget hit).
    pub fn findings(&self) -> Vec<Finding> {
        if !self.winners.is_empty() {
            return self.winners.iter().map(|w| w.finding.clone()).collect();
        }
        let mut out = Vec::new();
        if self.hypotheses > 0 {
            out.push(Finding::new(
                "SIG400",
                None,
                format!(
                    "No known client mistake or SDK behaviour reproduces the provided signature: {} hypotheses from {} catalogue entries, alone and combined up to three ({} signatures computed). The secret may be wrong, or the mistake is not in the catalogue: compare the client's own string to sign (--string-to-sign).",
                    self.hypotheses, self.entries, self.evaluations
                ),
                format!(
                    "已知的客户端错误与 SDK 行为都无法复现提供的签名：共 {} 个假设（{} 个目录条目），单个及最多三个组合（计算了 {} 个签名）。可能是密钥错误，或错误不在目录中：请比对客户端自己的待签名字符串（--string-to-sign）。",
                    self.hypotheses, self.entries, self.evaluations
                ),
            ));
        }
        if !self.complete && self.hypotheses > 0 {
            out.push(Finding::new(
                "SIG401",
                None,
                format!("The diagnosis stopped at its work budget ({} signatures computed) before trying every combination.", self.evaluations),
                format!("诊断在计算 {} 个签名后达到工作量上限，未尝试完所有组合。", self.evaluations),
            ));
        }
        out
    }
}

/// One compiled hypothesis.
#[derive(Debug, Clone)]
struct Hyp {
    ids: Vec<String>,
    entry: usize,
    field: String,
    field_id: u32,
    note_en: String,
    note_zh: String,
    splices: Vec<Splice>,
    key: KeyMod,
    /// `key.mask()`, kept: combining tests it for every pair.
    key_mask: u16,
    tier: Tier,
    time: bool,
}

/// A hash of what a hypothesis signs: its splices (by range and text) and its
/// key change (the dedup key; equal hashes are compared in full).
fn signed_hash(splices: &[Splice], key: &KeyMod) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    for s in splices {
        (s.start, s.end, &s.text).hash(&mut h);
    }
    key.hash(&mut h);
    h.finish()
}

fn instance_id(e: &Entry, arg: &str) -> String {
    match (arg.is_empty(), e.id.starts_with("sdk:")) {
        (true, _) => e.id.to_string(),
        // `concat` rather than `format!`: one id per instance, 1,800 of them for
        // the per-second skew family alone.
        (false, true) => [e.id, "=", arg].concat(),
        (false, false) => [e.id, ":", arg].concat(),
    }
}

fn is_time_entry(id: &str) -> bool {
    matches!(
        id,
        "date.local-as-gmt"
            | "date.skew"
            | "date.iso-format"
            | "date.x-oss-date-added"
            | "expires.milliseconds"
            | "key-time.start-backdated"
            | "sdk:date_source=date-only"
            | "sdk:v4_date=date-fallback"
    )
}

/// The candidate secrets: the given ones, whitespace variants of the first,
/// the AccessKeyId (cos-signing.md §7.16; peers-and-pitfalls.md §B).
fn secret_forms(secrets: &[Secret], ak: &str) -> (Vec<SecretForm>, Vec<Secret>) {
    let mut forms = Vec::new();
    let mut keys = Vec::new();
    let s0 = secrets[0].expose();
    forms.push(SecretForm::Given(0));
    keys.push(secrets[0].clone());
    for suf in ["\n", "\r\n", " "] {
        forms.push(SecretForm::Suffix(suf));
        keys.push(Secret::new(format!("{s0}{suf}")));
    }
    forms.push(SecretForm::Prefix(" "));
    keys.push(Secret::new(format!(" {s0}")));
    if secrets[0].has_edge_whitespace() {
        forms.push(SecretForm::Trimmed);
        keys.push(Secret::new(s0.trim()));
    }
    for (i, s) in secrets.iter().enumerate().skip(1) {
        forms.push(SecretForm::Given(i));
        keys.push(s.clone());
    }
    if !ak.is_empty() {
        forms.push(SecretForm::AccessKeyId);
        keys.push(Secret::new(ak));
    }
    (forms, keys)
}

/// Search the catalogue for the mistakes that reproduce `provided` (the
/// signature the request carries, as the server read it) under one of
/// `secrets`. `prepared` is the server's view of `req`.
pub fn diagnose(
    req: &Request,
    prepared: &Prepared,
    secrets: &[Secret],
    provided: &str,
    opts: &DiagnoseOptions,
) -> Diagnosis {
    let mut d = Diagnosis::default();
    if secrets.is_empty() || prepared.stages.is_empty() {
        return d;
    }
    let fields = Fields::of(&prepared.stages[0].1);
    let (forms, keys) = secret_forms(secrets, &prepared.access_key_id);
    let url = prepared.scheme.is_url();
    // Forms of the provided signature a mangled URL leaves (oss-signing.md §3, §10.2).
    let mut targets: Vec<(String, &'static str)> = vec![(provided.to_string(), "as-received")];
    if matches!(prepared.input, SigningInput::OssV1) && url {
        if provided.contains(' ') {
            targets.push((provided.replace(' ', "+"), "plus"));
        }
        if provided.contains('%') {
            if let Ok(t) = crate::encode::decode(provided, crate::encode::PlusMeans::Plus, "sig") {
                targets.push((t.into_owned(), "decode"));
            }
        }
    }
    let Some(ctx) = Ctx::new(req, prepared, opts, &fields, &forms, &targets) else {
        return d;
    };
    let kind = ctx.kind;

    // ---- compile
    let mut strs = Interner::default();
    let mut field_ids: rustc_hash::FxHashMap<String, u32> = Default::default();
    // Every entry's instances first, so the hypothesis table and the dedup map
    // are sized once (growing them by doubling touched twice the memory, which
    // a short-lived process pays for in page faults).
    let generated: Vec<(usize, Vec<Instance>)> = CATALOGUE
        .iter()
        .enumerate()
        .filter(|(_, e)| e.applies(kind, url))
        .map(|(ei, e)| {
            let mut insts: Vec<Instance> = Vec::new();
            (e.gen)(&ctx, &mut insts);
            (ei, insts)
        })
        .collect();
    d.entries = generated.len();
    let total: usize = generated.iter().map(|(_, v)| v.len()).sum();
    let mut hyps: Vec<Hyp> = Vec::with_capacity(total);
    let mut seen: rustc_hash::FxHashMap<u64, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(total, Default::default());
    // Different signed content under one hash (a 64-bit collision): kept aside.
    let mut collided: Vec<(u64, usize)> = Vec::new();
    for (ei, insts) in generated {
        let e = &CATALOGUE[ei];
        for inst in insts {
            let splices = match (inst.splices, &inst.client) {
                (Some(s), _) => s,
                (None, Some(c)) => splice::diff(&fields, c),
                (None, None) => Vec::new(),
            };
            let k = &inst.key;
            let mut id = |s: &Option<String>| s.as_deref().map(|x| strs.id(x));
            let key = KeyMod {
                secret: k.secret,
                target: k.target,
                timestamp: id(&k.timestamp),
                date: id(&k.date),
                region: id(&k.region),
                product: id(&k.product),
                key_date: id(&k.key_date),
                key_region: id(&k.key_region),
                key_product: id(&k.key_product),
                key_time: id(&k.key_time),
                raw_sign_key: k.raw_sign_key,
            };
            if splices.is_empty() && key.is_none() {
                continue;
            }
            let hid = instance_id(e, &inst.arg);
            // Two instances that sign the same thing are one hypothesis: looked up by
            // a hash of what is signed, then compared in full (no copy of the texts).
            let h = signed_hash(&splices, &key);
            let same = |i: usize| {
                let o: &Hyp = &hyps[i];
                o.key == key
                    && o.splices.len() == splices.len()
                    && o.splices
                        .iter()
                        .zip(&splices)
                        .all(|(a, b)| (a.start, a.end, &a.text) == (b.start, b.end, &b.text))
            };
            let found = seen.get(&h).copied().filter(|&i| same(i)).or_else(|| {
                collided
                    .iter()
                    .find(|&&(c, i)| c == h && same(i))
                    .map(|&(_, i)| i)
            });
            if let Some(i) = found {
                hyps[i].ids.push(hid);
                continue;
            }
            let field = if inst.field.is_empty() {
                splices
                    .first()
                    .map(|s| {
                        if s.start < s.end {
                            fields.items[s.start as usize].0.clone()
                        } else {
                            s.names.first().cloned().unwrap_or_default()
                        }
                    })
                    .unwrap_or_default()
            } else {
                inst.field
            };
            let n = field_ids.len() as u32;
            let field_id = match field_ids.get(&field) {
                Some(&id) => id,
                None => {
                    field_ids.insert(field.clone(), n);
                    n
                }
            };
            match seen.entry(h) {
                std::collections::hash_map::Entry::Occupied(_) => collided.push((h, hyps.len())),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(hyps.len());
                }
            }
            hyps.push(Hyp {
                ids: vec![hid],
                entry: ei,
                field,
                field_id,
                note_en: inst.note_en,
                note_zh: inst.note_zh,
                splices,
                key,
                key_mask: key.mask(),
                tier: inst.tier,
                time: is_time_entry(e.id),
            });
        }
    }
    d.hypotheses = hyps.len();
    drop((seen, collided));

    // ---- engine
    let mut base = Base::default();
    match &prepared.input {
        SigningInput::OssV4(c) => {
            base.timestamp = strs.id(&c.timestamp);
            let k = c.key();
            base.date = strs.id(&c.scope.date);
            base.region = strs.id(&c.scope.region);
            base.product = strs.id(&c.scope.product);
            base.terminator = c.scope.terminator.clone();
            // The prepared context signs with its own scope (key_scope is diagnosis-only).
            debug_assert_eq!(k, &c.scope);
        }
        SigningInput::Cos(c) => {
            base.timestamp = strs.id(&c.sign_time);
            base.key_time = strs.id(&c.key_time);
        }
        SigningInput::OssV1 => {}
    }
    let target_texts: Vec<String> = targets.iter().map(|(t, _)| t.clone()).collect();
    let mut eng = Engine::new(kind, fields.clone(), keys, &target_texts, strs, base);
    if !eng.has_target() {
        return d;
    }
    let winners = search(&hyps, &mut eng, opts, &mut d.complete);
    d.evaluations = eng.evaluations;
    d.work = eng.work;
    for combo in winners {
        d.winners.push(winner(&combo, &hyps, &eng, &fields));
    }
    d
}

fn compatible(a: &Hyp, b: &Hyp) -> bool {
    if a.field_id == b.field_id || (a.time && b.time) {
        return false;
    }
    let ((a0, a1), (b0, b1)) = (span(a), span(b));
    // Spans apart (or one without splices): disjoint without looking closer.
    let apart = a0 == u16::MAX || b0 == u16::MAX || (a1 <= b0 && a0 < b0) || (b1 <= a0 && b0 < a0);
    // Key changes combine when they set different slots (`KeyMod::merge`).
    (apart || splice::disjoint(&a.splices, &b.splices)) && a.key_mask & b.key_mask == 0
}

/// Reused buffers for one combination's splices.
#[derive(Default)]
struct Scratch<'h> {
    outer: Vec<&'h Splice>,
    rest: Vec<&'h Splice>,
}

/// Sign one combination: `outer` members (whose hash states the engine may
/// keep, under `outer_id`) and `rest` members.
fn eval_combo<'h>(
    eng: &mut Engine,
    hyps: &'h [Hyp],
    outer_id: Option<u64>,
    outer: &[usize],
    rest: &[usize],
    s: &mut Scratch<'h>,
) -> bool {
    let mut text_id = [u32::MAX; 3];
    let mut n = 0;
    let mut key = KeyMod::default();
    s.outer.clear();
    s.rest.clear();
    for (part, &i) in outer
        .iter()
        .map(|i| (true, i))
        .chain(rest.iter().map(|i| (false, i)))
    {
        let h = &hyps[i];
        if !h.splices.is_empty() {
            text_id[n] = i as u32;
            n += 1;
            if part {
                s.outer.extend(h.splices.iter());
            } else {
                s.rest.extend(h.splices.iter());
            }
        }
        if h.key_mask != 0 {
            match key.merge(&h.key) {
                Some(k) => key = k,
                None => return false,
            }
        }
    }
    text_id[..n].sort_unstable();
    s.outer.sort_by_key(|x| (x.start, x.end));
    s.rest.sort_by_key(|x| (x.start, x.end));
    let o = outer_id.map(|id| (id, &s.outer[..]));
    eng.eval(text_id, o, &s.rest, &key)
}

/// First and one-past-last field a hypothesis touches (`u16::MAX` when none).
fn span(h: &Hyp) -> (u16, u16) {
    let a = h.splices.iter().map(|s| s.start).min().unwrap_or(u16::MAX);
    let b = h.splices.iter().map(|s| s.end).max().unwrap_or(u16::MAX);
    (a, b)
}

/// Singles, then pairs, then triples; stops after the first size with a winner.
fn search(
    hyps: &[Hyp],
    eng: &mut Engine,
    opts: &DiagnoseOptions,
    complete: &mut bool,
) -> Vec<Vec<usize>> {
    *complete = true;
    let mut s = Scratch::default();
    let mut wins: Vec<Vec<usize>> = Vec::new();
    for i in 0..hyps.len() {
        if eval_combo(eng, hyps, None, &[], &[i], &mut s) {
            wins.push(vec![i]);
        }
    }
    if !wins.is_empty() || opts.max_combination < 2 {
        return wins;
    }
    // In field order, key-only hypotheses last: a member's hash states then
    // serve every later member, and combinations that differ only in the key
    // follow each other and reuse the text and its digest.
    let mut multi: Vec<usize> = (0..hyps.len())
        .filter(|&i| hyps[i].tier == Tier::Triples)
        .collect();
    multi.sort_by_key(|&i| span(&hyps[i]));
    let timed: Vec<usize> = (0..hyps.len())
        .filter(|&i| hyps[i].tier == Tier::Pairs)
        .collect();
    let n = multi.len();
    let mut compat = vec![false; n * n];
    for a in 0..n {
        for b in a + 1..n {
            let c = compatible(&hyps[multi[a]], &hyps[multi[b]]);
            compat[a * n + b] = c;
            compat[b * n + a] = c;
        }
    }
    let over = |eng: &Engine| eng.work >= opts.budget;
    let pair_id = |a: usize, b: usize| (1u64 << 40) | ((a as u64) << 20) | b as u64;
    for a in 0..n {
        let (ha, _) = (multi[a], ());
        for b in a + 1..n {
            if compat[a * n + b]
                && eval_combo(eng, hyps, Some(ha as u64), &[ha], &[multi[b]], &mut s)
            {
                wins.push(vec![ha, multi[b]]);
            }
        }
        if over(eng) {
            *complete = false;
            return wins;
        }
    }
    // Pairs with the many-instance time families: whichever member's edits come
    // first keeps its hash states.
    let after = |x: usize, y: usize| {
        let (xs, _) = span(&hyps[x]);
        let (_, ye) = span(&hyps[y]);
        xs == u16::MAX || (ye != u16::MAX && xs >= ye)
    };
    for &t in &timed {
        for &a in &multi {
            if after(a, t)
                && compatible(&hyps[a], &hyps[t])
                && eval_combo(eng, hyps, Some(t as u64), &[t], &[a], &mut s)
            {
                wins.push(vec![a, t]);
            }
        }
        if over(eng) {
            *complete = false;
            return wins;
        }
    }
    for &a in &multi {
        for &t in &timed {
            if !after(a, t)
                && compatible(&hyps[a], &hyps[t])
                && eval_combo(eng, hyps, Some(a as u64), &[a], &[t], &mut s)
            {
                wins.push(vec![a, t]);
            }
        }
        if over(eng) {
            *complete = false;
            return wins;
        }
    }
    if !wins.is_empty() || opts.max_combination < 3 {
        return wins;
    }
    for a in 0..n {
        for b in a + 1..n {
            if !compat[a * n + b] {
                continue;
            }
            let (ha, hb) = (multi[a], multi[b]);
            for c in b + 1..n {
                if compat[a * n + c]
                    && compat[b * n + c]
                    && eval_combo(
                        eng,
                        hyps,
                        Some(pair_id(ha, hb)),
                        &[ha, hb],
                        &[multi[c]],
                        &mut s,
                    )
                {
                    wins.push(vec![ha, hb, multi[c]]);
                }
            }
            if over(eng) {
                *complete = false;
                return wins;
            }
        }
    }
    wins
}

fn short(s: &str) -> String {
    let v = escape_visible(s);
    if v.chars().count() > 160 {
        format!("{}…", v.chars().take(160).collect::<String>())
    } else {
        v
    }
}

/// `the client signed `x` where the server has `y`` for each splice.
fn text_diffs(h: &Hyp, fields: &Fields) -> (String, String) {
    let mut en = String::new();
    let mut zh = String::new();
    for s in &h.splices {
        let server = fields.range_text(s.start, s.end);
        let (c, sv) = (short(&s.text), short(server));
        let sv_en = if sv.is_empty() {
            "nothing".to_string()
        } else {
            format!("`{sv}`")
        };
        let sv_zh = if sv.is_empty() {
            "无".to_string()
        } else {
            format!("`{sv}`")
        };
        let c_en = if c.is_empty() {
            "nothing".to_string()
        } else {
            format!("`{c}`")
        };
        let c_zh = if c.is_empty() {
            "无".to_string()
        } else {
            format!("`{c}`")
        };
        en.push_str(&format!(
            " The client signed {c_en} where the server signs {sv_en}."
        ));
        zh.push_str(&format!("客户端签的是 {c_zh}，服务端签的是 {sv_zh}。"));
    }
    (en, zh)
}

fn winner(combo: &[usize], hyps: &[Hyp], eng: &Engine, fields: &Fields) -> Winner {
    let parts: Vec<&Hyp> = combo.iter().map(|&i| &hyps[i]).collect();
    let mut en = String::new();
    let mut zh = String::new();
    let mut fix_en = String::new();
    let mut fix_zh = String::new();
    let many = parts.len() > 1;
    for (n, h) in parts.iter().enumerate() {
        let e = &CATALOGUE[h.entry];
        let desc_en = e.en.replace("{}", &h.note_en);
        let desc_zh = e.zh.replace("{}", &h.note_zh);
        let (d_en, d_zh) = text_diffs(h, fields);
        let also = if h.ids.len() > 1 {
            format!(" (equivalently: {})", h.ids[1..].join(", "))
        } else {
            String::new()
        };
        let also_zh = if h.ids.len() > 1 {
            format!("（等价：{}）", h.ids[1..].join("、"))
        } else {
            String::new()
        };
        if many {
            en.push_str(&format!(
                " ({}) [{}] the client {desc_en}{also}.{d_en}",
                n + 1,
                h.ids[0]
            ));
            zh.push_str(&format!(
                "（{}）[{}] 客户端{desc_zh}{also_zh}。{d_zh}",
                n + 1,
                h.ids[0]
            ));
            fix_en.push_str(&format!(" ({}) {}", n + 1, e.fix_en));
            fix_zh.push_str(&format!("（{}）{}", n + 1, e.fix_zh));
        } else {
            en.push_str(&format!(" The client {desc_en}{also}.{d_en}"));
            zh.push_str(&format!("客户端{desc_zh}{also_zh}。{d_zh}"));
            fix_en.push_str(&format!(" {}", e.fix_en));
            fix_zh.push_str(e.fix_zh);
        }
    }
    let (code, head_en, head_zh) = if many {
        (
            "SIG402",
            format!("Reproduced exactly by {} mistakes together:", parts.len()),
            format!("由 {} 个错误共同精确复现：", parts.len()),
        )
    } else {
        (
            CATALOGUE[parts[0].entry].code,
            format!("Reproduced exactly [{}]:", parts[0].ids[0]),
            format!("已精确复现 [{}]：", parts[0].ids[0]),
        )
    };
    let message = format!("{head_en}{en} Fix:{fix_en}");
    let message_zh = format!("{head_zh}{zh}修复：{fix_zh}");
    let field = parts[0].field.clone();
    let mut f = Finding::new(code, Some(&field), message, message_zh);
    f.reproduces = true;
    f.hypotheses = parts.iter().map(|h| h.ids[0].clone()).collect();
    let mut sp: Vec<&Splice> = parts.iter().flat_map(|h| h.splices.iter()).collect();
    sp.sort_by_key(|s| (s.start, s.end));
    Winner {
        hypotheses: f.hypotheses.clone(),
        equivalents: parts.iter().map(|h| h.ids[1..].to_vec()).collect(),
        field,
        client_text: eng.text_of(&sp),
        finding: f,
    }
}

/// Every catalogue entry, for documentation and tests: `(id, schemes bit set, code)`.
pub fn entries() -> impl Iterator<Item = (&'static str, u8, &'static str)> {
    CATALOGUE.iter().map(|e| (e.id, e.schemes, e.code))
}

#[cfg(test)]
mod tests;
